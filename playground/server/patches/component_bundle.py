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


def served_url(component_class: type) -> str | None:
    """The bundle's address as Panel writes it into a served page's document for `component_class` (relative
    to the page), or None where that page would not use the bundle. Read through the private
    `_render_esm(compiled, server)`, which builds it; without it, None (the page imports the bundle when its
    document comes, as Panel does). Call it while building the page's session (Panel's current document is
    that page's): the address depends on the page's path. Can go once Panel gives a component's bundle
    address publicly, or preloads it itself."""
    from panel.custom import JSComponent

    absent = missing(JSComponent, "_render_esm")
    if absent:
        left_out("the early import of the components' bundle", absent)
        return None
    bundle = getattr(component_class, "_bundle_path", None)
    if bundle is None or component_class._esm_path(compiled=True) != bundle:
        return None
    return component_class._render_esm(True, server=True)
