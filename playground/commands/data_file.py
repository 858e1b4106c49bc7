"""`--data FILE.csv` for `run` and `export`: your own points (x,y,label rows), read as the page reads an
upload, with the page's words for a file it cannot use (one line on stderr, exit 2)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import UsageError
from ..safe_text import one_line

HELP = ("your own points as CSV (x,y,label rows: labels 1/-1, or 0…K-1 with numClasses=K): the link's "
        "settings train on them (its dataset becomes your own data)")


def read_points(path: str, url: str) -> np.ndarray:
    """The points of `path` for the settings of link `url`; UsageError naming the file and its problem."""
    from ..data.datasets import MAX_CSV_CHARS, DataError
    from ..domain.own_data import points_from_csv
    from ..lessons.links import read_link

    name = one_line(Path(path).name or path, 200)
    try:
        size = Path(path).stat().st_size
        if size > MAX_CSV_CHARS:  # refused before reading, as the page refuses before sending
            raise UsageError(f"{name}: file too large ({size:,} bytes, limit {MAX_CSV_CHARS:,})")
        content = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"--data {one_line(path, 200)}: cannot read it: {exc.strerror or exc}") from None
    _lesson, values, _warnings = read_link(url)
    try:
        return points_from_csv(content, values)
    except DataError as exc:
        raise UsageError(f"{name}: {exc}") from None
