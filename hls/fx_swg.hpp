// fx_swg.hpp: FINN ConvolutionInputGenerator (sliding-window generator) as a Vitis HLS
// template, the C++ twin of rtl/fx_swg.sv (same parameters, same stream words).
//
// Input: an IH x IW x C image, C/SIMD words per pixel, SIMD channels per word. Output: for
// every output pixel (row-major over OH x OW) its KH x KW window, without padding, taking
// rows oy·SH + ky·DH and columns ox·SW + kx·DW. The standard order within a window is
// (ky, kx, channel fold) - qonnx Im2Col's (kh, kw, C). DEPTHWISE streams (channel fold, ky,
// kx) instead, because a VVAU consumer works through one SIMD group of channels across the
// whole window before the next group.
//
// Only the last (KH-1)·DH + 1 input rows can still be part of a window, so they are kept in
// a ring of row buffers. Each output row first reads the input rows its windows need, then
// emits its windows; rows that no window touches (stride > kernel, the bottom remainder)
// are read and overwritten like the others, so the input is always consumed completely.
// Both loops are II=1 with counters instead of divisions.
#pragma once

#include <ap_int.h>
#include <hls_stream.h>

// One call processes `images` frames.
template <unsigned IH, unsigned IW, unsigned C, unsigned KH, unsigned KW, unsigned SH, unsigned SW, unsigned DH,
          unsigned DW, unsigned SIMD, unsigned BITS, bool DEPTHWISE>
void fx_swg(hls::stream<ap_uint<SIMD * BITS>>& in, hls::stream<ap_uint<SIMD * BITS>>& out, unsigned images) {
    static_assert(C % SIMD == 0, "SIMD must divide C");
    static_assert(KH >= 1 && KW >= 1 && SH >= 1 && SW >= 1 && DH >= 1 && DW >= 1,
                  "kernel, stride and dilation must be positive");
    static_assert((KH - 1) * DH < IH && (KW - 1) * DW < IW, "the dilated kernel must fit in the image");
    constexpr unsigned CF = C / SIMD;
    constexpr unsigned ROWS = (KH - 1) * DH + 1;
    constexpr unsigned OH = (IH - (KH - 1) * DH - 1) / SH + 1;
    constexpr unsigned OW = (IW - (KW - 1) * DW - 1) / SW + 1;
    constexpr unsigned ROW_WORDS = IW * CF;
    constexpr unsigned PATCH = KH * KW * CF;

    ap_uint<SIMD * BITS> buf[ROWS][ROW_WORDS];
#pragma HLS ARRAY_PARTITION variable = buf complete dim = 1

    for (unsigned img = 0; img < images; img++) {
        unsigned rows_in = 0;  // input rows of this image read so far
        unsigned slot = 0;     // ring slot of input row rows_in
        for (unsigned oy = 0; oy < OH; oy++) {
            // the window rows of output row oy end at input row oy·SH + ROWS - 1
            for (; rows_in < oy * SH + ROWS; rows_in++) {
                for (unsigned w = 0; w < ROW_WORDS; w++) {
#pragma HLS PIPELINE II = 1
                    buf[slot][w] = in.read();
                }
                slot = slot == ROWS - 1 ? 0 : slot + 1;
            }
            // ring slot of input row oy·SH (the oldest kept): rows_in - ROWS rows after it
            // comes `slot`, so it is `slot` itself (the ring holds exactly ROWS rows)
            const unsigned top = slot;
            for (unsigned ox = 0; ox < OW; ox++) {
                [[maybe_unused]] unsigned ky = 0;  // only the depthwise order needs it
                unsigned kx = 0, f = 0;
                unsigned row = top;  // ring slot of input row oy·SH + ky·DH
                for (unsigned k = 0; k < PATCH; k++) {
#pragma HLS PIPELINE II = 1
                    out.write(buf[row][(ox * SW + kx * DW) * CF + f]);
                    bool next_row;
                    if (DEPTHWISE) {  // kx fastest, then ky, then the channel fold
                        next_row = kx == KW - 1;
                        kx = next_row ? 0 : kx + 1;
                        if (next_row) {
                            const bool next_fold = ky == KH - 1;
                            ky = next_fold ? 0 : ky + 1;
                            f += next_fold ? 1 : 0;
                            row = next_fold ? top : (row + DH >= ROWS ? row + DH - ROWS : row + DH);
                        }
                    } else {  // the channel fold fastest, then kx, then ky
                        const bool next_col = f == CF - 1;
                        f = next_col ? 0 : f + 1;
                        next_row = next_col && kx == KW - 1;
                        kx = next_col ? (next_row ? 0 : kx + 1) : kx;
                        if (next_row) {
                            row = row + DH >= ROWS ? row + DH - ROWS : row + DH;
                        }
                    }
                }
            }
        }
        // rows below the last window
        for (; rows_in < IH; rows_in++) {
            for (unsigned w = 0; w < ROW_WORDS; w++) {
#pragma HLS PIPELINE II = 1
                in.read();
            }
        }
    }
}
