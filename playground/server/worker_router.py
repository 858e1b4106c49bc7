"""Several worker processes on one port, each page's connections reaching the worker that holds its session.

Bokeh's own `--num-procs` lets the worker processes share the listening socket, and the operating system
picks one per connection: a page's websocket then reaches another process than its page half of the time,
and that process builds the page's session again. Here the parent process listens instead, and hands each
connection, as soon as its first request's headers are there, to one worker:
- a websocket carries its page's token, so its session id: it goes to the worker that built that session
  (each worker tells the parent the sessions it builds and frees: `worker_process.SessionReports`);
- any other request with the worker cookie (`playground_worker=K`, which every worker sets on its answers)
  goes to worker K: a browser's requests after its first page (its scripts, its page-link post) stay there;
- anything else goes to the next worker in turn.
The parent only peeks at the headers (the bytes stay in the socket) and passes the connection's file
descriptor to the worker over a Unix socket pair; the worker's HTTP server then serves it as if it had
accepted it. Per connection that costs the parent a peek and a send; it never sees a message of a page.
Each worker's Bokeh server also listens on a Unix socket in a private folder (Bokeh needs something to
listen on), which nobody connects to.

The parent restarts a worker that dies (as tornado's `fork_processes` does, at most `MAX_RESTARTS` times)
and stops the workers when it is told to stop (SIGTERM, SIGINT).
"""

from __future__ import annotations

import errno
import logging
import os
import selectors
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie

from .worker_process import COOKIE, REPORT_BYTES, WorkerProcess

log = logging.getLogger(__name__)

MAX_HEADER_BYTES = 16 * 1024  # what is peeked; a request's routing headers come well within it
PEEK_AGAIN_S = 0.01  # headers split over several packets: look again this much later
# No complete headers by then (a browser's connection opened ahead, a slow client): the next worker takes
# the connection, and its own timeouts with it.
HEADERS_WAIT_S = 10.0
MAX_RESTARTS = 100  # as tornado's fork_processes


# ---------------------------------------------------------------------------------------------- the request
@dataclass
class FirstRequest:
    """What routing needs from a connection's first request."""

    session_id: str | None = None  # a websocket's, from its token
    worker: int | None = None  # the worker cookie's


def read_first_request(head: bytes) -> FirstRequest:
    """The routing headers of `head` (a request's bytes up to the end of its headers)."""
    request = FirstRequest()
    lines = head.split(b"\r\n")[1:]
    headers: dict[str, str] = {}
    for line in lines:
        name, colon, value = line.partition(b":")
        if colon:
            key = name.strip().lower().decode("latin-1")
            text = value.strip().decode("latin-1")
            headers[key] = f"{headers[key]}; {text}" if key == "cookie" and key in headers else text
    if headers.get("upgrade", "").lower() == "websocket":
        protocols = [p.strip() for p in headers.get("sec-websocket-protocol", "").split(",")]
        if len(protocols) == 2 and protocols[0] == "bokeh":
            request.session_id = _session_of(protocols[1])
    if "cookie" in headers:
        try:
            morsel = SimpleCookie(headers["cookie"]).get(COOKIE)
        except CookieError:
            morsel = None
        if morsel is not None and morsel.value.isdigit():
            request.worker = int(morsel.value)
    return request


def _session_of(token: str) -> str | None:
    from bokeh.util.token import get_session_id

    try:
        return get_session_id(token)
    except Exception:  # not a token: the worker it reaches refuses it
        return None


# ---------------------------------------------------------------------------------------------- the parent
@dataclass
class _Worker:
    index: int
    pid: int
    channel: socket.socket  # the parent's end of the socket pair
    outbox: deque = field(default_factory=deque)  # connections waiting for the channel to take them
    sessions: set[str] = field(default_factory=set)


@dataclass
class _Pending:
    connection: socket.socket
    since: float
    next_peek: float | None = None  # part of the headers came: look again then (else: when readable)

    def due(self) -> float:
        return self.next_peek if self.next_peek is not None else self.since + HEADERS_WAIT_S


