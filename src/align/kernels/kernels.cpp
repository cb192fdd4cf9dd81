// chemores — pairwise alignment kernels: public API, run-time dispatch, workspace and traceback.
#include "chemores/align/kernels/kernels.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "chemores/align/kernels/kernel_impl.hpp"

namespace chemores::align::kernels
{

namespace
{

constexpr int64_t simd_range_limit = 30000;       // see "16-bit range" in kernels.hpp
constexpr int64_t scalar_range_limit = 1LL << 29; // int32 scalar kernel: |values| stay far from 2^31

constexpr uint32_t op_m = 0;
constexpr uint32_t op_i = 1;
constexpr uint32_t op_d = 2;

// Magnitude bounds of the DP values (see kernels.hpp): highest H and lowest value that still matters.
int64_t upper_bound(scoring const & s, int32_t qlen, int32_t tlen)
{
    return static_cast<int64_t>(s.match) * std::min(qlen, tlen);
}

int64_t lower_bound(scoring const & s, int32_t qlen, align_mode m)
{
    int64_t const worst_pair = std::max(s.mismatch, s.ambiguous);
    if (m == align_mode::local)
        return 2 * (static_cast<int64_t>(s.gap_open) + s.gap_extend) + worst_pair;
    return 2 * static_cast<int64_t>(s.gap_open) + (static_cast<int64_t>(qlen) + 2) * s.gap_extend + worst_pair;
}

bool cpu_supports(simd_target t)
{
#if defined(CHEMORES_KERNELS_X86)
    __builtin_cpu_init();
    switch (t)
    {
    case simd_target::scalar:
        return true;
    case simd_target::sse41:
        return __builtin_cpu_supports("sse4.1");
    case simd_target::avx2:
        return __builtin_cpu_supports("avx2");
    case simd_target::avx512bw:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
    }
    return false;
#else
    return t == simd_target::scalar;
#endif
}

bool compiled(simd_target t)
{
    switch (t)
    {
    case simd_target::scalar:
        return true;
    case simd_target::sse41:
#if defined(CHEMORES_KERNEL_SSE41)
        return true;
#else
        return false;
#endif
    case simd_target::avx2:
#if defined(CHEMORES_KERNEL_AVX2)
        return true;
#else
        return false;
#endif
    case simd_target::avx512bw:
#if defined(CHEMORES_KERNEL_AVX512BW)
        return true;
#else
        return false;
#endif
    }
    return false;
}

void run_simd(simd_target t, detail::kernel_args & a)
{
    switch (t)
    {
#if defined(CHEMORES_KERNEL_SSE41)
    case simd_target::sse41:
        detail::kernel_sse41(a);
        return;
#endif
#if defined(CHEMORES_KERNEL_AVX2)
    case simd_target::avx2:
        detail::kernel_avx2(a);
        return;
#endif
#if defined(CHEMORES_KERNEL_AVX512BW)
    case simd_target::avx512bw:
        detail::kernel_avx512bw(a);
        return;
#endif
    default:
        break;
    }
    (void)a;
    throw std::logic_error("chemores kernels: SIMD target not compiled in");
}

// Smallest p such that target[p, p + qlen) differs from query in exactly one position, or -1.
int32_t first_one_substitution(uint8_t const * query, int32_t qlen, uint8_t const * target, int32_t tlen)
{
    for (int32_t p = 0; p + qlen <= tlen; ++p)
    {
        uint8_t const * const t = target + p;
        int32_t diffs = 0;
        for (int32_t k = 0; k < qlen && diffs < 2; ++k)
            diffs += query[k] != t[k] ? 1 : 0;
        if (diffs == 1)
            return p;
    }
    return -1;
}

// True when some code is > 3 (N). Word-wise OR: a code <= 3 has its six high bits clear.
bool has_n(uint8_t const * p, int32_t n)
{
    uint64_t acc = 0;
    int32_t k = 0;
    for (; k + 8 <= n; k += 8)
    {
        uint64_t w;
        std::memcpy(&w, p + k, sizeof w);
        acc |= w;
    }
    for (; k < n; ++k)
        acc |= p[k];
    return (acc & 0xFCFCFCFCFCFCFCFCull) != 0;
}

template <typename T> void grow(std::vector<T> & v, size_t n)
{
    if (v.size() < n)
        v.resize(std::max(n, v.size() + v.size() / 2));
}

} // namespace

struct aligner::workspace
{
    std::vector<int16_t> dp;     // SIMD: 7 rotating DP arrays
    std::vector<int16_t> qcodes; // SIMD: query codes as int16
    std::vector<int16_t> tcodes; // SIMD: reversed target codes as int16
    std::vector<uint8_t> dirs;   // direction byte per cell (anti-diagonal or row-major layout)
    std::vector<int64_t> diag_offset;
    std::vector<int32_t> h_row; // scalar
    std::vector<int32_t> f_row; // scalar
    std::vector<uint32_t> rev_cigar;
    // local gap-free shortcut (see local_gap_free_shortcut): per sampled target b-mer its 2-bit key and the next
    // sample with the same key (-1 = none); open-addressing hash table of sample index + 1 (0 = empty slot).
    std::vector<uint64_t> seed_key;
    std::vector<int32_t> seed_next;
    std::vector<int32_t> seed_table;
};

namespace detail
{
// Test hook (not part of the public API; the tests declare it themselves): number of alignments this thread has
// answered with the local gap-free shortcut. thread_local, so no synchronisation and no race between aligners.
uint64_t local_gap_free_shortcut_hits() noexcept;
} // namespace detail

namespace
{
thread_local uint64_t local_gap_free_hits = 0;
} // namespace

uint64_t detail::local_gap_free_shortcut_hits() noexcept { return local_gap_free_hits; }

std::string_view to_string(simd_target t)
{
    switch (t)
    {
    case simd_target::scalar:
        return "scalar";
    case simd_target::sse41:
        return "sse4.1";
    case simd_target::avx2:
        return "avx2";
    case simd_target::avx512bw:
        return "avx512bw";
    }
    return "unknown";
}

std::optional<simd_target> parse_simd_target(std::string_view name)
{
    if (name == "scalar")
        return simd_target::scalar;
    if (name == "sse4.1" || name == "sse41")
        return simd_target::sse41;
    if (name == "avx2")
        return simd_target::avx2;
    if (name == "avx512bw")
        return simd_target::avx512bw;
    return std::nullopt;
}

std::vector<simd_target> compiled_targets()
{
    std::vector<simd_target> out;
    for (auto t : {simd_target::scalar, simd_target::sse41, simd_target::avx2, simd_target::avx512bw})
        if (compiled(t))
            out.push_back(t);
    return out;
}

std::vector<simd_target> available_targets()
{
    std::vector<simd_target> out;
    for (auto t : compiled_targets())
        if (cpu_supports(t))
            out.push_back(t);
    return out;
}

simd_target best_available_target()
{
    // Highest available; AVX-512BW preferred (unmeasured here: the development machine has no AVX-512).
    return available_targets().back();
}

bool simd_score_range_ok(scoring const & s, int32_t qlen, int32_t tlen, align_mode m)
{
    return upper_bound(s, qlen, tlen) <= simd_range_limit && lower_bound(s, qlen, m) <= simd_range_limit;
}

aligner::aligner(scoring const & s, simd_target t) : scoring_(s), target_(t), ws_(std::make_unique<workspace>())
{
    auto const in_range = [](int v, int lo) { return v >= lo && v <= max_score_parameter; };
    if (!in_range(s.match, 1) || !in_range(s.mismatch, 0) || !in_range(s.gap_open, 0) || !in_range(s.gap_extend, 0) ||
        !in_range(s.ambiguous, 0))
        throw std::invalid_argument("chemores kernels: bad scoring (need 1 <= match, 0 <= mismatch, gap_open, "
                                    "gap_extend, ambiguous, all <= " +
                                    std::to_string(max_score_parameter) + ")");
    auto const avail = available_targets();
    if (std::find(avail.begin(), avail.end(), t) == avail.end())
        throw std::invalid_argument("chemores kernels: SIMD target '" + std::string(to_string(t)) +
                                    "' is not available on this CPU/build");
}

aligner::~aligner() = default;
aligner::aligner(aligner &&) noexcept = default;
aligner & aligner::operator=(aligner &&) noexcept = default;

simd_target aligner::target() const { return target_; }

scoring const & aligner::score_parameters() const { return scoring_; }

alignment_result aligner::align(uint8_t const * query, int32_t qlen, uint8_t const * target, int32_t tlen, align_mode m,
                                bool traceback)
{
    alignment_result out;
    align(out, query, qlen, target, tlen, m, traceback);
    return out;
}

namespace
{

// Gotoh traceback from the end cell (i, j) over direction bytes dir_at(i, j); rules in kernels.hpp.
// Appends the CIGAR in reverse order to rev (run-length merged) and returns the begin cell in (i, j).
template <typename DirAt>
void traceback(DirAt const & dir_at, bool local, int32_t & i, int32_t & j, std::vector<uint32_t> & rev)
{
    auto push = [&rev](uint32_t op, uint32_t len)
    {
        if (!rev.empty() && (rev.back() & 0xFu) == op)
            rev.back() += len << 4;
        else
            rev.push_back(len << 4 | op);
    };
    enum class state
    {
        h,
        e,
        f
    } st = state::h;
    for (;;)
    {
        if (st == state::h)
        {
            if (i == 0)
                break; // row 0: free start (glocal) / boundary zero (local)
            if (j == 0)
            {
                if (!local)
                {
                    push(op_i, static_cast<uint32_t>(i)); // glocal: leading query bases inserted
                    i = 0;
                }
                break;
            }
            uint8_t const d = dir_at(i, j);
            if (local && (d & detail::dir_stop) != 0)
                break;
            if ((d & detail::dir_f_wins) != 0)
                st = state::f;
            else if ((d & detail::dir_e_wins) != 0)
                st = state::e;
            else
            {
                push(op_m, 1);
                --i;
                --j;
            }
        }
        else if (st == state::e)
        {
            uint8_t const d = dir_at(i, j);
            push(op_d, 1);
            st = (d & detail::dir_e_extend) != 0 ? state::e : state::h;
            --j;
        }
        else
        {
            uint8_t const d = dir_at(i, j);
            push(op_i, 1);
            st = (d & detail::dir_f_extend) != 0 ? state::f : state::h;
            --i;
        }
    }
}

// ---- Local gap-free shortcut ------------------------------------------------------------------------------------
//
// Local mode, SIMD targets only (the scalar target is the reference the differential tests compare against).
// Notation: a = match, x = mismatch, y = ambiguous, oe = gap_open + gap_extend, n0 = min(qlen, tlen), p = the
// smallest penalty a non-matching pair can cost (x if neither sequence has an N, else min(x, y)). A "matching
// pair" is two equal codes <= 3; every other pair is non-matching and scores -x or -y <= -p.
//
// (1) Gapped bound. An alignment with k aligned pairs and at least one gap scores <= a * k - oe (every pair scores
//     <= a, every gap costs gap_open + L * gap_extend >= oe), and k <= n0. So it scores <= B = a * n0 - oe.
//     This covers every path the DP scores, including those ending in a gap (E or F cells).
// (2) Gap-free segments above B. A single-diagonal segment with k matching and m non-matching pairs scores
//     <= a * k - p * m, with k + m <= n0. Score > B implies
//       a * (n0 - m) - p * m > a * n0 - oe  =>  (a + p) * m < oe  =>  m <= M = floor((oe - 1) / (a + p)),
//       a * k > B + p * m                  =>  k >= K(m) = floor((B + p * m) / a) + 1   (B >= 0).
//     Its k matching pairs form at most m + 1 maximal runs of consecutive matching pairs (the m non-matching pairs
//     separate them), so one run is an exact, N-free match of length >= ceil(K(m) / (m + 1)) >= R, where
//     R = min over m = 0..M of ceil(K(m) / (m + 1)).
// (3) Seeds. Seed length b = min(floor((R + 1) / 2), 32), target stride st = R - b + 1 (>= b). The N-free target
//     b-mers starting at the multiples of st go into a hash table (equal b-mers chained, so a lookup returns all
//     of them); every N-free b-mer of the query is looked up (2-bit rolling key). A run occupying target
//     [u, u + L) with L >= R contains the sampled b-mer at the first multiple t of st with t >= u (t <= u + st - 1,
//     so t + b <= u + R <= u + L). That b-mer is N-free and equals the query b-mer at t - diagonal, so the lookup
//     of that query b-mer yields the run's diagonal. Hence every diagonal holding a gap-free segment scoring > B
//     is a candidate (whatever else is found is a harmless extra candidate).
// (4) On each candidate diagonal the gap-free recursion Hd = max(0, Hd_prev + s) gives its best segment: the
//     first cell (smallest i + j on the diagonal) with the highest Hd, starting just after the last cell before it
//     with Hd == 0 (or at the diagonal's start). U = the best of them, ties -> smallest query_end + target_end,
//     then smallest target_end (the DP's end-cell rule).
// (5) If U > max(B, 0): the DP optimum S* = max H equals U (every H is the score of some alignment; one scoring
//     > B is gap-free by (1) and on a candidate diagonal by (3); the gap-free segments of other diagonals score
//     <= B < U, so they cannot even tie). A cell has H == S* iff some alignment ending there scores S*; that
//     alignment is gap-free, so the cell has Hd == S* on its (candidate) diagonal, and conversely Hd <= H <= S*.
//     So the DP's end cell (tie rule over the cells with H == S*) is the one chosen in (4). The DP traceback from
//     it reproduces an alignment scoring exactly S* > B, so it never takes an E or F step: it is all diagonal,
//     and by induction from the end cell H == Hd along it (H(i,j) = H(i-1,j-1) + s and Hd(i,j) = Hd(i-1,j-1) + s
//     while both are > 0). It stops at the first cell with H == 0 (or at row / column 0), i.e. the last Hd == 0
//     before the end: begin and CIGAR (len M) are those of (4). Score-only calls return the same score and end.
//     Otherwise (U <= B, seeds shorter than 12, more than 64 candidate diagonals) -> full DP.
// Cost: O(qlen + tlen / st * b) for the search (b-mer keys), O(qlen) per candidate diagonal; no allocation once warm.
constexpr int32_t shortcut_min_seed = 12;      // shorter seeds: too many chance hits to be worth it
constexpr int32_t shortcut_max_seed = 32;      // 2-bit keys in 64 bits (any b <= R works with st = R - b + 1)
constexpr int32_t shortcut_max_diagonals = 64; // more distinct candidate diagonals -> full DP

struct gap_free_segment
{
    int32_t score = 0;
    int32_t query_begin = 0, query_end = 0; // 0-based half-open; target = query + diagonal
    int32_t diagonal = 0;                   // target position - query position
};

// Best local gap-free segment on diagonal k (query[i] vs target[i + k]), as the DP recursion sees it (see (4)):
// Hd = max(0, Hd_prev + s), end = first cell with the highest Hd, begin = just after the last Hd == 0 before it.
// Evaluated run by run: along a run of matching pairs Hd grows by `match` per cell (so a run's maximum is its last
// cell, and it is > 0); only a non-matching pair can bring Hd down to 0. Non-matching pairs are found 8 at a time
// (a byte of (q ^ t) | ((q | t) & 0xFC..) is non-zero iff the codes differ or one is > 3).
gap_free_segment best_on_diagonal(scoring const & s, uint8_t const * query, int32_t qlen, uint8_t const * target,
                                  int32_t tlen, int32_t k)
{
    int32_t const i0 = std::max(0, -k);
    int32_t const i1 = std::min(qlen, tlen - k);
    gap_free_segment best;
    best.diagonal = k;
    int32_t h = 0;         // Hd of the last cell processed
    int32_t start = i0;    // first cell after the last Hd == 0
    int32_t run_from = i0; // first cell of the current run of matching pairs
    auto const close_run = [&](int32_t e) // matching pairs run_from .. e-1
    {
        if (e > run_from)
        {
            h += s.match * (e - run_from);
            if (h > best.score) // strict: the first cell with the highest Hd
            {
                best.score = h;
                best.query_begin = start;
                best.query_end = e;
            }
        }
    };
    auto const non_matching = [&](int32_t e) // cell e: Hd <= previous maximum, never a new best
    {
        close_run(e);
        int const qc = query[e];
        int const tc = target[e + k];
        h = std::max(0, h - ((qc > 3 || tc > 3) ? s.ambiguous : s.mismatch));
        if (h == 0)
            start = e + 1;
        run_from = e + 1;
    };
    int32_t i = i0;
    if constexpr (std::endian::native == std::endian::little)
    {
        for (; i + 8 <= i1; i += 8)
        {
            uint64_t wq, wt;
            std::memcpy(&wq, query + i, sizeof wq);
            std::memcpy(&wt, target + i + k, sizeof wt);
            uint64_t ev = (wq ^ wt) | ((wq | wt) & 0xFCFCFCFCFCFCFCFCull);
            while (ev != 0)
            {
                int const byte = std::countr_zero(ev) >> 3;
                non_matching(i + byte);
                ev &= ~(uint64_t{0xFF} << (8 * byte));
            }
        }
    }
    for (; i < i1; ++i)
    {
        int const qc = query[i];
        int const tc = target[i + k];
        if (qc != tc || qc > 3 || tc > 3)
            non_matching(i);
    }
    close_run(i1);
    return best;
}

// 2-bit key of the b-mer at p (b <= 32): base k in bits 2k, 2k + 1. Returns true when the b-mer holds an N.
// Eight bases at a time: mask each byte to its 2 code bits, then fold the bytes together.
bool b_mer_key(uint8_t const * p, int32_t b, uint64_t & key)
{
    uint64_t acc = 0;
    key = 0;
    int32_t k = 0;
    if constexpr (std::endian::native == std::endian::little)
    {
        for (; k + 8 <= b; k += 8)
        {
            uint64_t w;
            std::memcpy(&w, p + k, sizeof w);
            acc |= w;
            uint64_t x = w & 0x0303030303030303ull;
            x = (x | x >> 6) & 0x000F000F000F000Full;
            x = (x | x >> 12) & 0x000000FF000000FFull;
            x = (x | x >> 24) & 0xFFFFull;
            key |= x << (2 * k);
        }
    }
    for (; k < b; ++k)
    {
        acc |= p[k];
        key |= static_cast<uint64_t>(p[k] & 3u) << (2 * k);
    }
    return (acc & 0xFCFCFCFCFCFCFCFCull) != 0;
}

// Returns true and fills `out` when the proof above applies; false -> the caller runs the DP.
bool local_gap_free_shortcut(scoring const & s, uint8_t const * query, int32_t qlen, uint8_t const * target,
                             int32_t tlen, bool any_n, bool traceback_wanted, std::vector<uint64_t> & seed_key,
                             std::vector<int32_t> & seed_next, std::vector<int32_t> & table, alignment_result & out)
{
    int64_t const a = s.match;
    int64_t const oe = static_cast<int64_t>(s.gap_open) + s.gap_extend;
    if (oe <= 0)
        return false; // B = a * n0: nothing gap-free exceeds it
    int64_t const n0 = std::min(qlen, tlen);
    int64_t const bound = a * n0 - oe; // B
    if (bound < 0)
        return false;
    int64_t const p = any_n ? std::min(s.mismatch, s.ambiguous) : s.mismatch;
    int64_t const max_mismatches = (oe - 1) / (a + p); // M
    int64_t min_run = std::numeric_limits<int64_t>::max(); // R = min over m of ceil(K(m) / (m + 1))
    for (int64_t m = 0; m <= max_mismatches; ++m)
    {
        int64_t const min_matches = (bound + p * m) / a + 1; // K(m)
        min_run = std::min(min_run, (min_matches + m) / (m + 1));
        if ((min_run + 1) / 2 < shortcut_min_seed)
            return false; // seeds would be too short
    }
    int64_t const b64 = std::min<int64_t>((min_run + 1) / 2, shortcut_max_seed); // b
    auto const b = static_cast<int32_t>(b64);
    auto const stride = static_cast<int32_t>(std::min<int64_t>(min_run - b + 1, tlen)); // st (>= b)
    int32_t const nseeds = qlen - b + 1;
    if (nseeds <= 0 || tlen < b)
        return false;

    // Hash table of the N-free target b-mers at the multiples of st (equal b-mers chained through seed_next).
    int32_t const nsamples = (tlen - b) / stride + 1;
    int32_t log_cap = 4;
    while ((int64_t{1} << log_cap) < 4 * static_cast<int64_t>(nsamples))
        ++log_cap;
    size_t const cap = size_t{1} << log_cap;
    grow(seed_key, static_cast<size_t>(nsamples));
    grow(seed_next, static_cast<size_t>(nsamples));
    grow(table, cap);
    std::fill_n(table.begin(), cap, 0);
    auto const slot_of = [log_cap](uint64_t key)
    { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> (64 - log_cap)); };
    for (int32_t n = 0; n < nsamples; ++n)
    {
        uint64_t key = 0;
        if (b_mer_key(target + static_cast<ptrdiff_t>(n) * stride, b, key))
            continue; // holds an N: no run contains it
        seed_key[static_cast<size_t>(n)] = key;
        seed_next[static_cast<size_t>(n)] = -1;
        for (size_t h = slot_of(key);; h = (h + 1) & (cap - 1))
        {
            int32_t & slot = table[h];
            if (slot == 0)
            {
                slot = n + 1;
                break;
            }
            if (seed_key[static_cast<size_t>(slot - 1)] == key)
            {
                seed_next[static_cast<size_t>(n)] = slot - 1;
                slot = n + 1;
                break;
            }
        }
    }

