// fx_mvu_delay: a delay line of D cycles with reset, so that synthesis keeps it in flip-flops
// (a plain shift register would be packed into SRL LUTs, which count as LUTRAM).
module fx_mvu_delay #(
    parameter int W = 1,
    parameter int D = 1
) (
    input  logic         clk,
    input  logic         rst,
    input  logic [W-1:0] i,
    output logic [W-1:0] o
);
    if (D == 0) begin : g_wire
        assign o = i;
        /* verilator lint_off UNUSEDSIGNAL */
        wire unused = clk ^ rst;
        /* verilator lint_on UNUSEDSIGNAL */
    end else begin : g_regs
        logic [W-1:0] r[D];
        always_ff @(posedge clk) begin
            if (rst) begin
                for (int k = 0; k < D; k++) r[k] <= '0;
            end else begin
                r[0] <= i;
                for (int k = 1; k < D; k++) r[k] <= r[k-1];
            end
        end
        assign o = r[D-1];
    end
endmodule
