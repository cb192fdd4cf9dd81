// chemores — AVX2 instantiation of the anti-diagonal kernel (16 x int16 lanes per __m256i).
//
// Compiled with -mavx2 only. STL-FREE ON PURPOSE: include nothing but <immintrin.h>, <cstdint>, <cstddef> and the
// STL-free kernel headers (see kernel_impl.hpp).
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "chemores/align/kernels/kernel_impl.hpp"

namespace chemores::align::kernels::detail
{
namespace
{

struct avx2_ops
{
    using vec = __m256i;
    using mask = __m256i; // all-ones / all-zeros 16-bit lanes
    static constexpr int32_t lanes = 16;
    static constexpr int32_t mask_bits_per_lane = 2; // _mm256_movemask_epi8 gives one bit per byte

    static vec load(int16_t const * p) { return _mm256_loadu_si256(reinterpret_cast<__m256i const *>(p)); }
    static void store(int16_t * p, vec v) { _mm256_storeu_si256(reinterpret_cast<__m256i *>(p), v); }
    static vec set1(int32_t x) { return _mm256_set1_epi16(static_cast<int16_t>(x)); }
    static vec adds(vec a, vec b) { return _mm256_adds_epi16(a, b); }
    static vec subs(vec a, vec b) { return _mm256_subs_epi16(a, b); }
    static vec max(vec a, vec b) { return _mm256_max_epi16(a, b); }
    static mask gt(vec a, vec b) { return _mm256_cmpgt_epi16(a, b); }
    static mask eq(vec a, vec b) { return _mm256_cmpeq_epi16(a, b); }
    static vec blend(mask m, vec a, vec b) { return _mm256_blendv_epi8(a, b, m); }
    static vec bits(mask m, vec c) { return _mm256_and_si256(m, c); }
    static vec bor(vec a, vec b) { return _mm256_or_si256(a, b); }
    static void store_dirs(uint8_t * p, vec v)
    {
        __m128i const packed = _mm_packus_epi16(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(p), packed);
    }
    static mask lanes_between(int32_t lo, int32_t hi)
    {
        lo = lo < -1 ? -1 : (lo > lanes ? lanes : lo);
        hi = hi < -1 ? -1 : (hi > lanes ? lanes : hi);
        __m256i const iota = _mm256_setr_epi16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        return _mm256_andnot_si256(_mm256_cmpgt_epi16(_mm256_set1_epi16(static_cast<int16_t>(lo)), iota),
                                   _mm256_cmpgt_epi16(_mm256_set1_epi16(static_cast<int16_t>(hi)), iota));
    }
    static vec hmax(vec v)
    {
        vec x = _mm256_max_epi16(v, _mm256_permute2x128_si256(v, v, 0x01));
        x = _mm256_max_epi16(x, _mm256_shuffle_epi32(x, 0x4E));
        x = _mm256_max_epi16(x, _mm256_shuffle_epi32(x, 0xB1));
        return _mm256_max_epi16(x, _mm256_shufflehi_epi16(_mm256_shufflelo_epi16(x, 0xB1), 0xB1));
    }
    static int32_t first_lane(vec v) { return static_cast<int16_t>(_mm256_extract_epi16(v, 0)); }
    static mask mand(mask a, mask b) { return _mm256_and_si256(a, b); }
    static bool any(mask m) { return _mm256_testz_si256(m, m) == 0; }
    static uint32_t movemask(mask m) { return static_cast<uint32_t>(_mm256_movemask_epi8(m)); }
};

} // namespace
} // namespace chemores::align::kernels::detail

#include "chemores/align/kernels/simd_kernel.hpp"

namespace chemores::align::kernels::detail
{

void kernel_avx2(kernel_args & a) { run_kernel<avx2_ops>(a); }

} // namespace chemores::align::kernels::detail
