#include <chemores/catalogue/genetic_code.hpp>
#include <gtest/gtest.h>
#include <map>
#include <set>

using namespace chemores::catalogue;

TEST(genetic_code, translates_known_codons)
{
    EXPECT_EQ(translate("ATG"), 'M');
    EXPECT_EQ(translate("ACT"), 'T'); // ABL1 T315
    EXPECT_EQ(translate("ATT"), 'I'); // T315I
    EXPECT_EQ(translate("ATG"), 'M'); // T315M via c.944_945delinsTG
    EXPECT_EQ(translate("TTC"), 'F');
    EXPECT_EQ(translate("TGG"), 'W');
    EXPECT_EQ(translate("TAA"), '*');
    EXPECT_EQ(translate("TAG"), '*');
    EXPECT_EQ(translate("TGA"), '*');
    EXPECT_EQ(translate("CAC"), 'H'); // SLC19A1 His27
    EXPECT_EQ(translate("CGC"), 'R');
    EXPECT_EQ(translate("agc"), 'S'); // case-insensitive
    EXPECT_EQ(translate("AUG"), 'M'); // RNA
}

TEST(genetic_code, ambiguous_or_wrong_length_is_x)
{
    EXPECT_EQ(translate("ANG"), unknown_aa);
    EXPECT_EQ(translate("AT"), unknown_aa);
    EXPECT_EQ(translate("ATGA"), unknown_aa);
    EXPECT_EQ(translate("A-G"), unknown_aa);
    EXPECT_EQ(translate(uint8_t{0}, uint8_t{4}, uint8_t{2}), unknown_aa);
    EXPECT_EQ(translate(uint8_t{0}, uint8_t{3}, uint8_t{2}), 'M');
}

TEST(genetic_code, table_has_standard_degeneracy)
{
    // Count codons per amino acid: the standard code has 61 sense codons and 3 stops.
    std::map<char, int> n;
    for (char a : std::string_view{"ACGT"})
        for (char b : std::string_view{"ACGT"})
            for (char c : std::string_view{"ACGT"})
                ++n[translate(std::string{a, b, c})];
    std::map<char, int> const expected{{'A', 4}, {'R', 6}, {'N', 2}, {'D', 2}, {'C', 2}, {'Q', 2}, {'E', 2},
                                       {'G', 4}, {'H', 2}, {'I', 3}, {'L', 6}, {'K', 2}, {'M', 1}, {'F', 2},
                                       {'P', 4}, {'S', 6}, {'T', 4}, {'W', 1}, {'Y', 2}, {'V', 4}, {'*', 3}};
    EXPECT_EQ(n, expected);
}

TEST(genetic_code, names_round_trip)
{
    for (char aa : std::string_view{"ACDEFGHIKLMNPQRSTVWY*"})
    {
        ASSERT_TRUE(is_amino_acid(aa)) << aa;
        EXPECT_EQ(one_letter(three_letter(aa)), aa);
        for (auto const & codon : codons_for(aa))
            EXPECT_EQ(translate(codon), aa) << codon;
    }
    EXPECT_EQ(three_letter('T'), "Thr");
    EXPECT_EQ(three_letter('*'), "Ter");
    EXPECT_EQ(one_letter("Ile"), 'I');
    EXPECT_EQ(one_letter("ile"), 0);
    EXPECT_EQ(one_letter("Xaa"), 0);
    EXPECT_FALSE(is_amino_acid('X'));
    EXPECT_FALSE(is_amino_acid('B'));
    EXPECT_TRUE(three_letter('J').empty());
    EXPECT_EQ(codons_for('M'), std::vector<std::string>{"ATG"});
    EXPECT_EQ(codons_for('I'), (std::vector<std::string>{"ATA", "ATC", "ATT"}));
    EXPECT_TRUE(codons_for('X').empty());
}

TEST(genetic_code, translate_sequence)
{
    EXPECT_EQ(translate_sequence("ATGACTTTCTAAGG"), "MTF*");
    EXPECT_EQ(translate_sequence(""), "");
}
