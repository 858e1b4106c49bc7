"""The playground's data generators, bit-exact with its ``dataset.ts``.

Every generator takes ``(n, noise, rand)``: ``noise`` is already the fraction
(slider value / 100) and ``rand`` is the seeded stream (``SeedRandom.random``).
Arithmetic is written in JavaScript's left-to-right order on Python floats
(IEEE doubles, like JS numbers) so the points come out identical to the site's.
Points are float64 arrays of shape (n, 3) with columns x, y, label.
"""

from __future__ import annotations

import copy
import csv
import functools
import math
import re
from collections.abc import Callable

import numpy as np

from . import class_datasets, function_datasets
from .seedrandom import SeedRandom, normal_random

__all__ = [
    "CLASSIFICATION", "REGRESSION", "N_CLASSIFY", "N_REGRESS", "MAX_POINTS", "DataError",
    "circle", "xor", "gauss", "spiral", "moons", "checkerboard", "reg_plane", "reg_gauss",
    "shuffle", "split", "generate", "parse_csv", "to_csv", "add_point", "remove_nearest",
]

Rand = Callable[[], float]

N_CLASSIFY = 500
N_REGRESS = 1200
MAX_POINTS = 5000  # user data cap: keeps training and the heatmap responsive
MAX_CSV_CHARS = 1_000_000  # a 5,000-row CSV is ~150 kB; anything far bigger is junk
MAX_ABS_COORD = 1e6  # keeps x*x, x*y features finite
CSV_DELIMITERS = ",;\t"  # what spreadsheets write: comma, semicolon (where the decimal mark is a comma), tab


class DataError(ValueError):
    """Unusable data (a bad CSV, an unknown dataset); the message is one line."""


def _uniform(rand: Rand, a: float, b: float) -> float:
    return rand() * (b - a) + a  # randUniform in dataset.ts


def _linear_scale(d0: float, d1: float, r0: float, r1: float, clamp: bool = False) -> Callable[[float], float]:
    """d3 v3 ``scale.linear`` for a two-point domain (uninterpolate then interpolate)."""
    span = d1 - d0

    def scale(x: float) -> float:
        t = (x - d0) / span
        if clamp:
            t = max(0.0, min(1.0, t))
        return r0 * (1 - t) + r1 * t

    return scale


def _dist(x: float, y: float, cx: float, cy: float) -> float:
    dx = x - cx
    dy = y - cy
    return math.sqrt(dx * dx + dy * dy)


def _half(n: int) -> range:
    # JS loops `for (i = 0; i < n / 2; i++)` run ceil(n/2) times.
    return range(math.ceil(n / 2))


def _array(rows: list[tuple[float, float, float]]) -> np.ndarray:
    return np.array(rows, dtype=np.float64).reshape(-1, 3)


# ---------------------------------------------------------------- classification


def circle(n: int, noise: float, rand: Rand) -> np.ndarray:
    radius = 5
    rows = []
    for r_lo, r_hi in ((0, radius * 0.5), (radius * 0.7, radius)):  # inside, then outside
        for _ in _half(n):
            r = _uniform(rand, r_lo, r_hi)
            angle = _uniform(rand, 0, 2 * math.pi)
            x = r * math.sin(angle)
            y = r * math.cos(angle)
            noise_x = _uniform(rand, -radius, radius) * noise
            noise_y = _uniform(rand, -radius, radius) * noise
            label = 1 if _dist(x + noise_x, y + noise_y, 0, 0) < radius * 0.5 else -1
            rows.append((x, y, label))
    return _array(rows)


def xor(n: int, noise: float, rand: Rand) -> np.ndarray:
    padding = 0.3
    rows = []
    for _ in range(n):
        x = _uniform(rand, -5, 5)
        x += padding if x > 0 else -padding
        y = _uniform(rand, -5, 5)
        y += padding if y > 0 else -padding
        noise_x = _uniform(rand, -5, 5) * noise
        noise_y = _uniform(rand, -5, 5) * noise
        label = 1 if (x + noise_x) * (y + noise_y) >= 0 else -1
        rows.append((x, y, label))
    return _array(rows)


def gauss(n: int, noise: float, rand: Rand) -> np.ndarray:
    variance = _linear_scale(0, 0.5, 0.5, 4)(noise)
    rows = []
    for cx, cy, label in ((2, 2, 1), (-2, -2, -1)):
        for _ in _half(n):
            x = normal_random(rand, cx, variance)
            y = normal_random(rand, cy, variance)
            rows.append((x, y, label))
    return _array(rows)


