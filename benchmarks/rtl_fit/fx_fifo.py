"""Fit grid of finn_xdsl/estimates/rtl/fx_fifo.py: every style over the depths it is meant
for and a little beyond (srl 2..256, ram 2..1024, bram 2..4096), WIDTH 1..128, and the
"auto" / "dist" choices of the brief's anchors (WIDTH 32 at DEPTH 2, 16, 32, 64, 256, 1024,
4096; WIDTH 8 and 128)."""


def _case(width: int, depth: int, style: str):
    return (f"w{width}_d{depth}_{style}", {"WIDTH": width, "DEPTH": depth, "STYLE": style}, None)


CASES = [
    _case(w, d, "auto")
    for w, d in [(32, 2), (32, 16), (32, 32), (32, 64), (32, 256), (32, 1024), (32, 4096),
                 (8, 2), (8, 16), (8, 256), (8, 1024), (128, 2), (128, 32), (128, 256),
                 (128, 1024), (16, 100), (64, 512)]
] + [
    _case(w, d, "srl") for w, d in [(32, 3), (32, 64), (8, 128), (1, 256), (24, 8)]
] + [
    _case(w, d, "ram") for w, d in [(32, 2), (32, 16), (8, 64), (32, 128), (128, 64), (4, 1024),
                                   (32, 512), (72, 100)]
] + [
    _case(w, d, "bram") for w, d in [(32, 2), (32, 128), (8, 4096), (128, 128), (1, 2048),
                                    (72, 512), (36, 1000)]
] + [
    _case(w, d, "dist") for w, d in [(16, 24), (16, 300)]
]
