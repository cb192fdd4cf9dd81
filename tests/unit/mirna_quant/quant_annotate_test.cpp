// Unit tests of chemores::mirna quant building blocks: isomiR placement and classification, assignment tolerance,
// mirGFF3 vocabulary (Variant, Cigar, UID), mature table, sample names, count formatting.

#include <chemores/align/pipeline.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/mirna/quant.hpp>
#include <chemores/reference/panel.hpp>
#include <gtest/gtest.h>

using namespace chemores;
using namespace chemores::mirna;

namespace
{
// A test hairpin: 5p mature at 11-32, 3p mature at 51-72 (1-based), 80 nt in all.
std::string const hp = "GGCCTTAAGC"             // 1-10
                       "TAGCTTATCAGACTGATGTTGA" // 11-32  5p mature
                       "CTGTTGAATCTCATGGCA"     // 33-50  loop
                       "ACACCAGTCGATGGGCTGTCTG" // 51-72  3p mature
                       "ACATTCGC";              // 73-80
std::string const mature5 = hp.substr(10, 22), mature3 = hp.substr(50, 22);

class mirna_quant_annotate : public ::testing::Test
{
protected:
    reference::panel panel_ = reference::panel::from_text("test", ">hp1\n" + hp + "\n>hp2\nACGTACGTACGTACGT\n", "", "");
    mature_table matures_{panel_,
                          "mature\thairpin\tstart\tend\tarm\tmimat\n"
                          "m-5p\thp1\t11\t32\t5p\tMIMAT1\n"
                          "m-3p\thp1\t51\t72\t3p\tMIMAT2\n",
                          "test.tsv"};
    annotation_options opt_{};

    isomir_hit run(std::string const & read, int32_t near)
    {
        return annotate(read, hp, 0, near, matures_, opt_);
    }
    std::string name(isomir_hit const & h)
    {
        return h.kind == hit_kind::mature    ? matures_.loci()[h.mature].name
               : h.kind == hit_kind::hairpin ? "hairpin"
                                             : "rejected";
    }
};
} // namespace

TEST_F(mirna_quant_annotate, reference_mature)
{
    auto const h = run(mature5, 10);
    EXPECT_EQ(name(h), "m-5p");
    EXPECT_EQ(h.iso_5p, 0);
    EXPECT_EQ(h.iso_3p, 0);
    EXPECT_EQ(variant_attribute(h), "NA");
    EXPECT_EQ(h.cigar, "22M");
    EXPECT_EQ(h.start, 11);
    EXPECT_EQ(h.end, 32);
    EXPECT_EQ(name(run(mature3, 50)), "m-3p");
}

TEST_F(mirna_quant_annotate, shifts_use_mirtop_signs_and_tolerance)
{
    // starts 2 nt upstream (2 extra nucleotides): iso_5p:-2; ends 1 nt short: iso_3p:-1
    auto h = run(hp.substr(8, 23), 8);
    EXPECT_EQ(name(h), "m-5p");
    EXPECT_EQ(variant_attribute(h), "iso_5p:-2,iso_3p:-1");
    // starts 1 nt downstream, extends 2 nt: iso_5p:+1, iso_3p:+2
    h = run(hp.substr(11, 23), 11);
    EXPECT_EQ(variant_attribute(h), "iso_5p:+1,iso_3p:+2");
    EXPECT_EQ(h.iso_5p, 1);
    EXPECT_EQ(h.iso_3p, 2);
    // tolerance: 5' within +-3, 3' within +-5 (defaults)
    EXPECT_EQ(name(run(hp.substr(7, 25), 7)), "m-5p");      // iso_5p:-3
    EXPECT_EQ(name(run(hp.substr(6, 26), 6)), "hairpin");   // iso_5p:-4
    EXPECT_EQ(name(run(hp.substr(10, 27), 10)), "m-5p");    // iso_3p:+5
    EXPECT_EQ(name(run(hp.substr(10, 28), 10)), "hairpin"); // iso_3p:+6
    EXPECT_EQ(name(run(hp.substr(10, 16), 10)), "hairpin"); // iso_3p:-6
    opt_.tolerance_3p = 6;
    EXPECT_EQ(name(run(hp.substr(10, 28), 10)), "m-5p");
    // the loop
    auto const loop = run(hp.substr(33, 18), 33);
    EXPECT_EQ(name(loop), "hairpin");
    EXPECT_EQ(loop.start, 34);
    EXPECT_EQ(loop.end, 51);
}

