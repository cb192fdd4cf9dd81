// CLI tests of `chemores report`. Inputs are real `chemores call` results: the demo data (T315I ~30 %, E255K ~4 %,
// e13a2, an SLC19A1 amplicon) and a simulated ABL1-only sample (F317L 12 %, Y253H 6 %: no SLC19A1 reads, so
// methotrexate is not assessable). The HTML is checked as text: the drug table, numbers against calls.tsv, the
// plots, self-containment (no script, no external reference), escaping; then cohort reports, --sample, MultiQC
// files, miRNA results, and bad input (clear error naming the file, non-zero exit, nothing written).

#include "../cli_test_util.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace chemores::test;
using jdoc = nlohmann::json;

namespace
{

std::string const C = bin();
std::vector<std::string> const tkis{"imatinib", "dasatinib", "nilotinib", "bosutinib", "ponatinib", "asciminib"};

// ---- fixtures: chemores call results, made once per chemores binary and shared by the test processes -------------

std::string cache_key()
{
    struct stat st{};
    ::stat(C.c_str(), &st);
    return std::to_string(static_cast<long long>(st.st_mtime)) + "-" + std::to_string(static_cast<long long>(st.st_size));
}

fs::path make_results()
{
    fs::path const base = fs::path{REPORT_TEST_CACHE} / ("results-" + cache_key());
    if (fs::exists(base / "complete"))
        return base;
    fs::create_directories(base.parent_path());
    std::error_code ec;
    for (auto const & e : fs::directory_iterator(base.parent_path(), ec)) // results of an earlier chemores binary
        if (auto const name = e.path().filename().string();
            name.rfind("results-", 0) == 0 && name.find(".tmp") == std::string::npos && e.path() != base)
            fs::remove_all(e.path(), ec);
    fs::path const tmp = base.string() + ".tmp" + std::to_string(::getpid());
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    auto r = run(C + " call --verbosity 0 -o demo " + test_data() + "/demo/demo_R1.fq.gz " + test_data() +
                     "/demo/demo_R2.fq.gz",
                 tmp);
    if (r.status != 0)
        throw std::runtime_error{"chemores call on the demo data failed: " + r.err};
    // ABL1 kinase-domain amplicons only: F317L (c.949T>C, tx 1142) 12 %, Y253H (c.757T>C, tx 950) 6 %.
    r = run(simreads() + " --fasta " + panel_dir() +
                "/transcripts.fa --contig NM_005157.6 --amplicons 852-1151,1062-1361,1306-1605,1456-1755 -n 6000 "
                "--length 150 --sub 0.001 --seed 7 --exact-fraction --prefix sim --variant NM_005157.6:1142:C:0.12 "
                "--variant NM_005157.6:950:C:0.06 -1 sim_R1.fq -2 sim_R2.fq",
            tmp);
    if (r.status != 0)
        throw std::runtime_error{"simreads failed: " + r.err};
    r = run(C + " call --verbosity 0 -o sim sim_R1.fq sim_R2.fq", tmp);
    if (r.status != 0)
        throw std::runtime_error{"chemores call on the simulated sample failed: " + r.err};
    // One result.json with both samples (as `chemores call` writes for a run of two samples).
    auto both = jdoc::parse(read_file((tmp / "demo/result.json").string()));
    auto sim = jdoc::parse(read_file((tmp / "sim/result.json").string()));
    both["samples"].push_back(sim["samples"][0]);
    write_file((tmp / "both.json").string(), both.dump(2));
    write_file((tmp / "complete").string(), "");
    fs::rename(tmp, base, ec);
    if (ec) // another test process was faster
        fs::remove_all(tmp);
    return base;
}

fs::path const & results()
{
    static fs::path const p = make_results();
    return p;
}
std::string demo_json()
{
    return (results() / "demo/result.json").string();
}
std::string sim_json()
{
    return (results() / "sim/result.json").string();
}
std::string both_json()
{
    return (results() / "both.json").string();
}
jdoc load(std::string const & path)
{
    return jdoc::parse(read_file(path));
}

// ---- HTML as text -----------------------------------------------------------------------------------------------

//!\brief The element with id="ID" (from its start tag to the matching end tag), or "" if there is none.
std::string element(std::string const & html, std::string const & id)
{
    auto const at = html.find(" id=\"" + id + "\"");
    if (at == std::string::npos)
        return {};
    auto const start = html.rfind('<', at);
    size_t name_end = start + 1;
    while (name_end < html.size() && std::isalnum(static_cast<unsigned char>(html[name_end])))
        ++name_end;
    std::string const tag = html.substr(start + 1, name_end - start - 1);
    int depth = 0;
    size_t pos = start;
    while (pos < html.size())
    {
        auto const open = html.find("<" + tag, pos + 1);
        auto const close = html.find("</" + tag + ">", pos + 1);
        if (close == std::string::npos)
            return {};
        if (open != std::string::npos && open < close &&
            !std::isalnum(static_cast<unsigned char>(html[open + 1 + tag.size()])))
        {
            ++depth;
            pos = open;
            continue;
        }
        if (depth == 0)
            return html.substr(start, close + tag.size() + 3 - start);
        --depth;
        pos = close;
    }
    return {};
}

//!\brief The <tr ...>...</tr> rows of a table.
std::vector<std::string> rows(std::string const & table)
{
    std::vector<std::string> out;
    size_t pos = 0;
    while ((pos = table.find("<tr", pos)) != std::string::npos)
    {
        auto const end = table.find("</tr>", pos);
        out.push_back(table.substr(pos, end - pos + 5));
        pos = end;
    }
    return out;
}

//!\brief The value of attribute `name` on the first tag of `s` having it, or "" if none.
std::string attr(std::string const & s, std::string const & name)
{
    auto const p = s.find(" " + name + "=\"");
    if (p == std::string::npos)
        return {};
    auto const b = p + name.size() + 3;
    return s.substr(b, s.find('"', b) - b);
}

//!\brief Visible text: tags removed, entities of esc() decoded, whitespace collapsed.
std::string text(std::string const & s)
{
    std::string out;
    bool in_tag = false;
    for (char c : s)
    {
        if (c == '<')
            in_tag = true;
        else if (c == '>')
        {
            in_tag = false;
            out += ' ';
        }
        else if (!in_tag)
            out += c;
    }
    for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}})
        for (size_t p; (p = out.find(from)) != std::string::npos;)
            out.replace(p, from.size(), to);
    std::string collapsed;
    for (char c : out)
        if (!(c == ' ' || c == '\n') || (!collapsed.empty() && collapsed.back() != ' '))
            collapsed += c == '\n' ? ' ' : c;
    while (!collapsed.empty() && collapsed.back() == ' ')
        collapsed.pop_back();
    return collapsed;
}

