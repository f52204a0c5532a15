// The dataflow dialect in its custom form: printed back unchanged, and the same after a
// trip through the generic form (FINN_ROUNDTRIP); the generic form itself is checked with
// the CHECK-GENERIC lines (FINN_GENERIC_ROUNDTRIP). Weights of more than 100 values
// print as hex.

// RUN: finn-opt %s --split-input-file | filecheck %s
// RUN: FINN_ROUNDTRIP
// RUN: FINN_GENERIC_ROUNDTRIP

func.func @conv(%x: tensor<1x6x6x2xui2>) -> tensor<1x2x2x4xui2> {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x6x6x2xui2>) -> tensor<1x2x2x4xui2> {
  ^bb0(%in: !dataflow.stream<tensor<1x6x6x2xui2>, 2>):
    %pad = dataflow.fmpadding %in {node_name = "FMPadding_0", padding = array<i64: 1, 1, 1, 1>, simd = 2 : i64} : (!dataflow.stream<tensor<1x6x6x2xui2>, 2>) -> !dataflow.stream<tensor<1x8x8x2xui2>, 2>
    %win = dataflow.swg %pad {node_name = "ConvolutionInputGenerator_0", kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, simd = 2 : i64, impl = "rtl"} : (!dataflow.stream<tensor<1x8x8x2xui2>, 2>) -> !dataflow.stream<tensor<1x3x3x18xui2>, 2>
    %mv = dataflow.mvau %win {node_name = "MVAU_0", weights = dense<1> : tensor<18x4xi32>, weight_type = si2, thresholds = dense<[[-2, 0, 3]]> : tensor<1x3xi64>, pe = 4 : i64, simd = 2 : i64, mem_mode = "internal_embedded"} : (!dataflow.stream<tensor<1x3x3x18xui2>, 2>) -> !dataflow.stream<tensor<1x3x3x4xui2>, 4>
    %pool = dataflow.streaming_maxpool %mv {node_name = "StreamingMaxPool_0", kernel = array<i64: 2, 2>, ceil_mode = true, pe = 4 : i64} : (!dataflow.stream<tensor<1x3x3x4xui2>, 4>) -> !dataflow.stream<tensor<1x2x2x4xui2>, 4>
    dataflow.yield %pool : !dataflow.stream<tensor<1x2x2x4xui2>, 4>
  }
  func.return %y : tensor<1x2x2x4xui2>
}

// CHECK-LABEL: func.func @conv(%x: tensor<1x6x6x2xui2>) -> tensor<1x2x2x4xui2> {
// CHECK-NEXT: %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x6x6x2xui2>) -> tensor<1x2x2x4xui2> {
// CHECK-NEXT: ^bb0(%in: !dataflow.stream<tensor<1x6x6x2xui2>, 2>):
// CHECK-NEXT: %pad = dataflow.fmpadding %in {node_name = "FMPadding_0", padding = array<i64: 1, 1, 1, 1>, simd = 2 : i64} : (!dataflow.stream<tensor<1x6x6x2xui2>, 2>) -> !dataflow.stream<tensor<1x8x8x2xui2>, 2>
// CHECK-NEXT: %win = dataflow.swg %pad {node_name = "ConvolutionInputGenerator_0", kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, simd = 2 : i64, impl = "rtl"} : (!dataflow.stream<tensor<1x8x8x2xui2>, 2>) -> !dataflow.stream<tensor<1x3x3x18xui2>, 2>
// CHECK-NEXT: %mv = dataflow.mvau %win {node_name = "MVAU_0", weights = dense<1> : tensor<18x4xi32>, weight_type = si2, thresholds = dense<{{\[\[}}-2, 0, 3]]> : tensor<1x3xi64>, pe = 4 : i64, simd = 2 : i64, mem_mode = "internal_embedded"} : (!dataflow.stream<tensor<1x3x3x18xui2>, 2>) -> !dataflow.stream<tensor<1x3x3x4xui2>, 4>
// CHECK-NEXT: %pool = dataflow.streaming_maxpool %mv {node_name = "StreamingMaxPool_0", kernel = array<i64: 2, 2>, ceil_mode = true, pe = 4 : i64} : (!dataflow.stream<tensor<1x3x3x4xui2>, 4>) -> !dataflow.stream<tensor<1x2x2x4xui2>, 4>
// CHECK-NEXT: dataflow.yield %pool : !dataflow.stream<tensor<1x2x2x4xui2>, 4>
// CHECK-NEXT: }
// CHECK-NEXT: func.return %y : tensor<1x2x2x4xui2>
// CHECK-NEXT: }

