// chemores call: known drug-resistance mutations from BAM/CRAM (panel or genome) or FASTQ, per-drug interpretation.

#include "common.hpp"

#include <chemores/align/kernels/kernels.hpp>
#include <chemores/align/pipeline.hpp>
#include <chemores/call/caller.hpp>
#include <chemores/call/report.hpp>
#include <chemores/call/samples.hpp>
#include <chemores/core/atomic_output.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/core/text.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <htslib/sam.h>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <unistd.h>

namespace chemores::cli
{

namespace
{

namespace fs = std::filesystem;

struct call_cli_options
{
    std::vector<std::string> inputs;
    std::string outdir;
    std::string samples_sheet;
    std::vector<std::string> catalogues;
    bool catalogue_only = false;
    std::string cram_reference;
    std::string exons;
    bool no_amplicon = false;
    bool no_index = false;
    bool allow_empty = false;
    call::call_options call;
};

using call::sample_input;

//!\brief Everything that can be checked before any work starts.
void check_inputs(std::vector<sample_input> const & samples)
{
    std::set<std::string> names;
    for (auto const & s : samples)
    {
        if (!names.insert(s.name).second)
            throw config_error{"duplicate sample name '" + s.name + "' (" + s.origin +
                               "); name samples uniquely (@RG SM, file names, or a --samples sheet)"};
        std::vector<std::string> files = s.fastq;
        if (!s.bam.empty())
            files.push_back(s.bam);
        for (auto const & f : files)
            if (::access(f.c_str(), R_OK) != 0)
                throw input_error{f, "cannot read (sample '" + s.name + "', " + s.origin + ")"};
        if (s.bam.empty())
            continue;
        htsFile * fp = hts_open(s.bam.c_str(), "r");
        if (!fp)
            throw input_error{s.bam, "not a SAM/BAM/CRAM file"};
        // htslib also opens FASTA/FASTQ/VCF/... text: refuse it here, not later as "no index" (as annotate does).
        if (htsFormat const * f = hts_get_format(fp);
            f->category != sequence_data || (f->format != sam && f->format != bam && f->format != cram))
        {
            char * d = hts_format_description(f);
            std::string const desc = d ? d : "unknown";
            free(d);
            hts_close(fp);
            throw input_error{s.bam, "not a SAM/BAM/CRAM file (htslib sees " + desc + ")"};
        }
        sam_hdr_t * h = sam_hdr_read(fp);
        std::string so;
        bool has_index = false;
        if (h)
        {
            kstring_t ks{0, 0, nullptr};
            if (sam_hdr_find_tag_hd(h, "SO", &ks) == 0)
                so.assign(ks.s, ks.l);
            free(ks.s);
            hts_idx_t * idx = sam_index_load(fp, s.bam.c_str());
            has_index = idx != nullptr;
            if (idx)
                hts_idx_destroy(idx);
            sam_hdr_destroy(h);
        }
        hts_close(fp);
        if (!h)
            throw input_error{s.bam, "not a SAM/BAM/CRAM file, or its header is damaged"};
        std::string const sorted =
            call::file_stem(s.bam) + ".sorted." + (ascii_lower(s.bam).ends_with(".cram") ? "cram" : "bam");
        if (!so.empty() && so != "coordinate")
            throw input_error{s.bam, "not sorted by coordinate (@HD SO:" + so + "); run: samtools sort -o " + sorted +
                                         " " + s.bam + " && samtools index " + sorted + ", then call " + sorted};
        if (!has_index)
            throw input_error{s.bam, "no index (.bai, .csi or .crai) beside it; run: samtools index " + s.bam +
                                         (so.empty() ? " (after samtools sort if it is not sorted by coordinate)"
                                                     : "")};
    }
}

//!\brief The directories a run created for its output (deepest first): removed when it goes out of scope if they
//!       are still empty, i.e. when the run failed before committing anything; clear() after a successful commit.
struct created_dirs
{
    std::vector<fs::path> paths;
    explicit created_dirs(fs::path const & dir)
    {
        std::error_code ec;
        for (fs::path p = dir; !p.empty() && !fs::exists(p, ec); p = p.parent_path())
        {
            paths.push_back(p);
            if (p == p.parent_path())
                break;
        }
    }
    void clear()
    {
        paths.clear();
    }
    ~created_dirs()
    {
        std::error_code ec;
        for (auto const & p : paths)
            if (!fs::remove(p, ec)) // fails, harmlessly, if anything is in it
                break;
    }
};

//!\brief Removes a directory tree when it goes out of scope.
//!       On SIGINT/SIGTERM/SIGHUP (which skip destructors) the signal handler removes what is registered: the files
//!       made with file() and then the directory (atomic_outputs register their own temporary files).
struct work_dir
{
    fs::path path;
    std::vector<std::string> files; // registered with remove_on_signal
    explicit work_dir(fs::path p) : path{std::move(p)}
    {
    }
    work_dir(work_dir const &) = delete;
    work_dir & operator=(work_dir const &) = delete;
    void create(std::error_code & ec)
    {
        fs::create_directories(path, ec);
        remove_on_signal(path.string(), true);
    }
    //!\brief The path of `name` in the directory, to be created there other than as an atomic_outputs temporary.
    fs::path file(std::string const & name)
    {
        files.push_back((path / name).string());
        remove_on_signal(files.back());
        return path / name;
    }
    ~work_dir()
    {
        std::error_code ec;
        if (!path.empty())
            fs::remove_all(path, ec);
        for (auto const & f : files)
            forget_on_signal(f);
        forget_on_signal(path.string());
    }
};

} // namespace

std::function<int()> setup_call(CLI::App & app)
{
    auto common = std::make_shared<common_options>();
    auto o = std::make_shared<call_cli_options>();
    app.description(
        "Call the catalogued drug-resistance mutations (BCR::ABL1 kinase domain: imatinib, dasatinib, nilotinib, "
        "bosutinib, ponatinib, asciminib; SLC19A1/hRFC: methotrexate), variants of unknown significance, compound "
        "mutations and the BCR::ABL1 transcript type, with a per-drug interpretation.\n"
        "Inputs: sorted, indexed BAM/CRAM files (aligned to the chemores panel, or to GRCh38/hg19 with or without "
        "'chr'), or FASTQ (R1 [R2]; aligned internally, the sorted BAM is kept in DIR). One sample per BAM; several "
        "samples per run, or a --samples sheet (TSV: sample, fastq_1, fastq_2 or bam; paths relative to the sheet).\n"
        "Writes into DIR: calls.vcf.gz (+ .tbi), calls.tsv, result.json, summary.txt, matrix.tsv (several samples).");
    app.add_option("inputs", o->inputs, "BAM/CRAM files, or FASTQ R1 [R2] (several pairs need _R1/_R2 names)");
    app.add_option("-o,--output", o->outdir, "output directory (created if missing)")->required();
    add_common_options(app, *common, opt_threads | opt_verbosity | opt_simd);
    app.get_option("--threads")
        ->description("threads: samples called in parallel; alignment and BGZF compression of FASTQ samples");
    app.add_option("--samples", o->samples_sheet, "sample sheet (TSV with a header: sample, fastq_1, fastq_2, bam)")
        ->check(CLI::ExistingFile);
    app.add_option("--catalogue", o->catalogues, "user catalogue (columns of abl1_mutations.tsv), repeatable")
        ->check(CLI::ExistingFile)
        ->allow_extra_args(false);
    app.add_flag("--catalogue-only", o->catalogue_only, "use only the --catalogue files");
    auto & c = o->call;
    app.add_option("--min-vaf", c.min_vaf,
                   "fraction a NOT_DETECTED must rule out: entries whose limit of detection is above it are "
                   "NOT_ASSESSABLE")
        ->capture_default_str();
    app.add_option("--alpha", c.alpha, "family-wise significance level (Bonferroni over the catalogue entries)")
        ->capture_default_str();
    app.add_option("--min-alt-molecules", c.min_alt_molecules, "never call fewer alternative molecules")
        ->capture_default_str();
    app.add_option("--min-fraction", c.min_fraction,
                   "reporting floor: a DETECTED (and the cis evidence of a compound) also needs at least this "
                   "fraction of the molecules; 0 turns it off")
        ->capture_default_str();
    app.add_option("-q,--min-MQ", c.pileup.min_mapping_quality, "skip reads with mapping quality below")
        ->check(CLI::Range(0, 255))
        ->capture_default_str();
    app.add_option("-Q,--min-BQ", c.pileup.min_base_quality, "skip codons with a base quality below")
        ->check(CLI::Range(0, 93))
        ->capture_default_str();
    app.add_option("--max-BQ", c.max_base_quality,
                   "base qualities above count as this in the error model (Q30 = error floor 1e-3 per base)")
        ->capture_default_str();
    app.add_option("--end-distance", c.pileup.end_distance,
                   "bases this close to a read end count as low quality (0 for amplicons; 3-5 for capture/WGS)")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str();
    app.add_flag("--no-vus", [o](int64_t) { o->call.vus = false; },
                 "do not report variants of unknown significance (ABL1 codons 229-500, SLC19A1 CDS)");
    app.add_flag("--no-amplicon", o->no_amplicon,
                 "capture/WGS data: an alternative seen on one strand only is strand-biased whatever the reference");
    app.add_option("--junction-anchor", c.junction_anchor, "bases a read must align on each side of a fusion junction")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    app.add_option("-T,--cram-reference", o->cram_reference, "FASTA to decode CRAM files that do not embed it")
        ->check(CLI::ExistingFile);
    app.add_option("--exons", o->exons, "exon table for genome-aligned input (default: the bundled exons.tsv)")
        ->check(CLI::ExistingFile);
    app.add_flag("--write-index", [](int64_t) {}, "index calls.vcf.gz (the default; see --no-index)");
    app.add_flag("--no-index", o->no_index, "do not write calls.vcf.gz.tbi");
    app.add_flag("--allow-empty", o->allow_empty,
                 "a sample with no read on any catalogue codon is reported (all NOT_ASSESSABLE) instead of an error");

    return [common, o] {
        auto opt = o->call;
        opt.pileup.reference_path = o->cram_reference;
        opt.pileup.exons_path = o->exons;
        opt.strand.amplicon_aware = !o->no_amplicon;
        if (!(opt.min_vaf > 0.0 && opt.min_vaf < 1.0))
            throw config_error{"--min-vaf must be a fraction in (0, 1), e.g. 0.03 for 3 %"};
        if (!(opt.alpha > 0.0 && opt.alpha < 1.0))
            throw config_error{"--alpha must be in (0, 1)"};
        if (opt.max_base_quality < 1 || opt.max_base_quality > 93)
            throw config_error{"--max-BQ must be in 1..93"};
        if (opt.min_alt_molecules < 1)
            throw config_error{"--min-alt-molecules must be at least 1"};
        if (!(opt.min_fraction >= 0.0 && opt.min_fraction < opt.min_vaf))
            throw config_error{"--min-fraction must be at least 0 and below --min-vaf (" +
                               std::to_string(opt.min_vaf) + ")"};

        // Samples, checked before any work starts.
        std::vector<sample_input> samples;
        if (!o->samples_sheet.empty())
            samples = call::read_sample_sheet(o->samples_sheet);
        auto more = call::samples_from_arguments(o->inputs);
        samples.insert(samples.end(), more.begin(), more.end());
        if (samples.empty())
            throw config_error{"no input: give BAM/CRAM files, FASTQ R1 [R2], or --samples SHEET"};
        check_inputs(samples);
        if (!o->exons.empty())
            (void)pileup::exon_table::from_file(o->exons); // read only for genome-aligned input: check it now

        auto const panel = reference::panel::builtin("transcripts");
        catalogue::load_options lo;
        lo.builtin = !o->catalogue_only;
        lo.files = o->catalogues;
        if (o->catalogue_only && lo.files.empty())
            throw config_error{"--catalogue-only needs at least one --catalogue FILE"};
        auto const cat = catalogue::catalogue::load(panel, lo);

        fs::path const dir{o->outdir};
        std::error_code ec;
        // Declared before `outputs` and `work`, so that a failed run removes DIR after they removed their files.
        created_dirs created{dir};
        fs::create_directories(dir, ec);
        if (ec || !fs::is_directory(dir))
            throw output_error{o->outdir + ": cannot create the output directory: " + ec.message()};
        atomic_outputs outputs;
        for (auto const & p : created.paths) // and on a signal, once the temporary files are gone
            remove_on_signal(p.string(), true);
        work_dir work{dir / (".chemores-call.tmp" + std::to_string(::getpid()))};
        work.create(ec);
        if (ec)
            throw output_error{work.path.string() + ": cannot create: " + ec.message()};

        std::string const simd = common->simd == "auto"
                                     ? std::string{align::kernels::to_string(align::kernels::best_available_target())}
                                     : common->simd;
        // FASTQ samples: align into the work directory (sorted, indexed), kept as DIR/<sample>.bam.
        for (auto & s : samples)
        {
            if (s.fastq.empty())
                continue;
            align::align_options ao;
            ao.inputs = s.fastq;
            ao.output.path = work.file(s.name + ".bam").string(); // run_align commits it (and its index) there
            work.file(s.name + ".bam.bai");
            ao.output.sort = true;
            ao.output.write_index = true;
            ao.output.threads = common->threads;
            ao.read_group = "@RG\tID:" + s.name + "\tSM:" + s.name;
            ao.simd = common->simd;
            ao.command_line = command_line();
            ao.progress = false;
            if (common->verbosity >= 1)
                std::cerr << "chemores call: aligning " << s.name << " (" << s.fastq.size() << " FASTQ file"
                          << (s.fastq.size() > 1 ? "s" : "") << ")\n";
            align::run_align(ao);
            s.bam = ao.output.path;
        }

        // Call, samples in parallel (each pileup is one pass over its file); results in input order.
        std::vector<call::sample_result> results(samples.size());
        std::vector<std::exception_ptr> errors(samples.size());
        std::atomic<size_t> next{0};
        auto worker = [&] {
            for (size_t i; (i = next++) < samples.size();)
            {
                try
                {
                    results[i] = call::call_sample(samples[i].name, samples[i].bam, panel, cat, opt);
                    results[i].reads = samples[i].fastq;
                    if (!samples[i].fastq.empty())
                        results[i].input = (dir / (samples[i].name + ".bam")).string();
                }
                catch (...)
                {
                    errors[i] = std::current_exception();
                }
            }
        };
        {
            std::vector<std::jthread> pool;
            size_t const n = std::min<size_t>(static_cast<size_t>(common->threads), samples.size());
            for (size_t t = 1; t < n; ++t)
                pool.emplace_back(worker);
            worker();
        }
        for (auto const & e : errors)
            if (e)
                std::rethrow_exception(e);
        for (size_t i = 0; i < results.size(); ++i)
        {
            uint64_t covered = 0;
            for (auto const & v : results[i].calls)
                covered += v.depth;
            if (covered == 0 && !o->allow_empty)
                throw input_error{samples[i].fastq.empty() ? samples[i].bam
                                  : samples[i].fastq.size() == 1 ? samples[i].fastq[0]
                                                                 : samples[i].fastq[0] + " + " + samples[i].fastq[1],
                                  "no read passing the filters covers any catalogue codon (reads "
                                                  "not on the panel's genes, or all filtered); --allow-empty reports "
                                                  "such a sample as NOT_ASSESSABLE"};
        }
        call::complete_vus(results, opt);

        call::provenance prov;
        prov.command = command_line();
        prov.simd_target = simd;
        prov.reference_origin = panel.origin();
        prov.reference_checksum = panel.checksum();
        prov.catalogue = cat.meta();
        prov.options = opt;
        auto const doc = call::to_json(results, prov);

        auto write_text = [&](std::string const & name, std::string const & text) {
            std::string const final_path = (dir / name).string();
            std::string const tmp = outputs.add(final_path);
            std::ofstream out{tmp, std::ios::binary};
            out << text;
            out.close();
            if (!out)
                throw output_error{final_path + ": write failed"};
        };
        write_text("result.json", doc.dump(2) + "\n");
        write_text("calls.tsv", call::render_tsv(doc));
        write_text("summary.txt", call::render_summary(doc));
        if (results.size() > 1)
            write_text("matrix.tsv", call::render_matrix(doc));
        {
            std::string const vcf = (dir / "calls.vcf.gz").string();
            std::string const tmp = outputs.add(vcf);
            std::string const tmp_index = o->no_index ? std::string{} : outputs.add(vcf + ".tbi");
            call::write_bgzf_vcf(call::render_vcf(results, panel, prov), tmp, tmp_index);
        }
        for (auto const & s : samples)
            if (!s.fastq.empty())
                for (std::string const ext : {".bam", ".bam.bai"})
                {
                    fs::path const from = work.path / (s.name + ext);
                    std::string const tmp = outputs.add((dir / (s.name + ext)).string());
                    fs::rename(from, tmp, ec);
                    if (ec)
                        throw output_error{from.string() + ": cannot move into " + o->outdir + ": " + ec.message()};
                }
        outputs.commit();
        for (auto const & p : created.paths)
            forget_on_signal(p.string());
        created.clear();
        if (common->verbosity >= 1)
            std::cerr << call::render_summary(doc);
        return 0;
    };
}

} // namespace chemores::cli
