"""Data files shipped inside the package (``csitool/data/``), read with the standard
library's ``importlib.resources`` so they load from a wheel, a zip or a source tree."""

from __future__ import annotations

import io
from importlib import resources
from typing import Any


def read_npz(name: str, package: str = "csitool.data") -> dict[str, Any] | None:
    """The arrays of the ``.npz`` file ``name`` in ``package``; None if it is not there.

    Pickled objects are refused (``allow_pickle=False``): the file holds numbers and text.
    """
    import numpy as np

    try:
        data = (resources.files(package) / name).read_bytes()
    except (FileNotFoundError, ModuleNotFoundError, IsADirectoryError):
        return None
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        return {k: z[k] for k in z.files}
