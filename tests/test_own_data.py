"""Your own data trains: fewer training points than the batch size still update every epoch, the losses of
the points on screen are known before the first step, and `run`/`export --data FILE.csv` train and export
them headlessly with the page's words for a bad file."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import nbformat
import numpy as np
import pytest

from playground.cli import main
from playground.commands.run import train
from playground.data import datasets
from playground.domain.experiment import Experiment
from playground.domain.own_data import NOT_CLASSIFICATION, points_from_csv
from playground.export.page_download import download_refusal, notebook_text, standalone_refusal
from tests.notebook_cells import run_cells_here

TEN = np.array([[1, 1, 1], [-1, -1, -1], [2, 2, 1], [-2, -2, -1], [1.5, 2, 1], [-2, -1, -1], [3, 1, 1],
                [-3, -1, -1], [2, 3, 1], [-1, -3, -1]], dtype=float)
LINK = "#batchSize=10&percTrainData=50&networkShape=4,2&seed=0.3"


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def ten_csv(tmp_path):
    path = tmp_path / "ten.csv"
    path.write_text(datasets.to_csv(TEN))
    return path


def test_fewer_training_points_than_the_batch_still_update_every_epoch():
    experiment = Experiment(dataset="user", batch_size=10, perc_train_data=50, seed="0.3")
    assert experiment.batch_note == "" and experiment.losses() == (0.0, 0.0)
    experiment.set_user_points(TEN)
    assert len(experiment.x_train) == 5 and experiment.batch_size == 5
    assert experiment.batch_note == ("Only 5 training points, fewer than the batch size (10): each epoch updates "
                                     "the weights once, with all 5.")
    # the points on screen are measured at once, before any step
    assert experiment.history[-1]["train_loss"] == experiment.losses()[0] > 0
    losses = []
    for _ in range(4):
        experiment.step()
        losses.append(experiment.history[-1]["train_loss"])
    assert len(set(losses)) == 4, losses  # each epoch changed the weights
    experiment.set_user_points(np.concatenate([TEN] * 3))  # 15 training points: the setting again
    assert experiment.batch_size == 10 and experiment.batch_note == ""


def test_a_csv_is_read_for_the_settings_it_trains_with():
    text = datasets.to_csv(TEN)
    assert np.array_equal(points_from_csv(text, {"problem": "classification", "num_classes": 2}), TEN)
    with pytest.raises(datasets.DataError, match=NOT_CLASSIFICATION):
        points_from_csv(text, {"problem": "regression", "num_classes": 2})
    with pytest.raises(datasets.DataError, match="line 3: a classification label must be a whole number 0-2"):
        points_from_csv(text, {"problem": "classification", "num_classes": 3})


def test_run_with_data_trains_your_points(ten_csv):
    code, out, err = _cli("run", "--url", LINK, "--data", str(ten_csv), "--epochs", "5", "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["n_train"], result["n_test"]) == (5, 5)
    assert any("fewer than the batch size (10)" in w for w in result["warnings"])
    experiment = Experiment(dataset="user", batch_size=10, perc_train_data=50, network_shape=[4, 2], seed="0.3")
    experiment.set_user_points(TEN)
    experiment.step(5)
    assert result["epochs"][-1] == experiment.history[-1]
    assert len({e["train_loss"] for e in result["epochs"]}) == 6


@pytest.mark.parametrize("content, why", [
    ("x,y,label\n1,a,1\n", "line 2: y is not a number: 'a'"),
    ("x,y,label\n1,2,3\n", "line 2: a classification label must be 1 or -1, not '3'"),
    ("", "file is empty"),
])
def test_a_bad_file_gets_the_pages_words_and_exit_2(tmp_path, content, why):
    from playground.live.session import TrainingSession
    from playground.views.data_panel import DataPanel

    path = tmp_path / "mine.csv"
    path.write_text(content)
    for command in (["run", "--epochs", "1"], ["export", "--out", str(tmp_path / "x.ipynb")]):
        code, out, err = _cli(*command, "--url", LINK, "--data", str(path))
        assert (code, out) == (2, "") and err == f"playground {command[0]}: mine.csv: {why}\n"
    # the page says the same of the same file
    from playground.domain.state import ExperimentState

    session = TrainingSession(ExperimentState(seed="1"))
    panel = DataPanel(session.state, session)
    panel._uploaded("mine.csv", content.encode())
    assert f"mine.csv: {why}" in panel.data_message.object.replace("\\", "")
    session.destroy()


def test_data_for_a_regression_link_and_a_missing_file_are_refused(tmp_path, ten_csv):
    code, _out, err = _cli("run", "--url", "#problem=regression", "--data", str(ten_csv))
    assert code == 2 and err == f"playground run: ten.csv: {NOT_CLASSIFICATION}\n"
    code, _out, err = _cli("run", "--url", LINK, "--data", str(tmp_path / "none.csv"))
    assert code == 2 and "cannot read it: No such file or directory" in err


def test_both_notebooks_of_your_data_print_runs_losses(tmp_path, ten_csv):
    expected = train(LINK, 7, "numpy", points=TEN)["epochs"][-1]
    for extra in ([], ["--standalone"]):
        out = tmp_path / f"nb{len(extra)}.ipynb"
        code, _out, err = _cli("export", "--url", LINK, "--data", str(ten_csv), "--epochs", "7", "--out", str(out),
                               *extra)
        assert code == 0, err
        nb = nbformat.read(out, as_version=4)
        assert run_cells_here(nb) == (expected["train_loss"], expected["test_loss"]), extra
        assert "dataset=user" in nb.metadata["playground"]["link"]


def test_the_pages_notebook_is_export_standalones():
    text = notebook_text(LINK.lstrip("#") + "&dataset=user", 7, TEN)
    expected = train(LINK, 7, "numpy", points=TEN)["epochs"][-1]
    assert run_cells_here(nbformat.reads(text, as_version=4)) == (expected["train_loss"], expected["test_loss"])
    assert standalone_refusal({"optimizer": "adam"}).startswith("a standalone notebook writes out")
    assert download_refusal({"optimizer": "playground-sgd", "problem": "classification", "loss": "square",
                             "dataset": "circle", "num_classes": 2}) is None


def test_run_data_from_a_fresh_process(ten_csv):
    done = subprocess.run([sys.executable, "-m", "playground.cli", "run", "--url", LINK, "--data", str(ten_csv),
                           "--epochs", "2"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "5 training and 5 test points" in done.stdout
    assert done.stderr == ("warning: Only 5 training points, fewer than the batch size (10): each epoch updates "
                           "the weights once, with all 5.\n")
