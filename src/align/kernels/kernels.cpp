// chemores — pairwise alignment kernels: public API, run-time dispatch, workspace and traceback.
#include "chemores/align/kernels/kernels.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
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
};

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
    uint8_t top_code = 0; // max code (a plain max reduction vectorises)
    for (int32_t k = 0; k < qlen; ++k)
        top_code = std::max(top_code, query[k]);
    uint8_t target_top_code = 0;
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
    if (target_ != simd_target::scalar && qlen <= tlen && top_code <= 3 && s.gap_open + s.gap_extend > 0)
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
        for (int32_t k = 0; k < tlen; ++k)
            target_top_code = std::max(target_top_code, target[k]);
        if (!local && target_top_code <= 3 && s.gap_open + s.gap_extend > s.match + s.mismatch)
        {
            int32_t const begin = first_one_substitution(query, qlen, target, tlen);
            if (begin >= 0)
            {
                gap_free_result(begin, s.match * (qlen - 1) - s.mismatch);
                return;
            }
        }
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
        uint8_t top = std::max(top_code, target_top_code);
        for (int32_t k = 0; k < tlen && top <= 3; ++k)
            top = std::max(top, target[k]);
        a.has_n = top > 3 ? 1 : 0;

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
