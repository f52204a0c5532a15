func.func @dyn(%x: tensor<1x4xf32>, %s: tensor<f32>) -> tensor<1x4xf32> {
  %z = qonnx.constant dense<0.0> : tensor<f32>
  %b = qonnx.constant dense<4.0> : tensor<f32>
  %y = qonnx.quant %x, %s, %z, %b {node_name = "dyn"} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}
