// chemores kernels: differential tests (every available SIMD target vs the scalar reference), CIGAR validity and
// hand-checked edge cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <limits>
#include <optional>
#include <ostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "chemores/align/kernels/kernels.hpp"

namespace chemores::align::kernels
{
// Readable test names / parameters in GoogleTest output.
void PrintTo(simd_target t, std::ostream * os) { *os << to_string(t); }

namespace detail
{
// Test hook defined in kernels.cpp (deliberately not in the public header): how many alignments this thread has
// answered with the local gap-free shortcut.
uint64_t local_gap_free_shortcut_hits() noexcept;
} // namespace detail
} // namespace chemores::align::kernels

namespace
{

namespace ck = chemores::align::kernels;
using seq_t = std::vector<uint8_t>;

seq_t encode(std::string const & s)
{
    seq_t out;
    for (char c : s)
    {
        switch (c)
        {
        case 'A':
            out.push_back(0);
            break;
        case 'C':
            out.push_back(1);
            break;
        case 'G':
            out.push_back(2);
            break;
        case 'T':
            out.push_back(3);
            break;
        default:
            out.push_back(4);
            break;
        }
    }
    return out;
}

std::string cigar_string(std::vector<uint32_t> const & cigar)
{
    std::string out;
    for (uint32_t c : cigar)
        out += std::to_string(c >> 4) + "MIDNSHP=X"[c & 0xF];
    return out;
}

seq_t random_seq(std::mt19937_64 & rng, int32_t len, double n_rate = 0.0)
{
    std::uniform_int_distribution<int> base(0, 3);
    std::bernoulli_distribution is_n(n_rate);
    seq_t s(static_cast<size_t>(len));
    for (auto & c : s)
        c = static_cast<uint8_t>(is_n(rng) ? 4 : base(rng));
    return s;
}

// Copy of s with substitutions, insertions and deletions at the given per-base rate.
seq_t mutate(std::mt19937_64 & rng, seq_t const & s, double rate)
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::uniform_int_distribution<int> base(0, 3);
    std::uniform_int_distribution<int> indel_len(1, 4);
    seq_t out;
    for (size_t k = 0; k < s.size(); ++k)
    {
        double const r = u(rng);
        if (r < rate * 0.7)
            out.push_back(static_cast<uint8_t>((s[k] + 1 + base(rng) % 3) % 4)); // substitution
        else if (r < rate * 0.85)
        {
            out.push_back(s[k]); // insertion after
            for (int l = indel_len(rng); l > 0; --l)
                out.push_back(static_cast<uint8_t>(base(rng)));
        }
        else if (r < rate)
            k += static_cast<size_t>(indel_len(rng)) - 1; // deletion
        else
            out.push_back(s[k]);
    }
    return out;
}

// Re-scores a CIGAR against the sequences; checks the spans. Returns the score.
int32_t rescore(ck::alignment_result const & r, seq_t const & q, seq_t const & t, ck::scoring const & sc)
{
    int32_t i = r.query_begin, j = r.target_begin, score = 0;
    for (uint32_t c : r.cigar)
    {
        auto const len = static_cast<int32_t>(c >> 4);
        EXPECT_GT(len, 0);
        switch (c & 0xF)
        {
        case 0:
            for (int32_t k = 0; k < len; ++k, ++i, ++j)
            {
                int const a = q.at(static_cast<size_t>(i)), b = t.at(static_cast<size_t>(j));
                score += (a > 3 || b > 3) ? -sc.ambiguous : (a == b ? sc.match : -sc.mismatch);
            }
            break;
        case 1:
            score -= sc.gap_open + len * sc.gap_extend;
            i += len;
            break;
        case 2:
            score -= sc.gap_open + len * sc.gap_extend;
            j += len;
            break;
        default:
            ADD_FAILURE() << "unexpected CIGAR op " << (c & 0xF);
        }
    }
    EXPECT_EQ(i, r.query_end) << "query span differs from the CIGAR";
    EXPECT_EQ(j, r.target_end) << "target span differs from the CIGAR";
    for (size_t k = 1; k < r.cigar.size(); ++k)
        EXPECT_NE(r.cigar[k] & 0xF, r.cigar[k - 1] & 0xF) << "unmerged CIGAR runs";
    return score;
}

std::string describe(seq_t const & q, seq_t const & t, ck::align_mode m, ck::scoring const & s)
{
    std::ostringstream os;
    os << (m == ck::align_mode::local ? "local" : "glocal") << " scoring{" << s.match << ',' << s.mismatch << ','
       << s.gap_open << ',' << s.gap_extend << ',' << s.ambiguous << "} q=";
    for (auto c : q)
        os << "ACGTN"[std::min<int>(c, 4)];
    os << " t=";
    for (auto c : t)
        os << "ACGTN"[std::min<int>(c, 4)];
    return os.str();
}

std::vector<ck::scoring> const & schemes()
{
    static std::vector<ck::scoring> const s = {
        {2, 8, 12, 2, 1},                  // default
        {1, 4, 6, 1, 1},                   // minimap2-like
        {1, 1, 0, 1, 1},                   // free gap open
        {5, 4, 10, 1, 3}, {1, 0, 0, 0, 0}, // everything ties
        {3, 1, 2, 3, 0},
    };
    return s;
}

// Checks the invariants of one result of the scalar reference.
void check_valid(ck::alignment_result const & r, seq_t const & q, seq_t const & t, ck::align_mode m,
                 ck::scoring const & s)
{
    EXPECT_EQ(rescore(r, q, t, s), r.score);
    if (m == ck::align_mode::glocal)
    {
        EXPECT_EQ(r.query_begin, 0);
        EXPECT_EQ(r.query_end, static_cast<int32_t>(q.size()));
    }
    else
    {
        EXPECT_GE(r.score, 0);
    }
}

