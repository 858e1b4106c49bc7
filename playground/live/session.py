"""One user's training session: owns the `Experiment`, trains it on a worker thread, hands frames to the page.

Threading rules (the event loop must never train):
- The worker thread exists only while playing; it starts on `play()` and ends on `pause()`/`destroy()`.
- It trains for a while, builds a frame, and hands it to the document with `doc.add_next_tick_callback`.
  How long it trains and when the next frame may go out (caps, acknowledgements, unwatched tabs, the
  training share) is `FramePacing`'s to say (`playground/live/frame_pacing.py`); the frame answering a user's
  command goes out at once (two in flight at most). While it waits it sleeps, leaving the CPU to the
  server and the browser (on a 2-core machine that is worth more frames than training on would be).
- Everything the UI asks for (settings, step, reset, weight edits, engine switch) becomes a command that runs
  between epochs, under `_lock`, so the model is never changed mid-epoch.
- Frames are applied in the order they were built; a newer frame absorbs an older one still in flight.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from functools import partial

import numpy as np

from ..domain.experiment import Experiment
from ..domain.state import STATE_NAMES, ExperimentState, copy_state
from ..lessons.goals import Goal
from ..lessons.progress import GoalTracker
from ..safe_text import one_line
from .commands import CommandQueue
from .frame_pacing import FramePacing
from .frames import Frame, FrameBuilder
from .rate_meter import RateMeter
from .training_share import TrainingShare
from .training_worker import never, run_worker
from .user_edits import UserEdits

log = logging.getLogger(__name__)

NO_POINTS = ("Training paused: there are no training points yet. Click the output plot to add a point "
             "(shift-click erases), or upload a CSV file.")


class TrainingSession(UserEdits):
    """Training for one page. All public methods are called on the document's thread; what the user changes
    by hand (weights, their own points, the engine) is in `UserEdits`."""

    def __init__(self, state: ExperimentState, doc=None, *, max_epochs_per_second: float | None = None,
                 training_share: TrainingShare | None = None, max_frames_per_second: float | None = None,
                 frame_budget: float = 0.008,
                 max_frame_interval: float = 0.0, ack_timeout: float = 1.0, unwatched_after: float = 5.0):
        self.state = state  # what the user sees; the experiment trains on its own copy
        self.experiment = Experiment(copy_state(state))
        self.doc = doc
        self._lock = threading.RLock()  # held for each epoch and each command
        # A command that ran since the last frame was built (`commands.ran`) has its frame go out while another
        # is still in flight (two at most), so a click is answered within one frame's work, not after an ack.
        self.commands = CommandQueue(self._lock)
        self.wake_worker = self.commands.wake  # the pacing sets it too, when the page has drawn a frame
        self.pacing = FramePacing(max_epochs_per_second=max_epochs_per_second, training_share=training_share,
                                  max_frames_per_second=max_frames_per_second, frame_budget=frame_budget,
                                  max_frame_interval=max_frame_interval, ack_timeout=ack_timeout,
                                  unwatched_after=unwatched_after, wake=self.wake_worker)
        self.playing = self.destroyed = False
        self._wanted_playing: bool | None = None  # what the clicks not yet answered ask for (`_answer`)
        self._run_id = 0  # counts Play and Pause presses: frames built before the latest one never undo it
        self._frame_lock = threading.Lock()  # guards the in-flight frame bookkeeping
        self._listeners: list[Callable[[Frame], None]] = []
        self._builder = FrameBuilder()
        self._worker: threading.Thread | None = None
        self._stop = threading.Event()
        self._in_flight: Frame | None = None
        self._last_frame: Frame | None = None  # the last one built: a failure reports itself on its picture
        self._last_applied = 0
        self._state_shown: tuple | None = None  # (experiment, commands done) whose settings a frame carried last
        self._messages: list[str] = list(self.experiment.warnings)
        self._errors: list[str] = []
        self.experiment.warnings.clear()
        self._syncing = False
        self.epoch_rate, self.frame_rate = RateMeter(), RateMeter()
        self._goal: GoalTracker | None = None  # an open lesson's goal, checked under `_lock`
        self._watcher = state.param.watch(self._on_state_change, STATE_NAMES)

    # ------------------------------------------------------------------ listeners and delivery
    def on_frame(self, callback: Callable[[Frame], None]) -> None:
        """Call `callback(frame)` on the document's thread for every frame (views apply it)."""
        self._listeners.append(callback)

    @property
    def worker_alive(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    def refresh(self) -> Frame:
        """Build a frame of the current state and apply it now (document thread)."""
        frame = self._make_frame(lambda: self.playing)
        self._deliver(frame)
        return frame

    def redraw(self) -> Frame:
        """Like `refresh`, with everything the builder sends only when it changes (data points, the chart):
        for a view that has not drawn any frame yet."""
        with self._lock:
            self._builder.forget()
        return self.refresh()

    def _make_frame(self, playing: Callable[[], bool], in_flight: bool = False) -> Frame:
        """Build the next frame. Building, absorbing the frame still in flight and (for the worker)
        registering the new one as in flight happen in one critical section, so no frame's one-off
        contents (new data points, messages, chart points) can be lost between two builders.

        Building never fails: if it raises, training stops and a frame carrying the error (the last
        frame's picture, paused) goes out instead, so the page always learns what happened."""
        with self._lock:
            try:
                frame = self._builder.build(self.experiment)
                # the experiment changes its settings only in commands: after none, there is nothing to sync
                if (shown := (self.experiment, self.commands.done)) != self._state_shown:
                    self._state_shown = shown
                    frame.state_changes = {name: getattr(self.experiment.state, name) for name in STATE_NAMES}
                    frame.state_changes["_done"] = self.commands.done
                frame.epochs_per_second, frame.frames_per_second = self.epoch_rate.rate(), self.frame_rate.rate()
                frame.goal = self._goal.progress(self.experiment) if self._goal is not None else None
                frame.speed = self.pacing.speed
            except Exception as exc:
                frame = self._failure_frame(exc)
                playing = never
            self._last_frame = frame
            with self._frame_lock:
                frame.playing = playing()  # decided here: a pause that came first always wins
                frame.run = self._run_id
                frame.messages, self._messages = self._messages, []
                frame.errors, self._errors = self._errors, []
                if self._in_flight is not None:
                    frame.absorb(self._in_flight)
                self._in_flight = frame if in_flight else None
                if in_flight:
                    self.pacing.frame_in_flight(frame.frame_id)
        return frame

    def _failure_frame(self, exc: Exception) -> Frame:
        """The frame that reports a failure: the last one's picture with nothing one-off in it, paused."""
        if self._last_frame is None:
            raise exc  # the very first frame: the page cannot be made at all, and the server says so
        self._report_failure(f"Training stopped at epoch {self.experiment.epoch}: the picture could not be drawn", exc)
        return dataclasses.replace(self._last_frame, frame_id=self._builder.next_id(), chart_append=[],
                                   chart_replace=None, train_points=None, test_points=None,
                                   state_changes={}, messages=[], errors=[])

    def _report_failure(self, what: str, exc: Exception) -> None:
        """Stop training and tell the user; the server log gets one line (the traceback only at debug level)."""
        self._stop.set()
        self._errors.append(f"{what} ({type(exc).__name__}: {one_line(exc, 200)}) — press Reset, then Play")
        log.error("%s: %s: %s", what, type(exc).__name__, one_line(exc, 200))
        log.debug("the failure's traceback", exc_info=exc)

    def hand_over(self, frame: Frame) -> None:
        """From the worker: schedule the frame on the document's thread (or apply it here without one)."""
        if self.doc is None:
            self._deliver(frame)
            return
        try:
            self.doc.add_next_tick_callback(partial(self._deliver, frame))
        except Exception:  # the document is gone (session closed mid-frame)
            log.debug("could not schedule a frame", exc_info=True)
            self._stop.set()
            self.pacing.release()

    def _deliver(self, frame: Frame) -> None:
        with self._frame_lock:
            stale = frame.frame_id <= self._last_applied  # a newer frame absorbed this one
            if not stale:
                self._last_applied = frame.frame_id
            if self._in_flight is frame:
                self._in_flight = None
        if stale:
            self.pacing.frame_applied()
            return
        try:
            if frame.run != self._run_id:  # built before the latest Play or Pause: it must not undo it
                frame.playing = self.playing
            self.playing = frame.playing
            self.pacing.frame_shows(frame.frame_id, frame.playing)
            self._sync_state(frame.state_changes)
            for callback in list(self._listeners):
                callback(frame)
        except Exception as exc:  # a broken view must not take the server down
            self._report_failure("Display error", exc)
            self.playing = False
        finally:
            if not self.pacing.acks_expected:
                self.frame_rate.add()
            self.pacing.frame_applied()

    def ack(self, frame_id: int) -> None:
        """The browser has drawn frame `frame_id`."""
        self.frame_rate.add()
        self.pacing.acked(frame_id)

    def _sync_state(self, values: dict) -> None:
        """Show what the experiment decided itself (a new seed, an engine it fell back from)."""
        if values.get("_done") != self.commands.submitted:
            return  # none carried (no command ran), or the user changed something the experiment has not seen yet
        changed = {k: v for k, v in values.items() if k != "_done" and getattr(self.state, k) != v}
        if changed:
            self._syncing = True
            try:
                self.state.param.update(**changed)
            finally:
                self._syncing = False

    # ------------------------------------------------------------------ commands
    def _on_state_change(self, *events) -> None:
        if self._syncing or self.destroyed:
            return
        changes = {e.name: (list(e.new) if isinstance(e.new, list) else e.new) for e in events}
        self.submit(lambda ex: ex.apply(**changes))

    def load_state(self, values: dict) -> None:
        """Start over from a link's values exactly as a fresh page would (seed → data → network)."""
        self._syncing = True
        try:
            self.state.param.update(**{k: v for k, v in values.items() if k in STATE_NAMES})
        finally:
            self._syncing = False
        snapshot = copy_state(self.state)

        def rebuild(old: Experiment) -> None:
            self.experiment = Experiment(snapshot, user_points=old.user_points)

        self.submit(rebuild)

    def submit(self, command: Callable[[Experiment], object], kind: str | None = None) -> None:
        """Run `command(experiment)` between epochs: now if paused (a click, named by `kind`: with the other
        clicks of the moment, `_answer`), else on the worker."""
        self.commands.put(command, kind)
        if not self.worker_alive or self._stop.is_set():
            if kind is not None:
                self.commands.answer_soon(self._answer, self.doc)
                return
            self.run_commands()
            self.refresh()

    def run_commands(self) -> None:
        """Run the queued commands now, under the training lock (the worker calls it between epochs)."""
        self.commands.run_all(lambda: self.experiment, self._messages, self._errors)

    # ------------------------------------------------------------------ play, pause, step
    def play(self) -> None:
        if self.destroyed or self.worker_alive and not self._stop.is_set():
            return
        self._run_id += 1
        self.pacing.shows_playing = True  # the click's answer shows Pause at once
        self._stop = threading.Event()  # each worker has its own stop flag: an old one may still be exiting
        self.playing = True
        self.epoch_rate.clear()
        self.frame_rate.clear()
        self.pacing.start()
        self._worker = threading.Thread(target=self._run, args=(self._stop,), daemon=True,
                                        name=f"playground-train-{id(self):x}")
        self._worker.start()

    def pause(self) -> None:
        if self._halt():
            self.refresh()

    def _halt(self) -> bool:
        """Stop training: any frame the worker builds from now on says "paused". True if it was playing."""
        self._stop.set()
        self.wake_worker.set()
        self._run_id += 1
        self.pacing.shows_playing = False
        was_playing, self.playing = self.playing, False
        return was_playing

    def toggle(self) -> None:
        """Play or Pause, as the page showed when the user pressed it.

        Not as the session stands: training may have paused itself (a breakdown, an unwatched page, an
        error) with its "Play" still on the way to the screen; a click on the "Pause" the user saw then
        means pause, and must not start training again. Presses faster than their answers are answered
        once, as the last one leaves the button (`_answer`)."""
        shown = self.pacing.shows_playing if self._wanted_playing is None else self._wanted_playing
        self._wanted_playing = not shown
        self.commands.answer_soon(self._answer, self.doc)

    def step(self) -> None:
        """One epoch (the playground's step button pauses first)."""
        self._wanted_playing = False
        self.commands.put(self._one_epoch, "step")
        self.commands.answer_soon(self._answer, self.doc)

    def reset(self) -> None:
        self.submit(lambda ex: ex.reset(), "reset")

    def regenerate(self) -> None:
        self.submit(lambda ex: ex.regenerate(), "regenerate")

    def _answer(self) -> None:
        """The clicks since the last answer, answered at once: training as the page's button now says, then
        the queued commands and one frame (while training, the worker runs them and sends it)."""
        if self.destroyed:
            return
        wanted, self._wanted_playing = self._wanted_playing, None
        training = self.worker_alive and not self._stop.is_set()
        if wanted is True and not training:
            self.play()
        if wanted is True or (wanted is None and training):
            return
        self._halt()
        self.run_commands()
        self.refresh()

    def _one_epoch(self, experiment: Experiment) -> bool:
        if not len(experiment.x_train):  # nothing to learn from: thousands of empty epochs would only confuse
            if NO_POINTS not in self._messages:
                self._messages.append(NO_POINTS)
            return True
        experiment.step()
        # every epoch, so a goal met between two frames is not missed; a lesson's last epoch pauses, saying why
        spent = self._goal.after_epoch(experiment) if self._goal is not None else None
        self.epoch_rate.add()
        if spent:
            self._messages.append(spent)
            return True
        # A non-finite loss pauses (nothing more to see); a collapse is a notice and training goes on.
        found = experiment.diagnosis()
        if found is None:
            return False
        if found.message not in self._messages:
            self._messages.append(found.message)
        return found.stops

    # ------------------------------------------------------------------ what the worker uses (`TrainingLoop`)
    def _run(self, stop: threading.Event) -> None:
        run_worker(self, stop)

    @property
    def answer_due(self) -> bool:
        """A command ran since the last frame was built: its frame should go out now."""
        return self.commands.ran

    def train_epoch(self, worker: int) -> bool:
        """The queued commands, then one epoch timed by the pacing, under the training lock; True if training
        broke down (nothing more to see)."""
        with self._lock:
            self.run_commands()
            return self.pacing.timed_epoch(worker, lambda: self._one_epoch(self.experiment))

    def worker_frame(self, playing: Callable[[], bool]) -> Frame:
        """The worker's next frame, registered as in flight when a page will acknowledge it."""
        self.commands.ran = False
        return self._make_frame(playing, in_flight=self.doc is not None)

    def say(self, message: str) -> None:
        """A message for the page, carried by the next frame."""
        with self._frame_lock:
            self._messages.append(message)

    def fail(self, exc: Exception) -> Frame:
        """Training broke (an engine error): stop, report it, and give the frame that says so."""
        with self._lock:
            self._report_failure(f"Training stopped at epoch {self.experiment.epoch}", exc)
        return self._make_frame(never, in_flight=self.doc is not None)

    def snapshot(self) -> tuple[ExperimentState, np.ndarray, int]:
        """A copy of the settings, the points (`Experiment.points`) and the epoch, read between epochs: what
        "Download CSV" and "Download notebook" save."""
        with self._lock:
            return copy_state(self.experiment.state), self.experiment.points(), self.experiment.epoch

    # ------------------------------------------------------------------ lessons
    def set_goal(self, goal: Goal | None) -> None:
        """Follow a lesson's goal from now on (None: free play); the next frame carries its progress."""
        with self._lock:
            self._goal = GoalTracker(goal) if goal is not None else None

    # ------------------------------------------------------------------ teardown
    def destroy(self) -> None:
        """Stop training for good (the page was closed)."""
        self.destroyed = True
        self._stop.set()
        self.wake_worker.set()
        self.pacing.release()
        try:
            self.state.param.unwatch(self._watcher)
        except Exception:
            pass
        self._listeners.clear()
        worker = self._worker
        if worker is not None and worker is not threading.current_thread():
            worker.join(timeout=2.0)
