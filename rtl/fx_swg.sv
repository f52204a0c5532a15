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
// Line buffer: a circular memory of M = BUF_MIN + SH·IW·CF beats, BUF_MIN =
// ((KH-1)·DH·IW + (KW-1)·DW + 1)·CF being the span of one patch (the last (KH-1)·DH
// rows plus one window width), the extra SH rows letting the writer fill the next output
// row while the reader emits the current one. Input beat i (frame order) lives at
// i mod M. The writer accepts beat i while i < base + M (base: the index of the current
// patch's top-left beat, the lowest index the reader will still read); the reader emits
// beat j once j < the number of beats written. Both conditions hold in either order, so
// DEPTHWISE only changes how the reader's counters nest. Memory reads are asynchronous
// (distributed RAM). Output beats go through a 2-deep fx_fifo, so in0_V_TREADY depends
// only on registers, never on out0_V_TREADY.
//
// Cycles per frame at full throughput: the reader emits the first patch while the buffer
// fills, so it ends with the fill: BUF_MIN + (OH·OW - 1)·KH·KW·CF, or the input time
// IH·IW·CF when that is larger, + 2 of latency. DEPTHWISE adds (CF-1)·(KH·KW-1): the first
// fold needs the patch's last kernel position before the other folds can follow.
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
    parameter bit DEPTHWISE = 0
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
    localparam int M = BUF_MIN + SH * IW * CF;
    localparam int AW = M > 1 ? $clog2(M) : 1;

    // the strides of the reader's counters, in beats
    localparam int KX_STEP = DW * CF;
    localparam int KY_STEP = DH * IW * CF;
    localparam int OX_STEP = SW * CF;
    localparam int OY_STEP = SH * IW * CF;

    logic [W-1:0] mem[M];

    // ---------------------------------------------------------------- writer
    int wr_count;           // beats of this frame written
    logic [AW-1:0] wr_addr; // wr_count mod M

    // ---------------------------------------------------------------- reader
    int f, kx, ky, ox, oy;
    int kx_off, ky_off;     // kx·DW·CF, ky·DH·IW·CF
    int base, row_base;     // top-left beat of the current patch / output row
    logic [AW-1:0] base_addr, row_base_addr;
    logic rd_done;          // the whole frame has been emitted

    wire fifo_ready;
    wire [AW:0] rd_sum = {1'b0, base_addr} + (AW + 1)'(ky_off + kx_off + f);
    wire [AW-1:0] rd_addr = AW'(rd_sum >= (AW + 1)'(M) ? rd_sum - (AW + 1)'(M) : rd_sum);
    wire rd_avail = base + ky_off + kx_off + f < wr_count;
    wire push = !rd_done && rd_avail && fifo_ready;

    assign in0_V_TREADY = wr_count < TOTAL && (rd_done || wr_count < base + M);
    wire wr = in0_V_TVALID && in0_V_TREADY;

    // a + step mod M, for 0 <= step < M (OX_STEP, OY_STEP < M)
    function automatic logic [AW-1:0] add_mod(input logic [AW-1:0] a, input int step);
        return AW'(int'(a) + step >= M ? int'(a) + step - M : int'(a) + step);
    endfunction

    wire last_f = f == CF - 1;
    wire last_kx = kx == KW - 1;
    wire last_ky = ky == KH - 1;
    wire last_ox = ox == OW - 1;
    wire last_oy = oy == OH - 1;

    // which patch counters advance with this beat: f, kx, ky nest innermost first in the
    // standard order, kx, ky, f in the depthwise one; the patch ends with all three last
    wire step_f = DEPTHWISE ? last_kx && last_ky : 1'b1;
    wire step_kx = DEPTHWISE ? 1'b1 : last_f;
    wire step_ky = DEPTHWISE ? last_kx : last_f && last_kx;
    wire last_patch = last_f && last_kx && last_ky;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n || (rd_done && wr_count == TOTAL)) begin
            wr_count <= 0;
            wr_addr <= '0;
            f <= 0;
            kx <= 0;
            ky <= 0;
            ox <= 0;
            oy <= 0;
            kx_off <= 0;
            ky_off <= 0;
            base <= 0;
            row_base <= 0;
            base_addr <= '0;
            row_base_addr <= '0;
            rd_done <= 1'b0;
        end else begin
            if (wr) begin
                wr_count <= wr_count + 1;
                wr_addr <= wr_addr == AW'(M - 1) ? '0 : wr_addr + 1'b1;
            end
            if (push) begin
                if (step_f) f <= last_f ? 0 : f + 1;
                if (step_kx) begin
                    kx <= last_kx ? 0 : kx + 1;
                    kx_off <= last_kx ? 0 : kx_off + KX_STEP;
                end
                if (step_ky) begin
                    ky <= last_ky ? 0 : ky + 1;
                    ky_off <= last_ky ? 0 : ky_off + KY_STEP;
                end
                if (last_patch) begin
                    if (!last_ox) begin
                        ox <= ox + 1;
                        base <= base + OX_STEP;
                        base_addr <= add_mod(base_addr, OX_STEP);
                    end else begin
                        ox <= 0;
                        if (!last_oy) begin
                            oy <= oy + 1;
                            row_base <= row_base + OY_STEP;
                            base <= row_base + OY_STEP;
                            row_base_addr <= add_mod(row_base_addr, OY_STEP);
                            base_addr <= add_mod(row_base_addr, OY_STEP);
                        end else begin
                            rd_done <= 1'b1;
                        end
                    end
                end
            end
        end
    end

    always_ff @(posedge ap_clk) begin
        if (wr) mem[wr_addr] <= in0_V_TDATA[W-1:0];
    end

    logic [W-1:0] fifo_out;
    fx_fifo #(.WIDTH(W), .DEPTH(2)) out_fifo (
        .ap_clk(ap_clk),
        .ap_rst_n(ap_rst_n),
        .in0_V_TDATA(mem[rd_addr]),
        .in0_V_TVALID(push),
        .in0_V_TREADY(fifo_ready),
        .out0_V_TDATA(fifo_out),
        .out0_V_TVALID(out0_V_TVALID),
        .out0_V_TREADY(out0_V_TREADY)
    );
    assign out0_V_TDATA = WP'(fifo_out);

    // the padding bits of the input beat are ignored
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_pad = ^in0_V_TDATA;
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
