"""Timing: a warm-up run, then the best of repeats (`time.perf_counter`); slow work is sampled and scaled.

The best (minimum) run, not the median: the machine is often shared, and interference from other processes
only ever adds time, so the fastest run is the steadiest estimate of the work itself (as `timeit` advises).

Work too slow to run whole within the budget (the pure-Python engine on the large MLP, micrograd) is timed on
the first k of its `total` equal units (batches) and multiplied by total/k; the row says so.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

Job = Callable[[], object]
Sync = Callable[[], object] | None


@dataclass(frozen=True)
class Timing:
    seconds: float  # for the whole unit of work (scaled when sampled)
    runs: int  # timed runs the best is taken over
    sample: int = 1  # units of work each run did
    total: int = 1  # units in the whole

    @property
    def scaled(self) -> bool:
        return self.sample < self.total


def once(job: Job, sync: Sync = None) -> float:
    """Seconds for one call; `sync` (a GPU synchronise) runs before the clock stops."""
    start = time.perf_counter()
    job()
    if sync is not None:
        sync()
    return time.perf_counter() - start


def measure(job: Job, repeats: int, budget_s: float, sync: Sync = None, warm: float | None = None) -> tuple[float, int]:
    """(best seconds, runs): a warm-up call (or its time `warm` if already made), then up to `repeats` calls.

    A call slower than half the budget is not repeated: its warm-up time is the figure.
    """
    if warm is None:
        warm = once(job, sync)
    if warm >= budget_s / 2:
        return warm, 1
    runs = max(1, min(repeats, int(budget_s / max(warm, 1e-9)) - 1))
    return min(once(job, sync) for _ in range(runs)), runs


def sampled(make: Callable[[int], Job], total: int, repeats: int, budget_s: float, sync: Sync = None) -> Timing:
    """Time `make(k)` — a job doing the first k of `total` equal units — for the largest k that fits a third
    of the budget per call (all `total` when they fit), and scale its best run to the whole."""
    probe = make(1)
    first = once(probe, sync)
    k = min(total, max(1, int(budget_s / 3 / max(first, 1e-9))))
    if k == 1:
        seconds, runs = measure(probe, repeats, budget_s, sync, warm=first)
    else:
        seconds, runs = measure(make(k), repeats, budget_s, sync)
    return Timing(seconds * total / k, runs, k, total)


@contextmanager
def single_thread() -> Iterator[str]:
    """Pin BLAS/OpenMP and torch to one thread for the duration (every figure is single-threaded, for
    fairness between engines); yields a description of what was pinned."""
    done = []
    with ExitStack() as stack:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            if "numpy" in sys.modules:
                done.append("BLAS threads NOT pinned (install threadpoolctl or set OPENBLAS_NUM_THREADS=1)")
            else:
                for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
                    os.environ.setdefault(var, "1")
                done.append("BLAS: 1 thread (environment)")
        else:
            stack.enter_context(threadpool_limits(limits=1))
            done.append("BLAS/OpenMP: 1 thread")
        if importlib.util.find_spec("torch") is not None:
            import torch

            before = torch.get_num_threads()
            torch.set_num_threads(1)
            stack.callback(torch.set_num_threads, before)
            done.append("torch: 1 thread")
        yield "; ".join(done)
