// Unit tests of chemores::call on values: drug verdict rules over the bundled catalogue, compound evidence, and the
// rendering of result.json into calls.tsv, the matrix and the VCF.

#include <chemores/call/caller.hpp>
#include <chemores/call/report.hpp>

#include <gtest/gtest.h>
#include <sstream>

using namespace chemores;

namespace
{

reference::panel const & panel()
{
    static auto const p = reference::panel::builtin("transcripts");
    return p;
}

catalogue::catalogue const & bundled()
{
    static auto const c = catalogue::catalogue::load(panel());
    return c;
}

//!\brief A sample in which every catalogue entry has `st`, at depth 3000 with no alternative molecule.
call::sample_result sample_with(call::status st)
{
    call::sample_result s;
    s.name = "s1";
    s.input = "s1.bam";
    for (auto const & m : bundled().mutations())
    {
        call::variant_call v;
        v.id = m.id;
        v.gene = m.gene;
        v.name = m.name;
        v.transcript = m.transcript;
        v.codon = m.codon;
        v.offset = m.transcript_offset();
        v.ref_codon = m.ref_codon;
        v.alt_codons = m.alt_codons();
        v.hgvs_c = m.hgvs_c();
        v.hgvs_p = m.hgvs_p;
        v.entry = &m;
        v.call = st;
        v.depth = v.ref_molecules = 3000;
        v.alt_per_codon.assign(v.alt_codons.size(), 0);
        v.lod = 0.005;
        s.calls.push_back(v);
    }
    return s;
}

call::variant_call & entry(call::sample_result & s, std::string const & name)
{
    for (auto & v : s.calls)
        if (v.name == name)
            return v;
    throw std::runtime_error{"no " + name};
}

void detect(call::variant_call & v, uint64_t alt)
{
    v.call = call::status::detected;
    v.alt_per_codon[0] = alt;
    v.alt_molecules = alt;
    v.ref_molecules = v.depth - alt;
    v.fraction = static_cast<double>(alt) / static_cast<double>(v.depth);
}

std::map<std::string, call::drug_call> verdicts(call::sample_result const & s)
{
    std::map<std::string, call::drug_call> m;
    for (auto const & d : call::interpret_drugs(s, bundled()))
        m[d.drug] = d;
    return m;
}

} // namespace

TEST(drug_verdicts, nothing_detected_everything_assessable)
{
    auto const v = verdicts(sample_with(call::status::not_detected));
    ASSERT_EQ(v.size(), 7u); // six TKIs and methotrexate
    for (auto const & [drug, d] : v)
    {
        EXPECT_EQ(d.verdict, call::drug_verdict::no_known_resistance_detected) << drug;
        EXPECT_TRUE(d.drivers.empty()) << drug;
    }
}

TEST(drug_verdicts, t315i_is_resistant_to_the_first_and_second_generation_tkis_only)
{
    auto s = sample_with(call::status::not_detected);
    detect(entry(s, "T315I"), 60);
    auto const v = verdicts(s);
    for (auto const * drug : {"imatinib", "dasatinib", "nilotinib", "bosutinib"})
    {
        EXPECT_EQ(v.at(drug).verdict, call::drug_verdict::resistant) << drug;
        ASSERT_EQ(v.at(drug).drivers.size(), 1u);
        EXPECT_EQ(v.at(drug).drivers[0].variant, "T315I");
        EXPECT_DOUBLE_EQ(v.at(drug).drivers[0].fraction, 0.02);
        EXPECT_FALSE(v.at(drug).drivers[0].sources.empty());
    }
    EXPECT_EQ(v.at("ponatinib").verdict, call::drug_verdict::no_known_resistance_detected);
    EXPECT_EQ(v.at("methotrexate").verdict, call::drug_verdict::no_known_resistance_detected);
}

