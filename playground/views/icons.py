"""Inline SVG icons (no icon font or CDN needed; the app must work offline).

Each icon is its paths: (d, filled) pairs on a 24×24 grid, drawn with a 2.2 px round stroke unless filled.
Panel widgets take the SVG text; browser components are sent the paths (`ICON_PATHS`) and build the
elements themselves.
"""

from __future__ import annotations

Paths = tuple[tuple[str, bool], ...]

ICON_PATHS: dict[str, Paths] = {
    "plus": (("M12 5v14M5 12h14", False),),
    "minus": (("M5 12h14", False),),
    "play": (("M8 5v14l11-7z", True),),
    "pause": (("M7 5h3.5v14H7zM13.5 5H17v14h-3.5z", True),),
    "step": (("M6 5v14l9-7z", True), ("M18 5v14", False)),
    "reset": (("M4 12a8 8 0 1 0 2.4-5.7", False), ("M4 4v5h5", False)),
    "refresh": (("M20 11a8 8 0 0 0-14.8-3.5M4 13a8 8 0 0 0 14.8 3.5", False), ("M4 4v4h4M20 20v-4h-4", False)),
    "upload": (("M12 16V4M7 9l5-5 5 5", False), ("M4 17v3h16v-3", False)),
    "download": (("M12 4v12M7 11l5 5 5-5", False), ("M4 17v3h16v-3", False)),
    "eraser": (("M19 20H8.5l-4.2-4.3a1 1 0 0 1 0-1.4l9.8-9.8a1 1 0 0 1 1.4 0l4.3 4.3a1 1 0 0 1 0 1.4L12 18", False),),
}


def _svg(name: str) -> str:
    filled_attrs = ' fill="currentColor" stroke="none"'
    body = "".join(f'<path d="{d}"{filled_attrs if filled else ""}/>' for d, filled in ICON_PATHS[name])
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
            f'stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round">{body}</svg>')


PLUS, MINUS, PLAY, PAUSE, STEP, RESET, REFRESH, UPLOAD, DOWNLOAD, ERASER = (
    _svg(name) for name in ("plus", "minus", "play", "pause", "step", "reset", "refresh", "upload", "download", "eraser"))
