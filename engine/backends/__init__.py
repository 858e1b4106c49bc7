"""Backend registry: backends are siblings registered by name, chosen at run time.

Every backend module exposes the same kernel functions (see `engine.backends.kernels.KERNELS`) on a
`Backend` object; nothing above this package knows which one it talks to. `get_backend("auto", ...)`
picks by model size, because tiny tensors are faster on the host than on a GPU (TF.js does the same).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from .kernels import KERNELS

# name -> module that defines `probe()` and `create(dtype)`; imported lazily (torch is slow to import).
_MODULES = {"cpu": "engine.backends.cpu_backend", "numpy": "engine.backends.numpy_backend", "gpu": "engine.backends.torch_backend"}
_cache: dict[tuple[str, str], object] = {}

# Below this many weights the numpy backend wins even where a GPU exists (per-op launch cost ~2 µs).
AUTO_GPU_MIN_PARAMS = 200_000


@dataclass(frozen=True)
class BackendInfo:
    name: str
    available: bool
    reason: str
    device: str

    def as_dict(self) -> dict:
        return {"name": self.name, "available": self.available, "reason": self.reason, "device": self.device}


def backend_names() -> tuple[str, ...]:
    return tuple(_MODULES)


def register_backend(name: str, module: str) -> None:
    """Add a backend module (defining `probe()` and `create(dtype)`) under `name`."""
    _MODULES[name] = module


def _module(name: str):
    if name not in _MODULES:
        raise ValueError(f"unknown backend {name!r}; choose one of {', '.join(_MODULES)} or 'auto'")
    return importlib.import_module(_MODULES[name])


def backend_info(name: str) -> BackendInfo:
    available, reason, device = _module(name).probe()
    return BackendInfo(name, available, reason, device)


def list_backends() -> list[BackendInfo]:
    return [backend_info(name) for name in _MODULES]


def available_backends() -> list[str]:
    return [info.name for info in list_backends() if info.available]


def resolve_name(name: str, n_params: int = 0) -> str:
    """Map 'auto' to a concrete backend: the GPU only for models big enough to amortise its launch cost."""
    if name != "auto":
        return name
    if n_params >= AUTO_GPU_MIN_PARAMS and backend_info("gpu").available:
        return "gpu"
    return "numpy"


def get_backend(name: str, dtype: str = "float64", n_params: int = 0):
    """The backend object for `name` computing in `dtype` ('float64' or 'float32')."""
    name = resolve_name(name, n_params)
    if dtype not in ("float64", "float32"):
        raise ValueError(f"unknown dtype {dtype!r}; use 'float64' or 'float32'")
    key = (name, dtype)
    if key not in _cache:
        module = _module(name)
        available, reason, _ = module.probe()
        if not available:
            raise ValueError(f"backend {name!r} is not available: {reason}")
        backend = module.create(dtype)
        missing = [k for k in KERNELS if not callable(getattr(backend, k, None))]
        if missing:
            raise TypeError(f"backend {name!r} lacks kernels: {', '.join(missing)}")
        _cache[key] = backend
    return _cache[key]
