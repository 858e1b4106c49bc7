"""The issue's performance targets, read from the table (None where a figure is missing)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    text: str
    workload: str
    engine: str
    kind: str  # "at_most" (engine ≤ bound × other), "faster_by" (other ≥ bound × engine), "under" (engine < bound s)
    bound: float
    other: str = ""

    def check(self, seconds) -> dict:
        """`seconds(workload, engine)` -> float | None; returns {"target", "value", "unit", "met"}:
        value is a ratio ("x") for comparisons, seconds ("s") for an absolute bound."""
        mine = seconds(self.workload, self.engine)
        theirs = seconds(self.workload, self.other) if self.other else None
        if mine is None or (self.other and theirs is None):
            value = met = None
        elif self.kind == "at_most":
            value = mine / theirs
            met = value <= self.bound
        elif self.kind == "faster_by":
            value = theirs / mine
            met = value >= self.bound
        else:
            value = mine
            met = value < self.bound
        return {"target": self.text, "value": value, "unit": "s" if self.kind == "under" else "x", "met": met}


TARGETS = (
    Target("numpy W1 at most 1.3× numpy-floor", "W1", "numpy", "at_most", 1.3, "numpy-floor"),
    Target("numpy W1 at least 4× faster than torch-cpu", "W1", "numpy", "faster_by", 4.0, "torch-cpu"),
    Target("numpy W1 at least 2× faster than sklearn", "W1", "numpy", "faster_by", 2.0, "sklearn"),
    Target("cpu W1 at least 20× faster than micrograd", "W1", "cpu", "faster_by", 20.0, "micrograd"),
    Target("numpy W2 within 1.5× of torch-cpu (float32)", "W2", "numpy", "at_most", 1.5, "torch-cpu"),
    Target("numpy W3 under 2 ms", "W3", "numpy", "under", 0.002),
)


def evaluate(seconds) -> list[dict]:
    return [target.check(seconds) for target in TARGETS]
