// fx_mvu_dsp: fx_mvu's dot products and accumulators on DSP48E1 slices, several products
// per DSP. acc[pe] = sum over the tiles of a fold of sum_s x[s]·w[pe][s], exact modulo
// 2^ACC_BITS; `ov` marks the cycle after a fold's last tile has been added (acc valid).
//
// Packing (the idea of AMD's WP486, reworked for the DSP48E1's 25x18 multiplier): the SIMD
// input x[s] goes to B (18 bits) and the weights w[pe][s] of L neighbouring PEs to the
// pre-adder, lane j at bit off_j, so one multiply yields L products x·w[j]:
//   AD = D - A, D = the weights' low W_BITS bits at off_j (the top lane sign-extended),
//   A = the sign bits of the lower lanes at off_j + W_BITS  (D - A = sum_j 2^off_j·w[j]).
// The top lane sits at 24 - W_BITS at most: the 25-bit AD must hold the packed value for
// every weight, and a 4-bit top lane at 21 would wrap for w = -8 over negative lower lanes
// (FINN's DSP48E1 packing avoids this by forbidding -8; we keep a bit of headroom).
// The SIMD columns of a segment (at most 8) form a systolic chain: DSP u adds its product
// to DSP u-1's P (every DSP has its P register, so no combinational path crosses two DSPs),
// its inputs delayed u cycles by skew registers (with reset: flip-flops, not SRLs). The
// first DSP adds the constant sum_j 2^off_j·BL, which biases every lane's sum
// M_j = BL + sum of products into [0, NS·SPAN] (BL = -NS·min product): lanes are then
// non-negative and P = sum_j 2^off_j·M_j. With c_j the carry into lane j,
//   c_j = floor((sum_(i<j) 2^off_i·M_i) / 2^off_j),  M_j = {c_(j+1), P[off_j +: K_j]} - c_j,
// and the top lane M_(L-1) = P >> off_(L-1) - c_(L-1). When NS·SPAN < 2^K_j the carries are
// 0 and extraction is wiring (8-bit x 8-bit, 4 columns). Otherwise the lanes overlap and each
// carry is recovered from a canary Q_j = M_j mod 2^R_j, computed in fabric from the low R_j
// bits of the operands: c_j = P[off_j +: R_j] - Q_j mod 2^R_j, exact because the carry is
// bounded below 2^R_j (R_j from that bound, at most 5).
// L is the largest of 4, 3, 2 lanes whose fields hold a weight and whose canaries need at most
// 5 bits (4-bit x 4-bit: L = 4 at 0/7/14/20 with R = 4/4/5 for 8 columns; 8-bit x 8-bit:
// L = 2 at 0/16); else one product per DSP (L = 1).
//
// The chain's P is copied into a fabric register, the lanes extracted (one register), the
// segments' lane sums added by a pipelined tree, and accumulated per PE: acc + M is one LUT
// per bit, the bias of all tiles is the accumulator's reset value (-SF·NSEG·BL), and the
// accumulator is cleared by its register reset when a fold ends while `acc` captures the
// fold's last sum. Latency from x to ov: NS + 6 + the segment tree's.
module fx_mvu_dsp #(
    parameter int PE = 1,
    parameter int SIMD = 1,
    parameter int IN_BITS = 4,
    parameter int IN_SIGNED = 0,
    parameter int W_BITS = 4,
    parameter int W_SIGNED = 1,
    parameter int ACC_BITS = 16,
    parameter int SF = 1,
    parameter int BUDGET = 64,  // the caller's bound on LAT
    // derived (do not override)
    parameter int NSEG = (SIMD + 7) / 8,
    parameter int NS = (SIMD + NSEG - 1) / NSEG
) (
    input  logic                       clk,
    input  logic                       rst,
    input  logic                       v,
    input  logic                       last,
    input  logic [SIMD*IN_BITS-1:0]    x,
    input  logic [PE*SIMD*W_BITS-1:0]  w,
    output logic                       ov,
    output logic [PE*ACC_BITS-1:0]     acc
);
    localparam int RMAX = 5;
    localparam longint XMIN = IN_SIGNED != 0 ? -(longint'(1) <<< (IN_BITS - 1)) : 0;
    localparam longint XMAX = IN_SIGNED != 0 ? (longint'(1) <<< (IN_BITS - 1)) - 1 : (longint'(1) <<< IN_BITS) - 1;
    localparam longint WMIN = W_SIGNED != 0 ? -(longint'(1) <<< (W_BITS - 1)) : 0;
    localparam longint WMAX = W_SIGNED != 0 ? (longint'(1) <<< (W_BITS - 1)) - 1 : (longint'(1) <<< W_BITS) - 1;

    function automatic longint lmin(input longint a, input longint b);
        return a < b ? a : b;
    endfunction
    function automatic longint lmax(input longint a, input longint b);
        return a > b ? a : b;
    endfunction
    localparam longint PMIN = lmin(lmin(XMIN * WMIN, XMIN * WMAX), lmin(XMAX * WMIN, XMAX * WMAX));
    localparam longint PMAX = lmax(lmax(XMIN * WMIN, XMIN * WMAX), lmax(XMAX * WMIN, XMAX * WMAX));
    localparam longint SPAN = longint'(NS) * (PMAX - PMIN);  // a lane's biased sum is in [0, SPAN]

    // lane offsets for l lanes: the top lane at 24 - W_BITS at most, so that the 25-bit
    // pre-adder holds sum_j 2^off(j)·w[j] for every weight value (a 4-bit top lane at 21
    // would wrap for w = -8 over negative lower lanes); the lower fields share the rest
    function automatic int lane_off(input int l, input int j);
        int t, base, rem;
        if (l < 2) return 0;
        t = 24 - W_BITS;
        base = t / (l - 1);
        rem = t % (l - 1);
        return j * base + (j < rem ? j : rem);
    endfunction
    // canary bits of lane j (bits of the bound on its carry-in c_j), for l lanes
    function automatic int lane_r(input int l, input int j);
        longint c;
        c = 0;
        for (int i = 1; i <= j; i++) c = (c + SPAN) >>> (lane_off(l, i) - lane_off(l, i - 1));
        return c == 0 ? 0 : $clog2(c + 1);
    endfunction
    function automatic bit lanes_ok(input int l);
        if ((24 - W_BITS) / (l - 1) < W_BITS) return 0;  // every field holds a weight
        for (int j = 1; j < l; j++) begin
            if (lane_r(l, j) > RMAX) return 0;
        end
        return 1;
    endfunction
    function automatic int pick_lanes();
        if ((IN_SIGNED != 0 ? IN_BITS > 18 : IN_BITS > 17) || W_BITS > 23) return 1;
        for (int l = 4; l >= 2; l--) begin
            if (l <= PE && lanes_ok(l)) return l;
        end
        return 1;
    endfunction
    function automatic int max_r(input int l);
        int r;
        r = 1;
        for (int j = 1; j < l; j++) r = lane_r(l, j) > r ? lane_r(l, j) : r;
        return r;
    endfunction
    localparam int L = pick_lanes();
    localparam int RW = max_r(L);  // widest canary
    localparam int G = (PE + L - 1) / L;                 // DSP chains side by side
    localparam int MB = $clog2(SPAN + 1);                // bits of a lane's biased sum
    localparam longint BL = -longint'(NS) * PMIN;        // lane bias
    localparam int TOPB = lane_off(L, L - 1);
    // segment sum width (two's complement, at most ACC_BITS: the sum is taken modulo 2^ACC)
    localparam int STW0 = MB + (NSEG > 1 ? $clog2(NSEG) : 0) + 1;
    localparam int STW = STW0 < ACC_BITS ? STW0 : ACC_BITS;
    localparam int SLPS = STW <= 12 ? 2 : 1;
    localparam int SLEV = NSEG > 1 ? $clog2(NSEG) : 0;
    localparam int SLAT = NSEG > 1 ? (SLEV + SLPS - 1) / SLPS : 0;
    // x (cycle 0) -> P of the last column (NS + 3) -> its fabric copy (NS + 4) -> lanes
    // (NS + 5) -> segment sum -> acc
    localparam int LAT = NS + 6 + SLAT;
    localparam logic [ACC_BITS-1:0] INIT = ACC_BITS'(-(longint'(SF) * longint'(NSEG) * BL));

    function automatic logic [47:0] chain_bias();
        logic [47:0] b;
        b = '0;
        for (int j = 0; j < L; j++) b = b + (48'(BL) << lane_off(L, j));
        return b;
    endfunction
    localparam logic [47:0] CBIAS = chain_bias();

    initial begin
        if (TOPB + MB > 47) $error("fx_mvu_dsp: lanes exceed the 48-bit P");
        if (LAT > BUDGET) $error("fx_mvu_dsp: latency %0d exceeds the budget %0d", LAT, BUDGET);
    end

    // ------------------------------------------------------------------ tile flags
    logic [LAT:0] vd, ld;
    assign vd[0] = v;
    assign ld[0] = last;
    always_ff @(posedge clk) begin
        if (rst) begin
            vd[LAT:1] <= '0;
            ld[LAT:1] <= '0;
        end else begin
            vd[LAT:1] <= vd[LAT-1:0];
            ld[LAT:1] <= ld[LAT-1:0];
        end
    end

    // ------------------------------------------------------------------ chains
    // lanes[g][q][j]: M_j of chain g, segment q, one register after the chain's P
    logic [MB-1:0] lanes[G][NSEG][L];
    localparam int BW = IN_BITS + 1;              // B operand (sign or zero extended)
    localparam int AW = L > 1 ? 25 : W_BITS + 1;  // pre-adder width

    for (genvar q = 0; q < NSEG; q++) begin : g_seg
        localparam int S0 = q * NS;
        localparam int NQ = SIMD - S0 < NS ? SIMD - S0 : NS;  // columns of this segment
        localparam int D0 = NS - NQ;                            // a short segment starts later
        // skewed inputs, column u delayed D0 + u cycles (x is shared by the chains)
        logic [IN_BITS-1:0] xs[NQ];
        for (genvar u = 0; u < NQ; u++) begin : g_xs
            fx_mvu_delay #(.W(IN_BITS), .D(D0 + u)) u_d (
                .clk, .rst, .i(x[(S0+u)*IN_BITS +: IN_BITS]), .o(xs[u]));
        end
        for (genvar g = 0; g < G; g++) begin : g_chain
            logic [47:0] p[NQ];
            for (genvar u = 0; u < NQ; u++) begin : g_col
                // the column's weights, lane j from PE g·L + j (zero past PE), skewed
                logic [L*W_BITS-1:0] wc, wd;
                for (genvar j = 0; j < L; j++) begin : g_w
                    if (g * L + j < PE) begin : g_pe
                        assign wc[j*W_BITS +: W_BITS] = w[((g*L+j)*SIMD + S0 + u)*W_BITS +: W_BITS];
                    end else begin : g_none
                        assign wc[j*W_BITS +: W_BITS] = '0;
                    end
                end
                fx_mvu_delay #(.W(L*W_BITS), .D(D0 + u)) u_d (.clk, .rst, .i(wc), .o(wd));
                // pre-adder operands: D the lanes' low bits (top lane extended), A the signs
                logic [AW-1:0] dd, aa;
                always_comb begin
                    dd = '0;
                    aa = '0;
                    for (int j = 0; j < L - 1; j++) begin
                        dd[lane_off(L, j) +: W_BITS] = wd[j*W_BITS +: W_BITS];
                        if (W_SIGNED != 0) aa[lane_off(L, j) + W_BITS] = wd[j*W_BITS + W_BITS - 1];
                    end
                    dd[AW-1:TOPB] = (AW - TOPB)'(W_SIGNED != 0 ? $signed(wd[(L-1)*W_BITS +: W_BITS])
                                                               : $signed({1'b0, wd[(L-1)*W_BITS +: W_BITS]}));
                end
                // one DSP48E1: A/B/D, AD, M and P registers, P = pin + (D - A)·B
                logic signed [BW-1:0] b1, b2;
                logic signed [AW-1:0] d1, a1, ad2;
                logic signed [AW+BW-1:0] m3;
                logic [47:0] pin, pr;
                assign p[u] = pr;
                if (u == 0) begin : g_first
                    assign pin = CBIAS;
                end else begin : g_next
                    assign pin = p[u-1];
                end
                always_ff @(posedge clk) begin
                    b1 <= IN_SIGNED != 0 ? $signed({xs[u][IN_BITS-1], xs[u]}) : $signed({1'b0, xs[u]});
                    d1 <= dd;
                    a1 <= aa;
                    b2 <= b1;
                    ad2 <= d1 - a1;
                    m3 <= ad2 * b2;
                    pr <= pin + 48'(m3);
                end
            end
            // canaries Q_j = M_j mod 2^R_j of lanes 1..L-1, aligned with P
            /* verilator lint_off UNUSEDSIGNAL */
            logic [RW-1:0] qd[L];  // unused when no lane needs a canary
            /* verilator lint_on UNUSEDSIGNAL */
            assign qd[0] = '0;
            for (genvar j = 1; j < L; j++) begin : g_can
                localparam int RJ = lane_r(L, j);
                if (RJ > 0 && g * L + j < PE) begin : g_pe
                    logic [NQ*RJ-1:0] pm;
                    for (genvar u = 0; u < NQ; u++) begin : g_prod
                        // the low RJ bits of x·w need only the low RJ bits of x and w
                        wire [RJ-1:0] xa = RJ'(IN_SIGNED != 0 ? $signed(x[(S0+u)*IN_BITS +: IN_BITS])
                                                             : $signed({1'b0, x[(S0+u)*IN_BITS +: IN_BITS]}));
                        wire [RJ-1:0] wa = RJ'(W_SIGNED != 0 ? $signed(w[((g*L+j)*SIMD + S0 + u)*W_BITS +: W_BITS])
                                                            : $signed({1'b0, w[((g*L+j)*SIMD + S0 + u)*W_BITS +: W_BITS]}));
                        logic [RJ-1:0] pp, pq;
                        always_comb begin
                            pp = '0;
                            for (int b = 0; b < RJ; b++) pp = pp + ((wa[b] ? xa : RJ'(0)) << b);
                        end
                        always_ff @(posedge clk) pq <= pp;
                        assign pm[u*RJ +: RJ] = pq;
                    end
                    logic [RJ-1:0] qs, qsum, qj;
                    /* verilator lint_off UNUSEDSIGNAL */
                    logic qco;
                    /* verilator lint_on UNUSEDSIGNAL */
                    fx_mvu_addtree #(.N(NQ), .IW(RJ), .OW(RJ), .LPS(2)) u_tree (
                        .clk, .rst, .in(pm), .ci('0), .sum(qs), .co(qco)
                    );
                    assign qsum = qs + RJ'(BL);
                    localparam int QLAT = NS + 4 - 1 - (NQ > 1 ? ($clog2(NQ) + 1) / 2 : 1);
                    fx_mvu_delay #(.W(RJ), .D(QLAT)) u_d (.clk, .rst, .i(qsum), .o(qj));
                    assign qd[j] = RW'(qj);
                end else begin : g_const
                    assign qd[j] = RW'(BL);  // no canary needed, or zero weights: Q = BL
                end
            end
            // the chain's sum in a fabric register, so that no path runs from a DSP into the
            // extraction logic (then every path crosses at most one DSP, or the chain alone)
            logic [47:0] pf;
            always_ff @(posedge clk) pf <= p[NQ-1];
            // lane extraction, registered: c_j = P[off_j +: R_j] - Q_j (mod 2^R_j),
            // M_j = {c_(j+1), P[off_j +: K_j]} - c_j, top lane P >> off_top - c_(L-1)
            logic [RW-1:0] c[L+1];
            assign c[0] = '0;
            assign c[L] = '0;
            for (genvar j = 1; j < L; j++) begin : g_c
                localparam int RJ = lane_r(L, j);
                if (RJ > 0) begin : g_r
                    wire [RJ-1:0] cj = pf[lane_off(L, j) +: RJ] - qd[j][RJ-1:0];
                    assign c[j] = RW'(cj);
                end else begin : g_0
                    assign c[j] = '0;
                end
            end
            for (genvar j = 0; j < L; j++) begin : g_lane
                logic [MB-1:0] mj;
                if (j == L - 1) begin : g_top
                    assign mj = MB'(pf[47:TOPB]) - MB'(c[j]);
                end else begin : g_low
                    localparam int KJ = lane_off(L, j + 1) - lane_off(L, j);
                    assign mj = MB'({c[j+1], pf[lane_off(L, j) +: KJ]}) - MB'(c[j]);
                end
                logic [MB-1:0] mr;
                always_ff @(posedge clk) mr <= mj;
                assign lanes[g][q][j] = mr;
            end
        end
    end

    // ------------------------------------------------------------------ segments + accumulate
    for (genvar pe = 0; pe < PE; pe++) begin : g_pe
        logic [ACC_BITS-1:0] m;
        if (NSEG > 1) begin : g_tree
            logic [NSEG*STW-1:0] ins;
            logic [STW-1:0] s;
            for (genvar q = 0; q < NSEG; q++) begin : g_in
                assign ins[q*STW +: STW] = STW'(lanes[pe / L][q][pe % L]);
            end
            /* verilator lint_off UNUSEDSIGNAL */
            logic sco;
            /* verilator lint_on UNUSEDSIGNAL */
            fx_mvu_addtree #(.N(NSEG), .IW(STW), .OW(STW), .LPS(SLPS)) u_tree (
                .clk, .rst, .in(ins), .ci('0), .sum(s), .co(sco)
            );
            assign m = ACC_BITS'(s);
        end else begin : g_one
            assign m = ACC_BITS'(lanes[pe / L][0][pe % L]);
        end
        logic [ACC_BITS-1:0] a, ar;
        wire [ACC_BITS-1:0] sum = a + m;
        always_ff @(posedge clk) begin
            if (rst || (vd[LAT-1] && ld[LAT-1])) a <= INIT;
            else if (vd[LAT-1]) a <= sum;
        end
        always_ff @(posedge clk) begin
            if (vd[LAT-1] && ld[LAT-1]) ar <= sum;
        end
        assign acc[pe*ACC_BITS +: ACC_BITS] = ar;
    end
    assign ov = vd[LAT] && ld[LAT];
endmodule
