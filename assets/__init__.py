"""The app's assets (CSS, lessons, pictures), installed as the package data of `playground.assets`.

Nothing to import: `playground/resources.py` reads the files through `importlib.resources`, so a wheel
finds them exactly as a checkout does. `pyproject.toml` maps this folder onto `playground.assets`.
"""


class AppStylesheet:
    """Names `app.css` for Panel's component-resource route, which serves only files a class lists: a
    served page then links the stylesheet by URL (`styles.APP_CSS_URL`) instead of carrying its text in
    every component of the document."""

    _stylesheets = ["app.css"]
