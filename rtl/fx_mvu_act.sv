// fx_mvu_act: fx_mvu's fused multi-threshold activation, y = #{i < N : acc >= T[ch][i]}
// (+ BIAS, or the bipolar 0/1 code when OUT_BIPOLAR = 1) for the PE accumulators of each
// fold, in fold order.
//
// Why fx_threshold_search: channel ch = nf·PE + pe, so PE lane pe only ever needs the
// thresholds of its own channels, indexed by the neuron fold; the search core keeps exactly
// such per-lane tables (LUT-ROM, from THRESHOLDS_FILE in either layout) and decides the
// count's K = clog2(N + 1) bits by a pipelined binary search, one comparator per bit instead
// of N comparators and a popcount (a parallel compare of 4 lanes x 15 thresholds cost about
// 1000 LUTs in Yosys). It needs each channel's thresholds ascending, as FINN's are (the
// -t sv wrapper sorts them; the count does not depend on their order).
//
// Latency: ov follows v by K + 1 cycles (the search, then bias and output register).
module fx_mvu_act #(
    parameter int PE = 1,
    parameter int NF = 1,
    parameter int ACC_BITS = 16,
    parameter int N = 1,
    parameter int T_BITS = 16,
    parameter int OUT_BITS = 4,
    parameter int BIAS = 0,
    parameter int OUT_BIPOLAR = 0,
    parameter THRESHOLDS_FILE = "",
    parameter int THRESHOLDS_LAYOUT = 0  // fx_threshold_search's: 0 channel-major, 1 search trees
) (
    input  logic                   clk,
    input  logic                   rst,
    input  logic                   v,
    input  logic [PE*ACC_BITS-1:0] acc,
    output logic                   ov,
    output logic [PE*OUT_BITS-1:0] y
);
    localparam int NFW = NF > 1 ? $clog2(NF) : 1;
    localparam int XB = ACC_BITS > T_BITS ? ACC_BITS : T_BITS;
    localparam int K = $clog2(N + 1);

    // fold of the next result
    logic [NFW-1:0] onf;
    always_ff @(posedge clk) begin
        if (rst) onf <= '0;
        else if (v) onf <= onf == NFW'(NF - 1) ? '0 : onf + 1'b1;
    end

    logic [PE*XB-1:0] xs;
    for (genvar pe = 0; pe < PE; pe++) begin : g_x
        assign xs[pe*XB +: XB] = XB'($signed(acc[pe*ACC_BITS +: ACC_BITS]));
    end
    logic cv;
    logic [PE*K-1:0] cnt;
    fx_threshold_search #(
        .C(NF * PE), .PE(PE), .N(N), .T_BITS(T_BITS), .X_BITS(XB),
        .X_MAX((longint'(1) <<< (ACC_BITS - 1)) - 1), .THRESHOLDS_FILE(THRESHOLDS_FILE),
        .THRESHOLDS_LAYOUT(THRESHOLDS_LAYOUT)
    ) u_search (
        .ap_clk(clk), .ap_rst_n(!rst), .en(1'b1), .in_valid(v), .in_fold(onf), .in_x(xs),
        .out_valid(cv), .out_count(cnt)
    );

    always_ff @(posedge clk) begin
        if (rst) ov <= 1'b0;
        else ov <= cv;
        for (int pe = 0; pe < PE; pe++) begin
            if (OUT_BIPOLAR != 0) y[pe*OUT_BITS +: OUT_BITS] <= OUT_BITS'(cnt[pe*K +: K]);
            else y[pe*OUT_BITS +: OUT_BITS] <= OUT_BITS'(int'(cnt[pe*K +: K]) + BIAS);
        end
    end
endmodule
