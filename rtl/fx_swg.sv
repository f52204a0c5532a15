// fx_swg: sliding-window generator (FINN ConvolutionInputGenerator, im2col without padding).
//
// (1, IH, IW, C) -> (1, OH, OW, KH·KW·C); SIMD channels per beat, CF = C / SIMD beats per
// kernel position. The standard order streams every output pixel's patch as (kh, kw, cf)
// (qonnx Im2Col's (kh, kw, C), C fastest), the order an MVAU consumes. DEPTHWISE streams it
// as (cf, kh, kw): a VVAU computes each group of SIMD channels over the whole window before
// it moves to the next, so it needs all KH·KW positions of one channel fold back to back.
// OH = (IH - DH·(KH-1) - 1) / SH + 1, OW likewise. 1-D windows are IH = KH = 1 (or
// IW = KW = 1).
//
// Line buffer: a circular memory of M beats; input beat i (counted across frames) lives at
// i mod M. A patch spans BUF_MIN = ((KH-1)·DH·IW + (KW-1)·DW + 1)·CF beats from its
// top-left beat `base`. Two signed registers replace absolute beat indices, so no counter
// is wider than the buffer: filled = written - base (the writer takes a beat while
// filled < M, i.e. filled != M) and gap = written - j, j the beat the reader needs next
// (the reader emits while gap > 0). Every reader step moves j by a constant (a kernel
// column, row or channel fold, the next patch, the next row, the next frame), so the read
// address, filled and gap each advance by a constant chosen by which counters wrap.
// Frames follow each other seamlessly: the frame's last patch steps to the next frame's
// first beat, TAIL = IH·IW·CF - base of the last patch further on.
//
// M = BUF_MIN + EXTRA. At a patch step the writer may fill J beats ahead (J = SW·CF along
// a row, J_ROW = (SH·IW - (OW-1)·SW)·CF at a row end); the reader needs the newest of
// them LAG beats of reading time after the patch starts, LAG = KH·KW·CF in the standard
// order (whose reads ascend), KH·KW + CF - 1 in the depthwise one (fold 0 reaches the
// patch's bottom-right beat after KH·KW reads). EXTRA = max(0, J_MAX - LAG + 1) beats
// more let the writer run that far ahead, so patches follow without a stall; a stride-1
// layer in the standard order needs none (M = BUF_MIN: the 16x16x32 SIMD 4 3x3 anchor
// keeps 280 beats). Checked against the previous M = BUF_MIN + SH·IW·CF over random
// windows with the token model: never slower.
//
// Memory: RAM_STYLE as FINN's ram_style: "distributed" (LUT RAM), "block" (RAMB18/36),
// "ultra" (block RAM here: xc7 has no UltraRAM), "auto" (distributed up to 128 beats or
// 4 kbit, block above, as fx_memstream). The read is registered and that register is the
// output (TDATA straight from the RAM's output latch); it loads whenever it is empty or
// being taken, so out0_V_TREADY only gates the read enable and the reader's counters.
// in0_V_TREADY comes from filled alone: no combinational path from out0_V_TREADY to it.
// A beat is never written where the reader reads in the same cycle (the writer stays
// M beats behind `base`, the reader reads only written beats).
//
// Cycles per frame at full throughput (one frame): the reader emits the first patch while
// the buffer fills, so it ends with the fill: BUF_MIN + (OH·OW - 1)·KH·KW·CF, or the
// input time IH·IW·CF when that is larger, + 2 of latency. DEPTHWISE adds
// (CF-1)·(KH·KW-1): the first fold needs the patch's last kernel position before the
// other folds can follow.
module fx_swg #(
    parameter int IH = 4,
    parameter int IW = 4,
    parameter int C = 1,
    parameter int KH = 3,
    parameter int KW = 3,
    parameter int SH = 1,
    parameter int SW = 1,
    parameter int DH = 1,
    parameter int DW = 1,
    parameter int SIMD = 1,
    parameter int BITS = 8,
    parameter bit DEPTHWISE = 0,
    // up to 11 characters, not a `string`: Yosys's own Verilog frontend reads no `string`
    parameter logic [87:0] RAM_STYLE = "auto"
) (
    input  logic                    ap_clk,
    input  logic                    ap_rst_n,
    input  logic [WP-1:0]           in0_V_TDATA,
    input  logic                    in0_V_TVALID,
    output logic                    in0_V_TREADY,
    output logic [WP-1:0]           out0_V_TDATA,
    output logic                    out0_V_TVALID,
    input  logic                    out0_V_TREADY
);
    localparam int W = SIMD * BITS;
    localparam int WP = (W + 7) / 8 * 8;
    localparam int CF = C / SIMD;
    localparam int OH = (IH - DH * (KH - 1) - 1) / SH + 1;
    localparam int OW = (IW - DW * (KW - 1) - 1) / SW + 1;
    localparam int TOTAL = IH * IW * CF;
    localparam int BUF_MIN = ((KH - 1) * DH * IW + (KW - 1) * DW + 1) * CF;

    // reader steps of j, in beats: along the patch, to the next patch / row / frame
    localparam int OX_STEP = SW * CF;
    localparam int J_ROW = (SH * IW - (OW - 1) * SW) * CF;
    localparam int TAIL = TOTAL - ((OH - 1) * SH * IW + (OW - 1) * SW) * CF;
    localparam int J_MAX = OH > 1 && J_ROW > OX_STEP ? J_ROW : OX_STEP;
    localparam int LAG = DEPTHWISE ? KH * KW + CF - 1 : KH * KW * CF;
    localparam int EXTRA = J_MAX - LAG + 1 > 0 ? J_MAX - LAG + 1 : 0;
    localparam int M = BUF_MIN + EXTRA;
    localparam int AW = M > 1 ? $clog2(M) : 1;

    // patch counters, innermost first: (f, kx, ky) standard, (kx, ky, f) depthwise
    localparam int L0 = DEPTHWISE ? KW : CF;
    localparam int L1 = DEPTHWISE ? KH : KW;
    localparam int L2 = DEPTHWISE ? CF : KH;
    localparam int KX_J = DW * CF;           // one kernel column
    localparam int KY_J = DH * IW * CF;      // one kernel row
    localparam int S0 = DEPTHWISE ? KX_J : 1;
    localparam int S1 = DEPTHWISE ? KY_J - (KW - 1) * KX_J : KX_J - (CF - 1);
    localparam int S2 = DEPTHWISE ? 1 - (KH - 1) * KY_J - (KW - 1) * KX_J
                                  : KY_J - (KW - 1) * KX_J - (CF - 1);
    // from a patch's last beat (offset BUF_MIN - 1) to the next patch's / row's / frame's base
    localparam int SX = OX_STEP - (BUF_MIN - 1);
    localparam int SY = J_ROW - (BUF_MIN - 1);
    localparam int SF = TAIL - (BUF_MIN - 1);

    // filled in [BUF_MIN - J, M], gap in [1 - J, M], J the largest jump of base
    localparam int RANGE = M > TAIL ? (M > J_ROW ? M : J_ROW) : (TAIL > J_ROW ? TAIL : J_ROW);
    localparam int FW = $clog2(RANGE + 1) + 1;

    localparam int B0 = L0 > 1 ? $clog2(L0) : 1;
    localparam int B1 = L1 > 1 ? $clog2(L1) : 1;
    localparam int B2 = L2 > 1 ? $clog2(L2) : 1;
    localparam int BX = OW > 1 ? $clog2(OW) : 1;
    localparam int BY = OH > 1 ? $clog2(OH) : 1;

    localparam logic [87:0] AUTO = "auto", DISTRIBUTED = "distributed", BLOCK_RAM = "block",
        ULTRA = "ultra";
    localparam bit BLOCK = RAM_STYLE == BLOCK_RAM || RAM_STYLE == ULTRA
        || (RAM_STYLE == AUTO && M > 128 && M * W > 4096);

    if (RAM_STYLE != AUTO && RAM_STYLE != DISTRIBUTED && RAM_STYLE != BLOCK_RAM && RAM_STYLE != ULTRA)
    begin : g_bad_style
        $error("fx_swg: RAM_STYLE must be \"auto\", \"distributed\", \"block\" or \"ultra\"");
    end
    if (OH < 1 || OW < 1 || C % SIMD != 0) begin : g_bad_window
        $error("fx_swg: the dilated kernel must fit the image and SIMD divide C");
    end

    // a step s as the addend in [0, M) that moves an address by s (mod M)
    function automatic logic [AW-1:0] mod_m(input int s);
        mod_m = AW'(((s % M) + M) % M);
    endfunction
    localparam logic [AW-1:0] R0 = mod_m(S0), R1 = mod_m(S1), R2 = mod_m(S2);
    localparam logic [AW-1:0] RX = mod_m(SX), RY = mod_m(SY), RF = mod_m(SF);

    logic [AW-1:0] wr_addr, rd_addr;
    logic signed [FW-1:0] filled, gap;
    logic [B0-1:0] c0;
    logic [B1-1:0] c1;
    logic [B2-1:0] c2;
    logic [BX-1:0] ox;
    logic [BY-1:0] oy;
    logic [W-1:0] rd_data;

    assign in0_V_TREADY = filled != FW'(M);
    wire wr = in0_V_TVALID && in0_V_TREADY;
    wire push = gap > 0 && (!out0_V_TVALID || out0_V_TREADY);

    wire last0 = c0 == B0'(L0 - 1);
    wire last1 = c1 == B1'(L1 - 1);
    wire last2 = c2 == B2'(L2 - 1);
    wire last_ox = ox == BX'(OW - 1);
    wire last_oy = oy == BY'(OH - 1);
    wire patch_end = last0 && last1 && last2;

    // this push's step of j: the innermost counter that does not wrap decides
    // (step as a signed FW-bit number for gap and filled, step_m mod M for the address)
    logic signed [FW-1:0] step;
    logic [AW-1:0] step_m;
    always_comb begin
        if (!last0) {step, step_m} = {FW'(S0), R0};
        else if (!last1) {step, step_m} = {FW'(S1), R1};
        else if (!last2) {step, step_m} = {FW'(S2), R2};
        else if (!last_ox) {step, step_m} = {FW'(SX), RX};
        else if (!last_oy) {step, step_m} = {FW'(SY), RY};
        else {step, step_m} = {FW'(SF), RF};
    end
    // this push's drop of filled: base moves by the patch step plus BUF_MIN - 1
    wire signed [FW-1:0] base_step = patch_end && push ? step + FW'(BUF_MIN - 1) : '0;

    // rd_addr + step mod M: both candidate sums at once, the wrapped one if it is >= 0
    wire [AW:0] sum = {1'b0, rd_addr} + {1'b0, step_m};
    wire [AW:0] sum_wrapped = sum - (AW + 1)'(M);

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            wr_addr <= '0;
            rd_addr <= '0;
            filled <= '0;
            gap <= '0;
            c0 <= '0;
            c1 <= '0;
            c2 <= '0;
            ox <= '0;
            oy <= '0;
            out0_V_TVALID <= 1'b0;
        end else begin
            if (wr) wr_addr <= wr_addr == AW'(M - 1) ? '0 : wr_addr + 1'b1;
            filled <= filled + FW'(wr) - base_step;
            gap <= gap + FW'(wr) - (push ? step : '0);
            if (push) begin
                out0_V_TVALID <= 1'b1;
                rd_addr <= sum_wrapped[AW] ? sum[AW-1:0] : sum_wrapped[AW-1:0];
                c0 <= last0 ? '0 : c0 + 1'b1;
                if (last0) c1 <= last1 ? '0 : c1 + 1'b1;
                if (last0 && last1) c2 <= last2 ? '0 : c2 + 1'b1;
                if (patch_end) ox <= last_ox ? '0 : ox + 1'b1;
                if (patch_end && last_ox) oy <= last_oy ? '0 : oy + 1'b1;
            end else if (out0_V_TREADY) begin
                out0_V_TVALID <= 1'b0;
            end
        end
    end

    // One memory per style, each with the attribute Yosys and Vivado honour; the read
    // register with its enable is what maps onto a block RAM's output latch.
    if (BLOCK) begin : g_block
        (* ram_style = "block" *) logic [W-1:0] mem[M];
        always_ff @(posedge ap_clk) begin
            if (wr) mem[wr_addr] <= in0_V_TDATA[W-1:0];
            if (push) rd_data <= mem[rd_addr];
        end
    end else begin : g_dist
        (* ram_style = "distributed" *) logic [W-1:0] mem[M];
        always_ff @(posedge ap_clk) begin
            if (wr) mem[wr_addr] <= in0_V_TDATA[W-1:0];
            if (push) rd_data <= mem[rd_addr];
        end
    end
    assign out0_V_TDATA = WP'(rd_data);

    // the padding bits of the input beat are ignored
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_pad = ^in0_V_TDATA;
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
