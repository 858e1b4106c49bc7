"""Frames: what the screen needs from one moment of training.

A frame is built off the event loop (in the training worker) from an `Experiment` and applied by the
views in one go. It carries the network's shape and weights, not its pictures: the browser draws those
from the weights (`assets/network_pictures.js`), as the playground does. The `FrameBuilder` remembers what
it already sent, so data points and the loss history only travel when they change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..data import datasets
from ..domain.experiment import Experiment
from ..domain.model_spec import model_spec
from ..lessons.progress import GoalProgress

CHART_MAX_POINTS = 1000  # the loss chart is halved (every other point) when it reaches this many
PREVIEW_POINTS = 160  # dots in a dataset thumbnail


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
    output_activation: str  # ModelSpec.output_activation: how the browser turns the output into a picture
    discretize: bool  # the output picture in two colours only (classification with "Discretize output")
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
    classes: int = 2  # K ≥ 3: one output neuron per class, and the points' labels are 0…K−1

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

    def next_id(self) -> int:
        """A new frame id (for a frame made without `build`)."""
        self._frame_id += 1
        return self._frame_id

    def forget(self) -> None:
        """Send everything again with the next frame (e.g. a new browser view); frame ids go on."""
        frame_id = self._frame_id
        self.__init__()
        self._frame_id = frame_id

    def build(self, experiment: Experiment) -> Frame:
        with np.errstate(all="ignore"):  # a diverged network's weights overflow float32: drawn as extremes
            return self._build(experiment)

    def _build(self, experiment: Experiment) -> Frame:
        topology = spec_topology(experiment.spec)
        weights = experiment.model.get_weights()
        kernels, biases = weights[0::2], weights[1::2]
        link_values = np.concatenate([k.ravel() for k in kernels]).astype(np.float32)
        dead = np.concatenate([d.ravel() for d in experiment.trainer.dead_links()])
        last = experiment.history[-1]
        frame = Frame(
            epoch=experiment.epoch, train_loss=last["train_loss"], test_loss=last["test_loss"],
            test_count=len(experiment.test), train_count=len(experiment.train), batch_note=experiment.batch_note,
            accuracy=experiment.accuracy(), topology=topology, is_regression=experiment.is_regression,
            output_activation=experiment.spec.output_activation, classes=experiment.classes,
            discretize=experiment.state.discretize and not experiment.is_regression,
            weights=link_values, dead=dead, biases=np.concatenate([b.ravel() for b in biases]).astype(np.float32),
            frame_id=self.next_id(),
        )
        if experiment.train is not self._sent_train or experiment.test is not self._sent_test:
            self._sent_train, self._sent_test = experiment.train, experiment.test
            frame.train_points, frame.test_points = experiment.train, experiment.test
        self._chart_points(experiment.history, frame)
        return frame

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


def dataset_preview(problem: str, name: str, seed: str = "0.12345", classes: int = 2) -> np.ndarray:
    """A few points of a dataset for its thumbnail: (n, 3) x, y, label."""
    try:
        train, test, _ = datasets.generate(problem, name, 0, 50, seed, classes)
    except datasets.DataError:
        return np.empty((0, 3))
    points = np.concatenate([train, test])
    return points[:: max(1, len(points) // PREVIEW_POINTS)]