// CHECK-GENERIC: ^bb0(%x: tensor<1x6x6x2xui2>):
// CHECK-GENERIC: %y = "dataflow.partition"(%x) <{node_name = "StreamingDataflowPartition_0"}> ({
// CHECK-GENERIC: ^bb0(%in: !dataflow.stream<tensor<1x6x6x2xui2>, 2>):
// CHECK-GENERIC: %pad = "dataflow.fmpadding"(%in) <{node_name = "FMPadding_0", padding = array<i64: 1, 1, 1, 1>, simd = 2 : i64, pad_value = 0 : i64, impl = ""}> : (!dataflow.stream<tensor<1x6x6x2xui2>, 2>) -> !dataflow.stream<tensor<1x8x8x2xui2>, 2>
// CHECK-GENERIC: %win = "dataflow.swg"(%pad) <{node_name = "ConvolutionInputGenerator_0", kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, simd = 2 : i64, impl = "rtl", dilation = array<i64: 1, 1>, depthwise = false, parallel_window = false, ram_style = "distributed"}> : (!dataflow.stream<tensor<1x8x8x2xui2>, 2>) -> !dataflow.stream<tensor<1x3x3x18xui2>, 2>
// CHECK-GENERIC: %mv = "dataflow.mvau"(%win) <{node_name = "MVAU_0", weights = dense<1> : tensor<18x4xi32>, weight_type = si2, thresholds = dense<{{\[\[}}-2, 0, 3]]> : tensor<1x3xi64>, pe = 4 : i64, simd = 2 : i64, mem_mode = "internal_embedded", act_val = 0 : i64, binary_xnor = false, ram_style = "auto", ram_style_thresholds = "auto", res_type = "auto", runtime_writeable_weights = false, impl = ""}> : (!dataflow.stream<tensor<1x3x3x18xui2>, 2>) -> !dataflow.stream<tensor<1x3x3x4xui2>, 4>
// CHECK-GENERIC: %pool = "dataflow.streaming_maxpool"(%mv) <{node_name = "StreamingMaxPool_0", kernel = array<i64: 2, 2>, ceil_mode = true, pe = 4 : i64, impl = ""}> : (!dataflow.stream<tensor<1x3x3x4xui2>, 4>) -> !dataflow.stream<tensor<1x2x2x4xui2>, 4>
// CHECK-GENERIC: "dataflow.yield"(%pool) : (!dataflow.stream<tensor<1x2x2x4xui2>, 4>) -> ()
// CHECK-GENERIC-NEXT: }) : (tensor<1x6x6x2xui2>) -> tensor<1x2x2x4xui2>

// -----

