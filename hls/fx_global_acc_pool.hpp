// fx_global_acc_pool.hpp: FINN GlobalAccPool layer as a Vitis HLS template (HLS only: rtl/
// has no GlobalAccPool, so specialize{prefer=rtl} leaves this layer to HLS).
//
// (1, H, W, C) -> (1, 1, 1, C): per channel the sum of its H·W = PIXELS values
// (finn_xdsl.sim.dataflow_kernels.global_acc_pool). The input is PIXELS·C/PE words of PE
// lanes, channel ch = fold·PE + lane; after the last pixel the C/PE sums go out as C/PE
// words of PE lanes of OUT_BITS. Time per frame: PIXELS·C/PE + C/PE cycles, the estimate of
// dataflow.global_acc_pool.
//
// The accumulators are OUT_BITS wide and wrap: addition modulo 2^OUT_BITS is exact for a sum
// whose true value fits OUT_BITS (the dialect's verifier requires the output type to hold
// PIXELS times the input range), whatever the partial sums do on the way — so no wider
// adders or registers than the output itself. They live in an array of C/PE packed words
// (one per fold, PE lanes each), one read-modify-write per input beat; a word is next read
// NF beats after it was written, which the DEPENDENCE pragma tells HLS so that a RAM with
// read latency still pipelines at II=1 once NF covers it.
#pragma once

#include <ap_int.h>
#include <hls_stream.h>

// One call processes `images` frames.
template <unsigned C, unsigned PE, unsigned PIXELS, unsigned IN_BITS, bool IN_SIGNED, unsigned OUT_BITS>
void fx_global_acc_pool(hls::stream<ap_uint<PE * IN_BITS>>& in, hls::stream<ap_uint<PE * OUT_BITS>>& out,
                        unsigned images) {
    static_assert(C % PE == 0, "PE must divide C");
    static_assert(PIXELS >= 1, "at least one pixel");
    static_assert(OUT_BITS >= IN_BITS, "the output must hold at least one input value");
    constexpr unsigned NF = C / PE;
    ap_uint<PE * OUT_BITS> acc[NF];
    for (unsigned image = 0; image < images; image++) {
        // one flat II=1 loop per frame: PIXELS·NF accumulating beats, then NF output beats
        unsigned nf = 0, pixel = 0;
        for (unsigned beat = 0; beat < (PIXELS + 1) * NF; beat++) {
#pragma HLS PIPELINE II = 1
#pragma HLS DEPENDENCE variable = acc inter RAW true distance = NF
            if (pixel < PIXELS) {
                const ap_uint<PE * IN_BITS> a = in.read();
                const ap_uint<PE * OUT_BITS> prev = acc[nf];
                ap_uint<PE * OUT_BITS> next = 0;
                for (unsigned p = 0; p < PE; p++) {
#pragma HLS UNROLL
                    const ap_uint<IN_BITS> bits = a.range(p * IN_BITS + IN_BITS - 1, p * IN_BITS);
                    ap_uint<OUT_BITS> x;  // the lane extended to OUT_BITS (sign or zero)
                    if (IN_SIGNED) {
                        x = ap_uint<OUT_BITS>(ap_int<OUT_BITS + IN_BITS>(ap_int<IN_BITS>(bits)));
                    } else {
                        x = bits;
                    }
                    const ap_uint<OUT_BITS> sum = prev.range(p * OUT_BITS + OUT_BITS - 1, p * OUT_BITS);
                    const ap_uint<OUT_BITS> base = pixel == 0 ? ap_uint<OUT_BITS>(0) : sum;
                    next.range(p * OUT_BITS + OUT_BITS - 1, p * OUT_BITS) = ap_uint<OUT_BITS>(base + x);
                }
                acc[nf] = next;
            } else {
                out.write(acc[nf]);
            }
            if (nf == NF - 1) {
                nf = 0;
                pixel++;
            } else {
                nf++;
            }
        }
    }
}
