#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/core/text.hpp>
#include <chemores/pileup/codon_pileup.hpp>
#include <cstring>
#include <fstream>
#include <functional>
#include <htslib/hts.h>
#include <htslib/sam.h>
#include <limits>
#include <memory>
#include <sstream>
#include <tuple>
#include <unordered_map>

namespace chemores::pileup
{

namespace
{

// ---- chromosome lengths that identify an assembly -------------------------------------------------------------------

constexpr int64_t grch38_chr9 = 138394717;
constexpr int64_t hg19_chr9 = 141213431;
constexpr int64_t grch38_chr22 = 50818468;
constexpr int64_t hg19_chr22 = 51304566;

// "chr9" -> "9"
std::string_view strip_chr(std::string_view s) noexcept
{
    return s.starts_with("chr") ? s.substr(3) : s;
}

// ---- htslib handles -------------------------------------------------------------------------------------------------

struct hts_closer
{
    void operator()(htsFile * f) const noexcept
    {
        hts_close(f);
    }
    void operator()(sam_hdr_t * h) const noexcept
    {
        sam_hdr_destroy(h);
    }
    void operator()(hts_idx_t * i) const noexcept
    {
        hts_idx_destroy(i);
    }
    void operator()(hts_itr_t * i) const noexcept
    {
        hts_itr_destroy(i);
    }
    void operator()(bam1_t * b) const noexcept
    {
        bam_destroy1(b);
    }
};
template <typename T>
using hts_ptr = std::unique_ptr<T, hts_closer>;

// ---- observations and their merging ---------------------------------------------------------------------------------

enum class obs_kind : uint8_t
{
    bases,
    deletion,
    insertion,
    low_mapq,
    ambiguous
};

// What one read (or a merged pair) shows at one target codon.
struct observation
{
    obs_kind kind = obs_kind::bases;
    bool reverse_fragment = false;
    std::array<char, 3> bases{};
    std::array<uint8_t, 3> quals{};
};

// Mates covering the same codon: a read that failed the mapping-quality filter yields to its mate; base by base the
// higher quality wins (same base: keep the higher quality); a tie between different bases, or bases against an indel,
// leaves the molecule ambiguous.
observation merge(observation const & a, observation const & b) noexcept
{
    if (a.kind == obs_kind::low_mapq)
        return b;
    if (b.kind == obs_kind::low_mapq)
        return a;
    observation out = a;
    if (a.kind == obs_kind::bases && b.kind == obs_kind::bases)
    {
        for (size_t i = 0; i < 3; ++i)
        {
            if (a.bases[i] == b.bases[i])
                out.quals[i] = std::max(a.quals[i], b.quals[i]);
            else if (b.quals[i] > a.quals[i])
            {
                out.bases[i] = b.bases[i];
                out.quals[i] = b.quals[i];
            }
            else if (b.quals[i] == a.quals[i])
                out.kind = obs_kind::ambiguous;
        }
        return out;
    }
    if (a.kind != obs_kind::bases && b.kind != obs_kind::bases)
    {
        out.kind =
            a.kind == obs_kind::deletion || b.kind == obs_kind::deletion ? obs_kind::deletion : obs_kind::insertion;
        return out;
    }
    out.kind = obs_kind::ambiguous;
    return out;
}

// ---- views: where a target codon can be read in the input -----------------------------------------------------------

// A target codon as it appears on one contig of the input: the three 0-based positions of its bases (increasing;
// adjacent on a transcript, possibly split by an intron on the genome).
struct view
{
    int32_t tid = 0;
    std::array<int64_t, 3> pos{};
    uint32_t target = 0; // index into the unique targets
};

// Heterogeneous lookup by query name without building a std::string per read.
struct name_hash
{
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept
    {
        return std::hash<std::string_view>{}(s);
    }
};
struct name_equal
{
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const noexcept
    {
        return a == b;
    }
};

// The observation of a target by one read.
struct target_observation
{
    uint32_t target = 0;
    observation obs;
};

// Reference length of a CIGAR string (the MC tag): M, D, N, =, X consume the reference.
std::optional<int64_t> cigar_string_ref_length(char const * s) noexcept
{
    int64_t total = 0, n = 0;
    bool digits = false;
    for (; *s; ++s)
    {
        if (*s >= '0' && *s <= '9')
        {
            n = n * 10 + (*s - '0');
            digits = true;
            continue;
        }
        if (!digits)
            return std::nullopt;
        if (std::strchr("MDN=X", *s))
            total += n;
        else if (!std::strchr("ISHP", *s))
            return std::nullopt;
        n = 0;
        digits = false;
    }
    return digits ? std::nullopt : std::optional<int64_t>{total};
}

std::string hts_error_text()
{
    return errno ? std::string{std::strerror(errno)} : std::string{"unknown error"};
}

void check_options(options const & o)
{
    if (o.min_mapping_quality < 0 || o.min_mapping_quality > 255)
        throw config_error{"min mapping quality must be in 0..255, got " + std::to_string(o.min_mapping_quality)};
    if (o.min_base_quality < 0 || o.min_base_quality > 255)
        throw config_error{"min base quality must be in 0..255, got " + std::to_string(o.min_base_quality)};
    if (o.end_distance < 0)
        throw config_error{"end distance must be >= 0, got " + std::to_string(o.end_distance)};
}

// ---- the scanner: one pass over the indexed file --------------------------------------------------------------------

// Reads the file once, contig by contig, and reports every molecule's final observation of every target it covers
// exactly once (on_molecule), and when a target can receive no more molecules (on_done).
//
// Pairing: the first mate of a pair seen (in file order) that covers targets its mate may also cover waits in
// `pending_` (one entry per read: its name, where its mate is, and its observations of those targets). The mate
// either arrives (one hash lookup; the observations are merged target by target) or the iteration passes the mate's
// position without it (mate filtered, or it did not cover the codons after all): `by_mate_`, ordered by the mate's
// (contig, position), finds those entries, and each waiting observation becomes a molecule of one read. This relies
// on consistent mate fields (RNEXT/PNEXT), as written by aligners and `samtools fixmate`.
class scanner
{
public:
    using molecule_fn = std::function<void(uint32_t target, std::string_view qname, observation const & obs)>;
    using done_fn = std::function<void(uint32_t target)>;