func.func @fc(%x: tensor<1x16x!qonnx.bipolar>) -> tensor<1x2xui8> {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_1"} : (tensor<1x16x!qonnx.bipolar>) -> tensor<1x2xui8> {
  ^bb0(%in: !dataflow.stream<tensor<1x16x!qonnx.bipolar>, 16>):
    %h = dataflow.mvau %in {node_name = "MVAU_0", weights = dense<"0x01000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF010000000100000001000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF01000000FFFFFFFFFFFFFFFFFFFFFFFF0100000001000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0100000001000000FFFFFFFFFFFFFFFF0100000001000000FFFFFFFF01000000010000000100000001000000FFFFFFFFFFFFFFFF01000000010000000100000001000000FFFFFFFF01000000FFFFFFFFFFFFFFFF0100000001000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF010000000100000001000000FFFFFFFFFFFFFFFFFFFFFFFF01000000FFFFFFFFFFFFFFFFFFFFFFFF0100000001000000FFFFFFFFFFFFFFFFFFFFFFFF0100000001000000010000000100000001000000FFFFFFFF0100000001000000FFFFFFFFFFFFFFFFFFFFFFFF01000000FFFFFFFF0100000001000000FFFFFFFFFFFFFFFF010000000100000001000000FFFFFFFF01000000FFFFFFFF0100000001000000FFFFFFFF0100000001000000FFFFFFFF01000000FFFFFFFFFFFFFFFF010000000100000001000000FFFFFFFF01000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0100000001000000FFFFFFFF0100000001000000FFFFFFFFFFFFFFFF0100000001000000FFFFFFFFFFFFFFFFFFFFFFFF0100000001000000FFFFFFFF01000000FFFFFFFFFFFFFFFF01000000FFFFFFFF01000000FFFFFFFF01000000"> : tensor<16x8xi32>, weight_type = !qonnx.bipolar, thresholds = dense<[[8], [7], [9], [8], [10], [6], [8], [8]]> : tensor<8x1xi64>, binary_xnor = true, pe = 2 : i64, simd = 16 : i64, impl = "hls"} : (!dataflow.stream<tensor<1x16x!qonnx.bipolar>, 16>) -> !dataflow.stream<tensor<1x8x!qonnx.bipolar>, 2>
    %w = dataflow.dwc %h {node_name = "StreamingDataWidthConverter_0"} : (!dataflow.stream<tensor<1x8x!qonnx.bipolar>, 2>) -> !dataflow.stream<tensor<1x8x!qonnx.bipolar>, 4>
    %o = dataflow.mvau %w {node_name = "MVAU_1", weights = dense<[[1, 1, -1, -2], [-1, 1, 0, -2], [1, 1, 1, 0], [1, 0, 0, 1], [0, 1, -1, 1], [1, -2, 0, -1], [-2, -2, -1, -2], [0, -2, 0, 1]]> : tensor<8x4xi32>, weight_type = si2, pe = 4 : i64, simd = 4 : i64, mem_mode = "external", ram_style = "ultra"} : (!dataflow.stream<tensor<1x8x!qonnx.bipolar>, 4>) -> !dataflow.stream<tensor<1x4xsi32>, 4>
    %l = dataflow.label_select %o {node_name = "LabelSelect_0", k = 2 : i64, pe = 4 : i64} : (!dataflow.stream<tensor<1x4xsi32>, 4>) -> !dataflow.stream<tensor<1x2xui8>, 1>
    dataflow.yield %l : !dataflow.stream<tensor<1x2xui8>, 1>
  }
  func.return %y : tensor<1x2xui8>
}

