// CLI tests of `chemores catalogue list|validate|show`: each runs the binary in a fresh directory and parses what it
// printed.

#include "cli_test_util.hpp"

#include <gtest/gtest.h>
#include <map>
#include <sstream>

using namespace chemores::test;

namespace
{
std::string const C = bin();

// `chemores catalogue list` output as rows keyed by id, each a map column -> value.
struct list_table
{
    std::vector<std::string> header;
    std::vector<std::string> ids;
    std::map<std::string, std::map<std::string, std::string>> rows;
};

list_table parse_list(std::string const & out)
{
    list_table t;
    auto const lines = lines_of(out);
    EXPECT_FALSE(lines.empty());
    if (lines.empty())
        return t;
    t.header = split(lines[0], '\t');
    for (size_t i = 1; i < lines.size(); ++i)
    {
        auto const f = split(lines[i], '\t');
        EXPECT_EQ(f.size(), t.header.size()) << lines[i];
        std::map<std::string, std::string> row;
        for (size_t k = 0; k < f.size() && k < t.header.size(); ++k)
            row[t.header[k]] = f[k];
        t.ids.push_back(f.at(0));
        t.rows[f.at(0)] = row;
    }
    return t;
}

// `chemores catalogue show` output: key -> values (keys may repeat), each value the rest of the line.
std::multimap<std::string, std::string> parse_show(std::string const & out)
{
    std::multimap<std::string, std::string> m;
    for (auto const & line : lines_of(out))
    {
        auto const tab = line.find('\t');
        EXPECT_NE(tab, std::string::npos) << line;
        m.emplace(line.substr(0, tab), line.substr(tab + 1));
    }
    return m;
}

std::vector<std::string> values(std::multimap<std::string, std::string> const & m, std::string const & key)
{
    std::vector<std::string> v;
    auto [b, e] = m.equal_range(key);
    for (; b != e; ++b)
        v.push_back(b->second);
    return v;
}

std::string bundled_tsv()
{
    return read_file(std::string{CHEMORES_CATALOGUE_DIR} + "/abl1_mutations.tsv");
}

// The bundled abl1_mutations.tsv with the first `from` on the row of `name` replaced by `to`.
std::string edited_tsv(std::string const & name, std::string const & from, std::string const & to)
{
    auto lines = lines_of(bundled_tsv());
    for (auto & l : lines)
        if (l.find("\t" + name + "\tp.") != std::string::npos)
        {
            auto const at = l.find(from);
            EXPECT_NE(at, std::string::npos);
            l.replace(at, from.size(), to);
        }
    std::string s;
    for (auto const & l : lines)
        s += l + "\n";
    return s;
}
} // namespace

TEST(catalogue_cli, help_lists_the_command)
{
    temp_dir d;
    auto r = run(C + " --help", d.path);
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("  catalogue "), std::string::npos) << r.out;
    r = run(C + " catalogue --help", d.path);
    EXPECT_EQ(r.status, 0);
    for (auto const * sub : {"list", "validate", "show"})
        EXPECT_NE(r.out.find(sub), std::string::npos) << r.out;
    r = run(C + " catalogue show --help", d.path);
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("--catalogue-only"), std::string::npos) << r.out;
}

