#include <chemores/align/mapper.hpp>
#include <chemores/core/dna.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <htslib/sam.h>

namespace chemores::align
{

namespace
{
constexpr size_t max_occurrences = 2000; // seeds more frequent than this are repeats and skipped

uint32_t cigar_op(uint32_t c)
{
    return c & 0xf;
}
uint32_t cigar_len(uint32_t c)
{
    return c >> 4;
}
int32_t leading_clip(std::vector<uint32_t> const & cig)
{
    return !cig.empty() && cigar_op(cig.front()) == BAM_CSOFT_CLIP ? static_cast<int32_t>(cigar_len(cig.front())) : 0;
}
int32_t trailing_clip(std::vector<uint32_t> const & cig)
{
    return cig.size() > 1 && cigar_op(cig.back()) == BAM_CSOFT_CLIP ? static_cast<int32_t>(cigar_len(cig.back())) : 0;
}
} // namespace

mapper::mapper(reference::panel const & p, kmer_index const & idx, mapper_options const & o, kernels::simd_target t) :
    panel_{p},
    index_{idx},
    opt_{o},
    aligner_{o.scoring, t}
{
}

void mapper::collect_candidates(std::span<uint8_t const> read, bool rev, std::vector<candidate> & out)
{
    int const k = index_.k();
    uint64_t const kmask = (uint64_t{1} << (2 * k)) - 1;
    hits_.clear();
    // Long reads are seeded with every third k-mer: a 150-base read still gets ~45 lookups per strand, plenty to
    // find its locus with Illumina error rates, at a third of the hash lookups.
    int32_t const stride = read.size() >= 100 ? 3 : 1;
    uint64_t kmer = 0;
    int valid = 0;
    for (int32_t i = 0; i < static_cast<int32_t>(read.size()); ++i)
    {
        if (read[i] > 3)
        {
            valid = 0;
            kmer = 0;
            continue;
        }
        kmer = ((kmer << 2) | read[i]) & kmask;
        if (++valid < k)
            continue;
        int32_t const qpos = i + 1 - k;
        if (qpos % stride != 0 && i + 1 != static_cast<int32_t>(read.size()))
            continue; // sample every stride-th k-mer (and the last one) of long reads
        auto const occ = index_.lookup(kmer);
        if (occ.size() > max_occurrences)
            continue;
        for (auto const & p : occ)
        {
            if (opt_.norc && rev)
                continue;
            hits_.push_back({p.contig, static_cast<int32_t>(p.pos) - qpos, qpos});
        }
    }
    std::sort(hits_.begin(), hits_.end(), [](seed_hit const & a, seed_hit const & b) {
        return a.contig != b.contig ? a.contig < b.contig : a.diag != b.diag ? a.diag < b.diag : a.qpos < b.qpos;
    });
    // Chain hits on nearby diagonals: indels shift the diagonal by a few bases at a time.
    int32_t const tol = 16 + static_cast<int32_t>(read.size()) / 50;
    for (size_t i = 0; i < hits_.size();)
    {
        candidate c{hits_[i].contig, rev, hits_[i].diag, hits_[i].diag, 0};
        size_t j = i;
        int32_t last_q = -1;
        while (j < hits_.size() && hits_[j].contig == c.contig && hits_[j].diag - c.dmax <= tol)
        {
            c.dmax = hits_[j].diag;
            if (hits_[j].qpos != last_q)
                ++c.hits;
            last_q = hits_[j].qpos;
            ++j;
        }
        out.push_back(c);
        i = j;
    }
}

void mapper::finish(std::span<uint8_t const> read, mapping & m, kernels::alignment_result const & r, int32_t wb)
{
    m.pos = wb + r.target_begin;
    m.end = wb + r.target_end;
    m.score = r.score;
    m.cigar.clear();
    if (r.query_begin > 0)
        m.cigar.push_back(static_cast<uint32_t>(r.query_begin) << 4 | BAM_CSOFT_CLIP);
    m.cigar.insert(m.cigar.end(), r.cigar.begin(), r.cigar.end());
    int32_t const tail = static_cast<int32_t>(read.size()) - r.query_end;
    if (tail > 0)
        m.cigar.push_back(static_cast<uint32_t>(tail) << 4 | BAM_CSOFT_CLIP);
}

bool mapper::align_window(std::span<uint8_t const> read, uint32_t contig, bool rev, int32_t wb, int32_t we,
                          kernels::align_mode mode, mapping & out)
{
    auto const & seq = panel_.contigs()[contig].seq;
    wb = std::max(0, wb);
    we = std::min(static_cast<int32_t>(seq.size()), we);
    if (we <= wb)
        return false;
    auto r = aligner_.align(read.data(), static_cast<int32_t>(read.size()), seq.data() + wb, we - wb, mode, true);
    if (r.cigar.empty())
        return false;
    out.contig = contig;
    out.rev = rev;
    finish(read, out, r, wb);
    return true;
}

bool mapper::express_on(mapping & m, uint32_t target) const
{
    if (m.contig == target)
        return true;
    for (auto const & s : panel_.segments())
    {
        if (s.contig != target || s.parent != m.contig)
            continue;
        uint32_t const pe = s.parent_start + (s.end - s.start);
        if (static_cast<uint32_t>(m.pos) >= s.parent_start && static_cast<uint32_t>(m.end) <= pe)
        {
            int32_t const shift = static_cast<int32_t>(s.start) - static_cast<int32_t>(s.parent_start);
            m.contig = target;
            m.pos += shift;
            m.end += shift;
            return true;
        }
    }
    return false;
}

void mapper::canonicalise(mapping & m) const
{
    // An alignment wholly inside one alias segment is reported on the parent (e.g. ABL1 bases of a fusion
    // transcript count for ABL1); one that spans a junction stays on the derived contig.
    for (auto const & s : panel_.segments())
    {
        if (s.contig == m.contig && static_cast<uint32_t>(m.pos) >= s.start && static_cast<uint32_t>(m.end) <= s.end)
        {
            int32_t const shift = static_cast<int32_t>(s.parent_start) - static_cast<int32_t>(s.start);
            m.contig = s.parent;
            m.pos += shift;
            m.end += shift;
            break;
        }
    }
    auto const ja = static_cast<int32_t>(panel_.contigs()[m.contig].junction_after);
    m.crosses_junction = ja > 0 && m.pos < ja && m.end > ja;
}

void mapper::junction_rescue(std::span<uint8_t const> read, mapping & m)
{
    int32_t const lead = leading_clip(m.cigar);
    int32_t const trail = trailing_clip(m.cigar);
    if (lead < opt_.min_rescue_clip && trail < opt_.min_rescue_clip)
        return;
    int32_t const slack = 8;
    int32_t const pad = 16;
    mapping best = m;
    for (auto const & s : panel_.segments())
    {
        if (s.parent != m.contig)
            continue;
        int32_t const ps = static_cast<int32_t>(s.parent_start);
        int32_t const pe = ps + static_cast<int32_t>(s.end - s.start);
        // The alignment may run a few bases past the segment end where the bases beyond it match by chance.
        if (m.pos < ps - slack || m.end > pe + slack || m.end <= ps || m.pos >= pe)
            continue;
        int32_t const dlen = static_cast<int32_t>(panel_.contigs()[s.contig].seq.size());
        bool const left = lead >= opt_.min_rescue_clip && s.start > 0 && std::abs(m.pos - ps) <= lead + slack;
        bool const right =
            trail >= opt_.min_rescue_clip && static_cast<int32_t>(s.end) < dlen && std::abs(pe - m.end) <= trail + slack;
        if (!left && !right)
            continue;
        int32_t const dpos = static_cast<int32_t>(s.start) + (m.pos - ps);
        int32_t const dend = dpos + (m.end - m.pos);
        mapping cand;
        if (!align_window(read, s.contig, m.rev, dpos - lead - pad, dend + trail + pad, kernels::align_mode::local, cand))
            continue;
        canonicalise(cand);
        if (!cand.crosses_junction && cand.contig == m.contig)
            continue;
        if (cand.score > best.score)
        {
            cand.sub_score = std::max(best.sub_score, best.contig == m.contig ? -1 : best.score);
            best = std::move(cand);
        }
        else if (cand.score == best.score && best.contig != m.contig)
            best.sub_score = std::max(best.sub_score, cand.score); // two derived contigs explain the read equally
    }
    if (best.contig != m.contig || best.pos != m.pos)
    {
        best.sub_score = std::max(best.sub_score, m.sub_score);
        m = std::move(best);
    }
}

bool mapper::same_locus(mapping const & a, mapping const & b) const
{
    if (a.rev != b.rev)
        return false;
    // Project each alignment onto canonical contigs piece by piece and look for an overlap.
    auto pieces = [&](mapping const & m) {
        std::vector<std::array<int64_t, 3>> out;
        int64_t b0 = m.pos;
        for (auto const & s : panel_.segments())
        {
            if (s.contig != m.contig)
                continue;
            int64_t const lo = std::max<int64_t>(m.pos, s.start), hi = std::min<int64_t>(m.end, s.end);
            if (lo < hi)
                out.push_back({s.parent, s.parent_start + (lo - s.start), s.parent_start + (hi - s.start)});
        }
        if (out.empty())
            out.push_back({m.contig, b0, m.end});
        return out;
    };
    for (auto const & x : pieces(a))
        for (auto const & y : pieces(b))
            if (x[0] == y[0] && x[1] < y[2] && y[1] < x[2])
                return true;
    return false;
}

int mapper::compute_mapq(int32_t best, int32_t sub, int32_t qlen) const
{
    int32_t const floor_sub = std::min(best, index_.k() * opt_.scoring.match);
    int32_t const s2 = std::max(sub, floor_sub);
    if (s2 >= best)
        return 0;
    double const per_base = static_cast<double>(opt_.scoring.match + opt_.scoring.mismatch);
    double q = 30.0 * (best - s2) / per_base;
    if (qlen > 0 && best < opt_.scoring.match * qlen / 2)
        q *= static_cast<double>(best) / (opt_.scoring.match * qlen / 2.0); // weak, mostly clipped alignments
    return static_cast<int>(std::min(60.0, std::floor(q + 0.5)));
}

void mapper::compute_nm_md(std::span<uint8_t const> read, mapping & m) const
{
    auto const & ref = panel_.contigs()[m.contig].seq;
    m.nm = 0;
    m.md.clear();
    int32_t q = 0, t = m.pos, run = 0;
    for (uint32_t c : m.cigar)
    {
        uint32_t const op = cigar_op(c), len = cigar_len(c);
        if (op == BAM_CSOFT_CLIP)
            q += static_cast<int32_t>(len);
        else if (op == BAM_CMATCH)
        {
            for (uint32_t i = 0; i < len; ++i, ++q, ++t)
            {
                if (read[q] == ref[t] && ref[t] < 4)
                    ++run;
                else
                {
                    ++m.nm;
                    m.md += std::to_string(run);
                    m.md += code_to_char[ref[t]];
                    run = 0;
                }
            }
        }
        else if (op == BAM_CINS)
        {
            q += static_cast<int32_t>(len);
            m.nm += static_cast<int32_t>(len);
        }
        else if (op == BAM_CDEL)
        {
            m.md += std::to_string(run);
            m.md += '^';
            for (uint32_t i = 0; i < len; ++i)
                m.md += code_to_char[ref[t++]];
            run = 0;
            m.nm += static_cast<int32_t>(len);
        }
    }
    m.md += std::to_string(run);
}

/* Fast path: a candidate whose seeds all lie on one diagonal is first scored without gaps. Any alignment with a
 * gap scores at most match*qlen - (gap_open + gap_extend) (every query base matched, one gap of length 1), so an
 * ungapped alignment scoring more than that is the best alignment on that diagonal and no alignment with a gap
 * can beat it; the dynamic programming is skipped. Local mode takes the maximal-scoring segment (Kadane; ties
 * keep the leftmost, shortest segment), end-to-end mode the whole read. Only another diagonal of the same window
 * could tie or win, which needs a tandem repeat of nearly the read's length; the panel has none. */
bool mapper::ungapped_alignment(std::span<uint8_t const> q, candidate const & c, bool end_to_end, scored & out) const
{
    if (c.dmin != c.dmax)
        return false;
    auto const & ref = panel_.contigs()[c.contig].seq;
    int32_t const qlen = static_cast<int32_t>(q.size());
    int32_t const d = c.dmin;
    if (d < 0 || d + qlen > static_cast<int32_t>(ref.size()))
        return false;
    auto const & sc = opt_.scoring;
    int32_t const bound = sc.match * qlen - sc.gap_open - sc.gap_extend;
    uint8_t const * t = ref.data() + d;
    int32_t best = 0, best_b = 0, best_e = 0, run = 0, run_b = 0, total = 0;
    for (int32_t i = 0; i < qlen; ++i)
    {
        int32_t const s = (q[i] > 3 || t[i] > 3) ? -sc.ambiguous : q[i] == t[i] ? sc.match : -sc.mismatch;
        total += s;
        if (run <= 0)
        {
            run = 0;
            run_b = i;
        }
        run += s;
        if (run > best)
        {
            best = run;
            best_b = run_b;
            best_e = i + 1;
        }
    }
    if (end_to_end)
    {
        best = total;
        best_b = 0;
        best_e = qlen;
    }
    if (best <= bound)
        return false;
    out.c = c;
    out.wb = d;
    out.we = d + qlen;
    out.score = best;
    out.tend = d + best_e;
    out.ungapped = true;
    out.qb = best_b;
    out.qe = best_e;
    out.full = total;
    return true;
}

std::vector<mapping> mapper::map(std::span<uint8_t const> read)
{
    std::vector<mapping> result;
    int32_t const qlen = static_cast<int32_t>(read.size());
    if (qlen < index_.k())
        return result;
    std::vector<uint8_t> const fwd(read.begin(), read.end());
    reverse_complement(fwd, rc_);

    std::vector<candidate> cands;
    collect_candidates(read, false, cands);
    if (!opt_.norc)
        collect_candidates(rc_, true, cands);
    if (cands.empty())
        return result;
    std::stable_sort(cands.begin(), cands.end(), [](candidate const & a, candidate const & b) { return a.hits > b.hits; });
    int32_t const min_hits = std::max(1, cands.front().hits / 5);
    size_t const keep = static_cast<size_t>(2 * opt_.max_candidates);
    while (cands.size() > keep || (!cands.empty() && cands.back().hits < min_hits))
        cands.pop_back();

    auto const mode = opt_.end_to_end ? kernels::align_mode::glocal : kernels::align_mode::local;
    int32_t const pad = 16 + qlen / 10;

    // Score every candidate window without traceback, then trace back the best ones only.
    std::vector<scored> sc;
    for (auto const & c : cands)
    {
        scored u;
        if (ungapped_alignment(c.rev ? rc_ : fwd, c, opt_.end_to_end, u))
        {
            sc.push_back(u);
            continue;
        }
        auto const & seq = panel_.contigs()[c.contig].seq;
        int32_t const wb = std::max(0, c.dmin - pad);
        int32_t const we = std::min(static_cast<int32_t>(seq.size()), c.dmax + qlen + pad);
        if (we <= wb)
            continue;
        auto const & q = c.rev ? rc_ : fwd;
        auto r = aligner_.align(q.data(), qlen, seq.data() + wb, we - wb, mode, false);
        sc.push_back({c, wb, we, r.score, wb + r.target_end});
    }
    std::stable_sort(sc.begin(), sc.end(), [](scored const & a, scored const & b) { return a.score > b.score; });

    for (auto const & s : sc)
    {
        if (s.score < opt_.min_score)
            break;
        if (result.size() >= 4 && !(opt_.all_best && s.score == result.front().score))
            break;
        if (opt_.all_best && !result.empty() && s.score < result.front().score)
            break;
        auto const & q = s.c.rev ? rc_ : fwd;
        mapping m;
        if (s.ungapped)
        {
            m.contig = s.c.contig;
            m.rev = s.c.rev;
            m.score = s.score;
            m.pos = s.c.dmin + s.qb;
            m.end = s.c.dmin + s.qe;
            if (s.qb > 0)
                m.cigar.push_back(static_cast<uint32_t>(s.qb) << 4 | BAM_CSOFT_CLIP);
            m.cigar.push_back(static_cast<uint32_t>(s.qe - s.qb) << 4 | BAM_CMATCH);
            if (s.qe < qlen)
                m.cigar.push_back(static_cast<uint32_t>(qlen - s.qe) << 4 | BAM_CSOFT_CLIP);
        }
        else if (!align_window(q, s.c.contig, s.c.rev, s.wb, s.we, mode, m))
            continue;
        if (!opt_.end_to_end)
        {
            junction_rescue(q, m);
            int32_t const nclip = (leading_clip(m.cigar) > 0) + (trailing_clip(m.cigar) > 0);
            int32_t const bound = opt_.scoring.match * qlen - opt_.scoring.gap_open - opt_.scoring.gap_extend;
            if (nclip > 0 && s.ungapped && m.contig == s.c.contig && s.full > bound)
            {
                // the whole read on the same diagonal beats any gapped end-to-end alignment (see above)
                if (s.full + opt_.clip_penalty * nclip >= m.score)
                {
                    m.score = s.full;
                    m.pos = s.c.dmin;
                    m.end = s.c.dmin + qlen;
                    m.cigar.assign(1, static_cast<uint32_t>(qlen) << 4 | BAM_CMATCH);
                }
            }
            else if (nclip > 0 && !m.crosses_junction)
            {
                mapping e2e;
                int32_t const wb = m.pos - leading_clip(m.cigar) - 8, we = m.end + trailing_clip(m.cigar) + 8;
                if (align_window(q, m.contig, m.rev, wb, we, kernels::align_mode::glocal, e2e) &&
                    e2e.score + opt_.clip_penalty * nclip >= m.score)
                    m = std::move(e2e);
            }
        }
        canonicalise(m);
        bool dup = false;
        for (auto const & r : result)
            dup = dup || same_locus(r, m);
        if (dup)
            continue;
        compute_nm_md(q, m);
        result.push_back(std::move(m));
    }
    if (result.empty())
        return result;
    std::stable_sort(result.begin(), result.end(), [](mapping const & a, mapping const & b) { return a.score > b.score; });

    // Second best: the best score at a different locus, including candidates never traced back.
    int32_t sub = result.front().sub_score;
    if (result.size() > 1)
        sub = std::max(sub, result[1].score);
    for (auto const & s : sc)
    {
        if (s.score <= sub)
            break;
        bool const same = s.c.contig == result.front().contig && s.c.rev == result.front().rev &&
                          std::abs(s.tend - result.front().end) < qlen;
        if (!same && s.c.contig != result.front().contig)
        {
            // windows on other contigs may still be the same locus through an alias segment: check by projection
            mapping probe;
            probe.contig = s.c.contig;
            probe.rev = s.c.rev;
            probe.end = s.tend;
            probe.pos = std::max(s.wb, s.tend - qlen);
            if (same_locus(probe, result.front()))
                continue;
        }
        if (!same && s.score < result.front().score)
            sub = std::max(sub, s.score);
    }
    for (auto & m : result)
    {
        m.sub_score = sub;
        m.mapq = compute_mapq(m.score, sub, qlen);
    }
    if (opt_.all_best)
        for (auto & m : result)
            m.mapq = result.size() > 1 ? 0 : m.mapq;
    return result;
}

int64_t mapper::template_length(mapping const & self, mapping const & mate)
{
    int64_t const left = std::min(self.pos, mate.pos);
    int64_t const right = std::max(self.end, mate.end);
    int64_t const len = right - left;
    bool const self_left = self.pos < mate.pos || (self.pos == mate.pos && !self.rev);
    return self_left ? len : -len;
}

mapper::pair_choice mapper::pair(std::vector<mapping> & a, std::vector<mapping> & b) const
{
    pair_choice best;
    if (a.empty() && b.empty())
        return best;
    if (a.empty() || b.empty())
    {
        best.a = a.empty() ? -1 : 0;
        best.b = b.empty() ? -1 : 0;
        return best;
    }
    int64_t best_total = INT64_MIN;
    mapping best_a, best_b;
    for (size_t i = 0; i < a.size() && i < 4; ++i)
    {
        for (size_t j = 0; j < b.size() && j < 4; ++j)
        {
            mapping x = a[i], y = b[j];
            bool proper = false;
            if (x.rev != y.rev)
            {
                if (x.contig != y.contig && !express_on(y, x.contig))
                    express_on(x, y.contig);
                if (x.contig == y.contig)
                {
                    mapping const & f = x.rev ? y : x;
                    mapping const & r = x.rev ? x : y;
                    int64_t const span = std::max(f.end, r.end) - std::min(f.pos, r.pos);
                    proper = f.pos <= r.end && span <= opt_.max_insert;
                }
            }
            int64_t const total = int64_t{x.score} + y.score - (proper ? 0 : opt_.unpaired_penalty);
            if (total > best_total)
            {
                best_total = total;
                best = {static_cast<int>(i), static_cast<int>(j), proper};
                best_a = std::move(x);
                best_b = std::move(y);
            }
        }
    }
    a[best.a] = std::move(best_a);
    b[best.b] = std::move(best_b);
    return best;
}

void mapper::rescue_mate(std::span<uint8_t const> read, mapping const & anchor, std::vector<mapping> & out)
{
    int32_t const qlen = static_cast<int32_t>(read.size());
    if (qlen < 8)
        return;
    bool const mate_rev = !anchor.rev;
    if (opt_.norc && mate_rev)
        return;
    std::vector<uint8_t> q(read.begin(), read.end());
    if (mate_rev)
        reverse_complement(std::vector<uint8_t>(read.begin(), read.end()), q);
    int32_t wb, we;
    if (!anchor.rev)
    {
        wb = anchor.pos;
        we = anchor.pos + opt_.max_insert;
    }
    else
    {
        wb = anchor.end - opt_.max_insert;
        we = anchor.end;
    }
    mapping m;
    if (!align_window(q, anchor.contig, mate_rev, wb, we, kernels::align_mode::local, m) || m.score < opt_.min_score)
        return;
    canonicalise(m);
    for (auto const & r : out)
        if (same_locus(r, m))
            return;
    compute_nm_md(q, m);
    m.mapq = compute_mapq(m.score, -1, qlen);
    out.push_back(std::move(m));
}

} // namespace chemores::align
