#include <chemores/catalogue/hgvs.hpp>
#include <gtest/gtest.h>
#include <random>

using namespace chemores::catalogue;

namespace
{
struct c_valid_case
{
    std::string text;
    std::string reference;
    c_kind kind;
    int64_t start, end;
    std::string deleted, inserted, canonical;
};

struct invalid_case
{
    std::string text;
    std::string error_fragment; // must appear in the error message
};
} // namespace

TEST(hgvs_c, valid_inputs)
{
    std::vector<c_valid_case> const cases{
        {"c.944C>T", "", c_kind::substitution, 944, 944, "C", "T", "c.944C>T"},
        {"c.1A>G", "", c_kind::substitution, 1, 1, "A", "G", "c.1A>G"},
        {"NM_194255.4:c.80A>G", "NM_194255.4", c_kind::substitution, 80, 80, "A", "G", "c.80A>G"},
        {"ABL1:c.951C>G", "ABL1", c_kind::substitution, 951, 951, "C", "G", "c.951C>G"},
        {"c.944_945delinsTG", "", c_kind::delins, 944, 945, "", "TG", "c.944_945delinsTG"},
        {"c.944_945delCTinsTG", "", c_kind::delins, 944, 945, "CT", "TG", "c.944_945delCTinsTG"},
        {"c.944delinsT", "", c_kind::delins, 944, 944, "", "T", "c.944delinsT"},
        {"c.943_945delinsATG", "", c_kind::delins, 943, 945, "", "ATG", "c.943_945delinsATG"},
        {"c.944_945delinsTGA", "", c_kind::delins, 944, 945, "", "TGA", "c.944_945delinsTGA"}, // parses; not in-frame
        {"c.1000000000G>A", "", c_kind::substitution, 1000000000, 1000000000, "G", "A", "c.1000000000G>A"},
    };
    for (auto const & t : cases)
    {
        auto const r = parse_hgvs_c(t.text);
        ASSERT_TRUE(r) << t.text << ": " << r.error;
        EXPECT_TRUE(r.error.empty());
        EXPECT_EQ(r->reference, t.reference) << t.text;
        EXPECT_EQ(r->kind, t.kind) << t.text;
        EXPECT_EQ(r->start, t.start) << t.text;
        EXPECT_EQ(r->end, t.end) << t.text;
        EXPECT_EQ(r->deleted, t.deleted) << t.text;
        EXPECT_EQ(r->inserted, t.inserted) << t.text;
        EXPECT_EQ(r->to_string(), t.canonical) << t.text;
        // The canonical form parses back to the same change (without the reference prefix).
        auto const again = parse_hgvs_c(r->to_string());
        ASSERT_TRUE(again) << r->to_string();
        auto expected = *r;
        expected.reference.clear();
        EXPECT_EQ(*again, expected);
    }
}

TEST(hgvs_c, malformed_inputs)
{
    std::vector<invalid_case> const cases{
        {"", "expected 'c.'"},
        {"944C>T", "expected 'c.'"},
        {"c.", "expected position"},
        {"c.C>T", "expected position"},
        {"c.944", "expected a substitution"},
        {"c.944C", "expected '>'"},
        {"c.944C>", "expected the new base"},
        {"c.944C>C", "does not change the base"},
        {"c.944c>t", "upper-case"},
        {"c.944N>T", "expected a substitution"},
        {"c.944C>N", "expected the new base"},
        {"c.944CT>GA", "use delins"},
        {"c.944C>T ", "unexpected text"},
        {"c.944C>TT", "unexpected text"},
        {"c.0A>G", "leading zeros"},
        {"c.0944C>T", "leading zeros"},
        {"c.-14G>A", "UTR"},
        {"c.*5G>A", "UTR"},
        {"c.88+1G>A", "intronic"},
        {"c.89-2A>G", "intronic"},
        {"c.944_945del", "without insertion"},
        {"c.944_945delins", "expected inserted bases"},
        {"c.944_945delinstg", "upper-case"},
        {"c.945_944delinsTG", "not after its start"},
        {"c.944_944delinsTG", "not after its start"},
        {"c.944_945delCinsTG", "do not match the length"},
        {"c.944dupC", "unsupported change 'dup'"},
        {"c.944_945insA", "unsupported change 'ins'"},
        {"c.944_945inv", "unsupported change 'inv'"},
        {"c.=", "not supported"},
        {"c.(944C>T)", "not supported"},
        {"g.12345C>T", "only coding-DNA"},
        {"p.Thr315Ile", "only coding-DNA"},
        {"c.99999999999C>T", "too large"},
        {":c.944C>T", "expected 'c.'"},
        {"c.944C>T|c.951C>A", "unexpected text"},
    };
    for (auto const & t : cases)
    {
        auto const r = parse_hgvs_c(t.text);
        EXPECT_FALSE(r) << "'" << t.text << "' should not parse";
        EXPECT_NE(r.error.find(t.error_fragment), std::string::npos)
            << "'" << t.text << "': error '" << r.error << "' lacks '" << t.error_fragment << "'";
    }
}