// CHECK-LABEL: func.func @fc(%x: tensor<1x16x!qonnx.bipolar>) -> tensor<1x2xui8> {
// CHECK-NEXT: %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_1"} : (tensor<1x16x!qonnx.bipolar>) -> tensor<1x2xui8> {
// CHECK-NEXT: ^bb0(%in: !dataflow.stream<tensor<1x16x!qonnx.bipolar>, 16>):
// CHECK-NEXT: %h = dataflow.mvau %in {node_name = "MVAU_0", weights = dense<"0x01000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF010000000100000001000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF01000000FFFFFFFFFFFFFFFFFFFFFFFF0100000001000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0100000001000000FFFFFFFFFFFFFFFF0100000001000000FFFFFFFF01000000010000000100000001000000FFFFFFFFFFFFFFFF01000000010000000100000001000000FFFFFFFF01000000FFFFFFFFFFFFFFFF0100000001000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF010000000100000001000000FFFFFFFFFFFFFFFFFFFFFFFF01000000FFFFFFFFFFFFFFFFFFFFFFFF0100000001000000FFFFFFFFFFFFFFFFFFFFFFFF0100000001000000010000000100000001000000FFFFFFFF0100000001000000FFFFFFFFFFFFFFFFFFFFFFFF01000000FFFFFFFF0100000001000000FFFFFFFFFFFFFFFF010000000100000001000000FFFFFFFF01000000FFFFFFFF0100000001000000FFFFFFFF0100000001000000FFFFFFFF01000000FFFFFFFFFFFFFFFF010000000100000001000000FFFFFFFF01000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0100000001000000FFFFFFFF0100000001000000FFFFFFFFFFFFFFFF0100000001000000FFFFFFFFFFFFFFFFFFFFFFFF0100000001000000FFFFFFFF01000000FFFFFFFFFFFFFFFF01000000FFFFFFFF01000000FFFFFFFF01000000"> : tensor<16x8xi32>, weight_type = !qonnx.bipolar, thresholds = dense<{{\[\[}}8], [7], [9], [8], [10], [6], [8], [8]]> : tensor<8x1xi64>, binary_xnor = true, pe = 2 : i64, simd = 16 : i64, impl = "hls"} : (!dataflow.stream<tensor<1x16x!qonnx.bipolar>, 16>) -> !dataflow.stream<tensor<1x8x!qonnx.bipolar>, 2>
// CHECK-NEXT: %w = dataflow.dwc %h {node_name = "StreamingDataWidthConverter_0"} : (!dataflow.stream<tensor<1x8x!qonnx.bipolar>, 2>) -> !dataflow.stream<tensor<1x8x!qonnx.bipolar>, 4>
// CHECK-NEXT: %o = dataflow.mvau %w {node_name = "MVAU_1", weights = dense<{{\[\[}}1, 1, -1, -2], [-1, 1, 0, -2], [1, 1, 1, 0], [1, 0, 0, 1], [0, 1, -1, 1], [1, -2, 0, -1], [-2, -2, -1, -2], [0, -2, 0, 1]]> : tensor<8x4xi32>, weight_type = si2, pe = 4 : i64, simd = 4 : i64, mem_mode = "external", ram_style = "ultra"} : (!dataflow.stream<tensor<1x8x!qonnx.bipolar>, 4>) -> !dataflow.stream<tensor<1x4xsi32>, 4>
// CHECK-NEXT: %l = dataflow.label_select %o {node_name = "LabelSelect_0", k = 2 : i64, pe = 4 : i64} : (!dataflow.stream<tensor<1x4xsi32>, 4>) -> !dataflow.stream<tensor<1x2xui8>, 1>
// CHECK-NEXT: dataflow.yield %l : !dataflow.stream<tensor<1x2xui8>, 1>
// CHECK-NEXT: }
// CHECK-NEXT: func.return %y : tensor<1x2xui8>
// CHECK-NEXT: }

