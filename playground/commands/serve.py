"""`playground serve`: the web app, one training session per browser tab."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from ..errors import UsageError
from ..safe_text import terminal_text
from ..server import session_ids
from ..server import tuning as server_tuning
from .bounds import check_link

NAME = "serve"
HELP = "serve the playground web app (Panel + Bokeh) to browsers"
EXAMPLES = """
playground serve --show
playground serve --lesson 01-linear-boundary
playground serve --classroom --address 0.0.0.0 --allow-websocket-origin 192.168.1.20:5006
"""

CLASSROOM_EPOCHS_PER_SECOND = 60.0  # per tab: the real playground's speed (one epoch per animation frame)
# Per worker process, shared by its tabs that are training; the rest of the core draws their frames
# (measured: 30 tabs on 2 cores need about 0.7 core per process for frames at >= 5 frames/s).
CLASSROOM_TRAINING_CORES = 0.1
# Per tab: a class of 30 on 2 cores is to see 12 frames/s each (docs/benchmarks.md has what it measured);
# a frame costs the server far less since frames go to the page as messages (views/live_component.py).
CLASSROOM_FRAMES_PER_SECOND = 13.0
# Per worker process, shared by its tabs that are training: what one core sends while still answering clicks
# at once (60 tabs on 2 cores: 200 gave 6 frames/s each and a click's answer p95 0.2 s, 240 gave 7 and 0.7 s).
CLASSROOM_FRAMES_PER_PROCESS = 210.0
CLASSROOM_UNUSED_LIFETIME_MS = 5_000  # a closed tab's session is freed after this (Bokeh's default: 15 s)
CLASSROOM_CHECK_UNUSED_MS = 2_000  # how often to look for them (Bokeh's default: 17 s)
# A new page's session waits at least this long for its websocket: while a whole class joins, a slow server
# takes longer than the unused lifetime to answer every page, and Bokeh would build an expired one again.
CLASSROOM_FIRST_CONNECT_GRACE_S = 15.0
SESSION_LOG_FORMAT = "%(asctime)s pid=%(process)d %(levelname)s %(name)s: %(message)s"

log = logging.getLogger("playground.serve")
_live_sessions: set[str] = set()  # per worker process: sessions opened and not yet freed


def add_arguments(parser) -> None:
    parser.add_argument("--port", type=int, default=5006,
                        help="TCP port to listen on (default 5006; 0 picks a free one, single process only)")
    parser.add_argument("--address", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for the whole "
                             "network: students open http://<your-ip>:PORT)")
    parser.add_argument("--allow-websocket-origin", action="append", default=None, metavar="HOST[:PORT]",
                        help="host name that pages may be loaded from, repeatable (default: localhost and the "
                             "address; any IP address works); needed when students open http://<name>:PORT")
    parser.add_argument("--use-xheaders", action="store_true",
                        help="behind a reverse proxy: take the client's address and http/https from the proxy's "
                             "X-Real-Ip, X-Forwarded-For and X-Forwarded-Proto headers")
    parser.add_argument("--show", action=argparse.BooleanOptionalAction, default=False,
                        help="open the app in a browser tab once the server is up (default: --no-show)")
    parser.add_argument("--num-procs", type=int, default=None, metavar="N",
                        help="worker processes sharing the port (default 1; with --classroom, one per CPU core); "
                             "each browser tab lives in one process")
    parser.add_argument("--classroom", action="store_true",
                        help="many students at once: several worker processes, closed tabs cleaned up within "
                             f"seconds, and each tab capped at {CLASSROOM_EPOCHS_PER_SECOND:g} epochs/s")
    parser.add_argument("--max-epochs-per-second", type=float, default=None, metavar="RATE",
                        help="cap on training speed per tab (default: unlimited; --classroom: "
                             f"{CLASSROOM_EPOCHS_PER_SECOND:g})")
    parser.add_argument("--max-frames-per-second", type=float, default=None, metavar="RATE",
                        help="cap on frames per second sent to each tab (default: unlimited; --classroom: "
                             f"{CLASSROOM_FRAMES_PER_SECOND:g}); a click is always answered at once")
    parser.add_argument("--training-cores", type=float, default=None, metavar="CORES",
                        help="CPU each worker process gives training, split evenly between its tabs that are "
                             f"training (default: unlimited; --classroom: {CLASSROOM_TRAINING_CORES:g})")
    parser.add_argument("--frames-per-process", type=float, default=None, metavar="RATE",
                        help="frames per second each worker process sends, split evenly between its tabs that "
                             "are training, so that a full class's clicks are answered at once (needs "
                             f"--training-cores or --classroom; --classroom: {CLASSROOM_FRAMES_PER_PROCESS:g})")
    parser.add_argument("--url-hash", default="", metavar="HASH",
                        help="playground link (or just its #hash) that a page without its own hash starts from, "
                             "e.g. '#dataset=xor&networkShape=3'; '#lesson=NAME' opens a lesson")
    parser.add_argument("--lesson", default="", metavar="NAME",
                        help="lesson a page without its own hash opens, e.g. 01-linear-boundary (`playground "
                             "lessons` lists them; the same as --url-hash '#lesson=NAME')")


def _positive_limit(given: float | None, classroom_default: float, classroom: bool, option: str) -> float | None:
    """A limit from the command line: the given value, else the classroom's (with --classroom), else none."""

    value = classroom_default if given is None and classroom else given
    if value is not None and not value > 0:
        raise UsageError(f"{option} must be positive, not {value}")
    return value


