"""
ONNX shape arithmetic shared by the `qonnx` verifiers and the reference interpreter.

Both must agree on, e.g., how `auto_pad=SAME_UPPER` resolves to explicit pads, so the rule
lives in one place. Everything here is plain Python on tuples of ints.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


class ShapeError(ValueError):
    """A shape or attribute combination ONNX does not allow."""


def broadcast(*shapes: Sequence[int]) -> tuple[int, ...]:
    """Numpy/ONNX multidirectional broadcasting of shapes."""
    rank = max((len(s) for s in shapes), default=0)
    out: list[int] = []
    for i in range(rank):
        dims = {s[len(s) - rank + i] for s in shapes if len(s) - rank + i >= 0}
        dims.discard(1)
        if len(dims) > 1:
            raise ShapeError(
                f"shapes {', '.join(str(tuple(s)) for s in shapes)} do not broadcast"
            )
        out.append(dims.pop() if dims else 1)
    return tuple(out)


def matmul(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...]:
    """Result shape of numpy.matmul / ONNX MatMul."""
    if not a or not b:
        raise ShapeError("MatMul operands must have rank >= 1")
    a2 = (1, *a) if len(a) == 1 else tuple(a)
    b2 = (*b, 1) if len(b) == 1 else tuple(b)
    if a2[-1] != b2[-2]:
        raise ShapeError(f"inner dimensions differ: {tuple(a)} @ {tuple(b)}")
    out = (*broadcast(a2[:-2], b2[:-2]), a2[-2], b2[-1])
    if len(a) == 1:
        out = out[:-2] + out[-1:]
    if len(b) == 1:
        out = out[:-1]
    return out


def pool_pads(
    in_spatial: Sequence[int],
    kernel: Sequence[int],
    strides: Sequence[int],
    dilations: Sequence[int],
    pads: Sequence[int] | None,
    auto_pad: str,
) -> tuple[int, ...]:
    """Explicit pads (begin..., end...) for a conv/pool window, resolving auto_pad."""
    n = len(in_spatial)
    if auto_pad in ("NOTSET", ""):
        result = tuple(pads) if pads else (0,) * (2 * n)
        if len(result) != 2 * n:
            raise ShapeError(f"pads must have {2 * n} entries, got {len(result)}")
        if any(p < 0 for p in result):
            raise ShapeError(f"pads must be non-negative, got {list(result)}")
        return result
    if auto_pad == "VALID":
        return (0,) * (2 * n)
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        begin, end = [], []
        for i in range(n):
            out = math.ceil(in_spatial[i] / strides[i])
            eff_k = (kernel[i] - 1) * dilations[i] + 1
            total = max(0, (out - 1) * strides[i] + eff_k - in_spatial[i])
            small, big = total // 2, total - total // 2
            begin.append(small if auto_pad == "SAME_UPPER" else big)
            end.append(big if auto_pad == "SAME_UPPER" else small)
        return (*begin, *end)
    raise ShapeError(f"unknown auto_pad '{auto_pad}'")


def window_output(
    in_spatial: Sequence[int],
    kernel: Sequence[int],
    strides: Sequence[int],
    dilations: Sequence[int],
    pads: Sequence[int],
    ceil_mode: bool = False,
) -> tuple[int, ...]:
    """Spatial output size of a sliding window (conv or pool) with explicit pads."""
    n = len(in_spatial)
    for name, vals in (("kernel_shape", kernel), ("strides", strides), ("dilations", dilations)):
        if len(vals) != n:
            raise ShapeError(f"{name} must have {n} entries, got {len(vals)}")
        if any(v < 1 for v in vals):
            raise ShapeError(f"{name} must be positive, got {list(vals)}")
    out = []
    for i in range(n):
        eff_k = (kernel[i] - 1) * dilations[i] + 1
        span = in_spatial[i] + pads[i] + pads[n + i] - eff_k
        if span < 0:
            raise ShapeError(
                f"window {eff_k} is larger than padded input {in_spatial[i] + pads[i] + pads[n + i]}"
            )
        rnd = math.ceil if ceil_mode else math.floor
        o = int(rnd(span / strides[i])) + 1
        # ONNX: with ceil_mode the last window must start inside the (left-padded) input
        if ceil_mode and (o - 1) * strides[i] >= in_spatial[i] + pads[i]:
            o -= 1
        out.append(o)
    return tuple(out)


def conv_output_dim(size: int, k: int, stride: int, dilation: int) -> int:
    """qonnx's compute_conv_output_dim without padding: (I - d(k - 1) - 1) // s + 1.

    The one statement of a sliding window's output size along one axis: the SWG op's
    verifier, its numpy reference and the token model all read it from here.
    """
    return (size - dilation * (k - 1) - 1) // stride + 1


def normalize_axis(axis: int, rank: int) -> int:
    """Map a possibly negative axis into [0, rank)."""
    if not -rank <= axis < rank:
        raise ShapeError(f"axis {axis} is out of range for rank {rank}")
    return axis % rank


def reshape(in_shape: Sequence[int], target: Sequence[int], allowzero: bool) -> tuple[int, ...]:
    """ONNX Reshape target resolution (0 copies a dimension unless allowzero, -1 infers)."""
    out = list(target)
    if out.count(-1) > 1:
        raise ShapeError("at most one dimension of the new shape may be -1")
    for i, d in enumerate(out):
        if d == 0 and not allowzero:
            if i >= len(in_shape):
                raise ShapeError(f"dimension {i} is 0 but the input has rank {len(in_shape)}")
            out[i] = in_shape[i]
        elif d < -1:
            raise ShapeError(f"invalid dimension {d} in new shape")
    total = math.prod(in_shape)
    if -1 in out:
        known = math.prod(d for d in out if d != -1)
        if known == 0 or total % known:
            raise ShapeError(f"cannot reshape {tuple(in_shape)} to {tuple(target)}")
        out[out.index(-1)] = total // known
    if math.prod(out) != total:
        raise ShapeError(f"cannot reshape {tuple(in_shape)} ({total} elements) to {tuple(out)}")
    return tuple(out)
