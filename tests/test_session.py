"""TrainingSession without a browser: a fake document applies frames the way Bokeh's event loop would."""

from __future__ import annotations

import math
import threading
import time

import numpy as np
import pytest

import engine
from playground.data import datasets
from playground.domain.experiment import Experiment
from playground.domain.links import parse_link
from playground.domain.state import ExperimentState
from playground.live.session import TrainingSession

TIMEOUT = 20.0


class FakeDocument:
    """Collects next-tick callbacks; `pump()` runs them on the calling thread, as the event loop would."""

    def __init__(self):
        self._callbacks: list = []
        self._lock = threading.Lock()

    def add_next_tick_callback(self, callback):
        with self._lock:
            self._callbacks.append(callback)

    def add_timeout_callback(self, callback, _milliseconds):  # `pump()` is the time passing
        self.add_next_tick_callback(callback)

    def pump(self) -> int:
        with self._lock:
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()
        return len(callbacks)


def make_session(**settings):
    state = ExperimentState(**{"seed": "0.59704", **settings})
    doc = FakeDocument()
    session = TrainingSession(state, doc)
    frames = []
    session.on_frame(frames.append)
    return session, doc, frames


def pump_until(doc, condition, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        doc.pump()
        time.sleep(0.002)


def training_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("playground-train")]


def stop(session, doc):
    session.pause()
    session._worker and session._worker.join(TIMEOUT)
    doc.pump()


def test_no_thread_before_play():
    before = len(training_threads())
    session, doc, frames = make_session()
    session.refresh()
    session.step()
    session.reset()
    assert not session.worker_alive
    assert len(training_threads()) == before
    assert frames and frames[-1].epoch == 0
    session.destroy()


def test_step_and_reset():
    session, doc, frames = make_session()
    session.refresh()
    first_loss = frames[-1].train_loss
    session.step()
    doc.pump()  # a click is answered on the document's next tick, with the clicks that came with it
    assert frames[-1].epoch == 1
    assert frames[-1].chart_append and frames[-1].chart_append[-1][0] == 1
    session.step()
    doc.pump()
    session.reset()
    doc.pump()
    assert frames[-1].epoch == 0
    assert frames[-1].chart_replace is not None and len(frames[-1].chart_replace) == 1
    assert frames[-1].train_loss != first_loss  # reset draws new weights from the continuing stream
    assert doc.pump() == 0  # paused commands are applied right away, nothing is left scheduled
    session.destroy()


def test_play_delivers_frames_and_pause_stops_the_worker():
    session, doc, frames = make_session()
    session.play()
    assert session.worker_alive
    pump_until(doc, lambda: len(frames) >= 5 and frames[-1].epoch >= 10)
    assert [f.frame_id for f in frames] == sorted(f.frame_id for f in frames)
    worker = session._worker
    session.pause()
    worker.join(TIMEOUT)
    assert not worker.is_alive() and not session.worker_alive
    doc.pump()
    epoch = session.experiment.epoch
    time.sleep(0.1)
    doc.pump()
    assert session.experiment.epoch == epoch
    assert frames[-1].playing is False
    session.destroy()


def test_at_most_one_frame_in_flight():
    session, doc, frames = make_session()
    session.play()
    time.sleep(0.3)  # nobody applies frames: the worker must wait after handing over one
    assert doc.pump() <= 1
    stop(session, doc)
    session.destroy()


def test_commands_run_between_epochs():
    session, doc, frames = make_session()
    experiment = session.experiment
    in_epoch = threading.Event()
    seen = []
    original_step = experiment.step

    def step(epochs=1):
        in_epoch.set()
        try:
            original_step(epochs)
        finally:
            in_epoch.clear()

    experiment.step = step
    session.play()
    pump_until(doc, lambda: len(frames) >= 2)
    for i in range(20):
        session.submit(lambda ex, i=i: seen.append((i, in_epoch.is_set())))
        session.set_weight(0, 0, 0, 0.5)
        time.sleep(0.005)
        doc.pump()
    pump_until(doc, lambda: len(seen) == 20)
    stop(session, doc)
    assert [i for i, _ in seen] == list(range(20))  # in order
    assert not any(during for _, during in seen)  # never inside an epoch
    session.destroy()


