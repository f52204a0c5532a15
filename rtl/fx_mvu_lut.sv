// fx_mvu_lut: fx_mvu's dot products and accumulators in LUT logic, for products that need
// no multiplier: XNOR popcounts, bipolar (±1) weights, and any 1-2 bit operand.
// acc[pe] = sum over the tiles of a fold of sum_s x[s]·w[pe][s], exact modulo 2^ACC_BITS;
// `ov` marks the cycle after a fold's last tile has been added (acc valid).
//
// Why no DSP: a product with a 1-2 bit (or bipolar) operand is one or two gated copies of
// the other operand, which a LUT computes in front of an adder's carry chain for free:
//   XNOR      leaf = #(x_s == w_s) over 3 columns (one 6-input LUT per result bit),
//             registered, then summed;
//   W_BIPOLAR term = ±x = (x ^ {neg}) + neg, the +1 as the adder's carry-in (the weight
//             is a 1-bit code, or a 2-bit two's complement ±1 whose sign bit is `neg`);
//   1-2 bits  for each bit b of the small operand (weights if W_BITS <= 2, else inputs):
//             term = bit ? (big << b) : 0, and for a signed operand's top bit the negative
//             bit ? ~(big << b) : 0 with carry-in bit.
// Terms are summed per PE by a pipelined adder tree (fx_mvu_addtree: one carry-in per
// adder, so the negations cost no extra adder) and accumulated: acc + sum + carry is one
// LUT per bit, the accumulator is cleared by its register reset when a fold ends, and
// `acc` captures the fold's last sum.
module fx_mvu_lut #(
    parameter int PE = 1,
    parameter int SIMD = 1,
    parameter int IN_BITS = 1,
    parameter int IN_SIGNED = 0,
    parameter int W_BITS = 1,
    parameter int W_SIGNED = 0,
    parameter int W_BIPOLAR = 0,
    parameter int XNOR = 0,
    parameter int ACC_BITS = 16,
    parameter int BUDGET = 64  // the caller's bound on LAT
) (
    input  logic                       clk,
    input  logic                       rst,
    input  logic                       v,
    input  logic                       last,
    input  logic [SIMD*IN_BITS-1:0]    x,
    input  logic [PE*SIMD*W_BITS-1:0]  w,
    output logic                       ov,
    output logic [PE*ACC_BITS-1:0]     acc
);
    // the small operand: weights (bipolar or <= 2 bits) or else the inputs
    localparam bit SMALL_W = W_BIPOLAR != 0 || W_BITS <= 2;
    localparam int SB = XNOR != 0 ? 1 : SMALL_W ? W_BITS : IN_BITS;      // small operand bits
    localparam int SSG = SMALL_W ? W_SIGNED : IN_SIGNED;
    localparam int BB = SMALL_W ? IN_BITS : W_BITS;                      // big operand bits
    localparam int BSG = SMALL_W ? IN_SIGNED : W_SIGNED;
    localparam int NT = XNOR != 0 ? (SIMD + 2) / 3 : SIMD * (W_BIPOLAR != 0 ? 1 : SB);  // leaves
    localparam int LW = XNOR != 0 ? 3 : BB + SB + 1;                     // leaf width (signed)
    localparam int LEV = NT > 1 ? $clog2(NT) : 0;
    localparam int TOPW = LW + LEV < ACC_BITS ? LW + LEV : ACC_BITS;
    localparam int LPS = TOPW <= 12 ? 2 : 1;
    localparam int TLAT = LEV == 0 ? 1 : (LEV + LPS - 1) / LPS;
    localparam int XLAT = XNOR != 0 ? 1 : 0;  // registered popcount leaves
    localparam int LAT = XLAT + TLAT + 1;

    initial begin
        if (LAT > BUDGET) $error("fx_mvu_lut: latency %0d exceeds the budget %0d", LAT, BUDGET);
    end

    logic [LAT:0] vd, ld;
    assign vd[0] = v;
    assign ld[0] = last;
    always_ff @(posedge clk) begin
        if (rst) begin
            vd[LAT:1] <= '0;
            ld[LAT:1] <= '0;
        end else begin
            vd[LAT:1] <= vd[LAT-1:0];
            ld[LAT:1] <= ld[LAT-1:0];
        end
    end

    // the big operand of column s for PE pe, sign- or zero-extended to LW bits
    function automatic logic [LW-1:0] big(input int pe, input int s);
        logic [BB-1:0] b;
        b = SMALL_W ? BB'(x[s*IN_BITS +: IN_BITS]) : BB'(w[(pe*SIMD + s)*W_BITS +: W_BITS]);
        return BSG != 0 ? LW'($signed(b)) : LW'($signed({1'b0, b}));
    endfunction
    function automatic logic [SB-1:0] small_op(input int pe, input int s);
        return SMALL_W ? SB'(w[(pe*SIMD + s)*W_BITS +: W_BITS]) : SB'(x[s*IN_BITS +: IN_BITS]);
    endfunction

    for (genvar pe = 0; pe < PE; pe++) begin : g_pe
        logic [NT*LW-1:0] leaves;
        logic [NT-1:0] cis;
        if (XNOR != 0) begin : g_xnor
            for (genvar k = 0; k < NT; k++) begin : g_t
                logic [2:0] e;  // x == w of columns 3k .. 3k+2 (0 past SIMD)
                for (genvar j = 0; j < 3; j++) begin : g_e
                    if (3 * k + j < SIMD) begin : g_col
                        assign e[j] = x[3*k+j] ~^ w[pe*SIMD + 3*k + j];
                    end else begin : g_pad
                        assign e[j] = 1'b0;
                    end
                end
                logic [1:0] cnt;
                always_ff @(posedge clk) cnt <= 2'(e[0]) + 2'(e[1]) + 2'(e[2]);
                assign leaves[k*LW +: LW] = LW'(cnt);
            end
            assign cis = '0;
        end else if (W_BIPOLAR != 0) begin : g_bip
            for (genvar s = 0; s < SIMD; s++) begin : g_t
                // a 1-bit code is +1 when set; a 2-bit two's complement ±1 is -1 when negative
                wire neg = W_BITS == 1 ? !w[pe*SIMD + s] : w[(pe*SIMD + s)*W_BITS + W_BITS - 1];
                assign leaves[s*LW +: LW] = big(pe, s) ^ {LW{neg}};
                assign cis[s] = neg;
            end
        end else begin : g_bits
            for (genvar s = 0; s < SIMD; s++) begin : g_s
                wire [SB-1:0] sv = small_op(pe, s);
                wire [LW-1:0] bg = big(pe, s);
                for (genvar b = 0; b < SB; b++) begin : g_b
                    localparam bit NEG = SSG != 0 && b == SB - 1;  // a signed top bit weighs -2^b
                    wire [LW-1:0] shifted = bg << b;
                    assign leaves[(s*SB+b)*LW +: LW] = !sv[b] ? '0 : NEG ? ~shifted : shifted;
                    assign cis[s*SB+b] = sv[b] && NEG;
                end
            end
        end
        logic [TOPW-1:0] sum;
        logic co;
        fx_mvu_addtree #(.N(NT), .IW(LW), .OW(TOPW), .LPS(LPS)) u_tree (
            .clk, .rst, .in(leaves), .ci(cis), .sum, .co
        );
        logic [ACC_BITS-1:0] a, ar;
        wire [ACC_BITS-1:0] nxt = a + ACC_BITS'($signed(sum)) + ACC_BITS'(co);
        always_ff @(posedge clk) begin
            if (rst || (vd[LAT-1] && ld[LAT-1])) a <= '0;
            else if (vd[LAT-1]) a <= nxt;
        end
        always_ff @(posedge clk) begin
            if (vd[LAT-1] && ld[LAT-1]) ar <= nxt;
        end
        assign acc[pe*ACC_BITS +: ACC_BITS] = ar;
    end
    assign ov = vd[LAT] && ld[LAT];
endmodule
