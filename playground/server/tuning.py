"""How a server process is tuned for many small sessions, in one place for `playground serve` and
`panel serve playground/app.py` alike.

- `set_environment()`: one BLAS thread (the matrices are tiny: threads only add contention). OpenBLAS reads
  the variable once, when numpy loads, so this runs before anything imports numpy: first thing in
  `playground/app.py`, and in `playground.cli.main` for `serve` (the CLI's parser imports numpy).
- `tune_process()`: the same limit for a BLAS already loaded, the GIL handed to the event loop sooner,
  Bokeh's warning about a model the page sends back whole quieted (`quiet_known_reference_warnings`), no
  warning per message a closed tab did not get (`log_limits`), and the patches of Panel's and Bokeh's
  internals that serving needs (`patches/`: websocket frames sent at once, a message's frames in one
  write, no OK answers to the page's frame acknowledgements, components' messages serialised without
  indexing the document, Panel's queued patches kept from being stranded).
- `tune_for_classroom()`: many training threads and documents in one process (`serve --classroom`).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import warnings

from bokeh.util.warnings import BokehUserWarning

from .log_limits import quiet_closed_tab_writes
from .patches import frame_acks, message_patches, message_writes, panel_writes, websocket_nodelay

log = logging.getLogger(__name__)

ENVIRONMENT = {"OPENBLAS_NUM_THREADS": "1"}  # defaults: a value the user set wins
SERVING_SWITCH_INTERVAL_S = 0.0005
CLASSROOM_SWITCH_INTERVAL_S = 0.001  # many training threads: fewer hand-overs
CLASSROOM_GC_THRESHOLDS = (20_000, 20, 50)  # Python's default: (700, 10, 10)


def set_environment() -> None:
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def limit_blas_threads() -> None:
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(1)
    except Exception:  # optional; the environment variable covers a fresh process
        pass


def tune_process() -> None:
    limit_blas_threads()
    websocket_nodelay.install()
    frame_acks.install()
    message_patches.install()
    message_writes.install()
    panel_writes.install()
    quiet_known_reference_warnings()
    quiet_closed_tab_writes()
    # The training thread holds the GIL between numpy calls: hand it back to the event loop sooner than
    # Python's 5 ms, so frames leave evenly (measured: frames/s shown 52 → 56 at 0.5 ms).
    sys.setswitchinterval(SERVING_SWITCH_INTERVAL_S)


def quiet_known_reference_warnings() -> None:
    """BokehJS counts the models a server patch brought as new until the page's next patch, and sends any of
    them that patch refers to whole; Bokeh then warns "reference already known" and uses the model it has
    (bokeh/bokeh#12915 made it a warning for this). The app's parts that follow the first frame (the data
    column) come in such a patch, so the first click on one warned once per page."""
    warnings.filterwarnings("ignore", message="reference already known", category=BokehUserWarning)


def tune_for_classroom() -> None:
    # Many training threads share each process: hand the GIL back to the event loop sooner (Python's
    # default is 5 ms), so a student's click is not queued behind other tabs' epochs.
    sys.setswitchinterval(CLASSROOM_SWITCH_INTERVAL_S)
    # Every tab's Bokeh document is thousands of objects: full collections over all of them stall the
    # event loop for everyone. Collect young objects less often and never rescan what startup made.
    gc.freeze()
    gc.set_threshold(*CLASSROOM_GC_THRESHOLDS)
