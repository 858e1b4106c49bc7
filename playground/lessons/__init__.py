"""Lessons: TOML files in `assets/lessons/` (format in `files`), their goals (`goals`), how a link opens
one (`links`) and how the app follows a goal while training (`progress`)."""

from .files import LESSONS_DIR, Lesson, lesson_files, list_lessons, load_lesson
from .goals import CONDITIONS, Goal, GoalStatus, LessonError
from .links import find_lesson, lesson_name, read_link, with_lesson

__all__ = ["LESSONS_DIR", "CONDITIONS", "Lesson", "Goal", "GoalStatus", "LessonError", "load_lesson",
           "list_lessons", "lesson_files", "find_lesson", "lesson_name", "read_link", "with_lesson"]
