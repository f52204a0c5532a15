// RUN: finn-opt %s -p lower-to-hw -t 'sv{dir="%t"}' | filecheck %s
// RUN: cat %t/StreamingDataflowPartition_0.sv | filecheck %s --check-prefix=TOP0
// RUN: cat %t/StreamingDataflowPartition_1.sv | filecheck %s --check-prefix=TOP1
// Without lower-to-hw there is no hw.module, and -t sv writes the wrappers only.
// RUN: finn-opt %s -t 'sv{dir="%t/nohw"}' | filecheck %s --check-prefix=NOHW

// Two partitions: each top is named after its partition (finn_design is for a single one).
// Partition 1 forks its input with DuplicateStreams and joins it with AddStreams, so the
// top has instances with two inputs and two outputs, connected by port name.
builtin.module {
  func.func @main(%x: tensor<1x4xsi5>) -> tensor<1x4xui3> {
    %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x4xsi5>) -> tensor<1x4xui2> {
    ^bb0(%0: !dataflow.stream<tensor<1x4xsi5>, 2>):
      %1 = dataflow.thresholding %0 {node_name = "Thresholding_rtl_0", impl = "rtl", pe = 2 : i64, thresholds = dense<[[-100, 0, 3]]> : tensor<1x3xi64>} : (!dataflow.stream<tensor<1x4xsi5>, 2>) -> !dataflow.stream<tensor<1x4xui2>, 2>
      dataflow.yield %1 : !dataflow.stream<tensor<1x4xui2>, 2>
    }
    %z = dataflow.partition %y {node_name = "StreamingDataflowPartition_1"} : (tensor<1x4xui2>) -> tensor<1x4xui3> {
    ^bb0(%0: !dataflow.stream<tensor<1x4xui2>, 2>):
      %1, %2 = dataflow.duplicate_streams %0 {node_name = "DuplicateStreams_rtl_0", impl = "rtl", pe = 2 : i64} : (!dataflow.stream<tensor<1x4xui2>, 2>) -> (!dataflow.stream<tensor<1x4xui2>, 2>, !dataflow.stream<tensor<1x4xui2>, 2>)
      %3 = dataflow.add_streams %1, %2 {node_name = "AddStreams_rtl_0", impl = "rtl", pe = 2 : i64} : (!dataflow.stream<tensor<1x4xui2>, 2>, !dataflow.stream<tensor<1x4xui2>, 2>) -> !dataflow.stream<tensor<1x4xui3>, 2>
      dataflow.yield %3 : !dataflow.stream<tensor<1x4xui3>, 2>
    }
    func.return %z : tensor<1x4xui3>
  }
}

// CHECK:      sv: 3 layer wrappers
// CHECK:      top: StreamingDataflowPartition_0.sv
// CHECK-NEXT: top: StreamingDataflowPartition_1.sv

// NOHW:       sv: 3 layer wrappers
// NOHW-NOT:   top:

// TOP0:      module StreamingDataflowPartition_0 (
// TOP0-NEXT:     input  logic        ap_clk,
// TOP0-NEXT:     input  logic        ap_rst_n,
// TOP0-NEXT:     input  logic [15:0] s_axis_0_tdata,
// TOP0-NEXT:     input  logic        s_axis_0_tvalid,
// TOP0-NEXT:     output logic        s_axis_0_tready,
// TOP0-NEXT:     output logic [7:0]  m_axis_0_tdata,
// TOP0-NEXT:     output logic        m_axis_0_tvalid,
// TOP0-NEXT:     input  logic        m_axis_0_tready
// TOP0-NEXT: );
// TOP0-NEXT:     logic       Thresholding_rtl_0_in0_V_TREADY;
// TOP0-NEXT:     logic [7:0] Thresholding_rtl_0_out0_V_TDATA;
// TOP0-NEXT:     logic       Thresholding_rtl_0_out0_V_TVALID;
// TOP0-NEXT:     Thresholding_rtl_0 Thresholding_rtl_0 (
// TOP0-NEXT:         .ap_clk        (ap_clk),
// TOP0-NEXT:         .ap_rst_n      (ap_rst_n),
// TOP0-NEXT:         .in0_V_TDATA   (s_axis_0_tdata),
// TOP0-NEXT:         .in0_V_TVALID  (s_axis_0_tvalid),
// TOP0-NEXT:         .in0_V_TREADY  (Thresholding_rtl_0_in0_V_TREADY),
// TOP0-NEXT:         .out0_V_TDATA  (Thresholding_rtl_0_out0_V_TDATA),
// TOP0-NEXT:         .out0_V_TVALID (Thresholding_rtl_0_out0_V_TVALID),
// TOP0-NEXT:         .out0_V_TREADY (m_axis_0_tready)
// TOP0-NEXT:     );
// TOP0-NEXT:     assign s_axis_0_tready = Thresholding_rtl_0_in0_V_TREADY;
// TOP0-NEXT:     assign m_axis_0_tdata = Thresholding_rtl_0_out0_V_TDATA;
// TOP0-NEXT:     assign m_axis_0_tvalid = Thresholding_rtl_0_out0_V_TVALID;
// TOP0-NEXT: endmodule

// TOP1:      module StreamingDataflowPartition_1 (
// TOP1:          DuplicateStreams_rtl_0 DuplicateStreams_rtl_0 (
// TOP1:              .out0_V_TREADY (AddStreams_rtl_0_in0_V_TREADY),
// TOP1-NEXT:         .out1_V_TDATA  (DuplicateStreams_rtl_0_out1_V_TDATA),
// TOP1-NEXT:         .out1_V_TVALID (DuplicateStreams_rtl_0_out1_V_TVALID),
// TOP1-NEXT:         .out1_V_TREADY (AddStreams_rtl_0_in1_V_TREADY)
// TOP1:          AddStreams_rtl_0 AddStreams_rtl_0 (
// TOP1:              .in0_V_TDATA   (DuplicateStreams_rtl_0_out0_V_TDATA),
// TOP1:              .in1_V_TDATA   (DuplicateStreams_rtl_0_out1_V_TDATA),
// TOP1:              .out0_V_TREADY (m_axis_0_tready)
// TOP1:          assign m_axis_0_tdata = AddStreams_rtl_0_out0_V_TDATA;
