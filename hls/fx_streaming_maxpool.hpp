// fx_streaming_maxpool.hpp: FINN StreamingMaxPool layer as a Vitis HLS template, the C++
// twin of rtl/fx_streaming_maxpool.sv (same parameters, same stream words).
//
// Max over non-overlapping KH x KW windows (stride = kernel) of an IH x IW x C image,
// C/PE words per pixel, PE channels per word compared lane by lane as BITS-bit values,
// signed or not. Without CEIL_MODE the rows and columns past the last whole window are
// read and dropped (floor); with CEIL_MODE the partial windows at the right and bottom
// edges are pooled over the pixels they have, as ONNX MaxPool's ceil_mode with an
// implicit -inf padding.
//
// One II=1 loop reads every input word once. A row of partial maxima (one word per output
// column and channel fold) collects a window row by row; the word that completes a window
// (last row and column of the window, or of the image in ceil mode) goes out at once, so
// the outputs of an output row stream while its last window row arrives.
#pragma once

#include <ap_int.h>
#include <hls_stream.h>

// Lane-wise maximum of two packed words.
template <unsigned PE, unsigned BITS, bool SIGNED>
ap_uint<PE * BITS> fx_lane_max(const ap_uint<PE * BITS>& a, const ap_uint<PE * BITS>& b) {
#pragma HLS INLINE
    ap_uint<PE * BITS> y = 0;
    for (unsigned p = 0; p < PE; p++) {
#pragma HLS UNROLL
        const ap_uint<BITS> x0 = a.range(p * BITS + BITS - 1, p * BITS);
        const ap_uint<BITS> x1 = b.range(p * BITS + BITS - 1, p * BITS);
        bool first;
        if (SIGNED) {
            first = ap_int<BITS>(x0) >= ap_int<BITS>(x1);
        } else {
            first = x0 >= x1;
        }
        y.range(p * BITS + BITS - 1, p * BITS) = first ? x0 : x1;
    }
    return y;
}

// One call processes `images` frames.
template <unsigned IH, unsigned IW, unsigned C, unsigned KH, unsigned KW, unsigned PE, unsigned BITS, bool SIGNED,
          bool CEIL_MODE>
void fx_streaming_maxpool(hls::stream<ap_uint<PE * BITS>>& in, hls::stream<ap_uint<PE * BITS>>& out,
                          unsigned images) {
    static_assert(C % PE == 0, "PE must divide C");
    static_assert(KH >= 1 && KW >= 1 && KH <= IH && KW <= IW, "the kernel must fit in the image");
    constexpr unsigned CF = C / PE;
    constexpr unsigned OH = CEIL_MODE ? (IH + KH - 1) / KH : IH / KH;
    constexpr unsigned OW = CEIL_MODE ? (IW + KW - 1) / KW : IW / KW;

    ap_uint<PE * BITS> acc[OW * CF];

    for (unsigned img = 0; img < images; img++) {
        unsigned y = 0, x = 0, f = 0;  // input pixel and channel fold
        unsigned oy = 0, ky = 0;       // output row of y and row within its window
        unsigned ox = 0, kx = 0;       // output column of x and column within its window
        for (unsigned i = 0; i < IH * IW * CF; i++) {
#pragma HLS PIPELINE II = 1
            const ap_uint<PE * BITS> w = in.read();
            if (oy < OH && ox < OW) {
                const unsigned idx = ox * CF + f;
                const ap_uint<PE * BITS> m = ky == 0 && kx == 0 ? w : fx_lane_max<PE, BITS, SIGNED>(acc[idx], w);
                acc[idx] = m;
                if ((ky == KH - 1 || y == IH - 1) && (kx == KW - 1 || x == IW - 1)) {
                    out.write(m);
                }
            }
            // advance f, then x (kx, ox), then y (ky, oy)
            if (f != CF - 1) {
                f++;
            } else {
                f = 0;
                if (x != IW - 1) {
                    x++;
                    ox = kx == KW - 1 ? ox + 1 : ox;
                    kx = kx == KW - 1 ? 0 : kx + 1;
                } else {
                    x = ox = kx = 0;
                    y++;
                    oy = ky == KH - 1 ? oy + 1 : oy;
                    ky = ky == KH - 1 ? 0 : ky + 1;
                }
            }
        }
    }
}
