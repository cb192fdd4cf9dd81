// MultiQC custom content: JSON files named *_mqc.json, which MultiQC's custom_content module finds by name
// (tested with the Debian package, MultiQC 1.14): general-statistics columns, a per-drug verdict table and a bar
// graph of the detected mutation fractions.

#include <chemores/catalogue/catalogue.hpp>
#include <chemores/report/report.hpp>

#include "util.hpp"

#include <algorithm>
#include <map>

namespace chemores::report
{

namespace
{

using ojson = nlohmann::ordered_json;
using detail::json;

ojson column(char const * title, char const * description, ojson extra = ojson::object())
{
    ojson c{{"title", title}, {"description", description}};
    for (auto const & [k, v] : extra.items())
        c[k] = v;
    return c;
}

} // namespace

std::vector<output_file> render_multiqc(cohort const & c)
{
    std::vector<output_file> out;
    size_t const n = c.samples.size();

    // General statistics: one row per sample.
    {
        ojson doc;
        doc["id"] = "chemores_general_stats";
        doc["plot_type"] = "generalstats";
        doc["namespace"] = "chemores";
        ojson headers = ojson::array();
        headers.push_back({{"chemores_detected", column("Resistance mut.", "chemores: catalogued resistance mutations "
                                                                            "detected",
                                                         {{"format", "{:,.0f}"}, {"min", 0}, {"scale", "Reds"}})}});
        headers.push_back({{"chemores_max_fraction", column("Max mut. %", "chemores: largest fraction (% of molecules) of "
                                                                         "a detected catalogued mutation",
                                                             {{"suffix", "%"}, {"min", 0}, {"max", 100},
                                                              {"format", "{:,.2f}"}, {"scale", "OrRd"}})}});
        headers.push_back({{"chemores_resistant_drugs",
                            column("Resistant drugs", "chemores: drugs with the verdict 'resistant'",
                                   {{"format", "{:,.0f}"}, {"min", 0}, {"scale", "Reds"}})}});
        headers.push_back({{"chemores_not_assessable",
                            column("Not assessable", "chemores: catalogue entries that could not be assessed",
                                   {{"format", "{:,.0f}"}, {"min", 0}, {"scale", "Greys"}})}});
        headers.push_back({{"chemores_median_depth",
                            column("KD depth", "chemores: median molecule depth over ABL1 codons 229-500",
                                   {{"format", "{:,.0f}"}, {"min", 0}, {"scale", "Blues"}})}});
        headers.push_back({{"chemores_fusion", column("BCR::ABL1", "chemores: BCR::ABL1 transcript type",
                                                      {{"scale", false}})}});
        doc["pconfig"] = headers;
        ojson data = ojson::object();
        for (size_t i = 0; i < n; ++i)
        {
            auto const & s = c.sample(i);
            double max_fraction = 0;
            int detected = 0, not_assessable = 0, resistant = 0;
            for (auto const & v : s["calls"])
            {
                if (v["status"] == "DETECTED")
                {
                    ++detected;
                    max_fraction = std::max(max_fraction, detail::num(v["fraction"]));
                }
                else if (v["status"] == "NOT_ASSESSABLE")
                    ++not_assessable;
            }
            for (auto const & d : s["drugs"])
                resistant += d["verdict"] == "resistant";
            std::vector<uint64_t> depths;
            for (auto const & cv : s["coverage"])
                if (cv["gene"] == "ABL1" && cv["codon"].get<int64_t>() >= 229 && cv["codon"].get<int64_t>() <= 500)
                    depths.push_back(cv["depth"].get<uint64_t>());
            std::sort(depths.begin(), depths.end());
            ojson row;
            row["chemores_detected"] = detected;
            row["chemores_max_fraction"] = std::round(max_fraction * 1e6) / 1e4;
            row["chemores_resistant_drugs"] = resistant;
            row["chemores_not_assessable"] = not_assessable;
            row["chemores_median_depth"] = depths.empty() ? 0 : depths[depths.size() / 2];
            row["chemores_fusion"] = s["fusion"]["type"].get<std::string>();
            data[s["name"].get<std::string>()] = row;
        }
        doc["data"] = data;
        out.push_back({"chemores_general_stats_mqc.json", doc.dump(2) + "\n"});
    }

    // Per-drug verdicts: a table.
    {
        std::vector<std::string> drugs;
        for (auto name : catalogue::tki_drugs)
            drugs.emplace_back(name);
        for (size_t i = 0; i < n; ++i)
            for (auto const & d : c.sample(i)["drugs"])
                if (std::find(drugs.begin(), drugs.end(), d["drug"].get<std::string>()) == drugs.end())
                    drugs.push_back(d["drug"].get<std::string>());
        ojson doc;
        doc["id"] = "chemores_drugs";
        doc["section_name"] = "chemores: drug interpretation";
        doc["description"] = "Per-drug verdict of chemores call (resistant, reduced sensitivity, none detected, not "
                             "assessable), from the catalogue of BCR::ABL1 kinase-domain and SLC19A1 mutations.";
        doc["plot_type"] = "table";
        doc["pconfig"] = {{"id", "chemores_drugs_table"}, {"title", "chemores: drug interpretation"},
                          {"namespace", "chemores"}, {"col1_header", "Sample"}};
        ojson headers = ojson::object();
        for (auto const & d : drugs)
        {
            std::string title = d;
            if (!title.empty())
                title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
            headers[d] = {{"title", title}, {"description", "chemores verdict for " + d}, {"scale", false}};
        }
        doc["headers"] = headers;
        ojson data = ojson::object();
        for (size_t i = 0; i < n; ++i)
        {
            auto const & s = c.sample(i);
            ojson row = ojson::object();
            for (auto const & d : drugs)
                for (auto const & x : s["drugs"])
                    if (x["drug"] == d)
                        row[d] = std::string{verdict_label(x["verdict"].get<std::string>())};
            data[s["name"].get<std::string>()] = row;
        }
        doc["data"] = data;
        out.push_back({"chemores_drugs_mqc.json", doc.dump(2) + "\n"});
    }

    // Mutation fractions: a bar graph, samples x variants detected in any sample (catalogue entries and VUS), %.
    {
        std::vector<std::pair<std::string, std::string>> variants; // id, label
        for (size_t i = 0; i < n; ++i)
            for (auto const * list : {&c.sample(i)["calls"], &c.sample(i)["vus"]})
                for (auto const & v : *list)
                    if (v["status"] == "DETECTED")
                    {
                        auto const id = v["id"].get<std::string>();
                        if (std::none_of(variants.begin(), variants.end(), [&](auto const & p) { return p.first == id; }))
                            variants.emplace_back(id, v["gene"].get<std::string>() + " " +
                                                          v["mutation"].get<std::string>() +
                                                          (list == &c.sample(i)["vus"] ? " (VUS)" : ""));
                    }
        ojson doc;
        doc["id"] = "chemores_mutation_fractions";
        doc["section_name"] = "chemores: mutation fractions";
        doc["description"] = "Fraction of molecules (%) carrying each mutation detected by chemores call in at least "
                             "one sample; 0 where not detected or not assessable in a sample.";
        doc["plot_type"] = "bargraph";
        doc["pconfig"] = {{"id", "chemores_mutation_fractions_plot"},
                          {"title", "chemores: mutation fractions"},
                          {"ylab", "% of molecules"},
                          {"ymin", 0},
                          {"ymax", 100},
                          {"cpswitch", false},
                          {"stacking", nullptr},
                          {"tt_decimals", 2},
                          {"tt_suffix", "%"}};
        ojson cats = ojson::object();
        for (auto const & [id, label] : variants)
            cats[label] = {{"name", label}};
        doc["categories"] = cats;
        ojson data = ojson::object();
        for (size_t i = 0; i < n; ++i)
        {
            auto const & s = c.sample(i);
            ojson row = ojson::object();
            for (auto const & [id, label] : variants)
            {
                double f = 0;
                for (auto const * list : {&s["calls"], &s["vus"]})
                    for (auto const & v : *list)
                        if (v["id"] == id && v["status"] == "DETECTED")
                            f = detail::num(v["fraction"]);
                row[label] = std::round(f * 1e6) / 1e4;
            }
            data[s["name"].get<std::string>()] = row;
        }
        doc["data"] = data;
        if (!variants.empty()) // MultiQC rejects a bar graph without categories
            out.push_back({"chemores_mutation_fractions_mqc.json", doc.dump(2) + "\n"});
    }
    return out;
}

} // namespace chemores::report
