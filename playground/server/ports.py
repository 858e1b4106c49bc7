"""A TCP port free on this machine, for a server started on it next: the tests and the benchmark scripts
(scripts/) serve the app on one. Tornado's test helper binds it; the server that gets it binds it again."""

from __future__ import annotations

from tornado.testing import bind_unused_port


def free_port(address: str = "127.0.0.1") -> int:
    sock, port = bind_unused_port(address=address)
    sock.close()
    return port