    scanner(std::string const & path,
            reference::panel const & panel,
            std::vector<target> const & targets,
            options const & opt) :
        path_{path},
        panel_{panel}, targets_{targets}, opt_{opt}
    {
        check_options(opt);
        canonical_.reserve(targets.size());
        for (auto const & t : targets)
            canonical_.push_back(canonicalise(t));
        open();
        build_views();
    }

    //!\brief The panel's codon at target t.
    std::string reference_codon(uint32_t t) const
    {
        auto const & seq = panel_.contigs()[canonical_[t].first].seq;
        std::string s(3, 'N');
        for (size_t i = 0; i < 3; ++i)
            s[i] = code_to_char[seq[static_cast<size_t>(canonical_[t].second) + i]];
        return s;
    }
    bool located(uint32_t t) const
    {
        return views_per_target_[t] > 0;
    }

    void run(molecule_fn const & on_molecule, done_fn const & on_done)
    {
        on_molecule_ = &on_molecule;
        on_done_ = &on_done;
        pending_.clear();
        by_mate_.clear();
        waiting_.assign(targets_.size(), 0);
        remaining_ = views_per_target_;
        done_.assign(targets_.size(), false);
        for (uint32_t t = 0; t < targets_.size(); ++t)
            if (remaining_[t] == 0)
                finish(t);

        hts_ptr<bam1_t> rec{bam_init1()};
        if (!rec)
            throw std::bad_alloc{};
        for (auto & [tid, views] : views_by_tid_)
            scan_contig(tid, views, rec.get());
        // Mates that never came: each waiting read is its own molecule.
        sweep(std::numeric_limits<int32_t>::max(), 0);
        for (uint32_t t = 0; t < targets_.size(); ++t)
            finish(t);
    }

private:
    // A first-seen mate waiting for the other one.
    struct pending_read;
    using pending_map = std::unordered_map<std::string, pending_read, name_hash, name_equal>;
    using mate_index = std::multimap<std::pair<int32_t, int64_t>, std::string const *>; // mate (tid, pos) -> name
    struct pending_read
    {
        std::vector<target_observation> obs;
        mate_index::iterator in_index;
    };

    // The target on the canonical parent contig: a codon inside an alias segment is moved to the segment's parent.
    std::pair<uint32_t, int64_t> canonicalise(target const & t) const
    {
        auto const id = panel_.find(t.contig);
        if (!id)
            throw config_error{"unknown target contig '" + t.contig + "' (not in the reference panel " +
                               panel_.origin() + ")"};
        auto const len = static_cast<int64_t>(panel_.contigs()[*id].seq.size());
        if (t.start < 0 || t.start + 3 > len)
            throw config_error{"target codon " + t.contig + ":" + std::to_string(t.start) + " is outside the contig (" +
                               std::to_string(len) + " bp)"};
        auto const a = panel_.project(*id, static_cast<uint32_t>(t.start));
        auto const b = panel_.project(*id, static_cast<uint32_t>(t.start + 2));
        if (a && b && a->first == b->first && b->second == a->second + 2)
            return {a->first, a->second};
        return {*id, t.start};
    }

    void open()
    {
        errno = 0;
        fp_.reset(hts_open(path_.c_str(), "r"));
        if (!fp_)
            throw input_error{path_, "cannot open: " + hts_error_text()};
        if (!opt_.reference_path.empty() && hts_set_fai_filename(fp_.get(), opt_.reference_path.c_str()) != 0)
            throw input_error{opt_.reference_path, "cannot use as the CRAM reference"};
        hdr_.reset(sam_hdr_read(fp_.get()));
        if (!hdr_)
            throw input_error{path_, "not a SAM/BAM/CRAM file, or its header is damaged"};
        std::vector<std::pair<std::string, int64_t>> sq;
        for (int i = 0; i < sam_hdr_nref(hdr_.get()); ++i)
            sq.emplace_back(sam_hdr_tid2name(hdr_.get(), i), static_cast<int64_t>(sam_hdr_tid2len(hdr_.get(), i)));
        kind_ = detect_reference(sq, panel_, path_);
        idx_.reset(sam_index_load(fp_.get(), path_.c_str()));
        if (!idx_)
            throw input_error{path_,
                              "no index (.bai, .csi or .crai) found: sort by coordinate and index it "
                              "(chemores align --sort --write-index, or samtools sort + samtools index)"};
    }

    int32_t tid_of(std::string_view name) const
    {
        return sam_hdr_name2tid(hdr_.get(), std::string{name}.c_str());
    }

