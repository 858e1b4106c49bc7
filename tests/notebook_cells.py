"""Runs an exported notebook's code cells in the test's own process (fast, no kernel), for both exporters."""

from __future__ import annotations

import contextlib
import io

from playground.export.notebook import LOSS_CELL_TAG


def run_cells_here(nb) -> tuple[float, float]:
    """Execute the notebook's non-plot code cells in this process; the final losses it printed."""
    namespace: dict = {}
    printed = io.StringIO()
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type != "code" or "plot" in tags:
            continue
        with contextlib.redirect_stdout(printed if LOSS_CELL_TAG in tags else io.StringIO()):
            exec(compile(cell.source, "<cell>", "exec"), namespace)  # noqa: S102 - our own generated code
    train_loss, test_loss = (float(word) for word in printed.getvalue().split())
    return train_loss, test_loss
