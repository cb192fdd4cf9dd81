#include <algorithm>
#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/pileup/codon_pileup.hpp>
#include <chemores/reference/panel.hpp>
#include <filesystem>
#include <gtest/gtest.h>
#include <htslib/kstring.h>
#include <htslib/sam.h>
#include <random>
#include <unistd.h>

using namespace chemores::pileup;
using chemores::config_error;
using chemores::input_error;
using chemores::reference::panel;

namespace fs = std::filesystem;

namespace
{
std::string const nm = "NM_005157.6";
std::string const iso1b = "ENST00000372348.7";
std::string const e14a2 = "BCR-ABL1_e14a2";
// Codon starts on NM_005157.6, 0-based: cds_start - 1 + 3 * (codon - 1), cds_start = 194.
int64_t const e255 = 955;  // GAG
int64_t const g303 = 1099; // GGG, c.907-909: c.907 is the last base of exon 5, c.908-909 open exon 6
int64_t const t315 = 1135; // ACT, c.943-945
int64_t const f317 = 1141; // TTC
// The ABL1 part of each fusion and of isoform 1b is NM_005157.6 from tx 273 (0-based 272).
int64_t const e14a2_offset = 3234 - 272;
int64_t const iso1b_offset = 1440 - 272;
// NM_005157.6 exon 6 = tx 1101..1278 (1-based) = GRCh38 chr9:130872860-130873037 = hg19 chr9:133748247-133748424.
int64_t const exon6_tx0 = 1100;
int64_t const exon6_grch38_0 = 130872859;
int64_t const exon6_hg19_0 = 133748246;

panel const & transcripts()
{
    static panel const p = panel::builtin("transcripts");
    return p;
}

std::string ref(std::string const & contig, int64_t start, int64_t len)
{
    auto const & c = transcripts().contigs()[*transcripts().find(contig)];
    std::string s;
    for (int64_t i = start; i < start + len; ++i)
        s += chemores::code_to_char[c.seq[static_cast<size_t>(i)]];
    return s;
}

// Reference read [start, start + len) of `contig` with `codon` written at contig position `at`.
std::string read_seq(std::string const & contig, int64_t start, int64_t len, int64_t at, std::string const & codon)
{
    auto s = ref(contig, start, len);
    if (!codon.empty())
        s.replace(static_cast<size_t>(at - start), codon.size(), codon);
    return s;
}

std::string quals(size_t n, char q = 'I')
{
    return std::string(n, q);
}

// Quality string with `q` at read offsets [at, at + n).
std::string quals_with(size_t len, size_t at, size_t n, char q)
{
    auto s = quals(len);
    for (size_t i = at; i < at + n; ++i)
        s[i] = q;
    return s;
}

struct sam_read
{
    sam_read(std::string name_,
             int flag_,
             std::string contig_,
             int64_t pos_,
             int mapq_,
             std::string cigar_,
             std::string seq_,
             std::string qual_ = {},
             std::string mate_contig_ = "*",
             int64_t mate_pos_ = -1,
             std::string tags_ = {}) :
        name{std::move(name_)},
        flag{flag_}, contig{std::move(contig_)}, pos{pos_}, mapq{mapq_}, cigar{std::move(cigar_)}, seq{std::move(seq_)},
        qual{std::move(qual_)}, mate_contig{std::move(mate_contig_)}, mate_pos{mate_pos_}, tags{std::move(tags_)}
    {
    }
    std::string name;
    int flag = 0;
    std::string contig;
    int64_t pos = 0; // 0-based
    int mapq = 60;
    std::string cigar; // empty: <len>M
    std::string seq;
    std::string qual; // empty: all 'I' (Q40)
    std::string mate_contig = "*";
    int64_t mate_pos = -1; // 0-based, -1 = none
    std::string tags;

