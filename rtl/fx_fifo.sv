// fx_fifo: AXI-Stream FIFO, first-word fall-through, one beat per cycle in and out.
//
// Two storage styles behind one interface, chosen by STYLE:
//  "srl": a shift register as Xilinx SRL16/SRL32 primitives implement it: every accepted
//         beat shifts in at position 0 and the oldest beat is read from position
//         fill-1, a register that counts up on push and down on pop. Each data bit costs
//         one SRL LUT per 32 entries and there is no write pointer or write-address decode.
//  "ram": a circular buffer with write and read pointers in LUT RAM (RAM32M/RAM64M); its
//         asynchronous read keeps first-word fall-through without an extra output stage.
//  "auto": "srl" for DEPTH <= 32, "ram" above. 32 is the depth of one SRLC32E: up to it a
//         bit of storage is exactly one LUT whatever the depth, addressed by a 5-bit
//         count. Deeper, each bit needs a cascade of SRLs plus an output multiplexer
//         (Yosys synth_xilinx, WIDTH 8: DEPTH 32 -> 8 SRLC32E; DEPTH 33 -> 8 SRLC32E +
//         8 SRL16E + 8 MUXF7). SRLs cost a LUT per bit per 32 entries, LUT RAM about
//         half that (RAM64M: 3 bits x 64 entries in 4 LUTs) plus pointers paid once:
//         near parity just above 32, the RAM clearly ahead from 64 entries on.
// in0_V_TREADY depends only on the registered fill level, never combinationally on
// out0_V_TREADY, so FIFOs and layers can be stitched in any order without combinational
// loops. The price is that DEPTH = 1 cannot accept and release in the same cycle: it
// passes one beat every 2 cycles. DEPTH >= 2 sustains one beat per cycle.
module fx_fifo #(
    parameter int WIDTH = 8,
    parameter int DEPTH = 2,
    // 4 characters, not a `string`: Yosys's own Verilog frontend reads no `string` type
    parameter logic [31:0] STYLE = "auto"
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
    localparam logic [31:0] AUTO = "auto", SRL_STYLE = "srl", RAM_STYLE = "ram";
    localparam bit SRL = STYLE == SRL_STYLE || (STYLE == AUTO && DEPTH <= 32);

    if (DEPTH < 1) begin : g_bad_depth
        $error("fx_fifo: DEPTH must be >= 1");
    end
    if (STYLE != AUTO && STYLE != SRL_STYLE && STYLE != RAM_STYLE) begin : g_bad_style
        $error("fx_fifo: STYLE must be \"auto\", \"srl\" or \"ram\"");
    end

    logic [AW:0] count;

    wire push = in0_V_TVALID && in0_V_TREADY;
    wire pop = out0_V_TVALID && out0_V_TREADY;

    assign in0_V_TREADY = count < (AW + 1)'(DEPTH);
    assign out0_V_TVALID = count != 0;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) count <= '0;
        else count <= count + (AW + 1)'(push) - (AW + 1)'(pop);
    end

    if (SRL) begin : g_srl
        // Position of the oldest beat, count - 1 kept in its own register so the SRL
        // address comes straight from flip-flops. All ones while empty (TDATA unused).
        logic [AW-1:0] rd;

        always_ff @(posedge ap_clk) begin
            if (!ap_rst_n) rd <= '1;
            else rd <= rd + AW'(push) - AW'(pop);
        end

        // One shift register per data bit, read at a variable tap: the pattern synthesis
        // maps to SRL16E/SRLC32E. No reset on the data: SRLs have none.
        for (genvar b = 0; b < WIDTH; b++) begin : g_bit
            logic [DEPTH-1:0] chain;
            always_ff @(posedge ap_clk) begin
                if (push) chain <= DEPTH'({chain, in0_V_TDATA[b]});
            end
            assign out0_V_TDATA[b] = chain[rd];
        end
    end else begin : g_ram
        logic [WIDTH-1:0] mem[DEPTH];
        logic [AW-1:0] rd, wr;

        assign out0_V_TDATA = mem[rd];

        function automatic logic [AW-1:0] next(input logic [AW-1:0] p);
            next = p == AW'(DEPTH - 1) ? '0 : p + 1'b1;  // no `return`: Yosys reads this too
        endfunction

        always_ff @(posedge ap_clk) begin
            if (!ap_rst_n) begin
                rd <= '0;
                wr <= '0;
            end else begin
                if (push) wr <= next(wr);
                if (pop) rd <= next(rd);
            end
        end

        always_ff @(posedge ap_clk) begin
            if (push) mem[wr] <= in0_V_TDATA;
        end
    end
endmodule
