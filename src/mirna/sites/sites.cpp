// chemores::mirna site finder: the seed table, the one-pass scan and the per-site features.

#include <algorithm>
#include <atomic>
#include <bit>
#include <chemores/core/errors.hpp>
#include <chemores/mirna/sites.hpp>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

namespace chemores::mirna
{

namespace
{
constexpr std::array<std::string_view, site_type_count> type_names{"8mer",
                                                                   "7mer-m8",
                                                                   "7mer-A1",
                                                                   "6mer",
                                                                   "offset-6mer",
                                                                   "centered",
                                                                   "8mer-GU",
                                                                   "7mer-m8-GU",
                                                                   "7mer-A1-GU",
                                                                   "6mer-GU",
                                                                   "6mer-A1"};

constexpr uint32_t window_mask = 0xFFFF;
constexpr size_t n_buckets = size_t{1} << 16;      // centered table: 8-mer codes
constexpr size_t n_seed_buckets = size_t{1} << 14; // window table: 7-mer codes of t8..t2
constexpr uint32_t no_type = 15;                   // "no site" in a table entry
constexpr size_t scan_buffer_hits = 1024;          // 8 KB of hits: stays in L1

// 0-based half-open span of a window type at 0-based anchor a (the position of t1).
std::pair<int64_t, int64_t> window_span(site_type t, int64_t a)
{
    switch (t)
    {
    case site_type::eight_mer:
    case site_type::eight_mer_gu:
        return {a - 7, a + 1};
    case site_type::seven_mer_m8:
    case site_type::seven_mer_m8_gu:
        return {a - 7, a};
    case site_type::seven_mer_a1:
    case site_type::seven_mer_a1_gu:
        return {a - 6, a + 1};
    case site_type::six_mer:
    case site_type::six_mer_gu:
        return {a - 6, a};
    case site_type::offset_six_mer:
        return {a - 7, a - 1};
    case site_type::six_mer_a1:
        return {a - 5, a + 1};
    case site_type::centered:
        break;
    }
    throw internal_error{"window_span: centered sites have no fixed span"};
}

// 2-bit code of t8..t2 of a window: t2 in bits 0-1 ... t8 in bits 12-13, as a rolling code over the UTR
// (code = code << 2 | next base) holds it in bits 2..15 once t1 has been added.
uint32_t seed_code(std::array<uint8_t, 9> const & w)
{
    uint32_t c = 0;
    for (int k = 8; k >= 2; --k)
        c = (c << 2) | (w[k] & 3u);
    return c;
}

inline bool is_wc(uint8_t utr_base, uint8_t mirna_base)
{
    return utr_base < 4 && mirna_base < 4 && utr_base == 3 - mirna_base;
}

// The 3'-pairing geometry of a site: miRNA nt kmin..kmax face UTR bases t_jmin..t_jmax.
struct pairing_frame
{
    int64_t kmin = 9, jmin = 9, jmax = 0;
};

pairing_frame frame_of(site_type type, int64_t anchor0, int64_t start0)
{
    bool const a1_type = type == site_type::seven_mer_a1 || type == site_type::seven_mer_a1_gu;
    pairing_frame f;
    f.kmin = a1_type ? 8 : 9; // first miRNA nt of the 3' part (nt 8 is unpaired in 7mer-A1 sites)
    f.jmin = f.kmin;          // first UTR base t_j upstream of the seed match
    int64_t const lowest = std::max<int64_t>(0, start0 - 15);
    f.jmax = std::min<int64_t>(anchor0 - lowest + 1, 63); // t_j lies at anchor0 - (j - 1) >= lowest
    return f;
}

// U[c] bit j = t_j is base c.
std::array<uint64_t, 4> utr_masks(std::span<uint8_t const> utr, int64_t anchor0, pairing_frame const & f)
{
    std::array<uint64_t, 4> u{};
    int64_t const n = static_cast<int64_t>(utr.size());
    for (int64_t j = f.jmin; j <= f.jmax; ++j)
    {
        int64_t const pos = anchor0 - (j - 1);
        if (pos >= 0 && pos < n && utr[static_cast<size_t>(pos)] < 4)
            u[utr[static_cast<size_t>(pos)]] |= uint64_t{1} << j;
    }
    return u;
}

// M[c] bit k = miRNA nt k (k >= 8) pairs (WC) with base c.
std::array<uint64_t, 4> mirna_masks(std::span<uint8_t const> mirna)
{
    std::array<uint64_t, 4> m{};
    int64_t const kmax = std::min<int64_t>(static_cast<int64_t>(mirna.size()), 63);
    for (int64_t k = 8; k <= kmax; ++k)
        if (uint8_t const c = mirna[static_cast<size_t>(k - 1)]; c < 4)
            m[3 - c] |= uint64_t{1} << k;
    return m;
}

double
pairing_score(std::array<uint64_t, 4> const & u, std::array<uint64_t, 4> m, int64_t mirna_len, pairing_frame const & f)
{
    int64_t const kmin = f.kmin, jmin = f.jmin, jmax = f.jmax;
    int64_t const kmax = std::min<int64_t>(mirna_len, 63);
    if (kmax < kmin || jmax < jmin)
        return 0.0;
    uint64_t const keep = ~((uint64_t{1} << kmin) - 1);
    for (auto & x : m)
        x &= keep;
    constexpr std::array<int, 16> bits4{0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};
    // scores in half units: a pair to nt 13-16 counts 2, any other pair 1, each nt of offset beyond 2 costs 1
    int64_t best = 0;
    int64_t const most = kmax - kmin + 1 + 4; // every nt paired, 13-16 included
    // diagonal d: miRNA nucleotide k faces t_{k + d}; |d| unpaired nucleotides on one strand. Diagonals are taken
    // by increasing |d|, so the search stops once the offset penalty alone rules out a better score.
    int64_t const dmin = jmin - kmax, dmax = jmax - kmin;
    for (int64_t ad = 0; ad <= std::max(-dmin, dmax); ++ad)
    {
        int64_t const penalty = std::max<int64_t>(0, ad - 2);
        if (most - penalty <= best)
            break;
        for (int64_t const sign : {int64_t{1}, int64_t{-1}})
        {
            int64_t const d = sign * ad;
            if ((ad == 0 && sign < 0) || d < dmin || d > dmax)
                continue;
            int64_t const k0 = std::max(kmin, jmin - d), k1 = std::min(kmax, jmax - d);
            if (k1 - k0 < 1)
                continue;
            int64_t const in_core = std::max<int64_t>(0, std::min<int64_t>(k1, 16) - std::max<int64_t>(k0, 13) + 1);
            if (k1 - k0 + 1 + in_core - penalty <= best)
                continue; // cannot beat the best so far
            uint64_t pairs = 0;
            for (size_t c = 0; c < 4; ++c)
                pairs |= (d >= 0 ? u[c] >> ad : u[c] << ad) & m[c];
            // keep only the pairs in runs of >= 2 (a pair whose neighbour on either side is paired)
            uint64_t const two = pairs & (pairs >> 1);
            pairs = two | (two << 1);
            int64_t run_best = 0;
            while (pairs)
            {
                int const s = std::countr_zero(pairs);
                int const r = std::countr_one(pairs >> s);
                uint64_t const run = (r >= 64 ? ~uint64_t{0} : ((uint64_t{1} << r) - 1)) << s;
                run_best = std::max<int64_t>(run_best, r + bits4[(run >> 13) & 0xF]);
                pairs &= ~run;
            }
            best = std::max(best, run_best - penalty);
        }
    }
    return static_cast<double>(best) / 2.0;
}
} // namespace

std::pair<int64_t, int64_t> hit_span(raw_hit const & h)
{
    if (h.type != site_type::centered)
        return window_span(h.type, h.anchor);
    // t15 (or t14) .. t4 (or t5)
    return {h.anchor - ((h.centered_span & 2) ? 14 : 13), h.anchor - ((h.centered_span & 1) ? 3 : 4) + 1};
}

std::string_view to_string(site_type t)
{
    return type_names[static_cast<size_t>(t)];
}

std::optional<site_type> site_type_from_string(std::string_view s)
{
    for (size_t i = 0; i < type_names.size(); ++i)
        if (type_names[i] == s)
            return static_cast<site_type>(i);
    return std::nullopt;
}

std::optional<mapped_interval> to_transcript(utr_annotation const & a, int64_t start, int64_t end)
{
    if (a.transcript.empty() || a.tx_first <= 0)
        return std::nullopt;
    return mapped_interval{a.transcript, a.tx_first + start - 1, a.tx_first + end - 1, '+', {}};
}

std::optional<mapped_interval> to_genome(utr_annotation const & a, int64_t start, int64_t end)
{
    if (!a.genome)
        return std::nullopt;
    auto const & g = *a.genome;
    if (start < g.utr_first || end > g.utr_last || start > end)
        return std::nullopt;
    if (g.strand == '-')
        return mapped_interval{g.chrom, g.end - (end - g.utr_first), g.end - (start - g.utr_first), '-', g.build};
    return mapped_interval{g.chrom, g.start + (start - g.utr_first), g.start + (end - g.utr_first), '+', g.build};
}

std::optional<site_type>
classify_window(site_finder::seed_group const & g, std::array<uint8_t, 9> const & w, bool extended)
{
    // state per position k = 2..8: 0 = WC, 1 = G:U wobble, 2 = neither (mismatch, N, outside the UTR)
    std::array<uint8_t, 9> st{};
    for (int k = 2; k <= 8; ++k)
    {
        uint8_t const b = w[k];
        st[k] = b > 3 ? 2 : b == g.target[k] ? 0 : (g.wobble[k] < 4 && b == g.wobble[k]) ? 1 : 2;
    }
    bool const a1 = w[1] == 0;
    auto all_wc = [&](int from, int to)
    {
        for (int k = from; k <= to; ++k)
            if (st[k] != 0)
                return false;
        return true;
    };
    auto one_wobble = [&](int from, int to)
    {
        int n_gu = 0;
        for (int k = from; k <= to; ++k)
        {
            if (st[k] == 2)
                return false;
            n_gu += st[k];
        }
        return n_gu == 1;
    };
    if (all_wc(2, 8))
        return a1 ? site_type::eight_mer : site_type::seven_mer_m8;
    if (all_wc(2, 7))
        return a1 ? site_type::seven_mer_a1 : site_type::six_mer;
    if (all_wc(3, 8))
        return site_type::offset_six_mer;
    if (!extended)
        return std::nullopt;
    if (one_wobble(2, 8))
        return a1 ? site_type::eight_mer_gu : site_type::seven_mer_m8_gu;
    if (one_wobble(2, 7))
        return a1 ? site_type::seven_mer_a1_gu : site_type::six_mer_gu;
    if (a1 && all_wc(2, 6))
        return site_type::six_mer_a1;
    return std::nullopt;
}

site_finder::site_finder(std::vector<mature_mirna> mirnas, site_finder_options const & options) :
    mirnas_{std::move(mirnas)}, options_{options}
{
    if (options_.threads == 0)
        options_.threads = 1;
    if (options_.chunk < 64)
        options_.chunk = 64;
    // seed groups, in order of first appearance
    std::map<std::vector<uint8_t>, uint32_t> by_seed;
    group_of_.resize(mirnas_.size());
    for (uint32_t i = 0; i < mirnas_.size(); ++i)
    {
        auto const & m = mirnas_[i];
        if (m.codes.size() < 8)
            throw config_error{"miRNA " + m.name + " is shorter than 8 nt: it has no seed (nt 2-8)"};
        std::vector<uint8_t> key(m.codes.begin() + 1, m.codes.begin() + 8);
        if (std::any_of(key.begin(),
                        key.end(),
                        [](uint8_t c)
                        {
                            return c > 3;
                        }))
            throw config_error{"miRNA " + m.name + " has an ambiguous base (N) in its seed (nt 2-8)"};
        auto [it, fresh] = by_seed.emplace(key, static_cast<uint32_t>(groups_.size()));
        if (fresh)
        {
            seed_group g;
            g.seed = m.sequence.substr(1, 7);
            g.target.fill(4);
            g.wobble.fill(4);
            for (int k = 2; k <= 8; ++k)
            {
                uint8_t const c = m.codes[static_cast<size_t>(k - 1)];
                g.target[k] = static_cast<uint8_t>(3 - c);
                g.wobble[k] = c == 2 ? 3 : c == 3 ? 2 : 4; // miRNA G pairs with U, miRNA U with G
            }
            groups_.push_back(std::move(g));
        }
        group_of_[i] = it->second;
        groups_[it->second].members.push_back(i);
    }

    for (auto const & g : groups_)
        group_size_.push_back(static_cast<uint32_t>(g.members.size()));
    mirna_masks_.reserve(mirnas_.size());
    for (auto const & m : mirnas_)
        mirna_masks_.push_back(mirna_masks(m.codes));

    // Window table: every window with a site for a group has t3..t6 WC (or, extended, exactly one of them G:U);
    // t8, t7, t2 and t1 are enumerated freely (t7 only in extended mode: every canonical type pairs t7).
    std::vector<std::pair<uint32_t, uint32_t>> items; // (code, group << 4 | type)
    for (uint32_t gi = 0; gi < groups_.size(); ++gi)
    {
        auto const & g = groups_[gi];
        std::vector<std::array<uint8_t, 9>> cores;
        std::array<uint8_t, 9> base{};
        for (int k = 3; k <= 6; ++k)
            base[k] = g.target[k];
        cores.push_back(base);
        if (options_.extended)
            for (int k = 3; k <= 6; ++k)
                if (g.wobble[k] < 4)
                {
                    auto c = base;
                    c[k] = g.wobble[k];
                    cores.push_back(c);
                }
        for (auto const & core : cores)
            for (uint32_t free = 0; free < 64; ++free)
            {
                auto w = core;
                w[8] = static_cast<uint8_t>(free & 3);
                w[7] = static_cast<uint8_t>((free >> 2) & 3);
                w[2] = static_cast<uint8_t>((free >> 4) & 3);
                if (!options_.extended && w[7] != g.target[7])
                    continue;
                w[1] = 0; // A
                auto const ta = classify_window(g, w, options_.extended);
                w[1] = 1; // any other base
                auto const tn = classify_window(g, w, options_.extended);
                if (ta || tn)
                    items.emplace_back(seed_code(w),
                                       gi << 8 | (ta ? static_cast<uint32_t>(*ta) : no_type) << 4 |
                                           (tn ? static_cast<uint32_t>(*tn) : no_type));
            }
    }
    if (groups_.size() >= (size_t{1} << 24))
        throw config_error{"too many distinct seeds"};
    // counting sort by code; stable, so groups stay ascending inside a bucket
    bucket_.assign(n_seed_buckets + 1, 0);
    for (auto const & [code, e] : items)
        ++bucket_[code + 1];
    for (size_t i = 0; i < n_seed_buckets; ++i)
        bucket_[i + 1] += bucket_[i];
    // two arrays in bucket order, the type for t1 = A and for another base; 2 padding entries without a type:
    // the scan reads two entries of every bucket
    entries_a_.assign(items.size() + 2, no_type);
    entries_n_.assign(items.size() + 2, no_type);
    {
        std::vector<uint32_t> fill(bucket_.begin(), bucket_.end() - 1);
        for (auto const & [code, e] : items)
        {
            uint32_t const at = fill[code]++;
            entries_a_[at] = (e >> 8) << 4 | ((e >> 4) & 15u);
            entries_n_[at] = (e >> 8) << 4 | (e & 15u);
            may_skip_ = may_skip_ || ((e >> 4) & 15u) == no_type || (e & 15u) == no_type;
        }
    }
    for (size_t i = 0; i < n_seed_buckets; ++i)
        max_bucket_ = std::max(max_bucket_, bucket_[i + 1] - bucket_[i]);

    // Centered table: keyed by the UTR bases opposite miRNA 12..5 (t12 first).
    if (options_.extended)
    {
        std::vector<std::pair<uint32_t, uint32_t>> citems;
        for (uint32_t i = 0; i < mirnas_.size(); ++i)
        {
            auto const & c = mirnas_[i].codes;
            if (c.size() < 14)
                continue;
            bool ok = true;
            uint32_t code = 0;
            for (int k = 12; k >= 5; --k)
            {
                uint8_t const b = c[static_cast<size_t>(k - 1)];
                ok = ok && b < 4;
                code = (code << 2) | static_cast<uint32_t>((3 - b) & 3);
            }
            if (ok)
                citems.emplace_back(code, i);
        }
        centered_bucket_.assign(n_buckets + 1, 0);
        for (auto const & [code, e] : citems)
            ++centered_bucket_[code + 1];
        for (size_t i = 0; i < n_buckets; ++i)
            centered_bucket_[i + 1] += centered_bucket_[i];
        centered_entries_.resize(citems.size());
        std::vector<uint32_t> fill(centered_bucket_.begin(), centered_bucket_.end() - 1);
        for (auto const & [code, e] : citems)
            centered_entries_[fill[code]++] = e;
    }
}

template <typename Push>
void site_finder::slow_window(uint8_t const * seq, int64_t n, int64_t p, Push && push) const
{
    std::array<uint8_t, 9> w{};
    w[0] = 4;
    for (int k = 1; k <= 8; ++k)
    {
        int64_t const pos = p + 8 - k;
        w[k] = (pos >= 0 && pos < n && seq[pos] < 4) ? seq[pos] : uint8_t{4};
    }
    for (int k = 3; k <= 6; ++k)
        if (w[k] > 3)
            return; // every type pairs t3..t6
    if (!options_.extended && w[7] > 3)
        return;
    // Unknown bases (N, outside the UTR) never pair and are never A. Every seed group with a site here has one in
    // the table under some ACGT substitution of the unknown bases, so those buckets give a complete candidate list.
    std::array<int, 3> unknown{};
    int nu = 0;
    for (int k : {2, 7, 8})
        if (w[k] > 3)
            unknown[static_cast<size_t>(nu++)] = k;
    std::vector<uint32_t> cand;
    for (uint32_t s = 0; s < (1u << (2 * nu)); ++s)
    {
        auto v = w;
        for (int j = 0; j < nu; ++j)
            v[static_cast<size_t>(unknown[static_cast<size_t>(j)])] = static_cast<uint8_t>((s >> (2 * j)) & 3);
        uint32_t const code = seed_code(v);
        for (uint32_t e = bucket_[code]; e < bucket_[code + 1]; ++e)
            cand.push_back(entries_a_[e] >> 4);
    }
    std::sort(cand.begin(), cand.end());
    cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
    for (uint32_t g : cand)
        if (auto t = classify_window(groups_[g], w, options_.extended))
            push(p, g << 4 | static_cast<uint32_t>(*t));
}

// The fast path of scan_windows(): windows [f0, f1) lie inside the UTR; the buffer holds k hits.
// `push` appends to the buffer through `shared_k`; the loop keeps its own copy of the count in a register (a
// reference would alias the uint64_t buffer) and synchronises it around the rare slow windows.
template <bool MaySkip, typename Flush, typename Push>
void site_finder::scan_fast(uint8_t const * seq,
                            int64_t n,
                            int64_t f0,
                            int64_t f1,
                            int64_t p0,
                            uint64_t * buf,
                            size_t & shared_k,
                            Flush & flush,
                            Push & push) const
{
    size_t k = shared_k;
    constexpr size_t cap = scan_buffer_hits;
    uint32_t const * const bucket = bucket_.data();
    uint32_t const * const ea = entries_a_.data();
    uint32_t const * const en = entries_n_.data();
    // rolling 2-bit code of the last 8 bases (t1 in bits 0-1); last_n = position of the last N seen
    uint32_t code = 0;
    int64_t last_n = f0 - 1;
    for (int64_t i = f0; i < f0 + 7; ++i)
    {
        uint8_t const b = seq[i];
        code = code << 2 | (b & 3u);
        if (b > 3)
            last_n = i;
    }
    for (int64_t p = f0; p < f1; ++p)
    {
        uint8_t const nb = seq[p + 7];
        code = code << 2 | (nb & 3u);
        if (nb > 3) [[unlikely]]
            last_n = p + 7;
        if (k >= cap) [[unlikely]]
        {
            flush(buf, k, p0);
            k = 0;
        }
        if (last_n >= p) [[unlikely]]
        {
            shared_k = k;
            slow_window(seq, n, p, push);
            k = shared_k;
            continue;
        }
        uint32_t const idx = (code >> 2) & 0x3FFF;
        uint32_t const b = bucket[idx];
        uint32_t const c = bucket[idx + 1] - b;
        uint32_t const * const e = ((code & 3u) == 0 ? ea : en) + b; // t1 = A or not
        uint64_t const hp = static_cast<uint64_t>(p - p0) << 32;
        if constexpr (MaySkip)
        {
            uint32_t const e0 = e[0], e1 = e[1];
            buf[k] = hp | e0;
            k += (c > 0) & ((e0 & 15u) != no_type);
            buf[k] = hp | e1;
            k += (c > 1) & ((e1 & 15u) != no_type);
            if (c > 2) [[unlikely]]
                for (uint32_t j = 2; j < c; ++j)
                {
                    buf[k] = hp | e[j];
                    k += (e[j] & 15u) != no_type;
                }
        }
        else
        {
            buf[k] = hp | e[0];
            buf[k + 1] = hp | e[1];
            if (c > 2) [[unlikely]]
                for (uint32_t j = 2; j < c; ++j)
                    buf[k + j] = hp | e[j];
            k += c;
        }
    }
    shared_k = k;
}

/* Windows p (0-based position of t8; t1 at p + 7) in [p0, p1). Hits are collected in a buffer as
 * (p - p0) << 32 | entry and handed to flush(hits, count, p0) when it fills up and at the end.
 * The inner loop is branch-light: two entries of every bucket are written unconditionally (the table has two
 * padding entries) and the count advances by the bucket size, so only buckets of 3 or more take a branch.
 */
template <typename Flush>
void site_finder::scan_windows(uint8_t const * seq, int64_t n, int64_t p0, int64_t p1, Flush && flush) const
{
    p0 = std::max<int64_t>(p0, -2);    // t6 inside the UTR
    p1 = std::min<int64_t>(p1, n - 5); // t3 inside the UTR
    if (p0 >= p1)
        return;
    constexpr size_t cap = scan_buffer_hits;
    thread_local std::vector<uint64_t> buffer;
    buffer.resize(cap + max_bucket_ + 2);
    uint64_t * const buf = buffer.data();
    size_t k = 0;
    auto push = [&](int64_t p, uint32_t e)
    {
        if (k >= cap)
        {
            flush(buf, k, p0);
            k = 0;
        }
        buf[k++] = static_cast<uint64_t>(p - p0) << 32 | e;
    };
    int64_t const f0 = std::max<int64_t>(p0, 0);
    int64_t const f1 = std::min<int64_t>(p1, n - 7); // whole window inside
    for (int64_t p = p0; p < std::min<int64_t>(p1, 0); ++p)
        slow_window(seq, n, p, push);
    if (f0 < f1 && may_skip_)
        scan_fast<true>(seq, n, f0, f1, p0, buf, k, flush, push);
    else if (f0 < f1)
        scan_fast<false>(seq, n, f0, f1, p0, buf, k, flush, push);
    for (int64_t p = std::max<int64_t>(p0, std::max<int64_t>(f1, 0)); p < p1; ++p)
        slow_window(seq, n, p, push);
    if (k)
        flush(buf, k, p0);
}

// Centered windows q (0-based position of t12; t5 at q + 7, t1 at q + 11) in [q0, q1).
void site_finder::scan_centered(
    uint8_t const * seq, int64_t n, int64_t q0, int64_t q1, std::vector<raw_hit> & out) const
{
    q0 = std::max<int64_t>(q0, 0);
    q1 = std::min<int64_t>(q1, n - 7);
    if (q0 >= q1 || centered_entries_.empty())
        return;
    uint32_t code = 0;
    int64_t last_n = q0 - 1;
    for (int64_t i = q0; i < q0 + 7; ++i)
    {
        uint8_t const b = seq[i];
        code = (code << 2) | (b & 3u);
        last_n = b > 3 ? i : last_n;
    }
    for (int64_t q = q0; q < q1; ++q)
    {
        uint8_t const b = seq[q + 7];
        code = ((code << 2) | (b & 3u)) & window_mask;
        last_n = b > 3 ? q + 7 : last_n;
        if (last_n >= q)
            continue;
        for (uint32_t e = centered_bucket_[code]; e < centered_bucket_[code + 1]; ++e)
        {
            uint32_t const mi = centered_entries_[e];
            auto const & m = mirnas_[mi].codes;
            int64_t const a = q + 11;
            auto wc = [&](int k)
            {
                int64_t const pos = a - (k - 1);
                return static_cast<size_t>(k) <= m.size() && pos >= 0 && pos < n &&
                       is_wc(seq[pos], m[static_cast<size_t>(k - 1)]);
            };
            if (!wc(13) || !wc(14))
                continue;
            bool const p4 = wc(4), p15 = wc(15);
            if (!p4 && !p15)
                continue;
            out.push_back(raw_hit{a, mi, site_type::centered, static_cast<uint8_t>((p4 ? 1 : 0) | (p15 ? 2 : 0))});
        }
    }
}

void site_finder::scan(std::span<uint8_t const> seq, int64_t a0, int64_t a1, std::vector<raw_hit> & out) const
{
    int64_t const n = static_cast<int64_t>(seq.size());
    scan_windows(seq.data(),
                 n,
                 a0 - 7,
                 a1 - 7,
                 [&](uint64_t const * hits, size_t count, int64_t base)
                 {
                     size_t const first = out.size();
                     out.resize(first + count);
                     raw_hit * o = out.data() + first;
                     for (size_t i = 0; i < count; ++i)
                     {
                         uint32_t const e = static_cast<uint32_t>(hits[i]);
                         o[i].anchor = base + static_cast<int64_t>(hits[i] >> 32) + 7;
                         o[i].id = e >> 4;
                         o[i].type = static_cast<site_type>(e & 15u);
                         o[i].centered_span = 0;
                     }
                 });
    if (options_.extended)
        scan_centered(seq.data(), n, a0 - 11, a1 - 11, out);
}

std::array<uint64_t, site_type_count> site_finder::count(std::span<uint8_t const> seq) const
{
    // weight of a table entry = number of miRNAs of its group; four interleaved tallies avoid store-to-load stalls
    std::array<std::array<uint64_t, 16>, 4> tally{};
    uint32_t const * const group_size = group_size_.data();
    int64_t const n = static_cast<int64_t>(seq.size());
    scan_windows(seq.data(),
                 n,
                 -2,
                 n,
                 [&](uint64_t const * hits, size_t count, int64_t)
                 {
                     for (size_t i = 0; i < count; ++i)
                     {
                         uint32_t const e = static_cast<uint32_t>(hits[i]);
                         tally[i & 3][e & 15u] += group_size[e >> 4];
                     }
                 });
    std::array<uint64_t, site_type_count> counts{};
    for (auto const & t : tally)
        for (size_t i = 0; i < site_type_count; ++i)
            counts[i] += t[i];
    return counts;
}

void site_finder::expand(std::span<uint8_t const> seq,
                         uint32_t utr_index,
                         std::vector<raw_hit> const & hits,
                         std::vector<site> & out) const
{
    size_t const first = out.size();
    auto add = [&](raw_hit const & h, uint32_t mi)
    {
        auto const [b, e] = hit_span(h);
        site s;
        s.utr = utr_index;
        s.mirna = mi;
        s.type = h.type;
        s.start = b + 1;
        s.end = e;
        s.anchor = h.anchor + 1;
        out.push_back(s);
    };
    for (auto const & h : hits)
    {
        if (h.type == site_type::centered)
            add(h, h.id);
        else
            for (uint32_t mi : groups_[h.id].members)
                add(h, mi);
    }
    // one best type per (miRNA, anchor): only centered sites can collide with window sites
    if (options_.extended)
    {
        std::sort(out.begin() + static_cast<std::ptrdiff_t>(first),
                  out.end(),
                  [](site const & x, site const & y)
                  {
                      return std::tie(x.mirna, x.anchor, x.type) < std::tie(y.mirna, y.anchor, y.type);
                  });
        auto const last = std::unique(out.begin() + static_cast<std::ptrdiff_t>(first),
                                      out.end(),
                                      [](site const & x, site const & y)
                                      {
                                          return x.mirna == y.mirna && x.anchor == y.anchor;
                                      });
        out.erase(last, out.end());
    }
    // Features. The UTR side (masks of the bases upstream, local AU) is shared by the miRNAs of one hit, which
    // are consecutive unless the sites were re-sorted for the extended types.
    int64_t last_anchor = -1, last_start = -1;
    site_type last_type = site_type::eight_mer;
    pairing_frame frame;
    std::array<uint64_t, 4> u{};
    double au = 0.0;
    for (size_t i = first; i < out.size(); ++i)
    {
        auto & s = out[i];
        int64_t const a = s.anchor - 1;
        if (s.anchor != last_anchor || s.start != last_start || s.type != last_type)
        {
            last_anchor = s.anchor;
            last_start = s.start;
            last_type = s.type;
            frame = frame_of(s.type, a, s.start - 1);
            if (s.type != site_type::centered)
                u = utr_masks(seq, a, frame);
            au = local_au_score(seq, s.start - 1, s.end, a);
        }
        s.supp3p =
            s.type == site_type::centered
                ? std::nan("")
                : pairing_score(u, mirna_masks_[s.mirna], static_cast<int64_t>(mirnas_[s.mirna].codes.size()), frame);
        s.local_au = au;
        s.near_stop = s.start - 1 < near_stop_nt;
    }
}

namespace
{
bool site_less(site const & x, site const & y)
{
    return std::tie(x.utr, x.start, x.end, x.mirna, x.type) < std::tie(y.utr, y.start, y.end, y.mirna, y.type);
}
} // namespace

std::vector<site> site_finder::find_in(std::span<uint8_t const> seq, uint32_t utr_index, int64_t a0, int64_t a1) const
{
    std::vector<raw_hit> hits;
    scan(seq, a0, a1, hits);
    std::vector<site> out;
    expand(seq, utr_index, hits, out);
    std::sort(out.begin(), out.end(), site_less);
    return out;
}

std::vector<site> site_finder::find(std::vector<utr_sequence> const & utrs) const
{
    struct item
    {
        uint32_t utr;
        int64_t a0, a1;
    };
    std::vector<item> items;
    for (uint32_t u = 0; u < utrs.size(); ++u)
    {
        int64_t const end = static_cast<int64_t>(utrs[u].codes.size()) + 4;
        for (int64_t a = 0; a < end; a += options_.chunk)
            items.push_back(item{u, a, std::min(end, a + options_.chunk)});
    }
    std::vector<std::vector<site>> results(items.size());
    std::atomic<size_t> next{0};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto worker = [&]
    {
        std::vector<raw_hit> hits;
        try
        {
            for (size_t i = next++; i < items.size(); i = next++)
            {
                auto const & it = items[i];
                auto const & codes = utrs[it.utr].codes;
                hits.clear();
                scan(codes, it.a0, it.a1, hits);
                expand(codes, it.utr, hits, results[i]);
            }
        }
        catch (...)
        {
            std::lock_guard lock{error_mutex};
            if (!error)
                error = std::current_exception();
            next = items.size();
        }
    };
    unsigned const n_threads = std::max(1u, std::min<unsigned>(options_.threads, static_cast<unsigned>(items.size())));
    if (n_threads <= 1)
        worker();
    else
    {
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < n_threads; ++t)
            pool.emplace_back(worker);
        for (auto & t : pool)
            t.join();
    }
    if (error)
        std::rethrow_exception(error);
    size_t total = 0;
    for (auto const & r : results)
        total += r.size();
    std::vector<site> out;
    out.reserve(total);
    for (auto & r : results)
        out.insert(out.end(), r.begin(), r.end());
    std::sort(out.begin(), out.end(), site_less);
    return out;
}

