"""Fit grid of finn_xdsl/estimates/rtl/fx_memstream.py: ROMs of random words (weights look
random to a LUT-ROM) in both styles, from 8-word ROMs of wide words (the MVAU weight
streams of small layers) to 4096-word ones, the brief's anchors (64x128, 512x32, 1024x64,
16x8, 8x288, 2048x8) among them, and "auto" on either side of its rule."""

import random


def _rom(depth: int, width: int) -> str:
    rng = random.Random(depth * 7919 + width)
    return "".join(f"{rng.getrandbits(width):0{(width + 3) // 4}x}\n" for _ in range(depth))


def _case(depth: int, width: int, style: str):
    params = {"DEPTH": depth, "WIDTH": width, "INIT_FILE": "rom.hex", "RAM_STYLE": style}
    return (f"{depth}x{width}_{style}", params, {"rom.hex": _rom(depth, width)})


CASES = [
    _case(d, w, "distributed")
    for d, w in [(64, 128), (512, 32), (16, 8), (8, 288), (2048, 8), (32, 16), (64, 32),
                 (128, 16), (128, 64), (256, 8), (256, 36), (4, 36), (100, 20), (1024, 4)]
] + [
    _case(d, w, "block")
    for d, w in [(64, 128), (512, 32), (1024, 64), (16, 8), (8, 288), (2048, 8), (4096, 4),
                 (256, 72), (100, 50), (1000, 18), (3000, 9), (600, 40)]
] + [
    _case(d, w, "auto") for d, w in [(96, 64), (300, 24), (4096, 1), (1024, 36)]
] + [
    _case(256, 32, "ultra"),
]
