#include <algorithm>
#include <chemores/core/errors.hpp>
#include <chemores/stats/stats.hpp>
#include <cmath>
#include <limits>
#include <numbers>

namespace chemores::stats
{

namespace
{
constexpr double neg_inf = -std::numeric_limits<double>::infinity();
constexpr double ln10 = std::numbers::ln10;

// ln(e^a + e^b) without overflow or underflow; -inf is the log of 0.
double log_add(double a, double b) noexcept
{
    if (a < b)
        std::swap(a, b);
    if (b == neg_inf)
        return a;
    return a + std::log1p(std::exp(b - a));
}

void check_probability(double p, char const * what)
{
    if (!(p >= 0.0 && p <= 1.0)) // also rejects NaN
        throw config_error{std::string{what} + " must be a probability in [0, 1], got " + std::to_string(p)};
}

// ln C(n, k)
double log_choose(uint64_t n, uint64_t k) noexcept
{
    return std::lgamma(static_cast<double>(n) + 1.0) - std::lgamma(static_cast<double>(k) + 1.0) -
           std::lgamma(static_cast<double>(n - k) + 1.0);
}

// ---- Poisson-binomial: input normalisation --------------------------------------------------------------------------

// Classes with 0 < p < 1 only; molecules with p == 1 always succeed and shift k down, p == 0 never succeed.
struct normalised
{
    std::vector<error_class> classes;
    uint64_t n = 0;       // molecules with 0 < p < 1
    uint64_t certain = 0; // molecules with p == 1
};

normalised normalise(std::span<error_class const> errors)
{
    normalised out;
    for (auto const & e : errors)
    {
        check_probability(e.probability, "error probability");
        if (e.count == 0 || e.probability == 0.0)
            continue;
        if (e.probability == 1.0)
        {
            out.certain += e.count;
            continue;
        }
        out.classes.push_back(e);
        out.n += e.count;
    }
    return out;
}

// ---- exact recursion ------------------------------------------------------------------------------------------------

// T(j) = ln P(X >= j) for j = 0..k_max over the (normalised) molecules, by convolving the classes: molecules of one
// class (probability p, count c) contribute Binomial(c, p) successes. The state is f(j) = ln P(X = j) for j < k_max and
// f(k_max) = ln P(X >= k_max) (a count that has reached k_max stays there). Adding a class:
//   g(j) = ln sum_{i <= j} e^{f(j - i) + b(i)}                      (j < k_max; b = ln of the Binomial(c, p) pmf)
//   g(k_max) = ln(e^{f(k_max)} + sum_{j < k_max} e^{f(j) + s(k_max - j)})   (s(m) = ln P(Binomial(c, p) >= m))
// Every term is positive, so log-sum-exp loses nothing (no 1 - P anywhere), and the cost is
// sum over classes of k_max * min(c + 1, k_max) cells, independent of the depth for a fixed number of quality classes
// (the per-molecule recursion it replaces cost n * k_max). T(j) = ln sum_{j <= i <= k_max} e^{f(i)}.
std::vector<double> exact_tail(std::vector<error_class> const & classes, uint64_t k_max)
{
    std::vector<double> f(k_max + 1, neg_inf), g(k_max + 1), b, s;
    f[0] = 0.0; // no molecule yet: X = 0 (or X >= 0 when k_max is 0)
    uint64_t seen = 0;
    for (auto const & e : classes)
    {
        double const lp = std::log(e.probability);
        double const lq = std::log1p(-e.probability);
        uint64_t const top = std::min(e.count, k_max); // pmf terms that can land below k_max
        b.assign(top + 1, neg_inf);
        for (uint64_t i = 0; i <= top; ++i)
            b[i] = log_choose(e.count, i) + static_cast<double>(i) * lp + static_cast<double>(e.count - i) * lq;
        // s(m) for m = 1..k_max: s(m) = -inf for m > c; s(top) from the incomplete beta when the class has more
        // molecules than k_max (else it is b(c)); then downwards by adding pmf terms.
        s.assign(k_max + 2, neg_inf);
        if (top >= 1)
        {
            s[top] = e.count > k_max ? binomial_log_sf(e.count, top, e.probability) : b[top];
            for (uint64_t m = top - 1; m >= 1; --m)
                s[m] = log_add(b[m], s[m + 1]);
        }
        uint64_t const reach = std::min(seen, k_max); // f(j) is -inf for reach < j < k_max
        std::fill(g.begin(), g.end(), neg_inf);
        g[k_max] = f[k_max];
        for (uint64_t j = 0; j <= reach && j < k_max; ++j)
        {
            double const fj = f[j];
            if (fj == neg_inf)
                continue;
            uint64_t const last = std::min(top, k_max - 1 - j);
            for (uint64_t i = 0; i <= last; ++i)
                g[j + i] = log_add(g[j + i], fj + b[i]);
            g[k_max] = log_add(g[k_max], fj + s[k_max - j]);
        }
        if (k_max == 0)
            g[0] = f[0]; // P(X >= 0) = 1 whatever the class
        f.swap(g);
        seen += e.count;
    }
    std::vector<double> t(k_max + 1);
    double acc = neg_inf;
    for (uint64_t j = k_max + 1; j-- > 0;)
        t[j] = acc = log_add(acc, f[j]);
    return t;
}

// Cells of exact_tail(classes, k_max).
uint64_t tail_cells(std::vector<error_class> const & classes, uint64_t k_max) noexcept
{
    uint64_t cells = 0;
    for (auto const & e : classes)
        cells += (k_max + 1) * std::min(e.count + 1, k_max + 1);
    return cells;
}

// The same tail from the other end: X >= k iff the failures F = n - X number at most m = n - k, and
// C_i(j) = ln P(F_i <= j) obeys C_i(j) = (1 - p_i) C_{i-1}(j - 1) + p_i C_{i-1}(j), C_0(j) = 1 for j >= 0: again
// positive terms only. Cost n * (m + 1) cells, so counts close to n are cheap.
double exact_upper_by_failures(std::vector<error_class> const & classes, uint64_t m)
{
    std::vector<double> c(m + 1, 0.0);
    for (auto const & e : classes)
    {
        double const lp = std::log(e.probability);
        double const lq = std::log1p(-e.probability);
        for (uint64_t i = 0; i < e.count; ++i)
        {
            for (uint64_t j = m; j >= 1; --j)
                c[j] = log_add(lq + c[j - 1], lp + c[j]);
            c[0] += lp;
        }
    }
    return c[m];
}

// ---- saddlepoint approximation --------------------------------------------------------------------------------------

double softplus(double z) noexcept // ln(1 + e^z)
{
    return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}

double logistic(double z) noexcept // 1 / (1 + e^-z)
{
    return z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
}

struct cumulants
{
    double k0 = 0; // K(s)
    double k1 = 0; // K'(s)
    double k2 = 0; // K''(s)
    double k3 = 0; // K'''(s)
};

// Cumulant generating function of the Poisson-binomial and its derivatives at s. Per class, with r = p e^s /
// (1 - p + p e^s) = logistic(s + logit p): K = c (ln(1 - p) + softplus(s + logit p)), K' = c r, K'' = c r (1 - r),
// K''' = c r (1 - r) (1 - 2 r).
cumulants cgf(std::vector<error_class> const & classes, double s) noexcept
{
    cumulants k;
    for (auto const & e : classes)
    {
        double const c = static_cast<double>(e.count);
        double const logit = std::log(e.probability) - std::log1p(-e.probability);
        double const r = logistic(s + logit);
        k.k0 += c * (std::log1p(-e.probability) + softplus(s + logit));
        k.k1 += c * r;
        k.k2 += c * r * (1.0 - r);
        k.k3 += c * r * (1.0 - r) * (1.0 - 2.0 * r);
    }
    return k;
}

// Solve K'(s) = x for 0 < x < n: K' increases from 0 to n, so bracket and run Newton steps safeguarded by bisection.
double solve_saddlepoint(std::vector<error_class> const & classes, double x, double mean)
{
    double s = std::log(x / mean); // exact when all p are small (Poisson limit)
    double lo = -1.0, hi = 1.0;
    while (cgf(classes, s + lo).k1 > x)
        lo *= 2.0;
    while (cgf(classes, s + hi).k1 < x)
        hi *= 2.0;
    lo += s;
    hi += s;
    for (int iter = 0; iter < 200; ++iter)
    {
        auto const k = cgf(classes, s);
        double const f = k.k1 - x;
        if (std::abs(f) <= 1e-12 * std::max(1.0, x))
            break;
        if (f > 0)
            hi = s;
        else
            lo = s;
        double next = s - f / k.k2;
        if (!(next > lo && next < hi)) // Newton left the bracket: bisect instead
            next = 0.5 * (lo + hi);
        if (next == s)
            break;
        s = next;
    }
    return s;
}

// Mills ratio R(w) = (1 - Phi(w)) / phi(w) for w >= 0. erfc is accurate until it underflows near w = 37; beyond
// w = 25 the continued fraction R = 1/(w + 1/(w + 2/(w + 3/(w + ...)))) converges in a few terms.
double mills_ratio(double w) noexcept
{
    if (w < 25.0)
    {
        double const phi = std::exp(-0.5 * w * w) / std::sqrt(2.0 * std::numbers::pi);
        return 0.5 * std::erfc(w / std::numbers::sqrt2) / phi;
    }
    double f = w;
    for (int n = 60; n >= 1; --n)
        f = w + n / f;
    return 1.0 / f;
}

double log_phi(double w) noexcept // ln of the standard normal density
{
    return -0.5 * w * w - 0.5 * std::log(2.0 * std::numbers::pi);
}

// Lugannani-Rice with Daniels' first continuity correction for lattice variables, at a real x (the formula is smooth
// in x away from the mean): solve K'(s) = x, w = sgn(s) sqrt(2 (s x - K(s))), u = (1 - e^{-s}) sqrt(K''(s)),
// P(X >= x) ~ 1 - Phi(w) + phi(w) (1/u - 1/w). Returns NaN where the formula breaks down (s ~ 0, or a non-positive
// result); the caller handles both.
double lugannani_rice_log(std::vector<error_class> const & classes, double x, double mean)
{
    double const s = solve_saddlepoint(classes, x, mean);
    auto const c = cgf(classes, s);
    double const w = std::copysign(std::sqrt(std::max(0.0, 2.0 * (s * x - c.k0))), s);
    double const u = -std::expm1(-s) * std::sqrt(c.k2);
    if (std::abs(w) < 1e-3 || std::abs(u) < 1e-12)
        return std::numeric_limits<double>::quiet_NaN();
    if (w < 0)
    {
        // Lower half: P is at least about 1/2, computed directly.
        double const p = 0.5 * std::erfc(w / std::numbers::sqrt2) + std::exp(log_phi(w)) * (1.0 / u - 1.0 / w);
        return p > 0.0 ? std::log(std::min(1.0, p)) : std::numeric_limits<double>::quiet_NaN();
    }
    // Upper tail: P = phi(w) (R(w) + 1/u - 1/w) with R the Mills ratio; the bracket is positive and about 1/u, so the
    // logarithm is stable however small P is.
    double const bracket = mills_ratio(w) + 1.0 / u - 1.0 / w;
    if (!(bracket > 0.0))
        return std::numeric_limits<double>::quiet_NaN();
    return std::min(0.0, log_phi(w) + std::log(bracket));
}

// ln P(X >= k) by the saddlepoint approximation, 1 <= k <= n - 1 for the normalised molecules. Returns NaN if the
// formula breaks down (the caller falls back to the exact recursion).
double saddlepoint_log_sf(normalised const & m, uint64_t k)
{
    double mean = 0.0;
    for (auto const & e : m.classes)
        mean += static_cast<double>(e.count) * e.probability;
    double const x = static_cast<double>(k);
    double const l = lugannani_rice_log(m.classes, x, mean);
    if (!std::isnan(l))
        return l;
    // k at the mean (removable 0/0 singularity): average the formula at mean -/+ h, h = sd / 10. The tail is about 1/2
    // there and the smoothing error is O(h^2 / sd^2) = O(1 %) of it, well inside the stated absolute bound.
    double const h = 0.1 * std::sqrt(cgf(m.classes, 0.0).k2);
    double const lo = lugannani_rice_log(m.classes, std::max(0.5, x - h), mean);
    double const hi = lugannani_rice_log(m.classes, std::min(static_cast<double>(m.n) - 0.5, x + h), mean);
    if (std::isnan(lo) || std::isnan(hi))
        return std::numeric_limits<double>::quiet_NaN();
    return std::log(0.5 * (std::exp(lo) + std::exp(hi)));
}

double log_sf(normalised const & m, uint64_t k, pb_method method)
{
    if (k <= m.certain)
        return 0.0;
    k -= m.certain;
    if (k > m.n)
        return neg_inf;
    if (k == m.n) // every molecule errs: ln prod p_i, exactly
    {
        double l = 0.0;
        for (auto const & e : m.classes)
            l += static_cast<double>(e.count) * std::log(e.probability);
        return l;
    }
    // The exact computations cost tail_cells(k) from below (class convolution) or n * (n - k + 1) from above (the
    // per-molecule recursion over the failures): take the cheaper.
    uint64_t const from_below = tail_cells(m.classes, k), from_above = m.n * (m.n - k + 1);
    if (method == pb_method::automatic)
        method = std::min(from_below, from_above) <= exact_cell_budget ? pb_method::exact : pb_method::saddlepoint;
    if (method == pb_method::saddlepoint)
    {
        double const l = saddlepoint_log_sf(m, k);
        if (!std::isnan(l))
            return l;
        // Breakdown of the approximation (not seen in tests): fall back to the exact recursion.
    }
    if (from_above < from_below)
        return exact_upper_by_failures(m.classes, m.n - k);
    return exact_tail(m.classes, k)[k];
}

// ---- incomplete beta ------------------------------------------------------------------------------------------------

// Continued fraction of the incomplete beta function (modified Lentz; Numerical Recipes 6.4 `betacf`).
double beta_continued_fraction(double a, double b, double x)
{
    constexpr double tiny = 1e-300;
    constexpr double eps = 1e-15;
    double const qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0;
    double d = 1.0 - qab * x / qap;
    if (std::abs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 1'000'000; ++m)
    {
        double const m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (std::abs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (std::abs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (std::abs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (std::abs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        double const del = d * c;
        h *= del;
        if (std::abs(del - 1.0) < eps)
            return h;
    }
    throw internal_error{"incomplete beta continued fraction did not converge"};
}

// ln I_x(a, b), the regularised incomplete beta function, for a, b > 0 and 0 < x < 1.
double log_incomplete_beta(double a, double b, double x)
{
    double const log_front =
        std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    if (x < (a + 1.0) / (a + b + 2.0))
        return log_front + std::log(beta_continued_fraction(a, b, x) / a);
    // Symmetry I_x(a, b) = 1 - I_{1-x}(b, a); here I_x is at least about 1/2, so the subtraction is harmless.
    double const other = std::exp(log_front) * beta_continued_fraction(b, a, 1.0 - x) / b;
    return std::log1p(-std::min(other, 1.0));
}

void check_rule(detection_rule const & rule)
{
    if (!(rule.alpha > 0.0 && rule.alpha < 1.0))
        throw config_error{"alpha must be in (0, 1), got " + std::to_string(rule.alpha)};
    if (rule.tests == 0)
        throw config_error{"the number of tests (Bonferroni) must be at least 1"};
    if (!(rule.power > 0.0 && rule.power < 1.0))
        throw config_error{"power must be in (0, 1), got " + std::to_string(rule.power)};
}
} // namespace

// ---- Wilson interval ------------------------------------------------------------------------------------------------

interval wilson_interval(uint64_t successes, uint64_t trials, double z)
{
    if (successes > trials)
        throw config_error{"Wilson interval: " + std::to_string(successes) + " successes in " + std::to_string(trials) +
                           " trials"};
    if (!(z > 0.0))
        throw config_error{"Wilson interval: z must be positive"};
    if (trials == 0)
        return {0.0, 1.0};
    double const n = static_cast<double>(trials);
    double const k = static_cast<double>(successes);
    double const z2 = z * z;
    double const centre = (k + 0.5 * z2) / (n + z2);
    double const half = z / (n + z2) * std::sqrt(k * (n - k) / n + 0.25 * z2);
    // At k = 0 (k = n) the lower (upper) bound is exactly 0 (1); rounding could leave 1e-17.
    return {successes == 0 ? 0.0 : std::max(0.0, centre - half),
            successes == trials ? 1.0 : std::min(1.0, centre + half)};
}

// ---- qualities and codon errors -------------------------------------------------------------------------------------

double phred_to_probability(double q)
{
    if (!(q >= 0.0) || !std::isfinite(q))
        throw config_error{"base quality must be a finite number >= 0"};
    return std::pow(10.0, -q / 10.0);
}

double phred_from_log(double log_p) noexcept
{
    if (log_p >= 0.0)
        return 0.0;
    return -10.0 * log_p / ln10;
}

double codon_error_probability(std::string_view from, std::string_view to, std::array<uint8_t, 3> const & quals)
{
    if (from.size() != 3 || to.size() != 3)
        throw config_error{"codon error probability: codons must have 3 bases ('" + std::string{from} + "', '" +
                           std::string{to} + "')"};
    double p = 1.0;
    for (size_t i = 0; i < 3; ++i)
    {
        double const eps = phred_to_probability(quals[i]);
        // A misread base shows each of the three other bases with equal probability.
        p *= from[i] == to[i] ? 1.0 - eps : eps / 3.0;
    }
    return p;
}

double codon_error_probability(std::string_view from, std::string_view to, uint8_t quality)
{
    return codon_error_probability(from, to, std::array<uint8_t, 3>{quality, quality, quality});
}

double codon_error_probability(std::string_view from,
                               std::span<std::string const> to_set,
                               std::array<uint8_t, 3> const & quals)
{
    double p = 0.0;
    for (size_t i = 0; i < to_set.size(); ++i)
    {
        if (to_set[i] == from || std::find(to_set.begin(), to_set.begin() + i, to_set[i]) != to_set.begin() + i)
            continue; // the reference itself, or a codon already counted
        p += codon_error_probability(from, to_set[i], quals);
    }
    return p;
}

// ---- Poisson-binomial -----------------------------------------------------------------------------------------------

double poisson_binomial_log_sf(std::span<error_class const> errors, uint64_t k, pb_method method)
{
    return log_sf(normalise(errors), k, method);
}

double poisson_binomial_log_sf(std::span<double const> probabilities, uint64_t k, pb_method method)
{
    std::vector<error_class> classes;
    classes.reserve(probabilities.size());
    for (double p : probabilities)
        classes.push_back({p, 1});
    return poisson_binomial_log_sf(classes, k, method);
}

std::vector<double> poisson_binomial_log_tail(std::span<error_class const> errors, uint64_t k_max)
{
    auto const m = normalise(errors);
    std::vector<double> out(k_max + 1, neg_inf);
    auto const t = exact_tail(m.classes, k_max > m.certain ? k_max - m.certain : 0);
    for (uint64_t j = 0; j <= k_max; ++j)
        out[j] = j <= m.certain ? 0.0 : t[j - m.certain];
    return out;
}

double binomial_log_sf(uint64_t n, uint64_t k, double p)
{
    check_probability(p, "binomial probability");
    if (k == 0)
        return 0.0;
    if (k > n || p == 0.0)
        return neg_inf;
    if (p == 1.0)
        return 0.0;
    // P(Y >= k) = I_p(k, n - k + 1)
    return log_incomplete_beta(static_cast<double>(k), static_cast<double>(n - k + 1), p);
}

// ---- detection rule and limit of detection --------------------------------------------------------------------------

std::optional<uint64_t> critical_count(std::span<error_class const> errors, detection_rule const & rule)
{
    check_rule(rule);
    auto const m = normalise(errors);
    uint64_t const total = m.n + m.certain;
    uint64_t const k_min = std::max<uint64_t>(1, rule.min_alt_molecules);
    if (k_min > total)
        return std::nullopt;
    double const log_alpha = std::log(rule.per_test_alpha());
    // Counts up to `certain` are reached with probability 1 and are never significant.
    uint64_t const first = std::max(k_min, m.certain + 1);
    if (first > total)
        return std::nullopt;
    // Exact range: one pass of the recursion gives P(X >= j) for every j <= k_max; double k_max until a significant
    // count appears or the next pass would exceed the cell budget (the same limit as the automatic method).
    for (uint64_t k_max = std::min(m.n, std::max<uint64_t>(first - m.certain, 32));
         tail_cells(m.classes, k_max) <= exact_cell_budget;
         k_max = std::min(m.n, 2 * k_max))
    {
        auto const t = exact_tail(m.classes, k_max);
        for (uint64_t j = first - m.certain; j <= k_max; ++j)
            if (t[j] <= log_alpha)
                return j + m.certain;
        if (k_max == m.n)
            return std::nullopt;
    }
    // Beyond the budget: P(X >= k) decreases in k, so binary search with the automatic method.
    auto significant = [&](uint64_t k)
    {
        return log_sf(m, k, pb_method::automatic) <= log_alpha;
    };
    if (!significant(total))
        return std::nullopt;
    uint64_t lo = first, hi = total;
    while (lo < hi)
    {
        uint64_t const mid = lo + (hi - lo) / 2;
        if (significant(mid))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

double detection_probability(uint64_t depth, double error, uint64_t critical, double fraction)
{
    check_probability(error, "error probability");
    check_probability(fraction, "variant fraction");
    double const pi = fraction + (1.0 - fraction) * error;
    return std::exp(binomial_log_sf(depth, critical, pi));
}

std::optional<double> limit_of_detection(uint64_t depth, double error, uint64_t critical, double power)
{
    if (!(power > 0.0 && power < 1.0))
        throw config_error{"power must be in (0, 1), got " + std::to_string(power)};
    check_probability(error, "error probability");
    if (critical > depth)
        return std::nullopt;
    if (detection_probability(depth, error, critical, 0.0) >= power)
        return 0.0;
    // The detection probability increases with the fraction; at fraction 1 it is 1 (critical <= depth).
    double lo = 0.0, hi = 1.0;
    while (hi - lo > 1e-9)
    {
        double const mid = 0.5 * (lo + hi);
        if (detection_probability(depth, error, critical, mid) >= power)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

std::optional<double> limit_of_detection(uint64_t depth, double error, detection_rule const & rule)
{
    error_class const e{error, depth};
    auto const k = critical_count(std::span{&e, 1}, rule);
    if (!k)
        return std::nullopt;
    return limit_of_detection(depth, error, *k, rule.power);
}

// ---- Fisher's exact test and strand bias ----------------------------------------------------------------------------

double fisher_exact_two_sided_log(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    // Margins fixed: the top-left cell x is hypergeometric, P(x) = C(r1, x) C(r2, c1 - x) / C(n, c1).
    uint64_t const r1 = a + b, r2 = c + d, c1 = a + c, n = r1 + r2;
    uint64_t const x_min = c1 > r2 ? c1 - r2 : 0;
    uint64_t const x_max = std::min(r1, c1);
    double const log_denominator = log_choose(n, c1);
    auto log_p = [&](uint64_t x)
    {
        return log_choose(r1, x) + log_choose(r2, c1 - x) - log_denominator;
    };
    double const observed = log_p(a) + std::log1p(1e-7); // tables this probable or less count as extreme
    double total = neg_inf;
    for (uint64_t x = x_min; x <= x_max; ++x)
    {
        double const l = log_p(x);
        if (l <= observed)
            total = log_add(total, l);
    }
    return std::min(0.0, total);
}

double fisher_exact_two_sided(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    return std::exp(fisher_exact_two_sided_log(a, b, c, d));
}

strand_bias strand_bias_test(strand_counts const & n, strand_bias_options const & options)
{
    if (!(options.alpha > 0.0 && options.alpha < 1.0))
        throw config_error{"strand-bias alpha must be in (0, 1)"};
    strand_bias r;
    double const log_p = fisher_exact_two_sided_log(n.ref_forward, n.ref_reverse, n.alt_forward, n.alt_reverse);
    r.fisher_p = std::exp(log_p);
    r.score = phred_from_log(log_p);
    uint64_t const alt = n.alt_forward + n.alt_reverse;
    bool const alt_forward_only = n.alt_forward > 0 && n.alt_reverse == 0;
    bool const alt_reverse_only = n.alt_reverse > 0 && n.alt_forward == 0;
    if (options.amplicon_aware)
        // The other strand must be read at all (reference seen there) for a one-strand alternative to be odd.
        r.one_strand_alt = (alt_forward_only && n.ref_reverse > 0) || (alt_reverse_only && n.ref_forward > 0);
    else
        r.one_strand_alt = alt_forward_only || alt_reverse_only;
    r.biased = r.fisher_p < options.alpha ||
               (!options.amplicon_aware && r.one_strand_alt && alt >= options.min_one_strand_alt);
    return r;
}

} // namespace chemores::stats
