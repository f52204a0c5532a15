// fx_label_select: FINN LabelSelect, the indices of the K largest of LABELS values.
//
// Input: LABELS/PE beats per frame, PE lanes of IN_BITS (two's complement if IN_SIGNED),
// lane p of beat b is label b*PE + p. Output: K beats per frame, one OUT_BITS index each,
// largest value first; equal values keep the lower index first (ONNX TopK / numpy stable
// argsort of -x).
//
// Why lane lists and a merge tree: inserting all PE lanes of a beat into one sorted list
// chains PE·K compare/insert steps in one cycle (logic depth ~20 at PE 20, minutes of
// synthesis). Here each lane keeps its own sorted list of KL = min(K, LABELS/PE) entries:
// lane p only sees labels b*PE + p, in index order, so one compare and shift per entry per
// cycle, a new value going after equal ones, gives the tie rule. At a frame's end the PE
// lane lists are final; in the next cycle the first of M = clog2(PE) merge levels reads them
// (so they need no second copy: a beat that would overwrite them before that level took
// them waits), and each level, one register stage, merges pairs of neighbouring lists into
// their top K. A merge ranks entries instead of swapping them: A[j] lands at j + (number of
// B entries beating it), read off the A[j]-vs-B[m] compares for j + m < K (K(K+1)/2 of
// them), so a level is one compare and a one-hot select (depth ~8 at 16 bits). A bitonic
// merge needs fewer compares for K >= 4 but log2 K + 1 stages of swap multiplexers on
// every entry bit, which cost more LUTs and flip-flops than the select. For K = 1 a level
// is a max: the tree is a pipelined max tree. Order between two lists: their lanes are
// disjoint ranges, A's below B's, so A[j] beats B[m] iff value_A > value_B, or equal
// values and beat_A <= beat_B (then index_A < index_B): entries carry (value, beat, lane)
// and compare value and beat as one key, {value, ~beat} >= (values stored with the sign
// bit flipped, so unsigned compares order two's complement). The index b*PE + lane is
// formed when the K winners enter the result queue.
// The merge levels advance together unless the last one has a frame and the 2-frame result
// queue is full; the output drains the queue one index per cycle while the next frames are
// read, so throughput stays max(LABELS/PE, K) cycles per frame. Latency: the first index
// is valid M + 1 cycles after a frame's last input beat (1 at PE = 1, where the lane list
// goes to the queue directly). in0_V_TREADY depends only on registers.
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
    localparam int KL = K < NB ? K : NB;  // entries of a lane list (all valid at a frame's end)
    localparam int M = PE > 1 ? $clog2(PE) : 0;  // merge levels
    localparam int MS = M > 0 ? M : 1;
    localparam int PW = PE > 1 ? $clog2(PE) : 1;
    localparam logic [IN_BITS-1:0] FLIP = IN_BITS'(IN_SIGNED != 0) << (IN_BITS - 1);

    if (LABELS % PE != 0) begin : g_bad_fold
        $error("fx_label_select: LABELS must be a multiple of PE");
    end
    if (K < 1 || K > LABELS) begin : g_bad_k
        $error("fx_label_select: K must be in 1..LABELS");
    end
    if (LABELS - 1 >= (1 << OUT_BITS)) begin : g_bad_out
        $error("fx_label_select: OUT_BITS too narrow for LABELS - 1");
    end

    typedef struct packed {
        logic [IN_BITS-1:0] u;  // value, sign bit flipped
        logic [BCW-1:0] b;      // beat
        logic [PW-1:0] l;       // lane
    } entry_t;
    typedef entry_t [K-1:0] list_t;

    // Entries of list i of merge level m (level 0: the lanes): its lanes times KL, at most K.
    function automatic int len(int m, int i);
        int lanes = PE - (i << m);
        if (lanes > (1 << m)) lanes = 1 << m;
        return lanes * KL < K ? lanes * KL : K;
    endfunction

    // Lists of merge level m (level 0: the lanes).
    function automatic int lists(int m);
        return ((PE - 1) >> m) + 1;
    endfunction

    // Whether entry x goes before entry y of a list of higher lanes.
    function automatic logic beats(logic [IN_BITS-1:0] xu, logic [BCW-1:0] xb,
                                   logic [IN_BITS-1:0] yu, logic [BCW-1:0] yb);
        return {xu, ~xb} >= {yu, ~yb};
    endfunction

    // The first `len(m, i)` entries of the union of lists a (len(m-1, 2i) entries) and b
    // (len(m-1, 2i+1)), both sorted: A[j] goes to j + (B entries beating it), B[n] likewise.
    function automatic list_t merge(list_t a, list_t b, int m, int i);
        int na = len(m - 1, 2 * i), nb = len(m - 1, 2 * i + 1), nc = len(m, i);
        logic w[K][K];  // w[j][n]: A[j] beats B[n]
        list_t c = '0;
        for (int j = 0; j < K; j++)
            for (int n = 0; n < K; n++) w[j][n] = j < na && n < nb && j + n < nc && beats(a[j].u, a[j].b, b[n].u, b[n].b);
        for (int r = 0; r < nc; r++) begin
            for (int j = 0; j <= r && j < na; j++)
                if (r - j <= nb && (r == j || !w[j][r == j ? 0 : r-j-1]) && (r - j == nb || w[j][r-j])) c[r] |= a[j];
            for (int n = 0; n <= r && n < nb; n++)
                if (r - n <= na && (r == n || w[r == n ? 0 : r-n-1][n]) && (r - n == na || !w[r-n][n])) c[r] |= b[n];
        end
        return c;
    endfunction

    logic [BCW-1:0] beat;
    wire last = beat == BCW'(NB - 1);

    // Result queue: 2 frames of K (beat, lane) pairs.
    typedef struct packed {
        logic [BCW-1:0] b;
        logic [PW-1:0] l;
    } pos_t;
    pos_t q[2][K];
    logic qhead;
    logic [1:0] qcount;
    logic [KCW-1:0] kpos;
    pos_t head;
    assign head = q[qhead][kpos];
    assign out0_V_TVALID = qcount != 2'd0;
    assign out0_V_TDATA = OUT_W'(OUT_BITS'(head.b) * OUT_BITS'(PE) + OUT_BITS'(head.l));
    wire pop = out0_V_TVALID && out0_V_TREADY;
    wire done = pop && kpos == KCW'(K - 1);

    // stg[0][p]: lane p's list; stg[m], 0 < m < M: merge level m's lists (registers).
    list_t [MS-1:0][PE-1:0] stg;  // packed: an unpacked array becomes a Yosys memory
    logic [PE-1:0][KL-1:0] lvld;
    logic [MS-1:0] sv;  // sv[m]: stg[m] holds a finished frame (m = 0: the lane lists)

    // Lane lists with this beat inserted.
    list_t [PE-1:0] ins;
    logic [PE-1:0][KL-1:0] insv;
    always_comb begin
        for (int p = 0; p < PE; p++) begin
            entry_t x;
            logic [KL-1:0] better;
            x.u = in0_V_TDATA[p*IN_BITS +: IN_BITS] ^ FLIP;
            x.b = beat;
            x.l = PW'(p);
            ins[p] = '0;
            insv[p] = lvld[p];
            for (int j = 0; j < KL; j++) better[j] = !lvld[p][j] || x.u > stg[0][p][j].u;
            for (int j = 0; j < KL; j++) begin
                ins[p][j] = stg[0][p][j];
                if (better[j]) begin
                    if (j == 0 || !better[j == 0 ? 0 : j - 1]) begin
                        ins[p][j] = x;
                        insv[p][j] = 1'b1;
                    end else begin
                        ins[p][j] = stg[0][p][j == 0 ? 0 : j - 1];
                        insv[p][j] = lvld[p][j == 0 ? 0 : j - 1];
                    end
                end
            end
        end
    end

    // Merge level m + 1 from stg[m] (the last level feeds the result queue).
    list_t [MS-1:0][PE-1:0] mrg;
    for (genvar m = 0; m < MS; m++) begin : g_level
        for (genvar i = 0; i < PE; i++) begin : g_list
            if (M == 0 || i >= lists(m + 1)) begin : g_none
                assign mrg[m][i] = '0;
            end else if (2 * i + 1 >= lists(m)) begin : g_pass
                assign mrg[m][i] = stg[m][2*i];
            end else begin : g_merge
                assign mrg[m][i] = merge(stg[m][2*i], stg[m][2*i+1], m + 1, i);
            end
        end
    end

    logic adv;  // the merge levels move on
    logic qpush;
    list_t qin;
    if (M == 0) begin : g_direct
        assign adv = 1'b1;
        assign in0_V_TREADY = !last || qcount != 2'd2;
        assign qpush = in0_V_TVALID && in0_V_TREADY && last;
        assign qin = ins[0];
    end else begin : g_tree
        assign adv = !(sv[M-1] && qcount == 2'd2);
        assign in0_V_TREADY = !sv[0] || adv;
        assign qpush = sv[M-1] && adv;
        assign qin = mrg[M-1][0];
    end
    wire push = in0_V_TVALID && in0_V_TREADY;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            beat <= '0;
            sv <= '0;
            qhead <= 1'b0;
            qcount <= '0;
            kpos <= '0;
            for (int p = 0; p < PE; p++) lvld[p] <= '0;
        end else begin
            if (push) begin
                beat <= last ? '0 : beat + 1'b1;
                for (int p = 0; p < PE; p++) lvld[p] <= last ? '0 : insv[p];
            end
            if (adv) sv <= MS'({sv, push && last});
            else if (push && last) sv[0] <= 1'b1;
            if (pop) kpos <= done ? '0 : kpos + 1'b1;
            if (done) qhead <= ~qhead;
            qcount <= qcount + 2'(qpush) - 2'(done);
        end
    end

    always_ff @(posedge ap_clk) begin
        if (push) stg[0] <= ins;
        if (adv)
            for (int m = 1; m < MS; m++) stg[m] <= mrg[m-1];
        if (qpush)
            for (int r = 0; r < K; r++) q[qhead ^ qcount[0]][r] <= '{qin[r].b, qin[r].l};
    end
endmodule
