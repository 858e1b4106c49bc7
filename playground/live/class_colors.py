"""Colours for K = 3..5 classes, and the palette the output heatmap's codes index for them.

Class colours are Okabe and Ito's colour-blind-safe set, in an order that keeps the two-class picture's
orange and blue first. The heatmap shows the winning class, lighter where the network is unsure: the page
(`assets/network_pictures.js`) codes a pixel as `class × LEVELS + level`, where level 0 is the neutral
background (the winner is no likelier than chance, 1/K) and level LEVELS − 1 the class's full colour (the
winner is certain). `class_palette(K)` lists the 256 colours those codes index.
"""

from __future__ import annotations

__all__ = ["CLASS_COLORS", "CLASS_NAMES", "LEVELS", "NEUTRAL", "class_palette", "class_ramp", "class_text_colour"]

# Okabe & Ito (2008): orange, blue, bluish green, reddish purple, vermillion.
CLASS_COLORS = ["#e69f00", "#0072b2", "#009e73", "#cc79a7", "#d55e00"]
CLASS_NAMES = ["orange", "blue", "green", "purple", "red"]  # CLASS_COLORS in words
NEUTRAL = "#e8eaeb"  # the playground's light grey-white
LEVELS = 51  # confidence steps per class: 5 classes × 51 = 255 codes


def _blend(a: str, b: str, t: float) -> str:
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))


def class_palette(classes: int) -> list[str]:
    """256 colours: for each class LEVELS steps from NEUTRAL to its colour, then NEUTRAL padding."""
    colors = [_blend(NEUTRAL, CLASS_COLORS[c], level / (LEVELS - 1))
              for c in range(classes) for level in range(LEVELS)]
    return colors + [NEUTRAL] * (256 - len(colors))


def class_ramp(k: int) -> list[str]:
    """256 colours from NEUTRAL to class k's colour: one class's probability 0…1 (codes 0…255) in one hue."""
    return [_blend(NEUTRAL, CLASS_COLORS[k], code / 255) for code in range(256)]


def class_text_colour(k: int) -> str:
    """Class k's colour darkened enough to be read as text on white (a label beside its output)."""
    return _blend(CLASS_COLORS[k], "#000000", 0.35)

