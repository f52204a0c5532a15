// fx_mvu_act: fx_mvu's fused multi-threshold activation, y = #{i < N : acc >= T[ch][i]}
// (+ BIAS, or the bipolar 0/1 code when OUT_BIPOLAR = 1) for the PE accumulators of each
// fold, in fold order.
//
// Why per-lane tables: channel ch = nf·PE + pe, so PE lane pe only ever needs the NF·N
// thresholds of its own channels. Each lane gets a table of NF words (N thresholds each)
// built from THRESHOLDS_FILE by constant-index reads (synthesis folds them into constants),
// and the word of the fold at hand is read into a register when the fold's result arrives
// (a registered read: LUT-ROM, one small function of the fold index per bit). Indexing the
// whole MH·N table by channel would instead build a full-table multiplexer per comparator.
//
// Pipeline: accumulators and thresholds registered (1), comparisons registered (2), the
// count of passed thresholds by a pipelined adder tree (ceil(log2(N)/2) cycles), bias and
// output register (1): ov follows v by 3 + ceil(log2(N)/2) cycles (3 for N = 1).
module fx_mvu_act #(
    parameter int PE = 1,
    parameter int NF = 1,
    parameter int ACC_BITS = 16,
    parameter int N = 1,
    parameter int T_BITS = 16,
    parameter int OUT_BITS = 4,
    parameter int BIAS = 0,
    parameter int OUT_BIPOLAR = 0,
    parameter THRESHOLDS_FILE = ""
) (
    input  logic                   clk,
    input  logic                   rst,
    input  logic                   v,
    input  logic [PE*ACC_BITS-1:0] acc,
    output logic                   ov,
    output logic [PE*OUT_BITS-1:0] y
);
    localparam int MH = NF * PE;
    localparam int NFW = NF > 1 ? $clog2(NF) : 1;
    localparam int CW = (ACC_BITS > T_BITS ? ACC_BITS : T_BITS) + 1;
    localparam int CNTW = $clog2(N + 1);
    localparam int CLEV = N > 1 ? $clog2(N) : 0;
    localparam int CLAT = N > 1 ? (CLEV + 1) / 2 : 0;

    logic [T_BITS-1:0] tmem[MH * N];
    initial begin
        if (THRESHOLDS_FILE != "") $readmemh(THRESHOLDS_FILE, tmem);
    end

    // fold of the next result
    logic [NFW-1:0] onf;
    always_ff @(posedge clk) begin
        if (rst) onf <= '0;
        else if (v) onf <= onf == NFW'(NF - 1) ? '0 : onf + 1'b1;
    end

    logic [CLAT+3:0] vd;  // v delayed
    assign vd[0] = v;
    always_ff @(posedge clk) begin
        if (rst) vd[CLAT+3:1] <= '0;
        else vd[CLAT+3:1] <= vd[CLAT+2:0];
    end

    for (genvar pe = 0; pe < PE; pe++) begin : g_pe
        logic [N*T_BITS-1:0] tab[NF];
        for (genvar f = 0; f < NF; f++) begin : g_f
            for (genvar i = 0; i < N; i++) begin : g_i
                assign tab[f][i*T_BITS +: T_BITS] = tmem[(f*PE + pe)*N + i];
            end
        end
        logic [ACC_BITS-1:0] aq;
        logic [N*T_BITS-1:0] tq;
        logic [N-1:0] ge;
        always_ff @(posedge clk) begin
            aq <= acc[pe*ACC_BITS +: ACC_BITS];
            tq <= tab[NF > 1 ? int'(onf) : 0];
            for (int i = 0; i < N; i++) begin
                ge[i] <= $signed(CW'($signed(aq))) >= $signed(CW'($signed(tq[i*T_BITS +: T_BITS])));
            end
        end
        logic [CNTW-1:0] cnt;
        if (N > 1) begin : g_count
            logic [2*N-1:0] bits;
            for (genvar i = 0; i < N; i++) begin : g_b
                assign bits[2*i +: 2] = {1'b0, ge[i]};
            end
            logic [CNTW-1:0] s;
            /* verilator lint_off UNUSEDSIGNAL */
            logic sco;
            /* verilator lint_on UNUSEDSIGNAL */
            fx_mvu_addtree #(.N(N), .IW(2), .OW(CNTW), .LPS(2)) u_cnt (
                .clk, .rst, .in(bits), .ci('0), .sum(s), .co(sco)
            );
            assign cnt = s;
        end else begin : g_one
            assign cnt = ge;
        end
        logic [OUT_BITS-1:0] yq;
        always_ff @(posedge clk) begin
            if (OUT_BIPOLAR != 0) yq <= OUT_BITS'(cnt);
            else yq <= OUT_BITS'(int'(cnt) + BIAS);
        end
        assign y[pe*OUT_BITS +: OUT_BITS] = yq;
    end
    assign ov = vd[CLAT+3];
endmodule
