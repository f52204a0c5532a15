// RUN: finn-opt %s -t 'sv{dir="%t"}' | filecheck %s
// RUN: cat %t/MVAU_rtl_0.sv | filecheck %s --check-prefix=MVAU
// RUN: cat %t/Thresholding_rtl_0.sv | filecheck %s --check-prefix=THR
// RUN: cat %t/Thresholding_rtl_0_thresholds.dat | filecheck %s --check-prefix=TDAT
// RUN: cat %t/MVAU_rtl_0_weights.dat | filecheck %s --check-prefix=WDAT
// RUN: cat %t/Reshape_0.sv | filecheck %s --check-prefix=WIRE

// A raw bipolar x bipolar MVAU without binary_xnor (fx_mvu has no +-1 product path: XNOR
// popcount p and the wrapper's 2p - MW), a thresholding layer with broadcast thresholds
// (clipped to the si5 input range [-16, 15] -> [-16, 16], 6-bit two's complement) and a wire.
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

// CHECK:      sv: 3 layer wrappers, 10 library files -> {{.*}}
// CHECK-NEXT:   MVAU_rtl_0.sv: fx_mvu MW=8 MH=4 PE=2 SIMD=4 xnor, raw +-1 products: popcount p, wrapper 2p-8, weights streamed by fx_memstream, MVAU_rtl_0_weights.dat
// CHECK-NEXT:   Thresholding_rtl_0.sv: fx_thresholding C=4 PE=2 N=3, Thresholding_rtl_0_thresholds.dat
// CHECK-NEXT:   Reshape_0.sv: wire
// CHECK-NEXT: library: fx_fifo.sv, fx_memstream.sv, fx_mvu.sv, fx_mvu_act.sv, fx_mvu_addtree.sv, fx_mvu_delay.sv, fx_mvu_dsp.sv, fx_mvu_lut.sv, fx_threshold_search.sv, fx_thresholding.sv

// MVAU:      module MVAU_rtl_0 #(
// MVAU-NEXT:     parameter WEIGHTS_FILE = "MVAU_rtl_0_weights.dat"
// MVAU-NEXT: ) (
// MVAU-NEXT:     input  logic        ap_clk,
// MVAU-NEXT:     input  logic        ap_rst_n,
// MVAU-NEXT:     input  logic [7:0]  in0_V_TDATA,
// MVAU-NEXT:     input  logic        in0_V_TVALID,
// MVAU-NEXT:     output logic        in0_V_TREADY,
// MVAU-NEXT:     output logic [15:0] out0_V_TDATA,
// MVAU-NEXT:     output logic        out0_V_TVALID,
// MVAU-NEXT:     input  logic        out0_V_TREADY
// MVAU-NEXT: );
// MVAU:          logic [15:0] popcount;
// MVAU:          for (int i = 0; i < 2; i++)
// MVAU-NEXT:         out0_V_TDATA[i*5 +: 5] = 5'(2 * int'(popcount[i*5 +: 5]) - 8);
// mem_mode internal_decoupled (the default): the weight file feeds an fx_memstream whose
// stream is fx_mvu's in1_V; the file parameter goes to the memstream only
// MVAU:          logic [7:0] wstream_TDATA;
// MVAU:          fx_memstream #(.DEPTH(4), .WIDTH(8), .INIT_FILE(WEIGHTS_FILE), .RAM_STYLE("auto")) wstream (
// MVAU-NEXT:         .ap_clk(ap_clk), .ap_rst_n(ap_rst_n), .out0_V_TDATA(wstream_TDATA),
// MVAU-NEXT:         .out0_V_TVALID(wstream_TVALID), .out0_V_TREADY(wstream_TREADY)
// MVAU:          fx_mvu #(
// MVAU-NEXT:         .MW(8),
// MVAU-NEXT:         .MH(4),
// MVAU-NEXT:         .PE(2),
// MVAU-NEXT:         .SIMD(4),
// MVAU-NEXT:         .IN_BITS(1),
// MVAU-NEXT:         .IN_SIGNED(0),
// MVAU-NEXT:         .W_BITS(1),
// MVAU-NEXT:         .W_SIGNED(0),
// MVAU-NEXT:         .XNOR(1),
// MVAU-NEXT:         .ACC_BITS(5),
// MVAU-NEXT:         .USE_THRESHOLDS(0),
// MVAU-NEXT:         .WEIGHT_STREAM(1)
// MVAU-NEXT:     ) impl (
// MVAU:              .out0_V_TDATA(popcount),
// MVAU:              .in1_V_TDATA(wstream_TDATA),
// MVAU-NEXT:         .in1_V_TVALID(wstream_TVALID),
// MVAU-NEXT:         .in1_V_TREADY(wstream_TREADY)
// MVAU:      endmodule

// THR:      module Thresholding_rtl_0 #(
// THR-NEXT:     parameter THRESHOLDS_FILE = "Thresholding_rtl_0_thresholds.dat"
// THR:          fx_thresholding #(
// THR-NEXT:         .C(4),
// THR-NEXT:         .PE(2),
// THR-NEXT:         .N(3),
// THR-NEXT:         .IN_BITS(5),
// THR-NEXT:         .IN_SIGNED(1),
// THR-NEXT:         .T_BITS(6),
// THR-NEXT:         .OUT_BITS(2),
// THR-NEXT:         .BIAS(0),
// THR-NEXT:         .OUT_BIPOLAR(0),
// THR-NEXT:         .THRESHOLDS_LAYOUT(1),
// THR-NEXT:         .THRESHOLDS_FILE(THRESHOLDS_FILE)
// THR-NEXT:     ) impl (
// THR-NEXT:         .ap_clk(ap_clk),

// 4 channels x [-16, 0, 3] (broadcast, -100 clipped to the input minimum), in the search
// layout: per lane and fold the tree in heap order [unused, T[1], T[0], T[2]]
// TDAT:      00
// TDAT-NEXT: 00
// TDAT-NEXT: 30
// TDAT-NEXT: 03
// TDAT-NEXT: 00
// TDAT-NEXT: 00
// TDAT-NEXT: 30
// TDAT-NEXT: 03

// word nf*SF+sf: PE 2 x SIMD 4 lanes of 1-bit codes, lane (pe, s) = W[s][nf*2+pe]
// WDAT:      {{^}}ef{{$}}
// WDAT-NEXT: {{^}}fe{{$}}
// WDAT-NEXT: {{^}}bd{{$}}
// WDAT-NEXT: {{^}}ff{{$}}

// WIRE:      assign out0_V_TDATA = in0_V_TDATA;
// WIRE-NEXT: assign out0_V_TVALID = in0_V_TVALID;
// WIRE-NEXT: assign in0_V_TREADY = out0_V_TREADY;
