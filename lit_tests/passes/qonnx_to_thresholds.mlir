// RUN: finn-opt --split-input-file -p qonnx-to-thresholds %s | filecheck %s
// RUN: not finn-opt -p qonnx-to-thresholds %S/Inputs/quant_dynamic_scale.mlir 2>&1 | filecheck %s --check-prefix=ERR

// An activation quantizer becomes a MultiThreshold with its exact float32 boundaries
// (2-bit signed narrow: levels -1, 0, 1; ROUND is half-to-even, so x = 0.5 is level 0
// and the threshold is the next float32 above 0.5).
func.func @act(%x: tensor<1x4xf32>) -> tensor<1x4xsi2> {
  %s = qonnx.constant dense<1.0> : tensor<f32>
  %z = qonnx.constant dense<0.0> : tensor<f32>
  %b = qonnx.constant dense<2.0> : tensor<f32>
  %y = qonnx.quant %x, %s, %z, %b {narrow = true, node_name = "act0"} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<1x4xsi2>
  func.return %y : tensor<1x4xsi2>
}
// CHECK-LABEL: func.func @act
// CHECK:      %[[T:.*]] = qonnx.constant {node_name = "act0_thresholds"} dense<{{\[\[}}-5.000000e-01, 0.50000006]]> : tensor<1x2xf32>
// CHECK-NEXT: %[[Y:.*]] = qonnx.multithreshold %x, %[[T]] {out_dtype = si2, out_bias = -1.000000e+00 : f32, data_layout = "NC", node_name = "act0"} : (tensor<1x4xf32>, tensor<1x2xf32>) -> tensor<1x4xsi2>
// CHECK-NEXT: func.return %[[Y]]

// -----

// A scaled quantizer: integer levels, then the scale as a Mul.
func.func @scaled(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = qonnx.constant dense<0.25> : tensor<f32>
  %z = qonnx.constant dense<0.0> : tensor<f32>
  %b = qonnx.constant dense<3.0> : tensor<f32>
  %y = qonnx.quant %x, %s, %z, %b {signed = false, node_name = "relu_q"} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}
// CHECK-LABEL: func.func @scaled
// CHECK:      qonnx.constant {node_name = "relu_q_thresholds"} dense<{{\[\[}}0.125000015, 3.750000e-01, {{.*}}, 1.62500012]]> : tensor<1x7xf32>
// CHECK-NEXT: %[[L:.*]] = qonnx.multithreshold {{.*}} {out_dtype = ui3, data_layout = "NC", node_name = "relu_q"}
// CHECK-NEXT: %[[S:.*]] = qonnx.constant {node_name = "relu_q_scale"} dense<2.500000e-01>
// CHECK-NEXT: qonnx.mul %[[L]], %[[S]] {node_name = "relu_q_mul_scale"} : (tensor<1x4xui3>, tensor<1xf32>) -> tensor<1x4xf32>

// -----

// A weight quantizer is folded into a constant of integer levels; BipolarQuant
// activations become a single threshold at 0 with a bipolar output; BatchNorm an affine.
func.func @fold(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = qonnx.constant dense<[[0.7, -0.2], [-3.0, 0.1]]> : tensor<2x2xf32>
  %one = qonnx.constant dense<1.0> : tensor<1xf32>
  %wq = qonnx.bipolar_quant %w, %one {node_name = "wq"} : (tensor<2x2xf32>, tensor<1xf32>) -> tensor<2x2x!qonnx.bipolar>
  %xq = qonnx.bipolar_quant %x, %one {node_name = "xq"} : (tensor<1x2xf32>, tensor<1xf32>) -> tensor<1x2x!qonnx.bipolar>
  %m = qonnx.matmul %xq, %wq : (tensor<1x2x!qonnx.bipolar>, tensor<2x2x!qonnx.bipolar>) -> tensor<1x2xsi32>
  %g = qonnx.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %bb = qonnx.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %mu = qonnx.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %v = qonnx.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %y = qonnx.batch_norm %m, %g, %bb, %mu, %v {epsilon = 0.0 : f32, node_name = "bn"} : (tensor<1x2xsi32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}
// CHECK-LABEL: func.func @fold
// CHECK:      %[[W:.*]] = qonnx.constant {node_name = "wq_levels"} dense<{{\[\[}}1.000000e+00, -1.000000e+00], [-1.000000e+00, 1.000000e+00]]> : tensor<2x2xf32> -> tensor<2x2x!qonnx.bipolar>
// CHECK:      %[[X:.*]] = qonnx.multithreshold %x, %{{.*}} {out_dtype = !qonnx.bipolar, out_scale = 2.000000e+00 : f32, out_bias = -1.000000e+00 : f32, data_layout = "NC", node_name = "xq"}
// CHECK:      %[[M:.*]] = qonnx.matmul %[[X]], %[[W]]
// CHECK:      %[[MUL:.*]] = qonnx.mul %[[M]], %{{.*}} {node_name = "bn_mul"}
// CHECK-NEXT: qonnx.add %[[MUL]], %{{.*}} {node_name = "bn_add"}
// CHECK-NOT:  qonnx.batch_norm

// -----

// Must not fire: a quantizer wider than max_bits stays (it runs outside the hardware).
func.func @wide(%x: tensor<1x4xf32>) -> tensor<1x4xsi16> {
  %s = qonnx.constant dense<1.0> : tensor<f32>
  %z = qonnx.constant dense<0.0> : tensor<f32>
  %b = qonnx.constant dense<16.0> : tensor<f32>
  %y = qonnx.quant %x, %s, %z, %b {node_name = "wide"} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<1x4xsi16>
  func.return %y : tensor<1x4xsi16>
}
// CHECK-LABEL: func.func @wide
// CHECK:       qonnx.quant
// CHECK-NOT:   qonnx.multithreshold

// A quantizer whose scale is computed at run time cannot become thresholds: say so.
// ERR: error: qonnx-to-thresholds: qonnx.quant 'dyn': scale, zero point and bit width must be constants to lower to thresholds
