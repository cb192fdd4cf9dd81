#include <chemores/align/pipeline.hpp>
#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/core/version.hpp>
#include <chemores/io/sequence_reader.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <htslib/hfile.h>
#include <htslib/hts.h>
#include <htslib/sam.h>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <unistd.h>

namespace chemores::align
{

size_t find_adapter(std::string_view seq, std::string_view adapter)
{
    size_t const n = seq.size(), m = adapter.size();
    if (m == 0)
        return n;
    // Leftmost position where the adapter (or, near the 3' end, its prefix) matches with <= 10 % mismatches.
    for (size_t i = 0; i < n; ++i)
    {
        size_t const overlap = std::min(m, n - i);
        if (overlap < 3)
            break;
        size_t const allowed = overlap / 10;
        size_t mism = 0;
        for (size_t j = 0; j < overlap && mism <= allowed; ++j)
        {
            char const a = static_cast<char>(std::toupper(static_cast<unsigned char>(seq[i + j])));
            mism += a != adapter[j];
        }
        if (mism <= allowed)
            return i;
    }
    return n;
}

namespace
{
struct read_in
{
    std::string name;
    std::string seq;
    std::string qual; // Phred+33, empty if unknown
};

struct fragment
{
    read_in r[2];
    bool paired = false;
};

std::string strip_mate_suffix(std::string const & n)
{
    if (n.size() > 2 && n[n.size() - 2] == '/' && (n.back() == '1' || n.back() == '2'))
        return n.substr(0, n.size() - 2);
    return n;
}

//!\brief One input: FASTA/FASTQ (any compression) or SAM/BAM/CRAM, detected from its content.
class read_source
{
public:
    explicit read_source(std::string const & path, int threads) : path_{path}
    {
        std::string const open_path = path.empty() ? "-" : path;
        display_ = open_path == "-" ? "(stdin)" : open_path;
        hFILE * hf = hopen(open_path.c_str(), "r");
        if (!hf)
            throw input_error{display_, std::string{"cannot open: "} + std::strerror(errno)};
        htsFormat fmt{};
        if (hts_detect_format2(hf, open_path.c_str(), &fmt) < 0)
        {
            hclose_abruptly(hf);
            throw input_error{display_, "cannot read (I/O error while detecting the format)"};
        }
        if (fmt.format == sam || fmt.format == bam || fmt.format == cram)
        {
            sam_ = hts_hopen(hf, open_path.c_str(), "r");
            if (!sam_)
                throw input_error{display_, "cannot open as SAM/BAM/CRAM"};
            if (threads > 1)
                hts_set_threads(sam_, threads);
            hdr_ = sam_hdr_read(sam_);
            if (!hdr_)
                throw input_error{display_, "cannot read the SAM/BAM/CRAM header"};
            b_ = bam_init1();
        }
        else
            fastx_ = std::make_unique<io::sequence_reader>(hf, open_path);
    }
    ~read_source()
    {
        if (b_)
            bam_destroy1(b_);
        if (hdr_)
            sam_hdr_destroy(hdr_);
        if (sam_)
            hts_close(sam_);
    }
    bool is_sam() const
    {
        return sam_ != nullptr;
    }
    std::string const & display() const
    {
        return display_;
    }
    uint64_t record_number() const
    {
        return fastx_ ? fastx_->records() : n_;
    }

