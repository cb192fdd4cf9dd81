#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/core/text.hpp>
#include <chemores/io/sequence_reader.hpp>
#include <chemores/reference/panel.hpp>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <htslib/hts.h>
#include <map>
#include <sstream>

namespace chemores::reference
{

namespace embedded
{
// Defined in the generated panel_data.cpp (see src/CMakeLists.txt).
extern std::string_view const transcripts_fa;
extern std::string_view const transcripts_tsv;
extern std::string_view const segments_tsv;
extern std::string_view const mirna_hairpins_fa;
extern std::string_view const mirna_matures_fa;
extern std::string_view const mirna_matures_tsv;
extern std::string_view const utr3_fa;
extern std::string_view const exons_tsv;
extern std::string_view const utr3_tsv;
extern std::string_view const mirna_targets_tsv;
} // namespace embedded

std::string_view bundled_file(std::string_view name)
{
    static std::pair<std::string_view, std::string_view const *> const files[]{
        {"panel/transcripts.fa", &embedded::transcripts_fa},
        {"panel/transcripts.tsv", &embedded::transcripts_tsv},
        {"panel/segments.tsv", &embedded::segments_tsv},
        {"panel/mirna_hairpins.fa", &embedded::mirna_hairpins_fa},
        {"panel/mirna_matures.fa", &embedded::mirna_matures_fa},
        {"panel/mirna_matures.tsv", &embedded::mirna_matures_tsv},
        {"panel/utr3.fa", &embedded::utr3_fa},
        {"panel/exons.tsv", &embedded::exons_tsv},
        {"panel/utr3.tsv", &embedded::utr3_tsv},
        {"catalogue/mirna_targets.tsv", &embedded::mirna_targets_tsv}};
    for (auto const & [n, data] : files)
        if (n == name)
            return *data;
    throw internal_error{"no bundled file '" + std::string{name} + "'"};
}

namespace
{

int64_t parse_int(std::string_view s, std::string const & origin, size_t line, std::string_view what)
{
    if (s == "." || s.empty())
        return 0;
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < 0)
        throw input_error{origin, line, "invalid " + std::string{what} + " '" + std::string{s} + "'"};
    return v;
}

// Iterate over the non-comment lines of a TSV after its header; calls f(fields, line_number).
template <typename F>
void for_each_row(std::string_view text, F && f)
{
    size_t line_no = 0;
    bool header_seen = false;
    for (auto line : split(text, "\n"))
    {
        ++line_no;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty() || line[0] == '#')
            continue;
        if (!header_seen)
        {
            header_seen = true;
            continue;
        }
        f(split(line, "\t"), line_no);
    }
}
} // namespace

panel panel::from_text(std::string const & origin,
                       std::string_view fasta,
                       std::string_view transcripts_tsv,
                       std::string_view segments_tsv)
{
    panel p;
    p.origin_ = origin;
    size_t line_no = 0;
    for (auto line : split(fasta, "\n"))
    {
        ++line_no;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty())
            continue;
        if (line[0] == '>')
        {
            contig c;
            auto const ws = line.find_first_of(" \t");
            c.name = std::string{line.substr(1, ws == std::string_view::npos ? std::string_view::npos : ws - 1)};
            if (ws != std::string_view::npos)
                c.description = std::string{line.substr(ws + 1)};
            p.contigs_.push_back(std::move(c));
            continue;
        }
        if (p.contigs_.empty())
            throw input_error{origin, line_no, "not FASTA: sequence before the first '>' header"};
        auto & seq = p.contigs_.back().seq;
        for (char ch : line)
        {
            uint8_t const code = dna_table[static_cast<unsigned char>(ch)];
            if (code == code_invalid)
                throw input_error{origin, line_no, std::string{"character '"} + ch + "' is not a nucleotide code"};
            seq.push_back(code);
        }
    }

    std::string const tx_origin = origin + " (transcripts.tsv)";
    for_each_row(transcripts_tsv, [&](std::vector<std::string_view> const & f, size_t ln) {
        if (f.size() < 7)
            throw input_error{tx_origin, ln, "expected at least 7 columns"};
        auto id = p.find(f[0]);
        if (!id)
            throw input_error{tx_origin, ln, "unknown contig '" + std::string{f[0]} + "'"};
        auto & c = p.contigs_[*id];
        c.gene = std::string{f[1]};
        c.kind = std::string{f[2]};
        c.cds_start = parse_int(f[4], tx_origin, ln, "cds_start");
        c.cds_end = parse_int(f[5], tx_origin, ln, "cds_end");
        c.junction_after = parse_int(f[6], tx_origin, ln, "junction_after");
    });

    std::string const seg_origin = origin + " (segments.tsv)";
    for_each_row(segments_tsv, [&](std::vector<std::string_view> const & f, size_t ln) {
        if (f.size() < 5)
            throw input_error{seg_origin, ln, "expected 5 columns"};
        auto c = p.find(f[0]);
        auto par = p.find(f[3]);
        if (!c || !par)
            throw input_error{seg_origin, ln, "unknown contig in segment"};
        alias_segment s;
        s.contig = *c;
        s.parent = *par;
        auto const & cs = p.contigs_[s.contig].seq;
        auto const & ps = p.contigs_[s.parent].seq;
        // 1-based inclusive, checked in 64 bits before narrowing: a start or parent_start of 0 (or ".") used to wrap
        // around to 0xffffffff and pass the bound check, and the comparison below then read outside the parent.
        int64_t const start = parse_int(f[1], seg_origin, ln, "start");
        int64_t const end = parse_int(f[2], seg_origin, ln, "end");
        int64_t const parent_start = parse_int(f[4], seg_origin, ln, "parent_start");
        auto const child_len = static_cast<int64_t>(cs.size()), parent_len = static_cast<int64_t>(ps.size());
        if (start < 1 || end < start || end > child_len || parent_start < 1 || end - start + 1 > parent_len ||
            parent_start - 1 > parent_len - (end - start + 1))
            throw input_error{seg_origin, ln,
                              "segment " + std::string{f[1]} + ".." + std::string{f[2]} + " (parent from " +
                                  std::string{f[4]} + ") lies outside " + std::string{f[0]} + " or " +
                                  std::string{f[3]}};
        s.start = static_cast<uint32_t>(start - 1);
        s.end = static_cast<uint32_t>(end);
        s.parent_start = static_cast<uint32_t>(parent_start - 1);
        if (!std::equal(cs.begin() + s.start, cs.begin() + s.end, ps.begin() + s.parent_start))
            throw input_error{seg_origin, ln, "segment sequence does not equal its parent"};
        p.segments_.push_back(s);
    });
    p.finish();
    return p;
}

