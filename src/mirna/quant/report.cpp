// chemores mirna quant: aggregation (fractional sharing of multi-mapping reads) and the output tables.

#include "report.hpp"

#include <algorithm>
#include <chemores/core/atomic_output.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/core/text.hpp>
#include <chemores/core/version.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

namespace chemores::mirna
{

namespace
{

//!\brief A resistance-associated mature miRNA of catalogue/mirna_targets.tsv.
struct resistance_entry
{
    std::string mature;
    std::string mimat;
    std::vector<std::string> targets, drugs, cancers;
};

void add_unique(std::vector<std::string> & v, std::string_view items, std::string_view sep)
{
    for (auto part : split(items, sep))
    {
        part = trim(part);
        if (part.empty() || part == "." || part == "NA")
            continue;
        if (std::find(v.begin(), v.end(), part) == v.end())
            v.emplace_back(part);
    }
}

std::string join(std::vector<std::string> const & v, std::string_view sep)
{
    std::string out;
    for (auto const & x : v)
    {
        if (!out.empty())
            out += sep;
        out += x;
    }
    return out;
}

//!\brief Resistance miRNAs by mature name (sorted), from the bundled catalogue/mirna_targets.tsv.
std::vector<resistance_entry> load_resistance()
{
    std::string_view const text = reference::bundled_file("catalogue/mirna_targets.tsv");
    std::string const origin = "builtin:catalogue/mirna_targets.tsv";
    std::map<std::string, resistance_entry> by_name;
    std::vector<std::string_view> header;
    int c_ids = -1, c_mimat = -1, c_target = -1, c_drugs = -1, c_tumor = -1;
    uint64_t line_no = 0;
    for (auto line : split(text, "\n"))
    {
        ++line_no;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty())
            continue;
        auto const f = split(line, "\t");
        if (header.empty())
        {
            header = f;
            for (size_t i = 0; i < f.size(); ++i)
            {
                if (f[i] == "mirbase_v22_mature_ids")
                    c_ids = static_cast<int>(i);
                else if (f[i] == "mimat")
                    c_mimat = static_cast<int>(i);
                else if (f[i] == "target_hgnc")
                    c_target = static_cast<int>(i);
                else if (f[i] == "drugs")
                    c_drugs = static_cast<int>(i);
                else if (f[i] == "tumor")
                    c_tumor = static_cast<int>(i);
            }
            if (c_ids < 0 || c_mimat < 0 || c_target < 0 || c_drugs < 0 || c_tumor < 0)
                throw input_error{origin,
                                  line_no,
                                  "missing column (mirbase_v22_mature_ids, mimat, target_hgnc, "
                                  "drugs, tumor)"};
            continue;
        }
        if (f.size() < header.size())
            throw input_error{origin, line_no, "expected " + std::to_string(header.size()) + " columns"};
        auto const ids = split(f[c_ids], ";");
        auto const mimats = split(f[c_mimat], ";");
        for (size_t k = 0; k < ids.size(); ++k)
        {
            std::string const id{trim(ids[k])};
            if (id.empty())
                continue;
            auto & e = by_name[id];
            e.mature = id;
            if (e.mimat.empty() && k < mimats.size())
                e.mimat = std::string{trim(mimats[k])};
            add_unique(e.targets, f[c_target], ";");
            add_unique(e.drugs, f[c_drugs], "\t"); // whole field: drug lists hold ';' inside parentheses
            add_unique(e.cancers, f[c_tumor], "\t");
        }
    }
    std::vector<resistance_entry> out;
    for (auto & [name, e] : by_name)
        out.push_back(std::move(e));
    return out;
}

//!\brief One row of isomirs.tsv (and, for matures, of mirna.gff3).
struct isomir_row
{
    int group = 0; //!< 0 = mature, 1 = hairpin
    std::string const * mirna = nullptr;
    std::string const * hairpin = nullptr;
    int32_t start = 0, end = 0;
    size_t sequence = 0;
    isomir_hit const * hit = nullptr;
    size_t accepted = 0; //!< accepted hits of the sequence (loci)
    size_t shared = 0;   //!< distinct miRNAs/hairpins it is shared between

