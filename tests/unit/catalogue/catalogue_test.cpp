#include <chemores/catalogue/catalogue.hpp>
#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/reference/panel.hpp>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <sstream>
#include <unistd.h>

using namespace chemores::catalogue;
using chemores::input_error;
using chemores::reference::panel;

namespace fs = std::filesystem;

namespace
{
panel const & transcripts()
{
    static panel const p = panel::builtin("transcripts");
    return p;
}

catalogue const & bundled()
{
    static catalogue const c = catalogue::load(transcripts());
    return c;
}

std::string bundled_file(std::string_view name)
{
    for (auto const & [n, text] : builtin_files())
        if (n == name)
            return std::string{text};
    throw std::runtime_error{"no bundled file " + std::string{name}};
}

std::vector<std::string> lines_of(std::string const & text)
{
    std::vector<std::string> v;
    std::stringstream ss{text};
    for (std::string l; std::getline(ss, l);)
        v.push_back(l);
    return v;
}

std::string join_lines(std::vector<std::string> const & v)
{
    std::string s;
    for (auto const & l : v)
        s += l + "\n";
    return s;
}

// 1-based line number of the abl1_mutations.tsv row whose protein_change is `name`.
size_t line_of(std::vector<std::string> const & lines, std::string const & name)
{
    for (size_t i = 0; i < lines.size(); ++i)
        if (lines[i].find("\t" + name + "\tp.") != std::string::npos)
            return i + 1;
    throw std::runtime_error{"no row " + name};
}

// Replace the first `from` in line `line` (1-based).
void edit(std::vector<std::string> & lines, size_t line, std::string const & from, std::string const & to)
{
    auto & l = lines.at(line - 1);
    auto const at = l.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    l.replace(at, from.size(), to);
}

struct temp_file
{
    std::string path;
    explicit temp_file(std::string const & content)
    {
        static int n = 0;
        path = (fs::temp_directory_path() /
                ("chemores_catalogue_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + ".tsv"))
                   .string();
        std::ofstream{path} << content;
    }
    ~temp_file()
    {
        std::error_code ec;
        fs::remove(path, ec);
    }
};

// Load `content` as the only catalogue; returns the error message ("" if it loaded).
std::string load_error(std::string const & content, std::string * path_out = nullptr)
{
    temp_file f{content};
    if (path_out)
        *path_out = f.path;
    try
    {
        load_options o;
        o.builtin = false;
        o.files = {f.path};
        (void)catalogue::load(transcripts(), o);
    }
    catch (input_error const & e)
    {
        return e.what();
    }
    return {};
}

std::set<std::string> codon_set(mutation const & m)
{
    auto const v = m.alt_codons();
    return {v.begin(), v.end()};
}

mutation const & entry(std::string const & id)
{
    auto const * m = bundled().by_id(id);
    if (!m)
        throw std::runtime_error{"no entry " + id};
    return *m;
}
} // namespace

TEST(catalogue, bundled_loads_and_counts)
{
    auto const & c = bundled();
    size_t abl1 = 0, slc = 0;
    for (auto const & m : c.mutations())
    {
        abl1 += m.gene == "ABL1";
        slc += m.gene == "SLC19A1";
    }
    EXPECT_EQ(abl1, 41u);
    EXPECT_EQ(slc, 4u);
    EXPECT_EQ(c.mutations().size(), 45u);

    auto const report = catalogue::validate(transcripts());
    EXPECT_TRUE(report.errors.empty()) << report.errors.front().to_string();
    EXPECT_EQ(report.valid_entries, 45u);

    // Every ABL1 entry is on NM_005157.6 with all six drugs; every SLC19A1 one on ENST00000311124 with methotrexate.
    for (auto const & m : c.mutations())
    {
        if (m.gene == "ABL1")
        {
            EXPECT_EQ(m.transcript, "NM_005157.6") << m.id;
            EXPECT_EQ(m.cds_start, 194) << m.id;
            ASSERT_EQ(m.drugs.size(), 6u) << m.id;
            for (size_t i = 0; i < 6; ++i)
                EXPECT_EQ(m.drugs[i].drug, tki_drugs[i]);
        }
        else
        {
            EXPECT_EQ(m.transcript, "ENST00000311124") << m.id;
            EXPECT_EQ(m.cds_start, 154) << m.id;
            ASSERT_EQ(m.drugs.size(), 1u) << m.id;
            EXPECT_EQ(m.drugs[0].drug, "methotrexate");
        }
        EXPECT_FALSE(m.routes.empty()) << m.id;
        EXPECT_EQ(m.origin.rfind("builtin:catalogue/", 0), 0u) << m.origin;
    }
    EXPECT_EQ(c.drugs(),
              (std::vector<std::string>{
                  "imatinib", "dasatinib", "nilotinib", "bosutinib", "ponatinib", "asciminib", "methotrexate"}));
}

TEST(catalogue, metadata)
{
    auto const & m = bundled().meta();
    EXPECT_TRUE(m.builtin);
    EXPECT_EQ(m.catalogue_version, "2026.11.0");
    EXPECT_EQ(m.schema_version, 1);
    EXPECT_EQ(m.file_md5.at("abl1_mutations.tsv"), "28e989f82746bb086203f0703bfc701d");
    EXPECT_EQ(m.file_md5.at("slc19a1_variants.tsv"), "89fb6b50c196813bb8c89c118b71aab7");
    EXPECT_EQ(m.reference_origin, "builtin:transcripts");
    EXPECT_EQ(m.reference_checksum, transcripts().checksum());
    ASSERT_EQ(m.references.size(), 2u);
    EXPECT_EQ(m.references[0].gene, "ABL1");
    EXPECT_EQ(m.references[0].contig, "NM_005157.6");
    EXPECT_EQ(m.references[0].md5, "4690932069f17897d5957e6aeccaa7c0");
    EXPECT_EQ(m.references[1].contig, "ENST00000311124");
}

TEST(catalogue, embedded_files_equal_the_repository_files)
{
    for (auto const & [name, text] : builtin_files())
    {
        std::ifstream in{std::string{CHEMORES_CATALOGUE_DIR} + "/" + std::string{name}, std::ios::binary};
        ASSERT_TRUE(in) << name;
        std::string const disk{std::istreambuf_iterator<char>{in}, {}};
        EXPECT_EQ(text, disk) << name;
    }
}

TEST(catalogue, t315i_fields)
{
    auto const & m = entry("ABL1:T315I");
    EXPECT_EQ(m.name, "T315I");
    EXPECT_EQ(m.codon, 315);
    EXPECT_EQ(m.ref_aa, 'T');
    EXPECT_EQ(m.alt_aa, 'I');
    EXPECT_EQ(m.ref_codon, "ACT");
    EXPECT_EQ(m.hgvs_p, "p.Thr315Ile");
    EXPECT_EQ(m.hgvs_c(), std::vector<std::string>{"c.944C>T"});
    EXPECT_EQ(m.alt_codons(), std::vector<std::string>{"ATT"});
    EXPECT_EQ(m.transcript_offset(), 194 - 1 + 942);
    EXPECT_EQ(m.region, "gatekeeper (drug-contact)");
    EXPECT_EQ(m.effect_for("imatinib")->call, effect::resistant);
    EXPECT_DOUBLE_EQ(*m.effect_for("imatinib")->ic50_fold, 50.2);
    EXPECT_EQ(m.effect_for("dasatinib")->call, effect::resistant);
    EXPECT_DOUBLE_EQ(*m.effect_for("dasatinib")->ic50_fold, 5292.7);
    EXPECT_EQ(m.effect_for("nilotinib")->call, effect::resistant);
    EXPECT_EQ(m.effect_for("bosutinib")->call, effect::resistant);
    EXPECT_EQ(m.effect_for("ponatinib")->call, effect::sensitive);
    EXPECT_EQ(m.effect_for("asciminib")->call, effect::sensitive);
    EXPECT_FALSE(m.effect_for("asciminib")->ic50_fold);
    EXPECT_EQ(m.effect_for("methotrexate"), nullptr);
    EXPECT_FALSE(m.sources.empty());
    // Compounds naming T315I: the two pairs and both classes.
    std::set<std::string> names;
    for (auto const * c : bundled().compounds_with("ABL1:T315I"))
        names.insert(c->name);
    EXPECT_EQ(names,
              (std::set<std::string>{"T315I-inclusive compound mutants (class)",
                                     "non-T315I compound mutants (class)",
                                     "T315I/E453K",
                                     "T315I/F359C"}));
}

TEST(catalogue, effects_and_folds_of_other_rows)
{
    EXPECT_EQ(entry("ABL1:T315A").effect_for("imatinib")->call, effect::intermediate);
    EXPECT_EQ(entry("ABL1:T315M").effect_for("ponatinib")->call, effect::resistant);
    EXPECT_EQ(entry("ABL1:C464W").effect_for("imatinib")->call, effect::unknown);
    EXPECT_DOUBLE_EQ(*entry("ABL1:A337V").effect_for("asciminib")->ic50_fold, 743);
    EXPECT_FALSE(entry("ABL1:A337V").effect_for("dasatinib")->ic50_fold);
    EXPECT_EQ(entry("ABL1:A337V").effect_for("asciminib")->call, effect::resistant);
}

TEST(catalogue, routes_f317l_and_t315m)
{
    // F317L: TTC at c.949-951; c.949T>C -> CTC, c.951C>A -> TTA, c.951C>G -> TTG (all Leu).
    auto const & f = entry("ABL1:F317L");
    EXPECT_EQ(f.ref_codon, "TTC");
    EXPECT_EQ(f.hgvs_c(), (std::vector<std::string>{"c.949T>C", "c.951C>A", "c.951C>G"}));
    EXPECT_EQ(codon_set(f), (std::set<std::string>{"CTC", "TTA", "TTG"}));
    // ... and not the other Leu codons (CTT, CTA, CTG need two changes).
    EXPECT_EQ(codon_set(f).count("CTG"), 0u);
    // T315M: ACT -> ATG by c.944_945delinsTG, the only route.
    auto const & m = entry("ABL1:T315M");
    EXPECT_EQ(m.hgvs_c(), std::vector<std::string>{"c.944_945delinsTG"});
    EXPECT_EQ(m.alt_codons(), std::vector<std::string>{"ATG"});
    // Every route of every entry gives a codon that differs from the reference.
    for (auto const & e : bundled().mutations())
        for (auto const & r : e.routes)
            EXPECT_NE(r.alt_codon, e.ref_codon) << e.id;
}

TEST(catalogue, slc19a1_rows)
{
    auto const & e45k = entry("SLC19A1:E45K");
    EXPECT_EQ(e45k.ref_codon, "GAG");
    EXPECT_EQ(e45k.hgvs_p, "p.Glu45Lys");
    EXPECT_EQ(e45k.hgvs_c(), std::vector<std::string>{"c.133G>A"});
    EXPECT_EQ(e45k.alt_codons(), std::vector<std::string>{"AAG"});
    EXPECT_EQ(e45k.effect_for("methotrexate")->call, effect::resistant);

    auto const & h27r = entry("SLC19A1:H27R"); // reference carries His27 (CAC)
    EXPECT_EQ(h27r.ref_codon, "CAC");
    EXPECT_EQ(h27r.hgvs_c(), std::vector<std::string>{"c.80A>G"});
    EXPECT_EQ(h27r.alt_codons(), std::vector<std::string>{"CGC"});
    EXPECT_EQ(h27r.effect_for("methotrexate")->call, effect::unknown);

    auto const & v29l = entry("SLC19A1:V29L"); // GTG: two single-nucleotide routes, derived
    EXPECT_EQ(v29l.ref_codon, "GTG");
    EXPECT_EQ(v29l.hgvs_c(), (std::vector<std::string>{"c.85G>C", "c.85G>T"}));
    EXPECT_EQ(codon_set(v29l), (std::set<std::string>{"CTG", "TTG"}));
    EXPECT_EQ(v29l.effect_for("methotrexate")->call, effect::unknown);

    auto const & s46i = entry("SLC19A1:S46I"); // AGC -> ATC, the only single-nucleotide route
    EXPECT_EQ(s46i.ref_codon, "AGC");
    EXPECT_EQ(s46i.hgvs_c(), std::vector<std::string>{"c.137G>T"});
    EXPECT_EQ(s46i.alt_codons(), std::vector<std::string>{"ATC"});

    // The other 7 rows are skipped, each with a reason.
    std::map<uint64_t, std::string> slc_skipped;
    for (auto const & s : bundled().skipped())
        if (s.origin == "builtin:catalogue/slc19a1_variants.tsv")
            slc_skipped[s.line] = s.reason;
    ASSERT_EQ(slc_skipped.size(), 7u);
    EXPECT_NE(slc_skipped.at(4).find("not a human NM_194255 variant"), std::string::npos) << slc_skipped.at(4);
    EXPECT_NE(slc_skipped.at(7).find("frameshift"), std::string::npos) << slc_skipped.at(7);
    EXPECT_NE(slc_skipped.at(8).find("p.= (synonymous)"), std::string::npos) << slc_skipped.at(8);
    // c.696C>T: the reference carries T, the row's new allele (allele polarity, reported not hidden).
    EXPECT_NE(slc_skipped.at(8).find("; ENST00000311124 carries T at c.696, the row's new allele (in that reference "
                                     "frame: c.696T>C)"),
              std::string::npos)
        << slc_skipped.at(8);
    EXPECT_EQ(slc_skipped.at(9).find("carries"), std::string::npos) << slc_skipped.at(9); // c.1242 is C as stated
    EXPECT_NE(slc_skipped.at(11).find("p.(?25Ter)"), std::string::npos) << slc_skipped.at(11);
}

TEST(catalogue, compounds)
{
    auto const & cs = bundled().compounds();
    ASSERT_EQ(cs.size(), 4u);
    EXPECT_EQ(cs[0].kind, compound_kind::class_with_anchor);
    EXPECT_EQ(cs[0].anchor, "ABL1:T315I");
    EXPECT_EQ(cs[1].kind, compound_kind::class_without_anchor);
    EXPECT_EQ(cs[1].anchor, "ABL1:T315I");
    EXPECT_EQ(cs[2].name, "T315I/E453K");
    EXPECT_EQ(cs[2].kind, compound_kind::specific);
    EXPECT_EQ(cs[2].components, (std::vector<std::string>{"ABL1:T315I", "ABL1:E453K"}));
    EXPECT_EQ(cs[2].drugs_affected, std::vector<std::string>{"ponatinib"});
    EXPECT_EQ(cs[3].components, (std::vector<std::string>{"ABL1:T315I", "ABL1:F359C"}));
    std::map<uint64_t, std::string> skipped;
    for (auto const & s : bundled().skipped())
        if (s.origin == "builtin:catalogue/abl1_compound.tsv")
            skipped[s.line] = s.reason;
    ASSERT_EQ(skipped.size(), 3u);
    EXPECT_EQ(skipped.at(6),
              "evidence or summary row, not a compound of named catalogue entries (components: "
              "'various')");
    EXPECT_EQ(skipped.at(8), "combination of Y253H + V73A, but V73A is not a catalogue entry");
}

TEST(catalogue, find_by_any_name)
{
    auto const & c = bundled();
    auto const * t315i = c.by_id("ABL1:T315I");
    for (auto const * name : {"T315I",
                              "ABL1:T315I",
                              "p.Thr315Ile",
                              "ABL1:p.Thr315Ile",
                              "p.(Thr315Ile)",
                              "p.T315I",
                              "t315i",
                              "abl1:t315i",
                              "c.944C>T",
                              "NM_005157.6:c.944C>T",
                              "NM_005157:c.944C>T"})
    {
        auto const hits = c.find(name);
        ASSERT_EQ(hits.size(), 1u) << name;
        EXPECT_EQ(hits[0], t315i) << name;
    }
    EXPECT_EQ(c.find("c.951C>A").at(0)->id, "ABL1:F317L");
    EXPECT_EQ(c.find("E45K").at(0)->id, "SLC19A1:E45K");
    EXPECT_TRUE(c.find("SLC19A1:T315I").empty());
    EXPECT_TRUE(c.find("T315X").empty());
    EXPECT_TRUE(c.find("c.944C>A").empty());
    EXPECT_TRUE(c.find("").empty());
    EXPECT_EQ(c.suggest("T315X"), (std::vector<std::string>{"T315I", "T315A", "T315M"}));
    EXPECT_EQ(c.suggest("ABL1:F317X", 1), std::vector<std::string>{"ABL1:F317L"});
}

TEST(catalogue, user_catalogue_in_addition_and_instead)
{
    auto lines = lines_of(bundled_file("abl1_mutations.tsv"));
    // A user entry: G250R (GGG -> c.748G>C -> CGG).
    std::string row = lines.at(line_of(lines, "G250E") - 1);
    auto replace_all = [](std::string & s, std::string const & a, std::string const & b)
    {
        for (size_t at = s.find(a); at != std::string::npos; at = s.find(a, at + b.size()))
            s.replace(at, a.size(), b);
    };
    replace_all(row, "G250E", "G250R");
    replace_all(row, "p.Gly250Glu", "p.Gly250Arg");
    replace_all(row, "\tGlu\t", "\tArg\t");
    replace_all(row, "c.749G>A", "c.748G>C");
    temp_file f{lines[0] + "\n" + row + "\n"};

    load_options o;
    o.files = {f.path};
    auto const both = catalogue::load(transcripts(), o);
    EXPECT_EQ(both.mutations().size(), 46u);
    auto const * g = both.by_id("ABL1:G250R");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->origin, f.path);
    EXPECT_EQ(g->line, 2u);
    EXPECT_EQ(g->alt_codons(), std::vector<std::string>{"CGG"});
    EXPECT_EQ(both.meta().file_md5.count(f.path), 1u);

