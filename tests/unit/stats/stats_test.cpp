#include <algorithm>
#include <chemores/core/errors.hpp>
#include <chemores/stats/stats.hpp>
#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <vector>

using namespace chemores::stats;
using chemores::config_error;

namespace
{
// Independent reference: P(Binomial(n, p) >= k) summed term by term in log space from lgamma.
double binomial_sf_reference(uint64_t n, uint64_t k, double p)
{
    double m = -INFINITY;
    std::vector<double> terms;
    for (uint64_t j = k; j <= n; ++j)
    {
        double const l = std::lgamma(n + 1.0) - std::lgamma(j + 1.0) - std::lgamma(n - j + 1.0) + j * std::log(p) +
                         (n - j) * std::log1p(-p);
        terms.push_back(l);
        m = std::max(m, l);
    }
    double s = 0;
    for (double l : terms)
        s += std::exp(l - m);
    return m + std::log(s);
}

// Brute force: enumerate all 2^n outcomes.
double brute_force_sf(std::vector<double> const & p, uint64_t k)
{
    double total = 0;
    size_t const n = p.size();
    for (uint64_t mask = 0; mask < (uint64_t{1} << n); ++mask)
    {
        double pr = 1;
        uint64_t successes = 0;
        for (size_t i = 0; i < n; ++i)
        {
            bool const s = (mask >> i) & 1;
            pr *= s ? p[i] : 1 - p[i];
            successes += s;
        }
        if (successes >= k)
            total += pr;
    }
    return total;
}
} // namespace

// ---- Wilson ---------------------------------------------------------------------------------------------------------

TEST(wilson, hand_computed)
{
    // 5/10: centre 0.5, half-width 1.96/(10 + 3.8415) * sqrt(2.5 + 0.9604) = 0.26340
    auto const i = wilson_interval(5, 10);
    EXPECT_NEAR(i.lower, 0.236593, 1e-6);
    EXPECT_NEAR(i.upper, 0.763407, 1e-6);
    // 0/10: lower exactly 0, upper 2 * 1.9208 / 13.8415 = 0.27754
    auto const z = wilson_interval(0, 10);
    EXPECT_EQ(z.lower, 0.0);
    EXPECT_NEAR(z.upper, 0.277533, 1e-6);
    auto const all = wilson_interval(10, 10);
    EXPECT_EQ(all.upper, 1.0);
    EXPECT_NEAR(all.lower, 1 - 0.277533, 1e-6);
}

TEST(wilson, newcombe_1998_table)
{
    // Newcombe (1998) Stat Med 17:857, Table II, method 3 (score interval without continuity correction).
    struct row
    {
        uint64_t k, n;
        double lo, hi;
    };
    for (auto const & r : {row{81, 263, 0.2553, 0.3662},
                           row{15, 148, 0.0624, 0.1605},
                           row{0, 20, 0.0, 0.1611},
                           row{1, 29, 0.0061, 0.1718}})
    {
        auto const i = wilson_interval(r.k, r.n);
        EXPECT_NEAR(i.lower, r.lo, 5e-5) << r.k << "/" << r.n;
        EXPECT_NEAR(i.upper, r.hi, 5e-5) << r.k << "/" << r.n;
    }
}

TEST(wilson, edge_cases)
{
    auto const none = wilson_interval(0, 0);
    EXPECT_EQ(none.lower, 0.0);
    EXPECT_EQ(none.upper, 1.0);
    EXPECT_THROW(wilson_interval(3, 2), config_error);
    EXPECT_THROW(wilson_interval(1, 2, 0.0), config_error);
}

// ---- qualities and codon errors -------------------------------------------------------------------------------------

TEST(quality, phred)
{
    EXPECT_DOUBLE_EQ(phred_to_probability(20), 0.01);
    EXPECT_DOUBLE_EQ(phred_to_probability(30), 0.001);
    EXPECT_NEAR(phred_from_log(std::log(0.01)), 20.0, 1e-12);
    EXPECT_NEAR(phred_from_log(std::log(1e-300) * 3), 9000.0, 1e-9); // beyond double range: log space
    EXPECT_EQ(phred_from_log(0.0), 0.0);
    EXPECT_TRUE(std::isinf(phred_from_log(-INFINITY)));
    EXPECT_THROW(phred_to_probability(-1), config_error);
}