    // Every N-free query b-mer (2-bit rolling key) is looked up: every hit gives a candidate diagonal.
    int32_t diagonals[shortcut_max_diagonals];
    int32_t ndiag = 0;
    int32_t const top_shift = 2 * (b - 1);
    uint64_t key = 0;
    int32_t valid = 0; // consecutive N-free query bases ending at q
    for (int32_t q = 0; q < qlen; ++q)
    {
        uint64_t const code = query[q];
        if (code > 3)
        {
            valid = 0;
            continue;
        }
        key = key >> 2 | code << top_shift; // same packing as b_mer_key
        if (++valid < b)
            continue;
        for (size_t h = slot_of(key); table[h] != 0; h = (h + 1) & (cap - 1))
        {
            if (seed_key[static_cast<size_t>(table[h] - 1)] != key)
                continue;
            for (int32_t n = table[h] - 1; n >= 0; n = seed_next[static_cast<size_t>(n)])
            {
                int32_t const diag = n * stride - (q - b + 1);
                bool seen = false;
                for (int32_t d = 0; d < ndiag && !seen; ++d)
                    seen = diagonals[d] == diag;
                if (seen)
                    continue;
                if (ndiag == shortcut_max_diagonals)
                    return false;
                diagonals[ndiag++] = diag;
            }
            break;
        }
    }