    //!\brief Next read; for SAM input also reports its mate flags (1 = first, 2 = second, 0 = single).
    bool next(read_in & r, int & mate)
    {
        mate = 0;
        if (fastx_)
        {
            if (!fastx_->read(rec_))
                return false;
            r.name = std::move(rec_.name);
            r.seq = std::move(rec_.seq);
            r.qual = std::move(rec_.qual);
            return true;
        }
        while (true)
        {
            int const ret = sam_read1(sam_, hdr_, b_);
            if (ret == -1)
                return false;
            if (ret < -1)
                throw input_error{display_, "record", n_ + 1, "truncated or corrupt SAM/BAM/CRAM record"};
            ++n_;
            if (b_->core.flag & (BAM_FSECONDARY | BAM_FSUPPLEMENTARY))
                continue;
            r.name = bam_get_qname(b_);
            int32_t const len = b_->core.l_qseq;
            r.seq.resize(len);
            uint8_t const * s = bam_get_seq(b_);
            for (int32_t i = 0; i < len; ++i)
                r.seq[i] = seq_nt16_str[bam_seqi(s, i)];
            uint8_t const * q = bam_get_qual(b_);
            if (len > 0 && q[0] == 0xff)
                r.qual.clear();
            else
            {
                r.qual.resize(len);
                for (int32_t i = 0; i < len; ++i)
                    r.qual[i] = static_cast<char>(q[i] + 33);
            }
            if (bam_is_rev(b_))
            {
                r.seq = reverse_complement(r.seq);
                std::reverse(r.qual.begin(), r.qual.end());
            }
            for (char c : r.seq)
                if (dna_table[static_cast<unsigned char>(c)] == code_invalid)
                    throw input_error{display_, "record", n_, "invalid base in read '" + r.name + "'"};
            if (b_->core.flag & BAM_FPAIRED)
                mate = (b_->core.flag & BAM_FREAD1) ? 1 : (b_->core.flag & BAM_FREAD2) ? 2 : 0;
            return true;
        }
    }

private:
    std::string path_;
    std::string display_;
    std::unique_ptr<io::sequence_reader> fastx_;
    io::sequence_record rec_;
    htsFile * sam_ = nullptr;
    sam_hdr_t * hdr_ = nullptr;
    bam1_t * b_ = nullptr;
    uint64_t n_ = 0;
};

//!\brief Produces fragments (single reads or pairs) from one or two sources.
class fragment_reader
{
public:
    fragment_reader(align_options const & o) : opt_{o}
    {
        if (o.inputs.empty() || o.inputs.size() > 2)
            throw config_error{"give one input file (single-end, interleaved or SAM/BAM/CRAM) or two (R1 R2)"};
        if (o.interleaved && o.inputs.size() == 2)
            throw config_error{"--interleaved reads both mates from one file; with two files (R1 R2) leave it out"};
        if (o.inputs.size() == 2)
        {
            std::error_code ec;
            if (o.inputs[0] == o.inputs[1] || std::filesystem::equivalent(o.inputs[0], o.inputs[1], ec))
                throw config_error{"R1 and R2 are the same file (" + o.inputs[0] + "); give the two mate files"};
        }
        for (auto const & p : o.inputs)
            src_.push_back(std::make_unique<read_source>(p, o.output.threads));
        if (src_.size() == 2 && (src_[0]->is_sam() || src_[1]->is_sam()))
            throw config_error{"paired SAM/BAM/CRAM input is read from one file; give it alone"};
    }

    bool next(fragment & f)
    {
        int mate = 0;
        if (src_.size() == 2)
        {
            bool const a = src_[0]->next(f.r[0], mate);
            bool const b = src_[1]->next(f.r[1], mate);
            if (a != b)
            {
                auto const & shorter = a ? *src_[1] : *src_[0];
                auto const & longer = a ? *src_[0] : *src_[1];
                throw input_error{shorter.display(),
                                  "has fewer reads than " + longer.display() + " (mate files must have the same reads "
                                  "in the same order); it ended after record " + std::to_string(shorter.record_number())};
            }
            if (!a)
                return false;
            check_names(f, *src_[1]);
            f.paired = true;
            return true;
        }
        auto & s = *src_[0];
        if (!s.is_sam())
        {
            if (!s.next(f.r[0], mate))
                return false;
            if (opt_.interleaved)
            {
                if (!s.next(f.r[1], mate))
                    throw input_error{s.display(), "interleaved input has an odd number of reads; read '" +
                                                       f.r[0].name + "' has no mate"};
                check_names(f, s);
                f.paired = true;
                return true;
            }
            f.paired = false;
            return true;
        }
        // SAM/BAM/CRAM: mates may be adjacent (unaligned BAM, collated) or apart (coordinate-sorted); a read waits
        // for its mate in memory, so a pair is emitted when its second record arrives.
        while (true)
        {
            read_in r;
            if (!s.next(r, mate))
            {
                if (!waiting_.empty())
                {
                    auto const & [name, w] = *waiting_.begin();
                    throw input_error{s.display(), std::to_string(waiting_.size()) +
                                                       " paired reads have no mate in the file, e.g. '" + name + "'"};
                }
                return false;
            }
            if (mate == 0)
            {
                f.r[0] = std::move(r);
                f.paired = false;
                return true;
            }
            std::string const key = strip_mate_suffix(r.name);
            auto it = waiting_.find(key);
            if (it == waiting_.end())
            {
                waiting_.emplace(key, std::make_pair(mate, std::move(r)));
                continue;
            }
            if (it->second.first == mate)
                throw input_error{s.display(), "record", s.record_number(),
                                  "read '" + key + "' appears twice as mate " + std::to_string(mate)};
            int const first = mate == 1 ? 0 : 1;
            f.r[first] = std::move(r);
            f.r[1 - first] = std::move(it->second.second);
            f.r[0].name = f.r[1].name = key;
            waiting_.erase(it);
            f.paired = true;
            return true;
        }
    }

private:
    void check_names(fragment & f, read_source const & s)
    {
        std::string const a = strip_mate_suffix(f.r[0].name), b = strip_mate_suffix(f.r[1].name);
        if (a != b)
            throw input_error{s.display(), "record", s.record_number(),
                              "mate names differ: '" + f.r[0].name + "' and '" + f.r[1].name + "'"};
        f.r[0].name = a;
        f.r[1].name = b;
    }

