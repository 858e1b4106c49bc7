"""Recordings of the real TensorFlow Playground training a network
(`tests/fixtures/reference/trajectories/*.json`).

A recording holds a config, the points in training order, every neuron's initial and final weights and
the loss after each epoch. `load_recording` validates a file once, so everything after can trust it;
`Recording.replay(backend)` retrains the network here and returns the losses to compare.

File layout (see tests/fixtures/reference/README.md): `initial`/`final` list neurons layer by layer
(layer 1 = first hidden), each `{"layer", "bias", "weights"}` with the weights of its input links; inputs
are always x, y and the output is one neuron.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .backends.kernels import ACTIVATIONS, REGULARIZATIONS
from .layers import Dense
from .models import Sequential
from .trainers import PLAYGROUND_LOSSES, PlaygroundTrainer

ELEMENTWISE_ACTIVATIONS = tuple(a for a in ACTIVATIONS if a != "softmax")  # what a hidden layer may use
N_INPUTS = 2  # the recordings use the features x and y
# A recording of the real playground is a few KB, a 12,000-layer chain 1.2 MB: a larger file is not read on.
MAX_FILE_BYTES = 8 * 1024 * 1024


def _is_number(value) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return abs(value) <= sys.float_info.max  # exact for ints of any size; False for inf and NaN


def _is_count(value, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


@dataclass(frozen=True)
class Recording:
    name: str
    hidden: tuple[int, ...]
    activation: str
    output_activation: str
    regularization: str
    regularization_rate: float
    batch_size: int
    learning_rate: float
    epochs: int
    point_rows: np.ndarray  # (n, 3): x, y, label
    initial_weights: list[np.ndarray]  # Keras order: kernel (in, out), bias (out,), per layer
    final_weights: list[np.ndarray]
    losses: list[float]  # after each epoch; losses[0] is before training
    activations: tuple[str, ...] = ()  # per hidden layer (empty: `activation` for every layer)
    loss: str = "square"  # or "cross_entropy" (softmax output of num_classes units, integer labels)
    num_classes: int = 2

    @property
    def output_units(self) -> int:
        return self.num_classes if self.loss == "cross_entropy" else 1

    @property
    def hidden_activations(self) -> tuple[str, ...]:
        return self.activations or (self.activation,) * len(self.hidden)

    def layer_sizes(self) -> list[int]:
        return [N_INPUTS, *self.hidden, self.output_units]

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """The training points in order: inputs (n, 2) and labels (n,)."""
        return self.point_rows[:, :2].copy(), self.point_rows[:, 2].copy()

    def build_model(self, backend: str = "numpy", dtype: str = "float64") -> Sequential:
        """The recorded network on `backend`, holding the recording's initial weights."""
        sizes = self.layer_sizes()
        activations = [*self.hidden_activations, self.output_activation]
        layers = [Dense(units, activation=act, input_dim=n_in)
                  for n_in, units, act in zip(sizes[:-1], sizes[1:], activations, strict=True)]
        return Sequential(layers, backend=backend, dtype=dtype).set_weights(self.initial_weights)

    def make_trainer(self, model: Sequential) -> PlaygroundTrainer:
        return PlaygroundTrainer(model, self.learning_rate, self.regularization, self.regularization_rate,
                                 self.batch_size, loss=self.loss)

    def replay(self, backend: str = "numpy", dtype: str = "float64") -> list[float]:
        """Train as recorded; the loss before training and after each epoch (compare with `losses`)."""
        trainer = self.make_trainer(self.build_model(backend, dtype))
        x, y = self.points()
        losses = [trainer.loss(x, y)]
        for _ in range(self.epochs):
            trainer.train_epoch(x, y)
            losses.append(trainer.loss(x, y))
        return losses

    def loss_error(self, losses: list[float]) -> float:
        """Largest absolute difference from the recorded losses (inf if any is not finite)."""
        diffs = [abs(a - b) for a, b in zip(losses, self.losses, strict=True)]
        return max((d if math.isfinite(d) else math.inf for d in diffs), default=0.0)


