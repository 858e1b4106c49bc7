"""A small deep-learning engine in the spirit of TensorFlow.js.

- `engine.ops`: the low-level ops API over backend kernels.
- `Dense`, `Sequential`, optimizers, `PlaygroundTrainer` and `MinibatchTrainer`: the layers API.
- `engine.backends`: `cpu` (pure Python), `numpy`, `gpu` (PyTorch), chosen by name at run time.

The engine never imports panel or bokeh.
"""

from . import ops
from .backends import BackendInfo, available_backends, backend_info, backend_names, get_backend, list_backends
from .layers import Dense
from .models import Sequential
from .optimizers import SGD, Adam, Momentum
from .trainers import MinibatchTrainer, PlaygroundTrainer

__all__ = [
    "ops", "BackendInfo", "available_backends", "backend_info", "backend_names", "get_backend", "list_backends",
    "Dense", "Sequential", "SGD", "Adam", "Momentum", "MinibatchTrainer", "PlaygroundTrainer",
]
