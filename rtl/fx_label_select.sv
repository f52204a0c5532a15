// fx_label_select: FINN LabelSelect, the indices of the K largest of LABELS values.
//
// Input: LABELS/PE beats per frame, PE lanes of IN_BITS (two's complement if IN_SIGNED),
// lane p of beat b is label b*PE + p. Output: K beats per frame, one OUT_BITS index each,
// largest value first; equal values keep the lower index first (ONNX TopK / numpy stable
// argsort of -x).
// A sorted top-K list (value, index, valid) is updated with all PE lanes of a beat in one
// cycle (a chain of PE insertion stages; a new value goes after existing equal ones, and
// labels arrive in index order, which gives the tie rule). On a frame's last beat the K
// indices go into a 2-entry result queue that the output drains one index per cycle while
// the next frame is read, so throughput is max(LABELS/PE, K) cycles per frame, and a frame's
// first index leaves one cycle after its last input beat (latency LABELS/PE + 1, then K
// beats). in0_V_TREADY depends only on registers (beat counter, queue fill).
// Ports padded to multiples of 8 bits; input padding ignored, output padding 0.
module fx_label_select #(
    parameter int LABELS = 10,
    parameter int PE = 1,
    parameter int K = 1,
    parameter int IN_BITS = 8,
    parameter int IN_SIGNED = 0,
    parameter int OUT_BITS = 8
) (
    input  logic             ap_clk,
    input  logic             ap_rst_n,
    // verilator lint_off UNUSEDSIGNAL
    input  logic [IN_W-1:0]  in0_V_TDATA,
    // verilator lint_on UNUSEDSIGNAL
    input  logic             in0_V_TVALID,
    output logic             in0_V_TREADY,
    output logic [OUT_W-1:0] out0_V_TDATA,
    output logic             out0_V_TVALID,
    input  logic             out0_V_TREADY
);
    localparam int IN_W = (PE * IN_BITS + 7) / 8 * 8;
    localparam int OUT_W = (OUT_BITS + 7) / 8 * 8;
    localparam int NB = LABELS / PE;
    localparam int BCW = NB > 1 ? $clog2(NB) : 1;
    localparam int KCW = K > 1 ? $clog2(K) : 1;
    localparam int VW = IN_BITS + 1;  // values compared as signed VW-bit numbers

    if (LABELS % PE != 0) begin : g_bad_fold
        $error("fx_label_select: LABELS must be a multiple of PE");
    end
    if (K < 1 || K > LABELS) begin : g_bad_k
        $error("fx_label_select: K must be in 1..LABELS");
    end
    if (LABELS - 1 >= (1 << OUT_BITS)) begin : g_bad_out
        $error("fx_label_select: OUT_BITS too narrow for LABELS - 1");
    end

    // Running top-K of the current frame.
    logic signed [VW-1:0] val[K];
    logic [OUT_BITS-1:0] idx[K];
    logic [K-1:0] vld;
    logic [BCW-1:0] beat;
    wire last = beat == BCW'(NB - 1);

    // Result queue: 2 frames of K indices.
    logic [OUT_BITS-1:0] q[2][K];
    logic qhead;
    logic [1:0] qcount;
    logic [KCW-1:0] kpos;

    assign in0_V_TREADY = !last || qcount != 2'd2;
    wire push = in0_V_TVALID && in0_V_TREADY;
    assign out0_V_TVALID = qcount != 2'd0;
    assign out0_V_TDATA = OUT_W'(q[qhead][kpos]);
    wire pop = out0_V_TVALID && out0_V_TREADY;
    wire done = pop && kpos == KCW'(K - 1);

    // The list after inserting the PE lanes of the current input beat.
    logic signed [VW-1:0] nval[K];
    logic [OUT_BITS-1:0] nidx[K];
    logic [K-1:0] nvld;
    always_comb begin
        logic signed [VW-1:0] cval[K];
        logic [OUT_BITS-1:0] cidx[K];
        logic [K-1:0] cvld;
        logic [K-1:0] better;
        logic signed [VW-1:0] x;
        logic [OUT_BITS-1:0] xi;
        logic [IN_BITS-1:0] lane;
        cval = val;
        cidx = idx;
        cvld = vld;
        for (int p = 0; p < PE; p++) begin
            lane = in0_V_TDATA[p*IN_BITS +: IN_BITS];
            x = {IN_SIGNED != 0 ? lane[IN_BITS-1] : 1'b0, lane};
            xi = OUT_BITS'(32'(beat) * PE + p);
            for (int j = 0; j < K; j++) better[j] = !cvld[j] || x > cval[j];
            for (int j = K - 1; j >= 0; j--) begin
                if (better[j]) begin
                    if (j == 0 || !better[j == 0 ? 0 : j - 1]) begin
                        cval[j] = x;
                        cidx[j] = xi;
                        cvld[j] = 1'b1;
                    end else begin
                        cval[j] = cval[j == 0 ? 0 : j - 1];
                        cidx[j] = cidx[j == 0 ? 0 : j - 1];
                        cvld[j] = cvld[j == 0 ? 0 : j - 1];
                    end
                end
            end
        end
        nval = cval;
        nidx = cidx;
        nvld = cvld;
    end

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            vld <= '0;
            beat <= '0;
            qhead <= 1'b0;
            qcount <= '0;
            kpos <= '0;
        end else begin
            if (push) begin
                if (last) begin
                    beat <= '0;
                    vld <= '0;
                end else begin
                    beat <= beat + 1'b1;
                    vld <= nvld;
                end
            end
            if (pop) kpos <= done ? '0 : kpos + 1'b1;
            if (done) qhead <= ~qhead;
            qcount <= qcount + 2'(push && last) - 2'(done);
        end
    end

    always_ff @(posedge ap_clk) begin
        if (push) begin
            val <= nval;
            idx <= nidx;
            if (last) q[qhead ^ qcount[0]] <= nidx;
        end
    end
endmodule
