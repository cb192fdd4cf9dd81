#include <chemores/core/errors.hpp>
#include <chemores/core/text.hpp>
#include <chemores/io/bam_writer.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <htslib/hts.h>
#include <htslib/sam.h>
#include <htslib/thread_pool.h>
#include <queue>
#include <unistd.h>

namespace chemores::io
{

namespace
{
// Coordinate order; unmapped reads (tid -1) last; ties keep input order (the caller sorts stably).
bool coord_less(bam1_t const * a, bam1_t const * b)
{
    uint32_t const ta = static_cast<uint32_t>(a->core.tid), tb = static_cast<uint32_t>(b->core.tid);
    if (ta != tb)
        return ta < tb;
    if (a->core.pos != b->core.pos)
        return a->core.pos < b->core.pos;
    return bam_is_rev(a) < bam_is_rev(b);
}
} // namespace

alignment_format resolve_format(std::string const & explicit_format, std::string const & path)
{
    if (!explicit_format.empty())
    {
        auto const f = ascii_lower(explicit_format);
        if (f == "sam")
            return alignment_format::sam;
        if (f == "bam")
            return alignment_format::bam;
        if (f == "cram")
            return alignment_format::cram;
        throw config_error{"unknown output format '" + explicit_format + "' (use SAM, BAM or CRAM)"};
    }
    auto const p = ascii_lower(path);
    if (p.ends_with(".bam"))
        return alignment_format::bam;
    if (p.ends_with(".cram"))
        return alignment_format::cram;
    return alignment_format::sam;
}

struct bam_writer::impl
{
    bam_writer_options opt;
    alignment_format fmt;
    atomic_outputs & outputs;
    std::string tmp_path;
    std::string tmp_index;
    htsFile * fp = nullptr;
    sam_hdr_t * hdr = nullptr;
    htsThreadPool pool{nullptr, 0};
    // sorting
    std::vector<bam1_t *> buffer;
    uint64_t buffered_bytes = 0;
    std::vector<std::string> chunks;
    bool closed = false;

    impl(bam_writer_options const & o, atomic_outputs & out) : opt{o}, outputs{out}
    {
    }

    ~impl()
    {
        for (auto * b : buffer)
            bam_destroy1(b);
        if (fp)
            hts_close(fp);
        if (hdr)
            sam_hdr_destroy(hdr);
        if (pool.pool)
            hts_tpool_destroy(pool.pool);
        for (auto const & c : chunks)
        {
            ::unlink(c.c_str());
            forget_on_signal(c);
        }
    }

    [[noreturn]] void fail(std::string const & what) const
    {
        throw output_error{"cannot write " + (is_stdout(opt.path) ? std::string{"to standard output"} : opt.path) +
                           ": " + what};
    }

    void write_direct(bam1_t const * b)
    {
        if (sam_write1(fp, hdr, b) < 0)
            fail(errno ? std::strerror(errno) : "write error");
    }

    void spill()
    {
        if (buffer.empty())
            return;
        std::stable_sort(buffer.begin(), buffer.end(), coord_less);
        std::string const name = tmp_path + ".sort." + std::to_string(chunks.size()) + ".bam";
        chunks.push_back(name);
        remove_on_signal(name); // not an output: atomic_outputs does not know it
        htsFile * cfp = hts_open(name.c_str(), "wb1");
        if (!cfp)
            fail("cannot create temporary sort chunk " + name + ": " + std::strerror(errno));
        if (pool.pool)
            hts_set_thread_pool(cfp, &pool);
        bool ok = sam_hdr_write(cfp, hdr) == 0;
        for (auto * b : buffer)
        {
            ok = ok && sam_write1(cfp, hdr, b) >= 0;
            bam_destroy1(b);
        }
        buffer.clear();
        buffered_bytes = 0;
        ok = (hts_close(cfp) == 0) && ok;
        if (!ok)
            fail("cannot write temporary sort chunk " + name);
    }

