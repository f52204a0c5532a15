// fx_label_select.hpp: FINN LabelSelect (top-K) layer as a Vitis HLS template, the C++
// twin of rtl/fx_label_select.sv (same parameters, same stream words).
//
// Each frame is LABELS values, PE per input word (IN_BITS each, signed or not); the output
// is the indices of the K largest, largest first, one OUT_BITS index per output word. Ties
// go to the lower index first: labels arrive in index order, so a new value is inserted
// behind every kept value that is greater *or equal*.
//
// The current top K live in registers (value, index, valid), sorted. Inserting a value is
// a parallel compare against all K entries plus a one-place shift, so the PE lanes of one
// word are inserted in the same cycle (a chain of PE such steps) and the read loop is II=1;
// a second II=1 loop then writes the K indices.
#pragma once

#include <ap_int.h>
#include <hls_stream.h>

// One call processes `frames` frames.
template <unsigned LABELS, unsigned PE, unsigned K, unsigned IN_BITS, bool IN_SIGNED, unsigned OUT_BITS>
void fx_label_select(hls::stream<ap_uint<PE * IN_BITS>>& in, hls::stream<ap_uint<OUT_BITS>>& out, unsigned frames) {
    static_assert(LABELS % PE == 0, "PE must divide LABELS");
    static_assert(K >= 1 && K <= LABELS, "1 <= K <= LABELS");
    static_assert(OUT_BITS < 32 && LABELS - 1 < (1ULL << OUT_BITS), "OUT_BITS must hold every label index");
    constexpr unsigned NB = LABELS / PE;
    using value_t = ap_int<IN_BITS + 1>;  // signed and unsigned lanes compare alike

    value_t val[K];
    ap_uint<OUT_BITS> idx[K];
    bool valid[K];
#pragma HLS ARRAY_PARTITION variable = val complete
#pragma HLS ARRAY_PARTITION variable = idx complete
#pragma HLS ARRAY_PARTITION variable = valid complete

    for (unsigned fr = 0; fr < frames; fr++) {
        for (unsigned j = 0; j < K; j++) {
#pragma HLS UNROLL
            valid[j] = false;
            val[j] = 0;
            idx[j] = 0;
        }
        unsigned label = 0;  // index of lane 0 of the current word
        for (unsigned b = 0; b < NB; b++) {
#pragma HLS PIPELINE II = 1
            const ap_uint<PE * IN_BITS> word = in.read();
            for (unsigned p = 0; p < PE; p++) {
#pragma HLS UNROLL
                const ap_uint<IN_BITS> bits = word.range(p * IN_BITS + IN_BITS - 1, p * IN_BITS);
                value_t v;
                if (IN_SIGNED) {
                    v = value_t(ap_int<IN_BITS>(bits));
                } else {
                    v = value_t(bits);
                }
                // entry j moves down when the new value beats it (strictly) or it is empty
                bool beaten[K];
                for (unsigned j = 0; j < K; j++) {
#pragma HLS UNROLL
                    beaten[j] = !valid[j] || v > val[j];
                }
                for (unsigned j = K; j-- > 0;) {
#pragma HLS UNROLL
                    // sorted entries: beaten[] is false ... false true ... true
                    if (beaten[j]) {
                        const bool here = j == 0 || !beaten[j ? j - 1 : 0];
                        if (!here) {
                            val[j] = val[j - 1];
                            idx[j] = idx[j - 1];
                            valid[j] = valid[j - 1];
                        } else {
                            val[j] = v;
                            idx[j] = label + p;
                            valid[j] = true;
                        }
                    }
                }
            }
            label += PE;
        }
        for (unsigned j = 0; j < K; j++) {
#pragma HLS PIPELINE II = 1
            out.write(idx[j]);
        }
    }
}
