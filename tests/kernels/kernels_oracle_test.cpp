// chemores kernels: oracle test. Scores of the scalar reference kernel vs SeqAn3 3.2 align_pairwise on random
// DNA pairs (no N), local and semi-global (target ends free).
//
// SeqAn3 3.2 semantics (checked by the hand-made cases below): a gap of length L costs
// open_score + L * extension_score, so open_score{-gap_open}, extension_score{-gap_extend}. Free end gaps: SeqAn3
// names them after the sequence whose leading/trailing characters may stay unaligned for free, so "target ends
// free" is method_global with free_end_gaps_sequence2_leading / _trailing set (sequence2 = target).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <tuple>
#include <vector>

#include <seqan3/alignment/configuration/align_config_gap_cost_affine.hpp>
#include <seqan3/alignment/configuration/align_config_method.hpp>
#include <seqan3/alignment/configuration/align_config_output.hpp>
#include <seqan3/alignment/configuration/align_config_scoring_scheme.hpp>
#include <seqan3/alignment/pairwise/align_pairwise.hpp>
#include <seqan3/alignment/scoring/nucleotide_scoring_scheme.hpp>
#include <seqan3/alphabet/nucleotide/dna4.hpp>

#include "chemores/align/kernels/kernels.hpp"

namespace
{

namespace ck = chemores::align::kernels;

int32_t seqan_score(std::vector<uint8_t> const & q, std::vector<uint8_t> const & t, ck::scoring const & s,
                    ck::align_mode m)
{
    std::vector<seqan3::dna4> qa, ta;
    for (auto c : q)
        qa.push_back(seqan3::dna4{}.assign_rank(c));
    for (auto c : t)
        ta.push_back(seqan3::dna4{}.assign_rank(c));
    auto const scheme = seqan3::align_cfg::scoring_scheme{seqan3::nucleotide_scoring_scheme<int16_t>{
        seqan3::match_score{static_cast<int16_t>(s.match)}, seqan3::mismatch_score{static_cast<int16_t>(-s.mismatch)}}};
    auto const gaps = seqan3::align_cfg::gap_cost_affine{seqan3::align_cfg::open_score{-s.gap_open},
                                                         seqan3::align_cfg::extension_score{-s.gap_extend}};
    int32_t score = 0;
    if (m == ck::align_mode::local)
    {
        auto const cfg = seqan3::align_cfg::method_local{} | scheme | gaps | seqan3::align_cfg::output_score{};
        for (auto && r : seqan3::align_pairwise(std::tie(qa, ta), cfg))
            score = r.score();
    }
    else
    {
        auto const method = seqan3::align_cfg::method_global{seqan3::align_cfg::free_end_gaps_sequence1_leading{false},
                                                             seqan3::align_cfg::free_end_gaps_sequence2_leading{true},
                                                             seqan3::align_cfg::free_end_gaps_sequence1_trailing{false},
                                                             seqan3::align_cfg::free_end_gaps_sequence2_trailing{true}};
        auto const cfg = method | scheme | gaps | seqan3::align_cfg::output_score{};
        for (auto && r : seqan3::align_pairwise(std::tie(qa, ta), cfg))
            score = r.score();
    }
    return score;
}

int32_t chemores_score(std::vector<uint8_t> const & q, std::vector<uint8_t> const & t, ck::scoring const & s,
                       ck::align_mode m)
{
    ck::aligner a(s, ck::simd_target::scalar);
    return a.align(q.data(), static_cast<int32_t>(q.size()), t.data(), static_cast<int32_t>(t.size()), m).score;
}

std::vector<uint8_t> random_dna(std::mt19937_64 & rng, int32_t len)
{
    std::uniform_int_distribution<int> base(0, 3);
    std::vector<uint8_t> s(static_cast<size_t>(len));
    for (auto & c : s)
        c = static_cast<uint8_t>(base(rng));
    return s;
}

TEST(kernels_oracle, seqan3_semantics_hand_checked)
{
    ck::scoring const s{};
    // ACGTTTACGT vs ACGTACGT: one 2-base gap, 8 matches: 16 - (12 + 2 * 2) = 0 globally.
    std::vector<uint8_t> const q = {0, 1, 2, 3, 3, 3, 0, 1, 2, 3};
    std::vector<uint8_t> const t = {1, 1, 0, 1, 2, 3, 0, 1, 2, 3, 2, 2};
    EXPECT_EQ(chemores_score(q, t, s, ck::align_mode::glocal), seqan_score(q, t, s, ck::align_mode::glocal));
    // query inside a longer target: the target overhangs must be free.
    std::vector<uint8_t> const read = {0, 1, 2, 3, 0, 1};
    std::vector<uint8_t> const window = {3, 3, 3, 0, 1, 2, 3, 0, 1, 3, 3};
    EXPECT_EQ(seqan_score(read, window, s, ck::align_mode::glocal), 12);
}

TEST(kernels_oracle, scalar_scores_match_seqan3)
{
    std::mt19937_64 rng(4242);
    std::vector<ck::scoring> const schemes = {
        {2, 8, 12, 2, 1}, {1, 4, 6, 1, 1}, {1, 1, 0, 1, 1}, {5, 4, 10, 1, 3}, {3, 1, 2, 3, 0}};
    std::uniform_int_distribution<int32_t> len(1, 120);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    int checked = 0;
    for (auto const & s : schemes)
    {
        for (int rep = 0; rep < 80; ++rep)
        {
            auto const q = random_dna(rng, len(rng));
            std::vector<uint8_t> t = random_dna(rng, len(rng));
            if (rep % 2 == 0)
            {
                // related pair: target = flank + mutated query + flank
                std::vector<uint8_t> core;
                for (auto c : q)
                {
                    double const r = u(rng);
                    if (r < 0.04)
                        core.push_back(static_cast<uint8_t>((c + 1) % 4));
                    else if (r < 0.06)
                        continue;
                    else if (r < 0.08)
                        core.insert(core.end(), {c, static_cast<uint8_t>((c + 2) % 4)});
                    else
                        core.push_back(c);
                }
                auto const flank = random_dna(rng, static_cast<int32_t>(rep % 30));
                t = flank;
                t.insert(t.end(), core.begin(), core.end());
                t.insert(t.end(), flank.begin(), flank.end());
                if (t.empty())
                    t.push_back(0);
            }
            for (auto m : {ck::align_mode::local, ck::align_mode::glocal})
            {
                ASSERT_EQ(chemores_score(q, t, s, m), seqan_score(q, t, s, m))
                    << (m == ck::align_mode::local ? "local" : "glocal") << " rep " << rep << " scoring{" << s.match
                    << ',' << s.mismatch << ',' << s.gap_open << ',' << s.gap_extend << '}';
                ++checked;
            }
        }
    }
    EXPECT_EQ(checked, 800);
}

} // namespace
