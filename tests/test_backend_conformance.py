"""Every kernel of the contract on every backend against the numpy float64 reference, plus the registry
and the engine's input validation.

Each entry of CASES runs one kernel on inputs drawn from a seeded generator and returns host values; the
same case runs on the backend under test and on numpy, and the results must agree.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import engine
import engine.backends as registry
from engine import Dense, PlaygroundTrainer, Sequential, ops
from engine.backends import torch_backend
from engine.backends.kernels import ACTIVATIONS, KERNELS, LOSSES

REPO = Path(__file__).resolve().parents[1]
ROW_WISE = ("softmax",)  # its derivative is fused into cross-entropy: no elementwise activation_grad
ELEMENTWISE_GRADS = tuple(name for name in ACTIVATIONS if name not in ROW_WISE)


def host(be, t):
    """A backend result as numpy (None, floats and tuples pass through / recurse)."""
    if t is None or isinstance(t, float):
        return t
    if isinstance(t, tuple) and not isinstance(t, np.ndarray):
        return tuple(host(be, v) for v in t)
    return np.asarray(be.to_host(t)).reshape(tuple(be.shape(t)))  # nested lists lose the columns of 0 × n


def mask_host(be, mask, shape):
    """A dead-link mask as a bool array; None (nothing dead yet) as all False."""
    return np.zeros(shape, bool) if mask is None else np.asarray(be.to_host(mask), dtype=bool)


def rand(rng, rows, cols, scale=1.0):
    return rng.uniform(-scale, scale, (rows, cols))


# -- one case per kernel: (backend, rng) -> list of host results
def case_from_host(be, rng):
    a = rand(rng, 4, 3)
    return [host(be, be.from_host(a)), host(be, be.from_host(a.tolist())), host(be, be.from_host(np.zeros((0, 3))))]


def case_to_host(be, rng):
    a = rand(rng, 3, 5)
    return [np.asarray(be.to_host(be.from_host(a)), dtype=np.float64)]


def case_mask_from_host(be, rng):
    mask = rng.uniform(size=(4, 3)) < 0.5
    return [mask_host(be, be.mask_from_host(mask), mask.shape), mask_host(be, be.mask_from_host(mask.tolist()), mask.shape)]


def case_shape(be, rng):
    return [tuple(be.shape(be.from_host(rand(rng, r, c)))) for r, c in ((1, 1), (5, 3), (0, 2))]


def case_zeros(be, rng):
    return [host(be, be.zeros(3, 4)), tuple(be.shape(be.zeros(0, 2)))]


def case_slice_rows(be, rng):
    t = be.from_host(rand(rng, 7, 2))
    return [host(be, be.slice_rows(t, a, b)) for a, b in ((0, 3), (3, 7), (5, 10), (2, 2))]


def case_append_ones(be, rng):
    return [host(be, be.append_ones(be.from_host(rand(rng, r, c)))) for r, c in ((4, 3), (1, 1), (0, 2), (3, 0))]


def _binary_case(kernel):
    def case(be, rng):
        a, b, row = rand(rng, 5, 3), rand(rng, 5, 3), rand(rng, 1, 3)
        f = getattr(be, kernel)
        return [host(be, f(be.from_host(a), be.from_host(b))), host(be, f(be.from_host(a), be.from_host(row)))]
    return case


def case_scale(be, rng):
    return [host(be, be.scale(be.from_host(rand(rng, 4, 3)), s)) for s in (0.0, -2.5, 1e-3)]


def case_matmul(be, rng):
    return [host(be, be.matmul(be.from_host(rand(rng, r, k)), be.from_host(rand(rng, k, c))))
            for r, k, c in ((5, 3, 4), (1, 1, 1), (3, 8, 1))]


def case_transpose(be, rng):
    return [host(be, be.transpose(be.from_host(rand(rng, r, c)))) for r, c in ((5, 3), (1, 4))]


def _z(rng):
    """Pre-activations with exact zeros and both signs, including values where exp overflows."""
    z = rand(rng, 4, 5, 3.0)
    z[0, :3] = [0.0, -0.0, 1e-300]
    z[1, :2] = [40.0, -40.0]
    z[2, :2] = [800.0, -800.0]  # exp(800) overflows: softmax must shift by the row max
    return z


def case_activation(be, rng):
    z = _z(rng)
    return [host(be, be.activation(name, be.from_host(z))) for name in ACTIVATIONS]


def case_activation_grad(be, rng):
    zt = be.from_host(_z(rng))
    return [host(be, be.activation_grad(name, zt, be.activation(name, zt))) for name in ELEMENTWISE_GRADS]


def case_sum_rows(be, rng):
    return [host(be, be.sum_rows(be.from_host(rand(rng, r, 3)))) for r in (1, 6)]


def case_sum_all(be, rng):
    return [be.sum_all(be.from_host(rand(rng, 6, 3)))]


def case_sign(be, rng):
    a = rand(rng, 3, 4)
    a[0, :2] = [0.0, -0.0]
    return [host(be, be.sign(be.from_host(a)))]


def _layer(be, rng, n_in=3, units=4):
    """[x, 1] (6 × (n_in + 1)) and P = [W; b] ((n_in + 1) × units) on `be`."""
    return be.append_ones(be.from_host(rand(rng, 6, n_in))), be.from_host(rand(rng, n_in + 1, units))


def case_dense_forward(be, rng):
    x1, p = _layer(be, rng)
    return [host(be, be.dense_forward(x1, p, act, ones)) for act in ACTIVATIONS for ones in (True, False)]


def case_dense_backward(be, rng):
    out = []
    x1, p = _layer(be, rng)
    da = be.from_host(rand(rng, 6, 4))
    for act in ELEMENTWISE_GRADS:
        for ones in (True, False):  # a may be a view next to the ones column
            z, a, _ = be.dense_forward(x1, p, act, ones)
            for need_dx in (True, False):
                out.append(host(be, be.dense_backward(da, x1, p, z, a, act, need_dx)))
    return out


def case_network_gradients(be, rng):
    """A 3 → 4 → 2 → out network for each loss, at scale 1 and 0.25, twice with the same `work` (reused buffers
    must not leak between calls)."""
    out, work = [], {}
    outputs = {"square": ("tanh", 2), "binary_crossentropy": ("sigmoid", 1), "categorical_crossentropy": ("softmax", 3)}
    for loss, (last, units) in outputs.items():
        x1 = be.append_ones(be.from_host(rand(rng, 5, 3)))
        params = [be.from_host(rand(rng, 4, 4)), be.from_host(rand(rng, 5, 2)), be.from_host(rand(rng, 3, units))]
        y = be.from_host(np.eye(units)[rng.integers(0, units, 5)] if units > 1 else rng.uniform(size=(5, 1)) < 0.5)
        for scale in (1.0, 0.25):
            out.append(host(be, tuple(be.network_gradients(x1, y, params, ("relu", "tanh", last), loss, scale, work))))
    return out


def _loss_inputs(rng, kind):
    if kind == "square":
        return rand(rng, 6, 2), rand(rng, 6, 2)
    if kind == "binary_crossentropy":
        return rng.uniform(0.01, 0.99, (6, 1)), (rng.uniform(size=(6, 1)) < 0.5).astype(float)
    p = rng.uniform(0.1, 1.0, (6, 3))
    return p / p.sum(axis=1, keepdims=True), np.eye(3)[rng.integers(0, 3, 6)]


def case_loss_sum(be, rng):
    out = []
    for kind in LOSSES:
        p, t = _loss_inputs(rng, kind)
        out.append(be.loss_sum(kind, be.from_host(p), be.from_host(t)))
    return out


def case_loss_grad(be, rng):
    out = []
    for kind in LOSSES:
        p, t = _loss_inputs(rng, kind)
        out.append(host(be, be.loss_grad(kind, be.from_host(p), be.from_host(t))))
    return out


def case_playground_update(be, rng):
    """Two layers' [W; b]: every regularization, with and without dead links, step lr/n and step 1."""
    out = []
    p = [rand(rng, 4, 3, 0.1), rand(rng, 4, 1, 0.1)]
    p[0][0, 0] = 0.0  # sign(0) = 0: L1 leaves it where the gradient puts it
    sums = [rand(rng, 4, 3), rand(rng, 4, 1)]
    dead = [rng.uniform(size=(3, 3)) < 0.25, None]
    for reg in ("none", "L1", "L2"):
        for masks in ([None, None], dead):
            for step in (0.1, 1.0):
                new, new_dead = be.playground_update(
                    [be.from_host(w) for w in p], [be.from_host(g) for g in sums], step, 0.06, reg,
                    [None if m is None else be.mask_from_host(m) for m in masks])
                out += [host(be, tuple(new)), tuple(mask_host(be, d, (w.shape[0] - 1, w.shape[1]))
                                                    for d, w in zip(new_dead, p, strict=True))]
    return out


