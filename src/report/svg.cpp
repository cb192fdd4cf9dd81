// Inline SVG plots of the HTML report. Pure markup: no script, no external resource, no colour-only meaning
// (every series is also named in a legend or a label), fixed coordinates in a viewBox so they print as drawn.

#include "svg.hpp"

#include "util.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>

namespace chemores::report::detail
{

namespace
{

//!\brief A coordinate with one decimal.
std::string n(double v)
{
    return fmt(std::round(v * 10.0) / 10.0, "%.1f");
}

std::string text(double x,
                 double y,
                 std::string const & s,
                 char const * anchor = "start",
                 char const * cls = "t",
                 std::string const & extra = {})
{
    return "<text x=\"" + n(x) + "\" y=\"" + n(y) + "\" text-anchor=\"" + anchor + "\" class=\"" + cls + "\"" +
           (extra.empty() ? "" : " " + extra) + ">" + esc(s) + "</text>";
}

std::string line(double x1, double y1, double x2, double y2, char const * cls)
{
    return "<line x1=\"" + n(x1) + "\" y1=\"" + n(y1) + "\" x2=\"" + n(x2) + "\" y2=\"" + n(y2) + "\" class=\"" +
           cls + "\"/>";
}

std::string rect(double x, double y, double w, double h, char const * cls, std::string const & extra = {})
{
    return "<rect x=\"" + n(x) + "\" y=\"" + n(y) + "\" width=\"" + n(std::max(w, 0.0)) + "\" height=\"" +
           n(std::max(h, 0.0)) + "\" class=\"" + cls + "\"" + (extra.empty() ? "" : " " + extra) + "/>";
}

//!\brief "1", "10", "100", "1k", "10k", "100k", "1M".
std::string decade_label(int e)
{
    static char const * const labels[] = {"1", "10", "100", "1k", "10k", "100k", "1M", "10M", "100M"};
    return e >= 0 && e < 9 ? labels[e] : "1e" + std::to_string(e);
}

//!\brief Approximate width of `s` at 11 px in a sans-serif font.
double text_width(std::string const & s, double px = 13.0)
{
    return static_cast<double>(s.size()) * px * 0.56;
}

std::string open_svg(std::string const & id, double w, double h, std::string const & title, std::string const & desc)
{
    return "<svg id=\"" + esc(id) + "\" class=\"plot\" viewBox=\"0 0 " + n(w) +
           " " + n(h) + "\" width=\"" + n(w) + "\" height=\"" + n(h) + "\" role=\"img\" aria-labelledby=\"" +
           esc(id) + "-title " + esc(id) + "-desc\"><title id=\"" + esc(id) + "-title\">" + esc(title) +
           "</title><desc id=\"" + esc(id) + "-desc\">" + esc(desc) + "</desc>";
}

struct codon_info
{
    uint64_t depth = 0;
    std::optional<double> lod;
    bool catalogue = false;
};

} // namespace

std::string coverage_svg(json const & sample,
                         std::string const & gene,
                         int64_t first,
                         int64_t last,
                         double min_vaf,
                         std::string const & id)
{
    std::map<int64_t, codon_info> cov;
    for (auto const & c : sample["coverage"])
        if (c["gene"] == gene)
        {
            codon_info ci;
            ci.depth = c["depth"].get<uint64_t>();
            if (c["lod"].is_number())
                ci.lod = c["lod"].get<double>();
            ci.catalogue = c["catalogue"].get<bool>();
            cov[c["codon"].get<int64_t>()] = ci;
        }
    if (cov.empty())
        return {};
    if (first <= 0)
        first = cov.begin()->first;
    if (last <= 0)
        last = cov.rbegin()->first;
    if (last < first)
        return {};

    // Catalogue codons and their worst status; detected variants (catalogue and VUS) to mark.
    std::map<int64_t, std::string> status_at; // DETECTED > NOT_ASSESSABLE > NOT_DETECTED
    struct mark
    {
        int64_t codon;
        std::string label;
        bool vus;
    };
    std::vector<mark> marks;
    std::map<std::string, std::pair<int64_t, int64_t>> regions;
    std::regex const range_re{R"(\((\d+)\s*-\s*(\d+)\))"};
    for (auto const * list : {&sample["calls"], &sample["vus"]})
        for (auto const & v : *list)
        {
            if (v["gene"] != gene)
                continue;
            int64_t const codon = v["codon"].get<int64_t>();
            std::string const st = v["status"].get<std::string>();
            bool const vus = list == &sample["vus"];
            if (!vus)
            {
                auto & cur = status_at[codon];
                if (st == "DETECTED" || (st == "NOT_ASSESSABLE" && cur != "DETECTED") || cur.empty())
                    cur = st;
                std::smatch m;
                std::string const region = v.value("region", std::string{});
                if (std::regex_search(region, m, range_re))
                    regions[region] = {std::stoll(m[1]), std::stoll(m[2])};
            }
            if (st == "DETECTED" && codon >= first && codon <= last)
                marks.push_back({codon, v["mutation"].get<std::string>() + " " + pct(v["fraction"], 1) + "%", vus});
        }
    std::sort(marks.begin(), marks.end(), [](mark const & a, mark const & b) { return a.codon < b.codon; });

    // Layout.
    double const W = 960, ML = 74, MR = 18;
    double const PW = W - ML - MR;
    double const span = static_cast<double>(last - first + 1);
    double const bw = PW / span;
    auto x_of = [&](double codon) { return ML + (codon - static_cast<double>(first) + 0.5) * bw; };

    // Mutation labels: greedy rows so that none overlap.
    std::vector<double> row_end;
    std::vector<int> row_of(marks.size());
    for (size_t i = 0; i < marks.size(); ++i)
    {
        double const w = text_width(marks[i].label);
        double const cx = std::clamp(x_of(static_cast<double>(marks[i].codon)), ML + w / 2, W - MR - w / 2);
        size_t r = 0;
        while (r < row_end.size() && row_end[r] > cx - w / 2 - 6)
            ++r;
        if (r == row_end.size())
            row_end.push_back(0);
        row_end[r] = cx + w / 2;
        row_of[i] = static_cast<int>(r);
    }
    double const label_h = 14.0 * static_cast<double>(row_end.size());
    double const P1T = 14 + label_h, H1 = 190, P1B = P1T + H1;
    double const ST = P1B + 8, SH = 12;           // catalogue strip
    double const P2T = ST + SH + 12, H2 = 86, P2B = P2T + H2;
    double const H = P2B + 20 + 18 + 30;          // tick labels, axis title, legend

    uint64_t max_depth = 0;
    for (auto const & [c, ci] : cov)
        if (c >= first && c <= last)
            max_depth = std::max(max_depth, ci.depth);
    int const top_e = std::max(2, static_cast<int>(std::ceil(std::log10(std::max<double>(static_cast<double>(max_depth), 1.0)) - 1e-9)));
    auto y_depth = [&](double d) { return P1B - std::log10(std::max(d, 1.0)) / top_e * H1; };
    // LOD axis: 0.1 % .. 100 % (log).
    double const lod_lo = -3, lod_hi = 0;
    auto y_lod = [&](double f) {
        double const l = std::clamp(std::log10(std::max(f, 1e-3)), lod_lo, lod_hi);
        return P2B - (l - lod_lo) / (lod_hi - lod_lo) * H2;
    };

    uint64_t zero = 0, above = 0, total = 0;
    for (int64_t c = first; c <= last; ++c)
    {
        ++total;
        auto it = cov.find(c);
        if (it == cov.end() || it->second.depth == 0)
            ++zero;
        if (it == cov.end() || !it->second.lod || *it->second.lod > min_vaf)
            ++above;
    }
    std::string const title = gene + " coverage and limit of detection, codons " + std::to_string(first) + "-" +
                              std::to_string(last);
    std::string const desc = "Molecule depth per codon on a log scale (maximum " + std::to_string(max_depth) +
                             "), catalogue codons, detected mutations (" + std::to_string(marks.size()) +
                             "), and the 95 % limit of detection per codon; " + std::to_string(above) + " of " +
                             std::to_string(total) + " codons have a limit of detection above " +
                             fmt(100 * min_vaf, "%.3g") + " %.";
    std::string s = open_svg(id, W, H, title, desc);
    s += "<g class=\"cov\" data-gene=\"" + esc(gene) + "\" data-first=\"" + std::to_string(first) + "\" data-last=\"" +
         std::to_string(last) + "\">";

    // Panel 1 frame, regions and grid.
    s += rect(ML, P1T, PW, H1, "frame");
    std::vector<std::pair<double, std::string>> region_labels;
    for (auto const & [name, r] : regions)
    {
        double const a = std::max<double>(static_cast<double>(r.first), static_cast<double>(first)) - 0.5;
        double const b = std::min<double>(static_cast<double>(r.second), static_cast<double>(last)) + 0.5;
        if (b <= a)
            continue;
        s += rect(x_of(a), P1T, (b - a) * bw, H1, "region");
        region_labels.emplace_back((x_of(a) + x_of(b)) / 2, name.substr(0, name.find(" (")));
    }
    for (int e = 0; e <= top_e; ++e)
    {
        double const y = y_depth(std::pow(10.0, e));
        if (e > 0 && e < top_e)
            s += line(ML, y, ML + PW, y, "grid");
        s += line(ML - 4, y, ML, y, "ax");
        s += text(ML - 7, y + 3.5, decade_label(e), "end");
    }
    s += text(16, (P1T + P1B) / 2, "Depth (molecules, log)", "middle", "t axis-title",
              "transform=\"rotate(-90 16 " + n((P1T + P1B) / 2) + ")\"");

    // Depth as a step area.
    std::string area = "M" + n(x_of(static_cast<double>(first)) - bw / 2) + " " + n(P1B);
    std::string edge;
    for (int64_t c = first; c <= last; ++c)
    {
        auto it = cov.find(c);
        double const d = it == cov.end() ? 0.0 : static_cast<double>(it->second.depth);
        double const y = y_depth(d);
        double const xl = x_of(static_cast<double>(c)) - bw / 2, xr = xl + bw;
        area += " L" + n(xl) + " " + n(y) + " L" + n(xr) + " " + n(y);
        edge += (edge.empty() ? "M" : " L") + n(xl) + " " + n(y) + " L" + n(xr) + " " + n(y);
    }
    area += " L" + n(x_of(static_cast<double>(last)) + bw / 2) + " " + n(P1B) + " Z";
    s += "<path class=\"depth-area\" d=\"" + area + "\"/><path class=\"depth-line\" d=\"" + edge + "\"/>";

    // Detected mutations: a vertical marker through panel 1 and the LOD panel, labelled above.
    for (size_t i = 0; i < marks.size(); ++i)
    {
        double const x = x_of(static_cast<double>(marks[i].codon));
        double const ly = 12 + 14.0 * row_of[i];
        double const w = text_width(marks[i].label);
        double const cx = std::clamp(x, ML + w / 2, W - MR - w / 2);
        char const * cls = marks[i].vus ? "mark-vus" : "mark";
        s += "<g class=\"detected\" data-codon=\"" + std::to_string(marks[i].codon) + "\">";
        s += line(x, ly + 3, x, P2B, cls);
        s += text(cx, ly, marks[i].label, "middle", marks[i].vus ? "t mark-label-vus" : "t mark-label");
        s += "</g>";
    }

    // Region names over the markers, on a light background.
    for (auto const & [x, label] : region_labels)
    {
        double const w = text_width(label, 11);
        s += rect(x - w / 2 - 3, P1T + 3, w + 6, 12, "label-bg");
        s += text(x, P1T + 12, label, "middle", "t small region-label");
    }

    // Catalogue strip.
    s += text(ML - 7, ST + SH - 2, "catalogue", "end", "t small");
    s += line(ML, ST + SH / 2, ML + PW, ST + SH / 2, "strip-base");
    for (auto const & [codon, st] : status_at)
    {
        if (codon < first || codon > last)
            continue;
        char const * cls = st == "DETECTED" ? "cat-det" : st == "NOT_ASSESSABLE" ? "cat-na" : "cat-nd";
        double const x = x_of(static_cast<double>(codon));
        s += rect(x - std::max(bw, 2.4) / 2, ST, std::max(bw, 2.4), SH, cls,
                  "data-codon=\"" + std::to_string(codon) + "\" data-status=\"" + st + "\"");
    }

    // Panel 2: limit of detection.
    s += rect(ML, P2T, PW, H2, "frame");
    double const yv = y_lod(min_vaf);
    s += rect(ML, P2T, PW, yv - P2T, "lod-bad");
    for (int e = -3; e <= 0; ++e)
    {
        double const y = y_lod(std::pow(10.0, e));
        if (e > -3 && e < 0)
            s += line(ML, y, ML + PW, y, "grid");
        s += line(ML - 4, y, ML, y, "ax");
        static char const * const lab[] = {"0.1%", "1%", "10%", "100%"};
        s += text(ML - 7, y + 3.5, lab[e + 3], "end");
    }
    s += text(16, (P2T + P2B) / 2, "LOD (log)", "middle", "t axis-title",
              "transform=\"rotate(-90 16 " + n((P2T + P2B) / 2) + ")\"");
    // LOD step line, broken where it is unknown (no coverage).
    std::string lod_path;
    bool pen = false;
    for (int64_t c = first; c <= last; ++c)
    {
        auto it = cov.find(c);
        if (it == cov.end() || !it->second.lod)
        {
            pen = false;
            int64_t e = c; // one rectangle for a run of codons without a limit of detection
            while (e + 1 <= last && (!cov.contains(e + 1) || !cov.at(e + 1).lod))
                ++e;
            double const xl = x_of(static_cast<double>(c)) - bw / 2;
            s += rect(xl, P2T, bw * static_cast<double>(e - c + 1), H2, "lod-none");
            c = e;
            continue;
        }
        double const y = y_lod(*it->second.lod);
        double const xl = x_of(static_cast<double>(c)) - bw / 2;
        lod_path += (pen ? " L" : " M") + n(xl) + " " + n(y) + " L" + n(xl + bw) + " " + n(y);
        pen = true;
    }
    s += "<path class=\"lod-line\" d=\"" + lod_path + "\"/>";
    s += line(ML, yv, ML + PW, yv, "vaf-line");
    std::string const vaf_label = "min VAF " + fmt(100 * min_vaf, "%.3g") + "%";
    s += rect(ML + PW - text_width(vaf_label, 11) - 10, yv - 13, text_width(vaf_label, 11) + 8, 12, "label-bg");
    s += text(ML + PW - 6, yv - 3, vaf_label, "end", "t small vaf-label");

    // X axis (shared).
    s += line(ML, P2B, ML + PW, P2B, "ax");
    std::vector<int64_t> ticks{first};
    int64_t const step = span > 400 ? 50 : span > 150 ? 25 : 10;
    for (int64_t t = (first / step + 1) * step; t <= last; t += step)
        if (static_cast<double>(t - ticks.back()) * bw > 26)
            ticks.push_back(t);
    if (ticks.back() != last && static_cast<double>(last - ticks.back()) * bw > 26)
        ticks.push_back(last);
    for (auto t : ticks)
    {
        double const x = x_of(static_cast<double>(t));
        s += line(x, P2B, x, P2B + 4, "ax") + line(x, P1B, x, P1B + 4, "ax");
        s += text(x, P2B + 15, std::to_string(t), "middle");
    }
    s += text(ML + PW / 2, P2B + 32, gene + " codon", "middle", "t axis-title");

    // Legend.
    double lx = ML, ly = H - 12;
    auto legend = [&](std::string const & shape, std::string const & label) {
        s += shape;
        s += text(lx + 18, ly + 4, label);
        lx += 18 + text_width(label) + 18;
    };
    legend(rect(lx, ly - 5, 14, 10, "depth-area legend-box"), "depth");
    legend(rect(lx + 5, ly - 6, 4, 12, "cat-nd"), "catalogue codon: not detected");
    legend(rect(lx + 5, ly - 6, 4, 12, "cat-na"), "not assessable");
    legend(rect(lx + 5, ly - 6, 4, 12, "cat-det"), "detected");
    legend(line(lx, ly, lx + 14, ly, "lod-line"), "limit of detection (95 %)");
    legend(line(lx, ly, lx + 14, ly, "vaf-line"), "min VAF");
    s += "</g></svg>";
    return s;
}

std::string fraction_svg(std::vector<json const *> const & variants, std::string const & id)
{
    if (variants.empty())
        return {};
    double hi = 0;
    for (auto const * v : variants)
        hi = std::max({hi, num((*v)["ci_high"]), num((*v)["fraction"]), num((*v)["lod"])});
    // A round axis end: 1, 2, 5, 10, 20, 25, 50, 100 %.
    double top = 1.0;
    for (double t : {0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0})
        if (hi * 1.05 <= t)
        {
            top = t;
            break;
        }
    double const W = 960, ML = 190, MR = 210, RH = 26, MT = 12;
    double const PW = W - ML - MR;
    double const H = MT + RH * static_cast<double>(variants.size()) + 64;
    auto x_of = [&](double f) { return ML + std::clamp(f, 0.0, top) / top * PW; };
    std::string s = open_svg(id, W, H, "Detected mutations: fraction and 95 % interval",
                             std::to_string(variants.size()) +
                                 " detected variants, fraction of molecules with the Wilson 95 % interval and the "
                                 "limit of detection at that depth");
    double const PB = MT + RH * static_cast<double>(variants.size());
    for (int i = 0; i <= 5; ++i)
    {
        double const f = top * i / 5.0;
        double const x = x_of(f);
        s += line(x, MT, x, PB, i == 0 ? "ax" : "grid");
        s += text(x, PB + 15, fmt(100 * f, "%.3g") + "%", "middle");
    }
    s += line(ML, PB, ML + PW, PB, "ax");
    s += text(ML + PW / 2, PB + 31, "Fraction of molecules", "middle", "t axis-title");
    for (size_t i = 0; i < variants.size(); ++i)
    {
        auto const & v = *variants[i];
        double const y = MT + RH * (static_cast<double>(i) + 0.5);
        bool const vus = v.value("kind", std::string{}) == "vus";
        s += "<g class=\"fraction-row\" data-variant=\"" + esc(v["id"].get<std::string>()) + "\">";
        if (i % 2 == 0)
            s += rect(0, y - RH / 2, W, RH, "zebra");
        s += text(ML - 10, y + 4, v["gene"].get<std::string>() + " " + v["mutation"].get<std::string>() +
                                      (vus ? " (VUS)" : ""),
                  "end", "t strong");
        double const a = x_of(num(v["ci_low"])), b = x_of(num(v["ci_high"]));
        s += line(a, y, b, y, "ci") + line(a, y - 5, a, y + 5, "ci") + line(b, y - 5, b, y + 5, "ci");
        if (v["lod"].is_number())
        {
            double const xl = x_of(v["lod"].get<double>());
            s += line(xl, y - 8, xl, y + 8, "lod-tick");
        }
        s += "<circle cx=\"" + n(x_of(num(v["fraction"]))) + "\" cy=\"" + n(y) + "\" r=\"5\" class=\"" +
             (vus ? "dot-vus" : "dot") + "\"/>";
        s += text(ML + PW + 12, y + 4,
                  pct(v["fraction"]) + "% [" + pct(v["ci_low"]) + "\xe2\x80\x93" + pct(v["ci_high"]) + "]");
        s += "</g>";
    }
    double lx = ML, ly = H - 5;
    s += "<circle cx=\"" + n(lx + 6) + "\" cy=\"" + n(ly - 4) + "\" r=\"4.5\" class=\"dot\"/>" +
         text(lx + 16, ly, "fraction");
    lx += 90;
    s += line(lx, ly - 4, lx + 16, ly - 4, "ci") + text(lx + 22, ly, "95 % interval");
    lx += 120;
    s += line(lx + 6, ly - 11, lx + 6, ly + 3, "lod-tick") + text(lx + 14, ly, "limit of detection at this depth");
    s += "</svg>";
    return s;
}

std::string mirna_svg(mirna_results const & m,
                      std::vector<size_t> const & rows,
                      std::vector<size_t> const & samples,
                      std::string const & id)
{
    if (rows.empty() || samples.empty())
        return {};
    double max_cpm = 1;
    for (auto r : rows)
        for (auto c : samples)
            max_cpm = std::max(max_cpm, m.cpm(r, c));
    int const top_e = std::max(1, static_cast<int>(std::ceil(std::log10(max_cpm) - 1e-9)));
    double const W = 960, ML = 170, MR = 110, MT = 10, BH = 11;
    double const group = BH * static_cast<double>(samples.size()) + 8;
    double const PW = W - ML - MR;
    double const PB = MT + group * static_cast<double>(rows.size());
    double const H = PB + 40 + (samples.size() > 1 ? 18 : 0);
    auto x_of = [&](double cpm) { return ML + std::log10(std::max(cpm, 1.0)) / top_e * PW; };
    std::string s = open_svg(id, W, H, "Resistance-associated miRNAs: counts per million",
                             "Counts per million (log scale) of " + std::to_string(rows.size()) +
                                 " resistance-associated miRNAs in " + std::to_string(samples.size()) + " sample(s)");
    static char const * const series[] = {"bar0", "bar1", "bar2", "bar3", "bar4", "bar5"};
    for (int e = 0; e <= top_e; ++e)
    {
        double const x = x_of(std::pow(10.0, e));
        s += line(x, MT, x, PB, e == 0 ? "ax" : "grid");
        s += text(x, PB + 15, decade_label(e), "middle");
    }
    s += line(ML, PB, ML + PW, PB, "ax");
    s += text(ML + PW / 2, PB + 32, "Counts per million (log scale)", "middle", "t axis-title");
    for (size_t i = 0; i < rows.size(); ++i)
    {
        double const y0 = MT + group * static_cast<double>(i) + 4;
        s += text(ML - 8, y0 + group / 2, m.rows[rows[i]].mirna, "end", "t strong");
        for (size_t k = 0; k < samples.size(); ++k)
        {
            double const cpm = m.cpm(rows[i], samples[k]);
            double const y = y0 + BH * static_cast<double>(k);
            s += rect(ML, y, x_of(cpm) - ML, BH - 2, series[k % 6],
                      "data-mirna=\"" + esc(m.rows[rows[i]].mirna) + "\" data-sample=\"" +
                          esc(m.samples[samples[k]]) + "\"");
            s += text(x_of(cpm) + 5, y + BH - 3, fmt(cpm, cpm >= 100 ? "%.0f" : "%.1f"), "start", "t small");
        }
    }
    if (samples.size() > 1)
    {
        double lx = ML, ly = H - 6;
        for (size_t k = 0; k < samples.size(); ++k)
        {
            s += rect(lx, ly - 9, 12, 10, series[k % 6]) + text(lx + 16, ly, m.samples[samples[k]]);
            lx += 16 + text_width(m.samples[samples[k]]) + 16;
        }
    }
    s += "</svg>";
    return s;
}

} // namespace chemores::report::detail
