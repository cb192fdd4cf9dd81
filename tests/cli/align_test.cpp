// CLI tests of `chemores align`: each runs the binary in a fresh directory and parses what it wrote.

#include "cli_test_util.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <htslib/sam.h>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fs = std::filesystem;
using namespace chemores::test;

namespace
{
std::string const C = bin();

// Simulate `n` pairs from the ABL1 kinase domain (plus fusion junctions) into dir/r1.fq, dir/r2.fq.
void simulate(temp_dir const & d, int n, std::string const & extra = "")
{
    auto r = run(simreads() + " --fasta " + panel_dir() + "/transcripts.fa --segments " + panel_dir() +
                     "/segments.tsv --contig NM_005157.6:700-1700 -n " + std::to_string(n) +
                     " --seed 5 --sub 0.005 -1 r1.fq -2 r2.fq " + extra,
                 d.path);
    ASSERT_EQ(r.status, 0) << r.err;
}

// Truth from the simulator's read names: s<i>;contig,pos,strand;contig,pos,strand
std::pair<std::string, int64_t> truth(sam_record const & s)
{
    std::stringstream ss{s.qname};
    std::string part;
    std::vector<std::string> parts;
    while (std::getline(ss, part, ';'))
        parts.push_back(part);
    auto const & t = parts.at((s.flag & BAM_FREAD2) ? 2 : 1);
    auto const c1 = t.find(','), c2 = t.find(',', c1 + 1);
    return {t.substr(0, c1), std::stoll(t.substr(c1 + 1, c2 - c1 - 1))};
}

std::string strip_pg(std::string const & sam)
{
    std::stringstream in{sam}, out;
    for (std::string line; std::getline(in, line);)
        if (line.rfind("@PG", 0) != 0)
            out << line << '\n';
    return out.str();
}
} // namespace

TEST(cli, help_lists_commands)
{
    temp_dir d;
    auto r = run(C + " --help", d.path);
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("align"), std::string::npos);
    EXPECT_NE(r.out.find("version"), std::string::npos);
    r = run(C + " help align", d.path);
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("--preset"), std::string::npos);
    r = run(C + " frobnicate", d.path);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos);
    r = run(C + " align --threads 0 x.fq", d.path);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(r.err.rfind("chemores align: error:", 0), 0u) << r.err;
}

TEST(cli, version_verbose_reports_simd_and_reference)
{
    temp_dir d;
    auto r = run(C + " version --verbose", d.path);
    ASSERT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("simd compiled: scalar"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("simd available:"), std::string::npos);
    EXPECT_NE(r.out.find("simd chosen:"), std::string::npos);
    EXPECT_NE(r.out.find("reference builtin:transcripts: 8 sequences"), std::string::npos) << r.out;
}

