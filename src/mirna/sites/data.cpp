// chemores::mirna inputs: bundled matures and UTRs, user FASTA files, miRNA name resolution, literature pairs.

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/core/text.hpp>
#include <chemores/io/sequence_reader.hpp>
#include <chemores/mirna/sites_data.hpp>
#include <chemores/reference/panel.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <htslib/hts.h>
#include <regex>
#include <set>

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

std::string strip_hsa(std::string_view s)
{
    std::string l = ascii_lower(s);
    return l.rfind("hsa-", 0) == 0 ? l.substr(4) : l;
}

struct fasta_text_record
{
    std::string name, comment, seq;
    uint64_t line = 0;
};

// Bundled FASTA text (trusted): header + sequence lines.
std::vector<fasta_text_record> parse_fasta_text(std::string const & origin, std::string_view text)
{
    std::vector<fasta_text_record> out;
    uint64_t line_no = 0;
    for (auto line : split(text, "\n"))
    {
        ++line_no;
        line = trim(line);
        if (line.empty())
            continue;
        if (line[0] == '>')
        {
            fasta_text_record r;
            auto const ws = line.find_first_of(" \t");
            r.name = std::string{line.substr(1, ws == std::string_view::npos ? std::string_view::npos : ws - 1)};
            if (ws != std::string_view::npos)
                r.comment = std::string{trim(line.substr(ws + 1))};
            r.line = line_no;
            out.push_back(std::move(r));
            continue;
        }
        if (out.empty())
            throw internal_error{origin + ": sequence before the first header"};
        out.back().seq += line;
    }
    return out;
}

mature_mirna make_mature(std::string name, std::string accession, std::string_view seq, std::string origin)
{
    mature_mirna m;
    m.name = std::move(name);
    m.accession = std::move(accession);
    m.origin = std::move(origin);
    m.codes.reserve(seq.size());
    m.sequence.reserve(seq.size());
    for (char ch : seq)
    {
        uint8_t const c = dna_table[static_cast<unsigned char>(ch)];
        m.codes.push_back(c == code_invalid ? uint8_t{4} : c);
        m.sequence.push_back(c >= 4 ? 'N' : "ACGU"[c]);
    }
    return m;
}

// TSV with a header row: calls f(columns-by-name accessor, line).
struct tsv_row
{
    std::vector<std::string_view> const * fields;
    std::map<std::string, size_t> const * index;
    std::string_view get(std::string const & col) const
    {
        auto it = index->find(col);
        if (it == index->end() || it->second >= fields->size())
            return {};
        return trim((*fields)[it->second]);
    }
};

template <typename F>
void for_each_tsv_row(std::string const & origin,
                      std::string_view text,
                      std::vector<std::string> const & required,
                      F && f)
{
    uint64_t line_no = 0;
    std::map<std::string, size_t> index;
    bool header = false;
    for (auto line : split(text, "\n"))
    {
        ++line_no;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (trim(line).empty() || line[0] == '#')
            continue;
        auto const fields = split(line, "\t");
        if (!header)
        {
            header = true;
            for (size_t i = 0; i < fields.size(); ++i)
                index[std::string{trim(fields[i])}] = i;
            for (auto const & r : required)
                if (!index.count(r))
                    throw input_error{origin, line_no, "missing column '" + r + "' in the header"};
            continue;
        }
        f(tsv_row{&fields, &index}, line_no);
    }
    if (!header)
        throw input_error{origin, "empty table: no header row"};
}

int64_t to_int(std::string_view s, std::string const & origin, uint64_t line, std::string_view what)
{
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size())
        throw input_error{origin, line, "invalid " + std::string{what} + " '" + std::string{s} + "'"};
    return v;
}

} // namespace

std::vector<mature_mirna> const & builtin_matures()
{
    static std::vector<mature_mirna> const all = []
    {
        std::string const origin = "builtin:panel/mirna_matures.fa";
        std::vector<mature_mirna> v;
        for (auto & r : parse_fasta_text(origin, reference::bundled_file("panel/mirna_matures.fa")))
        {
            auto const ws = r.comment.find(' ');
            v.push_back(make_mature(r.name, r.comment.substr(0, ws), r.seq, origin));
        }
        return v;
    }();
    return all;
}