TEST(drug_verdicts, intermediate_gives_reduced_sensitivity_and_resistant_wins)
{
    auto s = sample_with(call::status::not_detected);
    detect(entry(s, "T315A"), 90); // catalogue: imatinib intermediate, dasatinib resistant
    auto v = verdicts(s);
    EXPECT_EQ(v.at("imatinib").verdict, call::drug_verdict::reduced_sensitivity);
    EXPECT_EQ(v.at("dasatinib").verdict, call::drug_verdict::resistant);
    detect(entry(s, "E255K"), 30); // imatinib resistant: resistant outranks reduced sensitivity
    v = verdicts(s);
    EXPECT_EQ(v.at("imatinib").verdict, call::drug_verdict::resistant);
    EXPECT_EQ(v.at("imatinib").drivers.size(), 2u);
}

TEST(drug_verdicts, an_unassessable_relevant_entry_makes_the_drug_not_assessable)
{
    auto s = sample_with(call::status::not_detected);
    entry(s, "T315M").call = call::status::not_assessable; // ponatinib resistant in the catalogue
    auto v = verdicts(s);
    EXPECT_EQ(v.at("ponatinib").verdict, call::drug_verdict::not_assessable);
    EXPECT_EQ(v.at("ponatinib").unassessable, std::vector<std::string>{"T315M"});
    // T315M says nothing about imatinib (unknown): imatinib stays assessable.
    EXPECT_EQ(v.at("imatinib").verdict, call::drug_verdict::no_known_resistance_detected);
    // A detection decides even when other entries cannot be assessed.
    detect(entry(s, "T315I"), 60);
    v = verdicts(s);
    EXPECT_EQ(v.at("imatinib").verdict, call::drug_verdict::resistant);
    EXPECT_EQ(v.at("ponatinib").verdict, call::drug_verdict::not_assessable);
}

TEST(drug_verdicts, a_cis_compound_listing_the_drug_is_resistant)
{
    auto s = sample_with(call::status::not_detected);
    call::compound_call cc;
    cc.first = "ABL1:E255V";
    cc.second = "ABL1:T315I";
    cc.name = "E255V+T315I";
    cc.counts = {50, 0, 0, 950};
    call::classify_compound(cc, 2);
    cc.catalogue_matches = {"T315I-inclusive compound mutants (class)"};
    cc.drugs_affected = {"ponatinib"};
    s.compounds.push_back(cc);
    auto const v = verdicts(s);
    EXPECT_EQ(v.at("ponatinib").verdict, call::drug_verdict::resistant);
    ASSERT_EQ(v.at("ponatinib").drivers.size(), 1u);
    EXPECT_EQ(v.at("ponatinib").drivers[0].variant, "E255V+T315I");
    EXPECT_FALSE(v.at("ponatinib").drivers[0].sources.empty());
}

TEST(compounds, evidence_from_molecule_counts)
{
    auto evidence = [](uint64_t both, uint64_t first, uint64_t second, uint64_t neither) {
        call::compound_call cc;
        cc.counts = {both, first, second, neither};
        call::classify_compound(cc, 2);
        return cc;
    };
    EXPECT_EQ(evidence(0, 0, 0, 0).evidence, "not_linked");
    EXPECT_EQ(evidence(40, 0, 1, 960).evidence, "cis");
    EXPECT_EQ(evidence(40, 30, 25, 905).evidence, "cis+trans");
    EXPECT_EQ(evidence(1, 30, 25, 944).evidence, "trans");
    EXPECT_EQ(evidence(0, 30, 0, 970).evidence, "undetermined");
    // The fraction floor: 3 chimeric molecules of 1,000 (0.3 %) are not a compound clone at a 0.5 % floor; 5 are.
    call::compound_call chimeric;
    chimeric.counts = {3, 30, 25, 942};
    call::classify_compound(chimeric, 2, 0.005);
    EXPECT_EQ(chimeric.evidence, "trans");
    chimeric.counts = {5, 30, 25, 940};
    call::classify_compound(chimeric, 2, 0.005);
    EXPECT_EQ(chimeric.evidence, "cis+trans");
    auto const c = evidence(40, 0, 0, 960);
    EXPECT_DOUBLE_EQ(c.cis_fraction, 0.04);
    EXPECT_LT(c.ci.lower, 0.04);
    EXPECT_GT(c.ci.upper, 0.04);
}

