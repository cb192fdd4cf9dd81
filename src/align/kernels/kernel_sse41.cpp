// chemores — SSE4.1 instantiation of the anti-diagonal kernel (8 x int16 lanes per __m128i).
//
// Compiled with -msse4.1 only. STL-FREE ON PURPOSE: include nothing but <immintrin.h>, <cstdint>, <cstddef> and
// the STL-free kernel headers (see kernel_impl.hpp).
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "chemores/align/kernels/kernel_impl.hpp"

namespace chemores::align::kernels::detail
{
namespace
{

struct sse41_ops
{
    using vec = __m128i;
    using mask = __m128i; // all-ones / all-zeros 16-bit lanes
    static constexpr int32_t lanes = 8;
    static constexpr int32_t mask_bits_per_lane = 2; // _mm_movemask_epi8 gives one bit per byte

    static vec load(int16_t const * p) { return _mm_loadu_si128(reinterpret_cast<__m128i const *>(p)); }
    static void store(int16_t * p, vec v) { _mm_storeu_si128(reinterpret_cast<__m128i *>(p), v); }
    static vec set1(int32_t x) { return _mm_set1_epi16(static_cast<int16_t>(x)); }
    static vec adds(vec a, vec b) { return _mm_adds_epi16(a, b); }
    static vec subs(vec a, vec b) { return _mm_subs_epi16(a, b); }
    static vec max(vec a, vec b) { return _mm_max_epi16(a, b); }
    static mask gt(vec a, vec b) { return _mm_cmpgt_epi16(a, b); }
    static mask eq(vec a, vec b) { return _mm_cmpeq_epi16(a, b); }
    static vec blend(mask m, vec a, vec b) { return _mm_blendv_epi8(a, b, m); }
    static vec bits(mask m, vec c) { return _mm_and_si128(m, c); }
    static vec bor(vec a, vec b) { return _mm_or_si128(a, b); }
    static void store_dirs(uint8_t * p, vec v)
    {
        _mm_storel_epi64(reinterpret_cast<__m128i *>(p), _mm_packus_epi16(v, v));
    }
    static mask lanes_between(int32_t lo, int32_t hi)
    {
        lo = lo < -1 ? -1 : (lo > lanes ? lanes : lo);
        hi = hi < -1 ? -1 : (hi > lanes ? lanes : hi);
        __m128i const iota = _mm_setr_epi16(0, 1, 2, 3, 4, 5, 6, 7);
        return _mm_andnot_si128(_mm_cmpgt_epi16(_mm_set1_epi16(static_cast<int16_t>(lo)), iota),
                                _mm_cmpgt_epi16(_mm_set1_epi16(static_cast<int16_t>(hi)), iota));
    }
    static vec hmax(vec v)
    {
        vec x = _mm_max_epi16(v, _mm_shuffle_epi32(v, 0x4E));
        x = _mm_max_epi16(x, _mm_shuffle_epi32(x, 0xB1));
        return _mm_max_epi16(x, _mm_shufflehi_epi16(_mm_shufflelo_epi16(x, 0xB1), 0xB1));
    }
    static int32_t first_lane(vec v) { return static_cast<int16_t>(_mm_extract_epi16(v, 0)); }
    static mask mand(mask a, mask b) { return _mm_and_si128(a, b); }
    static bool any(mask m) { return _mm_testz_si128(m, m) == 0; }
    static uint32_t movemask(mask m) { return static_cast<uint32_t>(_mm_movemask_epi8(m)); }
};

} // namespace
} // namespace chemores::align::kernels::detail

#include "chemores/align/kernels/simd_kernel.hpp"

namespace chemores::align::kernels::detail
{

void kernel_sse41(kernel_args & a) { run_kernel<sse41_ops>(a); }

} // namespace chemores::align::kernels::detail
