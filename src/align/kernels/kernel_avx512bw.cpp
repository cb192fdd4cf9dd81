// chemores — AVX-512BW instantiation of the anti-diagonal kernel (32 x int16 lanes per __m512i, __mmask32 masks).
//
// Compiled with -mavx512f -mavx512bw only. STL-FREE ON PURPOSE: include nothing but <immintrin.h>, <cstdint>,
// <cstddef> and the STL-free kernel headers (see kernel_impl.hpp).
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "chemores/align/kernels/kernel_impl.hpp"

namespace chemores::align::kernels::detail
{
namespace
{

struct avx512bw_ops
{
    using vec = __m512i;
    using mask = __mmask32; // one bit per 16-bit lane
    static constexpr int32_t lanes = 32;
    static constexpr int32_t mask_bits_per_lane = 1;

    static vec load(int16_t const * p) { return _mm512_loadu_si512(p); }
    static void store(int16_t * p, vec v) { _mm512_storeu_si512(p, v); }
    static vec set1(int32_t x) { return _mm512_set1_epi16(static_cast<int16_t>(x)); }
    static vec adds(vec a, vec b) { return _mm512_adds_epi16(a, b); }
    static vec subs(vec a, vec b) { return _mm512_subs_epi16(a, b); }
    static vec max(vec a, vec b) { return _mm512_max_epi16(a, b); }
    static mask gt(vec a, vec b) { return _mm512_cmpgt_epi16_mask(a, b); }
    static mask eq(vec a, vec b) { return _mm512_cmpeq_epi16_mask(a, b); }
    static vec blend(mask m, vec a, vec b) { return _mm512_mask_blend_epi16(m, a, b); }
    static vec bits(mask m, vec c) { return _mm512_maskz_mov_epi16(m, c); }
    static vec bor(vec a, vec b) { return _mm512_or_si512(a, b); }
    static void store_dirs(uint8_t * p, vec v)
    {
        // maskz form: the plain _mm512_cvtepi16_epi8 trips a GCC 12 -Wmaybe-uninitialized false positive.
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(p), _mm512_maskz_cvtepi16_epi8(0xFFFFFFFFu, v));
    }
    static uint32_t below(int32_t k) // lanes 0..k-1
    {
        return k <= 0 ? 0u : (k >= 32 ? 0xFFFFFFFFu : (1u << k) - 1u);
    }
    static mask lanes_between(int32_t lo, int32_t hi) { return static_cast<mask>(below(hi) & ~below(lo)); }
    static vec hmax(vec v)
    {
        // rotate by 16, 8, 4, 2, 1 lanes (vpermw; the shuffle intrinsics trip GCC 12 -Wmaybe-uninitialized)
        vec x = v;
        for (int32_t r = 16; r >= 1; r /= 2)
        {
            alignas(64) int16_t idx[32];
            for (int32_t l = 0; l < 32; ++l)
                idx[l] = static_cast<int16_t>((l + r) & 31);
            x = _mm512_max_epi16(x, _mm512_permutexvar_epi16(_mm512_load_si512(idx), x));
        }
        return x;
    }
    static int32_t first_lane(vec v)
    {
        alignas(64) int16_t lanes_out[32];
        _mm512_store_si512(lanes_out, v); // (_mm512_castsi512_si128 trips GCC 12 -Wmaybe-uninitialized)
        return lanes_out[0];
    }
    static mask mand(mask a, mask b) { return static_cast<mask>(a & b); }
    static bool any(mask m) { return m != 0; }
    static uint32_t movemask(mask m) { return static_cast<uint32_t>(m); }
};

} // namespace
} // namespace chemores::align::kernels::detail

#include "chemores/align/kernels/simd_kernel.hpp"

namespace chemores::align::kernels::detail
{

void kernel_avx512bw(kernel_args & a) { run_kernel<avx512bw_ops>(a); }

} // namespace chemores::align::kernels::detail
