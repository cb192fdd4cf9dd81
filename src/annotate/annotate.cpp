// chemores::annotate: stream a BAM/CRAM/SAM record by record, tag reads showing catalogued mutations or spanning a
// fusion junction, write every record to a BAM (indexed on the fly when sorted). See annotate.hpp for the rules.

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chemores/annotate/annotate.hpp>
#include <chemores/core/atomic_output.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/core/version.hpp>
#include <chrono>
#include <cstring>
#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/sam.h>
#include <htslib/thread_pool.h>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace chemores::annotate
{

namespace
{

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
    void operator()(bam1_t * b) const noexcept
    {
        bam_destroy1(b);
    }
};
template <typename T>
using hts_ptr = std::unique_ptr<T, hts_closer>;

std::string_view strip_chr(std::string_view s) noexcept
{
    return s.starts_with("chr") ? s.substr(3) : s;
}

bool valid_tag(std::string const & t)
{
    auto const alpha = [](char c)
    {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    };
    auto const alnum = [&](char c)
    {
        return alpha(c) || (c >= '0' && c <= '9');
    };
    return t.size() == 2 && alpha(t[0]) && alnum(t[1]);
}

// A codon of one or more catalogue entries, on one contig of the input file.
struct site
{
    std::array<int64_t, 3> pos{};  // 0-based reference positions of the codon's three bases (ascending)
    std::vector<uint32_t> entries; // catalogue indices, ascending
};

// A fusion junction on one contig of the input file.
struct junction
{
    int64_t first_3prime = -1; // 0-based first base of the 3' partner (= 1-based junction_after)
    std::string type;          // "e13a2"
};

std::string fusion_type_of(std::string const & contig)
{
    auto const u = contig.rfind('_');
    return u == std::string::npos ? contig : contig.substr(u + 1);
}

std::string format_name(htsFile const * fp)
{
    switch (hts_get_format(const_cast<htsFile *>(fp))->format)
    {
    case bam:
        return "BAM";
    case cram:
        return "CRAM";
    case sam:
        return "SAM";
    default:
        return {};
    }
}

std::string one_line(std::string s)
{
    for (char & c : s)
        if (c == '\t' || c == '\n' || c == '\r')
            c = ' ';
    return s;
}

} // namespace

// ---- thread pool ----------------------------------------------------------------------------------------------------

struct thread_pool::impl
{
    htsThreadPool pool{nullptr, 0};
};

thread_pool::thread_pool(int threads) : impl_{std::make_unique<impl>()}
{
    if (threads > 1)
    {
        impl_->pool.pool = hts_tpool_init(threads);
        if (!impl_->pool.pool)
            throw output_error{"cannot start the htslib thread pool (" + std::to_string(threads) + " threads)"};
    }
}

thread_pool::~thread_pool()
{
    if (impl_->pool.pool)
        hts_tpool_destroy(impl_->pool.pool);
}

void * thread_pool::handle() const noexcept
{
    return impl_->pool.pool ? &impl_->pool : nullptr;
}

// ---- annotator ------------------------------------------------------------------------------------------------------

struct annotator::impl
{
    reference::panel const & panel;
    catalogue::catalogue const & cat;
    options opt;
    std::vector<std::string> labels;
    std::vector<std::vector<std::array<char, 3>>> alts;  // per entry: its alternative codons
    std::vector<std::pair<uint32_t, int64_t>> canonical; // per entry: (parent contig, 0-based codon start)
    std::vector<bool> on_panel;                          // per entry: transcript is a panel contig
    pileup::exon_table exons;

