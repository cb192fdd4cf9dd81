// CLI tests of `chemores call`: simulated kinase-domain amplicons with mutations at known fractions (the simulator
// allocates variant molecules exactly, so the fraction among covering molecules is the truth), run through the binary,
// and the written calls.tsv / result.json / VCF parsed and checked against that truth.

#include "cli_test_util.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <htslib/tbx.h>
#include <htslib/vcf.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using namespace chemores::test;
using jdoc = nlohmann::json;

namespace
{
std::string const C = bin();
constexpr int64_t cds_start = 194; // NM_005157.6 c.1
// Four overlapping 300-bp amplicons tiling the ABL1 kinase domain (codons 229-500 = tx 878-1693), laid out so that no
// catalogue codon is within 7 bases of a read end (2x150 reads: the amplicon ends and its middle). As in real assay
// design: a two-substitution allele in the last ~5 bases of a read is soft-clipped by any local aligner (chemores,
// bwa, minimap2), which would hide it from every caller.
std::string const amplicons = "852-1151,1062-1361,1306-1605,1456-1755";
constexpr int pairs = 9000; // >= 2,000 molecules at every kinase-domain codon

struct entry
{
    std::string id, name, gene;
    int64_t tx = 0;  // 1-based transcript position of the first route's first changed base
    std::string alt; // bases replacing the reference there
    int64_t codon = 0;
};

//!\brief The bundled catalogue's ABL1 entries, from `chemores catalogue list` (first nucleotide route of each).
std::vector<entry> abl1_entries()
{
    temp_dir d;
    auto r = run(C + " catalogue list", d.path);
    EXPECT_EQ(r.status, 0) << r.err;
    std::vector<entry> out;
    std::stringstream in{r.out};
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line))
    {
        std::vector<std::string> f;
        std::stringstream ls{line};
        for (std::string x; std::getline(ls, x, '\t');)
            f.push_back(x);
        if (f.at(1) != "ABL1")
            continue;
        entry e;
        e.id = f[0];
        e.name = f[0].substr(5);
        e.gene = f[1];
        std::string route = f[2].substr(0, f[2].find('|')); // c.944C>T or c.944_945delinsTG
        auto const digits_end = route.find_first_not_of("0123456789", 2);
        int64_t const c = std::stoll(route.substr(2, digits_end - 2));
        e.tx = cds_start + c - 1;
        e.codon = (c + 2) / 3;
        if (auto p = route.find('>'); p != std::string::npos)
            e.alt = route.substr(p + 1);
        else
            e.alt = route.substr(route.find("delins") + 6);
        out.push_back(e);
    }
    return out;
}

void simulate(temp_dir const & d,
              std::string const & prefix,
              uint64_t seed,
              std::vector<std::string> const & variants,
              int n = pairs)
{
    std::string cmd = simreads() + " --fasta " + panel_dir() + "/transcripts.fa --contig NM_005157.6 --amplicons " +
                      amplicons + " -n " + std::to_string(n) + " --length 150 --sub 0.001 --indel 0.0001 --seed " +
                      std::to_string(seed) + " --exact-fraction --prefix " + prefix + " -1 " + prefix + "_R1.fq -2 " +
                      prefix + "_R2.fq";
    for (auto const & v : variants)
        cmd += " --variant " + v;
    auto r = run(cmd, d.path);
    ASSERT_EQ(r.status, 0) << r.err;
}

std::string variant_arg(entry const & e, double fraction)
{
    return "NM_005157.6:" + std::to_string(e.tx) + ":" + e.alt + ":" + std::to_string(fraction);
}

jdoc read_json(std::string const & path)
{
    return jdoc::parse(read_file(path));
}

std::string sheet_row(std::string const & name)
{
    return name + "\t" + name + "_R1.fq\t" + name + "_R2.fq\n";
}

bool empty_or_missing(fs::path const & dir)
{
    return !fs::exists(dir) || fs::is_empty(dir);
}

} // namespace

