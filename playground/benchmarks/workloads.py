"""W1, W2 and W3 on one engine backend, each returning a `Timing` and a note for its row.

W1  one epoch of `PlaygroundTrainer.train_epoch` (the playground network, float64); unit: one epoch.
W2  `train_on_batch` over pre-uploaded batches of a large MLP (float32 where the backend has it); unit: all batches.
W3  `model.layer_outputs` over the decision-boundary grid (every neuron's output, float32 where supported).
"""

from __future__ import annotations

from engine import SGD, PlaygroundTrainer, Sequential
from engine.backends import get_backend

from .config import BenchConfig
from .data import boundary_grid, mlp_layers, playground_layers, w1_inputs, w2_inputs
from .timing import Sync, Timing, sampled

WORKLOADS = {
    "W1": "playground epoch",
    "W2": "large-MLP epoch",
    "W3": "boundary-grid pass",
}


def backend_sync(backend) -> Sync:
    """What waits for a device's queued work before the clock stops (None on the host)."""
    sync = getattr(backend, "synchronize", None)
    if callable(sync):
        return sync
    device = str(getattr(backend, "device", "")).split(" ")[0]  # the gpu backend's: "cuda:1 (name)", "mps (...)"
    if device.startswith("cuda"):
        import torch

        return lambda: torch.cuda.synchronize(device)
    if device == "mps":
        import torch

        return torch.mps.synchronize
    return None


def pick_dtype(name: str, preferred: str) -> tuple[str, str]:
    """(dtype, note): `preferred` where backend `name` computes in it, else the other one (cpu has no float32,
    Apple's MPS no float64)."""
    other = "float64" if preferred == "float32" else "float32"
    try:
        get_backend(name, preferred)
    except ValueError:
        return other, f"{other} ({name} has no {preferred})"
    return preferred, preferred


def sample_note(timing: Timing, unit: str) -> str:
    if not timing.scaled:
        return ""
    return f"timed {timing.sample} of {timing.total} {unit}, scaled ×{timing.total / timing.sample:.4g}"


def join_notes(*notes: str) -> str:
    return "; ".join(note for note in notes if note)


def w1_trainer(name: str, cfg: BenchConfig, hidden: tuple[int, ...], batches: int, dtype: str = "float64"):
    """(trainer, x, y): the playground network on backend `name` and the first `batches` batches of points."""
    x, y, weights = w1_inputs(cfg.w1_points, cfg.seed, hidden)
    model = Sequential(playground_layers(hidden), backend=name, dtype=dtype).set_weights(weights)
    trainer = PlaygroundTrainer(model, cfg.learning_rate, batch_size=cfg.w1_batch)
    stop = batches * cfg.w1_batch
    return trainer, x[:stop], y[:stop]


def time_w1(name: str, cfg: BenchConfig, hidden: tuple[int, ...] | None = None) -> tuple[Timing, str]:
    hidden = tuple(hidden or cfg.w1_hidden)
    dtype, note = pick_dtype(name, "float64")

    def make(k):
        trainer, x, y = w1_trainer(name, cfg, hidden, k, dtype)
        return lambda: trainer.train_epoch(x, y)

    timing = sampled(make, cfg.w1_batches, cfg.repeats, cfg.budget_s, backend_sync(get_backend(name, dtype)))
    return timing, join_notes(note, sample_note(timing, f"batches of {cfg.w1_batch}"))


def time_w2(name: str, cfg: BenchConfig) -> tuple[Timing, str]:
    """Sampled by whole batches (at least one): a batch's cost is not linear in its rows (the update is per
    batch), so a slow engine is timed on one full batch and scaled by the batch count."""
    dtype, note = pick_dtype(name, "float32")
    x, y, weights = w2_inputs(tuple(cfg.w2_sizes), cfg.w2_batch * cfg.w2_batches, cfg.seed)
    model = Sequential(mlp_layers(cfg.w2_sizes), backend=name, dtype=dtype).set_weights(weights)
    model.compile(SGD(cfg.w2_learning_rate), "categorical_crossentropy")
    b = cfg.w2_batch
    batches = []  # uploaded before they are timed, only as many as a sample needs (the cpu engine's are big)

    def make(k):
        while len(batches) < k:
            i = len(batches)
            batches.append((model.tensor(x[i * b:(i + 1) * b]), model.tensor(y[i * b:(i + 1) * b])))
        chunk = batches[:k]

        def train():
            for xb, yb in chunk:
                model.train_on_batch(xb, yb)
        return train

    timing = sampled(make, cfg.w2_batches, cfg.repeats, cfg.budget_s, backend_sync(model.backend))
    return timing, join_notes(note, sample_note(timing, f"batches of {b}"))


def time_w3(name: str, cfg: BenchConfig) -> tuple[Timing, str]:
    dtype, note = pick_dtype(name, "float32")
    _, _, weights = w1_inputs(cfg.w1_points, cfg.seed, tuple(cfg.w1_hidden))
    model = Sequential(playground_layers(cfg.w1_hidden), backend=name, dtype=dtype).set_weights(weights)
    grid = boundary_grid(cfg.grid)
    timing = sampled(lambda k: lambda: model.layer_outputs(grid), 1, cfg.repeats, cfg.budget_s,
                     backend_sync(model.backend))
    return timing, note


ENGINE_WORKLOADS = {"W1": time_w1, "W2": time_w2, "W3": time_w3}

