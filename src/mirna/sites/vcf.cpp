// chemores::mirna variants: a small VCF reader (plain, gzip, bgzip; errors name file and line) that places SNV and
// indel alleles on the UTRs, and the comparison of REF and ALT sites around each allele.

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/core/text.hpp>
#include <chemores/mirna/sites_data.hpp>
#include <cstring>
#include <htslib/bgzf.h>
#include <htslib/kstring.h>
#include <map>
#include <set>

namespace chemores::mirna
{

std::string_view to_string(site_effect e)
{
    switch (e)
    {
    case site_effect::gained:
        return "gained";
    case site_effect::lost:
        return "lost";
    case site_effect::changed:
        return "changed";
    }
    return "?";
}

namespace
{

std::string upper(std::string_view s)
{
    std::string r{s};
    for (auto & c : r)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return r;
}

std::string norm_chrom(std::string_view c)
{
    std::string l = upper(c);
    if (l.rfind("CHR", 0) == 0)
        l = l.substr(3);
    if (l == "M")
        l = "MT";
    return l;
}

std::string strip_version(std::string_view acc)
{
    auto const dot = acc.rfind('.');
    return std::string{dot == std::string_view::npos ? acc : acc.substr(0, dot)};
}

// "GRCh38" or "hg19" family of a build name; empty if unknown.
std::string build_family(std::string_view b)
{
    std::string const u = upper(b);
    if (u.find("GRCH38") != std::string::npos || u.find("HG38") != std::string::npos)
        return "GRCh38";
    if (u.find("GRCH37") != std::string::npos || u.find("HG19") != std::string::npos ||
        u.find("B37") != std::string::npos)
        return "hg19";
    return {};
}

bool valid_bases(std::string_view s)
{
    if (s.empty())
        return false;
    for (char c : s)
        if (c == '\0' || !std::strchr("ACGTNacgtn", c)) // strchr finds the terminating NUL: a NUL byte is no base
            return false;
    return true;
}

struct line_reader
{
    BGZF * fp = nullptr;
    kstring_t ks = KS_INITIALIZE;
    std::string path;
    uint64_t line = 0;

    explicit line_reader(std::string const & p) : path{p}
    {
        fp = bgzf_open(p.c_str(), "r");
        if (!fp)
            throw input_error{p, std::string{"cannot open: "} + std::strerror(errno)};
        if (bgzf_compression(fp) == 2 && bgzf_check_EOF(fp) == 0)
        {
            // The destructor does not run for a constructor that throws: close here.
            bgzf_close(fp);
            fp = nullptr;
            throw input_error{p, "truncated BGZF file: the end-of-file marker is missing"};
        }
    }
    ~line_reader()
    {
        if (fp)
            bgzf_close(fp);
        ks_free(&ks);
    }
    line_reader(line_reader const &) = delete;
    line_reader & operator=(line_reader const &) = delete;

    bool next(std::string & out)
    {
        int const r = bgzf_getline(fp, '\n', &ks);
        if (r == -1)
            return false;
        if (r < -1)
            throw input_error{path, line + 1, "read error: truncated or corrupt compressed input"};
        ++line;
        out.assign(ks.s ? ks.s : "", ks.l);
        if (!out.empty() && out.back() == '\r')
            out.pop_back();
        return true;
    }
};

struct placement
{
    uint32_t utr = 0;
    std::string coords;
    int64_t first = 0; // 1-based UTR position of the first REF base, UTR orientation
    bool minus = false;
};

} // namespace

vcf_result read_vcf(std::string const & path, std::vector<utr_sequence> const & utrs)
{
    vcf_result res;
    line_reader in{path};
    std::string line;
    bool first = true, header_seen = false;
    std::set<std::string> warned;
    auto warn_once = [&](std::string const & key, std::string const & msg)
    {
        if (warned.insert(key).second)
            res.warnings.push_back(msg);
    };
    while (in.next(line))
    {
        uint64_t const ln = in.line;
        if (first)
        {
            first = false;
            if (line.rfind("##fileformat=VCF", 0) != 0)
                throw input_error{path,
                                  ln,
                                  line.rfind("BCF", 0) == 0
                                      ? "BCF is not supported: convert with 'bcftools view'"
                                      : "not a VCF file: the first line must be ##fileformat=VCFv4.x"};
            continue;
        }
        if (line.rfind("##", 0) == 0)
        {
            if (res.build.empty() && (line.rfind("##reference", 0) == 0 || line.rfind("##contig", 0) == 0 ||
                                      line.rfind("##assembly", 0) == 0))
                res.build = build_family(line);
            continue;
        }
        if (line.rfind("#", 0) == 0)
        {
            if (line.rfind("#CHROM\tPOS\tID\tREF\tALT", 0) != 0)
                throw input_error{path, ln, "malformed header line: expected #CHROM<TAB>POS<TAB>ID<TAB>REF<TAB>ALT..."};
            header_seen = true;
            continue;
        }
        if (trim(line).empty())
            continue;
        if (!header_seen)
            throw input_error{path, ln, "data line before the #CHROM header line"};
        auto const f = split(line, "\t");
        if (f.size() < 8)
            throw input_error{
                path,
                ln,
                "expected at least 8 tab-separated columns (CHROM POS ID REF ALT QUAL FILTER INFO), found " +
                    std::to_string(f.size())};
        ++res.records;
        std::string const chrom{f[0]};
        int64_t pos = 0;
        {
            auto const s = f[1];
            auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), pos);
            if (ec != std::errc{} || p != s.data() + s.size() || pos < 1)
                throw input_error{path, ln, "invalid POS '" + std::string{s} + "'"};
        }
        std::string const id{f[2]};
        std::string const ref = upper(f[3]);
        if (!valid_bases(ref))
            throw input_error{path, ln, "invalid REF '" + std::string{f[3]} + "' (A, C, G, T, N only)"};
        auto const alts = split(f[4], ",");
        int64_t const ref_len = static_cast<int64_t>(ref.size());

