"""The command line under careless or hostile input: one line on stderr and a clear exit code, strict JSON
everywhere, divergence said once with its epoch, bounded work."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from playground.cli import main

from .test_cli_engine import RECORDING, assert_one_line_error, playground

DIVERGING = "#learningRate=10&activation=linear&problem=regression&regDataset=reg-gauss&networkShape=8,8,8,8,8,8&seed=1"
COLLAPSING = "#learningRate=10&activation=relu&dataset=spiral&networkShape=8,8,8,8,8,8&seed=1"


def strict_json(text: str):
    """json.loads that refuses NaN and Infinity, as JavaScript and strict parsers do."""
    def refuse(token):
        raise AssertionError(f"non-standard JSON number {token}")
    return json.loads(text, parse_constant=refuse)


# ---------------------------------------------------------------- divergence and collapse

@pytest.mark.parametrize("link, epoch_said, words", [
    (DIVERGING, 1, "the loss is no longer finite"),
    (COLLAPSING, None, "the network collapsed"),
])
def test_run_warns_once_naming_the_epoch(link, epoch_said, words):
    done = playground("run", "--url", link, "--epochs", "40", "--format", "json")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: epoch ") and words in lines[0], done.stderr
    assert "RuntimeWarning" not in done.stderr
    epoch = int(lines[0].split("epoch ")[1].split(":")[0])
    if epoch_said is not None:
        assert epoch == epoch_said
    result = strict_json(done.stdout)
    assert len(result["epochs"]) == 41
    if words.startswith("the loss"):
        assert result["epochs"][epoch]["train_loss"] is None and result["epochs"][epoch - 1]["train_loss"] is not None


def test_run_table_prints_each_epoch_once_and_warns_once():
    done = playground("run", "--url", DIVERGING, "--epochs", "60")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:1] == ["epoch"])
    epochs = [int(line.split()[0]) for line in lines[header + 1:]]
    assert epochs == sorted(set(epochs)) and epochs[0] == 0 and epochs[-1] == 60, epochs
    assert [line for line in done.stderr.splitlines() if line.strip()] == [
        line for line in done.stderr.splitlines() if line.startswith("warning: epoch 1: the loss is no longer finite")]


def test_replay_of_a_diverging_recording_warns_and_writes_strict_json(tmp_path):
    data = json.loads(RECORDING.read_text())
    data["config"].update(learning_rate=1000.0, activation="linear", output_activation="linear")
    path = tmp_path / "diverging.json"
    path.write_text(json.dumps(data))
    done = playground("replay", path)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: epoch ") and "no longer finite" in lines[0], done.stderr
    result = strict_json(done.stdout)
    assert result["max_abs_error"] is None and result["epochs"][-1]["loss"] is None


def test_every_json_output_is_strict(tmp_path):
    for args in (["engines", "--format", "json"], ["run", "--url", DIVERGING, "--epochs", "3", "--format", "json"]):
        done = playground(*args)
        assert done.returncode == 0, done.stderr
        strict_json(done.stdout)


# ---------------------------------------------------------------- bounds

def test_epochs_have_an_upper_bound():
    for command in (["run", "--url", "#seed=1"], ["export", "--url", "#seed=1", "--out", "x.ipynb"]):
        for value in ("1000001", "99999999999999999999"):
            done = playground(*command, "--epochs", value)
            assert_one_line_error(done, 2, "--epochs must be at most 1,000,000")


def test_history_stays_bounded_on_a_long_run(monkeypatch):
    from playground.domain import experiment as ex

    monkeypatch.setattr(ex, "MAX_HISTORY", 40)
    run = ex.Experiment(seed="1", network_shape=[2])
    run.step(500)
    assert len(run.history) <= 40
    assert run.history[-1]["epoch"] == 500 and run.history[0]["epoch"] == 0
    assert [h["epoch"] for h in run.history] == sorted({h["epoch"] for h in run.history})


DEEP = {"deep_list": "[" * 100_000 + "]" * 100_000, "deep_object": '{"a":' * 100_000 + "1" + "}" * 100_000,
        "nan": '{"config": NaN}', "bom": "\ufeff{}", "binary": "\x00\x01\x02"}


@pytest.mark.parametrize("name", DEEP)
def test_replay_refuses_any_malformed_json_in_one_line(name, tmp_path):
    path = tmp_path / f"{name}.json"
    path.write_text(DEEP[name])
    assert_one_line_error(playground("replay", path), 2, str(path))


WRONG = [None, "x", [], {}, -1, 0, 1e308, True, [[1]], {"a": 1}]


def _paths(value, prefix=()):
    """Every key path in a recording (only the first item of each list, to keep it short)."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list) and value:
        yield from _paths(value[0], (*prefix, 0))


