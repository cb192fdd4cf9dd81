// Unit tests of the chemores::mirna inputs: bundled matures and UTRs, name resolution, literature pairs, UTR
// annotation and coordinates, user FASTA files.

#include <chemores/core/errors.hpp>
#include <chemores/mirna/sites_data.hpp>
#include <chemores/mirna/sites_report.hpp>
#include <chemores/reference/panel.hpp>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <unistd.h>

using namespace chemores::mirna;

namespace
{
std::vector<std::string> names(std::vector<mature_mirna> const & v)
{
    std::vector<std::string> r;
    for (auto const & m : v)
        r.push_back(m.name);
    return r;
}

struct temp_file
{
    std::string path;
    explicit temp_file(std::string const & name, std::string const & content)
    {
        static int n = 0;
        path = (std::filesystem::temp_directory_path() /
                ("chemores_sites_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + "_" + name))
                   .string();
        std::ofstream{path, std::ios::binary} << content;
    }
    ~temp_file()
    {
        std::filesystem::remove(path);
    }
};

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
} // namespace

TEST(MirnaSitesData, BuiltinMatures)
{
    auto const & all = builtin_matures();
    ASSERT_EQ(all.size(), 2656u);
    std::set<std::string> seen;
    for (auto const & m : all)
    {
        EXPECT_TRUE(seen.insert(m.name).second) << m.name;
        EXPECT_GE(m.sequence.size(), 16u);
        EXPECT_EQ(m.sequence.find_first_not_of("ACGU"), std::string::npos) << m.name;
        EXPECT_EQ(m.accession.rfind("MIMAT", 0), 0u) << m.name;
    }
    auto const r = resolve_mirnas({"hsa-miR-21-5p"});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].sequence, "UAGCUUAUCAGACUGAUGUUGA");
    EXPECT_EQ(r[0].accession, "MIMAT0000076");
    EXPECT_EQ(r[0].seed(), "AGCUUAU");
}

TEST(MirnaSitesData, DefaultSetIsTheResistanceMirnas)
{
    auto const d = names(default_mirnas());
    std::vector<std::string> const want{
        "hsa-miR-7-5p",    "hsa-miR-9-5p",    "hsa-miR-17-5p",  "hsa-miR-21-5p",  "hsa-miR-25-3p",  "hsa-miR-103a-3p",
        "hsa-miR-107",     "hsa-miR-127-3p",  "hsa-miR-129-5p", "hsa-miR-134-5p", "hsa-miR-145-5p", "hsa-miR-181a-5p",
        "hsa-miR-196a-5p", "hsa-miR-200c-3p", "hsa-miR-202-3p", "hsa-miR-217-5p", "hsa-miR-221-3p", "hsa-miR-222-3p",
        "hsa-miR-508-5p",  "hsa-miR-519c-3p", "hsa-miR-634",    "hsa-miR-4689"};
    EXPECT_EQ(d, want);
    EXPECT_EQ(names(resolve_mirnas({})), want);
    EXPECT_EQ(names(resolve_mirnas({"default"})), want);
}

TEST(MirnaSitesData, LiteratureSequencesAgreeWithMirbase)
{
    // mirna_targets.tsv gives v22 sequences and seeds for the verified rows; they must equal the bundled matures.
    std::string const text{chemores::reference::bundled_file("catalogue/mirna_targets.tsv")};
    auto const & pairs = builtin_literature_pairs();
    ASSERT_GE(pairs.size(), 32u);
    bool found_519c = false, found_17 = false;
    for (auto const & p : pairs)
    {
        auto const m = resolve_mirnas({p.mature});
        ASSERT_EQ(m.size(), 1u) << p.mature;
        found_519c = found_519c || (p.mature == "hsa-miR-519c-3p" && p.gene == "ABCG2");
        found_17 = found_17 || (p.mature == "hsa-miR-17-5p" && p.gene == "PTEN");
    }
    EXPECT_TRUE(found_519c);
    EXPECT_TRUE(found_17);
    // every verified sequence in the table is the bundled one (U alphabet)
    size_t checked = 0;
    for (auto const & m : default_mirnas())
        if (text.find(m.sequence) != std::string::npos)
            ++checked;
    EXPECT_GE(checked, 17u);
}

