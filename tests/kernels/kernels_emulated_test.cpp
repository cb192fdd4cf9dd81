// chemores kernels: the anti-diagonal kernel template instantiated with a portable 32-lane emulation of the
// AVX-512BW traits (bitmask masks, one mask bit per lane), compared cell by cell with the scalar reference.
// The development machine has no AVX-512, so this is what exercises the 32-lane / bitmask code paths of
// simd_kernel.hpp; the intrinsic mapping itself is in kernel_avx512bw.cpp.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "chemores/align/kernels/kernel_impl.hpp"
#include "chemores/align/kernels/kernels.hpp"

namespace chemores::align::kernels::detail
{
namespace
{

struct emu32_ops
{
    static constexpr int32_t lanes = 32;
    static constexpr int32_t mask_bits_per_lane = 1;
    struct vec
    {
        int16_t v[32];
    };
    using mask = uint32_t;

    static int16_t sat(int32_t x) { return static_cast<int16_t>(x > 32767 ? 32767 : (x < -32768 ? -32768 : x)); }
    template <typename F> static vec map(F f)
    {
        vec r{};
        for (int32_t l = 0; l < lanes; ++l)
            r.v[l] = f(l);
        return r;
    }
    template <typename F> static mask test(F f)
    {
        mask m = 0;
        for (int32_t l = 0; l < lanes; ++l)
            m |= f(l) ? (1u << l) : 0u;
        return m;
    }
    static bool on(mask m, int32_t l) { return ((m >> l) & 1u) != 0; }

    static vec load(int16_t const * p)
    {
        return map([&](int32_t l) { return p[l]; });
    }
    static void store(int16_t * p, vec const & v)
    {
        for (int32_t l = 0; l < lanes; ++l)
            p[l] = v.v[l];
    }
    static vec set1(int32_t x)
    {
        return map([&](int32_t) { return static_cast<int16_t>(x); });
    }
    static vec adds(vec const & a, vec const & b)
    {
        return map([&](int32_t l) { return sat(a.v[l] + b.v[l]); });
    }
    static vec subs(vec const & a, vec const & b)
    {
        return map([&](int32_t l) { return sat(a.v[l] - b.v[l]); });
    }
    static vec max(vec const & a, vec const & b)
    {
        return map([&](int32_t l) { return a.v[l] > b.v[l] ? a.v[l] : b.v[l]; });
    }
    static mask gt(vec const & a, vec const & b)
    {
        return test([&](int32_t l) { return a.v[l] > b.v[l]; });
    }
    static mask eq(vec const & a, vec const & b)
    {
        return test([&](int32_t l) { return a.v[l] == b.v[l]; });
    }
    static vec blend(mask m, vec const & a, vec const & b)
    {
        return map([&](int32_t l) { return on(m, l) ? b.v[l] : a.v[l]; });
    }
    static vec bits(mask m, vec const & c)
    {
        return map([&](int32_t l) { return on(m, l) ? c.v[l] : int16_t(0); });
    }
    static vec bor(vec const & a, vec const & b)
    {
        return map([&](int32_t l) { return static_cast<int16_t>(a.v[l] | b.v[l]); });
    }
    static void store_dirs(uint8_t * p, vec const & v)
    {
        for (int32_t l = 0; l < lanes; ++l)
            p[l] = static_cast<uint8_t>(v.v[l]);
    }
    static mask lanes_between(int32_t lo, int32_t hi)
    {
        return test([&](int32_t l) { return l >= lo && l < hi; });
    }
    static mask mand(mask a, mask b) { return a & b; }
    static bool any(mask m) { return m != 0; }
    static uint32_t movemask(mask m) { return m; }
    static vec hmax(vec const & v)
    {
        int16_t top = v.v[0];
        for (int32_t l = 1; l < lanes; ++l)
            top = v.v[l] > top ? v.v[l] : top;
        return set1(top);
    }
    static int32_t first_lane(vec const & v) { return v.v[0]; }
};

} // namespace
} // namespace chemores::align::kernels::detail

#include "chemores/align/kernels/simd_kernel.hpp"