// Every catalogue mutation at 1 %, 2 % and 5 % in simulated amplicons at >= 2,000x: recall >= 99 %, fractions within
// 25 % relative, every status consistent with its statistics; and no false calls in 20 wild-type replicates.
TEST(call_accuracy, catalogue_mutations_at_low_fractions_and_wild_type_replicates)
{
    temp_dir d;
    auto const entries = abl1_entries();
    ASSERT_GE(entries.size(), 40u);
    std::string sheet = "sample\tfastq_1\tfastq_2\n";
    // truth[sample] = (entry id -> fraction)
    std::map<std::string, std::map<std::string, double>> truth;
    int n_samples = 0;
    uint64_t seed = 1000;
    for (double fraction : {0.01, 0.01, 0.02, 0.05})
    {
        // Entries at the same codon go to different samples.
        std::vector<entry const *> left;
        for (auto const & e : entries)
            left.push_back(&e);
        while (!left.empty())
        {
            std::set<int64_t> codons;
            std::vector<std::string> variants;
            std::string const name = "mut" + std::to_string(n_samples++);
            std::vector<entry const *> rest;
            for (auto const * e : left)
            {
                if (codons.insert(e->codon).second)
                {
                    variants.push_back(variant_arg(*e, fraction));
                    truth[name][e->id] = fraction;
                }
                else
                    rest.push_back(e);
            }
            left = rest;
            simulate(d, name, seed++, variants);
            sheet += sheet_row(name);
        }
    }
    for (int i = 0; i < 20; ++i)
    {
        std::string const name = "wt" + std::to_string(i);
        simulate(d, name, seed++, {});
        truth[name];
        sheet += sheet_row(name);
    }
    write_file(d / "samples.tsv", sheet);
    auto r = run(C + " call -@ 2 --verbosity 0 -o out --samples samples.tsv", d.path);
    ASSERT_EQ(r.status, 0) << r.err;

    auto const rows = read_tsv(d / "out/calls.tsv");
    size_t trials = 0, detected = 0, false_calls = 0, checked = 0;
    for (auto const & row : rows)
    {
        auto const & sample = row.at("sample");
        if (row.at("kind") == "compound")
            continue;
        if (row.at("gene") != "ABL1")
        {
            EXPECT_EQ(row.at("status"), "NOT_ASSESSABLE") << "no SLC19A1 reads were simulated";
            continue;
        }
        if (row.at("kind") == "catalogue")
            ++checked;
        EXPECT_GE(std::stoll(row.at("depth")), 2000) << sample << " " << row.at("mutation");
        // A NOT_DETECTED must have a limit of detection at or below --min-vaf.
        if (row.at("status") == "NOT_DETECTED")
            EXPECT_LE(std::stod(row.at("lod")), 0.03) << sample << " " << row.at("mutation");
        auto const & t = truth.at(sample);
        auto const it = t.find(row.at("id"));
        if (it == t.end())
        {
            if (row.at("status") == "DETECTED")
            {
                ++false_calls;
                ADD_FAILURE() << "false call " << row.at("mutation") << " in " << sample << " at "
                              << row.at("fraction");
            }
            continue;
        }
        ++trials;
        if (row.at("status") != "DETECTED")
        {
            ADD_FAILURE() << "missed " << row.at("mutation") << " at " << it->second << " in " << sample;
            continue;
        }
        ++detected;
        double const f = std::stod(row.at("fraction"));
        EXPECT_NEAR(f, it->second, 0.25 * it->second) << sample << " " << row.at("mutation");
        EXPECT_LE(std::stod(row.at("ci_low")), it->second) << sample << " " << row.at("mutation");
        EXPECT_GE(std::stod(row.at("ci_high")), it->second) << sample << " " << row.at("mutation");
    }
    EXPECT_GE(trials, 4 * entries.size());
    EXPECT_GE(static_cast<double>(detected), 0.99 * static_cast<double>(trials));
    EXPECT_EQ(false_calls, 0u);
    EXPECT_EQ(checked, static_cast<size_t>(n_samples + 20) * entries.size());

    // No VUS either in the wild-type replicates (simulated errors only).
    auto const doc = read_json(d / "out/result.json");
    for (auto const & s : doc["samples"])
        if (s["name"].get<std::string>().rfind("wt", 0) == 0)
            for (auto const & v : s["vus"])
                EXPECT_NE(v["status"], "DETECTED") << s["name"] << " " << v["id"];
    // Several samples: a matrix with one row per sample.
    auto const matrix = read_file(d / "out/matrix.tsv");
    EXPECT_EQ(static_cast<int>(std::count(matrix.begin(), matrix.end(), '\n')), n_samples + 20 + 1);
}

