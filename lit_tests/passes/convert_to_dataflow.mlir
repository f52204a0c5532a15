// RUN: finn-opt --split-input-file -p convert-to-dataflow %s | filecheck %s
// RUN: not finn-opt -p convert-to-dataflow %S/Inputs/float_matmul.mlir 2>&1 | filecheck %s --check-prefix=ERR

// MatMul + integer MultiThreshold -> one mvau with fused thresholds (ActVal = out_bias);
// a float MultiThreshold before it stays outside the partition.
func.func @mlp(%x: tensor<1x4xf32>) -> tensor<1x2xsi2> {
  %t0 = qonnx.constant dense<[[0.0]]> : tensor<1x1xf32>
  %a = qonnx.multithreshold %x, %t0 {out_dtype = ui1, data_layout = "NC", node_name = "in_q"} : (tensor<1x4xf32>, tensor<1x1xf32>) -> tensor<1x4xui1>
  %w = qonnx.constant dense<[[1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [0.0, 1.0]]> : tensor<4x2xf32> -> tensor<4x2xsi2>
  %m = qonnx.matmul %a, %w {node_name = "fc"} : (tensor<1x4xui1>, tensor<4x2xsi2>) -> tensor<1x2xsi32>
  %t = qonnx.constant dense<[[-1, 1], [0, 2]]> : tensor<2x2xi64>
  %y = qonnx.multithreshold %m, %t {out_dtype = si2, out_bias = -1.0 : f32, data_layout = "NC", node_name = "act"} : (tensor<1x2xsi32>, tensor<2x2xi64>) -> tensor<1x2xsi2>
  func.return %y : tensor<1x2xsi2>
}
// CHECK-LABEL: func.func @mlp
// CHECK:      %[[A:.*]] = qonnx.multithreshold %x
// CHECK:      %[[P:.*]] = dataflow.partition %[[A]] {node_name = "StreamingDataflowPartition_0"} : (tensor<1x4xui1>) -> tensor<1x2xsi2> {
// CHECK-NEXT: ^bb0(%[[S:.*]]: !dataflow.stream<tensor<1x4xui1>, 1>):
// CHECK-NEXT: %[[L:.*]] = dataflow.mvau %[[S]] {node_name = "MVAU_0", weights = dense<{{\[\[}}1, -1], [1, 1], [-1, 1], [0, 1]]> : tensor<4x2xi32>, weight_type = si2, thresholds = dense<{{\[\[}}-1, 1], [0, 2]]> : tensor<2x2xi64>, act_val = -1 : i64}
// CHECK-NEXT: dataflow.yield %[[L]]
// CHECK:      func.return %[[P]]

// -----

// A standalone integer MultiThreshold -> thresholding.
func.func @thr(%x: tensor<1x3xsi4>) -> tensor<1x3xui2> {
  %t = qonnx.constant dense<[[-2, 0, 2]]> : tensor<1x3xi64>
  %y = qonnx.multithreshold %x, %t {out_dtype = ui2, data_layout = "NC", node_name = "act"} : (tensor<1x3xsi4>, tensor<1x3xi64>) -> tensor<1x3xui2>
  func.return %y : tensor<1x3xui2>
}
// CHECK-LABEL: func.func @thr
// CHECK: dataflow.thresholding %{{.*}} {node_name = "Thresholding_0", thresholds = dense<{{\[\[}}-2, 0, 2]]> : tensor<1x3xi64>}

// -----

// Must not fire: thresholds on a float input (the network's input quantizer).
func.func @float_in(%x: tensor<1x3xf32>) -> tensor<1x3xui1> {
  %t = qonnx.constant dense<[[0.5]]> : tensor<1x1xf32>
  %y = qonnx.multithreshold %x, %t {out_dtype = ui1, data_layout = "NC"} : (tensor<1x3xf32>, tensor<1x1xf32>) -> tensor<1x3xui1>
  func.return %y : tensor<1x3xui1>
}
// CHECK-LABEL: func.func @float_in
// CHECK-NOT:   dataflow.partition

// A MatMul left on float data is reported, not silently kept in float.
// ERR: error: convert-to-dataflow: qonnx.matmul 'fc_float': its input is f32, not an integer tensor; quantize it (qonnx-to-thresholds, streamline)
