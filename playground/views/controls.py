"""The top bar: Reset / Play-Pause / Step, the epoch counter, the training settings (the engine, optimizer and
loss under "Advanced"), the speed readout."""

from __future__ import annotations

import panel as pn

from ..domain.model_spec import common_activation
from ..domain.network_choices import class_count
from ..domain.state import LABELS, LEARNING_RATES, LOSS_LABELS, REGULARIZATION_RATES, ExperimentState
from ..live.frame_pacing import FAST, SPEEDS
from ..live.frames import Frame
from .icons import ICON_PATHS
from .live_text import LiveText
from .top_controls import TopControls


def _number_label(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".") if value < 1 else f"{value:g}"


def menu_options(param_name: str) -> dict[str, str]:
    """A menu's {label: value}, from the value -> label table in state.py."""
    return {label: value for value, label in LABELS[param_name].items()}


ENGINE_NOTE = [  # [bold words, plain text] in the Advanced settings, in words a student knows
    ["Engine", ": the same network, computed three ways. "],
    ["numpy", ": fast (the usual choice) · "],
    ["gpu", ": uses the graphics card, where the computer has a suitable one · "],
    ["cpu", ": slow on purpose, every sum written out step by step. "
            "Switching keeps the weights."],
]


def format_epoch(epoch: int) -> str:
    """The playground's counter: 000,114."""
    text = f"{epoch:06d}"
    return f"{text[:-3]},{text[-3:]}"


# (name, the ExperimentState parameter it sets, label, css class, width px); engine, optimizer and loss are ours,
# under the Advanced toggle (ADVANCED_MENUS).
MENUS = [
    ("learningRate", "learning_rate", "Learning rate", "learning-rate-select", 88),
    ("activation", "activation", "Activation", "activation-select", 88),
    ("regularization", "regularization", "Regularization", "regularization-select", 96),
    ("regularizationRate", "regularization_rate", "Regularization rate", "regularization-rate-select", 115),
    ("problem", "problem", "Problem type", "problem-select", 112),
    ("engine", "engine", "Engine", "engine-select", 115),
    ("optimizer", "optimizer", "Optimizer", "optimizer-select", 132),
    ("loss", "loss", "Loss", "loss-select", 118),
]
ADVANCED_MENUS = ("engine", "optimizer", "loss")
# How fast Play trains (frame_pacing.SPEEDS): not a setting of the experiment, so not in the link.
SPEED_MENU = {"name": "speed", "label": "Speed", "css": "speed-select", "width": 80, "advanced": False,
              "title": "Watch: one epoch per picture, so you see every step; Fast: as many epochs as the computer "
                       "can train"}
MIXED = "Mixed"  # the activation menu's text when the hidden layers' activations differ
HIDEABLE_MENUS = ("learningRate", "activation", "regularization", "regularizationRate", "problem")
ENGINE_TITLE = "How the network is computed; switching keeps the weights"
LOSS_FIXED = "With 3 or more classes the network always learns with cross-entropy"
UNAVAILABLE = "not on this computer"  # an engine's menu label; the reason goes into the menu's tooltip


def _button(name: str, css: str, label: str, title: str, icon: str, size: int, icon_size: int) -> dict:
    return {"name": name, "css": css, "label": label, "title": title, "icon": ICON_PATHS[icon], "size": size,
            "icon_size": icon_size}


BUTTONS = [
    _button("resetButton", "reset-button", "Reset", "Reset the network", "reset", 40, 22),
    {**_button("playButton", "play-button", "Play", "Play (space)", "play", 56, 30),
     "playing": {"label": "Pause", "title": "Pause (space)", "icon": ICON_PATHS["pause"]}},
    _button("stepButton", "step-button", "Step", "Step one epoch (→)", "step", 40, 22),
]
HIDEABLE = tuple(b["name"] for b in BUTTONS) + HIDEABLE_MENUS


