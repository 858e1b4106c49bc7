"""Dataset thumbnails: one button per dataset showing a few of its points as an inline SVG picture."""

from __future__ import annotations

import numpy as np
import panel as pn

from ..class_colors import CLASS_COLORS
from ..frames import dataset_preview
from ..network_choices import class_count
from ..state import DATASET_LABELS, MULTICLASS_DATASETS, REG_DATASET_LABELS, ExperimentState
from . import palette

MAX_DOTS = 300


def points_svg(points: np.ndarray, classes: int = 2) -> str:
    """Dots over [-6, 6]² coloured by label (−1 orange … +1 blue, or class 0…K−1's colour); y up."""
    points = np.asarray(points)[:: max(1, len(points) // MAX_DOTS)]
    if classes > 2:
        colors = [CLASS_COLORS[int(label) % len(CLASS_COLORS)] for label in points[:, 2]]
    else:
        codes = np.clip(np.round((points[:, 2] + 1) * 127.5), 0, 255).astype(int) if len(points) else []
        colors = [palette.PALETTE[c] for c in codes]
    dots = "".join(f'<circle cx="{x:.2f}" cy="{-y:.2f}" r="0.32" fill="{color}"/>'
                   for (x, y, _), color in zip(points, colors, strict=True))
    if not len(points):
        dots = ('<path d="M-2.5 2.5l4-4 1 1-4 4h-1z" fill="none" stroke="#999" stroke-width="0.4"/>'
                '<text x="0" y="4.6" font-size="1.9" text-anchor="middle" fill="#999">draw</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-6 -6 12 12" width="48" height="48">'
            f'<rect x="-6" y="-6" width="12" height="12" fill="#ffffff"/>{dots}</svg>')


class DatasetThumbnails(pn.viewable.Viewer):
    """Classification thumbnails (incl. "user") or regression ones, by problem type; the chosen one is framed."""

    def __init__(self, state: ExperimentState, **params):
        super().__init__(**params)
        self.state = state
        self.buttons: dict[tuple[str, str], pn.widgets.Button] = {}
        for problem, labels in (("classification", DATASET_LABELS), ("regression", REG_DATASET_LABELS)):
            for name, label in labels.items():
                svg = points_svg(dataset_preview(problem, name) if name != "user" else np.empty((0, 3)))
                button = pn.widgets.Button(
                    label=label, icon=svg, icon_size="48px", width=58, height=58, margin=4,
                    description=label, css_classes=["dataset-thumb", f"dataset-{name}"])
                button.on_click(lambda _e, p=problem, n=name: self._pick(p, n))
                self.buttons[(problem, name)] = button
        self._grid = pn.GridBox(*self.buttons.values(), ncols=3, margin=0, css_classes=["dataset-thumbnails"])
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
        for (problem, name), button in self.buttons.items():
            button.visible = problem == st.problem
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
                self.buttons[("classification", name)].icon = points_svg(
                    dataset_preview("classification", name, classes=classes), classes)

    def show_user_points(self, points: np.ndarray) -> None:
        classes = class_count({**self.state.param.values(), "dataset": "user"})
        self.buttons[("classification", "user")].icon = points_svg(points, classes)

    def __panel__(self):
        return self._grid
