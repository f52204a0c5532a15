// fx_thresholding: FINN Thresholding (MultiThreshold) layer, PE lanes per beat.
//
// Per lane, with channel ch = fold·PE + lane (fold = 0 .. C/PE-1 cycles through the beats
// of one pixel): count = #{i : x >= T[ch][i]} over the N thresholds of channel ch; the
// output is count + BIAS in OUT_BITS two's complement, or with OUT_BIPOLAR the bipolar
// code (count != 0) -> 1 (+1), 0 (-1), i.e. 2·count - 1 stored as {-1 -> 0, +1 -> 1}.
//
// Thresholds: THRESHOLDS_FILE ($readmemh) holds C·N values, channel-major (line ch·N + i is
// T[ch][i]), each T_BITS wide two's complement. All N comparisons of a lane run in parallel.
//
// Two modules share one implementation, because SystemVerilog cannot make ports depend on
// a parameter and the generated wrappers instantiate the stream-only interface:
//   fx_thresholding      stream ports only; thresholds are a ROM (RUNTIME_WRITE = 0).
//   fx_thresholding_axi  stream ports + AXI4-Lite slave s_axilite_*; with RUNTIME_WRITE = 1
//                        (its default) every threshold can be written and read back at run
//                        time, starting from the file's values. With RUNTIME_WRITE = 0 no
//                        AXI-lite logic is generated: the slave never accepts (all READY and
//                        VALID outputs are 0) and the thresholds are the ROM.
//
// Pipeline: input register (s1) -> comparators + popcount -> 3-entry output FIFO. The
// number of beats in flight (s1 + FIFO) is a registered credit counter, and in0_V_TREADY
// depends only on it, never combinationally on out0_V_TREADY. Three entries give one beat
// per cycle with out0_V_TREADY held high (two beats are in flight in steady state).
// Latency: 2 cycles from an input transfer to the output TVALID.
module fx_thresholding #(
    parameter int C = 1,
    parameter int PE = 1,
    parameter int N = 1,
    parameter int IN_BITS = 8,
    parameter int IN_SIGNED = 1,
    parameter int T_BITS = 9,
    parameter int OUT_BITS = 4,
    parameter int BIAS = 0,
    parameter int OUT_BIPOLAR = 0,
    parameter string THRESHOLDS_FILE = ""
) (
    input  logic                ap_clk,
    input  logic                ap_rst_n,
    input  logic [(PE*IN_BITS+7)/8*8-1:0]   in0_V_TDATA,
    input  logic                in0_V_TVALID,
    output logic                in0_V_TREADY,
    output logic [(PE*OUT_BITS+7)/8*8-1:0]  out0_V_TDATA,
    output logic                out0_V_TVALID,
    input  logic                out0_V_TREADY
);
    // the dead slave's outputs (constant 0 with RUNTIME_WRITE = 0)
    /* verilator lint_off UNUSEDSIGNAL */
    logic [1:0] axi_resp_unused, axi_rresp_unused;
    logic [31:0] axi_rdata_unused;
    logic axi_ready_unused[3], axi_valid_unused[2];
    /* verilator lint_on UNUSEDSIGNAL */

    fx_thresholding_axi #(
        .C(C), .PE(PE), .N(N), .IN_BITS(IN_BITS), .IN_SIGNED(IN_SIGNED), .T_BITS(T_BITS),
        .OUT_BITS(OUT_BITS), .BIAS(BIAS), .OUT_BIPOLAR(OUT_BIPOLAR),
        .THRESHOLDS_FILE(THRESHOLDS_FILE), .RUNTIME_WRITE(0)
    ) impl (
        .ap_clk, .ap_rst_n,
        .in0_V_TDATA, .in0_V_TVALID, .in0_V_TREADY,
        .out0_V_TDATA, .out0_V_TVALID, .out0_V_TREADY,
        .s_axilite_AWADDR('0), .s_axilite_AWVALID(1'b0), .s_axilite_AWREADY(axi_ready_unused[0]),
        .s_axilite_WDATA('0), .s_axilite_WSTRB('0), .s_axilite_WVALID(1'b0),
        .s_axilite_WREADY(axi_ready_unused[1]),
        .s_axilite_BRESP(axi_resp_unused), .s_axilite_BVALID(axi_valid_unused[0]),
        .s_axilite_BREADY(1'b0),
        .s_axilite_ARADDR('0), .s_axilite_ARVALID(1'b0), .s_axilite_ARREADY(axi_ready_unused[2]),
        .s_axilite_RDATA(axi_rdata_unused), .s_axilite_RRESP(axi_rresp_unused),
        .s_axilite_RVALID(axi_valid_unused[1]), .s_axilite_RREADY(1'b0)
    );
endmodule

// fx_thresholding_axi: the layer with its AXI4-Lite threshold port (FINN's s_axilite names).
// (It shares fx_thresholding.sv so that the file list of either module stays one file.)
//
// Address map (byte addresses, ADDR_BITS wide): one 32-bit word per threshold,
//   word address = ch·N_PAD + i,  byte address = 4·(ch·N_PAD + i),
// with N_PAD = 2^ceil(log2 N), so the channel is the high address bits and i the low ones.
// A read returns T[ch][i] sign-extended from T_BITS to 32 bits; a write stores the low
// T_BITS of the sign-extended old value with the WSTRB-enabled bytes of WDATA put in, so a
// full-word write (WSTRB = 4'hf) of any 32-bit value v stores v mod 2^T_BITS. Addresses
// with ch >= C or i >= N answer SLVERR (writes are dropped, reads return 0); the two low
// address bits are ignored. T_BITS must be at most 32 when RUNTIME_WRITE = 1.
//
// Channels: AW and W are latched independently (each READY is high while its one-entry
// holding register is empty), so they may arrive in either order or together; the write
// happens when both are held and no B response is pending, then BVALID stays high until
// BREADY. A read answers one cycle after the AR transfer and holds RVALID until RREADY;
// ARREADY is low while a response is pending. One write and one read may be in progress
// at a time; all READY outputs are registered. ap_rst_n resets the channels, never the
// thresholds (they are initialised from THRESHOLDS_FILE at configuration, not at reset).
//
// Runtime writes are meant for when no frame is in flight. A write takes effect at the
// clock edge that raises BVALID: beats reaching the comparators after it use the new
// value. Writing while a frame streams is not blocked and corrupts nothing else, but that
// frame may see a mix of old and new thresholds.
/* verilator lint_off DECLFILENAME */
module fx_thresholding_axi #(
    parameter int C = 1,
    parameter int PE = 1,
    parameter int N = 1,
    parameter int IN_BITS = 8,
    parameter int IN_SIGNED = 1,
    parameter int T_BITS = 9,
    parameter int OUT_BITS = 4,
    parameter int BIAS = 0,
    parameter int OUT_BIPOLAR = 0,
    parameter string THRESHOLDS_FILE = "",
    parameter int RUNTIME_WRITE = 1,
    // the smallest width holding every threshold's byte address (C·N_PAD words)
    parameter int ADDR_BITS = 2 + $clog2(C) + $clog2(N)
) (
    input  logic                ap_clk,
    input  logic                ap_rst_n,
    input  logic [(PE*IN_BITS+7)/8*8-1:0]   in0_V_TDATA,
    input  logic                in0_V_TVALID,
    output logic                in0_V_TREADY,
    output logic [(PE*OUT_BITS+7)/8*8-1:0]  out0_V_TDATA,
    output logic                out0_V_TVALID,
    input  logic                out0_V_TREADY,
    input  logic [ADDR_BITS-1:0] s_axilite_AWADDR,
    input  logic                s_axilite_AWVALID,
    output logic                s_axilite_AWREADY,
    input  logic [31:0]         s_axilite_WDATA,
    input  logic [3:0]          s_axilite_WSTRB,
    input  logic                s_axilite_WVALID,
    output logic                s_axilite_WREADY,
    output logic [1:0]          s_axilite_BRESP,
    output logic                s_axilite_BVALID,
    input  logic                s_axilite_BREADY,
    input  logic [ADDR_BITS-1:0] s_axilite_ARADDR,
    input  logic                s_axilite_ARVALID,
    output logic                s_axilite_ARREADY,
    output logic [31:0]         s_axilite_RDATA,
    output logic [1:0]          s_axilite_RRESP,
    output logic                s_axilite_RVALID,
    input  logic                s_axilite_RREADY
);
    localparam int OUT_W = (PE * OUT_BITS + 7) / 8 * 8;
    localparam int CF = C / PE;
    localparam int FW = CF > 1 ? $clog2(CF) : 1;
    localparam int CW = $clog2(N + 1);
    // common signed comparison width, strictly wider than both operands
    localparam int XW = (IN_BITS > T_BITS ? IN_BITS : T_BITS) + 1;
    localparam int DEPTH = 3;
    localparam int IB = PE * IN_BITS;
    localparam int OB = PE * OUT_BITS;

    // ---------------------------------------------------------------- thresholds
    // A ROM, or with RUNTIME_WRITE registers written by the AXI-lite slave below.
    logic [T_BITS-1:0] thr[C * N];
    initial begin
        if (THRESHOLDS_FILE != "") $readmemh(THRESHOLDS_FILE, thr);
    end

    // ---------------------------------------------------------------- input register
    logic [1:0] inflight;  // beats in s1 + output FIFO
    logic s1_valid;
    logic [IB-1:0] s1_data;
    logic [FW-1:0] fold, s1_fold;

    wire accept = in0_V_TVALID && in0_V_TREADY;
    wire pop = out0_V_TVALID && out0_V_TREADY;
    assign in0_V_TREADY = inflight < 2'(DEPTH);

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            s1_valid <= 1'b0;
            fold <= '0;
            inflight <= '0;
        end else begin
            s1_valid <= accept;
            if (accept) fold <= fold == FW'(CF - 1) ? '0 : fold + 1'b1;
            inflight <= inflight + 2'(accept) - 2'(pop);
        end
    end

    always_ff @(posedge ap_clk) begin
        if (accept) begin
            s1_data <= in0_V_TDATA[IB-1:0];
            s1_fold <= fold;
        end
    end

    // ---------------------------------------------------------------- compare + count
    logic [OB-1:0] result;

    always_comb begin
        for (int p = 0; p < PE; p++) begin
            logic [IN_BITS-1:0] raw;
            logic signed [XW-1:0] x, t;
            logic [CW-1:0] cnt;
            logic [OUT_BITS-1:0] value;
            int base;
            raw = s1_data[p * IN_BITS +: IN_BITS];
            if (IN_SIGNED != 0) x = {{(XW - IN_BITS){raw[IN_BITS-1]}}, raw};
            else x = {{(XW - IN_BITS){1'b0}}, raw};
            base = (int'(s1_fold) * PE + p) * N;
            cnt = '0;
            for (int i = 0; i < N; i++) begin
                t = {{(XW - T_BITS){thr[base + i][T_BITS-1]}}, thr[base + i]};
                cnt = cnt + CW'(x >= t);
            end
            value = OUT_BITS'(cnt) + OUT_BITS'(BIAS);  // modulo 2^OUT_BITS
            if (OUT_BIPOLAR != 0) result[p * OUT_BITS +: OUT_BITS] = OUT_BITS'(cnt != '0);
            else result[p * OUT_BITS +: OUT_BITS] = value;
        end
    end

    // ---------------------------------------------------------------- output FIFO
    logic [OB-1:0] mem[DEPTH];
    logic [1:0] rd, wr, count;

    function automatic logic [1:0] next(input logic [1:0] ptr);
        return ptr == 2'(DEPTH - 1) ? '0 : ptr + 1'b1;
    endfunction

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            rd <= '0;
            wr <= '0;
            count <= '0;
        end else begin
            // the credit counter guarantees room whenever s1 holds a beat
            if (s1_valid) wr <= next(wr);
            if (pop) rd <= next(rd);
            count <= count + 2'(s1_valid) - 2'(pop);
        end
    end

    always_ff @(posedge ap_clk) begin
        if (s1_valid) mem[wr] <= result;
    end

    assign out0_V_TVALID = count != '0;
    assign out0_V_TDATA = OUT_W'(mem[rd]);

    // padding bits of the input beat are unused
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_ok = &{1'b0, in0_V_TDATA};
    /* verilator lint_on UNUSEDSIGNAL */

    // ---------------------------------------------------------------- AXI4-Lite slave
    if (RUNTIME_WRITE != 0) begin : g_axilite
        if (T_BITS > 32) begin : g_too_wide
            $fatal(1, "fx_thresholding_axi: RUNTIME_WRITE needs T_BITS <= 32");
        end
        if (ADDR_BITS < 2 + $clog2(C) + $clog2(N) || ADDR_BITS > 32) begin : g_bad_addr
            $fatal(1, "fx_thresholding_axi: ADDR_BITS must hold 4*C*N_PAD and be at most 32");
        end
        localparam int NPB = $clog2(N);  // i occupies word-address bits [NPB-1:0]
        localparam int IW = C * N > 1 ? $clog2(C * N) : 1;
        localparam logic [1:0] OKAY = 2'b00, SLVERR = 2'b10;

        // (ch, i) of a byte address as a flat index ch·N + i, and whether it is mapped
        function automatic logic decode(input logic [ADDR_BITS-1:0] addr, output logic [IW-1:0] index);
            longint word, ch, i;
            word = longint'(addr) >> 2;
            ch = word >> NPB;
            i = word & ((longint'(1) << NPB) - 1);
            index = IW'(ch * longint'(N) + i);
            return ch < longint'(C) && i < longint'(N);
        endfunction

        function automatic logic [31:0] sext(input logic [T_BITS-1:0] v);
            return 32'(signed'(v));
        endfunction

        // write channel: AW and W holding registers, then the B response
        logic aw_full, w_full, b_valid;
        logic [ADDR_BITS-1:0] aw_addr;
        logic [31:0] w_data;
        logic [3:0] w_strb;
        logic [1:0] b_resp;
        wire do_write = aw_full && w_full && !b_valid;

        always_ff @(posedge ap_clk) begin
            if (!ap_rst_n) begin
                aw_full <= 1'b0;
                w_full <= 1'b0;
                b_valid <= 1'b0;
            end else begin
                if (s_axilite_AWVALID && !aw_full) aw_full <= 1'b1;
                if (s_axilite_WVALID && !w_full) w_full <= 1'b1;
                if (do_write) begin
                    aw_full <= 1'b0;
                    w_full <= 1'b0;
                    b_valid <= 1'b1;
                end else if (s_axilite_BREADY) begin
                    b_valid <= 1'b0;
                end
            end
        end

        always_ff @(posedge ap_clk) begin
            logic [IW-1:0] index;
            /* verilator lint_off UNUSEDSIGNAL */
            logic [31:0] merged;  // bits above T_BITS are dropped
            /* verilator lint_on UNUSEDSIGNAL */
            if (s_axilite_AWVALID && !aw_full) aw_addr <= s_axilite_AWADDR;
            if (s_axilite_WVALID && !w_full) begin
                w_data <= s_axilite_WDATA;
                w_strb <= s_axilite_WSTRB;
            end
            if (do_write) begin
                if (decode(aw_addr, index)) begin
                    merged = sext(thr[index]);
                    for (int b = 0; b < 4; b++)
                        if (w_strb[b]) merged[8 * b +: 8] = w_data[8 * b +: 8];
                    thr[index] <= merged[T_BITS-1:0];
                    b_resp <= OKAY;
                end else begin
                    b_resp <= SLVERR;
                end
            end
        end

        assign s_axilite_AWREADY = !aw_full;
        assign s_axilite_WREADY = !w_full;
        assign s_axilite_BVALID = b_valid;
        assign s_axilite_BRESP = b_resp;

        // read channel: one response register
        logic r_valid;
        logic [31:0] r_data;
        logic [1:0] r_resp;

        always_ff @(posedge ap_clk) begin
            if (!ap_rst_n) r_valid <= 1'b0;
            else if (s_axilite_ARVALID && !r_valid) r_valid <= 1'b1;
            else if (s_axilite_RREADY) r_valid <= 1'b0;
        end

        always_ff @(posedge ap_clk) begin
            logic [IW-1:0] index;
            if (s_axilite_ARVALID && !r_valid) begin
                if (decode(s_axilite_ARADDR, index)) begin
                    r_data <= sext(thr[index]);
                    r_resp <= OKAY;
                end else begin
                    r_data <= '0;
                    r_resp <= SLVERR;
                end
            end
        end

        assign s_axilite_ARREADY = !r_valid;
        assign s_axilite_RVALID = r_valid;
        assign s_axilite_RDATA = r_data;
        assign s_axilite_RRESP = r_resp;
    end else begin : g_rom
        assign s_axilite_AWREADY = 1'b0;
        assign s_axilite_WREADY = 1'b0;
        assign s_axilite_BVALID = 1'b0;
        assign s_axilite_BRESP = 2'b00;
        assign s_axilite_ARREADY = 1'b0;
        assign s_axilite_RVALID = 1'b0;
        assign s_axilite_RDATA = '0;
        assign s_axilite_RRESP = 2'b00;
        /* verilator lint_off UNUSEDSIGNAL */
        wire unused_axi = &{1'b0, s_axilite_AWADDR, s_axilite_AWVALID, s_axilite_WDATA,
                            s_axilite_WSTRB, s_axilite_WVALID, s_axilite_BREADY,
                            s_axilite_ARADDR, s_axilite_ARVALID, s_axilite_RREADY};
        /* verilator lint_on UNUSEDSIGNAL */
    end
endmodule
/* verilator lint_on DECLFILENAME */
