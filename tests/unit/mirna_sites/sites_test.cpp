// Unit tests of the chemores::mirna site finder: the seed-table scan against a brute-force reference (every anchor,
// every miRNA) on random UTRs with all human matures, hand-checked cases of each site type, UTR ends, N bases,
// thread-count invariance and the per-site features.

#include <algorithm>
#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/mirna/sites.hpp>
#include <chemores/mirna/sites_data.hpp>
#include <cmath>
#include <gtest/gtest.h>
#include <random>
#include <tuple>

using namespace chemores::mirna;

namespace
{

// ---- an independent reference: definitions applied literally, per miRNA and per anchor ------------------------

struct ref_site
{
    uint32_t utr, mirna;
    site_type type;
    int64_t start, end, anchor; // 1-based
    auto key() const
    {
        return std::make_tuple(utr, start, end, mirna, static_cast<int>(type), anchor);
    }
    bool operator<(ref_site const & o) const
    {
        return key() < o.key();
    }
    bool operator==(ref_site const & o) const
    {
        return key() == o.key();
    }
};

std::vector<ref_site>
brute_force(std::vector<utr_sequence> const & utrs, std::vector<mature_mirna> const & mirnas, bool extended)
{
    std::vector<ref_site> out;
    for (uint32_t u = 0; u < utrs.size(); ++u)
    {
        auto const & s = utrs[u].codes;
        int64_t const n = static_cast<int64_t>(s.size());
        // base at 0-based position, or -1 for N / outside the UTR
        auto base = [&](int64_t pos) -> int
        {
            return pos < 0 || pos >= n || s[pos] > 3 ? -1 : s[pos];
        };
        for (uint32_t mi = 0; mi < mirnas.size(); ++mi)
        {
            auto const & c = mirnas[mi].codes;
            auto const len = static_cast<int>(c.size());
            for (int64_t a = 0; a < n + 6; ++a) // a = 0-based position of t1
            {
                auto at = [&](int k)
                {
                    return base(a - (k - 1));
                };
                auto wc = [&](int k)
                {
                    return k <= len && c[k - 1] < 4 && at(k) >= 0 && at(k) == 3 - c[k - 1];
                };
                auto gu = [&](int k)
                {
                    return k <= len && at(k) >= 0 && ((c[k - 1] == 2 && at(k) == 3) || (c[k - 1] == 3 && at(k) == 2));
                };
                auto all_wc = [&](int from, int to)
                {
                    for (int k = from; k <= to; ++k)
                        if (!wc(k))
                            return false;
                    return true;
                };
                auto one_gu = [&](int from, int to)
                {
                    int n_gu = 0;
                    for (int k = from; k <= to; ++k)
                    {
                        if (gu(k))
                            ++n_gu;
                        else if (!wc(k))
                            return false;
                    }
                    return n_gu == 1;
                };
                bool const a1 = at(1) == 0;
                // span in t indices: from t_hi (5') down to t_lo (3')
                auto emit = [&](site_type t, int hi, int lo)
                {
                    out.push_back(ref_site{u, mi, t, a - (hi - 1) + 1, a - (lo - 1) + 1, a + 1});
                };
                if (all_wc(2, 8))
                    a1 ? emit(site_type::eight_mer, 8, 1) : emit(site_type::seven_mer_m8, 8, 2);
                else if (all_wc(2, 7))
                    a1 ? emit(site_type::seven_mer_a1, 7, 1) : emit(site_type::six_mer, 7, 2);
                else if (all_wc(3, 8))
                    emit(site_type::offset_six_mer, 8, 3);
                else if (!extended)
                    continue;
                else if (all_wc(4, 14) || all_wc(5, 15))
                {
                    if (all_wc(4, 15))
                        emit(site_type::centered, 15, 4);
                    else if (all_wc(4, 14))
                        emit(site_type::centered, 14, 4);
                    else
                        emit(site_type::centered, 15, 5);
                }
                else if (one_gu(2, 8))
                    a1 ? emit(site_type::eight_mer_gu, 8, 1) : emit(site_type::seven_mer_m8_gu, 8, 2);
                else if (one_gu(2, 7))
                    a1 ? emit(site_type::seven_mer_a1_gu, 7, 1) : emit(site_type::six_mer_gu, 7, 2);
                else if (a1 && all_wc(2, 6))
                    emit(site_type::six_mer_a1, 6, 1);
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<ref_site> as_ref(std::vector<site> const & v)
{
    std::vector<ref_site> out;
    for (auto const & s : v)
        out.push_back(ref_site{s.utr, s.mirna, s.type, s.start, s.end, s.anchor});
    std::sort(out.begin(), out.end());
    return out;
}

utr_sequence make_utr(std::string name, std::string_view seq)
{
    utr_sequence u;
    u.name = std::move(name);
    chemores::encode_dna(seq, u.codes);
    u.annotation.gene = u.name;
    return u;
}

std::string random_dna(std::mt19937_64 & rng, size_t n)
{
    std::string s(n, 'A');
    for (auto & c : s)
        c = "ACGT"[rng() & 3];
    return s;
}

std::string revcomp_rna(std::string_view rna)
{
    std::string dna{rna};
    for (auto & c : dna)
        if (c == 'U')
            c = 'T';
    return chemores::reverse_complement(dna);
}

// Random UTRs with N runs, planted centered sites and sites at both ends.
std::vector<utr_sequence>
random_utrs(std::mt19937_64 & rng, std::vector<mature_mirna> const & mirnas, size_t count, size_t max_len)
{
    std::vector<utr_sequence> utrs;
    for (size_t i = 0; i < count; ++i)
    {
        size_t const len = 1 + rng() % max_len;
        std::string s = random_dna(rng, len);
        // N runs
        for (size_t k = 0; k < len / 200; ++k)
        {
            size_t const p = rng() % len, l = 1 + rng() % 3;
            for (size_t j = p; j < std::min(len, p + l); ++j)
                s[j] = 'N';
        }
        // planted full-complement stretches (centered sites, 8mers) and edge sites
        for (size_t k = 0; k < 3 && len > 40; ++k)
        {
            auto const & m = mirnas[rng() % mirnas.size()];
            std::string const site = revcomp_rna(m.sequence.substr(0, std::min<size_t>(16, m.sequence.size())));
            size_t const from = rng() % 4; // drop a few bases at the 3' end of the target: t1.. t4
            std::string const part = site.substr(0, site.size() - from);
            size_t const p = rng() % (len - part.size());
            s.replace(p, part.size(), part);
        }
        if (len > 20 && (i % 3) == 0)
        {
            auto const & m = mirnas[rng() % mirnas.size()];
            std::string const t = revcomp_rna(m.sequence.substr(0, 8));
            size_t const cut = rng() % 4;
            s.replace(0, t.size() - cut, t.substr(cut));                                    // 5' end: t8.. cut off
            s.replace(len - (t.size() - cut), t.size() - cut, t.substr(0, t.size() - cut)); // 3' end: t1.. cut off
        }
        utrs.push_back(make_utr("utr" + std::to_string(i), s));
    }
    return utrs;
}

} // namespace

TEST(MirnaSites, SeedTableMatchesBruteForceAllMaturesCanonical)
{
    auto const & all = builtin_matures();
    ASSERT_EQ(all.size(), 2656u);
    std::mt19937_64 rng{20240611};
    auto const utrs = random_utrs(rng, all, 40, 500);
    site_finder_options o;
    o.threads = 2;
    o.chunk = 97; // many small work items: chunk borders everywhere
    site_finder const finder{all, o};
    auto const got = as_ref(finder.find(utrs));
    auto const want = brute_force(utrs, all, false);
    ASSERT_GT(want.size(), 5000u);
    EXPECT_EQ(got.size(), want.size());
    EXPECT_TRUE(got == want);
    // every canonical type occurs
    std::array<size_t, site_type_count> n{};
    for (auto const & s : want)
        ++n[static_cast<size_t>(s.type)];
    for (size_t t = 0; t < canonical_site_type_count; ++t)
        EXPECT_GT(n[t], 0u) << to_string(static_cast<site_type>(t));
}

TEST(MirnaSites, SeedTableMatchesBruteForceExtended)
{
    auto const & all = builtin_matures();
    std::mt19937_64 rng{7};
    auto const utrs = random_utrs(rng, all, 25, 300);
    site_finder_options o;
    o.extended = true;
    o.threads = 3;
    o.chunk = 64;
    site_finder const finder{all, o};
    auto const got = as_ref(finder.find(utrs));
    auto const want = brute_force(utrs, all, true);
    EXPECT_EQ(got.size(), want.size());
    EXPECT_TRUE(got == want);
    std::array<size_t, site_type_count> n{};
    for (auto const & s : want)
        ++n[static_cast<size_t>(s.type)];
    for (size_t t = 0; t < site_type_count; ++t)
        EXPECT_GT(n[t], 0u) << to_string(static_cast<site_type>(t));
}

TEST(MirnaSites, ShortAndEmptyUtrs)
{
    auto const & all = builtin_matures();
    std::vector<utr_sequence> utrs;
    std::mt19937_64 rng{3};
    for (size_t len = 0; len < 12; ++len)
        for (int rep = 0; rep < 20; ++rep)
            utrs.push_back(make_utr("s", random_dna(rng, len)));
    site_finder const finder{all};
    EXPECT_TRUE(as_ref(finder.find(utrs)) == brute_force(utrs, all, false));
    for (size_t i = 0; i < utrs.size(); ++i)
        if (utrs[i].codes.size() < 6)
            for (auto const & s : finder.find_in(utrs[i].codes, 0, 0, 20))
                ADD_FAILURE() << "site in a " << utrs[i].codes.size() << "-nt UTR: " << to_string(s.type);
}

TEST(MirnaSites, OutputIndependentOfThreads)
{
    auto const & all = builtin_matures();
    std::mt19937_64 rng{11};
    auto const utrs = random_utrs(rng, all, 8, 3000);
    std::vector<site> first;
    for (unsigned threads : {1u, 2u, 5u})
        for (int64_t chunk : {int64_t{1} << 18, int64_t{100}})
        {
            site_finder_options o;
            o.threads = threads;
            o.chunk = chunk;
            auto const got = site_finder{all, o}.find(utrs);
            if (first.empty())
                first = got;
            ASSERT_EQ(got.size(), first.size());
            for (size_t i = 0; i < got.size(); ++i)
            {
                EXPECT_EQ(got[i].mirna, first[i].mirna);
                EXPECT_EQ(got[i].start, first[i].start);
                EXPECT_EQ(got[i].type, first[i].type);
                EXPECT_EQ(got[i].supp3p, first[i].supp3p);
                EXPECT_EQ(got[i].local_au, first[i].local_au);
            }
        }
}

TEST(MirnaSites, CountAgreesWithFind)
{
    auto const & all = builtin_matures();
    std::mt19937_64 rng{5};
    auto const utrs = random_utrs(rng, all, 4, 2000);
    site_finder const finder{all};
    std::array<uint64_t, site_type_count> want{};
    for (auto const & s : finder.find(utrs))
        ++want[static_cast<size_t>(s.type)];
    std::array<uint64_t, site_type_count> got{};
    for (auto const & u : utrs)
    {
        auto const c = finder.count(u.codes);
        for (size_t t = 0; t < site_type_count; ++t)
            got[t] += c[t];
    }
    EXPECT_EQ(got, want);
}

// ---- hand-checked cases with hsa-miR-21-5p UAGCUUAUCAGACUGAUGUUGA --------------------------------------------
// nt 2-8 AGCUUAU: the UTR reads t8..t2 = ATAAGCT; t1 = A makes an 8mer.

namespace
{
site_finder mir21(bool extended = false)
{
    site_finder_options o;
    o.extended = extended;
    return site_finder{resolve_mirnas({"hsa-miR-21-5p"}), o};
}

std::vector<site> sites_of(site_finder const & f, std::string_view seq)
{
    std::vector<utr_sequence> utrs{make_utr("u", seq)};
    return f.find(utrs);
}

std::string describe(std::vector<site> const & v)
{
    std::string r;
    for (auto const & s : v)
        r += (r.empty() ? "" : " ") + std::string{to_string(s.type)} + ":" + std::to_string(s.start) + "-" +
             std::to_string(s.end);
    return r;
}
} // namespace

TEST(MirnaSites, HandCheckedCanonicalTypes)
{
    auto const f = mir21();
    std::string const pad = "GGGGGGGGGGGGGGGGGGGG"; // 20 nt, no site for miR-21
    EXPECT_EQ(describe(sites_of(f, pad + "ATAAGCTA" + pad)), "8mer:21-28");
    EXPECT_EQ(describe(sites_of(f, pad + "ATAAGCTC" + pad)), "7mer-m8:21-27");
    EXPECT_EQ(describe(sites_of(f, pad + "CTAAGCTA" + pad)), "7mer-A1:22-28");
    EXPECT_EQ(describe(sites_of(f, pad + "CTAAGCTC" + pad)), "6mer:22-27");
    EXPECT_EQ(describe(sites_of(f, pad + "ATAAGCGC" + pad)), "offset-6mer:21-26");
    EXPECT_EQ(describe(sites_of(f, pad + "ATAGGCTA" + pad)), "");
    // one best type per anchor: an 8mer is not also reported as 7mer-m8, 7mer-A1, 6mer or offset-6mer
    auto const s = sites_of(f, pad + "ATAAGCTA" + pad);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].anchor, 28);
    EXPECT_FALSE(s[0].near_stop);
    EXPECT_EQ(s[0].start - 1, 20);
}

TEST(MirnaSites, HandCheckedUtrEnds)
{
    auto const f = mir21();
    std::string const pad = "GGGGGGGGGG";
    // 5' end: whole 8mer at position 1 (near the stop codon); t8 outside the UTR leaves a 7mer-A1
    auto s = sites_of(f, "ATAAGCTA" + pad);
    EXPECT_EQ(describe(s), "8mer:1-8");
    ASSERT_EQ(s.size(), 1u);
    EXPECT_TRUE(s[0].near_stop);
    EXPECT_EQ(describe(sites_of(f, "TAAGCTA" + pad)), "7mer-A1:1-7");
    EXPECT_EQ(describe(sites_of(f, "TAAGCTC" + pad)), "6mer:1-6");
    EXPECT_EQ(describe(sites_of(f, "AAGCTA" + pad)), ""); // partial: t7 outside the UTR
    // 3' end: t1 outside the UTR leaves a 7mer-m8; partial sites are not reported
    EXPECT_EQ(describe(sites_of(f, pad + "ATAAGCTA")), "8mer:11-18");
    EXPECT_EQ(describe(sites_of(f, pad + "ATAAGCT")), "7mer-m8:11-17");
    EXPECT_EQ(describe(sites_of(f, pad + "ATAAGC")), "offset-6mer:11-16");
    EXPECT_EQ(describe(sites_of(f, pad + "ATAAG")), "");
    // a UTR that is exactly one site
    EXPECT_EQ(describe(sites_of(f, "ATAAGCTA")), "8mer:1-8");
    // the near-stop flag: start - 1 < 15
    EXPECT_TRUE(sites_of(f, std::string(14, 'G') + "ATAAGCTA" + pad)[0].near_stop);
    EXPECT_FALSE(sites_of(f, std::string(15, 'G') + "ATAAGCTA" + pad)[0].near_stop);
}

TEST(MirnaSites, HandCheckedNBases)
{
    auto const f = mir21();
    std::string const pad = "GGGGGGGGGG";
    EXPECT_EQ(describe(sites_of(f, pad + "ATAAGCTN" + pad)), "7mer-m8:11-17");     // N at t1 is not an A
    EXPECT_EQ(describe(sites_of(f, pad + "NTAAGCTA" + pad)), "7mer-A1:12-18");     // N at t8 does not pair
    EXPECT_EQ(describe(sites_of(f, pad + "ATAAGCNA" + pad)), "offset-6mer:11-16"); // N at t2: t3-t8 still pair
    EXPECT_EQ(describe(sites_of(f, pad + "ATAAGCNC" + pad)), "offset-6mer:11-16");
    EXPECT_EQ(describe(sites_of(f, pad + "ATANGCTA" + pad)), "");
    EXPECT_EQ(describe(sites_of(f, pad + "ATAAGCTR" + pad)), "7mer-m8:11-17"); // IUPAC R is an N
}

TEST(MirnaSites, HandCheckedCaseAndUracil)
{
    auto const f = mir21();
    std::string const pad = "gggggggggg";
    EXPECT_EQ(describe(sites_of(f, pad + "ataagcta" + pad)), "8mer:11-18");
    EXPECT_EQ(describe(sites_of(f, pad + "AUAAGCUA" + pad)), "8mer:11-18");
    EXPECT_EQ(describe(sites_of(f, pad + "auaaGCua" + pad)), "8mer:11-18");
    // a miRNA given with T instead of U finds the same sites
    mature_mirna m = resolve_mirnas({"hsa-miR-21-5p"})[0];
    mature_mirna t;
    t.name = "dna-miR-21";
    std::string dna = m.sequence;
    std::replace(dna.begin(), dna.end(), 'U', 't');
    chemores::encode_dna(dna, t.codes);
    t.sequence = m.sequence;
    site_finder const g{{t}};
    EXPECT_EQ(describe(sites_of(g, pad + "ATAAGCTA" + pad)), "8mer:11-18");
}

TEST(MirnaSites, HandCheckedExtendedTypes)
{
    auto const f = mir21(true);
    std::string const pad = "GGGGGGGGGGGGGGGGGGGG";
    // miR-21 nt 2-8 A G C U U A U: G (nt 3) wobbles with U, U (nt 5, 6, 8) with G
    EXPECT_EQ(describe(sites_of(f, pad + "ATAAGTTA" + pad)), "8mer-GU:21-28"); // t3 = T: G:U at nt 3
    EXPECT_EQ(describe(sites_of(f, pad + "ATAAGTTC" + pad)), "7mer-m8-GU:21-27");
    EXPECT_EQ(describe(sites_of(f, pad + "CTAGGCTA" + pad)), "7mer-A1-GU:22-28"); // t5 = G: U:G at nt 5
    EXPECT_EQ(describe(sites_of(f, pad + "CTAGGCTC" + pad)), "6mer-GU:22-27");
    EXPECT_EQ(describe(sites_of(f, pad + "CCAAGCTA" + pad)), "6mer-A1:23-28");
    // canonical beats extended at the same anchor: t8 = G (U:G wobble at nt 8) is still a 7mer-A1
    EXPECT_EQ(describe(sites_of(f, pad + "GTAAGCTA" + pad)), "7mer-A1:22-28");
    // centered: the UTR opposite nt 4-15 (CUUAUCAGACUG), with nt 2-3 unpaired
    std::string const centered = revcomp_rna("CUUAUCAGACUG"); // t15..t4
    EXPECT_EQ(describe(sites_of(f, pad + centered + "GGG" + pad)), "centered:21-32");
    // without --extended none of these is reported
    auto const c = mir21(false);
    EXPECT_EQ(describe(sites_of(c, pad + "ATAAGTTA" + pad + "CCAAGCTA" + pad + centered + "GGG" + pad)), "");
}

TEST(MirnaSites, SeedFamiliesShareSites)
{
    // miR-17-5p, miR-20a-5p, miR-93-5p and miR-106b-5p share nt 2-8 AAAGUGC
    auto const mirnas = resolve_mirnas({"hsa-miR-17-5p", "hsa-miR-20a-5p", "hsa-miR-93-5p", "hsa-miR-21-5p"});
    site_finder const f{mirnas};
    ASSERT_EQ(f.groups().size(), 2u);
    EXPECT_EQ(f.groups()[0].seed, "AAAGUGC");
    EXPECT_EQ(f.groups()[0].members.size(), 3u);
    auto const s = sites_of(f, std::string(20, 'G') + "GCACTTTA" + std::string(20, 'G'));
    ASSERT_EQ(s.size(), 3u); // reported per miRNA
    for (auto const & x : s)
        EXPECT_EQ(to_string(x.type), "8mer");
}

TEST(MirnaSites, SupplementaryPairingScore)
{
    auto const f = mir21();
    auto const & m = f.mirnas()[0];                   // UAGCUUAUCAGACUGAUGUUGA
    std::string const full = revcomp_rna(m.sequence); // perfect complement, t22..t1
    std::string const pad = "CCCCCCCCCCCCCCCCCCCCCCCCC";
    auto s = sites_of(f, pad + full + pad);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(to_string(s[0].type), "8mer");
    // nt 9-22 pair at offset 0: 13-16 score 1 each (4), 9-12 and 17-22 score 0.5 each (10 x 0.5)
    EXPECT_DOUBLE_EQ(s[0].supp3p, 9.0);
    // only nt 13-16 pair (t13..t16 complementary, the rest mismatched)
    std::string seed8 = revcomp_rna(m.sequence.substr(0, 8));  // t8..t1 with t1 = A? miRNA nt 1 is U -> A
    std::string p1316 = revcomp_rna(m.sequence.substr(12, 4)); // t16..t13
    std::string const mid = "CCCC";                            // t12..t9: CCCC never pairs with A/C/U/C
    auto s2 = sites_of(f, pad + p1316 + mid + seed8 + pad);
    ASSERT_EQ(s2.size(), 1u);
    EXPECT_DOUBLE_EQ(s2[0].supp3p, 4.0);
    // the same pairing shifted by 3 nt (offset 3: penalty 0.5)
    auto s3 = sites_of(f, pad + p1316 + "CCC" + mid + seed8 + pad);
    ASSERT_EQ(s3.size(), 1u);
    EXPECT_DOUBLE_EQ(s3[0].supp3p, 3.5);
    // no 3' pairing at all
    auto s4 = sites_of(f, pad + "CCCCCCCCCCCCCCC" + seed8 + pad);
    ASSERT_EQ(s4.size(), 1u);
    EXPECT_DOUBLE_EQ(s4[0].supp3p, 0.0);
}

TEST(MirnaSites, LocalAuScore)
{
    auto const f = mir21();
    std::string const at30(30, 'A'), gc30(30, 'G');
    auto s = sites_of(f, at30 + "ATAAGCTA" + at30);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_DOUBLE_EQ(s[0].local_au, 1.0);
    s = sites_of(f, gc30 + "ATAAGCTA" + gc30);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_DOUBLE_EQ(s[0].local_au, 0.0);
    // upstream AU only: 8mer weights 1/i upstream, 1/(i+1) downstream
    double up = 0, down = 0;
    for (int i = 1; i <= 30; ++i)
    {
        up += 1.0 / i;
        down += 1.0 / (i + 1);
    }
    s = sites_of(f, at30 + "ATAAGCTA" + gc30);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_NEAR(s[0].local_au, up / (up + down), 1e-12);
    // a site that is the whole UTR has no flanks
    s = sites_of(f, "ATAAGCTA");
    ASSERT_EQ(s.size(), 1u);
    EXPECT_TRUE(std::isnan(s[0].local_au));
}

TEST(MirnaSites, SiteTypeNames)
{
    for (size_t t = 0; t < site_type_count; ++t)
    {
        auto const st = static_cast<site_type>(t);
        EXPECT_EQ(site_type_from_string(to_string(st)), st);
        EXPECT_EQ(is_canonical(st), t < 5);
    }
    EXPECT_EQ(to_string(site_type::offset_six_mer), "offset-6mer");
    EXPECT_FALSE(site_type_from_string("9mer"));
}

TEST(MirnaSites, RejectsUnscannableMirnas)
{
    mature_mirna m;
    m.name = "short";
    chemores::encode_dna("UAGCUU", m.codes);
    EXPECT_THROW((site_finder{{m}}), chemores::config_error);
    m.name = "n-seed";
    chemores::encode_dna("UAGNUUAUCAG", m.codes);
    EXPECT_THROW((site_finder{{m}}), chemores::config_error);
}

namespace
{
// The 3'-supplementary score written out directly: every diagonal, every run.
double supp3p_reference(std::vector<uint8_t> const & m, std::vector<uint8_t> const & u, site const & s)
{
    int64_t const a = s.anchor - 1;
    bool const a1 = s.type == site_type::seven_mer_a1 || s.type == site_type::seven_mer_a1_gu;
    int64_t const kmin = a1 ? 8 : 9, kmax = static_cast<int64_t>(m.size());
    int64_t const lowest = std::max<int64_t>(0, s.start - 1 - 15);
    int64_t const jmax = a - lowest + 1;
    double best = 0;
    for (int64_t d = -40; d <= 40; ++d)
    {
        double run = 0, run_best = 0;
        int len = 0;
        for (int64_t k = kmin; k <= kmax + 1; ++k)
        {
            int64_t const j = k + d;
            int64_t const pos = a - (j - 1);
            bool const pair = k <= kmax && j >= kmin && j <= jmax && pos >= 0 && pos < static_cast<int64_t>(u.size()) &&
                              u[pos] < 4 && m[k - 1] < 4 && u[pos] == 3 - m[k - 1];
            if (pair)
            {
                run += (k >= 13 && k <= 16) ? 1.0 : 0.5;
                ++len;
            }
            else
            {
                if (len >= 2)
                    run_best = std::max(run_best, run);
                run = 0;
                len = 0;
            }
        }
        best = std::max(best, run_best - std::max(0.0, (std::abs(static_cast<double>(d)) - 2) / 2));
    }
    return best;
}
} // namespace

TEST(MirnaSites, FeaturesMatchReference)
{
    auto const & all = builtin_matures();
    std::mt19937_64 rng{99};
    auto const utrs = random_utrs(rng, all, 6, 1500);
    site_finder_options o;
    o.extended = true;
    site_finder const finder{all, o};
    size_t checked = 0;
    for (auto const & s : finder.find(utrs))
    {
        auto const & u = utrs[s.utr].codes;
        if (s.type == site_type::centered)
        {
            EXPECT_TRUE(std::isnan(s.supp3p));
            continue;
        }
        ASSERT_DOUBLE_EQ(s.supp3p, supp3p_reference(finder.mirnas()[s.mirna].codes, u, s))
            << finder.mirnas()[s.mirna].name << " " << s.start;
        // local AU: 30 nt each side, weight 1/distance, one step further where the site lacks t8 / has t1
        double num = 0, den = 0;
        bool const t8 = s.start == s.anchor - 7, t1 = s.end == s.anchor;
        for (int i = 1; i <= 30; ++i)
        {
            int64_t const up = s.start - 1 - i, down = s.end - 1 + i;
            if (up >= 0)
            {
                double const w = 1.0 / (i + (t8 ? 0 : 1));
                den += w;
                num += (u[up] == 0 || u[up] == 3) ? w : 0;
            }
            if (down < static_cast<int64_t>(u.size()))
            {
                double const w = 1.0 / (i + (t1 ? 1 : 0));
                den += w;
                num += (u[down] == 0 || u[down] == 3) ? w : 0;
            }
        }
        if (den > 0)
            ASSERT_NEAR(s.local_au, num / den, 1e-12);
        else
            ASSERT_TRUE(std::isnan(s.local_au));
        ++checked;
    }
    EXPECT_GT(checked, 5000u);
}