//!\brief The <td>/<th> cells of a row.
std::vector<std::string> cells(std::string const & row)
{
    std::vector<std::string> out;
    std::regex const re{R"(<(td|th)[^>]*>([\s\S]*?)</\1>)"};
    for (std::sregex_iterator it{row.begin(), row.end(), re}, end; it != end; ++it)
        out.push_back((*it)[0]);
    return out;
}

size_t count(std::string const & s, std::string const & what)
{
    size_t n = 0;
    for (size_t p = 0; (p = s.find(what, p)) != std::string::npos; p += what.size())
        ++n;
    return n;
}

std::string fmt(double v, char const * f)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

//!\brief calls.tsv rows of one sample, by catalogue id.
std::map<std::string, std::map<std::string, std::string>> tsv_by_id(std::string const & path, std::string const & sample)
{
    std::ifstream in{path};
    std::string line;
    std::getline(in, line);
    std::vector<std::string> cols;
    std::stringstream hs{line};
    for (std::string x; std::getline(hs, x, '\t');)
        cols.push_back(x);
    std::map<std::string, std::map<std::string, std::string>> out;
    while (std::getline(in, line))
    {
        std::map<std::string, std::string> row;
        std::stringstream ls{line};
        size_t i = 0;
        for (std::string x; std::getline(ls, x, '\t'); ++i)
            row[cols.at(i)] = x;
        if (row["sample"] == sample)
            out[row["id"]] = row;
    }
    return out;
}

//!\brief Run `chemores report ARGS` in a fresh directory; returns the result and the HTML written to out.html.
struct report_run
{
    run_result r;
    std::string html;
};
report_run report(temp_dir const & d, std::string const & args)
{
    report_run rr;
    rr.r = run("SOURCE_DATE_EPOCH=1700000000 " + C + " report -o out.html " + args, d.path);
    rr.html = read_file(d / "out.html");
    return rr;
}

//!\brief No file other than `keep` in the directory (no temporary, no half-written output).
void expect_only(temp_dir const & d, std::set<std::string> const & keep)
{
    for (auto const & f : list_dir(d.path))
        EXPECT_TRUE(keep.contains(f)) << "unexpected file left behind: " << f;
}

} // namespace

// ---- the sample report ------------------------------------------------------------------------------------------

TEST(report_sample, drug_table_comes_first_with_the_six_tkis_and_their_verdicts)
{
    temp_dir d;
    auto const rr = report(d, demo_json());
    ASSERT_EQ(rr.r.status, 0) << rr.r.err;
    auto const doc = load(demo_json());
    auto const & s = doc["samples"][0];
    auto const table = element(rr.html, "drug-table");
    ASSERT_FALSE(table.empty());
    // The drug table is the first table of the document, right after the key findings.
    EXPECT_EQ(rr.html.find("<table"), rr.html.find("<table id=\"drug-table\""));
    std::vector<std::string> drugs;
    for (auto const & row : rows(table))
        if (auto drug = attr(row, "data-drug"); !drug.empty())
        {
            drugs.push_back(drug);
            auto const it = std::find_if(s["drugs"].begin(), s["drugs"].end(),
                                         [&](jdoc const & x) { return x["drug"] == drug; });
            ASSERT_NE(it, s["drugs"].end()) << drug;
            auto const verdict = (*it)["verdict"].get<std::string>();
            EXPECT_EQ(attr(row, "data-verdict"), verdict) << drug;
            std::string const label = verdict == "resistant"             ? "resistant"
                                      : verdict == "reduced_sensitivity" ? "reduced sensitivity"
                                      : verdict == "not_assessable"      ? "not assessable"
                                                                         : "none detected";
            auto const cs = cells(row);
            ASSERT_GE(cs.size(), 3u);
            EXPECT_EQ(text(cs[1]), label) << drug;
            std::string cap = drug;
            cap[0] = static_cast<char>(std::toupper(cap[0]));
            EXPECT_EQ(text(cs[0]), cap);
            for (auto const & drv : (*it)["drivers"])
                EXPECT_NE(text(cs[2]).find(drv["variant"].get<std::string>() + " " +
                                           fmt(100 * drv["fraction"].get<double>(), "%.2f") + "%"),
                          std::string::npos)
                    << drug << ": " << text(cs[2]);
        }
    ASSERT_GE(drugs.size(), 6u);
    EXPECT_EQ(std::vector<std::string>(drugs.begin(), drugs.begin() + 6), tkis);
    EXPECT_NE(std::find(drugs.begin(), drugs.end(), "methotrexate"), drugs.end());
    // Demo truth: T315I makes imatinib..bosutinib resistant; asciminib has no resistance mutation.
    EXPECT_NE(table.find("data-drug=\"imatinib\" data-verdict=\"resistant\""), std::string::npos);
    EXPECT_NE(table.find("data-drug=\"asciminib\" data-verdict=\"no_known_resistance_detected\""), std::string::npos);
}

