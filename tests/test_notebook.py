"""`playground export`: the notebook rebuilds the experiment exactly, runs, converts and renders offline."""

from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path

import nbformat
import pytest

import engine
from playground.cli import main
from playground.commands.run import train
from playground.domain import links
from playground.export.notebook import LOSS_CELL_TAG, build_notebook, execute_notebook, to_html
from tests.notebook_cells import run_cells_here

# L1 with 350 training points in batches of 8: 6 points are left over every epoch.
L1_LINK = ("#activation=tanh&batchSize=8&dataset=xor&regularization=L1&regularizationRate=0.01&learningRate=0.1"
           "&noise=10&networkShape=4,2&seed=0.5&percTrainData=70&x=true&y=true&xTimesY=true&problem=classification")
REGRESSION_LINK = ("#activation=tanh&batchSize=10&regDataset=reg-gauss&learningRate=0.03&noise=5&networkShape=6,3"
                   "&seed=0.27&percTrainData=60&x=true&y=true&problem=regression")
EXECUTED = {"l1": (L1_LINK, 40), "regression": (REGRESSION_LINK, 25)}

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _final_losses(nb) -> tuple[float, float]:
    """The two numbers the final-loss cell printed (Python reprs, so they read back exactly)."""
    cell = next(c for c in nb.cells if LOSS_CELL_TAG in c.metadata.get("tags", []))
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    train_loss, test_loss = (float(word) for word in text.split())
    return train_loss, test_loss


def _expected(url: str, epochs: int, engine_name=None) -> tuple[float, float]:
    last = train(url, epochs, engine_name)["epochs"][-1]
    return last["train_loss"], last["test_loss"]


# ---------------------------------------------------------------- exported, executed, converted