TEST(codon_error, two_substitutions)
{
    // T315M ACT>ATG: two differing bases at Q30: (1 - 1e-3) * (1e-3 / 3)^2
    double const e = 1e-3;
    EXPECT_NEAR(codon_error_probability("ACT", "ATG", uint8_t{30}), (1 - e) * (e / 3) * (e / 3), 1e-18);
    // T315I ACT>ATT: one base
    EXPECT_NEAR(codon_error_probability("ACT", "ATT", uint8_t{30}), (1 - e) * (e / 3) * (1 - e), 1e-15);
    // per-base qualities: the differing base's own quality counts
    EXPECT_NEAR(codon_error_probability("ACT", "ATT", std::array<uint8_t, 3>{40, 20, 40}),
                (1 - 1e-4) * (0.01 / 3) * (1 - 1e-4),
                1e-15);
    EXPECT_THROW(codon_error_probability("AC", "ATT", uint8_t{30}), config_error);
}

TEST(codon_error, route_set_sums_distinct_codons)
{
    // F317L: TTC > CTC | TTA | TTG (three routes; one base each)
    std::vector<std::string> const alts{"CTC", "TTA", "TTG", "TTA", "TTC"}; // a duplicate and the reference: ignored
    double const one = codon_error_probability("TTC", "TTA", uint8_t{25});
    EXPECT_NEAR(codon_error_probability("TTC", alts, {25, 25, 25}), 3 * one, 1e-15);
}

// ---- Poisson-binomial -----------------------------------------------------------------------------------------------

TEST(poisson_binomial, exact_equals_brute_force)
{
    std::mt19937_64 rng{42};
    std::uniform_real_distribution<double> u{0.0, 1.0};
    for (size_t n : {1u, 2u, 5u, 9u, 13u})
    {
        std::vector<double> p(n);
        for (auto & x : p)
            x = u(rng) * (u(rng) < 0.5 ? 0.05 : 1.0);
        for (uint64_t k = 0; k <= n + 1; ++k)
        {
            double const expected = brute_force_sf(p, k);
            double const got = std::exp(poisson_binomial_log_sf(p, k, pb_method::exact));
            EXPECT_NEAR(got, expected, 1e-12 * std::max(1.0, expected)) << "n=" << n << " k=" << k;
            if (expected > 0)
            {
                EXPECT_NEAR(got / expected, 1.0, 1e-10) << "n=" << n << " k=" << k;
            }
        }
    }
}

TEST(poisson_binomial, degenerate_probabilities)
{
    std::vector<double> const p{1.0, 0.0, 0.5, 1.0};
    // X = 2 + Bernoulli(0.5)
    EXPECT_EQ(poisson_binomial_log_sf(p, 2), 0.0);
    EXPECT_NEAR(std::exp(poisson_binomial_log_sf(p, 3)), 0.5, 1e-15);
    EXPECT_EQ(poisson_binomial_log_sf(p, 4), -INFINITY);
    EXPECT_EQ(poisson_binomial_log_sf(p, 0), 0.0);
    std::vector<double> const bad{0.5, 1.5};
    EXPECT_THROW(poisson_binomial_log_sf(bad, 1), config_error);
    std::vector<double> const nan{NAN};
    EXPECT_THROW(poisson_binomial_log_sf(nan, 1), config_error);
}

TEST(poisson_binomial, equal_probabilities_are_binomial)
{
    for (double p : {1e-4, 3.3e-3, 0.01, 0.2})
        for (uint64_t n : {10u, 200u, 1500u})
        {
            error_class const e{p, n};
            for (uint64_t k : {uint64_t{1}, uint64_t{2}, uint64_t{5}, n / 4, n / 2, n})
            {
                double const reference = binomial_sf_reference(n, k, p);
                double const exact = poisson_binomial_log_sf(std::span{&e, 1}, k, pb_method::exact);
                double const beta = binomial_log_sf(n, k, p);
                // relative error of P = |delta ln P|
                EXPECT_NEAR(exact, reference, 1e-9 * std::max(1.0, std::abs(reference)))
                    << "p=" << p << " n=" << n << " k=" << k;
                EXPECT_NEAR(beta, reference, 1e-9 * std::max(1.0, std::abs(reference)))
                    << "p=" << p << " n=" << n << " k=" << k;
            }
        }
}