class kernel_target : public ::testing::TestWithParam<ck::simd_target>
{
  protected:
    void SetUp() override
    {
        auto const avail = ck::available_targets();
        if (std::find(avail.begin(), avail.end(), GetParam()) == avail.end())
            GTEST_SKIP() << "SIMD target " << ck::to_string(GetParam()) << " is not available on this CPU";
    }

    // Compares target vs scalar on one pair in both modes, with and without traceback.
    void compare(seq_t const & q, seq_t const & t, ck::scoring const & s)
    {
        ck::aligner ref(s, ck::simd_target::scalar);
        ck::aligner sut(s, GetParam());
        for (auto m : {ck::align_mode::local, ck::align_mode::glocal})
        {
            auto const a =
                ref.align(q.data(), static_cast<int32_t>(q.size()), t.data(), static_cast<int32_t>(t.size()), m, true);
            auto const b =
                sut.align(q.data(), static_cast<int32_t>(q.size()), t.data(), static_cast<int32_t>(t.size()), m, true);
            auto const c =
                sut.align(q.data(), static_cast<int32_t>(q.size()), t.data(), static_cast<int32_t>(t.size()), m, false);
            SCOPED_TRACE(describe(q, t, m, s));
            check_valid(a, q, t, m, s);
            ASSERT_EQ(a.score, b.score);
            ASSERT_EQ(a.query_end, b.query_end);
            ASSERT_EQ(a.target_end, b.target_end);
            ASSERT_EQ(a.query_begin, b.query_begin);
            ASSERT_EQ(a.target_begin, b.target_begin);
            ASSERT_EQ(cigar_string(a.cigar), cigar_string(b.cigar));
            ASSERT_EQ(c.score, a.score);
            ASSERT_EQ(c.query_end, a.query_end);
            ASSERT_EQ(c.target_end, a.target_end);
            ASSERT_EQ(c.query_begin, -1);
            ASSERT_EQ(c.target_begin, -1);
            ASSERT_TRUE(c.cigar.empty());
            ++compared_;
        }
    }

    int compared_ = 0;
};

TEST_P(kernel_target, random_lengths_and_boundaries)
{
    std::mt19937_64 rng(20240601);
    std::vector<int32_t> const lens = {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65};
    std::uniform_int_distribution<size_t> pick(0, lens.size() - 1);
    std::uniform_int_distribution<int32_t> any_len(0, 200);
    std::bernoulli_distribution coin(0.5);
    for (auto const & s : schemes())
    {
        for (int rep = 0; rep < 300 && !HasFatalFailure(); ++rep)
        {
            int32_t const ql = coin(rng) ? lens[pick(rng)] : any_len(rng);
            int32_t const tl = coin(rng) ? lens[pick(rng)] : any_len(rng);
            seq_t const q = random_seq(rng, ql, rep % 5 == 0 ? 0.05 : 0.0);
            seq_t t = random_seq(rng, tl, rep % 7 == 0 ? 0.05 : 0.0);
            if (coin(rng) && ql > 0)
            {
                // related: target = mutated query embedded in random flanks
                seq_t const core = mutate(rng, q, 0.05);
                seq_t const left = random_seq(rng, tl / 4), right = random_seq(rng, tl / 4);
                t = left;
                t.insert(t.end(), core.begin(), core.end());
                t.insert(t.end(), right.begin(), right.end());
            }
            compare(q, t, s);
        }
    }
    EXPECT_GT(compared_, 3000);
}

TEST_P(kernel_target, reads_150_vs_windows_400)
{
    std::mt19937_64 rng(777);
    std::uniform_int_distribution<int32_t> offset(0, 250);
    for (auto const & s : schemes())
    {
        for (double rate : {0.003, 0.03, 0.1})
        {
            for (int rep = 0; rep < 15 && !HasFatalFailure(); ++rep)
            {
                seq_t const window = random_seq(rng, 400, 0.002);
                auto const off = offset(rng);
                seq_t const read(window.begin() + off, window.begin() + off + 150);
                compare(mutate(rng, read, rate), window, s);
            }
        }
    }
}

TEST_P(kernel_target, all_n_and_homopolymers)
{
    for (auto const & s : schemes())
    {
        for (int32_t ql : {1, 8, 17, 40})
        {
            for (int32_t tl : {1, 9, 33, 70})
            {
                compare(seq_t(static_cast<size_t>(ql), 4), seq_t(static_cast<size_t>(tl), 4), s);
                compare(seq_t(static_cast<size_t>(ql), 0), seq_t(static_cast<size_t>(tl), 0), s);
                compare(seq_t(static_cast<size_t>(ql), 4), seq_t(static_cast<size_t>(tl), 2), s);
            }
        }
    }
}

TEST_P(kernel_target, exact_occurrences)
{
    // Exercises the exact-occurrence shortcut of the SIMD targets against the plain scalar DP: repeats, several
    // occurrences, occurrences at both ends, a query equal to the target, N in the query, free gaps.
    std::mt19937_64 rng(31337);
    for (auto const & s : schemes())
    {
        for (int rep = 0; rep < 40 && !HasFatalFailure(); ++rep)
        {
            std::uniform_int_distribution<int32_t> len(1, 70);
            seq_t const q = random_seq(rng, len(rng));
            seq_t const gap = random_seq(rng, len(rng) / 3);
            seq_t t;
            if (rep % 4 != 0)
                t = random_seq(rng, len(rng) / 2);
            t.insert(t.end(), q.begin(), q.end());
            t.insert(t.end(), gap.begin(), gap.end());
            t.insert(t.end(), q.begin(), q.end());
            if (rep % 3 == 0)
                t.push_back(0);
            compare(q, t, s);
            compare(q, q, s);
            compare(seq_t(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(q.size() / 2)), q, s);
            seq_t qn = q;
            qn[qn.size() / 2] = 4;
            compare(qn, t, s);
        }
        compare(encode("ACACACAC"), encode("ACACACACACACAC"), s);
        compare(encode("AAAA"), encode("AAAAAAAAA"), s);
    }
}

