"""`playground lessons`: what ships, as a teacher reads it (table) and as a script reads it (json)."""

from __future__ import annotations

import json

from playground import cli
from playground.lessons import list_lessons


def test_json_lists_name_title_budget_and_goal_of_every_lesson(capsys):
    assert cli.main(["lessons", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    lessons = list_lessons()
    assert [r["name"] for r in rows] == [lesson.path.stem for lesson in lessons]
    assert [r["epochs"] for r in rows] == [lesson.goal.within_epochs for lesson in lessons]
    first = rows[0]
    assert first["name"] == "01-linear-boundary" and first["title"] == lessons[0].title
    assert first["goal"] == "min epochs 20, no hidden layers, accuracy above 0.99, test loss below 0.05"
    assert first["conditions"] == {"min_epochs": 20, "no_hidden_layers": True, "accuracy_above": 0.99,
                                   "test_loss_below": 0.05}


def test_table_has_one_line_per_lesson(capsys):
    assert cli.main(["lessons"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["name", "title", "epochs", "goal"]
    assert len(lines) == 1 + len(list_lessons())
    assert "03-hidden-layers" in lines[3] and " 300  allowed inputs: x, y, test loss below 0.05" in lines[3]
