// fx_duplicate_streams: FINN DuplicateStreams, copies in0_V to out0_V .. out{N_OUT-1}_V.
//
// Ports: a fixed set of four outputs out0_V..out3_V; N_OUT (2..4) of them are live. Outputs
// at index >= N_OUT hold TVALID = 0 and TDATA = 0 and ignore their TREADY (tie it to 1 or
// leave it; it is unused). Each live output has its own TREADY.
// Storage: a 2-entry data buffer shared by all outputs with one write pointer and, per
// output, a read pointer and fill count. A beat is accepted when every live output has a
// free entry (a function of registers only: no combinational path from any out TREADY to
// in0_V_TREADY); outputs drain independently. One beat per cycle when all outputs are
// ready: Π(vectors)·C/PE cycles. Port width PE·BITS padded to a multiple of 8 bits; data
// including padding is copied as-is.
module fx_duplicate_streams #(
    parameter int C = 1,
    parameter int PE = 1,
    parameter int BITS = 8,
    parameter int N_OUT = 2
) (
    input  logic         ap_clk,
    input  logic         ap_rst_n,
    input  logic [W-1:0] in0_V_TDATA,
    input  logic         in0_V_TVALID,
    output logic         in0_V_TREADY,
    output logic [W-1:0] out0_V_TDATA,
    output logic         out0_V_TVALID,
    input  logic         out0_V_TREADY,
    output logic [W-1:0] out1_V_TDATA,
    output logic         out1_V_TVALID,
    input  logic         out1_V_TREADY,
    output logic [W-1:0] out2_V_TDATA,
    output logic         out2_V_TVALID,
    // verilator lint_off UNUSEDSIGNAL
    input  logic         out2_V_TREADY,
    // verilator lint_on UNUSEDSIGNAL
    output logic [W-1:0] out3_V_TDATA,
    output logic         out3_V_TVALID,
    // verilator lint_off UNUSEDSIGNAL
    input  logic         out3_V_TREADY
    // verilator lint_on UNUSEDSIGNAL
);
    localparam int W = (PE * BITS + 7) / 8 * 8;
    localparam int MAX_OUT = 4;

    if (C % PE != 0) begin : g_bad_fold
        $error("fx_duplicate_streams: C must be a multiple of PE");
    end
    if (N_OUT < 1 || N_OUT > MAX_OUT) begin : g_bad_n
        $error("fx_duplicate_streams: N_OUT must be in 1..4");
    end

    // LUT RAM, one read port per output: left to itself Yosys builds a 2-entry memory with
    // several read ports from flip-flops and a multiplexer per bit and output (64 bits x 2
    // outputs: 128 LUT3), where RAM32M cells hold it at 22 cells + 13 LUTs.
    (* ram_style = "distributed" *) logic [W-1:0] mem[2];
    logic wr;
    // verilator lint_off UNUSEDSIGNAL
    logic [MAX_OUT-1:0] tready;  // bits >= N_OUT unused
    // verilator lint_on UNUSEDSIGNAL
    logic [MAX_OUT-1:0] tvalid, room;
    logic [W-1:0] tdata[MAX_OUT];

    assign tready = {out3_V_TREADY, out2_V_TREADY, out1_V_TREADY, out0_V_TREADY};
    assign {out3_V_TVALID, out2_V_TVALID, out1_V_TVALID, out0_V_TVALID} = tvalid;
    assign out0_V_TDATA = tdata[0];
    assign out1_V_TDATA = tdata[1];
    assign out2_V_TDATA = tdata[2];
    assign out3_V_TDATA = tdata[3];

    assign in0_V_TREADY = &room;
    wire push = in0_V_TVALID && in0_V_TREADY;

    for (genvar i = 0; i < MAX_OUT; i++) begin : g_out
        if (i < N_OUT) begin : g_live
            logic rd;
            logic [1:0] count;
            wire pop = tvalid[i] && tready[i];
            assign room[i] = count != 2'd2;
            assign tvalid[i] = count != 2'd0;
            assign tdata[i] = mem[rd];
            always_ff @(posedge ap_clk) begin
                if (!ap_rst_n) begin
                    rd <= 1'b0;
                    count <= '0;
                end else begin
                    if (pop) rd <= ~rd;
                    count <= count + 2'(push) - 2'(pop);
                end
            end
        end else begin : g_dead
            assign room[i] = 1'b1;
            assign tvalid[i] = 1'b0;
            assign tdata[i] = '0;
        end
    end

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) wr <= 1'b0;
        else if (push) wr <= ~wr;
    end

    always_ff @(posedge ap_clk) begin
        if (push) mem[wr] <= in0_V_TDATA;
    end
endmodule