def case_sgd_update(be, rng):
    return [host(be, be.sgd_update(be.from_host(rand(rng, 3, 2)), be.from_host(rand(rng, 3, 2)), 0.05))]


def case_momentum_update(be, rng):
    p, g, v = (be.from_host(rand(rng, 3, 2)) for _ in range(3))
    return [host(be, be.momentum_update(p, g, v, 0.05, 0.9))]


def case_adam_update(be, rng):
    p, g = be.from_host(rand(rng, 3, 2)), be.from_host(rand(rng, 3, 2))
    m, v = be.from_host(rand(rng, 3, 2, 0.1)), be.from_host(rng.uniform(0, 0.01, (3, 2)))
    return [host(be, be.adam_update(p, g, m, v, 0.01, 0.9, 0.999, 1e-7, t)) for t in (1, 7)]


CASES = {name: globals().get(f"case_{name}") for name in KERNELS}
CASES.update({k: _binary_case(k) for k in ("add", "sub", "mul")})


def assert_same(got, want, rtol, atol, where="result"):
    if isinstance(want, (list, tuple)) and not isinstance(want, np.ndarray):
        assert isinstance(got, (list, tuple)) and len(got) == len(want), f"{where}: {got!r} vs {want!r}"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_same(g, w, rtol, atol, f"{where}[{i}]")
    elif want is None or isinstance(want, (int, np.integer)):
        assert got == want, f"{where}: {got!r} != {want!r}"
    else:
        got, want = np.asarray(got), np.asarray(want)
        assert got.shape == want.shape, f"{where}: shape {got.shape} != {want.shape}"
        if want.dtype == bool:
            np.testing.assert_array_equal(got, want, err_msg=where)
        else:
            np.testing.assert_allclose(got.astype(np.float64), want, rtol=rtol, atol=atol, err_msg=where)


