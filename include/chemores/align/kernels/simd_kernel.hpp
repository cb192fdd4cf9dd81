// chemores — anti-diagonal SIMD kernel, written once over a small vector-traits struct.
//
// STL-FREE ON PURPOSE: included only by the ISA translation units (kernel_sse41.cpp, kernel_avx2.cpp,
// kernel_avx512bw.cpp), after <immintrin.h> and after they define their traits struct. Everything here lives in
// an anonymous namespace so that each ISA TU keeps its own copy: no inline function compiled with AVX flags can
// be merged by the linker into code that runs on a CPU without AVX.
//
// Traits interface (V), 16-bit signed lanes:
//   vec, mask, lanes                  vector type, comparison-mask type, number of 16-bit lanes
//   load(p) / store(p, v)             unaligned int16 loads / stores
//   set1(x)                           broadcast
//   adds / subs / max                 saturating add / subtract, signed max
//   gt(a, b) / eq(a, b) -> mask       signed compare
//   blend(m, a, b)                    m ? b : a, lane by lane
//   bits(m, c)                        m ? c : 0
//   bor(a, b)                         bitwise or
//   store_dirs(p, v)                  narrow lanes (values < 256) to bytes, store `lanes` bytes
//   lanes_between(lo, hi) -> mask     lanes l with lo <= l < hi (lo, hi any int)
//   mand(m1, m2), any(m)              mask and / any lane set
//   movemask(m), mask_bits_per_lane   integer bitmask of a mask, bits per lane in it (lane l -> bit l * bpl)
//   hmax(v), first_lane(v)            horizontal max broadcast to every lane; lane 0 as int
#pragma once

#include <cstddef>
#include <cstdint>

#include "chemores/align/kernels/kernel_impl.hpp"

