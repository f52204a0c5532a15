"""
Stream bit packing (docs/architecture.md, "Streams and packing"), the one packer for simulation, drivers and weight
files: lane i of a beat occupies bits [(i+1)·w-1 : i·w] (element 0 in the LSBs), signed
values are two's complement, BIPOLAR is stored as {-1 -> 0, +1 -> 1}.
"""

from __future__ import annotations

import numpy as np


def encode(values: np.ndarray, bits: int, bipolar: bool = False) -> np.ndarray:
    """Integers -> their `bits`-wide unsigned codes (two's complement / bipolar as 0/1)."""
    v = np.asarray(values, dtype=np.int64)
    if bipolar:
        return (v > 0).astype(np.uint64)
    return (v & ((1 << bits) - 1)).astype(np.uint64)


def decode(codes: np.ndarray, bits: int, signed: bool, bipolar: bool = False) -> np.ndarray:
    """Inverse of encode."""
    c = np.asarray(codes, dtype=np.int64) & ((1 << bits) - 1)
    if bipolar:
        return np.where(c != 0, 1, -1).astype(np.int64)
    if signed:
        return np.where(c >= (1 << (bits - 1)), c - (1 << bits), c)
    return c


def pack_beats(values: np.ndarray, bits: int, lanes: int, bipolar: bool = False) -> list[int]:
    """A tensor (normal shape, last axis a multiple of lanes) -> beats, row-major order."""
    codes = encode(np.asarray(values).reshape(-1, lanes), bits, bipolar)
    beats = []
    for row in codes:
        word = 0
        for i, c in enumerate(row.tolist()):
            word |= int(c) << (i * bits)
        beats.append(word)
    return beats


def unpack_beats(beats: list[int], bits: int, lanes: int, signed: bool, bipolar: bool = False) -> np.ndarray:
    """Beats -> a flat int64 array of values (reshape to the normal shape)."""
    mask = (1 << bits) - 1
    codes = np.array([[(w >> (i * bits)) & mask for i in range(lanes)] for w in beats], dtype=np.int64)
    return decode(codes.reshape(-1), bits, signed, bipolar)
