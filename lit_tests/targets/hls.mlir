// RUN: rm -rf %t && finn-opt %s -t 'hls{dir="%t" clock-ns=5 fpgapart="xczu3eg-sbva484-1-e"}' | filecheck %s
// RUN: cat %t/MVAU_hls_0/MVAU_hls_0.cpp | filecheck %s --check-prefix=TOP
// RUN: cat %t/MVAU_hls_0/MVAU_hls_0_params.hpp | filecheck %s --check-prefix=ROM
// RUN: cat %t/Thresholding_hls_0/hls_syn_Thresholding_hls_0.tcl | filecheck %s --check-prefix=TCL
// RUN: sed -e 's/impl = "hls"/impl = "rtl"/' %s | finn-opt -t 'hls{dir="%t.rtl"}' | filecheck %s --check-prefix=NONE
// RUN: sed -e 's/mem_mode = "internal_decoupled"/mem_mode = "external"/' %s | not finn-opt -t 'hls{dir="%t.bad"}' 2>&1 | filecheck %s --check-prefix=ERR
// RUN: test ! -e %t.bad

// The two layers of sv.mlir as HLS: a raw bipolar x bipolar MVAU with decoupled weights
// (a ROM reader process streams them) and a thresholding layer; one top function each with
// padded AXI-Stream ports, constants in a params header, a vitis_hls script per layer.
builtin.module {
  func.func @main(%x: tensor<1x8x!qonnx.bipolar>) -> tensor<1x1x4xui2> {
    %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x8x!qonnx.bipolar>) -> tensor<1x1x4xui2> {
    ^bb0(%0: !dataflow.stream<tensor<1x8x!qonnx.bipolar>, 4>):
      %1 = dataflow.mvau %0 {node_name = "MVAU_hls_0", impl = "hls", mem_mode = "internal_decoupled", pe = 2 : i64, simd = 4 : i64, weights = dense<[[1, -1, 1, 1], [1, 1, -1, 1], [1, 1, 1, -1], [1, 1, 1, 1], [-1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]> : tensor<8x4xi32>, weight_type = !qonnx.bipolar} : (!dataflow.stream<tensor<1x8x!qonnx.bipolar>, 4>) -> !dataflow.stream<tensor<1x4xsi5>, 2>
      %2 = dataflow.thresholding %1 {node_name = "Thresholding_hls_0", impl = "hls", pe = 2 : i64, thresholds = dense<[[-100, 0, 3]]> : tensor<1x3xi64>} : (!dataflow.stream<tensor<1x4xsi5>, 2>) -> !dataflow.stream<tensor<1x4xui2>, 2>
      %3 = dataflow.reshape %2 {node_name = "Reshape_0"} : (!dataflow.stream<tensor<1x4xui2>, 2>) -> !dataflow.stream<tensor<1x1x4xui2>, 2>
      dataflow.yield %3 : !dataflow.stream<tensor<1x1x4xui2>, 2>
    }
    func.return %y : tensor<1x1x4xui2>
  }
}

// CHECK:      hls: 2 layer top functions, 2 library headers -> {{.*}}
// CHECK-NEXT:   MVAU_hls_0/: fx_mvau_core MW=8 MH=4 PE=2 SIMD=4 xnor, raw +-1 products: popcount p, wrapper 2p-8, weights streamed by a ROM reader process; in0_V[8], out0_V[16]; IP xilinx_finn:hls:MVAU_hls_0:1.0
// CHECK-NEXT:   Thresholding_hls_0/: fx_thresholding C=4 PE=2 N=3, thresholds in a ROM; in0_V[16], out0_V[8]; IP xilinx_finn:hls:Thresholding_hls_0:1.0
// CHECK-NEXT: include: fx_mvau.hpp, fx_thresholding.hpp

// TOP:      namespace MVAU_hls_0_impl {
// TOP:      void weight_streamer(hls::stream<ap_uint<8>>& w) {
// TOP:      fx_mvau_core<8, 4, 2, 4, 1, false, 1, false, true, 5>(in0, out0, FxMvauWeightStream<8>{w}, FxMvauRaw<5>{}, COUNT);
// TOP:      }  // namespace MVAU_hls_0_impl
// TOP:      void MVAU_hls_0(hls::stream<ap_uint<8>>& in0_V, hls::stream<ap_uint<16>>& out0_V) {
// TOP-NEXT: #pragma HLS INTERFACE axis port = in0_V
// TOP-NEXT: #pragma HLS INTERFACE axis port = out0_V
// TOP-NEXT: #pragma HLS INTERFACE ap_ctrl_none port = return
// TOP-NEXT: #pragma HLS DATAFLOW

// bipolar weights as XNOR bits (1 = +1), PE 0 in the low SIMD bits of each word
// ROM:      const weights_limb_t weights[4] = {
// ROM-NEXT:     0xef, 0xfe, 0xbd, 0xff};

// TCL:      open_project -reset project_Thresholding_hls_0
// TCL-NEXT: set_top Thresholding_hls_0
// TCL-NEXT: add_files Thresholding_hls_0.cpp -cflags "-std=c++14 -I../include"
// TCL-NEXT: open_solution -reset sol1
// TCL-NEXT: set_part xczu3eg-sbva484-1-e
// TCL-NEXT: create_clock -period 5 -name default
// TCL-NEXT: csynth_design
// TCL-NEXT: export_design -format ip_catalog -vendor xilinx_finn -library hls -version 1.0 -ipname Thresholding_hls_0 -display_name Thresholding_hls_0
// TCL-NEXT: exit

// RTL layers are -t sv's: nothing to write
// NONE: hls: 0 layer top functions, 0 library headers -> {{.*}}

// ERR: error: -t hls: dataflow.mvau 'MVAU_hls_0': mem_mode "external" (weights streamed in from outside the layer) has no HLS top yet