TEST_P(kernel_target, one_substitution_occurrences)
{
    // Exercises the glocal one-substitution shortcut against the plain scalar DP: several placements with one
    // substitution (leftmost must win), an exact copy further right (must win), substitutions at the read ends,
    // near-ties with an indel, N in the target.
    std::mt19937_64 rng(4711);
    std::uniform_int_distribution<int32_t> len(2, 90);
    std::uniform_int_distribution<int> base(0, 3);
    for (auto const & s : schemes())
    {
        for (int rep = 0; rep < 60 && !HasFatalFailure(); ++rep)
        {
            seq_t const q = random_seq(rng, len(rng));
            auto substituted = [&](size_t pos)
            {
                seq_t c = q;
                c[pos] = static_cast<uint8_t>((c[pos] + 1 + base(rng) % 3) % 4);
                return c;
            };
            std::uniform_int_distribution<size_t> pos(0, q.size() - 1);
            seq_t t = random_seq(rng, len(rng) / 2);
            for (int copy = 0; copy < 1 + rep % 3; ++copy)
            {
                seq_t const c = rep % 7 == 0 ? substituted(rep % 2 == 0 ? 0 : q.size() - 1) : substituted(pos(rng));
                t.insert(t.end(), c.begin(), c.end());
                seq_t const spacer = random_seq(rng, len(rng) / 3);
                t.insert(t.end(), spacer.begin(), spacer.end());
            }
            if (rep % 5 == 0)
                t.insert(t.end(), q.begin(), q.end()); // exact copy on the right
            if (rep % 9 == 0)
                t.push_back(4);
            compare(q, t, s);
            compare(q, mutate(rng, t, 0.01), s);
        }
    }
}

TEST_P(kernel_target, two_pass_long_targets)
{
    // Targets >= 4x the query take the two-pass traceback on SIMD targets: reads with substitutions and indels,
    // several (mutated) copies of the read for end-cell ties, unrelated reads (low scores, wide pass-2 windows).
    std::mt19937_64 rng(2718);
    std::uniform_int_distribution<int32_t> qlen(1, 60);
    std::uniform_int_distribution<int> copies(1, 3);
    for (auto const & s : schemes())
    {
        for (int rep = 0; rep < 40 && !HasFatalFailure(); ++rep)
        {
            seq_t const q = random_seq(rng, qlen(rng), rep % 6 == 0 ? 0.03 : 0.0);
            seq_t t = random_seq(rng, static_cast<int32_t>(q.size()) * 2);
            for (int c = copies(rng); c > 0; --c)
            {
                seq_t const copy = rep % 5 == 0 ? random_seq(rng, static_cast<int32_t>(q.size()))
                                                : mutate(rng, q, 0.02 + 0.04 * (rep % 3));
                t.insert(t.end(), copy.begin(), copy.end());
                seq_t const spacer = random_seq(rng, static_cast<int32_t>(q.size()));
                t.insert(t.end(), spacer.begin(), spacer.end());
            }
            compare(q, t, s);
        }
    }
}

TEST_P(kernel_target, long_target_and_long_query)
{
    std::mt19937_64 rng(99);
    ck::scoring const s{};
    seq_t const big = random_seq(rng, 5600);
    seq_t const read(big.begin() + 3000, big.begin() + 3150);
    compare(mutate(rng, read, 0.03), big, s);
    seq_t const long_query = random_seq(rng, 1000);
    compare(long_query, seq_t(long_query.begin() + 100, long_query.begin() + 400), s);
}

TEST_P(kernel_target, int16_range_boundary_and_fallback)
{
    std::mt19937_64 rng(5);
    // match * min(qlen, tlen) == 30000: still SIMD.
    ck::scoring const s{100, 8, 12, 2, 1};
    seq_t const q = random_seq(rng, 300);
    EXPECT_TRUE(ck::simd_score_range_ok(s, 300, 300, ck::align_mode::local));
    compare(q, q, s);
    ck::aligner sut(s, GetParam());
    auto const r = sut.align(q.data(), 300, q.data(), 300, ck::align_mode::glocal);
    EXPECT_EQ(r.score, 30000);
    // One more base: scalar fallback, same results by construction.
    seq_t const q2 = random_seq(rng, 301);
    EXPECT_FALSE(ck::simd_score_range_ok(s, 301, 301, ck::align_mode::local));
    compare(q2, q2, s);
    // glocal lower bound: long query with a large gap extension.
    ck::scoring const g{1, 4, 6, 100, 1};
    EXPECT_FALSE(ck::simd_score_range_ok(g, 400, 50, ck::align_mode::glocal));
    EXPECT_TRUE(ck::simd_score_range_ok(g, 400, 50, ck::align_mode::local));
    compare(random_seq(rng, 400), random_seq(rng, 50), g);
}

