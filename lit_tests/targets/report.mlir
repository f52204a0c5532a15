// RUN: finn-opt %s -t 'report{dir="%t" clock-ns=5 fpgapart="xc7z020clg400-1"}' | filecheck %s
// RUN: cat %t/estimate_layer_cycles.json | filecheck %s --check-prefix=CYCLES
// RUN: cat %t/estimate_layer_resources.json | filecheck %s --check-prefix=RES
// RUN: cat %t/estimate_network_performance.json | filecheck %s --check-prefix=PERF
// RUN: cat %t/op_and_param_counts.json | filecheck %s --check-prefix=COUNTS

// Two thresholded layers, the second fed through reshapes (wires, not reported). With the
// default minimize=true, the all-ones si2 weights count as FINN's minimised BINARY (1 bit).
// MVAU_hls_0: MW 8, MH 4, PE 2, SIMD 4 -> (4/2)(8/4) = 4 cycles; Thresholding_rtl_0: 4 channels, PE 1 -> 4.
builtin.module {
  func.func @main(%x: tensor<1x8xsi4>) -> tensor<1x4xui2> {
    %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x8xsi4>) -> tensor<1x4xui2> {
    ^bb0(%0: !dataflow.stream<tensor<1x8xsi4>, 4>):
      %1 = dataflow.mvau %0 {node_name = "MVAU_hls_0", impl = "hls", pe = 2 : i64, simd = 4 : i64, weights = dense<1> : tensor<8x4xi32>, weight_type = si2, thresholds = dense<[[0, 4, 8]]> : tensor<1x3xi64>} : (!dataflow.stream<tensor<1x8xsi4>, 4>) -> !dataflow.stream<tensor<1x4xui2>, 2>
      %2 = dataflow.reshape %1 {node_name = "Reshape_0"} : (!dataflow.stream<tensor<1x4xui2>, 2>) -> !dataflow.stream<tensor<1x1x4xui2>, 2>
      %3 = dataflow.reshape %2 {node_name = "Reshape_1"} : (!dataflow.stream<tensor<1x1x4xui2>, 2>) -> !dataflow.stream<tensor<1x4xui2>, 2>
      %4 = dataflow.thresholding %3 {node_name = "Thresholding_rtl_0", impl = "rtl", pe = 2 : i64, thresholds = dense<[[1, 2, 3]]> : tensor<1x3xi64>} : (!dataflow.stream<tensor<1x4xui2>, 2>) -> !dataflow.stream<tensor<1x4xui2>, 2>
      dataflow.yield %4 : !dataflow.stream<tensor<1x4xui2>, 2>
    }
    func.return %y : tensor<1x4xui2>
  }
}

// CHECK: report: 2 layers, clock 5 ns, part xc7z020clg400-1
// CHECK-NEXT: MVAU_hls_0: 4 cycles
// CHECK-NEXT: Thresholding_rtl_0: 2 cycles
// CHECK-NEXT: max_cycles 4 (MVAU_hls_0), critical_path_cycles 6
// CHECK-NEXT: estimated_throughput_fps 50000000.00, estimated_latency_ns 30

// CYCLES:      {
// CYCLES-NEXT:   "MVAU_hls_0": 4,
// CYCLES-NEXT:   "Thresholding_rtl_0": 2
// CYCLES-NEXT: }

// RES:      "MVAU_hls_0": {
// RES-NEXT:   "BRAM_18K": 1,
// RES:      "total": {
// RES-NEXT:   "BRAM_18K": 1.0,

// PERF:      "critical_path_cycles": 6,
// PERF-NEXT: "max_cycles": 4,
// PERF-NEXT: "max_cycles_node_name": "MVAU_hls_0",
// PERF-NEXT: "estimated_throughput_fps": 50000000.0,
// PERF-NEXT: "estimated_latency_ns": 30.0

// COUNTS:      "MVAU_hls_0": {
// COUNTS-NEXT:   "op_mac_1bx4b": 32,
// COUNTS-NEXT:   "param_weight_1b": 32,
// COUNTS-NEXT:   "param_threshold_{{[0-9]+}}b": 4
// COUNTS:      "Thresholding_rtl_0": {
// COUNTS-NEXT:   "param_threshold_{{[0-9]+}}b": 12
