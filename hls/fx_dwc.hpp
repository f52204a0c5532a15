// fx_dwc.hpp: FINN StreamingDataWidthConverter as a Vitis HLS template, the C++ twin of
// rtl/fx_dwc.sv (same parameters, same stream words).
//
// Re-beats a frame of TOTAL BITS-bit elements from IN_LANES to OUT_LANES elements per word,
// keeping the element order (element 0 in the LSBs of the first word). One mechanism covers
// integer ratios both ways and the general case where neither width divides the other: a
// shift register of IN_LANES + OUT_LANES lanes takes a word whenever it has room for a
// whole one and gives a word whenever it holds OUT_LANES elements. Whenever it cannot give,
// it holds fewer than OUT_LANES and so has room, so the loop (II=1, at most one read and
// one write per iteration) never stalls and runs max(TOTAL/IN_LANES, TOTAL/OUT_LANES) plus
// at most one iteration per output word that waits for its input.
#pragma once

#include <ap_int.h>
#include <hls_stream.h>

// One call processes `frames` frames.
template <unsigned IN_LANES, unsigned OUT_LANES, unsigned BITS, unsigned TOTAL>
void fx_dwc(hls::stream<ap_uint<IN_LANES * BITS>>& in, hls::stream<ap_uint<OUT_LANES * BITS>>& out,
            unsigned frames) {
    static_assert(IN_LANES >= 1 && OUT_LANES >= 1 && BITS >= 1, "lanes and bits must be positive");
    static_assert(TOTAL % IN_LANES == 0 && TOTAL % OUT_LANES == 0,
                  "TOTAL must be a multiple of IN_LANES and OUT_LANES");
    constexpr unsigned CAP = IN_LANES + OUT_LANES;  // one spare lane: shifts stay below the width
    constexpr unsigned N_IN = TOTAL / IN_LANES;
    constexpr unsigned N_OUT = TOTAL / OUT_LANES;

    for (unsigned fr = 0; fr < frames; fr++) {
        ap_uint<CAP * BITS> buf = 0;
        unsigned have = 0;  // elements in buf, in its low lanes
        unsigned reads = 0, writes = 0;
        while (writes < N_OUT) {
#pragma HLS PIPELINE II = 1
            if (reads < N_IN && have + IN_LANES <= CAP) {
                buf |= ap_uint<CAP * BITS>(in.read()) << (have * BITS);
                have += IN_LANES;
                reads++;
            }
            if (have >= OUT_LANES) {
                out.write(ap_uint<OUT_LANES * BITS>(buf.range(OUT_LANES * BITS - 1, 0)));
                buf >>= OUT_LANES * BITS;
                have -= OUT_LANES;
                writes++;
            }
        }
    }
}