TEST(catalogue_cli, usage_errors_exit_2)
{
    temp_dir d;
    auto r = run(C + " catalogue", d.path);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(r.err.rfind("chemores catalogue: error:", 0), 0u) << r.err;
    r = run(C + " catalogue show", d.path);
    EXPECT_EQ(r.status, 2) << r.err;
    r = run(C + " catalogue frobnicate", d.path);
    EXPECT_EQ(r.status, 2) << r.err;
    r = run(C + " catalogue validate --catalogue missing.tsv", d.path);
    EXPECT_EQ(r.status, 2) << r.err;
    r = run(C + " catalogue list --catalogue-only", d.path);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("--catalogue-only needs at least one --catalogue FILE"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
}

TEST(catalogue_cli, list_bundled)
{
    temp_dir d;
    auto const r = run(C + " catalogue list", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    auto const t = parse_list(r.out);
    EXPECT_EQ(t.header,
              (std::vector<std::string>{"id",
                                        "gene",
                                        "hgvs_c",
                                        "hgvs_p",
                                        "region",
                                        "imatinib",
                                        "dasatinib",
                                        "nilotinib",
                                        "bosutinib",
                                        "ponatinib",
                                        "asciminib",
                                        "methotrexate"}));
    ASSERT_EQ(t.ids.size(), 45u);
    EXPECT_EQ(t.ids.front(), "ABL1:M237I");
    EXPECT_EQ(t.ids[40], "ABL1:I502L");

    auto const & t315i = t.rows.at("ABL1:T315I");
    EXPECT_EQ(t315i.at("gene"), "ABL1");
    EXPECT_EQ(t315i.at("hgvs_c"), "c.944C>T");
    EXPECT_EQ(t315i.at("hgvs_p"), "p.Thr315Ile");
    EXPECT_EQ(t315i.at("region"), "gatekeeper (drug-contact)");
    EXPECT_EQ(t315i.at("imatinib"), "resistant");
    EXPECT_EQ(t315i.at("dasatinib"), "resistant");
    EXPECT_EQ(t315i.at("nilotinib"), "resistant");
    EXPECT_EQ(t315i.at("bosutinib"), "resistant");
    EXPECT_EQ(t315i.at("ponatinib"), "sensitive");
    EXPECT_EQ(t315i.at("asciminib"), "sensitive");
    EXPECT_EQ(t315i.at("methotrexate"), ".");

    EXPECT_EQ(t.rows.at("ABL1:F317L").at("hgvs_c"), "c.949T>C|c.951C>A|c.951C>G");
    EXPECT_EQ(t.rows.at("ABL1:T315M").at("hgvs_c"), "c.944_945delinsTG");
    EXPECT_EQ(t.rows.at("ABL1:T315M").at("ponatinib"), "resistant");
    EXPECT_EQ(t.rows.at("ABL1:T315A").at("imatinib"), "intermediate");

    auto const & e45k = t.rows.at("SLC19A1:E45K");
    EXPECT_EQ(e45k.at("hgvs_c"), "c.133G>A");
    EXPECT_EQ(e45k.at("hgvs_p"), "p.Glu45Lys");
    EXPECT_EQ(e45k.at("methotrexate"), "resistant");
    EXPECT_EQ(e45k.at("imatinib"), ".");
    EXPECT_EQ(t.rows.at("SLC19A1:H27R").at("hgvs_c"), "c.80A>G");
    EXPECT_EQ(t.rows.at("SLC19A1:V29L").at("hgvs_c"), "c.85G>C|c.85G>T");
    EXPECT_EQ(t.rows.at("SLC19A1:S46I").at("hgvs_c"), "c.137G>T");
}

TEST(catalogue_cli, list_user_catalogue_only)
{
    temp_dir d;
    // Two rows: T315I and F317L only.
    auto const lines = lines_of(bundled_tsv());
    std::string tsv = lines[0] + "\n";
    for (auto const & l : lines)
        if (l.find("\tT315I\tp.") != std::string::npos || l.find("\tF317L\tp.") != std::string::npos)
            tsv += l + "\n";
    write_file(d / "mine.tsv", tsv);
    auto const r = run(C + " catalogue list --catalogue-only --catalogue mine.tsv", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const t = parse_list(r.out);
    EXPECT_EQ(t.ids, (std::vector<std::string>{"ABL1:T315I", "ABL1:F317L"}));
    EXPECT_EQ(t.header.size(), 11u); // no methotrexate column without SLC19A1 entries
}

TEST(catalogue_cli, validate_bundled)
{
    temp_dir d;
    auto const r = run(C + " catalogue validate", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    auto const lines = lines_of(r.out);
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.back(), "45 entries valid");
    EXPECT_EQ(lines.front(), "catalogue 2026.11.0 (schema 1), bundled files match catalogue.json md5s");
    auto has = [&](std::string const & s)
    {
        return std::find(lines.begin(), lines.end(), s) != lines.end();
    };
    EXPECT_TRUE(has("builtin:catalogue/abl1_mutations.tsv: 41 entries valid")) << r.out;
    EXPECT_TRUE(has("builtin:catalogue/slc19a1_variants.tsv: 4 entries valid, 7 rows skipped")) << r.out;
    EXPECT_TRUE(has("builtin:catalogue/abl1_compound.tsv: 4 compounds valid, 3 rows skipped")) << r.out;
    size_t skipped = 0;
    for (auto const & l : lines)
        skipped += l.rfind("skipped ", 0) == 0;
    EXPECT_EQ(skipped, 10u);
    EXPECT_NE(r.out.find("skipped builtin:catalogue/slc19a1_variants.tsv line 4 (RFC1-E45K (murine)): not a human "
                         "NM_194255 variant"),
              std::string::npos)
        << r.out;
}

TEST(catalogue_cli, validate_user_catalogue)
{
    temp_dir d;
    write_file(d / "good.tsv", bundled_tsv());
    auto r = run(C + " catalogue validate --catalogue-only --catalogue good.tsv", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lines_of(r.out).back(), "41 entries valid");
    EXPECT_NE(r.out.find("good.tsv: 41 entries valid"), std::string::npos) << r.out;

    // In addition to the bundled catalogue, the same rows are duplicates: 41 errors.
    r = run(C + " catalogue validate --catalogue good.tsv", d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("good.tsv line 17: duplicate entry ABL1:T315I"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("chemores catalogue: 41 errors; the catalogue is not valid"), std::string::npos) << r.err;

    // One wrong ref_codon and one malformed route: both reported with file and line, exit 1, nothing on stdout.
    auto tsv = edited_tsv("T315I", "\tACT\t", "\tACC\t");
    write_file(d / "bad.tsv", tsv);
    auto lines = lines_of(tsv);
    for (auto & l : lines)
        if (l.find("\tE255K\tp.") != std::string::npos)
            l.replace(l.find("c.763G>A"), 8, "c.763G>>A");
    std::string bad2;
    for (auto const & l : lines)
        bad2 += l + "\n";
    write_file(d / "bad2.tsv", bad2);
    r = run(C + " catalogue validate --catalogue-only --catalogue bad2.tsv", d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(r.out.empty()) << r.out;
    auto const err = lines_of(r.err);
    ASSERT_EQ(err.size(), 3u) << r.err;
    EXPECT_EQ(err[0],
              "chemores catalogue: error: bad2.tsv line 11: malformed HGVS in nt_change_hgvs_c 'c.763G>>A': "
              "expected the new base (A, C, G, T) after '>' at '>A'");
    EXPECT_EQ(err[1],
              "chemores catalogue: error: bad2.tsv line 17: ref_codon ACC does not match the reference: "
              "NM_005157.6 codon 315 (c.943-945) is ACT");
    EXPECT_EQ(err[2], "chemores catalogue: 2 errors; the catalogue is not valid");

    // list/show refuse an invalid catalogue (first error, exit 1).
    r = run(C + " catalogue list --catalogue-only --catalogue bad.tsv", d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(r.out.empty());
    EXPECT_NE(r.err.find("chemores catalogue: error: bad.tsv line 17: ref_codon ACC"), std::string::npos) << r.err;
}

TEST(catalogue_cli, show_entry)
{
    temp_dir d;
    auto const r = run(C + " catalogue show T315I", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto const m = parse_show(r.out);
    EXPECT_EQ(values(m, "id"), std::vector<std::string>{"ABL1:T315I"});
    EXPECT_EQ(values(m, "gene"), std::vector<std::string>{"ABL1"});
    EXPECT_EQ(values(m, "transcript"), std::vector<std::string>{"NM_005157.6"});
    EXPECT_EQ(values(m, "codon"), std::vector<std::string>{"315"});
    EXPECT_EQ(values(m, "cds_range"), std::vector<std::string>{"c.943_945"});
    EXPECT_EQ(values(m, "transcript_range"), std::vector<std::string>{"1136-1138"});
    EXPECT_EQ(values(m, "ref_aa"), std::vector<std::string>{"Thr"});
    EXPECT_EQ(values(m, "alt_aa"), std::vector<std::string>{"Ile"});
    EXPECT_EQ(values(m, "ref_codon"), std::vector<std::string>{"ACT"});
    EXPECT_EQ(values(m, "hgvs_p"), std::vector<std::string>{"p.Thr315Ile"});
    EXPECT_EQ(values(m, "route"), std::vector<std::string>{"c.944C>T\tACT>ATT"});
    EXPECT_EQ(values(m, "effect"),
              (std::vector<std::string>{"imatinib\tresistant\t50.2",
                                        "dasatinib\tresistant\t5292.7",
                                        "nilotinib\tresistant\t560.8",
                                        "bosutinib\tresistant\t62.5",
                                        "ponatinib\tsensitive\t2",
                                        "asciminib\tsensitive\t."}));
    EXPECT_EQ(values(m, "compound").size(), 4u);
    EXPECT_GE(values(m, "source").size(), 3u);
    EXPECT_EQ(values(m, "common7_residue"), std::vector<std::string>{"yes"});
    EXPECT_EQ(values(m, "origin"), std::vector<std::string>{"builtin:catalogue/abl1_mutations.tsv line 17"});

    // The same entry by id, HGVS p. and c.
    for (auto const * name : {"ABL1:T315I", "p.Thr315Ile", "c.944C>T"})
    {
        auto const again = run(C + " catalogue show '" + std::string{name} + "'", d.path);
        EXPECT_EQ(again.status, 0) << name << again.err;
        EXPECT_EQ(again.out, r.out) << name;
    }
}

TEST(catalogue_cli, show_slc19a1_and_routes)
{
    temp_dir d;
    auto r = run(C + " catalogue show F317L", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    auto m = parse_show(r.out);
    EXPECT_EQ(values(m, "route"),
              (std::vector<std::string>{"c.949T>C\tTTC>CTC", "c.951C>A\tTTC>TTA", "c.951C>G\tTTC>TTG"}));
    EXPECT_EQ(values(m, "alt_codons"), std::vector<std::string>{"CTC|TTA|TTG"});

    r = run(C + " catalogue show E45K", d.path);
    ASSERT_EQ(r.status, 0) << r.err;
    m = parse_show(r.out);
    EXPECT_EQ(values(m, "id"), std::vector<std::string>{"SLC19A1:E45K"});
    EXPECT_EQ(values(m, "transcript"), std::vector<std::string>{"ENST00000311124"});
    EXPECT_EQ(values(m, "transcript_label"), std::vector<std::string>{"NM_194255"});
    EXPECT_EQ(values(m, "route"), std::vector<std::string>{"c.133G>A\tGAG>AAG"});
    EXPECT_EQ(values(m, "effect"), std::vector<std::string>{"methotrexate\tresistant\t."});
}

TEST(catalogue_cli, show_unknown_suggests)
{
    temp_dir d;
    auto r = run(C + " catalogue show T315X", d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(r.err, "chemores catalogue: error: no catalogue entry 'T315X'; closest: T315I, T315A, T315M\n");
    r = run(C + " catalogue show ABL1:E45K", d.path);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("no catalogue entry 'ABL1:E45K'"), std::string::npos) << r.err;
}