    align_options const & opt_;
    std::vector<std::unique_ptr<read_source>> src_;
    std::map<std::string, std::pair<int, read_in>> waiting_; //!< SAM input: reads whose mate has not come yet
};

struct batch
{
    uint64_t id = 0;
    std::vector<fragment> frags;
    std::vector<bam1_t *> out;
    align_stats st;
};

std::string md5_of(std::vector<uint8_t> const & seq)
{
    hts_md5_context * ctx = hts_md5_init();
    std::string s(seq.size(), 'N');
    for (size_t i = 0; i < seq.size(); ++i)
        s[i] = code_to_char[seq[i]];
    hts_md5_update(ctx, s.data(), static_cast<unsigned long>(s.size()));
    unsigned char d[16];
    hts_md5_final(d, ctx);
    hts_md5_destroy(ctx);
    char hex[33];
    hts_md5_hex(hex, d);
    return hex;
}

//!\brief Parse -R: "@RG\tID:x\tSM:y" with literal "\t"; returns the header line and its ID.
std::pair<std::string, std::string> parse_read_group(std::string const & in)
{
    std::string line;
    for (size_t i = 0; i < in.size(); ++i)
    {
        if (in[i] == '\\' && i + 1 < in.size() && in[i + 1] == 't')
        {
            line += '\t';
            ++i;
        }
        else
            line += in[i];
    }
    if (line.rfind("@RG\t", 0) != 0)
        throw config_error{"-R must start with '@RG\\t', e.g. '@RG\\tID:run1\\tSM:patient1'"};
    auto const p = line.find("\tID:");
    if (p == std::string::npos)
        throw config_error{"-R read group has no ID: field"};
    auto const e = line.find('\t', p + 4);
    std::string id = line.substr(p + 4, e == std::string::npos ? std::string::npos : e - p - 4);
    if (id.empty())
        throw config_error{"-R read group has an empty ID"};
    return {line, id};
}

class worker_context
{
public:
    worker_context(align_options const & o, reference::panel const & p, kmer_index const & idx,
                   kernels::simd_target t, std::string rg_id) :
        opt_{o},
        panel_{p},
        mapper_{p, idx, o.mapping, t},
        rg_id_{std::move(rg_id)}
    {
    }

    void process(batch & b)
    {
        b.st.per_contig.assign(panel_.contigs().size(), 0);
        for (auto & f : b.frags)
            process(f, b);
    }

private:
    // Trim and length-filter a small-RNA read; returns false with a reason if filtered out.
    bool prepare(read_in & r, align_stats & st, std::string & reason)
    {
        if (!opt_.trim)
            return true;
        size_t const cut = find_adapter(r.seq, opt_.adapter);
        if (cut < r.seq.size())
        {
            ++st.reads_trimmed;
            r.seq.resize(cut);
            if (!r.qual.empty())
                r.qual.resize(cut);
        }
        int const len = static_cast<int>(r.seq.size());
        if (len < opt_.min_length || len > opt_.max_length)
        {
            ++st.reads_length_filtered;
            reason = len < opt_.min_length ? "too_short" : "too_long";
            return false;
        }
        return true;
    }

