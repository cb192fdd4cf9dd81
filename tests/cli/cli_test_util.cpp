#include "cli_test_util.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <htslib/sam.h>
#include <random>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace chemores::test
{

temp_dir::temp_dir()
{
    static int counter = 0;
    path = fs::temp_directory_path() / ("chemores_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
}

temp_dir::~temp_dir()
{
    std::error_code ec;
    fs::remove_all(path, ec);
}

run_result run(std::string const & command, fs::path const & dir)
{
    std::string const out = (dir / ".stdout").string(), err = (dir / ".stderr").string();
    std::string const full = "cd '" + dir.string() + "' && (" + command + ") >'" + out + "' 2>'" + err + "'";
    int const raw = std::system(full.c_str());
    run_result r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    r.out = read_file(out);
    r.err = read_file(err);
    fs::remove(out);
    fs::remove(err);
    return r;
}

void write_file(std::string const & path, std::string const & content)
{
    std::ofstream o{path, std::ios::binary};
    o << content;
}

std::string read_file(std::string const & path)
{
    std::ifstream in{path, std::ios::binary};
    return {std::istreambuf_iterator<char>{in}, {}};
}

std::vector<std::string> split(std::string const & s, char sep)
{
    std::vector<std::string> out;
    if (s.empty())
        return out;
    for (size_t start = 0;;)
    {
        size_t const end = s.find(sep, start);
        out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos)
            return out;
        start = end + 1;
    }
}

std::vector<std::string> lines_of(std::string const & text)
{
    auto lines = split(text, '\n');
    if (!lines.empty() && lines.back().empty())
        lines.pop_back();
    return lines;
}

tsv_table parse_tsv(std::string const & text)
{
    tsv_table t;
    auto const lines = lines_of(text);
    if (lines.empty())
    {
        ADD_FAILURE() << "empty table";
        return t;
    }
    t.header = split(lines[0], '\t');
    for (size_t i = 1; i < lines.size(); ++i)
    {
        if (lines[i].empty())
        {
            ADD_FAILURE() << "blank line " << i + 1 << " in a table";
            continue;
        }
        auto const f = split(lines[i], '\t');
        EXPECT_EQ(f.size(), t.header.size()) << "line " << i + 1 << ": " << lines[i];
        std::map<std::string, std::string> row;
        for (size_t k = 0; k < f.size() && k < t.header.size(); ++k)
            row[t.header[k]] = f[k];
        t.rows.push_back(std::move(row));
    }
    return t;
}

std::vector<std::map<std::string, std::string>> read_tsv(std::string const & path)
{
    if (!fs::exists(path))
    {
        ADD_FAILURE() << "missing table " << path;
        return {};
    }
    return parse_tsv(read_file(path)).rows;
}

sam_file read_alignments(std::string const & path)
{
    sam_file f;
    samFile * fp = sam_open(path.c_str(), "r");
    if (!fp)
        throw std::runtime_error{"cannot open " + path};
    sam_hdr_t * h = sam_hdr_read(fp);
    if (!h)
        throw std::runtime_error{"no header in " + path};
    f.header = sam_hdr_str(h);
    bam1_t * b = bam_init1();
    int r;
    while ((r = sam_read1(fp, h, b)) >= 0)
    {
        sam_record s;
        s.qname = bam_get_qname(b);
        s.flag = b->core.flag;
        s.rname = b->core.tid >= 0 ? sam_hdr_tid2name(h, b->core.tid) : "*";
        s.pos = b->core.pos + 1;
        s.mapq = b->core.qual;
        for (uint32_t i = 0; i < b->core.n_cigar; ++i)
            s.cigar += std::to_string(bam_cigar_oplen(bam_get_cigar(b)[i])) + bam_cigar_opchr(bam_get_cigar(b)[i]);
        if (s.cigar.empty())
            s.cigar = "*";
        s.rnext = b->core.mtid >= 0 ? sam_hdr_tid2name(h, b->core.mtid) : "*";
        s.pnext = b->core.mpos + 1;
        s.tlen = b->core.isize;
        for (int32_t i = 0; i < b->core.l_qseq; ++i)
            s.seq += seq_nt16_str[bam_seqi(bam_get_seq(b), i)];
        if (uint8_t * a = bam_aux_get(b, "NM"))
            s.nm = bam_aux2i(a);
        if (uint8_t * a = bam_aux_get(b, "AS"))
            s.as = bam_aux2i(a);
        if (uint8_t * a = bam_aux_get(b, "XS"))
            s.xs = bam_aux2i(a);
        if (uint8_t * a = bam_aux_get(b, "MD"))
            s.md = bam_aux2Z(a);
        if (uint8_t * a = bam_aux_get(b, "RG"))
            s.rg = bam_aux2Z(a);
        f.records.push_back(std::move(s));
    }
    bam_destroy1(b);
    sam_hdr_destroy(h);
    sam_close(fp);
    if (r < -1)
        throw std::runtime_error{"truncated alignment file " + path};
    return f;
}

std::vector<std::string> list_dir(fs::path const & dir)
{
    std::vector<std::string> v;
    for (auto const & e : fs::directory_iterator(dir))
        v.push_back(e.path().filename().string());
    std::sort(v.begin(), v.end());
    return v;
}

std::string bin()
{
    return CHEMORES_BIN;
}
std::string simreads()
{
    return SIMREADS_BIN;
}
std::string panel_dir()
{
    return CHEMORES_PANEL_DIR;
}
std::string test_data()
{
    return CHEMORES_TEST_DATA;
}

} // namespace chemores::test
