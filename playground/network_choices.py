"""What the settings ask of the network: each hidden layer's activation and how many classes it tells apart.

The state may hold choices that do not fit together (three activations for two layers after a layer was
removed, three classes on a two-class dataset); these functions say what is actually built, so the
experiment, the frames and the notebook export agree.
"""

from __future__ import annotations

from typing import Any

from .state import ACTIVATIONS, MULTICLASS_DATASETS

__all__ = ["hidden_activations", "class_count", "fit_activations"]


def _get(settings: Any, name: str):
    if isinstance(settings, dict):
        return settings.get(name, {"num_classes": 2, "activations": []}.get(name))
    return getattr(settings, name)


def hidden_activations(settings) -> list[str]:
    """One activation per hidden layer: `activations` when it names one valid activation per layer, else
    `activation` for every layer (an ExperimentState or the dict `links.parse_link` returns)."""
    layers = list(_get(settings, "network_shape"))
    per_layer = list(_get(settings, "activations") or [])
    if len(per_layer) == len(layers) and all(name in ACTIVATIONS for name in per_layer):
        return per_layer
    return [_get(settings, "activation")] * len(layers)


def fit_activations(per_layer: list[str], layers: int, default: str) -> list[str]:
    """`per_layer` cut or padded with `default` to `layers` entries (a layer was added or removed)."""
    if not per_layer:
        return []
    return (list(per_layer) + [default] * layers)[:layers]


def class_count(settings) -> int:
    """Classes the network tells apart: `num_classes` on a dataset that has that many, else 2."""
    classes = int(_get(settings, "num_classes"))
    if classes > 2 and _get(settings, "problem") == "classification" and _get(settings, "dataset") in MULTICLASS_DATASETS:
        return classes
    return 2