    impl(reference::panel const & p, catalogue::catalogue const & c, options o) : panel{p}, cat{c}, opt{std::move(o)}
    {
        if (!valid_tag(opt.mutation_tag))
            throw config_error{"--tag '" + opt.mutation_tag +
                               "' is not a SAM tag name (two characters: a letter, then "
                               "a letter or digit)"};
        if (!valid_tag(opt.junction_tag))
            throw config_error{"--junction-tag '" + opt.junction_tag +
                               "' is not a SAM tag name (two characters: a letter, then a letter or digit)"};
        if (opt.mutation_tag == opt.junction_tag)
            throw config_error{"--tag and --junction-tag must differ (both are " + opt.mutation_tag + ")"};
        if (opt.min_base_quality < 0 || opt.min_base_quality > 93)
            throw config_error{"--min-BQ must be in 0..93"};
        if (opt.min_mapping_quality < 0 || opt.min_mapping_quality > 255)
            throw config_error{"--min-MQ must be in 0..255"};
        if (opt.junction_anchor < 1)
            throw config_error{"--junction-anchor must be at least 1"};
        if (opt.min_junction_reads < 1)
            throw config_error{"--min-junction-reads must be at least 1"};
        exons = opt.exons_path.empty() ? pileup::exon_table::from_text("builtin:panel/exons.tsv",
                                                                       reference::bundled_file("panel/exons.tsv"))
                                       : pileup::exon_table::from_file(opt.exons_path);
        for (auto const & m : cat.mutations())
        {
            labels.push_back(m.gene + ":p." + m.name);
            std::vector<std::array<char, 3>> a;
            for (auto const & c : m.alt_codons())
                if (c.size() == 3)
                    a.push_back({static_cast<char>(std::toupper(static_cast<unsigned char>(c[0]))),
                                 static_cast<char>(std::toupper(static_cast<unsigned char>(c[1]))),
                                 static_cast<char>(std::toupper(static_cast<unsigned char>(c[2])))});
            alts.push_back(std::move(a));
            auto const id = panel.find(m.transcript);
            on_panel.push_back(id.has_value());
            if (!id)
            {
                canonical.emplace_back(0, 0);
                continue;
            }
            // A codon inside an alias segment is moved to the segment's parent (as pileup::pile_up does).
            int64_t const start = m.transcript_offset();
            auto const a0 = panel.project(*id, static_cast<uint32_t>(start));
            auto const a2 = panel.project(*id, static_cast<uint32_t>(start + 2));
            if (a0 && a2 && a0->first == a2->first && a2->second == a0->second + 2)
                canonical.emplace_back(a0->first, a0->second);
            else
                canonical.emplace_back(*id, start);
        }
    }

    // Where the entries' codons are in a file with this header: sites per tid (sorted by first base).
    std::vector<std::vector<site>> locate(sam_hdr_t * h, pileup::reference_kind kind, size_t & entries_located) const
    {
        int const nref = sam_hdr_nref(h);
        std::vector<std::map<std::array<int64_t, 3>, std::vector<uint32_t>>> by_tid(static_cast<size_t>(nref));
        std::vector<bool> located(cat.mutations().size(), false);
        auto add = [&](int32_t tid, std::array<int64_t, 3> const & pos, uint32_t e)
        {
            if (tid < 0 || pos[2] >= static_cast<int64_t>(sam_hdr_tid2len(h, tid)))
                return;
            auto & v = by_tid[static_cast<size_t>(tid)][pos];
            if (v.empty() || v.back() != e)
                v.push_back(e);
            located[e] = true;
        };
        for (uint32_t e = 0; e < cat.mutations().size(); ++e)
        {
            if (!on_panel[e])
                continue;
            auto const [parent, start] = canonical[e];
            auto const & name = panel.contigs()[parent].name;
            if (kind == pileup::reference_kind::panel)
            {
                add(sam_hdr_name2tid(h, name.c_str()), {start, start + 1, start + 2}, e);
                for (auto const & s : panel.segments())
                {
                    int64_t const from = s.parent_start, to = s.parent_start + (s.end - s.start);
                    if (s.parent != parent || start < from || start + 3 > to)
                        continue;
                    int64_t const p = s.start + (start - from);
                    add(sam_hdr_name2tid(h, panel.contigs()[s.contig].name.c_str()), {p, p + 1, p + 2}, e);
                }
            }
            else
            {
                std::array<int64_t, 3> pos{};
                std::string chrom;
                bool ok = true;
                for (size_t i = 0; i < 3 && ok; ++i)
                {
                    auto const g = exons.to_genome(name, start + static_cast<int64_t>(i), kind);
                    ok = g && (i == 0 || (g->first == chrom && g->second > pos[i - 1]));
                    if (ok)
                    {
                        chrom = g->first;
                        pos[i] = g->second;
                    }
                }
                if (!ok)
                    continue;
                int32_t tid = sam_hdr_name2tid(h, chrom.c_str());
                if (tid < 0)
                    tid = sam_hdr_name2tid(h, std::string{strip_chr(chrom)}.c_str());
                if (tid < 0)
                    tid = sam_hdr_name2tid(h, ("chr" + std::string{strip_chr(chrom)}).c_str());
                add(tid, pos, e);
            }
        }
        entries_located = static_cast<size_t>(std::count(located.begin(), located.end(), true));
        std::vector<std::vector<site>> out(static_cast<size_t>(nref));
        for (size_t t = 0; t < by_tid.size(); ++t)
            for (auto & [pos, entries] : by_tid[t]) // std::map: ascending by first base
            {
                std::sort(entries.begin(), entries.end());
                entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
                out[t].push_back(site{pos, std::move(entries)});
            }
        return out;
    }