    bool operator<(isomir_row const & o) const
    {
        static std::string const none;
        auto const & a = mirna ? *mirna : none;
        auto const & b = o.mirna ? *o.mirna : none;
        return std::tie(group, a, *hairpin, start, end, sequence) <
               std::tie(o.group, b, *o.hairpin, o.start, o.end, o.sequence);
    }
};

std::string tsv_header(std::string_view first, std::vector<std::string> const & names, std::string_view suffix = "")
{
    std::string s{first};
    for (auto const & n : names)
        s += "\t" + n + std::string{suffix};
    return s + "\n";
}

std::string effective_parameters(quant_options const & o, std::vector<std::string> const & names)
{
    auto const & a = o.annotation;
    std::string s = "chemores mirna quant --adapter " + (o.adapter.empty() ? std::string{"none"} : o.adapter);
    if (o.discard_untrimmed)
        s += " --discard-untrimmed";
    s += " --min-length " + std::to_string(o.min_length) + " --max-length " + std::to_string(o.max_length) +
         " --tolerance-5p " + std::to_string(a.tolerance_5p) + " --tolerance-3p " + std::to_string(a.tolerance_3p) +
         " --max-mismatches " + std::to_string(a.max_mismatches) + " --max-add3p " + std::to_string(a.max_add3p) +
         " --max-add5p " + std::to_string(a.max_add5p) + " --samples " + join(names, ",");
    return s;
}

void write_all(std::string const & dir, std::vector<std::pair<std::string, std::string>> const & files)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    bool created = false;
    if (!fs::exists(dir, ec))
    {
        fs::create_directories(dir, ec);
        if (ec)
            throw output_error{"cannot create the output directory " + dir + ": " + ec.message()};
        created = true;
    }
    else if (!fs::is_directory(dir, ec))
        throw output_error{dir + " exists and is not a directory"};
    atomic_outputs outputs;
    try
    {
        for (auto const & [name, content] : files)
        {
            std::string const final_path = (fs::path{dir} / name).string();
            std::string const tmp = outputs.add(final_path);
            std::ofstream out{tmp, std::ios::binary};
            out << content;
            out.close();
            if (!out)
                throw output_error{"cannot write " + final_path};
        }
        outputs.commit();
    }
    catch (...)
    {
        outputs.discard();
        if (created)
            fs::remove_all(dir, ec); // this run created it: whatever is in it is ours
        throw;
    }
}

} // namespace