std::vector<mature_mirna> read_mirna_fasta(std::string const & path)
{
    io::sequence_reader reader{path};
    if (reader.format() == io::sequence_format::fastq)
        throw input_error{path, 1, "miRNAs must be FASTA, not FASTQ"};
    std::vector<mature_mirna> out;
    std::set<std::string> seen;
    io::sequence_record rec;
    while (reader.read(rec))
    {
        if (!seen.insert(rec.name).second)
            throw input_error{path, rec.line, "duplicate miRNA name '" + rec.name + "'"};
        if (rec.seq.size() < 8)
            throw input_error{path,
                              rec.line,
                              "miRNA '" + rec.name + "' is " + std::to_string(rec.seq.size()) +
                                  " nt: a seed match needs at least 8 nt"};
        auto m = make_mature(rec.name, {}, rec.seq, path);
        auto const sp = rec.comment.find(' ');
        std::string const first = rec.comment.substr(0, sp);
        if (first.rfind("MIMAT", 0) == 0)
            m.accession = first;
        if (std::any_of(m.codes.begin() + 1,
                        m.codes.begin() + 8,
                        [](uint8_t c)
                        {
                            return c > 3;
                        }))
            throw input_error{path, rec.line, "miRNA '" + rec.name + "' has an ambiguous base in its seed (nt 2-8)"};
        out.push_back(std::move(m));
    }
    if (out.empty())
        throw input_error{path, "no sequences: not a FASTA file, or empty"};
    return out;
}

std::vector<literature_pair> const & builtin_literature_pairs()
{
    static std::vector<literature_pair> const pairs = []
    {
        std::string const origin = "builtin:catalogue/mirna_targets.tsv";
        std::vector<literature_pair> v;
        for_each_tsv_row(origin,
                         reference::bundled_file("catalogue/mirna_targets.tsv"),
                         {"mirna_as_written", "mirbase_v22_mature_ids", "target_as_written", "target_hgnc"},
                         [&](tsv_row const & r, uint64_t line)
                         {
                             for (auto id : split(r.get("mirbase_v22_mature_ids"), ";"))
                             {
                                 id = trim(id);
                                 if (id.empty())
                                     continue;
                                 literature_pair p;
                                 p.mirna_as_written = std::string{r.get("mirna_as_written")};
                                 p.mature = std::string{id};
                                 p.target_as_written = std::string{r.get("target_as_written")};
                                 p.gene = std::string{r.get("target_hgnc")};
                                 p.tumor = std::string{r.get("tumor")};
                                 p.drugs = std::string{r.get("drugs")};
                                 p.reference = std::string{r.get("original_reference")};
                                 p.pmid = std::string{r.get("pmid")};
                                 p.doi = std::string{r.get("doi")};
                                 p.validated_site_note = std::string{r.get("validated_site_note")};
                                 p.line = line;
                                 v.push_back(std::move(p));
                             }
                         });
        return v;
    }();
    return pairs;
}

namespace
{
struct mature_index
{
    std::map<std::string, uint32_t> by_key; // lower-case name, name without hsa-, upper-case accession
    std::vector<std::string> names;
    mature_index()
    {
        auto const & all = builtin_matures();
        for (uint32_t i = 0; i < all.size(); ++i)
        {
            by_key.emplace(ascii_lower(all[i].name), i);
            by_key.emplace(strip_hsa(all[i].name), i);
            if (!all[i].accession.empty())
                by_key.emplace(ascii_lower(all[i].accession), i);
            names.push_back(all[i].name);
        }
    }
    std::optional<uint32_t> find(std::string_view key) const
    {
        auto it = by_key.find(ascii_lower(key));
        if (it == by_key.end())
            it = by_key.find(strip_hsa(key));
        if (it == by_key.end())
            return std::nullopt;
        return it->second;
    }
};

mature_index const & index()
{
    static mature_index const idx;
    return idx;
}

// Resolve one name to bundled matures (several for "miR-221/222"); throws config_error.
std::vector<uint32_t> resolve_name(std::string const & name)
{
    auto const & idx = index();
    if (auto i = idx.find(name))
        return {*i};
    // as written in mirna_targets.tsv
    std::vector<uint32_t> out;
    std::string const name_lower = ascii_lower(name), name_bare = strip_hsa(name);
    for (auto const & p : builtin_literature_pairs())
        if (ascii_lower(p.mirna_as_written) == name_lower || strip_hsa(p.mirna_as_written) == name_bare)
            if (auto i = idx.find(p.mature); i && std::find(out.begin(), out.end(), *i) == out.end())
                out.push_back(*i);
    if (!out.empty())
        return out;
    // an arm-less name: one arm only is unambiguous
    std::vector<uint32_t> arms;
    for (char const * arm : {"-5p", "-3p"})
        if (auto i = idx.find(name + arm))
            arms.push_back(*i);
    if (arms.size() == 1)
        return arms;
    if (arms.size() == 2)
        throw config_error{"miRNA '" + name + "' is ambiguous: " + builtin_matures()[arms[0]].name + " or " +
                           builtin_matures()[arms[1]].name + "; name the arm (or use family:NAME)"};
    auto const close = closest_names(name, idx.names);
    std::string msg = "unknown miRNA '" + name +
                      "' (not a miRBase v22 human mature, a MIMAT accession, a file, or "
                      "all/default/seed:/family:)";
    if (!close.empty())
    {
        msg += "; closest: ";
        for (size_t i = 0; i < close.size(); ++i)
            msg += (i ? ", " : "") + close[i];
    }
    throw config_error{msg};
}

std::string normalise_seed(std::string_view s)
{
    std::string r;
    for (char ch : s)
    {
        uint8_t const c = dna_table[static_cast<unsigned char>(ch)];
        if (c > 3)
            throw config_error{"seed:" + std::string{s} + ": a seed is 7 nucleotides (miRNA nt 2-8) of A, C, G, U/T"};
        r.push_back("ACGU"[c]);
    }
    if (r.size() != 7)
        throw config_error{"seed:" + std::string{s} + ": a seed is 7 nucleotides (miRNA nt 2-8)"};
    return r;
}
} // namespace

