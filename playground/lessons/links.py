"""Lessons in links: a `lesson=<name>` key in the URL hash opens a lesson (its text and goal).

`#lesson=01-linear-boundary` alone starts the lesson as its file says; any other keys in the same hash are
laid over that start (the app writes every setting after the key, so a shared link reproduces where the
student is). The name is the lesson file's name without `.toml`. The key is ours: the real playground does
not know it, so it is kept out of what `links.parse_link` reads.
"""

from __future__ import annotations

import difflib

from ..domain import links
from ..domain.state import HIDABLE_CONTROLS
from .files import Lesson, LessonError, lesson_files, load_lesson

__all__ = ["LESSON_KEY", "lesson_name", "find_lesson", "split_lesson", "read_link", "with_lesson",
           "link_hiding"]

LESSON_KEY = "lesson"
NAME_CHARS = 60  # an unknown lesson's name is quoted up to this many characters


def lesson_name(lesson: Lesson) -> str:
    return lesson.path.stem


def find_lesson(name: str, directory=None) -> Lesson:
    """The lesson file called `name` (with or without `.toml`); LessonError naming the choices if none."""
    files = {path.stem: path for path in lesson_files(directory)}
    stem = name[: -len(".toml")] if name.endswith(".toml") else name
    if stem not in files:
        close = difflib.get_close_matches(stem, list(files), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        # A name from a link: any length, any characters (repr shows control characters escaped).
        cut = f"… ({len(stem):,} characters)" if len(stem) > NAME_CHARS else ""
        raise LessonError(f"no lesson called {stem[:NAME_CHARS]!r}{cut}{hint}; lessons: {', '.join(files) or 'none'}")
    return load_lesson(files[stem])


def split_lesson(hash_text: str) -> tuple[str | None, str]:
    """('name' or None, the rest of the hash without the lesson key); the last lesson key wins."""
    text = hash_text.split("#", 1)[1] if "#" in hash_text else hash_text
    name, rest = None, []
    for part in text.split("&"):
        key, _, value = part.partition("=")
        if key == LESSON_KEY:
            name = value.strip() or None
        elif part:
            rest.append(part)
    return name, "&".join(rest)


def _overlay(base: str, over: str) -> str:
    """Hash parts of `over` replace those of `base` with the same key."""
    parts = {}
    for part in [*base.split("&"), *over.split("&")]:
        if part:
            parts[part.partition("=")[0]] = part
    return "&".join(parts.values())


def read_link(hash_text: str, directory=None) -> tuple[Lesson | None, dict, list[str]]:
    """A link that may name a lesson -> (the lesson or None, ExperimentState values, warnings).

    An unknown lesson is a warning, and the rest of the link is read as without it. A link too long to be
    one is not read at all (`links.too_long`: the defaults and one warning).
    """
    if links.too_long(hash_text) is not None:
        return None, *links.parse_link(hash_text)
    name, rest = split_lesson(hash_text)
    lesson, warnings = None, []
    if name is not None:
        try:
            lesson = find_lesson(name, directory)
        except LessonError as exc:
            warnings.append(f"{LESSON_KEY}: {exc}")  # the message names the lesson (once, cut)
    values, link_warnings = links.parse_link(_overlay(lesson.link(), rest) if lesson else rest)
    return lesson, values, warnings + link_warnings


def with_lesson(hash_text: str, lesson: Lesson | None) -> str:
    """A playground hash (without '#') with the lesson key first, or as it is without a lesson."""
    if lesson is None:
        return hash_text
    return "&".join(filter(None, [f"{LESSON_KEY}={lesson_name(lesson)}", hash_text]))


def link_hiding(state, lesson: Lesson | None, hidden) -> str:
    """The hash (without '#') of `state` and `lesson` with exactly the controls `hidden` hidden: the link a
    teacher hands out. A control the lesson itself hides and `hidden` does not is written `<control>_hide=false`
    (the keys after the lesson's name override its start)."""
    chosen = [control for control in HIDABLE_CONTROLS if control in hidden]
    text = links.to_hash({**state.param.values(), "hidden": chosen})
    shown = [control for control in (lesson.hidden if lesson is not None else []) if control not in chosen]
    text = "&".join(filter(None, [text, *(f"{control}_hide=false" for control in shown)]))
    return with_lesson(text, lesson)
