// chemores — internal interface between the dispatcher and the per-ISA kernels.
//
// STL-FREE ON PURPOSE: this header is included by translation units compiled with -msse4.1 / -mavx2 /
// -mavx512f -mavx512bw. It may only include <cstddef> / <cstdint> and must not define non-template inline
// functions (the linker could keep an AVX copy of it for the whole program).
#pragma once

#include <cstddef>
#include <cstdint>

namespace chemores::align::kernels::detail
{

// Padding (in elements) added after every kernel buffer; >= the widest vector (32 lanes) plus slack.
inline constexpr int32_t kernel_padding = 64;

// Bits of the direction byte stored per DP cell (the same for every target, see kernels.hpp).
inline constexpr uint8_t dir_e_wins = 1;    // E(i,j) > H(i-1,j-1) + s            -> H comes from E (unless F wins)
inline constexpr uint8_t dir_f_wins = 2;    // F(i,j) > max(H(i-1,j-1) + s, E)    -> H comes from F
inline constexpr uint8_t dir_stop = 4;      // local mode: H(i,j) == 0             -> alignment starts after this cell
inline constexpr uint8_t dir_e_extend = 8;  // E(i,j-1) - ge > H(i,j-1) - oe      -> E extends E(i,j-1)
inline constexpr uint8_t dir_f_extend = 16; // F(i-1,j) - ge > H(i-1,j) - oe     -> F extends F(i-1,j)

// Everything a kernel needs; plain data so that ISA translation units need no STL.
struct kernel_args
{
    // inputs
    uint8_t const * query = nullptr; // codes 0..4, qlen >= 1
    int32_t qlen = 0;
    uint8_t const * target = nullptr; // codes 0..4, tlen >= 1
    int32_t tlen = 0;
    int32_t match = 0, mismatch = 0, gap_open = 0, gap_extend = 0, ambiguous = 0; // see scoring
    int32_t local = 1;                                                            // 1 = local, 0 = glocal
    int32_t traceback = 1;                                                        // 1 = fill dirs / diag_offset
    int32_t has_n = 1; // 0 when neither sequence contains a code > 3 (lets the kernel skip the N test)

    // SIMD workspace (ignored by the scalar kernel)
    int16_t * dp = nullptr;          // >= 7 * dp_stride + 64 elements (formulas below)
    size_t dp_stride = 0;            // multiple of 32 elements (formula below)
    int16_t * qcodes = nullptr;      // >= qlen + 1 + kernel_padding
    int16_t * tcodes = nullptr;      // >= tlen + 2 * kernel_padding
    uint8_t * dirs = nullptr;        // see the formula below (traceback only)
    int64_t * diag_offset = nullptr; // >= qlen + tlen + 1 (traceback only)

    // outputs: score and end cell (i, j) == (query_end, target_end)
    int32_t score = 0;
    int32_t query_end = 0;
    int32_t target_end = 0;
};

// Portable scalar reference kernel (int32; the dispatcher guarantees |values| < 2^30, see kernels.cpp). Direction
// layout: row-major, dirs[(i - 1) * tlen + (j - 1)] for cell (i, j). h_row and f_row are caller-provided rows of at
// least tlen + 1 elements.
void kernel_scalar(kernel_args & a, int32_t * h_row, int32_t * f_row);

// Anti-diagonal SIMD kernels. Direction layout: each anti-diagonal d = i + j (2 <= d <= qlen + tlen) owns a
// segment of whole vectors; cell (i, j) is dirs[diag_offset[i + j] + i].
// Buffer sizes (computed by the dispatcher with these formulas):
//   dp_stride      = round_up(qlen + 1 + 2 * kernel_padding, 32)
//   dirs size      >= qlen * tlen + (qlen + tlen + 1) * (2 * kernel_padding + 1) + kernel_padding
void kernel_sse41(kernel_args & a);
void kernel_avx2(kernel_args & a);
void kernel_avx512bw(kernel_args & a);

} // namespace chemores::align::kernels::detail
