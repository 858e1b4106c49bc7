"""Dataset thumbnails: one browser component whose buttons show a few of each dataset's points.

The page used to carry a Panel button per dataset (12 Bokeh models of button, tooltip and SVG icon, ~46
with their grids, each ~1 ms of the browser's time to build, and ~2 KB of inline SVG apiece). This one
component (its JavaScript: `assets/dataset_picker.js`) builds plain `<button>`s in its shadow root for the
current problem type's datasets only, and draws each picture on a 48 px canvas from compact dot data:
one (x, y) byte pair per dot, grouped by colour, ~0.5 KB a picture as base64. A click tells the server
the dataset's name; the server decides and marks the chosen one. The datasets' own pictures are the same
for every page, so they are made once per process.
"""

from __future__ import annotations

import base64
import math
from functools import lru_cache

import numpy as np
import param

from ..data.function_datasets import CURVES, curve_points
from ..domain.network_choices import class_count
from ..domain.state import DATASET_LABELS, MULTICLASS_DATASETS, REG_DATASET_LABELS, ExperimentState
from ..live.class_colors import CLASS_COLORS
from ..live.frames import dataset_preview
from ..resources import asset
from . import palette
from .esm_bundle import BundledComponent

MAX_DOTS = 300
EXTENT = 6.0  # a picture shows [-EXTENT, EXTENT]² of the data plane
STEPS_PER_UNIT = 20  # a position travels as one byte, 0 … 240 over the 12 units: 0.05 units = 0.2 px
SHADES = 17  # colours a regression thumbnail's values are drawn in (−1 and +1 exact): fewer runs, same look
COLUMNS, CELL = 3, 66  # the grid: 3 buttons a row, 58 px each with 4 px around (STYLE)
LABELS = {"classification": DATASET_LABELS, "regression": REG_DATASET_LABELS}
# The component's own sheet (a few hundred bytes in the document, no extra request): the buttons live in its
# shadow root. The look is the one the Panel buttons had: grey tile, faded until hovered or chosen.
STYLE = """
.dataset-grid { display: grid; grid-template-columns: repeat(3, 58px); grid-auto-rows: 58px; gap: 8px; padding: 4px; }
.dataset-thumb { box-sizing: border-box; width: 58px; height: 58px; margin: 0; padding: 2px; border: 2px solid
  transparent; border-radius: 3px; background: #f3f3f3; opacity: 0.6; box-shadow: 0 0 0 1px #ccc; cursor: pointer;
  display: flex; align-items: flex-start; justify-content: center; }
.dataset-thumb canvas { display: block; }
.dataset-thumb:hover { opacity: 0.9; }
.dataset-thumb.selected { border-color: #000; opacity: 1; box-shadow: none; }
.dataset-thumb:focus-visible { outline: 3px solid #0877bd; outline-offset: 2px; opacity: 1; }
"""


def dot_colors(points: np.ndarray, classes: int = 2) -> list[str]:
    """Each point's colour: its class's for K > 2 classes, else its value's (−1 orange … +1 blue)."""
    if classes > 2:
        return [CLASS_COLORS[int(label) % len(CLASS_COLORS)] for label in points[:, 2]]
    shades = np.clip(np.round((points[:, 2] + 1) / 2 * (SHADES - 1)), 0, SHADES - 1)
    codes = np.round(shades * 255 / (SHADES - 1)).astype(int)
    return [palette.PALETTE[c] for c in codes]