std::vector<mature_mirna> default_mirnas()
{
    std::vector<mature_mirna> out;
    std::set<std::string> seen;
    for (auto const & p : builtin_literature_pairs())
    {
        if (!seen.insert(p.mature).second)
            continue;
        auto i = index().find(p.mature);
        if (!i)
            throw internal_error{"mirna_targets.tsv names " + p.mature + ", which is not a bundled mature"};
        out.push_back(builtin_matures()[*i]);
    }
    return out;
}

std::vector<std::string> closest_names(std::string_view name, std::vector<std::string> const & candidates, size_t n)
{
    std::string const key = strip_hsa(name);
    if (key.size() > 64) // no miRNA name is close to it, and the edit distances would cost 2,656 x its length x 20
        return {};
    std::vector<std::pair<size_t, std::string>> scored;
    scored.reserve(candidates.size());
    for (auto const & c : candidates)
        scored.emplace_back(edit_distance(key, strip_hsa(c)), c);
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> out;
    for (size_t i = 0; i < scored.size() && i < n; ++i)
        out.push_back(scored[i].second);
    return out;
}

std::vector<mature_mirna> resolve_mirnas(std::vector<std::string> const & items)
{
    std::vector<mature_mirna> out;
    std::map<std::string, size_t> by_name;
    auto add = [&](mature_mirna const & m)
    {
        auto [it, fresh] = by_name.emplace(m.name, out.size());
        if (fresh)
            out.push_back(m);
        else if (out[it->second].sequence != m.sequence)
            throw config_error{"miRNA " + m.name + " is given twice with different sequences (" +
                               out[it->second].origin + ", " + m.origin + ")"};
    };
    auto const & all = builtin_matures();
    bool any = false;
    for (auto const & raw : items)
    {
        std::string const item{trim(raw)};
        if (item.empty())
            continue;
        any = true;
        std::string const l = ascii_lower(item);
        if (l == "all")
            for (auto const & m : all)
                add(m);
        else if (l == "default" || l == "resistance")
            for (auto const & m : default_mirnas())
                add(m);
        else if (l.rfind("seed:", 0) == 0 || l.rfind("family:", 0) == 0)
        {
            std::string seed;
            if (l[0] == 's')
                seed = normalise_seed(item.substr(5));
            else
            {
                auto const ids = resolve_name(item.substr(7));
                if (ids.size() != 1)
                    throw config_error{item + ": names several miRNAs; use family: with one mature"};
                seed = all[ids[0]].seed();
            }
            size_t found = 0;
            for (auto const & m : all)
                if (m.seed() == seed)
                {
                    add(m);
                    ++found;
                }
            if (found == 0)
                throw config_error{item + ": no bundled mature has the seed " + seed};
        }
        // exists(item, ec), not exists(item): that throws for a name too long to be a path (found by fuzzing).
        else if (std::error_code ec; std::filesystem::exists(item, ec))
            for (auto const & m : read_mirna_fasta(item))
                add(m);
        else if (l.ends_with(".fa") || l.ends_with(".fasta") || l.ends_with(".fna") || l.ends_with(".gz"))
            throw config_error{"miRNA file '" + item + "' does not exist"};
        else
            for (uint32_t i : resolve_name(item))
                add(all[i]);
    }
    if (!any)
        return default_mirnas();
    return out;
}

// ---- UTRs -----------------------------------------------------------------------------------------------------