    // Fusion junctions per tid (panel input only).
    std::vector<junction> junctions(sam_hdr_t * h, pileup::reference_kind kind) const
    {
        std::vector<junction> out(static_cast<size_t>(sam_hdr_nref(h)));
        if (kind != pileup::reference_kind::panel)
            return out;
        for (auto const & c : panel.contigs())
        {
            if (c.kind != "fusion" || c.junction_after <= 0)
                continue;
            int const tid = sam_hdr_name2tid(h, c.name.c_str());
            if (tid >= 0)
                out[static_cast<size_t>(tid)] = junction{c.junction_after, fusion_type_of(c.name)};
        }
        return out;
    }

    struct opened
    {
        hts_ptr<htsFile> fp;
        hts_ptr<sam_hdr_t> hdr;
        input_info info;
    };

    opened open(std::string const & path, htsThreadPool * pool) const
    {
        opened o;
        o.info.path = path;
        errno = 0;
        o.fp.reset(hts_open(path.c_str(), "r"));
        if (!o.fp)
        {
            if (errno == ENOEXEC) // htslib's "unknown format", which strerror words as "Exec format error"
                throw input_error{path, "not a SAM/BAM/CRAM file (htslib does not recognise the format)"};
            throw input_error{path, std::string{"cannot open: "} + (errno ? std::strerror(errno) : "unknown format")};
        }
        htsFormat const * f = hts_get_format(o.fp.get());
        o.info.format = format_name(o.fp.get());
        if (f->category != sequence_data || o.info.format.empty())
        {
            char * d = hts_format_description(f);
            std::string const desc = d ? d : "unknown";
            free(d);
            throw input_error{path, "not a SAM/BAM/CRAM file (htslib sees " + desc + ")"};
        }
        if (f->format == bam && bgzf_check_EOF(o.fp->fp.bgzf) == 0)
            throw input_error{path, "truncated: the BGZF end-of-file marker is missing"};
        if (f->format == cram && !opt.reference_path.empty() &&
            hts_set_fai_filename(o.fp.get(), opt.reference_path.c_str()) != 0)
            throw input_error{opt.reference_path, "cannot use as the CRAM reference"};
        o.hdr.reset(sam_hdr_read(o.fp.get()));
        if (!o.hdr)
            throw input_error{path, "not a SAM/BAM/CRAM file, or its header is damaged"};
        // The pool is attached only after the header is read: bam_hdr_read() asks the BGZF reader thread whether the
        // file has an EOF block, and htslib (1.16) waits for that answer forever if the reader thread has already
        // stopped at a damaged block. SAM text is read on this thread.
        if (pool && (f->format == bam || f->format == cram) && hts_set_thread_pool(o.fp.get(), pool) != 0)
            throw input_error{path, "cannot attach the thread pool"};
        sam_hdr_t * h = o.hdr.get();
        std::vector<std::pair<std::string, int64_t>> sq;
        for (int i = 0; i < sam_hdr_nref(h); ++i)
            sq.emplace_back(sam_hdr_tid2name(h, i), static_cast<int64_t>(sam_hdr_tid2len(h, i)));
        o.info.reference = pileup::detect_reference(sq, panel, path);
        kstring_t ks{0, 0, nullptr};
        if (sam_hdr_find_tag_hd(h, "SO", &ks) == 0)
            o.info.coordinate_sorted = std::string_view{ks.s, ks.l} == "coordinate";
        std::set<std::string> samples;
        int const n_rg = sam_hdr_count_lines(h, "RG");
        for (int i = 0; i < n_rg; ++i)
        {
            ks.l = 0;
            if (sam_hdr_find_tag_pos(h, "RG", i, "SM", &ks) == 0)
                samples.insert(std::string{ks.s, ks.l});
        }
        free(ks.s);
        if (samples.size() == 1)
            o.info.sample = *samples.begin();
        locate(h, o.info.reference, o.info.entries_located);
        for (auto const & j : junctions(h, o.info.reference))
            o.info.junctions_assessable = o.info.junctions_assessable || j.first_3prime > 0;
        return o;
    }

