"""How `playground serve` puts the app on the network, so that nothing a stranger sends takes it down or into
another student's page.

- Host names: a request (page, websocket, anything) whose `Host` is not one of the server's names is refused.
  Its names are localhost, the `--address` it listens on, the hosts of `--allow-websocket-origin`, and any IPv4
  address (a page reached by its IP is served by this machine; DNS rebinding needs a name; Panel 1.9 fails on
  a page reached by an IPv6 address, `[::1]:5006`, so those are refused too): a page served as
  `http://evil.example:5006` from a name that resolves to this machine neither loads nor connects. Tornado
  accepts a websocket whose Origin equals its Host, so without this check any such name got through.
- Sessions: a request naming a session (`bokeh-session-id`, `bokeh-token`, the `Bokeh-Session-Id` header) is
  refused; a page's id is made by the server, signed (`session_ids`), and reaches the page in its HTML only.
  A websocket whose token Bokeh would refuse is refused first, with no traceback in the log.
- Connections: a request's headers must arrive within `HEADER_TIMEOUT_S` (also how long an idle keep-alive
  connection is kept), its body within `BODY_TIMEOUT_S`, and no body is larger than `MAX_BODY_BYTES`;
  out of file descriptors, the server pauses accepting instead of spinning (`patches/accept_errors`).
- The log: refusals, other answers in the 400s and exhaustion are logged at most once a minute
  (`log_limits`); tornado logs each of them otherwise.
- The page's scripts and stylesheets go out gzip-compressed, each file compressed once (`compressed_files`).

`serve()` does all of it around `pn.serve` (the tests serve through it too, in a thread).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import threading
from collections.abc import Callable

import tornado.web
from tornado.ioloop import IOLoop
from tornado.log import access_log
from tornado.routing import Matcher, Rule

from . import compressed_files, session_ids
from .log_limits import Throttled
from .patches import accept_errors, server_application

log = logging.getLogger(__name__)

HEADER_TIMEOUT_S = 30.0  # tornado's `idle_connection_timeout`: headers, and an idle keep-alive connection
BODY_TIMEOUT_S = 10.0  # a page's only post is a few hundred bytes, sent with its headers
MAX_BODY_BYTES = 1_000_000  # no route here takes more (a CSV upload travels over the websocket)
SESSION_ARGUMENTS = ("bokeh-session-id", "bokeh-token")
SESSION_HEADER = "Bokeh-Session-Id"
WILDCARD_ADDRESSES = ("", "0.0.0.0", "::")
_said = Throttled(log)
_client_errors = Throttled(access_log)


class HostNames:
    """The names this server answers to (see the module's docstring)."""

    def __init__(self, address: str | None, origins: list[str] | None = None):
        names = {"localhost"}
        if address and address not in WILDCARD_ADDRESSES:
            names.add(address.lower())
        self.any = False
        patterns = []
        for origin in origins or []:
            host = _host_of(origin.strip().lower())
            if host == "*":
                self.any = True  # `--allow-websocket-origin '*'`: the person serving opened it to every name
            elif "*" in host:
                patterns.append(re.compile(".*".join(re.escape(part) for part in host.split("*")) + r"\Z"))
            elif host:
                names.add(host)
        self.names, self.patterns = names, patterns

    def allows(self, host: str) -> bool:
        """Whether a `Host` header's value (name or address, with or without port) is one of ours."""
        name = _host_of(host.strip().lower())
        if self.any or name in self.names or any(p.match(name) for p in self.patterns):
            return True
        try:
            ipaddress.IPv4Address(name)
        except ValueError:
            return False
        return True


def _host_of(netloc: str) -> str:
    """'example.com:5006' -> 'example.com'; '[::1]:5006' -> '[::1]'; 'example.com:*' -> 'example.com'."""
    host, colon, port = netloc.rpartition(":")
    return host if colon and (port.isdigit() or port == "*") and host else netloc


def refusal(request, hosts: HostNames, tornado_app=None) -> str | None:
    """Why `request` is refused, or None (`tornado_app`: Bokeh's, whose key signs the pages' tokens)."""
    for header in ("Host", "X-Forwarded-Host"):  # tornado takes the second over the first
        value = request.headers.get(header)
        if value is not None and not hosts.allows(value):
            shown = value if len(value) <= 100 else value[:100] + "…"
            return (f"this server does not answer to the name {shown!r}. Open it by its address, or ask whoever "
                    "runs it to add the name with --allow-websocket-origin")
    if SESSION_HEADER in request.headers or any(name in request.query_arguments for name in SESSION_ARGUMENTS):
        return "a page gets its session from the server; open the page's address without a session in it"
    if tornado_app is not None and request.headers.get("Upgrade", "").lower() == "websocket":
        protocols = [p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
        if len(protocols) != 2 or protocols[0] != "bokeh":
            return "a page's websocket says it speaks Bokeh's protocol, with the page's token"
        return session_ids.token_problem(protocols[1], tornado_app.secret_key, tornado_app.sign_sessions)
    return None


class RefusedRequests(Matcher):
    """Matches the requests `refusal` refuses (a tornado routing rule placed before Bokeh's routes)."""

    def __init__(self, hosts: HostNames, tornado_app):
        self.hosts, self.tornado_app = hosts, tornado_app

    def match(self, request) -> dict | None:
        return {} if refusal(request, self.hosts, self.tornado_app) is not None else None


class RefusedHandler(tornado.web.RequestHandler):
    """403 with the reason as plain text, whatever the method; one log line a minute at most."""

    SUPPORTED_METHODS = ("GET", "HEAD", "POST", "DELETE", "PATCH", "PUT", "OPTIONS")

    def initialize(self, hosts: HostNames) -> None:
        self.hosts = hosts

    def prepare(self) -> None:
        why = refusal(self.request, self.hosts, self.application) or "refused"
        _said.warning("refused %s %s from %s: %s", self.request.method, self.request.path[:100],
                      self.request.remote_ip, why)
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(f"Refused: {why}.\n")


def protect(app: tornado.web.Application, hosts: HostNames) -> None:
    """Put the refusals before every route of `app`."""
    app.add_handlers(r".*$", [Rule(RefusedRequests(hosts, app), RefusedHandler, {"hosts": hosts})])


def _equip(server, hosts: HostNames, prepare: Callable[[object], object] | None) -> None:
    """Everything `serve` adds to a built Bokeh server before it starts: the refusals and compressed files on
    its tornado Application, then `prepare(server)`."""
    app = server_application.application_of(server)
    if app is not None:
        protect(app, hosts)
        compressed_files.install(app)
    if prepare is not None:
        prepare(server)


def log_request(handler: tornado.web.RequestHandler) -> None:
    """Tornado's access log (its `log_function` setting), with answers in the 400s (a client's doing, as
    fast as it likes) at most once a minute; refusals say why themselves."""
    status, request = handler.get_status(), handler.request
    line = ("%d %s %s (%s) %.2fms", status, request.method, request.uri[:200], request.remote_ip,
            1000.0 * request.request_time())
    if status < 400:
        access_log.info(*line)
    elif status >= 500:
        access_log.error(*line)
    elif not isinstance(handler, RefusedHandler):
        _client_errors.warning(*line)


def server_options() -> dict:
    """`pn.serve` options: signed session ids, the timeouts and size limit of every connection, the access log."""
    http = {"idle_connection_timeout": HEADER_TIMEOUT_S, "body_timeout": BODY_TIMEOUT_S,
            "max_body_size": MAX_BODY_BYTES}
    return {**session_ids.server_options(), "http_server_kwargs": http, "log_function": log_request}


def serve(apps: dict, *, port: int, address: str, origins: list[str] | None = None, threaded: bool = False,
          prepare: Callable[[object], object] | None = None, **options):
    """`pn.serve(apps, ...)` with everything above. Blocks until stopped, unless `threaded`: then it returns
    once the server listens, with a `ServerThread` (`.stop()`). `prepare(server)` runs on the Bokeh server once
    built, before it starts (a worker process takes its connections from the router there)."""
    accept_errors.install()
    hosts = HostNames(address, origins)
    options = {**server_options(), "show": False, "verbose": False, **options,
               "port": port, "address": address, "websocket_origin": origins, "start": False}
    if threaded:
        thread = ServerThread(apps, hosts, options, prepare)
        thread.start()
        thread.ready.wait()
        if thread.failure is not None:
            raise thread.failure
        return thread
    import panel as pn

    server = pn.serve(apps, **options)
    _equip(server, hosts, prepare)
    server.start()
    server.io_loop.start()
    return server


class ServerThread(threading.Thread):
    """A server on its own event loop in a thread (tests, scripts)."""

    def __init__(self, apps: dict, hosts: HostNames, options: dict,
                 prepare: Callable[[object], object] | None = None):
        super().__init__(daemon=True, name="playground-server")
        self._apps, self._hosts, self._options, self._prepare = apps, hosts, options, prepare
        self.ready = threading.Event()
        self.failure: BaseException | None = None
        self.server = self.loop = None

    def run(self) -> None:
        import panel as pn

        asyncio.set_event_loop(asyncio.new_event_loop())
        self.loop = IOLoop.current()
        try:
            self.server = pn.serve(self._apps, loop=self.loop, **self._options)
            _equip(self.server, self._hosts, self._prepare)
            self.server.start()
        except BaseException as exc:
            self.failure = exc
            self.ready.set()
            return
        self.loop.add_callback(self.ready.set)
        self.loop.start()
        self.loop.close(all_fds=True)

    def stop(self, timeout_s: float = 10.0) -> None:
        if self.loop is None or not self.is_alive():
            return

        def stop() -> None:
            self.server.stop()
            self.loop.stop()

        self.loop.add_callback(stop)
        self.join(timeout_s)
