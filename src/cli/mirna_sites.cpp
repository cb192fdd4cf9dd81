// chemores mirna sites: seed-match sites (8mer ... offset-6mer) of miRNAs in 3'UTRs, per-site features, summaries,
// literature pairs, and the sites gained or lost by VCF variants.

#include "common.hpp"
#include "mirna.hpp"

#include <algorithm>
#include <chemores/core/atomic_output.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/core/version.hpp>
#include <chemores/mirna/sites.hpp>
#include <chemores/mirna/sites_data.hpp>
#include <chemores/mirna/sites_report.hpp>
#include <chemores/reference/panel.hpp>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

namespace chemores::cli
{

namespace
{
struct sites_cli_options
{
    common_options common;
    std::vector<std::string> mirnas;
    std::vector<std::string> genes;
    std::string utrs;
    std::string utr_annotation;
    std::string bed, gff3, json, summary, families;
    std::string vcf, variants;
    std::string track_coords = "utr";
    bool extended = false;
    bool exclude_near_stop = false;
};

// An output file opened on its temporary name, or standard output.
class output_stream
{
public:
    output_stream(atomic_outputs & outs, std::string const & path) : path_{path}
    {
        std::string const tmp = outs.add(path);
        if (!is_stdout(tmp))
        {
            file_.open(tmp, std::ios::binary);
            if (!file_)
                throw output_error{"cannot write " + path};
        }
    }
    std::ostream & os()
    {
        return file_.is_open() ? static_cast<std::ostream &>(file_) : std::cout;
    }
    void close()
    {
        if (file_.is_open())
        {
            file_.close();
            if (!file_)
                throw output_error{"cannot write " + path_ + " (disk full?)"};
        }
        else
            std::cout.flush();
    }

private:
    std::string path_;
    std::ofstream file_;
};

nlohmann::json input_entry(std::string const & role, std::string const & source, std::string const & md5)
{
    return {{"role", role}, {"source", source}, {"md5", md5}};
}

int run_sites(sites_cli_options const & o)
{
    using namespace chemores::mirna;
    // ---- option checks before any work
    if (!o.variants.empty() && o.vcf.empty())
        throw config_error{"--variants needs --vcf FILE"};
    if (!o.vcf.empty() && o.variants.empty() && o.json.empty())
        throw config_error{"--vcf needs --variants FILE (TSV) or --json FILE for its results"};
    if (!o.utr_annotation.empty() && o.utrs.empty())
        throw config_error{"--utr-annotation describes the records of --utrs FILE"};
    {
        std::set<std::string> seen;
        int n_stdout = 0;
        for (auto const * p : {&o.common.output, &o.bed, &o.gff3, &o.json, &o.summary, &o.families, &o.variants})
        {
            if (p != &o.common.output && p->empty())
                continue;
            if (is_stdout(*p))
                ++n_stdout;
            else if (!seen.insert(*p).second)
                throw config_error{"two outputs are written to the same file '" + *p + "'"};
        }
        if (n_stdout > 1)
            throw config_error{"only one output can go to standard output ('-')"};
    }
    track_coords coords = track_coords::utr;
    if (o.track_coords == "genome")
        coords = track_coords::genome;
    else if (o.track_coords == "transcript")
        coords = track_coords::transcript;

    std::vector<std::string> warnings;
    auto warn = [&](std::string const & w)
    {
        warnings.push_back(w);
        if (o.common.verbosity >= 1)
            std::cerr << "chemores mirna sites: warning: " << w << '\n';
    };

    // ---- inputs
    auto mirnas = resolve_mirnas(o.mirnas);
    std::map<std::string, utr_annotation> annotation;
    nlohmann::json inputs = nlohmann::json::array();
    if (!o.utr_annotation.empty())
    {
        std::ifstream in{o.utr_annotation, std::ios::binary};
        if (!in)
            throw input_error{o.utr_annotation, "cannot open"};
        std::string const text{std::istreambuf_iterator<char>{in}, {}};
        annotation = parse_utr_annotation(o.utr_annotation, text);
        inputs.push_back(input_entry("utr_annotation", o.utr_annotation, md5_text(text)));
    }
    auto utrs = o.utrs.empty() ? builtin_utrs() : read_utr_fasta(o.utrs, annotation);
    utrs = select_genes(std::move(utrs), o.genes);
    for (auto const & u : utrs)
        if (u.codes.size() < 6)
            warn("UTR " + u.name + " is " + std::to_string(u.codes.size()) +
                 " nt, shorter than the shortest site (6 nt): no site can be found in it");

    std::set<std::string> mirna_files;
    bool builtin_mirnas = false;
    for (auto const & m : mirnas)
    {
        if (m.origin.rfind("builtin:", 0) == 0)
            builtin_mirnas = true;
        else
            mirna_files.insert(m.origin);
    }
    if (builtin_mirnas)
        inputs.push_back(input_entry(
            "mirnas", "builtin:panel/mirna_matures.fa", md5_text(reference::bundled_file("panel/mirna_matures.fa"))));
    for (auto const & f : mirna_files)
        inputs.push_back(input_entry("mirnas", f, md5_file(f)));
    if (o.utrs.empty())
    {
        inputs.push_back(
            input_entry("utrs", "builtin:panel/utr3.fa", md5_text(reference::bundled_file("panel/utr3.fa"))));
        inputs.push_back(input_entry(
            "utr_annotation", "builtin:panel/utr3.tsv", md5_text(reference::bundled_file("panel/utr3.tsv"))));
    }
    else
        inputs.push_back(input_entry("utrs", o.utrs, md5_file(o.utrs)));
    inputs.push_back(input_entry("literature",
                                 "builtin:catalogue/mirna_targets.tsv",
                                 md5_text(reference::bundled_file("catalogue/mirna_targets.tsv"))));

    // ---- scan
    site_finder_options fo;
    fo.extended = o.extended;
    fo.threads = static_cast<unsigned>(o.common.threads);
    site_finder const finder{std::move(mirnas), fo};
    auto sites = finder.find(utrs);
    size_t excluded = 0;
    if (o.exclude_near_stop)
    {
        auto const before = sites.size();
        std::erase_if(sites,
                      [](site const & s)
                      {
                          return s.near_stop;
                      });
        excluded = before - sites.size();
    }

    // ---- variants
    std::optional<vcf_result> vcf;
    std::vector<variant_effect> effects;
    if (!o.vcf.empty())
    {
        vcf = read_vcf(o.vcf, utrs);
        inputs.push_back(input_entry("vcf", o.vcf, md5_file(o.vcf)));
        for (auto const & w : vcf->warnings)
            warn(o.vcf + ": " + w);
        effects = variant_effects(finder, utrs, vcf->variants);
        if (o.exclude_near_stop)
            for (auto & e : effects)
                std::erase_if(e.changes,
                              [](site_change const & c)
                              {
                                  return (!c.ref || c.ref->near_stop) && (!c.alt || c.alt->near_stop);
                              });
    }

    auto const & literature = builtin_literature_pairs();
    auto const summary = summarise_pairs(finder, utrs, sites, literature);
    auto const families = summarise_families(finder, utrs, sites);
    auto const lit = literature_report(finder, utrs, sites, literature);

    // ---- outputs: every file under a temporary name, renamed together at the end
    atomic_outputs outs;
    size_t bed_left_out = 0, gff_left_out = 0;
    {
        output_stream tsv{outs, o.common.output};
        write_sites_tsv(tsv.os(), finder, utrs, sites);
        tsv.close();
    }
    if (!o.bed.empty())
    {
        output_stream f{outs, o.bed};
        bed_left_out = write_bed(f.os(), finder, utrs, sites, coords);
        f.close();
    }
    if (!o.gff3.empty())
    {
        output_stream f{outs, o.gff3};
        gff_left_out = write_gff3(f.os(), finder, utrs, sites, coords);
        f.close();
    }
    if (bed_left_out || gff_left_out)
        warn(std::to_string(std::max(bed_left_out, gff_left_out)) + " sites have no " + o.track_coords +
             " coordinates and are left out of the BED/GFF3 tracks");
    if (!o.summary.empty())
    {
        output_stream f{outs, o.summary};
        write_summary_tsv(f.os(), finder, utrs, summary);
        f.close();
    }
    if (!o.families.empty())
    {
        output_stream f{outs, o.families};
        write_families_tsv(f.os(), finder, utrs, families);
        f.close();
    }
    if (!o.variants.empty())
    {
        output_stream f{outs, o.variants};
        write_variants_tsv(f.os(), finder, utrs, effects);
        f.close();
    }
    if (!o.json.empty())
    {
        auto j = results_json(finder, utrs, sites, summary, families, lit, vcf ? &effects : nullptr);
        nlohmann::json params{{"extended", o.extended},
                              {"exclude_near_stop", o.exclude_near_stop},
                              {"near_stop_nt", near_stop_nt},
                              {"threads", o.common.threads},
                              {"track_coords", o.track_coords},
                              {"mirnas", o.mirnas},
                              {"genes", o.genes}};
        j["provenance"] = {{"tool", "chemores"},
                           {"command", "mirna sites"},
                           {"version", std::string{version_string()}},
                           {"git", std::string{git_hash()}},
                           {"build_type", std::string{build_type()}},
                           {"compiler", std::string{compiler()}},
                           {"command_line", command_line()},
                           {"inputs", inputs},
                           {"parameters", params}};
        if (vcf)
            j["vcf"] = {{"records", vcf->records},
                        {"alleles", vcf->alleles},
                        {"placed", vcf->variants.size()},
                        {"outside_utrs", vcf->outside},
                        {"skipped", vcf->skipped},
                        {"build", vcf->build.empty() ? nlohmann::json(nullptr) : nlohmann::json(vcf->build)}};
        j["excluded_near_stop"] = excluded;
        j["warnings"] = warnings;
        output_stream f{outs, o.json};
        f.os() << j.dump(2) << '\n';
        f.close();
    }
    outs.commit();

    // ---- a short report on standard error
    if (o.common.verbosity >= 1)
    {
        size_t canonical = 0;
        for (auto const & s : sites)
            canonical += is_canonical(s.type) ? 1 : 0;
        uint64_t nt = 0;
        for (auto const & u : utrs)
            nt += u.codes.size();
        std::cerr << "chemores mirna sites: " << finder.mirnas().size() << " miRNAs (" << finder.groups().size()
                  << " seed families) x " << utrs.size() << " UTRs (" << nt << " nt): " << sites.size() << " sites ("
                  << canonical << " canonical)";
        if (o.exclude_near_stop)
            std::cerr << ", " << excluded << " near the stop codon excluded";
        std::cerr << '\n';
        for (auto const & l : lit)
        {
            if (l.utrs.empty())
                continue;
            std::cerr << "chemores mirna sites: literature " << l.pair.mature << " -> " << l.pair.gene << ": "
                      << (l.canonical.empty() ? "no canonical site" : format_site_list(l.canonical)) << '\n';
        }
        if (vcf)
        {
            size_t changes = 0;
            for (auto const & e : effects)
                changes += e.changes.size();
            std::cerr << "chemores mirna sites: " << o.vcf << ": " << vcf->records << " records, " << vcf->variants.size()
                      << " alleles placed on UTRs (" << vcf->outside << " elsewhere, " << vcf->skipped
                      << " skipped): " << changes << " site changes\n";
        }
    }
    return 0;
}
} // namespace

std::function<int()> setup_mirna_sites(CLI::App & app)
{
    auto o = std::make_shared<sites_cli_options>();
    app.description(
        "Predict miRNA seed-match sites in 3'UTRs. Site types (miRNA positions from the 5' end; t1 = the UTR base "
        "opposite miRNA nt 1): 8mer (match to nt 2-8 + A at t1), 7mer-m8 (2-8), 7mer-A1 (2-7 + A at t1), 6mer (2-7), "
        "offset-6mer (3-8); one best type per anchor. Default: the resistance-associated miRNAs of "
        "catalogue/mirna_targets.tsv against the bundled 3'UTRs of ABCB1 (NM_000927.5), ABCG2 and PTEN. Writes one "
        "TSV row per site (see docs/mirna_sites.md).");
    app.add_option("--mirnas",
                   o->mirnas,
                   "miRNAs (comma-separated, repeatable): names (hsa-miR-21-5p, miR-21, MIMAT0000076), a FASTA file, "
                   "family:NAME (all matures sharing its seed), seed:AGCUUAU, 'default' or 'all' (2,656 human "
                   "matures, miRBase v22)")
        ->delimiter(',')
        ->allow_extra_args(false);
    app.add_option("--utrs", o->utrs, "3'UTR FASTA (plain or gzip; position 1 = first base after the stop codon)")
        ->check(CLI::ExistingFile);
    app.add_option(
           "--utr-annotation",
           o->utr_annotation,
           "TSV like references/panel/utr3.tsv giving gene, transcript and genome coordinates of --utrs records")
        ->check(CLI::ExistingFile);
    app.add_option("--genes", o->genes, "only the UTRs of these genes (comma-separated; aliases MDR1, P-gp, BCRP)")
        ->delimiter(',')
        ->allow_extra_args(false);
    add_common_options(app, o->common, opt_output | opt_threads | opt_verbosity);
    app.get_option("--threads")
        ->description("threads (UTRs are cut into chunks; the output is the same for any number)");
    app.add_flag("--extended",
                 o->extended,
                 "also report non-canonical types: centered, 8mer-GU, 7mer-m8-GU, 7mer-A1-GU, 6mer-GU, 6mer-A1");
    app.add_flag("--exclude-near-stop",
                 o->exclude_near_stop,
                 "drop sites starting within 15 nt of the stop codon (default: report them with near_stop=yes)");
    app.add_option("--bed", o->bed, "BED6 track of the sites");
    app.add_option("--gff3", o->gff3, "GFF3 track of the sites (miRNA_target_site, SO:0000934)");
    app.add_option("--track-coords", o->track_coords, "coordinates of the BED/GFF3 tracks: utr, transcript or genome")
        ->check(CLI::IsMember({"utr", "transcript", "genome"}))
        ->capture_default_str();
    app.add_option("--json", o->json, "JSON: provenance (version, command line, input MD5s), sites, summaries");
    app.add_option("--summary",
                   o->summary,
                   "TSV per (miRNA, UTR): counts by site type, canonical sites, literature pairs of mirna_targets.tsv");
    app.add_option("--families", o->families, "TSV per (seed family, UTR): distinct sites by type");
    app.add_option("--vcf",
                   o->vcf,
                   "VCF (plain or bgzip): CHROM = UTR name, transcript accession, or a chromosome where the UTR has "
                   "genome coordinates; sites gained/lost per allele")
        ->check(CLI::ExistingFile);
    app.add_option("--variants", o->variants, "TSV of the sites gained, lost or changed by each --vcf allele");
    return [o]
    {
        return run_sites(*o);
    };
}

} // namespace chemores::cli
