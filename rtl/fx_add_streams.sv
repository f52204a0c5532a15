// fx_add_streams: FINN AddStreams, out = in0 + in1 elementwise, PE lanes per beat.
//
// C channels per vector (C % PE == 0); the stream is C/PE beats per vector, any number of
// vectors. Lanes are IN_BITS wide (two's complement if IN_SIGNED), sums OUT_BITS wide
// (sign-/zero-extended, truncated to OUT_BITS). Both inputs are consumed together: each
// TREADY is high when both TVALIDs are high and the 2-entry output buffer has room
// (AXI-Stream lets TREADY depend on TVALID; it never depends on out0_V_TREADY).
// Throughput one beat per cycle: Π(vectors)·C/PE cycles. Ports are padded to multiples of
// 8 bits; input padding is ignored, output padding is 0.
module fx_add_streams #(
    parameter int C = 1,
    parameter int PE = 1,
    parameter int IN_BITS = 8,
    parameter int IN_SIGNED = 0,
    parameter int OUT_BITS = 9
) (
    input  logic             ap_clk,
    input  logic             ap_rst_n,
    // verilator lint_off UNUSEDSIGNAL
    input  logic [IN_W-1:0]  in0_V_TDATA,
    input  logic [IN_W-1:0]  in1_V_TDATA,
    // verilator lint_on UNUSEDSIGNAL
    input  logic             in0_V_TVALID,
    output logic             in0_V_TREADY,
    input  logic             in1_V_TVALID,
    output logic             in1_V_TREADY,
    output logic [OUT_W-1:0] out0_V_TDATA,
    output logic             out0_V_TVALID,
    input  logic             out0_V_TREADY
);
    localparam int IN_W = (PE * IN_BITS + 7) / 8 * 8;
    localparam int OUT_W = (PE * OUT_BITS + 7) / 8 * 8;
    localparam int SW = OUT_BITS > IN_BITS + 1 ? OUT_BITS : IN_BITS + 1;
    localparam int DW = PE * OUT_BITS;

    if (C % PE != 0) begin : g_bad_fold
        $error("fx_add_streams: C must be a multiple of PE");
    end

    // Elementwise sums.
    logic [DW-1:0] sum;
    always_comb begin
        for (int p = 0; p < PE; p++) begin
            logic [IN_BITS-1:0] a, b;
            logic signed [SW-1:0] ea, eb, s;
            a = in0_V_TDATA[p*IN_BITS +: IN_BITS];
            b = in1_V_TDATA[p*IN_BITS +: IN_BITS];
            if (IN_SIGNED != 0) begin
                ea = SW'($signed(a));
                eb = SW'($signed(b));
            end else begin
                ea = SW'(a);
                eb = SW'(b);
            end
            s = ea + eb;
            sum[p*OUT_BITS +: OUT_BITS] = s[OUT_BITS-1:0];
        end
    end

    // 2-entry output buffer: its room is a register, so in TREADY never sees out TREADY.
    logic [DW-1:0] mem[2];
    logic rd, wr;
    logic [1:0] count;
    wire both = in0_V_TVALID && in1_V_TVALID && count != 2'd2;
    wire push = both;
    wire pop = out0_V_TVALID && out0_V_TREADY;

    assign in0_V_TREADY = both;
    assign in1_V_TREADY = both;
    assign out0_V_TVALID = count != 2'd0;
    assign out0_V_TDATA = OUT_W'(mem[rd]);

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            rd <= 1'b0;
            wr <= 1'b0;
            count <= '0;
        end else begin
            if (push) wr <= ~wr;
            if (pop) rd <= ~rd;
            count <= count + 2'(push) - 2'(pop);
        end
    end

    always_ff @(posedge ap_clk) begin
        if (push) mem[wr] <= sum;
    end
endmodule