TEST_F(mirna_quant_annotate, non_templated_additions)
{
    // hairpin continues with C T G after the 5p mature: A A is not templated
    auto h = run(mature5 + "AA", 10);
    EXPECT_EQ(name(h), "m-5p");
    EXPECT_EQ(h.place.add3p, 2);
    EXPECT_EQ(h.iso_3p, 0);
    EXPECT_EQ(variant_attribute(h), "iso_add3p:2");
    EXPECT_EQ(h.cigar, "22MCT");
    // a templated extension is iso_3p, not an addition
    h = run(mature5 + "CT", 10);
    EXPECT_EQ(variant_attribute(h), "iso_3p:+2");
    // shorter template plus an addition
    h = run(mature5.substr(0, 20) + "C", 10); // hairpin has G at 31: C is not templated
    EXPECT_EQ(variant_attribute(h), "iso_3p:-2,iso_add3p:1");
    // additions beyond the hairpin end are insertions in the Cigar
    std::string const tail = hp.substr(58, 22);
    h = run(tail + "TT", 58);
    EXPECT_EQ(h.place.add3p, 2);
    EXPECT_EQ(h.cigar, "22M2I");
    EXPECT_EQ(h.end, 80);
    // more than max_add3p non-templated bases plus an SNV: rejected
    h = run(mature5.substr(0, 18) + "GGCCC", 10); // facing TTGAC: 2 mismatches + 3 additions at best
    EXPECT_EQ(name(h), "rejected");
}

TEST_F(mirna_quant_annotate, snv_classes)
{
    auto with_snv = [&](int pos)
    {
        std::string r = mature5;
        r[pos - 1] = r[pos - 1] == 'A' ? 'G' : 'A';
        return run(r, 10);
    };
    EXPECT_EQ(variant_attribute(with_snv(5)), "iso_snv_seed");
    EXPECT_EQ(snv_list(with_snv(5)), "5:T>A");
    EXPECT_EQ(with_snv(5).cigar, "4MT17M");
    EXPECT_EQ(variant_attribute(with_snv(8)), "iso_snv_central_offset");
    EXPECT_EQ(variant_attribute(with_snv(11)), "iso_snv_central");
    EXPECT_EQ(variant_attribute(with_snv(15)), "iso_snv_central_supp");
    EXPECT_EQ(variant_attribute(with_snv(1)), "iso_snv");
    EXPECT_EQ(snv_class(1), "iso_snv");
    EXPECT_EQ(snv_class(2), "iso_snv_seed");
    EXPECT_EQ(snv_class(7), "iso_snv_seed");
    EXPECT_EQ(snv_class(8), "iso_snv_central_offset");
    EXPECT_EQ(snv_class(9), "iso_snv_central");
    EXPECT_EQ(snv_class(12), "iso_snv_central");
    EXPECT_EQ(snv_class(13), "iso_snv_central_supp");
    EXPECT_EQ(snv_class(17), "iso_snv_central_supp");
    EXPECT_EQ(snv_class(18), "iso_snv");
    // two mismatches: rejected with the default limit of 1, accepted with 2
    std::string r = mature5;
    r[4] = 'A';
    r[9] = 'G';
    EXPECT_EQ(name(run(r, 10)), "rejected");
    opt_.max_mismatches = 2;
    auto const h = run(r, 10);
    EXPECT_EQ(variant_attribute(h), "iso_snv_seed,iso_snv_central");
    // order of the Variant attribute: iso_5p, iso_3p, iso_add3p, iso_add5p, SNV classes
    std::string r2 = hp.substr(9, 21) + "AA";
    r2[3] = r2[3] == 'A' ? 'C' : 'A';
    EXPECT_EQ(variant_attribute(run(r2, 9)), "iso_5p:-1,iso_3p:-2,iso_add3p:2,iso_snv_seed");
}

