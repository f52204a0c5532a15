// fx_fifo: AXI-Stream FIFO, first-word fall-through, one beat per cycle in and out.
//
// DEPTH entries of WIDTH bits in a circular buffer (LUT RAM for small depths, block RAM
// inference left to the tools for large ones). in0_V_TREADY depends only on the
// registered fill level, never combinationally on out0_V_TREADY, so FIFOs and layers can
// be stitched in any order without combinational loops.
module fx_fifo #(
    parameter int WIDTH = 8,
    parameter int DEPTH = 2
) (
    input  logic             ap_clk,
    input  logic             ap_rst_n,
    input  logic [WIDTH-1:0] in0_V_TDATA,
    input  logic             in0_V_TVALID,
    output logic             in0_V_TREADY,
    output logic [WIDTH-1:0] out0_V_TDATA,
    output logic             out0_V_TVALID,
    input  logic             out0_V_TREADY
);
    localparam int AW = DEPTH > 1 ? $clog2(DEPTH) : 1;

    logic [WIDTH-1:0] mem[DEPTH];
    logic [AW-1:0] rd, wr;
    logic [AW:0] count;

    wire push = in0_V_TVALID && in0_V_TREADY;
    wire pop = out0_V_TVALID && out0_V_TREADY;

    assign in0_V_TREADY = count < (AW + 1)'(DEPTH);
    assign out0_V_TVALID = count != 0;
    assign out0_V_TDATA = mem[rd];

    function automatic logic [AW-1:0] next(input logic [AW-1:0] p);
        return p == AW'(DEPTH - 1) ? '0 : p + 1'b1;
    endfunction

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            rd <= '0;
            wr <= '0;
            count <= '0;
        end else begin
            if (push) wr <= next(wr);
            if (pop) rd <= next(rd);
            count <= count + (AW + 1)'(push) - (AW + 1)'(pop);
        end
    end

    always_ff @(posedge ap_clk) begin
        if (push) mem[wr] <= in0_V_TDATA;
    end
endmodule
