// chemores_bench_kernels: alignments per second (items_per_second) and GCUPS of the chemores kernels vs parasail,
// SSW, WFA2 and SeqAn3, all producing a CIGAR unless the name says "notrace".
//
// Inputs (fixed seed, identical for every library): 150 bp reads drawn from random targets, mutated at ~0.3 %
// (Illumina-like) or 3 % (substitutions 70 %, indels 30 %), against 400 bp windows or 5.6 kb targets.
// Scoring everywhere: match 2, mismatch 8, gap of length L costs 12 + 2L (parasail / SSW: open 14, extend 2,
// their "open" includes the first extension; WFA2: the equivalent penalties, see set_wfa2_penalties). WFA2 runs
// ends-free (text ends free) = chemores glocal; parasail sg_dx = chemores glocal; SSW and SeqAn3 are local.
// GCUPS = qlen * tlen cells per second; for chemores it is an effective figure where its exact shortcuts
// (exact occurrence, glocal one substitution, local gap-free segment above the gapped bound) or its two-pass
// traceback skip cells.
// Run: chemores_bench_kernels [--benchmark_filter=REGEX] (the "#" lines on stderr print pair-0 scores per library).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "chemores/align/kernels/kernels.hpp"

#if defined(CHEMORES_BENCH_PARASAIL)
#include <parasail.h>
#endif
#if defined(CHEMORES_BENCH_SSW)
#include <ssw.h>
#endif
#if defined(CHEMORES_BENCH_WFA2)
extern "C"
{
#include <wavefront/wavefront_align.h>
}
#endif
#if defined(CHEMORES_BENCH_SEQAN3)
#include <seqan3/alignment/configuration/align_config_gap_cost_affine.hpp>
#include <seqan3/alignment/configuration/align_config_method.hpp>
#include <seqan3/alignment/configuration/align_config_output.hpp>
#include <seqan3/alignment/configuration/align_config_scoring_scheme.hpp>
#include <seqan3/alignment/pairwise/align_pairwise.hpp>
#include <seqan3/alignment/scoring/nucleotide_scoring_scheme.hpp>
#include <seqan3/alphabet/nucleotide/dna4.hpp>
#endif

namespace
{

namespace ck = chemores::align::kernels;

constexpr int match = 2, mismatch = 8, gap_open = 12, gap_extend = 2;

struct dataset
{
    std::string name;
    std::vector<std::vector<uint8_t>> reads, targets; // codes 0..3
    std::vector<std::string> read_str, target_str;    // "ACGT"
    double cells = 0;                                 // average qlen * tlen
};

std::vector<uint8_t> random_seq(std::mt19937_64 & rng, size_t len)
{
    std::uniform_int_distribution<int> base(0, 3);
    std::vector<uint8_t> s(len);
    for (auto & c : s)
        c = static_cast<uint8_t>(base(rng));
    return s;
}

std::vector<uint8_t> mutate(std::mt19937_64 & rng, std::vector<uint8_t> const & s, double rate)
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::uniform_int_distribution<int> base(0, 3), indel(1, 3);
    std::vector<uint8_t> out;
    for (size_t k = 0; k < s.size(); ++k)
    {
        double const r = u(rng);
        if (r < rate * 0.7)
            out.push_back(static_cast<uint8_t>((s[k] + 1 + base(rng) % 3) % 4));
        else if (r < rate * 0.85)
        {
            out.push_back(s[k]);
            for (int l = indel(rng); l > 0; --l)
                out.push_back(static_cast<uint8_t>(base(rng)));
        }
        else if (r < rate)
            k += static_cast<size_t>(indel(rng)) - 1;
        else
            out.push_back(s[k]);
    }
    return out;
}

std::string to_chars(std::vector<uint8_t> const & s)
{
    std::string out(s.size(), 'A');
    for (size_t k = 0; k < s.size(); ++k)
        out[k] = "ACGTN"[s[k]];
    return out;
}

