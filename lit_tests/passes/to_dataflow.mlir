// The standard pipeline on real models: the float input quantizer stays outside, every
// layer becomes a streaming layer with a FINN name inside one partition, the float output
// scaling stays outside.

// RUN: finn-opt --elide-constants 64 %data/tfc_1w1a_ts_clean.onnx -p to-dataflow | filecheck %s --check-prefix=TFC
// TFC:      qonnx.multithreshold %Reshape_0_out0, {{.*}} {out_dtype = !qonnx.bipolar, out_scale = 2.000000e+00 : f32, out_bias = -1.000000e+00 : f32, data_layout = "NC", node_name = "BipolarQuant_4"}
// TFC-NEXT: dataflow.partition %{{.*}} {node_name = "StreamingDataflowPartition_0"} : (tensor<1x784x!qonnx.bipolar>) -> tensor<1x10xsi32> {
// TFC:      dataflow.mvau %{{.*}} {node_name = "MVAU_0", weights = {{.*}} : tensor<784x64xi32>, weight_type = !qonnx.bipolar, thresholds = {{.*}}binary_xnor = true
// TFC:      dataflow.mvau %{{.*}} {node_name = "MVAU_1",
// TFC:      dataflow.mvau %{{.*}} {node_name = "MVAU_2",
// the last layer has no activation: raw accumulators, no xnor mode
// TFC:      dataflow.mvau %{{.*}} {node_name = "MVAU_3", weights = {{.*}}, weight_type = !qonnx.bipolar} : (!dataflow.stream<tensor<1x64x!qonnx.bipolar>, 1>) -> !dataflow.stream<tensor<1x10xsi32>, 1>
// TFC-NEXT: dataflow.yield
// TFC:      qonnx.sub
// TFC-NOT:  qonnx.matmul

// RUN: finn-opt --elide-constants 64 %data/cnv_1w2a_ts_raw.onnx -p to-dataflow | filecheck %s --check-prefix=CNV
// CNV:      qonnx.transpose %{{.*}} {perm = array<i64: 0, 2, 3, 1>
// CNV-NEXT: dataflow.partition
// CNV-NEXT: ^bb0(%{{.*}}: !dataflow.stream<tensor<1x32x32x3xsi8>, 1>):
// CNV-NEXT: dataflow.swg %{{.*}} {node_name = "ConvolutionInputGenerator_0", kernel = array<i64: 3, 3>} : (!dataflow.stream<tensor<1x32x32x3xsi8>, 1>) -> !dataflow.stream<tensor<1x30x30x27xsi8>, 1>
// CNV-NEXT: dataflow.mvau {{.*}}node_name = "MVAU_0"
// CNV:      dataflow.streaming_maxpool {{.*}}node_name = "StreamingMaxPool_0"
// CNV:      node_name = "MVAU_8"
// CNV:      dataflow.yield
// CNV-NOT:  qonnx.conv
// CNV-NOT:  qonnx.max_pool
// CNV-NOT:  qonnx.matmul