    void
    annotate_file(std::string const & path, std::string const & output, htsThreadPool * pool, file_result & res) const;
};

namespace
{

// Per-file scratch state for tagging one record at a time.
struct tagger
{
    std::vector<std::vector<site>> const & sites;
    std::vector<junction> const & junctions;
    std::vector<std::vector<std::array<char, 3>>> const & alts;
    options const & opt;

    struct want
    {
        int64_t ref;
        uint32_t hit;
        uint8_t i;
    };
    std::vector<site const *> hits;
    std::vector<want> wants;
    std::vector<int64_t> qi;        // per hit * 3: query index, -1 unset, -2 deleted/skipped
    std::vector<int64_t> ins_after; // reference position of the base before each insertion
    std::vector<uint32_t> found;    // catalogue indices found on this read
    std::string value;

    // Fills `found` (sorted, unique) for this record; returns the junction type or nullptr.
    std::string const * inspect(bam1_t const * b)
    {
        found.clear();
        if ((b->core.flag & BAM_FUNMAP) || b->core.tid < 0 || b->core.n_cigar == 0 || b->core.l_qseq == 0)
            return nullptr; // unmapped, or no sequence stored ('*'): nothing to judge
        if (b->core.qual < opt.min_mapping_quality && b->core.qual != 255)
            return nullptr;
        auto const tid = static_cast<size_t>(b->core.tid);
        std::string const * jtype = nullptr;
        if (tid < junctions.size() && junctions[tid].first_3prime > 0 &&
            pileup::spans_junction(b, junctions[tid].first_3prime, opt.junction_anchor))
            jtype = &junctions[tid].type;
        if (tid >= sites.size() || sites[tid].empty())
            return jtype;
        int64_t const beg = b->core.pos, end = bam_endpos(b);
        auto const & v = sites[tid];
        auto it = std::lower_bound(v.begin(),
                                   v.end(),
                                   beg,
                                   [](site const & s, int64_t p)
                                   {
                                       return s.pos[0] < p;
                                   });
        hits.clear();
        for (; it != v.end() && it->pos[0] < end; ++it)
            if (it->pos[2] < end)
                hits.push_back(&*it);
        if (hits.empty())
            return jtype;
        wants.clear();
        for (uint32_t h = 0; h < hits.size(); ++h)
            for (uint8_t i = 0; i < 3; ++i)
                wants.push_back({hits[h]->pos[i], h, i});
        std::sort(wants.begin(),
                  wants.end(),
                  [](want const & x, want const & y)
                  {
                      return x.ref < y.ref;
                  });
        qi.assign(hits.size() * 3, -1);
        ins_after.clear();
        uint32_t const * cigar = bam_get_cigar(b);
        int64_t ref = b->core.pos, q = 0;
        size_t w = 0;
        for (uint32_t k = 0; k < b->core.n_cigar && w < wants.size(); ++k)
        {
            int const op = bam_cigar_op(cigar[k]);
            int64_t const len = bam_cigar_oplen(cigar[k]);
            int const type = bam_cigar_type(op); // bit 1: consumes the query, bit 2: consumes the reference
            if (op == BAM_CINS)
                ins_after.push_back(ref - 1);
            if (type & 2)
            {
                bool const aligned = op == BAM_CMATCH || op == BAM_CEQUAL || op == BAM_CDIFF;
                for (; w < wants.size() && wants[w].ref < ref + len; ++w)
                {
                    auto const & x = wants[w];
                    if (x.ref < ref)
                        continue;
                    qi[x.hit * 3 + x.i] = aligned ? q + (x.ref - ref) : -2;
                }
                ref += len;
            }
            if (type & 1)
                q += len;
        }
        uint8_t const * seq = bam_get_seq(b);
        uint8_t const * qual = bam_get_qual(b);
        bool const has_qual = qual[0] != 0xff;
        for (uint32_t h = 0; h < hits.size(); ++h)
        {
            int64_t const * p = &qi[h * 3];
            if (p[0] < 0 || p[1] < 0 || p[2] < 0)
                continue; // not covered, or a base deleted / skipped
            auto const & s = *hits[h];
            bool inserted = false;
            for (int64_t a : ins_after)
                inserted = inserted || (a == s.pos[0] && s.pos[1] == a + 1) || (a == s.pos[1] && s.pos[2] == a + 1);
            if (inserted)
                continue;
            std::array<char, 3> codon{};
            bool good = true;
            for (int i = 0; i < 3 && good; ++i)
            {
                int const qv = has_qual ? qual[p[i]] : 0;
                good = qv >= opt.min_base_quality;
                char const c = seq_nt16_str[bam_seqi(seq, p[i])];
                codon[static_cast<size_t>(i)] = (c == 'A' || c == 'C' || c == 'G' || c == 'T') ? c : 'N';
            }
            if (!good)
                continue;
            for (uint32_t e : s.entries)
                if (std::find(alts[e].begin(), alts[e].end(), codon) != alts[e].end())
                    found.push_back(e);
        }
        std::sort(found.begin(), found.end());
        found.erase(std::unique(found.begin(), found.end()), found.end());
        return jtype;
    }