namespace chemores::align::kernels::detail
{
namespace
{

// Anti-diagonal Gotoh kernel.
//
// Recurrence (cell (i, j) pairs query[i-1] with target[j-1]; ge = gap_extend, oe = gap_open + gap_extend):
//     E(i,j) = max(E(i,j-1) - ge, H(i,j-1) - oe)
//     F(i,j) = max(F(i-1,j) - ge, H(i-1,j) - oe)
//     H(i,j) = max(H(i-1,j-1) + s(i,j), E(i,j), F(i,j) [, 0 if Local])
//
// Lane layout: anti-diagonal d = i + j is processed as vectors of `lanes` (w) consecutive query rows; lane l of the
// vector starting at row g holds cell (g + l, d - g - l). The vectors sit on a fixed grid of rows (g = 1, 1 + w,
// 1 + 2w, ...) that is the same for every anti-diagonal, so the aligned loads read exactly one earlier vector store
// and the arrays are 64-byte aligned. Every DP array is indexed by the row i, so the neighbours of a cell are
//     left  (i,   j-1) = anti-diagonal d-1, index i      -> aligned load
//     up    (i-1, j  ) = anti-diagonal d-1, index i-1    -> unaligned load (its stores are a whole anti-diagonal old)
//     diag  (i-1, j-1) = anti-diagonal d-2, index i-1    -> unaligned load
// H rotates over 3 arrays (d, d-1, d-2), E and F over 2. The target is stored reversed (tc[k] = t[n-1-k]) so that
// the target codes of a vector are consecutive too: column j = d - i -> tc[n - d + i].
// Row 0 (index 0) is never written (grid starts at 1) and keeps H = 0, F = -inf. The column-0 boundary cell (d, 0)
// (d <= m) is the lane just past the end of the anti-diagonal and is blended in before the store. Lanes outside
// [i_lo, i_hi] compute garbage that no valid cell ever reads; they are masked out of the local maximum.
// Direction bytes: one segment of whole vectors per anti-diagonal; cell (i, d - i) -> dirs[diag_offset[d] + i].
template <typename V, bool Local, bool Trace, bool HasN> void diagonal_kernel(kernel_args & a)
{
    using vec = typename V::vec;
    using mask = typename V::mask;
    constexpr int32_t w = V::lanes;
    int16_t const neg_inf = -32768;

    int32_t const m = a.qlen;
    int32_t const n = a.tlen;
    int32_t const ge = a.gap_extend;
    int32_t const oe = a.gap_open + a.gap_extend;

    // Codes as int16: qc[i] = query[i-1] (rows 1..m), tc[k] = target[n-1-k] (front and back padding are 0).
    int16_t * const qc = a.qcodes;
    int16_t * const tc = a.tcodes + kernel_padding;
    qc[0] = 0;
    for (int32_t i = 0; i < m; ++i)
        qc[i + 1] = a.query[i];
    for (int32_t i = m + 1; i <= m + 2 * w; ++i)
        qc[i] = 0;
    for (int32_t k = -w; k < 0; ++k)
        tc[k] = 0;
    for (int32_t k = 0; k < n; ++k)
        tc[k] = a.target[n - 1 - k];
    for (int32_t k = n; k < n + 2 * w; ++k)
        tc[k] = 0;

    // 7 row-indexed arrays, valid from index -kernel_padding; &array[1] is 64-byte aligned.
    int16_t * base = a.dp + kernel_padding;
    while (((reinterpret_cast<uintptr_t>(base + 1)) & 63u) != 0)
        ++base;
    size_t const stride = a.dp_stride;
    int16_t * h_cur = base;
    int16_t * h_prev = base + stride;
    int16_t * h_prev2 = base + 2 * stride;
    int16_t * e_cur = base + 3 * stride;
    int16_t * e_prev = base + 4 * stride;
    int16_t * f_cur = base + 5 * stride;
    int16_t * f_prev = base + 6 * stride;

    // Column-0 boundary H(i, 0).
    auto boundary = [&](int32_t i) -> int16_t { return Local ? int16_t(0) : int16_t(-(a.gap_open + i * ge)); };

    // Row 0: H(0, j) = 0, F(0, j) = -inf in every rotating array (index 0 is never written by the loop).
    h_cur[0] = h_prev[0] = h_prev2[0] = 0;
    e_cur[0] = e_prev[0] = neg_inf;
    f_cur[0] = f_prev[0] = neg_inf;
    // Anti-diagonal 1 holds the boundary cell (1, 0); it becomes "d-1" for d = 2 (h_prev / e_prev).
    h_prev[1] = boundary(1);
    e_prev[1] = neg_inf;

    vec const ge_v = V::set1(ge);
    vec const oe_v = V::set1(oe);
    vec const match_v = V::set1(a.match);
    vec const mismatch_v = V::set1(-a.mismatch);
    vec const ambiguous_v = V::set1(-a.ambiguous);
    vec const three_v = V::set1(3);
    vec const zero_v = V::set1(0);
    vec const neg_inf_v = V::set1(neg_inf);
    vec const bit_e_v = V::set1(dir_e_wins);
    vec const bit_f_v = V::set1(dir_f_wins);
    vec const bit_stop_v = V::set1(dir_stop);
    vec const bit_ex_v = V::set1(dir_e_extend);
    vec const bit_fx_v = V::set1(dir_f_extend);

    int32_t best = Local ? 0 : boundary(m); // glocal: candidate (m, 0) = whole query inserted
    int32_t best_i = Local ? 0 : m;
    int32_t best_j = 0;
    vec best_v = V::set1(best);
    vec max_v = zero_v; // local: running lane-wise max of H (only ever <= best_v after each anti-diagonal)
    int64_t offset = 0;

    // Local: the anti-diagonal holding the current maximum whose cell is not located yet (0 = none).
    int32_t pending_d = 0;
    int16_t const * pending_h = nullptr;
    // Ties within the anti-diagonal -> largest row (= smallest column), see kernels.hpp.
    auto resolve_pending = [&]()
    {
        int32_t const lo = pending_d - n > 1 ? pending_d - n : 1;
        int32_t const hi = pending_d - 1 < m ? pending_d - 1 : m;
        int32_t const g0 = 1 + ((lo - 1) / w) * w;
        int32_t row = 0;
        for (int32_t g = g0; g <= hi; g += w)
        {
            mask const hit = V::mand(V::eq(V::load(pending_h + g), best_v), V::lanes_between(lo - g, hi - g + 1));
            uint32_t const bitsm = V::movemask(hit);
            if (bitsm != 0)
                row = g + (31 - __builtin_clz(bitsm)) / V::mask_bits_per_lane;
        }
        best_i = row;
        best_j = pending_d - row;
        pending_d = 0;
    };

    for (int32_t d = 2; d <= m + n; ++d)
    {
        if constexpr (Local)
        {
            if (pending_d != 0 && pending_d == d - 3) // its H array is h_cur, about to be overwritten
                resolve_pending();
        }
        int32_t const i_lo = d - n > 1 ? d - n : 1;
        int32_t const i_hi = d - 1 < m ? d - 1 : m;
        int32_t const i_end = d <= m ? d : i_hi; // includes the column-0 boundary lane when there is one
        int32_t const g_lo = 1 + ((i_lo - 1) / w) * w;
        int16_t const * const tp = tc + (n - d); // tp[i] = code of target[d - i - 1]
        uint8_t * dir = nullptr;                 // dir[g - g_lo + l] = direction byte of cell (g + l, d - g - l)
        if constexpr (Trace)
        {
            dir = a.dirs + offset;
            a.diag_offset[d] = offset - g_lo;
            offset += ((i_end - g_lo) / w + 1) * w;
        }

        // One vector of cells per step: rows g..g+w-1 of anti-diagonal d. Edge vectors (partly outside
        // [i_lo, i_hi], or holding the column-0 boundary lane) also mask the maximum and blend the boundary in.
        vec lane_max = max_v; // kept in a register across the anti-diagonal
        for (int32_t g = g_lo; g <= i_end; g += w)
        {
            vec const q = V::load(qc + g);                      /* query codes of rows g..g+w-1 */
            vec const t = V::load(tp + g);                      /* target codes of columns d-g .. d-g-w+1 */
            vec s = V::blend(V::eq(q, t), mismatch_v, match_v); /* s(i, j) ignoring N */
            if constexpr (HasN)
                s = V::blend(V::gt(V::bor(q, t), three_v), s, ambiguous_v); /* any code > 3 -> -ambiguous */

            vec const h1 = V::load(h_prev + g);          /* H(i, j-1)   = H(d-1) rows g..g+w-1 */
            vec const e_left = V::load(e_prev + g);      /* E(i, j-1)   = E(d-1) rows g..g+w-1 */
            vec const h_up = V::load(h_prev + g - 1);    /* H(i-1, j)   = H(d-1) rows g-1..g+w-2 */
            vec const f_up = V::load(f_prev + g - 1);    /* F(i-1, j)   = F(d-1) rows g-1..g+w-2 */
            vec const h_diag = V::load(h_prev2 + g - 1); /* H(i-1, j-1) = H(d-2) rows g-1..g+w-2 */

            vec const e_ext = V::subs(e_left, ge_v); /* E(i, j-1) - ge */
            vec const e_open = V::subs(h1, oe_v);    /* H(i, j-1) - oe */
            vec e = V::max(e_ext, e_open);           /* E(i, j) */
            vec const f_ext = V::subs(f_up, ge_v);   /* F(i-1, j) - ge */
            vec const f_open = V::subs(h_up, oe_v);  /* H(i-1, j) - oe */
            vec const f = V::max(f_ext, f_open);     /* F(i, j) */

            vec const diag = V::adds(h_diag, s); /* H(i-1, j-1) + s(i, j) */
            mask const e_wins = V::gt(e, diag);  /* ties -> diagonal */
            vec h = V::max(diag, e);
            mask const f_wins = V::gt(f, h); /* ties -> diagonal, then E */
            h = V::max(h, f);                /* H(i, j) (glocal) */
            if constexpr (Local)
                h = V::max(h, zero_v); /* H(i, j) (local) */

            if constexpr (Trace)
            {
                vec dv = V::bor(V::bits(e_wins, bit_e_v), V::bits(f_wins, bit_f_v));
                if constexpr (Local)
                    dv = V::bor(dv, V::bits(V::eq(h, zero_v), bit_stop_v));
                dv = V::bor(dv, V::bits(V::gt(e_ext, e_open), bit_ex_v)); /* ties -> open */
                dv = V::bor(dv, V::bits(V::gt(f_ext, f_open), bit_fx_v));
                V::store_dirs(dir + (g - g_lo), dv);
            }

            if (g < i_lo || g + w - 1 > i_hi) [[unlikely]]
            {
                if constexpr (Local)
                    lane_max = V::max(lane_max, V::blend(V::lanes_between(i_lo - g, i_hi - g + 1), zero_v, h));
                if (d <= m && d - g < w)
                {
                    // column-0 boundary cell (d, 0): read by anti-diagonals d+1 (left) and d+2 (diag)
                    mask const lane = V::lanes_between(d - g, d - g + 1);
                    h = V::blend(lane, h, V::set1(boundary(d)));
                    e = V::blend(lane, e, neg_inf_v);
                }
            }
            else if constexpr (Local)
            {
                lane_max = V::max(lane_max, h);
            }
            V::store(h_cur + g, h);
            V::store(e_cur + g, e);
            V::store(f_cur + g, f);
        }
        max_v = lane_max;

        if constexpr (Local)
        {
            // A new maximum can only come from this anti-diagonal. Its cell is looked up lazily: a later
            // improvement supersedes it, otherwise it is resolved before its H array is recycled (d + 3).
            if (V::any(V::gt(max_v, best_v)))
            {
                best_v = V::hmax(max_v);
                best = V::first_lane(best_v);
                pending_d = d;
                pending_h = h_cur;
            }
        }
        else
        {
            // glocal: the last query row of this anti-diagonal is an end candidate (strict > -> smallest column).
            if (i_hi == m && h_cur[m] > best)
            {
                best = h_cur[m];
                best_i = m;
                best_j = d - m;
            }
        }

        // Rotate: d becomes d-1, d-1 becomes d-2.
        int16_t * const h_old = h_prev2;
        h_prev2 = h_prev;
        h_prev = h_cur;
        h_cur = h_old;
        int16_t * const e_old = e_prev;
        e_prev = e_cur;
        e_cur = e_old;
        int16_t * const f_old = f_prev;
        f_prev = f_cur;
        f_cur = f_old;
    }

    if constexpr (Local)
    {
        if (pending_d != 0)
            resolve_pending();
    }
    a.score = best;
    a.query_end = best_i;
    a.target_end = best_j;
}

template <typename V, bool Local, bool Trace> void run_kernel_n(kernel_args & a)
{
    if (a.has_n != 0)
        diagonal_kernel<V, Local, Trace, true>(a);
    else
        diagonal_kernel<V, Local, Trace, false>(a);
}

// Entry point used by each ISA translation unit.
template <typename V> void run_kernel(kernel_args & a)
{
    if (a.local != 0)
    {
        if (a.traceback != 0)
            run_kernel_n<V, true, true>(a);
        else
            run_kernel_n<V, true, false>(a);
    }
    else
    {
        if (a.traceback != 0)
            run_kernel_n<V, false, true>(a);
        else
            run_kernel_n<V, false, false>(a);
    }
}

} // namespace
} // namespace chemores::align::kernels::detail
