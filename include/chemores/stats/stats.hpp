#pragma once
//!\file
//!\brief Statistics of `chemores call`: Wilson intervals, the Poisson-binomial sequencing-error model and its QUAL,
//!       codon error probabilities from base qualities, the limit of detection, and strand bias (Fisher's test).
//!\details Nothing here reads files: the caller reduces reads to per-codon summaries (chemores::pileup) and passes
//!         counts, so every function can be unit-tested on numbers alone (the lofreq `plp` -> `snpcaller` split).
//!         Invalid arguments (a probability outside [0, 1], more successes than trials, alpha outside (0, 1), ...)
//!         are rejected with chemores::config_error, never clamped.
//!
//!         **The detection rule** (used by critical_count() and limit_of_detection()):
//!         a catalogue entry is tested in one sample against the sequencing-error null hypothesis. Molecule i of the
//!         n molecules covering the codon shows one of the entry's alternative codons by error with probability
//!         e_i (codon_error_probability()); the number of such molecules under the null, X, is Poisson-binomial.
//!         With k molecules observed carrying an alternative codon, the p-value is P(X >= k) and QUAL = -10 log10 p.
//!         The entry is DETECTED if p <= alpha / tests (Bonferroni over `tests` tests in the family; the caller sets
//!         `tests` to the number of catalogue entries assessed per sample) and k >= min_alt_molecules. The smallest k
//!         that passes is the *critical count* k*. The *limit of detection* at depth n is the smallest variant
//!         fraction f with P(Binomial(n, f + (1 - f) e) >= k*) >= power (0.95), e the mean per-molecule error.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace chemores::stats
{

//!\brief The standard normal quantile for a two-sided 95 % interval, Phi^-1(0.975).
inline constexpr double z_95 = 1.959963984540054;

//!\brief A closed interval [lower, upper] of a proportion.
struct interval
{
    double lower = 0.0;
    double upper = 1.0;
};

/*!\brief Wilson score interval for the proportion `successes / trials` (95 % with the default z).
 * \details centre = (k + z^2/2) / (n + z^2), half-width = z / (n + z^2) * sqrt(k (n - k) / n + z^2 / 4);
 *          the bounds are clamped to [0, 1] only against rounding. `trials == 0` gives [0, 1] (nothing is known).
 * \throws config_error if successes > trials or z <= 0.
 */
interval wilson_interval(uint64_t successes, uint64_t trials, double z = z_95);

//!\brief The error probability of Phred quality `q`: 10^(-q/10). \throws config_error if q < 0 or not finite.
double phred_to_probability(double q);

//!\brief Phred scale of a probability given as a natural logarithm: -10 log10(p) = -10 ln(p) / ln(10). This is QUAL
//!       for a p-value. ln p = -inf gives +inf; ln p >= 0 gives 0.
double phred_from_log(double log_p) noexcept;

/*!\brief Probability that a molecule carrying codon `from` is read as codon `to` by base-calling error alone.
 * \details Independent bases; a base of error probability eps = 10^(-q/10) is read as each of the three other bases
 *          with probability eps/3. So P = prod over differing bases (eps_i / 3) * prod over equal bases (1 - eps_i).
 *          `from == to` gives the probability of reading the codon correctly.
 * \param quals The Phred qualities of the three bases. Pass the molecule's minimum base quality three times (the
 *              pileup keeps only that): this over-states the error, so it is conservative.
 * \throws config_error unless both codons have three characters.
 */
double codon_error_probability(std::string_view from, std::string_view to, std::array<uint8_t, 3> const & quals);

//!\brief As above with the same quality for the three bases (the pileup's per-molecule minimum).
double codon_error_probability(std::string_view from, std::string_view to, uint8_t quality);

/*!\brief Probability that a molecule carrying `from` is read as *any* codon of `to_set` by error (the alternative
 *        allele of a mutation with several nucleotide routes, e.g. F317L: TTC>TTA|TTG|CTC).
 * \details The events are disjoint, so this is the sum of codon_error_probability over the distinct codons of the
 *          set other than `from`.
 */
double codon_error_probability(std::string_view from,
                               std::span<std::string const> to_set,
                               std::array<uint8_t, 3> const & quals);

//!\brief `count` molecules with the same error probability (molecules grouped by base quality).
struct error_class
{
    double probability = 0.0;
    uint64_t count = 0;
};

//!\brief How poisson_binomial_log_sf() computes: exact recursion, saddlepoint approximation, or chosen by size.
enum class pb_method : uint8_t
{
    automatic,
    exact,
    saddlepoint
};

/*!\brief Above this many dynamic-programming cells the automatic method uses the saddlepoint approximation. The exact
 *        computation from below costs sum over the error classes of (k + 1) * min(count + 1, k + 1) cells (about
 *        classes * k^2: independent of the depth for a fixed set of quality classes), from above n * (n - k + 1).
 */
inline constexpr uint64_t exact_cell_budget = 4'000'000;

/*!\brief ln P(X >= k) for X = the number of successes among independent Bernoulli trials with the given
 *        probabilities (Poisson-binomial upper tail, k included).
 * \details *Exact*: the molecules of one error class (probability p, count c) contribute Binomial(c, p)
 *          successes; the classes are convolved one by one on the distribution truncated at k (P(X = j) for j < k,
 *          and P(X >= k) in one slot, fed by the binomial upper tails). Every term is positive, so the computation
 *          runs in log space with log-sum-exp and no cancellation, and stays accurate where p underflows a double
 *          (QUAL in the thousands). Cost: about classes * k^2 cells, whatever the depth. From the top, over the
 *          failures F = n - X <= n - k, a per-molecule recursion costs n * (n - k + 1); the cheaper is used.
 *
 *          *Saddlepoint*: the Lugannani-Rice formula with Daniels' (1987) first continuity correction for lattice
 *          variables (Butler 2007, "Saddlepoint approximations with applications", sec. 1.2.3): solve K'(s) = k for
 *          the cumulant generating function K(s) = sum ln(1 - p_i + p_i e^s), then
 *          P ~ 1 - Phi(w) + phi(w) (1/u - 1/w), w = sgn(s) sqrt(2 (s k - K(s))), u = (1 - e^-s) sqrt(K''(s)),
 *          evaluated in log space through the Mills ratio. Cost O(classes) per Newton step, independent of depth.
 *          **Stated error bound** (checked by tests/unit/stats against the exact recursion at depths 500-20000,
 *          per-molecule error probabilities 1e-8..1e-2, mixed classes, k up to 600 and up to n): wherever
 *          P(X >= k) <= 0.05 the relative error of P is below 9 % (|delta QUAL| < 0.4), and below 1 %
 *          (|delta QUAL| < 0.05) when min(k, n - k) >= 10; where P > 0.05 the absolute error is below 0.005. The worst
 *          cases are k = 1 with a mean far below 1 and k = n - 1, where the formula reduces to Stirling's
 *          approximation of a factorial (error ~ 1/(12 k)).
 *
 *          The automatic method is exact whenever the cheaper exact direction needs at most exact_cell_budget cells
 *          (with 30 quality classes: k up to about 360 at any depth), so it approximates only for large counts far
 *          from n, inside the 1 % range.
 *
 *          k == 0 gives 0 (ln 1); k > n gives -inf.
 * \throws config_error if a probability is outside [0, 1] or not a number.
 */
double
poisson_binomial_log_sf(std::span<error_class const> errors, uint64_t k, pb_method method = pb_method::automatic);

//!\brief As above, one probability per molecule.
double
poisson_binomial_log_sf(std::span<double const> probabilities, uint64_t k, pb_method method = pb_method::automatic);

/*!\brief The exact upper tail for every threshold at once: element j is ln P(X >= j), j = 0..k_max (one pass of the
 *        class convolution, about classes * k_max^2 cells). Elements j > n are -inf.
 */
std::vector<double> poisson_binomial_log_tail(std::span<error_class const> errors, uint64_t k_max);

/*!\brief ln P(Y >= k) for Y ~ Binomial(n, p), from the regularised incomplete beta function I_p(k, n - k + 1)
 *        (continued fraction, relative accuracy ~1e-13).
 */
double binomial_log_sf(uint64_t n, uint64_t k, double p);

//!\brief The detection rule of `chemores call` (see the file comment).
struct detection_rule
{
    double alpha = 0.01;            //!< family-wise significance level
    uint64_t tests = 1;             //!< Bonferroni family size: the per-test level is alpha / tests
    double power = 0.95;            //!< detection probability that defines the limit of detection
    uint64_t min_alt_molecules = 1; //!< never call fewer alternative molecules than this

    //!\brief alpha / tests.
    double per_test_alpha() const noexcept
    {
        return alpha / static_cast<double>(tests);
    }
};

/*!\brief The critical count k*: the smallest k >= max(1, min_alt_molecules) with P(X >= k) <= alpha / tests, X the
 *        Poisson-binomial error count of `errors`; nullopt if no k <= n qualifies (too few molecules to ever detect).
 * \details Uses the same exact/saddlepoint choice as poisson_binomial_log_sf(automatic), so a count k is significant
 *          exactly when k >= k*.
 * \throws config_error if the rule is invalid (alpha or power outside (0, 1), tests == 0).
 */
std::optional<uint64_t> critical_count(std::span<error_class const> errors, detection_rule const & rule = {});

/*!\brief Probability that a variant at fraction `fraction` is detected at `depth` molecules:
 *        P(Binomial(depth, pi) >= critical), pi = fraction + (1 - fraction) * error.
 * \details A true variant molecule is assumed to show the alternative codon (its own misreads, ~3 eps, are ignored:
 *          a relative error of about 1 % at Q30 and 3 % at Q20 on the fraction).
 */
double detection_probability(uint64_t depth, double error, uint64_t critical, double fraction);

/*!\brief The limit of detection: the smallest fraction f in [0, 1] with detection_probability(depth, error, critical,
 *        f) >= power (to 1e-9, by bisection; the probability increases with f). nullopt if critical > depth.
 * \details Not monotone depth by depth: k* steps up by one at some depths, and just after a step the limit can rise
 *          by a few percent (the saw-tooth of exact binomial tests); over a doubling of depth it always falls.
 */
std::optional<double> limit_of_detection(uint64_t depth, double error, uint64_t critical, double power = 0.95);

//!\brief The limit of detection with every molecule at error probability `error` and k* from critical_count(rule).
std::optional<double> limit_of_detection(uint64_t depth, double error, detection_rule const & rule = {});

/*!\brief Two-sided Fisher exact test of the 2x2 table [[a, b], [c, d]]: the sum of the hypergeometric
 *        probabilities (margins fixed) of all tables no more probable than the observed one (relative tolerance
 *        1e-7, as R's fisher.test).
 */
double fisher_exact_two_sided(uint64_t a, uint64_t b, uint64_t c, uint64_t d);

//!\brief ln of fisher_exact_two_sided(), accurate where p underflows a double.
double fisher_exact_two_sided_log(uint64_t a, uint64_t b, uint64_t c, uint64_t d);

//!\brief Molecules per allele and strand at one codon (strand = orientation of the fragment, see chemores::pileup).
struct strand_counts
{
    uint64_t ref_forward = 0;
    uint64_t ref_reverse = 0;
    uint64_t alt_forward = 0;
    uint64_t alt_reverse = 0;
};

//!\brief How strand bias is judged.
struct strand_bias_options
{
    /*!\brief Amplicon data: a codon may be read from one strand only (read 1 always starts at the same primer).
     * \details When true, an alternative seen on one strand only is flagged only if the reference allele is seen on
     *          the other strand; when false (capture, WGS) any one-strand alternative with at least
     *          `min_one_strand_alt` molecules is biased.
     */
    bool amplicon_aware = true;
    double alpha = 0.001;            //!< biased if the two-sided Fisher p-value of ref/alt x forward/reverse is below
    uint64_t min_one_strand_alt = 5; //!< non-amplicon mode: one-strand alternatives with fewer molecules are not biased
};

//!\brief The strand-bias verdict for one allele.
struct strand_bias
{
    double fisher_p = 1.0;       //!< two-sided Fisher p of [[ref_fwd, ref_rev], [alt_fwd, alt_rev]]
    double score = 0.0;          //!< Phred-scaled fisher_p (GATK's FS)
    bool one_strand_alt = false; //!< the alternative is on one strand only (amplicon mode: and ref is on the other)
    bool biased = false;         //!< fisher_p < alpha, or (non-amplicon mode) a one-strand alt with enough molecules
};

/*!\brief Strand bias of an alternative allele.
 * \details With the reference on one strand only and the alternative on that same strand, the Fisher table has an
 *          empty column and p = 1: not biased in either mode by Fisher; the amplicon flag decides whether the
 *          one-strand pattern by itself counts.
 */
strand_bias strand_bias_test(strand_counts const & counts, strand_bias_options const & options = {});

} // namespace chemores::stats
