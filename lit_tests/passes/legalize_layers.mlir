// RUN: finn-opt %s -p legalize-layers | filecheck %s
// Idempotent: a second run decides the same plans.
// RUN: finn-opt %s -p legalize-layers,legalize-layers | filecheck %s
// The recorded plans parse back, and -t sv prints them as it prints the plans it decides.
// RUN: finn-opt %s -p legalize-layers | finn-opt -t 'sv{dir="%t"}' | filecheck %s --check-prefix=SV
// RUN: sed -e 's/"Thresholding_rtl_0", impl = "rtl"/"Thresholding_rtl_0", impl = "rtl", runtime_writeable_weights = true/' %s | not finn-opt -p legalize-layers 2>&1 | filecheck %s --check-prefix=ERR

// A raw bipolar x bipolar MVAU without binary_xnor (XNOR popcount p, the wrapper's 2p - MW,
// weights from an fx_memstream), a thresholding layer (broadcast thresholds, clipped to the
// si5 input range: 6-bit) and a wire: each layer's plan recorded as its `plan` attribute.
builtin.module {
  func.func @main(%x: tensor<1x8x!qonnx.bipolar>) -> tensor<1x1x4xui2> {
    %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x8x!qonnx.bipolar>) -> tensor<1x1x4xui2> {
    ^bb0(%0: !dataflow.stream<tensor<1x8x!qonnx.bipolar>, 4>):
      %1 = dataflow.mvau %0 {node_name = "MVAU_rtl_0", impl = "rtl", pe = 2 : i64, simd = 4 : i64, weights = dense<[[1, -1, 1, 1], [1, 1, -1, 1], [1, 1, 1, -1], [1, 1, 1, 1], [-1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]> : tensor<8x4xi32>, weight_type = !qonnx.bipolar} : (!dataflow.stream<tensor<1x8x!qonnx.bipolar>, 4>) -> !dataflow.stream<tensor<1x4xsi5>, 2>
      %2 = dataflow.thresholding %1 {node_name = "Thresholding_rtl_0", impl = "rtl", pe = 2 : i64, thresholds = dense<[[-100, 0, 3]]> : tensor<1x3xi64>} : (!dataflow.stream<tensor<1x4xsi5>, 2>) -> !dataflow.stream<tensor<1x4xui2>, 2>
      %3 = dataflow.reshape %2 {node_name = "Reshape_0"} : (!dataflow.stream<tensor<1x4xui2>, 2>) -> !dataflow.stream<tensor<1x1x4xui2>, 2>
      dataflow.yield %3 : !dataflow.stream<tensor<1x1x4xui2>, 2>
    }
    func.return %y : tensor<1x1x4xui2>
  }
}

// CHECK:      dataflow.mvau %0 {plan = {module = "fx_mvu", params = {MW = 8 : i64, MH = 4 : i64, PE = 2 : i64, SIMD = 4 : i64, IN_BITS = 1 : i64, IN_SIGNED = 0 : i64, W_BITS = 1 : i64, W_SIGNED = 0 : i64, XNOR = 1 : i64, ACC_BITS = 5 : i64, USE_THRESHOLDS = 0 : i64, WEIGHT_STREAM = 1 : i64},
// CHECK-SAME:   files = {WEIGHTS_FILE = "MVAU_rtl_0_weights.dat"}, affine_out = [2 : i64, 5 : i64, 8 : i64, 5 : i64],
// CHECK-SAME:   memstream = {depth = 4 : i64, width = 8 : i64, file_param = "WEIGHTS_FILE", ram_style = "auto"},
// CHECK-SAME:   summary = "fx_mvu MW=8 MH=4 PE=2 SIMD=4 xnor, raw +-1 products: popcount p, wrapper 2p-8, weights streamed by fx_memstream"}, node_name = "MVAU_rtl_0"
// CHECK:      dataflow.thresholding %1 {plan = {module = "fx_thresholding", params = {C = 4 : i64, PE = 2 : i64, N = 3 : i64, IN_BITS = 5 : i64, IN_SIGNED = 1 : i64, T_BITS = 6 : i64, OUT_BITS = 2 : i64, BIAS = 0 : i64, OUT_BIPOLAR = 0 : i64, THRESHOLDS_LAYOUT = 1 : i64},
// CHECK-SAME:   files = {THRESHOLDS_FILE = "Thresholding_rtl_0_thresholds.dat"}, summary = "fx_thresholding C=4 PE=2 N=3"}, node_name = "Thresholding_rtl_0"
// CHECK:      dataflow.reshape %2 {plan = {module = "", params = {}, summary = "wire"}, node_name = "Reshape_0"}

// SV:      sv: 3 layer wrappers, 10 library files -> {{.*}}
// SV-NEXT:   MVAU_rtl_0.sv: fx_mvu MW=8 MH=4 PE=2 SIMD=4 xnor, raw +-1 products: popcount p, wrapper 2p-8, weights streamed by fx_memstream, MVAU_rtl_0_weights.dat
// SV-NEXT:   Thresholding_rtl_0.sv: fx_thresholding C=4 PE=2 N=3, Thresholding_rtl_0_thresholds.dat
// SV-NEXT:   Reshape_0.sv: wire

// ERR: error: legalize-layers: dataflow.thresholding 'Thresholding_rtl_0': runtime-writeable thresholds (s_axilite) are not implemented by fx_thresholding
