"""The playground's colours: orange for negative, blue for positive, through light grey-white."""

from __future__ import annotations

NEGATIVE = "#f59322"  # orange
NEUTRAL = "#e8eaeb"  # white-grey
POSITIVE = "#0877bd"  # blue
DARK = "#183d4e"  # header bar
TEXT = "#333333"
MUTED = "#777777"
DEAD_LINK = "#bbbbbb"
TRAIN_OUTLINE = "#ffffff"
TEST_OUTLINE = "#000000"


def _hex_to_rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _blend(a: str, b: str, t: float) -> str:
    ra, rb = _hex_to_rgb(a), _hex_to_rgb(b)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ra, rb, strict=True))


def diverging_palette(n: int = 256) -> list[str]:
    """n colours from NEGATIVE (value -1) through NEUTRAL (0) to POSITIVE (+1), as d3's RGB interpolation."""
    half = (n - 1) / 2
    return [_blend(NEGATIVE, NEUTRAL, i / half) if i <= half else _blend(NEUTRAL, POSITIVE, (i - half) / half)
            for i in range(n)]


PALETTE = diverging_palette(256)  # index 0..255 = uint8 code of a value in [-1, 1]
