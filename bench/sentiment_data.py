"""The labelled review sets behind the sentiment model, split into train and test by
hashing each record's own id (never by position, so the split does not move when a file is
re-sorted, and a test record is never trained on).

- Korean: NSMC (Naver movie reviews, CC0 1.0), ``nsmc_raw_ratings_sample20000.csv``;
  polar reviews are ratings 1-4 (negative) and 9-10 (positive); id = ``review_id``.
- English: Amazon laptop reviews (mistat 0.1.17, MIT), ``LAPTOP_REVIEWS_no_user_columns.csv``;
  polar reviews are 1-2 stars (negative) and 4-5 stars (positive); text = title + ". " +
  content; id = the SHA-1 of that text (the file has no id column; identical reviews fall on
  the same side).

A record is in the test set when the first 8 hex digits of SHA-1(id) taken as an integer
are divisible by 5 (20%); training chooses its regularisation on the
records whose remainder is 1 (a validation fold inside the training rows).
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
NSMC = SHARED / "nsmc-naver-movie-reviews-ko" / "nsmc_raw_ratings_sample20000.csv"
LAPTOP = SHARED / "laptop-reviews-en" / "LAPTOP_REVIEWS_no_user_columns.csv"


@dataclass(frozen=True)
class Review:
    id: str
    text: str
    label: int  # +1 positive, -1 negative

    @property
    def bucket(self) -> int:
        return int(hashlib.sha1(self.id.encode()).hexdigest()[:8], 16) % 5

    @property
    def test(self) -> bool:
        return self.bucket == 0

    @property
    def validation(self) -> bool:
        """The training rows held out to choose the regularisation (bucket 1)."""
        return self.bucket == 1


def nsmc(path: Path = NSMC) -> list[Review]:
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            r = int(row["rating"])
            if r <= 4 or r >= 9:
                out.append(Review(row["review_id"], row["review"], 1 if r >= 9 else -1))
    return out


def laptop(path: Path = LAPTOP) -> list[Review]:
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            r = int(row["User rating"])
            if r == 3:
                continue
            text = f"{row['Review title'].strip()}. {row['Review content'].strip()}"
            rid = hashlib.sha1(text.encode()).hexdigest()
            out.append(Review(rid, text, 1 if r >= 4 else -1))
    return out


def available() -> bool:
    return NSMC.exists() and LAPTOP.exists()
