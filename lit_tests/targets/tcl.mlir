// RUN: finn-opt %s -p lower-to-hw -t 'tcl{dir="%t/vivado" rtl-dir="%t/rtl" fpgapart="xczu3eg-sbva484-1-e" clock-ns=5}' | filecheck %s
// RUN: cat %t/vivado/make_project.tcl | filecheck %s --check-prefix=PROJ
// RUN: cat %t/vivado/synth_ooc.tcl | filecheck %s --check-prefix=OOC
// RUN: cat %t/vivado/finn_design_ooc.xdc | filecheck %s --check-prefix=XDC
// RUN: cat %t/vivado/hdl/Thresholding_rtl_0_bd.v | filecheck %s --check-prefix=SHELL
// RUN: not finn-opt %s -t 'tcl{dir="%t/nohw"}' 2>&1 | filecheck %s --check-prefix=NOHW

// Two layers joined by one stream: the block design has two module-reference cells (each
// through its Verilog shell), three AXI-Stream nets in producer -> consumer order, the
// 5 ns clock (200 MHz) and the active-low reset to both cells, and the stitched design
// packaged as FINN's xilinx_finn:finn:finn_design:1.0.
builtin.module {
  func.func @main(%x: tensor<1x8xsi4>) -> tensor<1x4xui2> {
    %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x8xsi4>) -> tensor<1x4xui2> {
    ^bb0(%0: !dataflow.stream<tensor<1x8xsi4>, 4>):
      %1 = dataflow.mvau %0 {node_name = "MVAU_rtl_0", impl = "rtl", pe = 2 : i64, simd = 4 : i64, weights = dense<1> : tensor<8x4xi32>, weight_type = si2} : (!dataflow.stream<tensor<1x8xsi4>, 4>) -> !dataflow.stream<tensor<1x4xsi8>, 2>
      %2 = dataflow.thresholding %1 {node_name = "Thresholding_rtl_0", impl = "rtl", pe = 2 : i64, thresholds = dense<[[0, 4, 8]]> : tensor<1x3xi64>} : (!dataflow.stream<tensor<1x4xsi8>, 2>) -> !dataflow.stream<tensor<1x4xui2>, 2>
      dataflow.yield %2 : !dataflow.stream<tensor<1x4xui2>, 2>
    }
    func.return %y : tensor<1x4xui2>
  }
}

// NOHW: error: -t tcl: no hw.module in the input: run lower-to-hw first

// CHECK:      tcl: 2 cells, 3 streams, part xczu3eg-sbva484-1-e, clock 5 ns -> {{.*}}vivado
// CHECK-NEXT:   make_project.tcl: block design finn_design, IP xilinx_finn:finn:finn_design:1.0
// CHECK-NEXT:   synth_ooc.tcl: top finn_design, {{[0-9]+}} sources, 2 memory files
// CHECK-NEXT:   sources from ../rtl