std::map<std::string, utr_annotation> parse_utr_annotation(std::string const & origin, std::string_view tsv)
{
    static std::regex const tx_re{R"((\S+) tx (\d+)\.\.(\d+))"};
    static std::regex const genome_re{
        R"((GRCh3[78]|hg19|hg38)\s+(\S+?):(\d+)-(\d+)\(([+-])\)(\s+for UTR (\d+)\.\.(\d+))?)"};
    std::map<std::string, utr_annotation> out;
    for_each_tsv_row(
        origin,
        tsv,
        {"utr", "gene"},
        [&](tsv_row const & r, uint64_t line)
        {
            std::string const name{r.get("utr")};
            if (name.empty())
                throw input_error{origin, line, "empty utr name"};
            utr_annotation a;
            a.gene = std::string{r.get("gene")};
            std::string const tx{r.get("transcript")};
            a.transcript = tx.substr(0, tx.find(' '));
            if (a.transcript == ".")
                a.transcript.clear();
            auto const len = r.get("length");
            if (!len.empty() && len != ".")
                a.length = to_int(len, origin, line, "length");
            a.note = std::string{r.get("genome_note")};
            std::smatch m;
            if (std::regex_search(a.note, m, tx_re))
            {
                int64_t const b = to_int(m[2].str(), origin, line, "transcript start");
                int64_t const e = to_int(m[3].str(), origin, line, "transcript end");
                if (e < b || (a.length > 0 && e - b + 1 != a.length))
                    throw input_error{origin, line, "transcript range " + m[0].str() + " does not match the length"};
                a.transcript = m[1].str();
                a.tx_first = b;
            }
            if (std::regex_search(a.note, m, genome_re))
            {
                genome_block g;
                g.build = m[1].str();
                g.chrom = m[2].str();
                g.start = to_int(m[3].str(), origin, line, "genome start");
                g.end = to_int(m[4].str(), origin, line, "genome end");
                g.strand = m[5].str()[0];
                if (m[6].matched)
                {
                    g.utr_first = to_int(m[7].str(), origin, line, "UTR start");
                    g.utr_last = to_int(m[8].str(), origin, line, "UTR end");
                }
                else
                {
                    g.utr_first = 1;
                    g.utr_last = g.end - g.start + 1;
                }
                if (g.end < g.start || g.end - g.start != g.utr_last - g.utr_first || g.utr_first < 1 ||
                    (a.length > 0 && g.utr_last > a.length))
                    throw input_error{origin, line, "genome range " + m[0].str() + " does not match the UTR length"};
                a.genome = g;
            }
            if (!out.emplace(name, std::move(a)).second)
                throw input_error{origin, line, "duplicate utr '" + name + "'"};
        });
    return out;
}

namespace
{
std::map<std::string, utr_annotation> const & builtin_annotation()
{
    static auto const a = parse_utr_annotation("builtin:panel/utr3.tsv", reference::bundled_file("panel/utr3.tsv"));
    return a;
}

std::string gene_from_description(std::string const & d)
{
    auto const p = d.find("gene=");
    if (p == std::string::npos)
        return {};
    auto const e = d.find_first_of(" \t;,", p + 5);
    return d.substr(p + 5, e == std::string::npos ? std::string::npos : e - p - 5);
}
} // namespace

std::vector<utr_sequence> builtin_utrs()
{
    std::string const origin = "builtin:panel/utr3.fa";
    auto const & ann = builtin_annotation();
    std::vector<utr_sequence> out;
    for (auto & r : parse_fasta_text(origin, reference::bundled_file("panel/utr3.fa")))
    {
        utr_sequence u;
        u.name = r.name;
        u.description = r.comment;
        encode_dna(r.seq, u.codes);
        auto it = ann.find(u.name);
        if (it == ann.end())
            throw internal_error{"bundled UTR " + u.name + " has no row in utr3.tsv"};
        if (it->second.length != static_cast<int64_t>(u.codes.size()))
            throw internal_error{"bundled UTR " + u.name + ": utr3.tsv length differs from utr3.fa"};
        u.annotation = it->second;
        u.annotated = true;
        out.push_back(std::move(u));
    }
    return out;
}

