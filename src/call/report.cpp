#include <chemores/call/report.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/core/version.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <htslib/bgzf.h>
#include <htslib/tbx.h>
#include <map>
#include <set>
#include <sstream>

namespace chemores::call
{

namespace
{

using json = nlohmann::json;

std::string fmt(double v, char const * f = "%.6g")
{
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

json optional_number(std::optional<double> const & v)
{
    return v ? json(*v) : json(nullptr);
}

std::string join(std::vector<std::string> const & v, std::string_view sep)
{
    std::string s;
    for (size_t i = 0; i < v.size(); ++i)
        s += (i ? std::string{sep} : "") + v[i];
    return s;
}

json variant_json(variant_call const & v)
{
    json j;
    j["id"] = v.id;
    j["kind"] = v.vus ? "vus" : "catalogue";
    j["gene"] = v.gene;
    j["mutation"] = v.name;
    j["transcript"] = v.transcript;
    j["codon"] = v.codon;
    j["position"] = v.offset + 1;
    j["ref_codon"] = v.ref_codon;
    j["alt_codons"] = v.alt_codons;
    j["hgvs_c"] = v.hgvs_c;
    j["hgvs_p"] = v.hgvs_p;
    j["status"] = std::string{to_string(v.call)};
    j["fraction"] = v.fraction;
    j["ci_low"] = v.ci.lower;
    j["ci_high"] = v.ci.upper;
    j["depth"] = v.depth;
    j["ref_molecules"] = v.ref_molecules;
    j["alt_molecules"] = v.alt_molecules;
    j["alt_per_codon"] = v.alt_per_codon;
    j["lod"] = optional_number(v.lod);
    j["critical_alt_molecules"] = v.critical ? json(*v.critical) : json(nullptr);
    j["qual"] = v.qual;
    j["strand"] = {{"ref_forward", v.strands.ref_forward},
                   {"ref_reverse", v.strands.ref_reverse},
                   {"alt_forward", v.strands.alt_forward},
                   {"alt_reverse", v.strands.alt_reverse},
                   {"fisher_p", v.bias.fisher_p},
                   {"one_strand_alt", v.bias.one_strand_alt},
                   {"biased", v.bias.biased}};
    j["reason"] = v.reason;
    json drugs = json::object();
    if (v.entry)
    {
        for (auto const & d : v.entry->drugs)
        {
            json e{{"effect", std::string{catalogue::to_string(d.call)}}};
            e["ic50_fold"] = optional_number(d.ic50_fold);
            drugs[d.drug] = e;
        }
        j["region"] = v.entry->region;
        j["sources"] = v.entry->sources;
    }
    j["drugs"] = drugs;
    return j;
}

json sample_json(sample_result const & s)
{
    json j;
    j["name"] = s.name;
    j["input"] = s.input;
    j["reads"] = s.reads;
    j["reference"] = std::string{pileup::to_string(s.reference)};
    j["catalogue_tests"] = s.catalogue_tests;
    j["vus_tests"] = s.vus_tests;
    j["calls"] = json::array();
    for (auto const & v : s.calls)
        j["calls"].push_back(variant_json(v));
    j["vus"] = json::array();
    for (auto const & v : s.vus)
        j["vus"].push_back(variant_json(v));
    j["compounds"] = json::array();
    for (auto const & c : s.compounds)
        j["compounds"].push_back({{"name", c.name},
                                  {"first", c.first},
                                  {"second", c.second},
                                  {"evidence", c.evidence},
                                  {"both", c.counts.both},
                                  {"first_only", c.counts.first_only},
                                  {"second_only", c.counts.second_only},
                                  {"neither", c.counts.neither},
                                  {"molecules", c.counts.molecules()},
                                  {"cis_fraction", c.cis_fraction},
                                  {"ci_low", c.ci.lower},
                                  {"ci_high", c.ci.upper},
                                  {"catalogue_matches", c.catalogue_matches},
                                  {"drugs_affected", c.drugs_affected}});
    j["fusion"] = {{"assessable", s.fusion.assessable},
                   {"type", s.fusion.type},
                   {"junction_reads", s.fusion.reads},
                   {"note", s.fusion.note}};
    j["drugs"] = json::array();
    for (auto const & d : s.drugs)
    {
        json dj{{"drug", d.drug}, {"verdict", std::string{to_string(d.verdict)}}, {"not_assessable", d.unassessable}};
        dj["drivers"] = json::array();
        for (auto const & r : d.drivers)
            dj["drivers"].push_back({{"variant", r.variant},
                                     {"effect", r.effect},
                                     {"fraction", r.fraction},
                                     {"ic50_fold", optional_number(r.ic50_fold)},
                                     {"sources", r.sources}});
        j["drugs"].push_back(dj);
    }
    j["coverage"] = json::array();
    for (auto const & c : s.coverage)
        j["coverage"].push_back(
            {{"gene", c.gene}, {"codon", c.codon}, {"depth", c.depth}, {"lod", optional_number(c.lod)},
             {"catalogue", c.catalogue}});
    uint64_t detected = 0, not_detected = 0, not_assessable = 0;
    for (auto const & v : s.calls)
        (v.call == status::detected ? detected : v.call == status::not_detected ? not_detected : not_assessable)++;
    j["qc"] = {{"catalogue_entries", s.calls.size()},
               {"detected", detected},
               {"not_detected", not_detected},
               {"not_assessable", not_assessable},
               {"vus_detected", s.vus.size()}};
    return j;
}

std::string tsv_cell(json const & v)
{
    if (v.is_null())
        return ".";
    if (v.is_string())
    {
        std::string s = v.get<std::string>();
        for (char & c : s)
            if (c == '\t' || c == '\n' || c == '\r')
                c = ' ';
        return s.empty() ? "." : s;
    }
    if (v.is_number_float())
        return fmt(v.get<double>());
    return v.dump();
}

std::string drugs_affected(json const & variant)
{
    std::vector<std::string> parts;
    for (auto const & [drug, e] : variant["drugs"].items())
    {
        auto const effect = e["effect"].get<std::string>();
        if (effect == "resistant" || effect == "intermediate")
            parts.push_back(drug + ":" + effect);
    }
    return parts.empty() ? "." : join(parts, ",");
}

} // namespace

json to_json(std::vector<sample_result> const & samples, provenance const & prov)
{
    json j;
    j["schema"] = "chemores-call";
    j["schema_version"] = result_schema_version;
    auto const & o = prov.options;
    json cat_files = json::object();
    for (auto const & [f, md5] : prov.catalogue.file_md5)
        cat_files[f] = md5;
    j["provenance"] = {{"tool", "chemores"},
                       {"version", std::string{version_string()}},
                       {"git", std::string{git_hash()}},
                       {"command", prov.command},
                       {"simd_target", prov.simd_target},
                       {"reference", prov.reference_origin},
                       {"reference_checksum", prov.reference_checksum},
                       {"catalogue_version", prov.catalogue.catalogue_version},
                       {"catalogue_schema_version", prov.catalogue.schema_version},
                       {"catalogue_builtin", prov.catalogue.builtin},
                       {"catalogue_files", cat_files}};
    j["options"] = {{"min_vaf", o.min_vaf},
                    {"alpha", o.alpha},
                    {"min_alt_molecules", o.min_alt_molecules},
                    {"min_fraction", o.min_fraction},
                    {"max_base_quality", o.max_base_quality},
                    {"min_base_quality", o.pileup.min_base_quality},
                    {"min_mapping_quality", o.pileup.min_mapping_quality},
                    {"end_distance", o.pileup.end_distance},
                    {"power", 0.95},
                    {"vus", o.vus},
                    {"amplicon_strand_bias", o.strand.amplicon_aware},
                    {"junction_anchor", o.junction_anchor}};
    j["samples"] = json::array();
    for (auto const & s : samples)
        j["samples"].push_back(sample_json(s));
    return j;
}

std::vector<std::string> const & tsv_columns()
{
    static std::vector<std::string> const cols{
        "sample",   "gene",      "mutation",      "hgvs_c", "hgvs_p",         "status", "fraction", "ci_low",
        "ci_high",  "depth",     "alt_molecules", "lod",    "drugs_affected", "kind",   "qual",     "strand_bias",
        "id",       "transcript", "codon",        "ref_codon", "alt_codons",  "note"};
    return cols;
}

std::string render_tsv(json const & result)
{
    std::ostringstream os;
    os << join(tsv_columns(), "\t") << "\n";
    for (auto const & s : result["samples"])
    {
        auto const sample = s["name"].get<std::string>();
        auto variant_row = [&](json const & v) {
            std::vector<std::string> r{sample,
                                       tsv_cell(v["gene"]),
                                       tsv_cell(v["mutation"]),
                                       join(v["hgvs_c"].get<std::vector<std::string>>(), ","),
                                       tsv_cell(v["hgvs_p"]),
                                       tsv_cell(v["status"]),
                                       tsv_cell(v["fraction"]),
                                       tsv_cell(v["ci_low"]),
                                       tsv_cell(v["ci_high"]),
                                       tsv_cell(v["depth"]),
                                       tsv_cell(v["alt_molecules"]),
                                       tsv_cell(v["lod"]),
                                       drugs_affected(v),
                                       tsv_cell(v["kind"]),
                                       fmt(v["qual"].get<double>(), "%.1f"),
                                       v["strand"]["biased"].get<bool>() ? "yes" : "no",
                                       tsv_cell(v["id"]),
                                       tsv_cell(v["transcript"]),
                                       tsv_cell(v["codon"]),
                                       tsv_cell(v["ref_codon"]),
                                       join(v["alt_codons"].get<std::vector<std::string>>(), ","),
                                       tsv_cell(v["reason"])};
            os << join(r, "\t") << "\n";
        };
        for (auto const & v : s["calls"])
            variant_row(v);
        for (auto const & v : s["vus"])
            variant_row(v);
        for (auto const & c : s["compounds"])
        {
            auto const ev = c["evidence"].get<std::string>();
            std::string const st = ev == "cis" || ev == "cis+trans" ? "DETECTED"
                                   : ev == "trans"                  ? "NOT_DETECTED"
                                                                    : "NOT_ASSESSABLE";
            auto drugs = c["drugs_affected"].get<std::vector<std::string>>();
            std::string note = "evidence " + ev + ": both " + c["both"].dump() + ", first only " +
                               c["first_only"].dump() + ", second only " + c["second_only"].dump() + ", neither " +
                               c["neither"].dump();
            auto matches = c["catalogue_matches"].get<std::vector<std::string>>();
            if (!matches.empty())
                note += "; catalogue: " + join(matches, " | ");
            std::vector<std::string> r{sample,
                                       "ABL1",
                                       tsv_cell(c["name"]),
                                       ".",
                                       ".",
                                       st,
                                       tsv_cell(c["cis_fraction"]),
                                       tsv_cell(c["ci_low"]),
                                       tsv_cell(c["ci_high"]),
                                       tsv_cell(c["molecules"]),
                                       tsv_cell(c["both"]),
                                       ".",
                                       drugs.empty() ? "." : join(drugs, ","),
                                       "compound",
                                       ".",
                                       ".",
                                       c["first"].get<std::string>() + "+" + c["second"].get<std::string>(),
                                       ".",
                                       ".",
                                       ".",
                                       ".",
                                       note};
            os << join(r, "\t") << "\n";
        }
    }
    return os.str();
}

std::string render_summary(json const & result)
{
    std::ostringstream os;
    auto const & p = result["provenance"];
    os << "chemores call " << p["version"].get<std::string>() << " (catalogue "
       << p["catalogue_version"].get<std::string>() << ", reference " << p["reference"].get<std::string>() << ")\n";
    for (auto const & s : result["samples"])
    {
        os << "\n== " << s["name"].get<std::string>() << " (" << s["input"].get<std::string>() << ", "
           << s["reference"].get<std::string>() << " coordinates)\n";
        os << "BCR::ABL1 transcript: " << s["fusion"]["type"].get<std::string>();
        std::vector<std::string> counts;
        for (auto const & [type, n] : s["fusion"]["junction_reads"].items())
            counts.push_back(type + " " + n.dump());
        os << " (junction reads: " << join(counts, ", ") << ")\n\nDrug                verdict\n";
        for (auto const & d : s["drugs"])
        {
            auto const drug = d["drug"].get<std::string>();
            os << "  " << drug << std::string(drug.size() < 18 ? 18 - drug.size() : 1, ' ')
               << d["verdict"].get<std::string>();
            std::vector<std::string> why;
            for (auto const & r : d["drivers"])
                why.push_back(r["variant"].get<std::string>() + " " + fmt(100.0 * r["fraction"].get<double>(), "%.1f") +
                              "% (" + r["effect"].get<std::string>() + ")");
            if (!why.empty())
                os << ": " << join(why, ", ");
            else if (!d["not_assessable"].empty())
                os << ": cannot rule out " << join(d["not_assessable"].get<std::vector<std::string>>(), ", ");
            os << "\n";
        }
        os << "\nDetected:\n";
        bool any = false;
        for (auto const * list : {&s["calls"], &s["vus"]})
            for (auto const & v : *list)
                if (v["status"] == "DETECTED")
                {
                    any = true;
                    os << "  " << v["gene"].get<std::string>() << " " << v["mutation"].get<std::string>() << " "
                       << join(v["hgvs_c"].get<std::vector<std::string>>(), ",") << " "
                       << fmt(100.0 * v["fraction"].get<double>(), "%.2f") << "% [95% CI "
                       << fmt(100.0 * v["ci_low"].get<double>(), "%.2f") << "-"
                       << fmt(100.0 * v["ci_high"].get<double>(), "%.2f") << "%] " << v["alt_molecules"].dump() << "/"
                       << v["depth"].dump() << " molecules" << (v["kind"] == "vus" ? " (VUS)" : "")
                       << (v["strand"]["biased"].get<bool>() ? " (strand bias)" : "") << "\n";
                }
        if (!any)
            os << "  none\n";
        for (auto const & c : s["compounds"])
            os << "  compound " << c["name"].get<std::string>() << ": " << c["evidence"].get<std::string>() << " ("
               << c["both"].dump() << " of " << c["molecules"].dump() << " spanning molecules carry both)\n";
        std::vector<std::string> na;
        for (auto const & v : s["calls"])
            if (v["status"] == "NOT_ASSESSABLE")
                na.push_back(v["mutation"].get<std::string>());
        os << "\nNot assessable (" << na.size() << " of " << s["calls"].size() << "): " << (na.empty() ? "none" : join(na, ", "))
           << "\n";
    }
    return os.str();
}

std::string render_matrix(json const & result)
{
    std::vector<std::string> ids; // detected in any sample, first-seen order
    std::set<std::string> seen;
    for (auto const & s : result["samples"])
        for (auto const * list : {&s["calls"], &s["vus"]})
            for (auto const & v : *list)
                if (v["status"] == "DETECTED" && seen.insert(v["id"].get<std::string>()).second)
                    ids.push_back(v["id"].get<std::string>());
    std::ostringstream os;
    os << "sample";
    for (auto const & id : ids)
        os << "\t" << id;
    os << "\n";
    for (auto const & s : result["samples"])
    {
        std::map<std::string, std::string> cell;
        for (auto const * list : {&s["calls"], &s["vus"]})
            for (auto const & v : *list)
                cell[v["id"].get<std::string>()] =
                    v["status"] == "NOT_ASSESSABLE" ? "NA" : fmt(v["fraction"].get<double>());
        os << s["name"].get<std::string>();
        for (auto const & id : ids)
        {
            auto it = cell.find(id);
            os << "\t" << (it == cell.end() ? "0" : it->second); // a VUS not seen in a sample: 0
        }
        os << "\n";
    }
    return os.str();
}

std::string render_vcf(std::vector<sample_result> const & samples,
                       reference::panel const & panel,
                       provenance const & prov)
{
    std::ostringstream os;
    std::time_t const now = std::time(nullptr);
    char date[16];
    std::strftime(date, sizeof date, "%Y%m%d", std::gmtime(&now));
    os << "##fileformat=VCFv4.3\n##fileDate=" << date << "\n##source=chemores call " << version_string() << "\n"
       << "##chemoresVersion=" << version_string() << " (git " << git_hash() << ")\n"
       << "##chemoresCommand=" << prov.command << "\n"
       << "##reference=<ID=" << prov.reference_origin << ",MD5=" << prov.reference_checksum << ">\n"
       << "##catalogue=<Version=" << prov.catalogue.catalogue_version
       << ",Schema=" << prov.catalogue.schema_version << ">\n";
    for (auto const & c : panel.contigs())
        os << "##contig=<ID=" << c.name << ",length=" << c.seq.size() << ">\n";
    os << "##FILTER=<ID=PASS,Description=\"All filters passed\">\n"
          "##FILTER=<ID=StrandBias,Description=\"Alternative allele strand-biased (amplicon-aware Fisher test) in "
          "every sample where it is detected\">\n"
          "##INFO=<ID=GENE,Number=1,Type=String,Description=\"Gene\">\n"
          "##INFO=<ID=HGVSC,Number=A,Type=String,Description=\"HGVS c. of each ALT (transcript CDS numbering)\">\n"
          "##INFO=<ID=HGVSP,Number=1,Type=String,Description=\"HGVS p. of the amino-acid change\">\n"
          "##INFO=<ID=AA,Number=1,Type=String,Description=\"Short protein change, e.g. T315I\">\n"
          "##INFO=<ID=CATALOGUE,Number=1,Type=String,Description=\"Catalogue id\">\n"
          "##INFO=<ID=VUS,Number=0,Type=Flag,Description=\"Not in the catalogue: variant of unknown significance\">\n"
          "##INFO=<ID=DRUGS,Number=.,Type=String,Description=\"drug:effect for every drug the catalogue rates "
          "(sensitive, intermediate, resistant, unknown)\">\n"
          "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype: 0/1 detected, 0/0 not detected, ./. not "
          "assessable (somatic fractions are in AF)\">\n"
          "##FORMAT=<ID=ST,Number=1,Type=String,Description=\"Status: DETECTED, NOT_DETECTED or NOT_ASSESSABLE\">\n"
          "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Molecules per allele (read pairs merged)\">\n"
          "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Molecules with a passing codon\">\n"
          "##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"Fraction of molecules per ALT\">\n"
          "##FORMAT=<ID=CI,Number=2,Type=Float,Description=\"Wilson 95% interval of the summed ALT fraction\">\n"
          "##FORMAT=<ID=LOD,Number=1,Type=Float,Description=\"Smallest fraction detected with 95% probability at "
          "this depth\">\n"
          "##FORMAT=<ID=QS,Number=1,Type=Float,Description=\"Phred-scaled p-value against sequencing error\">\n";
    os << "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT";
    for (auto const & s : samples)
        os << "\t" << s.name;
    os << "\n";

    // Variants detected in any sample, keyed by (contig index, offset, alt codons).
    // Records sort by contig (panel order), then by the VCF position after trimming REF/ALT to the changed columns.
    struct key
    {
        uint32_t contig;
        int64_t pos;
        std::vector<std::string> alts;
        auto operator<=>(key const &) const = default;
    };
    auto first_changed = [](variant_call const & v) {
        size_t b = 3;
        for (auto const & a : v.alt_codons)
            for (size_t i = 0; i < 3; ++i)
                if (a[i] != v.ref_codon[i])
                    b = std::min(b, i);
        return static_cast<int64_t>(b);
    };
    std::map<key, variant_call const *> records;
    for (auto const & s : samples)
        for (auto const * list : {&s.calls, &s.vus})
            for (auto const & v : *list)
                if (v.call == status::detected)
                    records.try_emplace(key{*panel.find(v.transcript), v.offset + first_changed(v), v.alt_codons}, &v);
    auto find_in = [](sample_result const & s, variant_call const & like) -> variant_call const * {
        for (auto const * list : {&s.calls, &s.vus})
            for (auto const & v : *list)
                if (v.transcript == like.transcript && v.offset == like.offset && v.alt_codons == like.alt_codons)
                    return &v;
        return nullptr;
    };
    for (auto const & [k, v] : records)
    {
        // Trim the codon to the columns where any ALT differs from REF.
        size_t b = 3, e = 0;
        for (auto const & a : v->alt_codons)
            for (size_t i = 0; i < 3; ++i)
                if (a[i] != v->ref_codon[i])
                {
                    b = std::min(b, i);
                    e = std::max(e, i + 1);
                }
        std::vector<std::string> alts;
        for (auto const & a : v->alt_codons)
            alts.push_back(a.substr(b, e - b));
        double qual = 0;
        bool pass = false;
        std::ostringstream cols;
        for (auto const & s : samples)
        {
            auto const * x = find_in(s, *v);
            if (!x)
            {
                cols << "\t./.:.:.:.:.:.:.:.";
                continue;
            }
            qual = std::max(qual, x->qual);
            if (x->call == status::detected && !x->bias.biased)
                pass = true;
            std::string ad = std::to_string(x->ref_molecules), af;
            for (size_t i = 0; i < x->alt_per_codon.size(); ++i)
            {
                ad += "," + std::to_string(x->alt_per_codon[i]);
                af += (i ? "," : "") + (x->depth ? fmt(static_cast<double>(x->alt_per_codon[i]) /
                                                        static_cast<double>(x->depth))
                                                  : std::string{"."});
            }
            cols << "\t" << (x->call == status::detected ? "0/1" : x->call == status::not_detected ? "0/0" : "./.")
                 << ":" << to_string(x->call) << ":" << ad << ":" << x->depth << ":" << af << ":"
                 << fmt(x->ci.lower) << "," << fmt(x->ci.upper) << ":" << (x->lod ? fmt(*x->lod) : ".") << ":"
                 << fmt(x->qual, "%.2f");
        }
        std::string info = "GENE=" + v->gene + ";HGVSC=" + join(v->hgvs_c, ",") + ";HGVSP=" + v->hgvs_p +
                           ";AA=" + v->name;
        if (v->vus)
            info += ";VUS";
        else
            info += ";CATALOGUE=" + v->id;
        if (v->entry && !v->entry->drugs.empty())
        {
            std::vector<std::string> d;
            for (auto const & x : v->entry->drugs)
                d.push_back(x.drug + ":" + std::string{catalogue::to_string(x.call)});
            info += ";DRUGS=" + join(d, ",");
        }
        os << v->transcript << "\t" << v->offset + 1 + static_cast<int64_t>(b) << "\t" << (v->vus ? "." : v->id)
           << "\t" << v->ref_codon.substr(b, e - b) << "\t" << join(alts, ",") << "\t" << fmt(qual, "%.2f") << "\t"
           << (pass ? "PASS" : "StrandBias") << "\t" << info << "\tGT:ST:AD:DP:AF:CI:LOD:QS" << cols.str() << "\n";
    }
    return os.str();
}

void write_bgzf_vcf(std::string const & vcf_text, std::string const & path, std::string const & index_path)
{
    BGZF * fp = bgzf_open(path.c_str(), "w");
    if (!fp)
        throw output_error{path + ": cannot create: " + std::strerror(errno)};
    ssize_t const w = bgzf_write(fp, vcf_text.data(), vcf_text.size());
    if (bgzf_close(fp) != 0 || w != static_cast<ssize_t>(vcf_text.size()))
        throw output_error{path + ": write failed: " + std::strerror(errno)};
    if (!index_path.empty() && tbx_index_build2(path.c_str(), index_path.c_str(), 0, &tbx_conf_vcf) != 0)
        throw output_error{index_path + ": cannot build the tabix index"};
}

} // namespace chemores::call
