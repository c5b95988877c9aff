"""``python -m csitool``."""

from csitool.cli.app import main

main()
