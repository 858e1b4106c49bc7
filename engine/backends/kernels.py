"""The kernel set every backend implements, with the same names and meanings (the contract).

Tensors are always 2-D (rows = examples); a bias is a 1×n row. Kernels never mutate their inputs
(the numpy backend may reuse buffers it allocated itself), so one model runs unchanged on any backend.

Data movement
  from_host(array2d, ) -> T          host array (numpy or nested lists) to a backend tensor, in the backend's dtype
  to_host(t)                          something `numpy.asarray` turns into the values (nested lists for `cpu`)
  shape(t) -> (rows, cols)
  zeros(rows, cols) -> T
  slice_rows(t, start, stop) -> T
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
  dense_forward(x, w, b, act) -> (z, a)
  dense_backward(da, x, w, z, a, act, need_dx) -> (dx | None, dw, db)
  loss_sum(kind, y_pred, y_true) -> float     sum over examples; kinds in LOSSES
  loss_grad(kind, y_pred, y_true) -> T        per example; for cross-entropy, w.r.t. the output's pre-activation
Updates
  playground_update(w, acc, n, lr, reg, rate, dead) -> (w, dead)   the playground's per-link rule
  sgd_update(p, g, lr) -> p
  momentum_update(p, g, v, lr, momentum) -> (p, v)
  adam_update(p, g, m, v, lr, beta1, beta2, eps, t) -> (p, m, v)
"""

KERNELS = (
    "from_host", "to_host", "mask_from_host", "shape", "zeros", "slice_rows",
    "add", "sub", "mul", "scale", "matmul", "transpose",
    "activation", "activation_grad", "sum_rows", "sum_all", "sign",
    "dense_forward", "dense_backward", "loss_sum", "loss_grad",
    "playground_update", "sgd_update", "momentum_update", "adam_update",
)

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear", "softmax")
# square: 0.5·(o − t)² (the playground's); binary_crossentropy pairs with a sigmoid output,
# categorical_crossentropy with softmax; their gradients are taken w.r.t. the pre-activation.
LOSSES = ("square", "binary_crossentropy", "categorical_crossentropy")
REGULARIZATIONS = ("none", "L1", "L2")