def test_every_kernel_has_a_conformance_case():
    assert set(CASES) == set(KERNELS) and all(callable(c) for c in CASES.values())


@pytest.mark.filterwarnings("ignore:overflow encountered")
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("kernel", KERNELS)
def test_kernel_matches_numpy_reference(backend_name, kernel, dtype):
    try:
        be = engine.get_backend(backend_name, dtype)
    except ValueError as exc:
        assert dtype == "float32", exc
        pytest.skip(f"{backend_name} does not compute in {dtype}: {exc}")
    reference = engine.get_backend("numpy", dtype)
    want = CASES[kernel](reference, np.random.default_rng(7))
    got = CASES[kernel](be, np.random.default_rng(7))
    rtol, atol = (1e-12, 1e-13) if dtype == "float64" else (2e-6, 2e-6)
    assert_same(got, want, rtol, atol, f"{backend_name}.{kernel}")


# -- edge cases, checked against exact values
@pytest.fixture
def be(backend_name):
    return engine.get_backend(backend_name, "float64")


def test_relu_and_its_derivative_are_zero_at_zero(be):
    z = be.from_host([[0.0, -0.0, -1.0, 2.0]])
    a = be.activation("relu", z)
    assert host(be, a).tolist() == [[0.0, 0.0, 0.0, 2.0]]
    assert host(be, be.activation_grad("relu", z, a)).tolist() == [[0.0, 0.0, 0.0, 1.0]]
    p, x1 = be.from_host([[1.0], [0.0]]), be.append_ones(be.from_host([[0.0], [3.0]]))  # w = 1, b = 0
    z, a, _ = be.dense_forward(x1, p, "relu", False)
    _, dp = be.dense_backward(be.from_host([[5.0], [1.0]]), x1, p, z, a, "relu", False)
    assert host(be, dp).tolist() == [[3.0], [1.0]]  # dw, db: the z = 0 row adds nothing


def test_sign_is_zero_at_zero(be):
    assert host(be, be.sign(be.from_host([[-3.0, 0.0, 2.0]]))).tolist() == [[-1.0, 0.0, 1.0]]


def test_every_activation_table_lists_exactly_the_contract():
    from engine.backends import array_kernels, cpu_backend

    assert tuple(array_kernels.ACTIVATIONS) == ACTIVATIONS  # numpy and torch
    assert tuple(cpu_backend.ACTIVATIONS) == ACTIVATIONS
    for table in (array_kernels.ACTIVATIONS, cpu_backend.ACTIVATIONS):
        assert [name for name, entry in table.items() if entry[1] is None] == list(ROW_WISE)


