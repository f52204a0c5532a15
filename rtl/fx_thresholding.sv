// fx_thresholding: FINN Thresholding (MultiThreshold) layer, PE lanes per beat.
//
// Per lane, with channel ch = fold·PE + lane (fold = 0 .. C/PE-1 cycles through the beats
// of one pixel): count = #{i : x >= T[ch][i]} over the N thresholds of channel ch; the
// output is count + BIAS in OUT_BITS two's complement, or with OUT_BIPOLAR the bipolar
// code (count != 0) -> 1 (+1), 0 (-1), i.e. 2·count - 1 stored as {-1 -> 0, +1 -> 1}.
//
// Thresholds: THRESHOLDS_FILE ($readmemh) holds C·N values, channel-major (line ch·N + i is
// T[ch][i]), each T_BITS wide two's complement; or, with THRESHOLDS_LAYOUT = 1 (ROM only,
// what -t sv writes: synthesis time linear in C·N), the search trees of
// fx_threshold_search in heap order.
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
// How the count is computed differs with the table's kind:
//   ROM (RUNTIME_WRITE = 0): fx_threshold_search, a binary search with one pipeline stage
//     per count bit, K = $clog2(N + 1) stages, over per-lane tables indexed by the fold
//     only (see fx_threshold_search.sv for why it beats comparing all N thresholds). It
//     needs each channel's thresholds ASCENDING in the file (sv_layers sorts them; the
//     count does not depend on their order). Latency K + 1.
//   runtime-writable: all N comparisons of a lane in parallel, then a popcount, so any
//     table software writes, sorted or not and mid-update, gives the exact count. Latency 3.
//
// Pipeline: the compare stages start on the input beat itself (the fold counter is a
// register), then the result is mapped to the output code and pushed into an output queue
// (fx_fifo, shift-register style: one SRL per output bit). The number of beats in flight
// (pipeline + queue) is a registered credit counter of DEPTH = latency + 1, and
// in0_V_TREADY depends only on it, never combinationally on out0_V_TREADY; DEPTH gives one
// beat per cycle with out0_V_TREADY held high. A beat accepted in cycle t is valid at the
// output in cycle t + latency (K + 1 for the ROM).
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
    parameter string THRESHOLDS_FILE = "",
    // 0: the file is channel-major, 1: in fx_threshold_search's search order (see there)
    parameter int THRESHOLDS_LAYOUT = 0
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
        .THRESHOLDS_FILE(THRESHOLDS_FILE), .THRESHOLDS_LAYOUT(THRESHOLDS_LAYOUT), .RUNTIME_WRITE(0)
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
// Channels: AW, W and AR are latched independently (each READY is high while its one-entry
// holding register is empty). The table has one access port for the slave: a write
// happens when AW and W are held and no B response is pending (BVALID then stays high
// until BREADY); a held read happens in a cycle without a write and no R response pending
// (RVALID then stays high until RREADY), i.e. two cycles after the AR transfer at the
// earliest. All READY outputs are registered. ap_rst_n resets the channels, never the
// thresholds (they are initialised from THRESHOLDS_FILE at configuration, not at reset).
//
// Runtime writes are meant for when no frame is in flight. A write takes effect at the
// clock edge that raises BVALID: beats reaching the comparators after it use the new
// value. Writing while a frame streams is not blocked and corrupts nothing else, but that
// frame may see a mix of old and new thresholds.
//
// Storage of the writable table: per lane, one row of N thresholds per fold (the stream
// reads a whole row, the slave one entry of it). It cannot start as the file's values
// (synthesis initialises memories only from constants or a file read straight into
// them), so a row holds the XOR of the current thresholds with the file's: all zeros at
// configuration; the file's values are wired in as constants and the XOR costs no LUT of
// its own (it folds into the compare and read-out logic). They come from constant indices
// into the channel-major array, so, as for fx_threshold_search's layout 0, Yosys takes
// time growing with (C·N)^2 (seconds up to about a thousand thresholds).
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
    // 0: the file is channel-major; 1 (RUNTIME_WRITE = 0 only): fx_threshold_search's order
    parameter int THRESHOLDS_LAYOUT = 0,
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
    localparam int CW = $clog2(N + 1);  // count bits
    // common signed comparison width holding every input and threshold value
    localparam int XW = IN_BITS + (IN_SIGNED != 0 ? 0 : 1) > T_BITS
        ? IN_BITS + (IN_SIGNED != 0 ? 0 : 1) : T_BITS;
    localparam longint X_MAX = IN_SIGNED != 0 ? (longint'(1) << (IN_BITS - 1)) - 1
                                              : (longint'(1) << IN_BITS) - 1;
    localparam int LAT = RUNTIME_WRITE != 0 ? 2 : CW;  // input beat -> count register
    localparam int DEPTH = LAT + 2;  // credits: latency LAT + 1 to the output, plus one
    localparam int DW = $clog2(DEPTH + 1);
    localparam int OB = PE * OUT_BITS;

    // ---------------------------------------------------------------- input side
    logic [DW-1:0] inflight;  // beats in the pipeline + output queue
    logic [FW-1:0] fold;
    initial fold = '0;  // (an initial value keeps Yosys from retiming it into the search tables)

    wire accept = in0_V_TVALID && in0_V_TREADY;
    wire pop = out0_V_TVALID && out0_V_TREADY;
    assign in0_V_TREADY = inflight < DW'(DEPTH);

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            fold <= '0;
            inflight <= '0;
        end else begin
            if (accept) fold <= fold == FW'(CF - 1) ? '0 : fold + 1'b1;
            inflight <= inflight + DW'(accept) - DW'(pop);
        end
    end

    // the input lanes as XW-bit two's complement
    logic [PE*XW-1:0] xin;
    for (genvar l = 0; l < PE; l++) begin : g_x
        wire [IN_BITS-1:0] raw = in0_V_TDATA[l * IN_BITS +: IN_BITS];
        if (IN_SIGNED != 0) begin : g_s
            assign xin[l * XW +: XW] = XW'(signed'(raw));
        end else begin : g_u
            assign xin[l * XW +: XW] = XW'(raw);
        end
    end

    // padding bits of the input beat are unused
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_ok = &{1'b0, in0_V_TDATA};
    /* verilator lint_on UNUSEDSIGNAL */

    // ---------------------------------------------------------------- count
    logic c_valid;
    logic [PE*CW-1:0] c_count;

    if (RUNTIME_WRITE == 0) begin : g_search
        fx_threshold_search #(
            .C(C), .PE(PE), .N(N), .T_BITS(T_BITS), .X_BITS(XW), .X_MAX(X_MAX),
            .THRESHOLDS_FILE(THRESHOLDS_FILE), .THRESHOLDS_LAYOUT(THRESHOLDS_LAYOUT)
        ) search (
            .ap_clk, .ap_rst_n, .en(1'b1), .in_valid(accept), .in_fold(fold), .in_x(xin),
            .out_valid(c_valid), .out_count(c_count)
        );
    end

    // ---------------------------------------------------------------- output code + queue
    logic [OB-1:0] result, queued;

    always_comb begin
        for (int l = 0; l < PE; l++) begin
            logic [CW-1:0] cnt;
            cnt = c_count[l * CW +: CW];
            if (OUT_BIPOLAR != 0) result[l * OUT_BITS +: OUT_BITS] = OUT_BITS'(cnt != '0);
            else result[l * OUT_BITS +: OUT_BITS] = OUT_BITS'(cnt) + OUT_BITS'(BIAS);  // mod 2^OUT_BITS
        end
    end

    // the credits guarantee room whenever a result arrives
    /* verilator lint_off UNUSEDSIGNAL */
    logic queue_ready;
    /* verilator lint_on UNUSEDSIGNAL */

    fx_fifo #(.WIDTH(OB), .DEPTH(DEPTH), .STYLE("srl")) queue (
        .ap_clk, .ap_rst_n,
        .in0_V_TDATA(result), .in0_V_TVALID(c_valid), .in0_V_TREADY(queue_ready),
        .out0_V_TDATA(queued), .out0_V_TVALID(out0_V_TVALID), .out0_V_TREADY(out0_V_TREADY)
    );
    assign out0_V_TDATA = OUT_W'(queued);

    // ---------------------------------------------------------------- writable table + AXI4-Lite slave
    if (RUNTIME_WRITE != 0) begin : g_axilite
        if (T_BITS > 32) begin : g_too_wide
            $fatal(1, "fx_thresholding_axi: RUNTIME_WRITE needs T_BITS <= 32");
        end
        if (THRESHOLDS_LAYOUT != 0) begin : g_layout
            $fatal(1, "fx_thresholding_axi: RUNTIME_WRITE reads a channel-major file (THRESHOLDS_LAYOUT 0)");
        end
        if (ADDR_BITS < 2 + $clog2(C) + $clog2(N) || ADDR_BITS > 32) begin : g_bad_addr
            $fatal(1, "fx_thresholding_axi: ADDR_BITS must hold 4*C*N_PAD and be at most 32");
        end
        localparam int NPB = $clog2(N);  // i occupies word-address bits [NPB-1:0]
        localparam int CHW = C > 1 ? $clog2(C) : 1;
        localparam int SW = N > 1 ? $clog2(N) : 1;
        localparam int LW = PE > 1 ? $clog2(PE) : 1;
        localparam int ROW = N * T_BITS;
        localparam logic [1:0] OKAY = 2'b00, SLVERR = 2'b10;

        // (ch, i) of a byte address, and whether it is mapped
        function automatic logic decode(input logic [ADDR_BITS-1:0] addr, output logic [CHW-1:0] ch,
                                        output logic [SW-1:0] i);
            longint word, c, s;
            word = longint'(addr) >> 2;
            c = word >> NPB;
            s = word & ((longint'(1) << NPB) - 1);
            ch = CHW'(c);
            i = SW'(s);
            return c < longint'(C) && s < longint'(N);
        endfunction

        function automatic logic [31:0] sext(input logic [T_BITS-1:0] v);
            return 32'(signed'(v));
        endfunction

        // pairwise adder tree: depth log2(N) adders, not a chain of N
        function automatic logic [CW-1:0] popcount(input logic [N-1:0] b);
            logic [CW-1:0] s[N];
            int n;
            for (int i = 0; i < N; i++) s[i] = CW'(b[i]);
            n = N;
            while (n > 1) begin
                for (int i = 0; i < n / 2; i++) s[i] = s[2 * i] + s[2 * i + 1];
                if (n % 2 == 1) s[n / 2] = s[n - 1];
                n = (n + 1) / 2;
            end
            return s[0];
        endfunction

        // the file's thresholds: a ROM read at constant indices only
        logic [T_BITS-1:0] thr[C * N];
        initial begin
            if (THRESHOLDS_FILE != "") $readmemh(THRESHOLDS_FILE, thr);
        end

        // channel -> {fold, lane}: a constant table, so no divider when PE is no power of 2
        logic [FW+LW-1:0] chmap[C];
        for (genvar ch = 0; ch < C; ch++) begin : g_chmap
            assign chmap[ch] = {FW'(ch / PE), LW'(ch % PE)};
        end

        // ------------------------------------------------------------ slave channels
        logic aw_full, w_full, b_valid, ar_full, r_valid;
        logic [ADDR_BITS-1:0] aw_addr, ar_addr;
        logic [31:0] w_data, r_data;
        logic [3:0] w_strb;
        logic [1:0] b_resp, r_resp;
        wire do_write = aw_full && w_full && !b_valid;
        wire do_read = ar_full && !r_valid && !do_write;

        always_ff @(posedge ap_clk) begin
            if (!ap_rst_n) begin
                aw_full <= 1'b0;
                w_full <= 1'b0;
                b_valid <= 1'b0;
                ar_full <= 1'b0;
                r_valid <= 1'b0;
            end else begin
                if (s_axilite_AWVALID && !aw_full) aw_full <= 1'b1;
                if (s_axilite_WVALID && !w_full) w_full <= 1'b1;
                if (s_axilite_ARVALID && !ar_full) ar_full <= 1'b1;
                if (do_write) begin
                    aw_full <= 1'b0;
                    w_full <= 1'b0;
                    b_valid <= 1'b1;
                end else if (s_axilite_BREADY) begin
                    b_valid <= 1'b0;
                end
                if (do_read) begin
                    ar_full <= 1'b0;
                    r_valid <= 1'b1;
                end else if (s_axilite_RREADY) begin
                    r_valid <= 1'b0;
                end
            end
        end

        // ------------------------------------------------------------ the access port
        logic [CHW-1:0] a_ch;
        logic [SW-1:0] a_slot;
        logic [FW-1:0] a_fold;
        logic [LW-1:0] a_lane;
        logic a_ok;
        always_comb a_ok = decode(do_write ? aw_addr : ar_addr, a_ch, a_slot);
        assign {a_fold, a_lane} = chmap[a_ch];

        logic [PE-1:0][ROW-1:0] s_row, a_delta, a_file;  // stream row; the slave's rows
        wire [ROW-1:0] a_delta_row = a_delta[a_lane], a_file_row = a_file[a_lane];
        wire [T_BITS-1:0] a_file_t = a_file_row[a_slot * T_BITS +: T_BITS];
        wire [T_BITS-1:0] a_old = a_delta_row[a_slot * T_BITS +: T_BITS] ^ a_file_t;
        logic [T_BITS-1:0] a_new;

        always_comb begin
            /* verilator lint_off UNUSEDSIGNAL */
            logic [31:0] merged;  // bits above T_BITS are dropped
            /* verilator lint_on UNUSEDSIGNAL */
            merged = sext(a_old);
            for (int b = 0; b < 4; b++)
                if (w_strb[b]) merged[8 * b +: 8] = w_data[8 * b +: 8];
            a_new = merged[T_BITS-1:0];
        end

        for (genvar l = 0; l < PE; l++) begin : g_lane
            logic [ROW-1:0] delta[CF];  // current XOR file, per fold
            wire [ROW-1:0] file_row[CF];
            initial begin
                for (int fi = 0; fi < CF; fi++) delta[fi] = '0;
            end
            for (genvar fi = 0; fi < CF; fi++) begin : g_fold
                for (genvar i = 0; i < N; i++) begin : g_thr
                    assign file_row[fi][i * T_BITS +: T_BITS] = thr[(fi * PE + l) * N + i];
                end
            end
            always_ff @(posedge ap_clk) begin
                if (do_write && a_ok && a_lane == LW'(l))
                    for (int i = 0; i < N; i++)
                        if (a_slot == SW'(i)) delta[a_fold][i * T_BITS +: T_BITS] <= a_new ^ a_file_t;
            end
            assign s_row[l] = delta[fold] ^ file_row[fold];
            assign a_delta[l] = delta[a_fold];
            assign a_file[l] = file_row[a_fold];
        end

        always_ff @(posedge ap_clk) begin
            if (s_axilite_AWVALID && !aw_full) aw_addr <= s_axilite_AWADDR;
            if (s_axilite_WVALID && !w_full) begin
                w_data <= s_axilite_WDATA;
                w_strb <= s_axilite_WSTRB;
            end
            if (s_axilite_ARVALID && !ar_full) ar_addr <= s_axilite_ARADDR;
            if (do_write) b_resp <= a_ok ? OKAY : SLVERR;
            if (do_read) begin
                r_data <= a_ok ? sext(a_old) : '0;
                r_resp <= a_ok ? OKAY : SLVERR;
            end
        end

        assign s_axilite_AWREADY = !aw_full;
        assign s_axilite_WREADY = !w_full;
        assign s_axilite_BVALID = b_valid;
        assign s_axilite_BRESP = b_resp;
        assign s_axilite_ARREADY = !ar_full;
        assign s_axilite_RVALID = r_valid;
        assign s_axilite_RDATA = r_data;
        assign s_axilite_RRESP = r_resp;

        // ------------------------------------------------------------ parallel compare
        logic [PE-1:0][N-1:0] hits;
        logic hits_valid;

        always_ff @(posedge ap_clk) begin
            if (!ap_rst_n) begin
                hits_valid <= 1'b0;
                c_valid <= 1'b0;
            end else begin
                hits_valid <= accept;
                c_valid <= hits_valid;
            end
        end

        always_ff @(posedge ap_clk) begin
            for (int l = 0; l < PE; l++) begin
                for (int i = 0; i < N; i++)
                    hits[l][i] <= signed'(xin[l * XW +: XW])
                        >= XW'(signed'(s_row[l][i * T_BITS +: T_BITS]));
                c_count[l * CW +: CW] <= popcount(hits[l]);
            end
        end
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