TEST(report_sample, has_every_section_and_the_plots)
{
    temp_dir d;
    auto const rr = report(d, demo_json());
    ASSERT_EQ(rr.r.status, 0) << rr.r.err;
    auto const & h = rr.html;
    EXPECT_EQ(h.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_NE(h.find("<title>Drug-resistance report: demo</title>"), std::string::npos);
    for (auto const * id : {"drugs", "drug-table", "mutations", "mutation-table", "fraction-plot", "coverage",
                            "coverage-plot", "fusion", "compounds", "compound-table", "hrfc", "hrfc-table",
                            "slc19a1-coverage-plot", "qc", "qc-table", "catalogue", "catalogue-table", "sources",
                            "provenance"})
        EXPECT_FALSE(element(h, id).empty()) << "no element id=" << id;
    EXPECT_TRUE(element(h, "mirna").empty()); // no --mirna: no miRNA section
    EXPECT_NE(text(element(h, "provenance")).find("miRNA results none given"), std::string::npos);
    // Order: drugs, mutations, coverage, fusion, compounds, hRFC, QC, provenance.
    std::vector<size_t> pos;
    for (auto const * id : {"drugs", "mutations", "coverage", "fusion", "compounds", "hrfc", "qc", "provenance"})
        pos.push_back(h.find(" id=\"" + std::string{id} + "\""));
    EXPECT_TRUE(std::is_sorted(pos.begin(), pos.end()));

    // Coverage plot: ABL1 codons 229-500, a strip rectangle per catalogue codon, both detected mutations marked.
    auto const cov = element(h, "coverage-plot");
    EXPECT_EQ(cov.rfind("<svg", 0), 0u);
    EXPECT_NE(cov.find("data-gene=\"ABL1\" data-first=\"229\" data-last=\"500\""), std::string::npos);
    auto const doc = load(demo_json());
    std::set<int64_t> codons;
    for (auto const & v : doc["samples"][0]["calls"])
        if (v["gene"] == "ABL1" && v["codon"].get<int64_t>() >= 229 && v["codon"].get<int64_t>() <= 500)
            codons.insert(v["codon"].get<int64_t>()); // I502L lies outside the plotted kinase domain
    EXPECT_EQ(count(cov, "data-status=\""), codons.size());
    EXPECT_EQ(count(cov, "class=\"detected\""), 2u);
    EXPECT_NE(cov.find("data-codon=\"315\" data-status=\"DETECTED\""), std::string::npos);
    EXPECT_NE(cov.find("data-codon=\"255\" data-status=\"DETECTED\""), std::string::npos);
    EXPECT_NE(cov.find("T315I 29.8%"), std::string::npos);
    EXPECT_NE(cov.find("class=\"lod-line\""), std::string::npos); // LOD series with its own axis
    EXPECT_NE(cov.find("min VAF 3%"), std::string::npos);
    EXPECT_NE(cov.find("<title"), std::string::npos); // accessible name
    // Fraction plot: one row per detected variant.
    EXPECT_EQ(count(element(h, "fraction-plot"), "class=\"fraction-row\""), 2u);
    // Fusion, compound and hRFC content.
    EXPECT_NE(text(element(h, "fusion")).find("Type: e13a2"), std::string::npos);
    EXPECT_NE(element(h, "compound-table").find("E255K+T315I"), std::string::npos);
    EXPECT_NE(text(element(h, "hrfc")).find("Methotrexate: none detected"), std::string::npos);
    EXPECT_EQ(count(element(h, "hrfc-table"), "data-id=\"SLC19A1:"), 4u);
    // Provenance: everything of result.json's provenance, and the report generator.
    auto const prov = text(element(h, "provenance"));
    for (auto const & [k, v] : doc["provenance"].items())
        EXPECT_NE(prov.find(k), std::string::npos) << k;
    EXPECT_NE(prov.find(doc["provenance"]["reference_checksum"].get<std::string>()), std::string::npos);
    EXPECT_NE(prov.find("generator chemores report 0."), std::string::npos);
    EXPECT_NE(prov.find("generated 2023-11-14 22:13 UTC"), std::string::npos); // SOURCE_DATE_EPOCH
}

TEST(report_sample, numbers_are_those_of_calls_tsv)
{
    temp_dir d;
    auto const rr = report(d, demo_json());
    ASSERT_EQ(rr.r.status, 0) << rr.r.err;
    auto const tsv = tsv_by_id((results() / "demo/calls.tsv").string(), "demo");
    auto check_row = [&](std::string const & row, char const * where) {
        auto const id = attr(row, "data-id");
        ASSERT_TRUE(tsv.contains(id)) << where << ": " << id;
        auto const & t = tsv.at(id);
        // data-value carries the calls.tsv text; the shown percentage is 100 x that value with 2 decimals.
        std::regex const num_re{R"re(<td class="num" data-value="([^"]*)">([^<]*)</td>)re"};
        std::vector<std::pair<std::string, std::string>> nums;
        for (std::sregex_iterator it{row.begin(), row.end(), num_re}, end; it != end; ++it)
            nums.emplace_back((*it)[1], (*it)[2]);
        ASSERT_EQ(nums.size(), 2u) << row; // fraction, LOD
        EXPECT_EQ(nums[0].first, t.at("fraction")) << id;
        EXPECT_EQ(nums[1].first, t.at("lod")) << id;
        if (t.at("fraction") != ".")
        {
            EXPECT_NEAR(std::stod(nums[0].second), 100 * std::stod(t.at("fraction")), 0.0051) << id;
        }
        if (t.at("lod") != ".")
        {
            EXPECT_NEAR(std::stod(nums[1].second), 100 * std::stod(t.at("lod")), 0.0051) << id;
        }
        EXPECT_NE(text(row).find(t.at("alt_molecules") + " / " + t.at("depth")), std::string::npos) << id;
        if (t.at("ci_low") != "." && t.at("ci_high") != ".")
        {
            EXPECT_NE(text(row).find(fmt(100 * std::stod(t.at("ci_low")), "%.2f") + "\xe2\x80\x93" +
                                     fmt(100 * std::stod(t.at("ci_high")), "%.2f")),
                      std::string::npos)
                << id << ": " << text(row);
        }
    };
    // Every catalogue entry: status as in calls.tsv, rendered as words.
    auto const all = rows(element(rr.html, "catalogue-table"));
    size_t n = 0;
    for (auto const & row : all)
        if (!attr(row, "data-id").empty())
        {
            ++n;
            check_row(row, "catalogue-table");
            auto const & t = tsv.at(attr(row, "data-id"));
            EXPECT_EQ(attr(row, "data-status"), t.at("status"));
            std::string const word = t.at("status") == "DETECTED"         ? "detected"
                                     : t.at("status") == "NOT_ASSESSABLE" ? "not assessable"
                                                                          : "not detected";
            EXPECT_EQ(text(cells(row).at(2)), word);
        }
    EXPECT_EQ(n, load(demo_json())["samples"][0]["calls"].size());
    // Detected mutations: also the interval bounds (data-low/high) and QUAL as in calls.tsv.
    auto const det = rows(element(rr.html, "mutation-table"));
    n = 0;
    for (auto const & row : det)
        if (!attr(row, "data-id").empty())
        {
            ++n;
            auto const & t = tsv.at(attr(row, "data-id"));
            EXPECT_EQ(t.at("status"), "DETECTED");
            EXPECT_EQ(attr(row, "data-low"), t.at("ci_low"));
            EXPECT_EQ(attr(row, "data-high"), t.at("ci_high"));
            EXPECT_EQ(attr(row, "data-alt"), t.at("alt_molecules"));
            EXPECT_EQ(attr(row, "data-depth"), t.at("depth"));
            EXPECT_NE(row.find(">" + t.at("qual") + "</td>"), std::string::npos) << "QUAL " << t.at("qual");
            EXPECT_NE(text(row).find(t.at("hgvs_c")), std::string::npos);
            EXPECT_NE(text(row).find(t.at("hgvs_p")), std::string::npos);
        }
    EXPECT_EQ(n, 2u);
}

TEST(report_sample, not_assessable_verdict_reads_not_assessable)
{
    temp_dir d;
    auto const doc = load(sim_json());
    auto const & s = doc["samples"][0];
    auto const mtx = std::find_if(s["drugs"].begin(), s["drugs"].end(),
                                  [](jdoc const & x) { return x["drug"] == "methotrexate"; });
    ASSERT_NE(mtx, s["drugs"].end());
    ASSERT_EQ((*mtx)["verdict"], "not_assessable") << "the simulated sample has no SLC19A1 reads";
    auto const rr = report(d, sim_json());
    ASSERT_EQ(rr.r.status, 0) << rr.r.err;
    auto const table = element(rr.html, "drug-table");
    bool found = false;
    for (auto const & row : rows(table))
        if (attr(row, "data-drug") == "methotrexate")
        {
            found = true;
            EXPECT_EQ(attr(row, "data-verdict"), "not_assessable");
            EXPECT_EQ(text(cells(row).at(1)), "not assessable");
            // The entries that cannot be ruled out are named.
            EXPECT_NE(text(cells(row).at(3)).find((*mtx)["not_assessable"][0].get<std::string>()), std::string::npos);
        }
    EXPECT_TRUE(found);
    EXPECT_EQ(text(table).find("not_assessable"), std::string::npos);
    EXPECT_EQ(text(table).find("NOT_ASSESSABLE"), std::string::npos);
    // The simulated mutations are reported; F317L drives dasatinib/nilotinib/bosutinib.
    EXPECT_NE(element(rr.html, "mutation-table").find("data-id=\"ABL1:F317L\""), std::string::npos);
    EXPECT_NE(element(rr.html, "mutation-table").find("data-id=\"ABL1:Y253H\""), std::string::npos);
    for (auto const & row : rows(element(rr.html, "catalogue-table")))
        if (attr(row, "data-status") == "NOT_ASSESSABLE")
        {
            EXPECT_EQ(text(cells(row).at(2)), "not assessable");
        }
    EXPECT_NE(text(element(rr.html, "fusion")).find("none found"), std::string::npos);
    EXPECT_NE(element(rr.html, "qc").find("<h3>Not assessable</h3>"), std::string::npos); // reasons listed
}

TEST(report_sample, self_contained_no_script_no_external_reference)
{
    temp_dir d;
    for (auto const & args : {demo_json(), both_json()})
    {
        auto const rr = report(d, args);
        ASSERT_EQ(rr.r.status, 0) << rr.r.err;
        auto const & h = rr.html;
        for (auto const * bad : {"<script", "<link", "<iframe", "<img", "<object", "<embed", "<base", "src=",
                                 "@import", "url(", "@font-face", "xlink:href"})
            EXPECT_EQ(h.find(bad), std::string::npos) << bad;
        std::regex const href{R"re(href="([^"]*)")re"};
        size_t anchors = 0;
        for (std::sregex_iterator it{h.begin(), h.end(), href}, end; it != end; ++it, ++anchors)
            EXPECT_EQ((*it)[1].str().rfind('#', 0), 0u) << (*it)[1];
        EXPECT_GT(anchors, 3u);
        // http(s):// only as plain text in the source citations and in provenance.
        std::vector<std::pair<size_t, size_t>> allowed;
        for (size_t p = 0; (p = h.find("<ul class=\"sources\">", p)) != std::string::npos; ++p)
            allowed.emplace_back(p, h.find("</ul>", p));
        allowed.emplace_back(h.find(" id=\"provenance\""), h.size());
        for (auto const * scheme : {"http://", "https://"})
            for (size_t p = 0; (p = h.find(scheme, p)) != std::string::npos; ++p)
            {
                EXPECT_TRUE(std::any_of(allowed.begin(), allowed.end(),
                                        [&](auto const & a) { return p > a.first && p < a.second; }))
                    << "URL outside the sources/provenance at " << h.substr(p > 60 ? p - 60 : 0, 120);
                EXPECT_NE(h[p - 1], '"') << "URL in an attribute";
            }
        EXPECT_NE(h.find("@media print"), std::string::npos);
        EXPECT_NE(h.find("<meta charset=\"utf-8\">"), std::string::npos);
    }
}

TEST(report_sample, escapes_names_and_text)
{
    temp_dir d;
    auto doc = load(demo_json());
    doc["samples"][0]["name"] = "<b>x&y</b>\"q'";
    doc["samples"][0]["fusion"]["note"] = "<script>alert(1)</script>";
    write_file(d / "odd.json", doc.dump());
    auto const rr = report(d, "odd.json");
    ASSERT_EQ(rr.r.status, 0) << rr.r.err;
    EXPECT_EQ(rr.html.find("<b>x&y"), std::string::npos);
    EXPECT_EQ(rr.html.find("<script"), std::string::npos);
    EXPECT_NE(rr.html.find("&lt;b&gt;x&amp;y&lt;/b&gt;&quot;q&#39;"), std::string::npos);
    EXPECT_NE(rr.html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

TEST(report_sample, stdout_title_and_reproducible_output)
{
    temp_dir d;
    auto const a = run("SOURCE_DATE_EPOCH=1700000000 " + C + " report -o - --title 'Patient 7, day 90' " + demo_json(),
                       d.path);
    ASSERT_EQ(a.status, 0) << a.err;
    EXPECT_NE(a.out.find("<title>Patient 7, day 90</title>"), std::string::npos);
    EXPECT_NE(a.out.find("<h1>Patient 7, day 90</h1>"), std::string::npos);
    EXPECT_EQ(list_dir(d.path).size(), 0u);
    auto const b = run("SOURCE_DATE_EPOCH=1700000000 " + C + " report -o - --title 'Patient 7, day 90' " + demo_json(),
                       d.path);
    EXPECT_EQ(a.out, b.out); // same input and command: byte-identical
}

// ---- cohort reports ---------------------------------------------------------------------------------------------

TEST(report_cohort, one_result_with_two_samples)
{
    temp_dir d;
    auto const rr = report(d, both_json());
    ASSERT_EQ(rr.r.status, 0) << rr.r.err;
    auto const & h = rr.html;
    auto const doc = load(both_json());
    EXPECT_NE(h.find("<title>Drug-resistance cohort report: 2 samples</title>"), std::string::npos);
    // Drug matrix: one row per sample, a verdict per drug as in result.json.
    auto const matrix = element(h, "drug-matrix");
    ASSERT_FALSE(matrix.empty());
    std::vector<std::string> samples;
    for (auto const & row : rows(matrix))
        if (auto name = attr(row, "data-sample"); !name.empty())
        {
            samples.push_back(name);
            auto const & s = *std::find_if(doc["samples"].begin(), doc["samples"].end(),
                                           [&](jdoc const & x) { return x["name"] == name; });
            for (auto const & dr : s["drugs"])
            {
                auto const cell = "<td data-drug=\"" + dr["drug"].get<std::string>() + "\"><span class=\"badge";
                auto const p = row.find(cell);
                ASSERT_NE(p, std::string::npos) << name << " " << dr["drug"];
                EXPECT_EQ(attr(row.substr(p + 5), "data-verdict"), dr["verdict"].get<std::string>());
            }
        }
    EXPECT_EQ(samples, (std::vector<std::string>{"demo", "sim"}));
    // The header lists the six TKIs first.
    auto const head = text(matrix.substr(0, matrix.find("</thead>")));
    EXPECT_EQ(head.rfind("Sample Imatinib Dasatinib Nilotinib Bosutinib Ponatinib Asciminib Methotrexate", 0), 0u)
        << head;
    // Mutation fractions: every variant detected in either sample; cells as in calls.tsv.
    auto const heat = element(h, "fraction-matrix");
    for (auto const * id : {"ABL1:T315I", "ABL1:E255K", "ABL1:F317L", "ABL1:Y253H"})
        EXPECT_NE(heat.find("<th data-id=\"" + std::string{id} + "\""), std::string::npos) << id;
    auto const demo_tsv = tsv_by_id((results() / "demo/calls.tsv").string(), "demo");
    auto const sim_tsv = tsv_by_id((results() / "sim/calls.tsv").string(), "sim");
    for (auto const & row : rows(heat))
    {
        auto const name = attr(row, "data-sample");
        if (name.empty())
            continue;
        auto const & tsv = name == "demo" ? demo_tsv : sim_tsv;
        auto const cs = cells(row);
        ASSERT_EQ(cs.size(), 5u);
        std::regex const th{R"re(<th data-id="([^"]*)")re"};
        std::vector<std::string> ids;
        for (std::sregex_iterator it{heat.begin(), heat.end(), th}, end; it != end; ++it)
            ids.push_back((*it)[1]);
        for (size_t k = 0; k < ids.size(); ++k)
        {
            auto const & t = tsv.at(ids[k]);
            EXPECT_EQ(attr(cs[k + 1], "data-value"), t.at("fraction")) << name << " " << ids[k];
            if (t.at("status") == "DETECTED")
                EXPECT_EQ(text(cs[k + 1]), fmt(100 * std::stod(t.at("fraction")), "%.2f"));
            else
                EXPECT_EQ(text(cs[k + 1]), t.at("status") == "NOT_ASSESSABLE" ? "NA" : "nd");
        }
    }
    // Per-sample sections with their own drug table and plots, and the cohort QC table.
    for (auto const * id : {"sample-1", "sample-2", "drug-table-1", "drug-table-2", "coverage-plot-1", "coverage-plot-2",
                            "fraction-plot-1", "fraction-plot-2", "cohort-qc-table", "provenance"})
        EXPECT_FALSE(element(h, id).empty()) << id;
    EXPECT_EQ(attr(element(h, "sample-2"), "data-sample"), "sim");
    EXPECT_TRUE(element(h, "drug-table").empty());
}

TEST(report_cohort, two_result_files_give_the_same_tables)
{
    temp_dir d;
    auto const one = report(d, both_json());
    ASSERT_EQ(one.r.status, 0) << one.r.err;
    auto const two = report(d, demo_json() + " " + sim_json());
    ASSERT_EQ(two.r.status, 0) << two.r.err;
    for (auto const * id : {"drug-matrix", "fraction-matrix", "cohort-qc-table", "drug-table-1", "drug-table-2",
                            "coverage-plot-2", "catalogue-table-2"})
        EXPECT_EQ(element(one.html, id), element(two.html, id)) << id;
    // Provenance names each result file.
    auto const prov = text(element(two.html, "provenance"));
    EXPECT_NE(prov.find(demo_json()), std::string::npos);
    EXPECT_NE(prov.find(sim_json()), std::string::npos);
}

TEST(report_cohort, sample_option_restricts)
{
    temp_dir d;
    auto const rr = report(d, "--sample sim " + both_json());
    ASSERT_EQ(rr.r.status, 0) << rr.r.err;
    EXPECT_TRUE(element(rr.html, "drug-matrix").empty());
    EXPECT_FALSE(element(rr.html, "drug-table").empty());
    EXPECT_NE(rr.html.find("<main data-sample=\"sim\">"), std::string::npos);
    auto const both = report(d, "--sample sim --sample demo " + both_json());
    ASSERT_EQ(both.r.status, 0) << both.r.err;
    EXPECT_FALSE(element(both.html, "drug-matrix").empty());

    temp_dir e;
    auto const bad = report(e, "--sample nope " + both_json());
    EXPECT_EQ(bad.r.status, 2);
    EXPECT_NE(bad.r.err.find("'nope'"), std::string::npos) << bad.r.err;
    EXPECT_NE(bad.r.err.find("demo, sim"), std::string::npos) << bad.r.err;
    expect_only(e, {});
}

// ---- bad input: a clear error naming the file, non-zero exit, nothing written -----------------------------------

TEST(report_bad_input, errors_name_the_file_and_write_nothing)
{
    auto const good = load(demo_json());
    auto without = [&](std::function<void(jdoc &)> f) {
        jdoc j = good;
        f(j);
        return j.dump(1);
    };
    std::string const text_doc = good.dump(1);
    struct bad_case
    {
        std::string name, content, expect;
    };
    std::vector<bad_case> const cases{
        {"empty.json", "", "empty file"},
        {"truncated.json", text_doc.substr(0, text_doc.size() / 2), "not valid JSON"},
        {"garbage.json", "chemores\tcall\n", "not valid JSON"},
        {"other.json", "{\"foo\": 1}", "not a result.json of chemores call"},
        {"array.json", "[1, 2]", "not a JSON object"},
        {"version.json", without([](jdoc & j) { j["schema_version"] = 2; }), "version 2 is not supported"},
        {"nosamples.json", without([](jdoc & j) { j["samples"] = jdoc::array(); }), "samples: no samples"},
        {"nodrugs.json", without([](jdoc & j) { j["samples"][0].erase("drugs"); }), "samples[0].drugs: missing"},
        {"verdict.json", without([](jdoc & j) { j["samples"][0]["drugs"][1]["verdict"] = "maybe"; }),
         "samples[0].drugs[1].verdict: 'maybe' is not one of"},
        {"status.json", without([](jdoc & j) { j["samples"][0]["calls"][3]["status"] = 7; }),
         "samples[0].calls[3].status: expected a string"},
        {"depth.json", without([](jdoc & j) { j["samples"][0]["coverage"][5]["depth"] = -1; }),
         "samples[0].coverage[5].depth: expected a non-negative integer"},
        {"dup.json", without([](jdoc & j) { j["samples"].push_back(j["samples"][0]); }),
         "duplicate sample name 'demo'"},
    };
    for (auto const & c : cases)
    {
        temp_dir d;
        write_file(d / c.name, c.content);
        write_file(d / "out.html", "previous report\n");
        auto const r = run(C + " report -o out.html --multiqc mqc " + c.name, d.path);
        EXPECT_NE(r.status, 0) << c.name;
        EXPECT_NE(r.err.find(c.name + ": "), std::string::npos) << c.name << ": " << r.err;
        EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.name << ": " << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
        EXPECT_EQ(read_file(d / "out.html"), "previous report\n") << c.name;
        expect_only(d, {c.name, "out.html"});
    }
}

TEST(report_bad_input, missing_or_unusable_files_and_options)
{
    temp_dir d;
    auto r = run(C + " report -o out.html missing/result.json", d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("missing/result.json: cannot open result.json"), std::string::npos) << r.err;
    // A good file and a bad one: nothing is written, not even the MultiQC directory.
    write_file(d / "bad.json", "{");
    r = run(C + " report -o out.html --multiqc mqc " + demo_json() + " bad.json", d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("bad.json: not valid JSON"), std::string::npos) << r.err;
    expect_only(d, {"bad.json"});
    // A directory instead of a file.
    fs::create_directories(d.path / "adir");
    r = run(C + " report -o out.html adir", d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("adir: is a directory"), std::string::npos) << r.err;
    // The same sample twice.
    r = run(C + " report -o out.html " + demo_json() + " " + demo_json(), d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("sample 'demo' is also in"), std::string::npos) << r.err;
    // Nothing to write; output directory missing; no input.
    r = run(C + " report " + demo_json(), d.path);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("give -o OUT.html and/or --multiqc DIR"), std::string::npos) << r.err;
    r = run(C + " report -o no/such/dir/out.html " + demo_json(), d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("no/such/dir/out.html: the directory no/such/dir does not exist"), std::string::npos) << r.err;
    r = run(C + " report -o out.html", d.path);
    EXPECT_EQ(r.status, 2);
    r = run(C + " report -o out.html --mirna a --mirna-counts b " + demo_json(), d.path);
    EXPECT_EQ(r.status, 2);
    expect_only(d, {"bad.json", "adir"});
}

// ---- MultiQC custom content ---------------------------------------------------------------------------------------

TEST(report_multiqc, writes_general_stats_drug_table_and_fraction_bar_graph)
{
    temp_dir d;
    auto const r = run(C + " report --multiqc mqc " + both_json(), d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(list_dir(d.path / "mqc"), (std::vector<std::string>{"chemores_drugs_mqc.json",
                                                                   "chemores_general_stats_mqc.json",
                                                                   "chemores_mutation_fractions_mqc.json"}));
    EXPECT_FALSE(fs::exists(d.path / "out.html"));
    auto const doc = load(both_json());
    auto const gs = load(d / "mqc/chemores_general_stats_mqc.json");
    EXPECT_EQ(gs["plot_type"], "generalstats");
    auto const bar = load(d / "mqc/chemores_mutation_fractions_mqc.json");
    EXPECT_EQ(bar["plot_type"], "bargraph");
    auto const drugs = load(d / "mqc/chemores_drugs_mqc.json");
    EXPECT_EQ(drugs["plot_type"], "table");
    for (auto const & s : doc["samples"])
    {
        auto const name = s["name"].get<std::string>();
        ASSERT_TRUE(gs["data"].contains(name));
        EXPECT_EQ(gs["data"][name]["chemores_detected"], s["qc"]["detected"]);
        EXPECT_EQ(gs["data"][name]["chemores_not_assessable"], s["qc"]["not_assessable"]);
        EXPECT_EQ(gs["data"][name]["chemores_fusion"], s["fusion"]["type"]);
        for (auto const & dr : s["drugs"])
        {
            auto const v = dr["verdict"].get<std::string>();
            EXPECT_EQ(drugs["data"][name][dr["drug"].get<std::string>()],
                      v == "no_known_resistance_detected" ? "none detected"
                      : v == "reduced_sensitivity"        ? "reduced sensitivity"
                      : v == "not_assessable"             ? "not assessable"
                                                          : v);
        }
        for (auto const & v : s["calls"])
        {
            std::string const label = "ABL1 " + v["mutation"].get<std::string>();
            if (!bar["categories"].contains(label))
                continue;
            double const want = v["status"] == "DETECTED" ? 100 * v["fraction"].get<double>() : 0.0;
            EXPECT_NEAR(bar["data"][name][label].get<double>(), want, 0.00051) << name << " " << label;
        }
    }
    EXPECT_EQ(bar["categories"].size(), 4u); // T315I, E255K (demo), F317L, Y253H (sim)

    // No mutation detected anywhere: no bar graph (MultiQC rejects one without categories), the rest as usual.
    auto quiet = load(demo_json());
    for (auto & v : quiet["samples"][0]["calls"])
        if (v["status"] == "DETECTED")
            v["status"] = "NOT_DETECTED";
    quiet["samples"][0]["vus"] = jdoc::array();
    write_file(d / "quiet.json", quiet.dump());
    auto const q = run(C + " report --multiqc mqc2 quiet.json", d.path);
    ASSERT_EQ(q.status, 0) << q.err;
    EXPECT_EQ(list_dir(d.path / "mqc2"),
              (std::vector<std::string>{"chemores_drugs_mqc.json", "chemores_general_stats_mqc.json"}));
}

// ---- miRNA results ------------------------------------------------------------------------------------------------

TEST(report_mirna, counts_file_and_directory)
{
    temp_dir d;
    fs::create_directories(d.path / "mq");
    write_file(d / "mq/counts.tsv", "mirna\tdemo\tother\n"
                                    "hsa-let-7a-5p\t1000\t500\n"
                                    "hsa-miR-21-5p\t3000\t10\n"
                                    "hsa-miR-7-5p\t5\t0\n"
                                    "hsa-miR-17-5p\t200.5\t0\n");
    write_file(d / "mq/summary.tsv", "sample\treads_in\tkept\tassigned\tmirnas_detected\n"
                                     "demo\t5000\t4300\t4205.5\t4\nother\t600\t520\t510\t2\n");
    // Directory: the sample's own column (its name matches), with the summary.
    auto rr = report(d, "--mirna mq " + demo_json());
    ASSERT_EQ(rr.r.status, 0) << rr.r.err;
    auto const section = element(rr.html, "mirna");
    ASSERT_FALSE(section.empty());
    EXPECT_FALSE(element(rr.html, "mirna-plot").empty());
    auto const table = element(rr.html, "mirna-table");
    double const total = 1000 + 3000 + 5 + 200.5;
    bool seen = false;
    for (auto const & row : rows(table))
        if (attr(row, "data-mirna") == "hsa-miR-21-5p")
        {
            seen = true;
            EXPECT_NE(text(row).find("3000 / " + fmt(3000e6 / total, "%.1f")), std::string::npos) << text(row);
            EXPECT_NE(text(row).find("PDCD4"), std::string::npos) << text(row); // target from mirna_targets.tsv
            EXPECT_EQ(cells(row).size(), 4u);                                  // miRNA, targets, drugs, demo
        }
    EXPECT_TRUE(seen);
    EXPECT_NE(text(section).find("demo 5000 4300 4205.5 4"), std::string::npos) << text(section);
    EXPECT_EQ(table.find(">other<"), std::string::npos); // only the sample's own column
    EXPECT_NE(text(element(rr.html, "provenance")).find("miRNA results mq"), std::string::npos);
    // Counts file of samples named otherwise: every column is shown.
    write_file(d / "counts.tsv", "mirna\tA\tB\nhsa-miR-21-5p\t10\t0\nhsa-miR-9-5p\t0\t4\n");
    rr = report(d, "--mirna-counts counts.tsv " + demo_json());
    ASSERT_EQ(rr.r.status, 0) << rr.r.err;
    for (auto const & row : rows(element(rr.html, "mirna-table")))
        if (attr(row, "data-mirna") == "hsa-miR-9-5p")
        {
            EXPECT_NE(text(row).find("0 / 0.0 4 / 1000000.0"), std::string::npos) << text(row);
        }
    // Cohort: a column matching a sample goes to that sample's section.
    rr = report(d, "--mirna mq " + both_json());
    ASSERT_EQ(rr.r.status, 0) << rr.r.err;
    EXPECT_FALSE(element(rr.html, "mirna-1").empty());   // demo
    EXPECT_TRUE(element(rr.html, "mirna-2").empty());    // sim has no column
    EXPECT_FALSE(element(rr.html, "mirna").empty());     // "other" matches no sample: shown once
}

TEST(report_mirna, malformed_or_missing_tables_are_errors)
{
    temp_dir d;
    fs::create_directories(d.path / "empty_dir");
    write_file(d / "bad_count.tsv", "mirna\tS\nhsa-miR-21-5p\t12\nhsa-miR-9-5p\tmany\n");
    write_file(d / "bad_header.tsv", "name\tS\nhsa-miR-21-5p\t12\n");
    write_file(d / "ragged.tsv", "mirna\tS\tT\nhsa-miR-21-5p\t12\n");
    struct bad_case
    {
        std::string arg, expect;
    };
    for (auto const & c : std::vector<bad_case>{
             {"--mirna empty_dir", "empty_dir/counts.tsv: missing"},
             {"--mirna-counts bad_count.tsv", "bad_count.tsv line 3: count 'many' for S is not a non-negative number"},
             {"--mirna-counts bad_header.tsv", "bad_header.tsv line 1: not a counts.tsv of chemores mirna quant"},
             {"--mirna-counts ragged.tsv", "ragged.tsv line 2: 2 fields, the header has 3"},
             {"--mirna-counts none.tsv", "none.tsv: cannot open"}})
    {
        auto const r = run(C + " report -o out.html " + c.arg + " " + demo_json(), d.path);
        EXPECT_EQ(r.status, 1) << c.arg;
        EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.arg << ": " << r.err;
        EXPECT_FALSE(fs::exists(d.path / "out.html"));
    }
}

TEST(report_mirna, from_chemores_mirna_quant)
{
    temp_dir d;
    auto const q = run(C + " mirna quant --verbosity 0 -o mq " + test_data() + "/demo/demo_smallrna.fq.gz", d.path);
    if (q.status != 0)
        GTEST_SKIP() << "chemores mirna quant did not run here: " << q.err;
    auto const rr = report(d, "--mirna mq " + demo_json());
    ASSERT_EQ(rr.r.status, 0) << rr.r.err;
    auto const table = element(rr.html, "mirna-table");
    // miR-21-5p is the most abundant resistance miRNA of the demo small-RNA reads.
    for (auto const & row : rows(table))
        if (attr(row, "data-mirna") == "hsa-miR-21-5p")
        {
            EXPECT_NE(text(row).find(" / 388349.5"), std::string::npos) << text(row);
        }
    EXPECT_NE(element(rr.html, "mirna-plot").find("data-mirna=\"hsa-miR-21-5p\""), std::string::npos);
}
