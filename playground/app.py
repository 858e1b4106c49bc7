"""The playground web app: composes the views around one `TrainingSession` and keeps the URL in sync.

Run it with `playground serve`, `panel serve playground/app.py`, or show `PlaygroundApp()` in Jupyter.

Stable selectors for browser tests (CSS selectors pierce Panel's shadow DOM in Playwright):

- Buttons, by accessible name (`page.get_by_role("button", name=...)`) and by class on the widget
  (icon buttons keep their name as visually hidden text, and a tooltip):
  Play / Pause (`.play-button`; its name flips to "Pause" while training), Step (`.step-button`),
  Reset (`.reset-button`), Regenerate (`.regenerate-button`), Add layer (`.add-layer`), Remove layer
  (`.remove-layer`), "Add neuron to layer N" / "Remove neuron from layer N" (`.add-neuron`,
  `.remove-neuron`, inside `.layer-N-controls`), Apply / Cancel of the weight editor (`.edit-apply`,
  `.edit-cancel`), Clear (`.clear-points`), Eraser toggle (`.eraser-toggle`).
- Dataset thumbnails: `.dataset-thumb.dataset-<name>` (circle, xor, gauss, spiral, moons, checkerboard,
  sine, cubic, abs, user, reg-plane, reg-gauss); the chosen one also has `.selected`. Accessible names: "Circle",
  "Exclusive or", "Gaussian", "Spiral", "Moons", "Checkerboard", "Your own data (draw or upload)", "Plane",
  "Multi Gaussian".
- Input features: toggles `.feature-<key>` (x, y, xSquared, ySquared, xTimesY, sinX, sinY), labelled X₁ …
- Selects (each has a visible label): `.learning-rate-select`, `.activation-select`,
  `.regularization-select`, `.regularization-rate-select`, `.problem-select`, `.engine-select`,
  `.optimizer-select`, `.loss-select` (the `<select>` element is inside); each hidden layer's activation
  `.layer-N-activation` (also `.layer-activation`; option values are the labels, "ReLU", "Tanh", …).
- Classes: the button group `.classes-picker` (buttons "2" … "5"); `.classes-hint` says when the dataset has
  two; with K ≥ 3 the legend is `.class-legend` with one `.class-swatch` per class.
- Sliders: `.ratio-slider`, `.noise-slider`, `.batch-size-slider`. Checkboxes: `.show-test-data`,
  `.discretize-output`.
- Read-outs (classes on the text element itself, so `locator(...).inner_text()` works): `.epoch-counter`
  ("000,114"), `.epochs-per-second`, `.frames-per-second`, `.train-loss`, `.test-loss` ("–" with no test
  points), `.train-accuracy`, `.test-accuracy`, `.layer-count-number`. The loss read-outs carry the exact
  float in `title` (repr), and `.train-loss` the epoch it belongs to in `data-epoch`.
- Plots: `.output-plot` (decision boundary + points; click to draw your own data, shift-click to erase),
  `.network-plot` (hover a neuron: its heatmap shows in the output plot; hover a link or bias: its value;
  click one: the editor opens), `.loss-chart`.
- The message box `.message-box` (one message at a time, floating over the page so nothing moves; its kind
  as a class: `.danger`, `.warning`, `.notice`) holds `.app-message` (text in its shadow root: link
  warnings, "Training paused at epoch N: the loss is no longer finite ...", "The network collapsed at epoch
  N: ...", a refused engine, display errors) and its `.dismiss-message` button.
- Guidance (hidden by `hideText=true`): `.network-notes-pane` (notes under the network picture) and
  `.about-pane` ("What is this?" under the tool), both `.guidance`; `.engine-note` explains the engines.
  Your own data starts empty with the hint "click to add a point, shift-click to erase" on the plot.
- Panes whose text lives in their shadow root (read it with `page.get_by_text(...)`): `.data-error` (CSV problems, drawing hints),
  `.weight-editor` with `.editor-label` and the `.edit-value` number input, `.neuron-count` ("4 neurons").
- Lessons: the picker `.lesson-select` (accessible name "Lesson"; options "Free play", then "1. <title>" …),
  the open lesson's Markdown `.lesson-text` (text in its shadow root), and the goal badge `.lesson-goal`
  (`inner_text()` works; role "status"), which also has `.met` once the goal is reached ("✓ Goal reached at
  epoch 12") or `.out-of-epochs` when the lesson's epoch budget is spent. A lesson opens from the URL with
  the hash key `lesson=<file name without .toml>` (e.g. `#lesson=01-linear-boundary`; other keys after it
  override the lesson's start); picking one writes it there. Free play shows every control again and keeps
  the lesson's settings (`.lesson-keep-note` says so beside the picker, a notice says so on leaving). Once
  met, the badge keeps live values ("✓ Goal reached at epoch 29 · now test accuracy 100.0% · test loss …").
- Readiness: the root gets the class `ready` (`.playground-app.ready`) once the URL hash has been applied.
- Keyboard: space toggles Play/Pause, → steps (not while typing in an input).
"""

