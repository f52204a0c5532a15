// fx_fmpadding.hpp: FINN FMPadding layer as a Vitis HLS template, the C++ twin of
// rtl/fx_fmpadding.sv (same parameters, same stream words).
//
// An IH x IW x C image (C/SIMD words per pixel) becomes (PT + IH + PB) x (PL + IW + PR):
// the input words pass through in order and every padding pixel is C/SIMD words of
// PAD_VALUE in BITS-bit two's complement in each lane. One II=1 loop walks the output
// image and reads an input word only inside the original image, so the stream needs no
// buffer at all.
#pragma once

#include <ap_int.h>
#include <hls_stream.h>

// One call processes `images` frames.
template <unsigned IH, unsigned IW, unsigned C, unsigned PT, unsigned PL, unsigned PB, unsigned PR, unsigned SIMD,
          unsigned BITS, int PAD_VALUE>
void fx_fmpadding(hls::stream<ap_uint<SIMD * BITS>>& in, hls::stream<ap_uint<SIMD * BITS>>& out, unsigned images) {
    static_assert(C % SIMD == 0, "SIMD must divide C");
    static_assert(BITS >= 1 && BITS <= 32, "1 <= BITS <= 32");
    static_assert(PAD_VALUE >= -(1LL << (BITS - 1)) && PAD_VALUE < (1LL << BITS),
                  "PAD_VALUE must fit in BITS bits (signed or unsigned)");
    constexpr unsigned CF = C / SIMD;
    constexpr unsigned OH = PT + IH + PB;
    constexpr unsigned OW = PL + IW + PR;

    ap_uint<SIMD * BITS> pad = 0;
    for (unsigned s = 0; s < SIMD; s++) {
#pragma HLS UNROLL
        pad.range(s * BITS + BITS - 1, s * BITS) = ap_uint<BITS>(PAD_VALUE);
    }

    for (unsigned img = 0; img < images; img++) {
        unsigned y = 0, x = 0, f = 0;
        for (unsigned i = 0; i < OH * OW * CF; i++) {
#pragma HLS PIPELINE II = 1
            const bool inside = y >= PT && y < PT + IH && x >= PL && x < PL + IW;
            out.write(inside ? in.read() : pad);
            const bool next_x = f == CF - 1;
            const bool next_y = next_x && x == OW - 1;
            f = next_x ? 0 : f + 1;
            x = next_x ? (next_y ? 0 : x + 1) : x;
            y = next_y ? y + 1 : y;
        }
    }
}
