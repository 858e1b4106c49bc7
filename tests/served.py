"""Helpers for tests that serve the app in-process: a free port (the package's, which scripts/ use too),
whether a port is listening, waiting for a condition, and the app served as `playground serve` serves it."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

from playground.server.ports import free_port

__all__ = ["free_port", "listening", "served_app", "wait"]


@contextmanager
def served_app(title: str) -> Iterator[str]:
    """`create_app` served on a thread through `hosting.serve`, with the early link's route, as `playground
    serve` serves it; yields its base URL (no trailing slash)."""
    from panel.io.application import build_applications

    from playground.app import create_app
    from playground.server import early_link, hosting

    apps = build_applications({"/": create_app}, title=title)
    port = free_port()
    server = hosting.serve(apps, port=port, address="127.0.0.1", threaded=True,
                           extra_patterns=early_link.extra_patterns())
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait(condition, timeout_s: float = 30.0):
    """`condition()`'s first true value, polled every 50 ms; AssertionError after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")
