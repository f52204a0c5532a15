// fx_swg_parallel: sliding-window generator emitting one whole window per beat (FINN's
// ConvolutionInputGenerator_rtl with parallel_window = 1), im2col without padding.
//
// (1, IH, IW, C) -> (1, OH, OW, KH·KW·C). Every input beat is one pixel (C elements, SIMD =
// C); every output beat is one output pixel's whole patch, KH·KW·C elements in (kh, kw, c)
// order, element 0 in the LSBs (qonnx Im2Col's order, what an MVAU with SIMD = KH·KW·C
// takes in one beat). OH = (IH - DH·(KH-1) - 1) / SH + 1, OW likewise; 1-D windows are
// IH = KH = 1 (or IW = KW = 1).
//
// Why a shift register: pixels arrive in raster order, so when the bottom-right pixel of a
// window arrives, its other pixels are the ones that arrived (KH-1-ky)·DH·IW + (KW-1-kx)·DW
// beats earlier - fixed distances. A shift register of D = (KH-1)·DH·IW + (KW-1)·DW pixels
// (the span of one window minus its newest pixel, less than (KH-1)·DH + 1 rows) that
// shifts once per accepted beat therefore holds the whole window at fixed taps, and the
// window is complete in the very cycle its last pixel is accepted: no read addressing, no
// multiplexers, and one window per input beat at most, so the module is input-bound. The
// taps are plain registers (shift-with-enable, no reset: synthesis maps the untapped runs
// to SRL16/SRL32 LUTs); that suits the small images of CNV-style networks (30x30x64 1-bit
// is 4k bits). Frames follow each other without a gap: stale pixels of the previous frame
// are never part of a window that is emitted.
//
// Each accepted beat that completes a window pushes it into a 2-deep fx_fifo. in0_V_TREADY
// is !hit || fifo_ready, both from registers (hit: the next beat's position completes a
// window, from the position counters), never from out0_V_TREADY; pixels that complete no
// window pass even while the output is stalled.
//
// Cycles at full throughput: one input beat per cycle, so a frame takes IH·IW cycles in
// steady state. A single frame's last window is out one cycle after its bottom-right pixel
// P = ((OH-1)·SH + (KH-1)·DH)·IW + (OW-1)·SW + (KW-1)·DW is accepted: P + 2 cycles.
// Measured (tests/rtl/test_swg_parallel.py): 7x7x3 k3 50 cycles for one frame, 49 per
// frame back to back; 9x9x64 k3 82 / 81. SWGOp.cycles() (IH·IW + 2) matches.
module fx_swg_parallel #(
    parameter int IH = 4,
    parameter int IW = 4,
    parameter int C = 1,
    parameter int KH = 3,
    parameter int KW = 3,
    parameter int SH = 1,
    parameter int SW = 1,
    parameter int DH = 1,
    parameter int DW = 1,
    parameter int BITS = 8
) (
    input  logic                    ap_clk,
    input  logic                    ap_rst_n,
    input  logic [WPI-1:0]          in0_V_TDATA,
    input  logic                    in0_V_TVALID,
    output logic                    in0_V_TREADY,
    output logic [WPO-1:0]          out0_V_TDATA,
    output logic                    out0_V_TVALID,
    input  logic                    out0_V_TREADY
);
    localparam int PW = C * BITS;                // one pixel
    localparam int WPI = (PW + 7) / 8 * 8;
    localparam int OWIN = KH * KW * PW;          // one window
    localparam int WPO = (OWIN + 7) / 8 * 8;
    localparam int OH = (IH - DH * (KH - 1) - 1) / SH + 1;
    localparam int OW = (IW - DW * (KW - 1) - 1) / SW + 1;
    localparam int D = (KH - 1) * DH * IW + (KW - 1) * DW;  // shift register length
    // the rows / columns at which a window's bottom-right pixel lies: first and last
    localparam int Y0 = (KH - 1) * DH;
    localparam int X0 = (KW - 1) * DW;
    localparam int YL = Y0 + (OH - 1) * SH;
    localparam int XL = X0 + (OW - 1) * SW;
    localparam int XB = IW > 1 ? $clog2(IW) : 1;
    localparam int YB = IH > 1 ? $clog2(IH) : 1;

    if (OH < 1 || OW < 1) begin : g_bad_window
        $error("fx_swg_parallel: the dilated kernel does not fit the image");
    end

    wire [PW-1:0] pixel = in0_V_TDATA[PW-1:0];

    // ---------------------------------------------------------------- position counters
    logic [XB-1:0] x, nx;  // column of the next input beat; next column ending a window
    logic [YB-1:0] y, ny;  // row of the next input beat; next row ending a window

    wire fifo_ready;
    wire hit = x == nx && y == ny;
    assign in0_V_TREADY = !hit || fifo_ready;
    wire wr = in0_V_TVALID && in0_V_TREADY;
    wire push = wr && hit;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            x <= '0;
            y <= '0;
            nx <= XB'(X0);
            ny <= YB'(Y0);
        end else if (wr) begin
            if (x == XB'(IW - 1)) begin
                x <= '0;
                nx <= XB'(X0);
                if (y == YB'(IH - 1)) begin
                    y <= '0;
                    ny <= YB'(Y0);
                end else begin
                    y <= y + 1'b1;
                    if (y == ny && ny != YB'(YL)) ny <= ny + YB'(SH);
                end
            end else begin
                x <= x + 1'b1;
                if (x == nx && nx != XB'(XL)) nx <= nx + XB'(SW);
            end
        end
    end

    // ---------------------------------------------------------------- window taps
    logic [OWIN-1:0] window;

    if (D > 0) begin : g_taps
        logic [PW-1:0] sr[D];  // sr[k]: the pixel accepted k + 1 beats ago

        always_ff @(posedge ap_clk) begin
            if (wr) begin
                sr[0] <= pixel;
                for (int k = 1; k < D; k++) sr[k] <= sr[k - 1];
            end
        end

        for (genvar ky = 0; ky < KH; ky++) begin : g_ky
            for (genvar kx = 0; kx < KW; kx++) begin : g_kx
                localparam int DIST = (KH - 1 - ky) * DH * IW + (KW - 1 - kx) * DW;
                if (DIST == 0) begin : g_new
                    assign window[(ky * KW + kx) * PW +: PW] = pixel;
                end else begin : g_old
                    assign window[(ky * KW + kx) * PW +: PW] = sr[DIST - 1];
                end
            end
        end
    end else begin : g_pointwise
        assign window = pixel;  // 1x1 kernel: the window is the pixel
    end

    logic [OWIN-1:0] fifo_out;
    // "ram" style: a window is hundreds of bits wide; LUT RAM stores 6 bits per RAM32M
    // (4 LUTs), fewer LUTs than one SRL per bit (576-bit window: 96 RAM32M, 384 LUTs, vs
    // 576 SRL16E in Yosys synth_xilinx), and the SRL style's per-bit generate blocks would
    // swell the Verilator model (past the size at which it needs precompiled headers).
    fx_fifo #(.WIDTH(OWIN), .DEPTH(2), .STYLE("ram")) out_fifo (
        .ap_clk(ap_clk),
        .ap_rst_n(ap_rst_n),
        .in0_V_TDATA(window),
        .in0_V_TVALID(push),
        .in0_V_TREADY(fifo_ready),
        .out0_V_TDATA(fifo_out),
        .out0_V_TVALID(out0_V_TVALID),
        .out0_V_TREADY(out0_V_TREADY)
    );
    assign out0_V_TDATA = WPO'(fifo_out);

    // the padding bits of the input beat are ignored
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_pad = ^in0_V_TDATA;
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
