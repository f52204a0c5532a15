// fx_dwc: AXI-Stream data-width converter, IN_LANES -> OUT_LANES elements of BITS bits.
//
// Lane 0 is in the LSBs on both sides. TOTAL (elements per frame) must be a multiple of
// both lane counts, so frames end on a whole beat of either side and need no boundary
// handling. Ports are padded to a multiple of 8 bits; input padding is ignored, output
// padding is 0. Three structures, by the ratio, each with in0_V_TREADY and out0_V_TVALID
// functions of registers only (no combinational path from out0_V_TREADY to in0_V_TREADY)
// and the slower side at one beat per cycle: cycles per frame = max(TOTAL/IN_LANES,
// TOTAL/OUT_LANES).
//
//  down, IN_LANES = R·OUT_LANES (R >= 1): two input-word slots, filled alternately
//    straight from the input (no logic per stored bit) while a slot is free; the output
//    is piece k of the oldest slot, a (2R):1 multiplexer per output bit, and the slot is
//    freed with its last piece. Two slots are what keeps the output busy when the next
//    word must be taken before the current word's last piece is known to leave.
//  up, OUT_LANES = R·IN_LANES (R >= 2): the first R-1 input beats of a word shift into a
//    register (enable = any accepted beat, no per-piece decode); the R-th beat loads
//    {beat, register} into the output register at once. Only that last beat waits while
//    the previous word is still unread; the next word's first beats already shift in.
//  general (the LCM case): an element buffer of CAP = IN_LANES + 2·OUT_LANES - 1 elements
//    filled from the LSB end; a beat is emitted whenever OUT_LANES elements are held and
//    accepted while fewer than 2·OUT_LANES are.
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
    localparam int IB = IN_LANES * BITS;   // unpadded widths
    localparam int OB = OUT_LANES * BITS;

    if (TOTAL % IN_LANES != 0 || TOTAL % OUT_LANES != 0) begin : g_bad_total
        $error("fx_dwc: TOTAL must be a multiple of IN_LANES and OUT_LANES");
    end

    wire [IB-1:0] din = in0_V_TDATA[IB-1:0];
    wire push = in0_V_TVALID && in0_V_TREADY;
    wire pop = out0_V_TVALID && out0_V_TREADY;

    if (IN_LANES % OUT_LANES == 0) begin : g_down
        localparam int R = IN_LANES / OUT_LANES;
        localparam int KW = R > 1 ? $clog2(R) : 1;
        logic [IB-1:0] slot[2];
        logic [1:0] full;
        logic wr, rd;
        logic [KW-1:0] k;  // piece of slot rd on the output
        wire last = k == KW'(R - 1);

        assign in0_V_TREADY = !full[wr];
        assign out0_V_TVALID = full[rd];
        assign out0_V_TDATA = OUT_W'(slot[rd][32'(k) * OB +: OB]);

        always_ff @(posedge ap_clk) begin
            if (!ap_rst_n) begin
                full <= '0;
                wr <= 1'b0;
                rd <= 1'b0;
                k <= '0;
            end else begin
                if (push) wr <= !wr;
                if (pop && last) rd <= !rd;
                if (pop) k <= last ? '0 : k + 1'b1;
                for (int s = 0; s < 2; s++) begin
                    if (push && wr == 1'(s)) full[s] <= 1'b1;
                    else if (pop && last && rd == 1'(s)) full[s] <= 1'b0;
                end
            end
        end

        always_ff @(posedge ap_clk) begin
            if (push) slot[wr] <= din;
        end
    end else if (OUT_LANES % IN_LANES == 0) begin : g_up
        localparam int R = OUT_LANES / IN_LANES;
        localparam int KW = $clog2(R);
        logic [(R-1)*IB-1:0] head;  // the word's first R-1 beats, the newest on top
        logic [OB-1:0] word;
        logic [KW-1:0] k;  // beats of the word taken so far
        wire last = k == KW'(R - 1);

        assign in0_V_TREADY = !(last && out0_V_TVALID);
        assign out0_V_TDATA = OUT_W'(word);

        always_ff @(posedge ap_clk) begin
            if (!ap_rst_n) begin
                k <= '0;
                out0_V_TVALID <= 1'b0;
            end else begin
                if (push) k <= last ? '0 : k + 1'b1;
                if (push && last) out0_V_TVALID <= 1'b1;
                else if (pop) out0_V_TVALID <= 1'b0;
            end
        end

        if (R > 2) begin : g_shift
            always_ff @(posedge ap_clk) begin
                if (push) head <= {din, head[(R-1)*IB-1:IB]};
            end
        end else begin : g_one
            always_ff @(posedge ap_clk) begin
                if (push) head <= din;
            end
        end
        always_ff @(posedge ap_clk) begin
            if (push && last) word <= {din, head};
        end
    end else begin : g_general
        localparam int CAP = IN_LANES + 2 * OUT_LANES - 1;
        localparam int CW = $clog2(CAP + 1);
        localparam int BW = CAP * BITS;
        logic [BW-1:0] buffer, buffer_n;
        logic [CW-1:0] count, count_n;

        assign in0_V_TREADY = count < CW'(2 * OUT_LANES);
        assign out0_V_TVALID = count >= CW'(OUT_LANES);
        assign out0_V_TDATA = OUT_W'(buffer[OB-1:0]);

        // Invariant: buffer bits at and above count*BITS are zero, so pushes can OR in.
        always_comb begin
            logic [BW-1:0] shifted;
            logic [CW-1:0] kept;
            shifted = pop ? buffer >> OB : buffer;
            kept = pop ? count - CW'(OUT_LANES) : count;
            buffer_n = shifted;
            count_n = kept;
            if (push) begin
                buffer_n = shifted | (BW'(din) << (32'(kept) * BITS));
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
    end
endmodule