def test_replay_never_crashes_on_a_recording_with_wrong_types(tmp_path, capsys):
    original = json.loads(RECORDING.read_text())
    original["epochs"] = original["epochs"][:3]  # short: a mutation that still parses replays quickly
    original["config"]["epochs"] = 2
    tried = 0
    for path in list(_paths(original))[1:]:
        for wrong in WRONG:
            data = json.loads(json.dumps(original))
            holder = data
            for key in path[:-1]:
                holder = holder[key]
            holder[path[-1]] = wrong
            file = tmp_path / "mutated.json"
            file.write_text(json.dumps(data))
            code = main(["replay", str(file)])  # an uncaught exception fails the test here
            captured = capsys.readouterr()
            tried += 1
            if code == 2:
                assert captured.err.count("\n") == 1 and captured.out == "", (path, wrong, captured.err)
            else:
                assert code in (0, 1), (path, wrong, code)
                strict_json(captured.out)
    assert tried > 100


def test_export_names_the_file_it_cannot_write(tmp_path):
    done = playground("export", "--url", "#seed=1", "--epochs", "1", "--out", "/dev/full")
    assert_one_line_error(done, 1, "cannot write /dev/full: No space left on device")
    assert "None" not in done.stderr


def test_python_json_would_not_have_been_strict():
    """The writer's reason to exist: Python's json writes NaN, which strict parsers refuse."""
    with pytest.raises(AssertionError):
        strict_json(json.dumps({"loss": math.nan}))
    from playground.commands.json_output import dumps
    assert strict_json(dumps({"loss": math.nan, "nested": [math.inf, 1.5]})) == {"loss": None, "nested": [None, 1.5]}


def test_cli_module_runs_as_a_script():
    done = subprocess.run([sys.executable, "-m", "playground.cli", "run", "--url", "#seed=1", "--epochs", "1"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == ""


def test_a_reader_that_stops_early_gets_no_traceback():
    proc = subprocess.Popen([sys.executable, "-m", "playground.cli", "run", "--url", "#seed=1", "--epochs", "3000",
                             "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(100)
    proc.stdout.close()  # as `| head -c 100` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1 and "Traceback" not in err, err


# ---------------------------------------------------------------- replay: size, digits, depth

def test_replay_reads_at_most_its_limit_and_names_the_file(tmp_path):
    from engine.recordings import MAX_FILE_BYTES

    assert_one_line_error(playground("replay", "/dev/zero"), 2, "/dev/zero: not a recording (larger than 8 MB")
    big = tmp_path / "big.json"
    big.write_text(" " * MAX_FILE_BYTES + "{}")
    assert_one_line_error(playground("replay", big), 2, f"{big}: not a recording (larger than 8 MB")


def test_replay_names_the_file_when_a_number_has_too_many_digits(tmp_path):
    path = tmp_path / "digits.json"
    path.write_text('{"config": ' + "7" * 5_000 + "}")
    assert_one_line_error(playground("replay", path), 2, f"{path}: not a recording (a number has more than 4,300 digits)")
    huge = json.loads(RECORDING.read_text())
    huge["initial"][0]["bias"] = 10 ** 400  # an integer no float can hold: refused, not an OverflowError
    path.write_text(json.dumps(huge))
    assert_one_line_error(playground("replay", path), 2, f"{path}: 'initial': a neuron of layer 1 has no numeric 'bias'")


class CountingList(list):
    """A list that counts how often it is walked through."""
    walks = 0

    def __iter__(self):
        CountingList.walks += 1
        return super().__iter__()


def test_replay_validates_each_neuron_list_in_a_bounded_number_of_passes(monkeypatch):
    """One pass per list, whatever the depth: a pass per layer made 12,000 one-neuron layers take 10 s
    (scripts/bench_replay_load.py times it)."""
    from engine.recordings import parse_recording

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "scripts"))
    from bench_replay_load import deep_recording

    for layers in (10, 400):
        data = deep_recording(layers)
        CountingList.walks = 0
        data["initial"] = CountingList(data["initial"])
        recording = parse_recording(data)
        assert len(recording.initial_weights) == 2 * (layers + 1)
        assert CountingList.walks <= 3, (layers, CountingList.walks)
