"""Your own data from a CSV file, read for the settings it will be trained with: one rule for the page's
upload and the command line's `--data FILE.csv`, so both accept the same files and say the same thing."""

from __future__ import annotations

import numpy as np

from ..data import datasets
from .network_choices import class_count, setting

__all__ = ["NOT_CLASSIFICATION", "points_from_csv"]

NOT_CLASSIFICATION = "your own data is for classification; switch the problem type first"


def points_from_csv(content: bytes | str, settings) -> np.ndarray:
    """The (n, 3) points of a CSV for an `ExperimentState` or a parsed link's values; raises
    `datasets.DataError` (one line, the file's own problem) for a file that cannot be used."""
    if setting(settings, "problem") != "classification":
        raise datasets.DataError(NOT_CLASSIFICATION)
    values = {name: setting(settings, name) for name in ("problem", "num_classes")}
    return datasets.parse_csv(content, "classification", class_count({**values, "dataset": "user"}))
