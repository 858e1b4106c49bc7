"""The page's "Download notebook": the standalone notebook of the experiment as it stands, and when the
settings cannot be written out. Importing this needs no nbformat (a runtime without the `notebook` extra
still serves the app: the download then says what it needs)."""

from __future__ import annotations

import importlib.util

from ..domain.network_choices import class_count, setting

__all__ = ["standalone_refusal", "download_refusal", "notebook_text"]

NEEDS_NBFORMAT = "writing a notebook needs nbformat (pip install 'nn-playground[notebook]')"


def standalone_refusal(settings) -> str | None:
    """Why settings (an ExperimentState or a parsed link's values) cannot be written out as plain numpy, or
    None: the standalone notebook writes out the playground's own rule and its losses."""
    if setting(settings, "optimizer") != "playground-sgd":
        return (f"a standalone notebook writes out the playground's own training rule; optimizer "
                f"{setting(settings, 'optimizer')!r} is not written out yet")
    if (class_count(settings) == 2 and setting(settings, "loss") == "cross-entropy"
            and setting(settings, "problem") != "regression"):
        return ("a standalone notebook writes out the playground's square loss for two classes; "
                "loss 'cross-entropy' is not written out yet")
    return None


def download_refusal(settings) -> str | None:
    """Why the page cannot offer the notebook now, or None."""
    if importlib.util.find_spec("nbformat") is None:
        return NEEDS_NBFORMAT
    return standalone_refusal(settings)


def notebook_text(link: str, epochs: int, points=None) -> str:
    """The standalone notebook (`export --standalone` of `link`, `points`, `epochs`) as .ipynb text."""
    import nbformat

    from .standalone_notebook import build_standalone_notebook

    return nbformat.writes(build_standalone_notebook(link, epochs, points))
