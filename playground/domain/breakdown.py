"""What went wrong in training: the loss stopped being a number (training pauses), or the network collapsed
(a notice; training goes on, as on the real site, so a class can watch what dead units do).

Collapse is what a too-large learning rate usually does to the playground's network instead of overflowing.
A neuron is *dead* when its output is the same for every training point and its activation's slope there is
(nearly) zero, so no gradient can ever change it again: a ReLU that is 0 everywhere, a tanh or sigmoid
pinned at one end of its range. The network has collapsed when
- every neuron of some hidden layer is dead: nothing about the input reaches the output any more, or
- the tanh output is dead, pinned at +1 (or −1) for every training point.
With the playground's plain SGD nothing can undo either; the notice says so, once per collapse, and what
usually fixes it. A constant output with live neurons is not a collapse: it is where a linear network
settles on data it cannot fit (circle).

A collapse only counts after `COLLAPSE_EPOCHS` epochs in a row, so a transient state never alarms anyone
about a healthy run, and only for a network that started with no dead layer (ReLUs started at zero weights
are all dead: that is the lesson such a link teaches, not a breakdown).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from engine import PlaygroundTrainer, Sequential


class Experiment(Protocol):
    """What is read here of a training run: `playground.domain.experiment.Experiment` is one (named by shape, not
    imported, since the experiment imports this module)."""

    x_train: np.ndarray
    y_train: np.ndarray
    model: Sequential
    trainer: Any
    history: list[dict]
    epoch: int
    state: Any  # reads state.learning_rate


PINNED = 1e-6  # a tanh or sigmoid this near an end of its range has a slope under 2e-6
COLLAPSE_EPOCHS = 5  # consecutive collapsed epochs before the collapse is reported
GATE_SLACK = 1e-5  # how far below the best constant output's loss a (nearly constant) collapsed one may be

DIVERGED_PREFIX = "Training paused"  # messages that stop training start so (the app shows them as errors)
NOT_FINITE = "the loss is no longer finite ({what})"
DIVERGED = (DIVERGED_PREFIX + " at epoch {epoch}: " + NOT_FINITE + ", so there is nothing more to see. "
            "Lower the learning rate and press Reset.")
COLLAPSED_PREFIX = "The network collapsed"
COLLAPSED = (COLLAPSED_PREFIX + " at epoch {epoch}: {what}, and training cannot change that any more. "
             "Training goes on so you can watch. {cause}")
TOO_FAST = "What usually fixes it: a smaller learning rate ({rate:g} is too large for this network), then Reset."
# The command line's one warning line (`run`, `replay`).
CLI_DIVERGED = "epoch {epoch}: " + NOT_FINITE + "; lower the learning rate"
CLI_COLLAPSED = "epoch {epoch}: the network collapsed ({what}); the learning rate {rate:g} is too large for it"


@dataclass(frozen=True)
class Breakdown:
    """What went wrong, at which epoch: `kind` "diverged" (training pauses) or "collapsed" (a notice)."""

    kind: str
    epoch: int
    what: str
    learning_rate: float

    @property
    def stops(self) -> bool:
        """A loss that is not finite leaves nothing to watch; a collapsed network can still be watched."""
        return self.kind == "diverged"

    @property
    def message(self) -> str:
        """For the app's message box."""
        if self.kind == "diverged":
            return DIVERGED.format(epoch=self.epoch, what=self.what)
        return COLLAPSED.format(epoch=self.epoch, what=self.what, cause=TOO_FAST.format(rate=self.learning_rate))

    @property
    def warning(self) -> str:
        """For the command line's one warning line."""
        template = CLI_DIVERGED if self.kind == "diverged" else CLI_COLLAPSED
        return template.format(epoch=self.epoch, what=self.what, rate=self.learning_rate)


