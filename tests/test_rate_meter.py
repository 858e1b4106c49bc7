"""The epochs/s and frames/s read-outs: counts over the last second."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from playground.live import rate_meter
from playground.live.rate_meter import RateMeter


@pytest.fixture
def clock(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(rate_meter, "time", SimpleNamespace(monotonic=lambda: now[0]))
    return now


def test_the_rate_counts_what_came_after_the_first_event_of_the_window(clock):
    meter = RateMeter()
    assert meter.rate() == 0.0
    meter.add()
    assert meter.rate() == 0.0  # one event is no rate yet
    for _ in range(4):
        clock[0] += 0.25
        meter.add()
    assert meter.rate() == 4.0  # five events over 1.0 s: four after the window's first
    clock[0] += 0.5
    meter.add(3)  # the window moves on: the two events older than a second leave it, with their counts
    assert meter.rate() == (1 + 1 + 3) / 1.0


def test_clearing_starts_the_count_again(clock):
    meter = RateMeter()
    for _ in range(5):
        clock[0] += 0.25
        meter.add()
    meter.clear()
    clock[0] += 0.25
    meter.add()
    clock[0] += 0.25
    meter.add()
    assert meter.rate() == 1 / 0.25