TEST(MirnaSitesData, ResolveNames)
{
    EXPECT_EQ(names(resolve_mirnas({"miR-21"})), std::vector<std::string>{"hsa-miR-21-5p"});
    EXPECT_EQ(names(resolve_mirnas({"HSA-MIR-21-5P"})), std::vector<std::string>{"hsa-miR-21-5p"});
    EXPECT_EQ(names(resolve_mirnas({"miR-21-5p"})), std::vector<std::string>{"hsa-miR-21-5p"});
    EXPECT_EQ(names(resolve_mirnas({"MIMAT0000076"})), std::vector<std::string>{"hsa-miR-21-5p"});
    EXPECT_EQ(names(resolve_mirnas({"miR-221/222"})), (std::vector<std::string>{"hsa-miR-221-3p", "hsa-miR-222-3p"}));
    EXPECT_EQ(names(resolve_mirnas({"miR-634", "hsa-miR-634", "miR-21"})),
              (std::vector<std::string>{"hsa-miR-634", "hsa-miR-21-5p"})); // no duplicates
    EXPECT_EQ(resolve_mirnas({"all"}).size(), 2656u);
    // a seed family
    auto const fam = names(resolve_mirnas({"family:hsa-miR-17-5p"}));
    for (auto const * n :
         {"hsa-miR-17-5p", "hsa-miR-20a-5p", "hsa-miR-20b-5p", "hsa-miR-93-5p", "hsa-miR-106a-5p", "hsa-miR-106b-5p"})
        EXPECT_NE(std::find(fam.begin(), fam.end(), n), fam.end()) << n;
    for (auto const & m : resolve_mirnas({"family:hsa-miR-17-5p"}))
        EXPECT_EQ(m.seed(), "AAAGUGC");
    EXPECT_EQ(names(resolve_mirnas({"seed:AAAGTGC"})), fam);
}

TEST(MirnaSitesData, UnknownNamesSuggestClosest)
{
    auto const msg = error_of(
        []
        {
            resolve_mirnas({"hsa-miR-21-5q"});
        });
    EXPECT_NE(msg.find("unknown miRNA 'hsa-miR-21-5q'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("hsa-miR-21-5p"), std::string::npos) << msg;
    EXPECT_THROW(resolve_mirnas({"miR-does-not-exist"}), chemores::config_error);
    auto const amb = error_of(
        []
        {
            resolve_mirnas({"miR-155"});
        });
    EXPECT_NE(amb.find("ambiguous"), std::string::npos) << amb;
    EXPECT_THROW(resolve_mirnas({"seed:AAAG"}), chemores::config_error);
    EXPECT_THROW(resolve_mirnas({"missing_file.fa"}), chemores::config_error);
    // A name too long to be a path is an unknown name, not a filesystem_error (found by fuzz_mirna_inputs,
    // tests/fuzz/corpus/mirna_inputs/regress-name-too-long-for-a-path).
    EXPECT_THROW(resolve_mirnas({std::string(300, 'a')}), chemores::config_error);
    EXPECT_THROW(resolve_mirnas({std::string(5000, 'a') + ".fa"}), chemores::config_error);
    auto const close = closest_names("miR-21-5p", {"hsa-miR-21-5p", "hsa-miR-221-5p", "hsa-let-7a-5p"}, 2);
    EXPECT_EQ(close, (std::vector<std::string>{"hsa-miR-21-5p", "hsa-miR-221-5p"}));
}

TEST(MirnaSitesData, MirnaFasta)
{
    temp_file f{"m.fa", ">my-miR-1 MIMAT9999999 test\nuagcuuaucagacugauguuga\n>my-miR-2\nTAGCTTATCAGACT\n"};
    auto const m = resolve_mirnas({f.path, "hsa-miR-21-5p"});
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[0].name, "my-miR-1");
    EXPECT_EQ(m[0].accession, "MIMAT9999999");
    EXPECT_EQ(m[0].sequence, "UAGCUUAUCAGACUGAUGUUGA");
    EXPECT_EQ(m[1].sequence, "UAGCUUAUCAGACU");
    EXPECT_EQ(m[0].origin, f.path);
    temp_file bad{"bad.fa", ">short\nUAGCU\n"};
    auto const msg = error_of(
        [&]
        {
            read_mirna_fasta(bad.path);
        });
    EXPECT_NE(msg.find(bad.path + " line 1"), std::string::npos) << msg;
    temp_file dup{"dup.fa", ">a\nUAGCUUAUCAGACU\n>a\nUAGCUUAUCAGACU\n"};
    EXPECT_THROW(read_mirna_fasta(dup.path), chemores::input_error);
}

TEST(MirnaSitesData, BuiltinUtrsAndCoordinates)
{
    auto const utrs = builtin_utrs();
    ASSERT_EQ(utrs.size(), 3u);
    EXPECT_EQ(utrs[0].name, "ABCB1_3UTR");
    EXPECT_EQ(utrs[0].codes.size(), 1226u);
    EXPECT_EQ(utrs[0].annotation.gene, "ABCB1");
    EXPECT_EQ(utrs[0].annotation.transcript, "NM_000927.5");
    auto tx = to_transcript(utrs[0].annotation, 1, 8);
    ASSERT_TRUE(tx);
    EXPECT_EQ(tx->start, 4309);
    EXPECT_EQ(tx->end, 4316);
    EXPECT_FALSE(to_genome(utrs[0].annotation, 1, 8));

    EXPECT_EQ(utrs[1].name, "ABCG2_3UTR");
    EXPECT_EQ(utrs[1].codes.size(), 1970u);
    EXPECT_FALSE(to_transcript(utrs[1].annotation, 1, 8));
    auto g = to_genome(utrs[1].annotation, 1, 8); // minus strand: UTR 1 = chr4:88092234
    ASSERT_TRUE(g);
    EXPECT_EQ(g->seqid, "chr4");
    EXPECT_EQ(g->strand, '-');
    EXPECT_EQ(g->end, 88092234);
    EXPECT_EQ(g->start, 88092227);
    EXPECT_EQ(g->build, "GRCh38");
    g = to_genome(utrs[1].annotation, 1970, 1970);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->start, 88090265);

    EXPECT_EQ(utrs[2].name, "PTEN_3UTR");
    EXPECT_EQ(utrs[2].codes.size(), 3329u);
    tx = to_transcript(utrs[2].annotation, 1, 1);
    ASSERT_TRUE(tx);
    EXPECT_EQ(tx->start, 2244);
    g = to_genome(utrs[2].annotation, 3296, 3303); // hg19, + strand, up to UTR 3303
    ASSERT_TRUE(g);
    EXPECT_EQ(g->end, 89728532);
    EXPECT_EQ(g->strand, '+');
    EXPECT_EQ(g->build, "hg19");
    EXPECT_FALSE(to_genome(utrs[2].annotation, 3300, 3307)); // reaches into the poly(A)
}

