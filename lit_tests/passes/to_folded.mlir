// to-folded = to-dataflow, specialize, set-folding, minimize-bitwidths on a real model.

// At FINN's own target and with FINN's rules, the folding is FINN's (MVAU_hls_0: PE 4, SIMD 16).
// RUN: finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-folded{target-fps=100000 prefer=finn relax-wwidth=false}' -t folding-config | filecheck %s --check-prefix=TFC
// TFC:      "MVAU_hls_0": {
// TFC-NEXT:   "PE": 4,
// TFC-NEXT:   "SIMD": 16,
// TFC:      "MVAU_hls_3": {
// TFC-NEXT:   "PE": 1,
// TFC-NEXT:   "SIMD": 1,

// CNV at 10k fps: FINN stalls on the weight-stream cap; we relax it and say so.
// RUN: finn-opt %data/cnv_1w1a_ts_clean.onnx -p 'to-folded{target-fps=10000 prefer=finn}' -t folding-config 2>&1 | filecheck %s --check-prefix=CNV
// CNV: remark: set-folding: {{.*}}relaxed to meet 10000 fps: {{.*}}MVAU_hls_1: weight stream cap 36 -> {{[0-9]+}} bits
// CNV: "MVAU_hls_1": {