def picture(points: np.ndarray, classes: int = 2) -> dict:
    """Points (n, 3: x, y, label) as the browser draws them: `colors`, how many dots of each (`counts`), and
    `xy`, base64 of one (x, y) byte pair per dot (x right, y down, 0 … 240), grouped by colour in the order
    the colours first appear: the order they are drawn in, as the SVG thumbnails drew them. Points outside
    the picture are left out (nothing of them would show)."""
    points = np.asarray(points, dtype=float).reshape(-1, 3)
    points = points[:: max(1, len(points) // MAX_DOTS)]
    points = points[np.all(np.abs(points[:, :2]) <= EXTENT, axis=1)]
    runs: dict[str, list[int]] = {}  # colour → its dots' indices, in the points' order
    for index, color in enumerate(dot_colors(points, classes)):
        runs.setdefault(color, []).append(index)
    order = [index for indices in runs.values() for index in indices]
    xy = np.rint((points[order, :2] * [1, -1] + EXTENT) * STEPS_PER_UNIT).astype(np.uint8)
    return {"colors": list(runs), "counts": [len(indices) for indices in runs.values()],
            "xy": base64.b64encode(xy.tobytes()).decode("ascii")}


def decode_picture(sent: dict) -> list[tuple[str, float, float]]:
    """(colour, x, y) per dot of a `picture`, in drawing order: what the browser draws (tests read it)."""
    xy = np.frombuffer(base64.b64decode(sent["xy"]), dtype=np.uint8).reshape(-1, 2) / STEPS_PER_UNIT - EXTENT
    colors = [color for color, count in zip(sent["colors"], sent["counts"], strict=True) for _ in range(count)]
    return [(color, float(x), float(-y)) for color, (x, y) in zip(colors, xy, strict=True)]


@lru_cache(maxsize=64)
def _preview(problem: str, name: str, classes: int) -> dict:
    shown = picture(dataset_preview(problem, name, classes=classes), classes)
    if name in CURVES:  # the curve between the classes: these thumbnails would look alike without it
        shown["curve"] = np.round(curve_points(name, EXTENT), 2).tolist()
    return shown


def preview_picture(problem: str, name: str, classes: int = 2) -> dict:
    """A dataset's own thumbnail (not "user": that shows the user's points); a copy, as Panel keeps what
    it is given."""
    return dict(_preview(problem, name, classes))


class DatasetPicker(BundledComponent):
    """Classification thumbnails (incl. "user") or regression ones, by problem type; the chosen one is framed."""

    datasets = param.List(default=[], doc="[name, label, picture] of the current problem type's datasets, in "
                                          "menu order (the user's own: picture None, see `user_picture`)")
    user_picture = param.Dict(default={}, doc="the user's own data, drawn or uploaded, as a `picture`")
    chosen = param.String(default="", doc="the chosen dataset's name")

    _esm = asset("dataset_picker.js")
    _stylesheets = [STYLE]

    def __init__(self, state: ExperimentState, **params):
        super().__init__(user_picture=picture(np.empty((0, 3))), width=COLUMNS * CELL, margin=0,
                         css_classes=["dataset-picker"], **params)
        self.state = state
        state.param.watch(self._show_datasets, ["problem", "num_classes"])
        state.param.watch(self._show_chosen, ["problem", "dataset", "reg_dataset"])
        self._show_datasets()
        self._show_chosen()

    def _show_datasets(self, *_events) -> None:
        """The current problem type's thumbnails; spiral and Gaussian show K arms / clusters with K classes."""
        problem, classes = self.state.problem, self.state.num_classes
        shown = [[name, label, None if name == "user" else
                  preview_picture(problem, name, classes if name in MULTICLASS_DATASETS else 2)]
                 for name, label in LABELS[problem].items()]
        if shown != self.datasets:
            self.param.update(datasets=shown, height=math.ceil(len(shown) / COLUMNS) * CELL)

    def _show_chosen(self, *_events) -> None:
        st = self.state
        self.chosen = st.reg_dataset if st.problem == "regression" else st.dataset

    def _handle_msg(self, data) -> None:
        """A click in the browser: the dataset's name (anything else, from a tampered page, is ignored)."""
        if isinstance(data, str) and data in REG_DATASET_LABELS:
            self.state.reg_dataset = data
        elif isinstance(data, str) and data in DATASET_LABELS:
            self.state.dataset = data

    def show_user_points(self, points: np.ndarray) -> None:
        classes = class_count({**self.state.param.values(), "dataset": "user"})
        self.user_picture = picture(points, classes)
