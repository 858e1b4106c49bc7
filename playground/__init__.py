"""TensorFlow Playground rebuilt in Python on Panel and Bokeh (`playground --help`)."""

__version__ = "0.2.0"  # the one place: pyproject.toml reads it (dynamic version)
DISTRIBUTION = "nn-playground"  # the name to `pip install` (the import package and the command are `playground`)
