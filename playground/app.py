"""The playground web app: composes the views around one `TrainingSession` and keeps the URL in sync.

Run it with `playground serve`, `panel serve playground/app.py`, or show `PlaygroundApp()` in Jupyter.
Its CSS classes and accessible names for tests are listed in tests/browser/README.md.
"""

from __future__ import annotations

import copy
import logging
import os
from contextlib import contextmanager
from functools import partial

from playground.server import tuning as server_tuning

server_tuning.set_environment()  # before numpy loads (panel imports it)

import panel as pn  # noqa: E402
from panel.io.state import set_curdoc  # noqa: E402
from panel.models.location import Location as LocationModel  # noqa: E402

import engine  # noqa: E402
from playground.domain import links  # noqa: E402
from playground.domain.links import to_hash  # noqa: E402
from playground.domain.state import STATE_NAMES, ExperimentState  # noqa: E402
from playground.export.page_download import download_refusal, notebook_text  # noqa: E402
from playground.lessons import Lesson, LessonError, list_lessons  # noqa: E402
from playground.lessons.links import lesson_name, read_link, with_lesson  # noqa: E402
from playground.live.frame_pacing import FAST, WATCH  # noqa: E402
from playground.live.session import TrainingSession  # noqa: E402
from playground.live.training_share import TrainingShare, process_share  # noqa: E402
from playground.server import early_bundle, early_link, spare_sessions  # noqa: E402
from playground.views.bridge import BrowserBridge  # noqa: E402
from playground.views.controls import TopBar  # noqa: E402
from playground.views.data_panel import DataPanel  # noqa: E402
from playground.views.draw_tools import DrawTools  # noqa: E402
from playground.views.esm_bundle import served_bundle_url  # noqa: E402
from playground.views.guidance import Guidance  # noqa: E402
from playground.views.lesson_link import LessonLinkMaker  # noqa: E402
from playground.views.lesson_panel import FREE_PLAY, LEFT_NOTICE, LessonPanel  # noqa: E402
from playground.views.message_box import MessageBox  # noqa: E402
from playground.views.network import NetworkView  # noqa: E402
from playground.views.network_canvas import ROOM_BELOW_OUTPUT  # noqa: E402
from playground.views.output import OutputView  # noqa: E402
from playground.views.page_joins import process_joins  # noqa: E402
from playground.views.page_thread import run_with_document_lock  # noqa: E402
from playground.views.staged_page import StagedPage  # noqa: E402
from playground.views.styles import configure_notebook, configure_served_page, in_notebook  # noqa: E402
from playground.views.take_home import NotebookDownload  # noqa: E402

log = logging.getLogger(__name__)

MAX_EPS_ENV = "PLAYGROUND_MAX_EPOCHS_PER_SECOND"  # the per-session epochs/s cap (`serve --classroom`)
URL_HASH_ENV = "PLAYGROUND_URL_HASH"  # the link a page without its own hash starts from
MAX_FPS_ENV = "PLAYGROUND_MAX_FRAMES_PER_SECOND"  # the per-session frames/s cap (`serve --classroom`)
TRAINING_CORES_ENV = "PLAYGROUND_TRAINING_CORES"  # per process, shared by the tabs training (`serve --classroom`)
FRAMES_PER_PROCESS_ENV = "PLAYGROUND_FRAMES_PER_PROCESS"  # frames/s per process, shared the same way
TITLE = "Neural Network Playground"

