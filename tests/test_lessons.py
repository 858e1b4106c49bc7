"""Lessons: every shipped file loads, starts where it says, has a reachable goal; bad files fail clearly."""

from __future__ import annotations

import os
import sys
import warnings

import numpy as np
import pytest

from playground.domain import links
from playground.domain.experiment import Experiment
from playground.lessons import (
    CONDITIONS,
    LESSONS_DIR,
    Goal,
    LessonError,
    lesson_files,
    list_lessons,
    load_lesson,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FILES = lesson_files()
IDS = [p.stem for p in FILES]


@pytest.fixture(autouse=True)
def _quiet_overflow():
    # The "too large" lessons blow up on purpose; numpy's overflow warnings are expected there.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def test_at_least_eight_lessons_numbered_in_order():
    lessons = list_lessons()
    assert len(lessons) >= 8
    numbers = [lesson.number for lesson in lessons]
    assert None not in numbers and numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_lessons_cover_the_curriculum():
    # (start values, goal conditions, reference values, hidden controls) per lesson
    cases = [(lesson.values, dict(lesson.goal.conditions), lesson.reference.values, lesson.hidden)
             for lesson in list_lessons()]

    def covered(pred) -> bool:
        return any(pred(*case) for case in cases)

    assert covered(lambda s, g, r, h: s["dataset"] == "gauss" and s["network_shape"] == [])
    assert covered(lambda s, g, r, h: s["dataset"] == "xor" and "no_hidden_layers" in g and r["x_times_y"])
    assert covered(lambda s, g, r, h: s["dataset"] == "circle" and s["network_shape"] == []
                   and g.get("allowed_inputs") == ["x", "y"] and r["network_shape"])
    assert covered(lambda s, g, r, h: s["dataset"] == "spiral" and len(r["network_shape"]) >= 2)
    assert covered(lambda s, g, r, h: s["learning_rate"] <= 1e-4 < r["learning_rate"])
    assert covered(lambda s, g, r, h: ("diverges" in g or "loss_increases" in g)
                   and r["learning_rate"] > s["learning_rate"])
    assert covered(lambda s, g, r, h: s["noise"] > 0 and s["perc_train_data"] <= 20
                   and {"noise", "percTrainData"} <= set(h))
    assert covered(lambda s, g, r, h: s["regularization"] == "L2" and r["regularization"] == "L1"
                   and "dead_links_at_least" in g)
    assert covered(lambda s, g, r, h: s["problem"] == "regression" and "test_loss_below" in g)


def _expected_from_file(path):
    """The file's starting settings read independently: {state parameter: value}, hidden controls."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    hidden = list(data.get("hide", []))
    if "settings" in data:
        return {links.KEYS[k][0]: v for k, v in data["settings"].items()}, hidden
    expected = {}
    for part in data["link"].split("#", 1)[1].split("&"):
        key, value = part.split("=")
        if key.endswith("_hide"):
            hidden.append(key[:-5])
            continue
        name, kind = links.KEYS[key]
        if kind == "bool":
            expected[name] = value == "true"
        elif kind == "shape":
            expected[name] = [int(n) for n in value.split(",") if n]
        elif kind in ("int", "rate", "noise"):
            expected[name] = float(value)
        else:
            expected[name] = value
    return expected, hidden


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_loading_gives_the_stated_settings(path):
    lesson = load_lesson(path)
    assert lesson.title and lesson.text and lesson.path == path
    expected, hidden = _expected_from_file(path)
    state = lesson.experiment().state
    for name, value in expected.items():
        assert getattr(state, name) == value, f"{path.name}: {name}"
    assert sorted(state.hidden) == sorted(hidden)
    # The lesson's link carries the same start, hidden controls included.
    values, link_warnings = links.parse_link(lesson.link())
    assert not link_warnings
    for name, value in expected.items():
        assert values[name] == value
    assert sorted(values["hidden"]) == sorted(hidden)
    assert all(f"{control}_hide=true" in lesson.link().split("&") for control in hidden)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_reference_solution_reaches_the_goal(path):
    lesson = load_lesson(path)
    experiment = lesson.reference_experiment()
    epoch = lesson.goal.first_met(experiment, lesson.reference.epochs)
    assert epoch is not None and epoch <= lesson.reference.epochs, lesson.goal.check(experiment).progress
    status = lesson.goal.check(experiment)
    assert status.met and not status.out_of_epochs and f"epoch {epoch} of" in status.progress
    for key, value in lesson.reference.changes.items():  # the reference really is the start plus its changes
        assert links.parse_link(f"{key}={value}")[0][links.KEYS[key][0]] == lesson.reference.values[links.KEYS[key][0]]


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_starting_settings_need_the_student(path):
    # From its start, unchanged, no lesson is met before epoch 10: there is something to watch or to do.
    lesson = load_lesson(path)
    assert lesson.goal.first_met(lesson.experiment(), 9) is None


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_starting_settings_leave_something_to_do(path):
    lesson = load_lesson(path)
    if not lesson.reference.changes:  # the task is to press play: at least training must be needed
        assert not lesson.goal.check(lesson.experiment()).met
    else:
        assert lesson.goal.first_met(lesson.experiment()) is None


# ---------------------------------------------------------------- goal semantics

def _goal(**table):
    return Goal.from_table(table, "goal")


def test_goal_budget_runs_out():
    goal = _goal(within_epochs=3, test_loss_below=1e-9)
    experiment = Experiment(dataset="gauss", network_shape=[], seed="1")
    experiment.step(4)
    status = goal.check(experiment)
    assert not status.met and status.out_of_epochs and "out of epochs" in status.progress
    assert goal.first_met(Experiment(dataset="gauss", network_shape=[], seed="1")) is None


def test_goal_needs_every_condition_at_once():
    goal = _goal(within_epochs=50, test_loss_below=0.05, no_hidden_layers=True)
    deep = Experiment(dataset="gauss", network_shape=[2], seed="1")
    deep.step(50)
    assert deep.losses()[1] < 0.05
    status = goal.check(deep)
    assert not status.met and "✗ 1 hidden layer" in status.progress and "✓ test loss" in status.progress


def test_loss_increases_and_diverges_read_the_history():
    rising, diverging = _goal(within_epochs=5, loss_increases=True), _goal(within_epochs=5, diverges=True)
    calm = Experiment(dataset="circle", seed="1")
    assert not rising.check(calm).met  # epoch 0: nothing has happened yet
    calm.step(5)
    assert not rising.check(calm).met and not diverging.check(calm).met
    wild = Experiment(problem="regression", network_shape=[], learning_rate=0.3, seed="1")
    wild.step(5)
    assert 100 < wild.losses()[0] < np.inf  # blown up, still a number
    assert diverging.check(wild).met and rising.check(wild).met


@pytest.mark.parametrize("kind", ["diverges", "loss_increases", "test_loss_below", "train_loss_below"])
def test_a_loss_that_is_not_a_number_never_meets_a_goal(kind):
    goal = _goal(within_epochs=50, **{kind: True if kind in ("diverges", "loss_increases") else 1e9})
    wild = Experiment(problem="regression", network_shape=[], learning_rate=3.0, seed="1")
    wild.step(5)
    assert not np.isfinite(wild.losses()[0])
    status = goal.check(wild)
    assert not status.met and "the loss is no longer a number" in status.progress


def test_allowed_inputs_and_dead_links():
    goal = _goal(within_epochs=100, allowed_inputs=["x", "y"], dead_links_at_least=1)
    l1 = Experiment(dataset="gauss", network_shape=[], x_times_y=True, regularization="L1",
                    regularization_rate=0.03, seed="1")
    l1.step(30)
    status = goal.check(l1)
    assert "✗ uses X₁X₂" in status.progress and "✓" in status.progress and not status.met
    l1.apply(x_times_y=False)  # a reset: no dead links yet, inputs allowed
    assert goal.check(l1).progress.startswith("✓ inputs: only X₁, X₂ · ✗ 0 dead links")


# ---------------------------------------------------------------- malformed files

GOOD = """title = "T"
text = "Some text."
[settings]
dataset = "xor"
[goal]
within_epochs = 10
test_loss_below = 0.1
[reference]
epochs = 10
"""


def _edit(old, new):
    assert old in GOOD
    return GOOD.replace(old, new)


BAD = [
    (GOOD.replace("[goal]", "[goal"), "not valid TOML"),
    (_edit('title = "T"\n', ""), "title is missing"),
    (_edit('title = "T"', 'title = "T"\ntitel = "T"'), "unknown field 'titel' (did you mean 'title'?)"),
    (_edit('text = "Some text."', 'text = "Some text."\nlink = "#dataset=xor"'), "either link or [settings], not both"),
    (_edit('[settings]\ndataset = "xor"\n', ""), "not neither"),
    (_edit('dataset = "xor"', 'datset = "xor"'), "settings: unknown setting 'datset' (did you mean 'dataset'?)"),
    (_edit('dataset = "xor"', 'dataset = "donut"'), "dataset='donut': must be one of"),
    (_edit('dataset = "xor"', 'xTimesY = "yes"'), "settings.xTimesY must be true or false"),
    (_edit('dataset = "xor"', 'networkShape = ["4"]'), "settings.networkShape must be a list of layer sizes"),
    (_edit('dataset = "xor"', 'batchSize = 0'), "batchSize='0': out of range"),
    (_edit('text = "Some text."', 'text = "Some text."\nhide = ["learningrate"]'),
     "hide: 'learningrate' is not a control that can be hidden (did you mean 'learningRate'?)"),
    (_edit('text = "Some text."', 'text = "Some text."\nlink = "#dataset=xor&colour=red"').replace(
        '[settings]\ndataset = "xor"\n', ""), "link: unknown key 'colour'"),
    (_edit("within_epochs = 10\n", ""), "goal.within_epochs is missing"),
    (_edit("test_loss_below = 0.1", "test_loss_bellow = 0.1"),
     "goal: unknown condition 'test_loss_bellow' (did you mean 'test_loss_below'?)"),
    (_edit("test_loss_below = 0.1", 'test_loss_below = "low"'), "goal.test_loss_below must be a number"),
    (_edit("test_loss_below = 0.1", "test_loss_below = -1"), "goal.test_loss_below must be greater than 0"),
    (_edit("test_loss_below = 0.1", "accuracy_above = 95"), "goal.accuracy_above must be a fraction"),
    (_edit("test_loss_below = 0.1", "no_hidden_layers = true"), "goal needs something to reach"),
    (_edit("test_loss_below = 0.1", "test_loss_below = 0.1\nno_hidden_layers = false"),
     "goal.no_hidden_layers can only be true"),
    (_edit("test_loss_below = 0.1", 'test_loss_below = 0.1\nallowed_inputs = ["x", "z"]'),
     "goal.allowed_inputs: unknown input 'z'"),
    (_edit("within_epochs = 10", "within_epochs = 2.5"), "goal.within_epochs must be a whole number"),
    (_edit("test_loss_below = 0.1", "test_loss_below = 0.1\nmin_epochs = 11"), "the goal can never be met"),
    (_edit("[reference]\nepochs = 10\n", ""), "reference is missing"),
    (_edit("[reference]\nepochs = 10", "[reference]\nepochs = 11"), "reference.epochs (11) is more than goal.within_epochs (10)"),
    (_edit("[reference]\nepochs = 10", "[reference]\nepochs = 10\nsettings = { learningRate = 'fast' }"),
     "reference.settings.learningRate must be a number"),
    (_edit("[reference]\nepochs = 10", "[reference]\nepochs = 10\nsettings = { learningRate = 0.05 }"),
     "learningRate='0.05': not in the list"),
]


@pytest.mark.parametrize("content, message", BAD, ids=[m[:40] for _c, m in BAD])
def test_malformed_lesson_files_give_clear_errors(tmp_path, content, message):
    path = tmp_path / "07-broken.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    text = str(info.value)
    assert text.startswith("07-broken.toml: ") and message in text and "\n" not in text


def test_the_good_template_loads(tmp_path):
    path = tmp_path / "1-good.toml"
    path.write_text(GOOD, encoding="utf-8")
    lesson = load_lesson(path)
    assert lesson.values["dataset"] == "xor" and lesson.values["seed"] == "1"
    assert lesson.goal.conditions == (("test_loss_below", 0.1),)


def test_missing_file_and_binary_file(tmp_path):
    with pytest.raises(LessonError, match=r"^nope\.toml: cannot read"):
        load_lesson(tmp_path / "nope.toml")
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00title")
    with pytest.raises(LessonError, match=r"^bin\.toml: not UTF-8 text"):
        load_lesson(tmp_path / "bin.toml")


def test_a_lessons_experiment_does_not_share_lists_with_the_lesson():
    lesson = load_lesson(FILES[0])
    experiment = lesson.experiment()
    experiment.state.network_shape.append(3)
    experiment.state.hidden.append("noise")
    assert lesson.experiment().state.network_shape == lesson.values["network_shape"] != experiment.state.network_shape
    assert "noise" not in lesson.hidden


def test_lessons_are_sorted_by_the_number_in_their_name(tmp_path):
    for name in ("10-b.toml", "2-a.toml", "extra.toml", "01-c.toml"):
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a lesson")
    assert [p.name for p in lesson_files(tmp_path)] == ["01-c.toml", "2-a.toml", "10-b.toml", "extra.toml"]
    assert [lesson.number for lesson in list_lessons(tmp_path)] == [1, 2, 10, None]
    assert LESSONS_DIR.is_dir() and FILES


def test_listing_reads_a_lesson_file_again_only_once_it_changed(tmp_path):
    path = tmp_path / "1-good.toml"
    path.write_text(GOOD, encoding="utf-8")
    first = list_lessons(tmp_path)[0]
    assert list_lessons(tmp_path)[0] is first  # unchanged: read once
    path.write_text(GOOD.replace('dataset = "xor"', 'dataset = "circle"'), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    again = list_lessons(tmp_path)[0]
    assert again is not first and again.values["dataset"] == "circle" and first.values["dataset"] == "xor"
    path.write_text("title = ", encoding="utf-8")  # broken now: its error, not the lesson read before
    with pytest.raises(LessonError, match="not valid TOML"):
        list_lessons(tmp_path)


# ---------------------------------------------------------------- following a goal live (session layer)

def test_goal_tracker_remembers_the_first_epoch_even_between_frames():
    from playground.lessons.progress import GoalTracker

    lesson = load_lesson(LESSONS_DIR / "01-linear-boundary.toml")
    first = lesson.goal.first_met(lesson.experiment())
    assert first is not None
    tracker, experiment = GoalTracker(lesson.goal), lesson.experiment()
    assert not tracker.progress(experiment).met
    for _ in range(lesson.goal.within_epochs + 5):  # past the budget: only a per-epoch check sees the goal
        experiment.step()
        tracker.after_epoch(experiment)
    assert lesson.goal.check(experiment).out_of_epochs
    progress = tracker.progress(experiment)
    assert progress.met and progress.reached_at == first and not progress.out_of_epochs
    # past the budget after reaching the goal: live values, no "out of epochs"
    assert progress.detail.endswith(f"epoch {experiment.epoch}") and "out of epochs" not in progress.detail
    assert progress.now.startswith("test accuracy") and "test loss" in progress.now
    experiment.reset()  # a new run: the goal is open again
    progress = tracker.progress(experiment)
    assert not progress.met and progress.reached_at is None and "epoch 0 of" in progress.detail


def test_goal_tracker_reports_a_spent_budget():
    from playground.lessons.progress import GoalTracker

    goal = _goal(within_epochs=3, test_loss_below=1e-9)
    tracker, experiment = GoalTracker(goal), Experiment(dataset="gauss", network_shape=[], seed="1")
    experiment.step(2)
    assert not tracker.progress(experiment).out_of_epochs
    experiment.step(2)
    progress = tracker.progress(experiment)
    assert progress.out_of_epochs and not progress.met and "out of epochs" in progress.detail


def test_session_frames_carry_the_goal():
    from playground.live.session import TrainingSession

    lesson = load_lesson(LESSONS_DIR / "01-linear-boundary.toml")
    session = TrainingSession(lesson.state())
    frames = []
    session.on_frame(frames.append)
    assert session.refresh().goal is None  # free play
    session.set_goal(_goal(within_epochs=50, test_loss_below=0.5))
    assert not session.refresh().goal.met
    session.step()
    assert frames[-1].goal.met and frames[-1].goal.reached_at == 1
    first = frames[-1].goal.now
    assert first.startswith("test loss ")
    for _ in range(3):
        session.step()
    assert frames[-1].goal.reached_at == 1 and frames[-1].goal.now != first  # live values after the goal
    session.set_goal(lesson.goal)
    assert not session.refresh().goal.met
    session.reset()
    assert not frames[-1].goal.met
    session.set_goal(None)
    assert session.refresh().goal is None
    session.destroy()


def test_every_goal_condition_has_words():
    from playground.lessons.progress import CONDITION_PHRASES, describe_goal

    assert set(CONDITION_PHRASES) == set(CONDITIONS)
    goal = _goal(within_epochs=400, min_epochs=200, test_loss_below=0.15, allowed_inputs=["x", "y"])
    assert describe_goal(goal) == ("test loss below 0.15 (still so after 200 epochs, only the inputs X₁, X₂) "
                                   "within 400 epochs")


# ---------------------------------------------------------------- lessons in links (`lesson=` hash key)

def test_a_lesson_link_starts_the_lesson_and_other_keys_override_it():
    from playground.lessons.links import read_link, with_lesson

    lesson = load_lesson(LESSONS_DIR / "02-feature-cross.toml")
    found, values, link_warnings = read_link("#lesson=02-feature-cross")
    assert found == lesson and not link_warnings
    assert values == lesson.values
    found, values, link_warnings = read_link("lesson=02-feature-cross&seed=7&xTimesY=true")
    assert found == lesson and not link_warnings
    assert values["seed"] == "7" and values["x_times_y"] and values["hidden"] == lesson.hidden
    # what the app writes reads back as the same lesson and settings
    written = with_lesson(links.to_hash(lesson.state(seed="7")), lesson)
    assert written.startswith("lesson=02-feature-cross&")
    assert read_link(written)[:2] == (lesson, {**lesson.values, "seed": "7"})
    assert with_lesson("seed=1", None) == "seed=1"


def test_an_unknown_lesson_in_a_link_is_a_warning():
    from playground.lessons.links import find_lesson, read_link

    found, values, link_warnings = read_link("#lesson=02-feature-cros&dataset=xor")
    assert found is None and values["dataset"] == "xor"
    assert link_warnings == [link_warnings[0]] and "did you mean '02-feature-cross'?" in link_warnings[0]
    with pytest.raises(LessonError, match="no lesson called 'x'; lessons: 01-linear-boundary"):
        find_lesson("x")
    assert find_lesson("01-linear-boundary.toml").title


def test_serve_lesson_option_opens_a_lesson_and_refuses_an_unknown_one():
    import argparse

    from playground.commands import serve
    from playground.errors import UsageError

    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    settings = serve._settings(parser.parse_args(["--lesson", "01-linear-boundary", "--url-hash", "#seed=5"]))
    assert settings["url_hash"] == "lesson=01-linear-boundary&seed=5"
    with pytest.raises(UsageError, match="did you mean '02-feature-cross'"):
        serve._settings(parser.parse_args(["--lesson", "02-feature-cros"]))


def test_app_opens_lessons_headless_and_free_play_shows_every_control():
    from playground.app import PlaygroundApp

    app = PlaygroundApp("#lesson=01-linear-boundary&seed=2")
    lesson = app._lessons["01-linear-boundary"]
    assert app.lesson_panel.picker.value == "01-linear-boundary" and app.state.seed == "2"
    assert sorted(app.state.hidden) == sorted(lesson.hidden) and not app.top.shown("problem")
    assert "lesson-goal" in app.lesson_panel.goal.object and "met" not in app.lesson_panel.goal.object
    for _ in range(9):
        app.session.step()
    assert "lesson-goal met" not in app.lesson_panel.goal.object  # lesson 01 needs watching: not before 10
    for _ in range(lesson.goal.within_epochs - 9):
        app.session.step()
    assert "lesson-goal met" in app.lesson_panel.goal.object and " · still met now: test accuracy" in app.lesson_panel.goal.object
    app.lesson_panel.picker.value = "02-feature-cross"  # the picker: the lesson's start, training reset
    assert app.state.dataset == "xor" and app.session.experiment.epoch == 0 and app.state.hidden == ["numHiddenLayers"]
    assert "Goal: not yet" in app.lesson_panel.goal.object and app.top.shown("problem")
    app.lesson_panel.picker.value = ""
    assert app.state.hidden == [] and app.state.dataset == "xor" and not app.lesson_panel.text.visible
    assert not app.lesson_panel.goal.visible and app.network.top.spec["show_layers"]
    app.session.destroy()


# ---------------------------------------------------------------- `playground run --url '#lesson=NAME'`

def test_run_command_reports_a_lessons_goal_from_its_start_and_from_its_reference():
    import json
    import subprocess

    from playground.commands.run import train

    for lesson in list_lessons():
        name = lesson.path.stem
        start = train(f"#lesson={name}", lesson.goal.within_epochs, None)
        assert start["lesson"]["name"] == name
        met = start["lesson"]["goal_met_at"]
        assert met is None or met >= 10, name  # from its start, the student has something to do or watch
        changes = "&".join(f"{k}={v}" for k, v in lesson.reference.changes.items())
        solved = train(f"#lesson={name}&{changes}", lesson.reference.epochs, None)
        assert solved["lesson"]["goal_met_at"] == lesson.check_reference(), name
    assert "lesson" not in train("#dataset=xor", 1, None)
    done = subprocess.run([sys.executable, "-m", "playground.cli", "run", "--url", "#lesson=06-learning-rate-too-large",
                           "--epochs", "3", "--format", "json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["lesson"] == {"name": "06-learning-rate-too-large", "goal_met_at": None}
