#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/reference/panel.hpp>

#include <gtest/gtest.h>

using chemores::reference::panel;

namespace
{
std::string slice(panel const & p, std::string const & contig, size_t begin1, size_t len)
{
    auto const & c = p.contigs()[*p.find(contig)];
    std::string s;
    for (size_t i = begin1 - 1; i < begin1 - 1 + len; ++i)
        s += chemores::code_to_char[c.seq[i]];
    return s;
}
} // namespace

TEST(panel, builtin_transcripts)
{
    auto const p = panel::builtin("transcripts");
    ASSERT_TRUE(p.find("NM_005157.6"));
    auto const & abl1 = p.contigs()[*p.find("NM_005157.6")];
    EXPECT_EQ(abl1.seq.size(), 5578u);
    EXPECT_EQ(abl1.gene, "ABL1");
    EXPECT_EQ(abl1.cds_start, 194);
    // T315 codon: c.943-945 = ACT, at transcript position 194 + 942.
    EXPECT_EQ(slice(p, "NM_005157.6", 194 + 942, 3), "ACT");
    // SLC19A1 His27 codon CAC at c.79-81 (CDS starts at 154).
    EXPECT_EQ(slice(p, "ENST00000311124", 154 + 78, 3), "CAC");
    for (auto const * f : {"BCR-ABL1_e1a2", "BCR-ABL1_e13a2", "BCR-ABL1_e14a2", "BCR-ABL1_e19a2"})
    {
        ASSERT_TRUE(p.find(f)) << f;
        EXPECT_EQ(p.contigs()[*p.find(f)].kind, "fusion");
        EXPECT_GT(p.contigs()[*p.find(f)].junction_after, 0);
    }
    EXPECT_EQ(p.checksum().size(), 32u);
}

TEST(panel, alias_segments_project_to_parents)
{
    auto const p = panel::builtin("transcripts");
    auto const e13a2 = *p.find("BCR-ABL1_e13a2");
    auto const ja = static_cast<uint32_t>(p.contigs()[e13a2].junction_after);
    EXPECT_EQ(ja, 3159u);
    // First ABL1 base of the fusion = NM_005157.6 tx 273 (0-based 272).
    auto const abl = p.project(e13a2, ja);
    ASSERT_TRUE(abl);
    EXPECT_EQ(p.contigs()[abl->first].name, "NM_005157.6");
    EXPECT_EQ(abl->second, 272u);
    auto const bcr = p.project(e13a2, ja - 1);
    ASSERT_TRUE(bcr);
    EXPECT_EQ(p.contigs()[bcr->first].name, "ENST00000305877.13");
    EXPECT_EQ(bcr->second, ja - 1);
    // Isoform 1b: exon 1b is its own sequence, exon 2 on is NM_005157.6.
    auto const ib = *p.find("ENST00000372348.7");
    EXPECT_FALSE(p.project(ib, 0));
    EXPECT_TRUE(p.project(ib, 2000));
}

TEST(panel, segments_are_verified)
{
    std::string const fa = ">a\nACGTACGTAA\n>b\nTTACGTACGT\n";
    std::string const tx = "contig\tgene\tkind\tlength\tcds_start\tcds_end\tjunction_after\n";
    EXPECT_NO_THROW(panel::from_text("t", fa, tx, "contig\tstart\tend\tparent\tparent_start\nb\t3\t10\ta\t1\n"));
    EXPECT_THROW(panel::from_text("t", fa, tx, "contig\tstart\tend\tparent\tparent_start\nb\t3\t10\ta\t2\n"),
                 chemores::input_error);
}

TEST(panel, builtin_mirna_has_all_hairpins)
{
    auto const p = panel::builtin("mirna");
    EXPECT_EQ(p.contigs().size(), 1917u);
    EXPECT_TRUE(p.find("hsa-mir-21"));
}

TEST(panel, from_fasta_rejects_non_fasta)
{
    EXPECT_THROW(panel::from_fasta("/nonexistent.fa"), chemores::input_error);
}