    void add_view(int32_t tid, std::array<int64_t, 3> const & pos, uint32_t t)
    {
        if (tid < 0 || pos[2] >= static_cast<int64_t>(sam_hdr_tid2len(hdr_.get(), tid)))
            return;
        views_by_tid_[tid].push_back(view{tid, pos, t});
        ++views_per_target_[t];
        target_views_[t].push_back(view{tid, pos, t});
    }

    void build_views()
    {
        views_per_target_.assign(targets_.size(), 0);
        target_views_.assign(targets_.size(), {});
        if (kind_ == reference_kind::panel)
        {
            for (uint32_t t = 0; t < targets_.size(); ++t)
            {
                auto const [parent, start] = canonical_[t];
                add_view(tid_of(panel_.contigs()[parent].name), {start, start + 1, start + 2}, t);
                // Every alias contig whose segment holds the whole codon (e.g. the ABL1 part of each fusion).
                for (auto const & s : panel_.segments())
                {
                    int64_t const from = s.parent_start, to = s.parent_start + (s.end - s.start);
                    if (s.parent != parent || start < from || start + 3 > to)
                        continue;
                    int64_t const p = s.start + (start - from);
                    add_view(tid_of(panel_.contigs()[s.contig].name), {p, p + 1, p + 2}, t);
                }
            }
        }
        else
        {
            auto const table = opt_.exons_path.empty()
                                   ? exon_table::from_text("builtin:panel/exons.tsv",
                                                           reference::bundled_file("panel/exons.tsv"))
                                   : exon_table::from_file(opt_.exons_path);
            for (uint32_t t = 0; t < targets_.size(); ++t)
            {
                auto const [parent, start] = canonical_[t];
                auto const & name = panel_.contigs()[parent].name;
                std::array<int64_t, 3> pos{};
                std::string chrom;
                bool ok = true;
                for (size_t i = 0; i < 3 && ok; ++i)
                {
                    auto const g = table.to_genome(name, start + static_cast<int64_t>(i), kind_);
                    ok = g && (i == 0 || (g->first == chrom && g->second > pos[i - 1]));
                    if (ok)
                    {
                        chrom = g->first;
                        pos[i] = g->second;
                    }
                }
                if (!ok)
                    continue; // not in the exon table (e.g. SLC19A1, UTRs): not located
                int32_t tid = tid_of(chrom);
                if (tid < 0)
                    tid = tid_of(strip_chr(chrom));
                if (tid < 0)
                    tid = tid_of("chr" + std::string{strip_chr(chrom)});
                add_view(tid, pos, t);
            }
        }
        for (auto & [tid, views] : views_by_tid_)
            std::sort(views.begin(),
                      views.end(),
                      [](view const & a, view const & b)
                      {
                          return a.pos[0] < b.pos[0];
                      });
    }

    void finish(uint32_t t)
    {
        if (!done_[t])
        {
            done_[t] = true;
            (*on_done_)(t);
        }
    }

    void emit(uint32_t t, std::string_view qname, observation const & obs)
    {
        (*on_molecule_)(t, qname, obs);
    }

    // A waiting read leaves `pending_`: release its targets (and finish those with nothing left to wait for).
    void release(pending_map::iterator it)
    {
        for (auto const & x : it->second.obs)
            if (--waiting_[x.target] == 0 && remaining_[x.target] == 0)
                finish(x.target);
        by_mate_.erase(it->second.in_index);
        pending_.erase(it);
    }

    // Waiting reads whose mate position (tid, pos) lies before (tid, pos) have missed their mate: emit them alone.
    void sweep(int32_t tid, int64_t pos)
    {
        std::pair<int32_t, int64_t> const here{tid, pos};
        while (!by_mate_.empty() && by_mate_.begin()->first < here)
        {
            auto const it = pending_.find(*by_mate_.begin()->second);
            for (auto const & x : it->second.obs)
                emit(x.target, it->first, x.obs);
            release(it);
        }
    }

    // No read at or after the current position can cover view v any more.
    void pass(view const & v)
    {
        if (--remaining_[v.target] == 0 && waiting_[v.target] == 0)
            finish(v.target);
    }

    // Could the mate of `b` cover target t (in some view on the mate's contig)? With the MC tag (mate CIGAR) its end
    // is known; without it, only its start.
    bool mate_may_cover(uint32_t t, bam1_t const * b, std::optional<int64_t> mate_end) const
    {
        for (auto const & v : target_views_[t])
            if (v.tid == b->core.mtid && b->core.mpos <= v.pos[0] && (!mate_end || *mate_end > v.pos[2]))
                return true;
        return false;
    }

