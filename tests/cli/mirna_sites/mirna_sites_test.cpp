// CLI tests of `chemores mirna sites`: run the binary in a fresh directory and parse the TSV, BED, GFF3, JSON,
// summary, families and variant tables it writes; bad inputs must fail with a clear message and leave no file.

#include "../cli_test_util.hpp"

#include <gtest/gtest.h>
#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

using namespace chemores::test;

namespace
{
std::string const C = bin();

using table = tsv_table;

bool has_column(table const & t, std::string const & c)
{
    return std::find(t.header.begin(), t.header.end(), c) != t.header.end();
}

std::set<std::string> const canonical{"8mer", "7mer-m8", "7mer-A1", "6mer", "offset-6mer"};

// The bundled 3'UTRs as name -> sequence.
std::map<std::string, std::string> bundled_utrs()
{
    std::map<std::string, std::string> m;
    std::string name;
    for (auto const & line : lines_of(read_file(panel_dir() + "/utr3.fa")))
    {
        if (line.empty())
            continue;
        if (line[0] == '>')
            name = line.substr(1, line.find(' ') - 1);
        else
            m[name] += line;
    }
    return m;
}

std::string md5_hex(std::string const & data)
{
    hts_md5_context * ctx = hts_md5_init();
    hts_md5_update(ctx, data.data(), static_cast<unsigned long>(data.size()));
    unsigned char digest[16];
    hts_md5_final(digest, ctx);
    hts_md5_destroy(ctx);
    char hex[33];
    hts_md5_hex(hex, digest);
    return hex;
}

std::map<std::string, std::string> const * find_row(table const & t, std::map<std::string, std::string> const & want)
{
    for (auto const & r : t.rows)
    {
        bool ok = true;
        for (auto const & [k, v] : want)
            ok = ok && r.count(k) && r.at(k) == v;
        if (ok)
            return &r;
    }
    return nullptr;
}

// Files in the directory other than the listed inputs (outputs or temporary files left behind).
std::vector<std::string> extra_files(temp_dir const & d, std::set<std::string> const & inputs)
{
    std::vector<std::string> out;
    for (auto const & f : list_dir(d.path))
        if (!inputs.count(f))
            out.push_back(f);
    return out;
}

std::string const vcf_header = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
} // namespace