    void encode(read_in const & r, std::vector<uint8_t> & codes)
    {
        encode_dna(r.seq, codes);
    }

    bam1_t * make_record(read_in const & r, mapping const * m, uint16_t flag, mapping const * mate, int64_t tlen,
                         std::string const & filter_reason)
    {
        bam1_t * b = bam_init1();
        std::string seq = r.seq;
        std::string qual = r.qual;
        bool const rev = m && m->rev;
        if (rev)
        {
            seq = reverse_complement(seq);
            std::reverse(qual.begin(), qual.end());
        }
        for (auto & c : seq)
            if (c >= 'a' && c <= 'z')
                c = static_cast<char>(c - 'a' + 'A');
        std::string q;
        if (!qual.empty())
        {
            q.resize(qual.size());
            for (size_t i = 0; i < qual.size(); ++i)
                q[i] = static_cast<char>(qual[i] - 33);
        }
        int32_t tid = -1, mtid = -1;
        hts_pos_t pos = -1, mpos = -1;
        uint8_t mapq = 0;
        if (m)
        {
            tid = static_cast<int32_t>(m->contig);
            pos = m->pos;
            mapq = static_cast<uint8_t>(m->mapq);
            if (rev)
                flag |= BAM_FREVERSE;
        }
        else
            flag |= BAM_FUNMAP;
        if (flag & BAM_FPAIRED)
        {
            if (mate)
            {
                mtid = static_cast<int32_t>(mate->contig);
                mpos = mate->pos;
                if (mate->rev)
                    flag |= BAM_FMREVERSE;
            }
            else
                flag |= BAM_FMUNMAP;
            // SAM convention: an unmapped read takes the position of its mapped mate, and vice versa.
            if (!m && mate)
            {
                tid = mtid;
                pos = mpos;
            }
            if (m && !mate)
            {
                mtid = tid;
                mpos = pos;
            }
        }
        static std::vector<uint32_t> const no_cigar;
        auto const & cig = m ? m->cigar : no_cigar;
        if (bam_set1(b, r.name.size(), r.name.c_str(), flag, tid, pos, mapq, cig.size(), cig.data(), mtid, mpos, tlen,
                     seq.size(), seq.c_str(), q.empty() ? nullptr : q.c_str(), 64) < 0)
            throw internal_error{"bam_set1 failed for read " + r.name};
        if (m)
        {
            int32_t const nm = m->nm, as = m->score;
            bam_aux_append(b, "NM", 'i', 4, reinterpret_cast<uint8_t const *>(&nm));
            bam_aux_append(b, "MD", 'Z', static_cast<int>(m->md.size() + 1), reinterpret_cast<uint8_t const *>(m->md.c_str()));
            bam_aux_append(b, "AS", 'i', 4, reinterpret_cast<uint8_t const *>(&as));
            if (m->sub_score >= 0)
            {
                int32_t const xs = m->sub_score;
                bam_aux_append(b, "XS", 'i', 4, reinterpret_cast<uint8_t const *>(&xs));
            }
        }
        if (!filter_reason.empty())
            bam_aux_append(b, "XF", 'Z', static_cast<int>(filter_reason.size() + 1),
                           reinterpret_cast<uint8_t const *>(filter_reason.c_str()));
        if (!rg_id_.empty())
            bam_aux_append(b, "RG", 'Z', static_cast<int>(rg_id_.size() + 1),
                           reinterpret_cast<uint8_t const *>(rg_id_.c_str()));
        return b;
    }

    void count(mapping const & m, align_stats & st)
    {
        ++st.reads_mapped;
        ++st.per_contig[m.contig];
        if (m.crosses_junction)
            ++st.junction_reads[panel_.contigs()[m.contig].name];
    }

