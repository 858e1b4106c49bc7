"""The page asks for the components' bundle once its scripts have run, before its document arrives, and
its components use that one load (server/early_bundle.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

BUNDLE_USE = """() => {
  const models = [...Bokeh.documents[0]._all_models.values()].filter((m) => m.bundle === 'url');
  const loads = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/components.bundle.js'));
  return {addresses: [...new Set(models.map((m) => m.esm))], components: models.length,
          loads: loads.map((e) => ({name: e.name, start: e.startTime})),
          documentAt: (performance.getEntriesByName('doc-received')[0] || {startTime: null}).startTime};
}"""


def test_the_bundle_is_asked_for_before_the_document_comes_and_fetched_once(page, open_app, monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPTS))
    from load_trace import WINDOW_PROBE  # marks 'doc-received' when the document's message arrives

    page.add_init_script(WINDOW_PROBE)
    open_app("#dataset=xor&networkShape=3")
    head = page.evaluate("() => document.head.innerHTML")
    used = page.evaluate(BUNDLE_USE)
    assert used["components"] >= 5, used  # the first document's components all import the bundle
    (address,) = used["addresses"]
    assert f"importShim({json.dumps(address)})" in head  # the address Panel gives its components
    (load,) = used["loads"]  # one fetch for the early import and every component
    assert used["documentAt"] is not None and load["start"] < used["documentAt"], used