@pytest.mark.parametrize("act", ACTIVATIONS)
def test_fused_forward_is_the_activation_table(be, act):
    """dense_forward's fast paths (numpy writes tanh and relu in place) give exactly `activation(z)`."""
    rng = np.random.default_rng(3)
    x1, p = _layer(be, rng)
    for ones in (True, False):
        z, a, a1 = be.dense_forward(x1, p, act, ones)
        np.testing.assert_array_equal(host(be, a), host(be, be.activation(act, z)))
        if ones:
            np.testing.assert_array_equal(host(be, a1), np.hstack([host(be, a), np.ones((6, 1))]))


@pytest.mark.filterwarnings("ignore:overflow encountered")
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_softmax_and_cross_entropy_match_torch(backend_name, dtype):
    """Softmax (row-wise, stable where exp overflows), the summed cross-entropy of its output and its gradient
    w.r.t. the logits (p − onehot) against torch's softmax, cross_entropy and autograd."""
    torch = pytest.importorskip("torch")
    try:
        be = engine.get_backend(backend_name, dtype)
    except ValueError:
        assert backend_name == "cpu" and dtype == "float32"  # the only backend without float32
        return
    rtol, atol = (1e-12, 1e-14) if dtype == "float64" else (2e-6, 1e-7)
    rng = np.random.default_rng(11)
    z = _z(rng)  # rows with ±800: exp overflows unless shifted by the row max
    p = host(be, be.activation("softmax", be.from_host(z)))
    np.testing.assert_allclose(p, torch.softmax(torch.tensor(z), dim=1).numpy(), rtol=rtol, atol=atol)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=10 * atol)
    logits = rand(rng, 7, 3, 4.0)
    labels = rng.integers(0, 3, 7)
    onehot = np.eye(3)[labels]
    zt = torch.tensor(logits, requires_grad=True)
    want = torch.nn.functional.cross_entropy(zt, torch.tensor(labels), reduction="sum")
    want.backward()
    probs = be.activation("softmax", be.from_host(logits))
    total = be.loss_sum("categorical_crossentropy", probs, be.from_host(onehot))
    assert total == pytest.approx(want.item(), rel=rtol)
    grad = host(be, be.loss_grad("categorical_crossentropy", probs, be.from_host(onehot)))
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=rtol, atol=atol)


# -- registry
def test_unknown_backend_names_the_choices():
    with pytest.raises(ValueError, match=r"unknown backend 'tpu'.*cpu, numpy, gpu"):
        engine.get_backend("tpu")


def test_list_backends_describes_every_registered_backend():
    infos = engine.list_backends()
    assert [i.name for i in infos] == list(engine.backend_names()) and [i.name for i in infos][:3] == ["cpu", "numpy", "gpu"]
    for info in infos:
        assert set(info.as_dict()) == {"name", "available", "reason", "device"}
        assert isinstance(info.available, bool)
        assert (info.device and not info.reason) if info.available else (info.reason and not info.device), info
    assert {"cpu", "numpy"} <= set(engine.available_backends())


def test_required_backends_are_available():
    required = [n.strip() for n in os.environ.get("PLAYGROUND_REQUIRE_BACKENDS", "").split(",") if n.strip()]
    missing = {n: engine.backend_info(n).reason if n in engine.backend_names() else "no such backend"
               for n in required if n not in engine.available_backends()}
    assert not missing, f"PLAYGROUND_REQUIRE_BACKENDS names unavailable backends: {missing}"


def test_cpu_backend_is_float64_only():
    with pytest.raises(ValueError, match="float64"):
        engine.get_backend("cpu", "float32")


def test_gpu_without_override_needs_a_real_gpu(monkeypatch):
    monkeypatch.delenv("PLAYGROUND_GPU_DEVICE", raising=False)
    monkeypatch.setattr(registry, "_cache", {})
    info = engine.backend_info("gpu")
    try:
        import torch
    except ImportError:
        assert info.reason == "torch is not installed (pip install 'nn-playground[gpu]')"
        return
    if torch.cuda.is_available() or torch.backends.mps.is_available():
        assert info.available and info.device.startswith(("cuda:0 (", "mps"))
        return
    assert (info.available, info.reason, info.device) == (False, "no CUDA or MPS device found", "")
    with pytest.raises(ValueError, match="no CUDA or MPS device found"):
        engine.get_backend("gpu")  # never a silent fallback to the CPU


