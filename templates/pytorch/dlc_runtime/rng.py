"""Seeded randomness of the data pipeline: a port of dlc's src/runtime/data/random.ts.

mulberry32's state advances by a constant per draw, so draw k of a stream is a
pure function of (seed, k): `Rng.draw(n)` computes n draws at once with numpy,
and gives exactly the numbers the JavaScript version gives one by one.
"""
import math

import numpy as np

M32 = 0xFFFFFFFF
_INC = 0x6D2B79F5

# Stream ids, so independent uses of the same (seed, epoch) never share numbers.
STREAM_SHUFFLE = 1
STREAM_SPLIT = 2
STREAM_AUGMENT = 3
STREAM_SYNTHETIC = 4


def _imul(a, b):
    return (a * b) & M32


def mix_seed(*parts):
    """Mixes integers into one 32-bit seed (murmur3 finaliser over a running hash), as mixSeed."""
    h = 0x9E3779B9
    for part in parts:
        if isinstance(part, float) and not part.is_integer():
            v = math.floor(part * 0x100000000)
        else:
            v = int(part)
        lo = v & M32
        hi = (v // 0x100000000) & M32
        for w in (lo, hi):
            h = _imul(h ^ w, 0x85EBCA6B)
            h ^= h >> 13
            h = _imul(h, 0xC2B2AE35)
            h ^= h >> 16
    return h & M32


class Rng:
    """mulberry32: uniform numbers in [0, 1), the same sequence as dlc's for the same seed."""

    __slots__ = ('state',)

    def __init__(self, seed):
        self.state = int(seed) & M32

    def __call__(self):
        self.state = (self.state + _INC) & M32
        t = self.state
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296.0

    def draw(self, n):
        """The next n numbers as a float64 array (the same as n calls)."""
        n = int(n)
        if n <= 0:
            return np.zeros(0, dtype=np.float64)
        k = np.arange(1, n + 1, dtype=np.uint64)
        a = ((np.uint64(self.state) + k * np.uint64(_INC)) & np.uint64(M32)).astype(np.uint32)
        self.state = (self.state + n * _INC) & M32
        with np.errstate(over='ignore'):
            t = (a ^ (a >> np.uint32(15))) * (a | np.uint32(1))
            t = t ^ (t + (t ^ (t >> np.uint32(7))) * (t | np.uint32(61)))
            t = t ^ (t >> np.uint32(14))
        return t.astype(np.float64) / 4294967296.0

    def skip(self, n):
        """Advances past n numbers without computing them."""
        self.state = (self.state + int(n) * _INC) & M32


def rng_for(*parts):
    """An Rng keyed by several integers, e.g. rng_for(seed, STREAM_AUGMENT, epoch, batch, i)."""
    return Rng(mix_seed(*parts))


def shuffle_in_place(arr, rng):
    """Fisher–Yates, drawing exactly as dlc's shuffleInPlace (j = floor(r·(i+1)) for i = n−1 … 1)."""
    n = len(arr)
    if n < 2:
        return arr
    r = rng.draw(n - 1)
    i = np.arange(n - 1, 0, -1, dtype=np.float64)
    js = np.floor(r * (i + 1)).astype(np.int64).tolist()
    a = arr.tolist() if isinstance(arr, np.ndarray) else arr
    for k, ii in enumerate(range(n - 1, 0, -1)):
        j = js[k]
        a[ii], a[j] = a[j], a[ii]
    if isinstance(arr, np.ndarray):
        arr[:] = a
    return arr


def permutation(n, rng):
    """A seeded permutation of 0..n−1 (int64 array)."""
    return shuffle_in_place(np.arange(n, dtype=np.int64), rng)


def js_round(x):
    """JavaScript's Math.round on a float64 array: halves go up (numpy's round goes to even)."""
    f = np.floor(x)
    return f + (x - f >= 0.5)