    // Set (value non-empty) or remove the tag; true if the record had a tag of that name before.
    static bool set_tag(bam1_t * b, char const * tag, std::string const & v, std::string const & path, uint64_t n)
    {
        uint8_t * old = bam_aux_get(b, tag);
        bool const had = old != nullptr;
        if (old && (v.empty() || *old != 'Z'))
        {
            if (bam_aux_del(b, old) != 0)
                throw input_error{
                    path, "record", n, "damaged aux data (cannot remove the existing " + std::string{tag} + " tag)"};
        }
        if (!v.empty() && bam_aux_update_str(b, tag, static_cast<int>(v.size()), v.c_str()) != 0)
            throw input_error{path, "record", n, "cannot add the " + std::string{tag} + " tag (damaged aux data?)"};
        return had;
    }
};

} // namespace

void annotator::impl::annotate_file(std::string const & path,
                                    std::string const & output,
                                    htsThreadPool * pool,
                                    file_result & res) const
{
    // Declared first, destroyed last: every handle below is closed before the temporary files are removed.
    atomic_outputs outputs;
    auto in = open(path, pool);
    sam_hdr_t * h = in.hdr.get();
    res.reference = std::string{pileup::to_string(in.info.reference)};
    if (!in.info.sample.empty())
        res.sample = in.info.sample;
    auto const sites = locate(h, in.info.reference, res.entries_located);
    auto const junctions = this->junctions(h, in.info.reference);
    bool const assessable = in.info.junctions_assessable;
    for (auto const & c : panel.contigs())
        if (c.kind == "fusion" && c.junction_after > 0)
            res.junction_reads_by_type[fusion_type_of(c.name)] = 0;
    res.mutation_reads.assign(cat.mutations().size(), 0);

    // Output header: the input's, plus @PG.
    hts_ptr<sam_hdr_t> oh{sam_hdr_dup(h)};
    if (!oh)
        throw output_error{output + ": cannot copy the header of " + path};
    if (opt.add_pg)
    {
        std::string const version{version_string()};
        int const r = opt.command_line.empty() ? sam_hdr_add_pg(oh.get(),
                                                                "chemores-annotate",
                                                                "PN",
                                                                "chemores",
                                                                "VN",
                                                                version.c_str(),
                                                                static_cast<char *>(nullptr))
                                               : sam_hdr_add_pg(oh.get(),
                                                                "chemores-annotate",
                                                                "PN",
                                                                "chemores",
                                                                "VN",
                                                                version.c_str(),
                                                                "CL",
                                                                opt.command_line.c_str(),
                                                                static_cast<char *>(nullptr));
        if (r != 0)
            throw input_error{path, "cannot add the @PG line to its header (damaged @PG lines?)"};
    }
    bool const index = opt.write_index && in.info.coordinate_sorted;
    int min_shift = 0;
    for (int i = 0; i < sam_hdr_nref(h); ++i)
        if (sam_hdr_tid2len(h, i) > (int64_t{1} << 29) - 1)
            min_shift = 14;
    std::string const tmp = outputs.add(output);
    std::string const index_final = index ? output + (min_shift ? ".csi" : ".bai") : std::string{};
    std::string const tmp_index = index ? outputs.add(index_final) : std::string{};

    errno = 0;
    hts_ptr<htsFile> out{hts_open(tmp.c_str(), "wb")};
    if (!out)
        throw output_error{output + ": cannot create: " + (errno ? std::strerror(errno) : "unknown error")};
    if (pool && hts_set_thread_pool(out.get(), pool) != 0)
        throw output_error{output + ": cannot attach the thread pool"};
    if (sam_hdr_write(out.get(), oh.get()) != 0)
        throw output_error{output + ": cannot write the header: " + std::strerror(errno)};
    if (index && sam_idx_init(out.get(), oh.get(), min_shift, tmp_index.c_str()) != 0)
        throw output_error{index_final + ": cannot start the index"};

    tagger t{sites, junctions, alts, opt, {}, {}, {}, {}, {}, {}};
    char const * const mtag = opt.mutation_tag.c_str();
    char const * const jtag = opt.junction_tag.c_str();
    hts_ptr<bam1_t> b{bam_init1()};
    int32_t last_tid = 0;
    int64_t last_pos = -1;
    bool seen_unplaced = false;
    std::string jvalue;
    int r = 0;
    while ((r = sam_read1(in.fp.get(), h, b.get())) >= 0)
    {
        uint64_t const n = ++res.records;
        if (index)
        {
            // htslib would refuse an unsorted record when indexing; say which and why.
            int32_t const tid = b->core.tid;
            int64_t const pos = b->core.pos;
            bool bad = false;
            if (tid < 0)
                seen_unplaced = true;
            else
            {
                bad = seen_unplaced || tid < last_tid || (tid == last_tid && pos < last_pos);
                last_tid = tid;
                last_pos = pos;
            }
            if (bad)
                throw input_error{path,
                                  "record",
                                  n,
                                  std::string{bam_get_qname(b.get())} + " at " + sam_hdr_tid2name(h, tid) + ":" +
                                      std::to_string(pos + 1) +
                                      " is out of order: not sorted by coordinate although the header says "
                                      "@HD SO:coordinate"};
        }
        std::string const * jtype = t.inspect(b.get());
        t.value.clear();
        for (uint32_t e : t.found)
        {
            if (!t.value.empty())
                t.value += ',';
            t.value += labels[e];
        }
        jvalue = jtype ? *jtype : std::string{};
        bool const replaced_m = tagger::set_tag(b.get(), mtag, t.value, path, n);
        bool const replaced_j = tagger::set_tag(b.get(), jtag, jvalue, path, n);
        if (replaced_m || replaced_j)
            ++res.replaced_tags;
        if (!(b->core.flag & (BAM_FSECONDARY | BAM_FSUPPLEMENTARY)))
        {
            ++res.reads;
            if (!t.found.empty())
                ++res.reads_with_mutation;
            for (uint32_t e : t.found)
                ++res.mutation_reads[e];
            if (jtype)
            {
                ++res.junction_reads;
                ++res.junction_reads_by_type[*jtype];
            }
        }
        if (sam_write1(out.get(), oh.get(), b.get()) < 0)
            throw output_error{output + ": write failed at record " + std::to_string(n) + ": " +
                               (errno ? std::strerror(errno) : "unknown error")};
    }
    if (r < -1)
        throw input_error{path,
                          "truncated or corrupt after record " + std::to_string(res.records) + " (htslib error " +
                              std::to_string(r) + ")"};
    // With a thread pool, htslib may report a damaged block as the end of the file and only flag the error on the
    // stream: check it, and the close, before anything is committed.
    bool const read_error = in.fp->is_bgzf && in.fp->fp.bgzf && in.fp->fp.bgzf->errcode != 0;
    if (hts_close(in.fp.release()) != 0 || read_error)
        throw input_error{path,
                          "truncated or corrupt after record " + std::to_string(res.records) +
                              " (read error reported by htslib)"};
    if (index && sam_idx_save(out.get()) != 0)
        throw output_error{index_final + ": cannot write the index"};
    int const rc = hts_close(out.release());
    if (rc != 0)
        throw output_error{output + ": close failed (disk full?)"};

    if (!assessable)
        res.fusion_type = "not assessable";
    else
    {
        for (auto const & [type, count] : res.junction_reads_by_type)
            if (count >= opt.min_junction_reads)
                res.fusion_type += (res.fusion_type.empty() ? "" : "+") + type;
        if (res.fusion_type.empty())
            res.fusion_type = "none found";
    }
    outputs.commit();
    res.index = index_final;
    res.ok = true;
}

