// specialize: impl = the backend realising the layer (prefer=rtl|hls: our rtl/ and hls/
// libraries; prefer=finn: FINN's SpecializeLayers rules) and FINN's specialised node names
// <FINN_OP>_<impl>_<k>, k counted per specialised op type over the whole module.
// @net has no per-layer preferences; @override sets preferred_impl_style on three layers.

// RUN: finn-opt %s -p specialize | filecheck %s --check-prefix=RTL
// RUN: finn-opt %s -p 'specialize{prefer=hls}' | filecheck %s --check-prefix=HLS
// RUN: finn-opt %s -p 'specialize{prefer=finn}' | filecheck %s --check-prefix=FINN
// RUN: finn-opt %s -p 'specialize{prefer=finn fpgapart="xczu7ev-ffvc1156-2-e"}' | filecheck %s --check-prefix=FINN
// Idempotent: specialised layers keep impl and name.
// RUN: finn-opt %s -p 'specialize,specialize{prefer=hls}' | filecheck %s --check-prefix=RTL
// A preference the libraries cannot honour (no HLS FIFO) falls back with a one-line warning.
// RUN: finn-opt %s -p specialize 2>&1 >/dev/null | filecheck %s --check-prefix=WARN
// Under prefer=finn, FINN's variants decide (no RTL StreamingMaxPool in FINN).
// RUN: sed -e 's/"StreamingMaxPool_1", preferred_impl_style = "hls"/"StreamingMaxPool_1", preferred_impl_style = "rtl"/' %s | finn-opt -p 'specialize{prefer=finn}' 2>&1 >/dev/null | filecheck %s --check-prefix=WARN-FINN
// A malformed preference is an error.
// RUN: sed -e 's/"StreamingMaxPool_1", preferred_impl_style = "hls"/"StreamingMaxPool_1", preferred_impl_style = "vhdl"/' %s | not finn-opt -p specialize 2>&1 | filecheck %s --check-prefix=ERR
// RUN: not finn-opt %s -p 'specialize{fpgapart="ep4ce22f17c6"}' 2>&1 | filecheck %s --check-prefix=PART
// RUN: not finn-opt %s -p 'specialize{prefer=vivado}' 2>&1 | filecheck %s --check-prefix=PREFER

func.func @net(%x: tensor<1x6x6x2xsi4>) -> tensor<1x2xsi32> {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_0"} : (tensor<1x6x6x2xsi4>) -> tensor<1x2xsi32> {
  ^bb0(%in: !dataflow.stream<tensor<1x6x6x2xsi4>, 2>):
    %pad = dataflow.fmpadding %in {node_name = "FMPadding_0", padding = array<i64: 1, 1, 1, 1>, simd = 2 : i64} : (!dataflow.stream<tensor<1x6x6x2xsi4>, 2>) -> !dataflow.stream<tensor<1x8x8x2xsi4>, 2>
    %win = dataflow.swg %pad {node_name = "ConvolutionInputGenerator_0", kernel = array<i64: 3, 3>, simd = 2 : i64} : (!dataflow.stream<tensor<1x8x8x2xsi4>, 2>) -> !dataflow.stream<tensor<1x6x6x18xsi4>, 2>
    %acc = dataflow.mvau %win {node_name = "MVAU_0", weights = dense<1> : tensor<18x4xi32>, weight_type = si4, pe = 4 : i64, simd = 2 : i64} : (!dataflow.stream<tensor<1x6x6x18xsi4>, 2>) -> !dataflow.stream<tensor<1x6x6x4xsi32>, 4>
    %act = dataflow.thresholding %acc {node_name = "Thresholding_0", thresholds = dense<[[-1, 0, 1]]> : tensor<1x3xi64>, pe = 4 : i64} : (!dataflow.stream<tensor<1x6x6x4xsi32>, 4>) -> !dataflow.stream<tensor<1x6x6x4xui2>, 4>
    %pool = dataflow.streaming_maxpool %act {node_name = "StreamingMaxPool_0", kernel = array<i64: 2, 2>, pe = 4 : i64} : (!dataflow.stream<tensor<1x6x6x4xui2>, 4>) -> !dataflow.stream<tensor<1x3x3x4xui2>, 4>
    %narrow = dataflow.dwc %pool {node_name = "StreamingDataWidthConverter_0"} : (!dataflow.stream<tensor<1x3x3x4xui2>, 4>) -> !dataflow.stream<tensor<1x3x3x4xui2>, 2>
    %flat = dataflow.reshape %narrow {node_name = "Reshape_0"} : (!dataflow.stream<tensor<1x3x3x4xui2>, 2>) -> !dataflow.stream<tensor<1x36xui2>, 2>
    %out = dataflow.mvau %flat {node_name = "MVAU_1", weights = dense<1> : tensor<36x2xi32>, weight_type = ui2, pe = 2 : i64, simd = 2 : i64} : (!dataflow.stream<tensor<1x36xui2>, 2>) -> !dataflow.stream<tensor<1x2xsi32>, 2>
    dataflow.yield %out : !dataflow.stream<tensor<1x2xsi32>, 2>
  }
  func.return %y : tensor<1x2xsi32>
}