    std::string line() const
    {
        std::string c = cigar.empty() ? std::to_string(seq.size()) + "M" : cigar;
        std::string rnext = mate_contig == contig ? "=" : mate_contig;
        return name + "\t" + std::to_string(flag) + "\t" + contig + "\t" + std::to_string(pos + 1) + "\t" +
               std::to_string(mapq) + "\t" + c + "\t" + rnext + "\t" + std::to_string(mate_pos + 1) + "\t0\t" + seq +
               "\t" + (qual.empty() ? quals(seq.size()) : qual) + (tags.empty() ? "" : "\t" + tags);
    }
};

// A read pair: read 1 at pos1 and read 2 at pos2, FR orientation (read 1 forward unless read1_reverse), each `len`M
// (or the given CIGARs). With `mc`, each read carries its mate's CIGAR (MC tag).
std::vector<sam_read> make_pair(std::string const & name,
                                std::string const & contig1,
                                int64_t pos1,
                                std::string const & seq1,
                                std::string const & contig2,
                                int64_t pos2,
                                std::string const & seq2,
                                bool read1_reverse = false,
                                bool mc = true,
                                std::string const & qual1 = {},
                                std::string const & qual2 = {})
{
    sam_read r1{name, 0x1 | 0x2 | 0x40, contig1, pos1, 60, {}, seq1, qual1, contig2, pos2, {}};
    sam_read r2{name, 0x1 | 0x2 | 0x80, contig2, pos2, 60, {}, seq2, qual2, contig1, pos1, {}};
    (read1_reverse ? r1.flag : r2.flag) |= 0x10;
    (read1_reverse ? r2.flag : r1.flag) |= 0x20;
    if (mc)
    {
        r1.tags = "MC:Z:" + std::to_string(seq2.size()) + "M";
        r2.tags = "MC:Z:" + std::to_string(seq1.size()) + "M";
    }
    return {r1, r2};
}

std::string panel_header()
{
    std::string h = "@HD\tVN:1.6\tSO:coordinate\n";
    for (auto const & c : transcripts().contigs())
        h += "@SQ\tSN:" + c.name + "\tLN:" + std::to_string(c.seq.size()) + "\n";
    return h;
}

std::string genome_header(bool chr, bool grch38)
{
    std::string const p = chr ? "chr" : "";
    return "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:" + p + "1\tLN:" + (grch38 ? "248956422" : "249250621") +
           "\n@SQ\tSN:" + p + "9\tLN:" + (grch38 ? "138394717" : "141213431") + "\n@SQ\tSN:" + p +
           "22\tLN:" + (grch38 ? "50818468" : "51304566") + "\n";
}

// Write `reads` coordinate-sorted with `header` and index them, all with htslib: BAM + BAI, or CRAM + CRAI when a
// reference FASTA is given (not embedded: the reader needs it too).
void write_bam(std::string const & path,
               std::string const & header,
               std::vector<sam_read> const & reads,
               std::string const & cram_reference = {})
{
    sam_hdr_t * h = sam_hdr_parse(header.size(), header.c_str());
    ASSERT_NE(h, nullptr);
    std::vector<bam1_t *> recs;
    kstring_t ks = KS_INITIALIZE;
    for (auto const & r : reads)
    {
        ks.l = 0;
        auto const l = r.line();
        kputsn(l.data(), l.size(), &ks);
        bam1_t * b = bam_init1();
        ASSERT_GE(sam_parse1(&ks, h, b), 0) << l;
        recs.push_back(b);
    }
    ks_free(&ks);
    std::stable_sort(recs.begin(),
                     recs.end(),
                     [](bam1_t const * a, bam1_t const * b)
                     {
                         return std::pair{static_cast<uint32_t>(a->core.tid), a->core.pos} <
                                std::pair{static_cast<uint32_t>(b->core.tid), b->core.pos};
                     });
    htsFile * out = hts_open(path.c_str(), cram_reference.empty() ? "wb" : "wc");
    ASSERT_NE(out, nullptr);
    if (!cram_reference.empty())
    {
        ASSERT_EQ(hts_set_fai_filename(out, cram_reference.c_str()), 0);
    }
    ASSERT_EQ(sam_hdr_write(out, h), 0);
    for (auto * b : recs)
    {
        ASSERT_GE(sam_write1(out, h, b), 0);
        bam_destroy1(b);
    }
    ASSERT_EQ(hts_close(out), 0);
    sam_hdr_destroy(h);
    ASSERT_EQ(sam_index_build(path.c_str(), 0), 0);
}

void append(std::vector<sam_read> & to, std::vector<sam_read> const & from)
{
    to.insert(to.end(), from.begin(), from.end());
}

class pileup_test : public ::testing::Test
{
protected:
    void SetUp() override
    {
        std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        std::replace(name.begin(), name.end(), '/', '_'); // parameterised tests: "name/0"
        dir = fs::temp_directory_path() / ("chemores_pileup_test_" + std::to_string(getpid()) + "_" + name);
        fs::create_directories(dir);
    }
    void TearDown() override
    {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    std::string bam(std::string const & name, std::vector<sam_read> const & reads, std::string const & header = {})
    {
        auto const p = (dir / name).string();
        write_bam(p, header.empty() ? panel_header() : header, reads);
        return p;
    }
    fs::path dir;
};

uint64_t count_of(codon_pileup const & p, std::string const & codon)
{
    auto const * c = p.find(codon);
    return c ? c->molecules : 0;
}
} // namespace

TEST_F(pileup_test, two_substitution_codon_counts_as_one_allele)
{
    std::vector<sam_read> reads;
    for (int i = 0; i < 6; ++i) // T315M: ACT > ATG (c.944C>T + c.945T>G) on forward reads
        reads.push_back({"m" + std::to_string(i), 0, nm, 1090, 60, {}, read_seq(nm, 1090, 100, t315, "ATG")});
    for (int i = 0; i < 4; ++i) // reference, reverse strand
        reads.push_back({"r" + std::to_string(i), 16, nm, 1100, 60, {}, read_seq(nm, 1100, 100, t315, "")});
    for (int i = 0; i < 2; ++i) // T315I: ACT > ATT
        reads.push_back({"i" + std::to_string(i), 0, nm, 1095, 60, {}, read_seq(nm, 1095, 100, t315, "ATT")});
    auto const r = pile_up(bam("a.bam", reads), transcripts(), {target{nm, t315}});
    ASSERT_EQ(r.size(), 1u);
    auto const & p = r[0];
    EXPECT_TRUE(p.located);
    EXPECT_EQ(p.reference_codon, "ACT");
    EXPECT_EQ(p.depth, 12u);
    ASSERT_EQ(p.codons.size(), 3u); // ATG, ACT, ATT: the intermediate ACG/ATT routes are not split out
    EXPECT_EQ(p.codons[0].codon, "ATG");
    EXPECT_EQ(p.codons[0].molecules, 6u);
    EXPECT_EQ(p.codons[0].forward, 6u);
    EXPECT_EQ(p.codons[0].reverse, 0u);
    EXPECT_EQ(p.codons[0].min_quality, (std::map<uint8_t, uint64_t>{{40, 6}}));
    EXPECT_EQ(count_of(p, "ACT"), 4u);
    EXPECT_EQ(p.find("ACT")->reverse, 4u);
    EXPECT_EQ(count_of(p, "ATT"), 2u);
    EXPECT_EQ(count_of(p, "ACG"), 0u);
    EXPECT_EQ(p.molecules_with({"ATG", "ATT"}), 8u);
    EXPECT_EQ(p.covering(), 12u);
    EXPECT_EQ(p.deletions + p.insertions + p.low_quality + p.low_mapq + p.ambiguous, 0u);
}

// Overlapping mates are one molecule; where they disagree the better base wins; a tie is ambiguous.
class overlapping_mates : public pileup_test, public ::testing::WithParamInterface<bool>
{
};

TEST_P(overlapping_mates, counted_once_with_the_better_base)
{
    bool const mc = GetParam(); // with and without the MC tag (mate CIGAR)
    std::vector<sam_read> reads;
    // codon at read offset 1135 - 1080 = 55 (read 1) and 1135 - 1120 = 15 (read 2)
    auto const att1 = read_seq(nm, 1080, 100, t315, "ATT"), att2 = read_seq(nm, 1120, 100, t315, "ATT");
    auto const act1 = read_seq(nm, 1080, 100, t315, ""), act2 = read_seq(nm, 1120, 100, t315, "");
    append(reads, make_pair("agree", nm, 1080, att1, nm, 1120, att2, false, mc));
    // read 2 says T at Q14, read 1 says C at Q40: C wins
    append(reads, make_pair("better1", nm, 1080, act1, nm, 1120, att2, false, mc, {}, quals_with(100, 16, 1, '/')));
    // read 1 says C at Q14, read 2 says T at Q40: T wins
    append(reads, make_pair("better2", nm, 1080, act1, nm, 1120, att2, false, mc, quals_with(100, 56, 1, '/')));
    // both Q30, different bases: ambiguous
    append(reads,
           make_pair("tie",
                     nm,
                     1080,
                     act1,
                     nm,
                     1120,
                     att2,
                     false,
                     mc,
                     quals_with(100, 56, 1, '?'),
                     quals_with(100, 16, 1, '?')));
    // only read 1 covers the codon
    append(reads, make_pair("single", nm, 1080, act1, nm, 1200, ref(nm, 1200, 100), false, mc));
    // read 1 on the reverse strand: the fragment is reverse
    append(reads, make_pair("rev", nm, 1120, act2, nm, 1080, act1, true, mc));
    auto const r = pile_up(bam("m.bam", reads), transcripts(), {target{nm, t315}});
    auto const & p = r[0];
    EXPECT_EQ(p.depth, 5u);
    EXPECT_EQ(p.ambiguous, 1u);
    EXPECT_EQ(count_of(p, "ATT"), 2u); // agree, better2
    EXPECT_EQ(count_of(p, "ACT"), 3u); // better1, single, rev
    EXPECT_EQ(p.find("ATT")->forward, 2u);
    EXPECT_EQ(p.find("ACT")->forward, 2u);
    EXPECT_EQ(p.find("ACT")->reverse, 1u);
    // merged quality: the better base's, so every counted molecule is at Q40
    EXPECT_EQ(p.find("ATT")->min_quality, (std::map<uint8_t, uint64_t>{{40, 2}}));
    EXPECT_EQ(p.low_quality, 0u);
}

INSTANTIATE_TEST_SUITE_P(mc_tag, overlapping_mates, ::testing::Bool());

TEST_F(pileup_test, cram_input_gives_the_bam_counts)
{
    std::vector<sam_read> reads;
    for (int i = 0; i < 5; ++i)
        reads.push_back({"m" + std::to_string(i), 0, nm, 1090, 60, {}, read_seq(nm, 1090, 100, t315, "ATG")});
    append(reads,
           make_pair("p", nm, 1080, read_seq(nm, 1080, 100, t315, ""), nm, 1120, read_seq(nm, 1120, 100, t315, "")));
    auto const fasta = (dir / "panel.fa").string();
    transcripts().write_fasta(fasta);
    auto const cram = (dir / "c.cram").string();
    write_bam(cram, panel_header(), reads, fasta);
    ASSERT_TRUE(fs::exists(cram + ".crai"));
    options o;
    o.reference_path = fasta;
    auto const c = pile_up(cram, transcripts(), {target{nm, t315}}, o)[0];
    auto const b = pile_up(bam("c.bam", reads), transcripts(), {target{nm, t315}})[0];
    EXPECT_EQ(c.depth, 6u);
    EXPECT_EQ(count_of(c, "ATG"), 5u);
    EXPECT_EQ(count_of(c, "ACT"), 1u);
    EXPECT_EQ(c.depth, b.depth);
    EXPECT_EQ(c.codons.size(), b.codons.size());
}

TEST_F(pileup_test, alias_contig_reads_count_for_the_parent_codon)
{
    std::vector<sam_read> reads;
    int64_t const f = t315 + e14a2_offset; // T315 on BCR-ABL1_e14a2
    int64_t const i = t315 + iso1b_offset; // T315 (1b: T334) on ENST00000372348.7
    ASSERT_EQ(ref(e14a2, f, 3), "ACT");
    ASSERT_EQ(ref(iso1b, i, 3), "ACT");
    for (int k = 0; k < 3; ++k)
        reads.push_back({"f" + std::to_string(k), 0, e14a2, f - 40, 60, {}, read_seq(e14a2, f - 40, 100, f, "ATT")});
    for (int k = 0; k < 2; ++k)
        reads.push_back({"b" + std::to_string(k), 16, iso1b, i - 50, 60, {}, read_seq(iso1b, i - 50, 100, i, "")});
    reads.push_back({"n0", 0, nm, t315 - 30, 60, {}, read_seq(nm, t315 - 30, 100, t315, "")});
    // one pair with a mate on each contig, both covering the codon: one molecule
    append(reads,
           make_pair("x",
                     nm,
                     t315 - 60,
                     read_seq(nm, t315 - 60, 100, t315, "ATT"),
                     e14a2,
                     f - 20,
                     read_seq(e14a2, f - 20, 100, f, "ATT")));
    auto const path = bam("f.bam", reads);
    // the same codon named three ways: parent, fusion, isoform 1b
    auto const r = pile_up(path, transcripts(), {target{nm, t315}, target{e14a2, f}, target{iso1b, i}});
    ASSERT_EQ(r.size(), 3u);
    for (auto const & p : r)
    {
        EXPECT_EQ(p.depth, 7u) << p.where.contig;
        EXPECT_EQ(count_of(p, "ATT"), 4u) << p.where.contig;
        EXPECT_EQ(count_of(p, "ACT"), 3u) << p.where.contig;
        EXPECT_EQ(p.reference_codon, "ACT");
    }
    EXPECT_EQ(r[1].where.contig, e14a2); // targets are reported as given
    // a codon in the BCR part of the fusion is not an ABL1 codon
    auto const bcr = pile_up(path, transcripts(), {target{"ENST00000305877.13", 2000}});
    EXPECT_EQ(bcr[0].depth, 0u);
    EXPECT_TRUE(bcr[0].located);
}

TEST_F(pileup_test, indels_in_the_codon_are_counted_separately)
{
    std::vector<sam_read> reads;
    int64_t const s = 1100; // reads start here; the codon is at read offset 35..37
    auto const plain = ref(nm, s, 100);
    // deletion of the codon's 2nd base (1136)
    reads.push_back({"del", 0, nm, s, 60, "36M1D63M", ref(nm, s, 36) + ref(nm, 1137, 63)});
    // insertion between the codon's 1st and 2nd bases
    reads.push_back({"ins", 0, nm, s, 60, "36M2I62M", ref(nm, s, 36) + "GG" + ref(nm, 1136, 62)});
    // insertions just before and just after the codon leave it intact
    reads.push_back({"ins_before", 0, nm, s, 60, "35M1I64M", ref(nm, s, 35) + "A" + ref(nm, 1135, 64)});
    reads.push_back({"ins_after", 0, nm, s, 60, "38M1I61M", ref(nm, s, 38) + "A" + ref(nm, 1138, 61)});
    reads.push_back({"plain1", 0, nm, s, 60, {}, plain});
    reads.push_back({"plain2", 16, nm, s, 60, {}, plain});
    // a pair where one mate shows the deletion and the other the bases: ambiguous
    auto pr = make_pair("mixed", nm, s, plain, nm, 1110, ref(nm, 1110, 100));
    pr[0].cigar = "36M1D63M";
    pr[0].seq = ref(nm, s, 36) + ref(nm, 1137, 63);
    pr[1].tags = "MC:Z:36M1D63M";
    append(reads, pr);
    auto const r = pile_up(bam("d.bam", reads), transcripts(), {target{nm, t315}});
    auto const & p = r[0];
    EXPECT_EQ(p.deletions, 1u);
    EXPECT_EQ(p.insertions, 1u);
    EXPECT_EQ(p.ambiguous, 1u);
    EXPECT_EQ(p.depth, 4u);
    EXPECT_EQ(count_of(p, "ACT"), 4u);
    EXPECT_EQ(p.covering(), 7u);
}

TEST_F(pileup_test, mapping_and_base_quality_filters)
{
    std::vector<sam_read> reads;
    auto const att = read_seq(nm, 1100, 100, t315, "ATT");
    reads.push_back({"lowmq", 0, nm, 1100, 10, {}, att});                              // MAPQ 10
    reads.push_back({"lowbq", 0, nm, 1100, 60, {}, att, quals_with(100, 36, 1, '/')}); // Q14 at the codon's 2nd base
    reads.push_back({"good", 0, nm, 1100, 60, {}, att});
    reads.push_back({"mq255", 0, nm, 1100, 255, {}, att}); // MAPQ unavailable: passes
    // the codon is the last three bases of the read: only an end-distance filter drops it
    reads.push_back({"end", 0, nm, t315 - 97, 60, {}, read_seq(nm, t315 - 97, 100, t315, "ATT")});
    for (int flag : {0x100, 0x200, 0x400, 0x800}) // secondary, QC fail, duplicate, supplementary: never seen
        reads.push_back({"skip" + std::to_string(flag), flag, nm, 1100, 60, {}, att});
    // a MAPQ-10 read whose mate passes: the mate's bases count
    auto pr = make_pair(
        "mates_mq", nm, 1090, read_seq(nm, 1090, 100, t315, "ATT"), nm, 1110, read_seq(nm, 1110, 100, t315, "ATT"));
    pr[0].mapq = 10;
    append(reads, pr);
    // a Q14 base rescued by the mate's Q40 copy of the same base
    append(reads,
           make_pair("mates_bq",
                     nm,
                     1090,
                     read_seq(nm, 1090, 100, t315, "ATT"),
                     nm,
                     1110,
                     read_seq(nm, 1110, 100, t315, "ATT"),
                     false,
                     true,
                     quals_with(100, 46, 1, '/')));
    auto const path = bam("q.bam", reads);
    std::vector<target> const t{target{nm, t315}};

    auto const d = pile_up(path, transcripts(), t)[0];
    EXPECT_EQ(d.low_mapq, 1u);
    EXPECT_EQ(d.low_quality, 1u);
    EXPECT_EQ(d.depth, 5u); // good, mq255, end, mates_mq, mates_bq
    EXPECT_EQ(d.covering(), 7u);

    options o;
    o.min_base_quality = 10;
    auto const b = pile_up(path, transcripts(), t, o)[0];
    EXPECT_EQ(b.low_quality, 0u);
    EXPECT_EQ(b.depth, 6u);
    EXPECT_EQ(b.find("ATT")->min_quality.at(14), 1u);

    o = {};
    o.min_mapping_quality = 5;
    EXPECT_EQ(pile_up(path, transcripts(), t, o)[0].depth, 6u);

    o = {};
    o.end_distance = 3;
    auto const e = pile_up(path, transcripts(), t, o)[0];
    EXPECT_EQ(e.depth, 4u);
    EXPECT_EQ(e.low_quality, 2u);

    o = {};
    o.exclude_flags = 0x4;
    EXPECT_EQ(pile_up(path, transcripts(), t, o)[0].depth, 9u); // secondary, QC fail, duplicate, supplementary too

    o = {};
    o.min_base_quality = -1;
    EXPECT_THROW(pile_up(path, transcripts(), t, o), config_error);
    o = {};
    o.end_distance = -2;
    EXPECT_THROW(pile_up(path, transcripts(), t, o), config_error);
}

TEST_F(pileup_test, linked_codons_cis_and_trans)
{
    std::vector<sam_read> reads;
    int n = 0;
    auto add_read = [&](std::string const & c315, std::string const & c317, int copies, std::string const & qual = {})
    {
        for (int k = 0; k < copies; ++k)
        {
            auto s = read_seq(nm, 1100, 100, t315, c315);
            s.replace(f317 - 1100, 3, c317);
            reads.push_back({"r" + std::to_string(n++), 0, nm, 1100, 60, {}, s, qual});
        }
    };
    add_read("ATT", "CTC", 3);                              // T315I + F317L in cis
    add_read("ATT", "TTC", 2);                              // T315I only
    add_read("ACT", "TTG", 1);                              // F317L only (another route)
    add_read("ACT", "TTC", 4);                              // neither
    add_read("ATT", "CTC", 1, quals_with(100, 42, 1, '+')); // F317 base at Q10: not informative
    // E255K (GAG > AAG) and T315I, one mate at each codon (too far apart for one read)
    auto add_pair = [&](std::string const & c255, std::string const & c315, int copies)
    {
        for (int k = 0; k < copies; ++k)
            append(reads,
                   make_pair("p" + std::to_string(n++),
                             nm,
                             900,
                             read_seq(nm, 900, 100, e255, c255),
                             nm,
                             1110,
                             read_seq(nm, 1110, 100, t315, c315)));
    };
    add_pair("AAG", "ACT", 2);                                                          // E255K only
    add_pair("GAG", "ATT", 3);                                                          // T315I only: trans to E255K
    add_pair("AAG", "ATT", 1);                                                          // both
    reads.push_back({"solo", 0, nm, 900, 60, {}, read_seq(nm, 900, 100, e255, "AAG")}); // covers E255 only

    std::vector<link_query> const q{
        {{target{nm, t315}, {"ATT"}}, {target{nm, f317}, {"CTC", "TTA", "TTG"}}},
        {{target{nm, e255}, {"AAG"}}, {target{nm, t315}, {"ATT"}}},
        {{target{nm, f317}, {"CTC", "TTA", "TTG"}}, {target{nm, t315}, {"ATT"}}}, // same pair, swapped
    };
    auto const path = bam("l.bam", reads);
    auto const c = linked_codons(path, transcripts(), q);
    ASSERT_EQ(c.size(), 3u);
    EXPECT_EQ(c[0].both, 3u);
    // the pairs' read 2 covers T315 and F317 too: 4 pairs with ATT + TTC, 2 with ACT + TTC
    EXPECT_EQ(c[0].first_only, 2u + 4u);
    EXPECT_EQ(c[0].second_only, 1u);
    EXPECT_EQ(c[0].neither, 4u + 2u);
    EXPECT_EQ(c[1].both, 1u);
    EXPECT_EQ(c[1].first_only, 2u);
    EXPECT_EQ(c[1].second_only, 3u);
    EXPECT_EQ(c[1].neither, 0u);
    EXPECT_EQ(c[2].both, c[0].both);
    EXPECT_EQ(c[2].first_only, c[0].second_only);
    EXPECT_EQ(c[2].second_only, c[0].first_only);
    EXPECT_EQ(c[2].neither, c[0].neither);

    std::vector<link_query> const self{{{target{nm, t315}, {"ATT"}}, {target{nm, t315}, {"ATG"}}}};
    EXPECT_THROW(linked_codons(path, transcripts(), self), config_error);
}

TEST_F(pileup_test, genome_coordinates_give_the_panel_counts)
{
    // Reads inside NM_005157.6 exon 6 (tx 0-based 1100..1277) around T315 and F317, in transcript coordinates.
    std::mt19937 rng{7};
    std::vector<sam_read> tx_reads;
    std::vector<std::string> const codons{"ACT", "ACT", "ATT", "ATG"};
    for (int k = 0; k < 40; ++k)
    {
        int64_t const s = exon6_tx0 + static_cast<int64_t>(rng() % 30);
        auto seq = read_seq(nm, s, 100, t315, codons[rng() % codons.size()]);
        if (k % 5 == 0)
            seq.replace(static_cast<size_t>(f317 - s), 3, "CTC");
        if (k % 2)
            tx_reads.push_back({"s" + std::to_string(k), k % 4 == 1 ? 16 : 0, nm, s, 60, {}, seq});
        else
            append(tx_reads, make_pair("p" + std::to_string(k), nm, s, seq, nm, s + 45, ref(nm, s + 45, 100)));
    }
    // Codon 303 is split by intron 5: the RNA read crosses it with an N gap, in one piece on the transcript.
    tx_reads.push_back({"split", 0, nm, 1050, 60, {}, read_seq(nm, 1050, 100, g303, "GGA")});
    auto to_genome = [&](std::string const & chrom, int64_t exon6_start0, std::vector<sam_read> reads)
    {
        for (auto & r : reads)
        {
            r.contig = chrom;
            if (r.name == "split") // exon 5 ends at tx 1100 (1-based) = GRCh38 chr9:130872213, hg19 chr9:133747600
            {
                int64_t const intron = exon6_start0 == exon6_grch38_0 ? 130872859 - 130872213 : 133748246 - 133747600;
                r.pos = exon6_start0 - intron - 50;
                r.cigar = "50M" + std::to_string(intron) + "N50M";
            }
            else
                r.pos = exon6_start0 + (r.pos - exon6_tx0);
            if (r.mate_pos >= 0)
            {
                r.mate_contig = chrom;
                r.mate_pos = exon6_start0 + (r.mate_pos - exon6_tx0);
            }
        }
        return reads;
    };
    auto g38 = to_genome("chr9", exon6_grch38_0, tx_reads);
    // a DNA read over the end of exon 5 and into intron 5 does not cover the split codon
    g38.push_back({"dna", 0, "chr9", 130872213 - 60, 60, {}, std::string(100, 'A')});
    auto const tx_path = bam("tx.bam", tx_reads);
    auto const g38_path = bam("g38.bam", g38, genome_header(true, true));
    auto const g19_path = bam("g19.bam", to_genome("9", exon6_hg19_0, tx_reads), genome_header(false, false));

    std::vector<target> const t{target{nm, t315}, target{nm, f317}, target{nm, g303}, target{"ENST00000311124", 232}};
    options o;
    o.exons_path = std::string{CHEMORES_PANEL_DIR} + "/exons.tsv";
    auto const tx = pile_up(tx_path, transcripts(), t, o);
    EXPECT_EQ(tx[0].depth, 41u); // 40 molecules + the split read
    EXPECT_EQ(tx[2].depth, 1u);
    EXPECT_EQ(count_of(tx[2], "GGA"), 1u);
    for (auto const & path : {g38_path, g19_path})
    {
        auto const g = pile_up(path, transcripts(), t, o);
        for (size_t i = 0; i < 3; ++i)
        {
            EXPECT_TRUE(g[i].located) << path << " " << i;
            EXPECT_EQ(g[i].depth, tx[i].depth) << path << " " << i;
            ASSERT_EQ(g[i].codons.size(), tx[i].codons.size()) << path << " " << i;
            for (size_t c = 0; c < tx[i].codons.size(); ++c)
            {
                EXPECT_EQ(g[i].codons[c].codon, tx[i].codons[c].codon);
                EXPECT_EQ(g[i].codons[c].molecules, tx[i].codons[c].molecules);
                EXPECT_EQ(g[i].codons[c].forward, tx[i].codons[c].forward);
                EXPECT_EQ(g[i].codons[c].reverse, tx[i].codons[c].reverse);
            }
        }
        EXPECT_FALSE(g[3].located) << path; // SLC19A1 is not in the exon table
    }
    // without --exons, genome input is mapped through the bundled exon table: the same counts
    auto const bundled = pile_up(g38_path, transcripts(), t);
    for (size_t i = 0; i < 3; ++i)
    {
        EXPECT_TRUE(bundled[i].located) << i;
        EXPECT_EQ(bundled[i].depth, tx[i].depth) << i;
        ASSERT_EQ(bundled[i].codons.size(), tx[i].codons.size()) << i;
        for (size_t c = 0; c < tx[i].codons.size(); ++c)
            EXPECT_EQ(bundled[i].codons[c].molecules, tx[i].codons[c].molecules);
    }
    options bad;
    bad.exons_path = (dir / "missing.tsv").string();
    EXPECT_THROW(pile_up(g38_path, transcripts(), t, bad), input_error);
}

TEST(exon_table, maps_transcript_to_genome)
{
    auto const table = exon_table::from_file(std::string{CHEMORES_PANEL_DIR} + "/exons.tsv");
    // T315 c.943 = tx 1136 (1-based) in exon 6 (tx 1101 = chr9:130872860): chr9:130872895, 0-based 130872894.
    auto const g = table.to_genome(nm, t315, reference_kind::grch38);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->first, "chr9");
    EXPECT_EQ(g->second, 130872894);
    EXPECT_EQ(table.to_genome(nm, t315, reference_kind::hg19)->second, 133748246 + 35);
    EXPECT_FALSE(table.to_genome("ENST00000311124", 232, reference_kind::grch38));
    EXPECT_FALSE(table.to_genome("NM_000314.4", 1200, reference_kind::grch38)); // PTEN: no GRCh38 coordinates
    // PTEN exon 1 has 1111 genomic bases for 1110 transcript bases: no linear mapping, left unmapped; exon 2 maps.
    EXPECT_FALSE(table.to_genome("NM_000314.4", 0, reference_kind::hg19));
    EXPECT_EQ(table.to_genome("NM_000314.4", 1110, reference_kind::hg19)->second, 89653782 - 1);
    std::string const header = "contig\texon\tstart\tend\tcds_start\tcds_end\tgrch38\thg19\n";
    EXPECT_THROW(exon_table::from_text("x.tsv", header + "NM_1\t1\t1\t10\t.\t.\tchr9:100\t.\n"), input_error);
    EXPECT_THROW(exon_table::from_text("x.tsv", header + "NM_1\t1\t10\t1\t.\t.\t.\t.\n"), input_error);
    EXPECT_THROW(exon_table::from_text("x.tsv", header + "NM_1\t1\t1\t10\t.\t.\tchr9:100-91\t.\n"), input_error);
    EXPECT_THROW(exon_table::from_text("x.tsv", header + "NM_1\t1\t1\t10\n"), input_error);
    EXPECT_THROW(exon_table::from_text("x.tsv", "a\tb\n"), input_error);
}