annotator::annotator(reference::panel const & panel, catalogue::catalogue const & cat, options opt) :
    impl_{std::make_unique<impl>(panel, cat, std::move(opt))}
{
}

annotator::~annotator() = default;

input_info annotator::inspect(std::string const & path) const
{
    return impl_->open(path, nullptr).info;
}

file_result annotator::run(std::string const & input, std::string const & output, void * pool) const
{
    file_result res;
    res.input = input;
    res.output = output;
    auto const t0 = std::chrono::steady_clock::now();
    try
    {
        impl_->annotate_file(input, output, static_cast<htsThreadPool *>(pool), res);
    }
    catch (std::exception const & e)
    {
        auto const keep_sample = res.sample;
        auto const keep_reference = res.reference;
        res = file_result{};
        res.input = input;
        res.output = output;
        res.sample = keep_sample;
        res.reference = keep_reference;
        res.error = e.what();
    }
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
}

std::vector<std::string> const & annotator::labels() const noexcept
{
    return impl_->labels;
}

options const & annotator::opts() const noexcept
{
    return impl_->opt;
}

// ---- batch ----------------------------------------------------------------------------------------------------------

std::vector<file_result> run_batch(annotator const & a,
                                   std::vector<batch_item> const & items,
                                   int jobs,
                                   int threads,
                                   std::function<void(size_t, file_result const &)> const & on_done)
{
    if (jobs < 1)
        throw config_error{"--jobs must be at least 1"};
    thread_pool pool{threads};
    std::vector<file_result> results(items.size());
    std::atomic<size_t> next{0};
    std::mutex report;
    auto worker = [&]
    {
        for (size_t i; (i = next++) < items.size();)
        {
            results[i] = a.run(items[i].input, items[i].output, pool.handle());
            if (results[i].sample.empty())
                results[i].sample = items[i].default_sample;
            if (on_done)
            {
                std::lock_guard lock{report};
                on_done(i, results[i]);
            }
        }
    };
    {
        std::vector<std::jthread> workers;
        size_t const n = std::min<size_t>(static_cast<size_t>(jobs), items.size());
        for (size_t k = 1; k < n; ++k)
            workers.emplace_back(worker);
        worker();
    }
    return results;
}

