// isomiR annotation: matures on hairpins, ungapped isomiR-aware placement, assignment, mirGFF3 vocabulary.

#include <algorithm>
#include <charconv>
#include <chemores/core/errors.hpp>
#include <chemores/core/text.hpp>
#include <chemores/mirna/quant_annotate.hpp>
#include <cstdlib>
#include <tuple>

namespace chemores::mirna
{

namespace
{
bool parse_int(std::string_view s, int32_t & out)
{
    s = trim(s);
    auto const [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size();
}
} // namespace

mature_table::mature_table(reference::panel const & p, std::string_view tsv, std::string const & origin)
{
    uint64_t line_no = 0;
    size_t pos = 0;
    while (pos < tsv.size())
    {
        auto const nl = tsv.find('\n', pos);
        std::string_view line = tsv.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? tsv.size() : nl + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty() || line.front() == '#')
            continue;
        auto const f = split(line, "\t");
        if (line_no == 1 && !f.empty() && f[0] == "mature")
            continue; // header
        if (f.size() < 6)
            throw input_error{origin, line_no, "expected 6 columns (mature hairpin start end arm mimat)"};
        mature_locus m;
        m.name = std::string{trim(f[0])};
        auto const h = p.find(trim(f[1]));
        if (!h)
            throw input_error{origin, line_no, "hairpin '" + std::string{f[1]} + "' is not in the panel"};
        m.hairpin = *h;
        if (!parse_int(f[2], m.start) || !parse_int(f[3], m.end) || m.start < 1 || m.end < m.start ||
            m.end > static_cast<int32_t>(p.contigs()[*h].seq.size()))
            throw input_error{origin, line_no, "bad coordinates for " + m.name};
        m.arm = std::string{trim(f[4])};
        m.mimat = std::string{trim(f[5])};
        if (m.name.empty())
            throw input_error{origin, line_no, "empty mature name"};
        loci_.push_back(std::move(m));
    }
    std::stable_sort(loci_.begin(),
                     loci_.end(),
                     [](mature_locus const & a, mature_locus const & b)
                     {
                         return std::tie(a.hairpin, a.start, a.end, a.name) <
                                std::tie(b.hairpin, b.start, b.end, b.name);
                     });
    for (auto const & m : loci_)
        names_.push_back(m.name);
    std::sort(names_.begin(), names_.end());
    names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
    for (auto & m : loci_)
        m.name_index = *find_name(m.name);
    by_hairpin_.assign(p.contigs().size(), {0, 0});
    for (size_t i = 0; i < loci_.size();)
    {
        size_t j = i;
        while (j < loci_.size() && loci_[j].hairpin == loci_[i].hairpin)
            ++j;
        by_hairpin_[loci_[i].hairpin] = {static_cast<uint32_t>(i), static_cast<uint32_t>(j)};
        i = j;
    }
}

std::span<mature_locus const> mature_table::on_hairpin(uint32_t h) const
{
    if (h >= by_hairpin_.size())
        return {};
    auto const [b, e] = by_hairpin_[h];
    return {loci_.data() + b, e - b};
}

std::optional<uint32_t> mature_table::find_name(std::string_view name) const
{
    auto const it = std::lower_bound(names_.begin(), names_.end(), name);
    if (it == names_.end() || *it != name)
        return std::nullopt;
    return static_cast<uint32_t>(it - names_.begin());
}

std::optional<placement>
best_placement(std::string_view read, std::string_view hairpin, int32_t near, annotation_options const & o)
{
    int32_t const len = static_cast<int32_t>(read.size());
    int32_t const hlen = static_cast<int32_t>(hairpin.size());
    constexpr int32_t min_templated = 10;
    // key: mismatches, additions, add5p, |offset - near|, offset
    std::optional<std::tuple<int32_t, int32_t, int32_t, int32_t, int32_t>> best_key;
    placement best;
    for (int32_t off = near - o.search_window; off <= near + o.search_window; ++off)
    {
        for (int32_t b = 0; b <= o.max_add5p; ++b)
        {
            int32_t const ts = off + b; // 0-based hairpin position of the first templated base
            if (ts < 0)
                continue;
            for (int32_t a = 0; a <= o.max_add3p; ++a)
            {
                int32_t const tl = len - a - b;
                if (tl < min_templated)
                    break;
                if (ts + tl > hlen)
                    continue;
                int32_t mism = 0;
                for (int32_t i = b; i < len - a; ++i)
                    mism += read[i] != hairpin[off + i];
                auto const key = std::make_tuple(mism, a + b, b, std::abs(off - near), off);
                if (!best_key || key < *best_key)
                {
                    best_key = key;
                    best.offset = off;
                    best.add5p = b;
                    best.add3p = a;
                }
            }
        }
    }
    if (!best_key)
        return std::nullopt;
    for (int32_t i = best.add5p; i < len - best.add3p; ++i)
        if (read[i] != hairpin[best.offset + i])
            best.snvs.push_back({i + 1, hairpin[best.offset + i], read[i]});
    return best;
}

isomir_hit annotate(std::string_view read,
                    std::string_view hairpin,
                    uint32_t hairpin_index,
                    int32_t near,
                    mature_table const & matures,
                    annotation_options const & o)
{
    isomir_hit h;
    h.hairpin = hairpin_index;
    auto const p = best_placement(read, hairpin, near, o);
    if (!p || static_cast<int>(p->snvs.size()) > o.max_mismatches)
        return h; // rejected
    h.place = *p;
    int32_t const len = static_cast<int32_t>(read.size());
    int32_t const ts = p->templated_start(), te = p->templated_end(len);
    h.start = std::max(1, p->offset + 1);
    h.end = std::min(static_cast<int32_t>(hairpin.size()), p->offset + len);
    h.cigar = mirgff_cigar(read, hairpin, p->offset);
    h.kind = hit_kind::hairpin;
    auto const on = matures.on_hairpin(hairpin_index);
    std::optional<std::tuple<int32_t, int32_t, int32_t>> best;
    for (size_t i = 0; i < on.size(); ++i)
    {
        int32_t const d5 = ts - on[i].start, d3 = te - on[i].end;
        if (std::abs(d5) > o.tolerance_5p || std::abs(d3) > o.tolerance_3p)
            continue;
        auto const key = std::make_tuple(std::abs(d5) + std::abs(d3), std::abs(d5), static_cast<int32_t>(i));
        if (!best || key < *best)
        {
            best = key;
            h.kind = hit_kind::mature;
            h.mature = static_cast<int32_t>(&on[i] - matures.loci().data());
            h.iso_5p = d5;
            h.iso_3p = d3;
        }
    }
    return h;
}

std::string_view snv_class(int32_t read_pos)
{
    if (read_pos >= 2 && read_pos <= 7)
        return "iso_snv_seed";
    if (read_pos == 8)
        return "iso_snv_central_offset";
    if (read_pos >= 9 && read_pos <= 12)
        return "iso_snv_central";
    if (read_pos >= 13 && read_pos <= 17)
        return "iso_snv_central_supp";
    return "iso_snv";
}

std::string variant_attribute(isomir_hit const & h)
{
    std::vector<std::string> parts;
    auto shift = [](char const * tag, int32_t v)
    {
        return std::string{tag} + (v < 0 ? "-" : "+") + std::to_string(std::abs(v));
    };
    if (h.iso_5p != 0)
        parts.push_back(shift("iso_5p:", h.iso_5p));
    if (h.iso_3p != 0)
        parts.push_back(shift("iso_3p:", h.iso_3p));
    if (h.place.add3p > 0)
        parts.push_back("iso_add3p:" + std::to_string(h.place.add3p));
    if (h.place.add5p > 0)
        parts.push_back("iso_add5p:" + std::to_string(h.place.add5p));
    for (auto const & s : h.place.snvs)
    {
        std::string const c{snv_class(s.read_pos)};
        if (std::find(parts.begin(), parts.end(), c) == parts.end())
            parts.push_back(c);
    }
    if (parts.empty())
        return "NA";
    std::string out;
    for (auto const & p : parts)
        out += (out.empty() ? "" : ",") + p;
    return out;
}

std::string snv_list(isomir_hit const & h)
{
    std::string out;
    for (auto const & s : h.place.snvs)
        out += (out.empty() ? "" : ",") + std::to_string(s.read_pos) + ":" + s.ref + ">" + s.alt;
    return out;
}

std::string mirgff_cigar(std::string_view read, std::string_view hairpin, int32_t offset)
{
    std::string out;
    char run_op = 0;
    int32_t run = 0;
    auto flush = [&]
    {
        if (run > 0)
            out += std::to_string(run) + run_op;
        run = 0;
    };
    int32_t const hlen = static_cast<int32_t>(hairpin.size());
    for (int32_t i = 0; i < static_cast<int32_t>(read.size()); ++i)
    {
        int32_t const hp = offset + i;
        if (hp < 0 || hp >= hlen)
        {
            if (run_op != 'I')
                flush();
            run_op = 'I';
            ++run;
        }
        else if (read[i] == hairpin[hp])
        {
            if (run_op != 'M')
                flush();
            run_op = 'M';
            ++run;
        }
        else
        {
            flush();
            run_op = 0;
            out += hairpin[hp];
        }
    }
    flush();
    return out;
}

std::string license_plate(std::string_view seq, std::string_view prefix)
{
    static constexpr char alphabet[] = "BD0EF1HI2JK3LM4NO5PQ6RS7UV8WX9YZ";
    auto code = [](char c) -> int
    {
        switch (c)
        {
        case 'A':
            return 0;
        case 'C':
            return 1;
        case 'G':
            return 2;
        case 'T':
            return 3;
        default:
            return -1;
        }
    };
    std::string out{prefix};
    if (!out.empty())
        out += '-';
    out += std::to_string(seq.size()) + "-";
    size_t i = 0;
    for (; i + 5 <= seq.size(); i += 5)
    {
        int v = 0;
        for (size_t j = 0; j < 5; ++j)
        {
            int const c = code(seq[i + j]);
            if (c < 0)
                return {};
            v = v * 4 + c;
        }
        out += alphabet[v >> 5];
        out += alphabet[v & 31];
    }
    size_t const rest = seq.size() - i;
    if (rest > 0)
    {
        static constexpr int base[5] = {0, 0, 4, 20, 84};
        int v = 0;
        for (size_t j = 0; j < rest; ++j)
        {
            int const c = code(seq[i + j]);
            if (c < 0)
                return {};
            v = v * 4 + c;
        }
        v += base[rest];
        if (v >= 32)
            out += alphabet[v >> 5];
        out += alphabet[v & 31];
    }
    return out;
}

} // namespace chemores::mirna