    o.builtin = false;
    auto const only = catalogue::load(transcripts(), o);
    ASSERT_EQ(only.mutations().size(), 1u);
    EXPECT_EQ(only.mutations()[0].id, "ABL1:G250R");
    EXPECT_TRUE(only.compounds().empty());
    EXPECT_FALSE(only.meta().builtin);

    // A user row that repeats a bundled entry is an error unless the bundled catalogue is left out.
    temp_file dup{lines[0] + "\n" + lines.at(line_of(lines, "T315I") - 1) + "\n"};
    load_options od;
    od.files = {dup.path};
    try
    {
        (void)catalogue::load(transcripts(), od);
        FAIL() << "duplicate accepted";
    }
    catch (input_error const & e)
    {
        std::string const msg = e.what();
        EXPECT_NE(msg.find(dup.path + " line 2: duplicate entry ABL1:T315I"), std::string::npos) << msg;
        EXPECT_NE(msg.find("--catalogue-only"), std::string::npos) << msg;
    }

    load_options none;
    none.builtin = false;
    EXPECT_THROW((void)catalogue::load(transcripts(), none), chemores::config_error);
}

TEST(catalogue, copy_of_bundled_tsv_loads_alone)
{
    EXPECT_EQ(load_error(bundled_file("abl1_mutations.tsv")), "");
}

TEST(catalogue, wrong_ref_codon_is_an_error_with_file_and_line)
{
    auto lines = lines_of(bundled_file("abl1_mutations.tsv"));
    size_t const n = line_of(lines, "T315I");
    EXPECT_EQ(n, 17u);
    edit(lines, n, "\tACT\t", "\tACC\t");
    std::string path;
    auto const msg = load_error(join_lines(lines), &path);
    EXPECT_NE(msg.find(path + " line 17: ref_codon ACC does not match the reference: NM_005157.6 codon 315 "
                              "(c.943-945) is ACT"),
              std::string::npos)
        << msg;
}

TEST(catalogue, wrong_route_base_is_an_error)
{
    auto lines = lines_of(bundled_file("abl1_mutations.tsv"));
    size_t const n = line_of(lines, "F317L");
    edit(lines, n, "c.949T>C", "c.949G>C");
    std::string path;
    auto const msg = load_error(join_lines(lines), &path);
    EXPECT_NE(msg.find(path + " line " + std::to_string(n) + ": route c.949G>C: "), std::string::npos) << msg;
    EXPECT_NE(msg.find("the reference base at c.949 is T, not G"), std::string::npos) << msg;
}

TEST(catalogue, route_giving_the_wrong_amino_acid_is_an_error)
{
    auto lines = lines_of(bundled_file("abl1_mutations.tsv"));
    size_t const n = line_of(lines, "T315I");
    edit(lines, n, "c.944C>T", "c.944C>A");
    auto const msg = load_error(join_lines(lines));
    EXPECT_NE(msg.find("line 17: route c.944C>A changes ACT to AAT = Asn, not alt_aa Ile"), std::string::npos) << msg;
}

TEST(catalogue, malformed_hgvs_is_an_error_with_file_and_line)
{
    auto lines = lines_of(bundled_file("abl1_mutations.tsv"));
    size_t const n = line_of(lines, "E255K");
    edit(lines, n, "c.763G>A", "c.763G>>A");
    std::string path;
    auto msg = load_error(join_lines(lines), &path);
    EXPECT_NE(msg.find(path + " line " + std::to_string(n) + ": malformed HGVS in nt_change_hgvs_c 'c.763G>>A'"),
              std::string::npos)
        << msg;

    lines = lines_of(bundled_file("abl1_mutations.tsv"));
    edit(lines, n, "p.Glu255Lys", "p.Glu255");
    msg = load_error(join_lines(lines), &path);
    EXPECT_NE(msg.find(path + " line " + std::to_string(n) + ": malformed HGVS in hgvs_p 'p.Glu255'"),
              std::string::npos)
        << msg;
}

TEST(catalogue, protein_notation_must_agree)
{
    auto lines = lines_of(bundled_file("abl1_mutations.tsv"));
    size_t const n = line_of(lines, "T315I");
    edit(lines, n, "p.Thr315Ile", "p.Thr316Ile");
    auto msg = load_error(join_lines(lines));
    EXPECT_NE(msg.find("line 17: hgvs_p p.Thr316Ile does not agree with codon 315, ref_aa Thr, alt_aa Ile"),
              std::string::npos)
        << msg;

    lines = lines_of(bundled_file("abl1_mutations.tsv"));
    edit(lines, n, "\tT315I\t", "\tT315V\t");
    msg = load_error(join_lines(lines));
    EXPECT_NE(msg.find("line 17: protein_change T315V does not agree"), std::string::npos) << msg;

    lines = lines_of(bundled_file("abl1_mutations.tsv"));
    edit(lines, n, "\tThr\tIle\t", "\tSer\tIle\t");
    msg = load_error(join_lines(lines));
    EXPECT_NE(msg.find("line 17: reference NM_005157.6 codon 315 (c.943-945) ACT translates to Thr, not ref_aa Ser"),
              std::string::npos)
        << msg;
}

TEST(catalogue, other_row_errors)
{
    auto const lines = lines_of(bundled_file("abl1_mutations.tsv"));
    size_t const n = line_of(lines, "T315I");
    struct edit_case
    {
        std::string from, to, expected;
    };
    std::vector<edit_case> const cases{
        {"\tresistant\t", "\tresistent\t", "imatinib 'resistent' is not one of resistant"},
        {"\t50.2\t", "\t-3\t", "ic50_fold_imatinib '-3' is not a positive number"},
        {"\t315\t", "\t9999\t", "codon 9999 is outside the CDS of NM_005157.6 (1131 codons)"},
        {"\t315\t", "\tx\t", "codon 'x' is not a positive integer"},
        {"ABL1\tNM_005157", "KRAS\tNM_005157", "transcript NM_005157.6 belongs to gene ABL1, not KRAS"},
        {"c.944C>T", "c.944C>T|c.944C>T", "route c.944C>T is listed twice"},
        {"c.944C>T", "", "no nucleotide change in nt_change_hgvs_c"},
    };
    for (auto const & t : cases)
    {
        auto copy = lines;
        edit(copy, n, t.from, t.to);
        auto const msg = load_error(join_lines(copy));
        EXPECT_NE(msg.find("line 17: " + t.expected), std::string::npos) << t.expected << "\n" << msg;
    }
    // Structural problems.
    auto copy = lines;
    copy.at(n - 1) += "\textra";
    EXPECT_NE(load_error(join_lines(copy)).find("line 17: expected 30 tab-separated columns"), std::string::npos);
    EXPECT_NE(load_error("gene\tcodon\nABL1\t315\n").find("line 1: missing column(s) protein_change, hgvs_p"),
              std::string::npos);
    EXPECT_NE(load_error("").find("empty: no header line"), std::string::npos);
}

TEST(catalogue, validate_collects_every_error)
{
    auto lines = lines_of(bundled_file("abl1_mutations.tsv"));
    edit(lines, line_of(lines, "T315I"), "\tACT\t", "\tACC\t");
    edit(lines, line_of(lines, "F317L"), "c.949T>C", "c.949G>C");
    temp_file f{join_lines(lines)};
    load_options o;
    o.builtin = false;
    o.files = {f.path};
    catalogue out;
    auto const report = catalogue::validate(transcripts(), o, &out);
    ASSERT_EQ(report.errors.size(), 2u);
    EXPECT_EQ(report.errors[0].line, 17u);
    EXPECT_EQ(report.errors[1].line, 20u);
    EXPECT_EQ(report.errors[0].origin, f.path);
    EXPECT_EQ(report.valid_entries, 39u);
    EXPECT_TRUE(out.mutations().empty()); // not filled on errors
    try
    {
        (void)catalogue::load(transcripts(), o);
        FAIL();
    }
    catch (input_error const & e)
    {
        EXPECT_NE(std::string{e.what()}.find("(and 1 more problems"), std::string::npos) << e.what();
    }
}

TEST(catalogue, bundled_catalogue_checks_the_reference_sequence)
{
    // The same contig names with T315 changed from ACT to ATT: the md5 check and the T315 rows must fail.
    auto const & p = transcripts();
    std::string fasta;
    for (auto const & c : p.contigs())
    {
        std::string seq;
        for (auto x : c.seq)
            seq += chemores::code_to_char[x];
        if (c.name == "NM_005157.6")
            seq[194 - 1 + 943] = 'T';
        fasta += ">" + c.name + "\n" + seq + "\n";
    }
    auto const changed = panel::from_text("test.fa", fasta, "", "");
    auto const report = catalogue::validate(changed);
    ASSERT_FALSE(report.errors.empty());
    std::string all;
    for (auto const & e : report.errors)
        all += e.to_string() + "\n";
    EXPECT_NE(all.find("reference NM_005157.6 in test.fa has sequence md5"), std::string::npos) << all;
    EXPECT_NE(all.find("builtin:catalogue/abl1_mutations.tsv line 17: ref_codon ACT does not match the reference: "
                       "NM_005157.6 codon 315 (c.943-945) is ATT"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find("builtin:catalogue/abl1_reference_codons.tsv"), std::string::npos) << all;

    // A reference without SLC19A1: its rows cannot be checked.
    std::string abl_only;
    for (auto const & c : p.contigs())
        if (c.name == "NM_005157.6")
        {
            abl_only += ">" + c.name + "\n";
            for (auto x : c.seq)
                abl_only += chemores::code_to_char[x];
            abl_only += "\n";
        }
    auto const r2 = catalogue::validate(panel::from_text("abl1.fa", abl_only, "", ""));
    ASSERT_FALSE(r2.errors.empty());
    EXPECT_NE(r2.errors[0].to_string().find("slc19a1_variants.tsv line 2: the reference abl1.fa has no contig "
                                            "ENST00000311124"),
              std::string::npos)
        << r2.errors[0].to_string();
}
