"""Lines the app puts at the top of a served page's `<head>`, above Panel's and Bokeh's scripts.

Panel renders a page's HTML from its Jinja template, which a document's own `template` may extend. Each part
of the app that needs a line there (`early_link`, `early_bundle`) adds it under a name of its own with
`add`; the page shows them in the order they were added.
"""

from __future__ import annotations

import json

VARIABLE = "playground_head"
TEMPLATE = ("{% block preamble %}{{ super() }}"
            "{% for html in playground_head.values() %}{{ html | safe }}{% endfor %}{% endblock %}")


def add(doc, name: str, html: str) -> None:
    """Put `html` (trusted: built by the app, never from a request) at the top of `doc`'s page, as `name`."""
    doc.template = TEMPLATE
    doc.template_variables.setdefault(VARIABLE, {})[name] = html


def lines(doc) -> dict[str, str]:
    """What `doc`'s page has at the top of its head, by name."""
    return dict(doc.template_variables.get(VARIABLE, {}))


def js_string(value: str) -> str:
    """`value` as a JavaScript string literal for a line's script: JSON-quoted, `<` escaped so that it cannot
    end the script."""
    return json.dumps(value).replace("<", "\\u003c")