panel panel::builtin(std::string_view name)
{
    if (name == "transcripts")
        return from_text("builtin:transcripts", embedded::transcripts_fa, embedded::transcripts_tsv,
                         embedded::segments_tsv);
    if (name == "mirna")
        return from_text("builtin:mirna", embedded::mirna_hairpins_fa, {}, {});
    throw config_error{"unknown built-in panel '" + std::string{name} + "'"};
}

panel panel::from_fasta(std::string const & path)
{
    panel p;
    p.origin_ = path;
    io::sequence_reader reader{path};
    if (reader.format() == io::sequence_format::fastq)
        throw input_error{path, 1, "the reference must be FASTA, not FASTQ"};
    io::sequence_record rec;
    std::map<std::string, uint64_t> seen;
    while (reader.read(rec))
    {
        if (!seen.emplace(rec.name, rec.line).second)
            throw input_error{path, rec.line, "duplicate sequence name '" + rec.name + "'"};
        contig c;
        c.name = rec.name;
        c.description = rec.comment;
        encode_dna(rec.seq, c.seq);
        if (c.seq.empty())
            throw input_error{path, rec.line, "empty sequence '" + rec.name + "'"};
        p.contigs_.push_back(std::move(c));
    }
    if (p.contigs_.empty())
        throw input_error{path, "not FASTA or contains no sequences"};
    p.finish();
    return p;
}

void panel::finish()
{
    hts_md5_context * ctx = hts_md5_init();
    if (!ctx)
        throw internal_error{"hts_md5_init failed"};
    std::string buf;
    for (auto const & c : contigs_)
    {
        buf.assign(c.name);
        buf.push_back('\n');
        for (auto x : c.seq)
            buf.push_back(code_to_char[x]);
        buf.push_back('\n');
        hts_md5_update(ctx, buf.data(), static_cast<unsigned long>(buf.size()));
    }
    unsigned char digest[16];
    hts_md5_final(digest, ctx);
    hts_md5_destroy(ctx);
    char hex[33];
    hts_md5_hex(hex, digest);
    checksum_ = hex;
}

std::optional<uint32_t> panel::find(std::string_view name) const
{
    for (uint32_t i = 0; i < contigs_.size(); ++i)
        if (contigs_[i].name == name)
            return i;
    return std::nullopt;
}

uint64_t panel::total_length() const
{
    uint64_t n = 0;
    for (auto const & c : contigs_)
        n += c.seq.size();
    return n;
}

std::optional<std::pair<uint32_t, uint32_t>> panel::project(uint32_t contig, uint32_t pos) const
{
    for (auto const & s : segments_)
        if (s.contig == contig && pos >= s.start && pos < s.end)
            return std::pair{s.parent, s.parent_start + (pos - s.start)};
    return std::nullopt;
}

void panel::write_fasta(std::string const & path) const
{
    std::ofstream out{path};
    for (auto const & c : contigs_)
    {
        out << '>' << c.name;
        if (!c.description.empty())
            out << ' ' << c.description;
        out << '\n';
        for (size_t i = 0; i < c.seq.size(); i += 60)
        {
            for (size_t j = i; j < std::min(c.seq.size(), i + 60); ++j)
                out << code_to_char[c.seq[j]];
            out << '\n';
        }
    }
    out.close();
    if (!out)
        throw output_error{"cannot write " + path};
}

} // namespace chemores::reference