TEST(align, paired_bam_positions_tags_and_header)
{
    temp_dir d;
    simulate(d, 300);
    auto r = run(C + " align r1.fq r2.fq -o out.bam -R '@RG\\tID:run1\\tSM:p1' --stats st.json", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const bam = read_alignments(d / "out.bam");
    EXPECT_NE(bam.header.find("@PG\tID:chemores\tPN:chemores"), std::string::npos);
    EXPECT_NE(bam.header.find("CL:" + C + " align r1.fq r2.fq"), std::string::npos) << bam.header;
    EXPECT_NE(bam.header.find("@SQ\tSN:NM_005157.6\tLN:5578"), std::string::npos);
    EXPECT_NE(bam.header.find("@RG\tID:run1\tSM:p1"), std::string::npos);
    ASSERT_EQ(bam.records.size(), 600u);
    size_t correct = 0, proper = 0;
    for (size_t i = 0; i < bam.records.size(); ++i)
    {
        auto const & s = bam.records[i];
        EXPECT_EQ(s.rg, "run1");
        EXPECT_TRUE(s.flag & BAM_FPAIRED);
        EXPECT_EQ(static_cast<bool>(s.flag & BAM_FREAD1), i % 2 == 0); // input order kept
        ASSERT_FALSE(s.flag & BAM_FUNMAP) << s.qname;
        EXPECT_GE(s.nm, 0);
        EXPECT_GT(s.as, 0);
        EXPECT_FALSE(s.md.empty());
        auto const [tc, tp] = truth(s);
        correct += s.rname == tc && std::abs(s.pos - tp) <= 5;
        proper += (s.flag & BAM_FPROPER_PAIR) != 0;
        // mates point at each other, template lengths are opposite
        auto const & mate = bam.records[i ^ 1];
        EXPECT_EQ(s.pnext, mate.pos);
        EXPECT_EQ(s.tlen, -mate.tlen);
    }
    EXPECT_EQ(correct, 600u);
    EXPECT_GE(proper, 590u);

    auto const st = nlohmann::json::parse(read_file(d / "st.json"));
    EXPECT_EQ(st["reads_in"], 600);
    EXPECT_EQ(st["reads_mapped"], 600);
    EXPECT_EQ(st["mapped_per_contig"]["NM_005157.6"], 600);
    EXPECT_EQ(st["reference"]["origin"], "builtin:transcripts");
}

TEST(align, sorted_indexed_bam_and_cram)
{
    temp_dir d;
    simulate(d, 200);
    auto r = run(C + " align r1.fq r2.fq --sort --write-index -o sorted.bam", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(fs::exists(d / "sorted.bam.bai"));
    auto const bam = read_alignments(d / "sorted.bam");
    EXPECT_NE(bam.header.find("SO:coordinate"), std::string::npos);
    for (size_t i = 1; i < bam.records.size(); ++i)
        EXPECT_LE(bam.records[i - 1].pos, bam.records[i].pos);
    samFile * fp = sam_open((d / "sorted.bam").c_str(), "r");
    hts_idx_t * idx = sam_index_load(fp, (d / "sorted.bam").c_str());
    EXPECT_NE(idx, nullptr);
    hts_idx_destroy(idx);
    sam_close(fp);

    // a tiny sort memory forces chunks to disk; the merge must give the same records
    r = run(C + " align r1.fq r2.fq --sort --sort-memory 1048576 -o chunked.sam --no-PG -@ 2", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    r = run(C + " align r1.fq r2.fq --sort -o inmem.sam --no-PG", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(read_file(d / "chunked.sam"), read_file(d / "inmem.sam"));

    r = run(C + " align r1.fq r2.fq -o out.cram", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const cram = read_alignments(d / "out.cram");
    EXPECT_EQ(cram.records.size(), 400u);
    for (auto const & s : cram.records)
        EXPECT_EQ(s.rname, "NM_005157.6");
}

TEST(align, output_is_identical_for_any_thread_count_and_simd_target)
{
    temp_dir d;
    simulate(d, 500, "--indel 0.002");
    auto r = run(C + " align r1.fq r2.fq --no-PG -@ 1 > t1.sam", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    r = run(C + " align r1.fq r2.fq --no-PG -@ 2 > t2.sam", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const ref = read_file(d / "t1.sam");
    EXPECT_EQ(ref, read_file(d / "t2.sam"));

    auto v = run(C + " version --verbose", d.path);
    auto const line_start = v.out.find("simd available: ");
    ASSERT_NE(line_start, std::string::npos);
    std::stringstream targets{v.out.substr(line_start + 16, v.out.find('\n', line_start) - line_start - 16)};
    int n = 0;
    for (std::string t; targets >> t; ++n)
    {
        r = run(C + " align r1.fq r2.fq --no-PG --simd " + t + " > s.sam", d.path);
        ASSERT_EQ(r.status, 0) << r.err;
        EXPECT_EQ(read_file(d / "s.sam"), ref) << "simd target " << t;
    }
    EXPECT_GE(n, 1);
}

TEST(align, stdin_gzip_and_interleaved_inputs)
{
    temp_dir d;
    simulate(d, 50);
    {
        // interleave the two mate files
        std::stringstream a{read_file(d / "r1.fq")}, b{read_file(d / "r2.fq")};
        std::string out, l;
        while (true)
        {
            std::string rec1, rec2;
            for (int i = 0; i < 4 && std::getline(a, l); ++i)
                rec1 += l + "\n";
            for (int i = 0; i < 4 && std::getline(b, l); ++i)
                rec2 += l + "\n";
            if (rec1.empty())
                break;
            out += rec1 + rec2;
        }
        write_file(d / "il.fq", out);
    }
    ASSERT_EQ(run("gzip -c r1.fq > r1.fq.gz && gzip -c r2.fq > r2.fq.gz", d.path).status, 0);
    auto r = run(C + " align r1.fq r2.fq --no-PG > plain.sam", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    r = run(C + " align r1.fq.gz r2.fq.gz --no-PG > gz.sam", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    r = run("cat il.fq | " + C + " align --interleaved - --no-PG > il.sam", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(read_file(d / "plain.sam"), read_file(d / "gz.sam"));
    EXPECT_EQ(read_file(d / "plain.sam"), read_file(d / "il.sam"));
}

TEST(align, bam_input_is_realigned)
{
    temp_dir d;
    simulate(d, 100);
    ASSERT_EQ(run(C + " align r1.fq r2.fq --no-PG -o first.bam", d.path).status, 0);
    auto r = run(C + " align first.bam --no-PG -o second.bam", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const a = read_alignments(d / "first.bam"), b = read_alignments(d / "second.bam");
    ASSERT_EQ(a.records.size(), b.records.size());
    for (size_t i = 0; i < a.records.size(); ++i)
    {
        EXPECT_EQ(a.records[i].qname, b.records[i].qname);
        EXPECT_EQ(a.records[i].pos, b.records[i].pos);
        EXPECT_EQ(a.records[i].cigar, b.records[i].cigar);
        EXPECT_EQ(a.records[i].flag, b.records[i].flag);
    }
    // coordinate-sorted input: mates are apart; every pair is still re-aligned as a pair, to the same places
    ASSERT_EQ(run(C + " align r1.fq r2.fq --sort --no-PG -o sorted.cram", d.path).status, 0);
    r = run(C + " align sorted.cram --no-PG -o third.bam", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const c = read_alignments(d / "third.bam");
    ASSERT_EQ(c.records.size(), a.records.size());
    std::map<std::pair<std::string, uint16_t>, int64_t> pos_a, pos_c;
    for (auto const & x : a.records)
        pos_a[{x.qname, x.flag}] = x.pos;
    for (auto const & x : c.records)
        pos_c[{x.qname, x.flag}] = x.pos;
    EXPECT_EQ(pos_a, pos_c);
}

TEST(align, fusion_junction_reads_counted)
{
    temp_dir d;
    auto r = run(simreads() + " --fasta " + panel_dir() + "/transcripts.fa --segments " + panel_dir() +
                     "/segments.tsv --contig BCR-ABL1_e14a2 --cross 3234 --single -n 40 --seed 9 -1 j.fq",
                 d.path);
    ASSERT_EQ(r.status, 0);
    r = run(C + " align j.fq -o j.sam --stats st.json", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const st = nlohmann::json::parse(read_file(d / "st.json"));
    auto const sam = read_alignments(d / "j.sam");
    size_t on_fusion = 0;
    for (auto const & s : sam.records)
        on_fusion += s.rname == "BCR-ABL1_e14a2";
    EXPECT_EQ(st["fusion_junction_reads"]["BCR-ABL1_e14a2"], on_fusion);
    EXPECT_GE(on_fusion, 30u); // reads crossing by < 12 bases may stay on a parent
    EXPECT_EQ(st["fusion_junction_reads"]["BCR-ABL1_e13a2"], 0);
}

TEST(align, mirna_preset_trims_and_reports_all_best_hits)
{
    temp_dir d;
    std::string const adapter = "TGGAATTCTCGGGTGCCAAGG";
    // hsa-miR-21-5p (one hairpin) and hsa-let-7a-5p (three hairpins: let-7a-1, -2, -3), plus a too-short read.
    std::string fq = "@m21\nTAGCTTATCAGACTGATGTTGA" + adapter + "ATCTC\n+\n" + std::string(48, 'I') + "\n" +
                     "@let7a\nTGAGGTAGTAGGTTGTATAGTT" + adapter.substr(0, 10) + "\n+\n" + std::string(32, 'I') + "\n" +
                     "@short\nTGAGGTAGTA" + adapter + "\n+\n" + std::string(31, 'I') + "\n";
    write_file(d / "s.fq", fq);
    auto r = run(C + " align --preset mirna s.fq -o s.sam --stats st.json", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const sam = read_alignments(d / "s.sam");
    std::map<std::string, std::vector<sam_record>> by;
    for (auto const & s : sam.records)
        by[s.qname].push_back(s);
    ASSERT_EQ(by["m21"].size(), 1u);
    EXPECT_EQ(by["m21"][0].rname, "hsa-mir-21");
    EXPECT_EQ(by["m21"][0].cigar, "22M");
    EXPECT_EQ(by["m21"][0].seq, "TAGCTTATCAGACTGATGTTGA");
    EXPECT_FALSE(by["m21"][0].flag & BAM_FREVERSE);
    std::set<std::string> let7;
    size_t primaries = 0;
    for (auto const & s : by["let7a"])
    {
        let7.insert(s.rname);
        primaries += !(s.flag & BAM_FSECONDARY);
        EXPECT_EQ(s.mapq, 0);
    }
    EXPECT_EQ(primaries, 1u);
    EXPECT_EQ(let7, (std::set<std::string>{"hsa-let-7a-1", "hsa-let-7a-2", "hsa-let-7a-3"}));
    ASSERT_EQ(by["short"].size(), 1u);
    EXPECT_TRUE(by["short"][0].flag & BAM_FUNMAP);
    auto const st = nlohmann::json::parse(read_file(d / "st.json"));
    EXPECT_EQ(st["reads_adapter_trimmed"], 3);
    EXPECT_EQ(st["reads_length_filtered"], 1);
}

TEST(align, empty_input_gives_header_only_output_and_a_warning)
{
    temp_dir d;
    write_file(d / "empty.fq", "");
    auto r = run(C + " align empty.fq -o e.bam", d.path);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("warning"), std::string::npos);
    auto const bam = read_alignments(d / "e.bam");
    EXPECT_TRUE(bam.records.empty());
    EXPECT_NE(bam.header.find("@SQ"), std::string::npos);
}

// Bad input: exit status, message naming the file and record/line, and no output left behind.
struct bad_case
{
    char const * name;
    char const * r1;
    char const * r2; // nullptr = single-end
    char const * args;
    int status;
    char const * message;
};

class align_bad_input : public ::testing::TestWithParam<bad_case>
{
};

TEST_P(align_bad_input, fails_cleanly)
{
    auto const & c = GetParam();
    temp_dir d;
    write_file(d / "r1.fq", c.r1);
    std::string files = "r1.fq";
    if (c.r2)
    {
        write_file(d / "r2.fq", c.r2);
        files += " r2.fq";
    }
    auto const before = list_dir(d.path);
    auto r = run(C + " align " + files + " " + c.args + " -o out.bam", d.path);
    EXPECT_EQ(r.status, c.status) << r.err;
    EXPECT_EQ(r.err.rfind("chemores align: error:", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(list_dir(d.path), before) << "output left behind";
}

std::string const good = "@a\nACGTACGTACGTACGTACGT\n+\nIIIIIIIIIIIIIIIIIIII\n";

INSTANTIATE_TEST_SUITE_P(
    cases, align_bad_input,
    ::testing::Values(
        bad_case{"qual_mismatch", "@a\nACGT\n+\nIII\n", nullptr, "", 1, "r1.fq line 4"},
        bad_case{"no_at", "@a\nACGT\n+\nIIII\nb\nACGT\n+\nIIII\n", nullptr, "", 1, "r1.fq line 5"},
        bad_case{"non_iupac", "@a\nACGJ\n+\nIIII\n", nullptr, "", 1, "'J' at column 4"},
        bad_case{"mates_differ_in_length", good.c_str(), "", "", 1, "has fewer reads than"},
        bad_case{"mate_names", "@a/1\nACGT\n+\nIIII\n", "@b/2\nACGT\n+\nIIII\n", "", 1, "mate names differ"},
        bad_case{"reference_not_fasta", good.c_str(), nullptr, "--reference r1.fq", 1, "must be FASTA"},
        bad_case{"missing_file", good.c_str(), nullptr, "missing.fq", 1, "missing.fq: cannot open"},
        bad_case{"bad_read_group", good.c_str(), nullptr, "-R 'RG:x'", 2, "-R must start with"},
        bad_case{"index_without_sort", good.c_str(), nullptr, "--write-index", 2, "--sort"},
        bad_case{"unknown_simd", good.c_str(), nullptr, "--simd neon", 2, "--simd"}),
    [](auto const & info) { return std::string{info.param.name}; });

TEST(align, unwritable_output_and_truncated_gzip)
{
    temp_dir d;
    write_file(d / "r.fq", good);
    auto r = run(C + " align r.fq -o /nonexistent-dir/out.bam", d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("/nonexistent-dir/out.bam"), std::string::npos) << r.err;

    std::string big;
    for (int i = 0; i < 3000; ++i)
        big += "@r" + std::to_string(i) + "\nACGTTGCATGCATGCATGCAAACCGGTTACGATCG\n+\nIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII\n";
    write_file(d / "big.fq", big);
    ASSERT_EQ(run("gzip -c big.fq > full.fq.gz", d.path).status, 0);
    auto gz = read_file(d / "full.fq.gz");
    write_file(d / "trunc.fq.gz", gz.substr(0, gz.size() / 2));
    fs::remove(d / "full.fq.gz");
    auto const before = list_dir(d.path);
    r = run(C + " align trunc.fq.gz -o out.bam", d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("trunc.fq.gz"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("truncated or corrupt"), std::string::npos) << r.err;
    EXPECT_EQ(list_dir(d.path), before);
}
