// CLI tests of `chemores annotate`: simulated amplicons (T315I in exactly 20 % of molecules, E255V in 10 %) plus
// e14a2 junction reads, aligned with `chemores align`, lifted to GRCh38 with liftbam; hand-written records for the
// per-read rules; bad inputs in a batch. The written BAMs are read back with htslib, and which reads must carry a tag
// is computed here, independently, from each record's own CIGAR, sequence and qualities.

#include "../cli_test_util.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <htslib/sam.h>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using namespace chemores::test;

namespace
{
std::string const C = bin();

// ---- reading BAMs back --------------------------------------------------------------------------------------------

//!\brief One record as SAM text: the 11 mandatory fields and the aux fields ("XM:Z:...") in their order.
struct rec
{
    std::vector<std::string> f; // QNAME FLAG RNAME POS MAPQ CIGAR RNEXT PNEXT TLEN SEQ QUAL
    std::vector<std::string> aux;

    std::string core() const
    {
        std::string s;
        for (auto const & x : f)
            s += x + '\t';
        return s;
    }
    int flag() const
    {
        return std::stoi(f[1]);
    }
    bool primary() const
    {
        return (flag() & (0x100 | 0x800)) == 0;
    }
    //!\brief The value of a Z tag, or nullopt.
    std::optional<std::string> tag(std::string const & name) const
    {
        for (auto const & a : aux)
            if (a.compare(0, 3, name + ":") == 0)
                return a.substr(5);
        return std::nullopt;
    }
    //!\brief The aux fields without the given tags.
    std::vector<std::string> aux_without(std::set<std::string> const & names) const
    {
        std::vector<std::string> out;
        for (auto const & a : aux)
            if (!names.contains(a.substr(0, 2)))
                out.push_back(a);
        return out;
    }
};

struct bam_contents
{
    std::string header;
    std::vector<rec> records;
    bool ok = true; // read to the end without error
};

bam_contents read_bam(std::string const & path)
{
    bam_contents c;
    samFile * fp = sam_open(path.c_str(), "r");
    if (!fp)
    {
        ADD_FAILURE() << "cannot open " << path;
        c.ok = false;
        return c;
    }
    sam_hdr_t * h = sam_hdr_read(fp);
    if (!h)
    {
        ADD_FAILURE() << "no header in " << path;
        sam_close(fp);
        c.ok = false;
        return c;
    }
    c.header = sam_hdr_str(h);
    bam1_t * b = bam_init1();
    kstring_t ks{0, 0, nullptr};
    int r;
    while ((r = sam_read1(fp, h, b)) >= 0)
    {
        ks.l = 0;
        if (sam_format1(h, b, &ks) < 0)
        {
            c.ok = false;
            break;
        }
        rec x;
        std::stringstream ss{std::string{ks.s, ks.l}};
        std::string field;
        for (int i = 0; std::getline(ss, field, '\t'); ++i)
            (i < 11 ? x.f : x.aux).push_back(field);
        c.records.push_back(std::move(x));
    }
    if (r < -1)
        c.ok = false;
    free(ks.s);
    bam_destroy1(b);
    sam_hdr_destroy(h);
    sam_close(fp);
    return c;
}

// ---- the truth, computed from a record's own fields ---------------------------------------------------------------

//!\brief The three bases a record shows at 0-based reference positions p (each aligned by M/=/X, none deleted or
//!       skipped, no insertion between two adjacent ones, every base quality >= min_bq); nullopt otherwise.
std::optional<std::string> codon_of(rec const & r, std::array<int64_t, 3> const & p, int min_bq)
{
    if ((r.flag() & 0x4) || r.f[5] == "*" || r.f[9] == "*")
        return std::nullopt;
    std::map<int64_t, int64_t> query_at; // reference position -> query index (aligned bases only)
    std::set<int64_t> covered_other;     // deleted or skipped reference positions
    std::set<int64_t> insertion_after;
    int64_t ref = std::stoll(r.f[3]) - 1, q = 0;
    std::string const & cigar = r.f[5];
    size_t i = 0;
    while (i < cigar.size())
    {
        size_t j = i;
        while (std::isdigit(static_cast<unsigned char>(cigar[j])))
            ++j;
        int64_t const len = std::stoll(cigar.substr(i, j - i));
        char const op = cigar[j];
        i = j + 1;
        for (int64_t k = 0; k < len; ++k)
        {
            if (op == 'M' || op == '=' || op == 'X')
                query_at[ref++] = q++;
            else if (op == 'D' || op == 'N')
                covered_other.insert(ref++);
            else if (op == 'I')
            {
                if (k == 0)
                    insertion_after.insert(ref - 1);
                ++q;
            }
            else if (op == 'S')
                ++q;
        }
    }
    std::string codon;
    for (int k = 0; k < 3; ++k)
    {
        auto const it = query_at.find(p[static_cast<size_t>(k)]);
        if (it == query_at.end())
            return std::nullopt;
        if (r.f[10] != "*" && r.f[10][static_cast<size_t>(it->second)] - 33 < min_bq)
            return std::nullopt;
        if (r.f[10] == "*" && min_bq > 0)
            return std::nullopt;
        codon += r.f[9][static_cast<size_t>(it->second)];
        if (k < 2 && p[static_cast<size_t>(k) + 1] == p[static_cast<size_t>(k)] + 1 &&
            insertion_after.contains(p[static_cast<size_t>(k)]))
            return std::nullopt;
    }
    return codon;
}

//!\brief Does the record align, gap-free, over [j - anchor, j + anchor) (0-based)?
bool spans_junction(rec const & r, int64_t j, int anchor)
{
    if ((r.flag() & 0x4) || r.f[5] == "*")
        return false;
    int64_t ref = std::stoll(r.f[3]) - 1, block = -1;
    std::string const & cigar = r.f[5];
    size_t i = 0;
    while (i < cigar.size())
    {
        size_t k = i;
        while (std::isdigit(static_cast<unsigned char>(cigar[k])))
            ++k;
        int64_t const len = std::stoll(cigar.substr(i, k - i));
        char const op = cigar[k];
        i = k + 1;
        if (op == 'M' || op == '=' || op == 'X')
        {
            if (block < 0)
                block = ref;
            ref += len;
            if (block <= j - anchor && ref >= j + anchor)
                return true;
        }
        else if (op == 'D' || op == 'N')
        {
            ref += len;
            block = -1;
        }
        else if (op == 'I')
            block = -1;
    }
    return false;
}

//!\brief Split a comma-separated tag value.
std::vector<std::string> split_commas(std::string const & s)
{
    std::vector<std::string> v;
    std::stringstream ss{s};
    for (std::string x; std::getline(ss, x, ',');)
        v.push_back(x);
    return v;
}

// ---- the panel ------------------------------------------------------------------------------------------------------

std::map<std::string, std::string> const & panel_fasta()
{
    static std::map<std::string, std::string> const seqs = []
    {
        std::map<std::string, std::string> m;
        std::ifstream in{panel_dir() + "/transcripts.fa"};
        std::string line, name;
        while (std::getline(in, line))
        {
            if (line.empty())
                continue;
            if (line[0] == '>')
            {
                name = line.substr(1, line.find_first_of(" \t") - 1);
                m[name];
            }
            else
                for (char c : line)
                    m[name] += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        return m;
    }();
    return seqs;
}

//!\brief The panel contigs in FASTA order (name, length), for @SQ lines.
std::vector<std::pair<std::string, size_t>> panel_contigs()
{
    std::vector<std::pair<std::string, size_t>> v;
    std::ifstream in{panel_dir() + "/transcripts.fa"};
    std::string line;
    while (std::getline(in, line))
        if (!line.empty() && line[0] == '>')
        {
            auto const name = line.substr(1, line.find_first_of(" \t") - 1);
            v.emplace_back(name, panel_fasta().at(name).size());
        }
    return v;
}

//!\brief Write SAM text as BAM with htslib.
void sam_to_bam(std::string const & sam_text, std::string const & bam_path)
{
    std::string const sam_path = bam_path + ".src.sam";
    write_file(sam_path, sam_text);
    samFile * in = sam_open(sam_path.c_str(), "r");
    ASSERT_NE(in, nullptr);
    sam_hdr_t * h = sam_hdr_read(in);
    ASSERT_NE(h, nullptr);
    samFile * out = sam_open(bam_path.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    ASSERT_EQ(sam_hdr_write(out, h), 0);
    bam1_t * b = bam_init1();
    int r;
    while ((r = sam_read1(in, h, b)) >= 0)
        ASSERT_GE(sam_write1(out, h, b), 0);
    ASSERT_EQ(r, -1) << "bad SAM text";
    bam_destroy1(b);
    sam_hdr_destroy(h);
    sam_close(in);
    ASSERT_EQ(sam_close(out), 0);
    fs::remove(sam_path);
}

// Codon 315 of NM_005157.6 (c.1 = tx 194): 0-based transcript positions 1135..1137, reference ACT, T315I = ATT.
constexpr std::array<int64_t, 3> t315{1135, 1136, 1137};
// Codon 255: 0-based 955..957, GAG; E255V = GTG (c.764A>T, tx 957).
constexpr std::array<int64_t, 3> e255{955, 956, 957};
// BCR-ABL1_e14a2: junction after tx 3234 (0-based first ABL1 base 3234).
constexpr int64_t e14a2_junction = 3234;

// ---- shared data: simulated, aligned, lifted once for the whole suite -----------------------------------------------

struct shared_data
{
    temp_dir dir;
    std::string panel_bam, genome_bam;
};

shared_data & data()
{
    static std::unique_ptr<shared_data> d = []
    {
        auto s = std::make_unique<shared_data>();
        auto & t = s->dir;
        auto check = [&](std::string const & cmd)
        {
            auto const r = run(cmd, t.path);
            if (r.status != 0)
                throw std::runtime_error{cmd + " failed: " + r.err};
        };
        // 700 amplicon pairs over codons 255 and 315 (T315I in exactly 20 % of the molecules covering it, E255V in
        // 10 %) and 60 e14a2 junction pairs.
        check(simreads() + " --fasta " + panel_dir() +
              "/transcripts.fa --contig NM_005157.6 --amplicons 852-1151,1062-1361 -n 700 --length 150 --sub 0.002 "
              "--indel 0.0005 --seed 21 --exact-fraction --variant NM_005157.6:1137:T:0.2 "
              "--variant NM_005157.6:957:T:0.1 --prefix a -1 a_R1.fq -2 a_R2.fq");
        check(simreads() + " --fasta " + panel_dir() +
              "/transcripts.fa --contig BCR-ABL1_e14a2:3000-3500 --cross 3234 --min-anchor 20 -n 60 --seed 22 "
              "--prefix j -1 j_R1.fq -2 j_R2.fq");
        check("cat a_R1.fq j_R1.fq > s_R1.fq && cat a_R2.fq j_R2.fq > s_R2.fq");
        check(C + " align --sort --write-index -o sample1.bam -R '@RG\\tID:s1\\tSM:patient1' s_R1.fq s_R2.fq");
        check(std::string{LIFTBAM_BIN} + " sample1.bam genome1.bam GRCh38");
        s->panel_bam = t / "sample1.bam";
        s->genome_bam = t / "genome1.bam";
        return s;
    }();
    return *d;
}

void copy_into(temp_dir const & d, std::string const & from, std::string const & name)
{
    fs::copy_file(from, d / name, fs::copy_options::overwrite_existing);
}

//!\brief Expect `out` to hold every record of `in` in the same order, identical but for the annotation tags.
void expect_same_records_but_tags(bam_contents const & in, bam_contents const & out, std::set<std::string> const & ours)
{
    ASSERT_TRUE(in.ok);
    ASSERT_TRUE(out.ok);
    ASSERT_EQ(in.records.size(), out.records.size());
    for (size_t i = 0; i < in.records.size(); ++i)
    {
        ASSERT_EQ(in.records[i].core(), out.records[i].core()) << "record " << i;
        ASSERT_EQ(in.records[i].aux_without(ours), out.records[i].aux_without(ours)) << "record " << i;
    }
    // Header: the input's lines, in order, plus new @PG line(s) (htslib places them after the last @PG).
    auto const hin = lines_of(in.header);
    std::vector<std::string> hout, added;
    for (auto const & l : lines_of(out.header))
        (l.starts_with("@PG\tID:chemores-annotate") && std::find(hin.begin(), hin.end(), l) == hin.end() ? added : hout)
            .push_back(l);
    EXPECT_EQ(hin, hout);
    EXPECT_LE(added.size(), 1u);
}

//!\brief An ABL1 catalogue entry: its codon's three 0-based NM_005157.6 positions and the codons its HGVS c. routes
//!       produce, derived here from `chemores catalogue list` and the panel FASTA.
struct abl1_entry
{
    std::string label; // "ABL1:p.T315I"
    std::array<int64_t, 3> pos{};
    std::set<std::string> alt_codons;
};

std::vector<abl1_entry> abl1_entries(std::string const & nm)
{
    temp_dir d;
    auto r = run(C + " catalogue list", d.path);
    EXPECT_EQ(r.status, 0) << r.err;
    constexpr int64_t cds_start = 194; // NM_005157.6 c.1, 1-based
    std::vector<abl1_entry> out;
    auto const ls = lines_of(r.out);
    for (size_t i = 1; i < ls.size(); ++i)
    {
        std::vector<std::string> f;
        std::stringstream ss{ls[i]};
        for (std::string x; std::getline(ss, x, '\t');)
            f.push_back(x);
        if (f.at(1) != "ABL1")
            continue;
        abl1_entry e;
        e.label = "ABL1:p." + f[0].substr(5);
        std::stringstream routes{f[2]};
        for (std::string route; std::getline(routes, route, '|');)
        {
            // c.944C>T or c.944_945delinsTG
            size_t const a = 2, a_end = route.find_first_not_of("0123456789", a);
            int64_t const first = std::stoll(route.substr(a, a_end - a));
            std::string alt;
            if (auto const gt = route.find('>'); gt != std::string::npos)
                alt = route.substr(gt + 1);
            else
                alt = route.substr(route.find("delins") + 6);
            int64_t const codon_first_c = (first - 1) / 3 * 3 + 1;
            int64_t const start = cds_start - 1 + codon_first_c - 1; // 0-based on the transcript
            e.pos = {start, start + 1, start + 2};
            std::string codon = nm.substr(static_cast<size_t>(start), 3);
            codon.replace(static_cast<size_t>(first - codon_first_c), alt.size(), alt);
            e.alt_codons.insert(codon);
        }
        out.push_back(e);
    }
    return out;
}

//!\brief The catalogue ids in catalogue order ("ABL1:T315I"), from `chemores catalogue list`.
std::vector<std::string> catalogue_ids()
{
    temp_dir d;
    auto r = run(C + " catalogue list", d.path);
    EXPECT_EQ(r.status, 0) << r.err;
    std::vector<std::string> ids;
    auto const ls = lines_of(r.out);
    for (size_t i = 1; i < ls.size(); ++i)
        ids.push_back(ls[i].substr(0, ls[i].find('\t')));
    return ids;
}

} // namespace

// A simulated panel BAM: exactly the reads whose own bases show ATT at codon 315 (GTG at 255) are tagged, no
// wild-type read is; records, order, other tags and header are kept; @PG, index and summary are right; the junction
// reads carry the fusion type.
TEST(annotate, panel_bam_tags_exactly_the_mutant_reads)
{
    temp_dir d;
    copy_into(d, data().panel_bam, "sample1.bam");
    copy_into(d, data().panel_bam + ".bai", "sample1.bam.bai");
    auto const r = run(C + " annotate -o out sample1.bam", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(list_dir(d.path / "out"),
              (std::vector<std::string>{"annotate_summary.tsv", "sample1.annotated.bam", "sample1.annotated.bam.bai"}));

    auto const in = read_bam(d / "sample1.bam");
    auto const out = read_bam(d / "out/sample1.annotated.bam");
    expect_same_records_but_tags(in, out, {"XM", "XJ"});
    auto const & nm = panel_fasta().at("NM_005157.6");
    ASSERT_EQ(nm.substr(1135, 3), "ACT");
    ASSERT_EQ(nm.substr(955, 3), "GAG");

    // The truth from each record's own bases, for every ABL1 catalogue entry (sequencing errors make a few others).
    auto const entries = abl1_entries(nm);
    ASSERT_GE(entries.size(), 40u);
    uint64_t t315i = 0, wt315 = 0, e255v = 0, primary_tagged = 0, junction = 0, junction_primary = 0, others = 0;
    for (auto const & x : out.records)
    {
        std::set<std::string> expected;
        if (x.f[2] == "NM_005157.6")
        {
            for (auto const & e : entries)
                if (auto const c = codon_of(x, e.pos, 20); c && e.alt_codons.contains(*c))
                    expected.insert(e.label);
            auto const c315 = codon_of(x, t315, 20);
            t315i += c315 == "ATT";
            wt315 += c315 == "ACT";
            e255v += codon_of(x, e255, 20) == "GTG";
            others += std::count_if(expected.begin(),
                                    expected.end(),
                                    [](std::string const & m)
                                    {
                                        return m != "ABL1:p.T315I" && m != "ABL1:p.E255V";
                                    });
            EXPECT_EQ(expected.contains("ABL1:p.T315I"), codon_of(x, t315, 20) == "ATT");
        }
        auto const tag = x.tag("XM");
        std::set<std::string> got;
        if (tag)
            for (auto const & m : split_commas(*tag))
                got.insert(m);
        if (x.f[2] == "NM_005157.6")
            EXPECT_EQ(got, expected) << x.core();
        else
            EXPECT_TRUE(got.empty()) << "no catalogue codon is simulated off NM_005157.6: " << x.core();
        if (tag && x.primary())
            ++primary_tagged;
        bool const spans = x.f[2] == "BCR-ABL1_e14a2" && spans_junction(x, e14a2_junction, 10);
        EXPECT_EQ(x.tag("XJ"), spans ? std::optional<std::string>{"e14a2"} : std::nullopt) << x.core();
        junction += spans;
        junction_primary += spans && x.primary();
    }
    // Exactly 20 % of the molecules carry T315I; one read per molecule covers codon 315.
    ASSERT_GT(t315i + wt315, 500u);
    EXPECT_NEAR(static_cast<double>(t315i) / static_cast<double>(t315i + wt315), 0.2, 0.03);
    EXPECT_GT(e255v, 30u);
    EXPECT_GE(junction, 40u); // 60 pairs crossing the junction: about one mate of each spans it with 10 bases
    EXPECT_LT(others, 40u) << "other entries only through sequencing errors (0.2 %)";

    // @PG with the command line.
    EXPECT_NE(out.header.find("@PG\tID:chemores-annotate\t"), std::string::npos) << out.header;
    EXPECT_NE(out.header.find("CL:" + C + " annotate -o out sample1.bam"), std::string::npos) << out.header;
    // The index loads and answers a query on the T315 codon.
    {
        samFile * fp = sam_open((d / "out/sample1.annotated.bam").c_str(), "r");
        ASSERT_NE(fp, nullptr);
        sam_hdr_t * h = sam_hdr_read(fp);
        hts_idx_t * idx = sam_index_load(fp, (d / "out/sample1.annotated.bam").c_str());
        ASSERT_NE(idx, nullptr);
        hts_itr_t * itr = sam_itr_querys(idx, h, "NM_005157.6:1136-1138");
        ASSERT_NE(itr, nullptr);
        bam1_t * b = bam_init1();
        int n = 0, tagged = 0;
        while (sam_itr_next(fp, itr, b) >= 0)
        {
            ++n;
            tagged += bam_aux_get(b, "XM") != nullptr;
        }
        EXPECT_GT(n, 500);
        EXPECT_GT(tagged, 100);
        bam_destroy1(b);
        hts_itr_destroy(itr);
        hts_idx_destroy(idx);
        sam_hdr_destroy(h);
        sam_close(fp);
    }
    // The summary row.
    auto const rows = read_tsv(d / "out/annotate_summary.tsv");
    ASSERT_EQ(rows.size(), 1u);
    auto const & row = rows[0];
    EXPECT_EQ(row.at("input"), "sample1.bam");
    EXPECT_EQ(row.at("output"), "out/sample1.annotated.bam");
    EXPECT_EQ(row.at("index"), "out/sample1.annotated.bam.bai");
    EXPECT_EQ(row.at("sample"), "patient1");
    EXPECT_EQ(row.at("status"), "ok");
    EXPECT_EQ(row.at("error"), ".");
    EXPECT_EQ(row.at("reference"), "panel");
    EXPECT_EQ(row.at("records"), std::to_string(out.records.size()));
    uint64_t primary = 0, primary_t315i = 0;
    for (auto const & x : out.records)
        if (x.primary())
        {
            ++primary;
            primary_t315i += x.tag("XM") && x.tag("XM")->find("ABL1:p.T315I") != std::string::npos;
        }
    EXPECT_EQ(row.at("reads"), std::to_string(primary));
    EXPECT_EQ(row.at("reads_with_mutation"), std::to_string(primary_tagged));
    EXPECT_NE(row.at("mutations").find("ABL1:p.T315I=" + std::to_string(primary_t315i)), std::string::npos)
        << row.at("mutations");
    EXPECT_NE(row.at("mutations").find("ABL1:p.E255V="), std::string::npos) << row.at("mutations");
    EXPECT_EQ(row.at("junction_reads"), std::to_string(junction_primary));
    EXPECT_NE(row.at("junction_reads_by_type").find("e14a2=" + std::to_string(junction_primary)), std::string::npos);
    EXPECT_NE(row.at("junction_reads_by_type").find("e13a2=0"), std::string::npos);
    EXPECT_EQ(row.at("fusion_type"), "e14a2");
    EXPECT_EQ(row.at("replaced_tags"), "0");
}

// The same reads lifted to GRCh38 (spliced CIGARs with N) get the same tags as on the panel; no junction tags there.
TEST(annotate, genome_bam_tags_the_same_reads_as_the_panel_bam)
{
    temp_dir d;
    copy_into(d, data().panel_bam, "sample1.bam");
    copy_into(d, data().panel_bam + ".bai", "sample1.bam.bai");
    copy_into(d, data().genome_bam, "genome1.bam");
    auto const r = run(C + " annotate -j 2 -o out sample1.bam genome1.bam", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const panel = read_bam(d / "out/sample1.annotated.bam");
    auto const genome = read_bam(d / "out/genome1.annotated.bam");
    expect_same_records_but_tags(read_bam(d / "genome1.bam"), genome, {"XM", "XJ"});
    EXPECT_TRUE(fs::exists(d / "out/genome1.annotated.bam.bai"));

    std::map<std::pair<std::string, int>, std::string> panel_tags; // (qname, R1/R2) -> XM, NM_005157.6 primaries
    for (auto const & x : panel.records)
        if (x.f[2] == "NM_005157.6" && x.primary())
            panel_tags[{x.f[0], x.flag() & 0xC0}] = x.tag("XM").value_or("");
    size_t compared = 0, tagged = 0, spliced = 0;
    for (auto const & x : genome.records)
    {
        EXPECT_FALSE(x.tag("XJ")) << "no junction tags on genome coordinates";
        if (!x.primary() || (x.flag() & 0x4))
            continue;
        spliced += x.f[5].find('N') != std::string::npos;
        auto const it = panel_tags.find({x.f[0], x.flag() & 0xC0});
        ASSERT_NE(it, panel_tags.end()) << x.f[0];
        EXPECT_EQ(x.tag("XM").value_or(""), it->second) << x.core();
        ++compared;
        tagged += !it->second.empty();
    }
    EXPECT_GT(compared, 1000u);
    EXPECT_GT(tagged, 100u);
    EXPECT_GT(spliced, 100u) << "the lift should produce intron-spanning reads";
    auto const rows = read_tsv(d / "out/annotate_summary.tsv");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].at("input"), "sample1.bam");
    EXPECT_EQ(rows[1].at("input"), "genome1.bam");
    EXPECT_EQ(rows[1].at("reference"), "GRCh38");
    EXPECT_EQ(rows[1].at("fusion_type"), "not assessable");
    EXPECT_EQ(rows[1].at("sample"), "genome1") << "liftbam writes no @RG: the file stem";
    EXPECT_EQ(rows[1].at("junction_reads"), "0");
}

// Hand-written records for each per-read rule: base quality, deletion and insertion in the codon, two mutations on one
// read (catalogue order), tags already present (Z and i), secondary and unmapped records, an alias contig, junction
// anchors; a @PG ID already taken.
TEST(annotate, per_read_rules_on_handwritten_records)
{
    temp_dir d;
    auto const & fa = panel_fasta();
    auto const & nm = fa.at("NM_005157.6");
    std::string header = "@HD\tVN:1.6\tSO:coordinate\n";
    for (auto const & [name, len] : panel_contigs())
        header += "@SQ\tSN:" + name + "\tLN:" + std::to_string(len) + "\n";
    header += "@RG\tID:r\tSM:handmade\tPL:ILLUMINA\n@PG\tID:chemores-annotate\tPN:earlier\tVN:0\n@CO\tkept as is\n";
    // 40 bases from 0-based 1115: codon 315 at read offsets 20..22, codon 317 at 26..28.
    std::string const wt = nm.substr(1115, 40);
    ASSERT_EQ(wt.substr(20, 3), "ACT");
    ASSERT_EQ(wt.substr(26, 3), "TTC");
    std::string t315i = wt;
    t315i[21] = 'T';
    std::string both = t315i;
    both[26] = 'C'; // F317L: c.949T>C, TTC -> CTC
    std::string const q(40, 'I');
    std::string low_q = q;
    low_q[21] = '+'; // Q10 on the mutant base
    auto line = [](std::string const & name,
                   int flag,
                   std::string const & contig,
                   int64_t pos1,
                   int mapq,
                   std::string const & cigar,
                   std::string const & seq,
                   std::string const & qual,
                   std::string const & tags)
    {
        return name + "\t" + std::to_string(flag) + "\t" + contig + "\t" + std::to_string(pos1) + "\t" +
               std::to_string(mapq) + "\t" + cigar + "\t*\t0\t0\t" + seq + "\t" + qual + (tags.empty() ? "" : "\t") +
               tags + "\n";
    };
    std::string deleted = t315i.substr(0, 21) + t315i.substr(22); // the middle codon base deleted
    std::string inserted = t315i.substr(0, 21) + "G" + t315i.substr(21);
    // Isoform 1b: NM_005157.6 tx 273.. = ENST00000372348.7 tx 1441..; codon 315 at 0-based 2303 there.
    auto const & iso = fa.at("ENST00000372348.7");
    ASSERT_EQ(iso.substr(2283, 40), wt);
    std::string iso_mut = t315i;
    // BCR-ABL1_e13a2: junction after 3159.
    auto const & e13 = fa.at("BCR-ABL1_e13a2");
    std::string sam = header;
    sam += line("r01_t315i", 0, "NM_005157.6", 1116, 60, "40M", t315i, q, "RG:Z:r");
    sam += line("r02_wt", 16, "NM_005157.6", 1116, 60, "40M", wt, q, "RG:Z:r");
    sam += line("r03_lowq", 0, "NM_005157.6", 1116, 60, "40M", t315i, low_q, "RG:Z:r");
    sam += line("r04_del", 0, "NM_005157.6", 1116, 60, "21M1D18M", deleted, q.substr(0, 39), "RG:Z:r");
    sam += line("r05_ins", 0, "NM_005157.6", 1116, 60, "21M1I19M", inserted, q + "I", "RG:Z:r");
    sam += line("r06_both", 0, "NM_005157.6", 1116, 60, "40M", both, q, "RG:Z:r");
    sam += line("r07_oldz", 0, "NM_005157.6", 1116, 60, "40M", t315i, q, "XM:Z:stale\tNM:i:1\tRG:Z:r");
    sam += line("r08_oldi", 0, "NM_005157.6", 1116, 60, "40M", wt, q, "XM:i:3\tRG:Z:r\tAS:i:40");
    sam += line("r09_secondary", 256, "NM_005157.6", 1116, 0, "40M", t315i, q, "RG:Z:r");
    // Soft clips: the codon aligned after a clip counts; a codon under the clip does not.
    sam += line("r10_clipped", 0, "NM_005157.6", 1121, 60, "5S35M", "GGGGG" + t315i.substr(5), q, "RG:Z:r");
    sam += line("r10b_codon_clipped", 0, "NM_005157.6", 1138, 60, "22S18M", t315i, q, "RG:Z:r");
    sam += line("r11_isoform", 0, "ENST00000372348.7", 2284, 60, "40M", iso_mut, q, "RG:Z:r");
    sam += line("r12_short_anchor",
                0,
                "BCR-ABL1_e13a2",
                3105,
                60,
                "60M",
                e13.substr(3104, 60),
                std::string(60, 'I'),
                "RG:Z:r"); // 5 bases past the junction
    sam += line("r13_junction",
                0,
                "BCR-ABL1_e13a2",
                3130,
                60,
                "60M",
                e13.substr(3129, 60),
                std::string(60, 'I'),
                "RG:Z:r"); // 30 + 30
    sam += line("r14_unmapped", 4, "*", 0, 0, "*", wt, q, "RG:Z:r");
    sam_to_bam(sam, d / "hand.bam");

    auto r = run(C + " annotate --min-junction-reads 1 -o out hand.bam", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("warning: hand.bam: 2 records already had a XM or XJ tag"), std::string::npos) << r.err;
    auto const in = read_bam(d / "hand.bam");
    auto const out = read_bam(d / "out/hand.annotated.bam");
    expect_same_records_but_tags(in, out, {"XM", "XJ"});
    ASSERT_EQ(out.records.size(), 15u);

    // Catalogue order decides the order of two mutations on one read.
    auto const ids = catalogue_ids();
    auto const i315 = std::find(ids.begin(), ids.end(), "ABL1:T315I") - ids.begin();
    auto const i317 = std::find(ids.begin(), ids.end(), "ABL1:F317L") - ids.begin();
    ASSERT_LT(static_cast<size_t>(i315), ids.size());
    ASSERT_LT(static_cast<size_t>(i317), ids.size());
    std::string const both_tag = i315 < i317 ? "ABL1:p.T315I,ABL1:p.F317L" : "ABL1:p.F317L,ABL1:p.T315I";

    std::map<std::string, std::optional<std::string>> const want_xm{
        {"r01_t315i", "ABL1:p.T315I"},
        {"r02_wt", std::nullopt},
        {"r03_lowq", std::nullopt},
        {"r04_del", std::nullopt},
        {"r05_ins", std::nullopt},
        {"r06_both", both_tag},
        {"r07_oldz", "ABL1:p.T315I"},
        {"r08_oldi", std::nullopt},
        {"r09_secondary", "ABL1:p.T315I"},
        {"r10_clipped", "ABL1:p.T315I"},
        {"r10b_codon_clipped", std::nullopt},
        {"r11_isoform", "ABL1:p.T315I"},
        {"r12_short_anchor", std::nullopt},
        {"r13_junction", std::nullopt},
        {"r14_unmapped", std::nullopt},
    };
    for (auto const & x : out.records)
    {
        EXPECT_EQ(x.tag("XM"), want_xm.at(x.f[0])) << x.f[0];
        EXPECT_EQ(x.tag("XJ"), x.f[0] == "r13_junction" ? std::optional<std::string>{"e13a2"} : std::nullopt) << x.f[0];
    }
    // A replaced Z tag keeps its place; an i tag of the same name is removed; other tags stay in order.
    auto const & r07 = out.records[6];
    EXPECT_EQ(r07.aux, (std::vector<std::string>{"XM:Z:ABL1:p.T315I", "NM:i:1", "RG:Z:r"}));
    auto const & r08 = out.records[7];
    EXPECT_EQ(r08.aux, (std::vector<std::string>{"RG:Z:r", "AS:i:40"}));

    // @PG: the ID is made unique and chained to the earlier one.
    EXPECT_NE(out.header.find("@PG\tID:chemores-annotate.1\tPP:chemores-annotate\tPN:chemores\t"), std::string::npos)
        << out.header;
    EXPECT_NE(out.header.find("@CO\tkept as is"), std::string::npos);

    auto const rows = read_tsv(d / "out/annotate_summary.tsv");
    ASSERT_EQ(rows.size(), 1u);
    auto const & row = rows[0];
    EXPECT_EQ(row.at("sample"), "handmade");
    EXPECT_EQ(row.at("records"), "15");
    EXPECT_EQ(row.at("reads"), "14");              // the secondary record is not a read of its own
    EXPECT_EQ(row.at("reads_with_mutation"), "5"); // r01 r06 r07 r10 r11
    std::string const muts = i315 < i317 ? "ABL1:p.T315I=5;ABL1:p.F317L=1" : "ABL1:p.F317L=1;ABL1:p.T315I=5";
    EXPECT_EQ(row.at("mutations"), muts);
    EXPECT_EQ(row.at("junction_reads"), "1");
    EXPECT_EQ(row.at("fusion_type"), "e13a2");
    EXPECT_EQ(row.at("replaced_tags"), "2");

    // --min-BQ 10 accepts the Q10 base; --tag/--junction-tag rename the tags; min-junction-reads default 2.
    r = run(C + " annotate --min-BQ 10 --tag ZM --junction-tag ZJ --no-PG -o out2 hand.bam", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const out2 = read_bam(d / "out2/hand.annotated.bam");
    EXPECT_EQ(out2.records[2].tag("ZM"), "ABL1:p.T315I");
    EXPECT_EQ(out2.records[13].tag("ZJ"), "e13a2");
    EXPECT_EQ(out2.records[6].tag("XM"), "stale") << "other tags, even ours under --tag ZM, are left alone";
    EXPECT_EQ(out2.header.find("@PG\tID:chemores-annotate.1"), std::string::npos) << "--no-PG";
    EXPECT_EQ(read_tsv(d / "out2/annotate_summary.tsv")[0].at("fusion_type"), "none found");
}

// -@ 1 and -@ 2, -j 1 and -j 2: byte-identical BAMs, indexes and summaries.
TEST(annotate, threads_and_jobs_give_identical_outputs)
{
    temp_dir d;
    copy_into(d, data().panel_bam, "sample1.bam");
    copy_into(d, data().panel_bam + ".bai", "sample1.bam.bai");
    copy_into(d, data().genome_bam, "genome1.bam");
    for (auto const & [name, args] : std::vector<std::pair<std::string, std::string>>{
             {"t1", "-@ 1 -j 1"}, {"t2", "-@ 2 -j 1"}, {"j2", "-@ 1 -j 2"}, {"t2j2", "-@ 2 -j 2"}})
    {
        auto const r = run(C + " annotate --no-PG " + args + " -o " + name + " sample1.bam genome1.bam", d.path);
        ASSERT_EQ(r.status, 0) << args << ": " << r.err;
    }
    auto const expected = list_dir(d.path / "t1");
    ASSERT_EQ(expected.size(), 5u);
    for (auto const * other : {"t2", "j2", "t2j2"})
    {
        ASSERT_EQ(list_dir(d.path / other), expected) << other;
        for (auto const & f : expected)
        {
            std::string a = read_file(d / ("t1/" + f)), b = read_file(d / (std::string{other} + "/" + f));
            if (f == "annotate_summary.tsv")
            {
                // The output column names the directory.
                for (auto * s : {&a, &b})
                    for (std::string dir : {"t1/", "t2/", "j2/", "t2j2/"})
                        for (size_t p; (p = s->find("\t" + dir)) != std::string::npos;)
                            s->replace(p + 1, dir.size(), "DIR/");
            }
            EXPECT_TRUE(a == b) << other << "/" << f << " differs from t1/" << f;
        }
    }
    // With @PG the records are still identical; only the CL differs.
    ASSERT_EQ(run(C + " annotate -@ 2 -o pg sample1.bam", d.path).status, 0);
    auto const x = read_bam(d / "t1/sample1.annotated.bam"), y = read_bam(d / "pg/sample1.annotated.bam");
    ASSERT_EQ(x.records.size(), y.records.size());
    for (size_t i = 0; i < x.records.size(); ++i)
    {
        ASSERT_EQ(x.records[i].core(), y.records[i].core()) << i;
        ASSERT_EQ(x.records[i].aux, y.records[i].aux) << i;
    }
}

// A batch with bad files: truncated (no EOF marker), corrupt in the middle, not a BAM, unknown reference, missing,
// unsorted although the header says SO:coordinate.
// Each is reported with its name, the good ones complete, the exit status is 1, no output or temporary file is left
// for a bad one.
TEST(annotate, bad_files_in_a_batch_fail_alone)
{
    temp_dir d;
    copy_into(d, data().panel_bam, "good.bam");
    copy_into(d, data().panel_bam + ".bai", "good.bam.bai");
    copy_into(d, data().genome_bam, "good2.bam");
    auto const bytes = read_file(d / "good.bam");
    ASSERT_GT(bytes.size(), 20000u);
    write_file(d / "truncated.bam", bytes.substr(0, bytes.size() / 2));
    // Cut in the middle of a BGZF block, then the EOF marker: fails while records are being written.
    std::string const eof_marker{"\x1f\x8b\x08\x04\x00\x00\x00\x00\x00\xff\x06\x00\x42\x43\x02\x00\x1b\x00\x03"
                                 "\x00\x00\x00\x00\x00\x00\x00\x00\x00",
                                 28};
    ASSERT_EQ(bytes.substr(bytes.size() - 28), eof_marker);
    write_file(d / "corrupt.bam", bytes.substr(0, bytes.size() * 2 / 3 + 7) + eof_marker);
    write_file(d / "notbam.bam", "this is a text file, not a BAM\n");
    sam_to_bam("@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:scaffold_1\tLN:5000\n"
               "r1\t0\tscaffold_1\t100\t60\t10M\t*\t0\t0\tACGTACGTAC\tIIIIIIIIII\n",
               d / "otherref.bam");
    // Claims to be sorted, is not: found while indexing, at the second record.
    {
        std::string const nm = panel_fasta().at("NM_005157.6");
        sam_to_bam("@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:NM_005157.6\tLN:" + std::to_string(nm.size()) +
                       "\nu1\t0\tNM_005157.6\t501\t60\t10M\t*\t0\t0\t" + nm.substr(500, 10) +
                       "\tIIIIIIIIII\nu2\t0\tNM_005157.6\t101\t60\t10M\t*\t0\t0\t" + nm.substr(100, 10) +
                       "\tIIIIIIIIII\n",
                   d / "unsorted.bam");
    }
    write_file(d / "list.txt",
               "# a batch\ngood.bam\ntruncated.bam\n\ncorrupt.bam\nnotbam.bam\notherref.bam\n"
               "missing.bam\nunsorted.bam\ngood2.bam\n");
    auto const r = run(C + " annotate -j 2 -@ 2 -o out --bam-list list.txt", d.path);
    EXPECT_EQ(r.status, 1) << r.err;
    for (std::string const f : {"truncated.bam: truncated",
                                "corrupt.bam: truncated or corrupt after record",
                                "notbam.bam: not a SAM/BAM/CRAM file",
                                "otherref.bam",
                                "missing.bam: cannot open",
                                "unsorted.bam record 2: u2 at NM_005157.6:101 is out of order"})
        EXPECT_NE(r.err.find("chemores annotate: error: " + f), std::string::npos) << f << "\n" << r.err;
    EXPECT_NE(r.err.find("6 of 8 inputs failed"), std::string::npos) << r.err;
    EXPECT_EQ(list_dir(d.path / "out"),
              (std::vector<std::string>{"annotate_summary.tsv",
                                        "good.annotated.bam",
                                        "good.annotated.bam.bai",
                                        "good2.annotated.bam",
                                        "good2.annotated.bam.bai"}));
    auto const rows = read_tsv(d / "out/annotate_summary.tsv");
    ASSERT_EQ(rows.size(), 8u);
    std::vector<std::string> status, inputs;
    for (auto const & row : rows)
    {
        status.push_back(row.at("status"));
        inputs.push_back(row.at("input"));
        if (row.at("status") == "failed")
        {
            EXPECT_NE(row.at("error").find(row.at("input")), std::string::npos) << row.at("error");
            EXPECT_EQ(row.at("output"), ".");
            EXPECT_EQ(row.at("reads"), "NA");
        }
    }
    EXPECT_EQ(inputs,
              (std::vector<std::string>{"good.bam",
                                        "truncated.bam",
                                        "corrupt.bam",
                                        "notbam.bam",
                                        "otherref.bam",
                                        "missing.bam",
                                        "unsorted.bam",
                                        "good2.bam"}));
    EXPECT_EQ(status,
              (std::vector<std::string>{"ok", "failed", "failed", "failed", "failed", "failed", "failed", "ok"}));
    EXPECT_NE(rows[4].at("error").find("scaffold_1"), std::string::npos) << "the unknown reference names its contigs";
    // The good output is complete.
    EXPECT_EQ(read_bam(d / "out/good.annotated.bam").records.size(), read_bam(d / "good.bam").records.size());
}

// --dry-run checks the inputs and says what it would write, and writes nothing.
TEST(annotate, dry_run_writes_nothing)
{
    temp_dir d;
    copy_into(d, data().panel_bam, "sample1.bam");
    copy_into(d, data().genome_bam, "genome1.bam");
    write_file(d / "notbam.bam", "not a BAM\n");
    auto before = list_dir(d.path);
    auto r = run(C + " annotate --dry-run -o out sample1.bam genome1.bam", d.path);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("sample1.bam: BAM, sample patient1, reference panel, sorted by coordinate"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("would write out/sample1.annotated.bam"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("genome1.bam: BAM, sample genome1, reference GRCh38"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("out/annotate_summary.tsv"), std::string::npos) << r.out;
    EXPECT_EQ(list_dir(d.path), before);
    r = run(C + " annotate -n -o out sample1.bam notbam.bam", d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.out.find("notbam.bam: would FAIL: notbam.bam: not a SAM/BAM/CRAM file"), std::string::npos) << r.out;
    EXPECT_EQ(list_dir(d.path), before);
}

// Option and list errors stop before anything is written (exit 2 for usage errors).
TEST(annotate, usage_errors_write_nothing)
{
    temp_dir d;
    copy_into(d, data().panel_bam, "sample1.bam");
    fs::create_directories(d.path / "sub");
    copy_into(d, data().panel_bam, (d.path / "sub/sample1.bam").string());
    write_file(d / "empty_list.txt", "# nothing\n\n");
    struct bad
    {
        std::string args;
        std::string message;
        int status;
    };
    std::vector<bad> const cases{
        {"", "no input", 2},
        {"--bam-list nolist.txt", "nolist.txt", 1},
        {"--bam-list empty_list.txt", "empty_list.txt: the BAM list names no file", 1},
        {"sample1.bam sub/sample1.bam", "would both be written to out/sample1.annotated.bam", 2},
        {"--tag XMX sample1.bam", "--tag 'XMX'", 2},
        {"--tag XJ sample1.bam", "must differ", 2},
        {"--catalogue-only sample1.bam", "--catalogue-only needs", 2},
    };
    for (auto const & c : cases)
    {
        auto const r = run(C + " annotate -o out " + c.args, d.path);
        EXPECT_EQ(r.status, c.status) << c.args << ": " << r.err;
        EXPECT_NE(r.err.find("chemores annotate: error:"), std::string::npos) << c.args << ": " << r.err;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
        EXPECT_FALSE(fs::exists(d.path / "out")) << c.args;
    }
}