    // Best gap-free segment over the candidate diagonals, with the DP's end-cell tie rule.
    gap_free_segment best;
    for (int32_t d = 0; d < ndiag; ++d)
    {
        gap_free_segment const g = best_on_diagonal(s, query, qlen, target, tlen, diagonals[d]);
        if (g.score == 0)
            continue;
        int32_t const anti = 2 * g.query_end + g.diagonal;
        int32_t const best_anti = 2 * best.query_end + best.diagonal;
        if (g.score > best.score ||
            (g.score == best.score &&
             (anti < best_anti || (anti == best_anti && g.query_end + g.diagonal < best.query_end + best.diagonal))))
            best = g;
    }
    if (best.score <= 0 || best.score <= bound)
        return false;

    out.score = best.score;
    out.query_end = best.query_end;
    out.target_end = best.query_end + best.diagonal;
    if (traceback_wanted)
    {
        out.query_begin = best.query_begin;
        out.target_begin = best.query_begin + best.diagonal;
        out.cigar.push_back(static_cast<uint32_t>(best.query_end - best.query_begin) << 4 | op_m);
    }
    ++local_gap_free_hits;
    return true;
}

} // namespace

void aligner::align(alignment_result & out, uint8_t const * query, int32_t qlen, uint8_t const * target, int32_t tlen,
                    align_mode mode, bool traceback_wanted)
{
    if (qlen < 0 || tlen < 0)
        throw std::invalid_argument("chemores kernels: negative sequence length");
    scoring const & s = scoring_;
    if (upper_bound(s, qlen, tlen) > scalar_range_limit || lower_bound(s, qlen, mode) > scalar_range_limit)
        throw std::invalid_argument("chemores kernels: problem too large for 32-bit scores");

    bool const local = mode == align_mode::local;
    out.cigar.clear();
    out.query_begin = traceback_wanted ? 0 : -1;
    out.target_begin = traceback_wanted ? 0 : -1;

    // Trivial problems (see "Empty inputs" in kernels.hpp).
    if (qlen == 0 || tlen == 0)
    {
        out.score = 0;
        out.query_end = 0;
        out.target_end = 0;
        if (!local && qlen > 0)
        {
            out.score = -(s.gap_open + qlen * s.gap_extend);
            out.query_end = qlen;
            if (traceback_wanted)
                out.cigar.push_back(static_cast<uint32_t>(qlen) << 4 | op_i);
        }
        return;
    }

    // Exact-occurrence and one-substitution shortcuts (SIMD targets only; the scalar target always runs the plain DP
    // and is the reference the differential tests hold these against). With gap_open + gap_extend > 0, mismatch >= 0
    // and match > 0, the only alignments reaching the upper bound match * qlen are gap-free exact occurrences of the
    // whole query, so the DP result is the leftmost occurrence (both modes' tie rules pick the smallest end column) and
    // the traceback is qlen M (every cell on it has H = D, which wins ties). Queries with N never score the bound.
    bool const query_n = has_n(query, qlen);
    int target_n = -1; // -1: not computed yet, else 0 / 1
    auto const target_has_n = [&]()
    {
        if (target_n < 0)
            target_n = has_n(target, tlen) ? 1 : 0;
        return target_n == 1;
    };
    auto const gap_free_result = [&](int32_t begin, int32_t score)
    {
        out.score = score;
        out.query_end = qlen;
        out.target_end = begin + qlen;
        if (traceback_wanted)
        {
            out.query_begin = 0;
            out.target_begin = begin;
            out.cigar.push_back(static_cast<uint32_t>(qlen) << 4 | op_m);
        }
    };
    if (target_ != simd_target::scalar && qlen <= tlen && !query_n && s.gap_open + s.gap_extend > 0)
    {
        void const * const hit = ::memmem(target, static_cast<size_t>(tlen), query, static_cast<size_t>(qlen));
        if (hit != nullptr)
        {
            gap_free_result(static_cast<int32_t>(static_cast<uint8_t const *>(hit) - target), s.match * qlen);
            return;
        }
        // One-substitution shortcut (glocal only; see kernels.hpp): with no exact occurrence, no N anywhere and
        // gap_open + gap_extend > match + mismatch, every gapped alignment scores <= match * qlen - (open + extend)
        // < match * (qlen - 1) - mismatch, the score of a gap-free placement with one substitution; placements
        // with more substitutions score less. So the leftmost such placement is the DP's end cell and its
        // traceback is qlen M (a direction that beat the diagonal on the path would give a higher score).
        if (!local && !target_has_n() && s.gap_open + s.gap_extend > s.match + s.mismatch)
        {
            int32_t const begin = first_one_substitution(query, qlen, target, tlen);
            if (begin >= 0)
            {
                gap_free_result(begin, s.match * (qlen - 1) - s.mismatch);
                return;
            }
        }
    }
    // Local gap-free shortcut (see local_gap_free_shortcut above for the proof): a best gap-free segment scoring
    // more than any gapped alignment can, found on the diagonals of exact query-block occurrences.
    if (target_ != simd_target::scalar && local)
    {
        bool const any_n = query_n || target_has_n();
        workspace & w = *ws_;
        if (local_gap_free_shortcut(s, query, qlen, target, tlen, any_n, traceback_wanted, w.seed_key, w.seed_next,
                                    w.seed_table, out))
            return;
    }

    workspace & ws = *ws_;
    detail::kernel_args a;
    a.query = query;
    a.qlen = qlen;
    a.target = target;
    a.tlen = tlen;
    a.match = s.match;
    a.mismatch = s.mismatch;
    a.gap_open = s.gap_open;
    a.gap_extend = s.gap_extend;
    a.ambiguous = s.ambiguous;
    a.local = local ? 1 : 0;
    a.traceback = traceback_wanted ? 1 : 0;

    bool const use_simd = target_ != simd_target::scalar && simd_score_range_ok(s, qlen, tlen, mode);
    size_t const cells = static_cast<size_t>(qlen) * static_cast<size_t>(tlen);
    if (traceback_wanted)
    {
        size_t const simd_extra = (static_cast<size_t>(qlen) + tlen + 1) * (2 * detail::kernel_padding + 1);
        grow(ws.dirs, cells + (use_simd ? simd_extra : 0) + detail::kernel_padding);
        a.dirs = ws.dirs.data();
    }

    // Two-pass traceback for long targets (SIMD only). Pass 1 is score-only and gives the score S and the end cell
    // (i_e, j_e). An optimal path consumes at most qlen + (match * qlen - S) / gap_extend target bases, so it lies in
    // the columns after j0 = j_e - that - 1. Pass 2 re-runs the kernel with traceback on target[j0, j_e) only. Every
    // DP value there is <= the full-problem value (fewer paths; the boundary column j0 is a lower bound too) and
    // equal on the traced path, so the end cell (same tie order), every direction decision on the path and hence
    // the CIGAR are the ones the single full pass gives. Used when the target is long compared to the query.
    bool const two_pass = use_simd && traceback_wanted && s.gap_extend > 0 && tlen >= 4 * qlen;

    if (use_simd)
    {
        a.has_n = query_n || target_has_n() ? 1 : 0;

        size_t const stride = (static_cast<size_t>(qlen) + 1 + 2 * detail::kernel_padding + 31) / 32 * 32;
        grow(ws.dp, 7 * stride + 64);
        grow(ws.qcodes, static_cast<size_t>(qlen) + 1 + detail::kernel_padding);
        grow(ws.tcodes, static_cast<size_t>(tlen) + 2 * detail::kernel_padding);
        a.dp = ws.dp.data();
        a.dp_stride = stride;
        a.qcodes = ws.qcodes.data();
        a.tcodes = ws.tcodes.data();
        if (traceback_wanted)
        {
            grow(ws.diag_offset, static_cast<size_t>(qlen) + tlen + 1);
            a.diag_offset = ws.diag_offset.data();
        }
        if (two_pass)
            a.traceback = 0; // pass 1: score and end cell only
        run_simd(target_, a);
    }
    else
    {
        grow(ws.h_row, static_cast<size_t>(tlen) + 1);
        grow(ws.f_row, static_cast<size_t>(tlen) + 1);
        detail::kernel_scalar(a, ws.h_row.data(), ws.f_row.data());
    }

    out.score = a.score;
    out.query_end = a.query_end;
    out.target_end = a.target_end;
    if (!traceback_wanted)
        return;

    int32_t i = a.query_end;
    int32_t j = a.target_end;
    int32_t j_shift = 0; // target offset of the pass-2 sub-problem
    ws.rev_cigar.clear();
    bool const empty_local = local && a.score <= 0;
    if (two_pass && !empty_local && j > 0)
    {
        int64_t const span = qlen + (static_cast<int64_t>(s.match) * qlen - a.score) / s.gap_extend;
        j_shift = static_cast<int32_t>(std::max<int64_t>(0, j - span - 1));
        detail::kernel_args b = a;
        b.target = target + j_shift;
        b.tlen = j - j_shift;
        b.traceback = 1;
        run_simd(target_, b);
        if (b.score != a.score || b.query_end != i || b.target_end != j - j_shift)
            throw std::logic_error("chemores kernels: two-pass traceback invariant violated");
        j -= j_shift;
    }
    if (!empty_local)
    {
        if (use_simd)
        {
            uint8_t const * const dirs = ws.dirs.data();
            int64_t const * const offs = ws.diag_offset.data();
            auto dir_at = [dirs, offs](int32_t r, int32_t c) { return dirs[offs[r + c] + r]; };
            traceback(dir_at, local, i, j, ws.rev_cigar);
        }
        else
        {
            uint8_t const * const dirs = ws.dirs.data();
            auto dir_at = [dirs, tlen](int32_t r, int32_t c)
            { return dirs[static_cast<size_t>(r - 1) * static_cast<size_t>(tlen) + static_cast<size_t>(c - 1)]; };
            traceback(dir_at, local, i, j, ws.rev_cigar);
        }
    }
    out.query_begin = i;
    out.target_begin = j + j_shift;
    out.cigar.assign(ws.rev_cigar.rbegin(), ws.rev_cigar.rend());
}

} // namespace chemores::align::kernels
