"""The `gpu` backend: the same kernels as PyTorch tensor ops on a CUDA or Apple MPS device.

Plain tensor ops on tensors that never require grad, so autograd records nothing: the engine computes its
own backward pass. `PLAYGROUND_GPU_DEVICE` names the device explicitly ("cuda:1", "mps", or "cpu" to run
this code path on torch's CPU device where no GPU exists, as the tests do); without it the backend is
available only on a real GPU, never silently on the CPU.
"""

from __future__ import annotations

import os

from .array_kernels import ArrayKernels
from .kernels import LOSSES, REGULARIZATIONS, layered_gradients

DEVICE_ENV = "PLAYGROUND_GPU_DEVICE"
_EPS = 1e-12  # cross-entropy clips probabilities to [eps, 1 − eps], as the numpy backend
_NOT_INSTALLED = "torch is not installed (pip install 'nn-playground[gpu]')"


def _import_torch():
    """(torch module or None, why not): imported only when the gpu backend is asked about (it is slow)."""
    try:
        import torch
    except ImportError:
        return None, _NOT_INSTALLED
    except OSError as exc:  # installed but its native libraries do not load
        return None, f"torch failed to load: {exc}".splitlines()[0]
    return torch, ""


def _resolve_device(torch) -> tuple[str | None, str, str]:
    """(torch device string or None, reason it is unusable, description) for the current environment."""
    override = os.environ.get(DEVICE_ENV, "").strip()
    if override == "cpu":
        return "cpu", "", f"cpu (override {DEVICE_ENV}=cpu)"
    if override == "mps" or (not override and torch.backends.mps.is_available()):
        if not torch.backends.mps.is_available():
            return None, f"{DEVICE_ENV}=mps but no MPS device is available", ""
        return "mps", "", "mps (Apple Metal)"
    if override and not override.startswith("cuda"):
        return None, f"{DEVICE_ENV}={override!r} is not a device; use cuda, cuda:N, mps or cpu", ""
    if not torch.cuda.is_available():
        reason = "no CUDA or MPS device found"
        return None, (f"{DEVICE_ENV}={override} but {reason}" if override else reason), ""
    index_text = override.partition(":")[2] or "0"
    if not index_text.isdigit() or int(index_text) >= torch.cuda.device_count():
        return None, f"{DEVICE_ENV}={override!r}: there are {torch.cuda.device_count()} CUDA devices", ""
    index = int(index_text)
    return f"cuda:{index}", "", f"cuda:{index} ({torch.cuda.get_device_name(index)})"


def probe() -> tuple[bool, str, str]:
    torch, why_not = _import_torch()
    if torch is None:
        return False, why_not, ""
    device, reason, description = _resolve_device(torch)
    return device is not None, reason, description


def create(dtype: str) -> TorchBackend:
    torch, why_not = _import_torch()
    if torch is None:
        raise ValueError(why_not)
    device, reason, description = _resolve_device(torch)
    if device is None:
        raise ValueError(reason)
    if device == "mps" and dtype == "float64":
        raise ValueError("MPS has no float64; use dtype 'float32' on Apple GPUs")
    if device.startswith("cuda"):
        # TF32 would round matmul inputs to 10 mantissa bits; the engine promises float32/float64 results.
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    return TorchBackend(torch, device, description, dtype)