def spiral(n: int, noise: float, rand: Rand) -> np.ndarray:
    m = n / 2
    rows = []
    for delta_t, label in ((0, 1), (math.pi, -1)):
        i = 0
        while i < m:
            r = i / m * 5
            t = 1.75 * i / m * 2 * math.pi + delta_t
            x = r * math.sin(t) + _uniform(rand, -1, 1) * noise
            y = r * math.cos(t) + _uniform(rand, -1, 1) * noise
            rows.append((x, y, label))
            i += 1
    return _array(rows)


def moons(n: int, noise: float, rand: Rand) -> np.ndarray:
    """Ours: two interleaving half circles (sklearn's shape) scaled by 3 into [-4.5, 4.5].

    Noise jitters the stored position by up to 1.5·ν per axis (label = which moon).
    """
    scale = 3
    rows = []
    for label in (1, -1):
        for _ in _half(n):
            angle = _uniform(rand, 0, math.pi)
            if label == 1:  # upper moon
                mx, my = math.cos(angle), math.sin(angle)
            else:  # lower moon, shifted right and down
                mx, my = 1 - math.cos(angle), 0.5 - math.sin(angle)
            x = (mx - 0.5) * scale + _uniform(rand, -1.5, 1.5) * noise
            y = (my - 0.25) * scale + _uniform(rand, -1.5, 1.5) * noise
            rows.append((x, y, label))
    return _array(rows)


def checkerboard(n: int, noise: float, rand: Rand) -> np.ndarray:
    """Ours: a 4x4 board of 2.5-wide cells over [-5, 5]; noise moves the point that decides the label."""
    cell = 2.5
    rows = []
    for _ in range(n):
        x = _uniform(rand, -5, 5)
        y = _uniform(rand, -5, 5)
        noise_x = _uniform(rand, -5, 5) * noise
        noise_y = _uniform(rand, -5, 5) * noise
        parity = (math.floor((x + noise_x) / cell) + math.floor((y + noise_y) / cell)) % 2
        rows.append((x, y, 1 if parity == 0 else -1))
    return _array(rows)


# ---------------------------------------------------------------- regression


def reg_plane(n: int, noise: float, rand: Rand) -> np.ndarray:
    radius = 6
    label_scale = _linear_scale(-10, 10, -1, 1)
    rows = []
    for _ in range(n):
        x = _uniform(rand, -radius, radius)
        y = _uniform(rand, -radius, radius)
        noise_x = _uniform(rand, -radius, radius) * noise
        noise_y = _uniform(rand, -radius, radius) * noise
        rows.append((x, y, label_scale((x + noise_x) + (y + noise_y))))
    return _array(rows)


_GAUSSIANS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def reg_gauss(n: int, noise: float, rand: Rand) -> np.ndarray:
    radius = 6
    label_scale = _linear_scale(0, 2, 1, 0, clamp=True)
    rows = []
    for _ in range(n):
        x = _uniform(rand, -radius, radius)
        y = _uniform(rand, -radius, radius)
        noise_x = _uniform(rand, -radius, radius) * noise
        noise_y = _uniform(rand, -radius, radius) * noise
        px, py = x + noise_x, y + noise_y
        label = 0.0
        for cx, cy, sign in _GAUSSIANS:  # the centre with the largest |value| wins, first on ties
            value = sign * label_scale(_dist(px, py, cx, cy))
            if abs(value) > abs(label):
                label = value
        rows.append((x, y, label))
    return _array(rows)


Generator = Callable[[int, float, Rand], np.ndarray]
CLASSIFICATION: dict[str, Generator] = {
    "circle": circle, "xor": xor, "gauss": gauss, "spiral": spiral,
    "moons": moons, "checkerboard": checkerboard,
    "sine": function_datasets.sine, "cubic": function_datasets.cubic, "abs": function_datasets.abs_curve,
}
MULTICLASS = class_datasets.GENERATORS  # name -> generator(n, noise, rand, classes) for 3..5 classes
MAX_CLASSES = 5
REGRESSION: dict[str, Generator] = {"reg-plane": reg_plane, "reg-gauss": reg_gauss}


# ---------------------------------------------------------------- page pipeline


