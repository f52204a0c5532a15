// fx_thresholding.hpp: FINN Thresholding (MultiThreshold) layer as a Vitis HLS template,
// the C++ twin of rtl/fx_thresholding.sv (same parameters, same stream words).
//
// Per lane, with channel ch = fold·PE + lane (fold = 0 .. C/PE-1 cycles through the beats of
// one pixel): count = #{i : x >= T[ch][i]} over the N thresholds of channel ch; the output is
// count + BIAS in OUT_BITS two's complement, or with OUT_BIPOLAR the bipolar code
// (count != 0) -> 1 (+1), 0 (-1), i.e. 2·count - 1 stored as {-1 -> 0, +1 -> 1}.
//
// Streams carry PE lanes per word, lane p in bits [(p+1)·B-1 : p·B] (element 0 in the LSBs,
// docs/architecture.md, "Streams and packing"). Words are exactly PE·B bits; padding TDATA
// to bytes is the wrapper's job.
//
// The thresholds are a const array T[C][N] of T_BITS-bit signed values, so HLS can map them
// to ROM; it is partitioned by PE lanes (cyclic on the channel) and completely on N so that
// all PE·N comparisons of a beat run in parallel at II=1.
#pragma once

#include <ap_int.h>
#include <hls_stream.h>

// Lane i of a packed word as a value: sign- or zero-extended by one bit so signed and
// unsigned lanes compare correctly against signed thresholds.
template <unsigned B, bool SIGNED, int W>
ap_int<B + 1> fx_lane(const ap_uint<W>& word, unsigned i) {
#pragma HLS INLINE
    const ap_uint<B> bits = word.range(i * B + B - 1, i * B);
    if (SIGNED) {
        return ap_int<B + 1>(ap_int<B>(bits));
    } else {
        return ap_int<B + 1>(bits);
    }
}

// The activation of one value against its channel's N sorted thresholds, as the OUT_BITS
// code that goes on the stream. Shared with fx_mvau's fused-threshold mode.
template <unsigned N, unsigned T_BITS, unsigned OUT_BITS, int BIAS, bool OUT_BIPOLAR, int VB>
ap_uint<OUT_BITS> fx_threshold_code(const ap_int<VB>& value, const ap_int<T_BITS> row[N]) {
#pragma HLS INLINE
    static_assert(N >= 1 && N < 65535, "1 <= N < 65535 thresholds");
    static_assert(!OUT_BIPOLAR || OUT_BITS == 1, "bipolar outputs are 1 bit");
    // compare in a type that holds both operands exactly
    constexpr int CW = (VB > int(T_BITS) ? VB : int(T_BITS)) + 1;
    ap_uint<16> count = 0;
    for (unsigned i = 0; i < N; i++) {
#pragma HLS UNROLL
        count += ap_int<CW>(value) >= ap_int<CW>(row[i]) ? 1 : 0;
    }
    if (OUT_BIPOLAR) {
        return ap_uint<OUT_BITS>(count != 0 ? 1 : 0);
    } else {
        // two's complement wrap to OUT_BITS, as the RTL's truncation
        return ap_uint<OUT_BITS>(ap_int<18>(count) + ap_int<18>(BIAS));
    }
}

// One call processes `vectors` pixels: vectors·C/PE input words -> as many output words.
template <unsigned C, unsigned PE, unsigned N, unsigned IN_BITS, bool IN_SIGNED, unsigned T_BITS,
          unsigned OUT_BITS, int BIAS, bool OUT_BIPOLAR>
void fx_thresholding(hls::stream<ap_uint<PE * IN_BITS>>& in, hls::stream<ap_uint<PE * OUT_BITS>>& out,
                     const ap_int<T_BITS> thresholds[C][N], unsigned vectors) {
    static_assert(C % PE == 0, "PE must divide C");
#pragma HLS ARRAY_PARTITION variable = thresholds cyclic factor = PE dim = 1
#pragma HLS ARRAY_PARTITION variable = thresholds complete dim = 2
    constexpr unsigned NF = C / PE;
    unsigned nf = 0;
    for (unsigned beat = 0; beat < vectors * NF; beat++) {
#pragma HLS PIPELINE II = 1
        const ap_uint<PE * IN_BITS> x = in.read();
        ap_uint<PE * OUT_BITS> y = 0;
        for (unsigned p = 0; p < PE; p++) {
#pragma HLS UNROLL
            const ap_uint<OUT_BITS> code = fx_threshold_code<N, T_BITS, OUT_BITS, BIAS, OUT_BIPOLAR>(
                fx_lane<IN_BITS, IN_SIGNED>(x, p), thresholds[nf * PE + p]);
            y.range(p * OUT_BITS + OUT_BITS - 1, p * OUT_BITS) = code;
        }
        out.write(y);
        nf = nf == NF - 1 ? 0 : nf + 1;
    }
}
