"""Panel's queued model changes, kept from being stranded (a race in Panel ≤ 1.9.4's `_dispatch_msgs`).

When a page's websocket is busy (Bokeh is sending it a reply), Panel queues a patch for it and a task sends
it once the socket is free. Several such tasks can run for one document. Each puts back what it could not
send yet, then tries again; but a task that finds nothing left also ends the document's "writes queued"
block, although another task put messages back meanwhile. That task's retry then sees no block and returns.
Its patch stays queued until the next change to that page. In training, this is harmless.
The last frame of a run is lost, though. Seen under load: a diverged network's
"Training paused at epoch N" never showed; the page kept saying epoch 0 and Pause.

Patched: `panel.io.document._dispatch_msgs` is wrapped: whenever one task ends and patches are queued with
no task left to send them, it starts one. Panel looks the function up by name each time it schedules a
task. Can go once Panel's dispatcher drains its own queue (a Panel without `_WRITE_MSGS`/`_WRITE_BLOCK`
gets no wrapper: nothing to fix there).
"""

from __future__ import annotations

from . import installed_marker, left_out, missing

MARKER = "_playground_keeps_flowing"


def install() -> bool:
    """Once per process; True if this Panel needs the wrapper and has it now."""
    from panel.io import document

    if not hasattr(document, "_WRITE_MSGS") or not hasattr(document, "_WRITE_BLOCK"):
        return False  # a Panel whose dispatcher is different: nothing to fix here
    absent = missing(document, "_dispatch_msgs", "_dispatch_write_task")
    if absent:
        return left_out("restarting Panel's stranded queued writes", absent)
    original = document._dispatch_msgs
    if installed_marker(original, MARKER):
        return True

    async def dispatch_msgs(doc) -> None:
        await original(doc)
        if doc in document._WRITE_MSGS and doc not in document._WRITE_BLOCK:  # queued, and nobody sends it
            document._WRITE_BLOCK[doc] = True
            document._dispatch_write_task(doc, dispatch_msgs, doc)

    setattr(dispatch_msgs, MARKER, True)
    document._dispatch_msgs = dispatch_msgs  # Panel looks it up by name each time it schedules a task
    return True
