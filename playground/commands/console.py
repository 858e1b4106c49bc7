"""What a command prints besides its result: one-line warnings on stderr, and no raw numpy warnings."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np


def warn(message: str) -> None:
    """One warning line on stderr (a diverging run, a link's value that was read another way)."""
    print(f"warning: {message}", file=sys.stderr, flush=True)


@contextmanager
def numpy_quiet() -> Iterator[None]:
    """Numpy's overflow and invalid-value warnings stay silent: a command says what they mean once, itself."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        yield
