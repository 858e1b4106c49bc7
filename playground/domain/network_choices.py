"""Settings that must fit together: how many classes a dataset can have, and one activation per layer.

The state may hold choices that do not fit together (three classes on a two-class dataset, three
activations for two layers after a layer was removed): `class_count` says how many classes are actually
told apart (`model_spec` builds that many outputs, the datasets make that many labels), and
`fit_activations` keeps the per-layer choices when a layer is added or removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .state import MULTICLASS_DATASETS

__all__ = ["class_count", "fit_activations", "setting"]


_DEFAULTS = {"num_classes": 2, "activations": []}  # what a link without these keys means


def setting(settings: Any, name: str):
    """One setting of an `ExperimentState` or of the dict `links.parse_link` returns (the same names)."""
    if isinstance(settings, Mapping):
        return settings.get(name, _DEFAULTS.get(name))
    return getattr(settings, name, _DEFAULTS.get(name))


def fit_activations(per_layer: list[str], layers: int, default: str) -> list[str]:
    """`per_layer` cut or padded with `default` to `layers` entries (a layer was added or removed)."""
    if not per_layer:
        return []
    return (list(per_layer) + [default] * layers)[:layers]


def class_count(settings) -> int:
    """Classes the network tells apart: `num_classes` on a dataset that has that many, else 2."""
    classes = int(setting(settings, "num_classes"))
    if classes > 2 and setting(settings, "problem") == "classification" and setting(settings, "dataset") in MULTICLASS_DATASETS:
        return classes
    return 2