// T315M needs two substitutions in one codon (ACT>ATG): one allele, not two single-base changes.
TEST(call, two_substitution_codon_is_one_allele)
{
    temp_dir d;
    simulate(d, "t315m", 11, {"NM_005157.6:1137:TG:0.05"});
    auto r = run(C + " call --verbosity 0 -o out t315m_R1.fq t315m_R2.fq", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    std::map<std::string, std::map<std::string, std::string>> by_name;
    for (auto const & row : read_tsv(d / "out/calls.tsv"))
        by_name[row.at("mutation")] = row;
    EXPECT_EQ(by_name.at("T315M").at("status"), "DETECTED");
    EXPECT_EQ(by_name.at("T315M").at("hgvs_c"), "c.944_945delinsTG");
    EXPECT_NEAR(std::stod(by_name.at("T315M").at("fraction")), 0.05, 0.0125);
    // The molecules carrying ATG are not counted as T315I (ATT) or any other allele at the codon.
    EXPECT_EQ(by_name.at("T315I").at("status"), "NOT_DETECTED");
    EXPECT_EQ(by_name.at("T315A").at("status"), "NOT_DETECTED");
    auto const doc = read_json(d / "out/result.json");
    EXPECT_TRUE(doc["samples"][0]["vus"].empty()) << doc["samples"][0]["vus"].dump();
    // Per drug: T315M is ponatinib-relevant in the catalogue; the verdicts name it as the driver.
    for (auto const & drug : doc["samples"][0]["drugs"])
        for (auto const & driver : drug["drivers"])
            EXPECT_EQ(driver["variant"], "T315M") << drug.dump();
}

// T315I and E255V on the same molecules (one simulated allele spanning both codons): a cis compound, matched to the
// catalogue's T315I-inclusive class, which makes ponatinib resistant.
TEST(call, compound_in_cis)
{
    temp_dir d;
    // Build the allele: reference tx 957..1139 with c.764A>T (tx 957) and c.944C>T (tx 1137).
    std::string seq;
    {
        std::ifstream in{panel_dir() + "/transcripts.fa"};
        std::string line;
        bool on = false;
        while (std::getline(in, line))
        {
            if (line[0] == '>')
            {
                on = line.rfind(">NM_005157.6", 0) == 0;
                continue;
            }
            if (on)
                seq += line;
        }
    }
    std::string allele = seq.substr(957 - 1, 1139 - 957 + 1);
    ASSERT_EQ(allele[0], 'A');
    ASSERT_EQ(allele[1137 - 957], 'C');
    allele[0] = 'T';
    allele[1137 - 957] = 'T';
    simulate(d, "cis", 12, {"NM_005157.6:957:" + allele + ":0.10"});
    auto r = run(C + " call --verbosity 0 -o out cis_R1.fq cis_R2.fq", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const doc = read_json(d / "out/result.json");
    auto const & s = doc["samples"][0];
    ASSERT_EQ(s["compounds"].size(), 1u) << s["compounds"].dump();
    auto const & c = s["compounds"][0];
    EXPECT_EQ(c["evidence"], "cis");
    EXPECT_GT(c["both"].get<int>(), 100);
    // Molecules with one of the two only by a sequencing error at the other codon: a handful at most.
    EXPECT_LE(c["first_only"].get<int>(), 3);
    EXPECT_LE(c["second_only"].get<int>(), 3);
    EXPECT_NEAR(c["cis_fraction"].get<double>(), 0.10, 0.025);
    auto const matches = c["catalogue_matches"].get<std::vector<std::string>>();
    EXPECT_NE(std::find(matches.begin(), matches.end(), "T315I-inclusive compound mutants (class)"), matches.end());
    for (auto const & drug : s["drugs"])
        if (drug["drug"] == "ponatinib")
            EXPECT_EQ(drug["verdict"], "resistant") << drug.dump();
    // calls.tsv has the compound row, named as the issue asks (components joined by '+').
    bool found = false;
    for (auto const & row : read_tsv(d / "out/calls.tsv"))
        if (row.at("kind") == "compound")
        {
            found = true;
            EXPECT_EQ(row.at("mutation"), "E255V+T315I");
            EXPECT_EQ(row.at("status"), "DETECTED");
        }
    EXPECT_TRUE(found);
}

// A low-coverage sample: nothing can be ruled out at 3 %, so nothing is NOT_DETECTED; the drug verdicts say so.
TEST(call, low_coverage_is_not_assessable)
{
    temp_dir d;
    simulate(d, "low", 13, {}, 120);
    auto r = run(C + " call --verbosity 0 -o out low_R1.fq low_R2.fq", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    for (auto const & row : read_tsv(d / "out/calls.tsv"))
    {
        EXPECT_EQ(row.at("status"), "NOT_ASSESSABLE") << row.at("mutation") << " depth " << row.at("depth");
        EXPECT_NE(row.at("note"), ".");
    }
    auto const doc = read_json(d / "out/result.json");
    for (auto const & drug : doc["samples"][0]["drugs"])
        EXPECT_EQ(drug["verdict"], "not_assessable") << drug.dump();
    // With a higher --min-vaf, the same data rule out mutations at the codons it covers well enough.
    r = run(C + " call --verbosity 0 --min-vaf 0.5 -o out2 low_R1.fq low_R2.fq", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    size_t ruled_out = 0;
    for (auto const & row : read_tsv(d / "out2/calls.tsv"))
        if (row.at("status") == "NOT_DETECTED")
        {
            ++ruled_out;
            EXPECT_LE(std::stod(row.at("lod")), 0.5);
        }
    EXPECT_GT(ruled_out, 0u);
}

// The reporting floor (--min-fraction, 0.5 % by default): T315I at 0.3 % of ~8,000 molecules is significant against
// sequencing error, but not reported as DETECTED; the limit of detection still rules out 3 %, so the entry is
// NOT_DETECTED with a note. With the floor off, the same data give DETECTED.
TEST(call, reporting_floor_below_half_a_percent)
{
    temp_dir d;
    simulate(d, "lowf", 21, {"NM_005157.6:1137:T:0.003"}, 16000);
    auto r = run(C + " call --verbosity 0 -o floor lowf_R1.fq lowf_R2.fq", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    r = run(C + " call --verbosity 0 --min-fraction 0 -o nofloor lowf_R1.fq lowf_R2.fq", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto t315i = [](std::string const & path)
    {
        for (auto const & row : read_tsv(path))
            if (row.at("mutation") == "T315I")
                return row;
        ADD_FAILURE() << "no T315I row in " << path;
        return std::map<std::string, std::string>{};
    };
    auto const with = t315i(d / "floor/calls.tsv");
    auto const without = t315i(d / "nofloor/calls.tsv");
    ASSERT_FALSE(with.empty());
    ASSERT_FALSE(without.empty());
    EXPECT_GT(std::stoull(with.at("depth")), 6000u);
    EXPECT_NEAR(std::stod(with.at("fraction")), 0.003, 0.0015);
    EXPECT_EQ(without.at("status"), "DETECTED");
    EXPECT_EQ(with.at("status"), "NOT_DETECTED");
    EXPECT_NE(with.at("note").find("reporting floor"), std::string::npos) << with.at("note");
    EXPECT_LE(std::stod(with.at("lod")), 0.03);
    EXPECT_GT(std::stod(with.at("lod")), 0.005); // the floor enters the limit of detection
    auto const doc = read_json(d / "floor/result.json");
    EXPECT_DOUBLE_EQ(doc["options"]["min_fraction"].get<double>(), 0.005);
    // the floor must stay below --min-vaf
    r = run(C + " call --verbosity 0 --min-fraction 0.05 -o bad lowf_R1.fq lowf_R2.fq", d.path);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--min-fraction"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(d / "bad"));
}

// The same reads as a panel BAM and as a genome (GRCh38, hg19; with and without "chr") BAM give the same calls.
TEST(call, genome_bam_gives_the_same_calls_as_the_panel_bam)
{
    temp_dir d;
    simulate(d, "g", 14, {"NM_005157.6:1137:T:0.05", "NM_005157.6:957:T:0.03"}, 4000);
    auto r = run(C + " align --sort --write-index -o panel.bam -R '@RG\\tID:g\\tSM:g' g_R1.fq g_R2.fq", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    r = run(std::string{LIFTBAM_BIN} + " panel.bam grch38.bam GRCh38", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    r = run(std::string{LIFTBAM_BIN} + " panel.bam hg19.bam hg19 --no-chr", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto calls_of = [&](std::string const & bam) {
        auto const out = "out_" + bam;
        auto rr = run(C + " call --verbosity 0 --no-vus -o " + out + " " + bam, d.path);
        EXPECT_EQ(rr.status, 0) << rr.err;
        std::map<std::string, std::string> m;
        for (auto const & row : read_tsv(d / (out + "/calls.tsv")))
            if (row.at("gene") == "ABL1" && row.at("kind") == "catalogue")
                m[row.at("mutation")] =
                    row.at("status") + " " + row.at("depth") + " " + row.at("alt_molecules") + " " + row.at("fraction");
        return m;
    };
    auto const panel = calls_of("panel.bam");
    ASSERT_EQ(panel.at("T315I").substr(0, 8), "DETECTED");
    ASSERT_EQ(panel.at("E255V").substr(0, 8), "DETECTED");
    EXPECT_EQ(calls_of("grch38.bam"), panel);
    EXPECT_EQ(calls_of("hg19.bam"), panel);
    auto const doc = read_json(d / "out_grch38.bam/result.json");
    EXPECT_EQ(doc["samples"][0]["reference"], "GRCh38");
    EXPECT_FALSE(doc["samples"][0]["fusion"]["assessable"].get<bool>());
}

// The outputs: VCF 4.3 bgzipped + tabix-indexed with provenance header lines, result.json schema and provenance,
// the fusion type from junction reads, and identical results for -@ 1 and -@ 2 and for every SIMD target.
TEST(call, outputs_vcf_json_fusion_and_determinism)
{
    temp_dir d;
    simulate(d, "o", 15, {"NM_005157.6:1137:T:0.2", "NM_005157.6:1144:C:0.1"}, 3000);
    // Junction reads of e14a2 (junction after tx 3234 of BCR-ABL1_e14a2).
    auto r = run(simreads() + " --fasta " + panel_dir() + "/transcripts.fa --contig BCR-ABL1_e14a2:3000-3500 "
                     "--cross 3234 --min-anchor 20 -n 50 --seed 3 --prefix j -1 j_R1.fq -2 j_R2.fq",
                 d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    r = run("cat o_R1.fq j_R1.fq > s_R1.fq && cat o_R2.fq j_R2.fq > s_R2.fq", d.path);
    ASSERT_EQ(r.status, 0);
    r = run(C + " call -@ 1 --verbosity 0 -o one s_R1.fq s_R2.fq", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    r = run(C + " call -@ 2 --verbosity 0 -o two s_R1.fq s_R2.fq", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(read_file(d / "one/calls.tsv"), read_file(d / "two/calls.tsv"));
    auto comparable = [&](std::string const & dir) {
        auto doc = read_json(d / (dir + "/result.json"));
        doc.erase("provenance"); // the command line and the SIMD target differ
        doc["samples"][0].erase("input");
        return doc;
    };
    auto const doc1 = comparable("one"), doc2 = comparable("two");
    EXPECT_TRUE(doc1 == doc2) << jdoc::diff(doc1, doc2).dump().substr(0, 2000);
    // Every SIMD target this machine has (the FASTQ is aligned inside call) gives the same calls.
    auto const v = run(C + " version --verbose", d.path);
    auto const line_start = v.out.find("simd available: ");
    ASSERT_NE(line_start, std::string::npos) << v.out;
    std::stringstream targets{v.out.substr(line_start + 16, v.out.find('\n', line_start) - line_start - 16)};
    int n = 0;
    for (std::string t; targets >> t; ++n)
    {
        r = run(C + " call -@ 2 --simd " + t + " --verbosity 0 -o simd_" + t + " s_R1.fq s_R2.fq", d.path);
        ASSERT_EQ(r.status, 0) << t << ": " << r.err;
        EXPECT_EQ(read_file(d / "one/calls.tsv"), read_file(d / ("simd_" + t + "/calls.tsv"))) << t;
        EXPECT_EQ(read_json(d / ("simd_" + t + "/result.json"))["provenance"]["simd_target"], t);
        auto const doc3 = comparable("simd_" + t);
        EXPECT_TRUE(doc1 == doc3) << t << ": " << jdoc::diff(doc1, doc3).dump().substr(0, 2000);
    }
    EXPECT_GE(n, 1) << v.out;

    auto const files = list_dir(d.path / "one");
    for (auto const * f : {"calls.tsv", "calls.vcf.gz", "calls.vcf.gz.tbi", "result.json", "summary.txt", "s.bam",
                           "s.bam.bai"})
        EXPECT_NE(std::find(files.begin(), files.end(), f), files.end()) << f;
    EXPECT_EQ(std::find(files.begin(), files.end(), "matrix.tsv"), files.end()) << "one sample: no matrix";

    auto const doc = read_json(d / "one/result.json");
    EXPECT_EQ(doc["schema_version"], 1);
    for (auto const * k : {"version", "git", "command", "catalogue_version", "reference_checksum", "simd_target"})
        EXPECT_FALSE(doc["provenance"][k].get<std::string>().empty()) << k;
    auto const & s = doc["samples"][0];
    EXPECT_EQ(s["fusion"]["type"], "e14a2");
    EXPECT_GE(s["fusion"]["junction_reads"]["e14a2"].get<int>(), 40);
    EXPECT_EQ(s["fusion"]["junction_reads"]["e13a2"].get<int>(), 0);

    // VCF: header lines, the T315I record with its per-sample values, and a working tabix index.
    htsFile * fp = hts_open((d / "one/calls.vcf.gz").c_str(), "r");
    ASSERT_NE(fp, nullptr);
    EXPECT_EQ(hts_get_format(fp)->compression, bgzf);
    bcf_hdr_t * h = bcf_hdr_read(fp);
    ASSERT_NE(h, nullptr);
    kstring_t ks{0, 0, nullptr};
    bcf_hdr_format(h, 0, &ks);
    std::string const header{ks.s, ks.l};
    free(ks.s);
    EXPECT_NE(header.find("##fileformat=VCFv4.3"), std::string::npos);
    EXPECT_NE(header.find("##chemoresVersion="), std::string::npos);
    EXPECT_NE(header.find("##chemoresCommand="), std::string::npos);
    EXPECT_NE(header.find("##reference=<ID=builtin:transcripts,MD5="), std::string::npos);
    bcf1_t * rec = bcf_init();
    bool t315i = false;
    while (bcf_read(fp, h, rec) == 0)
    {
        bcf_unpack(rec, BCF_UN_ALL);
        char * gene = nullptr;
        int ngene = 0;
        ASSERT_GT(bcf_get_info_string(h, rec, "GENE", &gene, &ngene), 0);
        EXPECT_STREQ(gene, "ABL1");
        free(gene);
        if (rec->pos + 1 == 1137)
        {
            t315i = true;
            EXPECT_STREQ(rec->d.id, "ABL1:T315I");
            EXPECT_STREQ(rec->d.allele[0], "C");
            EXPECT_STREQ(rec->d.allele[1], "T");
            int32_t * ad = nullptr;
            int nad = 0;
            ASSERT_EQ(bcf_get_format_int32(h, rec, "AD", &ad, &nad), 2);
            int32_t * dp = nullptr;
            int ndp = 0;
            ASSERT_EQ(bcf_get_format_int32(h, rec, "DP", &dp, &ndp), 1);
            float * af = nullptr;
            int naf = 0;
            ASSERT_EQ(bcf_get_format_float(h, rec, "AF", &af, &naf), 1);
            EXPECT_NEAR(af[0], 0.2, 0.05);
            EXPECT_NEAR(af[0], static_cast<double>(ad[1]) / dp[0], 1e-4);
            free(ad);
            free(dp);
            free(af);
        }
    }
    EXPECT_TRUE(t315i);
    bcf_destroy(rec);
    bcf_hdr_destroy(h);
    hts_close(fp);
    tbx_t * tbx = tbx_index_load((d / "one/calls.vcf.gz").c_str());
    ASSERT_NE(tbx, nullptr);
    EXPECT_GE(tbx_name2id(tbx, "NM_005157.6"), 0);
    tbx_destroy(tbx);
}

// Bad inputs: a clear message naming the file, a non-zero exit, and nothing written.
TEST(call, bad_inputs_fail_cleanly)
{
    temp_dir d;
    simulate(d, "b", 16, {}, 300);
    ASSERT_EQ(run(C + " align -o unsorted.bam b_R1.fq b_R2.fq", d.path).status, 0);
    ASSERT_EQ(run(C + " align --sort -o noindex.bam b_R1.fq b_R2.fq", d.path).status, 0);
    ASSERT_EQ(run(C + " align --sort --write-index -o good.bam b_R1.fq b_R2.fq", d.path).status, 0);
    // A BAM of reads that are not on the panel's genes: miRNA-preset alignment of the same reads maps nothing.
    ASSERT_EQ(run("printf '@r1\\nACGTACGTAGCTAGCTAGCTAGCATCGATCGATCGACTAGCTAGCTAGCATCGACT\\n+\\n"
                  "IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII\\n' > junk.fq && " +
                      C + " align --sort --write-index -o empty.bam junk.fq",
                  d.path)
                  .status,
              0);
    write_file(d / "bad_catalogue.tsv",
               read_file(std::string{CHEMORES_SOURCE_DIR} + "/references/catalogue/abl1_mutations.tsv"));
    {
        // Change T315I's reference codon: the row must be rejected with its line number.
        auto text = read_file(d / "bad_catalogue.tsv");
        auto const p = text.find("\tACT\t");
        ASSERT_NE(p, std::string::npos);
        text.replace(p, 5, "\tACG\t");
        write_file(d / "bad_catalogue.tsv", text);
    }
    {
        // A malformed HGVS c. route: rejected with its line number.
        auto text = read_file(std::string{CHEMORES_SOURCE_DIR} + "/references/catalogue/abl1_mutations.tsv");
        auto const p = text.find("c.944C>T");
        ASSERT_NE(p, std::string::npos);
        write_file(d / "bad_hgvs.tsv", text.replace(p, 8, "c.944C>>T"));
    }
    write_file(d / "other.fq", read_file(d / "b_R1.fq"));
    write_file(d / "missing.tsv", "sample\tbam\nx\tnot_there.bam\n");
    write_file(d / "dup.tsv", "sample\tbam\nx\tgood.bam\nx\tgood.bam\n");
    write_file(d / "nohdr.tsv", "x\tgood.bam\n");

    struct bad
    {
        std::string args;
        std::string message;
    };
    std::vector<bad> const cases{
        {"unsorted.bam", "samtools sort"},
        {"noindex.bam", "samtools index noindex.bam"},
        {"empty.bam", "no read passing the filters covers any catalogue codon"},
        {"--catalogue bad_catalogue.tsv good.bam", "bad_catalogue.tsv line"},
        {"--catalogue-only --catalogue bad_hgvs.tsv good.bam", "bad_hgvs.tsv line"},
        {"good.bam good.bam", "duplicate sample name 'good'"},
        {"--samples missing.tsv", "not_there.bam"},
        {"--samples dup.tsv", "dup.tsv line 3: sample 'x' is named again (first on line 2)"},
        {"--samples nohdr.tsv", "nohdr.tsv line 1"},
        {"--min-vaf 3 good.bam", "--min-vaf"},
        {"b_R1.fq b_R2.fq other.fq", "mates"},
        {"", "no input"},
    };
    for (auto const & c : cases)
    {
        auto const r = run(C + " call -o out " + c.args, d.path);
        EXPECT_NE(r.status, 0) << c.args;
        EXPECT_NE(r.err.find("chemores call: error:"), std::string::npos) << c.args << ": " << r.err;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
        EXPECT_TRUE(empty_or_missing(d.path / "out")) << c.args;
    }
    // --allow-empty reports the empty BAM instead, every entry NOT_ASSESSABLE.
    auto const r = run(C + " call --verbosity 0 --allow-empty -o out empty.bam", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    for (auto const & row : read_tsv(d / "out/calls.tsv"))
        EXPECT_EQ(row.at("status"), "NOT_ASSESSABLE");
}
