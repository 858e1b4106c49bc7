"""Panel's queued model changes, kept from being stranded (a race in Panel ≤ 1.9.4's `_dispatch_msgs`).

When a page's websocket is busy (Bokeh is sending it a reply), Panel queues a patch for it and a task sends
it once the socket is free. Several such tasks can run for one document. Each puts back what it could not
send yet, then tries again; but a task that finds nothing left also ends the document's "writes queued"
block, although another task put messages back meanwhile. That task's retry then sees no block and returns.
Its patch stays queued until the next change to that page. In training, this is harmless.
The last frame of a run is lost, though. Seen under load: a diverged network's
"Training paused at epoch N" never showed; the page kept saying epoch 0 and Pause.

`keep_queued_writes_flowing()` wraps Panel's task: whenever one ends and patches are queued with no task
left to send them, it starts one. Panel's newer dispatcher drains its queue itself (no `_WRITE_MSGS`); the
wrapper is installed only on the old one.
"""

from __future__ import annotations


def keep_queued_writes_flowing() -> bool:
    """Install the wrapper once per process; True if this Panel needs it (and has it now)."""
    from panel.io import document

    original = getattr(document, "_dispatch_msgs", None)
    if original is None or not hasattr(document, "_WRITE_MSGS") or not hasattr(document, "_WRITE_BLOCK"):
        return False  # a Panel whose dispatcher is different: nothing to fix here
    if getattr(original, "_playground_keeps_flowing", False):
        return True

    async def dispatch_msgs(doc) -> None:
        await original(doc)
        if doc in document._WRITE_MSGS and doc not in document._WRITE_BLOCK:  # queued, and nobody sends it
            document._WRITE_BLOCK[doc] = True
            document._dispatch_write_task(doc, dispatch_msgs, doc)

    dispatch_msgs._playground_keeps_flowing = True
    document._dispatch_msgs = dispatch_msgs  # Panel looks it up by name each time it schedules a task
    return True
