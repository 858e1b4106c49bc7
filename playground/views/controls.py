"""The top bar: Reset / Play-Pause / Step, the epoch counter, every training setting, the speed readout."""

from __future__ import annotations

import panel as pn
import param

from ..frames import Frame
from ..network_choices import class_count
from ..state import LABELS, LEARNING_RATES, REGULARIZATION_RATES, ExperimentState
from .icons import PAUSE, PLAY, RESET, STEP
from .live_text import LiveText


def _number_label(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".") if value < 1 else f"{value:g}"


def menu_options(param_name: str) -> dict[str, str]:
    """A Select's {label: value}, from the value -> label table in state.py."""
    return {label: value for value, label in LABELS[param_name].items()}


ENGINE_NOTE = ("<div class='engine-note-text'><b>Engine</b>: the same network on three backends. "
               "<b>numpy</b>: fast array maths (the default) · <b>gpu</b>: PyTorch, on a graphics card if "
               "there is one · <b>cpu</b>: slower on purpose, the readable pure-Python reference where every "
               "sum is written out. Switching keeps the weights.</div>")


class EngineSelect(pn.widgets.Select):
    """A Select whose `unavailable` values are shown but cannot be picked.

    Sent to the browser as both value and label: the option element's value is its label there.
    """

    unavailable = param.List(default=[])

    _rename = {**pn.widgets.Select._rename, "unavailable": "disabled_options"}

    def _process_param_change(self, params):
        unavailable = params.pop("unavailable", None)
        props = super()._process_param_change(params)
        if unavailable is not None:
            labels = {value: label for label, value in self.options.items()}
            props["disabled_options"] = [x for v in unavailable for x in (v, labels.get(v, v))]
        return props


def format_epoch(epoch: int) -> str:
    """The playground's counter: 000,114."""
    text = f"{epoch:06d}"
    return f"{text[:-3]},{text[-3:]}"


