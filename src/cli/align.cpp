// chemores align: reads (FASTQ/FASTA/SAM/BAM/CRAM) -> SAM/BAM/CRAM against the resistance panel.

#include "common.hpp"

#include <chemores/align/pipeline.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/reference/panel.hpp>

#include <iostream>
#include <memory>

namespace chemores::cli
{

std::function<int()> setup_align(CLI::App & app)
{
    auto common = std::make_shared<common_options>();
    auto opt = std::make_shared<align::align_options>();
    auto min_len_set = std::make_shared<bool>(false);

    app.description(
        "Align reads to the built-in panel (ABL1 NM_005157.6 and isoform 1b, BCR, BCR::ABL1 e1a2/e13a2/e14a2/e19a2, "
        "SLC19A1) or, with --preset mirna, to the miRBase v22 human hairpins.\n"
        "Inputs: FASTQ/FASTA (plain, gzip, bgzip; '-' = stdin): one file (single-end, or --interleaved), two files "
        "(R1 R2), or one SAM/BAM/CRAM (re-aligned; mates must be adjacent).");
    app.add_option("inputs", opt->inputs, "reads: R1 [R2], or one SAM/BAM/CRAM")->required()->expected(1, 2);
    add_common_options(app, *common, opt_all);
    app.add_flag("-p,--interleaved", opt->interleaved, "the single FASTQ holds mates one after the other");
    app.add_option("-R,--read-group", opt->read_group, "read group header line, e.g. '@RG\\tID:run1\\tSM:patient1'");
    app.add_flag("--sort", opt->output.sort, "sort the output by coordinate");
    app.add_option("--sort-memory", opt->output.sort_memory, "bytes of records held in memory before a sorted chunk is "
                                                            "written to a temporary file")
        ->check(CLI::Range(uint64_t{1} << 20, uint64_t{1} << 40))
        ->capture_default_str();
    app.add_option("--preset", opt->preset, "default, or mirna: 3' adapter trimming, length filter, end-to-end "
                                            "forward-strand alignment to hairpins, all equally best hits")
        ->check(CLI::IsMember({"default", "mirna"}))
        ->capture_default_str();
    app.add_flag("--norc", opt->mapping.norc, "forward strand of the reference only (stranded libraries)");
    app.add_option("--adapter", opt->adapter, "3' adapter trimmed with --preset mirna (TruSeq small RNA)")
        ->capture_default_str();
    auto * minl = app.add_option("--min-length", opt->min_length, "--preset mirna: shortest read kept after trimming")
                      ->check(CLI::Range(8, 1000))
                      ->capture_default_str();
    app.add_option("--max-length", opt->max_length, "--preset mirna: longest read kept after trimming")
        ->check(CLI::Range(8, 1000))
        ->capture_default_str();
    app.add_option("--min-score", opt->mapping.min_score, "minimum alignment score of a mapped read")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
    app.add_option("-k,--seed-length", opt->mapping.k, "seed k-mer length")->check(CLI::Range(8, 16))->capture_default_str();
    app.add_option("-A,--match", opt->mapping.scoring.match, "match score")->check(CLI::Range(1, 20))->capture_default_str();
    app.add_option("-B,--mismatch", opt->mapping.scoring.mismatch, "mismatch penalty")->check(CLI::Range(0, 40))->capture_default_str();
    app.add_option("--gap-open", opt->mapping.scoring.gap_open, "gap open penalty (a gap of length L costs open + L*extend)")
        ->check(CLI::Range(0, 60))
        ->capture_default_str();
    app.add_option("--gap-extend", opt->mapping.scoring.gap_extend, "gap extension penalty")->check(CLI::Range(1, 20))->capture_default_str();
    app.add_option("--max-insert", opt->mapping.max_insert, "largest template length of a proper pair")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
    app.add_option("--stats", opt->stats_path, "write a JSON summary (reads, mapped, per-reference counts, fusion "
                                               "junction reads) to this file");
    app.add_flag("--no-progress", [opt](int64_t) { opt->progress = false; }, "no progress line on a terminal");
    (void)minl;
    (void)min_len_set;

    return [common, opt] {
        auto o = *opt;
        o.output.path = common->output;
        o.output.format = common->output_fmt;
        o.output.fmt_options = common->output_fmt_options;
        o.output.threads = common->threads;
        o.output.write_index = common->write_index;
        o.reference = common->reference;
        o.no_pg = common->no_pg;
        o.simd = common->simd;
        o.command_line = command_line();
        if (o.preset == "mirna")
        {
            o.trim = true;
            o.mapping.norc = true;
            o.mapping.end_to_end = true;
            o.mapping.all_best = true;
            o.mapping.k = std::min(o.mapping.k, 10);
            o.mapping.min_score = std::min(o.mapping.min_score, 2 * o.min_length - o.mapping.scoring.mismatch - 2);
        }
        if (o.min_length > o.max_length)
            throw config_error{"--min-length " + std::to_string(o.min_length) + " is larger than --max-length " +
                               std::to_string(o.max_length)};
        for (char c : o.adapter)
            if (std::string_view{"ACGT"}.find(c) == std::string_view::npos)
                throw config_error{"--adapter must consist of A, C, G, T"};

        auto const st = align::run_align(o);
        if (common->verbosity >= 1)
        {
            std::cerr << "chemores align: " << st.reads_in << " reads in, " << st.reads_mapped << " mapped";
            if (st.pairs > 0)
                std::cerr << ", " << st.proper_pairs << " of " << st.pairs << " pairs proper";
            if (o.trim)
                std::cerr << ", " << st.reads_trimmed << " adapter-trimmed, " << st.reads_length_filtered
                          << " outside " << o.min_length << "-" << o.max_length << " nt";
            std::cerr << " (simd " << st.simd_target << ")\n";
            for (auto const & [name, n] : st.junction_reads)
                std::cerr << "chemores align: " << name << " junction reads: " << n << "\n";
            if (st.reads_in == 0)
                std::cerr << "chemores align: warning: the input holds no reads; the output has a header only\n";
        }
        return 0;
    };
}

} // namespace chemores::cli