// CHECK-GENERIC: ^bb0(%x: tensor<1x16x!qonnx.bipolar>):
// CHECK-GENERIC: %y = "dataflow.partition"(%x) <{node_name = "StreamingDataflowPartition_1"}> ({
// CHECK-GENERIC: ^bb0(%in: !dataflow.stream<tensor<1x16x!qonnx.bipolar>, 16>):
// CHECK-GENERIC: %h = "dataflow.mvau"(%in) <{node_name = "MVAU_0", weights = dense<"0x01000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF010000000100000001000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF01000000FFFFFFFFFFFFFFFFFFFFFFFF0100000001000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0100000001000000FFFFFFFFFFFFFFFF0100000001000000FFFFFFFF01000000010000000100000001000000FFFFFFFFFFFFFFFF01000000010000000100000001000000FFFFFFFF01000000FFFFFFFFFFFFFFFF0100000001000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF010000000100000001000000FFFFFFFFFFFFFFFFFFFFFFFF01000000FFFFFFFFFFFFFFFFFFFFFFFF0100000001000000FFFFFFFFFFFFFFFFFFFFFFFF0100000001000000010000000100000001000000FFFFFFFF0100000001000000FFFFFFFFFFFFFFFFFFFFFFFF01000000FFFFFFFF0100000001000000FFFFFFFFFFFFFFFF010000000100000001000000FFFFFFFF01000000FFFFFFFF0100000001000000FFFFFFFF0100000001000000FFFFFFFF01000000FFFFFFFFFFFFFFFF010000000100000001000000FFFFFFFF01000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0100000001000000FFFFFFFF0100000001000000FFFFFFFFFFFFFFFF0100000001000000FFFFFFFFFFFFFFFFFFFFFFFF0100000001000000FFFFFFFF01000000FFFFFFFFFFFFFFFF01000000FFFFFFFF01000000FFFFFFFF01000000"> : tensor<16x8xi32>, weight_type = !qonnx.bipolar, thresholds = dense<{{\[\[}}8], [7], [9], [8], [10], [6], [8], [8]]> : tensor<8x1xi64>, binary_xnor = true, pe = 2 : i64, simd = 16 : i64, impl = "hls", act_val = 0 : i64, mem_mode = "internal_decoupled", ram_style = "auto", ram_style_thresholds = "auto", res_type = "auto", runtime_writeable_weights = false}> : (!dataflow.stream<tensor<1x16x!qonnx.bipolar>, 16>) -> !dataflow.stream<tensor<1x8x!qonnx.bipolar>, 2>
// CHECK-GENERIC: %w = "dataflow.dwc"(%h) <{node_name = "StreamingDataWidthConverter_0", impl = ""}> : (!dataflow.stream<tensor<1x8x!qonnx.bipolar>, 2>) -> !dataflow.stream<tensor<1x8x!qonnx.bipolar>, 4>
// CHECK-GENERIC: %o = "dataflow.mvau"(%w) <{node_name = "MVAU_1", weights = dense<{{\[\[}}1, 1, -1, -2], [-1, 1, 0, -2], [1, 1, 1, 0], [1, 0, 0, 1], [0, 1, -1, 1], [1, -2, 0, -1], [-2, -2, -1, -2], [0, -2, 0, 1]]> : tensor<8x4xi32>, weight_type = si2, pe = 4 : i64, simd = 4 : i64, mem_mode = "external", ram_style = "ultra", act_val = 0 : i64, binary_xnor = false, ram_style_thresholds = "auto", res_type = "auto", runtime_writeable_weights = false, impl = ""}> : (!dataflow.stream<tensor<1x8x!qonnx.bipolar>, 4>) -> !dataflow.stream<tensor<1x4xsi32>, 4>
// CHECK-GENERIC: %l = "dataflow.label_select"(%o) <{node_name = "LabelSelect_0", k = 2 : i64, pe = 4 : i64, impl = ""}> : (!dataflow.stream<tensor<1x4xsi32>, 4>) -> !dataflow.stream<tensor<1x2xui8>, 1>
// CHECK-GENERIC: "dataflow.yield"(%l) : (!dataflow.stream<tensor<1x2xui8>, 1>) -> ()
// CHECK-GENERIC-NEXT: }) : (tensor<1x16x!qonnx.bipolar>) -> tensor<1x2xui8>

// -----

