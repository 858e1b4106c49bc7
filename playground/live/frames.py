"""Frames: what the screen needs from one moment of training, quantised for cheap transport.

A frame is built off the event loop (in the training worker) from an `Experiment` and applied by the
views in one go. Heatmaps travel as uint8 codes 0..255 for values -1..1 (the palette's index), rows
flipped so row 0 is the bottom (Bokeh's image convention). The `FrameBuilder` remembers what it already
sent, so data points, the network's topology and the loss history only travel when they change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..data import datasets
from ..domain.experiment import GRID_DENSITY, Experiment, grid_points
from ..domain.features import FEATURES, feature_matrix
from ..domain.model_spec import model_spec
from ..lessons.progress import GoalProgress
from .class_colors import class_codes

THUMBNAIL_SIZE = 10  # a node's heatmap: the 100×100 grid averaged down to 10×10, as the playground draws it
CHART_MAX_POINTS = 1000  # the loss chart is halved (every other point) when it reaches this many
PREVIEW_POINTS = 160  # dots in a dataset thumbnail


def to_codes(values: np.ndarray, discretize: bool = False) -> np.ndarray:
    """float values (..., rows, cols), top row first -> uint8 codes, bottom row first; NaN -> middle."""
    flipped = values[..., ::-1, :]
    if discretize:
        return np.where(flipped >= 0, 255, 0).astype(np.uint8)
    codes = np.clip(flipped, -1.0, 1.0)  # one temporary, worked in place: (clipped + 1) · 127.5 + 0.5
    codes += 1.0
    codes *= 127.5
    codes += 0.5
    np.copyto(codes, 128.0, where=np.isnan(codes))  # NaN (a diverged network) as 0: the middle
    return codes.astype(np.uint8)


def thumbnails(grids: np.ndarray, size: int = THUMBNAIL_SIZE) -> np.ndarray:
    """(units, d, d) values -> (units, size, size) block means (the playground's `reduceMatrix`)."""
    units, d, _ = grids.shape
    block = d // size
    # a block's rows first (whole rows added at once), then its columns: a third of mean(axis=(2, 4))'s time
    rows = grids[:, :block * size, :block * size].reshape(units, size, block, block * size).sum(axis=2)
    return rows.reshape(units, size, size, block).sum(axis=3) / (block * block)


@dataclass(frozen=True)
class Topology:
    """The network's shape as drawn: enabled input features (FEATURES keys), hidden layer sizes, each hidden
    layer's activation, and the output neurons (1, or one per class for K ≥ 3)."""

    features: tuple[str, ...]
    layers: tuple[int, ...]
    outputs: int = 1
    activations: tuple[str, ...] = ()

    @property
    def sizes(self) -> list[int]:
        return [len(self.features), *self.layers, self.outputs]


def topology_of(state) -> Topology:
    """The network an ExperimentState asks for, as drawn."""
    return spec_topology(model_spec(state))


def spec_topology(spec) -> Topology:
    """The network a ModelSpec builds, as drawn (a frame's: its experiment's spec, not worked out again)."""
    return Topology(spec.input_features, spec.hidden_sizes, spec.output_units, spec.hidden_activations)


@dataclass
class Frame:
    epoch: int
    train_loss: float
    test_loss: float  # 0.0 when there are no test points (see `test_count`)
    test_count: int
    accuracy: tuple[float, float] | None
    topology: Topology
    is_regression: bool
    output_image: np.ndarray  # uint8 (100, 100): palette codes (two classes), or class_colors codes (K ≥ 3)
    neuron_images: list[np.ndarray]  # uint8 (10, 10) per hidden neuron, then the output neuron
    weights: np.ndarray  # float32, per link: layer by layer, source-major (W.ravel())
    dead: np.ndarray  # bool per link: killed by L1 (drawn grey)
    biases: np.ndarray  # float32 per neuron: hidden layers then the output
    chart_append: list[tuple[int, float, float]] = field(default_factory=list)
    chart_replace: list[tuple[int, float, float]] | None = None
    chart_ymax: float = 0.6
    train_points: np.ndarray | None = None  # (n, 3), only when the data changed
    test_points: np.ndarray | None = None
    playing: bool = False
    messages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    state_changes: dict = field(default_factory=dict)  # the experiment's settings, after commands ran (else empty)
    epochs_per_second: float = 0.0
    frames_per_second: float = 0.0
    frame_id: int = 0
    run: int = 0  # which Play or Pause press of the session the frame's `playing` belongs to
    goal: GoalProgress | None = None  # the lesson's goal, when a lesson is open
    speed: str = "fast"  # the session's speed (frame_pacing.SPEEDS)
    train_count: int = 0  # training points (your own data may have none yet)
    batch_note: str = ""  # Experiment.batch_note: the batch is every training point, fewer than the setting
    classes: int = 2  # K ≥ 3: output_image holds class_colors codes and the points' labels are 0…K−1
    # the node the page hovers, at full resolution for the output plot: ("input", feature index) or
    # ("neuron", index into neuron_images), and its uint8 (100, 100) codes; None when nothing is hovered
    detail: tuple[str, int, np.ndarray] | None = None

    def absorb(self, older: Frame) -> None:
        """This frame replaces `older`, which was never applied: keep older's one-off contents."""
        if self.train_points is None and older.train_points is not None:
            self.train_points, self.test_points = older.train_points, older.test_points
        if self.chart_replace is None:
            if older.chart_replace is not None:
                self.chart_replace, self.chart_append = older.chart_replace + self.chart_append, []
            else:
                self.chart_append = older.chart_append + self.chart_append
        self.messages = older.messages + self.messages
        self.errors = older.errors + self.errors
        if not self.state_changes:
            self.state_changes = older.state_changes


class FrameBuilder:
    """Builds frames from an experiment, sending data, topology and chart history only when changed."""

    def __init__(self):
        self._sent_train = self._sent_test = None
        self._sent_history = None
        self._chart: list[tuple[int, float, float]] = []
        self._chart_max = 0.0  # the highest finite loss in `_chart`
        self._frame_id = 0
        self._last_pictures: tuple | None = None  # (grids computed, how drawn, the pictures): see _pictures
        self.detail: tuple[str, int] | None = None  # the hovered node (see Frame.detail)

    def next_id(self) -> int:
        """A new frame id (for a frame made without `build`)."""
        self._frame_id += 1
        return self._frame_id

    def forget(self) -> None:
        """Send everything again with the next frame (e.g. a new browser view); frame ids and the hovered
        node stay."""
        frame_id, detail = self._frame_id, self.detail
        self.__init__()
        self._frame_id, self.detail = frame_id, detail

    def build(self, experiment: Experiment) -> Frame:
        with np.errstate(all="ignore"):  # a diverged network's weights overflow float32: drawn as extremes
            return self._build(experiment)

    def _build(self, experiment: Experiment) -> Frame:
        classes = experiment.classes
        topology = spec_topology(experiment.spec)
        grids, output_image, neuron_images = self._pictures(experiment)
        weights = experiment.model.get_weights()
        kernels, biases = weights[0::2], weights[1::2]
        link_values = np.concatenate([k.ravel() for k in kernels]).astype(np.float32)
        dead = np.concatenate([d.ravel() for d in experiment.trainer.dead_links()])
        last = experiment.history[-1]
        frame = Frame(
            epoch=experiment.epoch, train_loss=last["train_loss"], test_loss=last["test_loss"],
            test_count=len(experiment.test), train_count=len(experiment.train), batch_note=experiment.batch_note,
            accuracy=experiment.accuracy(), topology=topology, is_regression=experiment.is_regression,
            output_image=output_image, classes=classes,
            neuron_images=neuron_images, weights=link_values, dead=dead,
            biases=np.concatenate([b.ravel() for b in biases]).astype(np.float32),
            frame_id=self.next_id(),
            detail=self._detail(grids[1:]),
        )
        if experiment.train is not self._sent_train or experiment.test is not self._sent_test:
            self._sent_train, self._sent_test = experiment.train, experiment.test
            frame.train_points, frame.test_points = experiment.train, experiment.test
        self._chart_points(experiment.history, frame)
        return frame

    def _pictures(self, experiment: Experiment) -> tuple[list[np.ndarray], np.ndarray, list[np.ndarray]]:
        """The grids as drawn, the output's picture and every neuron's thumbnail; those of the last frame
        while the network is unchanged (`grid_outputs` then returns the same grids)."""
        raw = experiment.grid_outputs()
        discretize = experiment.state.discretize and not experiment.is_regression
        drawn_as = (discretize, experiment.classes)
        if self._last_pictures is not None and self._last_pictures[0] is raw and self._last_pictures[1] == drawn_as:
            grids, output_image, neuron_images = self._last_pictures[2]
            return grids, output_image, list(neuron_images)
        if experiment.classes > 2:
            output_image = class_codes(raw[-1], discretize)
            grids = [*raw[:-1], 2.0 * raw[-1] - 1.0]  # each class's probability 0..1 as -1..1 (orange..blue)
        else:
            grids, output_image = raw, to_codes(raw[-1][0], discretize=discretize)
        neuron_images = list(to_codes(thumbnails(np.concatenate(grids[1:]))))  # every neuron at once
        self._last_pictures = (raw, drawn_as, (grids, output_image, neuron_images))
        return grids, output_image, list(neuron_images)

    def _detail(self, neuron_layers: list[np.ndarray]) -> tuple[str, int, np.ndarray] | None:
        """The hovered node's picture at the grid's full resolution, as the playground shows it."""
        if self.detail is None:
            return None
        kind, index = self.detail
        if kind == "neuron":
            grids = [grid for layer in neuron_layers for grid in layer]  # numbered as neuron_images
            return (kind, index, to_codes(grids[index])) if 0 <= index < len(grids) else None
        if kind == "input" and 0 <= index < len(FEATURES):
            return kind, index, feature_grids()[index]
        return None

    def _chart_points(self, history: list[dict], frame: Frame) -> None:
        """One chart point per frame (the latest epoch); the whole (thinned) history after a reset."""
        if history is not self._sent_history or not self._chart:
            self._sent_history = history
            stride = max(1, math.ceil(len(history) / (CHART_MAX_POINTS // 2)))
            picked = history[::stride] if history[-1] in history[::stride] else [*history[::stride], history[-1]]
            self._chart = [(h["epoch"], h["train_loss"], h["test_loss"]) for h in picked]
            frame.chart_replace = list(self._chart)
        else:
            last = history[-1]
            if last["epoch"] > self._chart[-1][0]:
                self._chart.append((last["epoch"], last["train_loss"], last["test_loss"]))
                frame.chart_append = [self._chart[-1]]
            elif last["epoch"] == self._chart[-1][0] and (last["train_loss"], last["test_loss"]) != self._chart[-1][1:]:
                self._chart[-1] = (last["epoch"], last["train_loss"], last["test_loss"])  # e.g. a weight edit
                frame.chart_replace = list(self._chart)
            if len(self._chart) >= CHART_MAX_POINTS:
                self._chart = self._chart[::2] if self._chart[-1] in self._chart[::2] else [*self._chart[::2], self._chart[-1]]
                frame.chart_replace, frame.chart_append = list(self._chart), []
        # the highest finite loss charted: all points scanned when they were replaced, else only the new one
        scanned = self._chart if frame.chart_replace is not None else frame.chart_append
        highest = max((v for _, a, b in scanned for v in (a, b) if math.isfinite(v)), default=0.0)
        self._chart_max = highest if frame.chart_replace is not None else max(self._chart_max, highest)
        frame.chart_ymax = max(self._chart_max * 1.05, 1e-3)


@lru_cache(maxsize=1)
def _feature_values() -> np.ndarray:
    """(features, density, density): every input feature over the grid (static; enabled or not)."""
    values = feature_matrix(grid_points(), list(FEATURES))
    d = GRID_DENSITY
    return np.stack([values[:, i].reshape(d, d) for i in range(len(FEATURES))])


@lru_cache(maxsize=1)
def feature_grids() -> np.ndarray:
    """uint8 (features, 100, 100) codes of every input feature, in FEATURES order."""
    return to_codes(_feature_values())


@lru_cache(maxsize=1)
def feature_images() -> dict[str, np.ndarray]:
    """uint8 (10, 10) thumbnail of every input feature over the grid (static; all features, enabled or not)."""
    return dict(zip(FEATURES, to_codes(thumbnails(_feature_values())), strict=True))


def dataset_preview(problem: str, name: str, seed: str = "0.12345", classes: int = 2) -> np.ndarray:
    """A few points of a dataset for its thumbnail: (n, 3) x, y, label."""
    try:
        train, test, _ = datasets.generate(problem, name, 0, 50, seed, classes)
    except datasets.DataError:
        return np.empty((0, 3))
    points = np.concatenate([train, test])
    return points[:: max(1, len(points) // PREVIEW_POINTS)]
