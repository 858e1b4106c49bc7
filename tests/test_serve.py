"""`playground serve` settings: the classroom's limits, and what the server keeps out of its error log."""

from __future__ import annotations

import argparse

import pytest
from tornado.websocket import WebSocketClosedError

from playground.commands import serve
from playground.errors import UsageError


def settings(*argv: str) -> dict:
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    return serve._settings(parser.parse_args(list(argv)))


def test_classroom_caps_each_tab_and_shares_training_cpu():
    plain = settings()
    assert plain["max_epochs_per_second"] is None and plain["training_cores"] is None
    assert plain["num_procs"] == 1
    classroom = settings("--classroom", "--port", "5006")
    assert classroom["max_epochs_per_second"] == serve.CLASSROOM_EPOCHS_PER_SECOND
    assert classroom["training_cores"] == serve.CLASSROOM_TRAINING_CORES
    assert classroom["max_frames_per_second"] == serve.CLASSROOM_FRAMES_PER_SECOND
    assert plain["max_frames_per_second"] is None
    assert classroom["unused_session_lifetime_milliseconds"] == serve.CLASSROOM_UNUSED_LIFETIME_MS
    assert settings("--classroom", "--training-cores", "0.5")["training_cores"] == 0.5
    assert classroom["frames_per_process"] == serve.CLASSROOM_FRAMES_PER_PROCESS and plain["frames_per_process"] is None
    assert settings("--training-cores", "0.2", "--frames-per-process", "90")["frames_per_process"] == 90


@pytest.mark.parametrize("argv, message", [
    (["--training-cores", "0"], "--training-cores must be positive"),
    (["--max-frames-per-second", "0"], "--max-frames-per-second must be positive"),
    (["--classroom", "--frames-per-process", "0"], "--frames-per-process must be positive"),
    (["--frames-per-process", "100"], "needs --training-cores"),
    (["--max-epochs-per-second", "-1"], "--max-epochs-per-second must be positive"),
    (["--num-procs", "0"], "--num-procs must be at least 1"),
    (["--num-procs", "2", "--port", "0"], "needs a fixed --port"),
    (["--port", "70000"], "between 0 and 65535"),
])
def test_bad_settings_are_refused_with_a_message(argv, message):
    with pytest.raises(UsageError, match=message):
        settings(*argv)


class Loop:
    def __init__(self):
        self.reported = []

    def default_exception_handler(self, context):
        self.reported.append(context)


def test_a_frame_cut_off_by_a_closing_tab_is_not_logged_as_an_error():
    loop = Loop()
    serve._ignore_closed_websockets(loop, {"message": "Task exception was never retrieved",
                                           "exception": WebSocketClosedError()})
    assert loop.reported == []
    real = {"message": "boom", "exception": RuntimeError("boom")}
    serve._ignore_closed_websockets(loop, real)
    assert loop.reported == [real]


@pytest.mark.parametrize("classroom", [False, True])
def test_pages_get_sessions_built_ahead_except_in_a_classroom(monkeypatch, classroom):
    from playground import app as web
    from playground.server import hosting
    from playground.server.spare_sessions import SpareSessionHandler

    for name in (web.MAX_EPS_ENV, web.MAX_FPS_ENV, web.TRAINING_CORES_ENV, web.URL_HASH_ENV):
        monkeypatch.setenv(name, "")  # run() sets these for its worker processes: restored after the test
    monkeypatch.setattr(serve.server_tuning, "tune_for_classroom", lambda: None)
    monkeypatch.setattr(serve, "_log_sessions", lambda: None)
    served = {}
    monkeypatch.setattr(hosting, "serve", lambda apps, **settings: served.update(apps))
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    assert serve.run(parser.parse_args(["--port", "5999", "--num-procs", "1"] + ["--classroom"] * classroom)) == 0
    handlers = [type(h) for h in served["/"].handlers]
    assert (SpareSessionHandler in handlers) is not classroom


def test_a_serving_process_probes_the_engines_before_its_first_page(monkeypatch):
    from playground import app as web

    calls = []
    monkeypatch.setattr(web, "engine_choices", lambda: calls.append("engines"))
    serve._warmed_up(lambda server: calls.append(("attach", server)))("the server")
    serve._warmed_up(None)("a lone process's server")
    assert calls == ["engines", ("attach", "the server"), "engines"]
