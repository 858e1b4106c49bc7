"""The open lesson's text as a browser component (its JavaScript: `assets/lesson_text.js`): the first lines
show, "Read more" shows the rest. A lesson's text must not push the network and the output below a school
laptop's screen (1366×768), so it stays short until the student asks for more; a screen reader reads it
all either way (the rest is clipped, not removed).

The lesson files are trusted, but their Markdown is rendered with raw HTML escaped all the same.
"""

from __future__ import annotations

from typing import ClassVar

import param
from markdown_it import MarkdownIt

from ..resources import asset
from .esm_bundle import BundledComponent
from .styles import app_stylesheet

_MARKDOWN = MarkdownIt("commonmark", {"html": False})

STYLE = """
/* as wide as the strip gives it, never wider: a paragraph's one-line width must not widen the page */
:host { display: block; min-width: 0; contain: inline-size; }
.lesson-text-box { position: relative; font-family: var(--pg-font); font-size: 14px; line-height: 1.45;
  color: var(--pg-text); }
.lesson-body { max-height: 4.35em; overflow: hidden; } /* three lines of 1.45em */
.lesson-body.expanded { max-height: none; }
.lesson-body:not(.expanded) > * { margin-top: 0; margin-bottom: 0; } /* whole lines only, none cut in half */
/* closed: the button sits at the end of the last line shown, over the text's fade */
.lesson-body:not(.expanded) + .lesson-more { position: absolute; right: 0; bottom: 0; margin: 0;
  box-shadow: -24px 0 12px 4px #fff; }
.lesson-body h2 { display: inline; font-weight: 600; font-size: 15px; margin: 0 6px 0 0; }
.lesson-body h2 + p { display: inline; }
.lesson-body h2 + p + p { margin-top: 6px; }
.lesson-body p { margin: 0 0 6px; }
.lesson-body code { font-size: 13px; }
.lesson-more { margin: 2px 0 0; padding: 1px 10px; border: 1px solid #8a8a8a; border-radius: 12px;
  background: #fff; color: var(--pg-text); font: 13px var(--pg-font); cursor: pointer; }
.lesson-more:hover { background: #f3f3f3; }
.lesson-more:focus-visible { outline: 3px solid var(--pg-focus); outline-offset: 2px; }
@media (min-height: 900px) { .lesson-body { max-height: none; } }
"""


def lesson_html(title: str, text: str) -> str:
    """A lesson's title and Markdown text as HTML (raw HTML in the text is escaped)."""
    return _MARKDOWN.render(f"## {title}\n\n{text}")  # h2: under the page's h1, as the columns' titles


class LessonText(BundledComponent):
    html = param.String(default="", doc="The lesson's title and text as HTML (`lesson_html`).")
    expanded = param.Boolean(default=False, doc="The whole text shows (the student pressed Read more).")

    _esm = asset("lesson_text.js")
    _priority_changes: ClassVar[list[str]] = ["expanded"]
    _stylesheets = [STYLE]

    def __init__(self, **params):
        super().__init__(stylesheets=[app_stylesheet()], **params)

    def show(self, title: str, text: str) -> None:
        self.param.update(html=lesson_html(title, text), expanded=False)
