// Every quant op in its custom form: printed back unchanged, and the same after a trip
// through the generic form (FINN_ROUNDTRIP); the generic form itself is checked with the
// CHECK-GENERIC lines (FINN_GENERIC_ROUNDTRIP).

// RUN: finn-opt %s --split-input-file | filecheck %s
// RUN: FINN_ROUNDTRIP
// RUN: FINN_GENERIC_ROUNDTRIP

func.func @constants() -> tensor<2x2xsi2> {
  %f = quant.constant dense<[0.5, -1.25]> : tensor<2xf32>
  %i = quant.constant {node_name = "Reshape_0_param0"} dense<[1, -1]> : tensor<2xi64>
  %u = quant.constant dense<[[0, 255]]> : tensor<1x2xui8>
  %s = quant.constant dense<2.5> : tensor<f32>
  %b = quant.constant dense<[1.0, -1.0, -1.0]> : tensor<3xf32> -> tensor<3x!quant.bipolar>
  %t = quant.constant dense<[0.0, 1.0, -1.0]> : tensor<3xf32> -> tensor<3x!quant.ternary>
  %w = quant.constant {node_name = "W"} dense<[[1.0, -2.0], [0.0, 1.0]]> : tensor<2x2xf32> -> tensor<2x2xsi2>
  func.return %w : tensor<2x2xsi2>
}

// CHECK-LABEL: func.func @constants() -> tensor<2x2xsi2> {
// CHECK-NEXT: %f = quant.constant dense<[5.000000e-01, -1.250000e+00]> : tensor<2xf32>
// CHECK-NEXT: %i = quant.constant {node_name = "Reshape_0_param0"} dense<[1, -1]> : tensor<2xi64>
// CHECK-NEXT: %u = quant.constant dense<{{\[\[}}0, 255]]> : tensor<1x2xui8>
// CHECK-NEXT: %s = quant.constant dense<2.500000e+00> : tensor<f32>
// CHECK-NEXT: %b = quant.constant dense<[1.000000e+00, -1.000000e+00, -1.000000e+00]> : tensor<3xf32> -> tensor<3x!quant.bipolar>
// CHECK-NEXT: %t = quant.constant dense<[0.000000e+00, 1.000000e+00, -1.000000e+00]> : tensor<3xf32> -> tensor<3x!quant.ternary>
// CHECK-NEXT: %w = quant.constant {node_name = "W"} dense<{{\[\[}}1.000000e+00, -2.000000e+00], [0.000000e+00, 1.000000e+00]]> : tensor<2x2xf32> -> tensor<2x2xsi2>
// CHECK-NEXT: func.return %w : tensor<2x2xsi2>

// CHECK-GENERIC: %f = "quant.constant"() <{value = dense<[5.000000e-01, -1.250000e+00]> : tensor<2xf32>}> : () -> tensor<2xf32>
// CHECK-GENERIC: %i = "quant.constant"() <{value = dense<[1, -1]> : tensor<2xi64>, node_name = "Reshape_0_param0"}> : () -> tensor<2xi64>
// CHECK-GENERIC: %u = "quant.constant"() <{value = dense<{{\[\[}}0, 255]]> : tensor<1x2xui8>}> : () -> tensor<1x2xui8>
// CHECK-GENERIC: %s = "quant.constant"() <{value = dense<2.500000e+00> : tensor<f32>}> : () -> tensor<f32>
// CHECK-GENERIC: %b = "quant.constant"() <{value = dense<[1.000000e+00, -1.000000e+00, -1.000000e+00]> : tensor<3xf32>}> : () -> tensor<3x!quant.bipolar>
// CHECK-GENERIC: %t = "quant.constant"() <{value = dense<[0.000000e+00, 1.000000e+00, -1.000000e+00]> : tensor<3xf32>}> : () -> tensor<3x!quant.ternary>
// CHECK-GENERIC: %w = "quant.constant"() <{value = dense<{{\[\[}}1.000000e+00, -2.000000e+00], [0.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>, node_name = "W"}> : () -> tensor<2x2xsi2>

