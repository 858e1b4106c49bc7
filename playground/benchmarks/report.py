"""The result as JSON (rows of {workload, engine, seconds, speedup_vs_cpu, note?}) or as a markdown table."""

from __future__ import annotations

from pathlib import Path

from .runner import BenchResult
from .targets import evaluate
from .workloads import WORKLOADS


def to_json(result: BenchResult) -> dict:
    out = {
        "config": result.config.as_dict(),
        "environment": result.environment,
        "backends": result.backends,
        "rows": [row.as_dict() for row in result.rows],
        "targets": evaluate(result.seconds),
    }
    if result.crossover is not None:
        out["crossover"] = result.crossover
    return out


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"


def fmt_speedup(speedup: float | None) -> str:
    if speedup is None:
        return "—"
    return f"{speedup:,.0f}×" if speedup >= 100 else f"{speedup:.3g}×"


def describe(result: BenchResult) -> list[str]:
    cfg = result.config
    w1_net = "-".join(map(str, (2, *cfg.w1_hidden, 1)))
    w2_net = "-".join(map(str, cfg.w2_sizes))
    return [
        f"- **W1** {WORKLOADS['W1']}: {w1_net} tanh network, {cfg.w1_points} points, batch {cfg.w1_batch}, "
        f"one `PlaygroundTrainer.train_epoch`, float64.",
        f"- **W2** {WORKLOADS['W2']}: {w2_net} relu/softmax, categorical cross-entropy, SGD({cfg.w2_learning_rate:g}), "
        f"{cfg.w2_batches} batches of {cfg.w2_batch} via `train_on_batch` on uploaded tensors.",
        f"- **W3** {WORKLOADS['W3']}: `model.layer_outputs` (every neuron) over the {cfg.grid}×{cfg.grid} grid, "
        f"W1 network.",
        f"- Times: best of up to {cfg.repeats} runs after a warm-up (the warm-up alone for work over "
        f"{cfg.budget_s / 2:g} s); **× cpu** = the cpu backend's time / the row's.",
    ]


def table(result: BenchResult) -> list[str]:
    header = ["engine"]
    for workload, what in WORKLOADS.items():
        header += [f"{workload} {what}", f"{workload} × cpu"]
    lines = ["| " + " | ".join(header) + " |", "|---" + "|--:" * (len(header) - 1) + "|"]
    by_key = {(row.workload, row.engine): row for row in result.rows}
    for name in result.engines:
        cells = [name]
        for workload in WORKLOADS:
            row = by_key.get((workload, name))
            cells += [fmt_seconds(row.seconds), fmt_speedup(row.speedup_vs_cpu)] if row else ["", ""]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def notes(result: BenchResult) -> list[str]:
    """One line per (engine, note), listing the workloads it applies to."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for row in result.rows:
        if row.note:
            grouped.setdefault((row.engine, row.note), []).append(row.workload)
    return [f"- {name} ({', '.join(workloads)}): {note}" for (name, note), workloads in grouped.items()]


def targets(result: BenchResult) -> list[str]:
    lines = ["| target | measured | met |", "|---|--:|:-:|"]
    for check in evaluate(result.seconds):
        value = check["value"]
        if value is None:
            shown = "—"
        elif check["unit"] == "s":
            shown = fmt_seconds(value)
        else:
            shown = f"{value:.2f}×"
        met = {True: "yes", False: "**no**", None: "not measured"}[check["met"]]
        lines.append(f"| {check['target']} | {shown} | {met} |")
    return lines


def crossover(data: dict, plot_path: Path | None) -> list[str]:
    names = list(data["seconds"])
    lines = ["| width | " + " | ".join(names) + " |", "|--:" + "|--:" * len(names) + "|"]
    for i, width in enumerate(data["widths"]):
        cells = [fmt_seconds(data["seconds"][n][i]) + ("*" if data["sampled"][n][i] else "") for n in names]
        lines.append(f"| {width} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("\\* timed on a sample of the epoch's batches and scaled.")
    if plot_path is not None:
        lines.append(f"Plot: `{plot_path}`")
    return lines


def to_markdown(result: BenchResult, plot_path: Path | None = None) -> str:
    env = result.environment
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items())
    backends = ", ".join(f"{b['name']} ({b['device'] if b['available'] else 'not available'})" for b in result.backends)
    out = ["# playground bench", "", *describe(result), "", *table(result), "", "Notes:", *notes(result), "",
           "## Targets", "", *targets(result), ""]
    if result.crossover is not None:
        out += ["## Crossover: seconds per playground epoch, two hidden layers of width w", "",
                *crossover(result.crossover, plot_path), ""]
    out += [f"Backends: {backends}.", f"Machine: {env['machine']}; {env['threads']}; {versions}."]
    return "\n".join(out) + "\n"