    void handle(bam1_t const * b, std::vector<target_observation> const & obs)
    {
        std::string_view const qname = bam_get_qname(b);
        bool const paired = (b->core.flag & BAM_FPAIRED) && !(b->core.flag & BAM_FMUNMAP);
        if (!paired)
        {
            for (auto const & x : obs)
                emit(x.target, qname, x.obs);
            return;
        }
        if (auto it = pending_.find(qname); it != pending_.end())
        {
            // The second mate: merge target by target; a codon covered by one mate only is that mate's.
            auto const & first = it->second.obs;
            used_.assign(first.size(), false);
            for (auto const & x : obs)
            {
                size_t f = 0;
                while (f < first.size() && first[f].target != x.target)
                    ++f;
                if (f < first.size())
                {
                    used_[f] = true;
                    emit(x.target, qname, merge(first[f].obs, x.obs));
                }
                else
                    emit(x.target, qname, x.obs);
            }
            for (size_t f = 0; f < first.size(); ++f)
                if (!used_[f])
                    emit(first[f].target, qname, first[f].obs);
            release(it);
            return;
        }
        // The first mate seen: wait for the other only for targets it may still cover.
        bool const ahead = b->core.mtid > b->core.tid || (b->core.mtid == b->core.tid && b->core.mpos >= b->core.pos);
        std::optional<int64_t> mate_end;
        if (uint8_t const * mc = bam_aux_get(b, "MC"); mc && *mc == 'Z')
            if (auto const len = cigar_string_ref_length(bam_aux2Z(mc)))
                mate_end = b->core.mpos + *len;
        pending_read entry;
        for (auto const & x : obs)
        {
            if (ahead && mate_may_cover(x.target, b, mate_end))
                entry.obs.push_back(x);
            else
                emit(x.target, qname, x.obs);
        }
        if (entry.obs.empty())
            return;
        for (auto const & x : entry.obs)
            ++waiting_[x.target];
        auto [it, inserted] = pending_.emplace(std::string{qname}, std::move(entry));
        if (!inserted)
            throw input_error{path_, "read name " + std::string{qname} + " occurs more than twice"};
        it->second.in_index = by_mate_.emplace(std::pair{b->core.mtid, b->core.mpos}, &it->first);
    }

    void scan_contig(int32_t tid, std::vector<view> const & views, bam1_t * b)
    {
        int64_t beg = std::numeric_limits<int64_t>::max(), end = 0;
        for (auto const & v : views)
        {
            beg = std::min(beg, v.pos[0]);
            end = std::max(end, v.pos[2] + 1);
        }
        hts_ptr<hts_itr_t> itr{sam_itr_queryi(idx_.get(), tid, beg, end)};
        if (!itr)
            throw input_error{path_,
                              "cannot query " + std::string{sam_hdr_tid2name(hdr_.get(), tid)} + " in the index"};
        size_t next = 0; // views[next..] have not been passed
        int64_t last_pos = -1;
        std::vector<size_t> hits;
        std::vector<target_observation> obs;
        int r = 0;
        while ((r = sam_itr_next(fp_.get(), itr.get(), b)) >= 0)
        {
            int64_t const pos = b->core.pos;
            if (pos < last_pos)
                throw input_error{path_,
                                  "not sorted by coordinate (" + std::string{bam_get_qname(b)} + " at " +
                                      sam_hdr_tid2name(hdr_.get(), tid) + ":" + std::to_string(pos + 1) +
                                      " after position " + std::to_string(last_pos + 1) + ")"};
            if (pos > last_pos)
            {
                last_pos = pos;
                sweep(tid, pos);
                while (next < views.size() && views[next].pos[0] < pos)
                    pass(views[next++]);
            }
            if ((b->core.flag & opt_.exclude_flags) || b->core.l_qseq == 0) // no sequence stored ('*'): nothing to read
                continue;
            int64_t const read_end = bam_endpos(b);
            hits.clear();
            for (size_t j = next; j < views.size() && views[j].pos[0] < read_end; ++j)
                if (views[j].pos[2] < read_end)
                    hits.push_back(j);
            if (hits.empty())
                continue;
            extract(b, views, hits, obs);
            if (!obs.empty())
                handle(b, obs);
        }
        if (r < -1)
            throw input_error{path_,
                              "truncated or corrupt while reading " + std::string{sam_hdr_tid2name(hdr_.get(), tid)}};
        sweep(tid + 1, std::numeric_limits<int64_t>::min()); // mates expected on this contig did not come
        while (next < views.size())
            pass(views[next++]);
    }

