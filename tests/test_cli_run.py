"""`playground run`: a playground link trained headlessly, as JSON; checked against the site's recording."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.fixtures import REFERENCE

DEFAULT_LINK = (
    "https://playground.tensorflow.org/#activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane"
    "&learningRate=0.03&regularizationRate=0&noise=0&networkShape=4,2&seed=0.59704&showTestData=false"
    "&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false&cosX=false"
    "&sinX=false&cosY=false&sinY=false&collectStats=false&problem=classification&initZero=false&hideText=false"
)


def playground(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "playground.cli", *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("engine_name", ["cpu", "numpy"])
def test_default_link_matches_the_recording(engine_name):
    recording = json.loads((REFERENCE / "tfp_circle_default.json").read_text())
    done = playground("run", "--url", DEFAULT_LINK, "--epochs", "20", "--format", "json", "--engine", engine_name)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["engine"] == engine_name
    assert result["warnings"] == []
    assert (result["n_train"], result["n_test"]) == (recording["n_train"], recording["n_test"])
    assert len(result["epochs"]) == len(recording["epochs"]) == 21
    for ours, theirs in zip(result["epochs"], recording["epochs"], strict=True):
        assert ours["epoch"] == theirs["epoch"]
        assert abs(ours["train_loss"] - theirs["train_loss"]) <= 1e-9
        assert abs(ours["test_loss"] - theirs["test_loss"]) <= 1e-9


def test_bad_link_values_fall_back_with_warnings():
    done = playground("run", "--url", "#noise=900&activation=foo&networkShape=a,b&seed=1", "--epochs", "1",
                      "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    text = " ".join(result["warnings"])
    for key in ("noise", "activation", "networkShape"):
        assert key in text
    assert len(result["epochs"]) == 2


def test_empty_hash_is_the_default_experiment():
    done = playground("run", "--url", "", "--epochs", "0", "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["n_train"], result["n_test"]) == (250, 250)


def test_table_output_and_errors():
    done = playground("run", "--url", "#seed=0.1&dataset=xor", "--epochs", "3")
    assert done.returncode == 0 and "train loss" in done.stdout
    bad = playground("run", "--url", "#seed=0.1", "--epochs", "-1")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "--epochs" in bad.stderr