func.func @streams(%a: tensor<1x2x2x4xsi8>, %b: tensor<1x2x2x4xsi8>) -> (tensor<1x1x1x4xsi13>, tensor<1x2x2x4xui1>) {
  %g, %c = dataflow.partition %a, %b {node_name = "StreamingDataflowPartition_2"} : (tensor<1x2x2x4xsi8>, tensor<1x2x2x4xsi8>) -> (tensor<1x1x1x4xsi13>, tensor<1x2x2x4xui1>) {
  ^bb0(%x: !dataflow.stream<tensor<1x2x2x4xsi8>, 2>, %y: !dataflow.stream<tensor<1x2x2x4xsi8>, 2>):
    %t = dataflow.thresholding %x {node_name = "Thresholding_0", thresholds = dense<[[-1, 0, 1]]> : tensor<1x3xi64>, act_val = -2 : i64, pe = 2 : i64, mem_mode = "internal_embedded", ram_style = "block"} : (!dataflow.stream<tensor<1x2x2x4xsi8>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi2>, 2>
    %u = dataflow.channelwise %y {node_name = "ChannelwiseOp_0", func = "mul", params = dense<[1, -1, 2, 0]> : tensor<4xi64>, pe = 2 : i64} : (!dataflow.stream<tensor<1x2x2x4xsi8>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi10>, 2>
    %d0, %d1 = dataflow.duplicate_streams %u {node_name = "DuplicateStreams_0", pe = 2 : i64} : (!dataflow.stream<tensor<1x2x2x4xsi10>, 2>) -> (!dataflow.stream<tensor<1x2x2x4xsi10>, 2>, !dataflow.stream<tensor<1x2x2x4xsi10>, 2>)
    %s = dataflow.add_streams %d0, %d1 {node_name = "AddStreams_0", pe = 2 : i64} : (!dataflow.stream<tensor<1x2x2x4xsi10>, 2>, !dataflow.stream<tensor<1x2x2x4xsi10>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi11>, 2>
    %f = dataflow.fifo %s {node_name = "StreamingFIFO_0", depth = 64 : i64, impl_style = "vivado", impl = "rtl"} : (!dataflow.stream<tensor<1x2x2x4xsi11>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi11>, 2>
    %p = dataflow.global_acc_pool %f {node_name = "GlobalAccPool_0", pe = 2 : i64} : (!dataflow.stream<tensor<1x2x2x4xsi11>, 2>) -> !dataflow.stream<tensor<1x1x1x4xsi13>, 2>
    %cmp = dataflow.channelwise %t {node_name = "ChannelwiseOp_1", func = "cmp_ge", params = dense<0> : tensor<1xi64>, pe = 2 : i64} : (!dataflow.stream<tensor<1x2x2x4xsi2>, 2>) -> !dataflow.stream<tensor<1x2x2x4xui1>, 2>
    dataflow.yield %p, %cmp : !dataflow.stream<tensor<1x1x1x4xsi13>, 2>, !dataflow.stream<tensor<1x2x2x4xui1>, 2>
  }
  func.return %g, %c : tensor<1x1x1x4xsi13>, tensor<1x2x2x4xui1>
}

// CHECK-LABEL: func.func @streams(%a: tensor<1x2x2x4xsi8>, %b: tensor<1x2x2x4xsi8>) -> (tensor<1x1x1x4xsi13>, tensor<1x2x2x4xui1>) {
// CHECK-NEXT: %g, %c = dataflow.partition %a, %b {node_name = "StreamingDataflowPartition_2"} : (tensor<1x2x2x4xsi8>, tensor<1x2x2x4xsi8>) -> (tensor<1x1x1x4xsi13>, tensor<1x2x2x4xui1>) {
// CHECK-NEXT: ^bb0(%x: !dataflow.stream<tensor<1x2x2x4xsi8>, 2>, %y: !dataflow.stream<tensor<1x2x2x4xsi8>, 2>):
// CHECK-NEXT: %t = dataflow.thresholding %x {node_name = "Thresholding_0", thresholds = dense<{{\[\[}}-1, 0, 1]]> : tensor<1x3xi64>, act_val = -2 : i64, pe = 2 : i64, mem_mode = "internal_embedded", ram_style = "block"} : (!dataflow.stream<tensor<1x2x2x4xsi8>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi2>, 2>
// CHECK-NEXT: %u = dataflow.channelwise %y {node_name = "ChannelwiseOp_0", func = "mul", params = dense<[1, -1, 2, 0]> : tensor<4xi64>, pe = 2 : i64} : (!dataflow.stream<tensor<1x2x2x4xsi8>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi10>, 2>
// CHECK-NEXT: %d0, %d1 = dataflow.duplicate_streams %u {node_name = "DuplicateStreams_0", pe = 2 : i64} : (!dataflow.stream<tensor<1x2x2x4xsi10>, 2>) -> (!dataflow.stream<tensor<1x2x2x4xsi10>, 2>, !dataflow.stream<tensor<1x2x2x4xsi10>, 2>)
// CHECK-NEXT: %s = dataflow.add_streams %d0, %d1 {node_name = "AddStreams_0", pe = 2 : i64} : (!dataflow.stream<tensor<1x2x2x4xsi10>, 2>, !dataflow.stream<tensor<1x2x2x4xsi10>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi11>, 2>
// CHECK-NEXT: %f = dataflow.fifo %s {node_name = "StreamingFIFO_0", depth = 64 : i64, impl_style = "vivado", impl = "rtl"} : (!dataflow.stream<tensor<1x2x2x4xsi11>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi11>, 2>
// CHECK-NEXT: %p = dataflow.global_acc_pool %f {node_name = "GlobalAccPool_0", pe = 2 : i64} : (!dataflow.stream<tensor<1x2x2x4xsi11>, 2>) -> !dataflow.stream<tensor<1x1x1x4xsi13>, 2>
// CHECK-NEXT: %cmp = dataflow.channelwise %t {node_name = "ChannelwiseOp_1", func = "cmp_ge", params = dense<0> : tensor<1xi64>, pe = 2 : i64} : (!dataflow.stream<tensor<1x2x2x4xsi2>, 2>) -> !dataflow.stream<tensor<1x2x2x4xui1>, 2>
// CHECK-NEXT: dataflow.yield %p, %cmp : !dataflow.stream<tensor<1x1x1x4xsi13>, 2>, !dataflow.stream<tensor<1x2x2x4xui1>, 2>
// CHECK-NEXT: }
// CHECK-NEXT: func.return %g, %c : tensor<1x1x1x4xsi13>, tensor<1x2x2x4xui1>
// CHECK-NEXT: }

// CHECK-GENERIC: %g, %c = "dataflow.partition"(%a, %b) <{node_name = "StreamingDataflowPartition_2"}> ({
// CHECK-GENERIC: ^bb0(%x: !dataflow.stream<tensor<1x2x2x4xsi8>, 2>, %y: !dataflow.stream<tensor<1x2x2x4xsi8>, 2>):
// CHECK-GENERIC: %t = "dataflow.thresholding"(%x) <{node_name = "Thresholding_0", thresholds = dense<{{\[\[}}-1, 0, 1]]> : tensor<1x3xi64>, act_val = -2 : i64, pe = 2 : i64, mem_mode = "internal_embedded", ram_style = "block", runtime_writeable_weights = false, impl = ""}> : (!dataflow.stream<tensor<1x2x2x4xsi8>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi2>, 2>
// CHECK-GENERIC: %u = "dataflow.channelwise"(%y) <{node_name = "ChannelwiseOp_0", func = "mul", params = dense<[1, -1, 2, 0]> : tensor<4xi64>, pe = 2 : i64, ram_style = "distributed", impl = ""}> : (!dataflow.stream<tensor<1x2x2x4xsi8>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi10>, 2>
// CHECK-GENERIC: %d0, %d1 = "dataflow.duplicate_streams"(%u) <{node_name = "DuplicateStreams_0", pe = 2 : i64, impl = ""}> : (!dataflow.stream<tensor<1x2x2x4xsi10>, 2>) -> (!dataflow.stream<tensor<1x2x2x4xsi10>, 2>, !dataflow.stream<tensor<1x2x2x4xsi10>, 2>)
// CHECK-GENERIC: %s = "dataflow.add_streams"(%d0, %d1) <{node_name = "AddStreams_0", pe = 2 : i64, impl = ""}> : (!dataflow.stream<tensor<1x2x2x4xsi10>, 2>, !dataflow.stream<tensor<1x2x2x4xsi10>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi11>, 2>
// CHECK-GENERIC: %f = "dataflow.fifo"(%s) <{node_name = "StreamingFIFO_0", depth = 64 : i64, impl_style = "vivado", impl = "rtl", ram_style = "auto"}> : (!dataflow.stream<tensor<1x2x2x4xsi11>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi11>, 2>
// CHECK-GENERIC: %p = "dataflow.global_acc_pool"(%f) <{node_name = "GlobalAccPool_0", pe = 2 : i64, impl = ""}> : (!dataflow.stream<tensor<1x2x2x4xsi11>, 2>) -> !dataflow.stream<tensor<1x1x1x4xsi13>, 2>
// CHECK-GENERIC: %cmp = "dataflow.channelwise"(%t) <{node_name = "ChannelwiseOp_1", func = "cmp_ge", params = dense<0> : tensor<1xi64>, pe = 2 : i64, ram_style = "distributed", impl = ""}> : (!dataflow.stream<tensor<1x2x2x4xsi2>, 2>) -> !dataflow.stream<tensor<1x2x2x4xui1>, 2>
// CHECK-GENERIC: "dataflow.yield"(%p, %cmp) : (!dataflow.stream<tensor<1x1x1x4xsi13>, 2>, !dataflow.stream<tensor<1x2x2x4xui1>, 2>) -> ()
// CHECK-GENERIC-NEXT: }) : (tensor<1x2x2x4xsi8>, tensor<1x2x2x4xsi8>) -> (tensor<1x1x1x4xsi13>, tensor<1x2x2x4xui1>)