namespace
{

namespace ck = chemores::align::kernels;
namespace cd = chemores::align::kernels::detail;

struct run_output
{
    int32_t score, query_end, target_end;
    std::vector<uint8_t> dirs; // row-major (i - 1) * n + (j - 1)
};

cd::kernel_args make_args(std::vector<uint8_t> const & q, std::vector<uint8_t> const & t, ck::scoring const & s,
                          bool local)
{
    cd::kernel_args a;
    a.query = q.data();
    a.qlen = static_cast<int32_t>(q.size());
    a.target = t.data();
    a.tlen = static_cast<int32_t>(t.size());
    a.match = s.match;
    a.mismatch = s.mismatch;
    a.gap_open = s.gap_open;
    a.gap_extend = s.gap_extend;
    a.ambiguous = s.ambiguous;
    a.local = local ? 1 : 0;
    a.traceback = 1;
    a.has_n = 1;
    return a;
}

run_output run_scalar(std::vector<uint8_t> const & q, std::vector<uint8_t> const & t, ck::scoring const & s, bool local)
{
    auto a = make_args(q, t, s, local);
    std::vector<uint8_t> dirs(q.size() * t.size() + 1);
    std::vector<int32_t> h(t.size() + 1), f(t.size() + 1);
    a.dirs = dirs.data();
    cd::kernel_scalar(a, h.data(), f.data());
    dirs.pop_back();
    return {a.score, a.query_end, a.target_end, dirs};
}

run_output run_emulated(std::vector<uint8_t> const & q, std::vector<uint8_t> const & t, ck::scoring const & s,
                        bool local, bool has_n)
{
    auto a = make_args(q, t, s, local);
    a.has_n = has_n ? 1 : 0;
    size_t const m = q.size(), n = t.size();
    size_t const stride = (m + 1 + 2 * cd::kernel_padding + 31) / 32 * 32;
    std::vector<int16_t> dp(7 * stride + 64), qc(m + 1 + cd::kernel_padding), tc(n + 2 * cd::kernel_padding);
    std::vector<uint8_t> dirs(m * n + (m + n + 1) * (2 * cd::kernel_padding + 1) + cd::kernel_padding);
    std::vector<int64_t> offs(m + n + 1);
    a.dp = dp.data();
    a.dp_stride = stride;
    a.qcodes = qc.data();
    a.tcodes = tc.data();
    a.dirs = dirs.data();
    a.diag_offset = offs.data();
    cd::run_kernel<cd::emu32_ops>(a);
    run_output out{a.score, a.query_end, a.target_end, std::vector<uint8_t>(m * n)};
    for (size_t i = 1; i <= m; ++i)
        for (size_t j = 1; j <= n; ++j)
            out.dirs[(i - 1) * n + (j - 1)] = dirs[static_cast<size_t>(offs[i + j] + static_cast<int64_t>(i))];
    return out;
}

TEST(kernels_emulated, lanes32_bitmask_matches_scalar_cell_by_cell)
{
    std::mt19937_64 rng(8128);
    std::uniform_int_distribution<int> base(0, 3);
    std::uniform_int_distribution<int32_t> len(1, 140);
    std::bernoulli_distribution coin(0.5), rare(0.03);
    std::vector<ck::scoring> const schemes = {{2, 8, 12, 2, 1}, {1, 4, 6, 1, 1}, {1, 0, 0, 0, 0}, {3, 1, 2, 3, 0}};
    std::vector<int32_t> const edge_lens = {1, 2, 31, 32, 33, 63, 64, 65};
    int compared = 0;
    for (auto const & s : schemes)
    {
        for (int rep = 0; rep < 60; ++rep)
        {
            int32_t const ql = rep < 8 ? edge_lens[static_cast<size_t>(rep)] : len(rng);
            int32_t const tl = rep < 8 ? edge_lens[static_cast<size_t>(7 - rep)] : len(rng);
            std::vector<uint8_t> q(static_cast<size_t>(ql)), t(static_cast<size_t>(tl));
            bool const with_n = rep % 3 == 0;
            for (auto & c : q)
                c = static_cast<uint8_t>(with_n && rare(rng) ? 4 : base(rng));
            for (auto & c : t)
                c = static_cast<uint8_t>(with_n && rare(rng) ? 4 : base(rng));
            if (coin(rng) && tl > ql)
                std::copy(q.begin(), q.end(), t.begin() + (tl - ql) / 2); // related pair
            for (bool local : {true, false})
            {
                auto const ref = run_scalar(q, t, s, local);
                auto const emu = run_emulated(q, t, s, local, with_n);
                ASSERT_EQ(ref.score, emu.score) << "rep " << rep << " local " << local;
                ASSERT_EQ(ref.query_end, emu.query_end) << "rep " << rep << " local " << local;
                ASSERT_EQ(ref.target_end, emu.target_end) << "rep " << rep << " local " << local;
                ASSERT_EQ(ref.dirs, emu.dirs) << "rep " << rep << " local " << local;
                ++compared;
            }
        }
    }
    EXPECT_EQ(compared, 480);
}

} // namespace