class CollapseWatch:
    """Counts the consecutive epochs in which an experiment's network has collapsed."""

    def __init__(self):
        self.epochs = 0
        self.what: str | None = None
        self._armed = False
        self._constant_loss = 0.0  # the least loss any constant output can have on these labels

    def arm(self, experiment: Experiment) -> None:
        """A new or edited network, or new data: count afresh, if this network can collapse at all."""
        self.epochs, self.what = 0, None
        self._constant_loss = 0.5 * float(np.var(experiment.y_train)) if len(experiment.y_train) else 0.0
        model = experiment.model
        self._armed = (isinstance(experiment.trainer, PlaygroundTrainer) and _spread(experiment.y_train) > 0
                       and _dead_layer(model.layer_outputs(experiment.x_train), model.layers) is None)

    def observe(self, experiment: Experiment) -> None:
        """After an epoch: still collapsed, newly collapsed, or fine."""
        self.what = _collapse(experiment, self._constant_loss) if self._armed else None
        self.epochs = self.epochs + 1 if self.what else 0

    @property
    def collapsed(self) -> bool:
        return self.epochs >= COLLAPSE_EPOCHS

    @property
    def newly_collapsed(self) -> bool:
        """The epoch the collapse counts: reported once, again only after a recovery and a new collapse."""
        return self.epochs == COLLAPSE_EPOCHS


def loss_is_finite(experiment: Experiment) -> bool:
    return math.isfinite(experiment.history[-1]["train_loss"]) if experiment.history else True


def find_breakdown(experiment: Experiment, watch: CollapseWatch) -> Breakdown | None:
    """After an epoch: a divergence while the loss is not finite (every epoch: training must pause), a
    collapse on the epoch it is established (once: training goes on), else None."""
    rate = experiment.state.learning_rate
    if not loss_is_finite(experiment):
        loss = experiment.history[-1]["train_loss"]
        return Breakdown("diverged", experiment.epoch, "NaN" if math.isnan(loss) else "infinite", rate)
    if not watch.newly_collapsed:
        return None
    return Breakdown("collapsed", experiment.epoch, watch.what or "", rate)


def _collapse(experiment: Experiment, constant_loss: float) -> str | None:
    """What has collapsed in the network right now, or None."""
    # A collapse leaves the output (nearly) constant, and any constant output loses at least 0.5·var(labels):
    # a lower loss proves there is none without a forward pass, so healthy runs soon pay nothing here.
    if not experiment.history[-1]["train_loss"] >= constant_loss - GATE_SLACK:
        return None
    model = experiment.model
    outputs = model.layer_outputs(experiment.x_train)
    layer = _dead_layer(outputs, model.layers)
    if layer is not None:
        return f"every neuron of hidden layer {layer} gives the same value for every point"
    out, activation = outputs[-1], model.layers[-1].activation
    if activation == "tanh" and _dead_neurons(out, activation).all():
        return f"every output is stuck at {'+1' if out.min() > 0 else '−1'}"
    return None


def _dead_neurons(values: np.ndarray, activation: str) -> np.ndarray:
    """Per neuron (column of `values`, one row per point): constant with a zero slope at every point."""
    low, high = values.min(axis=0), values.max(axis=0)
    if activation == "relu":
        return high <= 0.0
    if activation == "tanh":
        return (low > 1 - PINNED) | (high < -1 + PINNED)
    if activation == "sigmoid":
        return (low > 1 - PINNED) | (high < PINNED)
    return np.zeros(values.shape[1], bool)  # linear: its slope never vanishes


def _dead_layer(outputs: list[np.ndarray], layers) -> int | None:
    """The first hidden layer (numbered from 1) whose every neuron is dead, or None."""
    for number, (values, layer) in enumerate(zip(outputs[:-1], layers, strict=False), start=1):
        if len(values) and values.shape[1] and _dead_neurons(values, layer.activation).all():
            return number
    return None


def _spread(values: np.ndarray) -> float:
    return float(values.max() - values.min()) if values.size else 0.0
