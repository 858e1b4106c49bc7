"""The app builds without Panel's deprecation warnings (`name` -> `label`, `button_type` -> `color`):
what Panel 2.0 removes is not used here."""

from __future__ import annotations

import warnings

import panel as pn

from playground.app import PlaygroundApp


def test_the_app_uses_no_deprecated_panel_parameters():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = PlaygroundApp("#seed=1&lesson=01-linear-boundary")
        app.top.toggle_play()  # the play button's label flips to Pause and back
        app.top.toggle_play()
        pn.panel(app).get_root()
        app.session.destroy()
    ours = [f"{w.filename}:{w.lineno}: {w.message}" for w in caught
            if issubclass(w.category, DeprecationWarning | PendingDeprecationWarning) and "/playground/" in w.filename]
    assert not ours, "\n".join(ours)
