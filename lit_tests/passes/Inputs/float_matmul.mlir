func.func @f(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = qonnx.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32> -> tensor<2x2xui1>
  %m = qonnx.matmul %x, %w {node_name = "fc_float"} : (tensor<1x2xf32>, tensor<2x2xui1>) -> tensor<1x2xf32>
  func.return %m : tensor<1x2xf32>
}
