"""A tiny invisible browser component: keyboard shortcuts. (Frames are acknowledged by the network canvas
that draws them; the page's URL hash comes from Panel's Location.)
"""

from __future__ import annotations

from collections.abc import Callable

from .esm_bundle import BundledComponent


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
            self._on_page(self._on_key, msg["key"])
