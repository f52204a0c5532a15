// fx_mvu: FINN-style matrix-vector(-activation) unit, y = MultiThreshold(x · W) or x · W.
//
// x: MW elements per vector, arriving as SF = MW/SIMD beats of SIMD lanes (element 0 in the
// LSBs). W: (MW, MH) as WMEM = MW·MH/(PE·SIMD) words, word t = nf·SF + sf, lane (pe, s) at
// bits (pe·SIMD+s)·W_BITS holding W[sf·SIMD+s][nf·PE+pe]. y: MH elements per vector as
// NF = MH/PE beats of PE lanes.
//
// WEIGHT_STREAM = 0: the words sit in an embedded ROM ($readmemh of WEIGHTS_FILE, registered
// read) and in1_V is unused. WEIGHT_STREAM = 1 (FINN's "internal_decoupled"): no ROM; the
// words arrive on the AXI-Stream slave in1_V (TDATA = one word, padded to a multiple of 8
// bits) in the same order, t = 0..WMEM-1 for every vector, e.g. from fx_memstream. A tile
// issues only when its input beat (or buffered vector) and its weight word are both there:
// the two TREADYs depend on each other's TVALID (a join, allowed by AXI-Stream as TVALID
// never waits for TREADY) and on registered state, never on out0_V_TREADY.
//
// One PE×SIMD tile per cycle: fold nf = 0 consumes the SF input beats straight from the
// stream and stores them in a vector buffer; folds nf = 1..NF-1 replay the buffer (the input
// is read once per vector, as FINN's MVAU). A vector takes NF·SF cycles.
//
// XNOR = 1: bipolar input and weights coded 0/1, the accumulator is the popcount
// #(x_j == w_j). Otherwise products of (un)signed IN_BITS × W_BITS values, ACC_BITS two's
// complement accumulators (sized by the caller so they do not overflow).
// USE_THRESHOLDS = 1: c = #{i < N : acc >= T[ch][i]} (T two's complement, T_BITS, from
// THRESHOLDS_FILE, MH·N lines, channel-major), output c + BIAS in OUT_BITS, or c as the
// bipolar 0/1 code when OUT_BIPOLAR = 1 (2c-1 with N = 1). USE_THRESHOLDS = 0: output the
// raw ACC_BITS accumulators.
//
// Pipeline: issue (input select + weight ROM read or streamed word) -> PE dot products ->
// accumulate -> activation into a small output FIFO. Back-pressure uses credits: a tile that
// completes an output is only issued when the FIFO has a slot not yet reserved by outputs in
// flight, so in0_V_TREADY and in1_V_TREADY depend only on registered state (and the other
// input's TVALID), never combinationally on out0_V_TREADY.
module fx_mvu #(
    parameter int MW = 8,
    parameter int MH = 8,
    parameter int PE = 1,
    parameter int SIMD = 1,
    parameter int IN_BITS = 4,
    parameter int IN_SIGNED = 0,
    parameter int W_BITS = 4,
    parameter int W_SIGNED = 1,
    parameter int XNOR = 0,
    parameter int ACC_BITS = 16,
    parameter int USE_THRESHOLDS = 0,
    parameter int N = 1,
    parameter int T_BITS = 16,
    parameter int OUT_BITS = 4,
    parameter int BIAS = 0,
    parameter int OUT_BIPOLAR = 0,
    parameter WEIGHTS_FILE = "",
    parameter THRESHOLDS_FILE = "",
    parameter int WEIGHT_STREAM = 0,
    // derived (do not override)
    parameter int IN_W = SIMD * IN_BITS,
    parameter int IN_WP = (IN_W + 7) / 8 * 8,
    parameter int W_WP = (PE * SIMD * W_BITS + 7) / 8 * 8,
    parameter int O_BITS = USE_THRESHOLDS != 0 ? OUT_BITS : ACC_BITS,
    parameter int OUT_W = PE * O_BITS,
    parameter int OUT_WP = (OUT_W + 7) / 8 * 8
) (
    input  logic              ap_clk,
    input  logic              ap_rst_n,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [IN_WP-1:0]  in0_V_TDATA,  // padding bits above IN_W are ignored
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic              in0_V_TVALID,
    output logic              in0_V_TREADY,
    // weight words (WEIGHT_STREAM = 1); with the ROM (WEIGHT_STREAM = 0) TDATA and TVALID
    // are ignored and TREADY stays low, so an instantiation may tie them off
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [W_WP-1:0]   in1_V_TDATA,  // padding bits above PE·SIMD·W_BITS are ignored
    input  logic              in1_V_TVALID,
    /* verilator lint_on UNUSEDSIGNAL */
    output logic              in1_V_TREADY,
    output logic [OUT_WP-1:0] out0_V_TDATA,
    output logic              out0_V_TVALID,
    input  logic              out0_V_TREADY
);
    localparam int SF = MW / SIMD;
    localparam int NF = MH / PE;
    localparam int WMEM = SF * NF;
    localparam int WW = PE * SIMD * W_BITS;
    localparam int SFW = SF > 1 ? $clog2(SF) : 1;
    localparam int NFW = NF > 1 ? $clog2(NF) : 1;
    localparam int WAW = WMEM > 1 ? $clog2(WMEM) : 1;
    localparam int PW = IN_BITS + W_BITS + 2;  // signed product width
    localparam int FDEPTH = 8;                 // output FIFO (>= pipeline latency + 2)
    localparam int FAW = $clog2(FDEPTH);

    initial begin
        if (MW % SIMD != 0 || MH % PE != 0) $error("fx_mvu: MW %% SIMD and MH %% PE must be 0");
        if (XNOR != 0 && (IN_BITS != 1 || W_BITS != 1)) $error("fx_mvu: XNOR needs 1-bit input and weights");
    end

    // ------------------------------------------------------------------ stage 0: issue
    logic [SFW-1:0] sf;
    logic [NFW-1:0] nf;
    logic [FAW:0] reserved;  // FIFO entries + outputs in flight
    logic [IN_W-1:0] ibuf[SF];

    wire last_sf = sf == SFW'(SF - 1);
    wire can_issue = !last_sf || reserved < (FAW + 1)'(FDEPTH);
    wire replay = nf != '0;
    wire wvalid = WEIGHT_STREAM == 0 || in1_V_TVALID;
    wire xvalid = replay || in0_V_TVALID;
    assign in0_V_TREADY = !replay && can_issue && wvalid;
    assign in1_V_TREADY = WEIGHT_STREAM != 0 && can_issue && xvalid;
    wire issue = can_issue && xvalid && wvalid;

    wire pop = out0_V_TVALID && out0_V_TREADY;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            sf <= '0;
            nf <= '0;
            reserved <= '0;
        end else begin
            if (issue) begin
                sf <= last_sf ? '0 : sf + 1'b1;
                if (last_sf) nf <= nf == NFW'(NF - 1) ? '0 : nf + 1'b1;
            end
            reserved <= reserved + (FAW + 1)'(issue && last_sf) - (FAW + 1)'(pop);
        end
    end

    // stage 1 registers: input tile, weight word, tile flags
    logic [IN_W-1:0] x1;
    logic [WW-1:0] w1;
    logic v1, first1, last1;
    logic [NFW-1:0] nf1;

    always_ff @(posedge ap_clk) begin
        if (issue && !replay) ibuf[sf] <= in0_V_TDATA[IN_W-1:0];
        x1 <= replay ? ibuf[sf] : in0_V_TDATA[IN_W-1:0];
        first1 <= sf == '0;
        last1 <= last_sf;
        nf1 <= nf;
    end

    // weight word of the issued tile: ROM read at the tile's address, or the streamed word
    generate
        if (WEIGHT_STREAM != 0) begin : g_wstream
            always_ff @(posedge ap_clk) w1 <= in1_V_TDATA[WW-1:0];
        end else begin : g_wrom
            logic [WW-1:0] wmem[WMEM];
            initial begin
                if (WEIGHTS_FILE != "") $readmemh(WEIGHTS_FILE, wmem);
            end
            logic [WAW-1:0] waddr;
            always_ff @(posedge ap_clk) begin
                if (!ap_rst_n) waddr <= '0;
                else if (issue) waddr <= waddr == WAW'(WMEM - 1) ? '0 : waddr + 1'b1;
            end
            always_ff @(posedge ap_clk) w1 <= wmem[waddr];
        end
    endgenerate

    // ------------------------------------------------------------------ stage 1: dot products
    function automatic logic [ACC_BITS-1:0] term(input logic [IN_BITS-1:0] x, input logic [W_BITS-1:0] w);
        logic signed [IN_BITS:0] xs;
        logic signed [W_BITS:0] ws;
        logic eq;
        eq = x[0] ~^ w[0];
        if (XNOR != 0) return ACC_BITS'(eq);
        xs = IN_SIGNED != 0 ? $signed({x[IN_BITS-1], x}) : $signed({1'b0, x});
        ws = W_SIGNED != 0 ? $signed({w[W_BITS-1], w}) : $signed({1'b0, w});
        // the exact PW-bit product, reduced modulo 2^ACC_BITS (the caller sizes ACC_BITS
        // for the sum) in the expression: a PW-bit variable would leave its top bits unused
        // whenever ACC_BITS < PW
        return ACC_BITS'(PW'(xs) * PW'(ws));
    endfunction

    logic [ACC_BITS-1:0] dot[PE];
    always_comb begin
        for (int pe = 0; pe < PE; pe++) begin
            dot[pe] = '0;
            for (int s = 0; s < SIMD; s++) begin
                dot[pe] = dot[pe] + term(x1[s*IN_BITS +: IN_BITS], w1[(pe*SIMD+s)*W_BITS +: W_BITS]);
            end
        end
    end

    logic [ACC_BITS-1:0] dot2[PE];
    logic v2, first2, last2;
    logic [NFW-1:0] nf2;
    always_ff @(posedge ap_clk) begin
        dot2 <= dot;
        first2 <= first1;
        last2 <= last1;
        nf2 <= nf1;
    end

    // ------------------------------------------------------------------ stage 2: accumulate
    logic [ACC_BITS-1:0] acc[PE];
    logic v3;
    logic [NFW-1:0] nf3;
    always_ff @(posedge ap_clk) begin
        if (v2) begin
            for (int pe = 0; pe < PE; pe++) acc[pe] <= first2 ? dot2[pe] : acc[pe] + dot2[pe];
        end
        nf3 <= nf2;
    end

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            v1 <= 1'b0;
            v2 <= 1'b0;
            v3 <= 1'b0;
        end else begin
            v1 <= issue;
            v2 <= v1;
            v3 <= v2 && last2;
        end
    end

    // ------------------------------------------------------------------ stage 3: activation
    logic [OUT_W-1:0] result;
    generate
        if (USE_THRESHOLDS != 0) begin : g_thr
            localparam int CW = (ACC_BITS > T_BITS ? ACC_BITS : T_BITS) + 1;
            localparam int CNTW = $clog2(N + 1);
            logic [T_BITS-1:0] tmem[MH * N];
            initial begin
                if (THRESHOLDS_FILE != "") $readmemh(THRESHOLDS_FILE, tmem);
            end
            always_comb begin
                for (int pe = 0; pe < PE; pe++) begin
                    logic [CNTW-1:0] c;
                    logic signed [CW-1:0] a, t;
                    c = '0;
                    a = CW'($signed(acc[pe]));
                    for (int i = 0; i < N; i++) begin
                        t = CW'($signed(tmem[(int'(nf3) * PE + pe) * N + i]));
                        c = c + CNTW'(a >= t);
                    end
                    if (OUT_BIPOLAR != 0) result[pe*OUT_BITS +: OUT_BITS] = OUT_BITS'(c);
                    else result[pe*OUT_BITS +: OUT_BITS] = OUT_BITS'(int'(c) + BIAS);
                end
            end
        end else begin : g_raw
            always_comb begin
                for (int pe = 0; pe < PE; pe++) result[pe*ACC_BITS +: ACC_BITS] = acc[pe];
            end
            /* verilator lint_off UNUSEDSIGNAL */
            wire unused_nf3 = ^nf3;
            /* verilator lint_on UNUSEDSIGNAL */
        end
    endgenerate

    // ------------------------------------------------------------------ output FIFO
    logic [OUT_W-1:0] fmem[FDEPTH];
    logic [FAW-1:0] frd, fwr;
    logic [FAW:0] fcount;
    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            frd <= '0;
            fwr <= '0;
            fcount <= '0;
        end else begin
            if (v3) fwr <= fwr + 1'b1;
            if (pop) frd <= frd + 1'b1;
            fcount <= fcount + (FAW + 1)'(v3) - (FAW + 1)'(pop);
        end
    end
    always_ff @(posedge ap_clk) begin
        if (v3) fmem[fwr] <= result;
    end
    assign out0_V_TVALID = fcount != 0;
    assign out0_V_TDATA = OUT_WP'(fmem[frd]);
endmodule