def test_settings_from_the_ui_reach_the_experiment_and_new_seeds_come_back():
    session, doc, frames = make_session()
    session.state.learning_rate = 0.1
    assert session.experiment.trainer.learning_rate == 0.1
    seed = session.state.seed
    session.regenerate()
    doc.pump()
    assert session.experiment.state.seed != seed
    assert session.state.seed == session.experiment.state.seed  # synced back for the URL
    assert frames[-1].train_points is not None
    session.state.network_shape = [3]
    assert frames[-1].topology.layers == (3,)
    session.destroy()


def test_only_a_frame_after_a_command_carries_the_experiments_settings():
    session, doc, frames = make_session()
    session.play()
    pump_until(doc, lambda: len(frames) >= 4)
    carrying = [f for f in frames if f.state_changes]
    assert len(carrying) == 1 and carrying[0] is frames[0]  # epochs alone change no setting: nothing to sync
    seed = session.state.seed
    session.regenerate()
    pump_until(doc, lambda: session.state.seed != seed)  # synced back from the frame after the command
    assert session.state.seed == session.experiment.state.seed
    count = len(frames)
    pump_until(doc, lambda: len(frames) >= count + 3)
    assert not any(f.state_changes for f in frames[count + 1:])
    stop(session, doc)
    session.destroy()


def test_a_frame_that_replaces_an_unapplied_one_keeps_its_settings():
    session, doc, frames = make_session(learning_rate=0.3)
    older = session._make_frame(lambda: False, in_flight=True)  # a session's first frame carries them
    newer = session._make_frame(lambda: False, in_flight=True)  # built before `older` was applied
    assert older.state_changes["learning_rate"] == 0.3 and newer.state_changes is older.state_changes
    session.destroy()


def test_engine_switch_mid_training_keeps_the_loss_continuous():
    session, doc, frames = make_session()
    session.play()
    pump_until(doc, lambda: session.experiment.epoch >= 5)
    session.set_engine("cpu")
    pump_until(doc, lambda: session.experiment.model.backend_name == "cpu" and session.experiment.epoch >= 15)
    stop(session, doc)
    assert session.state.engine == "cpu"
    history = session.experiment.history
    twin = Experiment(ExperimentState(seed="0.59704"))  # the same run, on numpy throughout
    twin.step(history[-1]["epoch"])
    for ours, theirs in zip(history, twin.history, strict=True):
        assert ours["epoch"] == theirs["epoch"]
        assert ours["train_loss"] == pytest.approx(theirs["train_loss"], abs=1e-6)
        assert ours["test_loss"] == pytest.approx(theirs["test_loss"], abs=1e-6)
    session.destroy()


def test_an_unavailable_engine_is_refused_with_a_message():
    missing = [info for info in engine.list_backends() if not info.available and info.name in ("cpu", "gpu")]
    if not missing:
        pytest.skip("every engine is available here")
    session, doc, frames = make_session()
    session.set_engine(missing[0].name)
    assert session.state.engine == "numpy"
    assert session.experiment.model.backend_name == "numpy"
    assert any("not available" in m for f in frames for m in f.messages)
    session.destroy()


def test_divergence_pauses_with_a_message_and_reset_recovers():
    # A linear output can blow up (a tanh one saturates instead): regression with relu at rate 10.
    session, doc, frames = make_session(problem="regression", reg_dataset="reg-gauss", activation="relu",
                                        learning_rate=10.0)
    session.play()
    pump_until(doc, lambda: frames and not frames[-1].playing and session.experiment.epoch > 0)
    session._worker.join(TIMEOUT)
    assert not session.worker_alive and not session.playing
    assert any("the loss is no longer finite" in m for f in frames for m in f.messages)
    assert not math.isfinite(session.experiment.history[-1]["train_loss"])
    session.state.learning_rate = 0.01
    session.reset()
    doc.pump()
    assert math.isfinite(frames[-1].train_loss) and frames[-1].epoch == 0
    session.destroy()


