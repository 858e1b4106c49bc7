"""`playground bench`: the engine's comparison table, one idea per module.

- `config`: what to measure and how long (`FULL`, `QUICK`).
- `timing`: warm-up + best of repeats, sampled-and-scaled timing for slow engines, thread pinning.
- `data`: the benchmark inputs (circle-like points, random MNIST-sized data, the boundary grid).
- `workloads`: W1/W2/W3 on each engine backend.
- `peers`: the same work outside the engine (numpy floor, PyTorch, scikit-learn, micrograd).
- `crossover`: time per playground epoch against network width, per backend, and its Bokeh plot.
- `targets`: the issue's performance targets, read from the table.
- `report`: JSON and markdown forms.
- `runner`: runs all of it and fills in the speed-ups.
"""

from .config import FULL, QUICK, BenchConfig
from .runner import BenchResult, Row, run

__all__ = ["FULL", "QUICK", "BenchConfig", "BenchResult", "Row", "run"]
