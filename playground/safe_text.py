r"""Untrusted text on its way into HTML, Markdown or a terminal: every output that shows it goes through here.

Untrusted is anything a user or a stranger can write: a link's values (and so every warning that quotes
them), a CSV file's cells and its name, an uploaded file. The lessons folder and the server's own flags
are trusted. Each output escapes once, where the text becomes markup (the app's message boxes, the weight
editor, the lesson goal badge, the exported notebook's Markdown), so no caller has to remember to.

- `html_text`: for an HTML pane or a Bokeh `Div`.
- `markdown_text`: for Markdown (Panel's `Alert` and `Markdown` panes, notebook Markdown cells): HTML is
  escaped *and* every Markdown construct (links, emphasis, headings, lists, math) is neutralised.
- Both show a value on one line (a newline reads as "↵", so it cannot start a heading or break a table
  row) and cut it at `MAX_CHARS` (a 100 KB value is shown as its beginning and its length).
- `terminal_text`: for a line the command line prints (every error, warning and status line goes through
  it where it is printed): control characters, which a terminal would obey (clear the screen, set the
  window's title, move the cursor), are shown escaped as Python writes them (`\x1b`, `\n`), as are
  invisible format characters and the bytes of an argument that is not UTF-8; the line is cut at
  `TERMINAL_MAX_CHARS`.
"""

from __future__ import annotations

import html
import re

__all__ = ["MAX_CHARS", "TERMINAL_MAX_CHARS", "html_text", "markdown_text", "one_line", "terminal_text"]

MAX_CHARS = 400  # longer untrusted text is cut: a message box is no place for a 100 KB value
NEWLINE = "↵"
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x85]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Markdown's punctuation that can start markup (emphasis, code, links and autolinks, headings, lists,
# tables, math), backslash-escaped; & < > are HTML-escaped instead (an entity is not markup in Markdown,
# while a backslash before '&' would show the entity's letters).
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:])")
TERMINAL_MAX_CHARS = 1_000  # a message line with a value or two cut at MAX_CHARS fits; a 100 KB value does not
# What a terminal obeys or hides: C0 and C1 controls (ESC starts a sequence; in 8-bit terminals, so does
# U+009B), zero-width and direction marks and overrides (text that reads other than it is), line and
# paragraph separators, the byte-order mark, and surrogates (an argument's bytes that are not UTF-8).
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
                              "\ud800-\udfff]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: object, limit: int = MAX_CHARS) -> str:
    """`text` as one line of at most `limit` characters (plus a note saying how long it was)."""
    value = _CONTROL.sub("", _LINE_BREAKS.sub(NEWLINE, str(text)))
    if len(value) > limit:
        value = f"{value[:limit]}… ({len(value):,} characters)"
    return value


def html_text(text: object, limit: int = MAX_CHARS) -> str:
    """Plain text that reads as itself inside HTML (element content or a quoted attribute)."""
    return html.escape(one_line(text, limit), quote=True)


def markdown_text(text: object, limit: int = MAX_CHARS) -> str:
    """Plain text that reads as itself inside Markdown (a paragraph or a table cell)."""
    return html.escape(_MARKDOWN_PUNCTUATION.sub(r"\\\1", one_line(text, limit)), quote=False)


def _escaped(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as Python decodes arguments and file names
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_text(text: object, limit: int = TERMINAL_MAX_CHARS) -> str:
    """`text` as a terminal shows it literally: one line, controls escaped, at most `limit` characters of it."""
    value = str(text)
    if len(value) > limit:
        value = f"{value[:limit]}... ({len(value):,} characters)"
    return _TERMINAL_UNSAFE.sub(_escaped, value)
