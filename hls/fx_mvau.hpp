// fx_mvau.hpp: FINN MatrixVectorActivation (MVAU) as a Vitis HLS template, the C++ twin of
// rtl/fx_mvu.sv: weights in a const array (ROM) or decoupled on a stream (fx_mvau*_stream).
//
// y = x · W for x of MW elements and W of shape (MW, MH), folded onto PE output lanes ×
// SIMD input lanes: each input vector arrives as SF = MW/SIMD words of SIMD elements, each
// output vector leaves as NF = MH/PE words of PE elements, one (nf, sf) step per cycle, so a
// vector takes NF·SF cycles. The input vector is buffered during nf = 0 and re-read for the
// other NF-1 output folds.
//
// Weights: word t = nf·SF + sf of `weights`, lane (pe, s) at bits (pe·SIMD+s)·W_BITS holds
// W[sf·SIMD+s][nf·PE+pe] (the same words as fx_mvu's WEIGHTS_FILE). The stream variants
// read those words in order, NF·SF of them per input vector (fx_mvu's in1_V).
//
// Arithmetic: inputs and weights are IN_BITS / W_BITS signed or unsigned integers (1..8 bits
// in our tests, nothing in the code limits them); XNOR mode takes 1-bit bipolar codes on both
// sides ({-1 -> 0, +1 -> 1}) and accumulates the popcount #(x_j == w_j) = (x·w + MW)/2, which
// is what FINN's binarized layers threshold. Accumulators are ACC_BITS signed.
//
// Output: either the raw accumulators (fx_mvau: PE·ACC_BITS-bit words, two's complement) or
// the thresholded codes (fx_mvau_thr: per-channel thresholds T[MH][N] exactly as in
// fx_thresholding, PE·OUT_BITS-bit words).
#pragma once

#include <ap_int.h>
#include <hls_stream.h>

#include "fx_thresholding.hpp"

// The accumulators of one output fold go through an activation: raw pass-through here.
template <unsigned ACC_BITS>
struct FxMvauRaw {
    static constexpr unsigned OUT_BITS = ACC_BITS;
    ap_uint<OUT_BITS> operator()(const ap_int<ACC_BITS>& acc, unsigned) const {
#pragma HLS INLINE
        return ap_uint<OUT_BITS>(acc);
    }
};

// ... or through per-channel multi-thresholds (fused Thresholding). A reference to the
// array, not a copy: after inlining HLS sees the caller's (partitioned) ROM.
template <unsigned MH, unsigned N, unsigned T_BITS, unsigned OUT_BITS_, int BIAS, bool OUT_BIPOLAR>
struct FxMvauThresholds {
    static constexpr unsigned OUT_BITS = OUT_BITS_;
    const ap_int<T_BITS> (&thresholds)[MH][N];
    template <int AB>
    ap_uint<OUT_BITS> operator()(const ap_int<AB>& acc, unsigned ch) const {
#pragma HLS INLINE
        return fx_threshold_code<N, T_BITS, OUT_BITS, BIAS, OUT_BIPOLAR>(acc, thresholds[ch]);
    }
};

// Decoupled weights: the core indexes its weight source as weights[nf·SF + sf] once per
// step, in order, so a stream that delivers those words (the whole matrix again for every
// input vector, as fx_mvu's in1_V) can stand in for the ROM array.
template <unsigned WW>
struct FxMvauWeightStream {
    hls::stream<ap_uint<WW>>& words;
    ap_uint<WW> operator[](unsigned) const {
#pragma HLS INLINE
        return words.read();
    }
};

// Matching bits of two N-bit words: the XNOR-popcount of N bipolar lanes. Synthesis gets
// the plain sum of bits (an adder tree); C-simulation counts 64 bits at a time with the
// compiler's popcount, the same number without N arbitrary-precision bit reads.
// FX_BITWISE_POPCOUNT C-simulates the synthesised form instead.
template <unsigned N>
unsigned fx_xnor_popcount(const ap_uint<N>& a, const ap_uint<N>& b) {
#pragma HLS INLINE
    const ap_uint<N> eq = ~(a ^ b);
    unsigned count = 0;
#if defined(__SYNTHESIS__) || defined(FX_BITWISE_POPCOUNT)
    for (unsigned i = 0; i < N; i++) {
#pragma HLS UNROLL
        count += eq[i];
    }
#else
    for (unsigned i = 0; i < N; i += 64) {
        const unsigned hi = i + 63 < N ? i + 63 : N - 1;
        count += __builtin_popcountll(eq.range(hi, i).to_uint64());
    }
#endif
    return count;
}