    void merge_chunks()
    {
        // k-way merge; ties broken by chunk index, which preserves input order (chunks are in input order).
        struct source
        {
            htsFile * fp;
            sam_hdr_t * h;
            bam1_t * b;
        };
        std::vector<source> src;
        struct close_sources // also when a write fails midway
        {
            std::vector<source> & s;
            ~close_sources()
            {
                for (auto & x : s)
                {
                    bam_destroy1(x.b);
                    if (x.h)
                        sam_hdr_destroy(x.h);
                    hts_close(x.fp);
                }
            }
        } closer{src};
        for (auto const & c : chunks)
        {
            htsFile * cfp = hts_open(c.c_str(), "r");
            if (!cfp)
                fail("cannot reopen temporary sort chunk " + c);
            if (pool.pool)
                hts_set_thread_pool(cfp, &pool);
            sam_hdr_t * h = sam_hdr_read(cfp);
            src.push_back({cfp, h, bam_init1()});
        }
        auto greater = [&](size_t a, size_t b) {
            if (coord_less(src[a].b, src[b].b))
                return false;
            if (coord_less(src[b].b, src[a].b))
                return true;
            return a > b;
        };
        std::priority_queue<size_t, std::vector<size_t>, decltype(greater)> pq{greater};
        for (size_t i = 0; i < src.size(); ++i)
            if (sam_read1(src[i].fp, src[i].h, src[i].b) >= 0)
                pq.push(i);
        while (!pq.empty())
        {
            size_t const i = pq.top();
            pq.pop();
            write_direct(src[i].b);
            int const r = sam_read1(src[i].fp, src[i].h, src[i].b);
            if (r >= 0)
                pq.push(i);
            else if (r < -1)
                fail("temporary sort chunk is corrupt");
        }
        for (auto & x : src)
        {
            bam_destroy1(x.b);
            if (x.h)
                sam_hdr_destroy(x.h);
            hts_close(x.fp);
        }
        src.clear();
        for (auto const & c : chunks)
        {
            ::unlink(c.c_str());
            forget_on_signal(c);
        }
        chunks.clear();
    }
};

bam_writer::bam_writer(bam_writer_options const & o, sam_hdr_t const * header, atomic_outputs & outputs) :
    impl_{std::make_unique<impl>(o, outputs)}
{
    auto & I = *impl_;
    I.fmt = resolve_format(o.format, o.path);
    if (o.write_index && is_stdout(o.path))
        throw config_error{"--write-index needs an output file (-o FILE)"};
    if (o.write_index && I.fmt == alignment_format::sam)
        throw config_error{"--write-index needs BAM or CRAM output"};
    if (o.write_index && !o.sort)
        throw config_error{"--write-index needs coordinate-sorted output: add --sort"};
    I.tmp_path = outputs.add(o.path);
    if (o.write_index)
        I.tmp_index = outputs.add(o.path + (I.fmt == alignment_format::cram ? ".crai" : ".bai"));

    char mode[8] = "w";
    if (I.fmt == alignment_format::bam)
        std::strcpy(mode, "wb");
    else if (I.fmt == alignment_format::cram)
        std::strcpy(mode, "wc");
    I.fp = hts_open(I.tmp_path.c_str(), mode);
    if (!I.fp)
        I.fail(std::strerror(errno));
    // Apply the options through the documented path: parse "key=value" into hts_opt and set them.
    for (auto const & opt : o.fmt_options)
    {
        // htslib reads level=abc as 0 and takes any number: accept only what BGZF/CRAM define (0-9).
        if (auto const eq = opt.find('='); opt.substr(0, eq) == "level")
        {
            std::string const v = eq == std::string::npos ? std::string{} : opt.substr(eq + 1);
            if (v.size() != 1 || v[0] < '0' || v[0] > '9')
                throw config_error{"invalid --output-fmt-option '" + opt + "': level must be 0-9"};
        }
        hts_opt * list = nullptr;
        if (hts_opt_add(&list, opt.c_str()) != 0 || hts_opt_apply(I.fp, list) != 0)
        {
            hts_opt_free(list);
            throw config_error{"invalid --output-fmt-option '" + opt + "'"};
        }
        hts_opt_free(list);
    }
    if (I.fmt == alignment_format::cram)
    {
        if (o.reference_fasta.empty())
            throw internal_error{"CRAM output without a reference FASTA"};
        if (hts_set_fai_filename(I.fp, o.reference_fasta.c_str()) != 0)
            I.fail("cannot load the reference for CRAM: " + o.reference_fasta);
        hts_set_opt(I.fp, CRAM_OPT_EMBED_REF, 1);
    }
    if (o.threads > 1)
    {
        I.pool.pool = hts_tpool_init(o.threads);
        if (!I.pool.pool)
            throw output_error{"cannot start the htslib thread pool"};
        hts_set_thread_pool(I.fp, &I.pool);
    }
    I.hdr = sam_hdr_dup(header);
    if (sam_hdr_write(I.fp, I.hdr) != 0)
        I.fail(std::strerror(errno));
    if (o.write_index && sam_idx_init(I.fp, I.hdr, 0, I.tmp_index.c_str()) != 0)
        I.fail("cannot start the index");
}

bam_writer::~bam_writer() = default;

void bam_writer::write(bam1_t * b)
{
    auto & I = *impl_;
    if (!I.opt.sort)
    {
        I.write_direct(b);
        return;
    }
    bam1_t * copy = bam_dup1(b);
    if (!copy)
        throw output_error{"out of memory while sorting"};
    // What the copy costs on the heap: the record, its data block as allocated (m_data, rounded up by htslib), two
    // allocator headers, and the buffer's pointer; counting l_data alone let the resident size overshoot
    // --sort-memory by ~60 %.
    I.buffered_bytes += sizeof(bam1_t) + copy->m_data + 2 * 16 + sizeof(bam1_t *);
    I.buffer.push_back(copy);
    if (I.buffered_bytes >= I.opt.sort_memory)
        I.spill();
}

void bam_writer::close()
{
    auto & I = *impl_;
    if (I.closed)
        return;
    I.closed = true;
    if (I.opt.sort)
    {
        if (I.chunks.empty())
        {
            std::stable_sort(I.buffer.begin(), I.buffer.end(), coord_less);
            // Each record is freed as soon as it is written and its slot cleared, so that a failed write
            // (which throws) leaves ~impl only the records still unwritten to free (no double free).
            for (auto *& b : I.buffer)
            {
                I.write_direct(b);
                bam_destroy1(b);
                b = nullptr;
            }
            I.buffer.clear();
        }
        else
        {
            I.spill();
            I.merge_chunks();
        }
    }
    if (I.opt.write_index && sam_idx_save(I.fp) != 0)
        I.fail("cannot write the index");
    int const r = hts_close(I.fp);
    I.fp = nullptr;
    if (r != 0)
        I.fail(errno ? std::strerror(errno) : "close failed");
}

} // namespace chemores::io