        // where the record lies (same for every allele)
        std::vector<placement> places;
        bool partly = false;
        for (uint32_t u = 0; u < utrs.size(); ++u)
        {
            auto const & utr = utrs[u];
            auto const & a = utr.annotation;
            int64_t const len = static_cast<int64_t>(utr.codes.size());
            if (chrom == utr.name)
            {
                if (pos > len)
                    throw input_error{path,
                                      ln,
                                      "POS " + std::to_string(pos) + " lies past the end of " + utr.name + " (" +
                                          std::to_string(len) + " nt)"};
                if (pos + ref_len - 1 > len)
                    throw input_error{path, ln, "REF extends past the end of " + utr.name};
                places.push_back(placement{u, "utr", pos, false});
                continue;
            }
            if (!a.transcript.empty() && a.tx_first > 0 &&
                (chrom == a.transcript || chrom == strip_version(a.transcript)))
            {
                int64_t const first_u = pos - a.tx_first + 1, last_u = first_u + ref_len - 1;
                if (first_u >= 1 && last_u <= len)
                    places.push_back(placement{u, "transcript", first_u, false});
                else if (last_u >= 1 && first_u <= len)
                    partly = true;
                continue;
            }
            if (a.genome && norm_chrom(chrom) == norm_chrom(a.genome->chrom))
            {
                auto const & g = *a.genome;
                if (!res.build.empty() && build_family(g.build) != res.build)
                {
                    warn_once("build:" + utr.name,
                              "the VCF is on " + res.build + " but the genome coordinates of " + utr.name + " are " +
                                  g.build + ": records on " + chrom + " are not placed on it");
                    continue;
                }
                int64_t const gl = pos, gr = pos + ref_len - 1;
                if (gl >= g.start && gr <= g.end)
                {
                    int64_t const first_u = g.strand == '-' ? g.utr_first + (g.end - gr) : g.utr_first + (gl - g.start);
                    places.push_back(placement{u, "genome", first_u, g.strand == '-'});
                }
                else if (gr >= g.start && gl <= g.end)
                    partly = true;
            }
        }

