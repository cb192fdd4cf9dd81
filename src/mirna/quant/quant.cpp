// chemores mirna quant: trimming, collapsing, alignment of unique reads, isomiR annotation, aggregation, outputs.

#include "report.hpp"

#include <algorithm>
#include <atomic>
#include <chemores/align/kmer_index.hpp>
#include <chemores/align/mapper.hpp>
#include <chemores/align/pipeline.hpp>
#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/io/sequence_reader.hpp>
#include <chemores/mirna/quant.hpp>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <htslib/hts.h>
#include <htslib/sam.h>
#include <mutex>
#include <span>
#include <thread>
#include <unordered_map>

namespace chemores::mirna
{

std::string sample_name(std::string_view path)
{
    auto const slash = path.find_last_of('/');
    std::string_view n = slash == std::string_view::npos ? path : path.substr(slash + 1);
    auto strip = [&n](std::string_view suffix)
    {
        if (n.size() > suffix.size() && n.substr(n.size() - suffix.size()) == suffix)
        {
            n.remove_suffix(suffix.size());
            return true;
        }
        return false;
    };
    strip(".gz");
    if (!strip(".fastq"))
        strip(".fq");
    return std::string{n};
}

std::string format_count(double v)
{
    double const r = std::round(v * 1000.0) / 1000.0;
    if (r == 0)
        return "0";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", r);
    std::string s{buf};
    while (s.back() == '0')
        s.pop_back();
    if (s.back() == '.')
        s.pop_back();
    return s;
}

namespace
{

//!\brief Reads of one sample after trimming and filtering, collapsed.
struct sample_reads
{
    sample_summary summary;
    std::unordered_map<std::string, uint64_t> counts;
};

std::string file_md5(std::string const & path)
{
    std::ifstream in{path, std::ios::binary};
    if (!in)
        throw input_error{path, "cannot open"};
    hts_md5_context * ctx = hts_md5_init();
    if (!ctx)
        throw internal_error{"hts_md5_init failed"};
    std::vector<char> buf(1 << 20);
    while (in)
    {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        auto const n = in.gcount();
        if (n > 0)
            hts_md5_update(ctx, buf.data(), static_cast<unsigned long>(n));
    }
    if (in.bad())
    {
        hts_md5_destroy(ctx);
        throw input_error{path, "read error"};
    }
    unsigned char d[16];
    hts_md5_final(d, ctx);
    hts_md5_destroy(ctx);
    char hex[33];
    hts_md5_hex(hex, d);
    return hex;
}

//!\brief Upper case, U -> T, other IUPAC ambiguity codes -> N. Returns true if the read holds an N.
bool normalise(std::string & seq)
{
    bool n = false;
    for (char & c : seq)
    {
        switch (c)
        {
        case 'A':
        case 'C':
        case 'G':
        case 'T':
            break;
        case 'a':
        case 'c':
        case 'g':
        case 't':
            c = static_cast<char>(c - 'a' + 'A');
            break;
        case 'U':
        case 'u':
            c = 'T';
            break;
        default:
            c = 'N';
            n = true;
        }
    }
    return n;
}

//!\brief Trim, filter and count one read into `counts`; the read accounting goes to `s`.
void process_read(std::string & seq,
                  quant_options const & o,
                  sample_summary & s,
                  std::unordered_map<std::string, uint64_t> & counts)
{
    ++s.reads_in;
    bool const has_n = normalise(seq);
    size_t const cut = align::find_adapter(seq, o.adapter);
    if (cut < seq.size())
    {
        ++s.adapter_found;
        seq.resize(cut);
    }
    else if (o.discard_untrimmed)
    {
        ++s.discarded_untrimmed;
        return;
    }
    int const len = static_cast<int>(seq.size());
    if (len < o.min_length)
        ++s.too_short;
    else if (len > o.max_length)
        ++s.too_long;
    else if (has_n && seq.find('N') != std::string::npos)
        ++s.ambiguous;
    else
        ++counts[seq];
}

void add_counts(sample_summary & to, sample_summary const & from)
{
    to.reads_in += from.reads_in;
    to.adapter_found += from.adapter_found;
    to.discarded_untrimmed += from.discarded_untrimmed;
    to.too_short += from.too_short;
    to.too_long += from.too_long;
    to.ambiguous += from.ambiguous;
}

//!\brief Bounded queue of read batches from one reader to several workers.
class batch_queue
{
public:
    explicit batch_queue(size_t capacity) : capacity_{capacity}
    {
    }
    void push(std::vector<std::string> && b)
    {
        std::unique_lock lock{m_};
        not_full_.wait(lock,
                       [&]
                       {
                           return q_.size() < capacity_ || closed_;
                       });
        if (closed_)
            return;
        q_.push_back(std::move(b));
        not_empty_.notify_one();
    }
    bool pop(std::vector<std::string> & b)
    {
        std::unique_lock lock{m_};
        not_empty_.wait(lock,
                        [&]
                        {
                            return !q_.empty() || closed_;
                        });
        if (q_.empty())
            return false;
        b = std::move(q_.front());
        q_.pop_front();
        not_full_.notify_one();
        return true;
    }
    //!\brief No more batches: workers drain the queue and stop.
    void close()
    {
        std::lock_guard lock{m_};
        closed_ = true;
        not_empty_.notify_all();
        not_full_.notify_all();
    }

private:
    std::mutex m_;
    std::condition_variable not_empty_, not_full_;
    std::deque<std::vector<std::string>> q_;
    size_t capacity_;
    bool closed_ = false;
};

/*!\brief Read one sample: trim, filter, collapse. With `workers` > 0, this thread only parses the input and
 *        `workers` threads trim and count into private tables, summed at the end (integer sums: the result does
 *        not depend on the number of workers).
 */
sample_reads read_sample(std::string const & path, std::string const & name, quant_options const & o, int workers)
{
    sample_reads out;
    auto & s = out.summary;
    s.name = name;
    s.path = path;
    io::sequence_reader reader{path};
    if (reader.format() == io::sequence_format::fasta)
        throw input_error{path, "is FASTA; mirna quant reads FASTQ (raw small-RNA reads with their 3' adapter)"};
    io::sequence_record rec;
    if (workers <= 0)
    {
        while (reader.read(rec))
            process_read(rec.seq, o, s, out.counts);
        s.md5 = file_md5(path);
        return out;
    }

    constexpr size_t batch_size = 4096;
    batch_queue queue{static_cast<size_t>(4 * workers)};
    std::vector<sample_summary> partial(static_cast<size_t>(workers));
    std::vector<std::unordered_map<std::string, uint64_t>> tables(static_cast<size_t>(workers));
    std::vector<std::thread> pool;
    for (int w = 0; w < workers; ++w)
        pool.emplace_back(
            [&, w]
            {
                std::vector<std::string> b;
                while (queue.pop(b))
                    for (auto & seq : b)
                        process_read(seq, o, partial[w], tables[w]);
            });
    std::exception_ptr error;
    try
    {
        std::vector<std::string> b;
        b.reserve(batch_size);
        while (reader.read(rec))
        {
            b.push_back(std::move(rec.seq));
            if (b.size() == batch_size)
            {
                queue.push(std::move(b));
                b.clear();
                b.reserve(batch_size);
            }
        }
        if (!b.empty())
            queue.push(std::move(b));
    }
    catch (...)
    {
        error = std::current_exception();
    }
    queue.close();
    for (auto & t : pool)
        t.join();
    if (error)
        std::rethrow_exception(error);
    out.counts = std::move(tables[0]);
    add_counts(s, partial[0]);
    for (size_t w = 1; w < tables.size(); ++w)
    {
        add_counts(s, partial[w]);
        for (auto & [seq, c] : tables[w])
            out.counts[seq] += c;
        std::unordered_map<std::string, uint64_t>{}.swap(tables[w]);
    }
    s.md5 = file_md5(path);
    return out;
}

//!\brief Run `work(i, w)` for i in [0, n) on up to `threads` threads (w = 0.. the worker's number); rethrows
//!       the exception of the lowest failing i.
template <typename F>
void parallel_for(size_t n, int threads, size_t chunk, F && work)
{
    std::atomic<size_t> next{0};
    std::mutex mutex;
    size_t failed_at = n;
    std::exception_ptr error;
    auto worker = [&](size_t w)
    {
        while (true)
        {
            size_t const b = next.fetch_add(chunk);
            if (b >= n)
                return;
            size_t const e = std::min(n, b + chunk);
            for (size_t i = b; i < e; ++i)
            {
                try
                {
                    work(i, w);
                }
                catch (...)
                {
                    std::lock_guard lock{mutex};
                    if (i < failed_at)
                    {
                        failed_at = i;
                        error = std::current_exception();
                    }
                    next.store(n);
                    return;
                }
            }
        }
    };
    size_t const t = std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(threads), (n + chunk - 1) / chunk));
    std::vector<std::thread> pool;
    for (size_t w = 1; w < t; ++w)
        pool.emplace_back(worker, w);
    worker(0);
    for (auto & th : pool)
        th.join();
    if (error)
        std::rethrow_exception(error);
}