    // One walk over the CIGAR fills the observation of every hit view that the read covers: all three codon bases
    // aligned (M, =, X) or deleted (D). A codon base under a soft clip or a reference skip (N) is not covered.
    void extract(bam1_t const * b,
                 std::vector<view> const & views,
                 std::vector<size_t> const & hits,
                 std::vector<target_observation> & out)
    {
        enum state : uint8_t
        {
            unset,
            base,
            deleted,
            skipped
        };
        want_.clear();
        for (uint32_t h = 0; h < hits.size(); ++h)
            for (uint8_t i = 0; i < 3; ++i)
                want_.push_back({views[hits[h]].pos[i], h, i});
        std::sort(want_.begin(),
                  want_.end(),
                  [](wanted const & x, wanted const & y)
                  {
                      return x.ref < y.ref;
                  });

        bool const low_mapq = b->core.qual < opt_.min_mapping_quality && b->core.qual != 255;
        bool const reverse_fragment =
            (b->core.flag & BAM_FPAIRED) && (b->core.flag & BAM_FREAD2) ? !bam_is_rev(b) : bam_is_rev(b);
        scratch_.assign(hits.size(), observation{});
        state_.assign(hits.size() * 3, unset);
        insertion_after_.clear(); // reference position of the base before each insertion

        uint32_t const * cigar = bam_get_cigar(b);
        uint32_t const n_cigar = b->core.n_cigar;
        uint8_t const * seq = bam_get_seq(b);
        uint8_t const * qual = bam_get_qual(b);
        bool const has_qual = qual[0] != 0xff;
        auto const aligned = [](int op)
        {
            return op == BAM_CMATCH || op == BAM_CEQUAL || op == BAM_CDIFF;
        };
        // Aligned part of the query (leading and trailing clips and insertions excluded), for the end distance.
        int64_t q_first = 0, q_last = b->core.l_qseq - 1;
        for (uint32_t k = 0; k < n_cigar && !aligned(bam_cigar_op(cigar[k])); ++k)
            if (bam_cigar_type(bam_cigar_op(cigar[k])) & 1)
                q_first += bam_cigar_oplen(cigar[k]);
        for (uint32_t k = n_cigar; k > 0 && !aligned(bam_cigar_op(cigar[k - 1])); --k)
            if (bam_cigar_type(bam_cigar_op(cigar[k - 1])) & 1)
                q_last -= bam_cigar_oplen(cigar[k - 1]);

        int64_t ref = b->core.pos, q = 0;
        size_t w = 0;
        for (uint32_t k = 0; k < n_cigar && w < want_.size(); ++k)
        {
            int const op = bam_cigar_op(cigar[k]);
            int64_t const len = bam_cigar_oplen(cigar[k]);
            int const type = bam_cigar_type(op); // bit 1: consumes the query, bit 2: consumes the reference
            if (op == BAM_CINS)
                insertion_after_.push_back(ref - 1);
            if (type & 2)
            {
                for (; w < want_.size() && want_[w].ref < ref + len; ++w)
                {
                    auto const & x = want_[w];
                    if (x.ref < ref)
                        continue; // cannot happen for views inside the read's span; kept for safety
                    auto & st = state_[x.hit * 3 + x.i];
                    if (op == BAM_CDEL)
                        st = deleted;
                    else if (op == BAM_CREF_SKIP)
                        st = skipped;
                    else
                    {
                        int64_t const qi = q + (x.ref - ref);
                        st = base;
                        auto & o = scratch_[x.hit];
                        char const c = seq_nt16_str[bam_seqi(seq, qi)];
                        o.bases[x.i] = code_to_char[std::min<uint8_t>(dna_table[static_cast<unsigned char>(c)], 4)];
                        bool const near_end = qi < q_first + opt_.end_distance || qi > q_last - opt_.end_distance;
                        o.quals[x.i] = has_qual && !near_end ? qual[qi] : 0;
                    }
                }
                ref += len;
            }
            if (type & 1)
                q += len;
        }
        out.clear();
        for (uint32_t h = 0; h < hits.size(); ++h)
        {
            auto const * st = &state_[h * 3];
            auto const & v = views[hits[h]];
            auto & o = scratch_[h];
            o.reverse_fragment = reverse_fragment;
            if (std::any_of(st,
                            st + 3,
                            [](uint8_t x)
                            {
                                return x == unset || x == skipped;
                            }))
                continue; // not covered by this read
            if (std::any_of(st,
                            st + 3,
                            [](uint8_t x)
                            {
                                return x == deleted;
                            }))
                o.kind = obs_kind::deletion;
            else if (std::any_of(insertion_after_.begin(),
                                 insertion_after_.end(),
                                 [&](int64_t a)
                                 {
                                     return (a == v.pos[0] && v.pos[1] == a + 1) ||
                                            (a == v.pos[1] && v.pos[2] == a + 1);
                                 }))
                o.kind = obs_kind::insertion;
            else
                o.kind = obs_kind::bases;
            if (low_mapq)
                o.kind = obs_kind::low_mapq;
            out.push_back({v.target, o});
        }
    }

