// Verifier messages of the dataflow dialect, one case per split: FINN's folding
// constraints in FINN's words, type and shape agreement, and the partition's structure.
// Each case names the op that xDSL underlines and the message it prints.

// RUN: finn-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @mvau_pe(%x: tensor<1x16xsi4>) {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x16xsi4>) -> tensor<1x8xsi32> {
  ^bb0(%in: !dataflow.stream<tensor<1x16xsi4>, 1>):
    %r = dataflow.mvau %in {node_name = "MVAU_0", weights = dense<1> : tensor<16x8xi32>, weight_type = si2, pe = 5 : i64} : (!dataflow.stream<tensor<1x16xsi4>, 1>) -> !dataflow.stream<tensor<1x8xsi32>, 1>
    dataflow.yield %r : !dataflow.stream<tensor<1x8xsi32>, 1>
  }
  func.return
}

// CHECK: %r = "dataflow.mvau"(%in) <{node_name = "MVAU_0"
// CHECK: Operation does not verify: MH % PE == 0 violated: MH=8, PE=5

// -----

func.func @mvau_simd(%x: tensor<1x16xsi4>) {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x16xsi4>) -> tensor<1x8xsi32> {
  ^bb0(%in: !dataflow.stream<tensor<1x16xsi4>, 1>):
    %r = dataflow.mvau %in {node_name = "MVAU_0", weights = dense<1> : tensor<16x8xi32>, weight_type = si2, simd = 3 : i64} : (!dataflow.stream<tensor<1x16xsi4>, 1>) -> !dataflow.stream<tensor<1x8xsi32>, 1>
    dataflow.yield %r : !dataflow.stream<tensor<1x8xsi32>, 1>
  }
  func.return
}

// CHECK: %r = "dataflow.mvau"(%in)
// CHECK: Operation does not verify: MW % SIMD == 0 violated: MW=16, SIMD=3

// -----

func.func @mvau_simd_lanes(%x: tensor<1x16xsi4>) {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x16xsi4>) -> tensor<1x8xsi32> {
  ^bb0(%in: !dataflow.stream<tensor<1x16xsi4>, 4>):
    %r = dataflow.mvau %in {node_name = "MVAU_0", weights = dense<1> : tensor<16x8xi32>, weight_type = si2, simd = 8 : i64} : (!dataflow.stream<tensor<1x16xsi4>, 4>) -> !dataflow.stream<tensor<1x8xsi32>, 1>
    dataflow.yield %r : !dataflow.stream<tensor<1x8xsi32>, 1>
  }
  func.return
}

// CHECK: %r = "dataflow.mvau"(%in)
// CHECK: Operation does not verify: input lanes must equal SIMD: lanes=4, SIMD=8

// -----

func.func @mvau_weights(%x: tensor<1x4xsi4>) {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x4xsi4>) -> tensor<1x2xsi32> {
  ^bb0(%in: !dataflow.stream<tensor<1x4xsi4>, 1>):
    %r = dataflow.mvau %in {node_name = "MVAU_0", weights = dense<[[1, 2], [0, -1], [1, 1], [-2, 0]]> : tensor<4x2xi32>, weight_type = si2} : (!dataflow.stream<tensor<1x4xsi4>, 1>) -> !dataflow.stream<tensor<1x2xsi32>, 1>
    dataflow.yield %r : !dataflow.stream<tensor<1x2xsi32>, 1>
  }
  func.return
}

// CHECK: %r = "dataflow.mvau"(%in)
// CHECK: Operation does not verify: weights are out of range of INT2

// -----

func.func @mvau_xnor(%x: tensor<1x4xsi4>) {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x4xsi4>) -> tensor<1x2xui3> {
  ^bb0(%in: !dataflow.stream<tensor<1x4xsi4>, 1>):
    %r = dataflow.mvau %in {node_name = "MVAU_0", weights = dense<1> : tensor<4x2xi32>, weight_type = !qonnx.bipolar, binary_xnor = true} : (!dataflow.stream<tensor<1x4xsi4>, 1>) -> !dataflow.stream<tensor<1x2xui3>, 1>
    dataflow.yield %r : !dataflow.stream<tensor<1x2xui3>, 1>
  }
  func.return
}

// CHECK: %r = "dataflow.mvau"(%in)
// CHECK: Operation does not verify: binary_xnor needs a bipolar input and bipolar weights

// -----

func.func @mvau_unsorted(%x: tensor<1x4xsi4>) {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x4xsi4>) -> tensor<1x2xui2> {
  ^bb0(%in: !dataflow.stream<tensor<1x4xsi4>, 1>):
    %r = dataflow.mvau %in {node_name = "MVAU_0", weights = dense<1> : tensor<4x2xi32>, weight_type = si2, thresholds = dense<[[0, 1, 2], [3, 1, 4]]> : tensor<2x3xi64>} : (!dataflow.stream<tensor<1x4xsi4>, 1>) -> !dataflow.stream<tensor<1x2xui2>, 1>
    dataflow.yield %r : !dataflow.stream<tensor<1x2xui2>, 1>
  }
  func.return
}