class Router:
    """The parent: listens, routes connections, keeps the workers running (see the module's docstring)."""

    def __init__(self, sockets: list[socket.socket], workers: int, folder: str):
        self.sockets, self.count, self.folder = sockets, workers, folder
        self.workers: dict[int, _Worker] = {}
        self.owner: dict[str, int] = {}  # session id -> worker index
        self.pending: dict[int, _Pending] = {}  # fd -> connection whose headers are not complete yet
        self.turn = 0
        self.restarts = 0
        self.stopping = False
        self.selector = selectors.DefaultSelector()

    # ---- workers
    def start_worker(self, index: int) -> WorkerProcess | None:
        """Fork worker `index`: in the child, its `WorkerProcess`; in the parent, None."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        pid = os.fork()
        if pid == 0:
            ours.close()
            self._forget_in_child()
            return WorkerProcess(index, theirs, os.path.join(self.folder, f"worker-{index}.sock"))
        theirs.close()
        ours.setblocking(False)
        self.workers[index] = _Worker(index, pid, ours)
        self.selector.register(ours, selectors.EVENT_READ, ("channel", index))
        return None

    def _forget_in_child(self) -> None:
        """A worker keeps none of the parent's sockets (the listening ones, other workers' channels)."""
        for sock in self.sockets:
            sock.close()
        for worker in self.workers.values():
            worker.channel.close()
        for pending in self.pending.values():
            pending.connection.close()
        self.selector.close()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    def _worker_exited(self, pid: int, status: int) -> WorkerProcess | None:
        index = next((w.index for w in self.workers.values() if w.pid == pid), None)
        if index is None:
            return None
        worker = self.workers.pop(index)
        self.selector.unregister(worker.channel)
        worker.channel.close()
        for session_id in worker.sessions:
            self.owner.pop(session_id, None)
        for connection in worker.outbox:
            connection.close()
        code = os.waitstatus_to_exitcode(status)
        if self.stopping:
            return None
        if code == 0 or self.restarts >= MAX_RESTARTS:
            log.error("worker %d (pid %d) exited (%d); not starting it again", index, pid, code)
            if not self.workers:
                raise SystemExit(1)
            return None
        self.restarts += 1
        log.error("worker %d (pid %d) exited (%d): starting it again; its %d pages were lost", index, pid, code,
                  len(worker.sessions))
        return self.start_worker(index)

    # ---- routing
    def choose(self, request: FirstRequest) -> int | None:
        if request.session_id is not None and request.session_id in self.owner:
            return self.owner[request.session_id]
        if request.worker is not None and request.worker in self.workers:
            return request.worker
        live = sorted(self.workers)
        if not live:
            return None
        self.turn = (self.turn + 1) % len(live)
        return live[self.turn]

    def _accept(self, listener: socket.socket) -> None:
        for _ in range(64):  # a burst of connections at once, then back to the others
            try:
                connection, _address = listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # out of file descriptors: try again shortly, not in a spin
                if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    log.warning("accepting a connection failed: %s", exc)
                    time.sleep(0.05)
                return
            connection.setblocking(False)
            pending = _Pending(connection, time.monotonic())
            self.pending[connection.fileno()] = pending
            self.selector.register(connection, selectors.EVENT_READ, ("pending", connection.fileno()))

    def _peek(self, fd: int, now: float) -> None:
        """Look at a waiting connection's first bytes: hand it over once its headers are complete (or it has
        waited too long); look again shortly if only part of them is there."""
        pending = self.pending[fd]
        try:
            head = pending.connection.recv(MAX_HEADER_BYTES, socket.MSG_PEEK)
        except (BlockingIOError, InterruptedError):
            head = None
        except OSError:  # reset before it said anything
            head = b""
        if head == b"":  # closed before it said anything
            self._unwait(fd).close()
            return
        complete = head is not None and (b"\r\n\r\n" in head or len(head) >= MAX_HEADER_BYTES)
        if complete or now - pending.since >= HEADERS_WAIT_S:
            connection = self._unwait(fd)
            self._hand(connection, read_first_request(head.split(b"\r\n\r\n")[0]) if head else FirstRequest())
        elif head is not None and pending.next_peek is None:  # part of them: poll (the socket stays readable)
            self.selector.unregister(pending.connection)
            pending.next_peek = now + PEEK_AGAIN_S
        elif pending.next_peek is not None:
            pending.next_peek = now + PEEK_AGAIN_S

    def _unwait(self, fd: int) -> socket.socket:
        pending = self.pending.pop(fd)
        if pending.next_peek is None:
            self.selector.unregister(pending.connection)
        return pending.connection

    def _hand(self, connection: socket.socket, request: FirstRequest) -> None:
        index = self.choose(request)
        if index is None:
            connection.close()
            return
        worker = self.workers[index]
        worker.outbox.append(connection)
        self._flush(worker)

    def _flush(self, worker: _Worker) -> None:
        while worker.outbox:
            connection = worker.outbox[0]
            try:
                socket.send_fds(worker.channel, [b"c"], [connection.fileno()])
            except (BlockingIOError, InterruptedError):
                break
            except OSError as exc:  # the worker is gone: its exit is noticed on the next turn
                log.debug("handing a connection to worker %d failed: %s", worker.index, exc)
                break
            worker.outbox.popleft()
            connection.close()  # the worker holds its own copy now
        events = selectors.EVENT_READ | (selectors.EVENT_WRITE if worker.outbox else 0)
        self.selector.modify(worker.channel, events, ("channel", worker.index))

    def _reports(self, worker: _Worker) -> None:
        while True:
            try:
                report = worker.channel.recv(REPORT_BYTES)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            if not report:
                return
            session_id = report[1:].decode("ascii", "replace")
            if report[:1] == b"+":
                worker.sessions.add(session_id)
                self.owner[session_id] = worker.index
            elif report[:1] == b"-":
                worker.sessions.discard(session_id)
                if self.owner.get(session_id) == worker.index:
                    del self.owner[session_id]

    # ---- the loop
    def run(self) -> WorkerProcess | None:
        """Route until stopped (then exit the process); returns only in a worker process started anew."""
        for sock in self.sockets:
            sock.setblocking(False)
            self.selector.register(sock, selectors.EVENT_READ, ("listen", sock))

        def stop(signum, _frame) -> None:
            self.stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not self.stopping:
            now = time.monotonic()
            due = min((p.due() for p in self.pending.values()), default=now + 0.5)
            try:
                ready = self.selector.select(min(max(0.0, due - now), 0.5))
            except InterruptedError:
                continue
            for key, events in ready:
                kind, what = key.data
                if kind == "listen":
                    self._accept(what)
                elif kind == "pending":
                    if what in self.pending:
                        self._peek(what, time.monotonic())
                elif what in self.workers:
                    worker = self.workers[what]
                    if events & selectors.EVENT_READ:
                        self._reports(worker)
                    if events & selectors.EVENT_WRITE:
                        self._flush(worker)
            now = time.monotonic()
            for fd in [fd for fd, p in self.pending.items() if p.due() <= now]:
                self._peek(fd, now)
            while True:
                try:
                    pid, status = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    pid = 0
                if not pid:
                    break
                child = self._worker_exited(pid, status)
                if child is not None:
                    return child
        self._stop_workers()
        raise SystemExit(0)

    def _stop_workers(self) -> None:
        for worker in self.workers.values():
            try:
                os.kill(worker.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        for worker in list(self.workers.values()):
            while time.monotonic() < deadline:
                try:
                    done, _ = os.waitpid(worker.pid, os.WNOHANG)
                except ChildProcessError:
                    break
                if done:
                    break
                time.sleep(0.05)
            else:
                try:
                    os.kill(worker.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        shutil.rmtree(self.folder, ignore_errors=True)


def start(address: str, port: int, workers: int, show: str | None = None) -> WorkerProcess:
    """Listen on `address`:`port` and fork `workers` processes. The parent opens `show` in a browser (if
    given), routes connections until it is stopped and then exits; each worker process returns its
    `WorkerProcess` (to serve with)."""
    from tornado.netutil import bind_sockets

    sockets = bind_sockets(port, address or None)
    folder = tempfile.mkdtemp(prefix="playground-workers-")
    router = Router(sockets, workers, folder)
    for index in range(workers):
        child = router.start_worker(index)
        if child is not None:
            return child
    log.info("routing connections on port %d to %d worker processes (pid %d)", port, workers, os.getpid())
    if show:
        import webbrowser

        webbrowser.open_new_tab(show)
    child = router.run()
    if child is not None:  # a worker started again
        return child
    sys.exit(0)