def _settings(args) -> dict:
    """Validate the arguments and work out the server settings (no side effects)."""

    if args.port < 0 or args.port > 65535:
        raise UsageError(f"--port must be between 0 and 65535, not {args.port}")
    procs = args.num_procs if args.num_procs is not None else ((os.cpu_count() or 1) if args.classroom else 1)
    if procs < 1:
        raise UsageError(f"--num-procs must be at least 1, not {procs}")
    if procs > 1 and args.port == 0:
        raise UsageError("--num-procs above 1 needs a fixed --port (the processes must share one)")
    if procs > 1 and os.name == "nt":
        raise UsageError("--num-procs above 1 is not supported on Windows")
    cap = _positive_limit(args.max_epochs_per_second, CLASSROOM_EPOCHS_PER_SECOND, args.classroom,
                          "--max-epochs-per-second")
    fps = _positive_limit(args.max_frames_per_second, CLASSROOM_FRAMES_PER_SECOND, args.classroom,
                          "--max-frames-per-second")
    cores = _positive_limit(args.training_cores, CLASSROOM_TRAINING_CORES, args.classroom, "--training-cores")
    shared_fps = _positive_limit(args.frames_per_process, CLASSROOM_FRAMES_PER_PROCESS, args.classroom,
                                 "--frames-per-process")
    if shared_fps is not None and cores is None:
        raise UsageError("--frames-per-process is shared by the tabs that are training: it needs --training-cores "
                         "(or --classroom)")
    if (problem := session_ids.key_problem()) is not None:
        raise UsageError(problem)
    url_hash = args.url_hash
    if args.lesson:
        url_hash = "&".join(filter(None, [f"lesson={args.lesson}", url_hash.split("#", 1)[-1]]))
    if url_hash:
        option = "--lesson" if args.lesson else "--url-hash"
        _lesson, _values, warnings = check_link(url_hash, option)  # a link that may name a lesson
        if warnings:
            raise UsageError(f"{option}: {'; '.join(warnings)}")
    settings = {"port": args.port, "address": args.address, "show": args.show, "num_procs": procs,
                "max_epochs_per_second": cap, "max_frames_per_second": fps, "training_cores": cores,
                "frames_per_process": shared_fps,
                "url_hash": url_hash,
                "websocket_origin": args.allow_websocket_origin, "use_xheaders": args.use_xheaders}
    if args.classroom:
        settings["unused_session_lifetime_milliseconds"] = CLASSROOM_UNUSED_LIFETIME_MS
        settings["check_unused_sessions_milliseconds"] = CLASSROOM_CHECK_UNUSED_MS
    return settings


def _log_sessions() -> None:
    """Print the playground's log (session lifecycle, errors) to stderr, with time and worker process id."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(SESSION_LOG_FORMAT))
    logger = logging.getLogger("playground")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def _die_with_parent() -> None:
    """In a forked worker (Linux): get SIGTERM when the parent process dies, so stopping the server's
    main process (kill, a supervisor, a test harness) never leaves workers holding the port."""
    import ctypes
    import signal

    PR_SET_PDEATHSIG = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _ignore_closed_websockets(loop, context) -> None:
    """asyncio exception handler: a tab closed while a frame was on its way is not a server error.

    Tornado leaves the failed write as a task nobody awaits, and asyncio would log it with a traceback.
    """
    from tornado.iostream import StreamClosedError
    from tornado.websocket import WebSocketClosedError

    if isinstance(context.get("exception"), (WebSocketClosedError, StreamClosedError)):
        log.debug("a frame was not sent: its tab had closed")
        return
    loop.default_exception_handler(context)


def _create_app():
    import asyncio

    from playground import app as web

    loop = asyncio.get_running_loop()
    if loop.get_exception_handler() is not _ignore_closed_websockets:
        loop.set_exception_handler(_ignore_closed_websockets)
    return web.create_app()


def _create_logged_app():
    """`create_app`, plus a log line when the session opens and once its resources are freed.

    A classroom's teacher (and `scripts/load_test.py`) can read from these lines how many tabs each worker
    process holds, and check that a closed tab's training thread is really gone.
    """
    import panel as pn

    app = _create_app()
    session_id = pn.state.curdoc.session_context.id
    _live_sessions.add(session_id)
    log.info("session %s opened (%d live in this process)", session_id, len(_live_sessions))

    def closed(_session_context) -> None:
        # Bokeh runs destroy callbacks in no fixed order: destroy (idempotent) here too, so the log line tells the truth
        app.session.destroy()
        _live_sessions.discard(session_id)
        worker = "still running" if app.session.worker_alive else "stopped"
        log.info("session %s closed, training thread %s (%d live in this process)", session_id, worker,
                 len(_live_sessions))

    pn.state.on_session_destroyed(closed)
    doc = pn.state.curdoc
    doc.add_next_tick_callback(lambda: _wait_for_page(doc, session_id))
    return app


def _wait_for_page(doc, session_id: str) -> None:
    """Keep a new page's session for `CLASSROOM_FIRST_CONNECT_GRACE_S` even if its websocket has not come."""
    from tornado.ioloop import IOLoop

    context = doc.session_context.server_context.application_context if doc.session_context else None
    try:
        session = context.get_session(session_id)
    except Exception:  # already gone, or not served by Bokeh
        return
    session.block_expiration()
    IOLoop.current().call_later(CLASSROOM_FIRST_CONNECT_GRACE_S, session.unblock_expiration)


