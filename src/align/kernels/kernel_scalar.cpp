// chemores — portable scalar reference kernel (Gotoh, int32). Kept forever as the readable definition of the
// results: every SIMD kernel must reproduce its scores, end cells and direction bits exactly.
#include <cstdint>

#include "chemores/align/kernels/kernel_impl.hpp"

namespace chemores::align::kernels::detail
{

// Recurrence (cell (i, j) pairs query[i-1] with target[j-1]; ge = gap_extend, oe = gap_open + gap_extend):
//     E(i,j) = max(E(i,j-1) - ge, H(i,j-1) - oe)                 deletion  (D)
//     F(i,j) = max(F(i-1,j) - ge, H(i-1,j) - oe)                 insertion (I)
//     H(i,j) = max(H(i-1,j-1) + s(i,j), E(i,j), F(i,j) [, 0])    [0 in local mode only]
// Boundaries: H(0,j) = 0, F(0,j) = -inf, E(i,0) = -inf, H(i,0) = 0 (local) or -(gap_open + i*ge) (glocal).
// Layout: row by row over the query (i), column by column over the target (j). h_row holds H(i-1, .) then
// H(i, .) as it is overwritten; f_row holds F(i-1, .) then F(i, .); E(i, j-1) and H(i-1, j-1) live in scalars.
// Direction bits per cell are defined in kernel_impl.hpp; end-cell tie rules in kernels.hpp.
void kernel_scalar(kernel_args & a, int32_t * h_row, int32_t * f_row)
{
    int32_t const neg_inf = -(1 << 30);
    int32_t const m = a.qlen;
    int32_t const n = a.tlen;
    int32_t const ge = a.gap_extend;
    int32_t const oe = a.gap_open + a.gap_extend;
    bool const local = a.local != 0;
    bool const trace = a.traceback != 0;

    for (int32_t j = 0; j <= n; ++j)
    {
        h_row[j] = 0;       // H(0, j)
        f_row[j] = neg_inf; // F(0, j)
    }

    int32_t best = local ? 0 : -(a.gap_open + m * ge); // glocal: end candidate (m, 0)
    int32_t best_i = local ? 0 : m;
    int32_t best_j = 0;

    for (int32_t i = 1; i <= m; ++i)
    {
        int const qc = a.query[i - 1];
        int32_t h_diag = h_row[0];                           // H(i-1, 0)
        int32_t h_left = local ? 0 : -(a.gap_open + i * ge); // H(i, 0)
        int32_t e_left = neg_inf;                            // E(i, 0)
        h_row[0] = h_left;
        uint8_t * const dir_row = trace ? a.dirs + static_cast<int64_t>(i - 1) * n - 1 : nullptr;

        for (int32_t j = 1; j <= n; ++j)
        {
            int const tc = a.target[j - 1];
            int32_t s = qc == tc ? a.match : -a.mismatch;
            if (qc > 3 || tc > 3)
                s = -a.ambiguous;

            int32_t const e_ext = e_left - ge;  // E(i, j-1) - ge
            int32_t const e_open = h_left - oe; // H(i, j-1) - oe
            int32_t const e = e_ext > e_open ? e_ext : e_open;
            int32_t const h_up = h_row[j];       // H(i-1, j)
            int32_t const f_ext = f_row[j] - ge; // F(i-1, j) - ge
            int32_t const f_open = h_up - oe;    // H(i-1, j) - oe
            int32_t const f = f_ext > f_open ? f_ext : f_open;

            int32_t const diag = h_diag + s;
            bool const e_wins = e > diag; // ties -> diagonal
            int32_t h = e_wins ? e : diag;
            bool const f_wins = f > h; // ties -> diagonal, then E
            h = f_wins ? f : h;
            if (local && h < 0)
                h = 0;

            if (trace)
            {
                uint8_t dir = 0;
                dir |= e_wins ? dir_e_wins : 0;
                dir |= f_wins ? dir_f_wins : 0;
                dir |= (local && h == 0) ? dir_stop : 0;
                dir |= e_ext > e_open ? dir_e_extend : 0; // ties -> open
                dir |= f_ext > f_open ? dir_f_extend : 0;
                dir_row[j] = dir;
            }

            if (local)
            {
                // maximal H; ties -> smallest i + j, then smallest j
                if (h > best ||
                    (h == best && h > 0 && (i + j < best_i + best_j || (i + j == best_i + best_j && j < best_j))))
                {
                    best = h;
                    best_i = i;
                    best_j = j;
                }
            }
            else if (i == m && h > best) // last row; ties -> smallest j
            {
                best = h;
                best_j = j;
            }

            h_diag = h_up;
            h_left = h;
            e_left = e;
            h_row[j] = h;
            f_row[j] = f;
        }
    }

    a.score = best;
    a.query_end = best_i;
    a.target_end = best_j;
}

} // namespace chemores::align::kernels::detail