// CHECK: %r = "dataflow.mvau"(%in)
// CHECK: Operation does not verify: thresholds must be sorted ascending in every row (row 1 is not)

// -----

func.func @mvau_acc(%x: tensor<1x4xsi4>) {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x4xsi4>) -> tensor<1x2xsi4> {
  ^bb0(%in: !dataflow.stream<tensor<1x4xsi4>, 1>):
    %r = dataflow.mvau %in {node_name = "MVAU_0", weights = dense<1> : tensor<4x2xi32>, weight_type = si2} : (!dataflow.stream<tensor<1x4xsi4>, 1>) -> !dataflow.stream<tensor<1x2xsi4>, 1>
    dataflow.yield %r : !dataflow.stream<tensor<1x2xsi4>, 1>
  }
  func.return
}

// CHECK: %r = "dataflow.mvau"(%in)
// CHECK: Operation does not verify: accumulator range [-32, 28] does not fit the output type si4

// -----

func.func @thresholding_pe(%x: tensor<1x6xsi4>) {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x6xsi4>) -> tensor<1x6xui2> {
  ^bb0(%in: !dataflow.stream<tensor<1x6xsi4>, 1>):
    %r = dataflow.thresholding %in {node_name = "Thresholding_0", thresholds = dense<[[-1, 0, 1]]> : tensor<1x3xi64>, pe = 4 : i64} : (!dataflow.stream<tensor<1x6xsi4>, 1>) -> !dataflow.stream<tensor<1x6xui2>, 1>
    dataflow.yield %r : !dataflow.stream<tensor<1x6xui2>, 1>
  }
  func.return
}

// CHECK: %r = "dataflow.thresholding"(%in)
// CHECK: Operation does not verify: C % PE == 0 violated: C=6, PE=4

// -----

func.func @swg_shape(%x: tensor<1x5x5x2xsi4>) {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x5x5x2xsi4>) -> tensor<1x2x2x18xsi4> {
  ^bb0(%in: !dataflow.stream<tensor<1x5x5x2xsi4>, 1>):
    %r = dataflow.swg %in {node_name = "ConvolutionInputGenerator_0", kernel = array<i64: 3, 3>} : (!dataflow.stream<tensor<1x5x5x2xsi4>, 1>) -> !dataflow.stream<tensor<1x2x2x18xsi4>, 1>
    dataflow.yield %r : !dataflow.stream<tensor<1x2x2x18xsi4>, 1>
  }
  func.return
}

// CHECK: %r = "dataflow.swg"(%in)
// CHECK: Operation does not verify: result shape [1, 2, 2, 18] does not match the inferred shape [1, 3, 3, 18]

// -----

func.func @maxpool_divides(%x: tensor<1x5x4x2xsi4>) {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x5x4x2xsi4>) -> tensor<1x2x2x2xsi4> {
  ^bb0(%in: !dataflow.stream<tensor<1x5x4x2xsi4>, 2>):
    %r = dataflow.streaming_maxpool %in {node_name = "StreamingMaxPool_0", kernel = array<i64: 2, 2>, pe = 2 : i64} : (!dataflow.stream<tensor<1x5x4x2xsi4>, 2>) -> !dataflow.stream<tensor<1x2x2x2xsi4>, 2>
    dataflow.yield %r : !dataflow.stream<tensor<1x2x2x2xsi4>, 2>
  }
  func.return
}

// CHECK: %r = "dataflow.streaming_maxpool"(%in)
// CHECK: Operation does not verify: IH % kh == 0 violated: IH=5, kh=2 (set ceil_mode to pool partial windows)

// -----

func.func @label_select_signed(%x: tensor<1x10xsi4>) {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x10xsi4>) -> tensor<1x1xsi8> {
  ^bb0(%in: !dataflow.stream<tensor<1x10xsi4>, 1>):
    %r = dataflow.label_select %in {node_name = "LabelSelect_0", k = 1 : i64} : (!dataflow.stream<tensor<1x10xsi4>, 1>) -> !dataflow.stream<tensor<1x1xsi8>, 1>
    dataflow.yield %r : !dataflow.stream<tensor<1x1xsi8>, 1>
  }
  func.return
}

// CHECK: %r = "dataflow.label_select"(%in)
// CHECK: Operation does not verify: output element type must be unsigned, got si8

// -----