TEST(poisson_binomial, extreme_tail_stays_finite_in_log_space)
{
    // 60 of 2000 molecules at Q30 single-base error (1e-3/3): P ~ 1e-170; 1000 of 2000: far below 1e-308.
    error_class const e{1e-3 / 3, 2000};
    double const l60 = poisson_binomial_log_sf(std::span{&e, 1}, 60, pb_method::exact);
    EXPECT_NEAR(l60, binomial_sf_reference(2000, 60, 1e-3 / 3), 1e-9 * std::abs(l60));
    double const l1000 = poisson_binomial_log_sf(std::span{&e, 1}, 1000, pb_method::exact);
    EXPECT_TRUE(std::isfinite(l1000));
    EXPECT_LT(l1000, std::log(1e-308));
    EXPECT_NEAR(l1000, binomial_sf_reference(2000, 1000, 1e-3 / 3), 1e-9 * std::abs(l1000));
    EXPECT_GT(phred_from_log(l1000), 3080.0);
}

TEST(poisson_binomial, tail_vector_matches_single_values)
{
    std::vector<error_class> const e{{0.01, 100}, {0.001, 300}, {1.0, 2}};
    auto const t = poisson_binomial_log_tail(e, 20);
    ASSERT_EQ(t.size(), 21u);
    for (uint64_t j = 0; j <= 20; ++j)
        EXPECT_NEAR(t[j], poisson_binomial_log_sf(e, j, pb_method::exact), 1e-12 * std::max(1.0, std::abs(t[j])));
    EXPECT_EQ(t[2], 0.0); // two certain molecules
}

// The class convolution (exact) against an independent per-molecule recursion in log space, written here: large
// classes (thousands of molecules sharing a probability), a class with more molecules than k, one with fewer, deep
// tails. Relative agreement of the log tail to 1e-9.
TEST(poisson_binomial, class_convolution_equals_per_molecule_recursion)
{
    auto reference = [](std::vector<error_class> const & classes, uint64_t k_max)
    {
        std::vector<double> t(k_max + 1, -std::numeric_limits<double>::infinity());
        t[0] = 0.0;
        auto add = [](double a, double b)
        {
            if (a < b)
                std::swap(a, b);
            return b == -std::numeric_limits<double>::infinity() ? a : a + std::log1p(std::exp(b - a));
        };
        uint64_t seen = 0;
        for (auto const & e : classes)
            for (uint64_t c = 0; c < e.count; ++c)
            {
                ++seen;
                for (uint64_t j = std::min(seen, k_max); j >= 1; --j)
                    t[j] = add(std::log(e.probability) + t[j - 1], std::log1p(-e.probability) + t[j]);
            }
        return t;
    };
    std::vector<std::vector<error_class>> const cases{
        {{1e-3 / 3, 3000}, {1e-2 / 3, 500}, {0.2, 7}},
        {{1e-4, 20000}},
        {{0.05, 40}, {0.3, 3}, {1e-6, 5000}},
        {{1e-3, 2}, {0.5, 1}},
    };
    for (auto const & e : cases)
    {
        uint64_t const k_max = 60;
        auto const want = reference(e, k_max);
        auto const got = poisson_binomial_log_tail(e, k_max);
        ASSERT_EQ(got.size(), want.size());
        for (uint64_t j = 0; j <= k_max; ++j)
        {
            if (want[j] == -std::numeric_limits<double>::infinity())
            {
                EXPECT_EQ(got[j], want[j]) << j;
                continue;
            }
            EXPECT_NEAR(got[j], want[j], 1e-9 * std::max(1.0, std::abs(want[j]))) << "k=" << j;
            EXPECT_NEAR(poisson_binomial_log_sf(e, j, pb_method::exact), want[j], 1e-9 * std::max(1.0, std::abs(want[j])))
                << "k=" << j;
        }
    }
}