dataset make_dataset(std::string name, size_t target_len, double rate, size_t pairs, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    dataset d;
    d.name = std::move(name);
    for (size_t p = 0; p < pairs; ++p)
    {
        auto target = random_seq(rng, target_len);
        std::uniform_int_distribution<size_t> off(0, target_len - 150);
        size_t const o = off(rng);
        std::vector<uint8_t> const read(target.begin() + static_cast<std::ptrdiff_t>(o),
                                        target.begin() + static_cast<std::ptrdiff_t>(o + 150));
        d.reads.push_back(mutate(rng, read, rate));
        d.targets.push_back(std::move(target));
        d.cells += static_cast<double>(d.reads.back().size() * d.targets.back().size());
    }
    d.cells /= static_cast<double>(pairs);
    for (size_t p = 0; p < pairs; ++p)
    {
        d.read_str.push_back(to_chars(d.reads[p]));
        d.target_str.push_back(to_chars(d.targets[p]));
    }
    return d;
}

void finish(benchmark::State & state, dataset const & d, int64_t checksum)
{
    benchmark::DoNotOptimize(checksum);
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
    state.counters["GCUPS"] =
        benchmark::Counter(static_cast<double>(state.iterations()) * d.cells / 1e9, benchmark::Counter::kIsRate);
}

// ---- chemores -----------------------------------------------------------------------------------------------------

void bench_chemores(benchmark::State & state, dataset const & d, ck::simd_target t, ck::align_mode m, bool trace)
{
    ck::aligner a(ck::scoring{match, mismatch, gap_open, gap_extend, 1}, t);
    ck::alignment_result r;
    size_t k = 0;
    int64_t sum = 0;
    for (auto _ : state)
    {
        auto const & q = d.reads[k];
        auto const & x = d.targets[k];
        a.align(r, q.data(), static_cast<int32_t>(q.size()), x.data(), static_cast<int32_t>(x.size()), m, trace);
        sum += r.score + static_cast<int64_t>(r.cigar.size());
        k = k + 1 == d.reads.size() ? 0 : k + 1;
    }
    finish(state, d, sum);
}

// ---- parasail -----------------------------------------------------------------------------------------------------
#if defined(CHEMORES_BENCH_PARASAIL)
using parasail_fn = parasail_result_t * (*)(char const *, int, char const *, int, int, int, parasail_matrix_t const *);

void bench_parasail(benchmark::State & state, dataset const & d, parasail_fn fn, bool trace)
{
    parasail_matrix_t * matrix = parasail_matrix_create("ACGTN", match, -mismatch);
    size_t k = 0;
    int64_t sum = 0;
    for (auto _ : state)
    {
        auto const & q = d.read_str[k];
        auto const & x = d.target_str[k];
        parasail_result_t * r = fn(q.data(), static_cast<int>(q.size()), x.data(), static_cast<int>(x.size()),
                                   gap_open + gap_extend, gap_extend, matrix);
        sum += parasail_result_get_score(r);
        if (trace)
        {
            parasail_cigar_t * c = parasail_result_get_cigar(r, q.data(), static_cast<int>(q.size()), x.data(),
                                                             static_cast<int>(x.size()), matrix);
            sum += c->len;
            parasail_cigar_free(c);
        }
        parasail_result_free(r);
        k = k + 1 == d.reads.size() ? 0 : k + 1;
    }
    parasail_matrix_free(matrix);
    finish(state, d, sum);
}
#endif

// ---- SSW ----------------------------------------------------------------------------------------------------------
#if defined(CHEMORES_BENCH_SSW)
std::vector<int8_t> ssw_matrix()
{
    std::vector<int8_t> mat(25);
    for (int a = 0; a < 5; ++a)
        for (int b = 0; b < 5; ++b)
            mat[static_cast<size_t>(a * 5 + b)] =
                static_cast<int8_t>((a == 4 || b == 4) ? -1 : (a == b ? match : -mismatch));
    return mat;
}

