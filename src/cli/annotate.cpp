// chemores annotate: tag reads carrying catalogued mutations or spanning a fusion junction in a batch of BAM/CRAM/SAM
// files; one annotated, indexed BAM per input and one summary table for the batch. See docs/annotate.md.

#include "common.hpp"

#include <algorithm>
#include <chemores/annotate/annotate.hpp>
#include <chemores/core/atomic_output.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/core/text.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

namespace chemores::cli
{

namespace
{

namespace fs = std::filesystem;

struct annotate_cli_options
{
    std::vector<std::string> inputs;
    std::string bam_list;
    std::string outdir;
    int jobs = 1;
    std::vector<std::string> catalogues;
    bool catalogue_only = false;
    bool dry_run = false;
    bool no_index = false;
    annotate::options opt;
};

//!\brief File name without directory and without .bam/.cram/.sam/.sam.gz (case-insensitive).
std::string stem(std::string const & path)
{
    std::string s = fs::path{path}.filename().string();
    std::string const l = ascii_lower(s);
    for (std::string_view ext : {".sam.gz", ".bam", ".cram", ".sam"})
        if (l.ends_with(ext) && l.size() > ext.size())
        {
            s.resize(s.size() - ext.size());
            break;
        }
    return s;
}

//!\brief --bam-list: one path per line; blank lines and '#' comments skipped; relative paths are relative to the list.
std::vector<std::string> read_bam_list(std::string const & path)
{
    std::ifstream in{path};
    if (!in)
        throw input_error{path, "cannot open the BAM list"};
    fs::path const base = fs::path{path}.parent_path();
    std::vector<std::string> out;
    std::string line;
    uint64_t n = 0;
    while (std::getline(in, line))
    {
        ++n;
        auto const t = trim(line);
        if (t.empty() || t.front() == '#')
            continue;
        // A BAM, an image, a gzip file given as the list: refuse it instead of "opening" its bytes as paths.
        if (std::any_of(t.begin(), t.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\t'; }))
            throw input_error{path, n, "not a list of paths (binary data or control characters); give a text file "
                                       "with one BAM/CRAM/SAM path per line"};
        fs::path const p{std::string{t}};
        out.push_back(p.is_absolute() || base.empty() ? p.string() : (base / p).string());
    }
    if (in.bad())
        throw input_error{path, "read error"};
    if (out.empty())
        throw input_error{path, "the BAM list names no file"};
    return out;
}

std::string same_file_key(std::string const & p)
{
    std::error_code ec;
    auto const c = fs::weakly_canonical(fs::path{p}, ec);
    return ec ? fs::absolute(fs::path{p}).lexically_normal().string() : c.string();
}

} // namespace

std::function<int()> setup_annotate(CLI::App & app)
{
    auto common = std::make_shared<common_options>();
    auto o = std::make_shared<annotate_cli_options>();
    app.description(
        "Tag the reads that carry a catalogued drug-resistance mutation (aux tag XM:Z:ABL1:p.T315I[,...]) or span a "
        "BCR::ABL1 fusion junction (XJ:Z:e13a2) in a batch of BAM/CRAM/SAM files aligned to the chemores panel or to "
        "GRCh38/hg19. Every record is kept, in order, unchanged but for these tags; the header gains a @PG line.\n"
        "Writes DIR/<name>.annotated.bam per input (indexed if the input is sorted by coordinate) and "
        "DIR/annotate_summary.tsv (one row per input). A failed input is reported in the table and leaves no output; "
        "the others still complete; the exit status is then 1.");
    app.add_option("inputs", o->inputs, "BAM/CRAM/SAM files");
    app.add_option("--bam-list",
                   o->bam_list,
                   "file naming one input per line ('#' comments; relative paths are relative to the list)");
    app.add_option("-o,--output", o->outdir, "output directory (created if missing)")->required();
    add_common_options(app, *common, opt_threads | opt_verbosity | opt_no_pg);
    app.get_option("--threads")->description("threads for BGZF decompression and compression (shared by the -j jobs)");
    app.add_option("-j,--jobs", o->jobs, "files annotated in parallel (they share the -@ thread pool)")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    app.add_option("--catalogue", o->catalogues, "user catalogue (columns of abl1_mutations.tsv), repeatable")
        ->check(CLI::ExistingFile)
        ->allow_extra_args(false);
    app.add_flag("--catalogue-only", o->catalogue_only, "use only the --catalogue files");
    app.add_flag("-n,--dry-run", o->dry_run, "check the inputs and list what would be written; write nothing");
    auto & a = o->opt;
    app.add_option("-Q,--min-BQ", a.min_base_quality, "each of the three codon bases needs this base quality")
        ->check(CLI::Range(0, 93))
        ->capture_default_str();
    app.add_option("-q,--min-MQ", a.min_mapping_quality, "do not tag reads with a mapping quality below")
        ->check(CLI::Range(0, 255))
        ->capture_default_str();
    app.add_option("--tag", a.mutation_tag, "aux tag for the mutations a read carries")->capture_default_str();
    app.add_option("--junction-tag", a.junction_tag, "aux tag for the fusion type of a junction-spanning read")
        ->capture_default_str();
    app.add_option("--junction-anchor", a.junction_anchor, "bases a read must align on each side of a fusion junction")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    app.add_option("--min-junction-reads",
                   a.min_junction_reads,
                   "junction reads of a type needed to name it in the summary's fusion_type")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
    app.add_flag("--no-index", o->no_index, "do not index the outputs of coordinate-sorted inputs");
    app.add_option("-T,--cram-reference", a.reference_path, "FASTA to decode CRAM files that do not embed it")
        ->check(CLI::ExistingFile);
    app.add_option("--exons", a.exons_path, "exon table for genome-aligned input (default: the bundled exons.tsv)")
        ->check(CLI::ExistingFile);

    return [common, o]
    {
        std::string const prefix = "chemores annotate: ";
        // Inputs and output names, checked before anything is written.
        std::vector<std::string> inputs = o->inputs;
        if (!o->bam_list.empty())
        {
            auto more = read_bam_list(o->bam_list);
            inputs.insert(inputs.end(), more.begin(), more.end());
        }
        if (inputs.empty())
            throw config_error{"no input: give BAM/CRAM/SAM files or --bam-list FILE"};
        fs::path const dir{o->outdir};
        std::vector<annotate::batch_item> items;
        std::map<std::string, std::string> by_output; // output key -> input
        for (auto const & in : inputs)
        {
            annotate::batch_item it;
            it.input = in;
            it.default_sample = stem(in);
            it.output = (dir / (stem(in) + ".annotated.bam")).string();
            auto const key = same_file_key(it.output);
            if (auto const [p, fresh] = by_output.emplace(key, in); !fresh)
                throw config_error{"'" + p->second + "' and '" + in + "' would both be written to " + it.output +
                                   " (rename one, or annotate them into different directories)"};
            if (key == same_file_key(in))
                throw config_error{in + ": the output would overwrite the input"};
            items.push_back(std::move(it));
        }
        std::string const summary_path = (dir / "annotate_summary.tsv").string();

        auto const panel = reference::panel::builtin("transcripts");
        catalogue::load_options lo;
        lo.builtin = !o->catalogue_only;
        lo.files = o->catalogues;
        if (o->catalogue_only && lo.files.empty())
            throw config_error{"--catalogue-only needs at least one --catalogue FILE"};
        auto const cat = catalogue::catalogue::load(panel, lo);
        auto opt = o->opt;
        opt.add_pg = !common->no_pg;
        opt.command_line = command_line();
        opt.write_index = !o->no_index;
        annotate::annotator annot{panel, cat, opt};

        if (o->dry_run)
        {
            size_t failing = 0;
            for (auto const & it : items)
            {
                try
                {
                    auto const info = annot.inspect(it.input);
                    bool const index = opt.write_index && info.coordinate_sorted;
                    std::cout << it.input << ": " << info.format << ", sample "
                              << (info.sample.empty() ? it.default_sample : info.sample) << ", reference "
                              << pileup::to_string(info.reference) << ", "
                              << (info.coordinate_sorted ? "sorted by coordinate" : "not sorted by coordinate") << ", "
                              << info.entries_located << " of " << cat.mutations().size()
                              << " catalogue entries located, fusion junctions "
                              << (info.junctions_assessable ? "tagged" : "not assessable") << "\n  would write "
                              << it.output << (index ? " and its index (.bai/.csi)" : " (no index)") << "\n";
                }
                catch (std::exception const & e)
                {
                    ++failing;
                    std::cout << it.input << ": would FAIL: " << e.what() << "\n";
                }
            }
            std::cout << "would write " << summary_path << " (" << items.size() << " input"
                      << (items.size() == 1 ? "" : "s") << (failing ? ", " + std::to_string(failing) + " failing" : "")
                      << "); nothing was written (--dry-run)\n";
            return failing ? 1 : 0;
        }

        std::error_code ec;
        directory_guard dir_guard; // DIR is not left behind if this run created it and ends before the summary
        dir_guard.create(dir, ec);
        if (ec || !fs::is_directory(dir))
            throw output_error{o->outdir + ": cannot create the output directory" +
                               (ec ? ": " + ec.message() : std::string{})};

        int const verbosity = common->verbosity;
        auto const results = annotate::run_batch(
            annot,
            items,
            o->jobs,
            common->threads,
            [&](size_t, annotate::file_result const & r)
            {
                if (!r.ok)
                {
                    std::cerr << prefix << "error: " << r.error << " (no output written for it)\n";
                    return;
                }
                if (verbosity >= 1 && r.replaced_tags > 0)
                    std::cerr << prefix << "warning: " << r.input << ": " << r.replaced_tags << " record"
                              << (r.replaced_tags == 1 ? "" : "s") << " already had a " << o->opt.mutation_tag << " or "
                              << o->opt.junction_tag << " tag; replaced by this run's findings (removed where none)\n";
                if (verbosity >= 1)
                {
                    std::cerr << prefix << r.input << ": " << r.reads << " reads, " << r.reads_with_mutation
                              << " with a catalogued mutation, " << r.junction_reads << " junction reads (fusion "
                              << r.fusion_type << ") -> " << r.output
                              << (r.index.empty()
                                      ? " (not indexed: the input is not sorted by coordinate, or --no-index)"
                                      : "")
                              << " ("
                              << static_cast<uint64_t>(r.seconds > 0 ? static_cast<double>(r.records) / r.seconds : 0)
                              << " records/s)\n";
                    if (r.entries_located == 0)
                        std::cerr << prefix << "warning: " << r.input
                                  << ": no catalogue codon is on its reference contigs; nothing could be tagged\n";
                }
            });

        atomic_outputs outputs;
        {
            std::string const tmp = outputs.add(summary_path);
            std::ofstream out{tmp, std::ios::binary};
            out << annotate::render_summary(results, annot.labels());
            out.close();
            if (!out)
                throw output_error{summary_path + ": write failed"};
        }
        outputs.commit();
        dir_guard.keep();
        size_t failed = 0;
        for (auto const & r : results)
            failed += r.ok ? 0 : 1;
        if (failed > 0)
            std::cerr << prefix << failed << " of " << results.size() << " input" << (results.size() == 1 ? "" : "s")
                      << " failed; see " << summary_path << "\n";
        else if (verbosity >= 1)
            std::cerr << prefix << results.size() << " input" << (results.size() == 1 ? "" : "s")
                      << " annotated; summary: " << summary_path << "\n";
        return failed > 0 ? 1 : 0;
    };
}

} // namespace chemores::cli