def run(args) -> int:

    settings = _settings(args)
    # Sessions read these in `create_app`; set before the worker processes fork so they inherit them.
    from playground import app as web

    if settings["max_epochs_per_second"] is not None:
        os.environ[web.MAX_EPS_ENV] = repr(settings["max_epochs_per_second"])
    if settings["max_frames_per_second"] is not None:
        os.environ[web.MAX_FPS_ENV] = repr(settings["max_frames_per_second"])
    if settings["training_cores"] is not None:
        os.environ[web.TRAINING_CORES_ENV] = repr(settings["training_cores"])
    if settings["frames_per_process"] is not None:
        os.environ[web.FRAMES_PER_PROCESS_ENV] = repr(settings["frames_per_process"])
    if settings["url_hash"]:
        os.environ[web.URL_HASH_ENV] = settings["url_hash"]
    extra = {k: settings[k] for k in ("unused_session_lifetime_milliseconds", "check_unused_sessions_milliseconds")
             if k in settings}
    if settings["num_procs"] > 1:
        extra["num_procs"] = settings["num_procs"]
        if sys.platform.startswith("linux"):
            os.register_at_fork(after_in_child=_die_with_parent)
    if settings["use_xheaders"]:
        extra["use_xheaders"] = True
    where = f"http://{'localhost' if settings['address'] in ('127.0.0.1', '0.0.0.0') else settings['address']}"
    print(terminal_text(f"playground serve: {where}:{settings['port']}/ (Ctrl+C stops)"), flush=True)
    factory = _create_app
    if args.classroom:
        _log_sessions()
        server_tuning.tune_for_classroom()
        factory = _create_logged_app
    from panel.io.application import build_applications

    from playground.server import early_link, hosting
    from playground.server.spare_sessions import SpareSessionHandler

    apps = build_applications({"/": factory}, title=web.TITLE)
    if not args.classroom:  # sessions built ahead (`SpareSessionHandler` says why not for a class)
        apps["/"].add(SpareSessionHandler())
    session_ids.secret_key()  # made before any worker forks: every worker signs with it
    try:  # signed session ids, host names checked, bounded connections (`hosting`)
        # several processes: the parent routes connections until stopped; each worker serves on from here
        worker = _start_workers(settings, apps, extra)
        hosting.serve(apps, port=settings["port"], address=settings["address"], show=settings["show"],
                      origins=settings["websocket_origin"], extra_patterns=early_link.extra_patterns(),
                      prepare=_warmed_up(worker.attach if worker is not None else None), **extra)
    except OSError as exc:
        raise UsageError(f"cannot listen on {settings['address']}:{settings['port']}: {exc.strerror or exc}") from None
    return 0


def _warmed_up(attach):
    """What a serving process does before its first page (each worker after the fork: a GPU must not be
    probed before one): probe the engines, whose import of PyTorch takes seconds, which the first page's build
    would otherwise spend holding the event loop while a class joins; then `attach` (a worker's)."""
    from playground import app as web

    def prepare(server) -> None:
        web.engine_choices()
        if attach is not None:
            attach(server)
    return prepare


def _start_workers(settings: dict, apps: dict, extra: dict):
    """With several worker processes: this process listens and routes each page's connections to the worker
    holding its session (`worker_router`); returns in each worker its `WorkerProcess`, with `settings` and
    `extra` made that worker's. None: one process, or Bokeh's own sharing of the port (a Bokeh the router
    cannot serve through)."""
    from playground.server import worker_process, worker_router
    from playground.server.patches import handed_connections

    if settings["num_procs"] == 1 or not handed_connections.available():
        return None
    apps["/"].add(worker_process.session_reports())
    shown = f"http://localhost:{settings['port']}/" if settings["show"] else None
    worker = worker_router.start(settings["address"], settings["port"], settings["num_procs"], show=shown)
    del extra["num_procs"]
    extra.update(worker.server_options(settings["websocket_origin"], settings["port"]))
    settings.update(show=False, websocket_origin=extra.pop("websocket_origin"))
    return worker
