// apply-folding reads FINN's folding JSON by node_name, retypes streams and places DWCs.
// RUN: echo '{"Defaults": {"ram_style": ["distributed", ["MVAU"]]}, "MVAU_0": {"PE": 16, "SIMD": 49, "resType": "dsp"}, "MVAU_1": {"PE": 8, "SIMD": 16, "mem_mode": "internal_embedded", "runtime_writeable_weights": 1}}' > %t.json
// RUN: finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-dataflow,apply-folding{file="%t.json"}' --elide-constants 1 | filecheck %s
// RUN: echo '{"MVAU_1": {"PE": 5}}' > %t.pe.json
// RUN: not finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-dataflow,apply-folding{file="%t.pe.json"}' 2>&1 | filecheck %s --check-prefix=PE
// RUN: echo '{"MVAU_7": {"PE": 1}}' > %t.node.json
// RUN: not finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-dataflow,apply-folding{file="%t.node.json"}' 2>&1 | filecheck %s --check-prefix=NODE
// RUN: echo '{"MVAU_1": {"depth": 4}}' > %t.attr.json
// RUN: not finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-dataflow,apply-folding{file="%t.attr.json"}' 2>&1 | filecheck %s --check-prefix=ATTR
// RUN: echo '{"MVAU_1": {"ram_style": "huge"}}' > %t.value.json
// RUN: not finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-dataflow,apply-folding{file="%t.value.json"}' 2>&1 | filecheck %s --check-prefix=VALUE
// RUN: not finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-dataflow,apply-folding{file="%t.missing.json"}' 2>&1 | filecheck %s --check-prefix=MISSING

// CHECK:      ^bb0(%[[IN:.*]]: !dataflow.stream<tensor<1x784xsi2>, 49>):
// CHECK-NEXT: %[[M0:.*]] = dataflow.mvau %[[IN]] {node_name = "MVAU_0", {{.*}}pe = 16 : i64, simd = 49 : i64, {{.*}}ram_style = "distributed", res_type = "dsp"{{.*}} -> !dataflow.stream<tensor<1x64xsi2>, 16>
// CHECK-NEXT: %[[M1:.*]] = dataflow.mvau %[[M0]] {node_name = "MVAU_1", {{.*}}pe = 8 : i64, simd = 16 : i64, {{.*}}mem_mode = "internal_embedded", ram_style = "distributed", runtime_writeable_weights = true{{.*}} -> !dataflow.stream<tensor<1x64xsi2>, 8>
// CHECK-NEXT: %[[D:.*]] = dataflow.dwc %[[M1]] {node_name = "StreamingDataWidthConverter_0"} : (!dataflow.stream<tensor<1x64xsi2>, 8>) -> !dataflow.stream<tensor<1x64xsi2>, 1>
// CHECK-NEXT: dataflow.mvau %[[D]] {node_name = "MVAU_2"

// PE: error: apply-folding: MVAU_1: PE=5 does not divide MH=64
// PE-NOT: Traceback
// NODE: error: apply-folding: {{.*}}.node.json: unknown node "MVAU_7" (no layer has this node_name)
// ATTR: error: apply-folding: MVAU_1: unknown attribute "depth" for MVAU
// VALUE: error: apply-folding: MVAU_1: ram_style "huge" is not one of "auto", "block", "distributed", "ultra"
// MISSING: error: apply-folding: cannot read {{.*}}missing.json: No such file or directory
