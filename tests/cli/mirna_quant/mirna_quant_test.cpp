// CLI tests of `chemores mirna quant` on reads from the deterministic simulator (mirna_sim.hpp): known matures,
// isomiR shifts, non-templated 3' additions, SNVs, reads with and without adapter, too short / too long reads,
// multi-mapping reads. Counts are recovered exactly from the files the binary writes.

#include "../cli_test_util.hpp"
#include "mirna_sim.hpp"

#include <chemores/align/pipeline.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fs = std::filesystem;
using namespace chemores::test;
namespace sim = chemores::test::mirna_sim;

namespace
{
std::string const C = bin();

using table = std::vector<std::vector<std::string>>;

table read_cells(std::string const & path)
{
    table t;
    std::stringstream in{read_file(path)};
    for (std::string line; std::getline(in, line);)
    {
        std::vector<std::string> f;
        std::stringstream ls{line};
        for (std::string x; std::getline(ls, x, '\t');)
            f.push_back(x);
        if (!line.empty() && line.back() == '\t')
            f.emplace_back();
        t.push_back(std::move(f));
    }
    return t;
}

//!\brief {first column -> row} of a table with a header.
std::map<std::string, std::vector<std::string>> by_key(table const & t)
{
    std::map<std::string, std::vector<std::string>> m;
    for (size_t i = 1; i < t.size(); ++i)
        m[t[i][0]] = t[i];
    return m;
}

size_t column(table const & t, std::string const & name)
{
    for (size_t i = 0; i < t.at(0).size(); ++i)
        if (t[0][i] == name)
            return i;
    ADD_FAILURE() << "no column " << name;
    return 0;
}

sim::hairpin_db const & db()
{
    static sim::hairpin_db const d = sim::hairpin_db::load(panel_dir());
    return d;
}

sim::species mature(std::string label, std::string name, int count)
{
    sim::species s;
    s.label = std::move(label);
    s.mature = std::move(name);
    s.count = count;
    return s;
}

sim::species insert(std::string label, std::string seq, int count)
{
    sim::species s;
    s.label = std::move(label);
    s.insert = std::move(seq);
    s.explicit_insert = true;
    s.count = count;
    return s;
}

//!\brief Sample 1: every kind of read. Expected outcomes are spelled out in the tests below.
std::vector<sim::species> sample1()
{
    sim::rng r{11};
    std::vector<sim::species> v;
    v.push_back(mature("m21_ref", "hsa-miR-21-5p", 40));
    auto s = mature("m21_5p_plus1", "hsa-miR-21-5p", 7);
    s.shift5 = 1;
    v.push_back(s);
    s = mature("m21_3p_minus2", "hsa-miR-21-5p", 6);
    s.shift3 = -2;
    v.push_back(s);
    s = mature("m21_3p_plus2", "hsa-miR-21-5p", 5);
    s.shift3 = 2;
    v.push_back(s);
    s = mature("m21_addAA", "hsa-miR-21-5p", 4);
    s.add3p = "AA";
    v.push_back(s);
    s = mature("m21_3p_minus1_addT", "hsa-miR-21-5p", 3);
    s.shift3 = -1;
    s.add3p = "T";
    v.push_back(s);
    s = mature("m21_snv_seed", "hsa-miR-21-5p", 3);
    s.snv_pos = 5;
    v.push_back(s);
    s = mature("m21_snv_central", "hsa-miR-21-5p", 2);
    s.snv_pos = 10;
    v.push_back(s);
    v.push_back(mature("let7a", "hsa-let-7a-5p", 25));     // identical on let-7a-1, -2, -3: one miRNA
    v.push_back(mature("m199a3p", "hsa-miR-199a-3p", 10)); // = hsa-miR-199b-3p: shared 1/2 each
    v.push_back(mature("m17_ref", "hsa-miR-17-5p", 15));
    s = mature("m17_5p_plus1", "hsa-miR-17-5p", 8); // = positions 2-23 of hsa-miR-106a-5p: shared 1/2 each
    s.shift5 = 1;
    v.push_back(s);
    s = mature("m145_noadapter", "hsa-miR-145-5p", 4); // adapter not in the read: kept untrimmed
    s.adapter = false;
    v.push_back(s);
    s = mature("m155_5p_minus2", "hsa-miR-155-5p", 3);
    s.shift5 = -2;
    v.push_back(s);
    v.push_back(insert("loop21", db().hairpins.at("hsa-mir-21").substr(32, 20), 6)); // between the two matures
    v.push_back(insert("short", sim::random_sequence(r, 12), 5));
    v.push_back(insert("dimer", "", 3));
    v.push_back(insert("long", db().hairpins.at("hsa-mir-17").substr(9, 35), 2));
    v.push_back(insert("random", sim::random_sequence(r, 22), 3));
    s = mature("m21_withN", "hsa-miR-21-5p", 1);
    s.snv_pos = 12;
    s.snv_base = 'N';
    v.push_back(s);
    return v;
}

std::vector<sim::species> sample2()
{
    std::vector<sim::species> v;
    v.push_back(mature("m21_ref", "hsa-miR-21-5p", 10));
    v.push_back(mature("let7a", "hsa-let-7a-5p", 50));
    v.push_back(mature("m145", "hsa-miR-145-5p", 12));
    v.push_back(mature("m199a3p", "hsa-miR-199a-3p", 3));
    auto s = mature("m17_5p_plus1", "hsa-miR-17-5p", 1);
    s.shift5 = 1;
    v.push_back(s);
    return v;
}

//!\brief Write the reads of `spec` to `path` (plus `extra` records appended verbatim) and check that the adapter
//!       trimming the tool uses cuts each read exactly at the simulated insert.
void write_sample(std::string const & path,
                  std::vector<sim::species> const & spec,
                  uint64_t seed,
                  std::vector<sim::read> const & extra = {})
{
    auto reads = sim::simulate(db(), spec, seed);
    std::map<std::string, std::string> inserts;
    for (auto const & s : spec)
        inserts[s.label] = sim::insert_of(db(), s);
    for (auto const & x : reads)
    {
        auto const label = x.name.substr(0, x.name.rfind('_'));
        auto const & ins = inserts.at(label);
        size_t const cut = chemores::align::find_adapter(x.seq, "TGGAATTCTCGGGTGCCAAGG");
        ASSERT_EQ(cut, ins.size()) << x.name << " " << x.seq; // with adapter: cut at the insert; without: no cut
    }
    reads.insert(reads.end(), extra.begin(), extra.end());
    sim::write_fastq(path, reads);
}

//!\brief Three samples: S1 (sample1), S2 (sample2), S3 (an empty FASTQ); S1 also holds one empty read.
void write_samples(temp_dir const & d)
{
    write_sample(d / "S1.fq.gz", sample1(), 1, {{"empty_read", ""}});
    write_sample(d / "S2.fastq.gz", sample2(), 2);
    sim::write_fastq(d / "S3.fq.gz", {});
}

std::string counts_of(std::map<std::string, std::vector<std::string>> const & t, std::string const & mirna)
{
    auto const it = t.find(mirna);
    if (it == t.end())
        return "(missing)";
    std::string s;
    for (size_t i = 1; i < it->second.size(); ++i)
        s += (i > 1 ? " " : "") + it->second[i];
    return s;
}

//!\brief Sequence of a species (the insert).
std::string seq_of(std::vector<sim::species> const & spec, std::string const & label)
{
    for (auto const & s : spec)
        if (s.label == label)
            return sim::insert_of(db(), s);
    ADD_FAILURE() << "no species " << label;
    return {};
}

//!\brief mirGFF3 records: attribute maps of each non-header line, with the columns as "#1".."#8".
std::vector<std::map<std::string, std::string>> read_gff(std::string const & path)
{
    std::vector<std::map<std::string, std::string>> out;
    std::stringstream in{read_file(path)};
    for (std::string line; std::getline(in, line);)
    {
        if (line.rfind("#", 0) == 0)
            continue;
        std::map<std::string, std::string> rec;
        std::stringstream ls{line};
        std::string col;
        for (int i = 1; i <= 9 && std::getline(ls, col, '\t'); ++i)
        {
            if (i < 9)
            {
                rec["#" + std::to_string(i)] = col;
                continue;
            }
            std::stringstream as{col};
            for (std::string a; std::getline(as, a, ';');)
            {
                while (!a.empty() && a.front() == ' ')
                    a.erase(a.begin());
                auto const eq = a.find('=');
                if (eq != std::string::npos)
                    rec[a.substr(0, eq)] = a.substr(eq + 1);
            }
        }
        out.push_back(rec);
    }
    return out;
}

void expect_error(std::string const & args, temp_dir const & d, std::string const & message)
{
    auto const r = run(C + " mirna quant " + args, d.path);
    EXPECT_NE(r.status, 0) << args;
    EXPECT_EQ(r.err.rfind("chemores mirna quant: error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(d / "out")) << args << ": an output directory was left behind";
}
} // namespace

TEST(mirna_quant, counts_cpm_summary_are_exact)
{
    temp_dir d;
    write_samples(d);
    auto const r = run(C + " mirna quant -o out S1.fq.gz S2.fastq.gz S3.fq.gz", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("warning: sample S3 (S3.fq.gz): the file holds no reads; its counts are zero"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(list_dir(d / "out"),
              (std::vector<std::string>{"counts.tsv",
                                        "cpm.tsv",
                                        "hairpin_counts.tsv",
                                        "isomirs.tsv",
                                        "mirna.gff3",
                                        "multimapped.tsv",
                                        "resistance_mirnas.tsv",
                                        "run.json",
                                        "summary.tsv"}));

    auto const counts_t = read_cells(d / "out/counts.tsv");
    ASSERT_EQ(counts_t[0], (std::vector<std::string>{"mirna", "S1", "S2", "S3"}));
    auto const counts = by_key(counts_t);
    std::map<std::string, std::string> const expected{
        {"hsa-miR-21-5p", "70 10 0"},   // 40 + 7 + 6 + 5 + 4 + 3 + 3 + 2
        {"hsa-let-7a-5p", "25 50 0"},   // three loci, one miRNA: not shared
        {"hsa-miR-199a-3p", "5 1.5 0"}, // identical to hsa-miR-199b-3p: 1/2 each
        {"hsa-miR-199b-3p", "5 1.5 0"},
        {"hsa-miR-17-5p", "19 0.5 0"},  // 15 + 8/2
        {"hsa-miR-106a-5p", "4 0.5 0"}, // 8/2
        {"hsa-miR-145-5p", "4 12 0"},   // S1: reads without adapter, kept untrimmed
        {"hsa-miR-155-5p", "3 0 0"},
    };
    for (auto const & [m, v] : expected)
        EXPECT_EQ(counts_of(counts, m), v) << m;
    size_t zero_rows = 0;
    for (auto const & [m, row] : counts)
        if (!expected.count(m))
        {
            EXPECT_EQ(counts_of(counts, m), "0 0 0") << m;
            ++zero_rows;
        }
    EXPECT_EQ(counts.size(), 2656u); // every mature of miRBase v22 (human), with or without reads

    // CPM: per sample, sums to 1e6 (S3: no reads, all 0)
    auto const cpm_t = read_cells(d / "out/cpm.tsv");
    ASSERT_EQ(cpm_t.size(), counts_t.size());
    double sum[3] = {0, 0, 0};
    for (size_t i = 1; i < cpm_t.size(); ++i)
        for (int s = 0; s < 3; ++s)
            sum[s] += std::stod(cpm_t[i][s + 1]);
    EXPECT_NEAR(sum[0], 1e6, 0.01);
    EXPECT_NEAR(sum[1], 1e6, 0.01);
    EXPECT_EQ(sum[2], 0);
    auto const cpm = by_key(cpm_t);
    EXPECT_EQ(cpm.at("hsa-miR-21-5p")[2], "131578.947"); // 10 / 76 * 1e6

    // multi-mapped reads per miRNA, and reads elsewhere on the hairpins
    auto const multi = by_key(read_cells(d / "out/multimapped.tsv"));
    EXPECT_EQ(counts_of(multi, "hsa-miR-199a-3p"), "10 3 0");
    EXPECT_EQ(counts_of(multi, "hsa-miR-199b-3p"), "10 3 0");
    EXPECT_EQ(counts_of(multi, "hsa-miR-17-5p"), "8 1 0");
    EXPECT_EQ(counts_of(multi, "hsa-miR-106a-5p"), "8 1 0");
    EXPECT_EQ(counts_of(multi, "hsa-let-7a-5p"), "0 0 0");
    EXPECT_EQ(counts_of(multi, "hsa-miR-21-5p"), "0 0 0");
    auto const hp = by_key(read_cells(d / "out/hairpin_counts.tsv"));
    EXPECT_EQ(hp.size(), 1917u);
    for (auto const & [h, row] : hp)
        EXPECT_EQ(counts_of(hp, h), h == "hsa-mir-21" ? "6 0 0" : "0 0 0") << h;

    // read accounting
    auto const sum_t = read_cells(d / "out/summary.tsv");
    ASSERT_EQ(sum_t.size(), 4u);
    auto const st = by_key(sum_t);
    auto val = [&](std::string const & s, std::string const & c)
    {
        return st.at(s).at(column(sum_t, c));
    };
    // S1: 135 miRNA reads + 6 loop + 5 short + 3 dimers + 2 long + 3 random + 1 with N + 1 empty
    EXPECT_EQ(val("S1", "reads_in"), "156");
    EXPECT_EQ(val("S1", "adapter_found"), "151"); // all but the 4 reads without adapter and the empty read
    EXPECT_EQ(val("S1", "no_adapter"), "5");
    EXPECT_EQ(val("S1", "discarded_untrimmed"), "0");
    EXPECT_EQ(val("S1", "too_short"), "9"); // 5 short + 3 dimers + the empty read
    EXPECT_EQ(val("S1", "too_long"), "2");
    EXPECT_EQ(val("S1", "ambiguous"), "1");
    EXPECT_EQ(val("S1", "kept"), "144");
    EXPECT_EQ(val("S1", "mapped"), "141");
    EXPECT_EQ(val("S1", "unmapped"), "3");
    EXPECT_EQ(val("S1", "rejected"), "0");
    EXPECT_EQ(val("S1", "hairpin_other"), "6");
    EXPECT_EQ(val("S1", "assigned"), "135");
    EXPECT_EQ(val("S1", "multimapped"), "18");
    EXPECT_EQ(val("S1", "mirnas_detected"), "8");
    EXPECT_EQ(val("S2", "reads_in"), "76");
    EXPECT_EQ(val("S2", "assigned"), "76");
    EXPECT_EQ(val("S2", "multimapped"), "4");
    EXPECT_EQ(val("S3", "reads_in"), "0");
    EXPECT_EQ(val("S3", "assigned"), "0");
    // resistance-associated miRNAs highlighted, by CPM
    EXPECT_EQ(val("S1", "resistance_mirnas_cpm"),
              "hsa-miR-21-5p=518518.519;hsa-miR-17-5p=140740.741;hsa-miR-145-5p=29629.63");
    EXPECT_EQ(val("S3", "resistance_mirnas_cpm"), ".");
    auto const res = by_key(read_cells(d / "out/resistance_mirnas.tsv"));
    ASSERT_TRUE(res.count("hsa-miR-21-5p"));
    EXPECT_EQ(res.at("hsa-miR-21-5p")[3], "PTEN,PDCD4");
    EXPECT_EQ(res.at("hsa-miR-21-5p")[6], "70");

    // provenance
    auto const j = nlohmann::json::parse(read_file(d / "out/run.json"));
    EXPECT_EQ(j["command_line"].get<std::string>().find("mirna quant -o out S1.fq.gz"), C.size() + 1);
    EXPECT_EQ(j["inputs"].size(), 3u);
    EXPECT_EQ(j["inputs"][0]["sample"], "S1");
    EXPECT_EQ(j["inputs"][0]["md5"].get<std::string>().size(), 32u);
    EXPECT_EQ(j["inputs"][2]["md5"], "7029066c27ac6f5ef18d660d5741979a"); // empty gzip member from zlib
    EXPECT_EQ(j["reference"]["hairpins"], 1917);
    EXPECT_FALSE(j["version"].get<std::string>().empty());
    EXPECT_EQ(j["warnings"].size(), 1u);
}

TEST(mirna_quant, isomir_classes_in_table_and_gff)
{
    temp_dir d;
    write_samples(d);
    auto const r = run(C + " mirna quant -o out S1.fq.gz S2.fastq.gz", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const spec = sample1();
    auto const iso_t = read_cells(d / "out/isomirs.tsv");
    size_t const c_seq = column(iso_t, "sequence"), c_mirna = column(iso_t, "mirna"),
                 c_hairpin = column(iso_t, "hairpin"), c_type = column(iso_t, "type"), c_var = column(iso_t, "variant"),
                 c_snv = column(iso_t, "iso_snv"), c_hits = column(iso_t, "hits"), c_shared = column(iso_t, "shared"),
                 c_s1 = column(iso_t, "S1"), c_cigar = column(iso_t, "cigar");
    auto rows_of = [&](std::string const & seq)
    {
        std::vector<std::vector<std::string>> v;
        for (size_t i = 1; i < iso_t.size(); ++i)
            if (iso_t[i][c_seq] == seq)
                v.push_back(iso_t[i]);
        return v;
    };
    struct expectation
    {
        std::string label, mirna, type, variant, snv;
    };
    std::vector<expectation> const cases{
        {"m21_ref", "hsa-miR-21-5p", "ref_miRNA", "NA", "."},
        {"m21_5p_plus1", "hsa-miR-21-5p", "isomiR", "iso_5p:+1", "."},
        {"m21_3p_minus2", "hsa-miR-21-5p", "isomiR", "iso_3p:-2", "."},
        {"m21_3p_plus2", "hsa-miR-21-5p", "isomiR", "iso_3p:+2", "."},
        {"m21_addAA", "hsa-miR-21-5p", "isomiR", "iso_add3p:2", "."},
        {"m21_3p_minus1_addT", "hsa-miR-21-5p", "isomiR", "iso_3p:-1,iso_add3p:1", "."},
        {"m21_snv_seed", "hsa-miR-21-5p", "isomiR", "iso_snv_seed", "5:T>C"},
        {"m21_snv_central", "hsa-miR-21-5p", "isomiR", "iso_snv_central", "10:A>G"},
        {"m155_5p_minus2", "hsa-miR-155-5p", "isomiR", "iso_5p:-2", "."},
        {"m145_noadapter", "hsa-miR-145-5p", "ref_miRNA", "NA", "."},
    };
    for (auto const & c : cases)
    {
        auto const rows = rows_of(seq_of(spec, c.label));
        ASSERT_EQ(rows.size(), 1u) << c.label;
        EXPECT_EQ(rows[0][c_mirna], c.mirna) << c.label;
        EXPECT_EQ(rows[0][c_type], c.type) << c.label;
        EXPECT_EQ(rows[0][c_var], c.variant) << c.label;
        EXPECT_EQ(rows[0][c_snv], c.snv) << c.label;
        EXPECT_EQ(rows[0][c_hits], "1") << c.label;
        EXPECT_EQ(rows[0][c_shared], "1") << c.label;
    }
    EXPECT_EQ(rows_of(seq_of(spec, "m21_snv_seed"))[0][c_cigar], "4MT17M");
    EXPECT_EQ(rows_of(seq_of(spec, "m21_ref"))[0][c_s1], "40");

    // let-7a-5p: three loci of one miRNA
    auto rows = rows_of(seq_of(spec, "let7a"));
    ASSERT_EQ(rows.size(), 3u);
    for (size_t i = 0; i < 3; ++i)
    {
        EXPECT_EQ(rows[i][c_hairpin], "hsa-let-7a-" + std::to_string(i + 1));
        EXPECT_EQ(rows[i][c_hits], "3");
        EXPECT_EQ(rows[i][c_shared], "1");
        EXPECT_EQ(rows[i][c_var], "NA");
    }
    // miR-199a-3p = miR-199b-3p: loci mir-199a-1, mir-199a-2, mir-199b; two miRNAs
    rows = rows_of(seq_of(spec, "m199a3p"));
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0][c_mirna] + " " + rows[0][c_hairpin], "hsa-miR-199a-3p hsa-mir-199a-1");
    EXPECT_EQ(rows[1][c_mirna] + " " + rows[1][c_hairpin], "hsa-miR-199a-3p hsa-mir-199a-2");
    EXPECT_EQ(rows[2][c_mirna] + " " + rows[2][c_hairpin], "hsa-miR-199b-3p hsa-mir-199b");
    for (auto const & row : rows)
    {
        EXPECT_EQ(row[c_hits], "3");
        EXPECT_EQ(row[c_shared], "2");
    }
    // the 5' isomiR of miR-17-5p is also a 5' isomiR of miR-106a-5p
    rows = rows_of(seq_of(spec, "m17_5p_plus1"));
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0][c_mirna] + " " + rows[0][c_var], "hsa-miR-106a-5p iso_5p:+1");
    EXPECT_EQ(rows[1][c_mirna] + " " + rows[1][c_var], "hsa-miR-17-5p iso_5p:+1");
    // the loop fragment is on the hairpin, outside the matures
    rows = rows_of(seq_of(spec, "loop21"));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0][c_type], "hairpin");
    EXPECT_EQ(rows[0][c_hairpin], "hsa-mir-21");
    EXPECT_EQ(rows[0][c_mirna], ".");

    // mirGFF3: header, then one record per (sequence, locus) assigned to a mature
    auto const gff_text = read_file(d / "out/mirna.gff3");
    EXPECT_EQ(gff_text.rfind("## mirGFF3. VERSION 1.2\n## VERSION: 1.2\n## source-ontology: miRBase22", 0), 0u);
    EXPECT_NE(gff_text.find("\n## COLDATA: S1,S2\n"), std::string::npos);
    EXPECT_NE(gff_text.find("\n## TOOLS: chemores "), std::string::npos);
    auto const gff = read_gff(d / "out/mirna.gff3");
    auto gff_of = [&](std::string const & seq)
    {
        std::vector<std::map<std::string, std::string>> v;
        for (auto const & g : gff)
            if (g.at("Read") == seq)
                v.push_back(g);
        return v;
    };
    for (auto const & c : cases)
    {
        auto const g = gff_of(seq_of(spec, c.label));
        ASSERT_EQ(g.size(), 1u) << c.label;
        EXPECT_EQ(g[0].at("Name"), c.mirna);
        EXPECT_EQ(g[0].at("Variant"), c.variant) << c.label;
        EXPECT_EQ(g[0].at("#3"), c.type);
        EXPECT_EQ(g[0].at("#2"), "miRBase22");
        EXPECT_EQ(g[0].at("#7"), "+");
        EXPECT_EQ(g[0].at("Filter"), "Pass");
        EXPECT_EQ(g[0].at("Hits"), "1");
        EXPECT_EQ(g[0].at("UID").rfind("iso-" + std::to_string(seq_of(spec, c.label).size()) + "-", 0), 0u);
    }
    auto g = gff_of(seq_of(spec, "m21_ref"));
    EXPECT_EQ(g[0].at("#1"), "hsa-mir-21");
    EXPECT_EQ(g[0].at("Parent"), "hsa-mir-21");
    EXPECT_EQ(g[0].at("#4") + "-" + g[0].at("#5"), "8-29");
    EXPECT_EQ(g[0].at("Cigar"), "22M");
    EXPECT_EQ(g[0].at("Expression"), "40,10");
    EXPECT_EQ(g[0].at("UID"), "iso-22-VIV6OYINL");
    g = gff_of(seq_of(spec, "m21_3p_minus1_addT"));
    EXPECT_EQ(g[0].at("#4") + "-" + g[0].at("#5"), "8-29");
    EXPECT_EQ(g[0].at("Cigar"), "21MA"); // the added T faces the hairpin's A
    g = gff_of(seq_of(spec, "let7a"));
    ASSERT_EQ(g.size(), 3u);
    for (auto const & x : g)
    {
        EXPECT_EQ(x.at("Hits"), "3");
        EXPECT_EQ(x.at("Expression"), "25,50");
    }
    EXPECT_TRUE(gff_of(seq_of(spec, "loop21")).empty()); // not a mature: not in the mirGFF3
}

