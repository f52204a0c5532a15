// insert-dwc: a width converter exactly where a producer's lanes differ from its consumer's:
// a redundant pair of converters (2 -> 1 -> 2 lanes) disappears, the needed one stays with
// its name; running it again changes nothing.
// RUN: finn-opt %s -p 'insert-dwc' | filecheck %s
// RUN: finn-opt %s -p 'insert-dwc,insert-dwc' | filecheck %s

builtin.module {
  func.func @main(%x: tensor<1x2x2x4xsi8>) -> tensor<1x2x2x4xsi2> {
    %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x2x2x4xsi8>) -> tensor<1x2x2x4xsi2> {
    ^bb0(%in: !dataflow.stream<tensor<1x2x2x4xsi8>, 2>):
      %a = dataflow.thresholding %in {node_name = "Thresholding_rtl_0", thresholds = dense<[[-1, 0, 1]]> : tensor<1x3xi64>, act_val = -2 : i64, pe = 2 : i64, impl = "rtl"} : (!dataflow.stream<tensor<1x2x2x4xsi8>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi2>, 2>
      %d1 = dataflow.dwc %a {node_name = "StreamingDataWidthConverter_rtl_3", impl = "rtl"} : (!dataflow.stream<tensor<1x2x2x4xsi2>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi2>, 1>
      %d2 = dataflow.dwc %d1 {node_name = "StreamingDataWidthConverter_rtl_4", impl = "rtl"} : (!dataflow.stream<tensor<1x2x2x4xsi2>, 1>) -> !dataflow.stream<tensor<1x2x2x4xsi2>, 2>
      %c = dataflow.thresholding %d2 {node_name = "Thresholding_rtl_2", thresholds = dense<[[-1, 0, 1]]> : tensor<1x3xi64>, act_val = -2 : i64, pe = 2 : i64, impl = "rtl"} : (!dataflow.stream<tensor<1x2x2x4xsi2>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi2>, 2>
      %d0 = dataflow.dwc %c {node_name = "StreamingDataWidthConverter_rtl_0", impl = "rtl"} : (!dataflow.stream<tensor<1x2x2x4xsi2>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi2>, 4>
      %b = dataflow.thresholding %d0 {node_name = "Thresholding_rtl_1", thresholds = dense<[[-1, 0, 1]]> : tensor<1x3xi64>, act_val = -2 : i64, pe = 4 : i64, impl = "rtl"} : (!dataflow.stream<tensor<1x2x2x4xsi2>, 4>) -> !dataflow.stream<tensor<1x2x2x4xsi2>, 4>
      dataflow.yield %b : !dataflow.stream<tensor<1x2x2x4xsi2>, 4>
    }
    func.return %y : tensor<1x2x2x4xsi2>
  }
}

// CHECK:      ^bb0(%[[IN:.*]]: !dataflow.stream<tensor<1x2x2x4xsi8>, 2>):
// CHECK-NEXT:   %[[A:.*]] = dataflow.thresholding %[[IN]] {node_name = "Thresholding_rtl_0"{{.*}} -> !dataflow.stream<tensor<1x2x2x4xsi2>, 2>
// CHECK-NEXT:   %[[C:.*]] = dataflow.thresholding %[[A]] {node_name = "Thresholding_rtl_2"{{.*}} -> !dataflow.stream<tensor<1x2x2x4xsi2>, 2>
// CHECK-NEXT:   %[[D:.*]] = dataflow.dwc %[[C]] {node_name = "StreamingDataWidthConverter_rtl_0", impl = "rtl"} : (!dataflow.stream<tensor<1x2x2x4xsi2>, 2>) -> !dataflow.stream<tensor<1x2x2x4xsi2>, 4>
// CHECK-NEXT:   %[[B:.*]] = dataflow.thresholding %[[D]] {node_name = "Thresholding_rtl_1"{{.*}} -> !dataflow.stream<tensor<1x2x2x4xsi2>, 4>
// CHECK-NEXT:   dataflow.yield %[[B]]
// CHECK-NOT:  dataflow.dwc