    std::string path_;
    reference::panel const & panel_;
    std::vector<target> const & targets_;
    options const & opt_;
    std::vector<std::pair<uint32_t, int64_t>> canonical_; // (parent contig, 0-based start) per target
    hts_ptr<htsFile> fp_;
    hts_ptr<sam_hdr_t> hdr_;
    hts_ptr<hts_idx_t> idx_;
    reference_kind kind_ = reference_kind::panel;
    std::map<int32_t, std::vector<view>> views_by_tid_; // ascending tid = file order
    std::vector<std::vector<view>> target_views_;
    std::vector<uint32_t> views_per_target_;
    // run state
    molecule_fn const * on_molecule_ = nullptr;
    done_fn const * on_done_ = nullptr;
    pending_map pending_;
    mate_index by_mate_;
    std::vector<uint32_t> waiting_;   // per target: pending reads holding an observation of it
    std::vector<uint32_t> remaining_; // per target: views not passed yet
    std::vector<bool> done_;
    // scratch buffers of extract(), reused across reads
    struct wanted
    {
        int64_t ref;
        uint32_t hit;
        uint8_t i;
    };
    std::vector<wanted> want_;
    std::vector<observation> scratch_;
    std::vector<uint8_t> state_;
    std::vector<int64_t> insertion_after_;
    std::vector<bool> used_;
};

// Distinct targets and, for each input target, the index of its distinct copy.
std::pair<std::vector<target>, std::vector<uint32_t>> distinct(std::vector<target> const & targets)
{
    std::map<target, uint32_t> index;
    std::vector<target> unique;
    std::vector<uint32_t> map;
    for (auto const & t : targets)
    {
        auto [it, inserted] = index.emplace(t, static_cast<uint32_t>(unique.size()));
        if (inserted)
            unique.push_back(t);
        map.push_back(it->second);
    }
    return {unique, map};
}

// ---- exon table parsing ---------------------------------------------------------------------------------------------

int64_t parse_int64(std::string_view s, std::string const & origin, uint64_t line, std::string_view what)
{
    int64_t v = 0;
    auto const [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < 1)
        throw input_error{origin, line, "invalid " + std::string{what} + " '" + std::string{s} + "'"};
    return v;
}

// "chr9:130872860-130873037" (1-based inclusive) or "."; returns (chrom, start, end); chrom empty for ".".
std::tuple<std::string, int64_t, int64_t> parse_region(std::string_view s, std::string const & origin, uint64_t line)
{
    if (s == ".")
        return {"", 0, 0};
    auto const colon = s.rfind(':');
    auto const dash = s.rfind('-');
    if (colon == std::string_view::npos || dash == std::string_view::npos || dash < colon || colon == 0)
        throw input_error{origin, line, "invalid genomic region '" + std::string{s} + "' (expected chrN:start-end)"};
    int64_t const b = parse_int64(s.substr(colon + 1, dash - colon - 1), origin, line, "genomic start");
    int64_t const e = parse_int64(s.substr(dash + 1), origin, line, "genomic end");
    if (e < b)
        throw input_error{origin, line, "genomic region '" + std::string{s} + "' ends before it starts"};
    return {std::string{s.substr(0, colon)}, b, e};
}

} // namespace

// ---- public API -----------------------------------------------------------------------------------------------------

std::string_view to_string(reference_kind kind) noexcept
{
    switch (kind)
    {
    case reference_kind::panel:
        return "panel";
    case reference_kind::grch38:
        return "GRCh38";
    case reference_kind::hg19:
        return "hg19";
    }
    return "?";
}

codon_count const * codon_pileup::find(std::string_view codon) const noexcept
{
    for (auto const & c : codons)
        if (c.codon == codon)
            return &c;
    return nullptr;
}

uint64_t codon_pileup::molecules_with(std::vector<std::string> const & set) const
{
    uint64_t n = 0;
    for (auto const & c : codons)
        if (std::find(set.begin(), set.end(), c.codon) != set.end())
            n += c.molecules;
    return n;
}

reference_kind detect_reference(std::vector<std::pair<std::string, int64_t>> const & sequences,
                                reference::panel const & panel,
                                std::string const & origin)
{
    bool any_panel = false;
    std::optional<int64_t> chr9, chr22;
    for (auto const & [name, len] : sequences)
    {
        if (auto const id = panel.find(name))
        {
            auto const expected = static_cast<int64_t>(panel.contigs()[*id].seq.size());
            if (len != expected)
                throw input_error{origin,
                                  "@SQ " + name + " has length " + std::to_string(len) + " but the chemores panel's " +
                                      name + " has " + std::to_string(expected) +
                                      ": the file is aligned to a different version of this sequence"};
            any_panel = true;
        }
        auto const bare = strip_chr(name);
        if (bare == "9")
            chr9 = len;
        else if (bare == "22")
            chr22 = len;
    }
    if (any_panel)
        return reference_kind::panel;
    auto assembly_of = [](std::optional<int64_t> len, int64_t g38, int64_t g19) -> std::optional<reference_kind>
    {
        if (len == g38)
            return reference_kind::grch38;
        if (len == g19)
            return reference_kind::hg19;
        return std::nullopt;
    };
    auto const by9 = assembly_of(chr9, grch38_chr9, hg19_chr9);
    auto const by22 = assembly_of(chr22, grch38_chr22, hg19_chr22);
    if (by9 && by22 && *by9 != *by22)
        throw input_error{origin,
                          "@SQ chr9 is from " + std::string{to_string(*by9)} + " but chr22 is from " +
                              std::string{to_string(*by22)}};
    if (by9 && (by22 || !chr22))
        return *by9;
    if (by22 && !chr9)
        return *by22;
    std::string expected;
    for (auto const & c : panel.contigs())
        expected += (expected.empty() ? "" : ", ") + c.name;
    std::string seen;
    for (size_t i = 0; i < sequences.size() && i < 5; ++i)
        seen += (i ? ", " : "") + sequences[i].first + " (" + std::to_string(sequences[i].second) + " bp)";
    if (sequences.size() > 5)
        seen += ", ...";
    throw input_error{origin,
                      "unknown reference: the @SQ lines (" + (seen.empty() ? std::string{"none"} : seen) +
                          ") match neither the chemores panel (" + expected +
                          ") nor GRCh38/hg19 (chr9 or 9 of length " + std::to_string(grch38_chr9) + " or " +
                          std::to_string(hg19_chr9) + ", chr22 or 22 of length " + std::to_string(grch38_chr22) +
                          " or " + std::to_string(hg19_chr22) + ")"};
}

exon_table exon_table::from_file(std::string const & path)
{
    std::ifstream in{path, std::ios::binary};
    if (!in)
        throw input_error{path, "cannot open the exon table: " + std::string{std::strerror(errno)}};
    std::ostringstream ss;
    ss << in.rdbuf();
    return from_text(path, ss.str());
}

exon_table exon_table::from_text(std::string const & origin, std::string_view text)
{
    exon_table table;
    uint64_t line_no = 0;
    bool header = false;
    for (auto line : split(text, "\n"))
    {
        ++line_no;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty() || line[0] == '#')
            continue;
        auto const f = split(line, "\t");
        if (!header)
        {
            header = true;
            if (f.size() < 8 || f[0] != "contig" || f[2] != "start" || f[6] != "grch38" || f[7] != "hg19")
                throw input_error{origin,
                                  line_no,
                                  "not an exon table (expected the header contig exon start end cds_start cds_end "
                                  "grch38 hg19)"};
            continue;
        }
        if (f.size() < 8)
            throw input_error{origin, line_no, "expected 8 columns, found " + std::to_string(f.size())};
        exon x;
        x.contig = std::string{f[0]};
        x.number = static_cast<int>(parse_int64(f[1], origin, line_no, "exon number"));
        x.start = parse_int64(f[2], origin, line_no, "start");
        x.end = parse_int64(f[3], origin, line_no, "end");
        if (x.end < x.start)
            throw input_error{origin, line_no, "exon ends before it starts"};
        auto const [c38, b38, e38] = parse_region(f[6], origin, line_no);
        auto const [c19, b19, e19] = parse_region(f[7], origin, line_no);
        // Positions map linearly (+ strand) only if the genomic interval has the exon's length. Where it does not
        // (PTEN exon 1 in hg19: 1111 genomic bases for 1110 transcript bases) the exon is left unmapped for that
        // assembly rather than mapped with a shift somewhere inside it.
        if (!c38.empty() && e38 - b38 == x.end - x.start)
        {
            x.grch38_chrom = c38;
            x.grch38_start = b38;
        }
        if (!c19.empty() && e19 - b19 == x.end - x.start)
        {
            x.hg19_chrom = c19;
            x.hg19_start = b19;
        }
        table.exons_.push_back(std::move(x));
    }
    if (!header)
        throw input_error{origin, "empty exon table"};
    return table;
}

