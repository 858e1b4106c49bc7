"""Running a browser component's callbacks on its own page's document thread.

A message from a browser component reaches Python outside the document's lock (right after a page loads,
Panel can deliver one there, and Bokeh then refuses any model change), so the callbacks it triggers run on
the document's next tick, which holds the lock. The document is the page's own
(`server/patches/component_documents.served_document`), never Panel's current one: the server may just have
built the next page's session (`spare_sessions`), and `pn.state.curdoc` can then be that document, whose
callbacks wait until a page opens it (seen as a Play click that did nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from bokeh.document import Document


def run_with_document_lock(doc: Document | None, callback: Callable[..., None], *args) -> None:
    """`callback(*args)` on `doc`'s next tick (at once without a served document: a notebook)."""
    if doc is not None:
        doc.add_next_tick_callback(partial(callback, *args))
    else:
        callback(*args)
