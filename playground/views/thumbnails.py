"""Dataset thumbnails: one button per dataset showing a few of its points as an inline SVG picture.

Each dot is a zero-length line with a round cap, one path per colour: a thumbnail is ~2 KB of the page's
first message instead of ~10 KB as separate circles. The datasets' own pictures are the same for every
page, so they are drawn once per process.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import numpy as np
import panel as pn

from ..class_colors import CLASS_COLORS
from ..frames import dataset_preview
from ..network_choices import class_count
from ..state import DATASET_LABELS, MULTICLASS_DATASETS, REG_DATASET_LABELS, ExperimentState
from . import palette

MAX_DOTS = 300
DOT_DIAMETER = 0.64  # data units: 2.6 px of the 48 px picture
SHADES = 17  # colours a regression thumbnail's values are drawn in (−1 and +1 exact): fewer paths, same look


def points_svg(points: np.ndarray, classes: int = 2) -> str:
    """Dots over [-6, 6]² coloured by label (−1 orange … +1 blue, or class 0…K−1's colour); y up."""
    points = np.asarray(points)[:: max(1, len(points) // MAX_DOTS)]
    if classes > 2:
        colors = [CLASS_COLORS[int(label) % len(CLASS_COLORS)] for label in points[:, 2]]
    else:
        shades = np.clip(np.round((points[:, 2] + 1) / 2 * (SHADES - 1)), 0, SHADES - 1)
        codes = np.round(shades * 255 / (SHADES - 1)).astype(int)
        colors = [palette.PALETTE[c] for c in codes]
    paths: dict[str, list[str]] = defaultdict(list)  # colour → its dots, in the points' order
    for (x, y, _), color in zip(points, colors, strict=True):
        paths[color].append(f"M{x:.1f} {-y:.1f}h0")
    dots = "".join(f'<path d="{"".join(moves)}" stroke="{color}" stroke-width="{DOT_DIAMETER}" '
                   'stroke-linecap="round"/>' for color, moves in paths.items())
    if not len(points):
        dots = ('<path d="M-2.5 2.5l4-4 1 1-4 4h-1z" fill="none" stroke="#999" stroke-width="0.4"/>'
                '<text x="0" y="4.6" font-size="1.9" text-anchor="middle" fill="#999">draw</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-6 -6 12 12" width="48" height="48">'
            f'<rect x="-6" y="-6" width="12" height="12" fill="#ffffff"/>{dots}</svg>')


@lru_cache(maxsize=64)
def preview_svg(problem: str, name: str, classes: int = 2) -> str:
    """A dataset's own thumbnail (not "user": that shows the user's points)."""
    return points_svg(dataset_preview(problem, name, classes=classes), classes)


class DatasetThumbnails(pn.viewable.Viewer):
    """Classification thumbnails (incl. "user") or regression ones, by problem type; the chosen one is framed."""

    def __init__(self, state: ExperimentState, **params):
        super().__init__(**params)
        self.state = state
        self.buttons: dict[tuple[str, str], pn.widgets.Button] = {}
        for problem, labels in (("classification", DATASET_LABELS), ("regression", REG_DATASET_LABELS)):
            for name, label in labels.items():
                svg = preview_svg(problem, name) if name != "user" else points_svg(np.empty((0, 3)))
                button = pn.widgets.Button(
                    label=label, icon=svg, icon_size="48px", width=58, height=58, margin=4,
                    description=label, css_classes=["dataset-thumb", f"dataset-{name}"])
                button.on_click(lambda _e, p=problem, n=name: self._pick(p, n))
                self.buttons[(problem, name)] = button
        # One grid per problem type, shown or hidden whole: switching the problem changes two models, not
        # every button (each change of a button's visibility costs the browser a layout of the page).
        self._grids = {problem: pn.GridBox(*(b for (p, _), b in self.buttons.items() if p == problem), ncols=3,
                                           margin=0, css_classes=["dataset-thumbnails", f"{problem}-thumbnails"])
                       for problem in ("classification", "regression")}
        self._layout = pn.Column(*self._grids.values(), margin=0)
        state.param.watch(self._refresh, ["problem", "dataset", "reg_dataset"])
        state.param.watch(self._show_classes, "num_classes")
        self._shown_classes = 2
        self._show_classes()
        self._refresh()

    def _pick(self, problem: str, name: str) -> None:
        if problem == "regression":
            self.state.reg_dataset = name
        else:
            self.state.dataset = name

    def _refresh(self, *_events) -> None:
        st = self.state
        chosen = ("regression", st.reg_dataset) if st.problem == "regression" else ("classification", st.dataset)
        for problem, grid in self._grids.items():
            grid.visible = problem == st.problem
        for (problem, name), button in self.buttons.items():
            classes = ["dataset-thumb", f"dataset-{name}"] + (["selected"] if (problem, name) == chosen else [])
            if button.css_classes != classes:
                button.css_classes = classes

    def _show_classes(self, *_events) -> None:
        """Spiral and Gaussian show K arms / clusters when K classes are chosen."""
        classes = self.state.num_classes
        if classes == self._shown_classes:
            return
        self._shown_classes = classes
        for name in MULTICLASS_DATASETS:
            if name != "user":
                self.buttons[("classification", name)].icon = preview_svg("classification", name, classes)

    def show_user_points(self, points: np.ndarray) -> None:
        classes = class_count({**self.state.param.values(), "dataset": "user"})
        self.buttons[("classification", "user")].icon = points_svg(points, classes)

    def __panel__(self):
        return self._layout