TEST(hgvs_p, valid_inputs)
{
    struct p_case
    {
        std::string text, reference;
        char ref;
        int64_t pos;
        char alt;
        bool predicted, short_form;
    };
    std::vector<p_case> const cases{
        {"p.Thr315Ile", "", 'T', 315, 'I', false, false},
        {"p.(Thr315Ile)", "", 'T', 315, 'I', true, false},
        {"T315I", "", 'T', 315, 'I', false, true},
        {"p.T315I", "", 'T', 315, 'I', false, true},
        {"p.(T315I)", "", 'T', 315, 'I', true, true},
        {"ABL1:T315I", "ABL1", 'T', 315, 'I', false, true},
        {"ABL1:p.Thr315Ile", "ABL1", 'T', 315, 'I', false, false},
        {"NP_005148.2:p.Phe317Leu", "NP_005148.2", 'F', 317, 'L', false, false},
        {"p.His27Arg", "", 'H', 27, 'R', false, false},
        {"p.Glu45Lys", "", 'E', 45, 'K', false, false},
        {"p.Trp25Ter", "", 'W', 25, '*', false, false},
        {"p.Trp25*", "", 'W', 25, '*', false, false},
        {"W25*", "", 'W', 25, '*', false, true},
    };
    for (auto const & t : cases)
    {
        auto const r = parse_hgvs_p(t.text);
        ASSERT_TRUE(r) << t.text << ": " << r.error;
        EXPECT_EQ(r->reference, t.reference) << t.text;
        EXPECT_EQ(r->ref_aa, t.ref) << t.text;
        EXPECT_EQ(r->position, t.pos) << t.text;
        EXPECT_EQ(r->alt_aa, t.alt) << t.text;
        EXPECT_EQ(r->predicted, t.predicted) << t.text;
        EXPECT_EQ(r->short_form, t.short_form) << t.text;
    }
    EXPECT_EQ(parse_hgvs_p("T315I")->to_string(), "p.Thr315Ile");
    EXPECT_EQ(parse_hgvs_p("p.Thr315Ile")->to_short_string(), "T315I");
    EXPECT_EQ(parse_hgvs_p("W25*")->to_string(), "p.Trp25Ter");
}

TEST(hgvs_p, malformed_inputs)
{
    std::vector<invalid_case> const cases{
        {"", "one-letter code"},
        {"p.", "one-letter code"},
        {"p.Thr315", "three-letter code"},
        {"p.Thr315Ile)", "unexpected text"},
        {"p.(Thr315Ile", "missing ')'"},
        {"p.Thr315I", "mixed one- and three-letter"},
        {"p.T315Ile", "mixed one- and three-letter"},
        {"p.Xyz315Ile", "not a three-letter amino-acid code"},
        {"p.thr315ile", "one-letter code"},
        {"t315i", "one-letter code"},
        {"T315", "one-letter code"},
        {"TI", "codon number"},
        {"T0I", "leading zeros"},
        {"T315X", "one-letter code"},
        {"B315I", "one-letter code"},
        {"T315T", "synonymous"},
        {"p.Thr315=", "synonymous"},
        {"p.=", "not a substitution"},
        {"p.?", "not a substitution"},
        {"p.0", "no protein (p.0)"},
        {"p.=", "synonymous"},
        {"p.(?40Ter)", "not a substitution"},
        {"p.Thr315fs", "unsupported protein change 'fs'"},
        {"p.Thr315del", "unsupported protein change 'del'"},
        {"p.Thr315_Phe317del", "unsupported protein change '_'"},
        {"p.Thr315IleextTer5", "unexpected text"},
        {"c.944C>T", "not 'c.'"},
        {"T315I ", "unexpected text"},
        {"T99999999999I", "too large"},
    };
    for (auto const & t : cases)
    {
        auto const r = parse_hgvs_p(t.text);
        EXPECT_FALSE(r) << "'" << t.text << "' should not parse";
        EXPECT_NE(r.error.find(t.error_fragment), std::string::npos)
            << "'" << t.text << "': error '" << r.error << "' lacks '" << t.error_fragment << "'";
    }
}