class TorchBackend(ArrayKernels):
    name = "gpu"

    def __init__(self, torch, device: str, description: str, dtype: str):
        import numpy as np  # the host side of from_host / to_host

        self._torch, self._np = torch, np
        self.device = description
        self.dtype = dtype
        self._device = torch.device(device)
        self._dtype = getattr(torch, dtype)
        self._np_dtype = np.dtype(dtype)
        super().__init__()

    def _host(self, array, dtype):
        """`array` as numpy (from numpy, nested lists, or anything with `.tolist()` such as a cpu Matrix)."""
        if not isinstance(array, self._np.ndarray) and hasattr(array, "tolist"):
            array = array.tolist()
        return self._np.asarray(array, dtype=dtype)

    # -- data movement
    def from_host(self, array):
        host = self._host(array, self._np_dtype)
        if host.ndim != 2:
            raise ValueError(f"expected a 2-D array, got shape {host.shape}")
        return self._torch.tensor(host, device=self._device)  # always a copy: the caller may reuse its array

    def to_host(self, t):
        return t.detach().cpu().numpy()

    def mask_from_host(self, array):
        host = self._host(array, bool)
        if host.ndim != 2:
            raise ValueError(f"expected a 2-D mask, got shape {host.shape}")
        return self._torch.tensor(host, device=self._device)

    def shape(self, t):
        return tuple(t.shape)

    def zeros(self, rows, cols):
        return self._torch.zeros((rows, cols), dtype=self._dtype, device=self._device)

    def append_ones(self, t):
        out = self._torch.ones((t.shape[0], t.shape[1] + 1), dtype=t.dtype, device=t.device)
        out[:, :-1] = t
        return out

    # -- elementwise and linear algebra
    def scale(self, a, s):
        return a * float(s)

    def transpose(self, a):
        return a.T.contiguous()

    def activation_grad(self, name, z, a):
        return self._grad_times(name, self._torch.ones_like(z), z, a)

    def sum_rows(self, a):
        return a.sum(dim=0, keepdim=True)

    def sum_all(self, a):
        return float(a.sum())

    def sign(self, a):
        return self._torch.sign(a)

    # -- fused
    def dense_forward(self, x1, p, act, ones):
        z = x1 @ p
        if not ones:
            return z, self.activation(act, z), None
        m = z.shape[1]
        a1 = self._torch.ones((z.shape[0], m + 1), dtype=z.dtype, device=z.device)
        a = a1[:, :m]
        a.copy_(self.activation(act, z))  # next to the ones column the next layer multiplies by the bias
        return z, a, a1

    def network_gradients(self, x1, y, params, acts, loss, scale, work):
        return layered_gradients(self, x1, y, params, acts, loss, scale)  # few launches to save at GPU sizes

    def loss_sum(self, kind, y_pred, y_true):
        if kind == "square":
            d = (y_pred - y_true).reshape(-1)
            return 0.5 * float(self._torch.dot(d, d))
        if kind == "binary_crossentropy":
            p = y_pred.clamp(_EPS, 1 - _EPS)
            return float(-(y_true * self._torch.log(p) + (1 - y_true) * self._torch.log(1 - p)).sum())
        if kind == "categorical_crossentropy":
            return float(-(y_true * self._torch.log(y_pred.clamp(_EPS, 1.0))).sum())
        raise ValueError(f"unknown loss {kind!r}; choose one of {', '.join(LOSSES)}")

    # -- updates
    def playground_update(self, params, sums, step, decay, reg, dead):
        if reg not in REGULARIZATIONS:
            raise ValueError(f"unknown regularization {reg!r}; choose one of {', '.join(REGULARIZATIONS)}")
        out = [self._update_layer(p, acc, step, decay, reg, d) for p, acc, d in zip(params, sums, dead, strict=True)]
        return [p for p, _ in out], [d for _, d in out]

    def _update_layer(self, p, acc, step, decay, reg, dead):
        new = p - step * acc  # weights and bias row alike; only the weights are regularized below
        if reg != "none":
            w, stepped = p[:-1], new[:-1]
            r = self._torch.sign(w) if reg == "L1" else w  # R'(w) at the weight before this update
            regularized = stepped - decay * r
            if reg == "L1":
                # Always build the mask: testing `crossed.any()` first would stall on a device→host copy.
                crossed = stepped * regularized < 0
                dead = crossed if dead is None else dead | crossed
            new[:-1] = regularized
        if dead is not None:
            new[:-1].masked_fill_(dead, 0.0)  # a dead link passes 0 and is never updated again
        return new, dead

    # -- the primitives the shared kernels (array_kernels) are written with
    def _sqrt(self, t):
        return self._torch.sqrt(t)

    def _exp(self, t):
        return self._torch.exp(t)

    def _tanh(self, t):
        return self._torch.tanh(t)

    def _sigmoid(self, t):
        return self._torch.sigmoid(t)

    def _relu(self, t):
        return self._torch.relu(t)

    def _row_max(self, t):
        return t.amax(dim=1, keepdim=True)

    def _row_sum(self, t):
        return t.sum(dim=1, keepdim=True)
