"""The tornado Application behind a Bokeh server, so that `hosting` can put rules of its own before Bokeh's
routes (refusing foreign hosts and sessions a client names) with tornado's public `add_handlers`.

Read, not replaced: `bokeh.server.server.BaseServer._tornado` (Panel reads it too). Bokeh has no public
accessor for its tornado Application, nor a host allow-list of its own (its origin check is for websockets
only, and tornado accepts any websocket whose Origin equals its Host). Can go once Bokeh checks the Host of
every request against its allowed names, or exposes its Application.
"""

from __future__ import annotations

from . import left_out

FEATURE = "refusing requests for other host names and sessions a client names"


def application_of(server) -> object | None:
    """`server`'s tornado Application, or None (logged once) where this Bokeh keeps it elsewhere."""
    app = getattr(server, "_tornado", None)
    if not hasattr(app, "add_handlers"):
        return left_out(FEATURE, ["BaseServer._tornado (a tornado Application)"]) or None
    return app