// -----

func.func @quantizers(%x: tensor<1x4xf32>, %w: tensor<4x3xf32>) -> tensor<1x4xsi2> {
  %one = quant.constant dense<1.0> : tensor<1xf32>
  %zero = quant.constant dense<0.0> : tensor<1xf32>
  %half = quant.constant dense<0.5> : tensor<1xf32>
  %two = quant.constant dense<2.0> : tensor<1xf32>
  %four = quant.constant dense<4.0> : tensor<1xf32>
  %eight = quant.constant dense<8.0> : tensor<1xf32>
  %q = quant.quant %x, %one, %zero, %two {narrow = true, node_name = "Quant_0"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xsi2>
  %qu = quant.quant %x, %one, %zero, %four {signed = false, rounding_mode = "FLOOR"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xui4>
  %qf = quant.quant %x, %half, %zero, %eight : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
  %bq = quant.bipolar_quant %w, %one {node_name = "BipolarQuant_0"} : (tensor<4x3xf32>, tensor<1xf32>) -> tensor<4x3x!quant.bipolar>
  %t1 = quant.trunc %x, %half, %zero, %eight, %four {node_name = "Trunc_0"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
  %t2 = quant.trunc %x, %half, %zero, %eight, %two, %four {signed = false, rounding_mode = "ROUND"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
  func.return %q : tensor<1x4xsi2>
}

// CHECK-LABEL: func.func @quantizers(%x: tensor<1x4xf32>, %w: tensor<4x3xf32>) -> tensor<1x4xsi2> {
// CHECK-NEXT: %one = quant.constant dense<1.000000e+00> : tensor<1xf32>
// CHECK-NEXT: %zero = quant.constant dense<0.000000e+00> : tensor<1xf32>
// CHECK-NEXT: %half = quant.constant dense<5.000000e-01> : tensor<1xf32>
// CHECK-NEXT: %two = quant.constant dense<2.000000e+00> : tensor<1xf32>
// CHECK-NEXT: %four = quant.constant dense<4.000000e+00> : tensor<1xf32>
// CHECK-NEXT: %eight = quant.constant dense<8.000000e+00> : tensor<1xf32>
// CHECK-NEXT: %q = quant.quant %x, %one, %zero, %two {narrow = true, node_name = "Quant_0"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xsi2>
// CHECK-NEXT: %qu = quant.quant %x, %one, %zero, %four {signed = false, rounding_mode = "FLOOR"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xui4>
// CHECK-NEXT: %qf = quant.quant %x, %half, %zero, %eight : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
// CHECK-NEXT: %bq = quant.bipolar_quant %w, %one {node_name = "BipolarQuant_0"} : (tensor<4x3xf32>, tensor<1xf32>) -> tensor<4x3x!quant.bipolar>
// CHECK-NEXT: %t1 = quant.trunc %x, %half, %zero, %eight, %four {node_name = "Trunc_0"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
// CHECK-NEXT: %t2 = quant.trunc %x, %half, %zero, %eight, %two, %four {signed = false, rounding_mode = "ROUND"} : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
// CHECK-NEXT: func.return %q : tensor<1x4xsi2>

// CHECK-GENERIC: %one = "quant.constant"() <{value = dense<1.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
// CHECK-GENERIC: %zero = "quant.constant"() <{value = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
// CHECK-GENERIC: %half = "quant.constant"() <{value = dense<5.000000e-01> : tensor<1xf32>}> : () -> tensor<1xf32>
// CHECK-GENERIC: %two = "quant.constant"() <{value = dense<2.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
// CHECK-GENERIC: %four = "quant.constant"() <{value = dense<4.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
// CHECK-GENERIC: %eight = "quant.constant"() <{value = dense<8.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
// CHECK-GENERIC: %q = "quant.quant"(%x, %one, %zero, %two) <{narrow = true, node_name = "Quant_0", signed = true, rounding_mode = "ROUND"}> : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xsi2>
// CHECK-GENERIC: %qu = "quant.quant"(%x, %one, %zero, %four) <{signed = false, rounding_mode = "FLOOR", narrow = false}> : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xui4>
// CHECK-GENERIC: %qf = "quant.quant"(%x, %half, %zero, %eight) <{signed = true, narrow = false, rounding_mode = "ROUND"}> : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
// CHECK-GENERIC: %bq = "quant.bipolar_quant"(%w, %one) <{node_name = "BipolarQuant_0"}> : (tensor<4x3xf32>, tensor<1xf32>) -> tensor<4x3x!quant.bipolar>
// CHECK-GENERIC: %t1 = "quant.trunc"(%x, %half, %zero, %eight, %four) <{node_name = "Trunc_0", rounding_mode = "FLOOR", signed = true, narrow = false}> : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>
// CHECK-GENERIC: %t2 = "quant.trunc"(%x, %half, %zero, %eight, %two, %four) <{signed = false, rounding_mode = "ROUND", narrow = false}> : (tensor<1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4xf32>

// -----

func.func @multithreshold(%x: tensor<1x4xsi32>, %y: tensor<1x2x2x4xf32>) -> tensor<1x4xui2> {
  %t = quant.constant dense<[[-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0]]> : tensor<4x3xf32>
  %t1 = quant.constant dense<0.0> : tensor<4x1xf32>
  %m = quant.multithreshold %x, %t {out_dtype = ui2, node_name = "MultiThreshold_0"} : (tensor<1x4xsi32>, tensor<4x3xf32>) -> tensor<1x4xui2>
  %b = quant.multithreshold %y, %t1 {out_dtype = !quant.bipolar, out_scale = 2.0 : f32, out_bias = -1.0 : f32, data_layout = "NHWC"} : (tensor<1x2x2x4xf32>, tensor<4x1xf32>) -> tensor<1x2x2x4x!quant.bipolar>
  %s = quant.multithreshold %x, %t {out_dtype = si4, out_scale = 0.125 : f32} : (tensor<1x4xsi32>, tensor<4x3xf32>) -> tensor<1x4xf32>
  func.return %m : tensor<1x4xui2>
}

// CHECK-LABEL: func.func @multithreshold(%x: tensor<1x4xsi32>, %y: tensor<1x2x2x4xf32>) -> tensor<1x4xui2> {
// CHECK-NEXT: %t = quant.constant dense<{{\[\[}}-1.000000e+00, 0.000000e+00, 1.000000e+00], [-1.000000e+00, 0.000000e+00, 1.000000e+00], [-1.000000e+00, 0.000000e+00, 1.000000e+00], [-1.000000e+00, 0.000000e+00, 1.000000e+00]]> : tensor<4x3xf32>
// CHECK-NEXT: %t1 = quant.constant dense<0.000000e+00> : tensor<4x1xf32>
// CHECK-NEXT: %m = quant.multithreshold %x, %t {out_dtype = ui2, node_name = "MultiThreshold_0"} : (tensor<1x4xsi32>, tensor<4x3xf32>) -> tensor<1x4xui2>
// CHECK-NEXT: %b = quant.multithreshold %y, %t1 {out_dtype = !quant.bipolar, out_scale = 2.000000e+00 : f32, out_bias = -1.000000e+00 : f32, data_layout = "NHWC"} : (tensor<1x2x2x4xf32>, tensor<4x1xf32>) -> tensor<1x2x2x4x!quant.bipolar>
// CHECK-NEXT: %s = quant.multithreshold %x, %t {out_dtype = si4, out_scale = 1.250000e-01 : f32} : (tensor<1x4xsi32>, tensor<4x3xf32>) -> tensor<1x4xf32>
// CHECK-NEXT: func.return %m : tensor<1x4xui2>

// CHECK-GENERIC: %t = "quant.constant"() <{value = dense<{{\[\[}}-1.000000e+00, 0.000000e+00, 1.000000e+00], [-1.000000e+00, 0.000000e+00, 1.000000e+00], [-1.000000e+00, 0.000000e+00, 1.000000e+00], [-1.000000e+00, 0.000000e+00, 1.000000e+00]]> : tensor<4x3xf32>}> : () -> tensor<4x3xf32>
// CHECK-GENERIC: %t1 = "quant.constant"() <{value = dense<0.000000e+00> : tensor<4x1xf32>}> : () -> tensor<4x1xf32>
// CHECK-GENERIC: %m = "quant.multithreshold"(%x, %t) <{out_dtype = ui2, node_name = "MultiThreshold_0", out_scale = 1.000000e+00 : f32, out_bias = 0.000000e+00 : f32, data_layout = ""}> : (tensor<1x4xsi32>, tensor<4x3xf32>) -> tensor<1x4xui2>
// CHECK-GENERIC: %b = "quant.multithreshold"(%y, %t1) <{out_dtype = !quant.bipolar, out_scale = 2.000000e+00 : f32, out_bias = -1.000000e+00 : f32, data_layout = "NHWC"}> : (tensor<1x2x2x4xf32>, tensor<4x1xf32>) -> tensor<1x2x2x4x!quant.bipolar>
// CHECK-GENERIC: %s = "quant.multithreshold"(%x, %t) <{out_dtype = si4, out_scale = 1.250000e-01 : f32, out_bias = 0.000000e+00 : f32, data_layout = ""}> : (tensor<1x4xsi32>, tensor<4x3xf32>) -> tensor<1x4xf32>

// -----

func.func @linear(%x: tensor<1x4xsi2>, %w: tensor<4x3xsi2>, %a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> tensor<1x3xsi32> {
  %m = quant.matmul %x, %w {node_name = "MatMul_0"} : (tensor<1x4xsi2>, tensor<4x3xsi2>) -> tensor<1x3xsi32>
  %g = quant.gemm %a, %b, %c {alpha = 0.5 : f32, trans_b = true, node_name = "Gemm_0"} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %g2 = quant.gemm %b, %a {trans_b = true} : (tensor<4x3xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>
  func.return %m : tensor<1x3xsi32>
}

// CHECK-LABEL: func.func @linear(%x: tensor<1x4xsi2>, %w: tensor<4x3xsi2>, %a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> tensor<1x3xsi32> {
// CHECK-NEXT: %m = quant.matmul %x, %w {node_name = "MatMul_0"} : (tensor<1x4xsi2>, tensor<4x3xsi2>) -> tensor<1x3xsi32>
// CHECK-NEXT: %g = quant.gemm %a, %b, %c {alpha = 5.000000e-01 : f32, trans_b = true, node_name = "Gemm_0"} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %g2 = quant.gemm %b, %a {trans_b = true} : (tensor<4x3xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>
// CHECK-NEXT: func.return %m : tensor<1x3xsi32>

// CHECK-GENERIC: %m = "quant.matmul"(%x, %w) <{node_name = "MatMul_0"}> : (tensor<1x4xsi2>, tensor<4x3xsi2>) -> tensor<1x3xsi32>
// CHECK-GENERIC: %g = "quant.gemm"(%a, %b, %c) <{alpha = 5.000000e-01 : f32, trans_b = true, node_name = "Gemm_0", beta = 1.000000e+00 : f32, trans_a = false}> : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK-GENERIC: %g2 = "quant.gemm"(%b, %a) <{trans_b = true, alpha = 1.000000e+00 : f32, beta = 1.000000e+00 : f32, trans_a = false}> : (tensor<4x3xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>

// -----

func.func @conv(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3x!quant.bipolar>, %b: tensor<6xf32>, %x1: tensor<1x3x8x!quant.bipolar>, %w1: tensor<4x3x3x!quant.bipolar>) -> tensor<1x6x3x3xf32> {
  %y = quant.conv %x, %w, %b {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, group = 2 : i64, node_name = "Conv_0"} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3x!quant.bipolar>, tensor<6xf32>) -> tensor<1x6x3x3xf32>
  %z = quant.conv %x1, %w1 {auto_pad = "SAME_UPPER", dilations = array<i64: 2>} : (tensor<1x3x8x!quant.bipolar>, tensor<4x3x3x!quant.bipolar>) -> tensor<1x4x8xsi32>
  func.return %y : tensor<1x6x3x3xf32>
}

// CHECK-LABEL: func.func @conv(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3x!quant.bipolar>, %b: tensor<6xf32>, %x1: tensor<1x3x8x!quant.bipolar>, %w1: tensor<4x3x3x!quant.bipolar>) -> tensor<1x6x3x3xf32> {
// CHECK-NEXT: %y = quant.conv %x, %w, %b {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, group = 2 : i64, node_name = "Conv_0"} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3x!quant.bipolar>, tensor<6xf32>) -> tensor<1x6x3x3xf32>
// CHECK-NEXT: %z = quant.conv %x1, %w1 {auto_pad = "SAME_UPPER", dilations = array<i64: 2>} : (tensor<1x3x8x!quant.bipolar>, tensor<4x3x3x!quant.bipolar>) -> tensor<1x4x8xsi32>
// CHECK-NEXT: func.return %y : tensor<1x6x3x3xf32>

// CHECK-GENERIC: %y = "quant.conv"(%x, %w, %b) <{kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, group = 2 : i64, node_name = "Conv_0", auto_pad = "NOTSET"}> : (tensor<1x4x5x5xf32>, tensor<6x2x3x3x!quant.bipolar>, tensor<6xf32>) -> tensor<1x6x3x3xf32>
// CHECK-GENERIC: %z = "quant.conv"(%x1, %w1) <{auto_pad = "SAME_UPPER", dilations = array<i64: 2>, group = 1 : i64}> : (tensor<1x3x8x!quant.bipolar>, tensor<4x3x3x!quant.bipolar>) -> tensor<1x4x8xsi32>

// -----

func.func @elementwise(%x: tensor<2x1x3xf32>, %y: tensor<4x1xf32>, %i: tensor<1x4xsi4>, %n: tensor<1x3x4x4xf32>, %p: tensor<3xf32>) -> tensor<2x4x3xf32> {
  %add = quant.add %x, %y {node_name = "Add_0"} : (tensor<2x1x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
  %sub = quant.sub %add, %x : (tensor<2x4x3xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
  %mul = quant.mul %sub, %y : (tensor<2x4x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
  %div = quant.div %mul, %y : (tensor<2x4x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
  %pow = quant.pow %div, %x : (tensor<2x4x3xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
  %relu = quant.relu %pow {node_name = "Relu_0"} : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
  %sig = quant.sigmoid %relu : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
  %sqrt = quant.sqrt %sig : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
  %id = quant.identity %i : (tensor<1x4xsi4>) -> tensor<1x4xsi4>
  %bn = quant.batch_norm %n, %p, %p, %p, %p {epsilon = 1.0e-04 : f32, momentum = 1.0 : f32, node_name = "BatchNormalization_0"} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  func.return %sqrt : tensor<2x4x3xf32>
}

// CHECK-LABEL: func.func @elementwise(%x: tensor<2x1x3xf32>, %y: tensor<4x1xf32>, %i: tensor<1x4xsi4>, %n: tensor<1x3x4x4xf32>, %p: tensor<3xf32>) -> tensor<2x4x3xf32> {
// CHECK-NEXT: %add = quant.add %x, %y {node_name = "Add_0"} : (tensor<2x1x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %sub = quant.sub %add, %x : (tensor<2x4x3xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %mul = quant.mul %sub, %y : (tensor<2x4x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %div = quant.div %mul, %y : (tensor<2x4x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %pow = quant.pow %div, %x : (tensor<2x4x3xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %relu = quant.relu %pow {node_name = "Relu_0"} : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %sig = quant.sigmoid %relu : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %sqrt = quant.sqrt %sig : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %id = quant.identity %i : (tensor<1x4xsi4>) -> tensor<1x4xsi4>
// CHECK-NEXT: %bn = quant.batch_norm %n, %p, %p, %p, %p {epsilon = 1.000000e-04 : f32, momentum = 1.000000e+00 : f32, node_name = "BatchNormalization_0"} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT: func.return %sqrt : tensor<2x4x3xf32>

// CHECK-GENERIC: %add = "quant.add"(%x, %y) <{node_name = "Add_0"}> : (tensor<2x1x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %sub = "quant.sub"(%add, %x) : (tensor<2x4x3xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %mul = "quant.mul"(%sub, %y) : (tensor<2x4x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %div = "quant.div"(%mul, %y) : (tensor<2x4x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %pow = "quant.pow"(%div, %x) : (tensor<2x4x3xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %relu = "quant.relu"(%pow) <{node_name = "Relu_0"}> : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %sig = "quant.sigmoid"(%relu) : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %sqrt = "quant.sqrt"(%sig) : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
// CHECK-GENERIC: %id = "quant.identity"(%i) : (tensor<1x4xsi4>) -> tensor<1x4xsi4>
// CHECK-GENERIC: %bn = "quant.batch_norm"(%n, %p, %p, %p, %p) <{epsilon = 1.000000e-04 : f32, momentum = 1.000000e+00 : f32, node_name = "BatchNormalization_0", training_mode = false}> : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>

// -----

func.func @pools(%x: tensor<1x2x5x5x!quant.bipolar>, %y: tensor<1x2x4x4xf32>, %z: tensor<1x3x4x4xf32>) -> tensor<1x2x3x3x!quant.bipolar> {
  %m = quant.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true, node_name = "MaxPool_0"} : (tensor<1x2x5x5x!quant.bipolar>) -> tensor<1x2x3x3x!quant.bipolar>
  %a = quant.average_pool %y {auto_pad = "SAME_UPPER", kernel_shape = array<i64: 3, 3>, count_include_pad = true} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %g = quant.global_average_pool %z {node_name = "GlobalAveragePool_0"} : (tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32>
  func.return %m : tensor<1x2x3x3x!quant.bipolar>
}

// CHECK-LABEL: func.func @pools(%x: tensor<1x2x5x5x!quant.bipolar>, %y: tensor<1x2x4x4xf32>, %z: tensor<1x3x4x4xf32>) -> tensor<1x2x3x3x!quant.bipolar> {
// CHECK-NEXT: %m = quant.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true, node_name = "MaxPool_0"} : (tensor<1x2x5x5x!quant.bipolar>) -> tensor<1x2x3x3x!quant.bipolar>
// CHECK-NEXT: %a = quant.average_pool %y {auto_pad = "SAME_UPPER", kernel_shape = array<i64: 3, 3>, count_include_pad = true} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT: %g = quant.global_average_pool %z {node_name = "GlobalAveragePool_0"} : (tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32>
// CHECK-NEXT: func.return %m : tensor<1x2x3x3x!quant.bipolar>

// CHECK-GENERIC: %m = "quant.max_pool"(%x) <{kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true, node_name = "MaxPool_0", auto_pad = "NOTSET", storage_order = 0 : i64}> : (tensor<1x2x5x5x!quant.bipolar>) -> tensor<1x2x3x3x!quant.bipolar>
// CHECK-GENERIC: %a = "quant.average_pool"(%y) <{auto_pad = "SAME_UPPER", kernel_shape = array<i64: 3, 3>, count_include_pad = true, ceil_mode = false}> : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK-GENERIC: %g = "quant.global_average_pool"(%z) <{node_name = "GlobalAveragePool_0"}> : (tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32>

// -----

func.func @data_movement(%x: tensor<1x2x3x4xsi4>, %a: tensor<1x2x4xf32>, %b: tensor<1x3x4xf32>, %p: tensor<1x2x3x3xf32>) -> tensor<1x24xsi4> {
  %shape = quant.constant dense<[1, -1]> : tensor<2xi64>
  %r = quant.reshape %x, %shape {node_name = "Reshape_0"} : (tensor<1x2x3x4xsi4>, tensor<2xi64>) -> tensor<1x24xsi4>
  %f = quant.flatten %x {axis = 2 : i64} : (tensor<1x2x3x4xsi4>) -> tensor<2x12xsi4>
  %t = quant.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x2x3x4xsi4>) -> tensor<1x3x4x2xsi4>
  %c = quant.concat %a, %b, %a {axis = -2 : i64} : (tensor<1x2x4xf32>, tensor<1x3x4xf32>, tensor<1x2x4xf32>) -> tensor<1x7x4xf32>
  %pads = quant.constant dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xi64>
  %v = quant.constant dense<0.5> : tensor<f32>
  %pd = quant.pad %p, %pads, %v : (tensor<1x2x3x3xf32>, tensor<8xi64>, tensor<f32>) -> tensor<1x2x5x5xf32>
  %pe = quant.pad %p, %pads {mode = "edge"} : (tensor<1x2x3x3xf32>, tensor<8xi64>) -> tensor<1x2x5x5xf32>
  func.return %r : tensor<1x24xsi4>
}

// CHECK-LABEL: func.func @data_movement(%x: tensor<1x2x3x4xsi4>, %a: tensor<1x2x4xf32>, %b: tensor<1x3x4xf32>, %p: tensor<1x2x3x3xf32>) -> tensor<1x24xsi4> {
// CHECK-NEXT: %shape = quant.constant dense<[1, -1]> : tensor<2xi64>
// CHECK-NEXT: %r = quant.reshape %x, %shape {node_name = "Reshape_0"} : (tensor<1x2x3x4xsi4>, tensor<2xi64>) -> tensor<1x24xsi4>
// CHECK-NEXT: %f = quant.flatten %x {axis = 2 : i64} : (tensor<1x2x3x4xsi4>) -> tensor<2x12xsi4>
// CHECK-NEXT: %t = quant.transpose %x {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x2x3x4xsi4>) -> tensor<1x3x4x2xsi4>
// CHECK-NEXT: %c = quant.concat %a, %b, %a {axis = -2 : i64} : (tensor<1x2x4xf32>, tensor<1x3x4xf32>, tensor<1x2x4xf32>) -> tensor<1x7x4xf32>
// CHECK-NEXT: %pads = quant.constant dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xi64>
// CHECK-NEXT: %v = quant.constant dense<5.000000e-01> : tensor<f32>
// CHECK-NEXT: %pd = quant.pad %p, %pads, %v : (tensor<1x2x3x3xf32>, tensor<8xi64>, tensor<f32>) -> tensor<1x2x5x5xf32>
// CHECK-NEXT: %pe = quant.pad %p, %pads {mode = "edge"} : (tensor<1x2x3x3xf32>, tensor<8xi64>) -> tensor<1x2x5x5xf32>
// CHECK-NEXT: func.return %r : tensor<1x24xsi4>

// CHECK-GENERIC: %shape = "quant.constant"() <{value = dense<[1, -1]> : tensor<2xi64>}> : () -> tensor<2xi64>
// CHECK-GENERIC: %r = "quant.reshape"(%x, %shape) <{node_name = "Reshape_0", allowzero = false}> : (tensor<1x2x3x4xsi4>, tensor<2xi64>) -> tensor<1x24xsi4>
// CHECK-GENERIC: %f = "quant.flatten"(%x) <{axis = 2 : i64}> : (tensor<1x2x3x4xsi4>) -> tensor<2x12xsi4>
// CHECK-GENERIC: %t = "quant.transpose"(%x) <{perm = array<i64: 0, 2, 3, 1>}> : (tensor<1x2x3x4xsi4>) -> tensor<1x3x4x2xsi4>
// CHECK-GENERIC: %c = "quant.concat"(%a, %b, %a) <{axis = -2 : i64}> : (tensor<1x2x4xf32>, tensor<1x3x4xf32>, tensor<1x2x4xf32>) -> tensor<1x7x4xf32>
// CHECK-GENERIC: %pads = "quant.constant"() <{value = dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xi64>}> : () -> tensor<8xi64>
// CHECK-GENERIC: %v = "quant.constant"() <{value = dense<5.000000e-01> : tensor<f32>}> : () -> tensor<f32>
// CHECK-GENERIC: %pd = "quant.pad"(%p, %pads, %v) <{mode = "constant"}> : (tensor<1x2x3x3xf32>, tensor<8xi64>, tensor<f32>) -> tensor<1x2x5x5xf32>
// CHECK-GENERIC: %pe = "quant.pad"(%p, %pads) <{mode = "edge"}> : (tensor<1x2x3x3xf32>, tensor<8xi64>) -> tensor<1x2x5x5xf32>

// -----

func.func @selection(%x: tensor<1x10xf32>) -> tensor<1x3xi64> {
  %k = quant.constant dense<3> : tensor<1xi64>
  %v, %i = quant.topk %x, %k {node_name = "TopK_0"} : (tensor<1x10xf32>, tensor<1xi64>) -> (tensor<1x3xf32>, tensor<1x3xi64>)
  %s, %j = quant.topk %x, %k {axis = 1 : i64, largest = false, sorted = false} : (tensor<1x10xf32>, tensor<1xi64>) -> (tensor<1x3xf32>, tensor<1x3xi64>)
  %a = quant.argmax %x {axis = 1 : i64, keepdims = false, node_name = "ArgMax_0"} : (tensor<1x10xf32>) -> tensor<1xi64>
  %b = quant.argmax %x {select_last_index = true} : (tensor<1x10xf32>) -> tensor<1x10xi64>
  func.return %i : tensor<1x3xi64>
}

// CHECK-LABEL: func.func @selection(%x: tensor<1x10xf32>) -> tensor<1x3xi64> {
// CHECK-NEXT: %k = quant.constant dense<3> : tensor<1xi64>
// CHECK-NEXT: %v, %i = quant.topk %x, %k {node_name = "TopK_0"} : (tensor<1x10xf32>, tensor<1xi64>) -> (tensor<1x3xf32>, tensor<1x3xi64>)
// CHECK-NEXT: %s, %j = quant.topk %x, %k {axis = 1 : i64, largest = false, sorted = false} : (tensor<1x10xf32>, tensor<1xi64>) -> (tensor<1x3xf32>, tensor<1x3xi64>)
// CHECK-NEXT: %a = quant.argmax %x {axis = 1 : i64, keepdims = false, node_name = "ArgMax_0"} : (tensor<1x10xf32>) -> tensor<1xi64>
// CHECK-NEXT: %b = quant.argmax %x {select_last_index = true} : (tensor<1x10xf32>) -> tensor<1x10xi64>
// CHECK-NEXT: func.return %i : tensor<1x3xi64>

// CHECK-GENERIC: %k = "quant.constant"() <{value = dense<3> : tensor<1xi64>}> : () -> tensor<1xi64>
// CHECK-GENERIC: %v, %i = "quant.topk"(%x, %k) <{node_name = "TopK_0", axis = -1 : i64, largest = true, sorted = true}> : (tensor<1x10xf32>, tensor<1xi64>) -> (tensor<1x3xf32>, tensor<1x3xi64>)
// CHECK-GENERIC: %s, %j = "quant.topk"(%x, %k) <{axis = 1 : i64, largest = false, sorted = false}> : (tensor<1x10xf32>, tensor<1xi64>) -> (tensor<1x3xf32>, tensor<1x3xi64>)
// CHECK-GENERIC: %a = "quant.argmax"(%x) <{axis = 1 : i64, keepdims = false, node_name = "ArgMax_0", select_last_index = false}> : (tensor<1x10xf32>) -> tensor<1xi64>
// CHECK-GENERIC: %b = "quant.argmax"(%x) <{select_last_index = true, axis = 0 : i64, keepdims = true}> : (tensor<1x10xf32>) -> tensor<1x10xi64>
