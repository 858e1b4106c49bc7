"""The README and docs/ stay true to the tree: every path into it they name exists, and every relative link
(a page, a picture) resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", REPO / "CHANGELOG.md", *sorted((REPO / "docs").glob("*.md"))]
# A path into the tree, as the pages write them: `playground/live/session.py`, `assets/lessons/*.toml`.
TREE_PATH = re.compile(r"(?<![\w./-])((?:playground|engine|assets|scripts|tests|docs)/[\w./*<>-]*)")
LINK = re.compile(r"\]\(([^)\s]+)\)|<img src=\"([^\"]+)\"")


def tree_paths(text: str) -> list[str]:
    """The paths a page names, less trailing punctuation; placeholders (`<name>`) are not paths."""
    found = (match.group(1).rstrip(".,:;") for match in TREE_PATH.finditer(text))
    return [path for path in found if "<" not in path]


def relative_links(text: str) -> list[str]:
    targets = (a or b for a, b in LINK.findall(text))
    return [t.split("#")[0] for t in targets if not re.match(r"[a-z]+:", t) and not t.startswith("#")]


def _exists(path: str) -> bool:
    return any(REPO.glob(path)) if "*" in path else (REPO / path).exists()


def test_the_pages_name_paths():
    named = [path for page in PAGES for path in tree_paths(page.read_text(encoding="utf-8"))]
    assert len(set(named)) > 40  # the check below has something to check
    assert (REPO / "docs").is_dir() and len(PAGES) > 3


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_path_a_page_names_exists(page):
    missing = [path for path in tree_paths(page.read_text(encoding="utf-8")) if not _exists(path)]
    assert not missing, f"{page.name} names paths that do not exist: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_resolves(page):
    broken = [link for link in relative_links(page.read_text(encoding="utf-8"))
              if not (page.parent / link).exists()]
    assert not broken, f"{page.name} links to what does not exist: {broken}"


def test_the_readme_is_a_front_door():
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150
    commands = [line for line in lines if line.startswith((".venv/bin/", "python3 -m venv", "bash scripts/"))]
    assert commands[:2] == [  # the two set-up commands come first
        "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/playground serve --show",
        "bash scripts/test.sh"]


def test_the_check_sees_paths_and_placeholders_as_written():
    text = ("`playground/live/session.py`, assets/lessons/*.toml. See playground/commands/<name>.py and "
            "https://github.com/tensorflow/playground or [a](docs/x.md#part) [b](https://x.org) [c](#top)")
    assert tree_paths(text) == ["playground/live/session.py", "assets/lessons/*.toml", "docs/x.md"]
    assert relative_links(text) == ["docs/x.md"]