// The contribution of one (input, weight) lane pair.
template <unsigned IN_BITS, bool IN_SIGNED, unsigned W_BITS, bool W_SIGNED, bool XNOR, int IW, int WW>
ap_int<IN_BITS + W_BITS + 2> fx_mac_term(const ap_uint<IW>& x, unsigned xi, const ap_uint<WW>& w, unsigned wi) {
#pragma HLS INLINE
    if (XNOR) {
        return x[xi] == w[wi] ? 1 : 0;
    } else {
        return fx_lane<IN_BITS, IN_SIGNED>(x, xi) * fx_lane<W_BITS, W_SIGNED>(w, wi);
    }
}

// The shared datapath; `vectors` input vectors of MW elements per call. `weights` is the
// ROM array or an FxMvauWeightStream, `activate` FxMvauRaw or FxMvauThresholds.
template <unsigned MW, unsigned MH, unsigned PE, unsigned SIMD, unsigned IN_BITS, bool IN_SIGNED,
          unsigned W_BITS, bool W_SIGNED, bool XNOR, unsigned ACC_BITS, typename Weights, typename Activation>
void fx_mvau_core(hls::stream<ap_uint<SIMD * IN_BITS>>& in, hls::stream<ap_uint<PE * Activation::OUT_BITS>>& out,
                  const Weights& weights, const Activation& activate, unsigned vectors) {
    static_assert(MW % SIMD == 0, "SIMD must divide MW");
    static_assert(MH % PE == 0, "PE must divide MH");
    static_assert(!XNOR || (IN_BITS == 1 && W_BITS == 1), "XNOR mode takes 1-bit bipolar codes");
    constexpr unsigned SF = MW / SIMD;
    constexpr unsigned NF = MH / PE;
    constexpr unsigned OB = Activation::OUT_BITS;

    ap_uint<SIMD * IN_BITS> buffer[SF];
    ap_int<ACC_BITS> acc[PE];
#pragma HLS ARRAY_PARTITION variable = acc complete
    unsigned nf = 0, sf = 0;
    for (unsigned step = 0; step < vectors * NF * SF; step++) {
#pragma HLS PIPELINE II = 1
        ap_uint<SIMD * IN_BITS> x;
        if (nf == 0) {
            x = in.read();
            buffer[sf] = x;
        } else {
            x = buffer[sf];
        }
        const ap_uint<PE * SIMD * W_BITS> w = weights[nf * SF + sf];
        for (unsigned p = 0; p < PE; p++) {
#pragma HLS UNROLL
            // this PE's SIMD weights first: the same wires in hardware, and in C-simulation
            // lane reads from a narrow word instead of a PE·SIMD-wide arbitrary-precision one
            const ap_uint<SIMD * W_BITS> wp = w.range((p + 1) * SIMD * W_BITS - 1, p * SIMD * W_BITS);
            ap_int<ACC_BITS> sum = sf == 0 ? ap_int<ACC_BITS>(0) : acc[p];
            if (XNOR) {
                sum += fx_xnor_popcount<SIMD>(ap_uint<SIMD>(x), ap_uint<SIMD>(wp));
            } else {
                for (unsigned s = 0; s < SIMD; s++) {
#pragma HLS UNROLL
                    sum += fx_mac_term<IN_BITS, IN_SIGNED, W_BITS, W_SIGNED, XNOR>(x, s, wp, s);
                }
            }
            acc[p] = sum;
        }
        if (sf == SF - 1) {
            ap_uint<PE * OB> y = 0;
            for (unsigned p = 0; p < PE; p++) {
#pragma HLS UNROLL
                y.range(p * OB + OB - 1, p * OB) = activate(acc[p], nf * PE + p);
            }
            out.write(y);
            sf = 0;
            nf = nf == NF - 1 ? 0 : nf + 1;
        } else {
            sf++;
        }
    }
}

// Raw accumulators out.
template <unsigned MW, unsigned MH, unsigned PE, unsigned SIMD, unsigned IN_BITS, bool IN_SIGNED,
          unsigned W_BITS, bool W_SIGNED, bool XNOR, unsigned ACC_BITS>
