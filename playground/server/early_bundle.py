"""The page asks for the browser components' bundle as soon as its scripts have run, not once its document
has come.

Panel's components import their bundle (`views/components.bundle.js`, one ES module) through es-module-shims
when the page builds their models from the document: the fetch, es-module-shims' pass over the 85 KB source
and the module's evaluation then sit between the document's arrival and the network's first frame
(~30 ms here, `scripts/profile_page.py --timeline`). Between the page's scripts running (DOMContentLoaded)
and the document's arrival, the page only waits for its websocket and the server's answer. A line at the top
of the page's head starts the same import there; es-module-shims keeps one load per address, so Panel's own
import of that address later gets the module already evaluated.

Nothing depends on it: where the early import fails, Panel's import of the same address fails as it would
have; a page without es-module-shims, or not using the bundle (a notebook, `--dev`), gets no line.
"""

from __future__ import annotations

from . import page_head

HEAD_LINE = "early bundle"  # its name among the page's head lines (page_head.py)
# Registered before Bokeh's own DOMContentLoaded handler (in the body), so the fetch starts before the websocket.
SCRIPT = """<script>
document.addEventListener("DOMContentLoaded", () => {
  if (window.importShim) window.importShim(%s).catch(() => {});
}, {once: true});
</script>"""


def install(doc, bundle_url: str | None) -> bool:
    """Make `doc`'s page import `bundle_url` (the address Panel gives its components, relative to the page)
    once its scripts have run. False (nothing added) for no address."""
    if not bundle_url:
        return False
    # Panel's own string, so both imports resolve to one address.
    page_head.add(doc, HEAD_LINE, SCRIPT % page_head.js_string(bundle_url))
    return True
