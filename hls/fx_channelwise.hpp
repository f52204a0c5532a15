// fx_channelwise.hpp: FINN ChannelwiseOp layer as a Vitis HLS template (HLS only: rtl/ has
// no ChannelwiseOp, so specialize{prefer=rtl} leaves this layer to HLS).
//
// Per lane, with channel ch = fold·PE + lane (fold = 0 .. C/PE-1 cycles through the beats of
// one vector): y = func(x, p[ch]) with func one of
//   FX_CMP_LE  x <= p  as 0 / 1        FX_ADD  x + p
//   FX_CMP_GE  x >= p  as 0 / 1        FX_MUL  x · p
// the semantics of dataflow.channelwise (finn_xdsl.sim.dataflow_kernels.channelwise).
// Every result is computed exactly and goes out as OUT_BITS two's complement (the dialect's
// verifier guarantees the output type holds every result, so the wrap never loses a value).
//
// Streams carry PE lanes per word, lane p in bits [(p+1)·B-1 : p·B] (element 0 in the LSBs,
// docs/architecture.md, "Streams and packing"). Words are exactly PE·B bits; padding TDATA
// to bytes is the wrapper's job.
//
// The parameters are a const array of NP signed P_BITS-bit values, one per channel (NP = C)
// or one for all channels (NP = 1, FINN's broadcast form). Per-channel values rather than
// packed PE-lane words keep the generated parameter file readable and identical for every
// PE; cyclic partitioning by PE gives each lane its own ROM so a beat's PE parameters are
// read in one cycle, and the loop runs at II=1.
#pragma once

#include <ap_int.h>
#include <hls_stream.h>

enum fx_channelwise_func { FX_CMP_LE, FX_CMP_GE, FX_ADD, FX_MUL };

// One call processes `vectors` vectors of C channels: vectors·C/PE words in, as many out.
template <unsigned C, unsigned PE, unsigned NP, unsigned IN_BITS, bool IN_SIGNED, unsigned P_BITS,
          unsigned OUT_BITS, fx_channelwise_func FUNC>
void fx_channelwise(hls::stream<ap_uint<PE * IN_BITS>>& in, hls::stream<ap_uint<PE * OUT_BITS>>& out,
                    const ap_int<P_BITS> params[NP], unsigned vectors) {
    static_assert(C % PE == 0, "PE must divide C");
    static_assert(NP == 1 || NP == C, "one parameter per channel or one for all (NP = C or 1)");
    constexpr unsigned NF = C / PE;
    constexpr unsigned BANKS = NP == 1 ? 1 : PE;  // one ROM per lane; a broadcast value needs one
#pragma HLS ARRAY_PARTITION variable = params cyclic factor = BANKS dim = 1
    (void)BANKS;  // only the pragma reads it: g++ would call it unused
    // x: the input lane sign- or zero-extended by one bit, so both kinds compare and
    // combine correctly with signed parameters; r holds x + p and x · p exactly
    using x_t = ap_int<IN_BITS + 1>;
    constexpr unsigned RB = (FUNC == FX_MUL ? IN_BITS + 1 + P_BITS
                                            : (IN_BITS + 1 > P_BITS ? IN_BITS + 1 : P_BITS) + 1);
    using r_t = ap_int<RB>;
    unsigned nf = 0;
    for (unsigned beat = 0; beat < vectors * NF; beat++) {
#pragma HLS PIPELINE II = 1
        const ap_uint<PE * IN_BITS> a = in.read();
        ap_uint<PE * OUT_BITS> y = 0;
        for (unsigned p = 0; p < PE; p++) {
#pragma HLS UNROLL
            const ap_uint<IN_BITS> bits = a.range(p * IN_BITS + IN_BITS - 1, p * IN_BITS);
            x_t x;
            if (IN_SIGNED) {
                x = x_t(ap_int<IN_BITS>(bits));
            } else {
                x = x_t(bits);
            }
            const r_t w = r_t(params[NP == 1 ? 0 : nf * PE + p]);
            r_t r;
            if (FUNC == FX_CMP_LE) {
                r = r_t(x) <= w ? 1 : 0;
            } else if (FUNC == FX_CMP_GE) {
                r = r_t(x) >= w ? 1 : 0;
            } else if (FUNC == FX_ADD) {
                r = r_t(x) + w;
            } else {
                r = r_t(x) * w;
            }
            // two's complement resize: ap_int -> wider ap_int sign-extends, ap_uint truncates
            y.range(p * OUT_BITS + OUT_BITS - 1, p * OUT_BITS) = ap_uint<OUT_BITS>(ap_int<OUT_BITS + RB>(r));
        }
        out.write(y);
        nf = nf == NF - 1 ? 0 : nf + 1;
    }
}