// The stated bound of the saddlepoint approximation (stats.hpp): where P <= 0.05 the relative error of P is below
// 9 %, and 1 % for min(k, n - k) >= 10; elsewhere the absolute error is below 0.005. Depths 500-20000, mixed error
// classes, k up to 600 and the last 30 counts before n.
TEST(poisson_binomial, saddlepoint_within_stated_bound)
{
    struct scenario
    {
        char const * name;
        std::vector<error_class> classes;
    };
    std::vector<scenario> const scenarios{
        {"Q30 single base, 2000", {{1e-3 / 3, 2000}}},
        {"Q20 single base, 2000", {{1e-2 / 3, 2000}}},
        {"Q20-Q40 mix, 2000", {{1e-2 / 3, 300}, {1e-3 / 3, 1200}, {1e-4 / 3, 500}}},
        {"two-base codon change Q25, 2000", {{std::pow(std::pow(10, -2.5) / 3, 2), 2000}}},
        {"route set Q20-Q30 mix, 2000", {{3 * 1e-2 / 3, 700}, {3 * 1e-3 / 3, 1300}}},
        {"Q30 single base, 500", {{1e-3 / 3, 500}}},
        {"Q20-Q40 mix, 5000", {{1e-2 / 3, 1000}, {1e-3 / 3, 3000}, {1e-4 / 3, 1000}}},
        {"high error 1e-2, 3000", {{1e-2, 3000}}},
        {"Q20 single base, 20000", {{1e-2 / 3, 20000}}},
        {"two-base Q30, 20000", {{1e-6 / 9, 20000}}},
        {"two-base Q35, 2000", {{std::pow(std::pow(10, -3.5) / 3, 2), 2000}}},
        {"1e-2 and Q35 mix, 20000", {{1e-2, 5000}, {std::pow(10, -3.5) / 3, 15000}}},
    };
    double worst_relative = 0, worst_relative_10 = 0, worst_absolute = 0;
    // the exact recursion from both ends agrees
    std::vector<error_class> const mix{{0.3, 40}, {0.01, 60}};
    for (uint64_t k = 1; k <= 100; ++k)
    {
        double const below = poisson_binomial_log_tail(mix, k)[k];
        double const above = poisson_binomial_log_sf(mix, k, pb_method::exact);
        EXPECT_NEAR(above, below, 1e-10 * std::max(1.0, std::abs(below))) << k;
    }
    for (auto const & s : scenarios)
    {
        uint64_t n = 0;
        double mean = 0;
        for (auto const & c : s.classes)
        {
            n += c.count;
            mean += c.count * c.probability;
        }
        auto const tail = poisson_binomial_log_tail(s.classes, std::min<uint64_t>(n, 600));
        std::vector<uint64_t> ks;
        for (uint64_t k = 1; k < std::min<uint64_t>(n, 600); ++k)
            ks.push_back(k);
        for (uint64_t k = n - 30; k < n; ++k)
            ks.push_back(k);
        for (uint64_t k : ks)
        {
            double const exact = k <= 600 ? tail[k] : poisson_binomial_log_sf(s.classes, k, pb_method::exact);
            double const approx = poisson_binomial_log_sf(s.classes, k, pb_method::saddlepoint);
            double const p = std::exp(exact);
            if (p <= 0.05)
            {
                double const rel = std::abs(std::expm1(approx - exact));
                worst_relative = std::max(worst_relative, rel);
                EXPECT_LT(rel, 0.09) << s.name << " k=" << k << " mean=" << mean << " exact ln P=" << exact;
                if (std::min(k, n - k) >= 10)
                {
                    worst_relative_10 = std::max(worst_relative_10, rel);
                    EXPECT_LT(rel, 0.01) << s.name << " k=" << k << " mean=" << mean << " exact ln P=" << exact;
                }
            }
            else
            {
                double const abs_err = std::abs(std::exp(approx) - p);
                worst_absolute = std::max(worst_absolute, abs_err);
                EXPECT_LT(abs_err, 0.005) << s.name << " k=" << k << " mean=" << mean << " exact P=" << p;
            }
        }
    }
    std::cout << "saddlepoint: worst relative error (P <= 0.05) " << worst_relative << ", for k >= 10 "
              << worst_relative_10 << ", worst absolute error (P > 0.05) " << worst_absolute << '\n';
}