std::optional<std::pair<std::string, int64_t>>
exon_table::to_genome(std::string_view contig, int64_t pos, reference_kind assembly) const
{
    int64_t const one_based = pos + 1;
    for (auto const & x : exons_)
    {
        if (x.contig != contig || one_based < x.start || one_based > x.end)
            continue;
        auto const & chrom = assembly == reference_kind::hg19 ? x.hg19_chrom : x.grch38_chrom;
        int64_t const gstart = assembly == reference_kind::hg19 ? x.hg19_start : x.grch38_start;
        if (assembly == reference_kind::panel || chrom.empty())
            return std::nullopt;
        return std::pair{chrom, gstart + (one_based - x.start) - 1}; // back to 0-based
    }
    return std::nullopt;
}

std::vector<codon_pileup> pile_up(std::string const & path,
                                  reference::panel const & panel,
                                  std::vector<target> const & targets,
                                  options const & opt)
{
    auto const [unique, map] = distinct(targets);
    scanner scan{path, panel, unique, opt};

    // Per target: counts by codon, indexed 25 a + 5 b + c by the base codes (A, C, G, T, N = 0..4), allocated when
    // first seen; the quality histogram is indexed by quality.
    struct accumulator
    {
        uint64_t molecules = 0, forward = 0, reverse = 0;
        std::vector<uint64_t> by_quality;
    };
    std::vector<codon_pileup> result(unique.size());
    std::vector<std::array<std::unique_ptr<accumulator>, 125>> acc(unique.size());
    for (uint32_t t = 0; t < unique.size(); ++t)
    {
        result[t].where = unique[t];
        result[t].reference_codon = scan.reference_codon(t);
        result[t].located = scan.located(t);
    }
    auto const min_bq = static_cast<uint8_t>(opt.min_base_quality);
    scanner::molecule_fn const tally = [&](uint32_t t, std::string_view, observation const & o)
    {
        auto & r = result[t];
        switch (o.kind)
        {
        case obs_kind::low_mapq:
            ++r.low_mapq;
            return;
        case obs_kind::ambiguous:
            ++r.ambiguous;
            return;
        case obs_kind::deletion:
            ++r.deletions;
            return;
        case obs_kind::insertion:
            ++r.insertions;
            return;
        case obs_kind::bases:
            break;
        }
        uint8_t const q = *std::min_element(o.quals.begin(), o.quals.end());
        if (q < min_bq)
        {
            ++r.low_quality;
            return;
        }
        size_t slot = 0;
        for (char c : o.bases)
            slot = 5 * slot + dna_table[static_cast<unsigned char>(c)]; // bases are A, C, G, T or N here
        auto & a = acc[t][slot];
        if (!a)
            a = std::make_unique<accumulator>();
        ++a->molecules;
        ++(o.reverse_fragment ? a->reverse : a->forward);
        if (a->by_quality.size() <= q)
            a->by_quality.resize(size_t{q} + 1);
        ++a->by_quality[q];
        ++r.depth;
    };
    scan.run(tally, [](uint32_t) {});

    for (uint32_t t = 0; t < unique.size(); ++t)
    {
        auto & codons = result[t].codons;
        for (size_t slot = 0; slot < 125; ++slot)
        {
            auto const & a = acc[t][slot];
            if (!a)
                continue;
            codon_count c;
            c.codon = {code_to_char[slot / 25], code_to_char[slot / 5 % 5], code_to_char[slot % 5]};
            c.molecules = a->molecules;
            c.forward = a->forward;
            c.reverse = a->reverse;
            for (size_t q = 0; q < a->by_quality.size(); ++q)
                if (a->by_quality[q])
                    c.min_quality.emplace(static_cast<uint8_t>(q), a->by_quality[q]);
            codons.push_back(std::move(c));
        }
        std::sort(codons.begin(),
                  codons.end(),
                  [](codon_count const & a, codon_count const & b)
                  {
                      return a.molecules != b.molecules ? a.molecules > b.molecules : a.codon < b.codon;
                  });
    }
    std::vector<codon_pileup> out;
    out.reserve(targets.size());
    for (uint32_t i : map)
        out.push_back(result[i]);
    return out;
}

