// lower-conv: Conv -> transpose, im2col, matmul [+ bias], transpose back (NHWC inside);
// MaxPool -> max_pool_nhwc; the NHWC -> NCHW transposes move down past elementwise ops,
// MultiThreshold and BatchNormalization and cancel against the next layer's, or are
// absorbed into the conv -> FC flatten. The last case is an error and ends the run, hence
// `not` (the cases before it are printed first).

// RUN: not finn-opt %s --split-input-file -p lower-conv 2>&1 | filecheck %s

// Conv, constant weights, asymmetric padding: the weight matrix is a new constant in
// (kh, kw, C) row order and keeps its element type.
func.func @conv_pad(%x: tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %w = qonnx.constant {node_name = "W"} dense<[[[[1.0, -1.0], [1.0, 1.0]], [[-1.0, -1.0], [1.0, -1.0]]], [[[1.0, 1.0], [1.0, 1.0]], [[-1.0, 1.0], [-1.0, 1.0]]], [[[-1.0, -1.0], [-1.0, -1.0]], [[1.0, 1.0], [-1.0, -1.0]]]]> : tensor<3x2x2x2xf32> -> tensor<3x2x2x2x!qonnx.bipolar>
  %y = qonnx.conv %x, %w {kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, node_name = "Conv_0"} : (tensor<1x2x4x4xf32>, tensor<3x2x2x2x!qonnx.bipolar>) -> tensor<1x3x4x4xf32>
  func.return %y : tensor<1x3x4x4xf32>
}

// CHECK-LABEL: func.func @conv_pad(
// CHECK-NEXT:    %Conv_0_nhwc = qonnx.transpose %x {perm = array<i64: 0, 2, 3, 1>, node_name = "Conv_0_nhwc"} : (tensor<1x2x4x4xf32>) -> tensor<1x4x4x2xf32>
// CHECK-NEXT:    %Conv_0_im2col = qonnx.im2col %Conv_0_nhwc {stride = array<i64: 1, 1>, kernel_size = array<i64: 2, 2>, input_shape = "(1,4,4,2)", pad_amount = array<i64: 1, 1, 0, 0>, dilations = array<i64: 1, 1>, node_name = "Conv_0_im2col"} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x8xf32>
// rows (kh, kw, c): row 1 is (0, 0, c=1), i.e. W[:, 1, 0, 0] = [-1, -1, 1]
// CHECK-NEXT:    %Conv_0_weights = qonnx.constant {node_name = "Conv_0_weights"} dense<{{\[}}[1.000000e+00, 1.000000e+00, -1.000000e+00], [-1.000000e+00, -1.000000e+00, 1.000000e+00], [-1.000000e+00, 1.000000e+00, -1.000000e+00], {{.*}}]> : tensor<8x3xf32> -> tensor<8x3x!qonnx.bipolar>
// CHECK-NEXT:    %Conv_0_mm = qonnx.matmul %Conv_0_im2col, %Conv_0_weights {node_name = "Conv_0"} : (tensor<1x4x4x8xf32>, tensor<8x3x!qonnx.bipolar>) -> tensor<1x4x4x3xf32>
// CHECK-NEXT:    %y = qonnx.transpose %Conv_0_mm {perm = array<i64: 0, 3, 1, 2>, node_name = "Conv_0_nchw"} : (tensor<1x4x4x3xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT:    func.return %y : tensor<1x3x4x4xf32>
// CHECK-NOT:     qonnx.conv

// -----

