"""Lessons that pace and a badge that tells the truth: the "watch" speed trains one epoch per frame, Play
pauses at a lesson's epoch budget and says why, and the goal badge never shows a green tick while a
condition it asks for no longer holds."""

from __future__ import annotations

import time

import pytest

from playground.lessons import LESSONS_DIR, Goal, load_lesson
from playground.lessons.progress import GoalProgress, GoalTracker
from playground.live.frame_pacing import FAST, SPEEDS, WATCH, FramePacing
from playground.views.lesson_panel import goal_html
from tests.test_session import make_session, pump_until, stop

LESSON_1 = LESSONS_DIR / "01-linear-boundary.toml"


def test_speeds_and_the_epochs_a_frame_they_allow():
    pacing = FramePacing()
    assert (pacing.speed, pacing.epochs_per_frame) == (FAST, None) and set(SPEEDS) == {WATCH, FAST}
    pacing.set_speed(WATCH)
    assert pacing.epoch_wait(1, time.monotonic()) == 0.0
    pacing.timed_epoch(1, lambda: None)
    assert pacing.epoch_wait(1, time.monotonic()) > 0  # this frame's epoch is done: wait for the next frame
    pacing.frame_sent()
    assert pacing.epoch_wait(1, time.monotonic()) == 0.0
    with pytest.raises(ValueError, match="unknown speed 'slow'"):
        pacing.set_speed("slow")


def _play_frames(session, doc, frames, count: int) -> None:
    """Play until `count` frames were drawn, the page acknowledging each as it is applied."""
    session.play()
    while len(frames) < count:
        doc.pump()
        if frames:
            session.ack(frames[-1].frame_id)
        time.sleep(0.002)


def test_watch_trains_one_epoch_per_frame_and_fast_many():
    session, doc, frames = make_session()
    session.pacing.set_speed(WATCH)
    _play_frames(session, doc, frames, 30)
    stop(session, doc)
    epochs = [f.epoch for f in frames if f.playing]
    steps = {b - a for a, b in zip(epochs, epochs[1:], strict=False)}
    assert steps == {1}, steps  # every epoch is a frame of its own
    assert all(f.speed == WATCH for f in frames[1:])
    frames.clear()
    session.pacing.set_speed(FAST)
    _play_frames(session, doc, frames, 15)
    stop(session, doc)
    epochs = [f.epoch for f in frames if f.playing]
    assert max(b - a for a, b in zip(epochs, epochs[1:], strict=False)) > 1  # several epochs a frame
    session.destroy()


def test_play_pauses_at_a_lessons_budget_and_says_why():
    lesson = load_lesson(LESSON_1)
    session, doc, frames = make_session(**{**lesson.values, "seed": "1"})
    session.set_goal(lesson.goal)
    session.play()
    pump_until(doc, lambda: frames and not frames[-1].playing and frames[-1].epoch > 0)
    budget = lesson.goal.within_epochs
    assert session.experiment.epoch == budget and not session.playing
    said = [m for f in frames for m in f.messages]
    assert said == [f"Training paused at epoch {budget}, the end of this lesson's {budget} epochs: the goal was "
                    f"reached at epoch {frames[-1].goal.reached_at}. Press Play to go on watching, or Reset to "
                    "start over."]
    session.play()  # Play goes on past the budget
    pump_until(doc, lambda: session.experiment.epoch > budget + 5)
    stop(session, doc)
    assert not any("Training paused" in m for f in frames[len(said):] for m in f.messages[1:])
    session.destroy()


def test_the_budget_message_when_the_goal_was_not_reached():
    goal = Goal.from_table({"within_epochs": 3, "test_loss_below": 1e-9}, "goal")
    session, doc, frames = make_session(dataset="gauss", network_shape=[])
    session.set_goal(goal)
    for _ in range(4):
        session.step()
        doc.pump()  # each click answered before the next (faster clicks of one kind collapse into one)
    said = [m for f in frames for m in f.messages]
    assert said == ["Training paused at epoch 3: this lesson gives 3 epochs to reach its goal. Change something "
                    "and press Reset to try again (Play goes on past the budget)."]
    session.destroy()


def _progress(holds: bool, reached_at=12) -> GoalProgress:
    return GoalProgress("test accuracy above 99% within 50 epochs", reached_at,
                        f"{'✓' if holds else '✗'} test accuracy 98.8% (goal: above 99%) · epoch 30 of 50",
                        False, "test accuracy 98.8%", holds)


def test_the_badge_keeps_reached_at_and_shows_whether_the_goal_still_holds():
    holds = goal_html(_progress(True))
    assert "lesson-goal met holds" in holds and "✓ Goal reached at epoch 12 · still met now: test accuracy" in holds
    lost = goal_html(_progress(False))
    assert "lesson-goal met lost" in lost and "Goal reached at epoch 12, but not met now: test accuracy 98.8%" in lost
    assert "✓" not in lost  # no green tick beside the cross
    assert "Goal: not yet" in goal_html(_progress(False, reached_at=None))


def test_a_goal_reached_then_lost_reads_lost_live():
    lesson = load_lesson(LESSON_1)
    tracker, experiment = GoalTracker(lesson.goal), lesson.experiment()
    while tracker.reached_at is None:
        experiment.step()
        tracker.after_epoch(experiment)
    assert tracker.progress(experiment).holds
    experiment.set_bias(0, 0, 5.0)  # every point now reads blue: half of them wrong
    progress = tracker.progress(experiment)
    assert progress.met and progress.lost and "✗ test accuracy" in progress.detail
    html = goal_html(progress)
    head = html.split("<div class='goal-head'>")[1].split("</div>")[0]
    assert "✓" not in head and "not met now" in head  # no tick for the goal ...
    assert "✓ test accuracy" not in html and "✓ test loss" not in html  # ... nor for a measure that fails