def test_a_failing_view_is_reported_and_training_stops():
    session, doc, frames = make_session()

    def broken(frame):
        if frame.epoch > 0:
            raise RuntimeError("boom")

    session.on_frame(broken)
    session.play()
    pump_until(doc, lambda: not session.playing)
    session._worker.join(TIMEOUT)
    assert not session.worker_alive
    session.refresh()  # the next frame carries the error to the page
    assert any("boom" in e for f in frames for e in f.errors)
    session.destroy()


def test_destroy_stops_the_worker():
    session, doc, frames = make_session()
    session.play()
    pump_until(doc, lambda: len(frames) >= 2)
    worker = session._worker
    session.destroy()
    assert not worker.is_alive()
    assert not session.worker_alive
    count = len(frames)
    doc.pump()
    session.play()  # a destroyed session never trains again
    assert not session.worker_alive
    assert len(frames) <= count + 1


def test_epochs_per_second_cap():
    session, doc, frames = make_session()
    session.pacing.max_epochs_per_second = 40
    session.play()
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        doc.pump()
        time.sleep(0.005)
    stop(session, doc)
    assert 10 <= session.experiment.epoch <= 50
    session.destroy()


def test_loading_a_link_matches_a_fresh_page():
    link = "#activation=tanh&batchSize=10&dataset=xor&networkShape=3,2&seed=0.123&percTrainData=70&x=true&y=true"
    session, doc, frames = make_session()
    values, warnings = parse_link(link)
    session.load_state(values)
    fresh = Experiment.from_link(link)
    assert session.experiment.history[0]["train_loss"] == fresh.history[0]["train_loss"]
    assert frames[-1].topology.layers == (3, 2)
    assert np.array_equal(session.experiment.train, fresh.train)
    session.destroy()


def test_user_points_start_empty_split_by_the_ratio_and_a_bad_csv_keeps_data():
    from playground.data.datasets import DataError
    from playground.live.session import NO_POINTS

    session, doc, frames = make_session()
    session.state.dataset = "user"  # your own data starts empty
    assert len(session.experiment.train) == len(session.experiment.test) == 0
    session.play()  # nothing to learn from: it pauses at once and says how to add points
    pump_until(doc, lambda: not session.playing and any(NO_POINTS in f.messages for f in frames))
    assert session.experiment.epoch == 0
    for i in range(10):
        session.add_point(i / 2, 1.0, 1.0 if i % 2 else -1.0)
    assert (len(session.experiment.train), len(session.experiment.test)) == (5, 5)  # ratio 50 %
    first_test = session.experiment.test[0].copy()
    session.add_point(3.0, 3.0, 1.0)  # a new point never moves the others between training and test
    assert np.array_equal(session.experiment.test[0], first_test)
    session.state.perc_train_data = 80
    assert (len(session.experiment.train), len(session.experiment.test)) == (9, 2)  # ceil(11 · 0.8) train
    assert frames[-1].test_count == 2
    session.remove_point(3.0, 3.0)
    assert len(session.experiment.user_points) == 10
    train, test = session.experiment.train.copy(), session.experiment.test.copy()
    with pytest.raises(DataError):
        session.load_csv(b"x,y,label\n1,2\n")
    assert np.array_equal(session.experiment.train, train) and np.array_equal(session.experiment.test, test)
    session.step()
    doc.pump()
    assert session.experiment.epoch == 1 and np.isfinite(session.experiment.history[-1]["train_loss"])
    assert session.load_csv(b"x,y,label\n1,2,1\n-1,-2,-1\n3,3,1\n-3,-3,-1\n-2,2,1\n") == 5
    assert (len(session.experiment.train), len(session.experiment.test)) == (4, 1)  # the ratio applies
    assert datasets.to_csv(session.snapshot()[1]) == "x,y,label\n1,2,1\n-1,-2,-1\n3,3,1\n-3,-3,-1\n-2,2,1\n"
    session.destroy()


def test_a_rejected_upload_leaves_a_generated_dataset_training_as_before():
    from playground.data.datasets import DataError

    session, doc, frames = make_session(dataset="spiral")
    reference, _doc, _frames = make_session(dataset="spiral")
    with pytest.raises(DataError):
        session.load_csv(b"x,y,label\n1,2,7\n")
    assert session.state.dataset == "spiral" and len(session.experiment.train) == 250
    for _ in range(5):
        session.step()
        reference.step()
    assert session.experiment.history == reference.experiment.history
    session.destroy()
    reference.destroy()


