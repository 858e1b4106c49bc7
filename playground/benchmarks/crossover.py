"""Where the backends cross: seconds per playground epoch (W1 with two hidden layers of width w) against w,
per backend, and the plot of it as one standalone Bokeh HTML file (resources inline, no network needed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .. import atomic_write
from .config import BenchConfig
from .workloads import time_w1

PLOT_FILE = "bench_crossover.html"


def sweep(cfg: BenchConfig, backends: list[str], progress: Callable[[str], None] | None = None) -> dict:
    """{"widths": [w, ...], "seconds": {backend: [s | None per width]}, "sampled": {backend: [bool per width]}}.

    Slow cells are timed on a sample of batches and scaled (as W1 is); a failing cell is None.
    """
    seconds = {name: [] for name in backends}
    sampled = {name: [] for name in backends}
    for width in cfg.widths:
        for name in backends:
            try:
                timing, _ = time_w1(name, cfg, (width, width))
            except Exception as exc:  # keep the rest of the sweep
                seconds[name].append(None)
                sampled[name].append(False)
                shown = f"failed: {type(exc).__name__}: {exc}"
            else:
                seconds[name].append(timing.seconds)
                sampled[name].append(timing.scaled)
                shown = f"{timing.seconds * 1e3:.3f} ms"
            if progress:
                progress(f"crossover width {width} {name}: {shown}")
    return {"widths": list(cfg.widths), "seconds": seconds, "sampled": sampled}


def plot_html(data: dict, title: str) -> str:
    """The sweep as a log–log line per backend, with hover, as a standalone HTML page."""
    from bokeh.embed import file_html
    from bokeh.models import ColumnDataSource, FixedTicker, HoverTool
    from bokeh.palettes import Category10_10
    from bokeh.plotting import figure
    from bokeh.resources import INLINE

    fig = figure(title=title, x_axis_type="log", y_axis_type="log", width=760, height=460,
                 x_axis_label="hidden width w (two tanh layers of w)", y_axis_label="seconds per epoch",
                 tools="pan,wheel_zoom,box_zoom,reset,save")
    for color, (name, values) in zip(Category10_10, data["seconds"].items(), strict=False):
        points = [(w, s, "sampled, scaled" if sampled else "whole epoch")
                  for w, s, sampled in zip(data["widths"], values, data["sampled"][name], strict=True) if s]
        if not points:
            continue
        widths, secs, how = zip(*points, strict=True)
        source = ColumnDataSource({"width": widths, "seconds": secs, "ms": [s * 1e3 for s in secs],
                                   "how": how, "backend": [name] * len(widths)})
        fig.line("width", "seconds", source=source, color=color, line_width=2, legend_label=name)
        fig.scatter("width", "seconds", source=source, color=color, size=7, legend_label=name)
    fig.add_tools(HoverTool(tooltips=[("backend", "@backend"), ("width", "@width"), ("ms / epoch", "@ms{0.000}"),
                                      ("timed", "@how")]))
    fig.xaxis.ticker = FixedTicker(ticks=list(data["widths"]), minor_ticks=[])
    fig.legend.location = "top_left"
    return file_html(fig, INLINE, title)


def save_plot(data: dict, folder: Path, title: str) -> Path:
    path = Path(folder) / PLOT_FILE
    atomic_write.write_text(path, plot_html(data, title))
    return path.resolve()
