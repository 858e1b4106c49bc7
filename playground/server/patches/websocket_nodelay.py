"""Websocket frames sent at once: TCP_NODELAY on every Bokeh websocket.

Bokeh writes each message as several websocket frames; with Nagle's algorithm on, the later ones wait for
the browser's delayed ACK, which adds ~40 ms to every frame the app sends. Tornado has the switch
(`WebSocketHandler.set_nodelay`, tornadoweb/tornado#755) but leaves it off by default, and Bokeh's
`WSHandler` never turns it on. Patched: `WSHandler.open` calls `set_nodelay(True)` first. Can go once Bokeh
sets it itself (or offers a setting for it).
"""

from __future__ import annotations

import logging

from . import installed_marker, left_out, missing

log = logging.getLogger(__name__)

MARKER = "_playground_nodelay"


def install() -> bool:
    """Once per process; True where websockets now send at once."""
    from bokeh.server.views.ws import WSHandler

    absent = missing(WSHandler, "open", "set_nodelay")
    if absent:
        return left_out("sending websocket frames at once (TCP_NODELAY)", absent)
    if installed_marker(WSHandler.open, MARKER):
        return True
    original = WSHandler.open

    def open_with_nodelay(self, *args, **kwargs):
        try:
            self.set_nodelay(True)
        except Exception:  # a transport without TCP: nothing to tune
            log.debug("could not set TCP_NODELAY", exc_info=True)
        return original(self, *args, **kwargs)

    setattr(open_with_nodelay, MARKER, True)
    WSHandler.open = open_with_nodelay
    return True


def active() -> bool:
    from bokeh.server.views.ws import WSHandler

    return installed_marker(getattr(WSHandler, "open", None), MARKER)
