// Verifier messages of the qonnx dialect, one case per split. Each case names the op that
// xDSL underlines and the message it prints.

// RUN: finn-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @constant_range() {
  %c = qonnx.constant {node_name = "W"} dense<[2.0, 0.0]> : tensor<2xf32> -> tensor<2xsi2>
  func.return
}

// CHECK: "qonnx.constant"() <{value = dense<[2.000000e+00, 0.000000e+00]> : tensor<2xf32>, node_name = "W"}> : () -> tensor<2xsi2>
// CHECK: Operation does not verify: values are out of range of INT2

// -----

func.func @constant_bipolar() {
  %c = qonnx.constant dense<[1.0, 0.0]> : tensor<2xf32> -> tensor<2x!qonnx.bipolar>
  func.return
}

// CHECK: Operation does not verify: values are out of range of BIPOLAR

// -----

func.func @constant_refine_i64() {
  %c = qonnx.constant dense<[1, 2]> : tensor<2xi64> -> tensor<2xsi4>
  func.return
}

// CHECK: Operation does not verify: result element type si4 can only refine f32 storage to a quantized type, not i64

// -----

func.func @constant_shape() {
  %c = qonnx.constant dense<[1.0, 2.0]> : tensor<2xf32> -> tensor<3xf32>
  func.return
}

// CHECK: Operation does not verify: value shape [2] differs from result shape [3]

// -----

func.func @constant_storage() {
  %c = qonnx.constant dense<[1, -1]> : tensor<2xsi2>
  func.return
}

// CHECK: Operation does not verify: value element type si2 is not a storage type

// -----

func.func @dynamic(%x: tensor<?x4xf32>) {
  %y = qonnx.relu %x {node_name = "Relu_0"} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  func.return
}

// CHECK: "qonnx.relu"(%x) <{node_name = "Relu_0"}>
// CHECK: Operation does not verify: operand 0 has a dynamic shape tensor<?x4xf32>; give the model static shapes (e.g. batch size 1)

// -----