func.func @fifo_depth(%x: tensor<1x12xsi4>) {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x12xsi4>) -> tensor<1x12xsi4> {
  ^bb0(%in: !dataflow.stream<tensor<1x12xsi4>, 4>):
    %r = dataflow.fifo %in {node_name = "StreamingFIFO_0", depth = 1 : i64} : (!dataflow.stream<tensor<1x12xsi4>, 4>) -> !dataflow.stream<tensor<1x12xsi4>, 4>
    dataflow.yield %r : !dataflow.stream<tensor<1x12xsi4>, 4>
  }
  func.return
}

// CHECK: %r = "dataflow.fifo"(%in)
// CHECK: Operation does not verify: depth must be >= 2, got 1

// -----

func.func @mem_mode(%x: tensor<1x4xsi4>) {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x4xsi4>) -> tensor<1x2xsi32> {
  ^bb0(%in: !dataflow.stream<tensor<1x4xsi4>, 1>):
    %r = dataflow.mvau %in {node_name = "MVAU_0", weights = dense<1> : tensor<4x2xi32>, weight_type = si2, mem_mode = "ddr"} : (!dataflow.stream<tensor<1x4xsi4>, 1>) -> !dataflow.stream<tensor<1x2xsi32>, 1>
    dataflow.yield %r : !dataflow.stream<tensor<1x2xsi32>, 1>
  }
  func.return
}

// CHECK: %r = "dataflow.mvau"(%in)
// CHECK: Operation does not verify: mem_mode "ddr" is not one of "internal_embedded", "internal_decoupled", "external"

// -----

func.func @partition_result(%x: tensor<1x8xsi4>) {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x8xsi4>) -> tensor<1x8xsi5> {
  ^bb0(%in: !dataflow.stream<tensor<1x8xsi4>, 1>):
    %r = dataflow.fifo %in {node_name = "StreamingFIFO_0", depth = 2 : i64} : (!dataflow.stream<tensor<1x8xsi4>, 1>) -> !dataflow.stream<tensor<1x8xsi4>, 1>
    dataflow.yield %r : !dataflow.stream<tensor<1x8xsi4>, 1>
  }
  func.return
}

// CHECK: %y = "dataflow.partition"(%x)
// CHECK: Operation does not verify: result 0 has type tensor<1x8xsi5>, the body yields a stream of tensor<1x8xsi4>

// -----

func.func @partition_arg(%x: tensor<1x8xsi4>) {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x8xsi4>) -> tensor<1x8xsi3> {
  ^bb0(%in: !dataflow.stream<tensor<1x8xsi3>, 1>):
    dataflow.yield %in : !dataflow.stream<tensor<1x8xsi3>, 1>
  }
  func.return
}

// CHECK: %y = "dataflow.partition"(%x)
// CHECK: Operation does not verify: body argument 0 must be a !dataflow.stream of tensor<1x8xsi4>, got !dataflow.stream<tensor<1x8xsi3>, 1>

// -----

func.func @partition_float(%x: tensor<1x8xf32>) {
  dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x8xf32>) -> () {
  ^bb0(%in: !dataflow.stream<tensor<1x8xf32>, 1>):
    dataflow.yield
  }
  func.return
}

// CHECK: stream elements must be quantized integers (si<N>, ui<N>, !qonnx.bipolar, !qonnx.ternary), got f32

// -----

func.func @partition_foreign(%x: tensor<1x8xsi4>) {
  dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x8xsi4>) -> () {
  ^bb0(%in: !dataflow.stream<tensor<1x8xsi4>, 1>):
    %c = qonnx.constant dense<1.0> : tensor<1xf32>
    dataflow.yield
  }
  func.return
}

// CHECK: "dataflow.partition"(%x)
// CHECK: Operation does not verify: only dataflow layers may appear in a partition, found qonnx.constant

// -----

func.func @partition_yield(%x: tensor<1x8xsi4>) {
  dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x8xsi4>) -> () {
  ^bb0(%in: !dataflow.stream<tensor<1x8xsi4>, 1>):
    %r = dataflow.fifo %in {node_name = "StreamingFIFO_0", depth = 2 : i64} : (!dataflow.stream<tensor<1x8xsi4>, 1>) -> !dataflow.stream<tensor<1x8xsi4>, 1>
  }
  func.return
}

// CHECK: Operation dataflow.fifo terminates block in single-block region but is not a terminator

// -----

func.func @stream_lanes(%x: !dataflow.stream<tensor<1x6xsi4>, 4>) {
  func.return
}

// CHECK: !dataflow.stream<tensor<1x6xsi4>, 4>: lanes must divide the last dimension: 6 % 4 != 0

// -----

func.func @yield_outside(%x: !dataflow.stream<tensor<1x6xsi4>, 1>) {
  dataflow.yield %x : !dataflow.stream<tensor<1x6xsi4>, 1>
}

// CHECK: "dataflow.yield"(%x)
// CHECK: Operation does not verify: 'dataflow.yield' expects parent op 'dataflow.partition'