TEST(mirna_sites_cli, no_arguments_runs_on_bundled_data)
{
    temp_dir d;
    auto const r = run(C + " mirna sites", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const t = parse_tsv(r.out);
    for (auto const * c : {"mirna", "utr", "site_type", "start", "end"})
        EXPECT_TRUE(has_column(t, c)) << c;
    EXPECT_GT(t.rows.size(), 50u);
    std::set<std::string> mirnas;
    for (auto const & row : t.rows)
    {
        EXPECT_TRUE(canonical.count(row.at("site_type"))) << row.at("site_type");
        mirnas.insert(row.at("mirna"));
    }
    EXPECT_TRUE(mirnas.count("hsa-miR-519c-3p"));
    EXPECT_TRUE(mirnas.count("hsa-miR-17-5p"));
    EXPECT_NE(r.err.find("22 miRNAs"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("literature hsa-miR-21-5p -> PTEN: no canonical site"), std::string::npos) << r.err;
}

TEST(mirna_sites_cli, all_outputs_on_bundled_data)
{
    temp_dir d;
    auto const r = run(C + " mirna sites -o sites.tsv --bed sites.bed --gff3 sites.gff3 --json sites.json "
                           "--summary summary.tsv --families families.tsv",
                       d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(list_dir(d.path),
              (std::vector<std::string>{
                  "families.tsv", "sites.bed", "sites.gff3", "sites.json", "sites.tsv", "summary.tsv"}));
    auto const t = parse_tsv(read_file(d / "sites.tsv"));
    auto const utrs = bundled_utrs();
    ASSERT_EQ(utrs.size(), 3u);
    // every site: inside its UTR, site_seq = the UTR bases, coordinates consistent
    for (auto const & row : t.rows)
    {
        auto const & u = utrs.at(row.at("utr"));
        int64_t const s = std::stoll(row.at("start")), e = std::stoll(row.at("end"));
        ASSERT_GE(s, 1);
        ASSERT_LE(e, static_cast<int64_t>(u.size()));
        EXPECT_EQ(row.at("site_seq"), u.substr(static_cast<size_t>(s - 1), static_cast<size_t>(e - s + 1)));
        EXPECT_EQ(std::stoll(row.at("dist_5p")), s - 1);
        EXPECT_EQ(std::stoll(row.at("dist_3p")), static_cast<int64_t>(u.size()) - e);
        EXPECT_EQ(row.at("near_stop"), s - 1 < 15 ? "yes" : "no");
        int64_t const len = row.at("site_type") == "8mer" ? 8 : row.at("site_type").rfind("7mer", 0) == 0 ? 7 : 6;
        EXPECT_EQ(e - s + 1, len) << row.at("site_type");
        if (row.at("utr") == "ABCB1_3UTR") // NM_000927.5 tx 4309..5534
        {
            EXPECT_EQ(row.at("transcript"), "NM_000927.5");
            EXPECT_EQ(std::stoll(row.at("tx_start")), 4308 + s);
            EXPECT_EQ(row.at("chrom"), ".");
        }
        if (row.at("utr") == "ABCG2_3UTR") // GRCh38 chr4:88090265-88092234(-)
        {
            EXPECT_EQ(row.at("chrom"), "chr4");
            EXPECT_EQ(row.at("strand"), "-");
            EXPECT_EQ(std::stoll(row.at("genome_end")), 88092234 - (s - 1));
            EXPECT_EQ(std::stoll(row.at("genome_start")), 88092234 - (e - 1));
        }
        if (row.at("utr") == "PTEN_3UTR" && e <= 3303) // hg19 chr10:89725230-89728532(+)
        {
            EXPECT_EQ(row.at("genome_build"), "hg19");
            EXPECT_EQ(std::stoll(row.at("genome_start")), 89725230 + s - 1);
            EXPECT_EQ(std::stoll(row.at("tx_start")), 2243 + s);
        }
    }
    // the literature pair miR-519c -> ABCG2 has its 7mer-A1 (ABCG2 3'UTR 1542-1548)
    EXPECT_TRUE(find_row(t,
                         {{"mirna", "hsa-miR-519c-3p"},
                          {"utr", "ABCG2_3UTR"},
                          {"site_type", "7mer-A1"},
                          {"start", "1542"},
                          {"end", "1548"}}));

    // BED: one line per site, 0-based start
    auto const bed = lines_of(read_file(d / "sites.bed"));
    ASSERT_EQ(bed.size(), t.rows.size());
    for (size_t i = 0; i < bed.size(); ++i)
    {
        auto const f = split(bed[i], '\t');
        ASSERT_EQ(f.size(), 6u) << bed[i];
        EXPECT_EQ(f[0], t.rows[i].at("utr"));
        EXPECT_EQ(std::stoll(f[1]), std::stoll(t.rows[i].at("start")) - 1);
        EXPECT_EQ(f[2], t.rows[i].at("end"));
        EXPECT_EQ(f[3], t.rows[i].at("mirna") + ":" + t.rows[i].at("site_type"));
        EXPECT_EQ(f[5], "+");
    }

    // GFF3: header, sequence regions, one feature per site
    auto const gff = lines_of(read_file(d / "sites.gff3"));
    ASSERT_FALSE(gff.empty());
    EXPECT_EQ(gff[0], "##gff-version 3");
    size_t features = 0;
    for (auto const & line : gff)
    {
        if (line.rfind("##sequence-region", 0) == 0)
            continue;
        if (line.empty() || line[0] == '#')
            continue;
        auto const f = split(line, '\t');
        ASSERT_EQ(f.size(), 9u) << line;
        EXPECT_EQ(f[2], "miRNA_target_site");
        auto const & row = t.rows[features];
        EXPECT_EQ(f[0], row.at("utr"));
        EXPECT_EQ(f[3], row.at("start"));
        EXPECT_EQ(f[4], row.at("end"));
        EXPECT_NE(f[8].find("mirna=" + row.at("mirna") + ";"), std::string::npos) << f[8];
        EXPECT_NE(f[8].find("site_type=" + row.at("site_type") + ";"), std::string::npos) << f[8];
        ++features;
    }
    EXPECT_EQ(features, t.rows.size());

    // JSON: provenance and the same sites
    auto const j = nlohmann::json::parse(read_file(d / "sites.json"));
    auto const version = run(C + " --version", d.path).out;
    EXPECT_EQ("chemores " + j["provenance"]["version"].get<std::string>() + "\n", version);
    EXPECT_NE(j["provenance"]["command_line"].get<std::string>().find("mirna sites -o sites.tsv"), std::string::npos);
    std::map<std::string, std::string> md5s;
    for (auto const & in : j["provenance"]["inputs"])
    {
        EXPECT_EQ(in["md5"].get<std::string>().size(), 32u);
        md5s[in["source"].get<std::string>()] = in["md5"].get<std::string>();
    }
    EXPECT_EQ(md5s.at("builtin:panel/utr3.fa"), md5_hex(read_file(panel_dir() + "/utr3.fa")));
    EXPECT_EQ(md5s.at("builtin:panel/mirna_matures.fa"), md5_hex(read_file(panel_dir() + "/mirna_matures.fa")));
    ASSERT_EQ(j["sites"].size(), t.rows.size());
    for (size_t i = 0; i < t.rows.size(); ++i)
    {
        EXPECT_EQ(j["sites"][i]["mirna"], t.rows[i].at("mirna"));
        EXPECT_EQ(std::to_string(j["sites"][i]["start"].get<int64_t>()), t.rows[i].at("start"));
    }
    bool pair_519c = false, pair_21 = false;
    for (auto const & l : j["literature_pairs"])
    {
        if (l["mirna"] == "hsa-miR-519c-3p" && l["gene"] == "ABCG2")
            pair_519c = l["status"] == "canonical_site";
        if (l["mirna"] == "hsa-miR-21-5p" && l["gene"] == "PTEN")
            pair_21 = l["status"] == "no_canonical_site";
    }
    EXPECT_TRUE(pair_519c);
    EXPECT_TRUE(pair_21);

    // summary: every (miRNA, UTR), literature pairs marked
    auto const s = parse_tsv(read_file(d / "summary.tsv"));
    EXPECT_EQ(s.rows.size(), 22u * 3u);
    auto const * r519 = find_row(s, {{"mirna", "hsa-miR-519c-3p"}, {"utr", "ABCG2_3UTR"}});
    ASSERT_TRUE(r519);
    EXPECT_EQ(r519->at("literature_pair"), "yes");
    EXPECT_EQ(r519->at("canonical_site"), "yes");
    EXPECT_NE(r519->at("canonical_sites").find("7mer-A1:1542-1548"), std::string::npos);
    auto const * r21 = find_row(s, {{"mirna", "hsa-miR-21-5p"}, {"utr", "PTEN_3UTR"}});
    ASSERT_TRUE(r21);
    EXPECT_EQ(r21->at("literature_pair"), "yes");
    EXPECT_EQ(r21->at("canonical_site"), "no");
    auto const * r17 = find_row(s, {{"mirna", "hsa-miR-17-5p"}, {"utr", "PTEN_3UTR"}});
    ASSERT_TRUE(r17);
    EXPECT_EQ(r17->at("literature_pair"), "yes");
    EXPECT_EQ(r17->at("literature_source"), "PMID:26500892");
    size_t counted = 0;
    for (auto const & row : s.rows)
        counted += std::stoul(row.at("n_canonical"));
    EXPECT_EQ(counted, t.rows.size());

    // seed families: miR-221-3p and miR-222-3p share AGCUACAU -> GCUACAU
    auto const fam = parse_tsv(read_file(d / "families.tsv"));
    auto const * f221 = find_row(fam, {{"seed", "GCUACAU"}, {"utr", "PTEN_3UTR"}});
    ASSERT_TRUE(f221);
    EXPECT_EQ(f221->at("members"), "hsa-miR-221-3p,hsa-miR-222-3p");
    EXPECT_EQ(f221->at("n_members"), "2");
}

TEST(mirna_sites_cli, all_matures_on_user_utrs)
{
    temp_dir d;
    // u1: lower case and U; a planted miR-21 8mer (ATAAGCTA) at 31-38. u2: with N bases.
    write_file(d / "U.fa",
               ">u1 test\n" + std::string(30, 'g') + "auaagcua" + std::string(30, 'c') +
                   "\n>u2\nACGTNNNNACGTACGGACTTTGCACTTAAGCATTTTGCACTAAACCGGTAGT\n");
    auto const r = run(C + " mirna sites --mirnas all --utrs U.fa -o sites.tsv", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const t = parse_tsv(read_file(d / "sites.tsv"));
    for (auto const * c : {"mirna", "utr", "site_type", "start", "end"})
        EXPECT_TRUE(has_column(t, c)) << c;
    EXPECT_GT(t.rows.size(), 20u);
    for (auto const & row : t.rows)
    {
        EXPECT_TRUE(row.at("utr") == "u1" || row.at("utr") == "u2") << row.at("utr");
        EXPECT_TRUE(canonical.count(row.at("site_type")));
        EXPECT_EQ(row.at("site_seq").find('N'), std::string::npos);
    }
    EXPECT_TRUE(find_row(t,
                         {{"mirna", "hsa-miR-21-5p"},
                          {"utr", "u1"},
                          {"site_type", "8mer"},
                          {"start", "31"},
                          {"end", "38"},
                          {"site_seq", "ATAAGCTA"}}));
    // the same with two threads and small inputs: identical bytes
    auto const r2 = run(C + " mirna sites --mirnas all --utrs U.fa -o sites2.tsv -@ 2", d.path);
    ASSERT_EQ(r2.status, 0) << r2.err;
    EXPECT_EQ(read_file(d / "sites.tsv"), read_file(d / "sites2.tsv"));
}

TEST(mirna_sites_cli, output_independent_of_threads)
{
    temp_dir d;
    for (auto const * ext : {"", " --extended"})
    {
        auto const a = run(C + " mirna sites --mirnas all -@ 1 -o a.tsv" + ext, d.path);
        auto const b = run(C + " mirna sites --mirnas all -@ 2 -o b.tsv" + ext, d.path);
        ASSERT_EQ(a.status, 0) << a.err;
        ASSERT_EQ(b.status, 0) << b.err;
        auto const ta = read_file(d / "a.tsv");
        EXPECT_GT(ta.size(), 100000u);
        EXPECT_EQ(ta, read_file(d / "b.tsv"));
    }
    // extended types appear only with --extended, flagged canonical=no
    auto const t = parse_tsv(read_file(d / "a.tsv"));
    std::set<std::string> types;
    for (auto const & row : t.rows)
    {
        types.insert(row.at("site_type"));
        EXPECT_EQ(row.at("canonical"), canonical.count(row.at("site_type")) ? "yes" : "no");
    }
    EXPECT_TRUE(types.count("6mer-A1"));
    EXPECT_TRUE(types.count("8mer"));
}

TEST(mirna_sites_cli, genes_tracks_and_near_stop)
{
    temp_dir d;
    auto r = run(C + " mirna sites --genes MDR1 -o a.tsv", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    for (auto const & row : parse_tsv(read_file(d / "a.tsv")).rows)
        EXPECT_EQ(row.at("utr"), "ABCB1_3UTR");
    r = run(C + " mirna sites --mirnas all --track-coords genome --bed g.bed --gff3 g.gff3 -o all.tsv", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("left out of the BED/GFF3 tracks"), std::string::npos) << r.err; // ABCB1: no genome
    for (auto const & line : lines_of(read_file(d / "g.bed")))
    {
        auto const f = split(line, '\t');
        ASSERT_EQ(f.size(), 6u);
        EXPECT_TRUE((f[0] == "chr4" && f[5] == "-") || (f[0] == "chr10" && f[5] == "+")) << line;
    }
    r = run(C + " mirna sites --mirnas all --exclude-near-stop -o x.tsv", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const all = parse_tsv(read_file(d / "all.tsv"));
    auto const x = parse_tsv(read_file(d / "x.tsv"));
    size_t near = 0;
    for (auto const & row : all.rows)
        near += row.at("near_stop") == "yes" ? 1 : 0;
    EXPECT_GT(near, 0u);
    EXPECT_EQ(x.rows.size() + near, all.rows.size());
    for (auto const & row : x.rows)
        EXPECT_EQ(row.at("near_stop"), "no");
}

TEST(mirna_sites_cli, variants_gained_and_lost)
{
    temp_dir d;
    auto const utrs = bundled_utrs();
    auto const & abcg2 = utrs.at("ABCG2_3UTR");
    // UTR coordinates: destroy t4 of the miR-519c-3p 7mer-A1 at 1542-1548 (UTR 1545)
    char const b = abcg2[1544];
    std::string const alt = b == 'A' ? "C" : "A";
    // genome coordinates (GRCh38, minus strand): the same base, written on the + strand
    char const plus = b == 'A' ? 'T' : b == 'C' ? 'G' : b == 'G' ? 'C' : 'A';
    std::string const plus_alt = alt == "A" ? "T" : "G";
    std::string const vcf = vcf_header + "ABCG2_3UTR\t1545\trs1\t" + std::string(1, b) + "\t" + alt + ",G\t.\t.\t.\n" +
                            "chr4\t" + std::to_string(88092234 - 1544) + "\trs2\t" + std::string(1, plus) + "\t" +
                            plus_alt + "\t.\t.\t.\n" + "chr7\t100\t.\tA\tG\t.\t.\t.\n";
    write_file(d / "v.vcf", vcf);
    BGZF * fp = bgzf_open((d / "v.vcf.gz").c_str(), "w");
    ASSERT_TRUE(fp);
    ASSERT_GE(bgzf_write(fp, vcf.data(), vcf.size()), 0);
    bgzf_close(fp);
    for (auto const * name : {"v.vcf", "v.vcf.gz"})
    {
        auto const r = run(C + " mirna sites --mirnas hsa-miR-519c-3p --vcf " + name +
                               " --variants var.tsv --json v.json -o s.tsv",
                           d.path);
        ASSERT_EQ(r.status, 0) << r.err;
        auto const t = parse_tsv(read_file(d / "var.tsv"));
        for (auto const * c : {"vcf_line", "allele", "utr", "mirna", "effect", "ref_site_type", "alt_site_type"})
            EXPECT_TRUE(has_column(t, c)) << c;
        auto const * lost = find_row(t, {{"vcf_line", "3"}, {"allele", "1"}, {"effect", "lost"}});
        ASSERT_TRUE(lost) << read_file(d / "var.tsv");
        EXPECT_EQ(lost->at("mirna"), "hsa-miR-519c-3p");
        EXPECT_EQ(lost->at("ref_site_type"), "7mer-A1");
        EXPECT_EQ(lost->at("ref_start"), "1542");
        EXPECT_TRUE(find_row(t, {{"vcf_line", "3"}, {"allele", "2"}}));
        auto const * g = find_row(t, {{"vcf_line", "4"}, {"coords", "genome"}, {"effect", "lost"}});
        ASSERT_TRUE(g) << read_file(d / "var.tsv");
        EXPECT_EQ(g->at("utr_start"), "1545");
        auto const j = nlohmann::json::parse(read_file(d / "v.json"));
        EXPECT_EQ(j["vcf"]["records"], 3);
        EXPECT_EQ(j["vcf"]["outside_utrs"], 1);
        EXPECT_GE(j["variants"].size(), 3u);
    }
}

TEST(mirna_sites_cli, bad_inputs_fail_cleanly)
{
    temp_dir d;
    write_file(d / "notfasta.txt", "this is not a FASTA file\n");
    write_file(d / "empty.fa", "");
    write_file(d / "reads.fq", "@r1\nACGTACGTAC\n+\nIIIIIIIIII\n");
    write_file(d / "short.fa", ">s\nACGTA\n>long\n" + std::string(20, 'G') + "ATAAGCTA" + std::string(20, 'G') + "\n");
    write_file(d / "bad.vcf", vcf_header + "ABCG2_3UTR\t12\t.\tA\n");
    write_file(d / "mismatch.vcf", vcf_header + "long\t21\t.\tC\tG\t.\t.\t.\n");
    std::set<std::string> const inputs{"notfasta.txt", "empty.fa", "reads.fq", "short.fa", "bad.vcf", "mismatch.vcf"};
    std::string const outs = " -o out.tsv --bed out.bed --json out.json --summary sum.tsv";

    auto r = run(C + " mirna sites --utrs notfasta.txt" + outs, d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err.rfind("chemores mirna sites: error: notfasta.txt line 1: not FASTA", 0), 0u) << r.err;
    EXPECT_TRUE(extra_files(d, inputs).empty());

    r = run(C + " mirna sites --mirnas miR-21-5q,miR-17" + outs, d.path);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("unknown miRNA 'miR-21-5q'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("closest: hsa-miR-21-5p"), std::string::npos) << r.err;
    EXPECT_TRUE(extra_files(d, inputs).empty());

    r = run(C + " mirna sites --utrs empty.fa" + outs, d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("empty.fa: no sequences"), std::string::npos) << r.err;
    EXPECT_TRUE(extra_files(d, inputs).empty());

    r = run(C + " mirna sites --utrs reads.fq" + outs, d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("must be FASTA, not FASTQ"), std::string::npos) << r.err;
    EXPECT_TRUE(extra_files(d, inputs).empty());

    r = run(C + " mirna sites --utrs short.fa --vcf bad.vcf --variants v.tsv" + outs, d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("bad.vcf line 3: expected at least 8 tab-separated columns"), std::string::npos) << r.err;
    EXPECT_TRUE(extra_files(d, inputs).empty());

    r = run(C + " mirna sites --mirnas hsa-miR-21-5p --utrs short.fa --vcf mismatch.vcf --variants v.tsv" + outs,
            d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("mismatch.vcf line 3: REF C does not match long at 21..21 (A)"), std::string::npos) << r.err;
    EXPECT_TRUE(extra_files(d, inputs).empty());

    r = run(C + " mirna sites --variants v.tsv", d.path);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--variants needs --vcf"), std::string::npos) << r.err;

    r = run(C + " mirna sites --genes KRAS", d.path);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("no UTR for gene 'KRAS'; available: ABCB1 (ABCB1_3UTR)"), std::string::npos) << r.err;

    r = run(C + " mirna sites --utrs missing.fa", d.path);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_TRUE(extra_files(d, inputs).empty());

    // a UTR shorter than a seed match: a warning, and the other UTR is scanned
    r = run(C + " mirna sites --mirnas hsa-miR-21-5p --utrs short.fa -o out.tsv", d.path);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("chemores mirna sites: warning: UTR s is 5 nt, shorter than the shortest site (6 nt)"),
              std::string::npos)
        << r.err;
    auto const t = parse_tsv(read_file(d / "out.tsv"));
    ASSERT_EQ(t.rows.size(), 1u);
    EXPECT_EQ(t.rows[0].at("utr"), "long");
    EXPECT_EQ(t.rows[0].at("site_type"), "8mer");
}
