"""The command line: one module per command, wiring read -> survey -> stats -> render."""
