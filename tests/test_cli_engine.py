"""`playground replay` and `playground engines`, run as a user runs them: in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import engine
from tests.fixtures import TRAJECTORIES

REPO = Path(__file__).resolve().parents[1]
RECORDING = TRAJECTORIES / "tanh_l1_b5.json"
FILES = sorted(TRAJECTORIES.glob("*.json"))
NO_GPU = {"PLAYGROUND_GPU_DEVICE": "no-such-device"}  # makes the gpu backend unavailable on any machine


def gpu_reason_ok(text: str) -> bool:
    return "PLAYGROUND_GPU_DEVICE" in text or "torch is not installed" in text


def playground(*args, env=None):
    return subprocess.run([sys.executable, "-m", "playground.cli", *map(str, args)], cwd=REPO,
                          env=dict(os.environ, **(env or {})), capture_output=True, text=True, timeout=120)


def assert_one_line_error(proc, code, *fragments):
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("playground "), proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_replay_reproduces_a_recording(path, backend_name):
    proc = playground("replay", path, "--engine", backend_name)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)  # one JSON object and nothing else
    recorded = json.loads(path.read_text())["epochs"]
    assert set(result) == {"engine", "epochs", "max_abs_error"} and result["engine"] == backend_name
    assert [e["epoch"] for e in result["epochs"]] == [e["epoch"] for e in recorded]
    errors = [abs(got["loss"] - want["loss"]) for got, want in zip(result["epochs"], recorded, strict=True)]
    assert result["max_abs_error"] == pytest.approx(max(errors), abs=1e-15) and result["max_abs_error"] <= 1e-9


def test_replay_defaults_to_numpy():
    proc = playground("replay", TRAJECTORIES / "tanh_b10.json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["engine"] == "numpy"


def test_replay_exits_1_when_the_losses_differ(tmp_path):
    data = json.loads(RECORDING.read_text())
    data["epochs"][4]["loss"] += 1e-6
    path = tmp_path / "perturbed.json"
    path.write_text(json.dumps(data))
    proc = playground("replay", path)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["max_abs_error"] == pytest.approx(1e-6, rel=1e-6)


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content)
    return path


def _edited(edit):
    data = json.loads(RECORDING.read_text())
    edit(data)
    return json.dumps(data)


MALFORMED = {
    "not_json": "this is not JSON",
    "truncated": RECORDING.read_text()[:500],
    "empty": "",
    "list": "[1, 2, 3]",
    "missing_initial": _edited(lambda d: d.pop("initial")),
    "wrong_weight_count": _edited(lambda d: d["initial"][5]["weights"].append(0.5)),
    "wrong_neuron_count": _edited(lambda d: d["config"]["hidden"].append(2)),
    "missing_loss": _edited(lambda d: d["epochs"][2].pop("loss")),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_replay_refuses_a_malformed_file(name, tmp_path):
    path = _write(tmp_path, f"{name}.json", MALFORMED[name])
    assert_one_line_error(playground("replay", path), 2, str(path))


def test_replay_refuses_an_unreadable_file(tmp_path):
    assert_one_line_error(playground("replay", tmp_path / "missing.json"), 2, "cannot read")
    assert_one_line_error(playground("replay", tmp_path), 2, "cannot read")  # a directory


def test_replay_refuses_an_unavailable_engine():
    proc = playground("replay", RECORDING, "--engine", "gpu", env=NO_GPU)
    assert_one_line_error(proc, 2, "engine 'gpu' is not available")
    assert gpu_reason_ok(proc.stderr)


def test_engines_json_lists_every_registered_backend():
    proc = playground("engines", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [r["name"] for r in rows][:3] == ["cpu", "numpy", "gpu"]
    assert [r["name"] for r in rows] == list(engine.backend_names())
    for row in rows:
        assert set(row) == {"name", "available", "reason", "device"} and isinstance(row["available"], bool)
    assert rows[0]["available"] and rows[1]["available"]


def test_engines_reports_why_the_gpu_is_unavailable():
    proc = playground("engines", "--format", "json", env=NO_GPU)
    gpu = json.loads(proc.stdout)[2]
    assert not gpu["available"] and gpu_reason_ok(gpu["reason"])


def test_engines_table_is_the_default():
    proc = playground("engines", env=NO_GPU)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:2] == ["engine", "available"] and len(lines) == 1 + len(engine.backend_names())
    assert lines[1].split()[:2] == ["cpu", "yes"] and lines[3].split()[:2] == ["gpu", "no"]
    assert gpu_reason_ok(lines[3])
