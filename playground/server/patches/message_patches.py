"""A frame's messages serialised without indexing the whole document.

Bokeh serialises every PATCH-DOC with a `Serializer` that first makes a reference for every model of the
document the page already has (`DocumentModelManager.synced_references`, then `Model.ref` for each): a few
hundred models here, for each frame, whose messages (`_send_msg`, `live_component`) refer to one model
each, their component's. Profiled with a class of 30, that indexing was about a twentieth of a worker's time.

Patched: `patch_doc.create` (a classmethod; Bokeh's server and Panel's writer call it) serialises a patch
made only of component messages with the references of those messages' models alone, where each of them is
one the page has (not among the document's new models: `DocumentModelManager._new_models`, read). Should
serialising reach any other model, or should a message's model be new, the patch is made as Bokeh makes it.
Can go once Bokeh resolves references lazily while serialising.
"""

from __future__ import annotations

from . import installed_marker, left_out, missing

FEATURE = "serialising a frame's messages without indexing the document"
MARKER = "_playground_message_patches"


def install() -> bool:
    """Once per process; True where component messages are now serialised this way."""
    from bokeh.core.serialization import Serializer
    from bokeh.document import Document
    from bokeh.document.events import MessageSentEvent
    from bokeh.document.json import PatchJson
    from bokeh.events import ModelEvent
    from bokeh.protocol.messages.patch_doc import patch_doc

    absent = missing(patch_doc, "create", "create_header", "add_buffers") + missing(Serializer, "add_ref")
    if not absent and not hasattr(Document().models, "_new_models"):
        absent = ["DocumentModelManager._new_models"]
    if not absent and not hasattr(patch_doc.create, "__func__"):
        absent = ["patch_doc.create as a classmethod"]
    if absent:
        return left_out(FEATURE, absent)
    if installed_marker(patch_doc.create, MARKER):
        return True
    original = patch_doc.create.__func__

    class OnlyKnown(Serializer):
        """Serialises with the given references; notes any model it has to serialise whole."""

        reached_others = False

        def add_ref(self, obj, ref) -> None:
            self.reached_others = True
            super().add_ref(obj, ref)

    def models_of(events) -> set | None:
        """The models a patch of component messages refers to, or None (not such a patch)."""
        if not events:
            return None
        models = set()
        for event in events:
            if not isinstance(event, MessageSentEvent) or not isinstance(event.msg_data, ModelEvent):
                return None
            models.add(event.msg_data.model)
        return models

    def create(cls, events, **metadata):
        models = models_of(events)
        docs = {event.document for event in events} if models else set()
        if len(docs) == 1:
            (doc,) = docs
            known = models.isdisjoint(doc.models._new_models) and all(m.id in doc.models for m in models)
            if known:
                serializer = OnlyKnown(references=models)
                patch_json = PatchJson(events=serializer.encode(events))
                if not serializer.reached_others:
                    message = cls(cls.create_header(), metadata, patch_json)
                    message.add_buffers(*serializer.buffers)
                    return message
        return original(cls, events, **metadata)

    setattr(create, MARKER, True)
    patch_doc.create = classmethod(create)
    return True
