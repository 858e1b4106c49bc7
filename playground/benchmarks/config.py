"""What `playground bench` measures and how long it may spend: the full run, `--quick`, or a test's tiny one."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class BenchConfig:
    # timing: a warm-up run, then the best of up to `repeats` runs, fewer when a run is slow
    repeats: int = 9
    budget_s: float = 2.0  # seconds one measurement should take; slow engines time a sample and scale it
    seed: int = 0
    # W1: the playground network trained as the playground does
    w1_points: int = 500
    w1_batch: int = 10
    w1_hidden: tuple[int, ...] = (8, 8)
    learning_rate: float = 0.03
    # W2: a large MLP, softmax + categorical cross-entropy, plain SGD
    w2_sizes: tuple[int, ...] = (784, 256, 256, 10)
    w2_batch: int = 128
    w2_batches: int = 60
    w2_learning_rate: float = 0.01
    # W3: the decision-boundary grid (grid × grid points) through the W1 network
    grid: int = 100
    # the crossover plot: W1 epochs with two hidden layers of each width
    widths: tuple[int, ...] = (4, 8, 16, 32, 64, 128, 256)

    def __post_init__(self):
        if self.repeats < 1 or self.budget_s <= 0:
            raise ValueError("repeats must be >= 1 and budget_s > 0")
        if self.w1_batch < 1 or self.w1_points < self.w1_batch or self.w1_points % self.w1_batch:
            raise ValueError("w1_points must be a positive multiple of w1_batch")
        if self.w2_batch < 1 or self.w2_batches < 1 or self.grid < 2 or len(self.w2_sizes) < 2:
            raise ValueError("W2 needs at least one batch and W3 a 2×2 grid")

    @property
    def w1_batches(self) -> int:
        """Whole batches in one W1 epoch (the unit the slow engines are sampled in)."""
        return self.w1_points // self.w1_batch

    def as_dict(self) -> dict:
        return asdict(self)


FULL = BenchConfig()
QUICK = BenchConfig(repeats=3, budget_s=0.4, widths=(4, 16, 64, 256))
