// The result type of the relu is missing.
func.func @main(%x: tensor<1x4xf32>) {
  %y = qonnx.relu %x : (tensor<1x4xf32>) ->
  func.return
}