    void process(fragment & f, batch & b)
    {
        auto & st = b.st;
        if (!f.paired)
        {
            ++st.reads_in;
            std::string reason;
            std::vector<mapping> ms;
            if (prepare(f.r[0], st, reason))
            {
                encode(f.r[0], codes_[0]);
                ms = mapper_.map(codes_[0]);
            }
            if (ms.empty())
            {
                b.out.push_back(make_record(f.r[0], nullptr, 0, nullptr, 0, reason));
                return;
            }
            count(ms[0], st);
            b.out.push_back(make_record(f.r[0], &ms[0], 0, nullptr, 0, {}));
            if (opt_.mapping.all_best)
                for (size_t i = 1; i < ms.size(); ++i)
                    b.out.push_back(make_record(f.r[0], &ms[i], BAM_FSECONDARY, nullptr, 0, {}));
            return;
        }

        st.reads_in += 2;
        ++st.pairs;
        std::vector<mapping> ms[2];
        std::string reason[2];
        for (int i = 0; i < 2; ++i)
        {
            if (prepare(f.r[i], st, reason[i]))
            {
                encode(f.r[i], codes_[i]);
                ms[i] = mapper_.map(codes_[i]);
            }
        }
        auto choice = mapper_.pair(ms[0], ms[1]);
        if (!choice.proper)
        {
            // Mate rescue: look for each mate near the other's best alignment.
            bool rescued = false;
            for (int i = 0; i < 2; ++i)
            {
                int const other = 1 - i;
                int const oi = other == 0 ? choice.a : choice.b;
                if (oi < 0 || !reason[i].empty())
                    continue;
                size_t const before = ms[i].size();
                mapper_.rescue_mate(codes_[i], ms[other][oi], ms[i]);
                rescued = rescued || ms[i].size() > before;
            }
            if (rescued)
                choice = mapper_.pair(ms[0], ms[1]);
        }
        mapping const * m0 = choice.a >= 0 ? &ms[0][choice.a] : nullptr;
        mapping const * m1 = choice.b >= 0 ? &ms[1][choice.b] : nullptr;
        int64_t t0 = 0, t1 = 0;
        if (m0 && m1 && m0->contig == m1->contig)
        {
            t0 = mapper::template_length(*m0, *m1);
            t1 = -t0;
        }
        uint16_t const base = BAM_FPAIRED | (choice.proper ? BAM_FPROPER_PAIR : 0);
        if (choice.proper)
            ++st.proper_pairs;
        if (m0)
            count(*m0, st);
        if (m1)
            count(*m1, st);
        b.out.push_back(make_record(f.r[0], m0, base | BAM_FREAD1, m1, t0, reason[0]));
        b.out.push_back(make_record(f.r[1], m1, base | BAM_FREAD2, m0, t1, reason[1]));
    }

