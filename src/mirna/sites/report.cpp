// chemores::mirna outputs: summaries, literature pairs, and the TSV/BED/GFF3/JSON writers.

#include <algorithm>
#include <cctype>
#include <chemores/core/dna.hpp>
#include <chemores/mirna/sites_report.hpp>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <tuple>

namespace chemores::mirna
{

namespace
{

std::string upper(std::string_view s)
{
    std::string r{s};
    for (auto & c : r)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return r;
}

std::string fixed(double x, int decimals)
{
    if (std::isnan(x))
        return ".";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
    return buf;
}

std::string or_dot(std::string const & s)
{
    return s.empty() ? "." : s;
}

std::string site_seq(utr_sequence const & u, site const & s)
{
    std::string r;
    for (int64_t p = s.start; p <= s.end; ++p)
        r.push_back(code_to_char[u.codes[static_cast<size_t>(p - 1)]]);
    return r;
}

int bed_score(site_type t)
{
    switch (t)
    {
    case site_type::eight_mer:
        return 1000;
    case site_type::seven_mer_m8:
        return 800;
    case site_type::seven_mer_a1:
        return 700;
    case site_type::six_mer:
        return 500;
    case site_type::offset_six_mer:
        return 400;
    default:
        return 300;
    }
}

std::optional<mapped_interval> track_interval(utr_sequence const & u, site const & s, track_coords c)
{
    switch (c)
    {
    case track_coords::utr:
        return mapped_interval{u.name, s.start, s.end, '+', {}};
    case track_coords::transcript:
        return to_transcript(u.annotation, s.start, s.end);
    case track_coords::genome:
        return to_genome(u.annotation, s.start, s.end);
    }
    return std::nullopt;
}

// GFF3 column 9 escaping (tab, newline, ; = & , % and control characters).
std::string gff_escape(std::string const & s)
{
    std::string r;
    for (unsigned char c : s)
    {
        if (c < 0x20 || c == ';' || c == '=' || c == '&' || c == ',' || c == '%' || c == 0x7f)
        {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            r += buf;
        }
        else
            r.push_back(static_cast<char>(c));
    }
    return r;
}

nlohmann::json num_or_null(double x)
{
    return std::isnan(x) ? nlohmann::json(nullptr) : nlohmann::json(x);
}

nlohmann::json interval_json(std::optional<mapped_interval> const & m)
{
    if (!m)
        return nullptr;
    nlohmann::json j{{"seqid", m->seqid}, {"start", m->start}, {"end", m->end}, {"strand", std::string(1, m->strand)}};
    if (!m->build.empty())
        j["build"] = m->build;
    return j;
}

nlohmann::json counts_json(std::array<uint32_t, site_type_count> const & c, bool extended)
{
    nlohmann::json j = nlohmann::json::object();
    for (size_t t = 0; t < site_type_count; ++t)
        if (t < canonical_site_type_count || extended)
            j[std::string{to_string(static_cast<site_type>(t))}] = c[t];
    return j;
}

} // namespace

std::string format_site_list(std::vector<site> const & sites)
{
    if (sites.empty())
        return ".";
    std::string r;
    for (auto const & s : sites)
        r += (r.empty() ? "" : ",") + std::string{to_string(s.type)} + ":" + std::to_string(s.start) + "-" +
             std::to_string(s.end);
    return r;
}

std::vector<pair_summary> summarise_pairs(site_finder const & finder,
                                          std::vector<utr_sequence> const & utrs,
                                          std::vector<site> const & sites,
                                          std::vector<literature_pair> const & literature)
{
    auto const & mirnas = finder.mirnas();
    size_t const nu = utrs.size();
    std::vector<pair_summary> out(mirnas.size() * nu);
    for (uint32_t m = 0; m < mirnas.size(); ++m)
        for (uint32_t u = 0; u < nu; ++u)
        {
            auto & p = out[m * nu + u];
            p.mirna = m;
            p.utr = u;
            for (auto const & l : literature)
                if (l.mature == mirnas[m].name && upper(l.gene) == upper(utrs[u].annotation.gene))
                    p.literature.push_back(l);
        }
    for (auto const & s : sites)
    {
        auto & p = out[s.mirna * nu + s.utr];
        ++p.counts[static_cast<size_t>(s.type)];
        p.near_stop += s.near_stop ? 1 : 0;
        if (is_canonical(s.type))
            p.canonical.push_back(s);
    }
    return out;
}

std::vector<family_summary>
summarise_families(site_finder const & finder, std::vector<utr_sequence> const & utrs, std::vector<site> const & sites)
{
    size_t const nu = utrs.size();
    std::vector<family_summary> out(finder.groups().size() * nu);
    for (uint32_t g = 0; g < finder.groups().size(); ++g)
        for (uint32_t u = 0; u < nu; ++u)
        {
            out[g * nu + u].group = g;
            out[g * nu + u].utr = u;
        }
    std::set<std::tuple<uint32_t, uint32_t, int64_t, site_type>> seen;
    for (auto const & s : sites)
    {
        if (s.type == site_type::centered)
            continue;
        uint32_t const g = finder.group_of(s.mirna);
        if (seen.emplace(g, s.utr, s.anchor, s.type).second)
            ++out[g * nu + s.utr].counts[static_cast<size_t>(s.type)];
    }
    return out;
}

std::vector<literature_status> literature_report(site_finder const & finder,
                                                 std::vector<utr_sequence> const & utrs,
                                                 std::vector<site> const & sites,
                                                 std::vector<literature_pair> const & literature)
{
    std::map<std::string, uint32_t> by_name;
    for (uint32_t i = 0; i < finder.mirnas().size(); ++i)
        by_name.emplace(finder.mirnas()[i].name, i);
    std::vector<literature_status> out;
    for (auto const & l : literature)
    {
        auto it = by_name.find(l.mature);
        if (it == by_name.end())
            continue;
        literature_status st;
        st.pair = l;
        st.mirna = it->second;
        for (uint32_t u = 0; u < utrs.size(); ++u)
            if (!l.gene.empty() && upper(utrs[u].annotation.gene) == upper(l.gene))
                st.utrs.push_back(u);
        for (auto const & s : sites)
            if (s.mirna == st.mirna && is_canonical(s.type) &&
                std::find(st.utrs.begin(), st.utrs.end(), s.utr) != st.utrs.end())
                st.canonical.push_back(s);
        out.push_back(std::move(st));
    }
    return out;
}

void write_sites_tsv(std::ostream & os,
                     site_finder const & finder,
                     std::vector<utr_sequence> const & utrs,
                     std::vector<site> const & sites)
{
    os << "mirna\tutr\tsite_type\tstart\tend\tgene\tmirna_accession\tseed\tseed_family_size\tcanonical\tanchor\t"
          "site_seq\tutr_length\tdist_5p\tdist_3p\tnear_stop\tsupp3p_score\tlocal_au\ttranscript\ttx_start\ttx_end\t"
          "genome_build\tchrom\tgenome_start\tgenome_end\tstrand\n";
    for (auto const & s : sites)
    {
        auto const & m = finder.mirnas()[s.mirna];
        auto const & u = utrs[s.utr];
        auto const len = static_cast<int64_t>(u.codes.size());
        auto const tx = to_transcript(u.annotation, s.start, s.end);
        auto const g = to_genome(u.annotation, s.start, s.end);
        os << m.name << '\t' << u.name << '\t' << to_string(s.type) << '\t' << s.start << '\t' << s.end << '\t'
           << u.annotation.gene << '\t' << or_dot(m.accession) << '\t' << m.seed() << '\t'
           << finder.groups()[finder.group_of(s.mirna)].members.size() << '\t' << (is_canonical(s.type) ? "yes" : "no")
           << '\t' << s.anchor << '\t' << site_seq(u, s) << '\t' << len << '\t' << s.start - 1 << '\t' << len - s.end
           << '\t' << (s.near_stop ? "yes" : "no") << '\t' << fixed(s.supp3p, 1) << '\t' << fixed(s.local_au, 3)
           << '\t';
        if (tx)
            os << tx->seqid << '\t' << tx->start << '\t' << tx->end << '\t';
        else
            os << (u.annotation.transcript.empty() ? "." : u.annotation.transcript) << "\t.\t.\t";
        if (g)
            os << g->build << '\t' << g->seqid << '\t' << g->start << '\t' << g->end << '\t' << g->strand << '\n';
        else
            os << ".\t.\t.\t.\t.\n";
    }
}

size_t write_bed(std::ostream & os,
                 site_finder const & finder,
                 std::vector<utr_sequence> const & utrs,
                 std::vector<site> const & sites,
                 track_coords coords)
{
    size_t left_out = 0;
    for (auto const & s : sites)
    {
        auto const iv = track_interval(utrs[s.utr], s, coords);
        if (!iv)
        {
            ++left_out;
            continue;
        }
        os << iv->seqid << '\t' << iv->start - 1 << '\t' << iv->end << '\t' << finder.mirnas()[s.mirna].name << ':'
           << to_string(s.type) << '\t' << bed_score(s.type) << '\t' << iv->strand << '\n';
    }
    return left_out;
}

size_t write_gff3(std::ostream & os,
                  site_finder const & finder,
                  std::vector<utr_sequence> const & utrs,
                  std::vector<site> const & sites,
                  track_coords coords)
{
    os << "##gff-version 3\n";
    if (coords == track_coords::utr)
        for (auto const & u : utrs)
            os << "##sequence-region " << u.name << " 1 " << u.codes.size() << '\n';
    size_t left_out = 0, n = 0;
    for (auto const & s : sites)
    {
        auto const & u = utrs[s.utr];
        auto const iv = track_interval(u, s, coords);
        ++n;
        if (!iv)
        {
            ++left_out;
            continue;
        }
        auto const & m = finder.mirnas()[s.mirna];
        os << iv->seqid << "\tchemores\tmiRNA_target_site\t" << iv->start << '\t' << iv->end << "\t.\t" << iv->strand
           << "\t.\tID=site" << n << ";Name=" << gff_escape(m.name + ":" + std::string{to_string(s.type)})
           << ";mirna=" << gff_escape(m.name);
        if (!m.accession.empty())
            os << ";mirna_accession=" << gff_escape(m.accession);
        os << ";site_type=" << gff_escape(std::string{to_string(s.type)})
           << ";canonical=" << (is_canonical(s.type) ? "true" : "false") << ";seed=" << m.seed()
           << ";utr=" << gff_escape(u.name) << ";utr_start=" << s.start << ";utr_end=" << s.end
           << ";gene=" << gff_escape(u.annotation.gene) << ";near_stop=" << (s.near_stop ? "true" : "false");
        if (!std::isnan(s.supp3p))
            os << ";supp3p_score=" << fixed(s.supp3p, 1);
        if (!std::isnan(s.local_au))
            os << ";local_au=" << fixed(s.local_au, 3);
        os << ";Ontology_term=SO:0000934\n";
    }
    return left_out;
}

void write_summary_tsv(std::ostream & os,
                       site_finder const & finder,
                       std::vector<utr_sequence> const & utrs,
                       std::vector<pair_summary> const & summary)
{
    bool const ext = finder.options().extended;
    os << "mirna\tseed\tutr\tgene\tn_canonical";
    for (size_t t = 0; t < site_type_count; ++t)
        if (t < canonical_site_type_count || ext)
            os << "\tn_" << to_string(static_cast<site_type>(t));
    os << "\tn_near_stop\tbest_site_type\tcanonical_site\tcanonical_sites\tliterature_pair\tliterature_target\t"
          "literature_source\n";
    for (auto const & p : summary)
    {
        auto const & m = finder.mirnas()[p.mirna];
        auto const & u = utrs[p.utr];
        uint32_t n_can = 0;
        for (size_t t = 0; t < canonical_site_type_count; ++t)
            n_can += p.counts[t];
        std::string best = ".";
        for (size_t t = 0; t < site_type_count; ++t)
            if (p.counts[t] && (t < canonical_site_type_count || ext))
            {
                best = std::string{to_string(static_cast<site_type>(t))};
                break;
            }
        os << m.name << '\t' << m.seed() << '\t' << u.name << '\t' << u.annotation.gene << '\t' << n_can;
        for (size_t t = 0; t < site_type_count; ++t)
            if (t < canonical_site_type_count || ext)
                os << '\t' << p.counts[t];
        os << '\t' << p.near_stop << '\t' << best << '\t' << (n_can ? "yes" : "no") << '\t'
           << format_site_list(p.canonical) << '\t' << (p.literature.empty() ? "no" : "yes") << '\t';
        std::string targets, sources;
        for (auto const & l : p.literature)
        {
            targets += (targets.empty() ? "" : "|") + l.target_as_written;
            std::string const src = !l.pmid.empty()  ? "PMID:" + l.pmid
                                    : !l.doi.empty() ? "doi:" + l.doi
                                                     : "mirna_targets.tsv line " + std::to_string(l.line);
            sources += (sources.empty() ? "" : "|") + src;
        }
        os << or_dot(targets) << '\t' << or_dot(sources) << '\n';
    }
}

void write_families_tsv(std::ostream & os,
                        site_finder const & finder,
                        std::vector<utr_sequence> const & utrs,
                        std::vector<family_summary> const & families)
{
    bool const ext = finder.options().extended;
    os << "seed\tmembers\tn_members\tutr\tgene\tn_canonical";
    for (size_t t = 0; t < site_type_count; ++t)
        if (t != static_cast<size_t>(site_type::centered) && (t < canonical_site_type_count || ext))
            os << "\tn_" << to_string(static_cast<site_type>(t));
    os << '\n';
    for (auto const & f : families)
    {
        auto const & g = finder.groups()[f.group];
        std::string members;
        for (uint32_t m : g.members)
            members += (members.empty() ? "" : ",") + finder.mirnas()[m].name;
        uint32_t n_can = 0;
        for (size_t t = 0; t < canonical_site_type_count; ++t)
            n_can += f.counts[t];
        os << g.seed << '\t' << members << '\t' << g.members.size() << '\t' << utrs[f.utr].name << '\t'
           << utrs[f.utr].annotation.gene << '\t' << n_can;
        for (size_t t = 0; t < site_type_count; ++t)
            if (t != static_cast<size_t>(site_type::centered) && (t < canonical_site_type_count || ext))
                os << '\t' << f.counts[t];
        os << '\n';
    }
}

void write_variants_tsv(std::ostream & os,
                        site_finder const & finder,
                        std::vector<utr_sequence> const & utrs,
                        std::vector<variant_effect> const & effects)
{
    os << "vcf_line\tchrom\tpos\tid\tref\talt\tallele\tcoords\tutr\tgene\tutr_start\tutr_end\tutr_ref\tutr_alt\t"
          "mirna\tseed\teffect\tref_site_type\talt_site_type\tref_start\tref_end\talt_start\talt_end\n";
    for (auto const & e : effects)
    {
        auto const & v = e.variant;
        auto const & u = utrs[v.utr];
        // an insertion is shown between its flanking bases (utr_start = base before, utr_end = base after)
        int64_t const us = v.begin == v.end ? v.begin : v.begin + 1;
        int64_t const ue = v.begin == v.end ? v.begin + 1 : v.end;
        std::string const prefix = std::to_string(v.line) + '\t' + v.chrom + '\t' + std::to_string(v.pos) + '\t' +
                                   or_dot(v.id) + '\t' + v.ref + '\t' + v.alt + '\t' + std::to_string(v.allele) + '\t' +
                                   v.coords + '\t' + u.name + '\t' + u.annotation.gene + '\t' + std::to_string(us) +
                                   '\t' + std::to_string(ue) + '\t' + (v.utr_ref.empty() ? "-" : v.utr_ref) + '\t' +
                                   (v.utr_alt.empty() ? "-" : v.utr_alt) + '\t';
        if (e.changes.empty())
            os << prefix << ".\t.\tnone\t.\t.\t.\t.\t.\t.\n";
        for (auto const & c : e.changes)
        {
            auto const & m = finder.mirnas()[c.mirna];
            os << prefix << m.name << '\t' << m.seed() << '\t' << to_string(c.effect) << '\t'
               << (c.ref ? std::string{to_string(c.ref->type)} : ".") << '\t'
               << (c.alt ? std::string{to_string(c.alt->type)} : ".") << '\t'
               << (c.ref ? std::to_string(c.ref->start) : ".") << '\t' << (c.ref ? std::to_string(c.ref->end) : ".")
               << '\t' << (c.alt ? std::to_string(c.alt->start) : ".") << '\t'
               << (c.alt ? std::to_string(c.alt->end) : ".") << '\n';
        }
    }
}

nlohmann::json site_json(site_finder const & finder, std::vector<utr_sequence> const & utrs, site const & s)
{
    auto const & m = finder.mirnas()[s.mirna];
    auto const & u = utrs[s.utr];
    auto const len = static_cast<int64_t>(u.codes.size());
    return nlohmann::json{{"mirna", m.name},
                          {"utr", u.name},
                          {"gene", u.annotation.gene},
                          {"site_type", std::string{to_string(s.type)}},
                          {"canonical", is_canonical(s.type)},
                          {"start", s.start},
                          {"end", s.end},
                          {"anchor", s.anchor},
                          {"site_seq", site_seq(u, s)},
                          {"dist_5p", s.start - 1},
                          {"dist_3p", len - s.end},
                          {"near_stop", s.near_stop},
                          {"supp3p_score", num_or_null(s.supp3p)},
                          {"local_au", num_or_null(s.local_au)},
                          {"transcript", interval_json(to_transcript(u.annotation, s.start, s.end))},
                          {"genome", interval_json(to_genome(u.annotation, s.start, s.end))}};
}

nlohmann::json results_json(site_finder const & finder,
                            std::vector<utr_sequence> const & utrs,
                            std::vector<site> const & sites,
                            std::vector<pair_summary> const & summary,
                            std::vector<family_summary> const & families,
                            std::vector<literature_status> const & literature,
                            std::vector<variant_effect> const * variants)
{
    bool const ext = finder.options().extended;
    nlohmann::json j;
    auto & jm = j["mirnas"] = nlohmann::json::array();
    for (uint32_t i = 0; i < finder.mirnas().size(); ++i)
    {
        auto const & m = finder.mirnas()[i];
        jm.push_back({{"name", m.name},
                      {"accession", m.accession.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.accession)},
                      {"sequence", m.sequence},
                      {"seed", m.seed()},
                      {"origin", m.origin}});
    }
    auto & ju = j["utrs"] = nlohmann::json::array();
    for (auto const & u : utrs)
    {
        auto const len = static_cast<int64_t>(u.codes.size());
        ju.push_back({{"name", u.name},
                      {"gene", u.annotation.gene},
                      {"length", len},
                      {"annotated", u.annotated},
                      {"transcript", interval_json(to_transcript(u.annotation, 1, len))},
                      {"genome",
                       u.annotation.genome
                           ? interval_json(
                                 to_genome(u.annotation, u.annotation.genome->utr_first, u.annotation.genome->utr_last))
                           : nlohmann::json(nullptr)},
                      {"note", u.annotation.note}});
    }
    std::array<uint32_t, site_type_count> totals{};
    auto & js = j["sites"] = nlohmann::json::array();
    for (auto const & s : sites)
    {
        ++totals[static_cast<size_t>(s.type)];
        js.push_back(site_json(finder, utrs, s));
    }
    j["counts"] = counts_json(totals, ext);
    auto & jsum = j["summary"] = nlohmann::json::array();
    for (auto const & p : summary)
    {
        nlohmann::json lit = nlohmann::json::array();
        for (auto const & l : p.literature)
            lit.push_back({{"target_as_written", l.target_as_written}, {"line", l.line}});
        jsum.push_back({{"mirna", finder.mirnas()[p.mirna].name},
                        {"utr", utrs[p.utr].name},
                        {"gene", utrs[p.utr].annotation.gene},
                        {"counts", counts_json(p.counts, ext)},
                        {"near_stop", p.near_stop},
                        {"canonical_sites", format_site_list(p.canonical)},
                        {"literature", lit}});
    }
    auto & jf = j["families"] = nlohmann::json::array();
    for (auto const & f : families)
    {
        auto const & g = finder.groups()[f.group];
        nlohmann::json members = nlohmann::json::array();
        for (uint32_t m : g.members)
            members.push_back(finder.mirnas()[m].name);
        jf.push_back({{"seed", g.seed},
                      {"members", members},
                      {"utr", utrs[f.utr].name},
                      {"counts", counts_json(f.counts, ext)}});
    }
    auto & jl = j["literature_pairs"] = nlohmann::json::array();
    for (auto const & l : literature)
    {
        nlohmann::json can = nlohmann::json::array();
        for (auto const & s : l.canonical)
            can.push_back({{"utr", utrs[s.utr].name},
                           {"site_type", std::string{to_string(s.type)}},
                           {"start", s.start},
                           {"end", s.end},
                           {"near_stop", s.near_stop}});
        jl.push_back({{"mirna", l.pair.mature},
                      {"mirna_as_written", l.pair.mirna_as_written},
                      {"gene", l.pair.gene},
                      {"target_as_written", l.pair.target_as_written},
                      {"status", l.status()},
                      {"canonical_sites", can},
                      {"pmid", l.pair.pmid},
                      {"doi", l.pair.doi},
                      {"validated_site_note", l.pair.validated_site_note},
                      {"line", l.pair.line}});
    }
    if (variants)
    {
        auto & jv = j["variants"] = nlohmann::json::array();
        for (auto const & e : *variants)
        {
            auto const & v = e.variant;
            nlohmann::json ch = nlohmann::json::array();
            for (auto const & c : e.changes)
                ch.push_back({{"mirna", finder.mirnas()[c.mirna].name},
                              {"effect", std::string{to_string(c.effect)}},
                              {"ref", c.ref ? site_json(finder, utrs, *c.ref) : nlohmann::json(nullptr)},
                              {"alt",
                               c.alt ? nlohmann::json{{"site_type", std::string{to_string(c.alt->type)}},
                                                      {"start", c.alt->start},
                                                      {"end", c.alt->end}}
                                     : nlohmann::json(nullptr)}});
            jv.push_back({{"vcf_line", v.line},
                          {"chrom", v.chrom},
                          {"pos", v.pos},
                          {"id", v.id},
                          {"ref", v.ref},
                          {"alt", v.alt},
                          {"allele", v.allele},
                          {"coords", v.coords},
                          {"utr", utrs[v.utr].name},
                          {"utr_begin0", v.begin},
                          {"utr_end0", v.end},
                          {"utr_ref", v.utr_ref},
                          {"utr_alt", v.utr_alt},
                          {"changes", ch}});
        }
    }
    return j;
}

} // namespace chemores::mirna