from __future__ import annotations

import copy
import logging
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # tiny matrices: threads only add contention

import panel as pn  # noqa: E402
from panel.io.state import set_curdoc  # noqa: E402

import engine  # noqa: E402
from playground.lessons import Lesson, LessonError, list_lessons  # noqa: E402
from playground.lessons.links import lesson_name, read_link, with_lesson  # noqa: E402
from playground.links import to_hash  # noqa: E402
from playground.session import STATE_NAMES, TrainingSession  # noqa: E402
from playground.state import ExperimentState  # noqa: E402
from playground.training_share import TrainingShare, process_share  # noqa: E402
from playground.views.bridge import BrowserBridge  # noqa: E402
from playground.views.controls import TopBar  # noqa: E402
from playground.views.data_panel import DataPanel  # noqa: E402
from playground.views.guidance import Guidance  # noqa: E402
from playground.views.lesson_panel import FREE_PLAY, LEFT_NOTICE, LessonPanel  # noqa: E402
from playground.views.message_box import MessageBox  # noqa: E402
from playground.views.network import NetworkView  # noqa: E402
from playground.views.output import OutputView  # noqa: E402
from playground.views.styles import app_css  # noqa: E402

log = logging.getLogger(__name__)

MAX_EPS_ENV = "PLAYGROUND_MAX_EPOCHS_PER_SECOND"  # the per-session epochs/s cap (`serve --classroom`)
URL_HASH_ENV = "PLAYGROUND_URL_HASH"  # the link a page without its own hash starts from
MAX_FPS_ENV = "PLAYGROUND_MAX_FRAMES_PER_SECOND"  # the per-session frames/s cap (`serve --classroom`)
TRAINING_CORES_ENV = "PLAYGROUND_TRAINING_CORES"  # per process, shared by the tabs training (`serve --classroom`)
TITLE = "Neural Network Playground"

_engines: list[tuple[str, bool, str]] | None = None


def _limit_blas_threads() -> None:
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(1)
    except Exception:  # optional; the environment variable above covers a fresh process
        pass


def engine_choices() -> list[tuple[str, bool, str]]:
    """(name, available, reason) per engine backend, probed once per process."""
    global _engines
    if _engines is None:
        found = []
        for name in engine.backend_names():
            try:
                info = engine.backend_info(name)
                found.append((name, info.available, info.reason))
            except Exception as exc:  # a broken backend must not break the page
                found.append((name, False, str(exc) or type(exc).__name__))
        _engines = found
    return _engines


def enable_websocket_nodelay() -> None:
    """Send websocket frames at once (TCP_NODELAY).

    Bokeh writes each message as several websocket frames; with Nagle's algorithm on, the later ones wait
    for the browser's delayed ACK, which adds ~40 ms to every frame we send. Bokeh and Panel do not switch it
    off, so we do, once per process, when a websocket opens.
    """
    from bokeh.server.views.ws import WSHandler

    if getattr(WSHandler.open, "_playground_nodelay", False):
        return
    original = WSHandler.open

    def open_with_nodelay(self, *args, **kwargs):
        try:
            self.set_nodelay(True)
        except Exception:  # a transport without TCP: nothing to tune
            log.debug("could not set TCP_NODELAY", exc_info=True)
        return original(self, *args, **kwargs)

    open_with_nodelay._playground_nodelay = True
    WSHandler.open = open_with_nodelay


def configure_panel() -> None:
    css = app_css()
    pn.extension(raw_css=[css] if css else [], design="native")
    _limit_blas_threads()
    enable_websocket_nodelay()