class TopBar(pn.viewable.Viewer):
    """`engines`: [(name, available, reason)] from `engine.list_backends()`. The buttons and menus are one
    browser component (`TopControls`); the experiment's state is the single truth they show and change."""

    def __init__(self, state: ExperimentState, session, engines: list[tuple[str, bool, str]], extras=(), **params):
        super().__init__(**params)
        self.state, self.session = state, session
        self.epoch = LiveText(self._epoch_html(None), css_classes=["epoch-pane"], width=112, height=64,
                              margin=(4, 8))
        rates = {v: _number_label(v) for v in LEARNING_RATES}
        reg_rates = {v: _number_label(v) for v in REGULARIZATION_RATES}
        labels = {"learningRate": rates, "regularizationRate": reg_rates, "engine": self._engine_labels(engines),
                  **{name: LABELS[param_name] for name, param_name, *_ in MENUS if param_name in LABELS}}
        self.choices = {name: {label: value for value, label in labels[name].items()} for name, *_ in MENUS}
        """{menu name: {option label: value}}"""
        self.speeds = {label: name for name, (label, _epochs) in SPEEDS.items()}
        self.speed = FAST
        self.notify = None  # the app's: called with one line when a choice does more than it shows
        self._params = {name: param_name for name, param_name, *_ in MENUS}
        self._unavailable = {name for name, available, _ in engines if not available}
        menus = [{"name": name, "label": label, "css": css, "width": width, "advanced": name in ADVANCED_MENUS,
                  "title": self._engine_title(engines) if name == "engine" else "",
                  "options": [[text, value not in self._unavailable or name != "engine"]
                              for text, value in self.choices[name].items()]}
                 for name, _, label, css, width in MENUS]
        menus[[m["name"] for m in menus].index("activation")]["options"].append([MIXED, False])  # shown, not picked
        menus.insert(0, {**SPEED_MENU, "options": [[label, True] for label in self.speeds]})
        self.controls = TopControls(on_button=self._clicked, on_choice=self._chosen, buttons=BUTTONS, menus=menus,
                                    note=ENGINE_NOTE, epoch=self.epoch, extras=list(extras))
        self._shown_engine = state.engine if state.engine in labels["engine"] else "numpy"
        self._show_values()
        state.param.watch(self._show_values, [*self._params.values(), "activations", "network_shape",
                                              "num_classes", "dataset"])
        state.param.watch(self._classes_changed, ["num_classes", "dataset", "problem"])
        self._classes_changed()
        state.param.watch(self._open_advanced_if_set, [self._params[name] for name in ADVANCED_MENUS])
        self._open_advanced_if_set()

    @staticmethod
    def _engine_labels(engines) -> dict[str, str]:
        return {name: name if available else f"{name} ({UNAVAILABLE})" for name, available, reason in engines}

    @staticmethod
    def _engine_title(engines) -> str:
        reasons = [f"{name}: {reason}" for name, available, reason in engines if not available and reason]
        return ENGINE_TITLE + "".join(f"\n{reason}" for reason in reasons)

    def _open_advanced_if_set(self, *_events) -> None:
        """A link or a lesson that sets the engine, optimizer or loss away from the usual shows them."""
        params = self.state.param
        if any(getattr(self.state, self._params[name]) != params[self._params[name]].default
               for name in ADVANCED_MENUS):
            self.controls.advanced = True

    # ---------------------------------------------------------------- what is shown
    def _show_values(self, *_events) -> None:
        if self.state.engine in self.choices["engine"].values() and self.state.engine not in self._unavailable:
            self._shown_engine = self.state.engine  # an unavailable engine is refused: the menu keeps the last one
        labels = {name: {v: k for k, v in options.items()} for name, options in self.choices.items()}
        values = {name: labels[name].get(self._shown_engine if name == "engine" else getattr(self.state, p))
                  for name, p in self._params.items()}
        values = {name: label for name, label in values.items() if label is not None}
        activation = common_activation(self.state)
        values["activation"] = MIXED if activation is None else LABELS["activation"].get(activation, MIXED)
        if class_count(self.state) > 2:  # K classes always train on cross-entropy: the menu says so
            values["loss"] = LOSS_LABELS["cross-entropy"]
        values["speed"] = SPEEDS[self.speed][0]
        if values != self.controls.values:
            self.controls.values = values

    def _classes_changed(self, *_events) -> None:
        """K ≥ 3 classes always train on cross-entropy: the loss choice (for two classes) is greyed out."""
        disabled = {"loss": LOSS_FIXED} if class_count(self.state) > 2 else {}
        if disabled != self.controls.disabled:
            self.controls.disabled = disabled

    def hide(self, hidden: set[str]) -> None:
        """Hide the buttons and menus named in `hidden` (link names: playButton, learningRate, …); show the rest."""
        names = [name for name in HIDEABLE if name in hidden]
        if names != self.controls.hidden:
            self.controls.hidden = names

    def show_text(self, shown: bool) -> None:
        """hideText: the engine note goes."""
        note = ENGINE_NOTE if shown else []
        if note != self.controls.note:
            self.controls.note = note

    def shown(self, name: str) -> bool:
        return name not in self.controls.hidden

    # ---------------------------------------------------------------- what the browser sends
    def _clicked(self, name: str) -> None:
        if name == "playButton":
            self.toggle_play()
        elif name == "stepButton":
            self.session.step()
        elif name == "resetButton":
            self.session.reset()

    def _chosen(self, menu: str, label: str) -> None:
        if menu == "speed":
            if label in self.speeds:
                self.session.pacing.set_speed(self.speeds[label])
                self.show_speed(self.speeds[label])
            self.controls.resync += 1
            return
        value = self.choices.get(menu, {}).get(label)
        if value is not None and menu not in self.controls.disabled:
            if menu == "activation":
                self._set_every_layer(value)
            elif menu != "engine":
                setattr(self.state, self._params[menu], value)
            elif value != self.state.engine:
                self.session.set_engine(value)  # refused (with a message) if unavailable
        if self.controls.values.get(menu) != label:  # not taken: the browser shows what is, again
            self.controls.resync += 1

    def _set_every_layer(self, value: str) -> None:
        """The top bar's activation sets every hidden layer; when they differed, the page says so."""
        mixed = common_activation(self.state) is None
        self.state.param.update(activation=value, activations=[])
        if mixed and self.notify is not None:
            self.notify(f"Every hidden layer now uses {LABELS['activation'][value]}: the Activation menu sets "
                        "them all (each layer's own menu sets one).")

    def show_speed(self, speed: str) -> None:
        if speed != self.speed:
            self.speed = speed
            self._show_values()

    # ---------------------------------------------------------------- play state and frames
    def toggle_play(self) -> None:
        self.session.toggle()
        self.show_playing(self.session.playing)

    def show_playing(self, playing: bool) -> None:
        if self.controls.playing != playing:
            self.controls.playing = playing
    @staticmethod
    def _epoch_html(frame: Frame | None) -> str:
        epoch = 0 if frame is None else frame.epoch
        eps = fps = 0.0
        if frame is not None and frame.playing:
            eps, fps = frame.epochs_per_second, frame.frames_per_second
        # Frames a second is for the curious: shown only while the Advanced settings are open (app.css).
        return (f"<div class='label'>Epoch</div><div class='epoch-counter'>{format_epoch(epoch)}</div>"
                f"<div class='readout'><span class='epochs-per-second'>{eps:.0f}</span> epochs a second"
                f"<span class='frames-readout'> · <span class='frames-per-second'>{fps:.0f}</span> pictures a second"
                f"</span></div>")

    def apply_frame(self, frame: Frame) -> None:
        self.epoch.text = self._epoch_html(frame)  # one property change carries the counter and speeds
        self.show_playing(frame.playing)
        self.show_speed(frame.speed)

    def __panel__(self):
        return self.controls