func.func @override(%x: tensor<1x4x4x2xui2>) -> tensor<1x1x1x72xui2> {
  %y = dataflow.partition %x {node_name = "StreamingDataflowPartition_1"} : (tensor<1x4x4x2xui2>) -> tensor<1x1x1x72xui2> {
  ^bb0(%in: !dataflow.stream<tensor<1x4x4x2xui2>, 2>):
    %pool = dataflow.streaming_maxpool %in {node_name = "StreamingMaxPool_1", preferred_impl_style = "hls", kernel = array<i64: 1, 1>, pe = 2 : i64} : (!dataflow.stream<tensor<1x4x4x2xui2>, 2>) -> !dataflow.stream<tensor<1x4x4x2xui2>, 2>
    %win = dataflow.swg %pool {node_name = "ConvolutionInputGenerator_1", preferred_impl_style = "hls", kernel = array<i64: 3, 3>, simd = 2 : i64} : (!dataflow.stream<tensor<1x4x4x2xui2>, 2>) -> !dataflow.stream<tensor<1x2x2x18xui2>, 2>
    %win2 = dataflow.swg %win {node_name = "ConvolutionInputGenerator_2", kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, simd = 2 : i64} : (!dataflow.stream<tensor<1x2x2x18xui2>, 2>) -> !dataflow.stream<tensor<1x1x1x72xui2>, 2>
    %fifo = dataflow.fifo %win2 {node_name = "StreamingFIFO_0", preferred_impl_style = "hls", depth = 4 : i64} : (!dataflow.stream<tensor<1x1x1x72xui2>, 2>) -> !dataflow.stream<tensor<1x1x1x72xui2>, 2>
    dataflow.yield %fifo : !dataflow.stream<tensor<1x1x1x72xui2>, 2>
  }
  func.return %y : tensor<1x1x1x72xui2>
}

