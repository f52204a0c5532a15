// insert-fifos: a StreamingFIFO on every stream (partition input, between layers, output),
// depths from the folding config's inFIFODepths / outFIFODepths (the larger of producer
// and consumer) else default-depth; never a second FIFO on a stream; create-shallow=false
// leaves out FIFOs of depth <= 2.
// RUN: echo '{"MVAU_rtl_1": {"inFIFODepths": [17], "outFIFODepths": [5]}, "MVAU_rtl_2": {"inFIFODepths": [3]}}' > %t.json
// RUN: finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-folded{target-fps=10000},apply-folding{file="%t.json"},insert-fifos' --elide-constants 1 | filecheck %s
// RUN: finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-folded{target-fps=10000},apply-folding{file="%t.json"},insert-fifos,insert-fifos' --elide-constants 1 | filecheck %s
// RUN: finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-folded{target-fps=10000},apply-folding{file="%t.json"},insert-fifos{create-shallow=false default-depth=2}' --elide-constants 1 | filecheck %s --check-prefix=DEEP
// RUN: finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-folded{target-fps=10000},insert-fifos{default-depth=8}' --elide-constants 1 | filecheck %s --check-prefix=DEFAULT
// RUN: echo '{"MVAU_rtl_1": {"inFIFODepths": [4, 4]}}' > %t.bad.json
// RUN: not finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-folded{target-fps=10000},apply-folding{file="%t.bad.json"}' 2>&1 | filecheck %s --check-prefix=BAD
// RUN: not finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-folded{target-fps=10000},insert-fifos{default-depth=1}' 2>&1 | filecheck %s --check-prefix=DEPTH

// CHECK:      ^bb0(%[[IN:.*]]: !dataflow.stream<tensor<1x784xsi2>, 7>):
// CHECK-NEXT:   %[[F0:.*]] = dataflow.fifo %[[IN]] {node_name = "StreamingFIFO_rtl_0", depth = 2 : i64, impl = "rtl"}
// CHECK-NEXT:   %[[M0:.*]] = dataflow.mvau %[[F0]] {node_name = "MVAU_rtl_0"
// CHECK-NEXT:   %[[F1:.*]] = dataflow.fifo %[[M0]] {node_name = "StreamingFIFO_rtl_1", depth = 17 : i64, impl = "rtl"}
// CHECK-NEXT:   %[[M1:.*]] = dataflow.mvau %[[F1]] {in_fifo_depths = array<i64: 17>, out_fifo_depths = array<i64: 5>, node_name = "MVAU_rtl_1"
// CHECK-NEXT:   %[[F2:.*]] = dataflow.fifo %[[M1]] {node_name = "StreamingFIFO_rtl_2", depth = 5 : i64, impl = "rtl"}
// CHECK-NEXT:   %[[M2:.*]] = dataflow.mvau %[[F2]] {in_fifo_depths = array<i64: 3>, node_name = "MVAU_rtl_2"
// CHECK-NEXT:   %[[F3:.*]] = dataflow.fifo %[[M2]] {node_name = "StreamingFIFO_rtl_3", depth = 2 : i64, impl = "rtl"}
// CHECK-NEXT:   %[[M3:.*]] = dataflow.mvau %[[F3]] {node_name = "MVAU_rtl_3"
// CHECK-NEXT:   %[[F4:.*]] = dataflow.fifo %[[M3]] {node_name = "StreamingFIFO_rtl_4", depth = 2 : i64, impl = "rtl"}
// CHECK-NEXT:   dataflow.yield %[[F4]]
// CHECK-NOT:  dataflow.fifo

// DEEP:      ^bb0(%[[IN:.*]]: !dataflow.stream<tensor<1x784xsi2>, 7>):
// DEEP-NEXT:   %[[M0:.*]] = dataflow.mvau %[[IN]] {node_name = "MVAU_rtl_0"
// DEEP-NEXT:   dataflow.fifo %[[M0]] {node_name = "StreamingFIFO_rtl_0", depth = 17 : i64
// DEEP-NEXT:   dataflow.mvau
// DEEP-NEXT:   dataflow.fifo {{.*}}node_name = "StreamingFIFO_rtl_1", depth = 5 : i64
// DEEP-NEXT:   dataflow.mvau
// DEEP-NEXT:   dataflow.mvau
// DEEP-NEXT:   dataflow.yield

// DEFAULT-COUNT-5: dataflow.fifo {{.*}}depth = 8 : i64
// DEFAULT-NOT:     dataflow.fifo

// BAD: error: apply-folding: MVAU_rtl_1: inFIFODepths must be a list of 1 integers >= 1, got [4, 4]
// DEPTH: error: insert-fifos: default-depth=1 must be >= 2