    align_options const & opt_;
    reference::panel const & panel_;
    mapper mapper_;
    std::string rg_id_;
    std::vector<uint8_t> codes_[2];
};

void merge_stats(align_stats & into, align_stats const & s)
{
    into.reads_in += s.reads_in;
    into.reads_mapped += s.reads_mapped;
    into.pairs += s.pairs;
    into.proper_pairs += s.proper_pairs;
    into.reads_trimmed += s.reads_trimmed;
    into.reads_length_filtered += s.reads_length_filtered;
    if (into.per_contig.size() < s.per_contig.size())
        into.per_contig.resize(s.per_contig.size(), 0);
    for (size_t i = 0; i < s.per_contig.size(); ++i)
        into.per_contig[i] += s.per_contig[i];
    for (auto const & [k, v] : s.junction_reads)
        into.junction_reads[k] += v;
}

sam_hdr_t * make_header(align_options const & o, reference::panel const & p, std::string const & rg_line)
{
    sam_hdr_t * h = sam_hdr_init();
    std::string text = o.output.sort ? "@HD\tVN:1.6\tSO:coordinate\n" : "@HD\tVN:1.6\tSO:unsorted\tGO:query\n";
    for (auto const & c : p.contigs())
        text += "@SQ\tSN:" + c.name + "\tLN:" + std::to_string(c.seq.size()) + "\tM5:" + md5_of(c.seq) + "\n";
    if (!rg_line.empty())
        text += rg_line + "\n";
    if (!o.no_pg)
    {
        std::string cl = o.command_line;
        for (auto & ch : cl)
            if (ch == '\t' || ch == '\n')
                ch = ' ';
        text += "@PG\tID:chemores\tPN:chemores\tVN:" + std::string{version_string()} + "\tCL:" + cl + "\n";
    }
    if (sam_hdr_add_lines(h, text.c_str(), text.size()) != 0)
        throw internal_error{"cannot build the SAM header"};
    return h;
}

} // namespace

align_stats run_align(align_options const & o)
{
    // Reference and index.
    reference::panel const panel = !o.reference.empty()          ? reference::panel::from_fasta(o.reference)
                                   : o.preset == "mirna"          ? reference::panel::builtin("mirna")
                                                                  : reference::panel::builtin("transcripts");
    kmer_index const index{panel, o.mapping.k};

    kernels::simd_target target = kernels::best_available_target();
    if (o.simd != "auto")
    {
        auto t = kernels::parse_simd_target(o.simd);
        if (!t)
            throw config_error{"unknown --simd target '" + o.simd + "' (auto, scalar, sse4.1, avx2, avx512bw)"};
        auto const avail = kernels::available_targets();
        if (std::find(avail.begin(), avail.end(), *t) == avail.end())
            throw config_error{"--simd " + o.simd + " is not available on this CPU or in this build"};
        target = *t;
    }

    std::string rg_line, rg_id;
    if (!o.read_group.empty())
        std::tie(rg_line, rg_id) = parse_read_group(o.read_group);

    fragment_reader reader{o};

    atomic_outputs outputs;
    io::bam_writer_options wo = o.output;
    std::string cram_ref;
    if (io::resolve_format(wo.format, wo.path) == io::alignment_format::cram)
    {
        char tmpl[] = "/tmp/chemores-ref-XXXXXX";
        if (char const * td = std::getenv("TMPDIR"); td && *td)
            cram_ref = std::string{td} + "/chemores-ref-XXXXXX";
        else
            cram_ref = tmpl;
        std::vector<char> buf(cram_ref.begin(), cram_ref.end());
        buf.push_back('\0');
        int const fd = mkstemp(buf.data());
        if (fd < 0)
            throw output_error{"cannot create a temporary reference for CRAM output"};
        ::close(fd);
        cram_ref = buf.data();
        panel.write_fasta(cram_ref);
        wo.reference_fasta = cram_ref;
    }
    struct cleanup
    {
        std::string f;
        ~cleanup()
        {
            if (!f.empty())
            {
                ::unlink(f.c_str());
                ::unlink((f + ".fai").c_str());
            }
        }
    } cleanup_ref{cram_ref};

    sam_hdr_t * hdr = make_header(o, panel, rg_line);
    std::unique_ptr<sam_hdr_t, void (*)(sam_hdr_t *)> hdr_guard{hdr, sam_hdr_destroy};
    io::bam_writer writer{wo, hdr, outputs};

    align_stats total;
    total.per_contig.assign(panel.contigs().size(), 0);
    total.simd_target = std::string{kernels::to_string(target)};
    total.reference_origin = panel.origin();
    total.reference_checksum = panel.checksum();

    // Ordered parallel pipeline: the main thread reads batches and writes finished ones in input order.
    int const n_workers = std::max(1, o.output.threads);
    std::mutex mtx;
    std::condition_variable cv_todo, cv_done;
    std::deque<std::unique_ptr<batch>> todo;
    std::map<uint64_t, std::unique_ptr<batch>> done;
    bool closing = false;
    std::exception_ptr worker_error;

    std::vector<std::thread> workers;
    for (int w = 0; w < n_workers; ++w)
    {
        workers.emplace_back([&] {
            try
            {
                worker_context ctx{o, panel, index, target, rg_id};
                while (true)
                {
                    std::unique_ptr<batch> b;
                    {
                        std::unique_lock lock{mtx};
                        cv_todo.wait(lock, [&] { return closing || !todo.empty(); });
                        if (todo.empty())
                            return;
                        b = std::move(todo.front());
                        todo.pop_front();
                    }
                    ctx.process(*b);
                    {
                        std::lock_guard lock{mtx};
                        done[b->id] = std::move(b);
                    }
                    cv_done.notify_all();
                }
            }
            catch (...)
            {
                std::lock_guard lock{mtx};
                if (!worker_error)
                    worker_error = std::current_exception();
                closing = true;
                cv_done.notify_all();
                cv_todo.notify_all();
            }
        });
    }
    auto stop_workers = [&] {
        {
            std::lock_guard lock{mtx};
            closing = true;
        }
        cv_todo.notify_all();
        for (auto & t : workers)
            if (t.joinable())
                t.join();
    };

    bool const show_progress = o.progress && ::isatty(STDERR_FILENO);
    uint64_t next_write = 0, next_id = 0;
    size_t const max_in_flight = static_cast<size_t>(2 * n_workers + 2);
    auto write_ready = [&](bool wait_for_all) {
        while (true)
        {
            std::unique_ptr<batch> b;
            {
                std::unique_lock lock{mtx};
                auto ready = [&] { return worker_error || done.count(next_write) > 0; };
                bool const must_wait = wait_for_all ? next_write < next_id : (next_id - next_write) >= max_in_flight;
                if (must_wait)
                    cv_done.wait(lock, ready);
                if (worker_error)
                    return;
                auto it = done.find(next_write);
                if (it == done.end())
                    return;
                b = std::move(it->second);
                done.erase(it);
            }
            for (auto * rec : b->out)
            {
                writer.write(rec);
                bam_destroy1(rec);
            }
            b->out.clear();
            merge_stats(total, b->st);
            ++next_write;
            if (show_progress)
                std::fprintf(stderr, "\rchemores align: %llu reads", static_cast<unsigned long long>(total.reads_in));
        }
    };

    try
    {
        while (true)
        {
            auto b = std::make_unique<batch>();
            b->id = next_id;
            fragment f;
            while (static_cast<int>(b->frags.size()) < o.batch_size && reader.next(f))
                b->frags.push_back(std::move(f));
            if (b->frags.empty())
                break;
            {
                std::lock_guard lock{mtx};
                if (worker_error)
                    break;
                todo.push_back(std::move(b));
                ++next_id;
            }
            cv_todo.notify_one();
            write_ready(false);
        }
        write_ready(true);
    }
    catch (...)
    {
        stop_workers();
        throw;
    }
    stop_workers();
    if (worker_error)
        std::rethrow_exception(worker_error);
    if (show_progress)
        std::fprintf(stderr, "\n");

    writer.close();

    if (!o.stats_path.empty())
    {
        nlohmann::ordered_json j;
        j["schema_version"] = 1;
        j["tool"] = {{"name", "chemores"}, {"version", version_string()}, {"git", git_hash()}, {"command", o.command_line}};
        j["simd_target"] = total.simd_target;
        j["reference"] = {{"origin", total.reference_origin}, {"checksum_md5", total.reference_checksum}};
        j["reads_in"] = total.reads_in;
        j["reads_mapped"] = total.reads_mapped;
        j["pairs"] = total.pairs;
        j["proper_pairs"] = total.proper_pairs;
        if (o.trim)
        {
            j["reads_adapter_trimmed"] = total.reads_trimmed;
            j["reads_length_filtered"] = total.reads_length_filtered;
        }
        nlohmann::ordered_json pc = nlohmann::ordered_json::object();
        for (size_t i = 0; i < panel.contigs().size(); ++i)
            if (total.per_contig[i] > 0 || o.preset != "mirna")
                pc[panel.contigs()[i].name] = total.per_contig[i];
        j["mapped_per_contig"] = pc;
        nlohmann::ordered_json jr = nlohmann::ordered_json::object();
        for (auto const & c : panel.contigs())
            if (c.junction_after > 0)
                jr[c.name] = total.junction_reads.count(c.name) ? total.junction_reads.at(c.name) : 0;
        j["fusion_junction_reads"] = jr;
        std::string const tmp = outputs.add(o.stats_path);
        std::ofstream out{tmp};
        out << j.dump(2) << '\n';
        out.close();
        if (!out)
            throw output_error{"cannot write " + o.stats_path};
    }
    outputs.commit();
    return total;
}

} // namespace chemores::align
