"""Whether Panel's notebook extension is already loaded in this kernel: `panel_extension._loaded`, read only.

Panel records a load of its notebook extension (`pn.extension()` in a notebook) in this private class
attribute and reads it itself before it shows anything in a notebook (`Viewable._repr_mimebundle_`); there
is no public way to ask. The first `PlaygroundApp` in a notebook loads the extension only where the
notebook has not: each load displays Panel's loader again. Can go once Panel offers a public check, or
once `pn.extension()` displays nothing when it has already loaded. Without the name, the app loads the
extension itself (a notebook that ran `pn.extension()` then shows the loader twice) and says so once.
"""

from __future__ import annotations

from . import left_out, missing


def loaded() -> bool:
    from panel.config import panel_extension

    absent = missing(panel_extension, "_loaded")
    if absent:
        return left_out("loading Panel's notebook extension only once", absent)
    return bool(panel_extension._loaded)
