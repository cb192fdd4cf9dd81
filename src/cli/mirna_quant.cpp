// chemores mirna quant: small-RNA FASTQ (one file per sample) -> miRNA and isomiR counts, CPM, mirGFF3, summary.

#include "common.hpp"
#include "mirna.hpp"

#include <chemores/core/errors.hpp>
#include <chemores/mirna/quant.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

namespace chemores::cli
{

std::function<int()> setup_mirna_quant(CLI::App & app)
{
    auto common = std::make_shared<common_options>();
    auto opt = std::make_shared<mirna::quant_options>();

    app.footer(
        "Quantify miRNAs and isomiRs from small-RNA reads. For each FASTQ (plain or gzip; one per sample): 3' adapter "
        "trimming, length filter, collapsing of identical reads; the unique reads are aligned end to end on the "
        "forward strand of the 1,917 miRBase v22 human hairpins (the aligner's small-RNA preset), assigned to "
        "matures within a tolerance and classified as isomiRs (mirGFF3: iso_5p, iso_3p, iso_add3p, iso_add5p, "
        "iso_snv*). A read whose equally best alignments designate n different miRNAs counts 1/n for each.\n"
        "Writes DIR/counts.tsv, cpm.tsv, multimapped.tsv, hairpin_counts.tsv, isomirs.tsv, mirna.gff3, summary.tsv, "
        "resistance_mirnas.tsv and run.json (see docs/mirna_quant.md).");
    app.add_option("inputs", opt->inputs, "small-RNA FASTQ files (plain, gzip or bgzip), one per sample")
        ->required()
        ->expected(1, -1);
    app.add_option("-o,--output", opt->output_dir, "output directory (created if needed; written only on success)")
        ->required();
    app.add_option("--samples",
                   opt->samples,
                   "comma-separated sample names, one per input (default: file name without .fastq/.fq/.gz)")
        ->delimiter(',')
        ->allow_extra_args(false); // `--samples a,b x.fq y.fq`: the files are inputs, not more names
    add_common_options(app, *common, opt_threads | opt_verbosity | opt_simd);
    app.add_option("--adapter",
                   opt->adapter,
                   "3' adapter to trim (default: Illumina TruSeq small RNA); 'none' = no "
                   "trimming")
        ->capture_default_str();
    app.add_flag("--discard-untrimmed",
                 opt->discard_untrimmed,
                 "discard reads in which the adapter is not found (default: keep them untrimmed)");
    app.add_option("--min-length", opt->min_length, "shortest read kept after trimming")
        ->check(CLI::Range(10, 1000))
        ->capture_default_str();
    app.add_option("--max-length", opt->max_length, "longest read kept after trimming")
        ->check(CLI::Range(10, 1000))
        ->capture_default_str();
    app.add_option("--tolerance-5p",
                   opt->annotation.tolerance_5p,
                   "assign to a mature if the read starts within this many nt of it ...")
        ->check(CLI::Range(0, 20))
        ->capture_default_str();
    app.add_option(
           "--tolerance-3p", opt->annotation.tolerance_3p, "... and its templated part ends within this many nt")
        ->check(CLI::Range(0, 20))
        ->capture_default_str();
    app.add_option("--max-mismatches",
                   opt->annotation.max_mismatches,
                   "mismatches (iso_snv) allowed in the templated part of a read")
        ->check(CLI::Range(0, 5))
        ->capture_default_str();
    app.add_option("--max-add3p", opt->annotation.max_add3p, "non-templated 3' nucleotides allowed (iso_add3p)")
        ->check(CLI::Range(0, 10))
        ->capture_default_str();
    app.add_option("--max-add5p",
                   opt->annotation.max_add5p,
                   "non-templated 5' nucleotides allowed (iso_add5p; 0: a 5' mismatch is an SNV)")
        ->check(CLI::Range(0, 5))
        ->capture_default_str();

    return [common, opt]
    {
        auto o = *opt;
        o.threads = common->threads;
        o.simd = common->simd;
        o.command_line = command_line();
        for (auto & c : o.adapter)
            if (c >= 'a' && c <= 'z')
                c = static_cast<char>(c - 'a' + 'A');
        if (o.adapter == "NONE")
            o.adapter.clear();
        else if (o.adapter.empty())
            throw config_error{"--adapter is empty (use --adapter none to skip trimming)"};
        auto const t0 = std::chrono::steady_clock::now();
        auto const r = mirna::run_quant(o);
        double const secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (common->verbosity >= 1)
        {
            uint64_t total = 0;
            for (auto const & s : r.samples)
            {
                total += s.reads_in;
                std::cerr << "chemores mirna quant: " << s.name << ": " << s.reads_in << " reads, " << s.adapter_found
                          << " with adapter, " << s.too_short << " too short, " << s.too_long << " too long, "
                          << s.mapped << " mapped, " << s.assigned << " assigned to matures, " << s.hairpin_other
                          << " elsewhere on hairpins, " << s.multimapped << " multi-mapped\n";
            }
            if (!r.resistance_detected.empty())
            {
                std::cerr << "chemores mirna quant: resistance-associated miRNAs detected (CPM):";
                size_t shown = 0;
                for (auto const & [name, cpms] : r.resistance_detected)
                {
                    if (shown++ == 8)
                    {
                        std::cerr << " ... (see resistance_mirnas.tsv)";
                        break;
                    }
                    std::cerr << " " << name << " (";
                    for (size_t i = 0; i < cpms.size(); ++i)
                        std::cerr << (i ? ", " : "") << mirna::format_count(cpms[i]);
                    std::cerr << ")";
                }
                std::cerr << "\n";
            }
            for (auto const & w : r.warnings)
                std::cerr << "chemores mirna quant: warning: " << w << "\n";
            if (common->verbosity >= 2)
            {
                char buf[160];
                std::snprintf(buf,
                              sizeof buf,
                              "%.2f s (reading %.2f, aligning %.2f, writing %.2f), %.0f reads/s",
                              secs,
                              r.seconds_reading,
                              r.seconds_aligning,
                              r.seconds_reporting,
                              secs > 0 ? static_cast<double>(total) / secs : 0.0);
                std::cerr << "chemores mirna quant: " << r.unique_sequences << " unique sequences, simd "
                          << r.simd_target << ", " << buf << "\n";
            }
            std::cerr << "chemores mirna quant: wrote " << o.output_dir << "/{";
            for (size_t i = 0; i < r.files.size(); ++i)
                std::cerr << (i ? "," : "") << r.files[i];
            std::cerr << "}\n";
        }
        return 0;
    };
}

} // namespace chemores::cli
