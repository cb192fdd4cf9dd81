// chemores — pairwise alignment kernels (public API).
//
// Affine-gap (Gotoh) alignment of a query (read) against a target (reference window) with full traceback to a
// BAM-encoded CIGAR. One portable scalar kernel (the readable reference) plus SSE4.1 / AVX2 / AVX-512BW kernels
// (16-bit saturating lanes, anti-diagonal layout) chosen at run time. Every target yields bit-identical results:
// same score, same end cell, same begin cell and same CIGAR.
//
// Sequences are codes 0..4 (A, C, G, T, N). Any code > 3 is treated as N.
//
// Scoring: a match scores +match, a mismatch -mismatch, a pair involving N -ambiguous (also N vs N), and a gap
// of length L costs gap_open + L * gap_extend.
//
// DP (1-based cell (i, j) pairs query[i-1] with target[j-1]; oe = gap_open + gap_extend):
//     E(i,j) = max(E(i,j-1) - gap_extend, H(i,j-1) - oe)     deletion  (target base against a gap, CIGAR D)
//     F(i,j) = max(F(i-1,j) - gap_extend, H(i-1,j) - oe)     insertion (query base against a gap, CIGAR I)
//     H(i,j) = max(H(i-1,j-1) + s(i,j), E(i,j), F(i,j) [, 0 in local mode])
// Boundaries: H(0,j) = 0, F(0,j) = -inf, E(i,0) = -inf, H(i,0) = 0 (local) or -(gap_open + i * gap_extend) (glocal).
//
// Tie-breaking rules (identical for every target, fixed by the scalar reference):
//  (a) End cell.
//      local : the cell with maximal H; ties -> smallest anti-diagonal (query_end + target_end), then smallest
//              target_end (i.e. largest query_end). If no cell scores > 0 the result is empty: score 0, all
//              coordinates 0, empty CIGAR.
//      glocal: the cell of the last query row (i = qlen) with maximal H over j = 0..tlen; ties -> smallest
//              target_end. j = 0 means the whole query is an insertion.
//  (b) Traceback, in state H: diagonal > deletion (E) > insertion (F) on equal values; in local mode a cell with
//      H == 0 ends the alignment (it is never extended through a zero). In states E / F: extend the gap only if
//      that is strictly better than opening it from H (ties -> open).
//
// Empty inputs: local with an empty query or target -> score 0, empty CIGAR, coordinates 0.
//   glocal with an empty query -> score 0, empty CIGAR, coordinates 0. glocal with an empty target and a
//   non-empty query -> the query is all insertion: score -(gap_open + qlen * gap_extend), CIGAR qlen I,
//   query [0, qlen), target [0, 0).
//
// 16-bit range (overflow bound): the SIMD kernels are used only when every DP value that matters fits in int16
// with a safety margin, i.e. when
//     match * min(qlen, tlen) <= 30000
//     and (local)  2 * (gap_open + gap_extend) + max(mismatch, ambiguous) <= 30000
//     and (glocal) 2 * gap_open + (qlen + 2) * gap_extend + max(mismatch, ambiguous) <= 30000.
// Otherwise the aligner silently falls back to the scalar kernel (int32), which gives the same results by
// construction. simd_score_range_ok() exposes the test.
//
// Exact-occurrence shortcut: the SIMD targets first look for the whole query in the target (memmem). When
// gap_open + gap_extend > 0 and the query has no N, an exact occurrence reaches the score upper bound
// match * qlen, which no other kind of alignment can reach, so the result (leftmost occurrence, CIGAR qlen M) is
// the one the DP would return under the tie rules above. Glocal only, when there is no exact occurrence, neither
// sequence has N and gap_open + gap_extend > match + mismatch: the leftmost gap-free placement with exactly one
// substitution is likewise provably the DP result (every gapped alignment scores less). Local only (gap-free
// shortcut): no alignment containing a gap scores more than B = match * min(qlen, tlen) - (gap_open + gap_extend);
// a gap-free segment scoring more than B has few enough mismatches to contain an exact run of a computable length
// R, so seeding with b-mers (b = min((R + 1) / 2, 32), at least 12) finds every diagonal that can hold one; the best
// gap-free segment over those diagonals (the DP's own end-cell and H == 0 rules along a diagonal) is returned with
// CIGAR len M when it scores more than B, which makes it the DP result (proof above local_gap_free_shortcut in
// kernels.cpp). Otherwise (or with more than 64 candidate diagonals) the DP runs. The scalar target never takes
// these shortcuts (it is the reference the differential tests compare against).
//
// Two-pass traceback: for a target at least 4x longer than the query, the SIMD targets run a score-only pass,
// then the traceback pass only on the target columns an optimal path can reach (see kernels.cpp for why the CIGAR
// is unchanged).
//
// Memory: with traceback the aligner keeps one direction byte per DP cell (qlen * tlen bytes), reused across calls.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace chemores::align::kernels
{

enum class simd_target : int
{
    scalar = 0,
    sse41 = 1,
    avx2 = 2,
    avx512bw = 3
};

// "scalar", "sse4.1", "avx2", "avx512bw".
std::string_view to_string(simd_target t);

// Accepts the names of to_string() (and "sse41" as an alias). "auto" is left to the caller (returns nullopt).
std::optional<simd_target> parse_simd_target(std::string_view name);

// Targets compiled into this binary (scalar always; the x86 ones only on x86 builds), ascending.
std::vector<simd_target> compiled_targets();

// Targets compiled in AND supported by this CPU (and OS), ascending.
std::vector<simd_target> available_targets();

// Highest available target. AVX-512BW is preferred over AVX2 when available: it halves the number of vector
// iterations per anti-diagonal. This could not be measured on the development machine (no AVX-512); revisit if a
// measurement shows AVX2 faster on some CPU.
simd_target best_available_target();

enum class align_mode : int
{
    local = 0, // Smith-Waterman
    glocal = 1 // semi-global: query end-to-end, target ends free
};

struct scoring
{
    int match = 2;      // > 0
    int mismatch = 8;   // >= 0, penalty
    int gap_open = 12;  // >= 0, penalty
    int gap_extend = 2; // >= 0, penalty; a gap of length L costs gap_open + L * gap_extend
    int ambiguous = 1;  // >= 0, penalty for a pair involving N (code 4)
};

// Every parameter must be <= this (and match >= 1, the others >= 0).
inline constexpr int max_score_parameter = 10000;

struct alignment_result
{
    int32_t score = 0;
    int32_t query_begin = 0, query_end = 0;   // 0-based half-open on the query
    int32_t target_begin = 0, target_end = 0; // 0-based half-open on the target
    std::vector<uint32_t> cigar;              // BAM-encoded ops (len << 4 | op): M(0), I(1), D(2); no clips
};

// True when the SIMD kernels are used for this problem size (see the 16-bit range above).
bool simd_score_range_ok(scoring const & s, int32_t qlen, int32_t tlen, align_mode m);

// Owns its workspace; reusable; not thread-safe (use one per thread).
class aligner
{
  public:
    // Throws std::invalid_argument for a target that is not available or for bad scores.
    explicit aligner(scoring const & s, simd_target t);
    ~aligner();
    aligner(aligner &&) noexcept;
    aligner & operator=(aligner &&) noexcept;
    aligner(aligner const &) = delete;
    aligner & operator=(aligner const &) = delete;

    // Aligns query[0, qlen) against target[0, tlen). Throws std::invalid_argument for a negative length.
    // With traceback == false only score and end coordinates are computed: query_begin and target_begin are -1
    // and the CIGAR is empty.
    alignment_result align(uint8_t const * query, int32_t qlen, uint8_t const * target, int32_t tlen, align_mode m,
                           bool traceback = true);

    // Same, writing into `out` (reuses the capacity of out.cigar: no allocation in the steady state).
    void align(alignment_result & out, uint8_t const * query, int32_t qlen, uint8_t const * target, int32_t tlen,
               align_mode m, bool traceback = true);

    simd_target target() const;
    scoring const & score_parameters() const;

  private:
    struct workspace;
    scoring scoring_;
    simd_target target_;
    std::unique_ptr<workspace> ws_;
};

} // namespace chemores::align::kernels
