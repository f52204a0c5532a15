// Importing the bundled BNN-PYNQ models (QONNX, as Brevitas exports them): the graph
// input/output keep their ONNX names in qonnx.name, every op keeps its ONNX node name, and
// QONNX data types land in the element types (si2 weights and activations, si32
// accumulators, !qonnx.bipolar for BipolarQuant).

// RUN: finn-opt %data/tfc_2w2a_ts_raw.onnx | filecheck %s
// RUN: finn-opt %data/cnv_1w1a_ts_raw.onnx | filecheck %s --check-prefix=CNV

// CHECK:      func.func @main(%[[IN:[^:]+]]: tensor<1x1x28x28xf32> {qonnx.name = "onnx::Reshape_0"}) -> (tensor<1x10xf32> {qonnx.name = "65"}) {
// CHECK:        %[[SHAPE:[^ ]+]] = qonnx.constant {node_name = "/Reshape_param0"} dense<[1, -1]> : tensor<2xi64>
// CHECK:        %[[FLAT:[^ ]+]] = qonnx.reshape %[[IN]], %[[SHAPE]] {node_name = "/Reshape"} : (tensor<1x1x28x28xf32>, tensor<2xi64>) -> tensor<1x784xf32>
// CHECK:        %[[W0:[^ ]+]] = qonnx.quant {{.*}} {narrow = true, node_name = "/features.2/weight_quant/export_handler/Quant"} : (tensor<784x64xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<784x64xsi2>
// CHECK:        qonnx.quant {{.*}} {narrow = true, node_name = "/features.6/weight_quant/export_handler/Quant"} : ({{.*}}) -> tensor<64x64xsi2>
// CHECK:        qonnx.quant {{.*}} {narrow = true, node_name = "/features.10/weight_quant/export_handler/Quant"} : ({{.*}}) -> tensor<64x64xsi2>
// CHECK:        qonnx.quant {{.*}} {narrow = true, node_name = "/features.14/weight_quant/export_handler/Quant"} : ({{.*}}) -> tensor<64x10xsi2>
// CHECK:        %[[MUL:[^ ]+]] = qonnx.mul %[[FLAT]], %{{.*}} {node_name = "/Mul"} : (tensor<1x784xf32>, tensor<1xf32>) -> tensor<1x784xf32>
// CHECK:        %[[SUB:[^ ]+]] = qonnx.sub %[[MUL]], %{{.*}} {node_name = "/Sub"} : (tensor<1x784xf32>, tensor<1xf32>) -> tensor<1x784xf32>
// CHECK:        %[[A0:[^ ]+]] = qonnx.quant %[[SUB]], {{.*}} {narrow = true, node_name = "/features.0/act_quant/export_handler/Quant"} : (tensor<1x784xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x784xsi2>
// CHECK:        %[[MM0:[^ ]+]] = qonnx.matmul %[[A0]], %[[W0]] {node_name = "/features.2/MatMul"} : (tensor<1x784xsi2>, tensor<784x64xsi2>) -> tensor<1x64xsi32>
// CHECK:        qonnx.batch_norm %[[MM0]], {{.*}} {momentum = 1.000000e+00 : f32, node_name = "/features.3/BatchNormalization"} : (tensor<1x64xsi32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64xf32>
// CHECK:        qonnx.quant {{.*}} {narrow = true, node_name = "/features.4/act_quant/export_handler/Quant"} : ({{.*}}) -> tensor<1x64xsi2>
// CHECK:        qonnx.matmul {{.*}} {node_name = "/features.6/MatMul"} : (tensor<1x64xsi2>, tensor<64x64xsi2>) -> tensor<1x64xsi32>
// CHECK:        qonnx.batch_norm {{.*}} node_name = "/features.7/BatchNormalization"
// CHECK:        qonnx.quant {{.*}} node_name = "/features.8/act_quant/export_handler/Quant"{{.*}} -> tensor<1x64xsi2>
// CHECK:        qonnx.matmul {{.*}} {node_name = "/features.10/MatMul"} : (tensor<1x64xsi2>, tensor<64x64xsi2>) -> tensor<1x64xsi32>
// CHECK:        qonnx.batch_norm {{.*}} node_name = "/features.11/BatchNormalization"
// CHECK:        qonnx.quant {{.*}} node_name = "/features.12/act_quant/export_handler/Quant"{{.*}} -> tensor<1x64xsi2>
// CHECK:        %[[LOGITS:[^ ]+]] = qonnx.matmul {{.*}} {node_name = "/features.14/MatMul"} : (tensor<1x64xsi2>, tensor<64x10xsi2>) -> tensor<1x10xsi32>
// CHECK:        qonnx.sub %[[LOGITS]], {{.*}} {node_name = "/features.15/Sub"} : (tensor<1x10xsi32>, tensor<1xf32>) -> tensor<1x10xf32>
// CHECK:        qonnx.div {{.*}} {node_name = "/features.15/Div"} : (tensor<1x10xf32>, tensor<1xf32>) -> tensor<1x10xf32>
// CHECK:        qonnx.mul {{.*}} {node_name = "/features.15/Mul"} : (tensor<1x10xf32>, tensor<1xf32>) -> tensor<1x10xf32>
// CHECK:        %[[OUT:[^ ]+]] = qonnx.add {{.*}} {node_name = "/features.15/Add"} : (tensor<1x10xf32>, tensor<1xf32>) -> tensor<1x10xf32>
// CHECK-NEXT:   func.return %[[OUT]] : tensor<1x10xf32>
// CHECK-NEXT: }
// CHECK-NOT:  qonnx.

