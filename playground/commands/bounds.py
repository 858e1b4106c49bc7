"""Limits on what a command line may ask for, checked before any work starts (docs/cli.md lists them)."""

from __future__ import annotations

from ..errors import UsageError
from ..safe_text import terminal_text

MAX_EPOCHS = 1_000_000  # far past any lesson's budget (hundreds of epochs); a typo like 1e20 is refused at once


def check_epochs(value: int, option: str = "--epochs") -> int:
    if value < 0:
        raise UsageError(f"{option} must be >= 0, got {value}")
    if value > MAX_EPOCHS:
        raise UsageError(f"{option} must be at most {MAX_EPOCHS:,}, got {value:,}")
    return value


def check_text(value: str, option: str) -> str:
    """An argument that must be text (a link): Python hands bytes that are not UTF-8 over as surrogates,
    which no link, notebook or terminal can carry, so such an argument is refused, naming the bytes."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = terminal_text(value[exc.start:exc.end], limit=40)
        raise UsageError(f"{option} is not UTF-8 text: it holds the bytes {bad} at character {exc.start + 1}, "
                         "which a link cannot carry") from None
    return value


def check_link(value: str, option: str = "--url"):
    """A link from the command line, read as the app reads it: (lesson or None, settings, warnings).

    Refused with one line (exit 2) when it is not text, or when the link's reader refuses it whole."""
    from ..domain.links import MAX_LINK_CHARS
    from ..lessons.links import read_link

    check_text(value, option)
    if len(value) > MAX_LINK_CHARS:  # the page ignores such a link and keeps what it shows; a command stops
        raise UsageError(f"{option}: a playground link has at most {MAX_LINK_CHARS:,} characters; this one has "
                         f"{len(value):,}")
    try:
        return read_link(value)
    except ValueError as exc:  # e.g. a link too long to be one
        raise UsageError(f"{option}: {exc}") from None
