"""Helpers for tests that serve the app in-process: a free port (the package's, which scripts/ use too),
whether a port is listening, and waiting for a condition."""

from __future__ import annotations

import socket
import time

from playground.server.ports import free_port

__all__ = ["free_port", "listening", "wait"]


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