TEST_P(kernel_target, workspace_reuse_across_sizes)
{
    std::mt19937_64 rng(11);
    ck::scoring const s{};
    ck::aligner ref(s, ck::simd_target::scalar);
    ck::aligner sut(s, GetParam());
    std::uniform_int_distribution<int32_t> len(0, 300);
    for (int rep = 0; rep < 200; ++rep)
    {
        seq_t const q = random_seq(rng, len(rng));
        seq_t const t = random_seq(rng, len(rng));
        for (auto m : {ck::align_mode::local, ck::align_mode::glocal})
        {
            ck::alignment_result a, b;
            ref.align(a, q.data(), static_cast<int32_t>(q.size()), t.data(), static_cast<int32_t>(t.size()), m);
            sut.align(b, q.data(), static_cast<int32_t>(q.size()), t.data(), static_cast<int32_t>(t.size()), m);
            ASSERT_EQ(a.score, b.score);
            ASSERT_EQ(cigar_string(a.cigar), cigar_string(b.cigar));
            ASSERT_EQ(a.target_begin, b.target_begin);
            ASSERT_EQ(a.target_end, b.target_end);
        }
    }
}

std::vector<ck::simd_target> simd_targets()
{
    return {ck::simd_target::sse41, ck::simd_target::avx2, ck::simd_target::avx512bw};
}

INSTANTIATE_TEST_SUITE_P(targets, kernel_target, ::testing::ValuesIn(simd_targets()),
                         [](auto const & info)
                         {
                             std::string n(ck::to_string(info.param));
                             n.erase(std::remove(n.begin(), n.end(), '.'), n.end());
                             return n;
                         });

// ---- local gap-free shortcut ----------------------------------------------------------------------------------

uint64_t shortcut_hits() { return ck::detail::local_gap_free_shortcut_hits(); }

bool any_n(seq_t const & x)
{
    return std::any_of(x.begin(), x.end(), [](uint8_t c) { return c > 3; });
}

// Mirrors the applicability test of the local gap-free shortcut (see its proof in kernels.cpp): the gapped bound
// B = match * min(qlen, tlen) - (gap_open + gap_extend), or nullopt when the shortcut is not attempted (seeds
// shorter than 12, no positive bound). Kept in step with kernels.cpp on purpose: the test must notice when the
// path silently stops being used.
std::optional<int64_t> shortcut_bound(ck::scoring const & s, seq_t const & q, seq_t const & t)
{
    int64_t const a = s.match;
    int64_t const oe = static_cast<int64_t>(s.gap_open) + s.gap_extend;
    auto const n0 = static_cast<int64_t>(std::min(q.size(), t.size()));
    if (oe <= 0 || n0 == 0 || a * n0 - oe < 0)
        return std::nullopt;
    int64_t const bound = a * n0 - oe;
    int64_t const p = (any_n(q) || any_n(t)) ? std::min(s.mismatch, s.ambiguous) : s.mismatch;
    int64_t const max_mismatches = (oe - 1) / (a + p);
    int64_t min_run = std::numeric_limits<int64_t>::max();
    for (int64_t m = 0; m <= max_mismatches && min_run >= 23; ++m)
        min_run = std::min(min_run, ((bound + p * m) / a + 1 + m) / (m + 1));
    int64_t const b = std::min<int64_t>((min_run + 1) / 2, 32);
    if (b < 12 || static_cast<int64_t>(q.size()) < b || static_cast<int64_t>(t.size()) < b)
        return std::nullopt;
    return bound;
}

// True when the exact-occurrence shortcut (memmem) answers before the local gap-free shortcut is tried.
bool exact_occurrence_first(ck::scoring const & s, seq_t const & q, seq_t const & t)
{
    return !q.empty() && q.size() <= t.size() && !any_n(q) && s.gap_open + s.gap_extend > 0 &&
           std::search(t.begin(), t.end(), q.begin(), q.end()) != t.end();
}

seq_t substitute(std::mt19937_64 & rng, seq_t x, size_t pos)
{
    std::uniform_int_distribution<int> other(1, 3);
    x[pos] = static_cast<uint8_t>(((x[pos] & 3) + other(rng)) % 4);
    return x;
}

// Random substitution position: anywhere, or among the first / last 1-5 bases.
size_t sub_position(std::mt19937_64 & rng, size_t len)
{
    std::uniform_int_distribution<int> kind(0, 2);
    std::uniform_int_distribution<size_t> edge(0, std::min<size_t>(4, len - 1));
    std::uniform_int_distribution<size_t> any(0, len - 1);
    switch (kind(rng))
    {
    case 0:
        return edge(rng);
    case 1:
        return len - 1 - edge(rng);
    default:
        return any(rng);
    }
}

class local_shortcut : public kernel_target
{
  protected:
    // compare() (every mode, with and without traceback, against the scalar reference), then checks that the SIMD
    // target answered the local calls with the gap-free shortcut exactly when its proof applies. Returns whether it
    // did. With strict == false (low-complexity inputs: the 64-diagonal cap may send it to the DP) only the
    // "never when the proof does not apply" half is checked.
    bool compare_local(seq_t const & q, seq_t const & t, ck::scoring const & s, bool strict = true)
    {
        uint64_t const before = shortcut_hits();
        compare(q, t, s);
        uint64_t const taken = shortcut_hits() - before;
        if (HasFatalFailure())
            return false;
        ck::aligner ref(s, ck::simd_target::scalar);
        auto const r = ref.align(q.data(), static_cast<int32_t>(q.size()), t.data(), static_cast<int32_t>(t.size()),
                                 ck::align_mode::local);
        EXPECT_EQ(shortcut_hits() - before, taken) << "the scalar target must never take the shortcut";
        auto const bound = shortcut_bound(s, q, t);
        bool const applies = bound.has_value() && r.score > *bound && !exact_occurrence_first(s, q, t);
        SCOPED_TRACE(describe(q, t, ck::align_mode::local, s));
        if (applies)
        {
            // The theorem itself: nothing with a gap scores above B.
            EXPECT_EQ(r.cigar.size(), 1u) << cigar_string(r.cigar);
        }
        if (strict || !applies)
        {
            EXPECT_EQ(taken, applies ? 2u : 0u) << "local calls answered by the gap-free shortcut (B = "
                                                << bound.value_or(-1) << ", score " << r.score << ")";
        }
        return taken == 2;
    }
};

