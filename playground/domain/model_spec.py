"""Which network and which trainer an experiment's settings mean, decided in one place.

`model_spec(settings)` reads an `ExperimentState` (or the dict `links.parse_link` returns: the same names)
and says: the input features, the hidden layers' sizes and activations, the output layer (units and
activation), the loss the trainer minimises and which trainer runs it. `Experiment` builds its network and
trainer from it; the notebook exporter writes the same choices out as code.

The rules, as the playground and our own settings define them:
- output: `tanh` for classification (labels ±1), `linear` for regression; our `loss=cross-entropy` setting
  makes a two-class output `sigmoid` (trained on 0/1 targets, shown as 2p − 1 on the playground's scale);
  K ≥ 3 classes (`num_classes`) give K `softmax` units trained with cross-entropy on labels 0…K−1;
- hidden activations: `activations` (one per hidden layer) when it has one valid name per layer, else
  `activation` for every layer;
- trainer: the playground's own rule (`PlaygroundTrainer`) for `optimizer=playground-sgd`, except with the
  two-class sigmoid cross-entropy, which, like the other optimizers, trains with `MinibatchTrainer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from engine import Dense, MinibatchTrainer, PlaygroundTrainer, Sequential

from .features import FEATURES, STATE_PARAM
from .network_choices import class_count, setting
from .state import ACTIVATIONS

__all__ = ["ModelSpec", "model_spec", "enabled_features", "common_activation"]


def enabled_features(settings) -> list[str]:
    """The input features switched on, in the network's input order."""
    get = partial(setting, settings)
    return [name for name in FEATURES if get(STATE_PARAM[name])]


@dataclass(frozen=True)
class ModelSpec:
    input_features: tuple[str, ...]  # the network's inputs, in order
    hidden_sizes: tuple[int, ...]
    hidden_activations: tuple[str, ...]  # one per hidden layer
    output_units: int  # 1, or K classes
    output_activation: str  # "tanh", "linear", "sigmoid" or "softmax"
    loss: str  # what the trainer minimises: "square", "binary_crossentropy" or "cross_entropy"
    trainer: str  # "playground" (the site's rule) or "minibatch"
    optimizer: str  # the minibatch trainer's: "sgd", "momentum" or "adam" (unused by the playground rule)
    init_zero: bool = False
    warnings: tuple[str, ...] = ()  # settings that were adjusted, one line each

    # -- the network
    @property
    def layer_sizes(self) -> list[int]:
        return [len(self.input_features), *self.hidden_sizes, self.output_units]

    @property
    def activations(self) -> list[str]:
        """Every layer's activation, the output's last."""
        return [*self.hidden_activations, self.output_activation]

    def layers(self) -> list[Dense]:
        init, bias = ("zeros", 0.0) if self.init_zero else ("playground_uniform", 0.1)
        sizes = self.layer_sizes
        return [Dense(units, activation=act, input_dim=n_in, kernel_initializer=init, bias_initializer=bias)
                for n_in, units, act in zip(sizes[:-1], sizes[1:], self.activations, strict=True)]

    def build(self, backend: str, rand, dtype: str = "float64") -> Sequential:
        """The network with initial weights drawn from `rand()` (the page's stream, continuing)."""
        return Sequential(self.layers(), backend=backend, dtype=dtype).build(rand=rand)

    # -- training
    def make_trainer(self, model: Sequential, learning_rate: float, regularization: str,
                     regularization_rate: float, batch_size: int):
        if self.trainer == "playground":
            return PlaygroundTrainer(model, learning_rate, regularization, regularization_rate, batch_size,
                                     loss=self.loss)
        return MinibatchTrainer(model, self.optimizer, learning_rate, batch_size, loss=self.loss)

    def targets(self, labels: np.ndarray) -> np.ndarray:
        """Labels as the trainer learns them: ±1 become 0/1 for a sigmoid output; others as they are."""
        return (labels + 1) / 2 if self.output_activation == "sigmoid" else labels

    def to_playground(self, output: np.ndarray) -> np.ndarray:
        """A one-unit output on the playground's scale (a sigmoid's p as 2p − 1); others as they are."""
        return 2.0 * output - 1.0 if self.output_activation == "sigmoid" else output

    @property
    def reports_trainer_loss(self) -> bool:
        """Whether the reported loss is the trained one. Not for the sigmoid output, whose reported loss is
        the playground's 0.5·(2p − 1 − label)², so that it compares with the other two-class settings."""
        return self.loss != "binary_crossentropy"


def model_spec(settings) -> ModelSpec:
    """The network and trainer that `settings` (an `ExperimentState` or a parsed link's dict) describe."""
    get = partial(setting, settings)
    warnings: list[str] = []
    regression = get("problem") == "regression"
    hidden = tuple(int(n) for n in get("network_shape"))

    activation = get("activation")
    hidden_activations = (activation,) * len(hidden)
    per_layer = list(get("activations") or [])
    if per_layer:
        if len(per_layer) == len(hidden) and all(a in ACTIVATIONS for a in per_layer):
            hidden_activations = tuple(per_layer)
        else:
            warnings.append(f"activations: {','.join(map(str, per_layer))} does not give one of "
                            f"{', '.join(ACTIVATIONS)} for each of the {len(hidden)} hidden layers; "
                            f"using {activation} for every layer")

    classes = class_count(settings)  # 2 unless the dataset has that many classes
    cross_entropy = get("loss") == "cross-entropy"
    if cross_entropy and regression:
        warnings.append("loss: cross-entropy needs a classification problem; using square")
    optimizer = get("optimizer")
    if regression:
        units, output, loss = 1, "linear", "square"
    elif classes >= 3:
        units, output, loss = classes, "softmax", "cross_entropy"
    elif cross_entropy:
        units, output, loss = 1, "sigmoid", "binary_crossentropy"
    else:
        units, output, loss = 1, "tanh", "square"
    playground_rule = optimizer == "playground-sgd" and loss != "binary_crossentropy"
    return ModelSpec(
        input_features=tuple(enabled_features(settings)), hidden_sizes=hidden,
        hidden_activations=hidden_activations, output_units=units, output_activation=output, loss=loss,
        trainer="playground" if playground_rule else "minibatch",
        optimizer={"playground-sgd": "sgd"}.get(optimizer, optimizer),
        init_zero=bool(get("init_zero")), warnings=tuple(warnings),
    )


def common_activation(settings) -> str | None:
    """The one activation every hidden layer uses (`activation` when there are none), or None when the
    layers differ (the app's menu then says "Mixed")."""
    used = set(model_spec(settings).hidden_activations)
    if not used:
        return setting(settings, "activation")
    return used.pop() if len(used) == 1 else None