def shuffle(points: np.ndarray, rand: Rand) -> np.ndarray:
    """The playground's Fisher–Yates (same draws, same swaps); returns a new array."""
    order = list(range(len(points)))
    counter = len(order)
    while counter > 0:
        index = math.floor(rand() * counter)
        counter -= 1
        order[counter], order[index] = order[index], order[counter]
    return np.asarray(points)[order]


def split(points: np.ndarray, perc_train: float) -> tuple[np.ndarray, np.ndarray]:
    """Train = the first floor(n * perc / 100) points, test = the rest."""
    split_index = math.floor(len(points) * perc_train / 100)
    return points[:split_index], points[split_index:]


def generate(
    problem: str, dataset: str, noise_percent: float, perc_train: float, seed: str, classes: int = 2
) -> tuple[np.ndarray, np.ndarray, SeedRandom]:
    """Seed, generate, shuffle, split, like ``generateData``.

    Returns the generator too: the page builds the network's initial weights
    from the same stream, right after the split. ``classes`` 3..5 (labels 0…K−1) needs a
    dataset in ``MULTICLASS``; 2 is the playground's ±1.
    """
    if problem not in ("classification", "regression"):
        raise DataError(f"unknown problem {problem!r}")
    if dataset not in (REGRESSION if problem == "regression" else CLASSIFICATION):
        raise DataError(f"no {problem} generator named {dataset!r}")
    if classes != 2 and (problem != "classification" or dataset not in MULTICLASS or not 3 <= classes <= MAX_CLASSES):
        raise DataError(f"{dataset!r} cannot have {classes} classes (3-{MAX_CLASSES}: {', '.join(MULTICLASS)})")
    train, test, rand = _generated(problem, dataset, float(noise_percent), float(perc_train), str(seed), classes)
    return train.copy(), test.copy(), copy.deepcopy(rand)


@functools.lru_cache(maxsize=64)  # a class opening one link draws the same points for every page
def _generated(problem: str, dataset: str, noise_percent: float, perc_train: float, seed: str, classes: int):
    rand, n = SeedRandom(seed), N_REGRESS if problem == "regression" else N_CLASSIFY
    if classes != 2:
        data = MULTICLASS[dataset](n, noise_percent / 100, rand.random, classes)
    else:
        data = (REGRESSION if problem == "regression" else CLASSIFICATION)[dataset](n, noise_percent / 100, rand.random)
    train, test = split(shuffle(data, rand.random), perc_train)
    return train, test, rand


# ---------------------------------------------------------------- user data

_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")  # ASCII digits only


def _parse_number(text: str) -> float | None:
    """A plain decimal number, or None (no 'nan', 'inf', '1_0' the way float() allows)."""
    text = text.strip()
    return float(text) if _NUMBER.fullmatch(text) else None


def _label_problem(label: float, classes: int) -> str | None:
    """Why a classification label is not allowed, or None: ±1 for two classes, 0…K−1 for K ≥ 3."""
    if classes == 2:
        return None if label in (1.0, -1.0) else "must be 1 or -1"
    return None if label in range(classes) else f"must be a whole number 0-{classes - 1}"


