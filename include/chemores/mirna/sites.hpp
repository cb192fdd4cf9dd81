#pragma once
//!\file
//!\brief miRNA seed-match sites in 3'UTRs (`chemores mirna sites`): site types, the one-pass seed-table scanner
//!       and the per-site features (3'-supplementary pairing, local AU content, distances).
//!
//! Conventions used throughout (see docs/mirna_sites.md):
//! * miRNA positions are counted from the miRNA 5' end (1-based). The UTR base opposite miRNA position k is t_k;
//!   on the UTR (5'->3') the seed match reads t8 t7 ... t2 t1, so t1 is the 3'-most base and lies at the anchor.
//! * Internal positions are 0-based; everything printed is 1-based inclusive.
//! * UTR and miRNA sequences are held as chemores nucleotide codes (A=0, C=1, G=2, T/U=3, N/ambiguity=4).
//!   A base outside the UTR or an N never pairs and is never the A of t1.

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chemores::mirna
{

/*!\brief Site types, best first: at one anchor a miRNA has at most one site, the first type of this list that
 *        matches. The first five are the canonical types; the others are reported only with
 *        site_finder_options::extended.
 */
enum class site_type : uint8_t
{
    eight_mer = 0,   //!< "8mer": Watson-Crick (WC) match to miRNA 2-8 and an A at t1
    seven_mer_m8,    //!< "7mer-m8": WC match to 2-8
    seven_mer_a1,    //!< "7mer-A1": WC match to 2-7 and an A at t1
    six_mer,         //!< "6mer": WC match to 2-7
    offset_six_mer,  //!< "offset-6mer": WC match to 3-8
    centered,        //!< "centered": >= 11 contiguous WC pairs within miRNA 4-15 (4-14, 5-15 or 4-15)
    eight_mer_gu,    //!< "8mer-GU": as 8mer with exactly one G:U wobble in 2-8
    seven_mer_m8_gu, //!< "7mer-m8-GU": as 7mer-m8 with exactly one G:U wobble in 2-8
    seven_mer_a1_gu, //!< "7mer-A1-GU": as 7mer-A1 with exactly one G:U wobble in 2-7
    six_mer_gu,      //!< "6mer-GU": as 6mer with exactly one G:U wobble in 2-7
    six_mer_a1,      //!< "6mer-A1": WC match to 2-6 and an A at t1
};

//!\brief Number of site types.
inline constexpr size_t site_type_count = 11;
//!\brief Number of canonical site types (the first five).
inline constexpr size_t canonical_site_type_count = 5;

//!\brief The printed name: "8mer", "7mer-m8", "7mer-A1", "6mer", "offset-6mer", "centered", "8mer-GU", ...
std::string_view to_string(site_type t);
//!\brief Inverse of to_string().
std::optional<site_type> site_type_from_string(std::string_view s);
//!\brief True for the five canonical types.
inline constexpr bool is_canonical(site_type t)
{
    return static_cast<uint8_t>(t) < canonical_site_type_count;
}

//!\brief A mature miRNA.
struct mature_mirna
{
    std::string name;           //!< e.g. hsa-miR-21-5p
    std::string accession;      //!< e.g. MIMAT0000076; empty if unknown
    std::string sequence;       //!< upper-case RNA letters (U), as printed
    std::vector<uint8_t> codes; //!< nucleotide codes 0..4 (U = 3)
    std::string origin;         //!< where it was read: "builtin:panel/mirna_matures.fa" or a path

    //!\brief miRNA nucleotides 2-8 in RNA letters (the seed used to group families).
    std::string seed() const
    {
        return sequence.size() >= 8 ? sequence.substr(1, 7) : std::string{};
    }
};

//!\brief A stretch of UTR positions placed on a genome assembly.
struct genome_block
{
    std::string build;     //!< "GRCh38" or "hg19" (as written in the annotation)
    std::string chrom;     //!< e.g. chr10
    int64_t start = 0;     //!< genome start, 1-based inclusive
    int64_t end = 0;       //!< genome end, 1-based inclusive
    char strand = '+';     //!< '+' or '-'
    int64_t utr_first = 1; //!< first UTR position (1-based) covered by the block
    int64_t utr_last = 0;  //!< last UTR position covered
};

//!\brief What is known about a UTR beyond its sequence (from references/panel/utr3.tsv or --utr-annotation).
struct utr_annotation
{
    std::string gene;                   //!< HGNC symbol
    std::string transcript;             //!< transcript accession (e.g. NM_000927.5); empty if none
    int64_t tx_first = 0;               //!< transcript coordinate of UTR position 1; 0 = not known
    std::optional<genome_block> genome; //!< genome placement, if known
    std::string note;                   //!< the free-text note it was parsed from
    int64_t length = 0;                 //!< UTR length stated by the annotation; 0 = not stated
};

//!\brief A 3'UTR to scan. Position 1 is assumed to be the first base after the stop codon.
struct utr_sequence
{
    std::string name;           //!< FASTA record name
    std::string description;    //!< rest of the FASTA header
    std::vector<uint8_t> codes; //!< nucleotide codes 0..4
    utr_annotation annotation;  //!< gene is always set (falls back to the record name)
    bool annotated = false;     //!< annotation came from an annotation table
};

//!\brief A genome or transcript interval, 1-based inclusive.
struct mapped_interval
{
    std::string seqid;
    int64_t start = 0;
    int64_t end = 0;
    char strand = '+';
    std::string build; //!< genome build; empty for transcripts
};

//!\brief UTR positions [start, end] (1-based) on the transcript, if the annotation gives transcript coordinates.
std::optional<mapped_interval> to_transcript(utr_annotation const & a, int64_t start, int64_t end);
//!\brief UTR positions [start, end] on the genome, if the annotation places every one of them.
std::optional<mapped_interval> to_genome(utr_annotation const & a, int64_t start, int64_t end);

//!\brief Sites closer than this to the stop codon (start - 1 < near_stop_nt) are flagged near_stop.
inline constexpr int64_t near_stop_nt = 15;

//!\brief One predicted site.
struct site
{
    uint32_t utr = 0;   //!< index into the UTR list
    uint32_t mirna = 0; //!< index into the miRNA list of the site_finder
    site_type type = site_type::eight_mer;
    int64_t start = 0;              //!< 1-based inclusive start on the UTR (5'-most base of the site)
    int64_t end = 0;                //!< 1-based inclusive end on the UTR
    int64_t anchor = 0;             //!< 1-based UTR position of t1 (may lie just past either end of the UTR)
    double supp3p = std::nan("");   //!< 3'-supplementary pairing score; NaN for centered sites
    double local_au = std::nan(""); //!< TargetScan-style local AU score in [0, 1]; NaN without flanking bases
    bool near_stop = false;         //!< start - 1 < near_stop_nt (usually excluded as non-functional)
};

//!\brief Options of the site finder.
struct site_finder_options
{
    bool extended = false;   //!< also report centered, G:U-wobble and 6mer-A1 sites
    unsigned threads = 1;    //!< worker threads for find(); the output does not depend on it
    int64_t chunk = 1 << 18; //!< anchors per work item
};

/*!\brief A site hit before expansion to miRNAs: a seed group (window types) or one miRNA (centered) at a 0-based
 *        anchor (the position of t1).
 */
struct raw_hit
{
    int64_t anchor = 0;
    uint32_t id = 0; //!< seed group for window types, miRNA for centered
    site_type type = site_type::eight_mer;
    uint8_t centered_span = 0; //!< centered only: bit 0 = pairs nt 4, bit 1 = pairs nt 15
};

//!\brief 0-based half-open span [begin, end) of a hit on the UTR.
std::pair<int64_t, int64_t> hit_span(raw_hit const & h);

/*!\brief Finds the sites of many miRNAs in one pass over each UTR.
 * \details miRNAs with the same nucleotides 2-8 form a seed group. Every site type except "centered" is decided by
 *          the eight UTR bases t8..t1, so a table indexed by the 2-bit code of those 8 bases (65,536 buckets) lists,
 *          for every window, the seed groups that have a site there and its best type. Scanning is one table
 *          lookup per UTR position, whatever the number of miRNAs. Windows that contain an N or hang over a UTR
 *          end take a slower path with the same result. Centered sites use a second table keyed on the bases
 *          opposite miRNA 5-12.
 */
class site_finder
{
public:
    //!\brief A set of miRNAs sharing nucleotides 2-8.
    struct seed_group
    {
        std::string seed;                //!< nt 2-8, RNA letters
        std::vector<uint32_t> members;   //!< miRNA indices, ascending
        std::array<uint8_t, 9> target{}; //!< target[k] = WC partner code of miRNA nt k (k = 2..8)
        std::array<uint8_t, 9> wobble{}; //!< wobble[k] = G:U partner code of miRNA nt k (4 = none)
    };

    /*!\brief Build the tables. Every miRNA needs at least 8 nt and no N in nucleotides 2-8.
     * \throws config_error for a miRNA that cannot be scanned (names it).
     */
    explicit site_finder(std::vector<mature_mirna> mirnas, site_finder_options const & options = {});

    std::vector<mature_mirna> const & mirnas() const
    {
        return mirnas_;
    }
    std::vector<seed_group> const & groups() const
    {
        return groups_;
    }
    //!\brief Seed group of a miRNA.
    uint32_t group_of(uint32_t mirna) const
    {
        return group_of_[mirna];
    }
    site_finder_options const & options() const
    {
        return options_;
    }

    /*!\brief Raw hits of `seq` whose 0-based anchor lies in [a0, a1); appended to `out` in no particular order.
     * \details Anchors of a sequence of length L lie in [0, L + 4); hits at different anchors never interact, so
     *          disjoint anchor ranges can be scanned independently.
     */
    void scan(std::span<uint8_t const> seq, int64_t a0, int64_t a1, std::vector<raw_hit> & out) const;

    //!\brief Number of window-type site hits per seed group and type in `seq` (no allocation per hit; benchmark).
    //!\details Returns counts per site type, summed over the miRNAs of each group.
    std::array<uint64_t, site_type_count> count(std::span<uint8_t const> seq) const;

    /*!\brief Sites of one sequence with anchors in [a0, a1) (0-based), with features; sorted.
     * \param utr_index stored in site::utr.
     */
    std::vector<site> find_in(std::span<uint8_t const> seq, uint32_t utr_index, int64_t a0, int64_t a1) const;

    /*!\brief All sites of every UTR, with features, sorted by (utr, start, end, mirna, type). Uses
     *        options().threads threads; the result is identical for any number of threads.
     */
    std::vector<site> find(std::vector<utr_sequence> const & utrs) const;

private:
    template <typename Flush>
    void scan_windows(uint8_t const * seq, int64_t n, int64_t p0, int64_t p1, Flush && flush) const;
    template <bool MaySkip, typename Flush, typename Push>
    void scan_fast(uint8_t const * seq,
                   int64_t n,
                   int64_t f0,
                   int64_t f1,
                   int64_t p0,
                   uint64_t * buf,
                   size_t & shared_k,
                   Flush & flush,
                   Push & push) const;
    template <typename Push>
    void slow_window(uint8_t const * seq, int64_t n, int64_t p, Push && push) const;
    void scan_centered(uint8_t const * seq, int64_t n, int64_t q0, int64_t q1, std::vector<raw_hit> & out) const;
    void expand(std::span<uint8_t const> seq,
                uint32_t utr_index,
                std::vector<raw_hit> const & hits,
                std::vector<site> & out) const;

    std::vector<mature_mirna> mirnas_;
    site_finder_options options_;
    std::vector<seed_group> groups_;
    std::vector<uint32_t> group_of_;
    std::vector<uint32_t> group_size_;                 //!< members per seed group
    std::vector<std::array<uint64_t, 4>> mirna_masks_; //!< per miRNA: bit k of [c] = nt k pairs with base c
    std::vector<uint32_t> bucket_;    //!< 16,385 offsets into the entry arrays, by the 7-mer code of t8..t2
    std::vector<uint32_t> entries_a_; //!< group << 4 | type when t1 = A (type 15: no site); 2 padding entries
    std::vector<uint32_t> entries_n_; //!< the same when t1 is not an A
    uint32_t max_bucket_ = 0;         //!< largest bucket
    bool may_skip_ = false;           //!< some entry has no site for one t1 case (extended types)
    std::vector<uint32_t> centered_bucket_;
    std::vector<uint32_t> centered_entries_; //!< miRNA indices
};

/*!\brief Best site type of the seed group `g` for the UTR window w (w[k] = code of t_k, k = 1..8; 4 = unknown):
 *        the first canonical type that matches, else (if `extended`) the first matching G:U or 6mer-A1 type.
 */
std::optional<site_type>
classify_window(site_finder::seed_group const & g, std::array<uint8_t, 9> const & w, bool extended);

/*!\brief 3'-supplementary pairing score of a site (TargetScan, Grimson et al. 2007).
 * \details The miRNA 3' part (nt 9 to the end; nt 8 to the end for 7mer-A1 types) is aligned without gaps to the
 *          UTR upstream of the seed match (from t9, or t8 for 7mer-A1 types, to 15 nt upstream of the site start),
 *          with an offset of o >= 0 unpaired nucleotides on either strand. On each alignment the best run of >= 2
 *          contiguous WC pairs scores 1 per pair to miRNA 13-16 and 0.5 per other pair, minus max(0, (o - 2) / 2).
 *          The score is the maximum over all alignments (0 if no run). NaN for centered sites.
 * \param anchor0 0-based UTR position of t1.
 */
double supplementary_pairing_score(
    std::span<uint8_t const> mirna, std::span<uint8_t const> utr, int64_t anchor0, site_type type, int64_t start0);

/*!\brief TargetScan-style local AU score: A/U content of the 30 nt on each side of the site, each base weighted by
 *        1/distance (1/(d+1) upstream when the site does not cover t8, 1/(d+1) downstream when it covers t1),
 *        as the fraction of the maximal weight. NaN if the site has no flanking base.
 * \param start0 0-based first base of the site; \param end0 0-based one past the last base.
 */
double local_au_score(std::span<uint8_t const> utr, int64_t start0, int64_t end0, int64_t anchor0);

} // namespace chemores::mirna
