"""Lessons on the page: the lesson picker (shown at the top bar's end, `picker_box`) and, while a lesson is
open, the strip under the top bar with its text (first lines, "Read more" for the rest) and its live goal
badge.

It only presents: the app opens lessons (settings, hidden controls, the URL) and the training session
checks the goal; each frame carries the goal's progress and this view shows it.
"""

from __future__ import annotations

from collections.abc import Callable

import panel as pn

from ..lessons.progress import GoalProgress
from ..live.frames import Frame
from ..safe_text import html_text
from .lesson_text import LessonText

FREE_PLAY = ""  # the picker's value when no lesson is open
FREE_PLAY_LABEL = "Free play"
# Leaving a lesson keeps its settings (a student may want to go on from there); the page says so twice:
# beside the picker while a lesson is open, and in a notice when they leave.
KEEP_NOTE = "Back to Free play keeps these settings."
LEFT_NOTICE = ("You left the lesson “{title}”. Its settings stay as they are and every control is back; "
               "pick the lesson again to start it over.")


def goal_html(progress: GoalProgress | None) -> str:
    """The badge: `.lesson-goal`, plus `.met` once reached (with `.holds` while every condition still holds,
    `.lost` when one no longer does: then no green tick, the detail's ✗ says which), or `.out-of-epochs`
    when the budget is spent without reaching it."""
    if progress is None:
        return ""
    summary, detail = html_text(progress.summary), html_text(progress.detail)
    now = f": {progress.now}" if progress.now else ""
    if progress.met and progress.holds:  # the values stay live: the student can watch what happens after
        state, head = "met holds", f"✓ Goal reached at epoch {progress.reached_at} · still met now{now}"
    elif progress.met:
        state, head = "met lost", f"Goal reached at epoch {progress.reached_at}, but not met now{now}"
    elif progress.out_of_epochs:
        state, head = "out-of-epochs", "Goal: out of epochs — press Reset and try again"
    else:
        state, head = "", "Goal: not yet"
    classes = f"lesson-goal {state}".strip()
    return (f"<div class='{classes}' role='status' aria-live='polite'>"
            f"<div class='goal-head'>{html_text(head)}</div><div class='goal-summary'>{summary}</div>"
            f"<div class='goal-detail'>{detail}</div></div>")


class LessonPanel(pn.viewable.Viewer):
    """`lessons`: (name, title) per lesson, in order; `on_pick(name)` is called when the user picks one
    (FREE_PLAY for free play)."""

    def __init__(self, lessons: list[tuple[str, str]], on_pick: Callable[[str], None], **params):
        super().__init__(**params)
        options = {FREE_PLAY_LABEL: FREE_PLAY}
        options.update({f"{i}. {title}": name for i, (name, title) in enumerate(lessons, start=1)})
        self.picker = pn.widgets.Select(label="Lesson", options=options, value=FREE_PLAY, width=186,
                                        css_classes=["lesson-select"], margin=(6, 6))
        self.picker.param.watch(lambda event: on_pick(event.new), "value")
        self.goal = pn.pane.HTML("", css_classes=["lesson-goal-pane"], visible=False, margin=(0, 0, 4, 0),
                                 sizing_mode="stretch_width")
        self.text = LessonText(css_classes=["lesson-text"], visible=False, margin=(0, 16, 0, 0),
                               sizing_mode="stretch_width")
        self.keep_note = pn.pane.HTML(f"<div class='keep-note'>{KEEP_NOTE}</div>", css_classes=["lesson-keep-note"],
                                      visible=False, width=186, margin=(0, 6))
        self.picker_box = pn.Column(self.picker, self.keep_note, margin=0)
        """The picker, and under it the note on leaving a lesson: shown at the top bar's end."""
        # the text beside the badge, one strip as wide as the page's content (app.css centres it); low enough
        # that the network and the output still fit a 1366×768 screen below it
        self._layout = pn.Row(self.text, pn.Column(self.goal, width=500, margin=0),
                              css_classes=["lesson-panel"], sizing_mode="stretch_width", margin=0, visible=False)

    def show_lesson(self, name: str, title: str, text: str) -> None:
        """Show a lesson as open (the badge fills in with the next frame)."""
        self.picker.value = name
        self.text.show(title, text)
        self.text.visible = self.keep_note.visible = self._layout.visible = True

    def show_free_play(self) -> None:
        self.picker.value = FREE_PLAY
        self.keep_note.visible = self._layout.visible = False
        self.text.param.update(html="", visible=False)
        self.goal.param.update(object="", visible=False)

    def apply_frame(self, frame: Frame) -> None:
        html = goal_html(frame.goal)
        if html != self.goal.object:  # most frames leave it as it is: send nothing then
            self.goal.param.update(object=html, visible=bool(html))

    def __panel__(self):
        return self._layout
