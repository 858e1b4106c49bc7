"""The kernel set every backend implements, with the same names and meanings (the contract).

Tensors are always 2-D (rows = examples). Kernels never mutate their inputs, so one model runs unchanged
on any backend.

A dense layer's parameters are one tensor P = [W; b] of shape (inputs + 1) × units: the kernel W with the
bias b as its last row. Layer inputs carry a trailing column of ones, so x·W + b is the single product
[x, 1]·P, its gradient is one product [x, 1]ᵀ·dz, and an update is one pass over P (at playground size,
where a step is mostly per-call overhead, that halves the calls per layer).

Data movement
  from_host(array2d) -> T            host array (numpy or nested lists) to a backend tensor, in the backend's dtype
  to_host(t)                          something `numpy.asarray` turns into the values (nested lists for `cpu`)
  shape(t) -> (rows, cols)
  zeros(rows, cols) -> T
  slice_rows(t, start, stop) -> T
  append_ones(t) -> T                 t with a trailing column of ones (a network input, ready for [x, 1]·P)
  mask_from_host(bool_array2d) -> M   a boolean mask (the dead links of `playground_update`)
Elementwise and linear algebra
  add(a, b), sub(a, b), mul(a, b)     b may be a 1×n row (broadcast over rows)
  scale(a, s)                         a·s for a Python float s
  matmul(a, b), transpose(a)
  activation(name, z)                 relu | tanh | sigmoid | linear | softmax (row-wise)
  activation_grad(name, z, a)         d a / d z elementwise given z and a = activation(z) (not softmax)
  sum_rows(a) -> 1×n                  column sums
  sum_all(a) -> float
  sign(a)                             −1, 0 or +1 elementwise (the L1 derivative)
Fused (what the layers call: fewer calls is the only lever at playground size)
  dense_forward(x1, p, act, ones) -> (z, a, a1)
                                      x1 = [x, 1]; z = x1·P; a = act(z); a1 = [a, 1] (the next layer's x1)
                                      when `ones`, else None (a may be a view of a1: read it, never write)
  dense_backward(da, x1, p, z, a, act, need_dx) -> (dx | None, dp)
                                      da = ∂E/∂a, z and a as dense_forward gave them; dz = da·act'(z),
                                      dp = x1ᵀ·dz (its last row the bias gradient), dx = dz·Wᵀ (no ones column)
  network_gradients(x1, y, params, acts, loss, scale, work) -> [dp, ...]
                                      scale × the gradients of loss_sum w.r.t. every layer's P (the model in one
                                      call: layered_gradients below is its definition); `work` is a dict the
                                      caller owns (one per model) where a backend may keep scratch buffers
  loss_sum(kind, y_pred, y_true) -> float     sum over examples; kinds in LOSSES
  loss_grad(kind, y_pred, y_true) -> T        per example; for cross-entropy, w.r.t. the output's pre-activation
Updates
  playground_update(params, sums, step, decay, reg, dead) -> (params, dead)
                                      the playground's per-link rule on every layer's P at once: p − step·sum
                                      (step = lr/n, or 1 for sums already scaled), then each weight (never the
                                      bias row) minus decay·R'(w) with R' at the weight before the update; under
                                      L1 a weight whose step crosses zero is 0 and dead from then on. `dead`: per
                                      layer None or an inputs × units mask
  sgd_update(p, g, lr) -> p
  momentum_update(p, g, v, lr, momentum) -> (p, v)
  adam_update(p, g, m, v, lr, beta1, beta2, eps, t) -> (p, m, v)
"""

KERNELS = (
    "from_host", "to_host", "mask_from_host", "shape", "zeros", "slice_rows", "append_ones",
    "add", "sub", "mul", "scale", "matmul", "transpose",
    "activation", "activation_grad", "sum_rows", "sum_all", "sign",
    "dense_forward", "dense_backward", "network_gradients", "loss_sum", "loss_grad",
    "playground_update", "sgd_update", "momentum_update", "adam_update",
)

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear", "softmax")
# square: 0.5·(o − t)² (the playground's); binary_crossentropy pairs with a sigmoid output,
# categorical_crossentropy with softmax; their gradients are taken w.r.t. the pre-activation.
LOSSES = ("square", "binary_crossentropy", "categorical_crossentropy")
REGULARIZATIONS = ("none", "L1", "L2")


def layered_gradients(be, x1, y, params, acts, loss, scale):
    """`network_gradients` as a composition of the layer kernels: forward through every layer, the loss
    gradient (times `scale`), then back. Cross-entropy's gradient is already w.r.t. the output's z."""
    last = len(params) - 1
    caches = []
    for i, (p, act) in enumerate(zip(params, acts, strict=True)):
        z, a, next_x1 = be.dense_forward(x1, p, act, i < last)
        caches.append((x1, z, a))
        x1 = next_x1
    da = be.loss_grad(loss, a, y)
    if scale != 1.0:
        da = be.scale(da, scale)
    grads = [None] * len(params)
    for i in range(last, -1, -1):
        x1, z, a = caches[i]
        act = "linear" if (i == last and loss != "square") else acts[i]
        da, grads[i] = be.dense_backward(da, x1, params[i], z, a, act, i > 0)
    return grads
