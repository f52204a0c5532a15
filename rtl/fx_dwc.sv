// fx_dwc: AXI-Stream data-width converter, IN_LANES -> OUT_LANES elements of BITS bits.
//
// Handles integer ratios both ways and the general case (FINN's HLS LCM case) with one
// structure: an element buffer of CAP = IN_LANES + 2*OUT_LANES - 1 elements filled from
// the LSB end (element 0 first). A beat is emitted whenever OUT_LANES elements are held;
// a beat is accepted while the buffer holds fewer than 2*OUT_LANES elements, so both
// in0_V_TREADY and out0_V_TVALID/TDATA are pure functions of registers (no combinational
// path from out0_V_TREADY to in0_V_TREADY) and the slower side runs at one beat per cycle:
// cycles per frame = max(TOTAL/IN_LANES, TOTAL/OUT_LANES).
// TOTAL (elements per frame) must be a multiple of both lane counts, so frames end with an
// empty buffer and need no explicit boundary handling.
// Ports are padded to a multiple of 8 bits; input padding is ignored, output padding is 0.
module fx_dwc #(
    parameter int IN_LANES = 1,
    parameter int OUT_LANES = 1,
    parameter int BITS = 8,
    parameter int TOTAL = 1
) (
    input  logic                ap_clk,
    input  logic                ap_rst_n,
    // verilator lint_off UNUSEDSIGNAL
    input  logic [IN_W-1:0]     in0_V_TDATA,
    // verilator lint_on UNUSEDSIGNAL
    input  logic                in0_V_TVALID,
    output logic                in0_V_TREADY,
    output logic [OUT_W-1:0]    out0_V_TDATA,
    output logic                out0_V_TVALID,
    input  logic                out0_V_TREADY
);
    localparam int IN_W = (IN_LANES * BITS + 7) / 8 * 8;
    localparam int OUT_W = (OUT_LANES * BITS + 7) / 8 * 8;
    localparam int CAP = IN_LANES + 2 * OUT_LANES - 1;
    localparam int CW = $clog2(CAP + 1);
    localparam int BW = CAP * BITS;

    if (TOTAL % IN_LANES != 0 || TOTAL % OUT_LANES != 0) begin : g_bad_total
        $error("fx_dwc: TOTAL must be a multiple of IN_LANES and OUT_LANES");
    end

    logic [BW-1:0] buffer, buffer_n;
    logic [CW-1:0] count, count_n;

    wire push = in0_V_TVALID && in0_V_TREADY;
    wire pop = out0_V_TVALID && out0_V_TREADY;

    assign in0_V_TREADY = count < CW'(2 * OUT_LANES);
    assign out0_V_TVALID = count >= CW'(OUT_LANES);
    assign out0_V_TDATA = OUT_W'(buffer[OUT_LANES*BITS-1:0]);

    // Invariant: buffer bits at and above count*BITS are zero, so pushes can OR in.
    always_comb begin
        logic [BW-1:0] shifted;
        logic [CW-1:0] kept;
        shifted = pop ? buffer >> (OUT_LANES * BITS) : buffer;
        kept = pop ? count - CW'(OUT_LANES) : count;
        buffer_n = shifted;
        count_n = kept;
        if (push) begin
            buffer_n = shifted | (BW'(in0_V_TDATA[IN_LANES*BITS-1:0]) << (32'(kept) * BITS));
            count_n = kept + CW'(IN_LANES);
        end
    end

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            buffer <= '0;
            count <= '0;
        end else begin
            buffer <= buffer_n;
            count <= count_n;
        end
    end
endmodule
