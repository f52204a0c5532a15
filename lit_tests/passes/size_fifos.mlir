// size-fifos: FIFOs from the token simulation. TFC-w2a2 at 10k fps: MVAU_rtl_0 (7168 cycles)
// paces the design; MVAU_rtl_1/2 read their input only during their first output fold, so
// the streams into them need 36 and 15 beats of buffer; the rest are removed as shallow
// (depth <= 2) unless keep-shallow. Sizing again gives the same depths.
// RUN: finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-folded{target-fps=10000},size-fifos' --elide-constants 1 | filecheck %s
// RUN: finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-folded{target-fps=10000},size-fifos,size-fifos' --elide-constants 1 | filecheck %s
// RUN: finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-folded{target-fps=10000},size-fifos{keep-shallow=true}' --elide-constants 1 | filecheck %s --check-prefix=KEEP
// RUN: not finn-opt %data/tfc_2w2a_ts_clean.onnx -p 'to-folded{target-fps=10000},size-fifos{frames=1}' 2>&1 | filecheck %s --check-prefix=FRAMES

// CHECK:      ^bb0(%[[IN:.*]]: !dataflow.stream<tensor<1x784xsi2>, 7>):
// CHECK-NEXT:   %[[M0:.*]] = dataflow.mvau %[[IN]] {node_name = "MVAU_rtl_0"
// CHECK-NEXT:   %[[F1:.*]] = dataflow.fifo %[[M0]] {node_name = "StreamingFIFO_rtl_1", depth = 36 : i64, impl = "rtl"}
// CHECK-NEXT:   %[[M1:.*]] = dataflow.mvau %[[F1]] {node_name = "MVAU_rtl_1"
// CHECK-NEXT:   %[[F2:.*]] = dataflow.fifo %[[M1]] {node_name = "StreamingFIFO_rtl_2", depth = 15 : i64, impl = "rtl"}
// CHECK-NEXT:   %[[M2:.*]] = dataflow.mvau %[[F2]] {node_name = "MVAU_rtl_2"
// CHECK-NEXT:   %[[M3:.*]] = dataflow.mvau %[[M2]] {node_name = "MVAU_rtl_3"
// CHECK-NEXT:   dataflow.yield %[[M3]]

// KEEP:      dataflow.fifo {{.*}}"StreamingFIFO_rtl_0", depth = 2 : i64
// KEEP:      dataflow.fifo {{.*}}"StreamingFIFO_rtl_1", depth = 36 : i64
// KEEP:      dataflow.fifo {{.*}}"StreamingFIFO_rtl_2", depth = 15 : i64
// KEEP:      dataflow.fifo {{.*}}"StreamingFIFO_rtl_3", depth = 2 : i64
// KEEP:      dataflow.fifo {{.*}}"StreamingFIFO_rtl_4", depth = 2 : i64

// FRAMES: error: size-fifos: frames=1 must be >= 2 (steady state needs two)
