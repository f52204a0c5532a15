// RUN: finn-opt %s -p lower-to-hw | filecheck %s
// Idempotent: a second run replaces the hw ops instead of adding more.
// RUN: finn-opt %s -p lower-to-hw,lower-to-hw | filecheck %s
// The TREADY back-edges (uses before definitions in the graph region) parse and verify.
// RUN: finn-opt %s -p lower-to-hw | finn-opt | filecheck %s
// RUN: sed -e 's/"Thresholding_rtl_0", impl = "rtl"/"Thresholding_rtl_0", impl = "rtl", runtime_writeable_weights = true/' %s | not finn-opt -p lower-to-hw 2>&1 | filecheck %s --check-prefix=ERR

// thresholding (2 x si5 lanes = 10 bits, padded to 16) -> MVAU (1 x si6 lane, padded to 8):
// one extern per layer with the wrapper's ports, the top with the AXI-Stream ports, the
// instances wired data forward and TREADY backward, the dataflow IR kept.
builtin.module {
  func.func @main(%x: tensor<1x4xsi5>) -> tensor<1x2xsi6> {
    %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x4xsi5>) -> tensor<1x2xsi6> {
    ^bb0(%0: !dataflow.stream<tensor<1x4xsi5>, 2>):
      %1 = dataflow.thresholding %0 {node_name = "Thresholding_rtl_0", impl = "rtl", pe = 2 : i64, thresholds = dense<[[-100, 0, 3]]> : tensor<1x3xi64>} : (!dataflow.stream<tensor<1x4xsi5>, 2>) -> !dataflow.stream<tensor<1x4xui2>, 2>
      %2 = dataflow.mvau %1 {node_name = "MVAU_rtl_0", impl = "rtl", pe = 1 : i64, simd = 2 : i64, weights = dense<[[1, -1], [1, 1], [-2, 1], [1, 0]]> : tensor<4x2xi32>, weight_type = si2} : (!dataflow.stream<tensor<1x4xui2>, 2>) -> !dataflow.stream<tensor<1x2xsi6>, 1>
      dataflow.yield %2 : !dataflow.stream<tensor<1x2xsi6>, 1>
    }
    func.return %y : tensor<1x2xsi6>
  }
}

// CHECK:      dataflow.partition
// CHECK:      dataflow.thresholding
// CHECK:      dataflow.mvau
// CHECK:      hw.module.extern @Thresholding_rtl_0(in %{{\w+}} ap_clk: i1, in %{{\w+}} ap_rst_n: i1, in %{{\w+}} in0_V_TDATA: i16, in %{{\w+}} in0_V_TVALID: i1, out in0_V_TREADY: i1, out out0_V_TDATA: i8, out out0_V_TVALID: i1, in %{{\w+}} out0_V_TREADY: i1)
// CHECK-NEXT: hw.module.extern @MVAU_rtl_0(in %{{\w+}} ap_clk: i1, in %{{\w+}} ap_rst_n: i1, in %{{\w+}} in0_V_TDATA: i8, in %{{\w+}} in0_V_TVALID: i1, out in0_V_TREADY: i1, out out0_V_TDATA: i8, out out0_V_TVALID: i1, in %{{\w+}} out0_V_TREADY: i1)
// CHECK-NEXT: hw.module @finn_design(in %ap_clk: i1, in %ap_rst_n: i1, in %s_axis_0_tdata: i16, in %s_axis_0_tvalid: i1, out s_axis_0_tready: i1, out m_axis_0_tdata: i8, out m_axis_0_tvalid: i1, in %m_axis_0_tready: i1) {
// CHECK-NEXT:   %[[T_RDY:\w+]], %[[T_DATA:\w+]], %[[T_VLD:\w+]] = hw.instance "Thresholding_rtl_0" @Thresholding_rtl_0(ap_clk: %ap_clk: i1, ap_rst_n: %ap_rst_n: i1, in0_V_TDATA: %s_axis_0_tdata: i16, in0_V_TVALID: %s_axis_0_tvalid: i1, out0_V_TREADY: %[[M_RDY:\w+]]: i1) -> (in0_V_TREADY: i1, out0_V_TDATA: i8, out0_V_TVALID: i1)
// CHECK-NEXT:   %[[M_RDY]], %[[M_DATA:\w+]], %[[M_VLD:\w+]] = hw.instance "MVAU_rtl_0" @MVAU_rtl_0(ap_clk: %ap_clk: i1, ap_rst_n: %ap_rst_n: i1, in0_V_TDATA: %[[T_DATA]]: i8, in0_V_TVALID: %[[T_VLD]]: i1, out0_V_TREADY: %m_axis_0_tready: i1) -> (in0_V_TREADY: i1, out0_V_TDATA: i8, out0_V_TVALID: i1)
// CHECK-NEXT:   hw.output %[[T_RDY]], %[[M_DATA]], %[[M_VLD]] : i1, i8, i1
// CHECK-NEXT: }
// CHECK-NOT:  hw.module

// ERR: error: lower-to-hw: dataflow.thresholding 'Thresholding_rtl_0': runtime-writeable thresholds (s_axilite) are not implemented by fx_thresholding
