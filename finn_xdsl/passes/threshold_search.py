"""
Exact thresholds by search: the one mechanism behind qonnx-to-thresholds and streamline.

FINN derives thresholds algebraically (T = (T - b) / a, rounded); in float32 that is only
approximately what the reference computes, so an input right at a boundary can fall on
the other side. We instead ask the reference itself: a threshold is the smallest input
at which the quantized output reaches a level, found by binary search over every
possible input — the integers of the producer's type, or every float32 in order of
value. The functions searched are evaluated with the interpreter's own kernels, so the
thresholds reproduce the reference bit for bit for every input, by construction.

Searches are vectorised over (level, channel) and need only that the searched function
is monotone non-decreasing, which callers establish before searching.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_F32_SIGN = np.int64(0x80000000)
_F32_MAG = np.int64(0x7FFFFFFF)


def f32_key(x: np.ndarray) -> np.ndarray:
    """Map float32 values to int64 keys with the same order (-0.0 just below +0.0)."""
    bits = np.asarray(x, np.float32).view(np.uint32).astype(np.int64)
    return np.where(bits & _F32_SIGN, -(bits & _F32_MAG) - 1, bits)


def key_f32(key: np.ndarray) -> np.ndarray:
    """Inverse of f32_key."""
    key = np.asarray(key, np.int64)
    bits = np.where(key < 0, (-(key + 1)) | _F32_SIGN, key)
    return bits.astype(np.uint32).view(np.float32)


F32_MIN_KEY = int(f32_key(np.float32(-np.inf)))
F32_MAX_KEY = int(f32_key(np.float32(np.inf)))


def smallest_true(pred: Callable[[np.ndarray], np.ndarray], lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per element, the smallest v in [lo, hi] with pred(v), or hi + 1 if there is none.

    pred must be monotone (False ... False True ... True) over [lo, hi] per element.
    """
    lo = np.array(lo, dtype=np.int64)
    hi = np.array(hi, dtype=np.int64) + 1  # the answer lies in [lo, hi]; hi means none
    while np.any(lo < hi):
        open_ = lo < hi
        mid = lo + (hi - lo) // 2
        ok = np.asarray(pred(np.where(open_, mid, lo)), dtype=bool)
        hi = np.where(open_ & ok, mid, hi)
        lo = np.where(open_ & ~ok, mid + 1, lo)
    return lo


def integer_thresholds(count: Callable[[np.ndarray], np.ndarray], levels: int, channels: int,
                       lo: int, hi: int) -> np.ndarray:
    """Thresholds T[c, k-1] = min{v in [lo, hi] : count(v)[c] >= k}, k = 1..levels.

    `count` maps an int64 array of shape (levels, channels) (candidate v for level k,
    channel c) to the number of thresholds the original function passes at v. A level
    never reached gets hi + 1: the input can never pass it.
    """
    need = np.arange(1, levels + 1, dtype=np.int64)[:, None]
    shape = (levels, channels)
    t = smallest_true(lambda v: count(v) >= need, np.full(shape, lo), np.full(shape, hi))
    return np.ascontiguousarray(t.T)


def float_thresholds(count: Callable[[np.ndarray], np.ndarray], levels: int, channels: int) -> np.ndarray:
    """Like integer_thresholds, over all float32 values (-inf .. +inf), as float32.

    A level that no float32 reaches gets +inf... as a threshold that only +inf passes,
    the closest a float32 threshold comes to "never".
    """
    need = np.arange(1, levels + 1, dtype=np.int64)[:, None]
    shape = (levels, channels)

    def pred(keys: np.ndarray) -> np.ndarray:
        return count(key_f32(keys)) >= need

    keys = smallest_true(pred, np.full(shape, F32_MIN_KEY), np.full(shape, F32_MAX_KEY))
    keys = np.minimum(keys, F32_MAX_KEY)
    return np.ascontiguousarray(key_f32(keys).T)
