"""A worker process's end of `worker_router`: it serves the connections the router hands it, tells the router
each session it builds and frees, and sets the worker cookie on its answers so that a browser's later
requests come back to it.
"""

from __future__ import annotations

import logging
import socket
from http.cookies import CookieError

from bokeh.application.handlers.handler import Handler

log = logging.getLogger(__name__)

COOKIE = "playground_worker"
REPORT_BYTES = 512  # a session report: "+" or "-" and a session id


class WorkerProcess:
    """One worker's end: takes the connections the parent hands it, reports its sessions, sets the cookie."""

    def __init__(self, index: int, channel: socket.socket, socket_path: str):
        self.index, self.channel, self.socket_path = index, channel, socket_path
        _reporter.channel = channel

    def server_options(self, origins: list[str] | None, port: int) -> dict:
        """`pn.serve` options for this worker: Bokeh listens on the private Unix socket; the pages' websocket
        origins are those Bokeh would allow for the public port."""
        from bokeh.server.util import create_hosts_allowlist

        return {"unix_socket": self.socket_path, "websocket_origin": create_hosts_allowlist(origins, port)}

    def attach(self, server) -> bool:
        """Serve the connections handed over on `server` (a Bokeh server, built, not started)."""
        from tornado.ioloop import IOLoop

        from .patches import handed_connections

        http = handed_connections.http_server_of(server)
        if http is None:
            return False
        http.request_callback.add_transform(_cookie_transform(self.index))
        self.channel.setblocking(False)
        server.io_loop.add_handler(self.channel.fileno(), lambda _fd, _events: self._take(http), IOLoop.READ)
        return True

    def _take(self, http) -> None:
        from tornado.iostream import IOStream

        while True:
            try:
                _data, fds, _flags, _address = socket.recv_fds(self.channel, 16, 8)
            except (BlockingIOError, InterruptedError):
                return
            if not fds:
                return
            for fd in fds:
                connection = socket.socket(fileno=fd)
                try:
                    address = connection.getpeername()
                except OSError:  # already gone
                    connection.close()
                    continue
                connection.setblocking(False)
                stream = IOStream(connection, max_buffer_size=http.max_buffer_size,
                                  read_chunk_size=http.read_chunk_size)
                http.handle_stream(stream, address)


def _cookie_transform(index: int):
    """A tornado output transform: answers to a request without this worker's cookie set it."""
    from tornado.web import OutputTransform

    value = str(index)

    class WorkerCookie(OutputTransform):
        def __init__(self, request):
            super().__init__(request)
            try:
                morsel = request.cookies.get(COOKIE)
            except CookieError:
                morsel = None
            self.needed = morsel is None or morsel.value != value

        def transform_first_chunk(self, status_code, headers, chunk, finishing):
            if self.needed:
                headers.add("Set-Cookie", f"{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax")
            return super().transform_first_chunk(status_code, headers, chunk, finishing)

    return WorkerCookie


class SessionReports(Handler):
    """Added to the app's Bokeh Application: in a worker, tells the parent each session it builds and frees."""

    channel: socket.socket | None = None

    def modify_document(self, doc) -> None:
        pass  # the app's own handler builds the document

    async def on_session_created(self, session_context) -> None:
        self._send(b"+", session_context.id)

    async def on_session_destroyed(self, session_context) -> None:
        self._send(b"-", session_context.id)

    def _send(self, kind: bytes, session_id: str) -> None:
        if self.channel is None:
            return
        try:
            self.channel.send(kind + session_id.encode("ascii", "replace")[: REPORT_BYTES - 1])
        except OSError:  # the parent's queue is full or it is gone: its websocket then goes by the cookie
            log.debug("could not report session %s to the router", session_id)


_reporter = SessionReports()


def session_reports() -> SessionReports:
    """The handler to add to the app's Application (one per process)."""
    return _reporter
