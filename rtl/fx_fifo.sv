// fx_fifo: AXI-Stream FIFO, first-word fall-through, one beat per cycle in and out.
//
// Storage styles behind one interface, chosen by STYLE:
//  "srl":  a shift register as Xilinx SRL16/SRL32 primitives implement it: every accepted
//          beat shifts in at position 0 and the oldest beat is read from position
//          fill-1, a register that counts up on push and down on pop. Each data bit costs
//          one SRL LUT per 32 entries and there is no write pointer or write-address decode.
//  "ram":  a circular buffer with write and read pointers in LUT RAM (RAM32M/RAM64M); its
//          asynchronous read keeps first-word fall-through without an extra output stage.
//  "bram": block RAM behind two head registers (see g_bram): the memory's read is
//          registered, so the two oldest beats wait in registers, one of them the block
//          RAM's own output latch.
//  "dist": LUTs only, "srl" for DEPTH <= 32, "ram" above (FINN's ram_style "distributed").
//  "auto": "srl" for DEPTH <= 32, "bram" from DEPTH 256 when DEPTH * WIDTH >= 8192 bits,
//          "ram" between.
// Measured with Yosys synth_xilinx (read_slang), counting a RAM32M/RAM64M as the 4 LUTs it
// occupies:
//  - srl: one SRL16E/SRLC32E per bit up to 32 entries plus ~14 LUTs, so WIDTH 32 DEPTH 16
//    is 32 SRL + 14 LUT; DEPTH 2 is left as registers (WIDTH 32: 37 LUT, 67 FF). LUT RAM
//    holds 6 bits x 32 per RAM32M and pays two pointers: equal at WIDTH 8 (22 vs 23 LUTs),
//    ahead by WIDTH/4 from WIDTH 32 on (32: 46 vs 39, 128: 145 vs 106); deeper than 32, SRLs cascade with an output
//    multiplexer per bit while a RAM64M holds 3 bits x 64.
//  - ram vs bram: the block-RAM style costs WIDTH + ~27 LUTs and WIDTH + ~25 FFs (head
//    registers, their multiplexer, pointers) plus the BRAM18s. LUT RAM costs WIDTH·DEPTH/48
//    LUTs plus pointers and read multiplexers: WIDTH 32 DEPTH 128: 144 + 56 LUT (bram: 59
//    LUT + 1 BRAM18); DEPTH 256: 176 + 60 (61 + 1); WIDTH 8 DEPTH 1024: 192 + 100 (41 + 1);
//    WIDTH 128 DEPTH 256: 688 + 156 (159 + 4). From 8192 bits (and 256 entries) each
//    BRAM18 saves ~170 LUTs or more, about what a 7-series device has per BRAM18.
// in0_V_TREADY depends only on the registered fill level, never combinationally on
// out0_V_TREADY, so FIFOs and layers can be stitched in any order without combinational
// loops. The price is that DEPTH = 1 cannot accept and release in the same cycle: it
// passes one beat every 2 cycles. DEPTH >= 2 sustains one beat per cycle. Every style has
// the same cycle behaviour: TREADY iff fill < DEPTH, TVALID iff fill > 0, a beat accepted
// at an edge is valid right after it.
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
    localparam logic [31:0] AUTO = "auto", DIST = "dist", SRL_STYLE = "srl", RAM_STYLE = "ram",
        BRAM_STYLE = "bram";
    localparam bit BRAM = STYLE == BRAM_STYLE
        || (STYLE == AUTO && DEPTH >= 256 && DEPTH * WIDTH >= 8192);
    localparam bit SRL = STYLE == SRL_STYLE || ((STYLE == AUTO || STYLE == DIST) && !BRAM
        && DEPTH <= 32);

    if (DEPTH < 1) begin : g_bad_depth
        $error("fx_fifo: DEPTH must be >= 1");
    end
    if (STYLE != AUTO && STYLE != DIST && STYLE != SRL_STYLE && STYLE != RAM_STYLE
        && STYLE != BRAM_STYLE) begin : g_bad_style
        $error("fx_fifo: STYLE must be \"auto\", \"dist\", \"srl\", \"ram\" or \"bram\"");
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

    if (BRAM) begin : g_bram
        // The beats in order: two head registers, then the memory. x is loaded straight
        // from the input, l is the block RAM's registered read (its output latch, loaded
        // only from the memory). A beat bypasses the memory into x when the memory holds
        // nothing and x is free (or being popped); otherwise it is written to the memory.
        // The memory's oldest beat is read into l whenever l is free or being popped.
        // Invariant: while the memory holds a beat, a head register is full, and l is
        // refilled in the cycle it is popped; so the head is in a register whenever the
        // FIFO is not empty, one edge after it arrived: the "valid iff fill > 0" timing of
        // the other styles (fill counter, TREADY and TVALID above). The memory holds at
        // most DEPTH - 1 beats: 2^AW entries with free-running pointers (wp == rp: empty).
        // hx says which register holds the head: one 2:1 multiplexer per output bit.
        // The memory is never read at the address written in the same cycle (wp != rp when
        // reading): no_rw_check tells Yosys so, which spares a read-during-write bypass.
        (* ram_style = "block", no_rw_check *) logic [WIDTH-1:0] mem[2 ** AW];
        logic [AW-1:0] wp, rp;
        logic [WIDTH-1:0] x, l;
        logic xv, lv, hx;

        wire popx = pop && hx, popl = pop && !hx;
        wire mem_empty = wp == rp;
        wire bypass = push && mem_empty && (!xv || popx);
        wire write = push && !bypass;
        wire read = !mem_empty && (!lv || popl);
        wire xv_next = bypass || (xv && !popx);
        wire lv_next = read || (lv && !popl);

        always_ff @(posedge ap_clk) begin
            if (!ap_rst_n) begin
                wp <= '0;
                rp <= '0;
                xv <= 1'b0;
                lv <= 1'b0;
                hx <= 1'b0;
            end else begin
                if (write) wp <= wp + 1'b1;
                if (read) rp <= rp + 1'b1;
                xv <= xv_next;
                lv <= lv_next;
                // both full: a bypass lands behind l, a read behind x; else unchanged
                if (!(xv_next && lv_next)) hx <= xv_next;
                else if (bypass) hx <= 1'b0;
                else if (read) hx <= 1'b1;
            end
        end

        always_ff @(posedge ap_clk) begin
            if (write) mem[wp] <= in0_V_TDATA;
        end
        always_ff @(posedge ap_clk) begin
            if (read) l <= mem[rp];
        end
        always_ff @(posedge ap_clk) begin
            if (bypass) x <= in0_V_TDATA;
        end

        assign out0_V_TDATA = hx ? x : l;
    end else if (SRL) begin : g_srl
        // Position of the oldest beat, count - 1 kept in its own register so the SRL
        // address comes straight from flip-flops. All ones while empty (TDATA unused).
        logic [AW-1:0] rd;

        always_ff @(posedge ap_clk) begin
            if (!ap_rst_n) rd <= '1;
            else rd <= rd + AW'(push) - AW'(pop);
        end

        // One shift register per data bit, read at a variable tap: the pattern synthesis
        // maps to SRL16E/SRLC32E. No reset on the data: SRLs have none. The tap is an
        // indexed part-select: Yosys's read_slang turns a plain bit-select into a $bmux,
        // which its SRL inference does not recognise (registers and LUTs instead).
        for (genvar b = 0; b < WIDTH; b++) begin : g_bit
            logic [DEPTH-1:0] chain;
            always_ff @(posedge ap_clk) begin
                if (push) chain <= DEPTH'({chain, in0_V_TDATA[b]});
            end
            assign out0_V_TDATA[b] = chain[rd+:1];
        end
    end else begin : g_ram
        // the attribute keeps Yosys from turning the registered read address into a block
        // RAM read port (it does from DEPTH 128 on) when LUT RAM was asked for
        (* ram_style = "distributed" *) logic [WIDTH-1:0] mem[DEPTH];
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