quant_result write_report(report_input & in)
{
    auto const & o = in.options;
    size_t const ns = in.names.size();
    auto const & mnames = in.matures.names();
    auto const & loci = in.matures.loci();
    auto const & contigs = in.panel.contigs();
    size_t const nm = mnames.size(), nh = contigs.size();

    // Aggregation, in the (sorted) order of the unique sequences so that every sum is formed in the same order.
    std::vector<double> mcount(nm * ns, 0), hcount(nh * ns, 0);
    std::vector<uint64_t> mmulti(nm * ns, 0);
    std::vector<isomir_row> rows;
    std::vector<int64_t> feats;
    for (size_t i = 0; i < in.sequences.size(); ++i)
    {
        auto const & r = in.results[i];
        feats.clear();
        bool any_mature = false;
        size_t accepted = 0;
        for (auto const & h : r.hits)
        {
            if (h.kind == hit_kind::mature)
            {
                feats.push_back(loci[h.mature].name_index);
                any_mature = true;
            }
            else if (h.kind == hit_kind::hairpin)
                feats.push_back(-1 - static_cast<int64_t>(h.hairpin));
            accepted += h.kind != hit_kind::rejected;
        }
        std::sort(feats.begin(), feats.end());
        feats.erase(std::unique(feats.begin(), feats.end()), feats.end());
        size_t const n = feats.size();
        for (size_t s = 0; s < ns; ++s)
        {
            uint64_t const c = in.counts[i * ns + s];
            if (c == 0 || !r.mapped)
                continue;
            auto & sm = in.summaries[s];
            sm.mapped += c;
            if (n == 0)
            {
                sm.rejected += c;
                continue;
            }
            (any_mature ? sm.assigned : sm.hairpin_other) += c;
            if (n > 1)
                sm.multimapped += c;
            double const share = static_cast<double>(c) / static_cast<double>(n);
            for (auto const f : feats)
            {
                if (f >= 0)
                {
                    mcount[f * ns + s] += share;
                    if (n > 1)
                        mmulti[f * ns + s] += c;
                }
                else
                    hcount[(-1 - f) * ns + s] += share;
            }
        }
        for (auto const & h : r.hits)
        {
            if (h.kind == hit_kind::rejected)
                continue;
            isomir_row row;
            row.group = h.kind == hit_kind::mature ? 0 : 1;
            row.mirna = h.kind == hit_kind::mature ? &loci[h.mature].name : nullptr;
            row.hairpin = &contigs[h.hairpin].name;
            row.start = h.start;
            row.end = h.end;
            row.sequence = i;
            row.hit = &h;
            row.accepted = accepted;
            row.shared = n;
            rows.push_back(row);
        }
    }
    std::sort(rows.begin(), rows.end());
    for (size_t s = 0; s < ns; ++s)
    {
        double t = 0;
        for (size_t m = 0; m < nm; ++m)
            t += mcount[m * ns + s];
        in.summaries[s].mature_total = t;
    }
    auto cpm = [&](size_t m, size_t s)
    {
        double const t = in.summaries[s].mature_total;
        return t > 0 ? mcount[m * ns + s] * 1e6 / t : 0.0;
    };

    quant_result result;
    for (auto const & s : in.summaries)
    {
        if (s.reads_in == 0)
            result.warnings.push_back("sample " + s.name + " (" + s.path +
                                      "): the file holds no reads; its counts are zero");
        else if (s.assigned == 0)
            result.warnings.push_back("sample " + s.name +
                                      ": no read was assigned to a mature miRNA (check the "
                                      "adapter, --adapter, and the read lengths)");
        if (s.reads_in >= 100 && !o.adapter.empty() && s.adapter_found * 10 < s.reads_in)
            result.warnings.push_back("sample " + s.name + ": the adapter was found in only " +
                                      std::to_string(s.adapter_found) + " of " + std::to_string(s.reads_in) +
                                      " reads; is --adapter right?");
    }

    // counts.tsv, cpm.tsv, multimapped.tsv, hairpin_counts.tsv
    std::string counts_tsv = tsv_header("mirna", in.names), cpm_tsv = counts_tsv, multi_tsv = counts_tsv;
    for (size_t m = 0; m < nm; ++m)
    {
        counts_tsv += mnames[m];
        cpm_tsv += mnames[m];
        multi_tsv += mnames[m];
        for (size_t s = 0; s < ns; ++s)
        {
            counts_tsv += "\t" + format_count(mcount[m * ns + s]);
            cpm_tsv += "\t" + format_count(cpm(m, s));
            multi_tsv += "\t" + std::to_string(mmulti[m * ns + s]);
        }
        counts_tsv += "\n";
        cpm_tsv += "\n";
        multi_tsv += "\n";
    }
    std::vector<size_t> hairpin_order(nh);
    for (size_t h = 0; h < nh; ++h)
        hairpin_order[h] = h;
    std::sort(hairpin_order.begin(),
              hairpin_order.end(),
              [&](size_t a, size_t b)
              {
                  return contigs[a].name < contigs[b].name;
              });
    std::string hairpin_tsv = tsv_header("hairpin", in.names);
    for (auto const h : hairpin_order)
    {
        hairpin_tsv += contigs[h].name;
        for (size_t s = 0; s < ns; ++s)
            hairpin_tsv += "\t" + format_count(hcount[h * ns + s]);
        hairpin_tsv += "\n";
    }

    // isomirs.tsv and mirna.gff3
    std::string isomir_tsv = tsv_header("uid\tsequence\tmirna\tmimat\thairpin\tstart\tend\ttype\tvariant\tiso_5p\t"
                                        "iso_3p\tiso_add3p\tiso_add5p\tiso_snv\tcigar\thits\tshared",
                                        in.names);
    // COLDATA comes last: `mirtop counts` takes every line after it for a record.
    std::string gff = "## mirGFF3. VERSION 1.2\n## VERSION: 1.2\n"
                      "## source-ontology: miRBase22 doi:10.25504/fairsharing.hmgte8\n## TOOLS: chemores " +
                      std::string{version_string()} + "\n## CMD: " + effective_parameters(o, in.names) +
                      "\n## REFERENCE: " + in.panel.origin() + " (miRBase v22 human hairpins, md5 " +
                      in.panel.checksum() + ")\n## FILTER: Pass(assigned to a mature within the tolerance)\n" +
                      "## COLDATA: " + join(in.names, ",") + "\n";
    for (auto const & row : rows)
    {
        auto const & h = *row.hit;
        auto const & seq = in.sequences[row.sequence];
        std::string const uid = license_plate(seq);
        std::string expression;
        for (size_t s = 0; s < ns; ++s)
            expression += (s ? "," : "") + std::to_string(in.counts[row.sequence * ns + s]);
        std::string line = uid + "\t" + seq + "\t";
        if (row.group == 0)
        {
            auto const & m = loci[h.mature];
            std::string const variant = variant_attribute(h);
            std::string const type = variant == "NA" ? "ref_miRNA" : "isomiR";
            std::string const snvs = snv_list(h);
            line += m.name + "\t" + m.mimat + "\t" + *row.hairpin + "\t" + std::to_string(h.start) + "\t" +
                    std::to_string(h.end) + "\t" + type + "\t" + variant + "\t" + std::to_string(h.iso_5p) + "\t" +
                    std::to_string(h.iso_3p) + "\t" + std::to_string(h.place.add3p) + "\t" +
                    std::to_string(h.place.add5p) + "\t" + (snvs.empty() ? "." : snvs);
            gff += *row.hairpin + "\tmiRBase22\t" + type + "\t" + std::to_string(h.start) + "\t" +
                   std::to_string(h.end) + "\t.\t+\t.\tUID=" + uid + "; Read=" + seq + "; Name=" + m.name +
                   "; Parent=" + *row.hairpin + "; Variant=" + variant + "; Cigar=" + h.cigar +
                   "; Expression=" + expression + "; Filter=Pass; Hits=" + std::to_string(row.accepted) + "\n";
        }
        else
            line += ".\t.\t" + *row.hairpin + "\t" + std::to_string(h.start) + "\t" + std::to_string(h.end) +
                    "\thairpin\t.\t.\t.\t.\t.\t.";
        line += "\t" + h.cigar + "\t" + std::to_string(row.accepted) + "\t" + std::to_string(row.shared);
        for (size_t s = 0; s < ns; ++s)
            line += "\t" + std::to_string(in.counts[row.sequence * ns + s]);
        isomir_tsv += line + "\n";
    }

    // resistance_mirnas.tsv and the highlight in summary.tsv
    auto const resistance = load_resistance();
    std::string res_tsv = "mirna\tmimat\tin_panel\ttargets\tdrugs\tcancers";
    for (auto const & n : in.names)
        res_tsv += "\t" + n + "\t" + n + "_cpm";
    res_tsv += "\n";
    std::vector<std::vector<std::pair<double, std::string>>> highlight(ns);
    for (auto const & e : resistance)
    {
        auto const m = in.matures.find_name(e.mature);
        std::string mimat = e.mimat.rfind("MIMAT", 0) == 0 ? e.mimat : std::string{"."};
        if (m)
            for (auto const & l : loci)
                if (l.name_index == *m)
                {
                    mimat = l.mimat; // the panel's accession is authoritative
                    break;
                }
        res_tsv += e.mature + "\t" + mimat + "\t" + (m ? "yes" : "no") + "\t" + join(e.targets, ",") + "\t" +
                   join(e.drugs, " | ") + "\t" + join(e.cancers, " | ");
        std::vector<double> cpms(ns, 0);
        bool any = false;
        for (size_t s = 0; s < ns; ++s)
        {
            if (!m)
            {
                res_tsv += "\tNA\tNA";
                continue;
            }
            double const c = mcount[*m * ns + s];
            cpms[s] = cpm(*m, s);
            res_tsv += "\t" + format_count(c) + "\t" + format_count(cpms[s]);
            if (c > 0)
            {
                any = true;
                highlight[s].emplace_back(cpms[s], e.mature);
            }
        }
        res_tsv += "\n";
        if (any)
            result.resistance_detected.emplace_back(e.mature, cpms);
    }
    std::stable_sort(result.resistance_detected.begin(),
                     result.resistance_detected.end(),
                     [](auto const & a, auto const & b)
                     {
                         double sa = 0, sb = 0;
                         for (double v : a.second)
                             sa += v;
                         for (double v : b.second)
                             sb += v;
                         return sa > sb;
                     });

    // summary.tsv
    std::string summary_tsv = "sample\treads_in\tadapter_found\tno_adapter\tdiscarded_untrimmed\ttoo_short\t"
                              "too_long\tambiguous\tkept\tunique_sequences\tmapped\tunmapped\trejected\t"
                              "hairpin_other\tassigned\tmultimapped\tmirnas_detected\tresistance_mirnas_cpm\n";
    for (size_t s = 0; s < ns; ++s)
    {
        auto const & x = in.summaries[s];
        size_t detected = 0;
        for (size_t m = 0; m < nm; ++m)
            detected += mcount[m * ns + s] > 0;
        auto & hl = highlight[s];
        std::stable_sort(hl.begin(),
                         hl.end(),
                         [](auto const & a, auto const & b)
                         {
                             return a.first > b.first;
                         });
        std::string hls;
        for (auto const & [v, name] : hl)
            hls += (hls.empty() ? "" : ";") + name + "=" + format_count(v);
        summary_tsv +=
            x.name + "\t" + std::to_string(x.reads_in) + "\t" + std::to_string(x.adapter_found) + "\t" +
            std::to_string(x.no_adapter()) + "\t" + std::to_string(x.discarded_untrimmed) + "\t" +
            std::to_string(x.too_short) + "\t" + std::to_string(x.too_long) + "\t" + std::to_string(x.ambiguous) +
            "\t" + std::to_string(x.kept()) + "\t" + std::to_string(x.unique_sequences) + "\t" +
            std::to_string(x.mapped) + "\t" + std::to_string(x.unmapped()) + "\t" + std::to_string(x.rejected) + "\t" +
            std::to_string(x.hairpin_other) + "\t" + std::to_string(x.assigned) + "\t" + std::to_string(x.multimapped) +
            "\t" + std::to_string(detected) + "\t" + (hls.empty() ? std::string{"."} : hls) + "\n";
    }

    std::vector<std::pair<std::string, std::string>> files{
        {"counts.tsv", std::move(counts_tsv)},
        {"cpm.tsv", std::move(cpm_tsv)},
        {"multimapped.tsv", std::move(multi_tsv)},
        {"hairpin_counts.tsv", std::move(hairpin_tsv)},
        {"isomirs.tsv", std::move(isomir_tsv)},
        {"mirna.gff3", std::move(gff)},
        {"summary.tsv", std::move(summary_tsv)},
        {"resistance_mirnas.tsv", std::move(res_tsv)},
    };
    for (auto const & f : files)
        result.files.push_back(f.first);
    result.files.push_back("run.json");

    // run.json: provenance (the one output that depends on the command line and thread count)
    nlohmann::ordered_json j;
    j["program"] = "chemores";
    j["command"] = "mirna quant";
    j["version"] = std::string{version_string()};
    j["git"] = std::string{git_hash()};
    j["build_type"] = std::string{build_type()};
    j["compiler"] = std::string{compiler()};
    j["command_line"] = o.command_line;
    j["threads"] = o.threads;
    j["simd"] = in.simd_target;
    j["reference"] = {{"origin", in.panel.origin()},
                      {"description", "miRBase v22 human hairpins and matures"},
                      {"checksum", in.panel.checksum()},
                      {"hairpins", nh},
                      {"mature_loci", loci.size()},
                      {"matures", nm}};
    auto const & a = o.annotation;
    j["parameters"] = {{"adapter", o.adapter},
                       {"discard_untrimmed", o.discard_untrimmed},
                       {"min_length", o.min_length},
                       {"max_length", o.max_length},
                       {"tolerance_5p", a.tolerance_5p},
                       {"tolerance_3p", a.tolerance_3p},
                       {"max_mismatches", a.max_mismatches},
                       {"max_add3p", a.max_add3p},
                       {"max_add5p", a.max_add5p},
                       {"multimapping",
                        "a read counts 1, shared equally (1/n) between the n distinct miRNAs "
                        "(mature names) or hairpins of its equally best accepted alignments"}};
    nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
    nlohmann::ordered_json stats = nlohmann::ordered_json::array();
    for (auto const & x : in.summaries)
    {
        inputs.push_back({{"sample", x.name}, {"path", x.path}, {"md5", x.md5}});
        stats.push_back({{"sample", x.name},
                         {"reads_in", x.reads_in},
                         {"adapter_found", x.adapter_found},
                         {"no_adapter", x.no_adapter()},
                         {"discarded_untrimmed", x.discarded_untrimmed},
                         {"too_short", x.too_short},
                         {"too_long", x.too_long},
                         {"ambiguous", x.ambiguous},
                         {"kept", x.kept()},
                         {"unique_sequences", x.unique_sequences},
                         {"mapped", x.mapped},
                         {"unmapped", x.unmapped()},
                         {"rejected", x.rejected},
                         {"hairpin_other", x.hairpin_other},
                         {"assigned", x.assigned},
                         {"multimapped", x.multimapped}});
    }
    j["inputs"] = inputs;
    j["samples"] = stats;
    nlohmann::ordered_json res = nlohmann::ordered_json::array();
    for (auto const & [name, cpms] : result.resistance_detected)
    {
        nlohmann::ordered_json c = nlohmann::ordered_json::object();
        for (size_t s = 0; s < ns; ++s)
            c[in.names[s]] = std::round(cpms[s] * 1000.0) / 1000.0;
        res.push_back({{"mirna", name}, {"cpm", c}});
    }
    j["resistance_mirnas_detected"] = res;
    j["outputs"] = result.files;
    j["warnings"] = result.warnings;
    files.emplace_back("run.json", j.dump(2) + "\n");

    write_all(o.output_dir, files);

    result.samples = in.summaries;
    result.unique_sequences = in.sequences.size();
    result.simd_target = in.simd_target;
    return result;
}

} // namespace chemores::mirna