bool spans_junction(bam1_t const * b, int64_t junction, int anchor)
{
    int64_t pos = b->core.pos;
    uint32_t const * cig = bam_get_cigar(b);
    int64_t block_start = -1;
    for (uint32_t i = 0; i < b->core.n_cigar; ++i)
    {
        int const op = bam_cigar_op(cig[i]);
        int64_t const len = bam_cigar_oplen(cig[i]);
        if (op == BAM_CMATCH || op == BAM_CEQUAL || op == BAM_CDIFF)
        {
            if (block_start < 0)
                block_start = pos;
            pos += len;
            if (block_start <= junction - anchor && pos >= junction + anchor)
                return true;
        }
        else if (op == BAM_CDEL || op == BAM_CREF_SKIP)
        {
            pos += len;
            block_start = -1;
        }
        else if (op == BAM_CINS)
            block_start = -1;
    }
    return false;
}

std::vector<link_counts> linked_codons(std::string const & path,
                                       reference::panel const & panel,
                                       std::vector<link_query> const & queries,
                                       options const & opt)
{
    std::vector<target> all;
    for (auto const & q : queries)
    {
        if (q.first.codon == q.second.codon)
            throw config_error{"linked codons: " + q.first.codon.contig + ":" + std::to_string(q.first.codon.start) +
                               " is linked to itself"};
        all.push_back(q.first.codon);
        all.push_back(q.second.codon);
    }
    // Named members, not a structured binding: clang 14 cannot capture structured bindings in the lambdas below.
    auto const distinct_targets = distinct(all);
    auto const & unique = distinct_targets.first;
    auto const & map = distinct_targets.second;
    scanner scan{path, panel, unique, opt};

    // Per distinct target, every molecule with a passing codon there, as one 64-bit word: the top 57 bits of a hash of
    // the molecule's name and, in the low 7 bits, its codon (25 a + 5 b + c over A, C, G, T, N). Once per target, not
    // per query, and 8 bytes per molecule: memory is 8 * molecules * targets whatever the number of pairs tested. After
    // the scan each target's words are sorted by name hash, and each query is a merge join of its two targets.
    // Two names sharing 57 hash bits (probability ~ m^2 / 2^58 for m molecules: 4e-6 at a million) would join two
    // molecules into one, an error of one molecule at most.
    constexpr uint64_t codon_bits = 7, codon_mask = (uint64_t{1} << codon_bits) - 1;
    std::vector<std::vector<uint64_t>> seen(unique.size());
    auto const min_bq = static_cast<uint8_t>(opt.min_base_quality);
    scanner::molecule_fn const on_molecule = [&](uint32_t t, std::string_view qname, observation const & o)
    {
        if (o.kind != obs_kind::bases || *std::min_element(o.quals.begin(), o.quals.end()) < min_bq)
            return; // no passing codon here: the molecule cannot inform the linkage
        uint64_t code = 0;
        for (char c : o.bases)
            code = 5 * code + dna_table[static_cast<unsigned char>(c)]; // A, C, G, T or N here
        uint64_t const h = static_cast<uint64_t>(std::hash<std::string_view>{}(qname));
        seen[t].push_back((h & ~codon_mask) | code);
    };
    scan.run(on_molecule, [](uint32_t) {});

    // Sort by name hash; a molecule reported twice at one target (mates that could not be merged) keeps its first
    // report (stable sort, then the first of equal hashes).
    for (auto & v : seen)
    {
        std::stable_sort(v.begin(),
                         v.end(),
                         [](uint64_t a, uint64_t b)
                         {
                             return (a & ~codon_mask) < (b & ~codon_mask);
                         });
        v.erase(std::unique(v.begin(),
                            v.end(),
                            [](uint64_t a, uint64_t b)
                            {
                                return (a & ~codon_mask) == (b & ~codon_mask);
                            }),
                v.end());
    }
    auto const alt_codes = [](std::vector<std::string> const & alts)
    {
        std::array<bool, 125> is_alt{};
        for (auto const & a : alts)
        {
            if (a.size() != 3)
                continue;
            uint64_t code = 0;
            for (char c : a)
                code = 5 * code + std::min<uint8_t>(dna_table[static_cast<unsigned char>(c)], 4);
            is_alt[code] = true;
        }
        return is_alt;
    };
    std::vector<link_counts> counts(queries.size());
    for (size_t q = 0; q < queries.size(); ++q)
    {
        auto const first_alt = alt_codes(queries[q].first.alt_codons);
        auto const second_alt = alt_codes(queries[q].second.alt_codons);
        auto const & a = seen[map[2 * q]];
        auto const & b = seen[map[2 * q + 1]];
        auto & c = counts[q];
        for (size_t i = 0, j = 0; i < a.size() && j < b.size();)
        {
            uint64_t const ha = a[i] & ~codon_mask, hb = b[j] & ~codon_mask;
            if (ha < hb)
                ++i;
            else if (hb < ha)
                ++j;
            else
            {
                bool const x = first_alt[a[i] & codon_mask], y = second_alt[b[j] & codon_mask];
                ++(x ? (y ? c.both : c.first_only) : (y ? c.second_only : c.neither));
                ++i;
                ++j;
            }
        }
    }
    return counts;
}

} // namespace chemores::pileup
