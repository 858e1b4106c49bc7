"""One experiment, headless: data, input features, network and trainer, built as the playground's page does.

Page load: seed the generator with the link's `seed`, generate the data, shuffle, split, then build the
network whose initial weights continue the same random stream. Reset rebuilds the network continuing
the stream; a data change draws a new seed from the stream, reseeds and regenerates (then resets);
Regenerate does that but keeps the network. This module does the math for the app, the CLI and notebooks.
"""

from __future__ import annotations

import numpy as np

import engine

from ..data import datasets
from ..data.class_datasets import relabel as user_labels_for
from ..data.seedrandom import SeedRandom, new_seed
from .breakdown import Breakdown, CollapseWatch, find_breakdown, loss_is_finite
from .features import feature_matrix
from .model_spec import enabled_features, model_spec
from .network_choices import class_count, fit_activations
from .state import LIVE_PARAMS, REBUILD_PARAMS, REGENERATE_PARAMS, ExperimentState

MAX_HISTORY = 50_000  # entries kept in `history`: beyond it every other one of the older half goes


class Experiment:
    """Settings in, training out. `warnings` collects what was adjusted (e.g. an unavailable engine)."""

    def __init__(self, state: ExperimentState | None = None, user_points: np.ndarray | None = None, **settings):
        self.state = state if state is not None else ExperimentState(**settings)
        self.warnings: list[str] = []
        self.user_points = np.empty((0, 3)) if user_points is None else np.asarray(user_points, dtype=np.float64)
        self.history: list[dict] = []
        # the last accuracy, with what it was computed from: a frame drawn between two epochs (a class's tabs
        # get more frames than epochs) reuses it
        self._last_accuracy: tuple | None = None
        self._loss_outputs: tuple | None = None  # the last loss pass's outputs, with what they came from
        self.trainer = None
        self._collapse = CollapseWatch()
        self.rand = SeedRandom(self.state.seed)
        self._generate(reseed=False)
        self.reset()

    @classmethod
    def from_link(cls, link: str, **overrides) -> Experiment:
        from .links import parse_link

        values, warnings = parse_link(link)
        values.update(overrides)
        experiment = cls(ExperimentState(**values))
        experiment.warnings[:0] = warnings
        return experiment

    # -- data
    @property
    def is_regression(self) -> bool:
        return self.state.problem == "regression"

    @property
    def classes(self) -> int:
        """Classes told apart: 2 (labels ±1, one tanh output) or 3..5 (labels 0…K−1, K softmax outputs)."""
        return class_count(self.state)

    def _generate(self, reseed: bool) -> None:
        st = self.state
        if reseed:
            st.seed = new_seed(self.rand.random)  # drawn from the current stream, as the playground does
        if not self.is_regression and st.dataset == "user":
            self.user_points = user_labels_for(self.user_points, self.classes)
            self.train, self.test = datasets.split_user_points(self.user_points, st.perc_train_data)
            self.rand = SeedRandom(st.seed)
        else:
            dataset = st.reg_dataset if self.is_regression else st.dataset
            self.train, self.test, self.rand = datasets.generate(st.problem, dataset, st.noise,
                                                                 st.perc_train_data, st.seed, self.classes)
        self._features()

    def _features(self) -> None:
        names = enabled_features(self.state)
        self.x_train = feature_matrix(self.train[:, :2], names)
        self.x_test = feature_matrix(self.test[:, :2], names)
        self.y_train, self.y_test = self.train[:, 2:3], self.test[:, 2:3]
        if self.trainer is not None:  # the data changed under a running network (your own points)
            self.trainer.batch_size = self.batch_size

    def regenerate(self) -> None:
        """New data from a new seed; the network is kept (the playground's Regenerate button)."""
        self._generate(reseed=True)
        self._record()
        self._collapse.arm(self)

    def set_user_points(self, points: np.ndarray) -> None:
        self.user_points = user_labels_for(np.asarray(points, dtype=np.float64).reshape(-1, 3), self.classes)
        if self.state.dataset == "user" and not self.is_regression:
            self.train, self.test = datasets.split_user_points(self.user_points, self.state.perc_train_data)
            self._features()
            self._record()  # the losses of the points now on screen, before any step
            self._collapse.arm(self)

    @property
    def batch_size(self) -> int:
        """Points per update: the setting, or every training point when there are fewer. The playground's rule
        updates after each `batch_size`-th point, so a batch that can never fill would never update."""
        return max(1, min(self.state.batch_size, len(self.x_train)))

    @property
    def batch_note(self) -> str:
        """One line when the batch is the whole training set because it has fewer points than the setting."""
        n, wanted = len(self.x_train), self.state.batch_size
        if not 0 < n < wanted:
            return ""
        points = f"{n} training point{'s' * (n != 1)}"
        return (f"Only {points}, fewer than the batch size ({wanted}): each epoch updates the weights once, "
                f"with all {n}.")

    def points(self) -> np.ndarray:
        """The points as a copy: your own in the order you made them, else training then test."""
        if self.state.dataset == "user" and not self.is_regression:
            return self.user_points.copy()
        return np.concatenate([self.train, self.test])

    # -- network
    def _targets(self, y):
        """Labels as the trainer sees them (see `ModelSpec.targets`)."""
        return self.spec.targets(y)

    def reset(self) -> None:
        """A new network with new initial weights drawn from the continuing stream; epoch 0."""
        st = self.state
        self.spec = model_spec(st)  # which network and trainer these settings mean
        self.warnings.extend(self.spec.warnings)
        self.model = self.spec.build(self._usable_engine(st.engine), self.rand.random)
        self.trainer = self.spec.make_trainer(self.model, st.learning_rate, st.regularization,
                                              st.regularization_rate, self.batch_size)
        self.epoch = 0
        self.history = []
        self._record()
        self._collapse.arm(self)

    def _usable_engine(self, name: str) -> str:
        try:
            engine.get_backend(name, "float64")
            return name
        except ValueError as exc:
            self.warnings.append(f"engine: {exc}; using numpy")
            self.state.engine = "numpy"
            return "numpy"

    def set_engine(self, name: str) -> None:
        """Move the running network to another backend; weights and pending sums are kept."""
        if name == self.model.backend_name:
            return
        try:
            self.trainer.to_backend(name)
            self.state.engine = name
        except ValueError as exc:
            self.warnings.append(f"engine: {exc}")
            raise

    def set_learning_rate(self, value: float) -> None:
        self.state.learning_rate = value
        self.trainer.learning_rate = float(value)

    def apply(self, **changes) -> str:
        """Change settings with the playground's consequences; returns "live", "reset" or "regenerate".

        Learning rate and the engine apply on the fly; data settings draw a new seed, regenerate and
        reset; the network's shape, activation, regularization, features and batch size reset.
        """
        unknown = set(changes) - set(self.state.param)
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        changes = {k: v for k, v in changes.items() if getattr(self.state, k) != v}
        if "activations" not in changes:
            if "activation" in changes and self.state.activations:
                changes["activations"] = []  # the global activation sets every layer
            elif "network_shape" in changes and self.state.activations:  # a layer added or removed
                changes["activations"] = fit_activations(self.state.activations, len(changes["network_shape"]),
                                                         changes.get("activation", self.state.activation))
        live = {k: changes.pop(k) for k in list(changes) if k in LIVE_PARAMS}
        if "learning_rate" in live:
            self.set_learning_rate(live.pop("learning_rate"))
        if "engine" in live:
            self.set_engine(live.pop("engine"))
        self.state.param.update(**live, **changes)
        if REGENERATE_PARAMS & changes.keys() and "seed" not in changes:
            self._generate(reseed=True)
        elif "seed" in changes:
            self._generate(reseed=False)  # an explicit seed: that seed's data, as a link would give
        if REBUILD_PARAMS & changes.keys() or "seed" in changes:
            self._features()
            self.reset()
            return "regenerate" if REGENERATE_PARAMS & changes.keys() or "seed" in changes else "reset"
        return "live"

    # -- training
    def step(self, epochs: int = 1) -> None:
        # A diverging network overflows on purpose: `diagnosis()` says so once, numpy must not on every op.
        with np.errstate(all="ignore"):
            for _ in range(epochs):
                if len(self.x_train):
                    self.trainer.train_epoch(self.x_train, self._targets(self.y_train))
                self.epoch += 1
                self._record()
                self._collapse.observe(self)

    def diagnosis(self) -> Breakdown | None:
        """After an epoch: why training must pause (the loss is not finite), or that the network has just
        collapsed (once per collapse: training goes on), or None. Its `message` is the app's words."""
        return find_breakdown(self, self._collapse)

    @property
    def collapsed(self) -> bool:
        return self._collapse.collapsed

    @property
    def loss_is_finite(self) -> bool:
        return loss_is_finite(self)

    def losses(self) -> tuple[float, float]:
        """(train, test) loss as the playground reports it: mean 0.5·(output − label)²."""
        (train_loss, _), (test_loss, _) = self._evaluations()
        return train_loss, test_loss

    def _evaluations(self) -> tuple[tuple[float, np.ndarray | None], tuple[float, np.ndarray | None]]:
        return self._evaluate(self.x_train, self.y_train), self._evaluate(self.x_test, self.y_test)

    def _evaluate(self, x, y) -> tuple[float, np.ndarray | None]:
        """The reported loss over the points, and the outputs it came from (as `predict`; None without points)."""
        if not len(x):
            return 0.0, None
        if self.spec.reports_trainer_loss:
            loss, out = self.trainer.evaluate(x, self._targets(y))
            return loss, self.spec.to_playground(out)
        out = self.predict(x)
        return float(0.5 * np.sum((out - y) ** 2) / len(x)), out

    def _accuracy_key(self) -> tuple:
        return self.model, self.spec, self.x_train, self.y_train, self.x_test, self.y_test

    def _record(self) -> None:
        (train_loss, train_out), (test_loss, test_out) = self._evaluations()
        if not self.is_regression:  # the outputs the losses came from, for `accuracy` (no second forward pass)
            self._loss_outputs = (self._accuracy_key(), self._parameters(), (train_out, test_out))
        entry = {"epoch": self.epoch, "train_loss": train_loss, "test_loss": test_loss}
        if self.history and self.history[-1]["epoch"] == self.epoch:
            self.history[-1] = entry
        else:
            self.history.append(entry)
            if len(self.history) > MAX_HISTORY:  # a long run's memory stays bounded; recent epochs stay dense
                del self.history[1 : MAX_HISTORY // 2 : 2]  # epoch 0 stays: the chart starts there

    def accuracy(self) -> tuple[float, float] | None:
        """Share of points on the right side of 0 (K ≥ 3: whose likeliest class is theirs), for classification."""
        if self.is_regression:
            return None
        params = self._parameters()
        key = self._accuracy_key()
        if _same_inputs(self._last_accuracy, key, params):
            return self._last_accuracy[2]
        if _same_inputs(self._loss_outputs, key, params):  # the loss pass of these very weights
            outputs = self._loss_outputs[2]
        else:
            outputs = tuple(self.predict(x) if len(x) else None for x in (self.x_train, self.x_test))
        labels = (self.y_train, self.y_test)
        if self.classes > 2:
            result = tuple(float(np.mean(np.argmax(out, axis=1) == y[:, 0])) if out is not None else float("nan")
                           for out, y in zip(outputs, labels, strict=True))
        else:
            result = tuple(float(np.mean(np.sign(out) == np.sign(y))) if out is not None else float("nan")
                           for out, y in zip(outputs, labels, strict=True))
        self._last_accuracy = (key, params, result)
        return result

    def _parameters(self) -> list[np.ndarray]:
        """Each layer's [kernel; bias], copied: what the accuracy follows."""
        return [self.model.to_numpy(layer.params) for layer in self.model.layers]

    def predict(self, x) -> np.ndarray:
        return self.spec.to_playground(self.model.predict(x))

    # -- direct manipulation
    def set_weight(self, layer: int, source: int, dest: int, value: float) -> None:
        """Set the link from neuron `source` of layer `layer` to neuron `dest` of the next layer."""
        weights = self.model.get_weights()
        weights[2 * layer][source, dest] = float(value)
        self.model.set_weights(weights)
        self._record()
        self._collapse.arm(self)

    def set_bias(self, layer: int, neuron: int, value: float) -> None:
        """Set the bias of neuron `neuron` in layer `layer` (0 = first hidden layer)."""
        weights = self.model.get_weights()
        weights[2 * layer + 1][neuron] = float(value)
        self.model.set_weights(weights)
        self._record()
        self._collapse.arm(self)


def _same_inputs(last: tuple | None, key: tuple, params: list[np.ndarray]) -> bool:
    """Whether `last` (key, parameters, result) was computed from these objects and equal parameters."""
    return (last is not None and all(a is b for a, b in zip(last[0], key, strict=True))
            and len(last[1]) == len(params) and all(np.array_equal(a, b) for a, b in zip(last[1], params, strict=True)))