@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Each link exported with the CLI, then executed with nbclient and converted to HTML; L1's also via --html."""
    out = tmp_path_factory.mktemp("export")
    results = {}
    for name, (url, epochs) in EXECUTED.items():
        ipynb = out / f"{name}.ipynb"
        args = ["export", "--url", url, "--epochs", str(epochs), "--out", str(ipynb)]
        if name == "l1":
            args += ["--html", str(out / "l1-cli.html")]
        assert main(args) == 0
        nb = nbformat.read(ipynb, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")  # written unexecuted
        nb.cells.append(nbformat.v4.new_code_cell("import sys\nprint(sys.executable)"))  # which Python ran it?
        execute_notebook(nb, cwd=out)
        html = out / f"{name}.html"
        html.write_text(to_html(nb), encoding="utf-8")
        results[name] = (nb, html)
    results["l1-cli"] = (None, out / "l1-cli.html")
    return results


@pytest.mark.parametrize("name", list(EXECUTED))
def test_executed_notebook_prints_the_same_losses_as_playground_run(executed, name):
    url, epochs = EXECUTED[name]
    nb, _html = executed[name]
    got = _final_losses(nb)
    want = _expected(url, epochs)
    assert abs(got[0] - want[0]) <= 1e-9 and abs(got[1] - want[1]) <= 1e-9, (got, want)
    assert got[0] < 0.6  # it trained at all (the untrained losses are higher)


@pytest.mark.parametrize("name", list(EXECUTED))
def test_notebook_runs_in_this_python_and_draws_three_bokeh_plots(executed, name):
    nb, _html = executed[name]
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert outputs[-1].text.strip() == sys.executable  # the kernel is this venv's interpreter
    shows = [o for o in outputs if "application/vnd.bokehjs_exec.v0+json" in o.get("data", {})]
    assert len(shows) == 3  # decision boundary, weights, loss curves


@pytest.mark.parametrize("name", ["l1", "regression", "l1-cli"])
def test_html_is_self_contained(executed, name):
    text = executed[name][1].read_text(encoding="utf-8")
    assert "cdn.bokeh.org" not in text
    assert not re.findall(r"<script[^>]*\bsrc\s*=", text, flags=re.I)  # nothing to fetch at all
    assert "Bokeh" in text and "data-root-id" in text  # BokehJS itself and the plots are inline


def test_notebook_reads_as_explicit_steps():
    nb = build_notebook(L1_LINK, 40)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "Experiment" not in code  # the steps are spelled out, not hidden in one helper
    for step in ("SeedRandom(SEED)", "datasets.xor(", "datasets.shuffle(", "datasets.split(", "feature_matrix(",
                 "Dense(", ".build(rand=rand.random)", "PlaygroundTrainer(", "train_epoch(", "print(repr(train_loss)",
                 "output_notebook(INLINE"):
        assert step in code, step
    table = nb.cells[0].source
    for row in ("| `regularization` | L1 |", "| `batchSize` | 8 |", "| `networkShape` | 4, 2 |",
                "| `features` | x, y, xTimesY |", "| `epochs` | 40 |"):
        assert row in table, row
    link = re.search(r"\(https://playground\.tensorflow\.org/#([^)]*)\)", table).group(1)
    assert links.parse_link(link)[0] == links.parse_link(L1_LINK)[0]


# ---------------------------------------------------------------- many settings, cells run in-process

SPREAD = [
    ("#dataset=moons&noise=20&networkShape=5&activation=relu&batchSize=3&seed=a", 6, None),
    ("#dataset=checkerboard&networkShape=&xSquared=true&ySquared=true&regularization=L2"
     "&regularizationRate=0.003&seed=x1", 6, None),
    ("#dataset=spiral&activation=sigmoid&initZero=true&networkShape=3&sinX=true&sinY=true&seed=7", 5, None),
    ("#dataset=circle&optimizer=adam&loss=cross-entropy&learningRate=0.01&seed=9", 5, None),
    ("#dataset=gauss&loss=cross-entropy&batchSize=30&seed=5", 5, None),
    ("#problem=regression&regDataset=reg-plane&optimizer=momentum&learningRate=0.01&batchSize=13&seed=3", 4, None),
    ("#dataset=xor&networkShape=2&percTrainData=30&batchSize=7&seed=4", 3, "cpu"),
    ("#dataset=circle&noise=35&networkShape=8,8,8,8,8,8&activation=linear&batchSize=17&seed=0.1", 3, None),
]


@pytest.mark.parametrize("url, epochs, engine_name", SPREAD, ids=[f"spread{i}" for i in range(len(SPREAD))])
def test_notebook_code_matches_playground_run_across_settings(url, epochs, engine_name):
    if engine_name and engine_name not in engine.available_backends():
        pytest.skip(f"engine {engine_name} unavailable")
    got = run_cells_here(build_notebook(url, epochs, engine_name))
    want = _expected(url, epochs, engine_name)
    assert abs(got[0] - want[0]) <= 1e-9 and abs(got[1] - want[1]) <= 1e-9, (got, want)


# ---------------------------------------------------------------- CLI errors

@pytest.mark.parametrize("extra, message", [
    (["--out", "/nonexistent-dir/x.ipynb"], "directory '/nonexistent-dir' does not exist"),
    (["--out", "{tmp}"], "is a directory"),
    (["--out", "{tmp}/x.ipynb", "--html", "/nonexistent-dir/x.html"], "directory '/nonexistent-dir' does not exist"),
    (["--out", "{tmp}/x.ipynb", "--engine", "tpu"], "unknown engine 'tpu'"),
    (["--out", "{tmp}/x.ipynb", "--epochs", "-1"], "--epochs must be >= 0"),
    (["--out", "{tmp}/x.ipynb", "--url", "#dataset=user&seed=1"], "dataset 'user'"),
])
def test_cli_errors_are_one_line(tmp_path, capsys, extra, message):
    args = ["export", "--url", "#dataset=circle&seed=1", "--epochs", "2"]
    args += [a.replace("{tmp}", str(tmp_path)) for a in extra]
    assert main(args) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("playground export: ") and message in err, err
    assert not list(tmp_path.iterdir())  # nothing written


def test_cli_refuses_an_unavailable_engine(tmp_path, capsys):
    missing = [name for name in engine.backend_names() if name not in engine.available_backends()]
    if not missing:
        pytest.skip("every engine is available here")
    assert main(["export", "--url", "#seed=1", "--engine", missing[0], "--out", str(tmp_path / "x.ipynb")]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not available" in err


def test_cli_prints_link_warnings(tmp_path, capsys):
    assert main(["export", "--url", "#seed=1&activation=foo", "--epochs", "1", "--out", str(tmp_path / "x.ipynb")]) == 0
    captured = capsys.readouterr()
    assert "warning: activation='foo'" in captured.err and "wrote" in captured.out
    nb = nbformat.read(tmp_path / "x.ipynb", as_version=4)
    assert "activation='foo'" in nb.cells[0].source  # the notes in the notebook say so too


# ---------------------------------------------------------------- the HTML in a real browser

@pytest.fixture(scope="module")
def chromium(playwright):
    # pytest-playwright's session-wide Playwright: a second sync_playwright() would clash with its loop.
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# Per Bokeh root (one per show()): over the canvases in its shadow DOM, the largest pixel variance and the
# largest share of strongly coloured pixels (|red - blue| > 80: the playground's orange or blue, not grey axes).
_CANVAS_STATS = """() => Array.from(document.querySelectorAll('[data-root-id]')).map(root => {
  let variance = -1, colourful = 0;
  const walk = node => {
    for (const el of node.querySelectorAll('*')) {
      if (el.tagName === 'CANVAS' && el.width >= 100 && el.height >= 100) {  // not the 20 px toolbar logo
        const data = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
        let n = 0, sum = 0, sum2 = 0, coloured = 0;
        for (let i = 0; i < data.length; i += 4) {
          const v = data[i] + data[i + 1] + data[i + 2]; sum += v; sum2 += v * v; n++;
          if (data[i + 3] > 0 && Math.abs(data[i] - data[i + 2]) > 80) coloured++;
        }
        variance = Math.max(variance, sum2 / n - (sum / n) ** 2);
        colourful = Math.max(colourful, coloured / n);
      }
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(root);
  return [variance, colourful];
})"""


@pytest.mark.browser
@pytest.mark.parametrize("name", ["l1-cli", "regression"])
def test_html_shows_the_plots_offline(executed, chromium, name):
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    requested, errors = [], []

    def only_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            requested.append(route.request.url)
            route.abort()

    page.route("**/*", only_files)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(executed[name][1].as_uri())
    page.wait_for_function(f"() => ({_CANVAS_STATS})().filter(([v, c]) => v > 10 && c > 0).length >= 3",
                           timeout=30_000)
    stats = page.evaluate(_CANVAS_STATS)
    page.close()
    assert len(stats) == 3 and all(variance > 10 for variance, _ in stats), stats
    boundary, weights, curves = (colourful for _, colourful in stats)
    assert boundary > 0.005 and weights > 0.01 and curves > 0.002, stats  # heatmap and points, cells, lines
    assert requested == [] and errors == []


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield
