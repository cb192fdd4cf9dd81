// chemores_bench_mirna_sites: UTR positions scanned per second by the miRNA site finder, all 2,656 human matures
// (miRBase v22) at once.
//
// Input: >= 50 Mb of synthetic 3'UTR sequence (uniform A/C/G/T with 1 N per ~5 kb, UTR lengths 300..6,000 nt, as
// real 3'UTRs), generated with a fixed seed (std::mt19937_64, seed 42), identical on every run.
// Benchmarks (items_per_second = UTR positions per second of CPU time, i.e. per core, for the single-threaded ones;
// per second of wall time for find/threads:N):
//   scan_count       the seed-table pass over every position, hits counted per site type (site_finder::count)
//   scan_hits        the same pass, hits appended to a buffer (site_finder::scan, what find() runs per chunk)
//   find/threads:N   the whole pipeline on the first 4 Mb: scan, expansion to miRNAs, 3'-pairing and AU features,
//                    sorting (site_finder::find with N threads)
//   scan_count_extended  as scan_count with the extended (G:U, 6mer-A1) table
// Run: chemores_bench_mirna_sites [--benchmark_filter=REGEX] [--benchmark_min_time=1]

#include <benchmark/benchmark.h>
#include <chemores/mirna/sites.hpp>
#include <chemores/mirna/sites_data.hpp>
#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>

namespace
{

namespace cm = chemores::mirna;

constexpr uint64_t total_nt = 50'000'000;

std::vector<cm::utr_sequence> const & synthetic_utrs()
{
    static std::vector<cm::utr_sequence> const utrs = []
    {
        std::mt19937_64 rng{42};
        std::vector<cm::utr_sequence> v;
        uint64_t nt = 0;
        while (nt < total_nt)
        {
            cm::utr_sequence u;
            u.name = "syn" + std::to_string(v.size());
            size_t const len = 300 + rng() % 5701;
            u.codes.resize(len);
            uint64_t bits = 0;
            int left = 0;
            for (auto & c : u.codes)
            {
                if (left == 0)
                {
                    bits = rng();
                    left = 32;
                }
                c = static_cast<uint8_t>(bits & 3);
                bits >>= 2;
                --left;
            }
            if (rng() % 5000 < len)
                u.codes[rng() % len] = 4; // an N
            u.annotation.gene = u.name;
            nt += len;
            v.push_back(std::move(u));
        }
        std::fprintf(stderr,
                     "# synthetic UTRs: %zu sequences, %llu nt (seed 42)\n",
                     v.size(),
                     static_cast<unsigned long long>(nt));
        return v;
    }();
    return utrs;
}

uint64_t total_length(std::vector<cm::utr_sequence> const & utrs)
{
    uint64_t n = 0;
    for (auto const & u : utrs)
        n += u.codes.size();
    return n;
}

cm::site_finder const & finder(bool extended)
{
    static cm::site_finder const canonical{cm::builtin_matures()};
    static cm::site_finder const ext{cm::builtin_matures(), cm::site_finder_options{true, 1, int64_t{1} << 18}};
    return extended ? ext : canonical;
}

void scan_count(benchmark::State & state, bool extended)
{
    auto const & utrs = synthetic_utrs();
    auto const & f = finder(extended);
    uint64_t const nt = total_length(utrs);
    uint64_t hits = 0;
    for (auto _ : state)
    {
        hits = 0;
        for (auto const & u : utrs)
        {
            auto const c = f.count(u.codes);
            for (auto x : c)
                hits += x;
        }
        benchmark::DoNotOptimize(hits);
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * nt));
    state.counters["nt"] = static_cast<double>(nt);
    state.counters["sites_per_nt"] = static_cast<double>(hits) / static_cast<double>(nt);
}

void BM_scan_count(benchmark::State & state)
{
    scan_count(state, false);
}

void BM_scan_count_extended(benchmark::State & state)
{
    scan_count(state, true);
}

void BM_scan_hits(benchmark::State & state)
{
    auto const & utrs = synthetic_utrs();
    auto const & f = finder(false);
    uint64_t const nt = total_length(utrs);
    std::vector<cm::raw_hit> hits;
    uint64_t n = 0;
    for (auto _ : state)
    {
        n = 0;
        for (auto const & u : utrs)
        {
            hits.clear();
            f.scan(u.codes, 0, static_cast<int64_t>(u.codes.size()) + 4, hits);
            n += hits.size();
        }
        benchmark::DoNotOptimize(n);
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * nt));
    state.counters["hits_per_nt"] = static_cast<double>(n) / static_cast<double>(nt);
}

void BM_find(benchmark::State & state)
{
    auto const & all = synthetic_utrs();
    std::vector<cm::utr_sequence> utrs;
    uint64_t nt = 0;
    for (auto const & u : all)
    {
        if (nt >= 4'000'000)
            break;
        utrs.push_back(u);
        nt += u.codes.size();
    }
    cm::site_finder_options o;
    o.threads = static_cast<unsigned>(state.range(0));
    cm::site_finder const f{cm::builtin_matures(), o};
    size_t sites = 0;
    for (auto _ : state)
    {
        auto const s = f.find(utrs);
        sites = s.size();
        benchmark::DoNotOptimize(s.data());
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * nt));
    state.counters["sites_per_nt"] = static_cast<double>(sites) / static_cast<double>(nt);
}

} // namespace

BENCHMARK(BM_scan_count)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_scan_hits)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_scan_count_extended)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_find)->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
