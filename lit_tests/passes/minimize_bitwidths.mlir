// RUN: finn-opt --split-input-file -p minimize-bitwidths %s | filecheck %s
// RUN: finn-opt --split-input-file -p minimize-bitwidths,minimize-bitwidths %s | filecheck %s

// Weight types shrink to the weights' values; thresholds are clipped to
// [acc_min, acc_max + 1] (a step below acc_min always fires, one above acc_max never);
// a Thresholding's to [in_min, in_max + 1]; the raw last layer's accumulator type
// (range [-12, 15]: si5) is rounded up to 8 bits because it leaves the partition, and the
// partition result and the function signature follow.
func.func @mlp(%x: tensor<1x4xsi4>) -> tensor<1x2xsi32> {
  %p = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x4xsi4>) -> tensor<1x2xsi32> {
  ^bb0(%s: !dataflow.stream<tensor<1x4xsi4>, 1>):
    %t = dataflow.thresholding %s {node_name = "Thresholding_0", thresholds = dense<[[-20, 0, 20]]> : tensor<1x3xi64>} : (!dataflow.stream<tensor<1x4xsi4>, 1>) -> !dataflow.stream<tensor<1x4xui2>, 1>
    %a = dataflow.mvau %t {node_name = "MVAU_0", weights = dense<[[1, -1, 0], [1, 1, 0], [-1, 1, 1], [0, 1, 1]]> : tensor<4x3xi32>, weight_type = si8, thresholds = dense<[[-100, 1], [0, 50], [2, 3]]> : tensor<3x2xi64>} : (!dataflow.stream<tensor<1x4xui2>, 1>) -> !dataflow.stream<tensor<1x3xui2>, 1>
    %r = dataflow.mvau %a {node_name = "MVAU_1", weights = dense<[[3, -4], [2, 1], [-1, 3]]> : tensor<3x2xi32>, weight_type = si8} : (!dataflow.stream<tensor<1x3xui2>, 1>) -> !dataflow.stream<tensor<1x2xsi32>, 1>
    dataflow.yield %r : !dataflow.stream<tensor<1x2xsi32>, 1>
  }
  func.return %p : tensor<1x2xsi32>
}
// CHECK-LABEL: func.func @mlp(%x: tensor<1x4xsi4>) -> tensor<1x2xsi8> {
// CHECK:      dataflow.partition %x {{.*}} : (tensor<1x4xsi4>) -> tensor<1x2xsi8> {
// CHECK:      dataflow.thresholding %s {node_name = "Thresholding_0", thresholds = dense<{{\[\[}}-8, 0, 8]]> : tensor<1x3xi64>}
// CHECK:      dataflow.mvau %t {node_name = "MVAU_0", {{.*}}, weight_type = si2, thresholds = dense<{{\[\[}}-3, 1], [0, 10], [2, 3]]> : tensor<3x2xi64>}
// CHECK-SAME:   -> !dataflow.stream<tensor<1x3xui2>, 1>
// CHECK:      %[[R:.*]] = dataflow.mvau %a {node_name = "MVAU_1", {{.*}}, weight_type = si3}
// CHECK-SAME:   -> !dataflow.stream<tensor<1x2xsi8>, 1>
// CHECK:      dataflow.yield %[[R]] : !dataflow.stream<tensor<1x2xsi8>, 1>
// CHECK:      func.return %p : tensor<1x2xsi8>

// -----

// A raw accumulator that stays inside the partition keeps its exact width (si5), passed
// through a FIFO to a Thresholding, whose thresholds are then clipped to [-16, 16].
// Bipolar weights stay bipolar; xnor mode accumulates the popcount [0, MW].
func.func @inner(%x: tensor<1x3xui2>) -> tensor<1x2xui2> {
  %p = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x3xui2>) -> tensor<1x2xui2> {
  ^bb0(%s: !dataflow.stream<tensor<1x3xui2>, 1>):
    %r = dataflow.mvau %s {node_name = "MVAU_0", weights = dense<[[3, -4], [2, 1], [-1, 3]]> : tensor<3x2xi32>, weight_type = si4} : (!dataflow.stream<tensor<1x3xui2>, 1>) -> !dataflow.stream<tensor<1x2xsi32>, 1>
    %f = dataflow.fifo %r {node_name = "StreamingFIFO_0", depth = 2 : i64} : (!dataflow.stream<tensor<1x2xsi32>, 1>) -> !dataflow.stream<tensor<1x2xsi32>, 1>
    %t = dataflow.thresholding %f {node_name = "Thresholding_0", thresholds = dense<[[-1000, 0, 1000]]> : tensor<1x3xi64>} : (!dataflow.stream<tensor<1x2xsi32>, 1>) -> !dataflow.stream<tensor<1x2xui2>, 1>
    dataflow.yield %t : !dataflow.stream<tensor<1x2xui2>, 1>
  }
  func.return %p : tensor<1x2xui2>
}
// CHECK-LABEL: func.func @inner
// CHECK:      dataflow.mvau %s {{.*}} weight_type = si3} : {{.*}} -> !dataflow.stream<tensor<1x2xsi5>, 1>
// CHECK:      dataflow.fifo {{.*}} : (!dataflow.stream<tensor<1x2xsi5>, 1>) -> !dataflow.stream<tensor<1x2xsi5>, 1>
// CHECK:      dataflow.thresholding {{.*}} thresholds = dense<{{\[\[}}-16, 0, 16]]> : tensor<1x3xi64>}

// -----

func.func @xnor(%x: tensor<1x4x!qonnx.bipolar>) -> tensor<1x2x!qonnx.bipolar> {
  %p = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x4x!qonnx.bipolar>) -> tensor<1x2x!qonnx.bipolar> {
  ^bb0(%s: !dataflow.stream<tensor<1x4x!qonnx.bipolar>, 1>):
    %a = dataflow.mvau %s {node_name = "MVAU_0", weights = dense<[[1, -1], [1, 1], [-1, 1], [1, 1]]> : tensor<4x2xi32>, weight_type = !qonnx.bipolar, thresholds = dense<[[-7], [9]]> : tensor<2x1xi64>, binary_xnor = true} : (!dataflow.stream<tensor<1x4x!qonnx.bipolar>, 1>) -> !dataflow.stream<tensor<1x2x!qonnx.bipolar>, 1>
    dataflow.yield %a : !dataflow.stream<tensor<1x2x!qonnx.bipolar>, 1>
  }
  func.return %p : tensor<1x2x!qonnx.bipolar>
}
// CHECK-LABEL: func.func @xnor
// CHECK:      dataflow.mvau %s {{.*}} weight_type = !qonnx.bipolar, thresholds = dense<{{\[\[}}0], [5]]> : tensor<2x1xi64>, binary_xnor = true}
