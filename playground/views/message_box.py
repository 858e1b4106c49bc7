"""The app's message: one at a time, floating over the page (it never moves the layout), Dismiss inside.

A frame's messages become one message: errors first, else what paused training, else the notices and link
warnings of that moment together (each once). A newer message replaces the one on screen; one saying why
training paused goes once training has gone on (a frame at another epoch: trained, or Reset). Text from
links and files is escaped here, the one place messages reach HTML.
"""

from __future__ import annotations

import panel as pn

from ..domain.breakdown import COLLAPSED_PREFIX, DIVERGED_PREFIX
from ..safe_text import html_text

KINDS = ("danger", "warning", "notice")  # css classes: red, amber, blue


def message_html(texts: list[str]) -> str:
    """The texts as escaped HTML, one paragraph each (they quote links and files: text, never markup)."""
    return "".join(f"<p>{html_text(text)}</p>" for text in texts)


def pick(messages: list[str], errors: list[str]) -> tuple[list[str], str] | None:
    """(the texts to show, their kind) for one frame's messages, or None when there are none."""
    if errors:
        return list(dict.fromkeys(errors))[-1:], "danger"
    stops = [m for m in messages if m.startswith(DIVERGED_PREFIX)]
    if stops:  # what paused training; red when something broke, amber when it only waits for the user
        return stops[-1:], "danger" if "no longer finite" in stops[-1] else "warning"
    texts = list(dict.fromkeys(messages))
    if not texts:
        return None
    return texts, "notice" if all(m.startswith(COLLAPSED_PREFIX) for m in texts) else "warning"


class MessageBox(pn.viewable.Viewer):
    """`.message-box` (with the kind as a class) holds `.app-message` (the text) and `.dismiss-message`."""

    def __init__(self, **params):
        super().__init__(**params)
        self.text = pn.pane.HTML("", css_classes=["app-message"], margin=(4, 8), sizing_mode="stretch_width")
        self.dismiss = pn.widgets.Button(label="Dismiss", css_classes=["dismiss-message"], width=80,
                                         margin=(8, 8), color="light")
        self.dismiss.on_click(lambda _: self.clear())
        self.kind = ""
        self._paused_at: int | None = None  # the epoch of the "Training paused…" message on screen
        self._layout = pn.Row(self.text, self.dismiss, css_classes=["message-box"], visible=False, width=640,
                              margin=0)

    def show(self, messages: list[str], errors: list[str], epoch: int | None = None) -> None:
        """Show one frame's messages (nothing changes when there are none); `epoch`: the frame's."""
        picked = pick(messages, errors)
        if picked is None:
            return
        texts, kind = picked
        self._paused_at = epoch if not errors and texts[0].startswith(DIVERGED_PREFIX) else None
        self.kind = kind
        self.text.object = message_html(texts)
        self._layout.param.update(css_classes=["message-box", kind], visible=True)

    def training_at(self, epoch: int) -> None:
        """A frame without messages, at `epoch`: a "Training paused…" message from another epoch is over."""
        if self._paused_at is not None and epoch != self._paused_at:
            self.clear()

    def show_notice(self, text: str) -> None:
        """A message of the app's own (not from training): blue, like a collapse notice."""
        self._paused_at = None
        self.kind = "notice"
        self.text.object = message_html([text])
        self._layout.param.update(css_classes=["message-box", "notice"], visible=True)

    def clear(self) -> None:
        self._paused_at = None
        self.kind = ""
        self.text.object = ""
        self._layout.visible = False

    @property
    def showing(self) -> str:
        """The text on screen (HTML), "" when hidden."""
        return self.text.object if self._layout.visible else ""

    def __panel__(self):
        return self._layout
