"""The CSV upload: a file input that refuses a file over the limit in the browser, before sending a byte.

Panel's `FileInput` reads any file the user picks and sends it base64-encoded in one websocket message;
past Bokeh's message limit (20 MB) the connection closes before the server can say anything, and the page
is dead. Here the browser checks the size first: a file over `max_bytes` is refused with a message naming
the limit, and only a file within it is read and sent (the server checks again: a page can be tampered with).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

import param

from .esm_bundle import BundledComponent


def megabytes(size: int, limit: int | None = None) -> str:
    """`size` in MB; above `limit` bytes, with the decimals it takes to read as more than the limit does
    (1,000,001 bytes: "1.000001 MB", not "1.0 MB" next to a limit of "1 MB")."""
    decimals = 1 if size < 10e6 else 0
    while limit is not None and size > limit and float(f"{size / 1e6:.{decimals}f}") <= limit / 1e6 and decimals < 6:
        decimals += 1
    return f"{size / 1e6:.{decimals}f} MB"


class CsvUpload(BundledComponent):
    max_bytes = param.Integer(default=1_000_000, doc="Largest file sent to the server.")
    accept = param.String(default=".csv,text/csv")
    label = param.String(default="Upload a CSV file of x,y,label rows")

    _esm = """
    export function render({ model }) {
      const input = document.createElement("input");
      input.type = "file";
      input.accept = model.accept;
      input.className = "csv-file";
      input.setAttribute("aria-label", model.label);
      input.title = model.label;
      input.addEventListener("change", () => {
        const file = input.files && input.files[0];
        if (!file) return;
        if (file.size > model.max_bytes) {  // refused here: nothing is read or sent
          input.value = "";
          model.send_msg({refused: file.name, size: file.size});
          return;
        }
        const reader = new FileReader();
        reader.onload = () => {
          const url = String(reader.result);
          input.value = "";  // picking the same file again reloads it
          model.send_msg({name: file.name, data: url.slice(url.indexOf(",") + 1)});
        };
        reader.onerror = () => { input.value = ""; model.send_msg({unreadable: file.name}); };
        reader.readAsDataURL(file);
      });
      return input;
    }
    """

    def __init__(self, on_file: Callable[[str, bytes], None], on_refused: Callable[[str, str], None], **params):
        super().__init__(**params)
        self._on_file, self._on_refused = on_file, on_refused

    @property
    def limit_text(self) -> str:
        return f"{self.max_bytes / 1e6:g} MB"

    def _handle_msg(self, msg) -> None:
        if not isinstance(msg, dict):
            return
        name = msg.get("name", msg.get("refused", msg.get("unreadable")))
        name = name if isinstance(name, str) else "file"
        if "refused" in msg:
            size = msg.get("size")
            size_text = megabytes(size, self.max_bytes) if isinstance(size, int) and size >= 0 else "too large"
            self._refuse(name, f"the file is {size_text}; files up to {self.limit_text} can be uploaded")
        elif "unreadable" in msg:
            self._refuse(name, "the browser could not read the file")
        elif isinstance(msg.get("data"), str):
            data = msg["data"]
            if len(data) > (self.max_bytes + 2) // 3 * 4:  # checked again: a page can be tampered with
                self._refuse(name, f"files up to {self.limit_text} can be uploaded")
                return
            try:
                content = base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError):
                self._refuse(name, "the upload arrived damaged; try again")
                return
            self._on_page(self._on_file, name, content)

    def _refuse(self, name: str, why: str) -> None:
        self._on_page(self._on_refused, name, why)
