"""Pure statistics: arrays or a Survey in, frozen dataclasses with full-precision floats out."""