TEST(detect_reference, panel_and_assemblies)
{
    auto const & p = transcripts();
    using sq = std::vector<std::pair<std::string, int64_t>>;
    EXPECT_EQ(detect_reference(sq{{nm, 5578}}, p, "x"), reference_kind::panel);
    EXPECT_EQ(detect_reference(sq{{"chr9", 138394717}, {"chr22", 50818468}}, p, "x"), reference_kind::grch38);
    EXPECT_EQ(detect_reference(sq{{"9", 141213431}}, p, "x"), reference_kind::hg19);
    EXPECT_EQ(detect_reference(sq{{"22", 51304566}}, p, "x"), reference_kind::hg19);
    EXPECT_THROW(detect_reference(sq{{"chr9", 138394717}, {"chr22", 51304566}}, p, "x"), input_error);
    EXPECT_THROW(detect_reference(sq{{nm, 5000}}, p, "x"), input_error);
    try
    {
        detect_reference(sq{{"chrZ", 1000}}, p, "reads.bam");
        FAIL() << "no error";
    }
    catch (input_error const & e)
    {
        std::string const m = e.what();
        EXPECT_NE(m.find("reads.bam"), std::string::npos) << m;
        EXPECT_NE(m.find("chrZ (1000 bp)"), std::string::npos) << m;
        EXPECT_NE(m.find("NM_005157.6, ENST00000372348.7"), std::string::npos) << m;
        EXPECT_NE(m.find("BCR-ABL1_e14a2"), std::string::npos) << m;
        EXPECT_NE(m.find("GRCh38/hg19"), std::string::npos) << m;
    }
}