def test_training_pauses_once_the_page_stops_drawing_frames():
    """A browser that acknowledged frames and then goes quiet (hidden or closed tab) is not trained for."""
    from playground.live.training_worker import UNWATCHED

    session, doc, frames = make_session()
    session.pacing.unwatched_after = 0.5
    session.play()
    drawn = 0
    while drawn < 5:  # the page draws a few frames, acknowledging each
        doc.pump()
        if frames and frames[-1].frame_id > drawn:
            drawn = frames[-1].frame_id
            session.ack(drawn)
        time.sleep(0.005)
    pump_until(doc, lambda: not session.playing)  # then it stops acknowledging
    assert not session.worker_alive or session._stop.is_set()
    assert any(UNWATCHED in f.messages for f in frames)
    epoch = session.experiment.epoch
    time.sleep(0.3)
    assert session.experiment.epoch == epoch  # nothing trains for no one
    session.play()  # looked at again: Play goes on from where it stopped
    pump_until(doc, lambda: session.experiment.epoch > epoch)
    stop(session, doc)
    session.destroy()


def test_a_command_is_answered_without_waiting_for_the_frame_on_screen():
    session, doc, frames = make_session()
    session.pacing.ack_timeout = 3.0  # without the shortcut, the answer would wait this long for an ack
    session.play()
    drawn = 0
    while drawn < 3:  # the page draws a few frames, then is slow to acknowledge the next one
        doc.pump()
        if frames and frames[-1].frame_id > drawn:
            drawn = frames[-1].frame_id
            session.ack(drawn)
        time.sleep(0.005)
    pump_until(doc, lambda: frames[-1].frame_id > drawn)  # a frame is now on screen, not acknowledged
    shown = len(frames)
    asked = time.monotonic()
    session.set_bias(0, 0, 2.5)
    pump_until(doc, lambda: len(frames) > shown and any(
        f.biases is not None and np.isclose(f.biases[0], 2.5, atol=0.2) for f in frames[shown:]), timeout=5.0)
    assert time.monotonic() - asked < 1.5
    stop(session, doc)
    session.destroy()


def test_frames_per_second_cap_spaces_frames_but_not_answers():
    session, doc, frames = make_session()
    session.pacing.max_frames_per_second = 2.0
    session.play()
    started = time.monotonic()
    while time.monotonic() - started < 1.5:  # a page that draws every frame at once
        doc.pump()
        if frames:
            session.ack(frames[-1].frame_id)
        time.sleep(0.005)
    shown = len(frames)
    assert 2 <= shown <= 5, shown  # about 2 a second (uncapped: dozens)
    asked = time.monotonic()
    session.set_bias(0, 0, -3.0)  # a command is answered at once, not at the next frame slot
    pump_until(doc, lambda: any(np.isclose(f.biases[0], -3.0, atol=0.2) for f in frames[shown:]), timeout=5.0)
    assert time.monotonic() - asked < 0.3  # the next slot was up to 0.5 s away
    stop(session, doc)
    session.destroy()


def test_a_command_ends_the_workers_wait_between_capped_epochs():
    """In a classroom the caps and the training share make the worker wait between epochs (~150 ms a time);
    a click must not wait them out. Here the caps make each wait ~10 s: the answer comes long before."""
    session, doc, frames = make_session()
    session.pacing.max_epochs_per_second = 0.1
    session.pacing.max_frames_per_second = 0.1
    session.play()
    pump_until(doc, lambda: len(frames) >= 1)
    time.sleep(0.2)  # the worker has trained its one epoch and is waiting for the next slot
    shown = len(frames)
    session.set_bias(0, 0, 2.5)
    pump_until(doc, lambda: any(f.biases is not None and np.isclose(f.biases[0], 2.5, atol=0.2)
                                for f in frames[shown:]), timeout=5.0)
    stop(session, doc)
    session.destroy()