def _neuron_weights(entries, key: str, sizes: list[int]) -> list[np.ndarray]:
    """Validate `initial`/`final` and turn it into Keras-order arrays."""
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ValueError(f"{key!r} must be a list of neurons ({{layer, bias, weights}})")
    by_layer: dict[int, list[dict]] = {layer: [] for layer in range(1, len(sizes))}
    extra = 0
    for entry in entries:  # one pass: a deep recording has as many layers as neurons
        layer = entry.get("layer")
        if _is_count(layer, 1) and layer < len(sizes):
            by_layer[layer].append(entry)
        else:
            extra += 1
    if extra:
        raise ValueError(f"{key!r} has {extra} neurons outside layers 1..{len(sizes) - 1}")
    weights = []
    for layer, neurons in by_layer.items():
        if len(neurons) != sizes[layer]:
            raise ValueError(f"{key!r} has {len(neurons)} neurons in layer {layer}, the config says {sizes[layer]}")
        for neuron in neurons:
            links = neuron.get("weights")
            if not _is_number(neuron.get("bias")):
                raise ValueError(f"{key!r}: a neuron of layer {layer} has no numeric 'bias'")
            if not isinstance(links, list) or len(links) != sizes[layer - 1] or not all(map(_is_number, links)):
                raise ValueError(f"{key!r}: a neuron of layer {layer} needs 'weights' of {sizes[layer - 1]} numbers")
        weights.append(np.array([n["weights"] for n in neurons], dtype=np.float64).T.reshape(sizes[layer - 1], -1))
        weights.append(np.array([n["bias"] for n in neurons], dtype=np.float64))
    return weights


def _config(config) -> dict:
    if not isinstance(config, dict):
        raise ValueError("'config' must be an object")
    missing = [k for k in ("hidden", "activation", "output_activation", "regularization", "regularization_rate",
                           "batch_size", "learning_rate", "epochs") if k not in config]
    if missing:
        raise ValueError(f"'config' lacks {', '.join(missing)}")
    hidden = config["hidden"]
    if not isinstance(hidden, list) or not all(_is_count(h, 1) for h in hidden):
        raise ValueError("config 'hidden' must be a list of positive layer sizes")
    if config["activation"] not in ELEMENTWISE_ACTIVATIONS:
        raise ValueError(f"config 'activation' is {config['activation']!r}; "
                         f"expected one of {', '.join(ELEMENTWISE_ACTIVATIONS)}")
    activations = config.get("activations")
    if activations is not None and (not isinstance(activations, list) or len(activations) != len(hidden)
                                    or not all(a in ELEMENTWISE_ACTIVATIONS for a in activations)):
        raise ValueError(f"config 'activations' must list one of {', '.join(ELEMENTWISE_ACTIVATIONS)} "
                         f"for each of the {len(hidden)} hidden layers")
    loss = config.get("loss", "square")
    if loss not in PLAYGROUND_LOSSES:
        raise ValueError(f"config 'loss' is {loss!r}; expected one of {', '.join(PLAYGROUND_LOSSES)}")
    if loss == "cross_entropy":
        if not _is_count(config.get("num_classes"), 2):
            raise ValueError("config 'num_classes' must be an integer >= 2 with loss 'cross_entropy'")
        if config["output_activation"] != "softmax":
            raise ValueError(f"config 'output_activation' is {config['output_activation']!r}; "
                             "loss 'cross_entropy' needs 'softmax'")
    elif config["output_activation"] not in ELEMENTWISE_ACTIVATIONS:
        raise ValueError(f"config 'output_activation' is {config['output_activation']!r}; "
                         f"expected one of {', '.join(ELEMENTWISE_ACTIVATIONS)} (softmax needs loss 'cross_entropy')")
    if config["regularization"] not in REGULARIZATIONS:
        raise ValueError(f"config 'regularization' is {config['regularization']!r}; "
                         f"expected one of {', '.join(REGULARIZATIONS)}")
    for key in ("regularization_rate", "learning_rate"):
        if not _is_number(config[key]) or config[key] < 0:
            raise ValueError(f"config {key!r} must be a non-negative number")
    if not _is_count(config["batch_size"], 1):
        raise ValueError("config 'batch_size' must be a positive integer")
    if not _is_count(config["epochs"], 0):
        raise ValueError("config 'epochs' must be a non-negative integer")
    return config


