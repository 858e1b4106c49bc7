"""The data column: dataset thumbnails, ratio / noise / batch size, Regenerate, and your own data."""

from __future__ import annotations

import io

import numpy as np
import panel as pn

from ..data import datasets
from ..domain.network_choices import class_count
from ..domain.state import MAX_CLASSES, ExperimentState
from ..live.frames import Frame
from ..safe_text import markdown_text
from .dataset_picker import DatasetPicker
from .icons import ERASER, REFRESH
from .upload import CsvUpload

MAX_UPLOAD_BYTES = datasets.MAX_CSV_CHARS  # 1 MB: the browser refuses a bigger file before sending it

DRAW_CLASSES = {"Blue (+1)": 1.0, "Orange (−1)": -1.0}
CLASS_NAMES = ["orange", "blue", "green", "purple", "red"]  # class_colors.CLASS_COLORS, in words
CLASS_OPTIONS = {str(k): k for k in range(2, MAX_CLASSES + 1)}


def draw_classes(classes: int) -> dict[str, float]:
    """The drawing tool's labels: ±1 for two classes, 0…K−1 for more."""
    if classes == 2:
        return DRAW_CLASSES
    return {f"{k} ({CLASS_NAMES[k]})": float(k) for k in range(classes)}


class DataPanel(pn.viewable.Viewer):
    def __init__(self, state: ExperimentState, session, **params):
        super().__init__(**params)
        self.state, self.session = state, session
        self.picker = DatasetPicker(state)
        self.classes = pn.widgets.RadioButtonGroup.from_param(
            state.param.num_classes, label="Classes", options=CLASS_OPTIONS, css_classes=["classes-picker"],
            width=170, margin=(2, 10), description="How many classes (3-5: spiral, Gaussian and your own data)")
        self.classes_hint = pn.pane.HTML("", css_classes=["classes-hint"], margin=(0, 10), width=170)
        slider = pn.widgets.IntSlider.from_param
        self.ratio = slider(state.param.perc_train_data, label="Ratio of training to test data (%)", step=10,
                            throttled=True, css_classes=["ratio-slider"], width=170)
        self.noise = slider(state.param.noise, label="Noise", start=0, end=max(50, state.noise), step=5,
                            throttled=True, css_classes=["noise-slider"], width=170)
        self.batch_size = slider(state.param.batch_size, label="Batch size", throttled=True,
                                 css_classes=["batch-size-slider"], width=170)
        self.regenerate = pn.widgets.Button(label="Regenerate", icon=REFRESH, css_classes=["regenerate-button"],
                                            description="New random data", width=150, margin=(10, 10))
        self.regenerate.on_click(lambda _: session.regenerate())
        # drawing your own data (the "user" dataset)
        self.draw_class = pn.widgets.RadioButtonGroup(label="Class to draw", options=DRAW_CLASSES, value=1.0,
                                                      css_classes=["draw-class"], width=170, margin=(4, 10))
        self.eraser = pn.widgets.Toggle(label="Eraser", icon=ERASER, css_classes=["eraser-toggle"], width=82,
                                        margin=(4, 4, 4, 10))
        self.clear = pn.widgets.Button(label="Clear", css_classes=["clear-points"], width=80, margin=(4, 4),
                                       description="Remove all your points")
        self.clear.on_click(lambda _: session.clear_points())
        self.draw_tools = pn.Column(
            pn.pane.HTML("<p class='hint'>Your own data starts empty: click the output plot to add a point of "
                         "this class, shift-click (or the eraser) to erase.</p>", margin=(0, 10), width=170),
            self.draw_class, pn.Row(self.eraser, self.clear, margin=0), margin=0, css_classes=["draw-tools"])
        self.upload = CsvUpload(on_file=self._uploaded, on_refused=self._refused, max_bytes=MAX_UPLOAD_BYTES,
                                css_classes=["csv-upload"], width=170, height=30, margin=(6, 10))
        self.download = pn.widgets.FileDownload(callback=self._csv, filename="playground-data.csv", embed=False,
                                                label="Download CSV", css_classes=["csv-download"], width=150,
                                                color="light", margin=(4, 10))
        self.data_message = pn.pane.Alert("", alert_type="danger", visible=False, css_classes=["data-error"],
                                          width=170, margin=(4, 10))
        self.hideable = {"dataset": self.picker, "percTrainData": self.ratio, "noise": self.noise,
                         "batchSize": self.batch_size}
        self._layout = pn.Column(
            pn.pane.HTML("<h2 class='column-title'>Data</h2><p class='hint'>Which dataset do you want to use?</p>",
                         margin=(0, 10)),
            self.picker,
            pn.pane.HTML("<p class='hint'>Classes:</p>", margin=(4, 10, 0, 10)), self.classes, self.classes_hint,
            self.ratio, self.noise, self.batch_size, self.regenerate, self.draw_tools,
            pn.pane.HTML("<p class='hint'>Your data as CSV (x,y,label):</p>", margin=(6, 10, 0, 10)),
            self.upload, self.data_message, self.download,
            css_classes=["data-column"], width=200, margin=(0, 6))
        state.param.watch(self._show_draw_tools, ["dataset", "problem"])
        state.param.watch(self._show_classes, ["dataset", "problem", "num_classes"])
        self._show_classes()
        state.param.watch(self._noise_range, "noise")
        self._show_draw_tools()

    @property
    def drawing(self) -> bool:
        return self.state.problem == "classification" and self.state.dataset == "user"

    def _show_draw_tools(self, *_events) -> None:
        self.draw_tools.visible = self.drawing

    def _show_classes(self, *_events) -> None:
        """The drawing tool offers the classes in use; a two-class dataset says why K is ignored."""
        st = self.state
        self.classes.visible = st.problem == "classification"
        classes = class_count(st)
        options = draw_classes(classes)
        if self.draw_class.options != options:
            self.draw_class.param.update(options=options, value=list(options.values())[0],
                                         orientation="horizontal" if classes == 2 else "vertical")
        ignored = st.problem == "classification" and st.num_classes > 2 and classes == 2
        self.classes_hint.object = (f"<p class='hint'>This dataset has two classes; {st.num_classes} classes work "
                                    "on the spiral, the Gaussian clusters and your own data.</p>" if ignored else "")

    def _noise_range(self, event) -> None:
        self.noise.end = max(50, event.new)  # a link may ask for up to 80: the slider follows, as the site's

    def handle_plot_click(self, x: float, y: float, shift: bool) -> None:
        """A click on the output plot: add (or, with shift / the eraser, remove) a point of your own data."""
        if not self.drawing:
            if self.state.problem == "classification":
                self._say("To draw points, choose “Your own data” (the last thumbnail).", "info")
            return
        if shift or self.eraser.value:
            self.session.remove_point(x, y)
        else:
            self.session.add_point(x, y, self.draw_class.value)

    def _uploaded(self, name: str, content: bytes) -> None:
        try:
            count = self.session.load_csv(content)
        except datasets.DataError as exc:
            self._refused(name, str(exc))
            return
        self._say(f"Loaded {count} point{'s' if count != 1 else ''}.", "success")

    def _refused(self, name: str, why: str) -> None:
        self._say(f"{name or 'File'}: {why}. Your data was kept.", "danger")

    def _say(self, text: str, kind: str) -> None:
        # The text quotes the file's name and cells: escaped here, where it becomes Markdown.
        self.data_message.param.update(object=markdown_text(text), alert_type=kind, visible=True)

    def _csv(self) -> io.StringIO:
        return io.StringIO(self.session.data_csv())

    def apply_frame(self, frame: Frame) -> None:
        if frame.train_points is not None and self.drawing:
            self.picker.show_user_points(np.concatenate([frame.train_points, frame.test_points]))

    def __panel__(self):
        return self._layout
