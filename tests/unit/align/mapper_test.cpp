#include <chemores/align/mapper.hpp>
#include <chemores/align/pipeline.hpp>
#include <chemores/core/dna.hpp>

#include <gtest/gtest.h>
#include <htslib/sam.h>

using namespace chemores;
using namespace chemores::align;

namespace
{
std::vector<uint8_t> sub(reference::panel const & p, std::string const & contig, size_t pos0, size_t len)
{
    auto const & s = p.contigs()[*p.find(contig)].seq;
    return {s.begin() + static_cast<long>(pos0), s.begin() + static_cast<long>(pos0 + len)};
}
std::string cigar_string(std::vector<uint32_t> const & c)
{
    std::string s;
    for (auto x : c)
        s += std::to_string(x >> 4) + BAM_CIGAR_STR[x & 0xf];
    return s;
}
} // namespace

class mapper_test : public ::testing::Test
{
protected:
    reference::panel panel_ = reference::panel::builtin("transcripts");
    kmer_index index_{panel_, 15};
    mapper_options opt_{};
};

TEST_F(mapper_test, exact_read_both_strands)
{
    mapper m{panel_, index_, opt_, kernels::best_available_target()};
    auto read = sub(panel_, "NM_005157.6", 1000, 150);
    auto r = m.map(read);
    ASSERT_FALSE(r.empty());
    EXPECT_EQ(panel_.contigs()[r[0].contig].name, "NM_005157.6");
    EXPECT_EQ(r[0].pos, 1000);
    EXPECT_FALSE(r[0].rev);
    EXPECT_EQ(cigar_string(r[0].cigar), "150M");
    EXPECT_EQ(r[0].nm, 0);
    EXPECT_EQ(r[0].md, "150");
    EXPECT_EQ(r[0].mapq, 60);

    std::vector<uint8_t> rc;
    reverse_complement(read, rc);
    r = m.map(rc);
    ASSERT_FALSE(r.empty());
    EXPECT_EQ(r[0].pos, 1000);
    EXPECT_TRUE(r[0].rev);
}

TEST_F(mapper_test, mismatch_and_deletion_give_nm_and_md)
{
    mapper m{panel_, index_, opt_, kernels::best_available_target()};
    auto read = sub(panel_, "NM_005157.6", 2000, 150);
    read[50] = static_cast<uint8_t>((read[50] + 1) % 4); // substitution
    read.erase(read.begin() + 100, read.begin() + 102); // 2-base deletion
    auto r = m.map(read);
    ASSERT_FALSE(r.empty());
    EXPECT_EQ(r[0].pos, 2000);
    EXPECT_EQ(r[0].nm, 3);
    EXPECT_EQ(cigar_string(r[0].cigar), "100M2D48M");
    auto const ref_base = code_to_char[panel_.contigs()[r[0].contig].seq[2050]];
    std::string const md = "50" + std::string(1, ref_base) + "49^";
    EXPECT_EQ(r[0].md.substr(0, md.size()), md);
}

TEST_F(mapper_test, read_inside_fusion_abl1_part_is_reported_on_abl1)
{
    mapper m{panel_, index_, opt_, kernels::best_available_target()};
    // 150 bases of the ABL1 part of e14a2 (after the junction) = NM_005157.6.
    auto const e14a2 = *panel_.find("BCR-ABL1_e14a2");
    auto const ja = static_cast<size_t>(panel_.contigs()[e14a2].junction_after);
    auto r = m.map(sub(panel_, "BCR-ABL1_e14a2", ja + 200, 150));
    ASSERT_FALSE(r.empty());
    EXPECT_EQ(panel_.contigs()[r[0].contig].name, "NM_005157.6");
    EXPECT_EQ(r[0].pos, 272 + 200);
    EXPECT_FALSE(r[0].crosses_junction);
}

TEST_F(mapper_test, junction_read_is_reported_on_its_fusion)
{
    mapper m{panel_, index_, opt_, kernels::best_available_target()};
    for (auto const * name : {"BCR-ABL1_e1a2", "BCR-ABL1_e13a2", "BCR-ABL1_e14a2", "BCR-ABL1_e19a2"})
    {
        auto const id = *panel_.find(name);
        auto const ja = static_cast<size_t>(panel_.contigs()[id].junction_after);
        for (size_t left : {20u, 75u, 130u}) // bases on the BCR side
        {
            auto r = m.map(sub(panel_, name, ja - left, 150));
            ASSERT_FALSE(r.empty()) << name << " " << left;
            EXPECT_EQ(panel_.contigs()[r[0].contig].name, name) << left;
            EXPECT_EQ(r[0].pos, static_cast<int32_t>(ja - left)) << name << " " << left;
            EXPECT_TRUE(r[0].crosses_junction);
            EXPECT_EQ(cigar_string(r[0].cigar), "150M") << name << " " << left;
        }
    }
}

TEST_F(mapper_test, unrelated_read_is_unmapped)
{
    mapper m{panel_, index_, opt_, kernels::best_available_target()};
    std::vector<uint8_t> read(150);
    uint64_t x = 12345;
    for (auto & b : read)
    {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        b = static_cast<uint8_t>((x >> 33) & 3);
    }
    EXPECT_TRUE(m.map(read).empty());
}

TEST(find_adapter, full_partial_and_absent)
{
    std::string const adapter = "TGGAATTCTCGGGTGCCAAGG";
    EXPECT_EQ(find_adapter("TAGCTTATCAGACTGATGTTGA" + adapter + "ATCTCG", adapter), 22u);
    EXPECT_EQ(find_adapter("TAGCTTATCAGACTGATGTTGATGGAA", adapter), 22u); // prefix at the 3' end
    EXPECT_EQ(find_adapter("TAGCTTATCAGACTGATGTTGA", adapter), 22u);      // none: the whole read
    // one mismatch in 21 adapter bases is tolerated
    EXPECT_EQ(find_adapter("TAGCTTATCAGACTGATGTTGATGGAATTCTCGGGAGCCAAGG", adapter), 22u);
    EXPECT_EQ(find_adapter("", adapter), 0u);
}
