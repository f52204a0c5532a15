// RUN: finn-opt %s -t 'driver{dir="%t"}' | filecheck %s
// RUN: cat %t/driver.py | filecheck %s --check-prefix=DRV
// RUN: %python -c "import sys; sys.path.insert(0, r'%t'); import driver, numpy as np; x = np.arange(-4, 4, dtype=np.float32).reshape(1, 8); b = driver.pack_input(x); print(b.shape, b.tolist())" | filecheck %s --check-prefix=PACK

// The host driver of a two-layer partition: FINN's io_shape_dict for its streams, and the
// packer (element 0 in the LSBs, INT4 lanes, 4 lanes = 2 bytes per beat).
// CHECK: driver: driver.py, packing.py ->
// DRV: 'num_inputs': 1,
// DRV: 'idt': 'INT4',
// DRV-NEXT: 'ishape_normal': [1, 8],
// DRV-NEXT: 'ishape_folded': [1, 2, 4],
// DRV-NEXT: 'ishape_packed': [1, 2, 2],
// DRV: 'odt': 'UINT2',
// DRV-NEXT: 'oshape_normal': [1, 4],
// DRV-NEXT: 'oshape_folded': [1, 2, 2],
// DRV-NEXT: 'oshape_packed': [1, 2, 1],
// -4..-1 as INT4 codes c,d,e,f; beat 0 = lanes (-4,-3,-2,-1) -> bytes 0xdc 0xfe; beat 1 = (0,1,2,3) -> 0x10 0x32
// PACK: (1, 2, 2) [{{\[\[}}220, 254], [16, 50]]]
builtin.module {
  func.func @main(%x: tensor<1x8xsi4>) -> tensor<1x4xui2> {
    %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x8xsi4>) -> tensor<1x4xui2> {
    ^bb0(%0: !dataflow.stream<tensor<1x8xsi4>, 4>):
      %1 = dataflow.mvau %0 {node_name = "MVAU_hls_0", impl = "hls", pe = 2 : i64, simd = 4 : i64, weights = dense<1> : tensor<8x4xi32>, weight_type = si2, thresholds = dense<[[0, 4, 8]]> : tensor<1x3xi64>} : (!dataflow.stream<tensor<1x8xsi4>, 4>) -> !dataflow.stream<tensor<1x4xui2>, 2>
      %2 = dataflow.reshape %1 {node_name = "Reshape_0"} : (!dataflow.stream<tensor<1x4xui2>, 2>) -> !dataflow.stream<tensor<1x1x4xui2>, 2>
      %3 = dataflow.reshape %2 {node_name = "Reshape_1"} : (!dataflow.stream<tensor<1x1x4xui2>, 2>) -> !dataflow.stream<tensor<1x4xui2>, 2>
      %4 = dataflow.thresholding %3 {node_name = "Thresholding_rtl_0", impl = "rtl", pe = 2 : i64, thresholds = dense<[[1, 2, 3]]> : tensor<1x3xi64>} : (!dataflow.stream<tensor<1x4xui2>, 2>) -> !dataflow.stream<tensor<1x4xui2>, 2>
      dataflow.yield %4 : !dataflow.stream<tensor<1x4xui2>, 2>
    }
    func.return %y : tensor<1x4xui2>
  }
}
