// chemores report: a self-contained HTML report per sample or per cohort from the result.json of `chemores call`
// (optionally with `chemores mirna quant` results), and MultiQC custom content.

#include "common.hpp"

#include <chemores/core/atomic_output.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/report/report.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace chemores::cli
{

namespace
{

namespace fs = std::filesystem;

struct report_cli_options
{
    std::vector<std::string> results;
    std::string output;
    std::vector<std::string> samples;
    std::string multiqc;
    std::string mirna;
    std::string mirna_counts;
    std::string title;
};

void write_file(atomic_outputs & outputs, std::string const & final_path, std::string const & text)
{
    std::string const tmp = outputs.add(final_path);
    if (is_stdout(tmp))
    {
        std::cout << text;
        return;
    }
    std::ofstream out{tmp, std::ios::binary};
    out << text;
    out.close();
    if (!out)
        throw output_error{final_path + ": write failed"};
}

} // namespace

std::function<int()> setup_report(CLI::App & app)
{
    auto common = std::make_shared<common_options>();
    auto o = std::make_shared<report_cli_options>();
    app.description(
        "Render the result.json of 'chemores call' as one self-contained HTML file (inline CSS and SVG, no script, "
        "nothing fetched): the drug table (six TKIs and methotrexate), detected mutations with fractions and 95 % "
        "intervals, ABL1 kinase-domain coverage with the limit of detection per codon, fusion type, compound "
        "mutations, SLC19A1/hRFC findings, miRNA results (--mirna), QC and provenance. One sample gives a sample "
        "report; several (in one result.json or several files) a cohort report. --multiqc DIR writes MultiQC custom "
        "content (*_mqc.json) for 'multiqc'.");
    app.add_option("results", o->results, "result.json file(s) written by chemores call")->required();
    app.add_option("-o,--output", o->output, "HTML file to write ('-' for standard output)");
    app.add_option("--sample", o->samples, "report only this sample (repeatable)")->allow_extra_args(false);
    app.add_option("--multiqc", o->multiqc,
                   "write MultiQC custom content into this directory (created if missing): "
                   "chemores_general_stats_mqc.json, chemores_drugs_mqc.json, chemores_mutation_fractions_mqc.json");
    auto * mirna = app.add_option("--mirna", o->mirna,
                                  "output directory of 'chemores mirna quant' (counts.tsv, summary.tsv): adds the "
                                  "resistance-associated miRNAs");
    auto * counts = app.add_option("--mirna-counts", o->mirna_counts, "counts.tsv of 'chemores mirna quant'");
    mirna->excludes(counts);
    app.add_option("--title", o->title, "report title (default: 'Drug-resistance report: SAMPLE')");
    add_common_options(app, *common, opt_verbosity);

    return [common, o] {
        if (o->output.empty() && o->multiqc.empty())
            throw config_error{"nothing to write: give -o OUT.html and/or --multiqc DIR"};
        if (!o->output.empty() && !is_stdout(o->output))
        {
            std::error_code ec;
            fs::path const parent = fs::path{o->output}.parent_path();
            if (fs::is_directory(o->output, ec))
                throw config_error{"-o " + o->output + " is a directory; give the HTML file to write"};
            if (!parent.empty() && !fs::is_directory(parent, ec))
                throw output_error{o->output + ": the directory " + parent.string() + " does not exist"};
        }

        // Read and validate everything before anything is written.
        std::vector<report::result_file> files;
        for (auto const & path : o->results)
            files.push_back(report::load_result(path));
        auto c = report::make_cohort(std::move(files), o->samples);
        if (!o->mirna.empty())
            c.mirna = report::load_mirna(o->mirna);
        else if (!o->mirna_counts.empty())
            c.mirna = report::load_mirna(o->mirna_counts);

        report::html_options ho;
        ho.title = o->title;
        ho.command = command_line();
        std::string const html = o->output.empty() ? std::string{} : report::render_html(c, ho);
        auto const mqc = o->multiqc.empty() ? std::vector<report::output_file>{} : report::render_multiqc(c);

        // Write: every file under a temporary name, renamed together at the end.
        atomic_outputs outputs;
        bool created_dir = false;
        fs::path const mqc_dir{o->multiqc};
        try
        {
            if (!o->multiqc.empty())
            {
                std::error_code ec;
                if (!fs::is_directory(mqc_dir, ec))
                {
                    created_dir = fs::create_directories(mqc_dir, ec);
                    if (ec || !fs::is_directory(mqc_dir))
                        throw output_error{o->multiqc + ": cannot create the directory: " + ec.message()};
                }
                for (auto const & f : mqc)
                    write_file(outputs, (mqc_dir / f.name).string(), f.content);
            }
            if (!o->output.empty())
                write_file(outputs, o->output, html);
            outputs.commit();
        }
        catch (...)
        {
            outputs.discard();
            if (created_dir)
            {
                std::error_code ec;
                fs::remove(mqc_dir, ec); // only if still empty
            }
            throw;
        }
        if (common->verbosity >= 1)
        {
            if (!o->output.empty() && !is_stdout(o->output))
                std::cerr << "chemores report: wrote " << o->output << " ("
                          << (c.samples.size() == 1 ? "sample report" : "cohort report of " +
                                                                             std::to_string(c.samples.size()) +
                                                                             " samples")
                          << ")\n";
            if (!o->multiqc.empty())
                std::cerr << "chemores report: wrote " << mqc.size() << " MultiQC custom-content files into "
                          << o->multiqc << "\n";
        }
        return 0;
    };
}

} // namespace chemores::cli