def parse_recording(data, name: str = "recording") -> Recording:
    """Validate decoded JSON content; ValueError with a one-line message when anything is off."""
    if not isinstance(data, dict):
        raise ValueError("the file must hold a JSON object")
    missing = [k for k in ("config", "points", "initial", "final", "epochs") if k not in data]
    if missing:
        raise ValueError(f"missing key{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    config = _config(data["config"])
    points = data["points"]
    if (not isinstance(points, list) or not points
            or not all(isinstance(p, list) and len(p) == 3 and all(map(_is_number, p)) for p in points)):
        raise ValueError("'points' must be a non-empty list of [x, y, label] numbers")
    epochs = data["epochs"]
    if not isinstance(epochs, list) or not all(isinstance(e, dict) and _is_number(e.get("loss")) for e in epochs):
        raise ValueError("'epochs' must be a list of {epoch, loss} with numeric losses")
    if [e.get("epoch") for e in epochs] != list(range(config["epochs"] + 1)):
        raise ValueError(f"'epochs' must list epochs 0..{config['epochs']} in order (config 'epochs' is "
                         f"{config['epochs']}), got {len(epochs)} entries")
    loss = config.get("loss", "square")
    classes = config["num_classes"] if loss == "cross_entropy" else 2
    if loss == "cross_entropy":
        labels = [p[2] for p in points]
        if not all(label == int(label) and 0 <= label < classes for label in labels):
            raise ValueError(f"with loss 'cross_entropy' every point's label must be a class 0…{classes - 1}")
    sizes = [N_INPUTS, *config["hidden"], classes if loss == "cross_entropy" else 1]
    return Recording(
        name=str(config.get("name", name)), hidden=tuple(config["hidden"]), activation=config["activation"],
        output_activation=config["output_activation"], regularization=config["regularization"],
        regularization_rate=float(config["regularization_rate"]), batch_size=config["batch_size"],
        learning_rate=float(config["learning_rate"]), epochs=config["epochs"],
        point_rows=np.array(points, dtype=np.float64),
        initial_weights=_neuron_weights(data["initial"], "initial", sizes),
        final_weights=_neuron_weights(data["final"], "final", sizes),
        losses=[float(e["loss"]) for e in epochs],
        activations=tuple(config.get("activations") or ()), loss=loss, num_classes=classes,
    )


def load_recording(path) -> Recording:
    """Read and validate a recording file; ValueError "<file>: <problem>" (one line) if it is unusable.

    At most MAX_FILE_BYTES are read, so a device that never ends (`/dev/zero`) is refused, not read whole.
    """
    path = Path(path)
    try:
        with path.open("rb") as file:
            content = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(content) > MAX_FILE_BYTES:
        raise ValueError(f"{path}: not a recording (larger than {MAX_FILE_BYTES // 2**20} MB, "
                         "the most a recording may hold)")
    try:
        data = json.loads(content.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not a recording (not UTF-8 text: byte {content[exc.start]:#04x} "
                         f"at offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:  # json's parser recurses once per nesting level
        raise ValueError(f"{path}: not a recording (JSON nested too deeply)") from None
    except ValueError:  # json reads integers with Python's int(), which has a digit limit
        raise ValueError(f"{path}: not a recording (a number has more than {sys.get_int_max_str_digits():,} "
                         "digits)") from None
    try:
        return parse_recording(data, path.stem)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