        int allele = 0;
        for (auto alt_sv : alts)
        {
            ++allele;
            ++res.alleles;
            std::string const alt = upper(alt_sv);
            if (alt == "*" || alt == "." || alt.empty() || alt.front() == '<' ||
                alt.find_first_of("[]") != std::string::npos)
            {
                ++res.skipped;
                warn_once("symbolic",
                          "symbolic, '*' and '.' ALT alleles are skipped (first at line " + std::to_string(ln) + ")");
                continue;
            }
            if (!valid_bases(alt))
                throw input_error{path, ln, "invalid ALT allele '" + std::string{alt_sv} + "'"};
            if (places.empty())
            {
                if (partly)
                {
                    ++res.skipped;
                    warn_once("partly",
                              "variants that straddle the end of an annotated UTR stretch are skipped "
                              "(first at line " +
                                  std::to_string(ln) + ")");
                }
                else
                    ++res.outside;
                continue;
            }
            for (auto const & pl : places)
            {
                auto const & utr = utrs[pl.utr];
                std::string r = ref, v = alt;
                if (pl.minus)
                {
                    r = reverse_complement(r);
                    v = reverse_complement(v);
                }
                int64_t const b0 = pl.first - 1;
                for (int64_t i = 0; i < ref_len; ++i)
                {
                    uint8_t const have = utr.codes[static_cast<size_t>(b0 + i)];
                    uint8_t const want = dna_table[static_cast<unsigned char>(r[static_cast<size_t>(i)])];
                    if (have < 4 && want < 4 && have != want)
                    {
                        std::string seq;
                        for (int64_t j = 0; j < ref_len; ++j)
                            seq.push_back(code_to_char[utr.codes[static_cast<size_t>(b0 + j)]]);
                        std::string msg = "REF " + ref + " does not match " + utr.name + " at " +
                                          std::to_string(pl.first) + ".." + std::to_string(pl.first + ref_len - 1) +
                                          " (" + (pl.minus ? reverse_complement(seq) : seq) +
                                          (pl.minus ? " on the + strand)" : ")");
                        if (pl.coords == "genome")
                            msg += "; is the VCF on " + utr.annotation.genome->build + "?";
                        throw input_error{path, ln, msg};
                    }
                }
                // trim the bases REF and ALT share (prefix, then suffix)
                size_t pre = 0;
                while (pre < r.size() && pre < v.size() && r[pre] == v[pre])
                    ++pre;
                size_t suf = 0;
                while (suf < r.size() - pre && suf < v.size() - pre && r[r.size() - 1 - suf] == v[v.size() - 1 - suf])
                    ++suf;
                utr_variant uv;
                uv.line = ln;
                uv.chrom = chrom;
                uv.pos = pos;
                uv.id = id;
                uv.ref = ref;
                uv.alt = alt;
                uv.allele = allele;
                uv.utr = pl.utr;
                uv.coords = pl.coords;
                uv.begin = b0 + static_cast<int64_t>(pre);
                uv.end = b0 + static_cast<int64_t>(r.size() - suf);
                uv.utr_ref = r.substr(pre, r.size() - pre - suf);
                uv.utr_alt = v.substr(pre, v.size() - pre - suf);
                res.variants.push_back(std::move(uv));
            }
        }
    }
    if (first)
        throw input_error{path, "empty file: not a VCF"};
    if (!header_seen)
        throw input_error{path, "no #CHROM header line: not a VCF"};
    return res;
}

std::vector<variant_effect> variant_effects(site_finder const & finder,
                                            std::vector<utr_sequence> const & utrs,
                                            std::vector<utr_variant> const & variants)
{
    int64_t const reach = finder.options().extended ? 14 : 7; // a site at anchor a depends on t_R+1 .. t1
    std::vector<variant_effect> out;
    out.reserve(variants.size());
    std::vector<uint8_t> alt;
    for (auto const & v : variants)
    {
        auto const & ref = utrs.at(v.utr).codes;
        std::vector<uint8_t> ins;
        encode_dna(v.utr_alt, ins);
        for (auto & c : ins)
            c = c == code_invalid ? uint8_t{4} : c;
        alt.assign(ref.begin(), ref.begin() + v.begin);
        alt.insert(alt.end(), ins.begin(), ins.end());
        alt.insert(alt.end(), ref.begin() + v.end, ref.end());
        int64_t const s = static_cast<int64_t>(ins.size());
        int64_t const removed = v.end - v.begin;
        int64_t const delta = s - removed;
        auto const ref_sites = finder.find_in(ref, v.utr, v.begin, v.end + reach);
        auto const alt_sites = finder.find_in(alt, v.utr, v.begin, v.begin + s + reach);
        // ALT anchor (1-based) -> REF anchor, if the base exists on both
        auto to_ref = [&](int64_t a1) -> std::optional<int64_t>
        {
            int64_t const a = a1 - 1;
            if (s == removed || a < v.begin)
                return a1;
            if (a >= v.begin + s)
                return a1 - delta;
            return std::nullopt;
        };
        std::map<std::pair<uint32_t, int64_t>, site const *> ref_at;
        for (auto const & x : ref_sites)
            ref_at[{x.mirna, x.anchor}] = &x;
        variant_effect e;
        e.variant = v;
        std::set<std::pair<uint32_t, int64_t>> matched;
        for (auto const & y : alt_sites)
        {
            auto const ra = to_ref(y.anchor);
            site const * x = nullptr;
            if (ra)
                if (auto it = ref_at.find({y.mirna, *ra}); it != ref_at.end())
                    x = it->second;
            if (x)
            {
                matched.insert({x->mirna, x->anchor});
                if (x->type != y.type)
                    e.changes.push_back(site_change{site_effect::changed, y.mirna, *x, y});
            }
            else
                e.changes.push_back(site_change{site_effect::gained, y.mirna, std::nullopt, y});
        }
        for (auto const & x : ref_sites)
            if (!matched.count({x.mirna, x.anchor}))
                e.changes.push_back(site_change{site_effect::lost, x.mirna, x, std::nullopt});
        std::sort(e.changes.begin(),
                  e.changes.end(),
                  [](site_change const & a, site_change const & b)
                  {
                      auto key = [](site_change const & c)
                      {
                          auto const & s = c.ref ? *c.ref : *c.alt;
                          return std::make_tuple(s.start, c.mirna, static_cast<int>(c.effect), s.end);
                      };
                      return key(a) < key(b);
                  });
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace chemores::mirna
