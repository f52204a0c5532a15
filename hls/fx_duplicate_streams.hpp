// fx_duplicate_streams.hpp: FINN DuplicateStreams layer as a Vitis HLS template, the C++
// twin of rtl/fx_duplicate_streams.sv (same parameters, same stream words).
//
// Every input word goes unchanged to each of the N_OUT output streams (a fork in the
// dataflow graph, e.g. a residual branch). The outputs are an array of streams, one port
// each after synthesis; one II=1 loop reads once and writes all of them in the same
// iteration, so the slowest consumer sets the pace, as with the RTL's joint handshake.
#pragma once

#include <ap_int.h>
#include <hls_stream.h>

// One call processes `vectors` vectors of C channels (C/PE words each).
template <unsigned C, unsigned PE, unsigned BITS, unsigned N_OUT>
void fx_duplicate_streams(hls::stream<ap_uint<PE * BITS>>& in, hls::stream<ap_uint<PE * BITS>> out[N_OUT],
                          unsigned vectors) {
    static_assert(C % PE == 0, "PE must divide C");
    static_assert(N_OUT >= 2, "duplicating needs at least two outputs");
    constexpr unsigned NF = C / PE;
    for (unsigned beat = 0; beat < vectors * NF; beat++) {
#pragma HLS PIPELINE II = 1
        const ap_uint<PE * BITS> w = in.read();
        for (unsigned i = 0; i < N_OUT; i++) {
#pragma HLS UNROLL
            out[i].write(w);
        }
    }
}
