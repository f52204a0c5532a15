// fx_mvu_addtree: a pipelined balanced adder tree, N two's complement operands of IW bits
// plus N carry-in bits, sum modulo 2^OW, for fx_mvu's LUT dot products, canaries and
// segment sums.
//
// Why a tree of two-input adders with carry-ins: on 7-series fabric a two-input adder is one
// LUT per bit in front of the CARRY4 chain, and its chain takes one carry-in for free, so
// the -1 corrections of negated operands (~v + 1) ride on the chain instead of costing an
// adder of their own. A tree of N leaves has N - 1 adders; the one carry left over leaves
// on `co` (delayed with the sum) for the caller's accumulator. Node widths grow by one bit
// per level from IW up to OW, so the low levels stay narrow.
//
// A register follows every LPS levels (and the last), which bounds the logic depth between
// registers (LPS = 2 for sums up to 12 bits keeps it under 10 cells). Latency: 1 cycle for
// N = 1, else ceil(ceil(log2 N) / LPS) cycles.
// The registers have a reset so that synthesis keeps them as flip-flops: the delay lines
// of carries would otherwise be packed into SRL LUTs.
module fx_mvu_addtree #(
    parameter int N = 2,
    parameter int IW = 4,
    parameter int OW = 8,
    parameter int LPS = 1
) (
    input  logic            clk,
    input  logic            rst,
    input  logic [N*IW-1:0] in,
    input  logic [N-1:0]    ci,
    output logic [OW-1:0]   sum,
    output logic            co
);
    localparam int LEVELS = N > 1 ? $clog2(N) : 0;
    localparam int CAP = 1 << LEVELS;  // leaves padded to a power of two

    // width of a node at level l (leaves at level 0)
    function automatic int wl(input int l);
        return IW + l < OW ? IW + l : OW;
    endfunction

    // leaves, sign-extended to OW
    logic [OW-1:0] leaf[CAP];
    logic [CAP-1:0] lci;
    for (genvar k = 0; k < CAP; k++) begin : g_leaf
        if (k < N) begin : g_in
            wire signed [IW-1:0] v = in[k*IW +: IW];
            assign leaf[k] = OW'(v);
            assign lci[k] = ci[k];
        end else begin : g_pad
            assign leaf[k] = '0;
            assign lci[k] = 1'b0;
        end
    end

    for (genvar l = 0; l < LEVELS; l++) begin : g_lvl
        localparam int W = wl(l);
        localparam int WO = wl(l + 1);
        localparam bit REG = (l % LPS) == LPS - 1 || l == LEVELS - 1;
        localparam int M = CAP >> (l + 1);
        // this level's inputs: the leaves or the level below
        logic [OW-1:0] nin[2*M];
        logic [2*M-1:0] cin;
        if (l == 0) begin : g_first
            assign nin = leaf;
            assign cin = lci;
        end else begin : g_next
            assign nin = g_lvl[l-1].nout;
            assign cin = g_lvl[l-1].cout;
        end
        logic [OW-1:0] s[M], nout[M];
        logic [M-1:0] c, cout;
        for (genvar k = 0; k < M; k++) begin : g_node
            wire signed [W-1:0] a = nin[2*k][W-1:0];
            wire signed [W-1:0] b = nin[2*k+1][W-1:0];
            // one carry enters this adder; the other child's moves up a level
            wire signed [WO-1:0] r = WO'(a) + WO'(b) + WO'(cin[2*k]);
            assign s[k] = OW'(r);
            assign c[k] = cin[2*k+1];
        end
        if (REG) begin : g_reg
            always_ff @(posedge clk) begin
                if (rst) begin
                    cout <= '0;
                    for (int k = 0; k < M; k++) nout[k] <= '0;
                end else begin
                    cout <= c;
                    nout <= s;
                end
            end
        end else begin : g_comb
            assign nout = s;
            assign cout = c;
        end
    end

    if (LEVELS == 0) begin : g_one
        always_ff @(posedge clk) begin
            if (rst) begin
                sum <= '0;
                co <= 1'b0;
            end else begin
                sum <= leaf[0];
                co <= lci[0];
            end
        end
    end else begin : g_many
        assign sum = g_lvl[LEVELS-1].nout[0];
        assign co = g_lvl[LEVELS-1].cout[0];
    end
endmodule