align::kernels::simd_target choose_simd(std::string const & name)
{
    if (name == "auto")
        return align::kernels::best_available_target();
    auto const t = align::kernels::parse_simd_target(name);
    if (!t)
        throw config_error{"unknown --simd target '" + name + "' (auto, scalar, sse4.1, avx2, avx512bw)"};
    auto const avail = align::kernels::available_targets();
    if (std::find(avail.begin(), avail.end(), *t) == avail.end())
        throw config_error{"--simd " + name + " is not available on this CPU or in this build"};
    return *t;
}

void check_options(quant_options const & o, std::vector<std::string> & names)
{
    if (o.inputs.empty())
        throw config_error{"give at least one FASTQ file"};
    if (o.output_dir.empty())
        throw config_error{"give an output directory with -o DIR"};
    if (o.min_length < 10)
        throw config_error{"--min-length must be at least 10 (the aligner's seed length)"};
    if (o.min_length > o.max_length)
        throw config_error{"--min-length " + std::to_string(o.min_length) + " is larger than --max-length " +
                           std::to_string(o.max_length)};
    for (char c : o.adapter)
        if (c != 'A' && c != 'C' && c != 'G' && c != 'T')
            throw config_error{"--adapter must consist of A, C, G, T (got '" + o.adapter + "')"};
    if (o.adapter.empty() && o.discard_untrimmed)
        throw config_error{"--discard-untrimmed needs an adapter"};
    auto const & a = o.annotation;
    if (a.tolerance_5p < 0 || a.tolerance_3p < 0 || a.max_mismatches < 0 || a.max_add3p < 0 || a.max_add5p < 0 ||
        a.search_window < 0)
        throw config_error{"tolerances and limits must not be negative"};
    if (o.threads < 1)
        throw config_error{"--threads must be at least 1"};
    for (auto const & p : o.inputs)
        if (p.empty() || p == "-")
            throw config_error{"mirna quant reads files (one per sample), not standard input"};
    if (!o.samples.empty() && o.samples.size() != o.inputs.size())
        throw config_error{"--samples gives " + std::to_string(o.samples.size()) + " names for " +
                           std::to_string(o.inputs.size()) + " input files"};
    names.clear();
    for (size_t i = 0; i < o.inputs.size(); ++i)
        names.push_back(o.samples.empty() ? sample_name(o.inputs[i]) : o.samples[i]);
    for (size_t i = 0; i < names.size(); ++i)
    {
        auto const & n = names[i];
        if (n.empty())
            throw config_error{"empty sample name for " + o.inputs[i] + "; name the samples with --samples"};
        for (char c : n)
            if (static_cast<unsigned char>(c) <= ' ' || c == ',' || c == ';' || c == '=' || c == 0x7f)
                throw config_error{"sample name '" + n +
                                   "' contains a space, tab, comma, ';' or '=' (not allowed in the outputs); "
                                   "name the samples with --samples"};
        for (size_t j = 0; j < i; ++j)
            if (names[j] == n)
                throw config_error{"duplicate sample name '" + n + "' (" + o.inputs[j] + " and " + o.inputs[i] +
                                   "); give distinct names with --samples"};
    }
    std::error_code ec;
    if (std::filesystem::exists(o.output_dir, ec) && !std::filesystem::is_directory(o.output_dir, ec))
        throw config_error{"-o " + o.output_dir + " exists and is not a directory"};
}

} // namespace