func.func @quant_rounding(%x: tensor<1x4xf32>, %s: tensor<1xf32>) {
  %y = qonnx.quant %x, %s, %s, %s {rounding_mode = "NEAREST"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
  func.return
}

// CHECK: Operation does not verify: rounding_mode 'NEAREST' is not one of ROUND, HALF_EVEN, CEIL, FLOOR, UP, DOWN, HALF_UP, HALF_DOWN

// -----

func.func @quant_bitwidth(%x: tensor<1x4xf32>) {
  %one = qonnx.constant dense<1.0> : tensor<1xf32>
  %zero = qonnx.constant dense<0.0> : tensor<1xf32>
  %bits = qonnx.constant dense<2.5> : tensor<1xf32>
  %y = qonnx.quant %x, %one, %zero, %bits : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
  func.return
}

// CHECK: Operation does not verify: bitwidth must be an integer in [1, 64], got 2.5

// -----

func.func @quant_result_type(%x: tensor<1x4xf32>) {
  %one = qonnx.constant dense<1.0> : tensor<1xf32>
  %zero = qonnx.constant dense<0.0> : tensor<1xf32>
  %bits = qonnx.constant dense<2.0> : tensor<1xf32>
  %y = qonnx.quant %x, %one, %zero, %bits {signed = false, node_name = "Quant_3"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xsi2>
  func.return
}

// CHECK: "qonnx.quant"(%x, %one, %zero, %bits) <{signed = false, node_name = "Quant_3"
// CHECK: Operation does not verify: result element type si2 does not match a 2-bit unsigned quantizer (expected ui2)

// -----

func.func @quant_scaled_int(%x: tensor<1x4xf32>) {
  %half = qonnx.constant dense<0.5> : tensor<1xf32>
  %zero = qonnx.constant dense<0.0> : tensor<1xf32>
  %bits = qonnx.constant dense<4.0> : tensor<1xf32>
  %y = qonnx.quant %x, %half, %zero, %bits : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xsi4>
  func.return
}

// CHECK: Operation does not verify: integer result type si4 needs scale == 1; use f32 for scaled quantizers

// -----

func.func @quant_scale_shape(%x: tensor<1x4xf32>, %s: tensor<3xf32>, %z: tensor<1xf32>) {
  %y = qonnx.quant %x, %s, %z, %z : (tensor<1x4xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
  func.return
}

// CHECK: Operation does not verify: scale of shape [3] does not broadcast to the input shape [1, 4]

// -----

func.func @bipolar_scaled(%x: tensor<2x3xf32>) {
  %s = qonnx.constant dense<0.5> : tensor<1xf32>
  %y = qonnx.bipolar_quant %x, %s {node_name = "BipolarQuant_1"} : (tensor<2x3xf32>, tensor<1xf32>) -> tensor<2x3x!qonnx.bipolar>
  func.return
}

// CHECK: "qonnx.bipolar_quant"(%x, %s) <{node_name = "BipolarQuant_1"}>
// CHECK: Operation does not verify: a !qonnx.bipolar result needs scale == 1

// -----

func.func @bipolar_int(%x: tensor<2x3xf32>, %s: tensor<1xf32>) {
  %y = qonnx.bipolar_quant %x, %s : (tensor<2x3xf32>, tensor<1xf32>) -> tensor<2x3xsi2>
  func.return
}

// CHECK: Operation does not verify: result element type must be !qonnx.bipolar or a float, got si2

// -----

func.func @trunc_bitwidth(%x: tensor<1x8xf32>, %s: tensor<1xf32>) {
  %zero = qonnx.constant dense<0.0> : tensor<1xf32>
  %in = qonnx.constant dense<8.0> : tensor<1xf32>
  %out = qonnx.constant dense<0.0> : tensor<1xf32>
  %y = qonnx.trunc %x, %s, %zero, %in, %out : (tensor<1x8xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8xf32>
  func.return
}

// CHECK: Operation does not verify: out_bitwidth must be an integer in [1, 64], got 0

// -----

func.func @multithreshold_channels(%x: tensor<1x4xf32>, %t: tensor<3x3xf32>) {
  %y = qonnx.multithreshold %x, %t {out_dtype = ui2, node_name = "MultiThreshold_0"} : (tensor<1x4xf32>, tensor<3x3xf32>) -> tensor<1x4xui2>
  func.return
}

// CHECK: "qonnx.multithreshold"(%x, %t) <{out_dtype = ui2, node_name = "MultiThreshold_0"
// CHECK: Operation does not verify: thresholds have 3 channels, input has 4

// -----

func.func @multithreshold_nhwc(%x: tensor<1x4x2x2xf32>, %t: tensor<4x1xf32>) {
  %y = qonnx.multithreshold %x, %t {out_dtype = ui2, data_layout = "NHWC"} : (tensor<1x4x2x2xf32>, tensor<4x1xf32>) -> tensor<1x4x2x2xf32>
  func.return
}

// CHECK: Operation does not verify: thresholds have 4 channels, input has 2

// -----

func.func @multithreshold_levels(%x: tensor<1x4xf32>, %t: tensor<4x4xf32>) {
  %y = qonnx.multithreshold %x, %t {out_dtype = ui2} : (tensor<1x4xf32>, tensor<4x4xf32>) -> tensor<1x4xf32>
  func.return
}

// CHECK: Operation does not verify: 4 thresholds give 5 levels, more than UINT2 holds

// -----

func.func @multithreshold_bipolar_levels(%x: tensor<1x4xf32>, %t: tensor<4x2xf32>) {
  %y = qonnx.multithreshold %x, %t {out_dtype = !qonnx.bipolar} : (tensor<1x4xf32>, tensor<4x2xf32>) -> tensor<1x4xf32>
  func.return
}

// CHECK: Operation does not verify: 2 thresholds give 3 levels, more than BIPOLAR holds

// -----

func.func @multithreshold_layout(%x: tensor<1x4xf32>, %t: tensor<4x3xf32>) {
  %y = qonnx.multithreshold %x, %t {out_dtype = ui2, data_layout = "NCHW"} : (tensor<1x4xf32>, tensor<4x3xf32>) -> tensor<1x4xf32>
  func.return
}

// CHECK: Operation does not verify: data_layout 'NCHW' does not fit an input of rank 2

// -----

func.func @multithreshold_result(%x: tensor<1x4xf32>, %t: tensor<4x2xf32>) {
  %y = qonnx.multithreshold %x, %t {out_dtype = ui2, out_scale = 0.5 : f32} : (tensor<1x4xf32>, tensor<4x2xf32>) -> tensor<1x4xui2>
  func.return
}

// CHECK: Operation does not verify: outputs 0 + 0.5 * (0..2) do not fit result type ui2

// -----

func.func @matmul_inner(%a: tensor<1x4xsi2>, %b: tensor<3x2xsi2>) {
  %y = qonnx.matmul %a, %b {node_name = "MatMul_0"} : (tensor<1x4xsi2>, tensor<3x2xsi2>) -> tensor<1x2xsi32>
  func.return
}

// CHECK: Operation does not verify: inner dimensions differ: (1, 4) @ (3, 2)

// -----

func.func @gemm_c(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<3xf32>) {
  %y = qonnx.gemm %a, %b, %c : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x4xf32>
  func.return
}

// CHECK: Operation does not verify: c of shape [3] does not broadcast to the output shape [2, 4]

// -----

func.func @conv_group(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  %y = qonnx.conv %x, %w {group = 3 : i64, node_name = "Conv_0"} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// CHECK: "qonnx.conv"(%x, %w) <{group = 3 : i64, node_name = "Conv_0"
// CHECK: Operation does not verify: group 3 must divide input channels 3 and output channels 4

// -----

func.func @conv_kernel_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  %y = qonnx.conv %x, %w {kernel_shape = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// CHECK: Operation does not verify: kernel_shape [2, 2] differs from weight shape [4, 3, 3, 3]

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  %y = qonnx.conv %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// CHECK: Operation does not verify: bias must have shape [4], got [3]

// -----

func.func @conv_output(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  %y = qonnx.conv %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// CHECK: Operation does not verify: result shape [1, 4, 6, 6] does not match the inferred shape [1, 4, 8, 8]

// -----

func.func @conv_strides(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  %y = qonnx.conv %x, %w {auto_pad = "SAME_UPPER", strides = array<i64: 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32>
  func.return
}

// CHECK: Operation does not verify: strides must have 2 entries, got 1

// -----

func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  %y = qonnx.add %a, %b {node_name = "Add_0"} : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  func.return
}

// CHECK: Operation does not verify: shapes (2, 3), (4,) do not broadcast

// -----

func.func @identity_dtype(%x: tensor<1x4xsi4>) {
  %y = qonnx.identity %x : (tensor<1x4xsi4>) -> tensor<1x4xsi8>
  func.return
}

// CHECK: Operation does not verify: result element type si8 must equal the input's si4

// -----

func.func @batch_norm_training(%x: tensor<1x2xf32>, %p: tensor<2xf32>) {
  %y = qonnx.batch_norm %x, %p, %p, %p, %p {training_mode = true} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return
}

// CHECK: Operation does not verify: training_mode is not supported; export the model in eval mode

// -----

func.func @batch_norm_params(%x: tensor<1x2xf32>, %p: tensor<2xf32>, %q: tensor<3xf32>) {
  %y = qonnx.batch_norm %x, %p, %p, %p, %q : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<3xf32>) -> tensor<1x2xf32>
  func.return
}

// CHECK: Operation does not verify: var must have shape [2], got [3]

// -----

func.func @max_pool_window(%x: tensor<1x2x4x4x!qonnx.bipolar>) {
  %y = qonnx.max_pool %x {kernel_shape = array<i64: 5, 5>} : (tensor<1x2x4x4x!qonnx.bipolar>) -> tensor<1x2x1x1x!qonnx.bipolar>
  func.return
}

// CHECK: Operation does not verify: window 5 is larger than padded input 4

// -----

func.func @max_pool_dtype(%x: tensor<1x2x4x4x!qonnx.bipolar>) {
  %y = qonnx.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4x!qonnx.bipolar>) -> tensor<1x2x2x2xf32>
  func.return
}

// CHECK: Operation does not verify: result element type f32 must equal the input's !qonnx.bipolar

// -----

func.func @average_pool_pads(%x: tensor<1x2x4x4xf32>) {
  %y = qonnx.average_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  func.return
}

// CHECK: Operation does not verify: pads must have 4 entries, got 2

// -----

func.func @global_average_pool_rank(%x: tensor<1x2xf32>) {
  %y = qonnx.global_average_pool %x : (tensor<1x2xf32>) -> tensor<1x2xf32>
  func.return
}

// CHECK: Operation does not verify: input must be (N, C, spatial...)

// -----

func.func @reshape_incompatible(%x: tensor<2x3xf32>) {
  %s = qonnx.constant dense<[4, 2]> : tensor<2xi64>
  %y = qonnx.reshape %x, %s {node_name = "Reshape_0"} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<4x2xf32>
  func.return
}

// CHECK: Operation does not verify: cannot reshape (2, 3) (6 elements) to (4, 2)

// -----

func.func @reshape_shape_type(%x: tensor<2x3xf32>, %s: tensor<2xi32>) {
  %y = qonnx.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<3x2xf32>
  func.return
}

// CHECK: Operation does not verify: shape must be a 1-D i64 tensor, got tensor<2xi32>

// -----

func.func @flatten_axis(%x: tensor<2x3xf32>) {
  %y = qonnx.flatten %x {axis = 3 : i64} : (tensor<2x3xf32>) -> tensor<6x1xf32>
  func.return
}

// CHECK: Operation does not verify: axis 3 is out of range for rank 2

// -----

func.func @transpose_perm(%x: tensor<1x2x3xf32>) {
  %y = qonnx.transpose %x {perm = array<i64: 0, 0, 1>} : (tensor<1x2x3xf32>) -> tensor<1x1x2xf32>
  func.return
}

// CHECK: Operation does not verify: perm [0, 0, 1] is not a permutation of 3 axes

// -----

func.func @concat_off_axis(%a: tensor<1x2x4xf32>, %b: tensor<1x3x5xf32>) {
  %y = qonnx.concat %a, %b {axis = 1 : i64} : (tensor<1x2x4xf32>, tensor<1x3x5xf32>) -> tensor<1x5x4xf32>
  func.return
}

// CHECK: Operation does not verify: input shapes {{.*}} differ off axis 1

// -----

func.func @pad_mode(%x: tensor<2x3xf32>) {
  %p = qonnx.constant dense<[0, 1, 0, 1]> : tensor<4xi64>
  %y = qonnx.pad %x, %p {mode = "wrap"} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<2x5xf32>
  func.return
}

// CHECK: Operation does not verify: mode 'wrap' is not constant, reflect or edge

// -----

func.func @topk_k(%x: tensor<1x10xf32>) {
  %k = qonnx.constant dense<11> : tensor<1xi64>
  %v, %i = qonnx.topk %x, %k : (tensor<1x10xf32>, tensor<1xi64>) -> (tensor<1x11xf32>, tensor<1x11xi64>)
  func.return
}

// CHECK: Operation does not verify: k = 11 is out of range 1..10

// -----

func.func @argmax_type(%x: tensor<1x10xf32>) {
  %y = qonnx.argmax %x {axis = 1 : i64} : (tensor<1x10xf32>) -> tensor<1x1xf32>
  func.return
}

// CHECK: Operation does not verify: result must be an i64 tensor
