"""The app's browser components read from its bundle on a served page only.

Panel finds a `JSComponent`'s compiled bundle through the private classproperty `_bundle_path`, derived from
`_bundle`. The app's bundle (`views/components.bundle.js`) is fetched once per served page; in a notebook,
or with `panel serve --dev`, a document would instead carry the whole bundle once per component, so there
each component must use its own source (`_esm`).

Patched: `install(component_class, path, wanted)` makes `component_class._bundle_path` answer `path` where
`wanted()` and None (its own source) elsewhere. Without `_bundle_path` (a Panel that moved it) components
use their own sources everywhere: the page still works, its components are compiled in the browser. Can go
once Panel skips a bundle where the document cannot fetch it, or lets a component choose per document.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from . import left_out, missing


def install(component_class: type, path: os.PathLike, wanted: Callable[[], bool]) -> bool:
    from panel.custom import JSComponent
    from panel.util import classproperty

    absent = missing(JSComponent, "_bundle_path")
    if absent:
        return left_out("the browser components' bundle", absent)
    component_class._bundle_path = classproperty(lambda cls: path if wanted() else None)
    return True
