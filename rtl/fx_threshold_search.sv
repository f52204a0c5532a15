// fx_threshold_search: count = #{i : x >= T[ch][i]} for PE lanes at once, by a pipelined
// binary search over per-channel ascending threshold tables held in LUT ROM. The search
// core of fx_thresholding; written so that other layers with thresholds (fx_mvu's fused
// activation) can instantiate it too.
//
// Interface (one beat of PE lanes per cycle when en = 1, no back-pressure of its own):
//   in_valid, in_fold, in_x   a beat: lane l holds the value of channel in_fold·PE + l as
//                             an X_BITS two's complement number (callers sign- or
//                             zero-extend; X_BITS >= T_BITS); in_fold < C/PE.
//   out_valid, out_count      K = $clog2(N + 1) cycles later (counting enabled cycles):
//                             lane l's count in out_count[l·K +: K], 0 .. N.
//   en                        advances every stage at once; with en = 0 the pipeline and
//                             out_valid / out_count hold (for callers that stall).
//   ap_rst_n                  clears the valid bits only.
// No combinational path from any input to an output: out_* are registers.
//
// Thresholds: THRESHOLDS_FILE ($readmemh) holds C·N values, channel-major (line ch·N + i
// is T[ch][i]), each T_BITS wide two's complement, ASCENDING within each channel (the
// search relies on it; count is permutation-invariant, so callers sort a channel's
// thresholds when they make the file). Simulation checks the order at time 0.
//
// Why a binary search: count >= m exactly when x >= T[m-1] (sorted thresholds), so the K
// bits of count are decided MSB first, one pipeline stage each, and stage k compares
// against one threshold: T[(p << (K-k)) + 2^(K-1-k) - 1] for the k bits p decided so far.
// Each lane thus needs K comparators instead of N, and stage k of lane l reads a table of
// only C/PE · 2^k entries (its channels fold·PE + l, the thresholds stage k can ask for):
// all K tables together hold what the file holds, N' = 2^K - 1 thresholds per channel.
// Measured with Yosys synth_xilinx at C=64 PE=4 N=15 (8-bit x, 9-bit T): a parallel
// compare of all N thresholds costs about N/K times the comparators plus a popcount
// (~4x this core); the search is smaller from N = 3 on and equal at N = 1.
// Thresholds beyond N (N < N') are "never reached": their table slots hold the largest
// T_BITS value and, when an input can reach that value (X_MAX >= it), the compare is also
// masked for those slots (a constant per stage and prefix).
//
// Tables: the file is read into one array, and each stage's table is wired from it at
// constant indices (Yosys folds them into constants: the tables become LUT logic, no
// memory); a stage reads its table at {fold, p} combinationally and registers the result
// bit. Longest path per stage: the table read (a LUT6 per 64 entries plus a mux level per
// further 2 address bits) + one LUT and the carry chain of the X_BITS-bit compare.
module fx_threshold_search #(
    parameter int C = 1,
    parameter int PE = 1,
    parameter int N = 1,
    parameter int T_BITS = 9,
    parameter int X_BITS = 10,
    // the largest value an input lane takes (decides whether padded slots need a mask)
    parameter longint X_MAX = (longint'(1) << (X_BITS - 1)) - 1,
    parameter string THRESHOLDS_FILE = ""
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
    localparam int K = $clog2(N + 1);
    localparam longint T_MAX = (longint'(1) << (T_BITS - 1)) - 1;
    localparam bit MASK = X_MAX >= T_MAX && N < (1 << K) - 1;

    if (C % PE != 0 || N < 1 || T_BITS > X_BITS) begin : g_bad
        $fatal(1, "fx_threshold_search: needs PE to divide C, N >= 1 and T_BITS <= X_BITS");
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

    logic [T_BITS-1:0] thr[C * N];
    initial begin
        if (THRESHOLDS_FILE != "") begin
            $readmemh(THRESHOLDS_FILE, thr);
`ifndef SYNTHESIS
            for (int ch = 0; ch < C; ch++)
                for (int i = 1; i < N; i++)
                    if (signed'(thr[ch * N + i]) < signed'(thr[ch * N + i - 1]))
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
            logic [T_BITS-1:0] tab[CF][S];
            logic [T_BITS-1:0] t;
            logic pad;

            for (genvar f = 0; f < CF; f++) begin : g_fold
                for (genvar j = 0; j < S; j++) begin : g_slot
                    if (index(k, j) < N) begin : g_thr
                        assign tab[f][j] = thr[(f * PE + l) * N + index(k, j)];
                    end else begin : g_pad
                        assign tab[f][j] = T_BITS'(T_MAX);
                    end
                end
            end

            if (k == 0) begin : g_first
                assign t = tab[CF > 1 ? fi : 0][0];
                assign pad = PAD[0];
            end else begin : g_later
                wire [k-1:0] sel = pi[l][K-1-:k];
                assign t = tab[CF > 1 ? fi : 0][sel];
                assign pad = PAD[sel];
            end

            wire signed [X_BITS-1:0] xl = signed'(xi[l * X_BITS +: X_BITS]);
            assign hit[l] = xl >= X_BITS'(signed'(t)) && !(MASK && pad);
        end

        always_ff @(posedge ap_clk) begin
            if (!ap_rst_n) vq <= 1'b0;
            else if (en) vq <= vi;
        end

        always_ff @(posedge ap_clk) begin
            if (en)
                for (int l = 0; l < PE; l++) pq[l] <= pi[l] | (K'(hit[l]) << (K - 1 - k));
        end

        if (k + 1 < K) begin : g_next
            logic [FW-1:0] fq;
            logic [PE*X_BITS-1:0] xq;
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
