// The samples of `chemores call`: sample sheet and command-line inputs.

#include <chemores/call/samples.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/core/text.hpp>

#include <algorithm>
#include <fstream>
#include <htslib/sam.h>
#include <map>
#include <optional>
#include <set>
#include <unistd.h>

namespace chemores::call
{

namespace
{

namespace fs = std::filesystem;

bool is_alignment_file(std::string const & path)
{
    auto const l = ascii_lower(path);
    return l.ends_with(".bam") || l.ends_with(".cram") || l.ends_with(".sam") || l.ends_with(".sam.gz");
}

//!\brief "x_R1_001" -> ("x_R2_001", "x"), "x_1" -> ("x_2", "x"); nullopt if the name carries no read-1 mark.
std::optional<std::pair<std::string, std::string>> mate_of(std::string const & path)
{
    std::string const dir = fs::path{path}.parent_path().string();
    std::string const file = fs::path{path}.filename().string();
    for (std::string_view mark : {"_R1_", "_R1.", ".R1.", "_1.", ".1."})
    {
        auto const p = file.rfind(mark);
        if (p == std::string::npos)
            continue;
        std::string mate = file;
        mate[p + mark.size() - 2] = '2';
        std::string const name = file_stem(file.substr(0, p));
        return std::make_pair((dir.empty() ? "" : dir + "/") + mate, name);
    }
    return std::nullopt;
}

//!\brief The SM of the BAM's read groups if there is exactly one, else empty.
std::string sample_from_header(std::string const & path)
{
    if (::access(path.c_str(), R_OK) != 0) // reported by the caller's input checks, without htslib's own message
        return {};
    htsFile * fp = hts_open(path.c_str(), "r");
    if (!fp)
        return {};
    sam_hdr_t * h = sam_hdr_read(fp);
    std::set<std::string> names;
    if (h)
    {
        int const n = sam_hdr_count_lines(h, "RG");
        for (int i = 0; i < n; ++i)
        {
            kstring_t ks{0, 0, nullptr};
            if (sam_hdr_find_tag_pos(h, "RG", i, "SM", &ks) == 0)
                names.insert(std::string{ks.s, ks.l});
            free(ks.s);
        }
        sam_hdr_destroy(h);
    }
    hts_close(fp);
    return names.size() == 1 ? *names.begin() : std::string{};
}

bool is_control(char c)
{
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}

} // namespace

std::string file_stem(std::string const & path)
{
    std::string s = fs::path{path}.filename().string();
    for (std::string_view ext : {".gz", ".bgz", ".fq", ".fastq", ".fa", ".fasta", ".bam", ".cram", ".sam"})
        if (ascii_lower(s).ends_with(ext))
            s.resize(s.size() - ext.size());
    return s;
}

std::vector<sample_input> parse_sample_sheet(std::string const & origin, std::string_view text, fs::path const & base)
{
    auto resolve = [&](std::string const & p) -> std::string {
        if (p.empty() || p == "." || p == "NA")
            return {};
        fs::path const q{p};
        return q.is_absolute() || base.empty() ? p : (base / q).string();
    };
    std::map<std::string, size_t> col;
    size_t columns = 0;
    std::map<std::string, uint64_t> names; // sample -> line
    std::vector<sample_input> out;
    uint64_t n = 0;
    for (size_t pos = 0; pos < text.size();)
    {
        size_t const eol = std::min(text.find('\n', pos), text.size());
        std::string_view line = text.substr(pos, eol - pos);
        pos = eol + 1;
        ++n;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.find('\r') != std::string_view::npos)
            throw input_error{origin, n, "a CR inside the line: lines that end in CR only (classic Mac text)? Save "
                                         "the sheet as tab-separated text with LF or CRLF line ends"};
        if (line.empty() || line[0] == '#')
            continue;
        if (std::any_of(line.begin(), line.end(), [](char c) { return c != '\t' && is_control(c); }))
            throw input_error{origin, n, "not a text sample sheet (binary data or control characters); give a TSV "
                                         "with a header: sample, fastq_1, fastq_2 and/or bam"};
        auto const f = split(line, "\t");
        if (std::all_of(f.begin(), f.end(), [](std::string_view x) { return trim(x).empty(); }))
            continue; // a row of empty cells (spreadsheet export)
        if (col.empty())
        {
            for (size_t i = 0; i < f.size(); ++i)
            {
                std::string const name{trim(f[i])};
                if (name.empty())
                    continue;
                bool const ours = name == "sample" || name == "bam" || name == "fastq_1" || name == "fastq_2";
                if (!col.emplace(name, i).second && ours)
                    throw input_error{origin, n, "the header names column '" + name + "' twice"};
            }
            columns = f.size();
            if (!col.contains("sample"))
                throw input_error{origin, n, "the header must name a 'sample' column (then fastq_1, fastq_2 or bam)"};
            if (!col.contains("bam") && !col.contains("fastq_1"))
                throw input_error{origin, n, "the header must have a 'bam' or a 'fastq_1' column"};
            continue;
        }
        // Cells past the header's are an error unless empty (a spreadsheet's trailing tabs).
        for (size_t i = columns; i < f.size(); ++i)
            if (!trim(f[i]).empty())
                throw input_error{origin, n, "the row has " + std::to_string(f.size()) + " cells, the header " +
                                                 std::to_string(columns) + " (cell " + std::to_string(i + 1) +
                                                 " is '" + std::string{trim(f[i])} + "')"};
        auto get = [&](char const * name) -> std::string {
            auto it = col.find(name);
            return it == col.end() || it->second >= f.size() ? std::string{} : std::string{trim(f[it->second])};
        };
        sample_input s;
        s.name = get("sample");
        s.origin = origin + " line " + std::to_string(n);
        if (s.name.empty())
            throw input_error{origin, n, "empty sample name"};
        if (s.name.find_first_of(" \t/\\") != std::string::npos || s.name == "." || s.name == "..")
            throw input_error{origin, n, "sample name '" + s.name + "' contains a space or a slash, or is . or .."};
        if (auto const [it, fresh] = names.emplace(s.name, n); !fresh)
            throw input_error{origin, n, "sample '" + s.name + "' is named again (first on line " +
                                             std::to_string(it->second) + ")"};
        s.bam = resolve(get("bam"));
        std::string fq1 = resolve(get("fastq_1")), fq2 = resolve(get("fastq_2"));
        if (!fq2.empty() && fq1.empty())
            throw input_error{origin, n, "fastq_2 without fastq_1 for sample '" + s.name + "'"};
        for (auto * p : {&fq1, &fq2})
            if (!p->empty())
                s.fastq.push_back(std::move(*p));
        if (s.bam.empty() == s.fastq.empty())
            throw input_error{origin, n, "give either bam or fastq_1 [fastq_2] for sample '" + s.name + "'"};
        out.push_back(std::move(s));
    }
    if (col.empty())
        throw input_error{origin, "empty sample sheet (no header line)"};
    if (out.empty())
        throw input_error{origin, "the sample sheet lists no samples"};
    return out;
}

