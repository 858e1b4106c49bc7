"""Clients that send a post's headers and never its body, more of them than the server has file descriptors:
they are dropped after the body timeout, the server answers the next page, and its log stays small.

The server runs as `playground serve` in a process of its own with a lowered open-file limit (`ulimit -n`)."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from playground.server import hosting

from .served import free_port, wait

FILE_LIMIT = 128  # the server's `ulimit -n`: it uses ~40 of them before any client comes
SLOW_CLIENTS = 200
PAGE_ANSWERED_WITHIN_S = 4 * hosting.BODY_TIMEOUT_S  # the slow ones are dropped after BODY_TIMEOUT_S
LOG_LIMIT_BYTES = 20_000  # without the fix: ~4 MB a second of tracebacks
SLOW_POST = ("POST /page-link HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
             "Content-Length: 100\r\n\r\n")


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILE_LIMIT, FILE_LIMIT))


@pytest.fixture
def server(tmp_path):
    port = free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "playground", "serve", "--port", str(port), "--no-show"],
                                   stdout=out, stderr=subprocess.STDOUT, env=env, preexec_fn=_limited)
    try:
        wait(lambda: process.poll() is not None or _answers(port, timeout_s=5), timeout_s=120)
        assert process.poll() is None, log.read_text(errors="replace")
        yield port, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _answers(port: int, timeout_s: float) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=timeout_s) as response:
            return response.status == 200
    except OSError:
        return False


def _slow_clients(port: int, count: int) -> list[socket.socket]:
    """Connections that send a post's headers and then nothing (those the backlog cannot hold are left out)."""
    clients = []
    for _ in range(count):
        sock = socket.socket()
        sock.settimeout(2)
        try:
            sock.connect(("127.0.0.1", port))
            sock.sendall(SLOW_POST.format(port=port).encode())
        except OSError:
            sock.close()
            continue
        clients.append(sock)
    return clients


@pytest.mark.slow
def test_slow_bodies_beyond_the_file_limit_are_dropped_and_the_next_page_is_answered(server):
    port, log = server
    size_at_start = log.stat().st_size
    clients = _slow_clients(port, SLOW_CLIENTS)
    try:
        assert len(clients) > FILE_LIMIT  # more than the server can hold open at once
        started = time.monotonic()
        assert _answers(port, timeout_s=PAGE_ANSWERED_WITHIN_S)
        answered_s = time.monotonic() - started
        time.sleep(1)  # anything the server still logs about them
        grown = log.stat().st_size - size_at_start
        print(f"{len(clients)} slow clients: next page answered after {answered_s:.1f} s; log grew {grown} bytes")
        assert grown < LOG_LIMIT_BYTES, log.read_text(errors="replace")[-3000:]
        assert "Traceback" not in log.read_text(errors="replace")
    finally:
        for sock in clients:
            sock.close()
