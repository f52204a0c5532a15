// RUN: finn-opt --split-input-file -p streamline %s | filecheck %s

// BatchNorm's Mul/Add after an integer accumulator fold into integer thresholds on the
// accumulator. Channel 1 has a negative scale: its weight column is negated instead.
func.func @absorb(%x: tensor<1x2xsi2>) -> tensor<1x2xsi2> {
  %w = qonnx.constant dense<[[1.0, 1.0], [-1.0, 1.0]]> : tensor<2x2xf32> -> tensor<2x2xsi2>
  %m = qonnx.matmul %x, %w {node_name = "mm"} : (tensor<1x2xsi2>, tensor<2x2xsi2>) -> tensor<1x2xsi32>
  %s = qonnx.constant dense<[0.5, -2.0]> : tensor<2xf32>
  %b = qonnx.constant dense<[0.25, 1.0]> : tensor<2xf32>
  %y = qonnx.mul %m, %s : (tensor<1x2xsi32>, tensor<2xf32>) -> tensor<1x2xf32>
  %z = qonnx.add %y, %b : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %t = qonnx.constant dense<[[-0.5, 0.5]]> : tensor<1x2xf32>
  %q = qonnx.multithreshold %z, %t {out_dtype = si2, out_bias = -1.0 : f32, data_layout = "NC", node_name = "act"} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xsi2>
  func.return %q : tensor<1x2xsi2>
}
// CHECK-LABEL: func.func @absorb
// CHECK:      %[[W:.*]] = qonnx.constant dense<{{\[\[}}1.000000e+00, -1.000000e+00], [-1.000000e+00, -1.000000e+00]]> : tensor<2x2xf32> -> tensor<2x2xsi2>
// CHECK-NEXT: %[[M:.*]] = qonnx.matmul %x, %[[W]] {node_name = "mm"}
// ch0: 0.5 m + 0.25 >= -0.5 <=> m >= -1.5 -> -1;  >= 0.5 <=> m >= 0.5 -> 1
// ch1 (negated, m' = -m): -2(-m') + 1 >= -0.5 <=> m' >= -0.75 -> 0;  >= 0.5 <=> m' >= -0.25 -> 0
// CHECK-NEXT: %[[T:.*]] = qonnx.constant {node_name = "act_thresholds"} dense<{{\[\[}}-1, 1], [0, 0]]> : tensor<2x2xi64>
// CHECK-NEXT: qonnx.multithreshold %[[M]], %[[T]] {out_dtype = si2, out_bias = -1.000000e+00 : f32, data_layout = "NC", node_name = "act"}
// CHECK-NOT:  qonnx.mul
// CHECK-NOT:  qonnx.add

// -----

// A scalar activation scale moves below the MatMul and is absorbed in turn; float
// thresholds on an integer input are rounded (x >= 0.3 <=> x >= 1).
func.func @move(%x: tensor<1x2xsi8>) -> tensor<1x2xui1> {
  %s = qonnx.constant dense<0.125> : tensor<1xf32>
  %xs = qonnx.mul %x, %s : (tensor<1x2xsi8>, tensor<1xf32>) -> tensor<1x2xf32>
  %w = qonnx.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32> -> tensor<2x2xui1>
  %m = qonnx.matmul %xs, %w : (tensor<1x2xf32>, tensor<2x2xui1>) -> tensor<1x2xf32>
  %t = qonnx.constant dense<[[0.3]]> : tensor<1x1xf32>
  %q = qonnx.multithreshold %m, %t {out_dtype = ui1, data_layout = "NC"} : (tensor<1x2xf32>, tensor<1x1xf32>) -> tensor<1x2xui1>
  func.return %q : tensor<1x2xui1>
}
// CHECK-LABEL: func.func @move
// CHECK:      %[[M:.*]] = qonnx.matmul %x, %{{.*}} : (tensor<1x2xsi8>, tensor<2x2xui1>) -> tensor<1x2xsi32>
// 0.125 m >= 0.3 <=> m >= 2.4 -> 3
// CHECK-NEXT: %[[T:.*]] = qonnx.constant dense<3> : tensor<1x1xi64>
// CHECK-NEXT: qonnx.multithreshold %[[M]], %[[T]]

// -----

// Must not fire: the Mul's factor is not a constant, and the Add's result has two users.
func.func @keep(%x: tensor<1x2xsi8>, %f: tensor<1x2xf32>) -> (tensor<1x2xui1>, tensor<1x2xui1>, tensor<1x2xui1>) {
  %m = qonnx.mul %x, %f : (tensor<1x2xsi8>, tensor<1x2xf32>) -> tensor<1x2xf32>
  %t = qonnx.constant dense<[[0.5]]> : tensor<1x1xf32>
  %q = qonnx.multithreshold %m, %t {out_dtype = ui1, data_layout = "NC"} : (tensor<1x2xf32>, tensor<1x1xf32>) -> tensor<1x2xui1>
  %c = qonnx.constant dense<1.0> : tensor<1xf32>
  %a = qonnx.add %x, %c : (tensor<1x2xsi8>, tensor<1xf32>) -> tensor<1x2xf32>
  %q1 = qonnx.multithreshold %a, %t {out_dtype = ui1, data_layout = "NC"} : (tensor<1x2xf32>, tensor<1x1xf32>) -> tensor<1x2xui1>
  %q2 = qonnx.multithreshold %a, %t {out_dtype = ui1, data_layout = "NC"} : (tensor<1x2xf32>, tensor<1x1xf32>) -> tensor<1x2xui1>
  func.return %q, %q1, %q2 : tensor<1x2xui1>, tensor<1x2xui1>, tensor<1x2xui1>
}
// CHECK-LABEL: func.func @keep
// CHECK:      %[[M:.*]] = qonnx.mul %x, %f
// CHECK:      qonnx.multithreshold %[[M]]
// CHECK:      %[[A:.*]] = qonnx.add %x
// CHECK:      qonnx.multithreshold %[[A]]