void bench_ssw(benchmark::State & state, dataset const & d)
{
    auto const mat = ssw_matrix();
    std::vector<std::vector<int8_t>> reads, targets;
    for (auto const & r : d.reads)
        reads.emplace_back(r.begin(), r.end());
    for (auto const & t : d.targets)
        targets.emplace_back(t.begin(), t.end());
    size_t k = 0;
    int64_t sum = 0;
    for (auto _ : state)
    {
        auto const & q = reads[k];
        auto const & x = targets[k];
        s_profile * p = ssw_init(q.data(), static_cast<int32_t>(q.size()), mat.data(), 5, 2);
        s_align * r = ssw_align(p, x.data(), static_cast<int32_t>(x.size()), gap_open + gap_extend, gap_extend, 0x01, 0,
                                0, std::max<int32_t>(15, static_cast<int32_t>(q.size()) / 2));
        sum += r->score1 + r->cigarLen;
        align_destroy(r);
        init_destroy(p);
        k = k + 1 == d.reads.size() ? 0 : k + 1;
    }
    finish(state, d, sum);
}
#endif

// ---- WFA2 ---------------------------------------------------------------------------------------------------------
#if defined(CHEMORES_BENCH_WFA2)
// WFA2 wants penalties with match = 0 (its negative-match mode fails the ends-free backtrace on 5.6 kb targets in
// the Debian build). Eizenga's transform of (match 2, mismatch 8, open 12, extend 2): mismatch 2 * (8 + 2) = 20,
// open 2 * 12 = 24, extend 2 * 2 + 2 = 6 -- equivalent for end-to-end alignment, near-equivalent for ends-free.
void set_wfa2_penalties(wavefront_aligner_attr_t & attr)
{
    attr.distance_metric = gap_affine;
    attr.affine_penalties.match = 0;
    attr.affine_penalties.mismatch = 2 * (mismatch + match);
    attr.affine_penalties.gap_opening = 2 * gap_open;
    attr.affine_penalties.gap_extension = 2 * gap_extend + match;
}

void bench_wfa2(benchmark::State & state, dataset const & d)
{
    wavefront_aligner_attr_t attr = wavefront_aligner_attr_default;
    set_wfa2_penalties(attr);
    attr.alignment_scope = compute_alignment;
    attr.memory_mode = wavefront_memory_high;
    attr.heuristic.strategy = wf_heuristic_none;
    attr.alignment_form.span = alignment_endsfree;
    size_t const tlen = d.targets.front().size();
    attr.alignment_form.pattern_begin_free = 0;
    attr.alignment_form.pattern_end_free = 0;
    attr.alignment_form.text_begin_free = static_cast<int>(tlen);
    attr.alignment_form.text_end_free = static_cast<int>(tlen);
    wavefront_aligner_t * wf = wavefront_aligner_new(&attr);
    std::vector<uint32_t> cigar;
    size_t k = 0;
    int64_t sum = 0;
    for (auto _ : state)
    {
        auto const & q = d.read_str[k];
        auto const & x = d.target_str[k];
        wavefront_align(wf, q.data(), static_cast<int>(q.size()), x.data(), static_cast<int>(x.size()));
        // BAM CIGAR from the operation string (M/X -> M), as the other libraries return it
        cigar.clear();
        cigar_t const * c = wf->cigar;
        for (int o = c->begin_offset; o < c->end_offset; ++o)
        {
            char const op = c->operations[o];
            uint32_t const code = (op == 'I') ? 1u : (op == 'D') ? 2u : 0u;
            if (!cigar.empty() && (cigar.back() & 0xFu) == code)
                cigar.back() += 1u << 4;
            else
                cigar.push_back(1u << 4 | code);
        }
        sum += c->score + static_cast<int64_t>(cigar.size());
        k = k + 1 == d.reads.size() ? 0 : k + 1;
    }
    wavefront_aligner_delete(wf);
    finish(state, d, sum);
}
#endif

