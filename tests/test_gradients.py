"""Gradients and training rules on every backend, checked three independent ways:

- `Sequential.gradients` against central finite differences of the loss;
- layers, losses and optimizers against torch autograd + torch.optim;
- the playground's L1/L2 update rule against a per-point reimplementation of its nn.ts, written here.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

import engine
from engine import SGD, Adam, Dense, Momentum, PlaygroundTrainer, Sequential
from engine.backends.kernels import ACTIVATIONS

ELEMENTWISE = tuple(a for a in ACTIVATIONS if a != "softmax")  # softmax is checked with its cross-entropy

# (hidden activations, output activation, loss, output units)
NETS = {
    "tanh-square": (("tanh", "tanh"), "tanh", "square", 1),
    "relu-sigmoid-square": (("relu", "sigmoid"), "linear", "square", 2),
    "sigmoid-linear-square": (("sigmoid", "linear"), "relu", "square", 2),
    "tanh-relu-bce": (("tanh", "relu"), "sigmoid", "binary_crossentropy", 1),
    "linear-tanh-cce": (("linear", "tanh"), "softmax", "categorical_crossentropy", 3),
}


def make_net(backend, key, seed=0, n=7):
    """A 3 → 4 → 3 → out network and data fitting its loss (one-hot targets for softmax)."""
    hidden, out_act, loss, units = NETS[key]
    model = Sequential([Dense(4, hidden[0], input_dim=3), Dense(3, hidden[1]), Dense(units, out_act)],
                       backend=backend).build(seed=seed)
    rng = np.random.default_rng(seed)
    # move the biases off the playground's constant 0.1 so every parameter matters differently
    model.set_weights([w + rng.uniform(-0.2, 0.2, w.shape) for w in model.get_weights()])
    x = rng.uniform(-2, 2, (n, 3))
    if loss == "square":
        y = rng.uniform(-1, 1, (n, units))
    elif loss == "binary_crossentropy":
        y = (rng.uniform(size=(n, 1)) < 0.5).astype(float)
    else:
        y = np.eye(units)[rng.integers(0, units, n)]
    return model, x, y, loss


def analytic_gradients(model, x, y, loss):
    """Keras order [dW, db, ...] (each layer's gradient [dW; db] split at its bias row)."""
    grads = [model.to_numpy(dp) for dp in model.gradients(model.tensor(x), model.tensor(y, "y"), loss)]
    return [g for dp in grads for g in (dp[:-1], dp[-1])]


def numeric_gradients(model, x, y, loss, h=1e-6):
    be, xt, yt = model.backend, model.tensor(x), model.tensor(y, "y")
    weights = model.get_weights()

    def total(ws):
        model.set_weights(ws)
        return be.loss_sum(loss, model.forward(xt)[0], yt)

    grads = []
    for k, w in enumerate(weights):
        g = np.zeros_like(w)
        for idx in np.ndindex(w.shape):
            plus, minus = [v.copy() for v in weights], [v.copy() for v in weights]
            plus[k][idx] += h
            minus[k][idx] -= h
            g[idx] = (total(plus) - total(minus)) / (2 * h)
        grads.append(g)
    model.set_weights(weights)
    return grads


@pytest.mark.parametrize("key", NETS)
def test_gradients_match_finite_differences(backend_name, key):
    model, x, y, loss = make_net(backend_name, key)
    for layer, (_, z, _) in zip(model.layers, model.forward(model.tensor(x))[1], strict=True):
        if layer.activation == "relu":  # a kink within h of a pre-activation would spoil the difference
            assert np.abs(model.to_numpy(z)).min() > 1e-4
    for got, want in zip(analytic_gradients(model, x, y, loss), numeric_gradients(model, x, y, loss), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)


def _activation_net(backend, act, seed=4):
    """3 → 4 → 3 → 2 with `act` in both hidden layers and a linear output, square loss; pre-activations kept
    away from 0 so relu's kink is never within a finite difference's step."""
    model = Sequential([Dense(4, act, input_dim=3), Dense(3, act), Dense(2, "linear")], backend=backend).build(seed=seed)
    rng = np.random.default_rng(seed)
    model.set_weights([w + rng.uniform(-0.3, 0.3, w.shape) for w in model.get_weights()])
    return model, rng.uniform(-2, 2, (6, 3)), rng.uniform(-1, 1, (6, 2))


@pytest.mark.parametrize("act", ELEMENTWISE)
def test_every_activation_has_the_gradient_of_finite_differences(backend_name, act):
    model, x, y = _activation_net(backend_name, act)
    for _, z, _ in model.forward(model.tensor(x))[1][:2]:
        assert np.abs(model.to_numpy(z)).min() > 1e-4
    for got, want in zip(analytic_gradients(model, x, y, "square"), numeric_gradients(model, x, y, "square"),
                         strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)


def test_scaled_gradients_and_reused_buffers(backend_name):
    """`scale` multiplies every layer's gradient; batches of other sizes in between (the numpy backend keeps
    scratch buffers per batch size in the model's workspace) change nothing."""
    model, x, y, loss = make_net(backend_name, "tanh-square", n=9)
    plain = analytic_gradients(model, x, y, loss)
    model.gradients(model.tensor(x[:4]), model.tensor(y[:4], "y"), loss)
    scaled = model.gradients(model.tensor(x), model.tensor(y, "y"), loss, scale=0.25)
    for got, dw, db in zip(scaled, plain[::2], plain[1::2], strict=True):
        np.testing.assert_allclose(model.to_numpy(got), 0.25 * np.vstack([dw, db]), rtol=1e-14, atol=1e-16)
    for got, want in zip(analytic_gradients(model, x, y, loss), plain, strict=True):
        np.testing.assert_array_equal(got, want)


# -- torch autograd and torch.optim as the second opinion
try:
    import torch
except ImportError:  # only these comparisons need it; the engine's cpu and numpy backends do not
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed")
TORCH_ACTIVATIONS = {} if torch is None else {
    # an activation is torch.nn.functional's function of the same name (relu, tanh, sigmoid, ...), except:
    **{name: getattr(torch.nn.functional, name) for name in ACTIVATIONS if hasattr(torch.nn.functional, name)},
    "linear": lambda z: z, "softmax": lambda z: torch.softmax(z, dim=1)}


def torch_loss_sum(model, params, x, y, loss):
    """The summed loss of the same network in torch; cross-entropy from the logits, as the engine fuses it."""
    h = torch.as_tensor(x)
    for i, layer in enumerate(model.layers):
        z = h @ params[2 * i] + params[2 * i + 1]
        h = TORCH_ACTIVATIONS[layer.activation](z)
    t = torch.as_tensor(y)
    if loss == "square":
        return 0.5 * ((h - t) ** 2).sum()
    if loss == "binary_crossentropy":
        return torch.nn.functional.binary_cross_entropy_with_logits(z, t, reduction="sum")
    return -(t * torch.log_softmax(z, dim=1)).sum()


def torch_params(model):
    return [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in model.get_weights()]


@needs_torch
@pytest.mark.parametrize("key", NETS)
def test_gradients_and_loss_match_torch_autograd(backend_name, key):
    model, x, y, loss = make_net(backend_name, key, seed=3)
    params = torch_params(model)
    total = torch_loss_sum(model, params, x, y, loss)
    total.backward()
    model.compile(SGD(0.1), loss)
    assert model.evaluate(x, y) == pytest.approx(total.item() / len(x), rel=1e-12)
    for got, p in zip(analytic_gradients(model, x, y, loss), params, strict=True):
        np.testing.assert_allclose(got, p.grad.numpy(), rtol=1e-10, atol=1e-12)


@needs_torch
@pytest.mark.parametrize("act", ELEMENTWISE)
def test_every_activation_matches_torch_autograd(backend_name, act):
    assert act in TORCH_ACTIVATIONS, f"name torch's version of {act!r} in TORCH_ACTIVATIONS"
    model, x, y = _activation_net(backend_name, act, seed=6)
    params = torch_params(model)
    torch_loss_sum(model, params, x, y, "square").backward()
    for got, p in zip(analytic_gradients(model, x, y, "square"), params, strict=True):
        np.testing.assert_allclose(got, p.grad.numpy(), rtol=1e-10, atol=1e-12)


def engine_and_torch_optimizers(name, lr):
    """Matching optimizers. Momentum: the engine keeps v ← μv − lr·g, p ← p + v; torch keeps b ← μb + g,
    p ← p − lr·b. With a constant lr, v = −lr·b at every step (both start from 0), so the parameters agree.
    Adam: same formula with eps added to √v̂ in both; only the default eps differs (Keras 1e-7, torch 1e-8)."""
    if name == "sgd":
        return SGD(lr), lambda ps: torch.optim.SGD(ps, lr=lr)
    if name == "momentum":
        return Momentum(lr, 0.9), lambda ps: torch.optim.SGD(ps, lr=lr, momentum=0.9)
    return Adam(lr, 0.9, 0.999, 1e-7), lambda ps: torch.optim.Adam(ps, lr=lr, betas=(0.9, 0.999), eps=1e-7)


@needs_torch
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("key", NETS)
def test_fit_matches_torch_optim(backend_name, key, optimizer):
    model, x, y, loss = make_net(backend_name, key, seed=5, n=10)
    mine, make_theirs = engine_and_torch_optimizers(optimizer, 0.05)
    params = torch_params(model)
    theirs = make_theirs(params)
    model.compile(mine, loss)
    history = model.fit(x, y, epochs=3, batch_size=4)  # batches of 4, 4, 2: the mean gradient of each
    want = []
    for _ in range(3):
        for start in range(0, len(x), 4):
            theirs.zero_grad()
            xb, yb = x[start:start + 4], y[start:start + 4]
            (torch_loss_sum(model, params, xb, yb, loss) / len(xb)).backward()
            theirs.step()
        with torch.no_grad():
            want.append(torch_loss_sum(model, params, x, y, loss).item() / len(x))
    np.testing.assert_allclose(history, want, rtol=1e-10)
    for got, p in zip(model.get_weights(), params, strict=True):
        np.testing.assert_allclose(got, p.detach().numpy(), rtol=1e-10, atol=1e-12)


@needs_torch
def test_train_on_batch_matches_torch_step(backend_name):
    model, x, y, loss = make_net(backend_name, "tanh-square", seed=9)
    mine, make_theirs = engine_and_torch_optimizers("momentum", 0.1)
    params = torch_params(model)
    theirs = make_theirs(params)
    model.compile(mine, loss)
    for _ in range(5):
        model.train_on_batch(model.tensor(x), model.tensor(y, "y"))
        theirs.zero_grad()
        (torch_loss_sum(model, params, x, y, loss) / len(x)).backward()
        theirs.step()
    for got, p in zip(model.get_weights(), params, strict=True):
        np.testing.assert_allclose(got, p.detach().numpy(), rtol=1e-10, atol=1e-12)


# -- the playground's rule, point by point, as its nn.ts does it
_DERIVATIVES = {  # activation'(total input), given the neuron's total input and output
    "tanh": lambda total, out: 1 - out * out,
    "relu": lambda total, out: 0.0 if total <= 0 else 1.0,
    "sigmoid": lambda total, out: out * (1 - out),
    "linear": lambda total, out: 1.0,
}
_OUTPUTS = {"tanh": math.tanh, "relu": lambda t: max(0.0, t), "linear": lambda t: t,
            "sigmoid": lambda t: 1 / (1 + math.exp(-t))}


class PerPointPlayground:
    """nn.ts in plain lists: `w[l][j][i]` is the link from neuron i of layer l to neuron j of layer l + 1."""

    def __init__(self, weights, activations, lr, reg, rate):
        self.w = [np.asarray(kernel).T.tolist() for kernel in weights[::2]]  # Python floats from here on
        self.b = [np.asarray(bias).tolist() for bias in weights[1::2]]
        self.acts, self.lr, self.reg, self.rate = activations, lr, reg, rate
        self.dead = [[[False] * len(row) for row in layer] for layer in self.w]
        self.acc_w = [[[0.0] * len(row) for row in layer] for layer in self.w]
        self.n_w = [[[0] * len(row) for row in layer] for layer in self.w]
        self.acc_b = [[0.0] * len(bias) for bias in self.b]
        self.n_b = [[0] * len(bias) for bias in self.b]

    def forward(self, inputs):
        outputs, totals = [list(inputs)], []
        for layer, biases, act in zip(self.w, self.b, self.acts, strict=True):
            total = [bias + sum(wi * oi for wi, oi in zip(links, outputs[-1], strict=True))
                     for links, bias in zip(layer, biases, strict=True)]
            totals.append(total)
            outputs.append([_OUTPUTS[act](t) for t in total])
        return outputs, totals

    def back_prop(self, inputs, label):
        outputs, totals = self.forward(inputs)
        output_der = [outputs[-1][0] - label]  # the square error's derivative
        for li in range(len(self.w) - 1, -1, -1):
            der = _DERIVATIVES[self.acts[li]]
            input_der = [od * der(t, o) for od, t, o in zip(output_der, totals[li], outputs[li + 1], strict=True)]
            for j, d in enumerate(input_der):
                self.acc_b[li][j] += d
                self.n_b[li][j] += 1
                for i, source in enumerate(outputs[li]):
                    if not self.dead[li][j][i]:
                        self.acc_w[li][j][i] += d * source
                        self.n_w[li][j][i] += 1
            output_der = [sum(self.w[li][j][i] * input_der[j] for j in range(len(input_der)))
                          for i in range(len(outputs[li]))]

    def update(self):
        lr, rate = self.lr, self.rate
        for li, layer in enumerate(self.w):
            for j, links in enumerate(layer):
                if self.n_b[li][j] > 0:
                    self.b[li][j] -= lr * self.acc_b[li][j] / self.n_b[li][j]
                    self.acc_b[li][j], self.n_b[li][j] = 0.0, 0
                for i, weight in enumerate(links):
                    if self.dead[li][j][i] or self.n_w[li][j][i] == 0:
                        continue
                    regul_der = {"L1": (weight > 0) - (weight < 0), "L2": weight}.get(self.reg, 0.0)
                    weight = weight - (lr / self.n_w[li][j][i]) * self.acc_w[li][j][i]
                    new_weight = weight - (lr * rate) * regul_der
                    if self.reg == "L1" and weight * new_weight < 0:
                        links[i], self.dead[li][j][i] = 0.0, True
                    else:
                        links[i] = new_weight
                    self.acc_w[li][j][i], self.n_w[li][j][i] = 0.0, 0

    def train_epoch(self, points, batch_size):
        for i, (px, py, label) in enumerate(points):
            self.back_prop((px, py), label)
            if (i + 1) % batch_size == 0:
                self.update()

    def keras_weights(self):
        return [a for layer, bias in zip(self.w, self.b, strict=True) for a in (np.array(layer).T, np.array(bias))]


# (seed, regularization, rate, batch size): 20 points, so every batch size here leaves points over
RULE_CASES = [(0, "L1", 0.05, 3), (1, "L1", 0.02, 7), (2, "L2", 0.05, 6), (3, "L2", 0.3, 9), (4, "none", 0.0, 8)]


@pytest.mark.parametrize("seed, reg, rate, batch_size", RULE_CASES)
def test_playground_rule_matches_per_point_nn_ts(backend_name, seed, reg, rate, batch_size):
    rnd = random.Random(seed)
    sizes = [2] + [rnd.randint(1, 5) for _ in range(rnd.randint(1, 3))] + [1]
    acts = [rnd.choice(("relu", "tanh", "sigmoid", "linear")) for _ in sizes[2:]] + [rnd.choice(("tanh", "linear"))]
    model = Sequential([Dense(n, act, input_dim=n_in) for n, act, n_in in zip(sizes[1:], acts, sizes[:-1], strict=True)],
                       backend=backend_name).build(rand=rnd.random)
    points = [(rnd.uniform(-5, 5), rnd.uniform(-5, 5), rnd.choice((-1.0, 1.0))) for _ in range(20)]
    lr = rnd.uniform(0.05, 0.3)
    reference = PerPointPlayground(model.get_weights(), acts, lr, reg, rate)
    trainer = PlaygroundTrainer(model, lr, reg, rate, batch_size)
    x, y = np.array([p[:2] for p in points]), np.array([p[2] for p in points])
    for _ in range(6):
        reference.train_epoch(points, batch_size)
        trainer.train_epoch(x, y)
        for got, want in zip(model.get_weights(), reference.keras_weights(), strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    dead = [np.array(layer).T for layer in reference.dead]
    for got, want in zip(trainer.dead_links(), dead, strict=True):
        np.testing.assert_array_equal(got, want)
    assert any(d.any() for d in dead) == (reg == "L1"), "L1 cases must kill links, the others must not"


# -- the update kernel's edge cases, exact values on every backend (P = [W; b]: the bias is the last row)
def _host(be, t):
    return np.asarray(be.to_host(t), dtype=np.float64)


def _mask(be, mask, shape):
    return np.zeros(shape, bool) if mask is None else np.asarray(be.to_host(mask), dtype=bool)


@pytest.fixture
def be(backend_name):
    return engine.get_backend(backend_name, "float64")


def _update_one(be, p, acc, step, decay, reg, dead):
    """playground_update on a one-layer network."""
    (new,), (dead,) = be.playground_update([p], [acc], step, decay, reg, [dead])
    return new, dead


def test_l1_crossing_zero_kills_the_link_forever(be):
    p = be.from_host([[0.01, -0.5, 0.0], [0.02, 0.02, 0.02]])  # W (one input), then the bias row
    # decay lr·rate = 0.05 pulls 0.01 across zero: set to 0 and dead; −0.5 just shrinks; 0 stays 0 (sign 0);
    # the biases are never regularized
    p, dead = _update_one(be, p, be.zeros(2, 3), 0.1, 0.05, "L1", None)
    np.testing.assert_allclose(_host(be, p), [[0.0, -0.45, 0.0], [0.02, 0.02, 0.02]], atol=1e-15)
    assert _mask(be, dead, (1, 3)).tolist() == [[True, False, False]]
    dead = be.mask_from_host(np.asarray(be.to_host(dead), dtype=bool))  # round trip, as a backend switch does
    push = be.from_host([[-10.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    for _ in range(3):
        p, dead = _update_one(be, p, push, 0.1, 0.05, "L1", dead)
        assert _host(be, p)[0, 0] == 0.0 and _mask(be, dead, (1, 3))[0, 0]
    p, dead = _update_one(be, p, push, 0.1, 0.0, "none", dead)
    assert _host(be, p)[0, 0] == 0.0  # even once regularization is switched off


def test_bias_row_is_never_dead_nor_regularized(be):
    p = be.from_host([[0.3], [0.01]])
    p, dead = _update_one(be, p, be.from_host([[0.0], [2.0]]), 0.1, 0.05, "L1", None)  # bias 0.01 − 0.2 crosses 0
    np.testing.assert_allclose(_host(be, p), [[0.25], [0.01 - 0.2]], rtol=1e-15)
    assert not _mask(be, dead, (1, 1)).any()
    p, _ = _update_one(be, p, be.zeros(2, 1), 0.1, 0.05, "L2", be.mask_from_host([[True]]))
    np.testing.assert_allclose(_host(be, p), [[0.0], [0.01 - 0.2]], rtol=1e-15)  # a dead weight; the bias stays


def test_l2_shrinks_by_lr_times_rate_times_weight(be):
    p, acc = np.array([[0.4, -0.2], [0.1, 0.1]]), np.array([[1.0, 3.0], [2.0, -1.0]])
    new, dead = _update_one(be, be.from_host(p), be.from_host(acc), 0.1 / 4, 0.1 * 0.3, "L2", None)
    want = p - 0.1 / 4 * acc
    want[:-1] -= 0.1 * 0.3 * p[:-1]
    np.testing.assert_allclose(_host(be, new), want, rtol=1e-15)
    assert dead is None
