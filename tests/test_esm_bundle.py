"""The components' bundle: generated from their own sources, one module a served page fetches by URL."""

from __future__ import annotations

import asyncio
import re
import sys
from typing import ClassVar

import panel as pn
import pytest
from bokeh.document import Document

from playground.server.ports import free_port
from playground.views import esm_bundle, styles
from playground.views.esm_bundle import BUNDLE_PATH, BundledComponent, build_bundle, module_body


def test_the_committed_bundle_is_built_from_the_components_sources():
    assert BUNDLE_PATH.read_text(encoding="utf-8") == build_bundle(), (
        "playground/views/components.bundle.js is stale: run `python -m playground.views.esm_bundle`")


def test_every_app_component_is_in_the_bundle_under_its_class_name():
    names = [c.__name__ for c in esm_bundle.bundled_components()]
    assert {"LiveText", "LossChart", "NetworkCanvas", "BrowserBridge", "CsvUpload", "DatasetPicker", "LayerControls", "FeatureToggles"} <= set(names)
    text = build_bundle()
    assert text.rstrip().endswith("export default {" + ", ".join(names) + "};")
    for name in names:
        assert f"\nconst {name} = (() => {{\n" in text


def test_a_module_becomes_a_function_returning_its_exports():
    body = module_body("Demo", "const A = 1;\nexport function render({ model }) {}\nexport const size = 2;\n")
    assert body.startswith("const Demo = (() => {\nconst A = 1;\nfunction render(")
    assert "\nconst size = 2;" in body and body.endswith("return {render, size};\n})();\n")
    assert "export" not in body


@pytest.mark.parametrize("source", ["import x from 'y';\nexport function render() {}",
                                    "export default {render() {}}", "export { render };", "const a = 1;"])
def test_a_module_it_cannot_rewrite_is_refused_by_name(source):
    with pytest.raises(ValueError, match="^Demo: "):
        module_body("Demo", source)


@pytest.fixture
def served(monkeypatch):
    """As in a server process: no Jupyter kernel (the suite may have imported ipykernel for other tests)."""
    monkeypatch.setattr(styles, "in_notebook", lambda: False)


def test_served_pages_fetch_the_bundle_and_notebooks_get_each_source(monkeypatch, served):
    assert BundledComponent._bundle_path == BUNDLE_PATH
    monkeypatch.setattr(styles, "in_notebook", lambda: True)
    monkeypatch.setitem(sys.modules, "ipykernel", sys.modules.get("ipykernel", object()))
    assert BundledComponent._bundle_path is None
    from playground.views.live_text import LiveText

    model = LiveText("7", ["x"], width=10, height=10).get_root(Document())
    assert model.bundle is None and "export function render" in model.esm  # its own source, compiled as before


def test_without_a_server_the_model_carries_the_bundle_text(served):
    from playground.views.live_text import LiveText

    model = pn.panel(LiveText("7", ["x"], width=10, height=10)).get_root(Document())
    assert model.bundle is not None and model.esm == BUNDLE_PATH.read_text(encoding="utf-8")


def test_a_served_page_names_the_bundle_by_url_and_the_server_serves_it(served):
    import time
    import urllib.request

    from bokeh.util.token import get_session_id
    from panel.io.state import state

    from playground.views.live_text import LiveText

    port = free_port()
    server = pn.serve({"bundled": lambda: pn.Column(LiveText("7", ["x"], width=10, height=10))}, port=port,
                      address="127.0.0.1", threaded=True, show=False)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/bundled", timeout=30).read().decode()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        session_id = get_session_id(page.split('"token":"', 1)[1].split('"', 1)[0])
        bokeh_server = state._servers[server.server_id][0]
        session = next(s for s in bokeh_server.get_sessions("/bundled") if s.id == session_id)
        model = next(m for m in session.document.models if getattr(m, "class_name", "") == "LiveText")
        assert model.bundle == "url" and model.esm.endswith(
            "components/playground.views.esm_bundle/BundledComponent/_bundle_path/components.bundle.js")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{model.esm.lstrip('./')}", timeout=30) as response:
            assert response.read().decode() == BUNDLE_PATH.read_text(encoding="utf-8")
            assert "javascript" in response.headers["Content-Type"]
    finally:
        server.stop()


def test_every_property_a_components_page_sets_is_applied_without_panels_wait():
    """A component's JavaScript that sets `model.NAME = …` does so once per click or slider let go: NAME must be
    in its `_priority_changes`, else Panel applies it 50 ms late."""
    set_by_page = {}
    for component in esm_bundle.bundled_components():
        names = set(re.findall(r"\bmodel\.(\w+) = ", esm_bundle.component_source(component)))
        if names:
            set_by_page[component.__name__] = names
            assert names <= set(component._priority_changes), component.__name__
    assert {"RangeInput", "CheckInput", "ChoiceButtons", "TopControls", "LessonText"} <= set(set_by_page)


class _Session:  # a served document's session context: all Panel asks of it here is that there is one
    pass


def _apply_from_page(component_class, value):
    """Set a component's `value` as the page does on a served document; returns the timeouts Panel put the
    change off with (its debounce), and the component's value once what it scheduled for the next tick ran."""
    doc = Document()
    component = component_class(end=50)
    model = component.get_root(doc)
    session = _Session()
    doc._session_context = lambda: session  # now that the page is built: the changes come from a served page
    timeouts, ticks = [], []
    doc.add_timeout_callback = lambda callback, timeout_ms: timeouts.append(timeout_ms)
    doc.add_next_tick_callback = ticks.append
    model.data.value = value
    for callback in ticks:  # Panel's change, scheduled as a coroutine that awaits nothing: run it to its end
        if asyncio.iscoroutine(step := callback()):
            with pytest.raises(StopIteration):
                step.send(None)
    return timeouts, component.value


def test_a_slider_let_go_is_applied_at_once_where_panel_would_wait():
    from playground.views.inputs import RangeInput

    class DebouncedRange(RangeInput):  # the same component with Panel's default: the check can tell them apart
        _priority_changes: ClassVar[list[str]] = []

    assert _apply_from_page(RangeInput, 25) == ([], 25)
    assert _apply_from_page(DebouncedRange, 25) == ([RangeInput._debounce], 0)
