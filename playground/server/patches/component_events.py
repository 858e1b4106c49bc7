"""Two hooks into how Panel runs one of the app's browser components.

- `intercept_data_events(component_class, handle)`: Panel runs each message a component sends from the
  browser (`model.send_msg`) through its private `_server_event`, scheduled with per-event busy bookkeeping
  (0.56 ms a message, against 0.001 ms handed over at once, measured). `handle(component, data)` sees each
  message's data first and returns True for one it has dealt with, which then skips Panel's path. Without
  `_server_event`, every message takes Panel's usual path to `_handle_msg`: slower, still correct.
- `before_new_view(component_class, prepare)`: `prepare(component)` runs each time Panel builds a new view of
  the component (its private `_get_model`), e.g. so a view built late starts from everything sent so far.
  Without `_get_model`, a view built late starts from the component's parameters as they are.
- `after_new_view(component_class, built)`: `built(component, model)` runs with each Bokeh model Panel has
  just built for the component (its private `_get_model`), e.g. to hand it messages by the model's id.
  Without `_get_model`, nothing is told.
Can go once Panel offers an immediate message hook and a "view created" hook for ESM components.
"""

from __future__ import annotations

from collections.abc import Callable

from . import left_out, missing


def intercept_data_events(component_class: type, handle: Callable[[object, object], bool]) -> bool:
    absent = missing(component_class, "_server_event")
    if absent:
        return left_out("handling frame acknowledgements at once", absent)
    panel_path = component_class._server_event

    def _server_event(self, doc, event) -> None:
        if not handle(self, getattr(event, "data", None)):
            panel_path(self, doc, event)

    component_class._server_event = _server_event
    return True


def before_new_view(component_class: type, prepare: Callable[[object], None]) -> bool:
    absent = missing(component_class, "_get_model")
    if absent:
        return left_out("starting late views from every point sent", absent)
    build = component_class._get_model

    def _get_model(self, doc, root=None, parent=None, comm=None):
        prepare(self)
        return build(self, doc, root, parent, comm)

    component_class._get_model = _get_model
    return True


def after_new_view(component_class: type, built: Callable[[object, object], None]) -> bool:
    absent = missing(component_class, "_get_model")
    if absent:
        return left_out("handing messages to a component by its view's id", absent)
    build = component_class._get_model

    def _get_model(self, doc, root=None, parent=None, comm=None):
        model = build(self, doc, root, parent, comm)
        built(self, model)
        return model

    component_class._get_model = _get_model
    return True