TEST(poisson_binomial, automatic_uses_saddlepoint_at_large_depth)
{
    // 200,000 molecules: far beyond the exact budget for k = 100, still fast and sensible.
    std::vector<error_class> const e{{1e-3 / 3, 150000}, {1e-2 / 3, 50000}};
    double const mean = 150000 * 1e-3 / 3 + 50000 * 1e-2 / 3; // 216.7
    double const at_mean = std::exp(poisson_binomial_log_sf(e, static_cast<uint64_t>(mean)));
    EXPECT_GT(at_mean, 0.4);
    EXPECT_LT(at_mean, 0.6);
    double const far = poisson_binomial_log_sf(e, 400);
    EXPECT_LT(far, std::log(1e-20));
    EXPECT_GT(far, std::log(1e-60));
    // monotone in k
    double prev = 0;
    for (uint64_t k = 150; k < 600; k += 10)
    {
        double const l = poisson_binomial_log_sf(e, k);
        EXPECT_LE(l, prev + 1e-12) << k;
        prev = l;
    }
}

// ---- detection rule and limit of detection --------------------------------------------------------------------------

TEST(detection, critical_count_is_the_first_significant_count)
{
    std::vector<error_class> const e{{1e-2 / 3, 400}, {1e-3 / 3, 1600}};
    detection_rule rule;
    rule.tests = 100; // per-test alpha 1e-4
    auto const k = critical_count(e, rule);
    ASSERT_TRUE(k);
    EXPECT_LE(poisson_binomial_log_sf(e, *k), std::log(1e-4));
    EXPECT_GT(poisson_binomial_log_sf(e, *k - 1), std::log(1e-4));
    rule.min_alt_molecules = 50;
    EXPECT_EQ(critical_count(e, rule), 50u);
    // Three molecules at Q20: P(X >= 3) = (1e-2/3)^3 = 3.7e-8 <= 1e-4, P(X >= 2) = 3.3e-5 <= 1e-4 -> k* = 2.
    error_class const three{1e-2 / 3, 3};
    rule.min_alt_molecules = 1;
    EXPECT_EQ(critical_count(std::span{&three, 1}, rule), 2u);
    // One molecule can never reach 1e-9.
    rule.tests = 10'000'000;
    error_class const one{1e-2 / 3, 1};
    EXPECT_FALSE(critical_count(std::span{&one, 1}, rule));
    rule.alpha = 0;
    EXPECT_THROW(critical_count(e, rule), config_error);
}

TEST(detection, critical_count_at_large_depth)
{
    std::vector<error_class> const e{{1e-3 / 3, 80000}, {1e-2 / 3, 20000}}; // mean 93.3
    detection_rule rule;
    auto const k = critical_count(e, rule);
    ASSERT_TRUE(k);
    EXPECT_GT(*k, 94u);
    EXPECT_LT(*k, 130u);
    EXPECT_LE(poisson_binomial_log_sf(e, *k), std::log(0.01));
    EXPECT_GT(poisson_binomial_log_sf(e, *k - 1), std::log(0.01));
}

TEST(detection, limit_of_detection_falls_with_depth)
{
    detection_rule rule;
    rule.tests = 60;
    double const e = 1e-3 / 3;
    double previous = 1.0;
    for (uint64_t depth = 25; depth <= 102400; depth *= 2)
    {
        auto const lod = limit_of_detection(depth, e, rule);
        ASSERT_TRUE(lod) << depth;
        EXPECT_LT(*lod, previous) << depth;
        EXPECT_GT(*lod, 0.0) << depth;
        // definition: power reached at the LOD, not just below it
        auto const k = critical_count(std::vector<error_class>{{e, depth}}, rule);
        EXPECT_GE(detection_probability(depth, e, *k, *lod), 0.95 - 1e-9);
        EXPECT_LT(detection_probability(depth, e, *k, *lod * 0.99), 0.95);
        previous = *lod;
    }
    // ~1000 molecules reach a 3 % limit at Q30 (the default --min-vaf); 50 do not.
    EXPECT_LT(*limit_of_detection(1000, e, rule), 0.03);
    EXPECT_GT(*limit_of_detection(50, e, rule), 0.03);
}