// ---- SeqAn3 -------------------------------------------------------------------------------------------------------
#if defined(CHEMORES_BENCH_SEQAN3)
void bench_seqan3(benchmark::State & state, dataset const & d)
{
    std::vector<std::vector<seqan3::dna4>> reads, targets;
    for (auto const & r : d.reads)
    {
        reads.emplace_back();
        for (auto c : r)
            reads.back().push_back(seqan3::dna4{}.assign_rank(c));
    }
    for (auto const & t : d.targets)
    {
        targets.emplace_back();
        for (auto c : t)
            targets.back().push_back(seqan3::dna4{}.assign_rank(c));
    }
    auto const cfg = seqan3::align_cfg::method_local{} |
                     seqan3::align_cfg::scoring_scheme{seqan3::nucleotide_scoring_scheme<int16_t>{
                         seqan3::match_score{static_cast<int16_t>(match)},
                         seqan3::mismatch_score{static_cast<int16_t>(-mismatch)}}} |
                     seqan3::align_cfg::gap_cost_affine{seqan3::align_cfg::open_score{-gap_open},
                                                        seqan3::align_cfg::extension_score{-gap_extend}} |
                     seqan3::align_cfg::output_score{} | seqan3::align_cfg::output_begin_position{} |
                     seqan3::align_cfg::output_end_position{} | seqan3::align_cfg::output_alignment{};
    size_t k = 0;
    int64_t sum = 0;
    for (auto _ : state)
    {
        for (auto && r : seqan3::align_pairwise(std::tie(reads[k], targets[k]), cfg))
            sum += r.score() + static_cast<int64_t>(r.sequence1_end_position());
        k = k + 1 == d.reads.size() ? 0 : k + 1;
    }
    finish(state, d, sum);
}
#endif

// Prints the scores of the first pairs per library so that the scoring equivalence can be eyeballed.
void sanity_check(dataset const & d)
{
    ck::aligner a(ck::scoring{match, mismatch, gap_open, gap_extend, 1}, ck::simd_target::scalar);
    auto const & q = d.reads[0];
    auto const & x = d.targets[0];
    auto const loc = a.align(q.data(), static_cast<int32_t>(q.size()), x.data(), static_cast<int32_t>(x.size()),
                             ck::align_mode::local);
    auto const glo = a.align(q.data(), static_cast<int32_t>(q.size()), x.data(), static_cast<int32_t>(x.size()),
                             ck::align_mode::glocal);
    std::fprintf(stderr, "# %s pair 0: chemores local %d glocal %d", d.name.c_str(), loc.score, glo.score);
#if defined(CHEMORES_BENCH_PARASAIL)
    {
        parasail_matrix_t * matrix = parasail_matrix_create("ACGTN", match, -mismatch);
        auto const & qs = d.read_str[0];
        auto const & xs = d.target_str[0];
        parasail_result_t * r1 = parasail_sw_trace_striped_16(qs.data(), static_cast<int>(qs.size()), xs.data(),
                                                              static_cast<int>(xs.size()), 14, 2, matrix);
        parasail_result_t * r2 = parasail_sg_dx_trace_striped_16(qs.data(), static_cast<int>(qs.size()), xs.data(),
                                                                 static_cast<int>(xs.size()), 14, 2, matrix);
        std::fprintf(stderr, " | parasail sw %d sg_dx %d", parasail_result_get_score(r1),
                     parasail_result_get_score(r2));
        parasail_result_free(r1);
        parasail_result_free(r2);
        parasail_matrix_free(matrix);
    }
#endif
#if defined(CHEMORES_BENCH_SSW)
    {
        auto const mat = ssw_matrix();
        std::vector<int8_t> const qi(q.begin(), q.end()), xi(x.begin(), x.end());
        s_profile * p = ssw_init(qi.data(), static_cast<int32_t>(qi.size()), mat.data(), 5, 2);
        s_align * r = ssw_align(p, xi.data(), static_cast<int32_t>(xi.size()), 14, 2, 0x01, 0, 0, 75);
        std::fprintf(stderr, " | ssw %d (cigar ops %d)", r->score1, r->cigarLen);
        align_destroy(r);
        init_destroy(p);
    }
#endif
#if defined(CHEMORES_BENCH_WFA2)
    {
        wavefront_aligner_attr_t attr = wavefront_aligner_attr_default;
        set_wfa2_penalties(attr);
        attr.heuristic.strategy = wf_heuristic_none;
        attr.alignment_form.span = alignment_endsfree;
        attr.alignment_form.text_begin_free = static_cast<int>(x.size());
        attr.alignment_form.text_end_free = static_cast<int>(x.size());
        wavefront_aligner_t * wf = wavefront_aligner_new(&attr);
        auto const & qs = d.read_str[0];
        auto const & xs = d.target_str[0];
        wavefront_align(wf, qs.data(), static_cast<int>(qs.size()), xs.data(), static_cast<int>(xs.size()));
        std::fprintf(stderr, " | wfa2 penalty %d", wf->cigar->score);
        wavefront_aligner_delete(wf);
    }
#endif
    std::fprintf(stderr, "\n");
}

} // namespace

