"""A tiny invisible browser component: keyboard shortcuts. (Frames are acknowledged by the network canvas
that draws them; the page's URL hash comes from Panel's Location.)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from bokeh.document import Document

from .esm_bundle import BundledComponent


def served_document(component) -> Document | None:
    """The served page's document `component` is shown in (None in a notebook, or not shown yet)."""
    docs = [doc for doc in component._documents if doc.session_context is not None]
    return docs[0] if docs else None


def run_with_document_lock(doc: Document | None, callback: Callable[[object], None], value: object) -> None:
    """Run a callback that changes models on `doc`'s next tick, which holds its lock (at once without a served
    document): right after a page loads Panel can deliver a message outside the lock, and Bokeh then refuses
    any model change. `doc` is the page's own document, never Panel's current one: the server may just have
    built the next page's session (`spare_sessions`), and `pn.state.curdoc` can then be that document, whose
    callbacks wait until a page opens it (seen as a Play click that did nothing)."""
    if doc is not None:
        doc.add_next_tick_callback(partial(callback, value))
    else:
        callback(value)


class BrowserBridge(BundledComponent):
    _esm = """
    export function render({ model }) {
      const typing = new Set(["INPUT", "SELECT", "TEXTAREA", "BUTTON"]);
      const onKey = (event) => {
        if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
        const target = event.composedPath()[0];
        if (target && (typing.has(target.tagName) || target.isContentEditable)) return;
        if (event.code === "Space" || event.key === " ") {
          event.preventDefault();
          model.send_msg({key: "toggle"});
        } else if (event.key === "ArrowRight") {
          event.preventDefault();
          model.send_msg({key: "step"});
        }
      };
      document.addEventListener("keydown", onKey);
      model.on("remove", () => document.removeEventListener("keydown", onKey));
      const el = document.createElement("span");
      el.className = "browser-bridge";
      return el;
    }
    """

    def __init__(self, on_key: Callable[[str], None], **params):
        super().__init__(width=0, height=0, margin=0, **params)
        self._on_key = on_key

    def _handle_msg(self, msg) -> None:
        if not isinstance(msg, dict):
            return
        if msg.get("key") in ("toggle", "step"):
            run_with_document_lock(served_document(self), self._on_key, msg["key"])