class TopBar(pn.viewable.Viewer):
    """`engines`: [(name, available, reason)] from `engine.list_backends()`."""

    def __init__(self, state: ExperimentState, session, engines: list[tuple[str, bool, str]], **params):
        super().__init__(**params)
        self.state, self.session = state, session
        self.reset_button = pn.widgets.Button(label="Reset", icon=RESET, icon_size="22px", description="Reset the network",
                                              css_classes=["icon-button", "reset-button"], width=40, height=40,
                                              margin=(14, 4))
        self.play_button = pn.widgets.Button(label="Play", icon=PLAY, icon_size="30px", description="Play (space)",
                                             css_classes=["icon-button", "play-button"], width=56, height=56,
                                             margin=(6, 4))
        self.step_button = pn.widgets.Button(label="Step", icon=STEP, icon_size="22px", description="Step one epoch (→)",
                                             css_classes=["icon-button", "step-button"], width=40, height=40,
                                             margin=(14, 4))
        self.reset_button.on_click(lambda _: session.reset())
        self.play_button.on_click(lambda _: self.toggle_play())
        self.step_button.on_click(lambda _: session.step())
        self.epoch = LiveText(self._epoch_html(None), css_classes=["epoch-pane"], width=150, height=64,
                              margin=(8, 8))
        select = pn.widgets.Select.from_param
        rates = {_number_label(v): v for v in LEARNING_RATES}
        reg_rates = {_number_label(v): v for v in REGULARIZATION_RATES}
        self.selects = {
            "learningRate": select(state.param.learning_rate, label="Learning rate", options=rates,
                                   css_classes=["learning-rate-select"], width=95, description=None),
            "activation": select(state.param.activation, label="Activation", options=menu_options("activation"),
                                 css_classes=["activation-select"], width=95, description=None),
            "regularization": select(state.param.regularization, label="Regularization",
                                     options=menu_options("regularization"), css_classes=["regularization-select"], width=100),
            "regularizationRate": select(state.param.regularization_rate, label="Regularization rate",
                                         options=reg_rates, css_classes=["regularization-rate-select"], width=115),
            "problem": select(state.param.problem, label="Problem type", options=menu_options("problem"),
                              css_classes=["problem-select"], width=120),
        }
        self.engine_select = self._engine_select(engines)
        self.extra_selects = {
            "engine": self.engine_select,
            "optimizer": select(state.param.optimizer, label="Optimizer", options=menu_options("optimizer"),
                                css_classes=["optimizer-select"], width=132),
            "loss": select(state.param.loss, label="Loss", options=menu_options("loss"), css_classes=["loss-select"],
                           width=100),
        }
        for widget in (*self.selects.values(), *self.extra_selects.values()):
            widget.margin = (6, 6)
        state.param.watch(self._classes_changed, ["num_classes", "dataset", "problem"])
        self._classes_changed()
        self.engine_note = pn.pane.HTML(ENGINE_NOTE, css_classes=["engine-note"], margin=(0, 6, 4, 6),
                                        sizing_mode="stretch_width")
        self.hideable = {"playButton": self.play_button, "stepButton": self.step_button,
                         "resetButton": self.reset_button, **self.selects}
        self._layout = pn.Row(
            self.reset_button, self.play_button, self.step_button, self.epoch,
            *self.selects.values(), pn.Spacer(width=6), *self.extra_selects.values(),
            css_classes=["top-bar"], sizing_mode="stretch_width", margin=0)
        self._layout = pn.Column(self._layout, self.engine_note, css_classes=["top-bar-column"],
                                 sizing_mode="stretch_width", margin=0)

    def _classes_changed(self, *_events) -> None:
        """K ≥ 3 classes always train on cross-entropy: the loss choice (for two classes) is greyed out."""
        several = class_count(self.state) > 2
        self.extra_selects["loss"].param.update(
            disabled=several, description="K classes train on cross-entropy (softmax outputs)" if several else None)

    # ---------------------------------------------------------------- engine
    def _engine_select(self, engines) -> EngineSelect:
        options, unavailable = {}, []
        for name, available, reason in engines:
            label = name if available else f"{name} (unavailable: {reason})"
            options[label] = name
            if not available:
                unavailable.append(name)
        value = self.state.engine if self.state.engine in options.values() else "numpy"
        widget = EngineSelect(label="Engine", options=options, value=value, unavailable=unavailable,
                              css_classes=["engine-select"], width=115,
                              description="Compute backend; switching keeps the weights")
        self._unavailable = {name: reason for name, available, reason in engines if not available}
        widget.param.watch(self._engine_picked, "value")
        self.state.param.watch(self._engine_changed, "engine")
        return widget

    def _engine_picked(self, event) -> None:
        if event.new != self.state.engine:
            self.session.set_engine(event.new)  # refused (with a message) if unavailable

    def _engine_changed(self, event) -> None:
        if event.new in self.engine_select.values and event.new not in self._unavailable:
            self.engine_select.value = event.new

    # ---------------------------------------------------------------- play state and frames
    def toggle_play(self) -> None:
        self.session.toggle()
        self.show_playing(self.session.playing)

    def show_playing(self, playing: bool) -> None:
        name = "Pause" if playing else "Play"
        if self.play_button.label != name:
            self.play_button.param.update(label=name, icon=PAUSE if playing else PLAY,
                                          description="Pause (space)" if playing else "Play (space)")

    @staticmethod
    def _epoch_html(frame: Frame | None) -> str:
        epoch = 0 if frame is None else frame.epoch
        eps = fps = 0.0
        if frame is not None and frame.playing:
            eps, fps = frame.epochs_per_second, frame.frames_per_second
        return (f"<div class='label'>Epoch</div><div class='epoch-counter'>{format_epoch(epoch)}</div>"
                f"<div class='readout'><span class='epochs-per-second'>{eps:.0f}</span> epochs/s · "
                f"<span class='frames-per-second'>{fps:.0f}</span> frames/s</div>")

    def apply_frame(self, frame: Frame) -> None:
        self.epoch.text = self._epoch_html(frame)  # one property change carries the counter and speeds
        self.show_playing(frame.playing)

    def __panel__(self):
        return self._layout
