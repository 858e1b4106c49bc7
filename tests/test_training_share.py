"""The classroom's training share: a process's training CPU split evenly between the sessions training."""

from __future__ import annotations

import time

import pytest

from playground.live.training_share import BURST_SECONDS, JOINING_SHARE, TrainingShare, process_share

from .test_session import make_session, stop


def test_share_splits_evenly_between_training_sessions():
    share = TrainingShare(0.6)
    assert share.per_session() == pytest.approx(0.6)
    share.join(1)
    share.join(2)
    share.join(3)
    assert share.per_session() == pytest.approx(0.2)
    share.leave(2)
    share.leave(2)  # leaving twice is harmless (an old worker exiting late)
    assert share.sessions == 2 and share.per_session() == pytest.approx(0.3)


def test_a_session_over_its_credit_waits_in_proportion_to_its_debt():
    share = TrainingShare(0.5)
    share.join(1)
    share.join(2)  # 0.25 cores each
    assert share.wait_time(1) == 0.0 or share.wait_time(1) < 1e-3
    share.spend(1, 0.1)
    wait = share.wait_time(1)
    assert 0.3 < wait <= 0.4  # 0.1 s of debt at 0.25 cores takes 0.4 s to repay (less the time passed)
    assert share.wait_time(2) < 1e-3  # the other session is not held back
    assert share.wait_time(99) == 0.0  # not training: never throttled


def test_credit_is_capped_so_an_idle_session_cannot_bank_a_long_burst():
    share = TrainingShare(1.0)
    share.join(1)
    time.sleep(0.2)
    share.wait_time(1)
    share.spend(1, BURST_SECONDS + 0.05)
    assert share.wait_time(1) > 0.0


def test_bad_share_is_refused():
    with pytest.raises(ValueError, match="positive"):
        TrainingShare(0)


def test_a_frame_budget_is_split_like_the_cores_and_must_be_positive():
    share = TrainingShare(0.1, frames_per_second=30)
    assert share.frames_per_session() == 30
    share.join(1)
    share.join(2)
    assert share.frames_per_session() == 15
    assert TrainingShare(0.1).frames_per_session() is None
    with pytest.raises(ValueError, match="positive"):
        TrainingShare(0.1, frames_per_second=0)


def test_process_share_is_one_object_per_process():
    assert process_share(0.3) is process_share(0.3)


def test_sessions_sharing_a_small_budget_stay_within_it():
    share = TrainingShare(0.02)  # 20 ms of training per second, for both sessions together
    sessions = [make_session(), make_session()]
    for session, _doc, _frames in sessions:
        session.pacing.training_share = share
        session.play()
    started = time.monotonic()
    while time.monotonic() - started < 1.5:
        for _session, doc, _frames in sessions:
            doc.pump()
        time.sleep(0.005)
    elapsed = time.monotonic() - started
    for session, doc, _frames in sessions:
        stop(session, doc)
    epochs = [session.experiment.epoch for session, _doc, _frames in sessions]
    # Unthrottled, each would train hundreds of epochs in 1.5 s (about 1 ms each).
    assert 0 < share.spent <= 0.02 * elapsed + 2 * BURST_SECONDS + 0.05, (share.spent, epochs)
    assert sum(epochs) < 300, epochs  # at about 1 ms an epoch, 30 ms of budget plus two bursts
    assert all(e >= 1 for e in epochs), epochs  # both trained: the share is split, not taken by one
    assert share.sessions == 0  # workers leave the share when they stop
    for session, _doc, _frames in sessions:
        session.destroy()


def test_the_frame_budget_shrinks_while_pages_of_the_process_are_joining():
    joining = [False]
    share = TrainingShare(0.1, 200.0, joining=lambda: joining[0])
    share.join(1)
    share.join(2)
    assert share.frames_per_session() == pytest.approx(100.0)
    joining[0] = True
    assert share.frames_per_session() == pytest.approx(200.0 * JOINING_SHARE / 2)
    assert TrainingShare(0.1, joining=lambda: True).frames_per_session() is None  # no budget: nothing to shrink
