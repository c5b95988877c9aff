"""Tidy rows to a pandas DataFrame: the one conversion behind every result's ``to_frame()``.

Each result builds its own rows beside its dataclass (``ScoreResult.tidy_rows`` and so on),
with the columns ``--format csv`` prints; render formats those same rows as CSV or Markdown,
so a figure in the frame and in the CSV comes from one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def frame(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    """``rows`` as a DataFrame with ``columns`` in order (None is missing: NaN in numbers)."""
    import pandas as pd

    return pd.DataFrame.from_records(list(rows), columns=list(columns))
