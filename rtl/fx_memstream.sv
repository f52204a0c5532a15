// fx_memstream: a ROM streamed cyclically on an AXI-Stream master (FINN's memstream role:
// the weights of a decoupled MVU live in their own memory and arrive as a stream).
//
// DEPTH words of WIDTH bits from $readmemh(INIT_FILE) go out as word 0, 1, ..., DEPTH-1,
// 0, 1, ... forever, one word per beat on out0_V (TDATA padded to a multiple of 8 bits).
//
// RAM_STYLE picks the primitive, with FINN's ram_style values:
//  "distributed": LUT-ROM (a LUT6 holds one bit of 64 words), read into a register;
//  "block", "ultra": block RAM (RAMB18E1/RAMB36E1; xc7 has no UltraRAM, so "ultra" is
//         block RAM too);
//  "auto": "distributed" when DEPTH <= 128 or DEPTH * WIDTH <= 4096, else "block".
//         Yosys synth_xilinx: a LUT-ROM costs about WIDTH LUTs per 64 words (64x128: 128
//         LUT6; 128 words add a MUXF7 per bit), a BRAM18 holds 512x36 / 1024x18 /
//         2048x9 bits. Up to 128 words a BRAM18 would replace at most 2·36 LUT6 per 36
//         bits of width (a 7-series device has ~190 LUTs per BRAM18), and below 4 kbit
//         the whole ROM is at most 64 LUTs plus its multiplexers; deeper and larger,
//         each BRAM18 saves 150 LUTs or more (512x32: 1 BRAM18 instead of ~300 LUTs).
//
// Either way the read is registered and the registered word IS the output: out0_V_TDATA
// comes straight from the block RAM's output latch (or the LUT-ROM's output register),
// so there is no prefetch multiplexer per bit. The read enable advances that register
// when the word in it is taken (or before the first word), so the stream runs at one
// word per cycle and a stalled word simply stays put under back-pressure. TVALID comes
// from a register; only the read enable (as a BRAM's enable normally does) and the
// address counter depend on out0_V_TREADY.
//
// Cycle behaviour (the token model fx_mvu's decoupled weights rely on): TVALID rises on
// the second clock edge after reset is released and stays high; word k leaves on the
// k-th handshake. The edge after reset reads word 0, the next one only raises TVALID.
module fx_memstream #(
    parameter int DEPTH = 16,
    parameter int WIDTH = 8,
    parameter INIT_FILE = "",
    // up to 11 characters ("distributed"), not a `string`: Yosys's own Verilog frontend
    // reads no `string` type
    parameter logic [87:0] RAM_STYLE = "auto",
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
    localparam logic [87:0] AUTO = "auto", DIST = "distributed", BLK = "block", ULTRA = "ultra";
    localparam bit BLOCK = RAM_STYLE == BLK || RAM_STYLE == ULTRA
        || (RAM_STYLE == AUTO && DEPTH > 128 && DEPTH * WIDTH > 4096);

    if (DEPTH < 1) begin : g_bad_depth
        $error("fx_memstream: DEPTH must be >= 1");
    end
    if (RAM_STYLE != AUTO && RAM_STYLE != DIST && RAM_STYLE != BLK && RAM_STYLE != ULTRA)
    begin : g_bad_style
        $error("fx_memstream: RAM_STYLE must be \"auto\", \"distributed\", \"block\" or \"ultra\"");
    end

    // raddr feeds only the memory; the counter runs one address ahead in raddr_next. Were
    // raddr also the counter, the incrementer's XORs would be shared into the LUT-ROM
    // cones and Yosys's ABC would map 64x128 to ~500 LUTs instead of 128 LUT6.
    logic [AW-1:0] raddr, raddr_next;
    logic [WIDTH-1:0] rdata;
    logic started;  // word 0 has been read
    // read before the first word, then whenever the word in rdata is taken
    wire read = !started || (out0_V_TVALID && out0_V_TREADY);

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            raddr <= '0;
            raddr_next <= AW'(DEPTH > 1);
            started <= 1'b0;
            out0_V_TVALID <= 1'b0;
        end else begin
            started <= 1'b1;
            out0_V_TVALID <= started;
            if (read) begin
                raddr <= raddr_next;
                raddr_next <= raddr_next == AW'(DEPTH - 1) ? '0 : raddr_next + 1'b1;
            end
        end
    end

    // One memory per style; the registered read with enable is what maps onto the BRAM's
    // output latch and ENB. Vivado reads rom_style. Yosys reads rom_block before rom_style:
    // its LUT-RAM library excludes ROMs ("distributed" finds no mapping), and "logic" is
    // what a LUT-ROM is there, one LUT6 per bit per 64 words.
    if (BLOCK) begin : g_block
        (* rom_style = "block" *) logic [WIDTH-1:0] mem[DEPTH];
        initial begin
            if (INIT_FILE != "") $readmemh(INIT_FILE, mem);
        end
        always_ff @(posedge ap_clk) begin
            if (read) rdata <= mem[raddr];
        end
    end else begin : g_dist
        (* rom_style = "distributed", rom_block = "logic" *) logic [WIDTH-1:0] mem[DEPTH];
        initial begin
            if (INIT_FILE != "") $readmemh(INIT_FILE, mem);
        end
        always_ff @(posedge ap_clk) begin
            if (read) rdata <= mem[raddr];
        end
    end

    assign out0_V_TDATA = WP'(rdata);
endmodule
