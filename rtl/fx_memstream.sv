// fx_memstream: a ROM streamed cyclically on an AXI-Stream master (FINN's memstream role:
// the weights of a decoupled MVU live in their own memory and arrive as a stream).
//
// DEPTH words of WIDTH bits from $readmemh(INIT_FILE) go out as word 0, 1, ..., DEPTH-1,
// 0, 1, ... forever, one word per beat on out0_V (TDATA padded to a multiple of 8 bits).
//
// The ROM read is registered (address in, data one cycle later, no reset on the data) so
// synthesis maps it to block RAM. Because the data arrives a cycle after the read is
// issued, the words land in a 2-entry prefetch buffer: a read is issued while the buffer
// has a slot not yet reserved by the read in flight, or when a word leaves it in the same
// cycle. That keeps 1 word/cycle under full TREADY and never drops a word under
// back-pressure. out0_V_TVALID and TDATA come from registers only (TVALID never depends on
// TREADY); the read enable depends on out0_V_TREADY, as a BRAM's enable normally does.
module fx_memstream #(
    parameter int DEPTH = 16,
    parameter int WIDTH = 8,
    parameter INIT_FILE = "",
    // derived (do not override)
    parameter int WP = (WIDTH + 7) / 8 * 8
) (
    input  logic          ap_clk,
    input  logic          ap_rst_n,
    output logic [WP-1:0] out0_V_TDATA,
    output logic          out0_V_TVALID,
    input  logic          out0_V_TREADY
);
    localparam int AW = DEPTH > 1 ? $clog2(DEPTH) : 1;

    initial begin
        if (DEPTH < 1) $error("fx_memstream: DEPTH must be >= 1");
    end

    logic [WIDTH-1:0] mem[DEPTH];
    initial begin
        if (INIT_FILE != "") $readmemh(INIT_FILE, mem);
    end

    // ------------------------------------------------------------------ read side
    logic [AW-1:0] raddr;
    logic [WIDTH-1:0] rdata;
    logic rvalid;            // rdata holds the word read last cycle
    logic [1:0] count;       // buffered words
    wire pop = out0_V_TVALID && out0_V_TREADY;
    // buffered + in flight (at most 2), minus this cycle's pop, must leave a slot free
    wire [1:0] reserved = count + 2'(rvalid);
    wire read = reserved - 2'(pop) < 2'd2;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            raddr <= '0;
            rvalid <= 1'b0;
        end else begin
            rvalid <= read;
            if (read) raddr <= raddr == AW'(DEPTH - 1) ? '0 : raddr + 1'b1;
        end
    end

    always_ff @(posedge ap_clk) begin
        if (read) rdata <= mem[raddr];
    end

    // ------------------------------------------------------------------ prefetch buffer
    logic [WIDTH-1:0] buf_q[2];
    logic rd, wr;
    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            rd <= 1'b0;
            wr <= 1'b0;
            count <= '0;
        end else begin
            if (rvalid) wr <= !wr;
            if (pop) rd <= !rd;
            count <= count + 2'(rvalid) - 2'(pop);
        end
    end
    always_ff @(posedge ap_clk) begin
        if (rvalid) buf_q[wr] <= rdata;
    end

    assign out0_V_TVALID = count != 0;
    assign out0_V_TDATA = WP'(buf_q[rd]);
endmodule
