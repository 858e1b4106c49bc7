"""Run every workload on every engine backend and peer, then fill in the speed-ups over `cpu`."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata

import numpy as np

import engine

from . import crossover as crossover_sweep
from .config import BenchConfig
from .peers import PEER_WORKLOADS, missing, time_peer
from .timing import Timing, single_thread
from .workloads import ENGINE_WORKLOADS

Progress = Callable[[str], None] | None


@dataclass
class Row:
    workload: str
    engine: str
    seconds: float | None  # per unit of work; None when not timed (see note)
    speedup_vs_cpu: float | None = None
    note: str = ""

    def as_dict(self) -> dict:
        out = {"workload": self.workload, "engine": self.engine, "seconds": self.seconds,
               "speedup_vs_cpu": self.speedup_vs_cpu}
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class BenchResult:
    config: BenchConfig
    rows: list[Row]
    backends: list[dict]  # engine.list_backends(), as dicts
    environment: dict
    crossover: dict | None = None  # crossover.sweep's result, when measured
    engines: list[str] = field(init=False)  # row names in table order

    def __post_init__(self):
        self.engines = list(dict.fromkeys(row.engine for row in self.rows))

    def seconds(self, workload: str, engine_name: str) -> float | None:
        for row in self.rows:
            if row.workload == workload and row.engine == engine_name:
                return row.seconds
        return None


def _timed(workload: str, name: str, measure: Callable[[], tuple[Timing, str]], skip: str, progress: Progress) -> Row:
    if skip:
        return Row(workload, name, None, note=skip)
    try:
        timing, note = measure()
    except Exception as exc:  # one broken engine must not hide the others' figures
        row = Row(workload, name, None, note=f"failed: {type(exc).__name__}: {exc}")
    else:
        row = Row(workload, name, timing.seconds, note=note)
    if progress:
        shown = "failed" if row.seconds is None else f"{row.seconds * 1e3:.3f} ms"
        progress(f"{workload} {name}: {shown}")
    return row


def fill_speedups(rows: list[Row]) -> None:
    """speedup_vs_cpu = the cpu row's seconds / this row's, per workload (None where either is missing)."""
    cpu = {row.workload: row.seconds for row in rows if row.engine == "cpu"}
    for row in rows:
        base = cpu.get(row.workload)
        row.speedup_vs_cpu = base / row.seconds if base and row.seconds else None


def environment(threads: str) -> dict:
    versions = {"python": platform.python_version(), "numpy": np.__version__}
    for module, dist in (("torch", "torch"), ("sklearn", "scikit-learn"), ("micrograd", "micrograd")):
        if module in sys.modules:
            try:
                versions[module] = metadata.version(dist)
            except metadata.PackageNotFoundError:
                versions[module] = "?"
    return {"machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores", "threads": threads,
            "versions": versions}


def run(cfg: BenchConfig, crossover: bool = False, progress: Progress = None) -> BenchResult:
    """Every engine backend on W1–W3, every peer on its workloads, and (optionally) the width sweep."""
    rows = []
    with single_thread() as threads:
        infos = engine.list_backends()
        for info in infos:
            skip = "" if info.available else f"not available: {info.reason}"
            for workload, measure in ENGINE_WORKLOADS.items():
                rows.append(_timed(workload, info.name, lambda m=measure, n=info.name: m(n, cfg), skip, progress))
        for peer, workloads in PEER_WORKLOADS.items():
            for workload in workloads:
                rows.append(_timed(workload, peer, lambda p=peer, w=workload: time_peer(p, w, cfg),
                                   missing(peer), progress))
        sweep = None
        if crossover:
            sweep = crossover_sweep.sweep(cfg, [info.name for info in infos if info.available], progress)
        env = environment(threads)
    fill_speedups(rows)
    return BenchResult(cfg, rows, [info.as_dict() for info in infos], env, sweep)
