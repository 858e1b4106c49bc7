"""`playground bench` on a tiny configuration: the report's shape and arithmetic, never its timings."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import engine
from playground import cli
from playground.benchmarks import (
    BenchConfig,
    Row,
    config,
    crossover,
    peers,
    report,
    run,
    targets,
    timing,
    workloads,
)
from playground.benchmarks.runner import fill_speedups

TINY = BenchConfig(repeats=1, budget_s=0.01, w1_points=30, w1_batch=10, w2_sizes=(12, 6, 6, 3), w2_batch=8,
                   w2_batches=2, grid=6, widths=(2, 3))
PEERS = {"numpy-floor": {"W1"}, "torch-cpu": {"W1", "W2"}, "sklearn": {"W1"}, "micrograd": {"W1"}}
ROW_KEYS = {"workload", "engine", "seconds", "speedup_vs_cpu"}


@pytest.fixture(scope="module")
def result():
    return run(TINY, crossover=True)


def test_json_has_a_row_for_every_backend_and_peer(result):
    data = json.loads(json.dumps(report.to_json(result)))
    assert data["config"]["w1_points"] == 30
    rows = data["rows"]
    for row in rows:
        assert ROW_KEYS <= set(row) <= ROW_KEYS | {"note"}
    expected = {(w, name) for name in engine.backend_names() for w in ("W1", "W2", "W3")}
    expected |= {(w, peer) for peer, ws in PEERS.items() for w in ws}
    assert {(row["workload"], row["engine"]) for row in rows} == expected
    assert len(rows) == len(expected)


def test_every_runnable_row_is_timed_and_the_others_say_why(result):
    for row in result.rows:
        if row.engine in PEERS:
            runnable, reason = not peers.missing(row.engine), peers.missing(row.engine)
        else:
            info = engine.backend_info(row.engine)
            runnable, reason = info.available, info.reason
        if runnable:
            assert isinstance(row.seconds, float) and row.seconds > 0, row
            assert not row.note.startswith("failed"), row
        else:
            assert row.seconds is None and reason in row.note, row


def test_speedups_are_cpu_seconds_over_row_seconds(result):
    cpu = {row.workload: row.seconds for row in result.rows if row.engine == "cpu"}
    assert set(cpu) == {"W1", "W2", "W3"} and all(cpu.values())
    checked = 0
    for row in result.rows:
        if row.seconds is None:
            assert row.speedup_vs_cpu is None
            continue
        assert math.isclose(row.speedup_vs_cpu, cpu[row.workload] / row.seconds, rel_tol=1e-12), row
        checked += 1
    assert checked >= 8  # cpu and numpy on three workloads and the always-installed numpy floor at least


def test_speedup_is_null_without_a_cpu_row():
    rows = [Row("W1", "numpy", 0.5), Row("W1", "cpu", 2.0), Row("W2", "numpy", 0.25), Row("W2", "cpu", None)]
    fill_speedups(rows)
    assert [row.speedup_vs_cpu for row in rows] == [4.0, 1.0, None, None]


def test_markdown_has_the_table_targets_crossover_and_the_plot(result, tmp_path):
    plot = crossover.save_plot(result.crossover, tmp_path, "test")
    text = report.to_markdown(result, plot)
    assert "| engine | W1 playground epoch | W1 × cpu | W2 large-MLP epoch" in text
    lines = text.splitlines()
    for name in result.engines:
        assert any(line.startswith(f"| {name} |") for line in lines), name
    assert "## Targets" in text and "numpy W1 at most 1.3× numpy-floor" in text
    for width in TINY.widths:
        assert any(line.startswith(f"| {width} |") for line in lines)
    assert f"Plot: `{plot}`" in text
    html = plot.read_text(encoding="utf-8")
    assert plot.name == crossover.PLOT_FILE and "<html" in html
    assert "cdn.bokeh.org" not in html and "Bokeh" in html  # resources inline: opens without a network
    assert set(result.crossover["seconds"]) == set(engine.available_backends())
    for name, values in result.crossover["seconds"].items():
        assert len(values) == len(TINY.widths) and all(v and v > 0 for v in values), name


def test_peers_do_the_same_math_as_the_engine():
    batches = TINY.w1_batches
    trainer, x, y = workloads.w1_trainer("numpy", TINY, TINY.w1_hidden, batches)
    trainer.train_epoch(x, y)
    expected = trainer.model.get_weights()
    classes = [peers.FloorW1]
    if not peers.missing("torch-cpu"):
        classes.append(peers.TorchW1)
    if not peers.missing("micrograd"):
        classes.append(peers.MicrogradW1)
    for cls in classes:
        peer = cls(TINY, batches)
        peer.epoch()
        for got, want in zip(peer.weights(), expected, strict=True):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12, err_msg=cls.__name__)


def test_torch_w2_matches_the_engine_in_float32():
    if peers.missing("torch-cpu"):
        pytest.skip("torch is not installed")
    from engine import SGD, Sequential
    from playground.benchmarks.data import mlp_layers, w2_inputs

    x, y, weights = w2_inputs(TINY.w2_sizes, TINY.w2_batch * TINY.w2_batches, TINY.seed)
    model = Sequential(mlp_layers(TINY.w2_sizes), dtype="float32").set_weights(weights)
    model.compile(SGD(TINY.w2_learning_rate), "categorical_crossentropy")
    model.fit(x, y, epochs=1, batch_size=TINY.w2_batch)
    peer = peers.TorchW2(TINY, TINY.w2_batches)
    peer.epoch()
    for got, want in zip(peer.weights(), model.get_weights(), strict=True):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-5)


def test_backend_sync_waits_for_devices_only():
    class Device:
        device = "cuda:1 (some GPU)"

        def synchronize(self):
            pass

    own = Device()
    assert workloads.backend_sync(own) == own.synchronize
    assert workloads.backend_sync(engine.get_backend("numpy")) is None


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_sampled_times_a_sample_and_scales_it(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(timing.time, "perf_counter", clock)
    made = []

    def make(k):  # a job of k units, each taking 0.125 s on the fake clock (exact in binary)
        made.append(k)

        def job():
            clock.now += 0.125 * k
        return job

    got = timing.sampled(make, total=50, repeats=3, budget_s=1.5)
    # probe 1 unit -> 4 units fit a third of the budget -> 2 runs of 0.5 s fit the budget -> ×50/4
    assert made == [1, 4]
    assert got == timing.Timing(seconds=6.25, runs=2, sample=4, total=50) and got.scaled
    whole = timing.sampled(make, total=3, repeats=3, budget_s=1.5)
    assert whole == timing.Timing(seconds=0.375, runs=3, sample=3, total=3) and not whole.scaled


def test_targets_read_ratios_and_absolute_times():
    figures = {("W1", "numpy"): 1.2, ("W1", "numpy-floor"): 1.0, ("W1", "torch-cpu"): 6.0, ("W1", "sklearn"): 2.0,
               ("W1", "cpu"): 10.0, ("W1", "micrograd"): 150.0, ("W2", "numpy"): 2.0, ("W2", "torch-cpu"): 1.0,
               ("W3", "numpy"): 0.001}
    checks = {c["target"]: c for c in targets.evaluate(lambda w, e: figures.get((w, e)))}
    assert [c["met"] for c in checks.values()] == [True, True, False, False, False, True]
    assert checks["numpy W1 at least 4× faster than torch-cpu"]["value"] == pytest.approx(5.0)
    assert checks["numpy W3 under 2 ms"]["unit"] == "s"
    del figures[("W1", "numpy-floor")]
    first = targets.evaluate(lambda w, e: figures.get((w, e)))[0]
    assert first["value"] is None and first["met"] is None


@pytest.fixture
def tiny_quick(monkeypatch):
    monkeypatch.setattr(config, "QUICK", TINY)


def test_cli_json(tiny_quick, tmp_path, capsys):
    assert cli.main(["bench", "--quick", "--format", "json", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert {row["engine"] for row in data["rows"]} >= {"cpu", "numpy", *PEERS}
    assert "crossover" not in data  # the width sweep belongs to the markdown form
    assert json.loads((tmp_path / "bench.json").read_text()) == data


def test_cli_markdown_writes_the_table_and_plot(tiny_quick, tmp_path, capsys):
    out_dir = tmp_path / "new" / "dir"
    assert cli.main(["bench", "--quick", "--out", str(out_dir)]) == 0
    captured = capsys.readouterr()
    plot = out_dir / crossover.PLOT_FILE
    assert plot.is_file() and str(plot.resolve()) in captured.out
    assert captured.out.startswith("# playground bench") and "| numpy-floor |" in captured.out
    assert (out_dir / "bench.md").read_text(encoding="utf-8") == captured.out
    assert "bench: W1 numpy:" in captured.err  # progress goes to stderr, keeping stdout the report


def test_cli_without_out_prints_and_writes_nothing(tiny_quick, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["bench", "--quick"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("# playground bench") and "Plot:" not in captured.out
    assert "--out" in captured.err
    assert list(tmp_path.iterdir()) == []  # stdout only: nothing lands in the working directory


def test_cli_out_must_be_a_folder(tmp_path, capsys):
    target = tmp_path / "file.txt"
    target.write_text("x")
    assert cli.main(["bench", "--quick", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "not a folder" in err and "Traceback" not in err
