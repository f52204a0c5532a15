// -t folding-config writes the effective folding in FINN's format; write -> apply -> write is the identity.
// RUN: finn-opt %data/cnv_1w1a_ts_clean.onnx -p 'to-dataflow,set-folding{target-fps=10000 relax-wwidth=false}' -t folding-config > %t.json
// RUN: filecheck %s --input-file=%t.json
// RUN: finn-opt %data/cnv_1w1a_ts_clean.onnx -p 'to-dataflow,apply-folding{file="%t.json"}' -t folding-config > %t.again.json
// RUN: diff %t.json %t.again.json
// RUN: finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-dataflow' -t folding-config | filecheck %s --check-prefix=TFC

// CHECK:      {
// CHECK-NEXT:   "Defaults": {},
// CHECK-NEXT:   "ConvolutionInputGenerator_0": {
// CHECK-NEXT:     "SIMD": 3,
// CHECK-NEXT:     "parallel_window": 0,
// CHECK-NEXT:     "ram_style": "distributed"
// CHECK-NEXT:   },
// CHECK-NEXT:   "MVAU_0": {
// CHECK-NEXT:     "PE": 8,
// CHECK-NEXT:     "SIMD": 27,
// CHECK-NEXT:     "ram_style": "auto",
// CHECK-NEXT:     "resType": "auto",
// CHECK-NEXT:     "mem_mode": "internal_decoupled",
// CHECK-NEXT:     "runtime_writeable_weights": 0
// CHECK-NEXT:   },
// CHECK:        "StreamingMaxPool_0": {
// CHECK-NEXT:     "PE": 1
// CHECK-NEXT:   },
// CHECK-NOT:    StreamingDataWidthConverter
// CHECK:        "MVAU_5": {
// CHECK-NEXT:     "PE": 1,
// CHECK-NEXT:     "SIMD": 48,

// TFC:      "Defaults": {},
// TFC-NEXT: "MVAU_0": {
// TFC-NEXT:   "PE": 1,
// TFC-NEXT:   "SIMD": 1,