TEST_F(mirna_quant_annotate, five_prime_additions_only_when_allowed)
{
    // hairpin base 10 is C: a leading A is not templated
    std::string const r = "A" + mature5;
    auto h = run(r, 9);
    EXPECT_EQ(variant_attribute(h), "iso_5p:-1,iso_snv"); // default: a 5' mismatch is an SNV at position 1
    opt_.max_add5p = 1;
    h = run(r, 9);
    EXPECT_EQ(variant_attribute(h), "iso_add5p:1");
    EXPECT_EQ(h.iso_5p, 0);
    EXPECT_EQ(h.cigar, "C22M");
}

TEST_F(mirna_quant_annotate, placement_recovers_from_a_shifted_hint)
{
    for (int32_t near : {7, 8, 9, 10, 11, 12, 13})
    {
        auto const h = run(mature5 + "AA", near);
        EXPECT_EQ(h.place.offset, 10) << near;
        EXPECT_EQ(variant_attribute(h), "iso_add3p:2") << near;
    }
    // too short to place: fewer than 10 templated bases
    EXPECT_FALSE(best_placement("ACGTACGTA", hp, 0, opt_).has_value());
}

TEST(mirna_quant_matures, builtin_panel)
{
    auto const p = reference::panel::builtin("mirna");
    mature_table const t{p, reference::bundled_file("panel/mirna_matures.tsv"), "builtin"};
    EXPECT_EQ(t.names().size(), 2656u);
    EXPECT_EQ(t.loci().size(), 2879u);
    EXPECT_TRUE(std::is_sorted(t.names().begin(), t.names().end()));
    auto const h = *p.find("hsa-let-7a-1");
    auto const on = t.on_hairpin(h);
    ASSERT_EQ(on.size(), 2u);
    EXPECT_EQ(on[0].name, "hsa-let-7a-5p");
    EXPECT_EQ(on[0].start, 6);
    EXPECT_EQ(on[0].end, 27);
    EXPECT_EQ(on[0].mimat, "MIMAT0000062");
    EXPECT_EQ(on[1].name, "hsa-let-7a-3p");
    EXPECT_EQ(t.names()[on[0].name_index], "hsa-let-7a-5p");
    EXPECT_TRUE(t.find_name("hsa-miR-21-5p").has_value());
    EXPECT_FALSE(t.find_name("hsa-miR-0").has_value());
}

TEST(mirna_quant_matures, errors_name_file_and_line)
{
    auto const p = reference::panel::from_text("t", ">hp1\nACGTACGTACGTACGTACGTACGT\n", "", "");
    try
    {
        mature_table{p, "mature\thairpin\tstart\tend\tarm\tmimat\nm\thp9\t1\t10\t5p\tM\n", "x.tsv"};
        FAIL();
    }
    catch (input_error const & e)
    {
        EXPECT_EQ(std::string{e.what()}, "x.tsv line 2: hairpin 'hp9' is not in the panel");
    }
    EXPECT_THROW((mature_table{p, "m\thp1\t5\t40\t5p\tM\n", "x.tsv"}), input_error); // beyond the hairpin
    EXPECT_THROW((mature_table{p, "m\thp1\t5\n", "x.tsv"}), input_error);
}

