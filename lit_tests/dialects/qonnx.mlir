// Every qonnx op in its custom form: printed back unchanged, and the same after a trip
// through the generic form (FINN_ROUNDTRIP); the generic form itself is checked with the
// CHECK-GENERIC lines (FINN_GENERIC_ROUNDTRIP).

// RUN: finn-opt %s --split-input-file | filecheck %s
// RUN: FINN_ROUNDTRIP
// RUN: FINN_GENERIC_ROUNDTRIP

func.func @constants() -> tensor<2x2xsi2> {
  %f = qonnx.constant dense<[0.5, -1.25]> : tensor<2xf32>
  %i = qonnx.constant {node_name = "Reshape_0_param0"} dense<[1, -1]> : tensor<2xi64>
  %u = qonnx.constant dense<[[0, 255]]> : tensor<1x2xui8>
  %s = qonnx.constant dense<2.5> : tensor<f32>
  %b = qonnx.constant dense<[1.0, -1.0, -1.0]> : tensor<3xf32> -> tensor<3x!qonnx.bipolar>
  %t = qonnx.constant dense<[0.0, 1.0, -1.0]> : tensor<3xf32> -> tensor<3x!qonnx.ternary>
  %w = qonnx.constant {node_name = "W"} dense<[[1.0, -2.0], [0.0, 1.0]]> : tensor<2x2xf32> -> tensor<2x2xsi2>
  func.return %w : tensor<2x2xsi2>
}

// CHECK-LABEL: func.func @constants() -> tensor<2x2xsi2> {
// CHECK-NEXT: %f = qonnx.constant dense<[5.000000e-01, -1.250000e+00]> : tensor<2xf32>
// CHECK-NEXT: %i = qonnx.constant {node_name = "Reshape_0_param0"} dense<[1, -1]> : tensor<2xi64>
// CHECK-NEXT: %u = qonnx.constant dense<{{\[\[}}0, 255]]> : tensor<1x2xui8>
// CHECK-NEXT: %s = qonnx.constant dense<2.500000e+00> : tensor<f32>
// CHECK-NEXT: %b = qonnx.constant dense<[1.000000e+00, -1.000000e+00, -1.000000e+00]> : tensor<3xf32> -> tensor<3x!qonnx.bipolar>
// CHECK-NEXT: %t = qonnx.constant dense<[0.000000e+00, 1.000000e+00, -1.000000e+00]> : tensor<3xf32> -> tensor<3x!qonnx.ternary>
// CHECK-NEXT: %w = qonnx.constant {node_name = "W"} dense<{{\[\[}}1.000000e+00, -2.000000e+00], [0.000000e+00, 1.000000e+00]]> : tensor<2x2xf32> -> tensor<2x2xsi2>
// CHECK-NEXT: func.return %w : tensor<2x2xsi2>

// CHECK-GENERIC: %f = "qonnx.constant"() <{value = dense<[5.000000e-01, -1.250000e+00]> : tensor<2xf32>}> : () -> tensor<2xf32>
// CHECK-GENERIC: %i = "qonnx.constant"() <{value = dense<[1, -1]> : tensor<2xi64>, node_name = "Reshape_0_param0"}> : () -> tensor<2xi64>
// CHECK-GENERIC: %u = "qonnx.constant"() <{value = dense<{{\[\[}}0, 255]]> : tensor<1x2xui8>}> : () -> tensor<1x2xui8>
// CHECK-GENERIC: %s = "qonnx.constant"() <{value = dense<2.500000e+00> : tensor<f32>}> : () -> tensor<f32>
// CHECK-GENERIC: %b = "qonnx.constant"() <{value = dense<[1.000000e+00, -1.000000e+00, -1.000000e+00]> : tensor<3xf32>}> : () -> tensor<3x!qonnx.bipolar>
// CHECK-GENERIC: %t = "qonnx.constant"() <{value = dense<[0.000000e+00, 1.000000e+00, -1.000000e+00]> : tensor<3xf32>}> : () -> tensor<3x!qonnx.ternary>
// CHECK-GENERIC: %w = "qonnx.constant"() <{value = dense<{{\[\[}}1.000000e+00, -2.000000e+00], [0.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>, node_name = "W"}> : () -> tensor<2x2xsi2>

