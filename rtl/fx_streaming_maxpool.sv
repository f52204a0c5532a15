// fx_streaming_maxpool: FINN StreamingMaxPool, max over KH x KW windows with stride =
// kernel, NHWC, PE lanes per beat (CF = C / PE beats per pixel; FINN's 2-D pooling takes
// whole pixels, PE = C, 1-D pooling folds channels). Values compare as two's complement
// when SIGNED, else unsigned. Without CEIL_MODE the image must divide into windows
// (IH % KH == 0, IW % KW == 0); with it OH = ceil(IH / KH), OW = ceil(IW / KW) and the last
// window column (row) is cut to the KWL = IW - (OW-1)·KW columns (KHL rows) the image still
// has, pooling only the values present, as ONNX MaxPool's ceil_mode does.
//
// One buffer entry of PE values per (output column, channel fold) holds the running
// maxima of the current window row band; an input beat either starts a window (first row,
// first column), updates the entry, or, for the last beat of a window, goes straight to
// the output. The window's last column / row is a counter compare against KW or KWL (KH
// or KHL), so partial windows cost nothing. Input is consumed at one beat per cycle and
// outputs are produced as the last window row streams in: IH·IW·CF cycles a frame (+1 of
// latency). FINN's HLS formula (1-D OW·CF·(KW+1), 2-D IW·IW·(1 + 1/KW²)) adds a separate
// output phase per window row, OH·OW·CF cycles more, which this design overlaps.
// Counters are as wide as their ranges. Output beats go through a 2-entry skid buffer, A
// (drives out0_V) and B (a beat that came while A was full and not taken): in0_V_TREADY =
// !B-valid depends only on registers, and the buffer fills and drains as a 2-deep FIFO
// would (the token model is that FIFO's); A's choice of B or the new maximum merges into
// the maximum's own LUT.
module fx_streaming_maxpool #(
    parameter int IH = 4,
    parameter int IW = 4,
    parameter int C = 1,
    parameter int KH = 2,
    parameter int KW = 2,
    parameter int PE = 1,
    parameter int BITS = 8,
    parameter bit SIGNED = 0,
    parameter bit CEIL_MODE = 0
) (
    input  logic          ap_clk,
    input  logic          ap_rst_n,
    input  logic [WP-1:0] in0_V_TDATA,
    input  logic          in0_V_TVALID,
    output logic          in0_V_TREADY,
    output logic [WP-1:0] out0_V_TDATA,
    output logic          out0_V_TVALID,
    input  logic          out0_V_TREADY
);
    localparam int W = PE * BITS;
    localparam int WP = (W + 7) / 8 * 8;
    localparam int CF = C / PE;
    localparam int OH = CEIL_MODE ? (IH + KH - 1) / KH : IH / KH;
    localparam int OW = CEIL_MODE ? (IW + KW - 1) / KW : IW / KW;
    localparam int KHL = IH - (OH - 1) * KH;  // rows of the last window row band
    localparam int KWL = IW - (OW - 1) * KW;  // columns of the last window column
    localparam int DEPTH = OW * CF;
    localparam int AW = DEPTH > 1 ? $clog2(DEPTH) : 1;

    if ((!CEIL_MODE && (IH % KH != 0 || IW % KW != 0)) || C % PE != 0 || KH > IH || KW > IW)
    begin : g_bad_parameters
        $error("fx_streaming_maxpool needs KH <= IH, KW <= IW, C %% PE == 0 and, without CEIL_MODE, IH %% KH == 0 and IW %% KW == 0");
    end

    localparam int BF = CF > 1 ? $clog2(CF) : 1;
    localparam int BKX = KW > 1 ? $clog2(KW) : 1;
    localparam int BKY = KH > 1 ? $clog2(KH) : 1;
    localparam int BX = OW > 1 ? $clog2(OW) : 1;
    localparam int BY = OH > 1 ? $clog2(OH) : 1;

    logic [W-1:0] buffer[DEPTH];

    logic [BF-1:0] f;
    logic [BKX-1:0] kx;
    logic [BKY-1:0] ky;
    logic [BX-1:0] ox;
    logic [BY-1:0] oy;
    logic [AW-1:0] addr;  // ox·CF + f
    logic [AW-1:0] row_addr;  // ox·CF

    logic [W-1:0] out_a, out_b;  // skid buffer entries A and B
    logic a_valid, b_valid;
    assign in0_V_TREADY = !b_valid;
    wire take = in0_V_TVALID && in0_V_TREADY;
    wire pop = a_valid && out0_V_TREADY;
    wire first = kx == '0 && ky == '0;
    wire last_f = f == BF'(CF - 1);
    wire last_ox = ox == BX'(OW - 1);
    wire last_oy = oy == BY'(OH - 1);
    wire last_kx = kx == (last_ox ? BKX'(KWL - 1) : BKX'(KW - 1));
    wire last_ky = ky == (last_oy ? BKY'(KHL - 1) : BKY'(KH - 1));
    wire push = take && last_kx && last_ky;

    // Per lane one "the input wins" decision: a window's first value, or one larger than
    // the running maximum, x > m computed as the borrow of m - x (sign-extended when
    // SIGNED) so that it maps to a carry chain. As LUT logic (a plain `>`, which Yosys maps
    // to LUTs below 5 bits or so) ABC's delay-driven mapping copies the compare into every
    // output bit's logic, by amounts that vary with the counters around it (4-bit lanes,
    // Yosys: 56x56x16 PE 16 328 LUT as LUTs, 228 as a carry; 32x32x32 PE 8 221 / 140,
    // 16x16x32 PE 32 413 / 422): the carry makes the area regular and the estimate hold.
    // Only for 3-7 bits: a 2-bit compare with `first` fits one LUT (8x8x64 PE 64: 358 as
    // LUTs, 423 as a carry) and from 8 bits Yosys builds its own carry for `>`, smaller than
    // the sign-extended subtraction (12x12x32 k4 PE 32: 767 / 831).
    localparam bit CARRY_COMPARE = BITS >= 3 && BITS < 8;
    wire [W-1:0] held = buffer[addr];
    logic [W-1:0] acc;
    for (genvar i = 0; i < PE; i++) begin : g_lane
        wire [BITS-1:0] x = in0_V_TDATA[i*BITS +: BITS];
        wire [BITS-1:0] m = held[i*BITS +: BITS];
        logic greater;
        if (CARRY_COMPARE) begin : g_carry
            wire [BITS:0] diff = {SIGNED ? m[BITS-1] : 1'b0, m} - {SIGNED ? x[BITS-1] : 1'b0, x};
            assign greater = diff[BITS];
        end else begin : g_plain
            assign greater = SIGNED ? $signed(x) > $signed(m) : x > m;
        end
        wire wins = first || greater;
        assign acc[i*BITS +: BITS] = wins ? x : m;
    end

    always_ff @(posedge ap_clk) begin
        if (take && !push) buffer[addr] <= acc;
    end

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            f <= '0;
            kx <= '0;
            ky <= '0;
            ox <= '0;
            oy <= '0;
            addr <= '0;
            row_addr <= '0;
        end else if (take) begin
            if (!last_f) begin
                f <= f + 1'b1;
                addr <= addr + 1'b1;
            end else begin
                f <= '0;
                if (!last_kx) begin
                    kx <= kx + 1'b1;
                    addr <= row_addr;
                end else begin
                    kx <= '0;
                    if (!last_ox) begin
                        ox <= ox + 1'b1;
                        addr <= row_addr + AW'(CF);
                        row_addr <= row_addr + AW'(CF);
                    end else begin
                        ox <= '0;
                        addr <= '0;
                        row_addr <= '0;
                        ky <= last_ky ? '0 : ky + 1'b1;
                        if (last_ky) oy <= last_oy ? '0 : oy + 1'b1;
                    end
                end
            end
        end
    end

    // skid buffer: A takes the new maximum (or B's) whenever it is empty or being taken;
    // B takes every pushed maximum, which matters only when A could not (then B is valid)
    wire a_load = (!a_valid || pop) && (b_valid || push);
    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            a_valid <= 1'b0;
            b_valid <= 1'b0;
        end else begin
            if (a_load) a_valid <= 1'b1;
            else if (pop) a_valid <= 1'b0;
            b_valid <= !pop && (b_valid || (push && a_valid));
        end
    end
    always_ff @(posedge ap_clk) begin
        if (a_load) out_a <= b_valid ? out_b : acc;
        if (push) out_b <= acc;
    end
    assign out0_V_TVALID = a_valid;
    assign out0_V_TDATA = WP'(out_a);

    // the padding bits of the input beat are ignored
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_pad = ^in0_V_TDATA;
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