// PROJ:      set script_dir [file normalize [file dirname [info script]]]
// PROJ-NEXT: set rtl_dir [file normalize [file join $script_dir ../rtl]]
// PROJ-NEXT: set part xczu3eg-sbva484-1-e
// PROJ:      create_project $proj_name $proj_dir -part $part -force
// PROJ:      set sources [list \
// PROJ:          [file join $rtl_dir fx_mvu.sv] \
// PROJ-NEXT:     [file join $rtl_dir fx_mvu_act.sv] \
// PROJ-NEXT:     [file join $rtl_dir fx_mvu_addtree.sv] \
// PROJ-NEXT:     [file join $rtl_dir fx_mvu_delay.sv] \
// PROJ-NEXT:     [file join $rtl_dir fx_mvu_dsp.sv] \
// PROJ-NEXT:     [file join $rtl_dir fx_mvu_lut.sv] \
// PROJ-NEXT:     [file join $rtl_dir fx_threshold_search.sv] \
// PROJ-NEXT:     [file join $rtl_dir fx_thresholding.sv] \
// PROJ-NEXT:     [file join $rtl_dir MVAU_rtl_0.sv] \
// PROJ-NEXT:     [file join $rtl_dir Thresholding_rtl_0.sv] \
// PROJ-NEXT:     [file join $script_dir hdl MVAU_rtl_0_bd.v] \
// PROJ-NEXT:     [file join $script_dir hdl Thresholding_rtl_0_bd.v] \
// PROJ-NEXT: ]
// PROJ-NEXT: add_files -norecurse $sources
// PROJ-NEXT: # memory-init files read by $readmemh
// PROJ-NEXT: set mem_files [list \
// PROJ-NEXT:     [file join $rtl_dir MVAU_rtl_0_weights.dat] \
// PROJ-NEXT:     [file join $rtl_dir Thresholding_rtl_0_thresholds.dat] \
// PROJ-NEXT: ]
// PROJ-NEXT: add_files -norecurse $mem_files
// PROJ-NEXT: set_property file_type {Memory Initialization Files} [get_files $mem_files]
// PROJ:      create_bd_design finn_design
// PROJ-NEXT: # one module-reference cell per layer
// PROJ-NEXT: create_bd_cell -type module -reference MVAU_rtl_0_bd MVAU_rtl_0
// PROJ-NEXT: create_bd_cell -type module -reference Thresholding_rtl_0_bd Thresholding_rtl_0
// PROJ:      create_bd_port -dir I -type clk -freq_hz 200000000 ap_clk
// PROJ-NEXT: create_bd_port -dir I -type rst ap_rst_n
// PROJ-NEXT: set_property CONFIG.POLARITY ACTIVE_LOW [get_bd_ports ap_rst_n]
// PROJ-NEXT: set_property -dict [list CONFIG.ASSOCIATED_BUSIF {s_axis_0:m_axis_0} CONFIG.ASSOCIATED_RESET {ap_rst_n}] [get_bd_ports ap_clk]
// PROJ-NEXT: connect_bd_net [get_bd_ports ap_clk] [get_bd_pins {MVAU_rtl_0/ap_clk Thresholding_rtl_0/ap_clk}]
// PROJ-NEXT: connect_bd_net [get_bd_ports ap_rst_n] [get_bd_pins {MVAU_rtl_0/ap_rst_n Thresholding_rtl_0/ap_rst_n}]
// PROJ:      create_bd_intf_port -mode Slave -vlnv xilinx.com:interface:axis_rtl:1.0 s_axis_0
// PROJ-NEXT: set_property -dict [list CONFIG.TDATA_NUM_BYTES {2} CONFIG.HAS_TREADY {1} CONFIG.FREQ_HZ {200000000}] [get_bd_intf_ports s_axis_0]
// PROJ-NEXT: create_bd_intf_port -mode Master -vlnv xilinx.com:interface:axis_rtl:1.0 m_axis_0
// PROJ-NEXT: set_property -dict [list CONFIG.TDATA_NUM_BYTES {1} CONFIG.HAS_TREADY {1} CONFIG.FREQ_HZ {200000000}] [get_bd_intf_ports m_axis_0]
// PROJ:      connect_bd_intf_net [get_bd_intf_ports s_axis_0] [get_bd_intf_pins MVAU_rtl_0/in0_V]
// PROJ-NEXT: connect_bd_intf_net [get_bd_intf_pins MVAU_rtl_0/out0_V] [get_bd_intf_pins Thresholding_rtl_0/in0_V]
// PROJ-NEXT: connect_bd_intf_net [get_bd_intf_pins Thresholding_rtl_0/out0_V] [get_bd_intf_ports m_axis_0]
// PROJ:      validate_bd_design
// PROJ-NEXT: save_bd_design
// PROJ:      make_wrapper -files [get_files [list $bd_file]] -top
// PROJ-NEXT: add_files -norecurse [list [file join $proj_dir $proj_name.gen sources_1 bd finn_design hdl finn_design_wrapper.v]]
// PROJ-NEXT: set_property top finn_design_wrapper [current_fileset]
// PROJ:      ipx::package_project -root_dir [file join $script_dir ip] -vendor xilinx_finn -library finn -taxonomy /UserIP -module finn_design -import_files
// PROJ:      set_property version 1.0 $core
// PROJ:      ipx::save_core $core

// OOC:          [file join $rtl_dir Thresholding_rtl_0.sv] \
// OOC-NEXT:     [file join $rtl_dir finn_design.sv] \
// OOC-NEXT: ]
// OOC-NEXT: read_verilog -sv $sources
// OOC-NEXT: read_xdc -mode out_of_context [list [file join $script_dir finn_design_ooc.xdc]]
// OOC:      synth_design -mode out_of_context -part $part -top finn_design
// OOC-NEXT: report_utilization -file [file join $script_dir finn_design_ooc_utilization.rpt]
// OOC-NEXT: report_timing_summary -file [file join $script_dir finn_design_ooc_timing.rpt]

// XDC: create_clock -name ap_clk -period 5.000 [get_ports ap_clk]

// SHELL:      module Thresholding_rtl_0_bd (
// SHELL-NEXT:     (* X_INTERFACE_INFO = "xilinx.com:signal:clock:1.0 ap_clk CLK", X_INTERFACE_PARAMETER = "ASSOCIATED_BUSIF in0_V:out0_V, ASSOCIATED_RESET ap_rst_n, FREQ_HZ 200000000" *) input  wire ap_clk,
// SHELL-NEXT:     (* X_INTERFACE_INFO = "xilinx.com:signal:reset:1.0 ap_rst_n RST", X_INTERFACE_PARAMETER = "POLARITY ACTIVE_LOW" *) input  wire ap_rst_n,
// SHELL-NEXT:     (* X_INTERFACE_INFO = "xilinx.com:interface:axis:1.0 in0_V TDATA" *) input  wire [15:0] in0_V_TDATA,
// SHELL:          Thresholding_rtl_0 inner (
// SHELL-NEXT:         .ap_clk(ap_clk),
