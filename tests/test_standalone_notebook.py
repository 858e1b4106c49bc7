"""`playground export --standalone`: numpy and bokeh only, every step written out, run's losses to the last bit."""

from __future__ import annotations

import ast

import nbformat
import pytest

from playground.cli import main
from playground.commands.run import train
from playground.export.notebook import LOSS_CELL_TAG, ExportError, execute_notebook
from playground.export.standalone_notebook import build_standalone_notebook
from tests.notebook_cells import run_cells_here

# L2, batches of 7 over 250 training points: 5 points are left over every epoch and join the next one's first update.
L2_LINK = ("#regularization=L2&regularizationRate=0.01&batchSize=7&percTrainData=50&dataset=circle&noise=10"
           "&networkShape=4,2&learningRate=0.03&seed=0.1")
L2_EPOCHS = 25
# three classes (softmax, cross-entropy) with an activation per layer, L2 and leftovers
K3_LINK = ("#dataset=spiral&numClasses=3&networkShape=6,5&activations=relu,tanh&batchSize=7&regularization=L2"
           "&regularizationRate=0.003&learningRate=0.1&seed=0.1")
# a different activation per layer, L1 (with dead links), features beyond x and y
MIXED_LINK = ("#networkShape=4,4,3&activations=relu,sigmoid,linear&dataset=xor&batchSize=9&regularization=L1"
              "&regularizationRate=0.003&learningRate=0.1&xSquared=true&sinY=true&seed=0.3")


def _printed_losses(nb) -> tuple[float, float]:
    cell = next(c for c in nb.cells if LOSS_CELL_TAG in c.metadata.get("tags", []))
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    train_loss, test_loss = (float(word) for word in text.split())
    return train_loss, test_loss


def _run_losses(url: str, epochs: int) -> tuple[float, float]:
    last = train(url, epochs, "numpy")["epochs"][-1]
    return last["train_loss"], last["test_loss"]


def _imported_modules(nb) -> set[str]:
    modules = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                modules.add(node.module.split(".")[0])
    return modules


def test_exported_standalone_notebook_executed_with_nbclient_prints_runs_losses(tmp_path):
    out = tmp_path / "standalone.ipynb"
    assert main(["export", "--standalone", "--url", L2_LINK, "--epochs", str(L2_EPOCHS), "--out", str(out)]) == 0
    nb = nbformat.read(out, as_version=4)
    assert _imported_modules(nb) == {"numpy", "bokeh"}
    execute_notebook(nb, cwd=tmp_path)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert _printed_losses(nb) == _run_losses(L2_LINK, L2_EPOCHS)  # exactly, not approximately
    shows = [o for o in outputs if "application/vnd.bokehjs_exec.v0+json" in o.get("data", {})]
    assert len(shows) == 3  # decision boundary, weights, loss curves


def test_three_class_standalone_notebook_executed_with_nbclient_prints_runs_losses(tmp_path):
    nb = build_standalone_notebook(K3_LINK, 15)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "OUTPUT = 'softmax'" in code and "CLASSES = 3" in code and "ACTIVATIONS = ['relu', 'tanh']" in code
    execute_notebook(nb, cwd=tmp_path)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert _printed_losses(nb) == _run_losses(K3_LINK, 15)


@pytest.mark.parametrize("url, epochs", [
    (MIXED_LINK, 20),
    ("#dataset=gauss&numClasses=5&networkShape=4,3&activations=relu,sigmoid&batchSize=7&regularization=L1"
     "&regularizationRate=0.001&seed=k", 10),
    ("#problem=regression&regDataset=reg-gauss&networkShape=5&seed=a&batchSize=13", 15),
    ("#dataset=sine&networkShape=&x=true&y=true&sinX=true&batchSize=1&seed=s", 3),
    ("#dataset=spiral&initZero=true&networkShape=3&activation=sigmoid&batchSize=30&seed=7", 5),
])
def test_standalone_notebook_losses_equal_runs_for_many_settings(url, epochs):
    assert run_cells_here(build_standalone_notebook(url, epochs)) == _run_losses(url, epochs)


def test_standalone_notebook_writes_the_steps_out_with_numpy_only():
    nb = build_standalone_notebook(MIXED_LINK, 3)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert _imported_modules(nb) == {"numpy", "bokeh"}
    for step in ("POINTS = np.array(", "PARAMS = [", "def forward(", "def gradients(", "def update(",
                 "x.T @ dz", "ACTIVATIONS = ['relu', 'sigmoid', 'linear']", "REGULARIZATION = 'L1'",
                 "pending_points", "print(repr(train_loss)"):
        assert step in code, step
    assert "Experiment" not in code and "PlaygroundTrainer" not in code and "Dense(" not in code


@pytest.mark.parametrize("url, words", [
    ("#dataset=user", "user"),
    ("#optimizer=adam", "adam"),
    ("#loss=cross-entropy", "cross-entropy"),
])
def test_what_a_standalone_notebook_does_not_write_out_is_refused_clearly(url, words):
    with pytest.raises(ExportError, match=words):
        build_standalone_notebook(url, 1)


def test_cli_writes_and_runs_a_standalone_notebook_to_html_and_says_the_engine_is_numpy(tmp_path, capsys):
    out, html = tmp_path / "k3.ipynb", tmp_path / "k3.html"
    args = ["export", "--standalone", "--url", K3_LINK, "--epochs", "3", "--engine", "cpu", "--out", str(out),
            "--html", str(html)]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "--engine cpu is not used" in err
    text = html.read_text(encoding="utf-8")
    assert "data-root-id" in text and "cdn.bokeh.org" not in text
    assert nbformat.read(out, as_version=4).metadata["playground"]["standalone"] is True


def test_cli_refuses_what_a_standalone_notebook_cannot_write_out(tmp_path, capsys):
    out = tmp_path / "adam.ipynb"
    assert main(["export", "--standalone", "--url", "#optimizer=adam", "--epochs", "1", "--out", str(out)]) == 2
    assert "adam" in capsys.readouterr().err and not out.exists()


def test_both_notebooks_draw_with_the_same_plot_cells():
    from playground.export.notebook import PLOT_CELL_TAG, build_notebook

    def plots(nb):
        return [c.source for c in nb.cells if PLOT_CELL_TAG in c.metadata.get("tags", [])]

    engine_cells, standalone_cells = plots(build_notebook(L2_LINK, 3)), plots(build_standalone_notebook(L2_LINK, 3))
    assert len(standalone_cells) == 4  # setup, boundary, weights, loss curves
    # the engine's notebook first defines from its model what the cells read; the cells themselves are one set
    assert engine_cells[1:] == standalone_cells