TEST_F(pileup_test, unknown_reference_and_bad_inputs)
{
    std::vector<sam_read> const reads{{"r", 0, "chrZ", 100, 60, {}, std::string(50, 'A')}};
    auto const path = bam("z.bam", reads, "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chrZ\tLN:1000\n");
    EXPECT_THROW(pile_up(path, transcripts(), {target{nm, t315}}), input_error);

    auto const ok = bam("ok.bam", {{"r", 0, nm, 1100, 60, {}, ref(nm, 1100, 100)}});
    EXPECT_THROW(pile_up(ok, transcripts(), {target{"NM_000000.1", 10}}), config_error);
    EXPECT_THROW(pile_up(ok, transcripts(), {target{nm, 5576}}), config_error);
    EXPECT_THROW(pile_up(ok, transcripts(), {target{nm, -1}}), config_error);
    EXPECT_THROW(pile_up((dir / "absent.bam").string(), transcripts(), {target{nm, t315}}), input_error);
    // no targets: nothing to do, no error (the file is still checked)
    EXPECT_TRUE(pile_up(ok, transcripts(), {}).empty());
    EXPECT_THROW(pile_up(path, transcripts(), {}), input_error);
    fs::remove(ok + ".bai");
    EXPECT_THROW(pile_up(ok, transcripts(), {target{nm, t315}}), input_error);
}