std::vector<ck::scoring> const & shortcut_schemes()
{
    static std::vector<ck::scoring> const s = [] {
        std::vector<ck::scoring> v = schemes();
        v.push_back({1, 1, 10, 1, 1}); // M = 5 (a gap costs as much as 5 mismatches)
        v.push_back({2, 3, 16, 4, 2}); // M = 3
        v.push_back({1, 2, 8, 2, 1});  // M = 3, 4 with N
        v.push_back({3, 2, 30, 1, 1}); // M = 6: needs long reads for seeds >= 12
        v.push_back({2, 8, 40, 1, 0}); // M = 4, 20 with N (ambiguous 0)
        return v;
    }();
    return s;
}

TEST_P(local_shortcut, substituted_copies_repeats_and_ties)
{
    // Queries are copies of target substrings with 0, 1 or 2 substitutions (anywhere or in the first / last 1-5
    // bases); targets hold one or two near-copies (different substitutions, same-score ties on different
    // diagonals, copies cut by the target end), N in the query or the target, queries longer than the target.
    std::mt19937_64 rng(8675309);
    std::uniform_int_distribution<int32_t> qlen_d(40, 300);
    std::uniform_int_distribution<int32_t> flank_d(0, 150);
    std::uniform_int_distribution<int> subs_d(0, 2);
    int taken = 0, total = 0;
    for (auto const & s : shortcut_schemes())
    {
        int taken_here = 0;
        for (int rep = 0; rep < 70 && !HasFatalFailure(); ++rep)
        {
            auto const qlen = static_cast<size_t>(qlen_d(rng));
            seq_t q = random_seq(rng, static_cast<int32_t>(qlen));
            auto near_copy = [&](int nsubs)
            {
                seq_t c = q;
                for (int k = 0; k < nsubs; ++k)
                    c = substitute(rng, c, sub_position(rng, c.size()));
                return c;
            };
            if (rep % 5 == 3) // N in the query
                q[std::uniform_int_distribution<size_t>(0, qlen - 1)(rng)] = 4;
            seq_t const copy1 = near_copy(rep % 11 == 0 ? 0 : 1 + subs_d(rng) % 2);
            seq_t copy2;
            switch (rep % 4)
            {
            case 0: // no second copy
                break;
            case 1: // same substitution positions, maybe other bases: an equal-score tie on another diagonal
                copy2 = q;
                for (size_t k = 0; k < q.size(); ++k)
                    if (copy1[k] != q[k])
                        copy2 = substitute(rng, copy2, k);
                break;
            default:
                copy2 = near_copy(subs_d(rng));
                break;
            }
            seq_t t = random_seq(rng, flank_d(rng));
            t.insert(t.end(), copy1.begin(), copy1.end());
            if (!copy2.empty())
            {
                seq_t const spacer = random_seq(rng, flank_d(rng) / 3);
                t.insert(t.end(), spacer.begin(), spacer.end());
                t.insert(t.end(), copy2.begin(), copy2.end());
            }
            if (rep % 6 == 5) // the target ends inside the last copy
                t.resize(t.size() - std::uniform_int_distribution<size_t>(1, 10)(rng));
            else
            {
                seq_t const right = random_seq(rng, flank_d(rng));
                t.insert(t.end(), right.begin(), right.end());
            }
            if (rep % 7 == 4 && !t.empty()) // N in the target
                t[std::uniform_int_distribution<size_t>(0, t.size() - 1)(rng)] = 4;
            if (rep % 10 == 9) // query longer than the target: the target is a substituted piece of the query
            {
                auto const from = std::uniform_int_distribution<size_t>(0, qlen / 4)(rng);
                t.assign(q.begin() + static_cast<std::ptrdiff_t>(from),
                         q.begin() + static_cast<std::ptrdiff_t>(from + qlen / 2));
                t = substitute(rng, t, sub_position(rng, t.size()));
            }
            taken_here += compare_local(q, t, s) ? 1 : 0;
            ++total;
        }
        taken += taken_here;
        // Schemes with a positive gapped bound and seeds >= 12 at these lengths must use the path.
        if (s.gap_open + s.gap_extend > s.match + s.mismatch)
        {
            EXPECT_GT(taken_here, 10) << "scheme {" << s.match << ',' << s.mismatch << ',' << s.gap_open << ','
                                      << s.gap_extend << ',' << s.ambiguous << "}";
        }
    }
    std::cout << "[          ] local gap-free shortcut taken in " << taken << " of " << total << " pairs\n";
    EXPECT_GT(taken, total / 4);
}

