"""Where the app's files are: the top-level `assets/` folder, installed as the package `playground.assets`.

`pyproject.toml` maps `assets/` onto `playground.assets` and ships its files as package data, so a wheel
or `pip install .` carries the CSS and the lessons; they are found through `importlib.resources`, never
through paths relative to this file. The one exception: a checkout run without installing (PYTHONPATH=.),
where `playground.assets` is not importable and the checkout's own `assets/` is the same folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE = "playground.assets"
_CHECKOUT_ASSETS = Path(__file__).resolve().parents[1] / "assets"


def assets_dir() -> Path:
    """The assets folder on disk (wheels install it unzipped; `Path` because lessons are listed by glob)."""
    try:
        root = resources.files(PACKAGE)
    except ModuleNotFoundError:
        return _CHECKOUT_ASSETS
    return Path(str(root))


def asset(*parts: str) -> Path:
    """One file or folder in the assets, e.g. `asset("lessons")`, `asset("app.css")`."""
    return assets_dir().joinpath(*parts)