TEST_F(pileup_test, repeated_targets_and_targets_without_reads)
{
    auto const path = bam("r.bam", {{"r", 0, nm, 1100, 60, {}, read_seq(nm, 1100, 100, t315, "ATT")}});
    auto const r = pile_up(path, transcripts(), {target{nm, t315}, target{nm, 3000}, target{nm, t315}});
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].depth, 1u);
    EXPECT_EQ(r[2].depth, 1u);
    EXPECT_EQ(r[1].depth, 0u);
    EXPECT_TRUE(r[1].located);
    EXPECT_EQ(r[1].reference_codon, ref(nm, 3000, 3));
}

// Many overlapping pairs at one codon, plus pairs whose mates do not overlap it: exact counts.
TEST_F(pileup_test, deep_overlapping_pairs)
{
    std::mt19937 rng{11};
    std::vector<sam_read> reads;
    uint64_t alt = 0, total = 0;
    for (int k = 0; k < 3000; ++k)
    {
        bool const is_alt = rng() % 10 < 3;
        int64_t const s1 = 1045 + static_cast<int64_t>(rng() % 85), s2 = 1060 + static_cast<int64_t>(rng() % 70);
        std::string const codon = is_alt ? "ATT" : "";
        bool const both = k % 3 != 0;
        int64_t const p2 = both ? s2 : 1300 + static_cast<int64_t>(rng() % 50);
        append(reads,
               make_pair("q" + std::to_string(k),
                         nm,
                         s1,
                         read_seq(nm, s1, 100, t315, codon),
                         nm,
                         p2,
                         read_seq(nm, p2, 100, t315, both ? codon : ""),
                         k % 2 == 0,
                         k % 4 != 0));
        alt += is_alt;
        ++total;
    }
    auto const r = pile_up(bam("deep.bam", reads), transcripts(), {target{nm, t315}, target{nm, f317}});
    EXPECT_EQ(r[0].depth, total);
    EXPECT_EQ(count_of(r[0], "ATT"), alt);
    EXPECT_EQ(count_of(r[0], "ACT"), total - alt);
    EXPECT_EQ(r[0].find("ATT")->forward + r[0].find("ATT")->reverse, alt);
    EXPECT_EQ(r[1].depth, total);
}