// CNV:      func.func @main(%[[IN:[^:]+]]: tensor<1x3x32x32xf32> {qonnx.name = "onnx::Mul_0"}) -> (tensor<1x10xf32> {qonnx.name = "117"}) {
// CNV:        %[[W1:[^ ]+]] = qonnx.bipolar_quant {{.*}} {node_name = "/conv_features.1/weight_quant/export_handler/BipolarQuant"} : (tensor<64x3x3x3xf32>, tensor<1xf32>) -> tensor<64x3x3x3x!qonnx.bipolar>
// CNV:        %[[W4:[^ ]+]] = qonnx.bipolar_quant {{.*}} {node_name = "/conv_features.4/weight_quant/export_handler/BipolarQuant"} : (tensor<64x64x3x3xf32>, tensor<1xf32>) -> tensor<64x64x3x3x!qonnx.bipolar>
// CNV:        qonnx.bipolar_quant {{.*}} {node_name = "/linear_features.6/weight_quant/export_handler/BipolarQuant"} : (tensor<512x10xf32>, tensor<1xf32>) -> tensor<512x10x!qonnx.bipolar>
// CNV:        %[[X0:[^ ]+]] = qonnx.quant {{.*}} {node_name = "/conv_features.0/act_quant/export_handler/Quant"} : (tensor<1x3x32x32xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x32x32xf32>
// CNV:        %[[C1:[^ ]+]] = qonnx.conv %[[X0]], %[[W1]] {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, node_name = "/conv_features.1/Conv"} : (tensor<1x3x32x32xf32>, tensor<64x3x3x3x!qonnx.bipolar>) -> tensor<1x64x30x30xf32>
// CNV:        %[[BN2:[^ ]+]] = qonnx.batch_norm %[[C1]], {{.*}} {epsilon = 1.000000e-04 : f32, momentum = 1.000000e+00 : f32, node_name = "/conv_features.2/BatchNormalization"} : (tensor<1x64x30x30xf32>, {{.*}}) -> tensor<1x64x30x30xf32>
// CNV:        %[[A3:[^ ]+]] = qonnx.bipolar_quant %[[BN2]], %{{.*}} {node_name = "/conv_features.3/act_quant/export_handler/BipolarQuant"} : (tensor<1x64x30x30xf32>, tensor<1xf32>) -> tensor<1x64x30x30x!qonnx.bipolar>
// CNV:        qonnx.conv %[[A3]], %[[W4]] {{.*}}node_name = "/conv_features.4/Conv"} : (tensor<1x64x30x30x!qonnx.bipolar>, tensor<64x64x3x3x!qonnx.bipolar>) -> tensor<1x64x28x28xsi32>
// CNV:        %[[A6:[^ ]+]] = qonnx.bipolar_quant {{.*}} {node_name = "/conv_features.6/act_quant/export_handler/BipolarQuant"} : (tensor<1x64x28x28xf32>, tensor<1xf32>) -> tensor<1x64x28x28x!qonnx.bipolar>
// CNV:        qonnx.max_pool %[[A6]] {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>, node_name = "/conv_features.7/MaxPool"} : (tensor<1x64x28x28x!qonnx.bipolar>) -> tensor<1x64x14x14x!qonnx.bipolar>
// CNV:        qonnx.max_pool {{.*}} node_name = "/conv_features.14/MaxPool"} : (tensor<1x128x10x10x!qonnx.bipolar>) -> tensor<1x128x5x5x!qonnx.bipolar>
// CNV:        qonnx.conv {{.*}} node_name = "/conv_features.18/Conv"} : (tensor<1x256x3x3x!qonnx.bipolar>, tensor<256x256x3x3x!qonnx.bipolar>) -> tensor<1x256x1x1xsi32>
// CNV:        qonnx.reshape {{.*}} {node_name = "/Reshape"} : (tensor<1x256x1x1x!qonnx.bipolar>, tensor<2xi64>) -> tensor<1x256x!qonnx.bipolar>
// CNV:        qonnx.matmul {{.*}} {node_name = "/linear_features.0/MatMul"} : (tensor<1x256x!qonnx.bipolar>, tensor<256x512x!qonnx.bipolar>) -> tensor<1x512xsi32>
// CNV:        qonnx.matmul {{.*}} {node_name = "/linear_features.6/MatMul"} : (tensor<1x512x!qonnx.bipolar>, tensor<512x10x!qonnx.bipolar>) -> tensor<1x10xsi32>
// CNV:        %[[OUT:[^ ]+]] = qonnx.add {{.*}} {node_name = "/linear_features.7/Add"} : (tensor<1x10xf32>, tensor<1xf32>) -> tensor<1x10xf32>
// CNV-NEXT:   func.return %[[OUT]] : tensor<1x10xf32>