// -----

func.func @quantizers(%x: tensor<1x4xf32>, %w: tensor<4x3xf32>) -> tensor<1x4xsi2> {
  %one = qonnx.constant dense<1.0> : tensor<1xf32>
  %zero = qonnx.constant dense<0.0> : tensor<1xf32>
  %half = qonnx.constant dense<0.5> : tensor<1xf32>
  %two = qonnx.constant dense<2.0> : tensor<1xf32>
  %four = qonnx.constant dense<4.0> : tensor<1xf32>
  %eight = qonnx.constant dense<8.0> : tensor<1xf32>
  %q = qonnx.quant %x, %one, %zero, %two {narrow = true, node_name = "Quant_0"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xsi2>
  %qu = qonnx.quant %x, %one, %zero, %four {signed = false, rounding_mode = "FLOOR"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xui4>
  %qf = qonnx.quant %x, %half, %zero, %eight : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
  %bq = qonnx.bipolar_quant %w, %one {node_name = "BipolarQuant_0"} : (tensor<4x3xf32>, tensor<1xf32>) -> tensor<4x3x!qonnx.bipolar>
  %t1 = qonnx.trunc %x, %half, %zero, %eight, %four {node_name = "Trunc_0"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
  %t2 = qonnx.trunc %x, %half, %zero, %eight, %two, %four {signed = false, rounding_mode = "ROUND"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
  func.return %q : tensor<1x4xsi2>
}

// CHECK-LABEL: func.func @quantizers(%x: tensor<1x4xf32>, %w: tensor<4x3xf32>) -> tensor<1x4xsi2> {
// CHECK-NEXT: %one = qonnx.constant dense<1.000000e+00> : tensor<1xf32>
// CHECK-NEXT: %zero = qonnx.constant dense<0.000000e+00> : tensor<1xf32>
// CHECK-NEXT: %half = qonnx.constant dense<5.000000e-01> : tensor<1xf32>
// CHECK-NEXT: %two = qonnx.constant dense<2.000000e+00> : tensor<1xf32>
// CHECK-NEXT: %four = qonnx.constant dense<4.000000e+00> : tensor<1xf32>
// CHECK-NEXT: %eight = qonnx.constant dense<8.000000e+00> : tensor<1xf32>
// CHECK-NEXT: %q = qonnx.quant %x, %one, %zero, %two {narrow = true, node_name = "Quant_0"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xsi2>
// CHECK-NEXT: %qu = qonnx.quant %x, %one, %zero, %four {signed = false, rounding_mode = "FLOOR"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xui4>
// CHECK-NEXT: %qf = qonnx.quant %x, %half, %zero, %eight : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
// CHECK-NEXT: %bq = qonnx.bipolar_quant %w, %one {node_name = "BipolarQuant_0"} : (tensor<4x3xf32>, tensor<1xf32>) -> tensor<4x3x!qonnx.bipolar>
// CHECK-NEXT: %t1 = qonnx.trunc %x, %half, %zero, %eight, %four {node_name = "Trunc_0"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
// CHECK-NEXT: %t2 = qonnx.trunc %x, %half, %zero, %eight, %two, %four {signed = false, rounding_mode = "ROUND"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
// CHECK-NEXT: func.return %q : tensor<1x4xsi2>

// CHECK-GENERIC: %one = "qonnx.constant"() <{value = dense<1.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
// CHECK-GENERIC: %zero = "qonnx.constant"() <{value = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
// CHECK-GENERIC: %half = "qonnx.constant"() <{value = dense<5.000000e-01> : tensor<1xf32>}> : () -> tensor<1xf32>
// CHECK-GENERIC: %two = "qonnx.constant"() <{value = dense<2.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
// CHECK-GENERIC: %four = "qonnx.constant"() <{value = dense<4.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
// CHECK-GENERIC: %eight = "qonnx.constant"() <{value = dense<8.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
// CHECK-GENERIC: %q = "qonnx.quant"(%x, %one, %zero, %two) <{narrow = true, node_name = "Quant_0", signed = true, rounding_mode = "ROUND"}> : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xsi2>
// CHECK-GENERIC: %qu = "qonnx.quant"(%x, %one, %zero, %four) <{signed = false, rounding_mode = "FLOOR", narrow = false}> : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xui4>
// CHECK-GENERIC: %qf = "qonnx.quant"(%x, %half, %zero, %eight) <{signed = true, narrow = false, rounding_mode = "ROUND"}> : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
// CHECK-GENERIC: %bq = "qonnx.bipolar_quant"(%w, %one) <{node_name = "BipolarQuant_0"}> : (tensor<4x3xf32>, tensor<1xf32>) -> tensor<4x3x!qonnx.bipolar>
// CHECK-GENERIC: %t1 = "qonnx.trunc"(%x, %half, %zero, %eight, %four) <{node_name = "Trunc_0", rounding_mode = "FLOOR", signed = true, narrow = false}> : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
// CHECK-GENERIC: %t2 = "qonnx.trunc"(%x, %half, %zero, %eight, %two, %four) <{signed = false, rounding_mode = "ROUND", narrow = false}> : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>

// -----

func.func @multithreshold(%x: tensor<1x4xsi32>, %y: tensor<1x2x2x4xf32>) -> tensor<1x4xui2> {
  %t = qonnx.constant dense<[[-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0]]> : tensor<4x3xf32>
  %t1 = qonnx.constant dense<0.0> : tensor<4x1xf32>
  %m = qonnx.multithreshold %x, %t {out_dtype = ui2, node_name = "MultiThreshold_0"} : (tensor<1x4xsi32>, tensor<4x3xf32>) -> tensor<1x4xui2>
  %b = qonnx.multithreshold %y, %t1 {out_dtype = !qonnx.bipolar, out_scale = 2.0 : f32, out_bias = -1.0 : f32, data_layout = "NHWC"} : (tensor<1x2x2x4xf32>, tensor<4x1xf32>) -> tensor<1x2x2x4x!qonnx.bipolar>
  %s = qonnx.multithreshold %x, %t {out_dtype = si4, out_scale = 0.125 : f32} : (tensor<1x4xsi32>, tensor<4x3xf32>) -> tensor<1x4xf32>
  func.return %m : tensor<1x4xui2>
}

// CHECK-LABEL: func.func @multithreshold(%x: tensor<1x4xsi32>, %y: tensor<1x2x2x4xf32>) -> tensor<1x4xui2> {
// CHECK-NEXT: %t = qonnx.constant dense<{{\[\[}}-1.000000e+00, 0.000000e+00, 1.000000e+00], [-1.000000e+00, 0.000000e+00, 1.000000e+00], [-1.000000e+00, 0.000000e+00, 1.000000e+00], [-1.000000e+00, 0.000000e+00, 1.000000e+00]]> : tensor<4x3xf32>
// CHECK-NEXT: %t1 = qonnx.constant dense<0.000000e+00> : tensor<4x1xf32>
// CHECK-NEXT: %m = qonnx.multithreshold %x, %t {out_dtype = ui2, node_name = "MultiThreshold_0"} : (tensor<1x4xsi32>, tensor<4x3xf32>) -> tensor<1x4xui2>
// CHECK-NEXT: %b = qonnx.multithreshold %y, %t1 {out_dtype = !qonnx.bipolar, out_scale = 2.000000e+00 : f32, out_bias = -1.000000e+00 : f32, data_layout = "NHWC"} : (tensor<1x2x2x4xf32>, tensor<4x1xf32>) -> tensor<1x2x2x4x!qonnx.bipolar>
// CHECK-NEXT: %s = qonnx.multithreshold %x, %t {out_dtype = si4, out_scale = 1.250000e-01 : f32} : (tensor<1x4xsi32>, tensor<4x3xf32>) -> tensor<1x4xf32>
// CHECK-NEXT: func.return %m : tensor<1x4xui2>

// CHECK-GENERIC: %t = "qonnx.constant"() <{value = dense<{{\[\[}}-1.000000e+00, 0.000000e+00, 1.000000e+00], [-1.000000e+00, 0.000000e+00, 1.000000e+00], [-1.000000e+00, 0.000000e+00, 1.000000e+00], [-1.000000e+00, 0.000000e+00, 1.000000e+00]]> : tensor<4x3xf32>}> : () -> tensor<4x3xf32>
// CHECK-GENERIC: %t1 = "qonnx.constant"() <{value = dense<0.000000e+00> : tensor<4x1xf32>}> : () -> tensor<4x1xf32>
// CHECK-GENERIC: %m = "qonnx.multithreshold"(%x, %t) <{out_dtype = ui2, node_name = "MultiThreshold_0", out_scale = 1.000000e+00 : f32, out_bias = 0.000000e+00 : f32, data_layout = ""}> : (tensor<1x4xsi32>, tensor<4x3xf32>) -> tensor<1x4xui2>
// CHECK-GENERIC: %b = "qonnx.multithreshold"(%y, %t1) <{out_dtype = !qonnx.bipolar, out_scale = 2.000000e+00 : f32, out_bias = -1.000000e+00 : f32, data_layout = "NHWC"}> : (tensor<1x2x2x4xf32>, tensor<4x1xf32>) -> tensor<1x2x2x4x!qonnx.bipolar>
// CHECK-GENERIC: %s = "qonnx.multithreshold"(%x, %t) <{out_dtype = si4, out_scale = 1.250000e-01 : f32, out_bias = 0.000000e+00 : f32, data_layout = ""}> : (tensor<1x4xsi32>, tensor<4x3xf32>) -> tensor<1x4xf32>

// -----

func.func @linear(%x: tensor<1x4xsi2>, %w: tensor<4x3xsi2>, %a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> tensor<1x3xsi32> {
  %m = qonnx.matmul %x, %w {node_name = "MatMul_0"} : (tensor<1x4xsi2>, tensor<4x3xsi2>) -> tensor<1x3xsi32>
  %g = qonnx.gemm %a, %b, %c {alpha = 0.5 : f32, trans_b = true, node_name = "Gemm_0"} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %g2 = qonnx.gemm %b, %a {trans_b = true} : (tensor<4x3xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>
  func.return %m : tensor<1x3xsi32>
}

// CHECK-LABEL: func.func @linear(%x: tensor<1x4xsi2>, %w: tensor<4x3xsi2>, %a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> tensor<1x3xsi32> {
// CHECK-NEXT: %m = qonnx.matmul %x, %w {node_name = "MatMul_0"} : (tensor<1x4xsi2>, tensor<4x3xsi2>) -> tensor<1x3xsi32>
// CHECK-NEXT: %g = qonnx.gemm %a, %b, %c {alpha = 5.000000e-01 : f32, trans_b = true, node_name = "Gemm_0"} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %g2 = qonnx.gemm %b, %a {trans_b = true} : (tensor<4x3xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>
// CHECK-NEXT: func.return %m : tensor<1x3xsi32>

// CHECK-GENERIC: %m = "qonnx.matmul"(%x, %w) <{node_name = "MatMul_0"}> : (tensor<1x4xsi2>, tensor<4x3xsi2>) -> tensor<1x3xsi32>
// CHECK-GENERIC: %g = "qonnx.gemm"(%a, %b, %c) <{alpha = 5.000000e-01 : f32, trans_b = true, node_name = "Gemm_0", beta = 1.000000e+00 : f32, trans_a = false}> : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK-GENERIC: %g2 = "qonnx.gemm"(%b, %a) <{trans_b = true, alpha = 1.000000e+00 : f32, beta = 1.000000e+00 : f32, trans_a = false}> : (tensor<4x3xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>

// -----

func.func @conv(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3x!qonnx.bipolar>, %b: tensor<6xf32>, %x1: tensor<1x3x8x!qonnx.bipolar>, %w1: tensor<4x3x3x!qonnx.bipolar>) -> tensor<1x6x3x3xf32> {
  %y = qonnx.conv %x, %w, %b {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, group = 2 : i64, node_name = "Conv_0"} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3x!qonnx.bipolar>, tensor<6xf32>) -> tensor<1x6x3x3xf32>
  %z = qonnx.conv %x1, %w1 {auto_pad = "SAME_UPPER", dilations = array<i64: 2>} : (tensor<1x3x8x!qonnx.bipolar>, tensor<4x3x3x!qonnx.bipolar>) -> tensor<1x4x8xsi32>
  func.return %y : tensor<1x6x3x3xf32>
}

// CHECK-LABEL: func.func @conv(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3x!qonnx.bipolar>, %b: tensor<6xf32>, %x1: tensor<1x3x8x!qonnx.bipolar>, %w1: tensor<4x3x3x!qonnx.bipolar>) -> tensor<1x6x3x3xf32> {
// CHECK-NEXT: %y = qonnx.conv %x, %w, %b {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, group = 2 : i64, node_name = "Conv_0"} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3x!qonnx.bipolar>, tensor<6xf32>) -> tensor<1x6x3x3xf32>
// CHECK-NEXT: %z = qonnx.conv %x1, %w1 {auto_pad = "SAME_UPPER", dilations = array<i64: 2>} : (tensor<1x3x8x!qonnx.bipolar>, tensor<4x3x3x!qonnx.bipolar>) -> tensor<1x4x8xsi32>
// CHECK-NEXT: func.return %y : tensor<1x6x3x3xf32>

// CHECK-GENERIC: %y = "qonnx.conv"(%x, %w, %b) <{kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, group = 2 : i64, node_name = "Conv_0", auto_pad = "NOTSET"}> : (tensor<1x4x5x5xf32>, tensor<6x2x3x3x!qonnx.bipolar>, tensor<6xf32>) -> tensor<1x6x3x3xf32>
// CHECK-GENERIC: %z = "qonnx.conv"(%x1, %w1) <{auto_pad = "SAME_UPPER", dilations = array<i64: 2>, group = 1 : i64}> : (tensor<1x3x8x!qonnx.bipolar>, tensor<4x3x3x!qonnx.bipolar>) -> tensor<1x4x8xsi32>

// -----

func.func @elementwise(%x: tensor<2x1x3xf32>, %y: tensor<4x1xf32>, %i: tensor<1x4xsi4>, %n: tensor<1x3x4x4xf32>, %p: tensor<3xf32>) -> tensor<2x4x3xf32> {
  %add = qonnx.add %x, %y {node_name = "Add_0"} : (tensor<2x1x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
  %sub = qonnx.sub %add, %x : (tensor<2x4x3xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
  %mul = qonnx.mul %sub, %y : (tensor<2x4x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
  %div = qonnx.div %mul, %y : (tensor<2x4x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
  %pow = qonnx.pow %div, %x : (tensor<2x4x3xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
  %relu = qonnx.relu %pow {node_name = "Relu_0"} : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
  %sig = qonnx.sigmoid %relu : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
  %sqrt = qonnx.sqrt %sig : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
  %id = qonnx.identity %i : (tensor<1x4xsi4>) -> tensor<1x4xsi4>
  %bn = qonnx.batch_norm %n, %p, %p, %p, %p {epsilon = 1.0e-04 : f32, momentum = 1.0 : f32, node_name = "BatchNormalization_0"} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  func.return %sqrt : tensor<2x4x3xf32>
}

// CHECK-LABEL: func.func @elementwise(%x: tensor<2x1x3xf32>, %y: tensor<4x1xf32>, %i: tensor<1x4xsi4>, %n: tensor<1x3x4x4xf32>, %p: tensor<3xf32>) -> tensor<2x4x3xf32> {
// CHECK-NEXT: %add = qonnx.add %x, %y {node_name = "Add_0"} : (tensor<2x1x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %sub = qonnx.sub %add, %x : (tensor<2x4x3xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %mul = qonnx.mul %sub, %y : (tensor<2x4x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %div = qonnx.div %mul, %y : (tensor<2x4x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %pow = qonnx.pow %div, %x : (tensor<2x4x3xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %relu = qonnx.relu %pow {node_name = "Relu_0"} : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %sig = qonnx.sigmoid %relu : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %sqrt = qonnx.sqrt %sig : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %id = qonnx.identity %i : (tensor<1x4xsi4>) -> tensor<1x4xsi4>
// CHECK-NEXT: %bn = qonnx.batch_norm %n, %p, %p, %p, %p {epsilon = 1.000000e-04 : f32, momentum = 1.000000e+00 : f32, node_name = "BatchNormalization_0"} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT: func.return %sqrt : tensor<2x4x3xf32>

// CHECK-GENERIC: %add = "qonnx.add"(%x, %y) <{node_name = "Add_0"}> : (tensor<2x1x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %sub = "qonnx.sub"(%add, %x) : (tensor<2x4x3xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %mul = "qonnx.mul"(%sub, %y) : (tensor<2x4x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %div = "qonnx.div"(%mul, %y) : (tensor<2x4x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %pow = "qonnx.pow"(%div, %x) : (tensor<2x4x3xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %relu = "qonnx.relu"(%pow) <{node_name = "Relu_0"}> : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %sig = "qonnx.sigmoid"(%relu) : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %sqrt = "qonnx.sqrt"(%sig) : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %id = "qonnx.identity"(%i) : (tensor<1x4xsi4>) -> tensor<1x4xsi4>
// CHECK-GENERIC: %bn = "qonnx.batch_norm"(%n, %p, %p, %p, %p) <{epsilon = 1.000000e-04 : f32, momentum = 1.000000e+00 : f32, node_name = "BatchNormalization_0", training_mode = false}> : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>

// -----

func.func @pools(%x: tensor<1x2x5x5x!qonnx.bipolar>, %y: tensor<1x2x4x4xf32>, %z: tensor<1x3x4x4xf32>) -> tensor<1x2x3x3x!qonnx.bipolar> {
  %m = qonnx.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true, node_name = "MaxPool_0"} : (tensor<1x2x5x5x!qonnx.bipolar>) -> tensor<1x2x3x3x!qonnx.bipolar>
  %a = qonnx.average_pool %y {auto_pad = "SAME_UPPER", kernel_shape = array<i64: 3, 3>, count_include_pad = true} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %g = qonnx.global_average_pool %z {node_name = "GlobalAveragePool_0"} : (tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32>
  func.return %m : tensor<1x2x3x3x!qonnx.bipolar>
}

// CHECK-LABEL: func.func @pools(%x: tensor<1x2x5x5x!qonnx.bipolar>, %y: tensor<1x2x4x4xf32>, %z: tensor<1x3x4x4xf32>) -> tensor<1x2x3x3x!qonnx.bipolar> {
// CHECK-NEXT: %m = qonnx.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true, node_name = "MaxPool_0"} : (tensor<1x2x5x5x!qonnx.bipolar>) -> tensor<1x2x3x3x!qonnx.bipolar>
// CHECK-NEXT: %a = qonnx.average_pool %y {auto_pad = "SAME_UPPER", kernel_shape = array<i64: 3, 3>, count_include_pad = true} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %g = qonnx.global_average_pool %z {node_name = "GlobalAveragePool_0"} : (tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32>
// CHECK-NEXT: func.return %m : tensor<1x2x3x3x!qonnx.bipolar>

// CHECK-GENERIC: %m = "qonnx.max_pool"(%x) <{kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true, node_name = "MaxPool_0", auto_pad = "NOTSET", storage_order = 0 : i64}> : (tensor<1x2x5x5x!qonnx.bipolar>) -> tensor<1x2x3x3x!qonnx.bipolar>
// CHECK-GENERIC: %a = "qonnx.average_pool"(%y) <{auto_pad = "SAME_UPPER", kernel_shape = array<i64: 3, 3>, count_include_pad = true, ceil_mode = false}> : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK-GENERIC: %g = "qonnx.global_average_pool"(%z) <{node_name = "GlobalAveragePool_0"}> : (tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32>

// -----

func.func @data_movement(%x: tensor<1x2x3x4xsi4>, %a: tensor<1x2x4xf32>, %b: tensor<1x3x4xf32>, %p: tensor<1x2x3x3xf32>) -> tensor<1x24xsi4> {
  %shape = qonnx.constant dense<[1, -1]> : tensor<2xi64>
  %r = qonnx.reshape %x, %shape {node_name = "Reshape_0"} : (tensor<1x2x3x4xsi4>, tensor<2xi64>) -> tensor<1x24xsi4>
  %f = qonnx.flatten %x {axis = 2 : i64} : (tensor<1x2x3x4xsi4>) -> tensor<2x12xsi4>
  %t = qonnx.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x2x3x4xsi4>) -> tensor<1x3x4x2xsi4>
  %c = qonnx.concat %a, %b, %a {axis = -2 : i64} : (tensor<1x2x4xf32>, tensor<1x3x4xf32>, tensor<1x2x4xf32>) -> tensor<1x7x4xf32>
  %pads = qonnx.constant dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xi64>
  %v = qonnx.constant dense<0.5> : tensor<f32>
  %pd = qonnx.pad %p, %pads, %v : (tensor<1x2x3x3xf32>, tensor<8xi64>, tensor<f32>) -> tensor<1x2x5x5xf32>
  %pe = qonnx.pad %p, %pads {mode = "edge"} : (tensor<1x2x3x3xf32>, tensor<8xi64>) -> tensor<1x2x5x5xf32>
  func.return %r : tensor<1x24xsi4>
}

// CHECK-LABEL: func.func @data_movement(%x: tensor<1x2x3x4xsi4>, %a: tensor<1x2x4xf32>, %b: tensor<1x3x4xf32>, %p: tensor<1x2x3x3xf32>) -> tensor<1x24xsi4> {
// CHECK-NEXT: %shape = qonnx.constant dense<[1, -1]> : tensor<2xi64>
// CHECK-NEXT: %r = qonnx.reshape %x, %shape {node_name = "Reshape_0"} : (tensor<1x2x3x4xsi4>, tensor<2xi64>) -> tensor<1x24xsi4>
// CHECK-NEXT: %f = qonnx.flatten %x {axis = 2 : i64} : (tensor<1x2x3x4xsi4>) -> tensor<2x12xsi4>
// CHECK-NEXT: %t = qonnx.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x2x3x4xsi4>) -> tensor<1x3x4x2xsi4>
// CHECK-NEXT: %c = qonnx.concat %a, %b, %a {axis = -2 : i64} : (tensor<1x2x4xf32>, tensor<1x3x4xf32>, tensor<1x2x4xf32>) -> tensor<1x7x4xf32>
// CHECK-NEXT: %pads = qonnx.constant dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xi64>
// CHECK-NEXT: %v = qonnx.constant dense<5.000000e-01> : tensor<f32>
// CHECK-NEXT: %pd = qonnx.pad %p, %pads, %v : (tensor<1x2x3x3xf32>, tensor<8xi64>, tensor<f32>) -> tensor<1x2x5x5xf32>
// CHECK-NEXT: %pe = qonnx.pad %p, %pads {mode = "edge"} : (tensor<1x2x3x3xf32>, tensor<8xi64>) -> tensor<1x2x5x5xf32>
// CHECK-NEXT: func.return %r : tensor<1x24xsi4>

// CHECK-GENERIC: %shape = "qonnx.constant"() <{value = dense<[1, -1]> : tensor<2xi64>}> : () -> tensor<2xi64>
// CHECK-GENERIC: %r = "qonnx.reshape"(%x, %shape) <{node_name = "Reshape_0", allowzero = false}> : (tensor<1x2x3x4xsi4>, tensor<2xi64>) -> tensor<1x24xsi4>
// CHECK-GENERIC: %f = "qonnx.flatten"(%x) <{axis = 2 : i64}> : (tensor<1x2x3x4xsi4>) -> tensor<2x12xsi4>
// CHECK-GENERIC: %t = "qonnx.transpose"(%x) <{perm = array<i64: 0, 2, 3, 1>}> : (tensor<1x2x3x4xsi4>) -> tensor<1x3x4x2xsi4>
// CHECK-GENERIC: %c = "qonnx.concat"(%a, %b, %a) <{axis = -2 : i64}> : (tensor<1x2x4xf32>, tensor<1x3x4xf32>, tensor<1x2x4xf32>) -> tensor<1x7x4xf32>
// CHECK-GENERIC: %pads = "qonnx.constant"() <{value = dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xi64>}> : () -> tensor<8xi64>
// CHECK-GENERIC: %v = "qonnx.constant"() <{value = dense<5.000000e-01> : tensor<f32>}> : () -> tensor<f32>
// CHECK-GENERIC: %pd = "qonnx.pad"(%p, %pads, %v) <{mode = "constant"}> : (tensor<1x2x3x3xf32>, tensor<8xi64>, tensor<f32>) -> tensor<1x2x5x5xf32>
// CHECK-GENERIC: %pe = "qonnx.pad"(%p, %pads) <{mode = "edge"}> : (tensor<1x2x3x3xf32>, tensor<8xi64>) -> tensor<1x2x5x5xf32>

// -----

func.func @selection(%x: tensor<1x10xf32>) -> tensor<1x3xi64> {
  %k = qonnx.constant dense<3> : tensor<1xi64>
  %v, %i = qonnx.topk %x, %k {node_name = "TopK_0"} : (tensor<1x10xf32>, tensor<1xi64>) -> (tensor<1x3xf32>, tensor<1x3xi64>)
  %s, %j = qonnx.topk %x, %k {axis = 1 : i64, largest = false, sorted = false} : (tensor<1x10xf32>, tensor<1xi64>) -> (tensor<1x3xf32>, tensor<1x3xi64>)
  %a = qonnx.argmax %x {axis = 1 : i64, keepdims = false, node_name = "ArgMax_0"} : (tensor<1x10xf32>) -> tensor<1xi64>
  %b = qonnx.argmax %x {select_last_index = true} : (tensor<1x10xf32>) -> tensor<1x10xi64>
  func.return %i : tensor<1x3xi64>
}

// CHECK-LABEL: func.func @selection(%x: tensor<1x10xf32>) -> tensor<1x3xi64> {
// CHECK-NEXT: %k = qonnx.constant dense<3> : tensor<1xi64>
// CHECK-NEXT: %v, %i = qonnx.topk %x, %k {node_name = "TopK_0"} : (tensor<1x10xf32>, tensor<1xi64>) -> (tensor<1x3xf32>, tensor<1x3xi64>)
// CHECK-NEXT: %s, %j = qonnx.topk %x, %k {axis = 1 : i64, largest = false, sorted = false} : (tensor<1x10xf32>, tensor<1xi64>) -> (tensor<1x3xf32>, tensor<1x3xi64>)
// CHECK-NEXT: %a = qonnx.argmax %x {axis = 1 : i64, keepdims = false, node_name = "ArgMax_0"} : (tensor<1x10xf32>) -> tensor<1xi64>
// CHECK-NEXT: %b = qonnx.argmax %x {select_last_index = true} : (tensor<1x10xf32>) -> tensor<1x10xi64>
// CHECK-NEXT: func.return %i : tensor<1x3xi64>

// CHECK-GENERIC: %k = "qonnx.constant"() <{value = dense<3> : tensor<1xi64>}> : () -> tensor<1xi64>
// CHECK-GENERIC: %v, %i = "qonnx.topk"(%x, %k) <{node_name = "TopK_0", axis = -1 : i64, largest = true, sorted = true}> : (tensor<1x10xf32>, tensor<1xi64>) -> (tensor<1x3xf32>, tensor<1x3xi64>)
// CHECK-GENERIC: %s, %j = "qonnx.topk"(%x, %k) <{axis = 1 : i64, largest = false, sorted = false}> : (tensor<1x10xf32>, tensor<1xi64>) -> (tensor<1x3xf32>, tensor<1x3xi64>)
// CHECK-GENERIC: %a = "qonnx.argmax"(%x) <{axis = 1 : i64, keepdims = false, node_name = "ArgMax_0", select_last_index = false}> : (tensor<1x10xf32>) -> tensor<1xi64>
// CHECK-GENERIC: %b = "qonnx.argmax"(%x) <{select_last_index = true, axis = 0 : i64, keepdims = true}> : (tensor<1x10xf32>) -> tensor<1x10xi64>
