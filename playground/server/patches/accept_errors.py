"""A server out of file descriptors pauses accepting for a moment, and says so once, instead of spinning.

Tornado's accept loop (`tornado.netutil.add_accept_handler`) lets any error of `accept()` other than "no
more connections" escape. When the process has no file descriptor left (`EMFILE`, e.g. a thousand clients
that send headers and never a body), the listening socket stays readable, so the loop calls it again at
once: asyncio logged one traceback per call (532,672 tracebacks, 352 MB of log in a minute) while pages went
unanswered.

Patched: `tornado.tcpserver.add_accept_handler` (the name TCPServer looks up when it starts listening) gets
the listening socket wrapped: on a resource error its `accept()` stops watching the socket for
`PAUSE_S` (the kernel's backlog holds new connections meanwhile), logs one warning per interval with no
traceback, and tells tornado's loop there is nothing to accept. Connections that time out (`hosting`: body
and header timeouts) give their descriptors back, and accepting resumes. Can go once tornado backs off from
resource errors in `add_accept_handler` itself.
"""

from __future__ import annotations

import errno
import logging
import socket

from ..log_limits import Throttled
from . import installed_marker, left_out, missing

log = logging.getLogger(__name__)

MARKER = "_playground_pauses_on_exhaustion"
PAUSE_S = 0.5
RESOURCE_ERRORS = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}
_said = Throttled(log)


class PausingListener:
    """The listening socket as tornado's accept loop sees it: `fileno()` and `accept()`."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.closed = False  # tornado removed its handler: never watch the socket again

    def fileno(self) -> int:
        return self.sock.fileno()

    def close(self) -> None:  # an IOLoop closed with all_fds closes what it watches
        self.sock.close()

    def accept(self):
        try:
            return self.sock.accept()
        except OSError as exc:
            if exc.errno not in RESOURCE_ERRORS:
                raise
            _said.warning("not accepting connections for %.1f s: %s (each connection holds one; slow or idle "
                          "ones are dropped after their timeout)", PAUSE_S, exc.strerror or exc)
            self._pause()
            raise BlockingIOError from None  # tornado's loop: nothing more to accept now

    def _pause(self) -> None:
        from tornado.ioloop import IOLoop

        loop = IOLoop.current()
        loop.update_handler(self, 0)
        loop.call_later(PAUSE_S, self._resume, loop)

    def _resume(self, loop) -> None:
        if not self.closed and self.sock.fileno() != -1:
            loop.update_handler(self, loop.READ)


def install() -> bool:
    """Once per process, before the server listens; True where accepting now pauses on exhaustion."""
    from tornado import tcpserver

    absent = missing(tcpserver, "add_accept_handler")
    if absent:
        return left_out("pausing the accept loop when file descriptors run out", absent)
    original = tcpserver.add_accept_handler
    if installed_marker(original, MARKER):
        return True

    def add_accept_handler(sock, callback):
        listener = PausingListener(sock)
        remove = original(listener, callback)

        def remove_handler() -> None:
            listener.closed = True
            remove()

        return remove_handler

    setattr(add_accept_handler, MARKER, True)
    tcpserver.add_accept_handler = add_accept_handler
    return True