TEST(hgvs, apply_to_codon)
{
    // ABL1 T315 = ACT at c.943-945.
    auto apply = [](std::string const & c, int64_t codon, std::string const & ref)
    {
        auto const ch = parse_hgvs_c(c);
        EXPECT_TRUE(ch) << c;
        return apply_to_codon(*ch, codon, ref);
    };
    EXPECT_EQ(*apply("c.944C>T", 315, "ACT"), "ATT");
    EXPECT_EQ(*apply("c.943A>G", 315, "ACT"), "GCT");
    EXPECT_EQ(*apply("c.944_945delinsTG", 315, "ACT"), "ATG");
    EXPECT_EQ(*apply("c.944_945delCTinsTG", 315, "ACT"), "ATG");
    EXPECT_EQ(*apply("c.943_945delinsGGG", 315, "ACT"), "GGG");

    auto const wrong_base = apply("c.944G>T", 315, "ACT");
    EXPECT_FALSE(wrong_base);
    EXPECT_NE(wrong_base.error.find("the reference base at c.944 is C, not G"), std::string::npos) << wrong_base.error;
    auto const wrong_bases = apply("c.944_945delGGinsTG", 315, "ACT");
    EXPECT_NE(wrong_bases.error.find("are CT, not GG"), std::string::npos) << wrong_bases.error;
    auto const outside = apply("c.946T>C", 315, "ACT");
    EXPECT_NE(outside.error.find("outside codon 315 (c.943-945)"), std::string::npos) << outside.error;
    auto const straddle = apply("c.945_946delinsAA", 315, "ACT");
    EXPECT_NE(straddle.error.find("outside codon 315"), std::string::npos) << straddle.error;
    auto const frameshift = apply("c.944_945delinsTGA", 315, "ACT");
    EXPECT_NE(frameshift.error.find("changes the length"), std::string::npos) << frameshift.error;
    auto const unchanged = apply("c.944_945delinsCT", 315, "ACT");
    EXPECT_NE(unchanged.error.find("unchanged"), std::string::npos) << unchanged.error;
    EXPECT_FALSE(apply("c.944C>T", 0, "ACT"));
    EXPECT_FALSE(apply("c.944C>T", 315, "AC"));
}

// Random and mutated inputs must never crash or hang, and a success must round-trip (a cheap fuzz in the unit suite).
TEST(hgvs, random_inputs_do_not_crash)
{
    std::mt19937 rng{42};
    std::string const alphabet = "cp.>_ACGTNacgtdelinsupTIhrle0123456789:()*+-=? \x01\xff";
    std::vector<std::string> seeds{
        "c.944C>T", "c.944_945delinsTG", "p.Thr315Ile", "T315I", "NM_1.2:c.80A>G", "p.(Glu45Lys)"};
    size_t parsed = 0;
    for (int i = 0; i < 20000; ++i)
    {
        std::string s = seeds[rng() % seeds.size()];
        int const edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e)
        {
            size_t const at = s.empty() ? 0 : rng() % (s.size() + 1);
            switch (rng() % 3)
            {
            case 0:
                s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), alphabet[rng() % alphabet.size()]);
                break;
            case 1:
                if (at < s.size())
                    s.erase(at, 1);
                break;
            default:
                if (at < s.size())
                    s[at] = alphabet[rng() % alphabet.size()];
            }
        }
        auto const c = parse_hgvs_c(s);
        auto const p = parse_hgvs_p(s);
        EXPECT_TRUE(c || !c.error.empty());
        EXPECT_TRUE(p || !p.error.empty());
        if (c)
        {
            ++parsed;
            auto const again = parse_hgvs_c(c->to_string());
            ASSERT_TRUE(again) << s;
            EXPECT_EQ(again->start, c->start);
            EXPECT_EQ(again->inserted, c->inserted);
            (void)apply_to_codon(*c, 315, "ACT");
        }
        if (p)
        {
            ++parsed;
            auto const again = parse_hgvs_p(p->to_string());
            ASSERT_TRUE(again) << s;
            EXPECT_EQ(again->position, p->position);
        }
    }
    EXPECT_GT(parsed, 0u);
}
