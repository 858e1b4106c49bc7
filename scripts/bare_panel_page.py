"""A bare Panel page, one Markdown pane: the floor for the load time of any Panel app on this machine.

`bench_app.py --compare-real` serves it (`python scripts/bare_panel_page.py PORT`) as `playground serve`
serves the app, its files compressed alike, and times it like the two sites: until its text shows. Whatever
an app adds (its own session build, more models, its link) comes on top of this.
"""

from __future__ import annotations

import sys

import panel as pn

from playground.server import hosting

SHOWN_CLASS = "bare-page-text"  # what the load probe waits for


def page() -> pn.Column:
    # In a Column, as the app's panes are: Panel adds Bokeh's MathJax bundle (1.8 MB) for a page whose root is
    # itself a text pane, and the app's pages do not load it.
    return pn.Column(pn.pane.Markdown(f"# A bare Panel page\n\nTest loss <span class='{SHOWN_CLASS}'>0.501</span>"))


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].isdigit():
        print("usage: python scripts/bare_panel_page.py PORT", file=sys.stderr)
        return 2
    pn.extension(design="native")
    hosting.serve({"/": page}, port=int(argv[0]), address="127.0.0.1")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
