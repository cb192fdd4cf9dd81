// chemores catalogue list|validate|show: the mutation catalogue that `chemores call` will use.

#include "common.hpp"

#include <algorithm>
#include <chemores/catalogue/catalogue.hpp>
#include <chemores/catalogue/genetic_code.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/reference/panel.hpp>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

namespace chemores::cli
{

namespace
{
struct catalogue_cli_options
{
    std::vector<std::string> files;
    bool only = false;
    std::string reference;
    std::string name;
};

void add_catalogue_options(CLI::App & sub, catalogue_cli_options & o)
{
    sub.add_option("--catalogue",
                   o.files,
                   "user catalogue (TSV with the columns of references/catalogue/abl1_mutations.tsv), checked against "
                   "the reference; repeatable")
        ->check(CLI::ExistingFile)
        ->allow_extra_args(false);
    sub.add_flag("--catalogue-only", o.only, "use only the --catalogue files, not the bundled catalogue");
    sub.add_option("--reference", o.reference, "FASTA replacing the built-in reference panel")
        ->check(CLI::ExistingFile);
}

reference::panel load_panel(catalogue_cli_options const & o)
{
    return o.reference.empty() ? reference::panel::builtin("transcripts") : reference::panel::from_fasta(o.reference);
}

catalogue::load_options to_load_options(catalogue_cli_options const & o)
{
    if (o.only && o.files.empty())
        throw config_error{"--catalogue-only needs at least one --catalogue FILE"};
    catalogue::load_options lo;
    lo.builtin = !o.only;
    lo.files = o.files;
    return lo;
}

std::string or_dot(std::string const & s)
{
    return s.empty() ? "." : s;
}

std::string join(std::vector<std::string> const & v, std::string_view sep)
{
    std::string s;
    for (auto const & x : v)
        s += (s.empty() ? "" : std::string{sep}) + x;
    return s;
}

std::string format_fold(double x)
{
    std::ostringstream os;
    os << x;
    return os.str();
}

int run_list(catalogue_cli_options const & o)
{
    auto const panel = load_panel(o);
    auto const cat = catalogue::catalogue::load(panel, to_load_options(o));
    auto const drugs = cat.drugs();
    std::cout << "id\tgene\thgvs_c\thgvs_p\tregion";
    for (auto const & d : drugs)
        std::cout << '\t' << d;
    std::cout << '\n';
    for (auto const & m : cat.mutations())
    {
        std::cout << m.id << '\t' << m.gene << '\t' << join(m.hgvs_c(), "|") << '\t' << m.hgvs_p << '\t'
                  << or_dot(m.region);
        for (auto const & d : drugs)
        {
            auto const * e = m.effect_for(d);
            std::cout << '\t' << (e ? std::string{catalogue::to_string(e->call)} : std::string{"."});
        }
        std::cout << '\n';
    }
    return 0;
}

int run_validate(catalogue_cli_options const & o)
{
    auto const panel = load_panel(o);
    catalogue::catalogue cat;
    auto const report = catalogue::catalogue::validate(panel, to_load_options(o), &cat);
    if (!report.errors.empty())
    {
        for (auto const & e : report.errors)
            std::cerr << "chemores catalogue: error: " << e.to_string() << '\n';
        std::cerr << "chemores catalogue: " << report.errors.size()
                  << (report.errors.size() == 1 ? " error" : " errors") << "; the catalogue is not valid\n";
        return 1;
    }
    auto const & meta = cat.meta();
    if (meta.builtin)
        std::cout << "catalogue " << meta.catalogue_version << " (schema " << meta.schema_version
                  << "), bundled files match catalogue.json md5s\n";
    std::cout << "reference " << meta.reference_origin << " (checksum " << meta.reference_checksum << ")\n";
    // Per file, in load order: entries, compounds and skipped rows.
    std::vector<std::string> origins;
    std::map<std::string, size_t> entries, compounds, skipped;
    auto note = [&](std::map<std::string, size_t> & counts, std::string const & origin)
    {
        if (std::find(origins.begin(), origins.end(), origin) == origins.end())
            origins.push_back(origin);
        ++counts[origin];
    };
    for (auto const & m : cat.mutations())
        note(entries, m.origin);
    for (auto const & c : cat.compounds())
        note(compounds, c.origin);
    for (auto const & s : cat.skipped())
        note(skipped, s.origin);
    for (auto const & origin : origins)
    {
        std::vector<std::string> parts;
        if (entries.count(origin))
            parts.push_back(std::to_string(entries[origin]) + " entries valid");
        if (compounds.count(origin))
            parts.push_back(std::to_string(compounds[origin]) + " compounds valid");
        if (skipped.count(origin))
            parts.push_back(std::to_string(skipped[origin]) + " rows skipped");
        std::cout << origin << ": " << join(parts, ", ") << '\n';
    }
    for (auto const & s : cat.skipped())
        std::cout << "skipped " << s.origin << " line " << s.line << " (" << s.label << "): " << s.reason << '\n';
    std::cout << report.valid_entries << " entries valid\n";
    return 0;
}

int run_show(catalogue_cli_options const & o)
{
    auto const panel = load_panel(o);
    auto const cat = catalogue::catalogue::load(panel, to_load_options(o));
    auto const hits = cat.find(o.name);
    if (hits.empty())
    {
        auto const close = cat.suggest(o.name);
        std::cerr << "chemores catalogue: error: no catalogue entry '" << o.name << "'";
        if (!close.empty())
            std::cerr << "; closest: " << join(close, ", ");
        std::cerr << '\n';
        return 1;
    }
    if (hits.size() > 1)
    {
        std::vector<std::string> ids;
        for (auto const * m : hits)
            ids.push_back(m->id);
        std::cerr << "chemores catalogue: error: '" << o.name << "' matches several entries: " << join(ids, ", ")
                  << "; name the gene, e.g. " << ids.front() << '\n';
        return 1;
    }
    auto const & m = *hits.front();
    auto field = [](std::string_view key, std::string const & value)
    {
        std::cout << key << '\t' << or_dot(value) << '\n';
    };
    using catalogue::three_letter;
    field("id", m.id);
    field("name", m.name);
    field("gene", m.gene);
    field("transcript", m.transcript);
    field("transcript_label", m.transcript_label);
    field("codon", std::to_string(m.codon));
    field("cds_range", "c." + std::to_string(m.cds_first()) + "_" + std::to_string(m.cds_first() + 2));
    field("transcript_range",
          std::to_string(m.transcript_offset() + 1) + "-" + std::to_string(m.transcript_offset() + 3));
    field("ref_aa", std::string{three_letter(m.ref_aa)});
    field("alt_aa", std::string{three_letter(m.alt_aa)});
    field("ref_codon", m.ref_codon);
    field("hgvs_p", m.hgvs_p);
    field("hgvs_c", join(m.hgvs_c(), "|"));
    field("alt_codons", join(m.alt_codons(), "|"));
    for (auto const & r : m.routes)
        std::cout << "route\t" << r.hgvs_c << '\t' << m.ref_codon << '>' << r.alt_codon << '\n';
    field("region", m.region);
    for (auto const & d : m.drugs)
        std::cout << "effect\t" << d.drug << '\t' << catalogue::to_string(d.call) << '\t'
                  << (d.ic50_fold ? format_fold(*d.ic50_fold) : std::string{"."}) << '\n';
    field("nt_change_basis", m.nt_change_basis);
    field("sensitivity_basis", m.sensitivity_basis);
    field("ic50_source", m.ic50_source);
    field("notes", m.notes);
    for (auto const & [k, v] : m.attributes)
        field(k, v);
    for (auto const & s : m.sources)
        field("source", s);
    for (auto const * c : cat.compounds_with(m.id))
        std::cout << "compound\t" << c->name << '\t' << c->effect << '\n';
    field("origin", m.origin + " line " + std::to_string(m.line));
    return 0;
}
} // namespace

std::function<int()> setup_catalogue(CLI::App & app)
{
    auto o = std::make_shared<catalogue_cli_options>();
    app.description("The mutation catalogue used by 'chemores call': ABL1 kinase-domain substitutions (NM_005157.6, "
                    "isoform 1a numbering) with their effect on imatinib, dasatinib, nilotinib, bosutinib, ponatinib "
                    "and asciminib, SLC19A1 variants (methotrexate), and compound mutations. Every row is checked "
                    "against the reference transcript when loaded.");
    app.require_subcommand(1, 1);
    auto * list =
        app.add_subcommand("list", "print every entry as TSV: id, gene, hgvs_c, hgvs_p, region, drug effects");
    auto * validate = app.add_subcommand(
        "validate", "check every row against the reference; print a summary and the skipped rows (exit 1 on errors)");
    auto * show =
        app.add_subcommand("show", "print every field of one entry (T315I, ABL1:T315I, p.Thr315Ile, c.944C>T)");
    for (auto * sub : {list, validate, show})
        add_catalogue_options(*sub, *o);
    show->add_option("name", o->name, "entry name: T315I, ABL1:T315I, p.Thr315Ile or one of its c. changes")
        ->required();

    return [o, list, validate, show]
    {
        if (list->parsed())
            return run_list(*o);
        if (validate->parsed())
            return run_validate(*o);
        if (show->parsed())
            return run_show(*o);
        throw config_error{"expected a subcommand: list, validate or show"};
    };
}

} // namespace chemores::cli
