"""Take the experiment home: "Download notebook" saves the standalone notebook of the experiment as it stands
(its settings, your own points when they are the data, and as many epochs as it has trained), the same
notebook `playground export --standalone` writes for that link, those points and that epoch count.

The notebook is written when the button is pressed (`build`, given by the app: views do not import the
exporter). Settings it cannot write out as plain numpy grey the button out, saying why (`refusal`).
"""

from __future__ import annotations

import io
from collections.abc import Callable

import panel as pn

from ..domain.links import to_hash
from ..domain.state import ExperimentState

FILENAME = "playground-experiment.ipynb"
WHAT = ("A Jupyter notebook that rebuilds this experiment step by step in plain numpy (your own points "
        "included) and trains it for as many epochs as here.")


class NotebookDownload(pn.viewable.Viewer):
    """`snapshot()`: (settings, points, epoch) of the session; `build(link, epochs, own_points)`: the notebook's
    text; `refusal(state)`: why these settings cannot be written out, or None; `notify(text)`: a message."""

    def __init__(self, state: ExperimentState, snapshot: Callable, build: Callable[..., str],
                 refusal: Callable[[ExperimentState], str | None], notify: Callable[[str], None], **params):
        super().__init__(**params)
        self.state, self.snapshot, self.build, self.refusal, self.notify = state, snapshot, build, refusal, notify
        self.button = pn.widgets.FileDownload(callback=self._notebook, filename=FILENAME, embed=False,
                                              label="Download notebook", css_classes=["notebook-download"],
                                              description=WHAT, width=170, color="light", margin=(6, 6))
        state.param.watch(self._check, ["optimizer", "loss", "problem", "dataset", "num_classes"])
        self._check()

    def _check(self, *_events) -> None:
        why = self.refusal(self.state)
        self.button.param.update(disabled=why is not None, description=why or WHAT)

    def _notebook(self) -> io.StringIO:
        state, points, epoch = self.snapshot()
        own = points if state.dataset == "user" and state.problem == "classification" else None
        try:
            return io.StringIO(self.build(to_hash(state), epoch, own))
        except ValueError as exc:  # refused after all (the settings changed meanwhile): say why
            self.notify(f"The notebook could not be written: {exc}")
            raise

    def __panel__(self):
        return self.button
