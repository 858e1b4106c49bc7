"""The app inside Jupyter: a notebook cell that shows `PlaygroundApp` renders it, and it trains there."""

from __future__ import annotations

import nbclient
import nbformat


def test_app_displays_in_a_notebook_cell_and_trains():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import panel as pn\npn.extension(inline=True)\n"
                                  "from playground.app import PlaygroundApp\n"
                                  "app = PlaygroundApp('#dataset=xor&seed=0.3')\napp"),
        nbformat.v4.new_code_cell("app.session.step()\napp.session.experiment.epoch, app.state.dataset"),
    ]
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3").execute()
    shown = [o for o in nb.cells[0].outputs if o.output_type == "execute_result"]
    assert shown, [o.output_type for o in nb.cells[0].outputs]
    data = shown[0]["data"]
    assert "application/vnd.holoviews_exec.v0+json" in data  # Panel's live (comm-backed) rendering
    assert "playground-app" in str(data) and "epoch-counter" in str(data)
    assert nb.cells[1].outputs[0]["data"]["text/plain"] == "(1, 'xor')"
