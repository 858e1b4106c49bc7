"""What a command prints besides its result: one-line warnings and errors on stderr, a progress bar or a
status line while it works, and no raw numpy warnings.

Every line here goes through `safe_text.terminal_text`: a message that quotes a link, a file name or any
other argument never sends the terminal a control sequence. Progress bars and status lines are tqdm's and
show only when stderr is a terminal: a log file (`2>log`) gets the warnings and errors, and no carriage
returns.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from ..safe_text import terminal_text

PROGRESS_DELAY_S = 0.5  # a bar appears only for work that takes longer than this


def say(line: str, file=None) -> None:
    """One line on stderr (or `file`), shown literally; above a progress bar if one is showing."""
    from tqdm import tqdm

    tqdm.write(terminal_text(line), file=file or sys.stderr)


def warn(message: str) -> None:
    """One warning line on stderr (a diverging run, a link's value that was read another way)."""
    say(f"warning: {message}")


def progress_bar(total: int, unit: str):
    """A tqdm bar on stderr, off unless stderr is a terminal; closed (its line ended) by `with`."""
    from tqdm import tqdm

    return tqdm(total=total, unit=f" {unit}", file=sys.stderr, disable=None, delay=PROGRESS_DELAY_S,
                dynamic_ncols=True, leave=True)


class StatusLine:
    """One line on stderr saying what a command is doing (`export: running cell 3 of 15`), rewritten in
    place and cleared at the end; off unless stderr is a terminal."""

    def __init__(self, command: str):
        from tqdm import tqdm

        self.command = command
        self._line = tqdm(total=None, file=sys.stderr, disable=None, leave=False, dynamic_ncols=True,
                          bar_format="{desc} [{elapsed}]")

    def __call__(self, doing: str) -> None:
        self._line.set_description_str(terminal_text(f"{self.command}: {doing}"), refresh=True)

    def close(self) -> None:
        self._line.close()

    def __enter__(self) -> StatusLine:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


@contextmanager
def numpy_quiet() -> Iterator[None]:
    """Numpy's overflow and invalid-value warnings stay silent: a command says what they mean once, itself."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        yield