TEST_P(local_shortcut, evenly_spaced_mismatches)
{
    // The extremal case of the seed argument: as many non-matching pairs as a gap-free segment scoring above the
    // gapped bound can hold (M = floor((oe - 1) / (match + p))), evenly spaced, so the longest exact run is as short
    // as the proof allows; copies at every offset modulo the target stride. With N: the non-matching pairs are
    // N in the query when ambiguous <= mismatch (p = ambiguous), else substitutions plus an N in the target flank.
    std::mt19937_64 rng(99991);
    int taken = 0, applicable = 0;
    for (auto const & s : shortcut_schemes())
    {
        for (int with_n = 0; with_n < 2; ++with_n)
        {
            int64_t const oe = static_cast<int64_t>(s.gap_open) + s.gap_extend;
            int64_t const p = with_n != 0 ? std::min(s.mismatch, s.ambiguous) : s.mismatch;
            if (oe <= 0)
                continue;
            auto const m = static_cast<size_t>((oe - 1) / (s.match + p));
            for (size_t qlen : {100u, 150u, 151u, 200u, 250u, 300u})
            {
                int const step = qlen == 150u ? 1 : 5; // every phase against the target stride once
                for (int off = 0; off < 45 && !HasFatalFailure(); off += step)
                {
                    seq_t const src = random_seq(rng, static_cast<int32_t>(qlen));
                    seq_t q = src;
                    for (size_t k = 1; k <= m; ++k) // positions k * qlen / (m + 1): runs of near-equal length
                    {
                        size_t const pos = k * qlen / (m + 1);
                        if (with_n != 0 && s.ambiguous <= s.mismatch)
                            q[pos] = 4;
                        else
                            q = substitute(rng, q, pos);
                    }
                    seq_t t = random_seq(rng, off);
                    if (with_n != 0 && !t.empty())
                        t[0] = 4;
                    else if (with_n != 0)
                        t.push_back(4);
                    t.insert(t.end(), src.begin(), src.end());
                    seq_t const right = random_seq(rng, 60);
                    t.insert(t.end(), right.begin(), right.end());
                    bool const did = compare_local(q, t, s);
                    taken += did ? 1 : 0;
                    auto const bound = shortcut_bound(s, q, t);
                    applicable += bound.has_value() ? 1 : 0;
                }
            }
        }
    }
    std::cout << "[          ] evenly spaced: shortcut taken in " << taken << " of " << applicable
              << " pairs with seeds >= 12\n";
    EXPECT_GT(taken, 300);
}

TEST_P(local_shortcut, reads_150_vs_windows_400)
{
    // The benchmark's shape: 150 bp reads from 400 bp windows with 0-3 substitutions (+ rare indels).
    std::mt19937_64 rng(424242);
    std::uniform_int_distribution<size_t> offset(0, 250);
    std::uniform_int_distribution<int> subs(0, 3);
    int taken = 0;
    for (auto const & s : shortcut_schemes())
    {
        for (int rep = 0; rep < 25 && !HasFatalFailure(); ++rep)
        {
            seq_t const window = random_seq(rng, 400);
            auto const off = static_cast<std::ptrdiff_t>(offset(rng));
            seq_t read(window.begin() + off, window.begin() + off + 150);
            for (int k = subs(rng); k > 0; --k)
                read = substitute(rng, read, sub_position(rng, read.size()));
            if (rep % 8 == 7)
                read = mutate(rng, read, 0.01);
            taken += compare_local(read, window, s) ? 1 : 0;
        }
    }
    EXPECT_GT(taken, 50);
}

TEST_P(local_shortcut, low_complexity_and_many_diagonals)
{
    // Tandem repeats: many candidate diagonals (beyond the cap of 64 the DP answers), equal scores on many
    // diagonals, homopolymers. Only correctness is required here (strict == false).
    std::mt19937_64 rng(1234);
    for (auto const & s : shortcut_schemes())
    {
        for (int period = 1; period <= 7 && !HasFatalFailure(); ++period)
        {
            seq_t const unit = random_seq(rng, period);
            seq_t t;
            while (t.size() < 400)
                t.insert(t.end(), unit.begin(), unit.end());
            seq_t q(t.begin() + 13, t.begin() + 163);
            compare_local(substitute(rng, q, 75), t, s, false);
            compare_local(substitute(rng, q, 2), t, s, false);
            seq_t t2 = random_seq(rng, 100); // the repeat embedded in random sequence
            t2.insert(t2.end(), t.begin(), t.begin() + 200);
            seq_t const tail = random_seq(rng, 100);
            t2.insert(t2.end(), tail.begin(), tail.end());
            compare_local(substitute(rng, q, 148), t2, s, false);
        }
    }
}

TEST_P(local_shortcut, hand_checked_results)
{
    std::mt19937_64 rng(77);
    ck::scoring const s{}; // 2, 8, 12, 2, 1: B = 300 - 14 = 286 for 150 bp
    seq_t const window = random_seq(rng, 400);
    seq_t const read(window.begin() + 100, window.begin() + 250);
    ck::aligner sut(s, GetParam());
    auto run = [&](seq_t const & q, seq_t const & t)
    {
        uint64_t const before = shortcut_hits();
        auto r = sut.align(q.data(), static_cast<int32_t>(q.size()), t.data(), static_cast<int32_t>(t.size()),
                           ck::align_mode::local);
        EXPECT_EQ(shortcut_hits() - before, 1u) << "shortcut not taken";
        return r;
    };
    // One substitution in the middle: the whole read, 149 * 2 - 8 = 290 > 286.
    auto const mid = run(substitute(rng, read, 70), window);
    EXPECT_EQ(mid.score, 290);
    EXPECT_EQ(cigar_string(mid.cigar), "150M");
    EXPECT_EQ(mid.query_begin, 0);
    EXPECT_EQ(mid.target_begin, 100);
    EXPECT_EQ(mid.target_end, 250);
    // Substitution at the last base: clipped (298 > 290).
    auto const last = run(substitute(rng, read, 149), window);
    EXPECT_EQ(last.score, 298);
    EXPECT_EQ(cigar_string(last.cigar), "149M");
    EXPECT_EQ(last.query_end, 149);
    EXPECT_EQ(last.target_end, 249);
    // Substitution 5 bases from the end: full read (290) and clipped read (290) tie on the same diagonal; the end
    // cell with the smaller anti-diagonal wins.
    auto const tie = run(substitute(rng, read, 145), window);
    EXPECT_EQ(tie.score, 290);
    EXPECT_EQ(cigar_string(tie.cigar), "145M");
    EXPECT_EQ(tie.target_begin, 100);
    // Substitution at the first base: clipped at the start (the DP starts after a cell with H == 0).
    auto const first = run(substitute(rng, read, 0), window);
    EXPECT_EQ(first.score, 298);
    EXPECT_EQ(cigar_string(first.cigar), "149M");
    EXPECT_EQ(first.query_begin, 1);
    EXPECT_EQ(first.target_begin, 101);
    // Score only: same score and end, no begin, no CIGAR.
    seq_t const q2 = substitute(rng, read, 30);
    uint64_t const before = shortcut_hits();
    auto const so = sut.align(q2.data(), 150, window.data(), 400, ck::align_mode::local, false);
    EXPECT_EQ(shortcut_hits() - before, 1u);
    EXPECT_EQ(so.score, 290);
    EXPECT_EQ(so.query_end, 150);
    EXPECT_EQ(so.target_end, 250);
    EXPECT_EQ(so.query_begin, -1);
    EXPECT_EQ(so.target_begin, -1);
    EXPECT_TRUE(so.cigar.empty());
    // A 1 bp deletion in the middle: 150 matches - 14 = 286 = B, not above it -> the DP answers.
    seq_t del(window.begin() + 100, window.begin() + 175);
    del.insert(del.end(), window.begin() + 176, window.begin() + 251);
    uint64_t const before_del = shortcut_hits();
    auto const d = sut.align(del.data(), 150, window.data(), 400, ck::align_mode::local);
    EXPECT_EQ(shortcut_hits(), before_del);
    EXPECT_EQ(d.score, 286);
    // The scalar target never takes it.
    ck::aligner ref(s, ck::simd_target::scalar);
    seq_t const q3 = substitute(rng, read, 70);
    uint64_t const before_ref = shortcut_hits();
    auto const rr = ref.align(q3.data(), 150, window.data(), 400, ck::align_mode::local);
    EXPECT_EQ(shortcut_hits(), before_ref);
    EXPECT_EQ(rr.score, 290);
}