// prefer=rtl: our rtl/ library implements every layer here (fx_mvu also fuses thresholds
// and takes unsigned weights, fx_streaming_maxpool has no FINN counterpart).
// RTL-LABEL: func.func @net
// RTL: dataflow.fmpadding %in {node_name = "FMPadding_rtl_0", {{.*}}impl = "rtl"}
// RTL: dataflow.swg %pad {node_name = "ConvolutionInputGenerator_rtl_0", {{.*}}impl = "rtl"}
// RTL: dataflow.mvau %win {node_name = "MVAU_rtl_0", {{.*}}impl = "rtl"}
// RTL: dataflow.thresholding %acc {node_name = "Thresholding_rtl_0", {{.*}}impl = "rtl"}
// RTL: dataflow.streaming_maxpool %act {node_name = "StreamingMaxPool_rtl_0", {{.*}}impl = "rtl"}
// RTL: dataflow.dwc %pool {node_name = "StreamingDataWidthConverter_rtl_0", impl = "rtl"}
// RTL: dataflow.reshape %narrow {node_name = "Reshape_0"}
// RTL: dataflow.mvau %flat {node_name = "MVAU_rtl_1", {{.*}}impl = "rtl"}
// RTL-LABEL: func.func @override
// RTL: dataflow.streaming_maxpool %in {preferred_impl_style = "hls", node_name = "StreamingMaxPool_hls_0", {{.*}}impl = "hls"}
// RTL: dataflow.swg %pool {preferred_impl_style = "hls", node_name = "ConvolutionInputGenerator_hls_0", {{.*}}impl = "hls"}
// RTL: dataflow.swg %win {node_name = "ConvolutionInputGenerator_rtl_1", {{.*}}impl = "rtl"}
// RTL: dataflow.fifo %win2 {preferred_impl_style = "hls", node_name = "StreamingFIFO_rtl_0", {{.*}}impl = "rtl"}

// prefer=hls: our hls/ library has every op here but the FIFO.
// HLS-LABEL: func.func @net
// HLS: node_name = "FMPadding_hls_0"
// HLS: node_name = "ConvolutionInputGenerator_hls_0"
// HLS: node_name = "MVAU_hls_0"
// HLS: node_name = "Thresholding_hls_0"
// HLS: node_name = "StreamingMaxPool_hls_0"
// HLS: node_name = "StreamingDataWidthConverter_hls_0"
// HLS: node_name = "Reshape_0"
// HLS: node_name = "MVAU_hls_1"
// HLS-LABEL: func.func @override
// HLS: node_name = "StreamingMaxPool_hls_1"
// HLS: node_name = "ConvolutionInputGenerator_hls_1"
// HLS: node_name = "ConvolutionInputGenerator_hls_2"
// HLS-NOT: impl = "rtl"
// HLS: node_name = "StreamingFIFO_rtl_0"

// prefer=finn: FINN's defaults (MVAU rtl iff A >= 4, W >= 4 and FINN's RTL MVU can do it).
// FINN-LABEL: func.func @net
// FINN: node_name = "FMPadding_rtl_0"
// FINN: node_name = "ConvolutionInputGenerator_rtl_0"
// FINN: node_name = "MVAU_rtl_0"
// FINN: node_name = "Thresholding_rtl_0"
// FINN: node_name = "StreamingMaxPool_hls_0"
// FINN: node_name = "StreamingDataWidthConverter_rtl_0"
// FINN: node_name = "Reshape_0"
// FINN: node_name = "MVAU_hls_0"
// FINN-LABEL: func.func @override
// FINN: node_name = "StreamingMaxPool_hls_1"
// FINN: node_name = "ConvolutionInputGenerator_hls_0"
// FINN: node_name = "ConvolutionInputGenerator_rtl_1"
// FINN: node_name = "StreamingFIFO_rtl_0"

// WARN: warning: specialize: dataflow.fifo 'StreamingFIFO_0': preferred_impl_style "hls" cannot be used: no hls/ library template implements StreamingFIFO; using "rtl"
// WARN-NOT: warning
// WARN-FINN: warning: specialize: dataflow.streaming_maxpool 'StreamingMaxPool_1': preferred_impl_style "rtl" cannot be used: FINN's StreamingMaxPool has hls; using "hls"
// WARN-FINN-NEXT: warning: specialize: dataflow.fifo 'StreamingFIFO_0': preferred_impl_style "hls" cannot be used: FINN's StreamingFIFO has rtl; using "rtl"
// ERR: error: specialize: dataflow.streaming_maxpool 'StreamingMaxPool_1': preferred_impl_style "vhdl" is not one of "hls", "rtl", ""
// PART: error: unknown FPGA part 'ep4ce22f17c6'
// PREFER: error: specialize: prefer must be one of rtl, hls, finn, got "vivado"