def test_gpu_reason_when_torch_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` raise ImportError
    assert engine.backend_info("gpu").reason == "torch is not installed (pip install 'nn-playground[gpu]')"


def test_gpu_device_override(monkeypatch):
    pytest.importorskip("torch")
    monkeypatch.setattr(registry, "_cache", {})
    monkeypatch.setenv("PLAYGROUND_GPU_DEVICE", "cpu")
    info = engine.backend_info("gpu")
    assert (info.available, info.device) == (True, "cpu (override PLAYGROUND_GPU_DEVICE=cpu)")
    monkeypatch.setenv("PLAYGROUND_GPU_DEVICE", "tpu")
    info = engine.backend_info("gpu")
    assert not info.available and "PLAYGROUND_GPU_DEVICE" in info.reason and "'tpu'" in info.reason


def test_mps_refuses_float64(monkeypatch):
    pytest.importorskip("torch")
    monkeypatch.setattr(torch_backend, "_resolve_device", lambda torch: ("mps", "", "mps (Apple Metal)"))
    with pytest.raises(ValueError, match="MPS has no float64"):
        torch_backend.create("float64")


def test_fixture_fails_when_a_required_backend_is_missing():
    env = dict(os.environ, PLAYGROUND_REQUIRE_BACKENDS="gpu", PLAYGROUND_GPU_DEVICE="no-such-device")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           f"{Path(__file__).name}::test_sign_is_zero_at_zero"],
                          cwd=REPO / "tests", env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout[-2000:]
    others = len(engine.backend_names()) - 1  # every backend but gpu passes
    assert "required by PLAYGROUND_REQUIRE_BACKENDS" in proc.stdout and f"{others} passed" in proc.stdout


# -- bad input: ValueError with a message that says what is wrong
def test_ops_reject_wrong_shapes(backend_name):
    a = ops.tensor(np.ones((2, 3)), backend_name)
    with pytest.raises(ValueError, match="do not broadcast"):
        ops.add(a, ops.tensor(np.ones((3, 3)), backend_name))
    with pytest.raises(ValueError, match="inner dimensions differ"):
        ops.matmul(a, a)
    np.testing.assert_allclose(ops.matmul(a, ops.transpose(a)).numpy(), np.full((2, 2), 3.0))


def test_ops_reject_tensors_of_different_backends(backend_name):
    other = "cpu" if backend_name != "cpu" else "numpy"
    with pytest.raises(ValueError, match="different backends"):
        ops.add(ops.tensor([1.0, 2.0], backend_name), ops.tensor([1.0, 2.0], other))


def test_unknown_activation_and_loss(be):
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        Dense(3, activation="swish")
    z = be.from_host([[1.0]])
    with pytest.raises(ValueError, match="swish"):
        be.activation("swish", z)
    with pytest.raises(ValueError, match="swish"):
        be.dense_forward(z, z, "swish", False)
    with pytest.raises(ValueError, match="softmax"):
        be.activation_grad("softmax", z, z)
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        be.loss_sum("hinge", z, z)
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        be.loss_grad("hinge", z, z)
    with pytest.raises(ValueError, match="unknown regularization 'L3'"):
        be.playground_update([z], [z], 0.1, 0.01, "L3", [None])


def _model(backend_name):
    return Sequential([Dense(3, "tanh", input_dim=2), Dense(1, "tanh")], backend=backend_name).build(seed=1)


def test_nan_in_data_is_rejected(backend_name):
    model = _model(backend_name)
    with pytest.raises(ValueError, match="x contains NaN"):
        model.predict([[0.0, np.nan]])
    trainer = PlaygroundTrainer(model)
    with pytest.raises(ValueError, match="x contains NaN"):
        trainer.train_epoch(np.array([[0.0, np.nan]]), np.array([1.0]))
    with pytest.raises(ValueError, match="y contains NaN"):
        trainer.train_epoch(np.array([[0.0, 1.0]]), np.array([np.inf]))
    with pytest.raises(ValueError, match="columns"):
        model.predict([[0.0, 1.0, 2.0]])


def test_set_weights_rejects_wrong_shapes(backend_name):
    model = _model(backend_name)
    good = model.get_weights()
    with pytest.raises(ValueError, match=r"layer 0: expected kernel \(2, 3\)"):
        model.set_weights([good[0].T, *good[1:]])
    with pytest.raises(ValueError, match="expected 4 weight arrays"):
        model.set_weights(good[:3])
    with pytest.raises(ValueError, match="NaN"):
        model.set_weights([good[0], good[1] * np.nan, *good[2:]])
    for got, want in zip(model.get_weights(), good, strict=True):  # a refused set leaves the weights alone
        np.testing.assert_array_equal(got, want)


def test_from_host_rejects_non_2d(be):
    with pytest.raises(ValueError, match="2-D"):
        be.from_host(np.ones(3))
