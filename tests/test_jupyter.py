"""The app inside Jupyter: a notebook cell that shows `PlaygroundApp` renders it, and it trains there. Panel's
notebook extension is loaded once: by the notebook's own `pn.extension()` or, without one, by the first app;
importing the app loads nothing."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import nbclient
import nbformat
import pytest

LOAD_MIME = "application/vnd.holoviews_load.v0+json"  # the scripts a load of Panel's notebook extension displays

# Counts the calls of pn.extension while `run` runs, in a fresh interpreter (nothing imported before).
PROBE = """
import json
from panel.config import panel_extension
calls = []
original = panel_extension.__call__
def recording(self, *args, **params):
    calls.append(sorted(params))
    return original(self, *args, **params)
panel_extension.__call__ = recording
{run}
print(json.dumps(calls))
"""


def extension_calls(run: str) -> list[list[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(run=run)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_app_does_not_call_pn_extension():
    assert extension_calls("import playground.app") == []


def test_each_served_page_configures_panel_once():
    run = ("from bokeh.document import Document\nfrom panel.io.state import set_curdoc\n"
           "import playground.app as web\n"
           "with set_curdoc(Document()):\n    web.create_app()")
    assert extension_calls(run) == [["apply_signatures", "browser_info", "css_files", "design"]]


def test_without_panels_record_of_a_load_the_app_loads_the_extension_and_says_so_once(monkeypatch, caplog):
    from panel.config import panel_extension

    from playground.server import patches
    from playground.server.patches import notebook_extension

    monkeypatch.setattr(patches, "_said", set())
    monkeypatch.setattr(panel_extension, "_loaded", True)
    assert notebook_extension.loaded() is True
    monkeypatch.delattr(panel_extension, "_loaded")
    with caplog.at_level(logging.WARNING, logger="playground.server.patches"):
        assert notebook_extension.loaded() is False
        assert notebook_extension.loaded() is False
    assert len(caplog.records) == 1 and "_loaded" in caplog.records[0].getMessage()


def _notebook(*cells: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3").execute()
    return nb


def _loads_in(cell) -> int:
    """How many times Panel's notebook extension was loaded in a cell: each load displays its scripts (BokehJS
    and Panel's, then the comm manager), the comm manager once."""
    return sum("function JupyterCommManager(" in o.get("data", {}).get(LOAD_MIME, "") for o in cell.outputs)


@pytest.mark.slow
def test_app_displays_in_a_notebook_cell_and_trains():
    nb = _notebook("import panel as pn\npn.extension(inline=True)\n"
                   "from playground.app import PlaygroundApp\n"
                   "app = PlaygroundApp('#dataset=xor&seed=0.3')\napp",
                   "app.session.step()\napp.session.experiment.epoch, app.state.dataset",
                   "PlaygroundApp()")
    shown = [o for o in nb.cells[0].outputs if o.output_type == "execute_result"]
    assert shown, [o.output_type for o in nb.cells[0].outputs]
    data = shown[0]["data"]
    assert "application/vnd.holoviews_exec.v0+json" in data  # Panel's live (comm-backed) rendering
    assert "playground-app" in str(data) and "epoch-counter" in str(data)
    assert nb.cells[1].outputs[0]["data"]["text/plain"] == "(1, 'xor')"
    assert [_loads_in(cell) for cell in nb.cells] == [1, 0, 0]  # the notebook's own pn.extension(), no other


@pytest.mark.slow
def test_without_pn_extension_the_first_app_loads_panel_once():
    nb = _notebook("from playground.app import PlaygroundApp\nPlaygroundApp('#dataset=xor&seed=0.3')",
                   "PlaygroundApp()")
    assert [_loads_in(cell) for cell in nb.cells] == [1, 0]
    shown = [o for o in nb.cells[0].outputs if o.output_type == "execute_result"]
    assert shown and "playground-app" in str(shown[0]["data"])