TEST(detection, limit_of_detection_hand_checked)
{
    // critical 1 at depth 1: detected iff the single molecule shows the alt: P = f + (1-f) e >= 0.95.
    EXPECT_NEAR(*limit_of_detection(1, 0.0, 1, 0.95), 0.95, 1e-8);
    // critical 1 at depth n, no error: 1 - (1-f)^n >= 0.95 -> f = 1 - 0.05^(1/n)
    EXPECT_NEAR(*limit_of_detection(100, 0.0, 1, 0.95), 1 - std::pow(0.05, 0.01), 1e-8);
    EXPECT_FALSE(limit_of_detection(5, 1e-3, 6, 0.95));
    EXPECT_FALSE(limit_of_detection(0, 1e-3, detection_rule{}));
}

// ---- Fisher and strand bias -----------------------------------------------------------------------------------------

TEST(fisher, known_values)
{
    // Fisher's lady tasting tea: [[3,1],[1,3]] two-sided p = 34/70
    EXPECT_NEAR(fisher_exact_two_sided(3, 1, 1, 3), 34.0 / 70.0, 1e-12);
    // Wikipedia example: [[1,9],[11,3]] two-sided p = 0.002759
    EXPECT_NEAR(fisher_exact_two_sided(1, 9, 11, 3), 0.0027594, 1e-7);
    // [[0,5],[5,0]]: 2 / C(10,5) = 2/252
    EXPECT_NEAR(fisher_exact_two_sided(0, 5, 5, 0), 2.0 / 252.0, 1e-12);
    // [[10,30],[20,5]]: 2.5950857e-05 (exact rational arithmetic in Python, same tolerance rule)
    EXPECT_NEAR(fisher_exact_two_sided(10, 30, 20, 5), 2.5950857e-05, 1e-12);
    EXPECT_EQ(fisher_exact_two_sided(0, 0, 0, 0), 1.0);
    EXPECT_NEAR(fisher_exact_two_sided(7, 0, 3, 0), 1.0, 1e-12); // an empty column carries no information
    // huge tables stay finite in log space
    double const l = fisher_exact_two_sided_log(50000, 0, 0, 50000);
    EXPECT_TRUE(std::isfinite(l));
    EXPECT_LT(l, -60000);
}

TEST(strand_bias, amplicon_aware)
{
    // Reference forward only, alternative forward only: an amplicon read from one side -> not biased.
    strand_counts const one_side{1000, 0, 50, 0};
    auto const a = strand_bias_test(one_side);
    EXPECT_FALSE(a.biased);
    EXPECT_FALSE(a.one_strand_alt);
    EXPECT_NEAR(a.fisher_p, 1.0, 1e-12);
    EXPECT_NEAR(a.score, 0.0, 1e-9);
    // Without amplicon awareness the same pattern is flagged.
    strand_bias_options capture;
    capture.amplicon_aware = false;
    auto const b = strand_bias_test(one_side, capture);
    EXPECT_TRUE(b.one_strand_alt);
    EXPECT_TRUE(b.biased);
    // Reference on both strands, alternative on one: biased in both modes (Fisher).
    strand_counts const skew{500, 500, 40, 0};
    auto const c = strand_bias_test(skew);
    EXPECT_TRUE(c.one_strand_alt);
    EXPECT_TRUE(c.biased);
    EXPECT_GT(c.score, 30.0);
    // Balanced: not biased.
    auto const d = strand_bias_test(strand_counts{500, 480, 25, 22});
    EXPECT_FALSE(d.biased);
    EXPECT_FALSE(d.one_strand_alt);
}
