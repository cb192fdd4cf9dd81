// The HTML report: one file, inline CSS and inline SVG, no script and nothing fetched. Readable on screen and on
// paper (@media print, A4); verdicts carry a text label and a border style as well as a colour.

#include <chemores/catalogue/catalogue.hpp>
#include <chemores/core/version.hpp>
#include <chemores/report/report.hpp>

#include "svg.hpp"
#include "util.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>
#include <sstream>

namespace chemores::report
{

using namespace detail;

std::string_view verdict_label(std::string_view verdict) noexcept
{
    if (verdict == "resistant")
        return "resistant";
    if (verdict == "reduced_sensitivity")
        return "reduced sensitivity";
    if (verdict == "no_known_resistance_detected")
        return "none detected";
    if (verdict == "not_assessable")
        return "not assessable";
    return verdict;
}

std::string timestamp_now()
{
    std::time_t t = std::time(nullptr);
    if (char const * e = std::getenv("SOURCE_DATE_EPOCH"); e && *e)
    {
        char * end = nullptr;
        long long const v = std::strtoll(e, &end, 10);
        if (end && *end == '\0' && v >= 0)
            t = static_cast<std::time_t>(v);
    }
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}

namespace
{

char const * const css = R"CSS(
:root{--ink:#1c2430;--muted:#5a6474;--line:#d6dce4;--head:#eef2f7;--accent:#1d4f8f;
--res:#a8231b;--res-bg:#fbe4e2;--red:#7f4d00;--red-bg:#fff0c8;--none:#1c6637;--none-bg:#e1f2e6;--na:#4a5261;--na-bg:#eceef1}
*{box-sizing:border-box}
html{font-family:"Liberation Sans","Helvetica Neue",Helvetica,Arial,"DejaVu Sans",sans-serif;font-size:14px;
color:var(--ink);background:#fff;-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0 auto;max-width:1060px;padding:22px 28px 40px;line-height:1.42}
header.report-head{border-bottom:3px solid var(--accent);padding-bottom:10px;margin-bottom:14px}
.kicker{font-size:11.5px;letter-spacing:.09em;text-transform:uppercase;color:var(--accent);font-weight:700}
h1{font-size:23px;margin:3px 0 10px;line-height:1.2}
h2{font-size:17px;margin:26px 0 8px;padding-bottom:3px;border-bottom:1px solid var(--line);color:var(--accent)}
h3{font-size:14.5px;margin:16px 0 6px}
section.sample>h2{font-size:20px;border-bottom:2px solid var(--accent);margin-top:34px}
dl.meta{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:2px 16px;margin:0;font-size:13px}
dl.meta dt{color:var(--muted)} dl.meta dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0 10px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
thead th{background:var(--head);border-bottom:2px solid #b7c0cc;font-weight:600;font-size:12.5px}
tbody th{font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.c,th.c{text-align:center}
table.compact td,table.compact th{padding:3px 7px;font-size:12px}
table.kv{width:auto;min-width:50%} table.kv th{font-weight:normal;color:var(--muted);white-space:nowrap;padding-right:18px}
table.kv td{overflow-wrap:anywhere}
.drug{font-weight:700;font-size:14px}
.badge{display:inline-block;padding:1px 9px;border-radius:11px;border:1.5px solid;font-weight:700;font-size:12px;
white-space:nowrap;line-height:1.5}
.v-res{color:var(--res);background:var(--res-bg);border-color:var(--res)}
.v-red{color:var(--red);background:var(--red-bg);border-color:#c08a1e}
.v-none{color:var(--none);background:var(--none-bg);border-color:#5a9e6f}
.v-na{color:var(--na);background:var(--na-bg);border-color:#8a93a1;border-style:dashed}
.st{font-size:11.5px;padding:0 7px}
.keybox{border:1px solid var(--line);border-left:4px solid var(--accent);background:#f7f9fc;padding:8px 14px;margin:10px 0 4px}
.keybox ul{margin:4px 0;padding-left:18px} .keybox li{margin:2px 0}
.muted{color:var(--muted)} .small{font-size:12px} .mono{font-family:"DejaVu Sans Mono","Liberation Mono",monospace;font-size:12px}
.note{font-size:12px;color:var(--muted);margin:4px 0 8px}
ul.sources{font-size:11.5px;color:var(--muted);padding-left:18px;margin:4px 0} ul.sources li{margin:2px 0;overflow-wrap:anywhere}
ul.sources b{color:var(--ink)}
.flag{color:var(--res);font-weight:600} .nowrap{white-space:nowrap}
figure{margin:8px 0 14px;break-inside:avoid} figcaption{font-size:12px;color:var(--muted);margin-top:3px}
svg.plot{width:100%;height:auto;display:block;font-family:inherit}
svg text.t{font-size:11.5px;fill:var(--ink)} svg text.small{font-size:10px} svg text.strong{font-weight:700}
svg text.axis-title{font-size:12px;fill:var(--muted)}
svg .frame{fill:none;stroke:#9aa4b1;stroke-width:1} svg .grid{stroke:#e4e8ed;stroke-width:1}
svg .ax{stroke:#4f5a68;stroke-width:1} svg .region{fill:#eef1f6} svg text.region-label{fill:#5f6b7a}
svg .depth-area{fill:#c7daf1} svg .depth-line{fill:none;stroke:#25599b;stroke-width:1.2}
svg .legend-box{stroke:#25599b;stroke-width:1}
svg .mark{stroke:#a8231b;stroke-width:1.3;stroke-dasharray:4 2}
svg .mark-vus{stroke:#6a3d9a;stroke-width:1.2;stroke-dasharray:2 2}
svg text.mark-label{fill:#a8231b;font-weight:700} svg text.mark-label-vus{fill:#6a3d9a;font-weight:700}
svg .strip-base{stroke:#c4cbd4;stroke-width:1}
svg .cat-det{fill:#a8231b} svg .cat-nd{fill:#6b7785} svg .cat-na{fill:#fff;stroke:#a86a00;stroke-width:1.2}
svg .lod-bad{fill:#fcefed} svg .lod-none{fill:#e3e6ea}
svg .lod-line{fill:none;stroke:#1c6637;stroke-width:1.5}
svg .vaf-line{stroke:#a8231b;stroke-width:1.1;stroke-dasharray:5 3} svg text.vaf-label{fill:#a8231b;font-weight:700}
svg .label-bg{fill:#fff;opacity:.85}
svg .ci{stroke:#1c2430;stroke-width:1.6} svg .dot{fill:#a8231b;stroke:#fff;stroke-width:1}
svg .dot-vus{fill:#6a3d9a;stroke:#fff;stroke-width:1} svg .lod-tick{stroke:#1c6637;stroke-width:2.2}
svg .zebra{fill:#f6f8fa}
svg .bar0{fill:#25599b} svg .bar1{fill:#c98a1b} svg .bar2{fill:#3a8a57} svg .bar3{fill:#8a4fab}
svg .bar4{fill:#a8231b} svg .bar5{fill:#5a6474}
.heat td.h0{background:#fff} .heat td.h1{background:#fdf0ee} .heat td.h2{background:#f9d4cf}
.heat td.h3{background:#f0a89f} .heat td.h4{background:#d9584b;color:#fff} .heat td.h5{background:#a8231b;color:#fff}
.heat td.na{background:repeating-linear-gradient(45deg,#eceef1,#eceef1 4px,#fff 4px,#fff 8px);color:var(--na)}
.matrix td,.matrix th{text-align:center} .matrix tbody th{text-align:left} table.heat{width:auto;min-width:40%}
table.heat td{min-width:90px}
nav.toc{font-size:12.5px;margin:6px 0 4px;color:var(--muted)} nav.toc a{color:var(--accent);text-decoration:none;margin-right:12px}
a{color:var(--accent)}
footer{margin-top:30px;padding-top:8px;border-top:1px solid var(--line);font-size:11.5px;color:var(--muted)}
.legend{font-size:12px;color:var(--muted);margin:2px 0 8px} .legend .badge{margin:0 4px 0 10px}
@page{size:A4;margin:13mm 11mm}
@media print{html{font-size:10pt} body{max-width:none;padding:0} nav.toc{display:none}
h2,h3{break-after:avoid} tr,figure,.keybox{break-inside:avoid} section.sample{break-before:page}
a{color:inherit;text-decoration:none} thead{display:table-header-group}
svg text.t{font-size:13px} svg text.small{font-size:11px} svg text.axis-title{font-size:13px}}
)CSS";

//!\brief The drugs of a sample in report order: the six TKIs (catalogue order), then the others.
std::vector<json const *> ordered_drugs(json const & s)
{
    std::vector<json const *> out;
    for (auto name : catalogue::tki_drugs)
        for (auto const & d : s["drugs"])
            if (d["drug"] == std::string{name})
                out.push_back(&d);
    for (auto const & d : s["drugs"])
        if (std::find(catalogue::tki_drugs.begin(), catalogue::tki_drugs.end(), d["drug"].get<std::string>()) ==
            catalogue::tki_drugs.end())
            out.push_back(&d);
    return out;
}

bool is_tki(std::string const & drug)
{
    return std::find(catalogue::tki_drugs.begin(), catalogue::tki_drugs.end(), drug) != catalogue::tki_drugs.end();
}

std::string capitalised(std::string s)
{
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z')
        s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

char const * verdict_class(std::string const & v)
{
    return v == "resistant" ? "v-res" : v == "reduced_sensitivity" ? "v-red" : v == "not_assessable" ? "v-na" : "v-none";
}

std::string verdict_badge(std::string const & v)
{
    return "<span class=\"badge " + std::string{verdict_class(v)} + "\" data-verdict=\"" + esc(v) + "\">" +
           esc(verdict_label(v)) + "</span>";
}

std::string status_badge(std::string const & st)
{
    char const * cls = st == "DETECTED" ? "v-res" : st == "NOT_ASSESSABLE" ? "v-na" : "v-none";
    std::string const label = st == "DETECTED" ? "detected" : st == "NOT_ASSESSABLE" ? "not assessable" : "not detected";
    return "<span class=\"badge st " + std::string{cls} + "\" data-status=\"" + esc(st) + "\">" + label + "</span>";
}

//!\brief A number cell: shown as `shown`, with the calls.tsv form of the value in data-value.
std::string num_cell(json const & v, std::string const & shown)
{
    return "<td class=\"num\" data-value=\"" + esc(tsv_value(v)) + "\">" + esc(shown) + "</td>";
}

std::string ci_text(json const & v)
{
    return pct(v["ci_low"]) + "\xe2\x80\x93" + pct(v["ci_high"]);
}

std::vector<json const *> detected(json const & s, bool with_vus)
{
    std::vector<json const *> out;
    for (auto const & v : s["calls"])
        if (v["status"] == "DETECTED")
            out.push_back(&v);
    if (with_vus)
        for (auto const & v : s["vus"])
            if (v["status"] == "DETECTED")
                out.push_back(&v);
    return out;
}

double min_vaf_of(json const & doc)
{
    return num(doc["options"].value("min_vaf", json(0.03)), 0.03);
}

//!\brief An IC50 fold change: 3 significant digits, whole numbers from 100 on ("5290", not "5.29e+03").
std::string fold_text(double v)
{
    return fmt(v, v >= 100 ? "%.0f" : "%.3g");
}

//!\brief "resistant (compound in cis)" -> "resistant, compound in cis" (it is shown in parentheses).
std::string effect_text(std::string e)
{
    if (auto p = e.find(" ("); p != std::string::npos && e.back() == ')')
        e = e.substr(0, p) + ", " + e.substr(p + 2, e.size() - p - 3);
    return e;
}

//!\brief "resistant: imatinib, nilotinib; intermediate: bosutinib" from a variant's drugs object (TKIs first).
std::string effects_text(json const & v)
{
    std::vector<std::string> drugs;
    for (auto name : catalogue::tki_drugs)
        if (v["drugs"].contains(std::string{name}))
            drugs.emplace_back(name);
    for (auto const & [drug, e] : v["drugs"].items())
        if (!is_tki(drug))
            drugs.push_back(drug);
    std::map<std::string, std::vector<std::string>> by;
    for (auto const & drug : drugs)
        by[v["drugs"][drug]["effect"].get<std::string>()].push_back(drug);
    std::vector<std::string> parts;
    for (auto const * eff : {"resistant", "intermediate"})
        if (auto it = by.find(eff); it != by.end())
            parts.push_back(std::string{eff} + ": " + join(it->second, ", "));
    return parts.empty() ? std::string{"no catalogued resistance"} : join(parts, "; ");
}

//!\brief The per-sample ids: "drug-table" in a sample report, "drug-table-3" in a cohort report.
struct ids
{
    std::string suffix;
    std::string operator()(std::string const & base) const
    {
        return base + suffix;
    }
};

struct kd_stats
{
    int64_t codons = 0, zero = 0, above_vaf = 0, catalogue = 0, catalogue_above = 0;
    uint64_t min_depth = 0, median = 0, max_depth = 0;
    int64_t min_codon = 0;
};

kd_stats kinase_domain_stats(json const & s, double min_vaf)
{
    kd_stats k;
    std::vector<uint64_t> depths;
    for (auto const & c : s["coverage"])
    {
        if (c["gene"] != "ABL1")
            continue;
        int64_t const codon = c["codon"].get<int64_t>();
        if (codon < 229 || codon > 500)
            continue;
        uint64_t const d = c["depth"].get<uint64_t>();
        bool const above = !c["lod"].is_number() || c["lod"].get<double>() > min_vaf;
        ++k.codons;
        depths.push_back(d);
        if (d == 0)
            ++k.zero;
        if (above)
            ++k.above_vaf;
        if (c["catalogue"].get<bool>())
        {
            ++k.catalogue;
            if (above)
                ++k.catalogue_above;
        }
        if (depths.size() == 1 || d < k.min_depth)
        {
            k.min_depth = d;
            k.min_codon = codon;
        }
        k.max_depth = std::max(k.max_depth, d);
    }
    if (!depths.empty())
    {
        std::sort(depths.begin(), depths.end());
        k.median = depths[depths.size() / 2];
    }
    return k;
}

// ---- sections of one sample ---------------------------------------------------------------------------------------

std::string drug_table(json const & s, ids const & id)
{
    std::ostringstream o;
    o << "<table id=\"" << id("drug-table") << "\" class=\"drugs\"><thead><tr><th style=\"width:15%\">Drug</th>"
      << "<th style=\"width:19%\">Verdict</th><th>Basis: detected mutations (fraction; catalogue effect, in-vitro "
         "IC50 fold)</th><th style=\"width:24%\">Cannot be ruled out (not assessable)</th></tr></thead><tbody>";
    bool others = false;
    for (auto const * dp : ordered_drugs(s))
    {
        auto const & d = *dp;
        auto const drug = d["drug"].get<std::string>();
        if (!is_tki(drug) && !others)
        {
            others = true;
            o << "<tr class=\"group\"><td colspan=\"4\" class=\"muted small\">Other drugs of the catalogue</td></tr>";
        }
        auto const verdict = d["verdict"].get<std::string>();
        o << "<tr data-drug=\"" << esc(drug) << "\" data-verdict=\"" << esc(verdict) << "\"><th class=\"drug\">"
          << esc(capitalised(drug)) << "</th><td>" << verdict_badge(verdict) << "</td><td>";
        std::vector<std::string> why;
        for (auto const & r : d["drivers"])
        {
            std::string w = "<b>" + esc(r["variant"].get<std::string>()) + "</b> " + pct(r["fraction"]) + "%";
            std::string detail = esc(effect_text(r["effect"].get<std::string>()));
            if (r.contains("ic50_fold") && r["ic50_fold"].is_number())
                detail += ", IC50 \xc3\x97" + fold_text(r["ic50_fold"].get<double>());
            why.push_back(w + " <span class=\"muted\">(" + detail + ")</span>");
        }
        o << (why.empty() ? std::string{"<span class=\"muted\">no catalogued resistance mutation detected</span>"}
                          : join(why, "<br>"))
          << "</td><td class=\"small\">";
        auto const na = d["not_assessable"].get<std::vector<std::string>>();
        if (na.empty())
            o << "<span class=\"muted\">\xe2\x80\x93</span>";
        else
        {
            std::vector<std::string> shown(na.begin(), na.begin() + static_cast<std::ptrdiff_t>(std::min<size_t>(na.size(), 8)));
            for (auto & x : shown)
                x = esc(x);
            o << join(shown, ", ");
            if (na.size() > shown.size())
                o << " and " << na.size() - shown.size() << " more";
        }
        o << "</td></tr>";
    }
    o << "</tbody></table>";
    o << "<p class=\"legend\">Verdicts:" << verdict_badge("resistant") << "a detected mutation is rated resistant"
      << verdict_badge("reduced_sensitivity") << "rated intermediate" << verdict_badge("no_known_resistance_detected")
      << "no catalogued resistance mutation above its limit of detection" << verdict_badge("not_assessable")
      << "a relevant codon could not be assessed</p>";
    return o.str();
}

std::string key_findings(json const & s, json const & doc)
{
    double const min_vaf = min_vaf_of(doc);
    std::ostringstream o;
    o << "<div class=\"keybox\"><ul>";
    auto const det = detected(s, false);
    std::vector<std::string> muts;
    for (auto const * v : det)
        muts.push_back("<b>" + esc((*v)["gene"].get<std::string>() + " " + (*v)["mutation"].get<std::string>()) +
                       "</b> " + pct((*v)["fraction"]) + "%");
    o << "<li>Catalogued mutations detected: "
      << (muts.empty() ? std::string{"none"} : join(muts, ", ")) << "</li>";
    std::map<std::string, std::vector<std::string>> by;
    for (auto const * d : ordered_drugs(s))
        by[(*d)["verdict"].get<std::string>()].push_back(capitalised((*d)["drug"].get<std::string>()));
    for (auto const * v : {"resistant", "reduced_sensitivity", "not_assessable"})
        if (by.contains(v))
            o << "<li>" << verdict_badge(v) << " " << esc(join(by[v], ", ")) << "</li>";
    if (by.contains("no_known_resistance_detected"))
        o << "<li>" << verdict_badge("no_known_resistance_detected") << " "
          << esc(join(by["no_known_resistance_detected"], ", ")) << "</li>";
    auto const & f = s["fusion"];
    o << "<li>BCR::ABL1 transcript: <b>" << esc(f["type"].get<std::string>()) << "</b>"
      << (f["assessable"].get<bool>() ? "" : " <span class=\"muted\">(not assessable)</span>") << "</li>";
    auto const k = kinase_domain_stats(s, min_vaf);
    if (k.codons > 0)
        o << "<li>ABL1 kinase domain: median depth " << k.median << " molecules; " << k.codons - k.above_vaf << " of "
          << k.codons << " codons with a limit of detection \xe2\x89\xa4 " << fmt(100 * min_vaf, "%.3g") << "%</li>";
    o << "</ul></div>";
    return o.str();
}

std::string variant_rows(std::vector<json const *> const & vs, bool with_effects)
{
    std::ostringstream o;
    for (auto const * vp : vs)
    {
        auto const & v = *vp;
        o << "<tr data-id=\"" << esc(v["id"].get<std::string>()) << "\"><th><span class=\"gene\">"
          << esc(v["gene"].get<std::string>()) << "</span> " << esc(v["mutation"].get<std::string>());
        if (auto r = v.value("region", std::string{}); !r.empty())
            o << "<div class=\"muted small\">" << esc(r) << "</div>";
        o << "</th><td class=\"mono\">" << esc(join(v["hgvs_c"].get<std::vector<std::string>>(), ", ")) << "<br>"
          << esc(v["hgvs_p"].get<std::string>()) << "</td>";
        o << num_cell(v["fraction"], pct(v["fraction"])) << "<td class=\"num\" data-low=\"" << esc(tsv_value(v["ci_low"]))
          << "\" data-high=\"" << esc(tsv_value(v["ci_high"])) << "\">" << ci_text(v) << "</td>";
        o << "<td class=\"num\" data-alt=\"" << tsv_value(v["alt_molecules"]) << "\" data-depth=\""
          << tsv_value(v["depth"]) << "\">" << integer(v["alt_molecules"]) << " / " << integer(v["depth"]) << "</td>";
        o << num_cell(v["lod"], pct(v["lod"])) << "<td class=\"num\">" << fmt(num(v["qual"]), "%.1f") << "</td><td class=\"c\">"
          << (v["strand"]["biased"].get<bool>() ? "<span class=\"flag\">yes</span>" : "no") << "</td>";
        if (with_effects)
            o << "<td class=\"small\">" << esc(effects_text(v)) << "</td>";
        o << "</tr>";
    }
    return o.str();
}

std::string variant_head(bool with_effects)
{
    return std::string{"<thead><tr><th>Mutation</th><th>HGVS</th><th class=\"num\">Fraction %</th>"
                       "<th class=\"num\">95 % CI %</th><th class=\"num\">Alt / depth</th><th class=\"num\">LOD %</th>"
                       "<th class=\"num\">QUAL</th><th class=\"c\">Strand bias</th>"} +
           (with_effects ? "<th>Catalogue effect</th>" : "") + "</tr></thead>";
}

//!\brief The catalogue's sources for the detected mutations and the compounds that drive a verdict (plain text).
std::string sources_list(json const & s, std::vector<json const *> const & cat, ids const & id, char const * h)
{
    std::vector<std::pair<std::string, std::vector<std::string>>> items;
    for (auto const * v : cat)
        if ((*v).contains("sources") && !(*v)["sources"].empty())
            items.emplace_back((*v)["gene"].get<std::string>() + " " + (*v)["mutation"].get<std::string>(),
                               (*v)["sources"].get<std::vector<std::string>>());
    for (auto const & d : s["drugs"])
        for (auto const & r : d["drivers"])
        {
            auto const name = r["variant"].get<std::string>();
            if (name.find('+') == std::string::npos || !r.contains("sources"))
                continue;
            auto const label = "compound " + name;
            auto it = std::find_if(items.begin(), items.end(), [&](auto const & x) { return x.first == label; });
            if (it == items.end())
                items.emplace_back(label, std::vector<std::string>{});
            it = std::find_if(items.begin(), items.end(), [&](auto const & x) { return x.first == label; });
            for (auto const & src : r["sources"])
                if (std::find(it->second.begin(), it->second.end(), src.get<std::string>()) == it->second.end())
                    it->second.push_back(src.get<std::string>());
        }
    if (items.empty())
        return {};
    std::ostringstream o;
    o << "<section id=\"" << id("sources") << "\"><" << h << ">Catalogue sources of the detected mutations</" << h
      << "><ul class=\"sources\">";
    for (auto const & [label, list] : items)
    {
        std::vector<std::string> e;
        for (auto const & x : list)
            e.push_back(esc(x));
        o << "<li><b>" << esc(label) << "</b>: " << join(e, "; ") << "</li>";
    }
    o << "</ul>";
    return o.str() + "</section>";
}

std::string mutations_section(json const & s, ids const & id, char const * h)
{
    std::ostringstream o;
    auto const cat = detected(s, false);
    std::vector<json const *> vus;
    for (auto const & v : s["vus"])
        if (v["status"] == "DETECTED")
            vus.push_back(&v);
    o << "<section id=\"" << id("mutations") << "\"><" << h << ">Detected mutations</" << h << ">";
    if (cat.empty())
        o << "<p>No catalogued mutation detected.</p>";
    else
        o << "<table id=\"" << id("mutation-table") << "\" class=\"variants\">" << variant_head(true) << "<tbody>"
          << variant_rows(cat, true) << "</tbody></table>";
    if (!vus.empty())
        o << "<h3>Variants of unknown significance (not in the catalogue)</h3><table id=\"" << id("vus-table")
          << "\" class=\"variants\">" << variant_head(false) << "<tbody>" << variant_rows(vus, false)
          << "</tbody></table>";
    o << "<p class=\"note\">Fraction: alternative / passing molecules (read pairs), with the Wilson 95 % interval. "
         "LOD: the smallest fraction detected with 95 % probability at this depth. QUAL: phred-scaled p-value "
         "against sequencing error. Strand bias is a flag, not a filter.</p>";
    std::vector<json const *> all = cat;
    all.insert(all.end(), vus.begin(), vus.end());
    if (auto svg = fraction_svg(all, id("fraction-plot")); !svg.empty())
        o << "<figure>" << svg
          << "<figcaption>Fraction of each detected mutation (dot) with its 95 % interval; the tick marks the limit "
             "of detection at that codon's depth.</figcaption></figure>";
    return o.str() + "</section>";
}

std::string coverage_section(json const & s, json const & doc, ids const & id, char const * h)
{
    double const min_vaf = min_vaf_of(doc);
    std::ostringstream o;
    o << "<section id=\"" << id("coverage") << "\"><" << h << ">Coverage of the ABL1 kinase domain</" << h << ">";
    auto const svg = coverage_svg(s, "ABL1", 229, 500, min_vaf, id("coverage-plot"));
    if (svg.empty())
    {
        o << "<p>No ABL1 coverage in this result.</p>";
        return o.str() + "</section>";
    }
    auto const k = kinase_domain_stats(s, min_vaf);
    o << "<figure>" << svg << "<figcaption>Top: molecules per codon, ABL1 codons 229\xe2\x80\x93" "500 (log scale); "
      << "dashed lines mark detected mutations. Strip: catalogue codons by status. Bottom: the 95 % limit of "
         "detection per codon (log scale); above the dashed "
      << fmt(100 * min_vaf, "%.3g")
      << " % line (shaded) a codon cannot be called NOT_DETECTED; grey: no coverage.</figcaption></figure>";
    o << "<table class=\"kv compact\"><tbody><tr><th>Median depth</th><td>" << k.median
      << " molecules</td></tr><tr><th>Lowest depth</th><td>" << k.min_depth << " (codon " << k.min_codon
      << ")</td></tr><tr><th>Codons without coverage</th><td>" << k.zero << " of " << k.codons
      << "</td></tr><tr><th>Codons with LOD above " << fmt(100 * min_vaf, "%.3g") << " %</th><td>" << k.above_vaf
      << " of " << k.codons << " (catalogue codons: " << k.catalogue_above << " of " << k.catalogue
      << ")</td></tr></tbody></table>";
    return o.str() + "</section>";
}

std::string fusion_section(json const & s, ids const & id, char const * h)
{
    auto const & f = s["fusion"];
    std::ostringstream o;
    o << "<section id=\"" << id("fusion") << "\"><" << h << ">BCR::ABL1 transcript type</" << h << ">";
    o << "<p>Type: <b class=\"fusion-type\">" << esc(f["type"].get<std::string>()) << "</b>"
      << (f["assessable"].get<bool>() ? "" : " <span class=\"badge v-na\">not assessable</span>") << "</p>";
    if (!f["junction_reads"].empty())
    {
        o << "<table class=\"compact\" style=\"width:auto\"><thead><tr><th>Junction</th><th class=\"num\">Reads across "
             "the junction</th></tr></thead><tbody>";
        for (auto const & [type, n] : f["junction_reads"].items())
            o << "<tr><th>" << esc(type) << "</th><td class=\"num\">" << n.dump() << "</td></tr>";
        o << "</tbody></table>";
    }
    if (auto note = f.value("note", std::string{}); !note.empty())
        o << "<p class=\"note\">" << esc(note) << "</p>";
    return o.str() + "</section>";
}

std::string compounds_section(json const & s, ids const & id, char const * h)
{
    std::ostringstream o;
    o << "<section id=\"" << id("compounds") << "\"><" << h << ">Compound mutations</" << h << ">";
    if (s["compounds"].empty())
    {
        o << "<p>None: compound analysis needs two detected variants on the same transcript.</p>";
        return o.str() + "</section>";
    }
    o << "<table id=\"" << id("compound-table") << "\" class=\"compact\"><thead><tr><th>Pair</th><th>Evidence</th>"
      << "<th class=\"num\">Both</th><th class=\"num\">First only</th><th class=\"num\">Second only</th>"
      << "<th class=\"num\">Neither</th><th class=\"num\">Cis % (95 % CI)</th><th>Catalogue</th><th>Drugs affected</th>"
      << "</tr></thead><tbody>";
    for (auto const & c : s["compounds"])
    {
        auto const ev = c["evidence"].get<std::string>();
        bool const cis = ev == "cis" || ev == "cis+trans";
        o << "<tr><th>" << esc(c["name"].get<std::string>()) << "</th><td>"
          << (cis ? "<span class=\"flag\">" + esc(ev) + "</span>" : esc(ev)) << "</td><td class=\"num\">"
          << c["both"].dump() << "</td><td class=\"num\">" << c["first_only"].dump() << "</td><td class=\"num\">"
          << c["second_only"].dump() << "</td><td class=\"num\">" << c["neither"].dump() << "</td><td class=\"num\">"
          << pct(c["cis_fraction"]) << " (" << ci_text(c) << ")</td><td class=\"small\">"
          << esc(join(c["catalogue_matches"].get<std::vector<std::string>>(), "; ")) << "</td><td class=\"small\">"
          << esc(join(c["drugs_affected"].get<std::vector<std::string>>(), ", ")) << "</td></tr>";
    }
    o << "</tbody></table><p class=\"note\">Molecules covering both codons, by allele. Evidence: cis (on one "
         "molecule), cis+trans (two clones), trans, undetermined, or not_linked (no molecule spans both).</p>";
    return o.str() + "</section>";
}

std::string hrfc_section(json const & s, json const & doc, ids const & id, char const * h)
{
    std::ostringstream o;
    o << "<section id=\"" << id("hrfc") << "\"><" << h << ">SLC19A1 (hRFC) and methotrexate</" << h << ">";
    std::vector<json const *> entries;
    for (auto const * list : {&s["calls"], &s["vus"]})
        for (auto const & v : *list)
            if (v["gene"] == "SLC19A1" && (list == &s["calls"] || v["status"] == "DETECTED"))
                entries.push_back(&v);
    for (auto const & d : s["drugs"])
        if (!is_tki(d["drug"].get<std::string>()))
        {
            o << "<p>" << esc(capitalised(d["drug"].get<std::string>())) << ": " << verdict_badge(d["verdict"]);
            std::vector<std::string> why;
            for (auto const & r : d["drivers"])
                why.push_back(esc(r["variant"].get<std::string>()) + " " + pct(r["fraction"]) + "% (" +
                              esc(r["effect"].get<std::string>()) + ")");
            if (!why.empty())
                o << " " << join(why, ", ");
            o << "</p>";
        }
    if (entries.empty())
    {
        o << "<p>The catalogue used has no SLC19A1 entry.</p>";
        return o.str() + "</section>";
    }
    o << "<table id=\"" << id("hrfc-table") << "\" class=\"compact\"><thead><tr><th>Variant</th><th>HGVS</th>"
      << "<th>Status</th><th class=\"num\">Fraction %</th><th class=\"num\">95 % CI %</th><th class=\"num\">Alt / "
         "depth</th><th class=\"num\">LOD %</th><th>Note</th></tr></thead><tbody>";
    for (auto const * vp : entries)
    {
        auto const & v = *vp;
        o << "<tr data-id=\"" << esc(v["id"].get<std::string>()) << "\"><th>" << esc(v["mutation"].get<std::string>())
          << (v.value("kind", std::string{}) == "vus" ? " (VUS)" : "") << "</th><td class=\"mono\">"
          << esc(join(v["hgvs_c"].get<std::vector<std::string>>(), ", ")) << " " << esc(v["hgvs_p"].get<std::string>())
          << "</td><td>" << status_badge(v["status"].get<std::string>()) << "</td>" << num_cell(v["fraction"], pct(v["fraction"]))
          << "<td class=\"num\">" << ci_text(v) << "</td><td class=\"num\">" << integer(v["alt_molecules"]) << " / "
          << integer(v["depth"]) << "</td>" << num_cell(v["lod"], pct(v["lod"])) << "<td class=\"small\">"
          << esc(v["reason"].get<std::string>()) << "</td></tr>";
    }
    o << "</tbody></table>";
    if (auto svg = coverage_svg(s, "SLC19A1", 0, 0, min_vaf_of(doc), id("slc19a1-coverage-plot")); !svg.empty())
        o << "<figure>" << svg
          << "<figcaption>SLC19A1 coding sequence: molecules per codon, catalogue codons and the limit of detection "
             "(as above).</figcaption></figure>";
    return o.str() + "</section>";
}

//!\brief miRNA section. `only`: the miRNA sample column to show (a sample report whose name is a column), else all.
std::string mirna_section(mirna_results const & m, std::vector<size_t> const & cols, ids const & id, char const * h)
{
    std::ostringstream o;
    o << "<section id=\"" << id("mirna") << "\"><" << h << ">Resistance-associated miRNAs</" << h << ">";
    o << "<p class=\"note\">From <span class=\"mono\">" << esc(m.origin) << "</span> (chemores mirna quant). Counts "
      << "per million over all miRNA counts of the sample; the miRNAs and their reported targets and drugs are "
         "those of references/catalogue/mirna_targets.tsv (associations from the literature, not calls).</p>";
    std::vector<size_t> rows;
    for (size_t r = 0; r < m.rows.size(); ++r)
        for (auto c : cols)
            if (m.rows[r].counts[c] > 0)
            {
                rows.push_back(r);
                break;
            }
    if (rows.empty())
        o << "<p>None of the " << m.rows.size() << " resistance-associated miRNAs has reads.</p>";
    else if (auto svg = mirna_svg(m, rows, cols, id("mirna-plot")); !svg.empty())
        o << "<figure>" << svg << "<figcaption>Counts per million of the resistance-associated miRNAs with reads (log "
                                  "scale).</figcaption></figure>";
    if (!rows.empty())
    {
        o << "<table id=\"" << id("mirna-table") << "\" class=\"compact\"><thead><tr><th>miRNA</th><th>Targets</th>"
          << "<th>Drugs (literature)</th>";
        for (auto c : cols)
            o << "<th class=\"num\">" << esc(m.samples[c]) << "<br><span class=\"muted\">count / CPM</span></th>";
        o << "</tr></thead><tbody>";
        for (auto r : rows)
        {
            auto const & row = m.rows[r];
            o << "<tr data-mirna=\"" << esc(row.mirna) << "\"><th class=\"mono nowrap\">" << esc(row.mirna)
              << "</th><td class=\"small\">" << esc(row.targets) << "</td><td class=\"small\">" << esc(row.drugs) << "</td>";
            for (auto c : cols)
                o << "<td class=\"num\">" << fmt(row.counts[c], "%.6g") << " / " << fmt(m.cpm(r, c), "%.1f") << "</td>";
            o << "</tr>";
        }
        o << "</tbody></table>";
    }
    std::vector<std::string> none, absent;
    for (size_t r = 0; r < m.rows.size(); ++r)
        if (std::find(rows.begin(), rows.end(), r) == rows.end())
            (m.rows[r].in_table ? none : absent).push_back(esc(m.rows[r].mirna));
    if (!none.empty())
        o << "<p class=\"note\">No reads: " << join(none, ", ") << ".</p>";
    if (!absent.empty())
        o << "<p class=\"note\">Not in the counts table: " << join(absent, ", ") << ".</p>";
    if (!m.summary.empty())
    {
        std::vector<std::string> const want{"reads_in", "kept", "assigned", "mirnas_detected"};
        std::vector<size_t> idx;
        for (auto const & w : want)
            if (auto it = std::find(m.summary_columns.begin(), m.summary_columns.end(), w); it != m.summary_columns.end())
                idx.push_back(static_cast<size_t>(it - m.summary_columns.begin()));
        if (!idx.empty())
        {
            o << "<table class=\"compact\" style=\"width:auto\"><thead><tr><th>Small-RNA sample</th>";
            for (auto i : idx)
                o << "<th class=\"num\">" << esc(m.summary_columns[i]) << "</th>";
            o << "</tr></thead><tbody>";
            for (auto c : cols)
                if (!m.summary[c].empty())
                {
                    o << "<tr><th>" << esc(m.samples[c]) << "</th>";
                    for (auto i : idx)
                        o << "<td class=\"num\">" << esc(m.summary[c][i]) << "</td>";
                    o << "</tr>";
                }
            o << "</tbody></table>";
        }
    }
    return o.str() + "</section>";
}

std::string qc_section(json const & s, json const & doc, ids const & id, char const * h)
{
    std::ostringstream o;
    o << "<section id=\"" << id("qc") << "\"><" << h << ">Quality control</" << h << ">";
    o << "<table id=\"" << id("qc-table") << "\" class=\"kv compact\"><tbody>";
    o << "<tr><th>Input</th><td class=\"mono\">" << esc(s["input"].get<std::string>()) << "</td></tr>";
    if (s.contains("reads") && !s["reads"].empty())
        o << "<tr><th>Reads</th><td class=\"mono\">" << esc(join(s["reads"].get<std::vector<std::string>>(), ", "))
          << "</td></tr>";
    if (s.contains("reference"))
        o << "<tr><th>Coordinates</th><td>" << esc(s["reference"].get<std::string>()) << "</td></tr>";
    static std::map<std::string, std::string> const qc_labels{{"catalogue_entries", "Catalogue entries tested"},
                                                               {"detected", "Detected"},
                                                               {"not_detected", "Not detected"},
                                                               {"not_assessable", "Not assessable"},
                                                               {"vus_detected", "VUS detected"}};
    for (auto const & [k, v] : s["qc"].items())
    {
        std::string label = k;
        std::replace(label.begin(), label.end(), '_', ' ');
        auto it = qc_labels.find(k);
        o << "<tr><th>" << esc(it == qc_labels.end() ? capitalised(label) : it->second) << "</th><td>" << esc(str(v))
          << "</td></tr>";
    }
    uint64_t biased = 0;
    for (auto const * list : {&s["calls"], &s["vus"]})
        for (auto const & v : *list)
            if (v["status"] == "DETECTED" && v["strand"]["biased"].get<bool>())
                ++biased;
    o << "<tr><th>Detected with strand bias</th><td>" << biased << "</td></tr>";
    auto const k = kinase_domain_stats(s, min_vaf_of(doc));
    if (k.codons)
        o << "<tr><th>ABL1 kinase domain depth</th><td>median " << k.median << ", lowest " << k.min_depth
          << " (codon " << k.min_codon << "), highest " << k.max_depth << "</td></tr>";
    o << "</tbody></table>";
    // Not assessable entries, grouped by reason.
    std::map<std::string, std::vector<std::string>> by_reason;
    for (auto const & v : s["calls"])
        if (v["status"] == "NOT_ASSESSABLE")
            by_reason[v["reason"].get<std::string>()].push_back(v["gene"].get<std::string>() + " " +
                                                                v["mutation"].get<std::string>());
    if (!by_reason.empty())
    {
        o << "<h3>Not assessable</h3><table class=\"compact\"><thead><tr><th>Reason</th><th>Catalogue entries</th>"
             "</tr></thead><tbody>";
        for (auto const & [reason, list] : by_reason)
            o << "<tr><td>" << esc(reason.empty() ? "(no reason given)" : reason) << "</td><td class=\"small\">"
              << esc(join(list, ", ")) << "</td></tr>";
        o << "</tbody></table>";
    }
    return o.str() + "</section>";
}

std::string catalogue_section(json const & s, ids const & id, char const * h)
{
    std::ostringstream o;
    o << "<section id=\"" << id("catalogue") << "\"><" << h << ">All catalogue entries</" << h << ">";
    o << "<table id=\"" << id("catalogue-table") << "\" class=\"compact\"><thead><tr><th>Gene</th><th>Mutation</th>"
      << "<th>Status</th><th class=\"num\">Fraction %</th><th class=\"num\">95 % CI %</th><th class=\"num\">Alt / "
         "depth</th><th class=\"num\">LOD %</th><th>Note</th></tr></thead><tbody>";
    for (auto const & v : s["calls"])
        o << "<tr data-id=\"" << esc(v["id"].get<std::string>()) << "\" data-status=\"" << esc(v["status"].get<std::string>())
          << "\"><td>" << esc(v["gene"].get<std::string>()) << "</td><th>" << esc(v["mutation"].get<std::string>())
          << "</th><td>" << status_badge(v["status"].get<std::string>()) << "</td>" << num_cell(v["fraction"], pct(v["fraction"]))
          << "<td class=\"num\">" << ci_text(v) << "</td><td class=\"num\">" << integer(v["alt_molecules"]) << " / "
          << integer(v["depth"]) << "</td>" << num_cell(v["lod"], pct(v["lod"])) << "<td class=\"small\">"
          << esc(v["reason"].get<std::string>()) << "</td></tr>";
    o << "</tbody></table>";
    return o.str() + "</section>";
}

//!\brief All sections of one sample, with headings at level `h` (h2 in a sample report, h3 in a cohort report).
std::string sample_body(cohort const & c, size_t i, ids const & id, char const * h, std::vector<size_t> const & mirna_cols)
{
    auto const & s = c.sample(i);
    auto const & doc = c.doc_of(i);
    std::ostringstream o;
    o << "<section id=\"" << id("drugs") << "\"><" << h << ">Drug interpretation</" << h << ">";
    o << key_findings(s, doc) << drug_table(s, id) << "</section>";
    o << mutations_section(s, id, h) << coverage_section(s, doc, id, h) << fusion_section(s, id, h)
      << compounds_section(s, id, h) << hrfc_section(s, doc, id, h);
    if (c.mirna && !mirna_cols.empty())
        o << mirna_section(*c.mirna, mirna_cols, id, h);
    o << qc_section(s, doc, id, h) << catalogue_section(s, id, h) << sources_list(s, detected(s, false), id, h);
    return o.str();
}

std::string kv_rows(json const & obj)
{
    std::ostringstream o;
    for (auto const & [k, v] : obj.items())
    {
        o << "<tr><th>" << esc(k) << "</th><td";
        if (v.is_object())
        {
            o << " class=\"mono small\">";
            std::vector<std::string> parts;
            for (auto const & [k2, v2] : v.items())
                parts.push_back(esc(k2) + ": " + esc(str(v2)));
            o << (parts.empty() ? std::string{"\xe2\x80\x93"} : join(parts, "<br>"));
        }
        else if (v.is_array())
        {
            std::vector<std::string> parts;
            for (auto const & x : v)
                parts.push_back(esc(str(x)));
            o << " class=\"mono small\">" << join(parts, "<br>");
        }
        else
            o << (k == "command" ? " class=\"mono small\">" : ">") << esc(str(v));
        o << "</td></tr>";
    }
    return o.str();
}

std::string provenance_section(cohort const & c, html_options const & opt, std::string const & generated)
{
    std::ostringstream o;
    o << "<section id=\"provenance\"><h2>Provenance</h2>";
    o << "<h3>This report</h3><table class=\"kv compact\"><tbody><tr><th>generator</th><td>chemores report "
      << esc(std::string{version_string()}) << "</td></tr><tr><th>git</th><td>" << esc(std::string{git_hash()})
      << "</td></tr><tr><th>build</th><td>" << esc(std::string{build_type()}) << ", " << esc(std::string{compiler()})
      << "</td></tr><tr><th>generated</th><td>" << esc(generated) << "</td></tr>";
    if (!opt.command.empty())
        o << "<tr><th>command</th><td class=\"mono small\">" << esc(opt.command) << "</td></tr>";
    o << "<tr><th>miRNA results</th><td class=\"mono small\">" << (c.mirna ? esc(c.mirna->origin) : "none given")
      << "</td></tr></tbody></table>";
    for (size_t f = 0; f < c.files.size(); ++f)
    {
        std::vector<std::string> names;
        for (auto const & r : c.samples)
            if (r.file == f)
                names.push_back(c.files[f].doc["samples"][r.index]["name"].get<std::string>());
        if (names.empty())
            continue;
        auto const & doc = c.files[f].doc;
        o << "<h3>chemores call: <span class=\"mono\">" << esc(c.files[f].path) << "</span></h3>";
        o << "<p class=\"small\">Samples: " << esc(join(names, ", ")) << ". Schema " << esc(str(doc["schema"]))
          << ", version " << esc(str(doc["schema_version"])) << ".</p>";
        o << "<table class=\"kv compact\"><tbody>" << kv_rows(doc["provenance"]) << "</tbody></table>";
        o << "<p class=\"small muted\">Options of the call:</p><table class=\"kv compact\"><tbody>"
          << kv_rows(doc["options"]) << "</tbody></table>";
    }
    return o.str() + "</section>";
}

std::string head(std::string const & title)
{
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
           "content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"chemores report " +
           esc(std::string{version_string()}) + "\">\n<title>" + esc(title) + "</title>\n<style>" + css +
           "</style>\n</head>\n<body>\n";
}

std::string footer(std::string const & generated)
{
    return "<footer>Generated " + esc(generated) + " by chemores report " + esc(std::string{version_string()}) +
           " from the result.json of chemores call. Verdicts follow the catalogue named under Provenance; a "
           "mutation below its limit of detection cannot be excluded.</footer>\n</body>\n</html>\n";
}

//!\brief The miRNA columns for sample `name`: the column of that name if there is one, else all.
std::vector<size_t> mirna_columns(cohort const & c, std::string const & name, bool cohort_report)
{
    std::vector<size_t> cols;
    if (!c.mirna)
        return cols;
    for (size_t k = 0; k < c.mirna->samples.size(); ++k)
        if (c.mirna->samples[k] == name)
            cols.push_back(k);
    if (cols.empty() && !cohort_report)
        for (size_t k = 0; k < c.mirna->samples.size(); ++k)
            cols.push_back(k);
    return cols;
}

std::string sample_report(cohort const & c, html_options const & opt, std::string const & generated)
{
    auto const & s = c.sample(0);
    auto const & doc = c.doc_of(0);
    std::string const name = s["name"].get<std::string>();
    std::string const title = opt.title.empty() ? "Drug-resistance report: " + name : opt.title;
    std::ostringstream o;
    o << head(title);
    o << "<header class=\"report-head\"><div class=\"kicker\">chemores \xc2\xb7 BCR::ABL1 kinase domain and SLC19A1 "
         "resistance</div><h1>"
      << esc(title) << "</h1><dl class=\"meta\"><dt>Sample</dt><dd><b>" << esc(name) << "</b></dd><dt>Generated</dt><dd>"
      << esc(generated) << "</dd><dt>Input</dt><dd class=\"mono\">" << esc(s["input"].get<std::string>())
      << "</dd><dt>Catalogue</dt><dd>" << esc(str(doc["provenance"].value("catalogue_version", json("?"))))
      << "</dd><dt>BCR::ABL1</dt><dd>" << esc(s["fusion"]["type"].get<std::string>()) << "</dd><dt>chemores</dt><dd>"
      << esc(str(doc["provenance"].value("version", json("?")))) << " (call), " << esc(std::string{version_string()})
      << " (report)</dd></dl>";
    o << "<nav class=\"toc\"><a href=\"#drugs\">Drugs</a><a href=\"#mutations\">Mutations</a><a href=\"#coverage\">"
         "Coverage</a><a href=\"#fusion\">Fusion</a><a href=\"#compounds\">Compounds</a><a href=\"#hrfc\">hRFC</a>"
      << (c.mirna ? "<a href=\"#mirna\">miRNA</a>" : "")
      << "<a href=\"#qc\">QC</a><a href=\"#catalogue\">All entries</a><a href=\"#provenance\">Provenance</a></nav>"
         "</header>\n";
    o << "<main data-sample=\"" << esc(name) << "\">" << sample_body(c, 0, ids{}, "h2", mirna_columns(c, name, false))
      << "</main>\n";
    o << provenance_section(c, opt, generated) << footer(generated);
    return o.str();
}

int heat_class(double f)
{
    return f <= 0 ? 0 : f < 0.01 ? 1 : f < 0.05 ? 2 : f < 0.15 ? 3 : f < 0.4 ? 4 : 5;
}

std::string cohort_report(cohort const & c, html_options const & opt, std::string const & generated)
{
    size_t const n = c.samples.size();
    std::string const title = opt.title.empty() ? "Drug-resistance cohort report: " + std::to_string(n) + " samples"
                                                : opt.title;
    std::ostringstream o;
    o << head(title);
    o << "<header class=\"report-head\"><div class=\"kicker\">chemores \xc2\xb7 BCR::ABL1 kinase domain and SLC19A1 "
         "resistance \xc2\xb7 cohort</div><h1>"
      << esc(title) << "</h1><dl class=\"meta\"><dt>Samples</dt><dd><b>" << n << "</b></dd><dt>Generated</dt><dd>"
      << esc(generated) << "</dd><dt>Result files</dt><dd>" << c.files.size() << "</dd><dt>chemores</dt><dd>"
      << esc(std::string{version_string()}) << " (report)</dd></dl>";
    o << "<nav class=\"toc\"><a href=\"#cohort-drugs\">Drug matrix</a><a href=\"#cohort-mutations\">Mutation "
         "fractions</a><a href=\"#cohort-qc\">QC</a>"
      << (c.mirna ? "<a href=\"#mirna\">miRNA</a>" : "") << "<a href=\"#samples\">Samples</a><a href=\"#provenance\">"
      << "Provenance</a></nav></header>\n<main>";

    // Drug matrix: samples x drugs.
    std::vector<std::string> drugs;
    for (size_t i = 0; i < n; ++i)
        for (auto const * d : ordered_drugs(c.sample(i)))
            if (std::find(drugs.begin(), drugs.end(), (*d)["drug"].get<std::string>()) == drugs.end())
                drugs.push_back((*d)["drug"].get<std::string>());
    std::stable_partition(drugs.begin(), drugs.end(), is_tki);
    o << "<h2 id=\"cohort-drugs\">Drug interpretation by sample</h2><table id=\"drug-matrix\" class=\"matrix\"><thead>"
         "<tr><th>Sample</th>";
    for (auto const & d : drugs)
        o << "<th>" << esc(capitalised(d)) << "</th>";
    o << "<th>Detected</th></tr></thead><tbody>";
    for (size_t i = 0; i < n; ++i)
    {
        auto const & s = c.sample(i);
        std::string const name = s["name"].get<std::string>();
        o << "<tr data-sample=\"" << esc(name) << "\"><th><a href=\"#sample-" << i + 1 << "\">" << esc(name) << "</a></th>";
        for (auto const & d : drugs)
        {
            auto it = std::find_if(s["drugs"].begin(), s["drugs"].end(), [&](json const & x) { return x["drug"] == d; });
            if (it == s["drugs"].end())
                o << "<td class=\"muted\">\xe2\x80\x93</td>";
            else
                o << "<td data-drug=\"" << esc(d) << "\">" << verdict_badge((*it)["verdict"].get<std::string>()) << "</td>";
        }
        std::vector<std::string> muts;
        for (auto const * v : detected(s, false))
            muts.push_back(esc((*v)["mutation"].get<std::string>()));
        o << "<td class=\"small\">" << (muts.empty() ? std::string{"none"} : join(muts, ", ")) << "</td></tr>";
    }
    o << "</tbody></table><p class=\"legend\">" << verdict_badge("resistant") << verdict_badge("reduced_sensitivity")
      << verdict_badge("no_known_resistance_detected") << verdict_badge("not_assessable") << "</p>";

    // Mutation fraction heat table: samples x variants detected in any sample.
    std::vector<std::pair<std::string, std::string>> variants; // id, label
    for (size_t i = 0; i < n; ++i)
        for (auto const * v : detected(c.sample(i), true))
        {
            auto const vid = (*v)["id"].get<std::string>();
            if (std::none_of(variants.begin(), variants.end(), [&](auto const & p) { return p.first == vid; }))
                variants.emplace_back(vid, (*v)["gene"].get<std::string>() + " " + (*v)["mutation"].get<std::string>() +
                                               ((*v).value("kind", std::string{}) == "vus" ? " (VUS)" : ""));
        }
    o << "<h2 id=\"cohort-mutations\">Mutation fractions (%)</h2>";
    if (variants.empty())
        o << "<p>No mutation detected in any sample.</p>";
    else
    {
        o << "<table id=\"fraction-matrix\" class=\"matrix heat\"><thead><tr><th>Sample</th>";
        for (auto const & [vid, label] : variants)
            o << "<th data-id=\"" << esc(vid) << "\">" << esc(label) << "</th>";
        o << "</tr></thead><tbody>";
        for (size_t i = 0; i < n; ++i)
        {
            auto const & s = c.sample(i);
            std::map<std::string, json const *> by_id;
            for (auto const * list : {&s["calls"], &s["vus"]})
                for (auto const & v : *list)
                    by_id[v["id"].get<std::string>()] = &v;
            o << "<tr data-sample=\"" << esc(s["name"].get<std::string>()) << "\"><th><a href=\"#sample-" << i + 1
              << "\">" << esc(s["name"].get<std::string>()) << "</a></th>";
            for (auto const & [vid, label] : variants)
            {
                auto it = by_id.find(vid);
                if (it == by_id.end())
                    o << "<td class=\"h0 muted\" data-value=\"0\">\xe2\x80\x93</td>";
                else if ((*it->second)["status"] == "NOT_ASSESSABLE")
                    o << "<td class=\"na\" data-value=\"NA\">NA</td>";
                else if ((*it->second)["status"] == "DETECTED")
                    o << "<td class=\"h" << heat_class(num((*it->second)["fraction"])) << "\" data-value=\""
                      << esc(tsv_value((*it->second)["fraction"])) << "\"><b>" << pct((*it->second)["fraction"])
                      << "</b></td>";
                else
                    o << "<td class=\"h0 muted\" data-value=\"" << esc(tsv_value((*it->second)["fraction"]))
                      << "\" title=\"not detected\">nd</td>";
            }
            o << "</tr>";
        }
        o << "</tbody></table><p class=\"legend\">Bold: detected (fraction of molecules, %); nd: not detected "
             "(below the limit of detection); NA: not assessable; \xe2\x80\x93: not tested in that sample. Shading "
             "deepens at 1, 5, 15 and 40 %.</p>";
    }

    // Cohort QC.
    o << "<h2 id=\"cohort-qc\">Quality control by sample</h2><table id=\"cohort-qc-table\" class=\"compact\"><thead><tr>"
         "<th>Sample</th><th>BCR::ABL1</th><th class=\"num\">Median depth</th><th class=\"num\">Lowest depth</th>"
         "<th class=\"num\">Codons LOD &gt; min VAF</th><th class=\"num\">Detected</th><th class=\"num\">Not "
         "assessable</th><th class=\"num\">VUS</th></tr></thead><tbody>";
    for (size_t i = 0; i < n; ++i)
    {
        auto const & s = c.sample(i);
        auto const k = kinase_domain_stats(s, min_vaf_of(c.doc_of(i)));
        o << "<tr><th><a href=\"#sample-" << i + 1 << "\">" << esc(s["name"].get<std::string>()) << "</a></th><td>"
          << esc(s["fusion"]["type"].get<std::string>()) << "</td><td class=\"num\">" << k.median
          << "</td><td class=\"num\">" << k.min_depth << "</td><td class=\"num\">" << k.above_vaf << " / " << k.codons
          << "</td><td class=\"num\">" << esc(str(s["qc"].value("detected", json(0)))) << "</td><td class=\"num\">"
          << esc(str(s["qc"].value("not_assessable", json(0)))) << "</td><td class=\"num\">"
          << esc(str(s["qc"].value("vus_detected", json(0)))) << "</td></tr>";
    }
    o << "</tbody></table>";

    // miRNA columns that match no sample are shown once here; matching ones in their sample's section.
    if (c.mirna)
    {
        std::vector<size_t> unmatched;
        for (size_t k = 0; k < c.mirna->samples.size(); ++k)
        {
            bool match = false;
            for (size_t i = 0; i < n; ++i)
                match = match || c.sample(i)["name"] == c.mirna->samples[k];
            if (!match)
                unmatched.push_back(k);
        }
        if (!unmatched.empty())
            o << mirna_section(*c.mirna, unmatched, ids{}, "h2");
    }

    o << "<div id=\"samples\"></div>";
    for (size_t i = 0; i < n; ++i)
    {
        auto const & s = c.sample(i);
        std::string const name = s["name"].get<std::string>();
        ids const id{"-" + std::to_string(i + 1)};
        o << "<section class=\"sample\" id=\"sample-" << i + 1 << "\" data-sample=\"" << esc(name) << "\"><h2>Sample "
          << esc(name) << "</h2><p class=\"small muted\">Input <span class=\"mono\">" << esc(s["input"].get<std::string>())
          << "</span> \xc2\xb7 result <span class=\"mono\">" << esc(c.files[c.samples[i].file].path) << "</span></p>"
          << sample_body(c, i, id, "h3", mirna_columns(c, name, true)) << "</section>\n";
    }
    o << "</main>\n" << provenance_section(c, opt, generated) << footer(generated);
    return o.str();
}

} // namespace

std::string render_html(cohort const & c, html_options const & o)
{
    std::string const generated = o.generated.empty() ? timestamp_now() : o.generated;
    return c.samples.size() == 1 ? sample_report(c, o, generated) : cohort_report(c, o, generated);
}

} // namespace chemores::report
