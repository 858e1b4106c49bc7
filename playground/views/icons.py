"""Inline SVG icons (no icon font or CDN needed; the app must work offline)."""

from __future__ import annotations


def _svg(body: str) -> str:
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
            f'stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round">{body}</svg>')


PLUS = _svg('<path d="M12 5v14M5 12h14"/>')
MINUS = _svg('<path d="M5 12h14"/>')
PLAY = _svg('<path d="M8 5v14l11-7z" fill="currentColor" stroke="none"/>')
PAUSE = _svg('<path d="M7 5h3.5v14H7zM13.5 5H17v14h-3.5z" fill="currentColor" stroke="none"/>')
STEP = _svg('<path d="M6 5v14l9-7z" fill="currentColor" stroke="none"/><path d="M18 5v14"/>')
RESET = _svg('<path d="M4 12a8 8 0 1 0 2.4-5.7"/><path d="M4 4v5h5"/>')
REFRESH = _svg('<path d="M20 11a8 8 0 0 0-14.8-3.5M4 13a8 8 0 0 0 14.8 3.5"/><path d="M4 4v4h4M20 20v-4h-4"/>')
UPLOAD = _svg('<path d="M12 16V4M7 9l5-5 5 5"/><path d="M4 17v3h16v-3"/>')
DOWNLOAD = _svg('<path d="M12 4v12M7 11l5 5 5-5"/><path d="M4 17v3h16v-3"/>')
ERASER = _svg('<path d="M19 20H8.5l-4.2-4.3a1 1 0 0 1 0-1.4l9.8-9.8a1 1 0 0 1 1.4 0l4.3 4.3a1 1 0 0 1 0 1.4L12 18"/>')
