"""Read and write the playground's URL hash (its ``state.ts``), forgivingly.

Reading follows the real site's rules: the hash is split on ``&`` then ``=``;
an empty or blank value counts as missing (except ``networkShape=``, which
means no hidden layers); booleans are false only for the literal ``false``;
numbers are JavaScript's ``+value``. Where the real site would accept nonsense
(``activation=foo``, ``batchSize=0``) we never raise: the default or the
nearest allowed value is used and a warning names the key, the value and the
replacement.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

import param

from . import state as st

__all__ = ["KEYS", "MAX_LINK_CHARS", "too_long", "parse_link", "to_hash", "js_to_number", "js_number_to_string"]

# JavaScript's WhiteSpace and LineTerminator characters (String.prototype.trim, ToNumber).
_JS_WS = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")
_RADIX = {"x": (16, re.compile(r"[0-9a-fA-F]+")), "o": (8, re.compile(r"[0-7]+")), "b": (2, re.compile(r"[01]+"))}
_HIDE_SUFFIX = "_hide"
_MAX_UNKNOWN_WARNINGS = 10
# The longest link the app writes (every setting, six layers, every control hidden, a lesson) is ~1,000
# characters. Whatever arrives (address bar, the page's post, the command line) is held to this before it is read.
MAX_LINK_CHARS = 4000


def js_trim(text: str) -> str:
    return text.strip(_JS_WS)


def js_to_number(text: str) -> float:
    """JavaScript ``+text`` (ToNumber applied to a string)."""
    text = js_trim(text)
    if text == "":
        return 0.0
    if len(text) > 2 and text[0] == "0" and text[1].lower() in _RADIX:
        base, digits = _RADIX[text[1].lower()]
        if not digits.fullmatch(text[2:]):
            return math.nan
        try:
            return float(int(text[2:], base))
        except OverflowError:
            return math.inf
    if not _DECIMAL.fullmatch(text):
        return math.nan
    if text.lstrip("+-") == "Infinity":
        return -math.inf if text[0] == "-" else math.inf
    return float(text)


def js_number_to_string(value: float) -> str:
    """JavaScript ``String(number)``: shortest round-trip digits, JS's exponent rules."""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if value == 0:
        return "0"
    if value < 0:
        return "-" + js_number_to_string(-value)
    if math.isinf(value):
        return "Infinity"
    _sign, digit_tuple, exponent = Decimal(repr(value)).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    k = len(digits)
    n = exponent + k  # value = 0.digits * 10**n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


# Link key -> (ExperimentState parameter, kind), in the playground's own writing order,
# then our keys (written only when not default).
KEYS: dict[str, tuple[str, str]] = {
    "activation": ("activation", "choice"),
    "regularization": ("regularization", "choice"),
    "batchSize": ("batch_size", "int"),
    "dataset": ("dataset", "choice"),
    "regDataset": ("reg_dataset", "choice"),
    "learningRate": ("learning_rate", "rate"),
    "regularizationRate": ("regularization_rate", "rate"),
    "noise": ("noise", "noise"),
    "networkShape": ("network_shape", "shape"),
    "seed": ("seed", "string"),
    "showTestData": ("show_test_data", "bool"),
    "discretize": ("discretize", "bool"),
    "percTrainData": ("perc_train_data", "int"),
    "x": ("x", "bool"),
    "y": ("y", "bool"),
    "xTimesY": ("x_times_y", "bool"),
    "xSquared": ("x_squared", "bool"),
    "ySquared": ("y_squared", "bool"),
    "cosX": ("cos_x", "bool"),
    "sinX": ("sin_x", "bool"),
    "cosY": ("cos_y", "bool"),
    "sinY": ("sin_y", "bool"),
    "collectStats": ("collect_stats", "bool"),
    "tutorial": ("tutorial", "string"),
    "problem": ("problem", "choice"),
    "initZero": ("init_zero", "bool"),
    "hideText": ("hide_text", "bool"),
    "engine": ("engine", "choice"),
    "optimizer": ("optimizer", "choice"),
    "loss": ("loss", "choice"),
    "numClasses": ("num_classes", "int"),
    "activations": ("activations", "activations"),
}
_OUR_KEYS = ("engine", "optimizer", "loss", "numClasses", "activations")


def _defaults() -> dict[str, Any]:
    """Class defaults for every parameter except the seed (drawn fresh when needed)."""
    params = st.ExperimentState.param
    # Copy list defaults so a caller mutating the result cannot change the class defaults.
    return {
        name: list(params[name].default) if isinstance(params[name].default, list) else params[name].default
        for name in params
        if name not in ("name", "seed")
    }


