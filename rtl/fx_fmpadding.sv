// fx_fmpadding: FINN FMPadding, (1, IH, IW, C) -> (1, PT+IH+PB, PL+IW+PR, C), the border
// filled with PAD_VALUE (its low BITS bits, two's complement for negative values).
//
// Output-driven: counters walk the output image (row, column, channel fold of CF = C/SIMD
// beats); a beat in_img the input region is the next input beat, any other beat is the pad
// value. Output beats go through a 2-deep fx_fifo, so in0_V_TREADY depends only on
// registers (never on out0_V_TREADY). One output beat per cycle: OH·OW·CF cycles a frame.
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
    localparam logic [BITS-1:0] PAD = BITS'(PAD_VALUE);

    int f, x, y;
    logic in_img;  // (y, x) lies in the input region (registered)

    wire fifo_ready;
    assign in0_V_TREADY = fifo_ready && in_img;
    wire push = fifo_ready && (!in_img || in0_V_TVALID);

    wire last_f = f == CF - 1;
    wire last_x = x == OW - 1;
    wire last_y = y == OH - 1;

    function automatic logic in_region(input int yy, input int xx);
        return yy >= PT && yy < PT + IH && xx >= PL && xx < PL + IW;
    endfunction

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            f <= 0;
            x <= 0;
            y <= 0;
            in_img <= in_region(0, 0);
        end else if (push) begin
            if (!last_f) begin
                f <= f + 1;
            end else begin
                f <= 0;
                if (!last_x) begin
                    x <= x + 1;
                    in_img <= in_region(y, x + 1);
                end else begin
                    x <= 0;
                    y <= last_y ? 0 : y + 1;
                    in_img <= in_region(last_y ? 0 : y + 1, 0);
                end
            end
        end
    end

    logic [W-1:0] fifo_in, fifo_out;
    assign fifo_in = in_img ? in0_V_TDATA[W-1:0] : {SIMD{PAD}};
    fx_fifo #(.WIDTH(W), .DEPTH(2)) out_fifo (
        .ap_clk(ap_clk),
        .ap_rst_n(ap_rst_n),
        .in0_V_TDATA(fifo_in),
        .in0_V_TVALID(push),
        .in0_V_TREADY(fifo_ready),
        .out0_V_TDATA(fifo_out),
        .out0_V_TVALID(out0_V_TVALID),
        .out0_V_TREADY(out0_V_TREADY)
    );
    assign out0_V_TDATA = WP'(fifo_out);

    // the padding bits of the input beat are ignored
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_pad = ^in0_V_TDATA;
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
