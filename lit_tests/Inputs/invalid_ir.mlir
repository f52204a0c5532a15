// A valid program except for one op: the group of the convolution does not divide the
// output channels. finn-opt must name the op and its ONNX node in one line.
func.func @main(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %y = qonnx.relu %x {node_name = "Relu_0"} : (tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32>
  %z = qonnx.conv %y, %w {group = 3 : i64, node_name = "Conv_0"} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return %z : tensor<1x4x6x6xf32>
}
