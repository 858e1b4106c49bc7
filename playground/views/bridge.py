"""A tiny invisible browser component: keyboard shortcuts, and the page's URL hash as soon as the page is
drawn (the link to apply). (Frames are acknowledged by the network canvas that draws them.)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import panel as pn


def run_with_document_lock(callback: Callable[[object], None], value: object) -> None:
    """Run a callback that changes models on the document's next tick, which holds its lock: right after
    a page loads Panel can deliver a message outside the lock, and Bokeh then refuses any model change."""
    doc = pn.state.curdoc
    if doc is not None and doc.session_context is not None:
        doc.add_next_tick_callback(partial(callback, value))
    else:
        callback(value)


class BrowserBridge(pn.custom.JSComponent):
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
      model.send_msg({page_hash: window.location.hash});
      const el = document.createElement("span");
      el.className = "browser-bridge";
      return el;
    }
    """

    def __init__(self, on_key: Callable[[str], None], on_page_hash: Callable[[str], None] | None = None,
                 **params):
        super().__init__(width=0, height=0, margin=0, **params)
        self._on_key, self._on_page_hash = on_key, on_page_hash

    def _handle_msg(self, msg) -> None:
        if not isinstance(msg, dict):
            return
        if msg.get("key") in ("toggle", "step"):
            run_with_document_lock(self._on_key, msg["key"])
        elif isinstance(msg.get("page_hash"), str) and self._on_page_hash is not None:
            run_with_document_lock(self._on_page_hash, msg["page_hash"])
