"""The loss chart's y axis: the highest finite loss charted (×1.05), kept without rescanning every point."""

from __future__ import annotations

import math

from playground.domain.experiment import Experiment
from playground.domain.state import ExperimentState
from playground.live import frames
from playground.live.frames import FrameBuilder


def brute_force_ymax(chart) -> float:
    finite = [v for _, a, b in chart for v in (a, b) if math.isfinite(v)]
    return max(max(finite, default=0.0) * 1.05, 1e-3)


def test_the_charts_top_is_the_highest_loss_shown_through_appends_thinning_and_edits(monkeypatch):
    monkeypatch.setattr(frames, "CHART_MAX_POINTS", 40)  # thinning within a short run
    experiment = Experiment(ExperimentState(learning_rate=0.3))
    builder = FrameBuilder()
    chart: list = []
    for step in range(120):
        experiment.step()
        frame = builder.build(experiment)
        chart = list(frame.chart_replace) if frame.chart_replace is not None else chart + frame.chart_append
        assert frame.chart_ymax == brute_force_ymax(chart), step
        if step == 60:  # a weight edit: the last point's losses change, the chart is sent whole
            experiment.history[-1] = {**experiment.history[-1], "train_loss": 9.0}
            frame = builder.build(experiment)
            assert frame.chart_replace is not None and frame.chart_ymax == 9.0 * 1.05
            chart = list(frame.chart_replace)
    assert len(chart) < 40
    experiment.reset()
    frame = builder.build(experiment)
    assert frame.chart_replace is not None and frame.chart_ymax == brute_force_ymax(frame.chart_replace)
