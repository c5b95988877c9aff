"""Bytes to a raw table: file kind, encoding, delimiter, sheet and header position."""

from csitool.io.read import RawTable, read_table

__all__ = ["RawTable", "read_table"]
