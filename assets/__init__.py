"""The app's assets (CSS, lessons, pictures), installed as the package data of `playground.assets`.

Nothing to import: `playground/resources.py` reads the files through `importlib.resources`, so a wheel
finds them exactly as a checkout does. `pyproject.toml` maps this folder onto `playground.assets`.
"""