void fx_mvau(hls::stream<ap_uint<SIMD * IN_BITS>>& in, hls::stream<ap_uint<PE * ACC_BITS>>& out,
             const ap_uint<PE * SIMD * W_BITS> weights[(MH / PE) * (MW / SIMD)], unsigned vectors) {
#pragma HLS INLINE
    fx_mvau_core<MW, MH, PE, SIMD, IN_BITS, IN_SIGNED, W_BITS, W_SIGNED, XNOR, ACC_BITS>(
        in, out, weights, FxMvauRaw<ACC_BITS>{}, vectors);
}

// Thresholded codes out (MVAU with a fused MultiThreshold).
template <unsigned MW, unsigned MH, unsigned PE, unsigned SIMD, unsigned IN_BITS, bool IN_SIGNED,
          unsigned W_BITS, bool W_SIGNED, bool XNOR, unsigned ACC_BITS, unsigned N, unsigned T_BITS,
          unsigned OUT_BITS, int BIAS, bool OUT_BIPOLAR>
void fx_mvau_thr(hls::stream<ap_uint<SIMD * IN_BITS>>& in, hls::stream<ap_uint<PE * OUT_BITS>>& out,
                 const ap_uint<PE * SIMD * W_BITS> weights[(MH / PE) * (MW / SIMD)],
                 const ap_int<T_BITS> (&thresholds)[MH][N], unsigned vectors) {
#pragma HLS INLINE
#pragma HLS ARRAY_PARTITION variable = thresholds cyclic factor = PE dim = 1
#pragma HLS ARRAY_PARTITION variable = thresholds complete dim = 2
    fx_mvau_core<MW, MH, PE, SIMD, IN_BITS, IN_SIGNED, W_BITS, W_SIGNED, XNOR, ACC_BITS>(
        in, out, weights, FxMvauThresholds<MH, N, T_BITS, OUT_BITS, BIAS, OUT_BIPOLAR>{thresholds}, vectors);
}

// Decoupled weights, raw accumulators out: NF·SF weight words per input vector on `w`.
template <unsigned MW, unsigned MH, unsigned PE, unsigned SIMD, unsigned IN_BITS, bool IN_SIGNED,
          unsigned W_BITS, bool W_SIGNED, bool XNOR, unsigned ACC_BITS>
void fx_mvau_stream(hls::stream<ap_uint<SIMD * IN_BITS>>& in, hls::stream<ap_uint<PE * SIMD * W_BITS>>& w,
                    hls::stream<ap_uint<PE * ACC_BITS>>& out, unsigned vectors) {
#pragma HLS INLINE
    fx_mvau_core<MW, MH, PE, SIMD, IN_BITS, IN_SIGNED, W_BITS, W_SIGNED, XNOR, ACC_BITS>(
        in, out, FxMvauWeightStream<PE * SIMD * W_BITS>{w}, FxMvauRaw<ACC_BITS>{}, vectors);
}

// Decoupled weights, thresholded codes out.
template <unsigned MW, unsigned MH, unsigned PE, unsigned SIMD, unsigned IN_BITS, bool IN_SIGNED,
          unsigned W_BITS, bool W_SIGNED, bool XNOR, unsigned ACC_BITS, unsigned N, unsigned T_BITS,
          unsigned OUT_BITS, int BIAS, bool OUT_BIPOLAR>
void fx_mvau_thr_stream(hls::stream<ap_uint<SIMD * IN_BITS>>& in, hls::stream<ap_uint<PE * SIMD * W_BITS>>& w,
                        hls::stream<ap_uint<PE * OUT_BITS>>& out, const ap_int<T_BITS> (&thresholds)[MH][N],
                        unsigned vectors) {
#pragma HLS INLINE
#pragma HLS ARRAY_PARTITION variable = thresholds cyclic factor = PE dim = 1
#pragma HLS ARRAY_PARTITION variable = thresholds complete dim = 2
    fx_mvau_core<MW, MH, PE, SIMD, IN_BITS, IN_SIGNED, W_BITS, W_SIGNED, XNOR, ACC_BITS>(
        in, out, FxMvauWeightStream<PE * SIMD * W_BITS>{w},
        FxMvauThresholds<MH, N, T_BITS, OUT_BITS, BIAS, OUT_BIPOLAR>{thresholds}, vectors);
}