def parse_csv(text: str | bytes, problem: str = "classification", classes: int = 2) -> np.ndarray:
    """Parse ``x,y,label`` rows into a new (n, 3) array; raise DataError.

    Read with the `csv` module: fields may be quoted (as spreadsheets write them), separated by commas,
    semicolons or tabs (the first of these that splits the first row into three columns), `#` comment lines
    and a header line are skipped. Classification labels are ±1, or 0…K−1 when ``classes`` is K ≥ 3."""
    if problem not in ("classification", "regression"):
        raise DataError(f"unknown problem {problem!r}")
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_CSV_CHARS:
            raise DataError(f"file too large ({len(text):,} bytes, limit {MAX_CSV_CHARS:,})")
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DataError(f"file is not UTF-8 text (bad byte at offset {exc.start})") from None
    if not isinstance(text, str):
        raise DataError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_CSV_CHARS:
        raise DataError(f"file too large ({len(text):,} characters, limit {MAX_CSV_CHARS:,})")
    if not text.strip():
        raise DataError("file is empty")
    lines = [(line_no, line) for line_no, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    delimiter = _delimiter(lines[0][1]) if lines else ","
    rows: list[tuple[float, float, float]] = []
    for line_no, line in lines:
        try:
            fields = next(csv.reader([line], delimiter=delimiter, skipinitialspace=True), [])
        except csv.Error as exc:
            raise DataError(f"line {line_no}: not a CSV row ({exc})") from None
        values = [_parse_number(f) for f in fields]
        if line_no == lines[0][0] and len(fields) == 3 and all(v is None for v in values):
            continue  # header line such as "x,y,label"
        if len(fields) != 3:
            raise DataError(f"line {line_no}: expected 3 columns (x,y,label), found {len(fields)}")
        for name, field, value in zip(("x", "y", "label"), fields, values, strict=True):
            if value is None:
                raise DataError(f"line {line_no}: {name} is not a number: {field.strip()[:40]!r}")
            if not math.isfinite(value):
                raise DataError(f"line {line_no}: {name} is out of range: {field.strip()[:40]!r}")
        x, y, label = values
        if abs(x) > MAX_ABS_COORD or abs(y) > MAX_ABS_COORD:
            raise DataError(f"line {line_no}: coordinates must be within ±{MAX_ABS_COORD:g}")
        wrong_label = _label_problem(label, classes) if problem == "classification" else None
        if wrong_label:
            raise DataError(f"line {line_no}: a classification label {wrong_label}, not {fields[2].strip()[:40]!r}")
        rows.append((x, y, label))
        if len(rows) > MAX_POINTS:
            raise DataError(f"line {line_no}: too many points (limit {MAX_POINTS:,})")
    if not rows:
        raise DataError("file has no data rows")
    return _array(rows)


def _delimiter(first_row: str) -> str:
    """The separator of a CSV file: the first of comma, semicolon and tab that splits its first row into
    three columns; a comma when none does (its row count then names the problem)."""
    for delimiter in CSV_DELIMITERS:
        try:
            if len(next(csv.reader([first_row], delimiter=delimiter), [])) == 3:
                return delimiter
        except csv.Error:
            continue
    return ","


def _format(value: float) -> str:
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)  # shortest text that reads back to the same double


def to_csv(points: np.ndarray) -> str:
    """``x,y,label`` CSV with a header; parse_csv(to_csv(p)) reproduces p exactly."""
    lines = ["x,y,label"]
    lines += [",".join(_format(v) for v in row[:3]) for row in np.asarray(points, dtype=np.float64)]
    return "\n".join(lines) + "\n"


def split_user_points(points: np.ndarray, perc_train: float) -> tuple[np.ndarray, np.ndarray]:
    """Your own points as (train, test) in the training/test ratio, interleaved in order: point i trains
    when ceil((i + 1)·p) > ceil(i·p), p = perc/100, so the first point trains and the first n points hold
    ceil(n·p) training points. A point keeps its role when more are added after it, so drawing a point
    never moves the others between training and test."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    index = np.arange(len(points))
    share = perc_train / 100
    trains = np.ceil((index + 1) * share - 1e-9) > np.ceil(index * share - 1e-9)
    return points[trains], points[~trains]


def add_point(points: np.ndarray, x: float, y: float, label: float) -> np.ndarray:
    """A new array with (x, y, label) appended; a point is held to the bounds a CSV's points are."""
    if not all(math.isfinite(v) for v in (x, y, label)):
        raise DataError("point coordinates and label must be finite numbers")
    if abs(x) > MAX_ABS_COORD or abs(y) > MAX_ABS_COORD:
        raise DataError(f"coordinates must be within ±{MAX_ABS_COORD:g}")
    if len(points) >= MAX_POINTS:
        raise DataError(f"too many points (limit {MAX_POINTS:,})")
    row = np.array([[x, y, label]], dtype=np.float64)
    return np.concatenate([np.asarray(points, dtype=np.float64).reshape(-1, 3), row])


def remove_nearest(points: np.ndarray, x: float, y: float, radius: float) -> np.ndarray:
    """A new array without the point nearest (x, y), if one lies within ``radius``."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    if len(points) == 0 or not (math.isfinite(x) and math.isfinite(y)):  # NaN would be "nearest" to the first
        return points.copy()
    d2 = (points[:, 0] - x) ** 2 + (points[:, 1] - y) ** 2
    nearest = int(np.argmin(d2))
    if d2[nearest] > radius * radius:
        return points.copy()
    return np.delete(points, nearest, axis=0)