TEST(MirnaSitesData, SelectGenes)
{
    auto const u = builtin_utrs();
    EXPECT_EQ(select_genes(u, {"MDR1"}).size(), 1u);
    EXPECT_EQ(select_genes(u, {"MDR1"})[0].annotation.gene, "ABCB1");
    EXPECT_EQ(select_genes(u, {"pten", "BCRP"}).size(), 2u);
    EXPECT_EQ(select_genes(u, {}).size(), 3u);
    auto const msg = error_of(
        [&]
        {
            select_genes(u, {"KRAS"});
        });
    EXPECT_NE(msg.find("no UTR for gene 'KRAS'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("ABCB1 (ABCB1_3UTR)"), std::string::npos) << msg;
}

TEST(MirnaSitesData, UtrFasta)
{
    temp_file f{"u.fa", ">x gene=KRAS test\nACGUacgtNN\nAC\n>ABCB1_3UTR\nACGT\n"};
    auto const u = read_utr_fasta(f.path);
    ASSERT_EQ(u.size(), 2u);
    EXPECT_EQ(u[0].annotation.gene, "KRAS");
    EXPECT_EQ(u[0].codes, (std::vector<uint8_t>{0, 1, 2, 3, 0, 1, 2, 3, 4, 4, 0, 1}));
    EXPECT_EQ(u[1].annotation.gene, "ABCB1"); // bundled name, other length: gene only
    EXPECT_FALSE(u[1].annotated);
    temp_file fq{"u.fq", "@r\nACGT\n+\nIIII\n"};
    EXPECT_THROW(read_utr_fasta(fq.path), chemores::input_error);
    temp_file empty{"e.fa", ""};
    auto const msg = error_of(
        [&]
        {
            read_utr_fasta(empty.path);
        });
    EXPECT_NE(msg.find("no sequences"), std::string::npos) << msg;
    temp_file text{"t.txt", "hello world\n"};
    auto const msg2 = error_of(
        [&]
        {
            read_utr_fasta(text.path);
        });
    EXPECT_NE(msg2.find(text.path + " line 1"), std::string::npos) << msg2;
    temp_file dup{"d.fa", ">a\nACGT\n>a\nACGT\n"};
    EXPECT_THROW(read_utr_fasta(dup.path), chemores::input_error);
}

TEST(MirnaSitesData, UtrAnnotationTable)
{
    std::string const tsv = "utr\tgene\ttranscript\tlength\tgenome_note\n"
                            "u1\tGENE1\tNM_1.1\t10\tNM_1.1 tx 101..110; GRCh38 chr7:1000-1009(-)\n"
                            "u2\tGENE2\t.\t.\thg19 chr1:50-59(+) for UTR 3..12\n";
    auto const a = parse_utr_annotation("ann.tsv", tsv);
    ASSERT_EQ(a.size(), 2u);
    auto const & u1 = a.at("u1");
    EXPECT_EQ(u1.tx_first, 101);
    EXPECT_EQ(u1.transcript, "NM_1.1");
    ASSERT_TRUE(u1.genome);
    EXPECT_EQ(u1.genome->strand, '-');
    auto g = to_genome(u1, 2, 3);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->start, 1007);
    EXPECT_EQ(g->end, 1008);
    auto g2 = to_genome(a.at("u2"), 3, 4);
    ASSERT_TRUE(g2);
    EXPECT_EQ(g2->start, 50);
    EXPECT_FALSE(to_genome(a.at("u2"), 1, 4));
    auto const msg = error_of(
        []
        {
            parse_utr_annotation("bad.tsv",
                                 "utr\tgene\ttranscript\tlength\tgenome_note\nu\tG\t.\t5\tGRCh38 chr1:1-9(+)\n");
        });
    EXPECT_NE(msg.find("bad.tsv line 2"), std::string::npos) << msg;
}