TEST(report, tsv_vcf_and_matrix_from_the_same_results)
{
    auto a = sample_with(call::status::not_detected);
    auto b = sample_with(call::status::not_detected);
    b.name = "s2";
    // F317L has three routes (TTC>CTC, TTC>TTA, TTC>TTG): one VCF record with three ALTs, REF/ALT left untrimmed
    // because the changed columns are the first and the third.
    auto & f = entry(a, "F317L");
    ASSERT_EQ(f.alt_codons.size(), 3u);
    f.call = call::status::detected;
    f.alt_per_codon = {10, 0, 20};
    f.alt_molecules = 30;
    f.ref_molecules = 2970;
    f.fraction = 0.01;
    entry(b, "F317L").call = call::status::not_assessable;
    detect(entry(b, "T315I"), 150);

    call::provenance prov;
    prov.command = "chemores call -o out a.bam b.bam";
    prov.reference_origin = panel().origin();
    prov.reference_checksum = panel().checksum();
    prov.catalogue = bundled().meta();
    std::vector<call::sample_result> samples{a, b};
    for (auto & s : samples)
        s.drugs = call::interpret_drugs(s, bundled());
    auto const doc = call::to_json(samples, prov);
    EXPECT_EQ(doc["schema_version"], call::result_schema_version);
    EXPECT_EQ(doc["samples"].size(), 2u);

    // calls.tsv: the columns first, one row per sample x entry.
    std::istringstream tsv{call::render_tsv(doc)};
    std::string header;
    std::getline(tsv, header);
    EXPECT_EQ(header.rfind("sample\tgene\tmutation\thgvs_c\thgvs_p\tstatus\tfraction\tci_low\tci_high\tdepth\t"
                           "alt_molecules\tlod\tdrugs_affected",
                           0),
              0u);
    size_t rows = 0;
    for (std::string line; std::getline(tsv, line);)
    {
        ++rows;
        if (line.rfind("s1\tABL1\tF317L\t", 0) == 0)
        {
            EXPECT_NE(line.find("\tc.949T>C,c.951C>A,c.951C>G\t"), std::string::npos) << line;
            EXPECT_NE(line.find("\tDETECTED\t0.01\t"), std::string::npos) << line;
            EXPECT_NE(line.find("imatinib:resistant"), std::string::npos) << line;
        }
    }
    EXPECT_EQ(rows, 2 * bundled().mutations().size());

    // Matrix: variants detected anywhere as columns; NOT_ASSESSABLE is NA, not 0.
    std::istringstream matrix{call::render_matrix(doc)};
    std::string line;
    std::getline(matrix, line);
    EXPECT_EQ(line, "sample\tABL1:F317L\tABL1:T315I");
    std::getline(matrix, line);
    EXPECT_EQ(line, "s1\t0.01\t0");
    std::getline(matrix, line);
    EXPECT_EQ(line, "s2\tNA\t0.05");

    // VCF: records sorted by position, per-sample AD with one value per ALT.
    std::istringstream vcf{call::render_vcf(samples, panel(), prov)};
    std::vector<std::string> records;
    for (std::string l; std::getline(vcf, l);)
        if (!l.empty() && l[0] != '#')
            records.push_back(l);
    ASSERT_EQ(records.size(), 2u);
    auto field = [](std::string const & rec, size_t i) {
        std::istringstream in{rec};
        std::string x;
        for (size_t k = 0; k <= i; ++k)
            std::getline(in, x, '\t');
        return x;
    };
    EXPECT_EQ(field(records[0], 1), "1137"); // T315I, c.944 = tx 1137
    EXPECT_EQ(field(records[0], 3), "C");
    EXPECT_EQ(field(records[0], 4), "T");
    EXPECT_EQ(field(records[1], 1), "1142"); // F317 codon starts at tx 1142
    EXPECT_EQ(field(records[1], 3), "TTC");
    EXPECT_EQ(field(records[1], 4), "CTC,TTA,TTG");
    EXPECT_EQ(field(records[1], 9).substr(0, 26), "0/1:DETECTED:2970,10,0,20:");
    EXPECT_EQ(field(records[1], 10).substr(0, 18), "./.:NOT_ASSESSABLE");
}
