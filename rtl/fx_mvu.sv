// fx_mvu: FINN-style matrix-vector(-activation) unit, y = MultiThreshold(x · W) or x · W.
//
// x: MW elements per vector, arriving as SF = MW/SIMD beats of SIMD lanes (element 0 in the
// LSBs). W: (MW, MH) as WMEM = MW·MH/(PE·SIMD) words, word t = nf·SF + sf, lane (pe, s) at
// bits (pe·SIMD+s)·W_BITS holding W[sf·SIMD+s][nf·PE+pe]. y: MH elements per vector as
// NF = MH/PE beats of PE lanes.
//
// WEIGHT_STREAM = 1 (FINN's "internal_decoupled"): the words arrive on the AXI-Stream slave
// in1_V (TDATA = one word, padded to a multiple of 8 bits), t = 0..WMEM-1 for every vector,
// e.g. from fx_memstream. WEIGHT_STREAM = 0: the words sit in an fx_memstream inside this
// module ($readmemh of WEIGHTS_FILE, registered read, so block RAM or LUT-ROM) whose
// stream is consumed exactly like in1_V; in1_V is then unused (TREADY low). A tile issues
// only when its input beat (or buffered vector) and its weight word are both there: the two
// TREADYs depend on each other's TVALID (a join, allowed by AXI-Stream as TVALID never
// waits for TREADY) and on registered state, never on out0_V_TREADY.
//
// One PE×SIMD tile per cycle: fold nf = 0 consumes the SF input beats straight from the
// stream and, when NF > 1, stores them in a vector buffer that folds nf = 1..NF-1 replay
// (the input is read once per vector, as FINN's MVAU). A vector takes NF·SF cycles.
//
// Products, by the cheapest structure for the operand widths (see the engines' headers):
//   XNOR = 1: bipolar input and weights coded 0/1, the accumulator is the popcount
//     #(x_j == w_j)                                                   -> fx_mvu_lut
//   W_BIPOLAR = 1 (every weight is ±1: 1-bit codes 0/1 meaning -1/+1, or 2-bit two's
//     complement ±1 as the -t sv wrapper passes them), or a 1-2 bit operand: the product
//     is a conditional negate / AND of the other operand, summed by pipelined LUT adder
//     trees, no DSP                                                   -> fx_mvu_lut
//   both operands >= 3 bits: DSP48E1 chains with several products per DSP (4 for 4-bit
//     operands, 2 for 8-bit, lanes recovered exactly in fabric)      -> fx_mvu_dsp
// Products of (un)signed IN_BITS × W_BITS values in ACC_BITS two's complement accumulators
// (sized by the caller so they do not overflow).
// USE_THRESHOLDS = 1: c = #{i < N : acc >= T[ch][i]} (T two's complement, T_BITS, from
// THRESHOLDS_FILE in THRESHOLDS_LAYOUT), output c + BIAS in OUT_BITS, or c as the
// bipolar 0/1 code when OUT_BIPOLAR = 1 (2c-1 with N = 1), each channel's thresholds
// ascending (fx_mvu_act: a pipelined binary search per PE lane over a table indexed by the
// neuron fold only, channel nf·PE + pe). USE_THRESHOLDS = 0: output the raw accumulators.
//
// Timing: an output's TVALID rises exactly LATENCY = 24 cycles after the issue of its last
// tile, whatever the configuration (the engines' own latencies, at most LATENCY - 2 with
// the activation, are padded by delaying only the FIFO's visible count), so the token model
// (tokensim_layers.MVU) needs no per-configuration latency. Back-pressure uses credits: a
// tile that completes an output is only issued when the 32-entry output FIFO has a slot
// not yet reserved by outputs in flight, so in0_V_TREADY and in1_V_TREADY depend only on
// registered state (and the other input's TVALID), never combinationally on out0_V_TREADY.
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
    parameter int W_BIPOLAR = 0,
    // WEIGHT_STREAM = 0: the weight memory's primitive, fx_memstream's RAM_STYLE ("auto",
    // "distributed", "block", "ultra": FINN's ram_style values)
    parameter logic [87:0] RAM_STYLE = "auto",
    // THRESHOLDS_FILE's order: 0 channel-major (line ch·N + i is T[ch][i]), 1 the search
    // trees of fx_threshold_search (what -t sv writes: synthesis time linear in MH·N)
    parameter int THRESHOLDS_LAYOUT = 0,
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
    localparam int LATENCY = 24;  // issue of a fold's last tile -> its output's TVALID
    localparam int FDEPTH = 32;   // output FIFO (>= LATENCY + 2 for one output per cycle)
    localparam int FAW = 5;
    localparam bit LUT_PRODUCTS = XNOR != 0 || W_BIPOLAR != 0 || W_BITS <= 2 || IN_BITS <= 2;
    // thresholds: binary search (clog2(N + 1) cycles) + bias (1 cycle)
    localparam int ACT_LAT = USE_THRESHOLDS != 0 ? $clog2(N + 1) + 1 : 0;
    localparam int ENGINE_BUDGET = LATENCY - 2 - ACT_LAT;  // x1 -> engine ov, at most

    initial begin
        if (MW % SIMD != 0 || MH % PE != 0) $error("fx_mvu: MW %% SIMD and MH %% PE must be 0");
        if (XNOR != 0 && (IN_BITS != 1 || W_BITS != 1)) $error("fx_mvu: XNOR needs 1-bit input and weights");
        if (W_BIPOLAR != 0 && !(W_BITS == 1 || (W_BITS == 2 && W_SIGNED != 0)))
            $error("fx_mvu: W_BIPOLAR needs 1-bit codes or 2-bit two's complement ±1 weights");
    end

    wire rst = !ap_rst_n;

    // ------------------------------------------------------------------ weight source
    logic [WW-1:0] wdata;
    logic wvalid, wready;
    if (WEIGHT_STREAM != 0) begin : g_wstream
        assign wdata = in1_V_TDATA[WW-1:0];
        assign wvalid = in1_V_TVALID;
        assign in1_V_TREADY = wready;
    end else begin : g_wrom
        /* verilator lint_off UNUSEDSIGNAL */
        logic [W_WP-1:0] md;
        /* verilator lint_on UNUSEDSIGNAL */
        fx_memstream #(.DEPTH(WMEM), .WIDTH(WW), .INIT_FILE(WEIGHTS_FILE), .RAM_STYLE(RAM_STYLE)) u_wmem (
            .ap_clk, .ap_rst_n, .out0_V_TDATA(md), .out0_V_TVALID(wvalid), .out0_V_TREADY(wready)
        );
        assign wdata = md[WW-1:0];
        assign in1_V_TREADY = 1'b0;
    end

    // ------------------------------------------------------------------ issue
    logic [SFW-1:0] sf;
    logic [NFW-1:0] nf;
    logic [FAW:0] reserved;  // FIFO entries + outputs in flight

    wire last_sf = sf == SFW'(SF - 1);
    wire can_issue = !last_sf || reserved < (FAW + 1)'(FDEPTH);
    wire replay = nf != '0;
    wire xvalid = replay || in0_V_TVALID;
    assign in0_V_TREADY = !replay && can_issue && wvalid;
    assign wready = can_issue && xvalid;
    wire issue = can_issue && xvalid && wvalid;
    wire pop = out0_V_TVALID && out0_V_TREADY;

    always_ff @(posedge ap_clk) begin
        if (rst) begin
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

    // the issued tile: input beat (or its replay) and weight word
    logic [IN_W-1:0] x1;
    logic [WW-1:0] w1;
    logic v1, last1;
    if (NF > 1) begin : g_ibuf
        logic [IN_W-1:0] ibuf[SF];
        always_ff @(posedge ap_clk) begin
            if (issue && !replay) ibuf[sf] <= in0_V_TDATA[IN_W-1:0];
            x1 <= replay ? ibuf[sf] : in0_V_TDATA[IN_W-1:0];
        end
    end else begin : g_direct
        always_ff @(posedge ap_clk) x1 <= in0_V_TDATA[IN_W-1:0];
    end
    always_ff @(posedge ap_clk) begin
        w1 <= wdata;
        if (rst) begin
            v1 <= 1'b0;
            last1 <= 1'b0;
        end else begin
            v1 <= issue;
            last1 <= last_sf;
        end
    end

    // ------------------------------------------------------------------ dot products
    logic ov;
    logic [PE*ACC_BITS-1:0] acc;
    if (LUT_PRODUCTS) begin : g_lut
        fx_mvu_lut #(
            .PE(PE), .SIMD(SIMD), .IN_BITS(IN_BITS), .IN_SIGNED(IN_SIGNED), .W_BITS(W_BITS),
            .W_SIGNED(W_SIGNED), .W_BIPOLAR(W_BIPOLAR), .XNOR(XNOR), .ACC_BITS(ACC_BITS),
            .BUDGET(ENGINE_BUDGET)
        ) u_dot (.clk(ap_clk), .rst, .v(v1), .last(last1), .x(x1), .w(w1), .ov, .acc);
    end else begin : g_dsp
        fx_mvu_dsp #(
            .PE(PE), .SIMD(SIMD), .IN_BITS(IN_BITS), .IN_SIGNED(IN_SIGNED), .W_BITS(W_BITS),
            .W_SIGNED(W_SIGNED), .ACC_BITS(ACC_BITS), .SF(SF), .BUDGET(ENGINE_BUDGET)
        ) u_dot (.clk(ap_clk), .rst, .v(v1), .last(last1), .x(x1), .w(w1), .ov, .acc);
    end

    // ------------------------------------------------------------------ activation
    logic [OUT_W-1:0] fd;  // FIFO write data and strobe
    logic fw;
    if (USE_THRESHOLDS != 0) begin : g_thr
        fx_mvu_act #(
            .PE(PE), .NF(NF), .ACC_BITS(ACC_BITS), .N(N), .T_BITS(T_BITS), .OUT_BITS(OUT_BITS),
            .BIAS(BIAS), .OUT_BIPOLAR(OUT_BIPOLAR), .THRESHOLDS_FILE(THRESHOLDS_FILE),
            .THRESHOLDS_LAYOUT(THRESHOLDS_LAYOUT)
        ) u_act (.clk(ap_clk), .rst, .v(ov), .acc, .ov(fw), .y(fd));
    end else begin : g_raw
        assign fw = ov;
        assign fd = acc;
    end

    // ------------------------------------------------------------------ output FIFO
    // written when a result is ready, visible LATENCY cycles after its last tile's issue
    logic vis;
    fx_mvu_delay #(.W(1), .D(LATENCY - 1)) u_vis (.clk(ap_clk), .rst, .i(issue && last_sf), .o(vis));
    logic [OUT_W-1:0] fmem[FDEPTH];
    logic [FAW-1:0] frd, fwr;
    logic [FAW:0] fcount;
    always_ff @(posedge ap_clk) begin
        if (rst) begin
            frd <= '0;
            fwr <= '0;
            fcount <= '0;
        end else begin
            if (fw) fwr <= fwr + 1'b1;
            if (pop) frd <= frd + 1'b1;
            fcount <= fcount + (FAW + 1)'(vis) - (FAW + 1)'(pop);
        end
    end
    always_ff @(posedge ap_clk) begin
        if (fw) fmem[fwr] <= fd;
    end
    assign out0_V_TVALID = fcount != 0;
    assign out0_V_TDATA = OUT_WP'(fmem[frd]);
endmodule
