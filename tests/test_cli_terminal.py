"""Text on its way to a terminal: whatever a link, a file name or an argument holds, the command line shows
it escaped and cut (`safe_text.terminal_text`), so it never clears the screen or retitles the window, and a
100 KB value is not printed whole."""

from __future__ import annotations

import json
import re
import sys

import pytest

from playground.cli import main
from playground.safe_text import TERMINAL_MAX_CHARS, terminal_text

from .test_cli_engine import playground

ESCAPES = "\x1b[2J\x1b[31mPWNED\x1b]0;title\x07"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")  # what a terminal would obey (ESC, BEL, 8-bit CSI, right-to-left)


@pytest.mark.parametrize("char, shown", [
    ("\x1b", "\\x1b"), ("\x07", "\\x07"), ("\x00", "\\x00"), ("\x7f", "\\x7f"), ("\x9b", "\\x9b"),
    ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"), ("\u202e", "\\u202e"), ("\u200b", "\\u200b"), ("\u2028", "\\u2028"),
    ("\ufeff", "\\ufeff"), ("\udced", "\\xed"), ("\ud800", "\\ud800"),
])
def test_terminal_text_escapes_what_a_terminal_would_obey(char, shown):
    assert terminal_text(f"a{char}b") == f"a{shown}b"


def test_terminal_text_keeps_text_and_cuts_long_values():
    assert terminal_text("écrit 'déjà' — 3 × 4 ≤ 12") == "écrit 'déjà' — 3 × 4 ≤ 12"
    long = terminal_text("x" * 100_000)
    assert long == "x" * TERMINAL_MAX_CHARS + "... (100,000 characters)"
    assert terminal_text("\x1b" * 5, limit=2) == "\\x1b\\x1b... (5 characters)"


def _clean(text: str) -> bool:
    return not any(char in text for char in RAW)


def test_a_link_with_escape_sequences_does_not_reach_the_terminal_raw():
    done = playground("run", "--url", f"#lesson={ESCAPES}", "--epochs", "1")
    assert done.returncode == 0 and _clean(done.stderr) and _clean(done.stdout), repr(done.stderr)
    assert done.stderr.startswith("warning: lesson: no lesson called '\\x1b[2J\\x1b[31mPWNED\\x1b]0;title\\x07'")
    seed = playground("run", "--url", f"#seed={ESCAPES}", "--epochs", "1")
    assert seed.returncode == 0 and _clean(seed.stdout), repr(seed.stdout)
    assert "seed \\x1b[2J\\x1b[31mPWNED\\x1b]0;title\\x07" in seed.stdout.splitlines()
    as_json = json.loads(playground("run", "--url", f"#seed={ESCAPES}", "--epochs", "0", "--format", "json").stdout)
    assert as_json["seed"] == ESCAPES  # JSON carries it exactly (escaped by JSON itself)


def test_a_long_lesson_name_is_said_once_and_cut():
    name = "a" * 3_900  # within a link's bound
    done = playground("run", "--url", f"#lesson={name}", "--epochs", "0")
    assert done.returncode == 0
    assert len(done.stderr) < 1_000 and len(re.findall("a{20,}", done.stderr)) == 1, done.stderr[:300]
    assert "… (3,900 characters)" in done.stderr


def test_a_100_kb_link_is_refused_in_one_line_naming_the_bound():
    done = playground("run", "--url", "#lesson=" + "a" * 100_000, "--epochs", "0")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == ("playground run: --url: a playground link has at most 4,000 characters; this one has "
                           "100,008\n")


def test_errors_that_echo_arguments_are_escaped(tmp_path, capsys):
    assert main(["replay", str(tmp_path / f"{ESCAPES}.json")]) == 2
    err = capsys.readouterr().err
    assert _clean(err) and "\\x1b[2J" in err and err.count("\n") == 1
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--url", "#", ESCAPES])  # argparse's "unrecognized arguments" quotes it
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert _clean(err) and "unrecognized arguments: \\x1b[2J" in err
    assert main(["export", "--url", "#", "--out", str(tmp_path / ESCAPES / "x.ipynb")]) == 2
    assert _clean(capsys.readouterr().err)


@pytest.mark.parametrize("args, option", [
    (["run", "--url", "#seed=1"], "--url"),
    (["export", "--url", "#seed=1", "--out", "x.ipynb"], "--url"),
    (["serve", "--url-hash", "#seed=1"], "--url-hash"),
])
def test_a_link_refused_whole_is_one_clean_line(args, option, monkeypatch, capsys, tmp_path):
    """However the link's reader refuses a link, the command says it on one line, exit 2."""
    from playground.lessons import links

    def refuse(_text):
        raise ValueError(f"a link is at most 8,000 characters; this one has 1,000,000\n{ESCAPES}")

    monkeypatch.setattr(links, "read_link", refuse)
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and _clean(captured.err)
    assert captured.err.startswith(f"playground {args[0]}: {option}: a link is at most 8,000 characters; this one "
                                   "has 1,000,000\\n\\x1b[2J")
    assert not list(tmp_path.iterdir())


def test_a_file_name_that_is_not_utf8_is_shown_as_its_bytes(tmp_path, capsys):
    name = tmp_path / "caf\udce9.json"  # the byte 0xe9, as Python decodes a Latin-1 file name
    assert main(["replay", str(name)]) == 2
    err = capsys.readouterr().err
    assert "caf\\xe9.json: cannot read" in err and err.encode(sys.getfilesystemencoding(), "strict")