std::string render_summary(std::vector<file_result> const & results, std::vector<std::string> const & labels)
{
    std::ostringstream os;
    os << "input\toutput\tindex\tsample\tstatus\terror\treference\tentries_located\trecords\treads\treads_with_"
          "mutation\t"
          "mutations\tjunction_reads\tjunction_reads_by_type\tfusion_type\treplaced_tags\n";
    auto or_dot = [](std::string const & s)
    {
        return s.empty() ? std::string{"."} : one_line(s);
    };
    for (auto const & r : results)
    {
        os << one_line(r.input) << '\t' << (r.ok ? one_line(r.output) : std::string{"."}) << '\t'
           << (r.ok ? or_dot(r.index) : std::string{"."}) << '\t' << or_dot(r.sample) << '\t'
           << (r.ok ? "ok" : "failed") << '\t' << or_dot(r.error) << '\t' << or_dot(r.reference) << '\t';
        if (!r.ok)
        {
            os << "NA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\n";
            continue;
        }
        std::string muts;
        for (size_t e = 0; e < r.mutation_reads.size() && e < labels.size(); ++e)
            if (r.mutation_reads[e] > 0)
                muts += (muts.empty() ? "" : ";") + labels[e] + "=" + std::to_string(r.mutation_reads[e]);
        std::string types;
        for (auto const & [type, n] : r.junction_reads_by_type)
            types += (types.empty() ? "" : ";") + type + "=" + std::to_string(n);
        os << r.entries_located << '\t' << r.records << '\t' << r.reads << '\t' << r.reads_with_mutation << '\t'
           << or_dot(muts) << '\t' << r.junction_reads << '\t' << or_dot(types) << '\t' << or_dot(r.fusion_type) << '\t'
           << r.replaced_tags << '\n';
    }
    return os.str();
}

} // namespace chemores::annotate
