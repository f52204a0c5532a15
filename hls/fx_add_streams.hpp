// fx_add_streams.hpp: FINN AddStreams layer as a Vitis HLS template, the C++ twin of
// rtl/fx_add_streams.sv (same parameters, same stream words).
//
// Two streams of the same shape (C channels, C/PE words per vector, PE lanes of IN_BITS,
// both signed or both unsigned) are summed lane by lane; each sum is exact in IN_BITS + 1
// bits and goes out as OUT_BITS two's complement (sign- or zero-extended when OUT_BITS is
// wider, wrapped when narrower, as the RTL). One II=1 loop reads both inputs every beat.
#pragma once

#include <ap_int.h>
#include <hls_stream.h>

// One call processes `vectors` vectors of C channels.
template <unsigned C, unsigned PE, unsigned IN_BITS, bool IN_SIGNED, unsigned OUT_BITS>
void fx_add_streams(hls::stream<ap_uint<PE * IN_BITS>>& in0, hls::stream<ap_uint<PE * IN_BITS>>& in1,
                    hls::stream<ap_uint<PE * OUT_BITS>>& out, unsigned vectors) {
    static_assert(C % PE == 0, "PE must divide C");
    constexpr unsigned NF = C / PE;
    using sum_t = ap_int<IN_BITS + 2>;  // holds a sum of two signed or unsigned lanes
    for (unsigned beat = 0; beat < vectors * NF; beat++) {
#pragma HLS PIPELINE II = 1
        const ap_uint<PE * IN_BITS> a = in0.read();
        const ap_uint<PE * IN_BITS> b = in1.read();
        ap_uint<PE * OUT_BITS> y = 0;
        for (unsigned p = 0; p < PE; p++) {
#pragma HLS UNROLL
            const ap_uint<IN_BITS> x0 = a.range(p * IN_BITS + IN_BITS - 1, p * IN_BITS);
            const ap_uint<IN_BITS> x1 = b.range(p * IN_BITS + IN_BITS - 1, p * IN_BITS);
            sum_t s;
            if (IN_SIGNED) {
                s = sum_t(ap_int<IN_BITS>(x0)) + sum_t(ap_int<IN_BITS>(x1));
            } else {
                s = sum_t(x0) + sum_t(x1);
            }
            // two's complement resize: ap_int -> wider ap_int sign-extends, ap_uint truncates
            y.range(p * OUT_BITS + OUT_BITS - 1, p * OUT_BITS) = ap_uint<OUT_BITS>(ap_int<OUT_BITS + IN_BITS + 2>(s));
        }
        out.write(y);
    }
}