std::vector<utr_sequence> read_utr_fasta(std::string const & path,
                                         std::map<std::string, utr_annotation> const & annotation)
{
    io::sequence_reader reader{path};
    if (reader.format() == io::sequence_format::fastq)
        throw input_error{path, 1, "UTRs must be FASTA, not FASTQ"};
    std::vector<utr_sequence> out;
    std::set<std::string> seen;
    io::sequence_record rec;
    auto const & bundled = builtin_annotation();
    while (reader.read(rec))
    {
        if (!seen.insert(rec.name).second)
            throw input_error{path, rec.line, "duplicate sequence name '" + rec.name + "'"};
        if (rec.seq.empty())
            throw input_error{path, rec.line, "empty sequence '" + rec.name + "'"};
        utr_sequence u;
        u.name = rec.name;
        u.description = rec.comment;
        encode_dna(rec.seq, u.codes);
        auto const len = static_cast<int64_t>(u.codes.size());
        if (auto it = annotation.find(u.name); it != annotation.end())
        {
            if (it->second.length > 0 && it->second.length != len)
                throw input_error{path,
                                  rec.line,
                                  "'" + u.name + "' is " + std::to_string(len) + " nt but the UTR annotation says " +
                                      std::to_string(it->second.length)};
            u.annotation = it->second;
            u.annotated = true;
        }
        else if (auto jt = bundled.find(u.name); jt != bundled.end())
        {
            if (jt->second.length == len)
            {
                u.annotation = jt->second;
                u.annotated = true;
            }
            else
                u.annotation.gene = jt->second.gene;
        }
        if (u.annotation.gene.empty())
            u.annotation.gene = gene_from_description(u.description);
        if (u.annotation.gene.empty())
            u.annotation.gene = u.name;
        out.push_back(std::move(u));
    }
    if (out.empty())
        throw input_error{path, "no sequences: not a FASTA file, or empty"};
    return out;
}

std::vector<utr_sequence> select_genes(std::vector<utr_sequence> utrs, std::vector<std::string> const & genes)
{
    if (genes.empty())
        return utrs;
    std::map<std::string, std::string> alias{{"MDR1", "ABCB1"},
                                             {"P-GP", "ABCB1"},
                                             {"PGP", "ABCB1"},
                                             {"BCRP", "ABCG2"},
                                             {"MXR", "ABCG2"},
                                             {"ABCP", "ABCG2"},
                                             {"MRP1", "ABCC1"}};
    for (auto const & p : builtin_literature_pairs())
        for (auto part : split(p.target_as_written, "/"))
        {
            part = trim(part.substr(0, part.find(" (")));
            if (!part.empty() && !p.gene.empty())
                alias.emplace(upper(part), p.gene);
        }
    std::vector<bool> keep(utrs.size(), false);
    for (auto const & raw : genes)
    {
        std::string const g = upper(trim(raw));
        if (g.empty())
            continue;
        std::string const target = alias.count(g) ? alias[g] : g;
        bool found = false;
        for (size_t i = 0; i < utrs.size(); ++i)
            if (upper(utrs[i].annotation.gene) == target || upper(utrs[i].annotation.gene) == g ||
                upper(utrs[i].name) == g)
            {
                keep[i] = true;
                found = true;
            }
        if (!found)
        {
            std::string avail;
            for (auto const & u : utrs)
                avail += (avail.empty() ? "" : ", ") + u.annotation.gene + " (" + u.name + ")";
            throw config_error{"no UTR for gene '" + std::string{trim(raw)} + "'; available: " + avail};
        }
    }
    std::vector<utr_sequence> out;
    for (size_t i = 0; i < utrs.size(); ++i)
        if (keep[i])
            out.push_back(std::move(utrs[i]));
    return out;
}

// ---- provenance -----------------------------------------------------------------------------------------------

namespace
{
struct md5
{
    hts_md5_context * ctx = hts_md5_init();
    md5()
    {
        if (!ctx)
            throw internal_error{"hts_md5_init failed"};
    }
    ~md5()
    {
        hts_md5_destroy(ctx);
    }
    md5(md5 const &) = delete;
    md5 & operator=(md5 const &) = delete;
    void update(void const * data, size_t n)
    {
        hts_md5_update(ctx, data, static_cast<unsigned long>(n));
    }
    std::string hex()
    {
        unsigned char digest[16];
        char out[33];
        hts_md5_final(digest, ctx);
        hts_md5_hex(out, digest);
        return out;
    }
};
} // namespace

std::string md5_file(std::string const & path)
{
    std::ifstream in{path, std::ios::binary};
    if (!in)
        throw input_error{path, std::string{"cannot open: "} + std::strerror(errno)};
    md5 m;
    std::vector<char> buf(1 << 16);
    while (in)
    {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        m.update(buf.data(), static_cast<size_t>(in.gcount()));
    }
    if (in.bad())
        throw input_error{path, "read error"};
    return m.hex();
}

std::string md5_text(std::string_view text)
{
    md5 m;
    m.update(text.data(), text.size());
    return m.hex();
}

} // namespace chemores::mirna
