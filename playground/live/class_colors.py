"""Colours for K = 3..5 classes, and the output heatmap's codes for them (colour mixing lives here, not in views).

Class colours are Okabe and Ito's colour-blind-safe set, in an order that keeps the two-class picture's
orange and blue first. The heatmap shows the winning class, lighter where the network is unsure: a pixel's
code is `class × LEVELS + level`, where level 0 is the neutral background (the winner is no likelier than
chance, 1/K) and level LEVELS − 1 the class's full colour (the winner is certain). `class_palette(K)` lists
the 256 colours those codes index, so the output image keeps travelling as uint8 like the two-class one.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CLASS_COLORS", "CLASS_NAMES", "LEVELS", "NEUTRAL", "class_palette", "class_ramp", "class_text_colour",
           "class_codes"]

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


def class_codes(probabilities: np.ndarray, discretize: bool = False) -> np.ndarray:
    """(K, rows, cols) class probabilities, top row first -> uint8 codes (rows, cols), bottom row first.

    The winner's confidence (p − 1/K) / (1 − 1/K) sets the level; `discretize` shows every winner at full
    colour. NaN (a diverged network) shows as the neutral background.
    """
    classes = probabilities.shape[0]
    flipped = np.nan_to_num(probabilities[:, ::-1, :], nan=0.0)
    winner = np.argmax(flipped, axis=0)
    if discretize:
        level = np.full(winner.shape, LEVELS - 1)
    else:
        chance = 1.0 / classes
        confidence = np.clip((np.max(flipped, axis=0) - chance) / (1.0 - chance), 0.0, 1.0)
        level = np.rint(confidence * (LEVELS - 1)).astype(np.int64)
    return (winner * LEVELS + level).astype(np.uint8)
