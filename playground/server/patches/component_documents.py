"""The served page a browser component is shown in.

A component's message from the browser reaches Python with no document of its own, and Panel's current
document (`pn.state.curdoc`) may then be another page's: the server may just have built the next page's
session (`server/spare_sessions.py`). Panel keeps the documents a component is shown in only in its private
`_documents` mapping: `served_document` reads it (nothing is replaced). Without it (a Panel that moved it),
callbacks run where the message arrived, as in a notebook. Can go once Panel hands a component's message
handler the document the message came from.
"""

from __future__ import annotations

from . import left_out


def served_document(component):
    """The served page's Bokeh document `component` is shown in (None in a notebook, or not shown yet)."""
    documents = getattr(component, "_documents", None)
    if documents is None:
        left_out("running component callbacks on their own page's document", [f"{type(component).__name__}._documents"])
        return None
    served = [doc for doc in documents if doc.session_context is not None]
    return served[0] if served else None
