"""The data column: dataset thumbnails, the classes picker, ratio / noise / batch size, Regenerate, and your
own data's upload and download (drawing it is `draw_tools`, beside the output plot)."""

from __future__ import annotations

import io

import numpy as np
import panel as pn

from ..data import datasets
from ..domain.network_choices import class_count
from ..domain.state import DATASET_LABELS, MAX_CLASSES, MULTICLASS_DATASETS, ExperimentState
from ..live.frames import Frame
from ..safe_text import markdown_text
from .dataset_picker import DatasetPicker
from .icons import REFRESH
from .inputs import ChoiceButtons, RangeInput, bind
from .upload import CsvUpload

MAX_UPLOAD_BYTES = datasets.MAX_CSV_CHARS  # 1 MB: the browser refuses a bigger file before sending it

CLASS_OPTIONS = {str(k): k for k in range(2, MAX_CLASSES + 1)}
MULTICLASS_NAMES = ", ".join(DATASET_LABELS[name].split(" (")[0] for name in MULTICLASS_DATASETS)


def classes_reason(dataset: str) -> str:
    """Why the classes picker is greyed out on a two-class dataset."""
    return (f"{DATASET_LABELS[dataset].split(' (')[0]} has two classes: 3 to 5 classes work on "
            f"{MULTICLASS_NAMES}.")


class DataPanel(pn.viewable.Viewer):
    def __init__(self, state: ExperimentState, session, **params):
        super().__init__(**params)
        self.state, self.session = state, session
        self.picker = DatasetPicker(state)
        # Not bound to the state: on a two-class dataset it shows the 2 in use, greyed, with the reason.
        self._showing_classes = False
        self.classes = ChoiceButtons(label="Classes", options=[[k, v] for k, v in CLASS_OPTIONS.items()],
                                     value=class_count(state), css_classes=["classes-picker"], width=170,
                                     margin=(4, 10))
        self.classes.param.watch(self._classes_picked, "value")
        self.classes_hint = pn.pane.HTML("", css_classes=["classes-hint"], margin=(0, 10), width=170)
        self.classes_box = pn.Column(self.classes, self.classes_hint, margin=0, css_classes=["classes-box"])
        ratio, batch = state.param.perc_train_data, state.param.batch_size
        self.ratio = bind(RangeInput(label="Ratio of training to test data", unit="%", start=ratio.bounds[0],
                                     end=ratio.bounds[1], step=10, css_classes=["ratio-slider"], width=170,
                                     margin=(6, 10)), state, "perc_train_data")
        self.noise = bind(RangeInput(label="Noise", start=0, end=max(50, state.noise), step=5,
                                     css_classes=["noise-slider"], width=170, margin=(6, 10)), state, "noise")
        self.batch_size = bind(RangeInput(label="Batch size", start=batch.bounds[0], end=batch.bounds[1],
                                          css_classes=["batch-size-slider"], width=170, margin=(6, 10)),
                               state, "batch_size")
        self.regenerate = pn.widgets.Button(label="Regenerate", icon=REFRESH, css_classes=["regenerate-button"],
                                            description="New random data", width=150, margin=(10, 10))
        self.regenerate.on_click(lambda _: session.regenerate())
        self.upload = CsvUpload(on_file=self._uploaded, on_refused=self._refused, max_bytes=MAX_UPLOAD_BYTES,
                                css_classes=["csv-upload"], width=170, height=30, margin=(6, 10))
        self.download = pn.widgets.FileDownload(callback=self._csv, filename="playground-data.csv", embed=False,
                                                label="Download CSV", css_classes=["csv-download"], width=150,
                                                color="light", margin=(4, 10))
        self.data_message = pn.pane.Alert("", alert_type="danger", visible=False, css_classes=["data-error"],
                                          width=170, margin=(4, 10))
        self.batch_note = pn.pane.HTML("", css_classes=["batch-note"], visible=False, width=170, margin=(0, 10))
        # hiding the dataset hides the classes picker with it
        self.hideable = {"dataset": pn.Column(self.picker, self.classes_box, margin=0), "percTrainData": self.ratio,
                         "noise": self.noise, "batchSize": pn.Column(self.batch_size, self.batch_note, margin=0)}
        self._layout = pn.Column(
            pn.pane.HTML("<h2 class='column-title'>Data</h2><p class='hint'>Which dataset do you want to use?</p>",
                         margin=(0, 10)),
            self.hideable["dataset"], self.ratio, self.noise, self.hideable["batchSize"], self.regenerate,
            pn.pane.HTML("<p class='hint'>Your data as CSV (x,y,label):</p>", margin=(6, 10, 0, 10)),
            self.upload, self.data_message, self.download,
            css_classes=["data-column"], width=200, margin=(0, 6))
        state.param.watch(self._show_classes, ["dataset", "problem", "num_classes"])
        self._show_classes()
        state.param.watch(self._noise_range, "noise")

    def _show_classes(self, *_events) -> None:
        """Shown for classification only; on a two-class dataset greyed out at 2, saying why."""
        st = self.state
        self.classes_box.visible = st.problem == "classification"
        applies = st.dataset in MULTICLASS_DATASETS
        self._showing_classes = True  # the picker follows the state: not a pick
        try:
            self.classes.param.update(value=class_count(st), disabled=not applies)
        finally:
            self._showing_classes = False
        reason = "" if applies else classes_reason(st.dataset)
        self.classes_hint.object = f"<p class='hint'>{reason}</p>" if reason else ""

    def _classes_picked(self, event) -> None:
        if not self._showing_classes and self.state.dataset in MULTICLASS_DATASETS:
            self.state.num_classes = event.new

    def _noise_range(self, event) -> None:
        self.noise.end = max(50, event.new)  # a link may ask for up to 80: the slider follows, as the site's

    def _uploaded(self, name: str, content: bytes) -> None:
        try:
            count = self.session.load_csv(content)
        except datasets.DataError as exc:
            self._refused(name, str(exc))
            return
        self.say(f"Loaded {count} point{'s' if count != 1 else ''}.", "success")

    def _refused(self, name: str, why: str) -> None:
        self.say(f"{name or 'File'}: {why}. Your data was kept.", "danger")

    def say(self, text: str, kind: str) -> None:
        # The text quotes the file's name and cells: escaped here, where it becomes Markdown.
        self.data_message.param.update(object=markdown_text(text), alert_type=kind, visible=True)

    def _csv(self) -> io.StringIO:
        return io.StringIO(datasets.to_csv(self.session.snapshot()[1]))

    def apply_frame(self, frame: Frame) -> None:
        if frame.train_points is not None and self.state.dataset == "user" and self.state.problem == "classification":
            self.picker.show_user_points(np.concatenate([frame.train_points, frame.test_points]))
        if frame.batch_note != self.batch_note.object:
            self.batch_note.param.update(object=frame.batch_note, visible=bool(frame.batch_note))

    def __panel__(self):
        return self._layout