def _show(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return js_number_to_string(value)
    return str(value)


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _read_int(value: float, low: int, high: int) -> tuple[int, str | None]:
    """Integer controls: round, then clamp; explain any change."""
    problems = []
    if math.isinf(value):
        result = high if value > 0 else low
        return result, f"out of range {low}-{high}"
    result = _round_half_up(value)
    if result != value:
        problems.append("not a whole number")
    if not low <= result <= high:
        problems.append(f"out of range {low}-{high}")
        result = min(max(result, low), high)
    return result, "; ".join(problems) or None


def _read_rate(value: float, allowed: list[float]) -> tuple[float, str | None]:
    """Dropdown rates: the nearest listed value on a log scale (the lists are roughly logarithmic)."""
    if value in allowed:
        return float(allowed[allowed.index(value)]), None
    positive = [a for a in allowed if a > 0]
    if value <= 0:
        return min(allowed), "not in the list"
    if math.isinf(value):
        return max(allowed), "not in the list"
    return min(positive, key=lambda a: abs(math.log(value / a))), "not in the list"


def _read_shape(raw: str) -> tuple[list[int] | None, str | None]:
    if js_trim(raw) == "":
        return [], None  # `networkShape=` means no hidden layers
    numbers = [js_to_number(part) for part in raw.split(",")]
    if any(math.isnan(n) for n in numbers):
        return None, "not a list of numbers"
    problems = []
    layers = []
    for n in numbers:
        size, problem = _read_int(n, 1, st.MAX_NEURONS)
        layers.append(size)
        if problem:
            problems.append(f"layer sizes must be whole numbers 1-{st.MAX_NEURONS}")
    if len(layers) > st.MAX_LAYERS:
        problems.append(f"at most {st.MAX_LAYERS} hidden layers")
        layers = layers[: st.MAX_LAYERS]
    return layers, "; ".join(dict.fromkeys(problems)) or None


def _read(key: str, kind: str, raw: str, default: Any) -> tuple[Any, str | None]:
    """One present, non-blank value -> (value to use, problem or None)."""
    name = KEYS[key][0]
    if kind == "string":
        return raw, None
    if kind == "bool":
        if raw in ("true", "false"):
            return raw == "true", None
        return True, "read as true (only 'false' is false)"
    if kind == "choice":
        allowed = st.ExperimentState.param[name].objects
        return (raw, None) if raw in allowed else (default, f"must be one of {', '.join(allowed)}")
    if kind == "shape":
        layers, problem = _read_shape(raw)
        return (default, problem) if layers is None else (layers, problem)
    if kind == "activations":
        names = [js_trim(part) for part in raw.split(",")]
        wrong = [name for name in names if name not in st.ACTIVATIONS]
        if wrong:
            return [], f"{_show(wrong[0])} is not one of {', '.join(st.ACTIVATIONS)}"
        return names, None
    number = js_to_number(raw)
    if math.isnan(number):
        return default, "not a number"
    if kind == "rate":
        return _read_rate(number, st.ExperimentState.param[name].objects)
    if kind == "noise":  # the site's own rule: above 80 -> 50, below 0 -> 0
        if number > st.NOISE_LINK_MAX:
            return st.NOISE_MAX, f"above {st.NOISE_LINK_MAX}"
        if number < 0:
            return 0, "below 0"
        return _read_int(number, 0, st.NOISE_LINK_MAX)
    low, high = st.ExperimentState.param[name].bounds
    return _read_int(number, low, high)


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def _split_hash(link: str) -> str:
    """The part after '#' of a URL; a bare ``a=b&c=d`` string is used whole (its values may hold '#')."""
    if link.startswith("#"):
        return link[1:]
    if _URL.match(link):
        if "#" in link:
            return link.split("#", 1)[1]
        return link.split("?", 1)[1] if "?" in link else ""  # no hash: try the query string
    if link.startswith("?"):
        return link[1:]
    if "#" in link:
        prefix, rest = link.split("#", 1)
        if "=" not in prefix and "&" not in prefix:  # e.g. "playground.tensorflow.org/#..."
            return rest
    return link


def too_long(link: str) -> str | None:
    """The message for a link longer than any playground link (not read at all), or None."""
    if len(link) <= MAX_LINK_CHARS:
        return None
    return (f"This link is too long to be a playground link ({len(link):,} characters; "
            f"links up to {MAX_LINK_CHARS:,} are read), so it was ignored.")


def parse_link(url_or_hash: str) -> tuple[dict[str, Any], list[str]]:
    """A full URL, ``#hash`` or bare ``a=b&c=d`` -> (every ExperimentState value, warnings). A link over
    `MAX_LINK_CHARS` gives the defaults and one warning (`too_long`)."""
    values = _defaults()
    warnings: list[str] = []
    if (message := too_long(str(url_or_hash))) is not None:
        return {**values, "seed": st.fresh_seed()}, [message]
    given: dict[str, str | None] = {}
    for part in _split_hash(str(url_or_hash)).split("&"):
        if part == "":
            continue
        pieces = part.split("=")
        key, raw = pieces[0], (pieces[1] if len(pieces) > 1 else None)  # JS keeps only the 2nd piece
        if key in given:
            warnings.append(f"{_show(key)} given more than once; using the last value")
        given[key] = raw

    unknown = []
    hidden: list[str] = []
    misspelt = None
    for key, raw in given.items():
        if key in KEYS:
            name, kind = KEYS[key]
            if raw is None or (kind != "shape" and js_trim(raw) == ""):
                if raw is None and kind == "shape":
                    warnings.append(f"networkShape has no '='; using {_fmt_shape(values[name])}")
                continue  # blank counts as missing: the default stays
            value, problem = _read(key, kind, raw, values.get(name))
            values[name] = value
            if problem and kind == "activations":
                misspelt = f"{key}={_show(raw)}: {problem}"  # the fallback is known once `activation` is read
            elif problem:
                used = _fmt_shape(value) if kind == "shape" else _fmt(value)
                warnings.append(f"{key}={_show(raw)}: {problem}; using {used}")
        elif key.endswith(_HIDE_SUFFIX) and key[: -len(_HIDE_SUFFIX)] in st.HIDABLE_CONTROLS:
            control = key[: -len(_HIDE_SUFFIX)]
            if raw == "true" and control not in hidden:
                hidden.append(control)
            elif raw not in (None, "true", "false") and js_trim(raw) != "":
                warnings.append(f"{key}={_show(raw)}: only 'true' hides a control; left visible")
        else:
            unknown.append(key)
    for key in unknown[:_MAX_UNKNOWN_WARNINGS]:
        warnings.append(f"unknown key {_show(key)} ignored")
    if len(unknown) > _MAX_UNKNOWN_WARNINGS:
        rest = unknown[_MAX_UNKNOWN_WARNINGS:]
        warnings.append(f"{len(rest)} more unknown keys ignored: {', '.join(_show(k) for k in rest[:20])}")
    values["hidden"] = hidden
    if misspelt:
        warnings.append(f"{misspelt}; using {values['activation']} for every layer")
    warnings += _check_together(values, given)
    if "seed" not in values:
        values["seed"] = st.fresh_seed()  # the site draws Math.random().toFixed(5); not worth a warning
    return values, warnings


def _check_together(values: dict[str, Any], given: dict[str, str | None]) -> list[str]:
    """Keys that are fine alone but not with the others: one activation per hidden layer, and more
    than two classes only where the dataset has them. Fixes `values` and explains."""
    warnings = []
    per_layer, layers = values["activations"], values["network_shape"]
    if per_layer and len(per_layer) != len(layers):
        warnings.append(f"activations={_show(given['activations'] or '')}: {len(per_layer)} given for "
                        f"{len(layers)} hidden layer(s); using {values['activation']} for every layer")
        values["activations"] = []
    classes = values["num_classes"]
    if classes > 2:
        if values["problem"] != "classification":
            reason = "classes apply to classification only"
        elif values["dataset"] not in st.MULTICLASS_DATASETS:
            reason = f"dataset {values['dataset']} has two classes (more: {', '.join(st.MULTICLASS_DATASETS)})"
        else:
            reason = None
        if reason:
            warnings.append(f"numClasses={classes}: {reason}; using 2")
            values["num_classes"] = 2
    return warnings


def _fmt_shape(layers: list[int]) -> str:
    return ",".join(str(int(n)) for n in layers)


def _escape(text: str) -> str:
    # '&' and '=' would split the value; the real site cannot carry them either.
    return text.replace("&", "%26").replace("=", "%3D")


def to_hash(state_or_dict: param.Parameterized | dict[str, Any]) -> str:
    """The link hash (without '#') in the playground's key order; parse_link reads it back."""
    if isinstance(state_or_dict, param.Parameterized):
        values = {**_defaults(), **state_or_dict.param.values()}
    else:
        values = {**_defaults(), **state_or_dict}
    defaults = _defaults()
    parts = []
    for key, (name, kind) in KEYS.items():
        value = values.get(name)
        if value is None:
            continue
        if key in _OUR_KEYS and value == defaults[name]:
            continue  # keep links identical to the real site's unless we need more
        if kind == "choice" and value == "none":
            continue  # regularization none is written as no key, like the site
        if kind == "string":
            if js_trim(value) == "":
                continue
            text = _escape(value)
        elif kind == "bool":
            text = "true" if value else "false"
        elif kind == "shape":
            text = _fmt_shape(value)
        elif kind == "activations":
            text = ",".join(value)
        else:
            text = _fmt(value)
        parts.append(f"{key}={text}")
    parts += [f"{control}{_HIDE_SUFFIX}=true" for control in values.get("hidden") or []]
    return "&".join(parts)
