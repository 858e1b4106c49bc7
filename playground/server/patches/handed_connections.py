"""The HTTP server inside a Bokeh server, so that a worker process can serve connections another process
accepted (`server/worker_router.py`): it hands each to tornado's public `HTTPServer.handle_stream`.

Read, not replaced: `bokeh.server.server.BaseServer._http`. Bokeh has no public accessor for its HTTP server,
nor a way to serve connections it did not accept itself. Without the name, `playground serve --num-procs N`
lets the worker processes share the port as Bokeh does (a page's websocket may then reach another process,
which builds its session again). Can go once Bokeh exposes its HTTP server or can route a page's connections
to the process that holds its session.
"""

from __future__ import annotations

from . import left_out

FEATURE = "routing each page's connections to the worker process that holds its session"


def http_server_of(server) -> object | None:
    """`server`'s tornado HTTPServer, or None (logged once) where this Bokeh keeps it elsewhere."""
    http = getattr(server, "_http", None)
    if not hasattr(http, "handle_stream") or not hasattr(getattr(http, "request_callback", None), "add_transform"):
        return left_out(FEATURE, ["BaseServer._http (a tornado HTTPServer)"]) or None
    return http


def available() -> bool:
    """Whether this Bokeh keeps its HTTP server where `http_server_of` reads it: asked of `BaseServer` itself
    with stand-ins, before any server exists, so `playground serve` can choose how to start its workers."""
    from bokeh.server.server import BaseServer

    class StandIn:
        def initialize(self, io_loop) -> None:
            pass

    http = StandIn()
    try:
        probe = object.__new__(BaseServer)
        BaseServer.__init__(probe, None, StandIn(), http)
    except Exception:  # a Bokeh whose BaseServer wants more: it is not the one this was written for
        return left_out(FEATURE, ["BaseServer(io_loop, tornado_app, http_server)"])
    if getattr(probe, "_http", None) is not http:
        return left_out(FEATURE, ["BaseServer._http (a tornado HTTPServer)"])
    return True
