// Unit tests of variant-aware site prediction: VCF parsing (plain and bgzip, errors with file and line), placement
// on UTR, transcript and minus-strand genome coordinates, and the sites each allele gains, loses or changes.

#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/mirna/sites_data.hpp>
#include <chemores/mirna/sites_report.hpp>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <htslib/bgzf.h>
#include <set>
#include <sstream>
#include <tuple>
#include <unistd.h>

using namespace chemores::mirna;

namespace
{
struct temp_file
{
    std::string path;
    temp_file(std::string const & name, std::string const & content, bool bgzip = false)
    {
        static int n = 0;
        path = (std::filesystem::temp_directory_path() /
                ("chemores_vcf_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + "_" + name))
                   .string();
        if (bgzip)
        {
            BGZF * fp = bgzf_open(path.c_str(), "w");
            if (bgzf_write(fp, content.data(), content.size()) < 0)
                throw std::runtime_error{"bgzf_write failed"};
            bgzf_close(fp);
        }
        else
            std::ofstream{path, std::ios::binary} << content;
    }
    ~temp_file()
    {
        std::filesystem::remove(path);
    }
};

std::string const header = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";

std::string rec(std::string const & chrom, int64_t pos, std::string const & ref, std::string const & alt)
{
    return chrom + "\t" + std::to_string(pos) + "\t.\t" + ref + "\t" + alt + "\t.\tPASS\t.\n";
}

utr_sequence make_utr(std::string name, std::string_view seq)
{
    utr_sequence u;
    u.name = std::move(name);
    chemores::encode_dna(seq, u.codes);
    u.annotation.gene = "G";
    return u;
}

// "effect:mirna-less summary" of one allele, e.g. "changed 8mer>7mer-m8 21-28>21-27"
std::string describe(variant_effect const & e)
{
    std::string r;
    for (auto const & c : e.changes)
    {
        r += r.empty() ? "" : "; ";
        r += std::string{to_string(c.effect)} + " " + (c.ref ? std::string{to_string(c.ref->type)} : "-") + ">" +
             (c.alt ? std::string{to_string(c.alt->type)} : "-");
        if (c.ref)
            r += " ref " + std::to_string(c.ref->start) + "-" + std::to_string(c.ref->end);
        if (c.alt)
            r += " alt " + std::to_string(c.alt->start) + "-" + std::to_string(c.alt->end);
    }
    return r.empty() ? "none" : r;
}

std::string error_of(auto && f)
{
    try
    {
        f();
    }
    catch (std::exception const & e)
    {
        return e.what();
    }
    return "(no error)";
}

std::string const G20(20, 'G');
} // namespace

TEST(MirnaSitesVariants, GainedLostChangedSnvsAndIndels)
{
    std::vector<utr_sequence> utrs{make_utr("u8", G20 + "ATAAGCTA" + G20),
                                   make_utr("uA1", G20 + "CTAAGCTA" + G20),
                                   make_utr("u0", G20 + "ATAGGCTA" + G20),
                                   make_utr("uins", G20 + "ATAAGTA" + G20)};
    site_finder const f{resolve_mirnas({"hsa-miR-21-5p"})};
    temp_file vcf{"v.vcf",
                  header + rec("u8", 28, "A", "C,G") + // t1: 8mer -> 7mer-m8 (two alleles)
                      rec("u8", 25, "G", "A") +        // t4: lost
                      rec("u8", 24, "AG", "A") +       // deletion of t4: lost
                      rec("uA1", 21, "C", "A") +       // t8: 7mer-A1 -> 8mer
                      rec("u0", 24, "G", "A") +        // creates the 8mer
                      rec("uins", 25, "G", "GC") +     // insertion creates the 8mer
                      rec("u8", 5, "G", "T")};         // far from the site: nothing
    auto const r = read_vcf(vcf.path, utrs);
    EXPECT_EQ(r.records, 7u);
    EXPECT_EQ(r.alleles, 8u);
    ASSERT_EQ(r.variants.size(), 8u);
    auto const eff = variant_effects(f, utrs, r.variants);
    ASSERT_EQ(eff.size(), 8u);
    EXPECT_EQ(describe(eff[0]), "changed 8mer>7mer-m8 ref 21-28 alt 21-27");
    EXPECT_EQ(eff[0].variant.allele, 1);
    EXPECT_EQ(describe(eff[1]), "changed 8mer>7mer-m8 ref 21-28 alt 21-27");
    EXPECT_EQ(eff[1].variant.allele, 2);
    EXPECT_EQ(describe(eff[2]), "lost 8mer>- ref 21-28");
    EXPECT_EQ(describe(eff[3]), "lost 8mer>- ref 21-28");
    EXPECT_EQ(eff[3].variant.begin, 24); // the trimmed deletion removes UTR position 25
    EXPECT_EQ(eff[3].variant.end, 25);
    EXPECT_EQ(eff[3].variant.utr_ref, "G");
    EXPECT_EQ(eff[3].variant.utr_alt, "");
    EXPECT_EQ(describe(eff[4]), "changed 7mer-A1>8mer ref 22-28 alt 21-28");
    EXPECT_EQ(describe(eff[5]), "gained ->8mer alt 21-28");
    EXPECT_EQ(describe(eff[6]), "gained ->8mer alt 21-28");
    EXPECT_EQ(describe(eff[7]), "none");

    std::ostringstream os;
    write_variants_tsv(os, f, utrs, eff);
    auto const text = os.str();
    EXPECT_NE(text.find("\thsa-miR-21-5p\tAGCUUAU\tchanged\t8mer\t7mer-m8\t21\t28\t21\t27\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("\tu8\tG\t5\t5\tG\tT\t.\t.\tnone\t"), std::string::npos) << text;
}

TEST(MirnaSitesVariants, MatchesAFullRescan)
{
    // for random SNVs and indels, the reported changes equal a comparison of full scans of REF and ALT
    auto const & all = builtin_matures();
    std::vector<mature_mirna> some(all.begin(), all.begin() + 300);
    site_finder_options o;
    o.extended = true;
    site_finder const f{some, o};
    std::string seq;
    uint64_t x = 12345;
    for (int i = 0; i < 400; ++i)
    {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        seq.push_back("ACGT"[(x >> 33) & 3]);
    }
    std::vector<utr_sequence> utrs{make_utr("r", seq)};
    std::string body;
    for (int64_t pos : {1, 2, 7, 50, 133, 200, 301, 390, 395, 399, 400})
    {
        char const b = seq[static_cast<size_t>(pos - 1)];
        char const alt = b == 'A' ? 'C' : 'A';
        body += rec("r", pos, std::string(1, b), std::string(1, alt));
        if (pos < 400)
        {
            body += rec("r", pos, seq.substr(static_cast<size_t>(pos - 1), 2), std::string(1, b)); // deletion
            body += rec("r", pos, std::string(1, b), std::string(1, b) + "TTAG");                  // insertion
        }
    }
    temp_file vcf{"r.vcf", header + body};
    auto const r = read_vcf(vcf.path, utrs);
    auto const eff = variant_effects(f, utrs, r.variants);
    for (auto const & e : eff)
    {
        auto const & v = e.variant;
        std::string alt_seq =
            seq.substr(0, static_cast<size_t>(v.begin)) + v.utr_alt + seq.substr(static_cast<size_t>(v.end));
        std::vector<utr_sequence> both{utrs[0], make_utr("a", alt_seq)};
        auto const all_sites = f.find(both);
        // sites away from the edit are the same on both; count the differences within reach of it
        std::multiset<std::tuple<uint32_t, int64_t, int>> ref_set, alt_set;
        int64_t const delta = static_cast<int64_t>(v.utr_alt.size()) - (v.end - v.begin);
        for (auto const & s : all_sites)
        {
            int64_t anchor = s.anchor;
            int64_t const a0 = anchor - 1, ins = static_cast<int64_t>(v.utr_alt.size());
            if (s.utr == 1 && delta != 0 && a0 >= v.begin + ins)
                anchor -= delta;
            else if (s.utr == 1 && delta != 0 && a0 >= v.begin)
                anchor = -1000 - a0; // inside the inserted bases: no REF counterpart
            (s.utr == 0 ? ref_set : alt_set).insert({s.mirna, anchor, static_cast<int>(s.type)});
        }
        size_t diff = 0;
        for (auto const & k : ref_set)
            diff += alt_set.count(k) ? 0 : 1;
        for (auto const & k : alt_set)
            diff += ref_set.count(k) ? 0 : 1;
        size_t reported = 0;
        for (auto const & c : e.changes)
            reported += c.effect == site_effect::changed ? 2 : 1;
        EXPECT_EQ(reported, diff) << v.pos << " " << v.ref << ">" << v.alt;
    }
}

TEST(MirnaSitesVariants, BgzipTranscriptAndGenomeCoordinates)
{
    auto const utrs = builtin_utrs();
    // hsa-miR-519c-3p has a 7mer-A1 at ABCG2_3UTR 1542-1548 (minus strand: UTR u = chr4:88092234 - (u - 1))
    site_finder const f{resolve_mirnas({"hsa-miR-519c-3p"})};
    auto const & g = utrs[1];
    int64_t const u = 1545;
    char const base = chemores::code_to_char[g.codes[u - 1]];
    std::string const plus_ref = chemores::reverse_complement(std::string(1, base));
    std::string const plus_alt = plus_ref == "A" ? "C" : "A";
    int64_t const gpos = 88092234 - (u - 1);
    // ABCB1 by transcript coordinates: UTR position 10 = NM_000927.5 tx 4318
    char const b1 = chemores::code_to_char[utrs[0].codes[9]];
    temp_file vcf{"g.vcf.gz",
                  "##fileformat=VCFv4.2\n##reference=GRCh38\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n" +
                      rec("chr4", gpos, plus_ref, plus_alt) + rec("NM_000927.5", 4318, std::string(1, b1), "N") +
                      rec("chr10", 89725300, "A", "G") + // PTEN is on hg19: not placed on a GRCh38 VCF
                      rec("chr1", 100, "A", "<DEL>"),
                  true};
    auto const r = read_vcf(vcf.path, utrs);
    EXPECT_EQ(r.build, "GRCh38");
    ASSERT_EQ(r.variants.size(), 2u);
    EXPECT_EQ(r.variants[0].coords, "genome");
    EXPECT_EQ(r.variants[0].utr, 1u);
    EXPECT_EQ(r.variants[0].begin, u - 1);
    EXPECT_EQ(r.variants[0].utr_ref, std::string(1, base));
    EXPECT_EQ(r.variants[1].coords, "transcript");
    EXPECT_EQ(r.variants[1].begin, 9);
    EXPECT_EQ(r.skipped, 1u); // <DEL>
    EXPECT_FALSE(r.warnings.empty());
    auto const eff = variant_effects(f, utrs, r.variants);
    ASSERT_EQ(eff.size(), 2u);
    EXPECT_EQ(describe(eff[0]), "lost 7mer-A1>- ref 1542-1548");
}

TEST(MirnaSitesVariants, MalformedVcfNamesFileAndLine)
{
    std::vector<utr_sequence> utrs{make_utr("u", G20 + "ATAAGCTA" + G20)};
    auto err = [&](std::string const & content)
    {
        temp_file v{"bad.vcf", content};
        auto const msg = error_of(
            [&]
            {
                read_vcf(v.path, utrs);
            });
        return msg.substr(0, v.path.size()) == v.path ? msg.substr(v.path.size()) : "(wrong file) " + msg;
    };
    EXPECT_EQ(err(header + "u\t5\t.\tG\n"),
              " line 3: expected at least 8 tab-separated columns (CHROM POS ID REF ALT QUAL FILTER INFO), found 4");
    EXPECT_EQ(err(header + rec("u", 5, "G", "A") + "u\tx\t.\tG\tA\t.\t.\t.\n"), " line 4: invalid POS 'x'");
    EXPECT_EQ(err(header + rec("u", 5, "C", "A")).rfind(" line 3: REF C does not match u at 5..5 (G)", 0), 0u);
    EXPECT_EQ(err(header + rec("u", 5, "G", "A!")), " line 3: invalid ALT allele 'A!'");
    EXPECT_EQ(err(header + rec("u", 5, "Q", "A")), " line 3: invalid REF 'Q' (A, C, G, T, N only)");
    // A NUL byte in REF or ALT is not a base (std::strchr finds the string's own terminator; found by fuzz_mirna_vcf,
    // tests/fuzz/corpus/mirna_vcf/regress-nul-in-ref).
    EXPECT_NE(err(header + rec("u", 5, std::string{"G\0\0", 3}, "A")).find("invalid REF"), std::string::npos);
    EXPECT_NE(err(header + rec("u", 5, "G", std::string{"A\0", 2})).find("invalid ALT"), std::string::npos);
    EXPECT_EQ(err(header + rec("u", 60, "G", "A")), " line 3: POS 60 lies past the end of u (48 nt)");
    EXPECT_EQ(err("#CHROM\tPOS\n"), " line 1: not a VCF file: the first line must be ##fileformat=VCFv4.x");
    EXPECT_EQ(err("##fileformat=VCFv4.2\n" + rec("u", 5, "G", "A")),
              " line 2: data line before the #CHROM header line");
    EXPECT_EQ(err(""), ": empty file: not a VCF");
    EXPECT_THROW(read_vcf("/nonexistent/x.vcf", utrs), chemores::input_error);
    // A BGZF file without its 28-byte end-of-file block (a cut download). Under the asan preset this also checks that
    // the open file is closed (it leaked until the fix; found by fuzz_mirna_vcf, corpus regress-bgzf-no-eof-leak).
    temp_file gz{"cut.vcf.gz", header + rec("u", 5, "G", "A"), true};
    std::filesystem::resize_file(gz.path, std::filesystem::file_size(gz.path) - 28);
    auto const cut = error_of([&] { read_vcf(gz.path, utrs); });
    EXPECT_EQ(cut, gz.path + ": truncated BGZF file: the end-of-file marker is missing");
}