quant_result run_quant(quant_options const & o)
{
    std::vector<std::string> names;
    check_options(o, names);
    size_t const ns = names.size();

    // Reference: hairpins, matures, index, mapper settings of the small-RNA preset (as `chemores align --preset
    // mirna`: forward strand, end to end, every equally best hit, 10-mer seeds).
    reference::panel const panel = reference::panel::builtin("mirna");
    mature_table const matures{
        panel, reference::bundled_file("panel/mirna_matures.tsv"), "builtin:panel/mirna_matures.tsv"};
    auto const simd = choose_simd(o.simd);
    align::mapper_options mo;
    mo.norc = true;
    mo.end_to_end = true;
    mo.all_best = true;
    mo.k = 10;
    mo.min_score = std::min(mo.min_score, 2 * o.min_length - mo.scoring.mismatch - 2);

    using clock = std::chrono::steady_clock;
    auto const t0 = clock::now();
    // 1. Read, trim, filter and collapse each sample (samples in parallel).
    std::vector<sample_reads> samples(ns);
    // Threads beyond one per sample trim and count for the sample's reader.
    int const inner = ns >= static_cast<size_t>(o.threads) ? 0 : o.threads / static_cast<int>(ns) - 1;
    parallel_for(ns,
                 o.threads,
                 1,
                 [&](size_t i, size_t)
                 {
                     samples[i] = read_sample(o.inputs[i], names[i], o, inner);
                 });

    // 2. Unique sequences over all samples, sorted; dense count matrix [sequence][sample].
    std::vector<std::string> uniq;
    {
        size_t total = 0;
        for (auto const & s : samples)
            total += s.counts.size();
        std::vector<std::string_view> all;
        all.reserve(total);
        for (auto const & s : samples)
            for (auto const & [seq, c] : s.counts)
                all.push_back(seq);
        std::sort(all.begin(), all.end());
        all.erase(std::unique(all.begin(), all.end()), all.end());
        uniq.assign(all.begin(), all.end());
    }
    std::vector<uint64_t> counts(uniq.size() * ns, 0);
    {
        std::unordered_map<std::string_view, uint32_t> index;
        index.reserve(uniq.size());
        for (size_t i = 0; i < uniq.size(); ++i)
            index.emplace(uniq[i], static_cast<uint32_t>(i));
        for (size_t s = 0; s < ns; ++s)
        {
            for (auto const & [seq, c] : samples[s].counts)
                counts[index.at(seq) * ns + s] = c;
            samples[s].summary.unique_sequences = samples[s].counts.size();
            std::unordered_map<std::string, uint64_t>{}.swap(samples[s].counts);
        }
    }

    auto const t1 = clock::now();
    // 3. Align each unique sequence (in parallel, results by index) and annotate its hits.
    std::vector<std::string> hairpin_seq;
    for (auto const & c : panel.contigs())
    {
        std::string s(c.seq.size(), 'N');
        for (size_t i = 0; i < c.seq.size(); ++i)
            s[i] = code_to_char[c.seq[i]];
        hairpin_seq.push_back(std::move(s));
    }
    std::vector<sequence_result> results(uniq.size());
    if (!uniq.empty())
    {
        align::kmer_index const index{panel, mo.k};
        int const nt = std::max(1, std::min<int>(o.threads, static_cast<int>((uniq.size() + 255) / 256)));
        std::vector<std::unique_ptr<align::mapper>> mappers;
        for (int t = 0; t < nt; ++t)
            mappers.push_back(std::make_unique<align::mapper>(panel, index, mo, simd));
        parallel_for(
            uniq.size(),
            nt,
            256,
            [&](size_t i, size_t w)
            {
                auto & m = *mappers[w]; // one mapper per worker: mappers are not thread-safe
                std::vector<uint8_t> codes;
                encode_dna(uniq[i], codes);
                auto hits = m.map(codes);
                // Non-templated 3' nucleotides cost a short read its alignment score: retry without them.
                int32_t const len = static_cast<int32_t>(codes.size());
                for (int32_t t = 1; hits.empty() && t <= o.annotation.max_add3p && len - t >= o.min_length; ++t)
                    hits = m.map(std::span<uint8_t const>{codes.data(), static_cast<size_t>(len - t)});
                auto & r = results[i];
                r.mapped = !hits.empty();
                for (auto const & h : hits)
                {
                    int32_t lead = 0;
                    for (auto const c : h.cigar)
                    {
                        uint32_t const op = c & 0xf;
                        if (op != BAM_CINS && op != BAM_CSOFT_CLIP)
                            break;
                        lead += static_cast<int32_t>(c >> 4);
                    }
                    r.hits.push_back(
                        annotate(uniq[i], hairpin_seq[h.contig], h.contig, h.pos - lead, matures, o.annotation));
                }
                // Hits in a fixed order (hairpin, offset) whatever the aligner's order of equal scores.
                std::sort(r.hits.begin(),
                          r.hits.end(),
                          [](isomir_hit const & a, isomir_hit const & b)
                          {
                              return std::tie(a.hairpin, a.place.offset) < std::tie(b.hairpin, b.place.offset);
                          });
                // two aligner loci that the ungapped placement moved onto the same offset are one hit
                r.hits.erase(std::unique(r.hits.begin(),
                                         r.hits.end(),
                                         [](isomir_hit const & a, isomir_hit const & b)
                                         {
                                             return a.hairpin == b.hairpin && a.kind == b.kind &&
                                                    a.place.offset == b.place.offset;
                                         }),
                             r.hits.end());
            });
    }

    // 4. Aggregate and write.
    auto const t2 = clock::now();
    report_input in{o, names, panel, matures, hairpin_seq, uniq, counts, results, {}, {}};
    for (auto & s : samples)
        in.summaries.push_back(std::move(s.summary));
    in.simd_target = std::string{align::kernels::to_string(simd)};
    auto result = write_report(in);
    auto secs = [](auto a, auto b)
    {
        return std::chrono::duration<double>(b - a).count();
    };
    result.seconds_reading = secs(t0, t1);
    result.seconds_aligning = secs(t1, t2);
    result.seconds_reporting = secs(t2, clock::now());
    return result;
}

} // namespace chemores::mirna