class PlaygroundApp(pn.viewable.Viewer):
    """The whole page for one user. `link`: a playground URL or hash to start from."""

    def __init__(self, link: str = "", *, max_epochs_per_second: float | None = None,
                 training_share: TrainingShare | None = None, max_frames_per_second: float | None = None,
                 **params):
        super().__init__(**params)
        lesson, values, warnings = read_link(link) if link else (None, {}, [])
        self.state = ExperimentState(**values)
        doc = pn.state.curdoc
        server_doc = doc if doc is not None and doc.session_context is not None else None
        self.session = TrainingSession(self.state, server_doc, max_epochs_per_second=max_epochs_per_second,
                                       training_share=training_share, max_frames_per_second=max_frames_per_second)
        self.top = TopBar(self.state, self.session, engine_choices())
        self.data = DataPanel(self.state, self.session)
        self.network = NetworkView(self.state, self.session)
        self.output = OutputView(self.state, self.network.neuron_source, self.network.input_source)
        self.output.on_click = self.data.handle_plot_click
        self.network.show_hovered_in(self.output.overlays)
        self._lesson: Lesson | None = None
        self._lessons = self._load_lessons(warnings)
        self.lesson_panel = LessonPanel([(name, ls.title) for name, ls in self._lessons.items()],
                                        on_pick=self._lesson_picked)
        self.bridge = BrowserBridge(on_key=self._key, on_ack=self.session.ack, on_page_hash=self._page_hash_known)
        self.message = MessageBox()
        self.guidance = Guidance()
        header = pn.pane.HTML(
            "<div class='header-text'>Tinker With a <b>Neural Network</b> Right Here in Your Browser.<br>"
            "<span>Don’t Worry, You Can’t Break It. We Promise.</span></div>",
            css_classes=["app-header"], sizing_mode="stretch_width", margin=0)
        self._layout = pn.Column(
            header, self.message, self.top, self.lesson_panel,
            pn.Row(self.data, pn.Column(self.network, self.guidance.network_notes, margin=0), self.output,
                   margin=(16, 0), css_classes=["main-row"]),
            self.guidance.about, self.bridge, css_classes=["playground-app"], sizing_mode="stretch_width", margin=0)
        self.session.on_frame(self._apply_frame)
        self.state.param.watch(self._apply_hidden, ["hidden", "hide_text"])
        self._apply_hidden()
        self._open_lesson(lesson)
        self.session.refresh()
        self._show_messages(warnings, [])
        self._wire_location(link)
        if server_doc is not None:
            pn.state.on_session_destroyed(self._destroyed)
            pn.state.onload(self._loaded)

    # ---------------------------------------------------------------- frames and messages
    def _apply_frame(self, frame) -> None:
        # Name the document explicitly: under load Panel's current-document context can still point at
        # another session's document, whose cached stylesheets then get attached to ours.
        doc = self.session.doc
        with set_curdoc(doc), pn.io.hold(doc):  # one websocket message per frame
            self.top.apply_frame(frame)
            self.network.apply_frame(frame)
            self.output.apply_frame(frame)
            self.data.apply_frame(frame)
            self.lesson_panel.apply_frame(frame)
            if frame.messages or frame.errors:
                self._show_messages(frame.messages, frame.errors)
            self.bridge.frame_id = frame.frame_id
        if self.session.doc is None and self._layout._models:
            pn.io.push_notebook(self._layout)  # Jupyter: changed Bokeh models are not sent on their own

    def _show_messages(self, messages: list[str], errors: list[str]) -> None:
        self.message.show(messages, errors)

    def _key(self, key: str) -> None:
        if key == "toggle" and self.top.play_button.visible:
            self.top.toggle_play()
        elif key == "step" and self.top.step_button.visible:
            self.session.step()

    def _apply_hidden(self, *_events) -> None:
        hidden = set(self.state.hidden)
        controls = {**self.top.hideable, **self.data.hideable, "showTestData": self.output.show_test,
                    "discretize": self.output.discretize, "numHiddenLayers": self.network.layer_controls}
        for name, widget in controls.items():
            if isinstance(widget, pn.viewable.Viewer):  # a composite view: its `visible` is not drawn
                widget = widget.__panel__()
            widget.visible = name not in hidden
        for widget in (self.network.add_layer, self.network.remove_layer, self.network.layer_count):
            widget.visible = "numHiddenLayers" not in hidden
        self.guidance.show_guidance(not self.state.hide_text)
        for pane in self._layout.select(pn.pane.HTML):  # hideText: the explanatory hints go
            if "class='hint'" in str(pane.object):
                others = [c for c in pane.css_classes if c != "hide-text"]
                pane.css_classes = others + (["hide-text"] if self.state.hide_text else [])

    # ---------------------------------------------------------------- lessons
    @staticmethod
    def _load_lessons(warnings: list[str]) -> dict[str, Lesson]:
        try:
            return {lesson_name(lesson): lesson for lesson in list_lessons()}
        except LessonError as exc:  # a broken lesson file must not break the page
            warnings.append(f"Lessons are unavailable: {exc}")
            return {}

    def _open_lesson(self, lesson: Lesson | None) -> None:
        """Show `lesson` (None: free play) and follow its goal; the caller loads its settings."""
        self._lesson = lesson  # first: moving the picker below must read as "already open"
        self.session.set_goal(lesson.goal if lesson is not None else None)
        if lesson is None:
            self.lesson_panel.show_free_play()
        else:
            self.lesson_panel.show_lesson(lesson_name(lesson), lesson.title, lesson.text)

    def _lesson_picked(self, name: str) -> None:
        if name == (lesson_name(self._lesson) if self._lesson is not None else FREE_PLAY):
            return  # the app moved the picker itself
        self.session.pause()  # a lesson starts paused: read first, then press play
        left, lesson = self._lesson, self._lessons.get(name)
        self._open_lesson(lesson)
        if lesson is not None:
            self._load(copy.deepcopy(lesson.values))  # its start, as if its link was opened
        else:
            self.state.hidden = []  # free play: every control back, the settings stay
            if left is not None:
                self.message.show_notice(LEFT_NOTICE.format(title=left.title))
        if self._location is not None:
            self._write_hash()

    # ---------------------------------------------------------------- the URL
    def _wire_location(self, link: str) -> None:
        self._start_link, self._loading = bool(link), False
        # The page's own link is applied once both the page has loaded (before that Panel drops model
        # changes, expecting to send the whole document later, though the browser already holds it) and
        # the bridge has reported the page's hash (the only way to tell "no hash" from "not yet").
        self._page_loaded, self._page_hash, self._started = False, None, False
        location = pn.state.location if pn.state.curdoc is not None else None
        self._location = location
        if location is None:
            return
        location.param.watch(self._hash_changed, "hash")
        self.state.param.watch(self._write_hash, [n for n in STATE_NAMES if n not in ("engine",)] + ["engine"])

    def _page_hash_known(self, hash_: str) -> None:
        if self._page_hash is None:
            self._page_hash = hash_
            self._start()

    def _loaded(self) -> None:
        self._page_loaded = True
        self._start()

    def _start(self) -> None:
        if self._started or not self._page_loaded or self._page_hash is None:
            return
        self._started = True
        if self._page_hash.lstrip("#"):
            self._apply_hash(self._page_hash)
        elif self._start_link:
            self._write_hash()  # show the server's start link in the address bar
        # `.ready` on the root tells tests and scripts that the page's own link has been applied.
        self._layout.css_classes = [*self._layout.css_classes, "ready"]

    def _hash_changed(self, event) -> None:
        if not self._started:
            return  # the page's own link is applied by `_start`
        echo, self._page_hash = event.new == self._page_hash, ""
        if not echo:  # Location's first sync repeats the page's hash: already applied
            self._apply_hash(event.new)

    def _apply_hash(self, hash_: str | None) -> None:
        text = (hash_ or "").lstrip("#")
        if not text:
            return
        if text == self._hash_text():
            return
        lesson, values, warnings = read_link(text)
        self._open_lesson(lesson)
        self._load(values)
        if warnings:
            self._show_messages(warnings, [])
        self._write_hash()

    def _load(self, values: dict) -> None:
        self._loading = True
        try:
            self.session.load_state(values)
        finally:
            self._loading = False

    def _hash_text(self) -> str:
        return with_lesson(to_hash(self.state), self._lesson)

    def _write_hash(self, *_events) -> None:
        if self._loading:
            return
        new = "#" + self._hash_text()
        if self._location.hash != new:
            self._location.hash = new

    def _destroyed(self, _session_context) -> None:
        self.session.destroy()

    def __panel__(self):
        return self._layout


def create_app() -> PlaygroundApp:
    """One app per browser session (the factory `pn.serve` calls)."""
    cap, cores, fps = (os.environ.get(name) for name in (MAX_EPS_ENV, TRAINING_CORES_ENV, MAX_FPS_ENV))
    return PlaygroundApp(os.environ.get(URL_HASH_ENV, ""), max_epochs_per_second=float(cap) if cap else None,
                         training_share=process_share(float(cores)) if cores else None,
                         max_frames_per_second=float(fps) if fps else None)


configure_panel()

if __name__.startswith("bokeh"):
    pn.panel(create_app()).servable(title=TITLE)
