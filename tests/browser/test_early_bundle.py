"""The page asks for the components' bundle once its scripts have run, before its document arrives, and
its components use that one load (server/early_bundle.py)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

# Records when the websocket message holding the document arrives (the content two frames after the
# PULL-DOC-REPLY header), on the page's own clock, as scripts/load_timeline.py does.
DOCUMENT_PROBE = """
(() => {
  window.__documentAt = null;
  const Native = window.WebSocket;
  let messages = 0, documentFrame = -1;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        messages++;
        const text = typeof event.data === 'string' ? event.data : '';
        if (documentFrame < 0 && text.includes('"PULL-DOC-REPLY"')) documentFrame = messages + 2;
        if (messages === documentFrame && window.__documentAt === null) window.__documentAt = performance.now();
      });
    }
  };
})();
"""

BUNDLE_USE = """() => {
  const models = [...Bokeh.documents[0]._all_models.values()].filter((m) => m.bundle === 'url');
  const loads = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/components.bundle.js'));
  return {addresses: [...new Set(models.map((m) => m.esm))], components: models.length,
          loads: loads.map((e) => ({name: e.name, start: e.startTime})), documentAt: window.__documentAt};
}"""


def test_the_bundle_is_asked_for_before_the_document_comes_and_fetched_once(page, open_app):
    page.add_init_script(DOCUMENT_PROBE)
    open_app("#dataset=xor&networkShape=3")
    head = page.evaluate("() => document.head.innerHTML")
    used = page.evaluate(BUNDLE_USE)
    assert used["components"] >= 5, used  # the first document's components all import the bundle
    (address,) = used["addresses"]
    assert f"importShim({json.dumps(address)})" in head  # the address Panel gives its components
    (load,) = used["loads"]  # one fetch for the early import and every component
    assert used["documentAt"] is not None and load["start"] < used["documentAt"], used