INSTANTIATE_TEST_SUITE_P(targets, local_shortcut, ::testing::ValuesIn(simd_targets()),
                         [](auto const & info)
                         {
                             std::string n(ck::to_string(info.param));
                             n.erase(std::remove(n.begin(), n.end(), '.'), n.end());
                             return n;
                         });

// ---- hand-checked cases, run on every available target --------------------------------------------------------

class hand_checked : public kernel_target
{
  protected:
    ck::alignment_result run(std::string const & q, std::string const & t, ck::align_mode m, ck::scoring const & s = {})
    {
        seq_t const qs = encode(q), ts = encode(t);
        ck::aligner a(s, GetParam());
        auto r = a.align(qs.data(), static_cast<int32_t>(qs.size()), ts.data(), static_cast<int32_t>(ts.size()), m);
        EXPECT_EQ(rescore(r, qs, ts, s), r.score);
        return r;
    }
};

TEST_P(hand_checked, exact_match)
{
    for (auto m : {ck::align_mode::local, ck::align_mode::glocal})
    {
        auto const r = run("ACGTTGCAAC", "ACGTTGCAAC", m);
        EXPECT_EQ(r.score, 20);
        EXPECT_EQ(cigar_string(r.cigar), "10M");
        EXPECT_EQ(r.query_begin, 0);
        EXPECT_EQ(r.query_end, 10);
        EXPECT_EQ(r.target_begin, 0);
        EXPECT_EQ(r.target_end, 10);
    }
    // read inside a window
    auto const r = run("GATTACAGATTACA", "CCCCCGATTACAGATTACACCCCC", ck::align_mode::glocal);
    EXPECT_EQ(r.score, 28);
    EXPECT_EQ(cigar_string(r.cigar), "14M");
    EXPECT_EQ(r.target_begin, 5);
    EXPECT_EQ(r.target_end, 19);
}

TEST_P(hand_checked, one_mismatch)
{
    //           0123456789          0123456789
    std::string const t = "ACGTTGCAACGATCCATGCA";
    std::string q = t;
    q[10] = 'T'; // G -> T
    for (auto m : {ck::align_mode::local, ck::align_mode::glocal})
    {
        auto const r = run(q, t, m);
        EXPECT_EQ(r.score, 19 * 2 - 8);
        EXPECT_EQ(cigar_string(r.cigar), "20M");
    }
}

TEST_P(hand_checked, one_insertion)
{
    std::string const t = "ACGTTGCAACGATCCATGCATTGACCAGTACGGATCAGTC"; // 40
    std::string const q = t.substr(0, 20) + "G" + t.substr(20);       // t[19] = 'A', t[20] = 'T'
    for (auto m : {ck::align_mode::local, ck::align_mode::glocal})
    {
        auto const r = run(q, t, m);
        EXPECT_EQ(r.score, 80 - 14);
        EXPECT_EQ(cigar_string(r.cigar), "20M1I20M");
        EXPECT_EQ(r.query_end, 41);
        EXPECT_EQ(r.target_end, 40);
    }
}

TEST_P(hand_checked, one_deletion)
{
    std::string const t = "ACGTTGCAACGATCCATGCATTGACCAGTACGGATCAGTC"; // 40
    std::string const q = t.substr(0, 20) + t.substr(21);             // drop t[20] = 'T' (t[19] = 'A', t[21] = 'T')
    for (auto m : {ck::align_mode::local, ck::align_mode::glocal})
    {
        auto const r = run(q, t, m);
        EXPECT_EQ(r.score, 78 - 14);
        EXPECT_EQ(r.target_end, 40);
        EXPECT_EQ(r.query_end, 39);
        // The deleted T sits in "ATT": the gap is placed where the tie rules put it; both are optimal.
        EXPECT_TRUE(cigar_string(r.cigar) == "20M1D19M" || cigar_string(r.cigar) == "21M1D18M")
            << cigar_string(r.cigar);
    }
}