// Computed weights (a Quant of a constant), stride 2, dilation 2 and a bias.
func.func @conv_quant_weights(%x: tensor<1x2x9x9xf32>, %raw: tensor<4x2x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %s = qonnx.constant dense<1.0> : tensor<1xf32>
  %z = qonnx.constant dense<0.0> : tensor<1xf32>
  %bits = qonnx.constant dense<2.0> : tensor<1xf32>
  %w = qonnx.quant %raw, %s, %z, %bits {node_name = "Quant_w"} : (tensor<4x2x3x3xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x2x3x3xsi2>
  %y = qonnx.conv %x, %w, %b {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, node_name = "Conv_1"} : (tensor<1x2x9x9xf32>, tensor<4x2x3x3xsi2>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  func.return %y : tensor<1x4x4x4xf32>
}

// CHECK-LABEL: func.func @conv_quant_weights(
// CHECK:         %w = qonnx.quant %raw
// CHECK-NEXT:    %Conv_1_nhwc = qonnx.transpose %x {perm = array<i64: 0, 2, 3, 1>, node_name = "Conv_1_nhwc"}
// CHECK-NEXT:    %Conv_1_im2col = qonnx.im2col %Conv_1_nhwc {stride = array<i64: 2, 2>, kernel_size = array<i64: 3, 3>, input_shape = "(1,9,9,2)", pad_amount = array<i64: 1, 1, 1, 1>, dilations = array<i64: 2, 2>, node_name = "Conv_1_im2col"} : (tensor<1x9x9x2xf32>) -> tensor<1x4x4x18xf32>
// CHECK-NEXT:    %Conv_1_weights_perm = qonnx.transpose %w {perm = array<i64: 2, 3, 1, 0>, node_name = "Conv_1_weights_perm"} : (tensor<4x2x3x3xsi2>) -> tensor<3x3x2x4xsi2>
// CHECK-NEXT:    %Conv_1_weights_shape = qonnx.constant {node_name = "Conv_1_weights_shape"} dense<[18, 4]> : tensor<2xi64>
// CHECK-NEXT:    %Conv_1_weights = qonnx.reshape %Conv_1_weights_perm, %Conv_1_weights_shape {node_name = "Conv_1_weights"} : (tensor<3x3x2x4xsi2>, tensor<2xi64>) -> tensor<18x4xsi2>
// CHECK-NEXT:    %Conv_1_mm = qonnx.matmul %Conv_1_im2col, %Conv_1_weights {node_name = "Conv_1"} : (tensor<1x4x4x18xf32>, tensor<18x4xsi2>) -> tensor<1x4x4x4xf32>
// CHECK-NEXT:    %Conv_1_bias = qonnx.add %Conv_1_mm, %b {node_name = "Conv_1_bias"} : (tensor<1x4x4x4xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
// CHECK-NEXT:    %y = qonnx.transpose %Conv_1_bias {perm = array<i64: 0, 3, 1, 2>, node_name = "Conv_1_nchw"} : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>

// -----

// A pointwise conv needs no im2col (as in qonnx).
func.func @pointwise(%x: tensor<1x3x5x5xf32>) -> tensor<1x2x5x5xf32> {
  %w = qonnx.constant dense<[[[[1.0]], [[2.0]], [[3.0]]], [[[-1.0]], [[-2.0]], [[-3.0]]]]> : tensor<2x3x1x1xf32>
  %y = qonnx.conv %x, %w {kernel_shape = array<i64: 1, 1>} : (tensor<1x3x5x5xf32>, tensor<2x3x1x1xf32>) -> tensor<1x2x5x5xf32>
  func.return %y : tensor<1x2x5x5xf32>
}

// CHECK-LABEL: func.func @pointwise(
// CHECK-NEXT:    %{{.*}} = qonnx.transpose %x {perm = array<i64: 0, 2, 3, 1>}
// CHECK-NEXT:    %{{.*}} = qonnx.constant dense<{{\[}}[1.000000e+00, -1.000000e+00], [2.000000e+00, -2.000000e+00], [3.000000e+00, -3.000000e+00]]> : tensor<3x2xf32>
// CHECK-NEXT:    %{{.*}} = qonnx.matmul {{.*}} : (tensor<1x5x5x3xf32>, tensor<3x2xf32>) -> tensor<1x5x5x2xf32>
// CHECK-NEXT:    %{{.*}} = qonnx.transpose {{.*}} {perm = array<i64: 0, 3, 1, 2>}
// CHECK-NOT:     qonnx.im2col

// -----

// Depthwise (group = C = M): im2col marked depthwise, block-diagonal weight matrix;
// bipolar weights with zeros become ternary.
func.func @depthwise(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32> {
  %w = qonnx.constant dense<[[[[1.0, -1.0], [1.0, 1.0]]], [[[-1.0, -1.0], [1.0, -1.0]]]]> : tensor<2x1x2x2xf32> -> tensor<2x1x2x2x!qonnx.bipolar>
  %y = qonnx.conv %x, %w {kernel_shape = array<i64: 2, 2>, group = 2 : i64, node_name = "Conv_dw"} : (tensor<1x2x4x4xf32>, tensor<2x1x2x2x!qonnx.bipolar>) -> tensor<1x2x3x3xf32>
  func.return %y : tensor<1x2x3x3xf32>
}

// CHECK-LABEL: func.func @depthwise(
// CHECK:         qonnx.im2col {{.*}} depthwise = true, node_name = "Conv_dw_im2col"} : (tensor<1x4x4x2xf32>) -> tensor<1x3x3x8xf32>
// CHECK-NEXT:    %Conv_dw_weights = qonnx.constant {node_name = "Conv_dw_weights"} dense<{{\[}}[1.000000e+00, 0.000000e+00], [0.000000e+00, -1.000000e+00], {{.*}}]> : tensor<8x2xf32> -> tensor<8x2x!qonnx.ternary>
// CHECK-NEXT:    qonnx.matmul %Conv_dw_im2col, %Conv_dw_weights {node_name = "Conv_dw"}

// -----

// MaxPool -> channels-last, ceil_mode and pads kept.
func.func @max_pool(%x: tensor<1x2x5x5xsi4>) -> tensor<1x2x3x3xsi4> {
  %y = qonnx.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true, node_name = "MaxPool_0"} : (tensor<1x2x5x5xsi4>) -> tensor<1x2x3x3xsi4>
  func.return %y : tensor<1x2x3x3xsi4>
}

// CHECK-LABEL: func.func @max_pool(
// CHECK-NEXT:    %MaxPool_0_nhwc = qonnx.transpose %x {perm = array<i64: 0, 2, 3, 1>, node_name = "MaxPool_0_nhwc"} : (tensor<1x2x5x5xsi4>) -> tensor<1x5x5x2xsi4>
// CHECK-NEXT:    %MaxPool_0_nhwc_out = qonnx.max_pool_nhwc %MaxPool_0_nhwc {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true, node_name = "MaxPool_0"} : (tensor<1x5x5x2xsi4>) -> tensor<1x3x3x2xsi4>
// CHECK-NEXT:    %y = qonnx.transpose %MaxPool_0_nhwc_out {perm = array<i64: 0, 3, 1, 2>, node_name = "MaxPool_0_nchw"} : (tensor<1x3x3x2xsi4>) -> tensor<1x2x3x3xsi4>

// -----

// Two convs with a channelwise Mul (constant (C,1,1) -> (C,)), a Relu, a scalar Add and
// a MultiThreshold (NCHW -> NHWC) between them: the transposes meet and cancel.
func.func @chain(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %w0 = qonnx.constant dense<[[[[1.0]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>
  %c0 = qonnx.conv %x, %w0 {kernel_shape = array<i64: 1, 1>, node_name = "Conv_0"} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  %k = qonnx.constant dense<[[[2.0]], [[0.5]]]> : tensor<2x1x1xf32>
  %m = qonnx.mul %c0, %k {node_name = "Mul_0"} : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %r = qonnx.relu %m {node_name = "Relu_0"} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %one = qonnx.constant dense<1.0> : tensor<1xf32>
  %a = qonnx.add %one, %r {node_name = "Add_0"} : (tensor<1xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %t = qonnx.constant dense<[[0.5, 1.5, 2.5], [1.0, 2.0, 3.0]]> : tensor<2x3xf32>
  %q = qonnx.multithreshold %a, %t {out_dtype = ui2, node_name = "MultiThreshold_0"} : (tensor<1x2x4x4xf32>, tensor<2x3xf32>) -> tensor<1x2x4x4xui2>
  %w1 = qonnx.constant dense<1.0> : tensor<1x2x3x3xf32>
  %c1 = qonnx.conv %q, %w1 {kernel_shape = array<i64: 3, 3>, node_name = "Conv_1"} : (tensor<1x2x4x4xui2>, tensor<1x2x3x3xf32>) -> tensor<1x1x2x2xf32>
  func.return %c1 : tensor<1x1x2x2xf32>
}

// CHECK-LABEL: func.func @chain(
// CHECK-NEXT:    %Conv_0_nhwc = qonnx.transpose %x {perm = array<i64: 0, 2, 3, 1>
// CHECK-NEXT:    %Conv_0_weights = qonnx.constant
// CHECK-NEXT:    %Conv_0_mm = qonnx.matmul %Conv_0_nhwc, %Conv_0_weights {node_name = "Conv_0"} : (tensor<1x4x4x1xf32>, tensor<1x2xf32>) -> tensor<1x4x4x2xf32>
// CHECK-NEXT:    %k = qonnx.constant dense<[2.000000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK-NEXT:    %m = qonnx.mul %Conv_0_mm, %k {node_name = "Mul_0"} : (tensor<1x4x4x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
// CHECK-NEXT:    %r = qonnx.relu %m {node_name = "Relu_0"} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
// CHECK-NEXT:    %one = qonnx.constant dense<1.000000e+00> : tensor<1xf32>
// CHECK-NEXT:    %a = qonnx.add %one, %r {node_name = "Add_0"} : (tensor<1xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
// CHECK-NEXT:    %t = qonnx.constant
// CHECK-NEXT:    %q = qonnx.multithreshold %a, %t {out_dtype = ui2, node_name = "MultiThreshold_0", data_layout = "NHWC"} : (tensor<1x4x4x2xf32>, tensor<2x3xf32>) -> tensor<1x4x4x2xui2>
// CHECK-NEXT:    %Conv_1_im2col = qonnx.im2col %q {{.*}} : (tensor<1x4x4x2xui2>) -> tensor<1x2x2x18xui2>
// CHECK-NEXT:    %Conv_1_weights = qonnx.constant
// CHECK-NEXT:    %Conv_1_mm = qonnx.matmul %Conv_1_im2col, %Conv_1_weights
// CHECK-NEXT:    %c1 = qonnx.transpose %Conv_1_mm {perm = array<i64: 0, 3, 1, 2>, node_name = "Conv_1_nchw"}
// CHECK-NEXT:    func.return %c1

// -----

// BatchNormalization after a conv becomes a channels-last Mul + Add.
func.func @batch_norm(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = qonnx.constant dense<[[[[1.0]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>
  %c = qonnx.conv %x, %w {kernel_shape = array<i64: 1, 1>, node_name = "Conv_0"} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  %scale = qonnx.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %bias = qonnx.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %mean = qonnx.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %var = qonnx.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %y = qonnx.batch_norm %c, %scale, %bias, %mean, %var {epsilon = 0.0 : f32, node_name = "BatchNormalization_0"} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  func.return %y : tensor<1x2x3x3xf32>
}

// CHECK-LABEL: func.func @batch_norm(
// CHECK:         %Conv_0_mm = qonnx.matmul
// s = scale / sqrt(var + eps), b = bias - mean * s
// CHECK-NEXT:    %BatchNormalization_0_scale = qonnx.constant {node_name = "BatchNormalization_0_scale"} dense<[2.000000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK-NEXT:    %BatchNormalization_0_bias = qonnx.constant {node_name = "BatchNormalization_0_bias"} dense<[5.000000e-01, -1.000000e+00]> : tensor<2xf32>
// CHECK-NEXT:    %BatchNormalization_0_mul = qonnx.mul %Conv_0_mm, %BatchNormalization_0_scale {node_name = "BatchNormalization_0_mul"} : (tensor<1x3x3x2xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
// CHECK-NEXT:    %y = qonnx.add %BatchNormalization_0_mul, %BatchNormalization_0_bias {node_name = "BatchNormalization_0_add"} : (tensor<1x3x3x2xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
// CHECK-NEXT:    %c = qonnx.transpose %y {perm = array<i64: 0, 3, 1, 2>, node_name = "Conv_0_nchw"}
// CHECK-NEXT:    func.return %c
// CHECK-NOT:     qonnx.batch_norm

// -----

// The conv -> FC flatten with H = W = 1: the transpose only moves extent-1 axes and is
// dropped.
func.func @flatten_1x1(%x: tensor<1x2x2x2xf32>, %fc: tensor<3x4xf32>) -> tensor<1x4xf32> {
  %w = qonnx.constant dense<1.0> : tensor<3x2x2x2xf32>
  %c = qonnx.conv %x, %w {kernel_shape = array<i64: 2, 2>, node_name = "Conv_0"} : (tensor<1x2x2x2xf32>, tensor<3x2x2x2xf32>) -> tensor<1x3x1x1xf32>
  %shape = qonnx.constant dense<[1, -1]> : tensor<2xi64>
  %f = qonnx.reshape %c, %shape {node_name = "Reshape_0"} : (tensor<1x3x1x1xf32>, tensor<2xi64>) -> tensor<1x3xf32>
  %y = qonnx.matmul %f, %fc {node_name = "MatMul_0"} : (tensor<1x3xf32>, tensor<3x4xf32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// CHECK-LABEL: func.func @flatten_1x1(
// CHECK:         %Conv_0_mm = qonnx.matmul {{.*}} -> tensor<1x1x1x3xf32>
// CHECK-NEXT:    %Reshape_0_shape = qonnx.constant {node_name = "Reshape_0_shape"} dense<[1, 3]> : tensor<2xi64>
// CHECK-NEXT:    %f = qonnx.reshape %Conv_0_mm, %Reshape_0_shape {node_name = "Reshape_0"} : (tensor<1x1x1x3xf32>, tensor<2xi64>) -> tensor<1x3xf32>
// CHECK-NEXT:    %y = qonnx.matmul %f, %fc
// CHECK-NOT:     qonnx.transpose

// -----

// The conv -> FC flatten with H, W > 1: the FC weight rows are permuted from (C, H, W)
// to (H, W, C) order (rows c*4 + h*2 + w -> h*4 + w*2 + c).
func.func @flatten_2x2(%x: tensor<1x1x3x3xf32>) -> tensor<1x1xf32> {
  %w = qonnx.constant dense<[[[[1.0, 1.0], [1.0, 1.0]]], [[[-1.0, -1.0], [-1.0, -1.0]]]]> : tensor<2x1x2x2xf32>
  %c = qonnx.conv %x, %w {kernel_shape = array<i64: 2, 2>, node_name = "Conv_0"} : (tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x2x2x2xf32>
  %f = qonnx.flatten %c {node_name = "Flatten_0"} : (tensor<1x2x2x2xf32>) -> tensor<1x8xf32>
  %fc = qonnx.constant dense<[[0.0], [1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0]]> : tensor<8x1xf32>
  %y = qonnx.matmul %f, %fc {node_name = "MatMul_0"} : (tensor<1x8xf32>, tensor<8x1xf32>) -> tensor<1x1xf32>
  func.return %y : tensor<1x1xf32>
}

// CHECK-LABEL: func.func @flatten_2x2(
// CHECK:         %Conv_0_mm = qonnx.matmul {{.*}} -> tensor<1x2x2x2xf32>
// CHECK-NEXT:    %MatMul_0_weights = qonnx.constant {node_name = "MatMul_0_weights"} dense<{{\[}}[0.000000e+00], [4.000000e+00], [1.000000e+00], [5.000000e+00], [2.000000e+00], [6.000000e+00], [3.000000e+00], [7.000000e+00]]> : tensor<8x1xf32>
// CHECK-NEXT:    %Flatten_0_shape = qonnx.constant {node_name = "Flatten_0_shape"} dense<[1, 8]> : tensor<2xi64>
// CHECK-NEXT:    %Flatten_0_out0 = qonnx.reshape %Conv_0_mm, %Flatten_0_shape {node_name = "Flatten_0"} : (tensor<1x2x2x2xf32>, tensor<2xi64>) -> tensor<1x8xf32>
// CHECK-NEXT:    %y = qonnx.matmul %Flatten_0_out0, %MatMul_0_weights {node_name = "MatMul_0"} : (tensor<1x8xf32>, tensor<8x1xf32>) -> tensor<1x1xf32>
// CHECK-NOT:     qonnx.transpose

// -----

// Negative: a transpose with two users stays where it is.
func.func @two_users(%x: tensor<1x1x2x2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %w = qonnx.constant dense<[[[[1.0]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>
  %c = qonnx.conv %x, %w {kernel_shape = array<i64: 1, 1>, node_name = "Conv_0"} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %r = qonnx.relu %c {node_name = "Relu_0"} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %s = qonnx.sigmoid %c {node_name = "Sigmoid_0"} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  func.return %r, %s : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

// CHECK-LABEL: func.func @two_users(
// CHECK:         %c = qonnx.transpose %Conv_0_mm {perm = array<i64: 0, 3, 1, 2>, node_name = "Conv_0_nchw"}
// CHECK-NEXT:    %r = qonnx.relu %c {node_name = "Relu_0"} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
// CHECK-NEXT:    %s = qonnx.sigmoid %c {node_name = "Sigmoid_0"} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>

// -----

// Negative: a Mul with a non-constant (full-size) operand does not move the transpose.
func.func @mul_dynamic(%x: tensor<1x1x2x2xf32>, %k: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = qonnx.constant dense<[[[[1.0]]], [[[-1.0]]]]> : tensor<2x1x1x1xf32>
  %c = qonnx.conv %x, %w {kernel_shape = array<i64: 1, 1>, node_name = "Conv_0"} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %m = qonnx.mul %c, %k {node_name = "Mul_0"} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  func.return %m : tensor<1x2x2x2xf32>
}

// CHECK-LABEL: func.func @mul_dynamic(
// CHECK:         %c = qonnx.transpose %Conv_0_mm {perm = array<i64: 0, 3, 1, 2>, node_name = "Conv_0_nchw"}
// CHECK-NEXT:    %m = qonnx.mul %c, %k {node_name = "Mul_0"} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>

// -----

// Negative: transposes that are not the lowering's are left alone unless a pattern applies:
// a Mul that broadcasts the transposed operand to a larger shape does not move it.
func.func @broadcasting_mul(%x: tensor<1x2x1x1xf32>) -> tensor<1x3x2x2xf32> {
  %t = qonnx.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x2x1x1xf32>) -> tensor<1x1x1x2xf32>
  %k = qonnx.constant dense<1.0> : tensor<1x3x2x2xf32>
  %m = qonnx.mul %t, %k : (tensor<1x1x1x2xf32>, tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  func.return %m : tensor<1x3x2x2xf32>
}

// CHECK-LABEL: func.func @broadcasting_mul(
// CHECK-NEXT:    %t = qonnx.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x2x1x1xf32>) -> tensor<1x1x1x2xf32>
// CHECK-NEXT:    %k = qonnx.constant
// CHECK-NEXT:    %m = qonnx.mul %t, %k : (tensor<1x1x1x2xf32>, tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>

// -----

// A grouped conv with computed weights: the block-diagonal weight is built by tiling the
// weights along C and masking (bipolar * {0, 1} is ternary).
func.func @grouped_computed(%x: tensor<1x4x3x3xf32>, %raw: tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32> {
  %s = qonnx.constant dense<1.0> : tensor<1xf32>
  %w = qonnx.bipolar_quant %raw, %s {node_name = "BipolarQuant_w"} : (tensor<2x2x1x1xf32>, tensor<1xf32>) -> tensor<2x2x1x1x!qonnx.bipolar>
  %y = qonnx.conv %x, %w {kernel_shape = array<i64: 1, 1>, group = 2 : i64, node_name = "Conv_g"} : (tensor<1x4x3x3xf32>, tensor<2x2x1x1x!qonnx.bipolar>) -> tensor<1x2x3x3xf32>
  func.return %y : tensor<1x2x3x3xf32>
}

// CHECK-LABEL: func.func @grouped_computed(
// CHECK:         %Conv_g_weights_tiled = qonnx.concat %w, %w {axis = 1 : i64, node_name = "Conv_g_weights_tiled"} : (tensor<2x2x1x1x!qonnx.bipolar>, tensor<2x2x1x1x!qonnx.bipolar>) -> tensor<2x4x1x1x!qonnx.bipolar>
// CHECK-NEXT:    %Conv_g_weights_mask = qonnx.constant {node_name = "Conv_g_weights_mask"} dense<{{\[\[\[\[1\.000000e\+00\]\], \[\[1\.000000e\+00\]\], \[\[0\.000000e\+00\]\], \[\[0\.000000e\+00\]\]\], \[\[\[0\.000000e\+00\]\], \[\[0\.000000e\+00\]\], \[\[1\.000000e\+00\]\], \[\[1\.000000e\+00\]\]\]\]}}> : tensor<2x4x1x1xf32>
// CHECK-NEXT:    %Conv_g_weights_dense = qonnx.mul %Conv_g_weights_tiled, %Conv_g_weights_mask {{.*}} -> tensor<2x4x1x1x!qonnx.ternary>
// CHECK-NEXT:    %Conv_g_weights_perm = qonnx.transpose %Conv_g_weights_dense {perm = array<i64: 2, 3, 1, 0>
// CHECK-NEXT:    %Conv_g_weights_shape = qonnx.constant
// CHECK-NEXT:    %Conv_g_weights = qonnx.reshape {{.*}} -> tensor<4x2x!qonnx.ternary>
// CHECK-NEXT:    %Conv_g_mm = qonnx.matmul %Conv_g_nhwc, %Conv_g_weights {node_name = "Conv_g"} : (tensor<1x3x3x4xf32>, tensor<4x2x!qonnx.ternary>) -> tensor<1x3x3x2xf32>

// -----

// Error (last, it ends the run): a 1-D conv has no im2col lowering.
func.func @conv_1d(%x: tensor<1x2x9xf32>) -> tensor<1x3x7xf32> {
  %w = qonnx.constant dense<1.0> : tensor<3x2x3xf32>
  %y = qonnx.conv %x, %w {kernel_shape = array<i64: 3>, node_name = "Conv_1d"} : (tensor<1x2x9xf32>, tensor<3x2x3xf32>) -> tensor<1x3x7xf32>
  func.return %y : tensor<1x3x7xf32>
}

// CHECK:       error: lower-conv: qonnx.conv 'Conv_1d': only 2-D convolutions lower to im2col + matmul, this one has 1 spatial dimension(s)