_engines: list[tuple[str, bool, str]] | None = None


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
        if server_doc is None and in_notebook():
            configure_notebook()
        self.session = TrainingSession(self.state, server_doc, max_epochs_per_second=max_epochs_per_second,
                                       training_share=training_share, max_frames_per_second=max_frames_per_second)
        self._lesson: Lesson | None = None
        self._lessons = self._load_lessons(warnings)
        self.lesson_panel = LessonPanel([(name, ls.title) for name, ls in self._lessons.items()],
                                        on_pick=self._lesson_picked)
        self.top = TopBar(self.state, self.session, engine_choices(), extras=[self.lesson_panel.picker_box])
        self.data = DataPanel(self.state, self.session)
        self.network = NetworkView(self.state, self.session)
        self.output = OutputView(self.state, self.network.canvas)
        self.draw = DrawTools(self.state, self.session, say=self.data.say)
        self.network.canvas.on_draw = self.draw.handle_plot_click
        self.network.canvas.on_ack = self._frame_drawn
        self.network.canvas.on_visibility = self.session.pacing.page_shown
        self.bridge = BrowserBridge(on_key=self._key)
        self.message = MessageBox()
        self.top.notify = self.message.show_notice
        self.take_home = NotebookDownload(self.state, self.session.snapshot, notebook_text, download_refusal,
                                          notify=self.message.show_notice)
        self.lesson_link = LessonLinkMaker(self.state, lesson=lambda: self._lesson)
        self.guidance = Guidance()
        # One line on a laptop (the network and the output need the height); hidden by hideText, as the
        # playground hides its banner.
        self.header = pn.pane.HTML(
            "<header class='header-text'><h1>Tinker With a <b>Neural Network</b> Right Here in Your Browser. "
            "<span>Don’t Worry, You Can’t Break It. We Promise.</span></h1></header>",
            css_classes=["app-header"], sizing_mode="stretch_width", margin=0)
        self._layout = pn.Column(
            self.header, self.message, self.top, self.lesson_panel,
            pn.Row(self.data, self._network_and_output(), margin=(8, 0), css_classes=["main-row"],
                   sizing_mode="stretch_width"),
            self.bridge, self.guidance.about, self.lesson_link,
            css_classes=["playground-app", "complete"], sizing_mode="stretch_width", margin=0)
        self._page_is_loaded = False
        self._staged = self._staged_page() if server_doc is not None else None
        # A served page draws nothing until its own link is applied (`_start`), so it never shows another
        # network first; a notebook cell has no link to wait for.
        self._drawing = server_doc is None
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
            early_link.install(server_doc, self._link_before_load)
            early_bundle.install(server_doc, served_bundle_url())

    def _network_and_output(self) -> pn.Column:
        """The network's controls with the output's read-outs beside them, the canvas that draws both the
        network and the output heatmap, then the notes on the network beside the output's legend and
        checkboxes, which move up into the canvas's free room under the heatmap (the network is taller):
        on a 1366×768 screen the whole output, checkboxes included, fits above the fold. The drawing tools
        (your own data) and the notebook download follow right under them."""
        lift = ROOM_BELOW_OUTPUT - 6
        self._notes_row = pn.Row(pn.Column(self.guidance.network_notes, width=self.network.top.width,
                                           margin=(lift, 0, 0, 0)),
                                 pn.Column(self.output.bottom, self.draw, self.take_home, margin=0),
                                 margin=(-lift, 0, 0, 0))
        return pn.Column(pn.Row(self.network.top, self.output.top, margin=0), self.network.picture,
                         self._notes_row, margin=(0, 10))

    def _staged_page(self) -> StagedPage:
        """The page's first document without what it can do without (views/staged_page.py)."""
        layout = self._layout
        above = [part for part in layout.objects if part not in (self.bridge, self.guidance.about, self.lesson_link)]
        return StagedPage(layout, [(self.data.__panel__(), []), (self._notes_row, []), (layout, above)],
                          self._one_message, on_complete=self._page_complete, joins=process_joins(),
                          run_locked=partial(run_with_document_lock, self.session.doc))

    def _page_complete(self) -> None:
        self._apply_hidden()  # on the parts just added too (their hints under hideText)
        spare_sessions.build_soon(self.session.doc)  # this page is complete: the next one's session can be built now

    # ---------------------------------------------------------------- frames and messages
    def _apply_frame(self, frame) -> None:
        if not self._drawing:
            if frame.messages or frame.errors:
                self._show_messages(frame.messages, frame.errors, frame.epoch)
            return
        with self._one_message():  # one websocket message per frame
            self.top.apply_frame(frame)
            self.network.apply_frame(frame)
            self.output.apply_frame(frame)
            self.data.apply_frame(frame)
            self.lesson_panel.apply_frame(frame)
            if frame.messages or frame.errors:
                self._show_messages(frame.messages, frame.errors, frame.epoch)
            else:
                self.message.training_at(frame.epoch)
        if self.session.doc is None:
            pn.io.push_notebook(self._layout)  # Jupyter: changed Bokeh models are not sent on their own

    def _show_messages(self, messages: list[str], errors: list[str], epoch: int | None = None) -> None:
        self.message.show(messages, errors, epoch)

    def _key(self, key: str) -> None:
        if key == "toggle" and self.top.shown("playButton"):
            self.top.toggle_play()
        elif key == "step" and self.top.shown("stepButton"):
            self.session.step()

    def _apply_hidden(self, *_events) -> None:
        hidden = set(self.state.hidden)
        self.top.hide(hidden)
        controls = {**self.data.hideable, "showTestData": self.output.show_test,
                    "discretize": self.output.discretize}
        for name, widget in controls.items():
            if isinstance(widget, pn.viewable.Viewer):  # a composite view: its `visible` is not drawn
                widget = widget.__panel__()
            widget.visible = name not in hidden
        self.network.show_controls(layers="numHiddenLayers" not in hidden, hints=not self.state.hide_text)
        self.guidance.show_guidance(not self.state.hide_text)
        self.header.visible = not self.state.hide_text
        self.top.show_text(not self.state.hide_text)
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
        """Show `lesson` (None: free play) and follow its goal; the caller loads its settings. A lesson starts
        at the "watch" speed (every epoch drawn); leaving one goes back to free play's "fast"."""
        if lesson is not None or self._lesson is not None:
            self.session.pacing.set_speed(WATCH if lesson is not None else FAST)
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
        # The page's own link is applied once the page has loaded (before that Panel drops model changes,
        # expecting to send the whole document later, though the browser already holds it). By then the
        # page's hash is known: the browser's Location view reports it while the views are built, on the
        # same websocket and so before the page's "loaded" event (no report: no hash). Bokeh applies it to
        # the Location model at once; Panel's `location.hash` follows only after a debounce (~50 ms).
        self._page_hash, self._started = "", False
        location = pn.state.location if pn.state.curdoc is not None else None
        self._location = location
        if location is None:
            return
        location.param.watch(self._hash_changed, "hash")
        self.state.param.watch(self._write_hash, [n for n in STATE_NAMES if n not in ("engine",)] + ["engine"])

    def _link_before_load(self, page_hash: str) -> None:
        """The page posted its hash before asking for its document (`early_link`): apply it now, so that
        the document the page receives already shows it."""
        run_with_document_lock(self.session.doc, self._start, page_hash)

    def _loaded(self) -> None:
        if self._location is None:
            return  # not a served page
        reported = self.session.doc.select_one({"type": LocationModel})
        page_hash = (reported.hash if reported is not None else self._location.hash) or ""
        run_with_document_lock(self.session.doc, self._page_loaded, page_hash)

    def _page_loaded(self, page_hash: str) -> None:
        self._page_is_loaded = True
        if not self._started:
            self._start(page_hash)
        elif page_hash != self._page_hash:  # the address bar's hash changed after the page posted it
            self._page_hash = page_hash  # Location's first sync repeats it: `_hash_changed` skips that echo
            with self._one_message():
                self._apply_hash(page_hash)
        else:  # applied early: the browser's Location reported its own text of the link, not ours
            with self._one_message():
                self._show_link_in_address_bar(page_hash)
        if self._staged is not None:
            self._staged.loaded()

    def _start(self, page_hash: str) -> None:
        if self._staged is not None:
            self._staged.seen()
        if self._started:
            return
        self._started = self._drawing = True
        self._page_hash = page_hash
        # One message for the whole link (settings, controls, first frame, `.ready`): the browser lays the
        # page out once instead of once per changed widget.
        with self._one_message():
            loaded = bool(self._page_hash.lstrip("#")) and self._apply_hash(self._page_hash)
            if not loaded:
                self.session.redraw()  # the page's first frame: the network it was built with
            if not self._page_hash.lstrip("#") and self._start_link:
                self._write_hash()  # show the server's start link in the address bar
            # `.ready` on the root tells tests and scripts that the page's own link has been applied.
            self._layout.css_classes = [*self._layout.css_classes, "ready"]

    def _show_link_in_address_bar(self, shown: str) -> None:
        """After a link applied before the page loaded, whose address bar was left alone then: it shows `shown`;
        make it the link as this page writes it, as `_start` does on a loaded page (its own link or the server's)."""
        if shown != "#" + self._hash_text() and (shown.lstrip("#") or self._start_link):
            self._write_hash()

    def _hash_changed(self, event) -> None:
        if not self._started:
            return  # the page's own link is applied by `_start`
        echo, self._page_hash = event.new == self._page_hash, ""
        if not echo:  # Location's first sync repeats the page's hash: already applied
            self._apply_hash(event.new)

    def _apply_hash(self, hash_: str | None) -> bool:
        """Load a link's settings (True), unless it is empty or what the page already shows (False)."""
        text = (hash_ or "").lstrip("#")
        if not text or text == self._hash_text():
            return False
        if (too_long := links.too_long(text)) is not None:  # not a link: the page keeps what it shows
            self._show_messages([too_long], [])
            self._write_hash()
            return False
        lesson, values, warnings = read_link(text)
        self._open_lesson(lesson)
        self._load(values)
        if warnings:
            self._show_messages(warnings, [])
        self._write_hash()
        return True

    def _load(self, values: dict) -> None:
        self._loading = True
        try:
            self.session.load_state(values)
        finally:
            self._loading = False

    def _hash_text(self) -> str:
        return with_lesson(to_hash(self.state), self._lesson)

    def _write_hash(self, *_events) -> None:
        if self._loading or not self._page_is_loaded:
            return  # before the page has loaded, the browser's Location would overwrite it (see `_page_loaded`)
        new = "#" + self._hash_text()
        if self._location.hash != new:
            self._location.hash = new

    def _frame_drawn(self, frame_id: int) -> None:
        """The browser drew frame `frame_id` (called for every frame: kept cheap)."""
        self.session.ack(frame_id)
        if self._staged is not None and self._staged.waiting_for_frame:
            run_with_document_lock(self.session.doc, self._staged.frame_drawn)

    @contextmanager
    def _one_message(self):
        """Changes made inside reach the page as one message, on this page's own document. It is named
        explicitly: under load Panel's current-document context can still point at another session's
        document (a spare's), whose cached stylesheets would then be attached to ours."""
        doc = self.session.doc
        with set_curdoc(doc), pn.io.hold(doc):
            yield

    def _destroyed(self, _session_context) -> None:
        if self._staged is not None:
            self._staged.close()
        self.session.destroy()

    def __panel__(self):
        return self._layout


def create_app() -> PlaygroundApp:
    """One app per browser session (the factory `pn.serve` calls)."""
    configure_served_page()
    cap, cores, fps, shared_fps = (os.environ.get(name) for name in (MAX_EPS_ENV, TRAINING_CORES_ENV, MAX_FPS_ENV,
                                                                      FRAMES_PER_PROCESS_ENV))
    share = (process_share(float(cores), float(shared_fps) if shared_fps else None, process_joins().any_joining)
             if cores else None)
    return PlaygroundApp(os.environ.get(URL_HASH_ENV, ""), max_epochs_per_second=float(cap) if cap else None,
                         training_share=share,
                         max_frames_per_second=float(fps) if fps else None)


server_tuning.tune_process()

if __name__.startswith("bokeh"):
    pn.panel(create_app()).servable(title=TITLE)
