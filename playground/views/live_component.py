"""Browser components that a frame reaches as one message, not as parameter changes.

A parameter change reaches the page through param's watchers, Panel's syncing and a Bokeh property change
(with its validation and document events): profiled with a class of 15, applying frames that way was a third
of a server process's time, several times the cost of building the frame. Panel's `_send_msg` carries a
payload to the component's views (JavaScript: `model.on("msg:custom", …)`) with none of that.

A message reaches only views that exist and listen: one sent before the page has built its views is lost.
So each component is told by its own views that they listen (they send `{"listening": true}` when rendered;
the network canvas's first frame acknowledgement says the same), and until then frames go as parameter
changes, as part of the document the page is about to receive: the first document still carries the link's
first frame. Once they listen, `show_live` keeps the values aside and sends the message; they become the
parameters' values before Panel builds another view of the component (a notebook showing it again), so a
view built later starts from them. (Setting the parameters quietly each frame cost more than the message.)
"""

from __future__ import annotations

from ..server.patches import component_events
from .esm_bundle import BundledComponent

LISTENING = "listening"


class LiveComponent(BundledComponent):
    """A `BundledComponent` whose per-frame values go by message once its views listen."""

    def __init__(self, **params):
        super().__init__(**params)
        self.listening = False  # a view of this component has said it reads messages
        self._unsynced: dict = {}  # values sent by message only, for the parameters of a view built later

    def show_live(self, message: dict, **values) -> None:
        """Show `values` (parameter names and values): as `message` to listening views, else as changes."""
        if not self.listening:
            self.param.update(**values)
            return
        self._unsynced.update(values)
        self._send_msg(message)

    def live_value(self, name: str):
        """A parameter's value as the views show it (sent by message or not)."""
        return self._unsynced.get(name, getattr(self, name))

    def catch_up(self) -> None:
        """Before Panel builds a new view: the values sent by message become the parameters' values."""
        values, self._unsynced = self._unsynced, {}
        if values:
            self.param.update(**values)

    def _handle_msg(self, msg) -> None:
        if isinstance(msg, dict) and msg.get(LISTENING) is True:
            self.listening = True
        else:
            self._handle_live_msg(msg)

    def _handle_live_msg(self, msg) -> None:
        """A subclass's own messages from the browser."""


component_events.before_new_view(LiveComponent, LiveComponent.catch_up)
