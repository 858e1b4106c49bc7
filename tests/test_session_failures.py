"""A session never dies silently: whatever fails in the training thread, the page hears of it once, the
server log gets one line at most, and Play, Step and Reset keep working."""

from __future__ import annotations

import logging
import math

import pytest

from playground.domain.links import parse_link
from playground.domain.state import ExperimentState
from playground.live.session import TrainingSession

from .test_session import TIMEOUT, FakeDocument, pump_until

DIVERGING = "#learningRate=10&activation=linear&problem=regression&regDataset=reg-gauss&networkShape=8,8,8,8,8,8&seed=1"


def session_for(link: str):
    values, _warnings = parse_link(link)
    doc = FakeDocument()
    session = TrainingSession(ExperimentState(**values), doc)
    frames = []
    session.on_frame(frames.append)
    session.refresh()  # as the app does: the page's first frame
    return session, doc, frames


def paused_again(session, doc, frames):
    pump_until(doc, lambda: frames and not frames[-1].playing and not session.worker_alive and session.experiment.epoch > 0)
    doc.pump()


def said(frames) -> list[str]:
    return [m for f in frames for m in (*f.errors, *f.messages)]


def error_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("playground")]


def trains_again(session, doc, frames) -> None:
    """Reset, a sane learning rate, Play: epochs go by with a finite loss."""
    session.reset()
    session.state.learning_rate = 0.03
    doc.pump()
    assert frames[-1].epoch == 0 and math.isfinite(frames[-1].train_loss)
    session.play()
    pump_until(doc, lambda: frames[-1].epoch >= 5 and frames[-1].playing)
    assert math.isfinite(frames[-1].train_loss)
    session.pause()
    session._worker.join(TIMEOUT)
    assert not session.playing


def test_the_diverging_regression_link_pauses_naming_the_epoch_and_reset_recovers(caplog):
    session, doc, frames = session_for(DIVERGING)
    session.play()
    paused_again(session, doc, frames)
    messages = said(frames)
    assert len(messages) == 1, messages
    assert messages[0].startswith("Training paused at epoch ") and "the loss is no longer finite" in messages[0]
    epoch = int(messages[0].split("epoch ")[1].split(":")[0])
    assert epoch == frames[-1].epoch == session.experiment.epoch and epoch >= 1
    assert not error_lines(caplog)  # an expected condition: nothing in the server log
    trains_again(session, doc, frames)
    session.destroy()


def test_a_frame_that_cannot_be_built_is_reported_once(caplog, monkeypatch):
    session, doc, frames = session_for("#seed=0.5")
    build = session._builder.build

    def broken(experiment):
        if experiment.epoch >= 3:
            raise ValueError("layer 0: weights contain NaN or infinite values")
        return build(experiment)

    monkeypatch.setattr(session._builder, "build", broken)
    session.play()
    paused_again(session, doc, frames)
    errors = [e for f in frames for e in f.errors]
    assert len(errors) == 1 and errors[0].startswith("Training stopped at epoch ") and "NaN" in errors[0], errors
    lines = error_lines(caplog)
    assert len(lines) == 1 and lines[0].exc_info is None, lines
    monkeypatch.setattr(session._builder, "build", build)
    trains_again(session, doc, frames)
    session.destroy()


@pytest.mark.parametrize("error", [RuntimeError("CUDA error: an illegal memory access"), FloatingPointError("x")])
def test_an_engine_error_mid_training_is_reported_once(caplog, monkeypatch, error):
    session, doc, frames = session_for("#seed=0.5")
    trainer = session.experiment.trainer
    real = trainer.train_epoch
    calls = []

    def failing(x, y):
        calls.append(1)
        if len(calls) == 4:
            raise error
        return real(x, y)

    monkeypatch.setattr(trainer, "train_epoch", failing)
    session.play()
    paused_again(session, doc, frames)
    errors = [e for f in frames for e in f.errors]
    assert len(errors) == 1 and errors[0].startswith("Training stopped at epoch 3") and str(error) in errors[0]
    assert len(error_lines(caplog)) == 1 and error_lines(caplog)[0].exc_info is None
    session.step()  # Step still works (the failure was once)
    doc.pump()
    assert frames[-1].epoch == 4 and not frames[-1].playing
    trains_again(session, doc, frames)
    session.destroy()


# ---------------------------------------------------------------- Play/Pause read as the page showed them

def test_a_pause_pressed_after_training_paused_itself_keeps_it_paused():
    """The flaky browser test's cause: training had paused itself (here a divergence; under load, an
    unwatched page) and its "Play" was still on the way when the user pressed the "Pause" on screen. Read
    from the session's state, that press started training again and the button stayed "Pause"."""
    session, doc, frames = session_for(DIVERGING)
    session.ack(frames[-1].frame_id)  # this page acknowledges every frame it draws
    session.play()
    pump_until(doc, lambda: frames[-1].epoch > 0 and not frames[-1].playing)  # paused itself; not drawn yet
    session._worker.join(TIMEOUT)
    session.toggle()  # the user presses the Pause button the page still shows
    doc.pump()
    assert not session.playing and not session.worker_alive
    session.ack(frames[-1].frame_id)  # now the page shows Play
    session.toggle()
    doc.pump()
    assert session.playing
    session.pause()
    session._worker.join(TIMEOUT)
    session.destroy()


def test_a_frame_from_before_the_latest_play_does_not_pause_it():
    session, doc, frames = session_for("#seed=0.5")
    session.play()
    session.pause()
    late = session._make_frame(lambda: False)  # the stopping worker's last frame, delivered late
    session._worker.join(TIMEOUT)
    session.play()
    session._deliver(late)
    assert session.playing and frames[-1] is late and late.playing
    session.pause()
    session._worker.join(TIMEOUT)
    session.destroy()