TEST(mirna_quant, output_is_identical_for_any_thread_count)
{
    temp_dir d;
    write_samples(d);
    auto r = run(C + " mirna quant -o one S1.fq.gz S2.fastq.gz S3.fq.gz", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    r = run(C + " mirna quant -@ 3 -o three S1.fq.gz S2.fastq.gz S3.fq.gz", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const files = list_dir(d / "one");
    EXPECT_EQ(files, list_dir(d / "three"));
    for (auto const & f : files)
    {
        if (f == "run.json")
            continue;
        EXPECT_EQ(read_file(d / ("one/" + f)), read_file(d / ("three/" + f))) << f;
    }
    // one larger sample: with spare threads, workers trim and count for the reader (several batches of reads)
    auto big = sample1();
    for (auto & sp : big)
        sp.count *= 40;
    write_sample(d / "big.fq.gz", big, 3);
    r = run(C + " mirna quant -o big1 big.fq.gz", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    r = run(C + " mirna quant -@ 4 -o big4 big.fq.gz", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    for (auto const & f : list_dir(d / "big1"))
    {
        if (f == "run.json")
            continue;
        EXPECT_EQ(read_file(d / ("big1/" + f)), read_file(d / ("big4/" + f))) << f;
    }
    EXPECT_EQ(counts_of(by_key(read_cells(d / "big4/counts.tsv")), "hsa-miR-21-5p"), "2800");

    auto a = nlohmann::json::parse(read_file(d / "one/run.json"));
    auto b = nlohmann::json::parse(read_file(d / "three/run.json"));
    EXPECT_EQ(b["threads"], 3);
    for (auto * j : {&a, &b})
    {
        j->erase("command_line");
        j->erase("threads");
    }
    EXPECT_EQ(a, b);
}

TEST(mirna_quant, discard_untrimmed_and_options)
{
    temp_dir d;
    write_samples(d);
    auto r = run(C + " mirna quant --discard-untrimmed -o out S1.fq.gz --samples patient1", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const counts_t = read_cells(d / "out/counts.tsv");
    EXPECT_EQ(counts_t[0], (std::vector<std::string>{"mirna", "patient1"}));
    auto const counts = by_key(counts_t);
    EXPECT_EQ(counts_of(counts, "hsa-miR-145-5p"), "0");
    EXPECT_EQ(counts_of(counts, "hsa-miR-21-5p"), "70");
    auto const sum_t = read_cells(d / "out/summary.tsv");
    auto const st = by_key(sum_t);
    EXPECT_EQ(st.at("patient1").at(column(sum_t, "discarded_untrimmed")), "5"); // 4 + the empty read
    EXPECT_EQ(st.at("patient1").at(column(sum_t, "too_short")), "8");
    EXPECT_EQ(st.at("patient1").at(column(sum_t, "assigned")), "131");

    // a stricter 3' tolerance moves the iso_3p:+2 reads off the mature, onto the hairpin
    r = run(C + " mirna quant --tolerance-3p 1 -o strict S1.fq.gz", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(counts_of(by_key(read_cells(d / "strict/counts.tsv")), "hsa-miR-21-5p"), "59"); // 70 - 6 - 5
    EXPECT_EQ(counts_of(by_key(read_cells(d / "strict/hairpin_counts.tsv")), "hsa-mir-21"), "17");
    // no mismatch allowed: the SNV reads are rejected
    r = run(C + " mirna quant --max-mismatches 0 -o exact S1.fq.gz", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const ex_t = read_cells(d / "exact/summary.tsv");
    EXPECT_EQ(by_key(ex_t).at("S1").at(column(ex_t, "rejected")), "5");
    EXPECT_EQ(counts_of(by_key(read_cells(d / "exact/counts.tsv")), "hsa-miR-21-5p"), "65");

    r = run(C + " mirna quant --help", d.path);
    EXPECT_EQ(r.status, 0);
    for (auto const * o : {"--adapter",
                           "--discard-untrimmed",
                           "--min-length",
                           "--max-length",
                           "--samples",
                           "--threads",
                           "--tolerance-5p",
                           "--tolerance-3p",
                           "--max-mismatches",
                           "--max-add3p"})
        EXPECT_NE(r.out.find(o), std::string::npos) << o;
}

TEST(mirna_quant, demo_reads)
{
    temp_dir d;
    auto const r = run(C + " mirna quant -o out " + test_data() + "/demo/demo_smallrna.fq.gz", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const counts = by_key(read_cells(d / "out/counts.tsv"));
    std::map<std::string, std::string> const expected{{"hsa-miR-21-5p", "40"},
                                                      {"hsa-let-7a-5p", "25"},
                                                      {"hsa-miR-519c-3p", "10"},
                                                      {"hsa-miR-17-5p", "15"},
                                                      {"hsa-miR-145-5p", "8"},
                                                      {"hsa-miR-9-5p", "5"}};
    for (auto const & [m, row] : counts)
        EXPECT_EQ(counts_of(counts, m), expected.count(m) ? expected.at(m) : "0") << m;
    EXPECT_NE(r.err.find("resistance-associated miRNAs detected (CPM): hsa-miR-21-5p (388349.515)"), std::string::npos)
        << r.err;
}

TEST(mirna_quant, bad_input_fails_cleanly)
{
    temp_dir d;
    write_samples(d);
    // truncated gzip
    auto const gz = read_file(d / "S1.fq.gz");
    write_file(d / "trunc.fq.gz", gz.substr(0, gz.size() / 2));
    expect_error("-o out S2.fastq.gz trunc.fq.gz", d, "trunc.fq.gz");
    expect_error("-o out trunc.fq.gz", d, "truncated or corrupt compressed input");
    expect_error("-@ 4 -o out trunc.fq.gz", d, "truncated or corrupt compressed input");
    // not FASTQ
    write_file(d / "notes.fq", "this is not a FASTQ file\n");
    expect_error("-o out notes.fq", d, "notes.fq line 1: not FASTA or FASTQ");
    write_file(d / "seqs.fa", ">a\nACGTACGTACGTACGTACGT\n");
    expect_error("-o out seqs.fa", d, "seqs.fa: is FASTA; mirna quant reads FASTQ");
    write_file(d / "bad.fq", "@r1\nACGTACGT\n+\nIIII\n");
    expect_error("-o out bad.fq", d, "bad.fq line 4");
    // missing file
    expect_error("-o out S1.fq.gz missing.fq.gz", d, "missing.fq.gz: cannot open");
    // duplicate sample names
    fs::create_directories(d.path / "a");
    fs::create_directories(d.path / "b");
    fs::copy_file(d / "S1.fq.gz", d / "a/S1.fq.gz");
    fs::copy_file(d / "S2.fastq.gz", d / "b/S1.fastq");
    expect_error("-o out a/S1.fq.gz b/S1.fastq", d, "duplicate sample name 'S1'");
    expect_error("-o out S1.fq.gz S2.fastq.gz --samples X,X", d, "duplicate sample name 'X'");
    expect_error("-o out S1.fq.gz S2.fastq.gz --samples X", d, "--samples gives 1 names for 2 input files");
    expect_error("-o out S1.fq.gz --samples 'a b'", d, "sample name 'a b'");
    expect_error("-o out S1.fq.gz --adapter ACGTX", d, "--adapter must consist of A, C, G, T");
    expect_error("-o out S1.fq.gz --min-length 25 --max-length 20", d, "is larger than --max-length");
    // -o names a file
    write_file(d / "out.txt", "x");
    auto const r = run(C + " mirna quant -o out.txt S1.fq.gz", d.path);
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.err.find("exists and is not a directory"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(d / "out.txt"), "x");

    // a failing run leaves an existing output directory as it was
    ASSERT_EQ(run(C + " mirna quant -o prev S2.fastq.gz", d.path).status, 0);
    auto const before = read_file(d / "prev/counts.tsv");
    auto const rr = run(C + " mirna quant -o prev S1.fq.gz trunc.fq.gz", d.path);
    EXPECT_NE(rr.status, 0);
    EXPECT_EQ(read_file(d / "prev/counts.tsv"), before);
    EXPECT_EQ(list_dir(d / "prev").size(), 9u); // no temporary file left
}

// The mirGFF3 as mirtop reads it: its validator (header, columns, types, UID, Variant vocabulary, Expression
// per COLDATA sample) and its UID decoder. Skipped where mirtop (Debian package `mirtop`) is not installed.
TEST(mirna_quant, mirtop_accepts_the_gff)
{
    temp_dir d;
    if (run("/usr/bin/python3 -c 'import mirtop.gff.validator'", d.path).status != 0)
        GTEST_SKIP() << "mirtop is not installed (apt-get install mirtop)";
    write_samples(d);
    ASSERT_EQ(run(C + " mirna quant -o out S1.fq.gz S2.fastq.gz", d.path).status, 0);
    write_file(d / "check.py",
               "import logging, sys\n"
               "logging.basicConfig(level=logging.WARNING, format='%(levelname)s %(message)s')\n"
               "from mirtop.gff import validator\n"
               "from mirtop.mirna.realign import read_id\n"
               "from mirtop.gff.body import read_gff_line\n"
               "validator._check_file(sys.argv[1])\n"
               "n = 0\n"
               "for line in open(sys.argv[1]):\n"
               "    if line.startswith('#'):\n"
               "        continue\n"
               "    a = read_gff_line(line)['attrb']\n"
               "    if read_id(a['UID']) != a['Read']:\n"
               "        print('ERROR UID ' + a['UID'] + ' is not ' + a['Read'])\n"
               "    n += 1\n"
               "print('records', n)\n");
    auto const r = run("/usr/bin/python3 -W ignore check.py out/mirna.gff3", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err.find("ERROR"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("ERROR"), std::string::npos) << r.out;
    size_t records = 0;
    for (auto const & line : read_cells(d / "out/mirna.gff3"))
        records += !line.empty() && line[0].rfind("#", 0) != 0;
    EXPECT_NE(r.out.find("records " + std::to_string(records)), std::string::npos) << r.out;
}
