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
    localparam int OUT_W = (PE * OUT_BITS + 7) / 8 * 8;
    localparam int CF = C / PE;
    localparam int FW = CF > 1 ? $clog2(CF) : 1;
    localparam int CW = $clog2(N + 1);
    // common signed comparison width, strictly wider than both operands
    localparam int XW = (IN_BITS > T_BITS ? IN_BITS : T_BITS) + 1;
    localparam int DEPTH = 3;
    localparam int IB = PE * IN_BITS;
    localparam int OB = PE * OUT_BITS;

    // ---------------------------------------------------------------- thresholds (ROM)
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
endmodule