TEST_P(hand_checked, query_longer_than_target)
{
    std::string const t = "CGTCGTCGTC";
    std::string const q = std::string(20, 'A') + t;
    auto const loc = run(q, t, ck::align_mode::local);
    EXPECT_EQ(loc.score, 20);
    EXPECT_EQ(cigar_string(loc.cigar), "10M");
    EXPECT_EQ(loc.query_begin, 20);
    EXPECT_EQ(loc.query_end, 30);
    EXPECT_EQ(loc.target_begin, 0);
    EXPECT_EQ(loc.target_end, 10);
    auto const glo = run(q, t, ck::align_mode::glocal);
    EXPECT_EQ(glo.score, 20 - (12 + 20 * 2));
    EXPECT_EQ(cigar_string(glo.cigar), "20I10M");
    EXPECT_EQ(glo.query_begin, 0);
    EXPECT_EQ(glo.query_end, 30);
    EXPECT_EQ(glo.target_begin, 0);
    EXPECT_EQ(glo.target_end, 10);
}

TEST_P(hand_checked, empty_inputs)
{
    auto const a = run("", "ACGT", ck::align_mode::local);
    EXPECT_EQ(a.score, 0);
    EXPECT_TRUE(a.cigar.empty());
    auto const b = run("ACGT", "", ck::align_mode::local);
    EXPECT_EQ(b.score, 0);
    EXPECT_EQ(b.query_end, 0);
    auto const c = run("", "ACGT", ck::align_mode::glocal);
    EXPECT_EQ(c.score, 0);
    EXPECT_EQ(c.target_end, 0);
    auto const d = run("ACGT", "", ck::align_mode::glocal);
    EXPECT_EQ(d.score, -(12 + 4 * 2));
    EXPECT_EQ(cigar_string(d.cigar), "4I");
    EXPECT_EQ(d.query_end, 4);
    EXPECT_EQ(d.target_begin, 0);
    EXPECT_EQ(d.target_end, 0);
    auto const e = run("AAAA", "CCCC", ck::align_mode::local); // nothing positive
    EXPECT_EQ(e.score, 0);
    EXPECT_TRUE(e.cigar.empty());
    EXPECT_EQ(e.query_end, 0);
    EXPECT_EQ(e.target_end, 0);
    auto const f = run("AAAA", "C", ck::align_mode::glocal); // 4I (-20) beats 3I + 1 mismatch (-26)
    EXPECT_EQ(f.score, -20);
    EXPECT_EQ(cigar_string(f.cigar), "4I");
}

TEST_P(hand_checked, local_tie_rule)
{
    // Two equal hits: the one ending on the smaller anti-diagonal (query_end + target_end) wins.
    auto const r = run("ACGTAC", "ACGTACTTTTTACGTAC", ck::align_mode::local);
    EXPECT_EQ(r.score, 12);
    EXPECT_EQ(r.target_begin, 0);
    EXPECT_EQ(r.target_end, 6);
    // glocal: smallest target_end among equal last-row cells
    auto const g = run("ACGTAC", "ACGTACTTTTTACGTAC", ck::align_mode::glocal);
    EXPECT_EQ(g.target_end, 6);
}

INSTANTIATE_TEST_SUITE_P(targets, hand_checked,
                         ::testing::Values(ck::simd_target::scalar, ck::simd_target::sse41, ck::simd_target::avx2,
                                           ck::simd_target::avx512bw),
                         [](auto const & info)
                         {
                             std::string n(ck::to_string(info.param));
                             n.erase(std::remove(n.begin(), n.end(), '.'), n.end());
                             return n;
                         });

// ---- API ---------------------------------------------------------------------------------------------------------

TEST(kernels_api, names_round_trip)
{
    for (auto t : {ck::simd_target::scalar, ck::simd_target::sse41, ck::simd_target::avx2, ck::simd_target::avx512bw})
        EXPECT_EQ(ck::parse_simd_target(ck::to_string(t)), t);
    EXPECT_EQ(ck::to_string(ck::simd_target::sse41), "sse4.1");
    EXPECT_FALSE(ck::parse_simd_target("auto").has_value());
    EXPECT_FALSE(ck::parse_simd_target("neon").has_value());
}

TEST(kernels_api, targets)
{
    auto const compiled = ck::compiled_targets();
    auto const avail = ck::available_targets();
    ASSERT_FALSE(avail.empty());
    EXPECT_EQ(avail.front(), ck::simd_target::scalar);
    for (auto t : avail)
        EXPECT_NE(std::find(compiled.begin(), compiled.end(), t), compiled.end());
    EXPECT_EQ(ck::best_available_target(), avail.back());
    std::string names;
    for (auto t : avail)
        names += std::string(ck::to_string(t)) + " ";
    std::cout << "[          ] available targets: " << names << "\n";
}

TEST(kernels_api, rejects_bad_arguments)
{
    EXPECT_THROW(ck::aligner(ck::scoring{0, 8, 12, 2, 1}, ck::simd_target::scalar), std::invalid_argument);
    EXPECT_THROW(ck::aligner(ck::scoring{2, -1, 12, 2, 1}, ck::simd_target::scalar), std::invalid_argument);
    EXPECT_THROW(ck::aligner(ck::scoring{2, 8, 12, -2, 1}, ck::simd_target::scalar), std::invalid_argument);
    auto const avail = ck::available_targets();
    for (auto t : ck::compiled_targets())
    {
        if (std::find(avail.begin(), avail.end(), t) == avail.end())
        {
            EXPECT_THROW(ck::aligner(ck::scoring{}, t), std::invalid_argument);
        }
    }
    ck::aligner a(ck::scoring{}, ck::simd_target::scalar);
    uint8_t const x = 0;
    EXPECT_THROW(a.align(&x, -1, &x, 1, ck::align_mode::local), std::invalid_argument);
}

} // namespace
