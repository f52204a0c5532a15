// fx_fmpadding: FINN FMPadding, (1, IH, IW, C) -> (1, PT+IH+PB, PL+IW+PR, C), the border
// filled with PAD_VALUE (its low BITS bits, two's complement for negative values).
//
// Output-driven: counters walk the output image (row, column, channel fold of CF = C/SIMD
// beats); a beat inside the input region is the next input beat, any other beat is the pad
// value. The counters are as wide as their ranges, and whether a column / row lies inside
// the image is a flag that flips when the counter passes the region's edges (one equality
// compare each) instead of a range test per beat.
//
// Output stage: a 2-entry skid buffer, A (drives out0_V) and B (holds a beat that arrived
// while A was full and not taken). A beat is generated while B is empty, so in0_V_TREADY =
// in-image && !B-valid depends on registers only, never on out0_V_TREADY, and the stream
// runs at one beat per cycle. A pad beat is written through the flip-flops' synchronous
// set/reset (the pad value is a constant), so the only per-bit logic is A's choice
// between B and the input. Its occupancy behaves as a 2-deep FIFO's (push while < 2
// entries, pop from the head): OH·OW·CF cycles a frame.
module fx_fmpadding #(
    parameter int IH = 4,
    parameter int IW = 4,
    parameter int C = 1,
    parameter int PT = 1,
    parameter int PL = 1,
    parameter int PB = 1,
    parameter int PR = 1,
    parameter int SIMD = 1,
    parameter int BITS = 8,
    parameter int PAD_VALUE = 0
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
    localparam int W = SIMD * BITS;
    localparam int WP = (W + 7) / 8 * 8;
    localparam int CF = C / SIMD;
    localparam int OH = PT + IH + PB;
    localparam int OW = PL + IW + PR;
    localparam logic [W-1:0] PAD = {SIMD{BITS'(PAD_VALUE)}};
    localparam int BF = CF > 1 ? $clog2(CF) : 1;
    localparam int BX = OW > 1 ? $clog2(OW) : 1;
    localparam int BY = OH > 1 ? $clog2(OH) : 1;

    logic [BF-1:0] f;
    logic [BX-1:0] x;
    logic [BY-1:0] y;
    // (y, x) lies in the input region; each bound is one compare of a counter with a
    // constant (none for a zero pad)
    wire col_in = (PL == 0 || x >= BX'(PL)) && (PR == 0 || x < BX'(PL + IW));
    wire row_in = (PT == 0 || y >= BY'(PT)) && (PB == 0 || y < BY'(PT + IH));
    wire in_img = col_in && row_in;

    logic [W-1:0] a, b;
    logic a_valid, b_valid;

    assign in0_V_TREADY = in_img && !b_valid;
    wire push = !b_valid && (!in_img || in0_V_TVALID);
    wire pop = a_valid && out0_V_TREADY;

    wire last_f = f == BF'(CF - 1);
    wire last_x = x == BX'(OW - 1);
    wire last_y = y == BY'(OH - 1);

    // each counter's wrap is a synchronous reset (FDRE's R), none for a power-of-two
    // range, whose increment wraps by itself; the increment is a carry chain
    wire step_x = push && last_f;
    wire step_y = step_x && last_x;
    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n || (CF != 1 << BF && push && last_f)) f <= '0;
        else if (push) f <= f + 1'b1;
        if (!ap_rst_n || (OW != 1 << BX && step_x && last_x)) x <= '0;
        else if (step_x) x <= x + 1'b1;
        if (!ap_rst_n || (OH != 1 << BY && step_y && last_y)) y <= '0;
        else if (step_y) y <= y + 1'b1;
    end

    // skid buffer: A takes the new beat (or B's) whenever it is empty or being taken; B
    // takes every generated beat, which matters only when A could not (then B is valid)
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

    // A chooses B, the input or the pad value (one LUT per bit); B's pad value goes through
    // the flops' synchronous set/reset (written before the enable, as FDRE/FDSE's priority is)
    always_ff @(posedge ap_clk) begin
        if (a_load) a <= b_valid ? b : in_img ? in0_V_TDATA[W-1:0] : PAD;
        if (push && !in_img) b <= PAD;
        else if (push) b <= in0_V_TDATA[W-1:0];
    end
    assign out0_V_TDATA = WP'(a);
    assign out0_V_TVALID = a_valid;

    // the padding bits of the input beat are ignored
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_pad = ^in0_V_TDATA;
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
