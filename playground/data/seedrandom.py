"""Exact port of seedrandom 2.4.x ``Math.seedrandom(seedString)`` (seedrandom.js: Copyright 2014 David Bau,
MIT licence; its notice is in the NOTICE file).

The real playground seeds its whole page with the link's ``seed`` string, so
data and initial weights are only reproducible with a bit-exact ARC4 stream.
Everything below mirrors the JavaScript source line by line; Python ints keep
every intermediate exact (JS doubles are exact there too, and the final
division by a power of two rounds the same way in both).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["SeedRandom", "js_to_fixed", "new_seed", "mixkey"]

_WIDTH = 256
_MASK = _WIDTH - 1
_CHUNKS = 6
_START_DENOM = _WIDTH**_CHUNKS  # 2**48
_SIGNIFICANCE = 2**52
_OVERFLOW = 2**53


def _utf16_units(text: str) -> list[int]:
    """``charCodeAt`` values: JS strings are UTF-16, so astral chars are two units."""
    data = text.encode("utf-16-le", "surrogatepass")
    return [data[k] | (data[k + 1] << 8) for k in range(0, len(data), 2)]


def mixkey(seed: str, key: list[int]) -> list[int]:
    """seedrandom's ``mixkey``: fold the seed string into ``key`` (in place)."""
    smear = 0
    for j, code in enumerate(_utf16_units(seed)):
        slot = _MASK & j
        current = key[slot] if slot < len(key) else 0  # undefined * 19 -> NaN -> 0
        smear ^= current * 19
        value = _MASK & (smear + code)
        if slot < len(key):
            key[slot] = value
        else:
            key.extend([0] * (slot - len(key)))
            key.append(value)
    return key


class _ARC4:
    """RC4 with the first 256 bytes dropped, as in seedrandom."""

    def __init__(self, key: list[int]) -> None:
        if not key:
            key = [0]  # JS: key = [keylen++]
        keylen = len(key)
        s = list(range(_WIDTH))
        j = 0
        for i in range(_WIDTH):
            t = s[i]
            j = _MASK & (j + key[i % keylen] + t)
            s[i] = s[j]
            s[j] = t
        self.s = s
        self.i = 0
        self.j = 0
        self.g(_WIDTH)  # RC4-drop[256]

    def g(self, count: int) -> int:
        """Next ``count`` bytes as one big-endian integer."""
        s, i, j = self.s, self.i, self.j
        r = 0
        for _ in range(count):
            i = _MASK & (i + 1)
            t = s[i]
            j = _MASK & (j + t)
            s[i] = s[j]
            s[j] = t
            r = r * _WIDTH + s[_MASK & (s[i] + t)]
        self.i, self.j = i, j
        return r


class SeedRandom:
    """``Math.random`` after ``Math.seedrandom(seed)``: floats in [0, 1)."""

    def __init__(self, seed: str) -> None:
        # flatten(seed, 3) of a string is the string itself.
        self.seed = str(seed)
        self._arc4 = _ARC4(mixkey(self.seed, []))

    def random(self) -> float:
        g = self._arc4.g
        n = g(_CHUNKS)
        d = _START_DENOM
        x = 0
        while n < _SIGNIFICANCE:  # gather 52 significant bits
            n = (n + x) * _WIDTH
            d *= _WIDTH
            x = g(1)
        while n >= _OVERFLOW:  # avoid rounding up past 53 bits
            n //= 2  # n is a multiple of 256 here, so this is exact like JS n /= 2
            d //= 2
            x >>= 1
        return (n + x) / d  # int / int is correctly rounded, like the JS double division

    __call__ = random


def js_to_fixed(x: float, digits: int) -> str:
    """JavaScript ``Number.prototype.toFixed``: exact binary value, ties away from zero."""
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "Infinity" if x > 0 else "-Infinity"
    if abs(x) >= 1e21:
        return repr(x)  # JS falls back to ToString here; seeds never get that big
    # JS works on |x| and prefixes "-" when x < 0 (so -0 prints "0.00", -0.001 "-0.00").
    quantum = Decimal(1).scaleb(-digits)
    text = format(Decimal(abs(x)).quantize(quantum, rounding=ROUND_HALF_UP), "f")
    return "-" + text if x < 0 else text


def new_seed(rand: Callable[[], float]) -> str:
    """How the playground picks a seed: ``Math.random().toFixed(5)``."""
    return js_to_fixed(rand(), 5)


def normal_random(rand: Callable[[], float], mean: float, variance: float) -> float:
    """A normal draw from `rand()` by the Marsaglia polar method, exactly as the playground's `normalRandom`
    (rejects s > 1 only; this order of operations, for bit-exact points)."""
    while True:
        v1 = 2 * rand() - 1
        v2 = 2 * rand() - 1
        s = v1 * v1 + v2 * v2
        if not s > 1:
            break
    result = math.sqrt(-2 * math.log(s) / s) * v1
    return mean + math.sqrt(variance) * result