TEST(mirna_quant_mirgff, cigar)
{
    EXPECT_EQ(mirgff_cigar("ACGT", "TTACGTTT", 2), "4M");
    EXPECT_EQ(mirgff_cigar("ACCT", "TTACGTTT", 2), "2MG1M");
    EXPECT_EQ(mirgff_cigar("ACGTAA", "TTACGT", 2), "4M2I");
    EXPECT_EQ(mirgff_cigar("GACGT", "ACGTTT", -1), "1I4M");
    EXPECT_EQ(mirgff_cigar("TTTT", "ACGTTT", 0), "ACG1M");
}

TEST(mirna_quant_mirgff, license_plate_uid)
{
    // values from the MINTplates encoding (5-mers as two base-32 digits; 1-4 nt remainders offset 0/4/20/84)
    EXPECT_EQ(license_plate("AAAAA"), "iso-5-BB");
    EXPECT_EQ(license_plate("AAAAC", ""), "5-BD");
    EXPECT_EQ(license_plate("CAAAA"), "iso-5-2B");
    EXPECT_EQ(license_plate("TTTTT"), "iso-5-ZZ");
    EXPECT_EQ(license_plate("A"), "iso-1-B");
    EXPECT_EQ(license_plate("T"), "iso-1-E");
    EXPECT_EQ(license_plate("AA"), "iso-2-F");
    EXPECT_EQ(license_plate("TT"), "iso-2-Q");
    EXPECT_EQ(license_plate("AAA"), "iso-3-6");
    EXPECT_EQ(license_plate("AGT"), "iso-3-Z");
    EXPECT_EQ(license_plate("ATA"), "iso-3-DB");
    EXPECT_EQ(license_plate("TTT"), "iso-3-0Q");
    EXPECT_EQ(license_plate("AAAA"), "iso-4-06");
    EXPECT_EQ(license_plate("TTTT"), "iso-4-KQ");
    EXPECT_EQ(license_plate("TAGCTTATCAGACTGATGTTGA"), "iso-22-VIV6OYINL"); // hsa-miR-21-5p
    EXPECT_EQ(license_plate("ACGNT"), "");
}

TEST(mirna_quant_util, sample_names)
{
    EXPECT_EQ(sample_name("S1.fq.gz"), "S1");
    EXPECT_EQ(sample_name("/data/run 1/S2.fastq.gz"), "S2");
    EXPECT_EQ(sample_name("x/S3.fastq"), "S3");
    EXPECT_EQ(sample_name("S4.fq"), "S4");
    EXPECT_EQ(sample_name("S5.gz"), "S5");
    EXPECT_EQ(sample_name("S.6.fq.gz"), "S.6");
    EXPECT_EQ(sample_name("reads.txt"), "reads.txt");
    EXPECT_EQ(sample_name(".fq.gz"), ".fq");
}

TEST(mirna_quant_util, count_format)
{
    EXPECT_EQ(format_count(0), "0");
    EXPECT_EQ(format_count(25), "25");
    EXPECT_EQ(format_count(2.5), "2.5");
    EXPECT_EQ(format_count(1.0 / 3), "0.333");
    EXPECT_EQ(format_count(2.0 / 3), "0.667");
    EXPECT_EQ(format_count(1e6), "1000000");
    EXPECT_EQ(format_count(0.0004), "0");
    EXPECT_EQ(format_count(129032.2580645), "129032.258");
}

TEST(mirna_quant_util, adapter_trimming_is_the_aligners)
{
    // mirna quant trims with chemores::align::find_adapter, like `chemores align --preset mirna`
    std::string const a = "TGGAATTCTCGGGTGCCAAGG";
    EXPECT_EQ(align::find_adapter("TAGCTTATCAGACTGATGTTGA" + a + "AACTC", a), 22u);
    EXPECT_EQ(align::find_adapter(a + "AACTC", a), 0u);                  // adapter dimer
    EXPECT_EQ(align::find_adapter("TAGCTTATCAGACTGATGTTGATGG", a), 22u); // 3' prefix of the adapter
    EXPECT_EQ(align::find_adapter("TAGCTTATCAGACTGATGTTGA", a), 22u);    // no adapter
}
