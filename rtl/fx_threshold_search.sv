// fx_threshold_search: count = #{i : x >= T[ch][i]} for PE lanes at once, by a pipelined
// binary search over per-channel ascending threshold tables held in LUT ROM. The search
// core of fx_thresholding; written so that other layers with thresholds (fx_mvu's fused
// activation) can instantiate it too.
//
// Interface (one beat of PE lanes per cycle when en = 1, no back-pressure of its own):
//   in_valid, in_fold, in_x   a beat: lane l holds the value of channel in_fold·PE + l as
//                             an X_BITS two's complement number (callers sign- or
//                             zero-extend; X_BITS >= T_BITS); in_fold < C/PE. Best straight
//                             from a register with an initial value (fx_thresholding's fold
//                             counter): Yosys merges an address register without one into
//                             the tables as a synchronous read, moving it behind the ROM
//                             (T_BITS flip-flops per lane, and no LUT shared with the compare).
//   out_valid, out_count      K = $clog2(N + 1) cycles later (counting enabled cycles):
//                             lane l's count in out_count[l·K +: K], 0 .. N.
//   en                        advances every stage at once; with en = 0 the pipeline and
//                             out_valid / out_count hold (for callers that stall).
//   ap_rst_n                  clears the valid bits only.
// No combinational path from any input to an output: out_* are registers.
//
// Why a binary search: with ascending thresholds count >= m exactly when x >= T[m-1], so
// the K bits of count are decided MSB first, one pipeline stage each, stage k comparing
// against the one threshold T[(2p+1)·2^(K-1-k) - 1] picked by the k bits p decided so
// far. A lane needs K comparators instead of N, and stage k of lane l reads a table of
// only C/PE · 2^k entries (channels fold·PE + l, the thresholds stage k can ask for): the
// K tables together hold each threshold once. Measured with Yosys synth_xilinx (layer
// fx_thresholding, channel layout, 8-bit x, 9-bit T): C=64 PE=4 N=15 274 LUT with this core
// against 713 LUT comparing all N thresholds of a lane at once (N comparators and a
// popcount per lane, the table read by fold only); C=32 PE=4 N=3 71 against 96 LUT; at
// N = 1 both are one comparator. (Plus 16 resp. 8 LUTRAM of the output queue in each.)
// Count values beyond N (N < 2^K - 1) are "never reached": their slots hold the largest
// T_BITS value and, if an input can reach that value (X_MAX >= it), the compare of such a
// slot is also masked (a constant per stage and prefix).
//
// Thresholds: THRESHOLDS_FILE ($readmemh), T_BITS-wide two's complement values, ASCENDING
// within each channel (the search relies on it; the count does not depend on the order,
// so whoever writes the file sorts). Simulation checks the order at time 0. Two layouts:
//   THRESHOLDS_LAYOUT = 0 ("channel"): C·N lines, line ch·N + i is T[ch][i]. Each stage
//     table is wired from the file's array at constant indices. Yosys folds these into
//     constants, but its memory passes take time growing with (C·N)^2: seconds up to about
//     a thousand thresholds, minutes at a few thousand.
//   THRESHOLDS_LAYOUT = 1 ("search", what -t sv writes): the search trees in heap order,
//     lane-major: line (l·2^FB + f)·2^K + j (FB = $clog2(C/PE)) holds node j = 2^k + p of
//     the tree of channel f·PE + l, i.e. the threshold stage k compares for prefix p
//     (T[(2p+1)·2^(K-1-k) - 1], or the largest T_BITS value where that index is >= N);
//     lines with j = 0 or f >= C/PE are unused. Every stage reads the array at the
//     address {l, f, 1, p}: constant bits and the stage's own fold and prefix, so Yosys
//     keeps one small multiplexer per stage and the synthesis time grows linearly.
// Either way the tables become LUT logic (rom_style "logic": LUT RAM would need a copy of
// the whole array per stage), read combinationally at {fold, p}; the stage registers the
// compare result. Longest path per stage: the table read (a LUT6 per 64 entries plus a
// multiplexer level per further 2 address bits) + one LUT and the carry chain of the
// X_BITS-bit compare.
module fx_threshold_search #(
    parameter int C = 1,
    parameter int PE = 1,
    parameter int N = 1,
    parameter int T_BITS = 9,
    parameter int X_BITS = 10,
    // the largest value an input lane takes (decides whether padded slots need a mask)
    parameter longint X_MAX = (longint'(1) << (X_BITS - 1)) - 1,
    parameter string THRESHOLDS_FILE = "",
    parameter int THRESHOLDS_LAYOUT = 0
) (
    input  logic                                      ap_clk,
    input  logic                                      ap_rst_n,
    input  logic                                      en,
    input  logic                                      in_valid,
    input  logic [(C / PE > 1 ? $clog2(C / PE) : 1)-1:0] in_fold,
    input  logic [PE*X_BITS-1:0]                      in_x,
    output logic                                      out_valid,
    output logic [PE*$clog2(N + 1)-1:0]               out_count
);
    localparam int CF = C / PE;
    localparam int FW = CF > 1 ? $clog2(CF) : 1;
    localparam int FB = $clog2(CF);  // fold bits of the search layout (0 for one fold)
    localparam int K = $clog2(N + 1);
    localparam longint T_MAX = (longint'(1) << (T_BITS - 1)) - 1;
    localparam bit MASK = X_MAX >= T_MAX && N < (1 << K) - 1;
    localparam bit HEAP = THRESHOLDS_LAYOUT != 0;
    localparam int WORDS = HEAP ? PE << (FB + K) : C * N;
    localparam int AB = $clog2(WORDS);  // search layout: lane, fold and node bits

    if (C % PE != 0 || N < 1 || T_BITS > X_BITS || THRESHOLDS_LAYOUT < 0 || THRESHOLDS_LAYOUT > 1)
    begin : g_bad
        $fatal(1, "fx_threshold_search: needs PE to divide C, N >= 1, T_BITS <= X_BITS, layout 0 or 1");
    end

    // the threshold index stage k compares against, given the k count bits p above it
    function automatic int index(input int k, input int p);
        return ((p << (K - k)) | (1 << (K - 1 - k))) - 1;
    endfunction

    // slot p of stage k is padding (index >= N): the compare there must say "below"
    function automatic logic [(1 << (K - 1))-1:0] padding(input int k);
        logic [(1 << (K - 1))-1:0] pad = '0;
        for (int p = 0; p < (1 << k); p++) pad[p] = index(k, p) >= N;
        return pad;
    endfunction

    // line of threshold i of channel f·PE + l in the file
    function automatic int line(input int l, input int f, input int i);
        int k, z;
        if (!HEAP) return (f * PE + l) * N + i;
        z = 0;
        while (((i + 1) >> z) % 2 == 0) z++;
        k = K - 1 - z;  // the stage comparing against T[i]; its prefix is (i + 1) >> (z + 1)
        return (((l << FB) + f) << K) + (1 << k) + ((i + 1) >> (z + 1));
    endfunction

    (* rom_style = "distributed", rom_block = "logic" *) logic [T_BITS-1:0] thr[WORDS];
    initial begin
        if (THRESHOLDS_FILE != "") begin
            $readmemh(THRESHOLDS_FILE, thr);
`ifndef SYNTHESIS
            for (int ch = 0; ch < C; ch++)
                for (int i = 1; i < N; i++)
                    if (signed'(thr[line(ch % PE, ch / PE, i)]) < signed'(thr[line(ch % PE, ch / PE, i - 1)]))
                        $error("fx_threshold_search: %s: channel %0d: thresholds not ascending at %0d",
                               THRESHOLDS_FILE, ch, i);
`endif
        end
    end

    // Stage k: inputs vi, fi, xi and the count bits decided so far (MSB first in pi, the
    // bits below K-k still 0); registers vq, pq and, for a next stage, fq and xq.
    for (genvar k = 0; k < K; k++) begin : g_stage
        localparam int S = 1 << k;  // table entries per channel
        localparam logic [S-1:0] PAD = S'(padding(k));
        logic vi;
        logic [FW-1:0] fi;
        logic [PE*X_BITS-1:0] xi;
        logic [PE-1:0][K-1:0] pi;
        logic vq;
        logic [PE-1:0][K-1:0] pq;
        logic [PE-1:0] hit;

        if (k == 0) begin : g_in
            assign vi = in_valid;
            assign fi = in_fold;
            assign xi = in_x;
            assign pi = '0;
        end else begin : g_prev
            assign vi = g_stage[k - 1].vq;
            assign fi = g_stage[k - 1].g_next.fq;
            assign xi = g_stage[k - 1].g_next.xq;
            assign pi = g_stage[k - 1].pq;
        end

        for (genvar l = 0; l < PE; l++) begin : g_lane
            logic [T_BITS-1:0] t;
            /* verilator lint_off UNUSEDSIGNAL */
            logic [FW-1:0] fsel;  // (the search layout has no fold bits for one fold)
            logic [K-1:0] node;  // 2^k + p (stage 0: no p; the channel layout uses only p)
            /* verilator lint_on UNUSEDSIGNAL */

            if (k == 0) begin : g_root
                assign node = K'(1);
            end else begin : g_child
                assign node = K'(1 << k) | K'(pi[l][K-1-:k]);
            end
            assign fsel = CF > 1 ? fi : '0;

            if (HEAP) begin : g_search
                wire [AB-1:0] addr;
                if (FB > 0) begin : g_folds
                    assign addr = AB'(l) << (FB + K) | AB'(fsel[FB-1:0]) << K | AB'(node);
                end else begin : g_one
                    assign addr = AB'(l) << K | AB'(node);
                end
                assign t = thr[addr];
            end else begin : g_channel
                logic [T_BITS-1:0] tab[CF][S];
                for (genvar f = 0; f < CF; f++) begin : g_fold
                    for (genvar j = 0; j < S; j++) begin : g_slot
                        if (index(k, j) < N) begin : g_thr
                            assign tab[f][j] = thr[line(l, f, index(k, j))];
                        end else begin : g_pad
                            assign tab[f][j] = T_BITS'(T_MAX);
                        end
                    end
                end
                if (k == 0) begin : g_first
                    assign t = tab[fsel][0];
                end else begin : g_later
                    assign t = tab[fsel][node[k-1:0]];
                end
            end

            logic pad;
            if (k == 0) begin : g_pad0
                assign pad = PAD[0];
            end else begin : g_padk
                assign pad = PAD[node[k-1:0]];
            end
            wire signed [X_BITS-1:0] xl = signed'(xi[l * X_BITS +: X_BITS]);
            assign hit[l] = xl >= X_BITS'(signed'(t)) && !(MASK && pad);
        end

        always_ff @(posedge ap_clk) begin
            if (!ap_rst_n) vq <= 1'b0;
            else if (en) vq <= vi;
        end

        // an initial value on the registers that address the tables: see in_fold
        initial pq = '0;
        always_ff @(posedge ap_clk) begin
            if (en)
                for (int l = 0; l < PE; l++) pq[l] <= pi[l] | (K'(hit[l]) << (K - 1 - k));
        end

        if (k + 1 < K) begin : g_next
            logic [FW-1:0] fq;
            logic [PE*X_BITS-1:0] xq;
            initial fq = '0;
            always_ff @(posedge ap_clk) begin
                if (en) begin
                    fq <= fi;
                    xq <= xi;
                end
            end
        end
    end

    assign out_valid = g_stage[K - 1].vq;
    assign out_count = g_stage[K - 1].pq;
endmodule
