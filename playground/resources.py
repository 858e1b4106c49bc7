"""Where the app's files are: the top-level `assets/` folder, installed as the package `playground.assets`.

`pyproject.toml` maps `assets/` onto `playground.assets` and ships its files as package data, so a wheel
or `pip install .` carries the CSS and the lessons; an installed copy finds them through
`importlib.resources`, never through paths relative to this file. A checkout (installed editable, or run
with PYTHONPATH) reads its own `assets/` folder: the import system could otherwise hand it another
checkout's, since an editable install maps `playground.assets` to the folder it was installed from.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE = "playground.assets"
_CHECKOUT = Path(__file__).resolve().parents[1]


def _is_checkout(root: Path) -> bool:
    return (root / "pyproject.toml").is_file() and (root / "assets" / "__init__.py").is_file()


def assets_dir() -> Path:
    """The assets folder on disk (wheels install it unzipped; `Path` because lessons are listed by glob)."""
    if _is_checkout(_CHECKOUT):
        return _CHECKOUT / "assets"
    return Path(str(resources.files(PACKAGE)))


def asset(*parts: str) -> Path:
    """One file or folder in the assets, e.g. `asset("lessons")`, `asset("app.css")`."""
    return assets_dir().joinpath(*parts)