double supplementary_pairing_score(
    std::span<uint8_t const> mirna, std::span<uint8_t const> utr, int64_t anchor0, site_type type, int64_t start0)
{
    if (type == site_type::centered)
        return std::nan("");
    auto const f = frame_of(type, anchor0, start0);
    return pairing_score(utr_masks(utr, anchor0, f), mirna_masks(mirna), static_cast<int64_t>(mirna.size()), f);
}

double local_au_score(std::span<uint8_t const> utr, int64_t start0, int64_t end0, int64_t anchor0)
{
    // weights[g][i] = 1 / (i + g)
    static std::array<std::array<double, 31>, 2> const weights = []
    {
        std::array<std::array<double, 31>, 2> w{};
        for (int g = 0; g < 2; ++g)
            for (int i = 1; i <= 30; ++i)
                w[static_cast<size_t>(g)][static_cast<size_t>(i)] = 1.0 / static_cast<double>(i + g);
        return w;
    }();
    int64_t const n = static_cast<int64_t>(utr.size());
    auto const & up = weights[start0 <= anchor0 - 7 ? 0 : 1]; // the site does not reach t8: one step further
    auto const & down = weights[end0 - 1 >= anchor0 ? 1 : 0]; // the site covers t1: one step further
    double num = 0.0, den = 0.0;
    int64_t const n_up = std::min<int64_t>(30, start0);
    for (int64_t i = 1; i <= n_up; ++i)
    {
        double const w = up[static_cast<size_t>(i)];
        uint8_t const b = utr[static_cast<size_t>(start0 - i)];
        den += w;
        num += (b == 0 || b == 3) ? w : 0.0;
    }
    int64_t const n_down = std::min<int64_t>(30, n - end0);
    for (int64_t i = 1; i <= n_down; ++i)
    {
        double const w = down[static_cast<size_t>(i)];
        uint8_t const b = utr[static_cast<size_t>(end0 - 1 + i)];
        den += w;
        num += (b == 0 || b == 3) ? w : 0.0;
    }
    return den > 0.0 ? num / den : std::nan("");
}

} // namespace chemores::mirna
