"""`playground serve`: the web app, one training session per browser tab."""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # tiny matrices: BLAS threads only add contention

NAME = "serve"
HELP = "serve the playground web app (Panel + Bokeh) to browsers"

CLASSROOM_EPOCHS_PER_SECOND = 60.0  # per tab: enough to watch learning, cheap enough for 30 tabs
CLASSROOM_UNUSED_LIFETIME_MS = 5_000  # a closed tab's session is freed after this (Bokeh's default: 15 s)
CLASSROOM_CHECK_UNUSED_MS = 2_000  # how often to look for them (Bokeh's default: 17 s)


def add_arguments(parser) -> None:
    parser.add_argument("--port", type=int, default=5006,
                        help="TCP port to listen on (default 5006; 0 picks a free one, single process only)")
    parser.add_argument("--address", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for the whole "
                             "network, together with --allow-websocket-origin)")
    parser.add_argument("--allow-websocket-origin", action="append", default=None, metavar="HOST[:PORT]",
                        help="host that pages may be loaded from, repeatable (default: the address and localhost "
                             "at --port); needed when students open http://<your-ip>:PORT")
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
    parser.add_argument("--url-hash", default="", metavar="HASH",
                        help="playground link (or just its #hash) that a page without its own hash starts from, "
                             "e.g. '#dataset=xor&networkShape=3'")


def _settings(args) -> dict:
    """Validate the arguments and work out the server settings (no side effects)."""
    from playground.cli import UsageError

    if args.port < 0 or args.port > 65535:
        raise UsageError(f"--port must be between 0 and 65535, not {args.port}")
    procs = args.num_procs if args.num_procs is not None else ((os.cpu_count() or 1) if args.classroom else 1)
    if procs < 1:
        raise UsageError(f"--num-procs must be at least 1, not {procs}")
    if procs > 1 and args.port == 0:
        raise UsageError("--num-procs above 1 needs a fixed --port (the processes must share one)")
    if procs > 1 and os.name == "nt":
        raise UsageError("--num-procs above 1 is not supported on Windows")
    cap = args.max_epochs_per_second
    if cap is None and args.classroom:
        cap = CLASSROOM_EPOCHS_PER_SECOND
    if cap is not None and not cap > 0:
        raise UsageError(f"--max-epochs-per-second must be positive, not {cap}")
    if args.url_hash:
        from playground.links import parse_link

        _values, warnings = parse_link(args.url_hash)
        if warnings:
            raise UsageError(f"--url-hash: {'; '.join(warnings)}")
    settings = {"port": args.port, "address": args.address, "show": args.show, "num_procs": procs,
                "max_epochs_per_second": cap, "url_hash": args.url_hash,
                "websocket_origin": args.allow_websocket_origin}
    if args.classroom:
        settings["unused_session_lifetime_milliseconds"] = CLASSROOM_UNUSED_LIFETIME_MS
        settings["check_unused_sessions_milliseconds"] = CLASSROOM_CHECK_UNUSED_MS
    return settings


def run(args) -> int:
    from playground.cli import UsageError

    settings = _settings(args)
    # Sessions read these in `create_app`; set before the worker processes fork so they inherit them.
    from playground import app as web

    if settings["max_epochs_per_second"] is not None:
        os.environ[web.MAX_EPS_ENV] = repr(settings["max_epochs_per_second"])
    if settings["url_hash"]:
        os.environ[web.URL_HASH_ENV] = settings["url_hash"]
    import panel as pn

    extra = {k: settings[k] for k in ("unused_session_lifetime_milliseconds", "check_unused_sessions_milliseconds")
             if k in settings}
    if settings["num_procs"] > 1:
        extra["num_procs"] = settings["num_procs"]
    where = f"http://{'localhost' if settings['address'] in ('127.0.0.1', '0.0.0.0') else settings['address']}"
    print(f"playground serve: {where}:{settings['port']}/ (Ctrl+C stops)", flush=True)
    try:
        pn.serve(web.create_app, port=settings["port"], address=settings["address"], show=settings["show"],
                 title=web.TITLE, websocket_origin=settings["websocket_origin"], verbose=False, **extra)
    except OSError as exc:
        raise UsageError(f"cannot listen on {settings['address']}:{settings['port']}: {exc.strerror or exc}") from None
    return 0