std::vector<sample_input> read_sample_sheet(std::string const & path)
{
    std::error_code ec;
    if (fs::is_directory(path, ec))
        throw input_error{path, "is a directory, not a sample sheet"};
    std::ifstream in{path, std::ios::binary};
    if (!in)
        throw input_error{path, "cannot open the sample sheet"};
    std::string text;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0)
        text.append(buf, static_cast<size_t>(in.gcount()));
    if (in.bad())
        throw input_error{path, "cannot read the sample sheet"};
    return parse_sample_sheet(path, text, fs::path{path}.parent_path());
}

std::vector<sample_input> samples_from_arguments(std::vector<std::string> const & inputs)
{
    std::vector<sample_input> out;
    std::vector<std::string> fastq;
    for (auto const & f : inputs)
    {
        if (is_alignment_file(f))
        {
            auto name = sample_from_header(f);
            out.push_back({name.empty() ? file_stem(f) : name, f, {}, "command line"});
        }
        else
            fastq.push_back(f);
    }
    if (fastq.size() == 1)
        out.push_back({file_stem(fastq[0]), {}, fastq, "command line"});
    else if (fastq.size() == 2 && !mate_of(fastq[0]))
    {
        // Two FASTQ files without R1/R2 marks: one paired sample, named by their common prefix.
        auto const a = file_stem(fastq[0]), b = file_stem(fastq[1]);
        size_t n = 0;
        while (n < a.size() && n < b.size() && a[n] == b[n])
            ++n;
        std::string name = a.substr(0, n);
        while (!name.empty() && (name.back() == '_' || name.back() == '.' || name.back() == '-'))
            name.pop_back();
        out.push_back({name.empty() ? a : name, {}, fastq, "command line"});
    }
    else if (!fastq.empty())
    {
        std::set<std::string> used;
        for (auto const & f : fastq)
        {
            if (used.contains(f))
                continue;
            auto const m = mate_of(f);
            if (!m)
            {
                if (std::any_of(fastq.begin(), fastq.end(), [&](std::string const & g) {
                        auto const mg = mate_of(g);
                        return mg && mg->first == f;
                    }))
                    continue; // f is the R2 of another file
                throw config_error{"cannot tell which FASTQ files are mates: " + f +
                                   " has no _R1/_1 mark; give one sample per run or a --samples sheet"};
            }
            if (std::find(fastq.begin(), fastq.end(), m->first) == fastq.end())
                throw config_error{"the mate of " + f + " (" + m->first + ") is not among the inputs"};
            used.insert(f);
            used.insert(m->first);
            out.push_back({m->second, {}, {f, m->first}, "command line"});
        }
    }
    return out;
}

} // namespace chemores::call