int main(int argc, char ** argv)
{
    static std::vector<dataset> const data = {
        make_dataset("150x400_div0.3", 400, 0.003, 256, 1),
        make_dataset("150x400_div3", 400, 0.03, 256, 2),
        make_dataset("150x5600_div0.3", 5600, 0.003, 32, 3),
        make_dataset("150x5600_div3", 5600, 0.03, 32, 4),
    };
    for (auto const & d : data)
        sanity_check(d);

    for (auto const & d : data)
    {
        auto const reg = [&d](std::string const & what, auto && fn) {
            benchmark::RegisterBenchmark((what + "/" + d.name).c_str(), fn)
                ->MinTime(0.3)
                ->Unit(benchmark::kMicrosecond);
        };
        for (auto t : ck::available_targets())
        {
            for (auto m : {ck::align_mode::local, ck::align_mode::glocal})
            {
                for (bool trace : {true, false})
                {
                    std::string const name = "chemores_" + std::string(ck::to_string(t)) + "_" +
                                             (m == ck::align_mode::local ? "local" : "glocal") +
                                             (trace ? "_cigar" : "_notrace");
                    reg(name, [&d, t, m, trace](benchmark::State & s) { bench_chemores(s, d, t, m, trace); });
                }
            }
        }
#if defined(CHEMORES_BENCH_PARASAIL)
        reg("parasail_sw_trace_striped_16_cigar",
            [&d](benchmark::State & s) { bench_parasail(s, d, parasail_sw_trace_striped_16, true); });
        reg("parasail_sw_striped_16_notrace",
            [&d](benchmark::State & s) { bench_parasail(s, d, parasail_sw_striped_16, false); });
        reg("parasail_sg_dx_trace_striped_16_cigar",
            [&d](benchmark::State & s) { bench_parasail(s, d, parasail_sg_dx_trace_striped_16, true); });
        reg("parasail_sg_dx_striped_16_notrace",
            [&d](benchmark::State & s) { bench_parasail(s, d, parasail_sg_dx_striped_16, false); });
#endif
#if defined(CHEMORES_BENCH_SSW)
        reg("ssw_local_cigar", [&d](benchmark::State & s) { bench_ssw(s, d); });
#endif
#if defined(CHEMORES_BENCH_WFA2)
        reg("wfa2_endsfree_cigar", [&d](benchmark::State & s) { bench_wfa2(s, d); });
#endif
#if defined(CHEMORES_BENCH_SEQAN3)
        reg("seqan3_local_alignment", [&d](benchmark::State & s) { bench_seqan3(s, d); });
#endif
    }

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
