#pragma once
//!\file
//!\brief Codon-aware, molecule-aware pileup: per target codon, how many molecules (read pairs, mates merged) show each
//!       codon, on which strand and with which base quality; plus molecule-level linkage of two codons.
//!\details **Coordinates.** A target is a codon on a panel transcript contig, given by the 0-based position of its
//!         first base (catalogue::mutation::transcript_offset(): cds_start - 1 + 3 * (codon - 1)); the codon is
//!         [start, start + 3), 0-based half-open. Input reads may be aligned
//!         - to the panel (`chemores align`): reads on the parent contig count directly, and reads on a contig that
//!           has an alias segment over the codon (the ABL1 part of BCR-ABL1_e1a2/e13a2/e14a2/e19a2, exon 2 onward of
//!           ABL1 isoform 1b ENST00000372348.7) count for the parent codon through reference::panel::segments();
//!         - to GRCh38 or hg19 (chromosomes named "chr9" or "9"): the codon's three transcript positions are mapped
//!           through the exon table (references/panel/exons.tsv, + strand genes: ABL1, BCR) to three genomic
//!           positions, which need not be adjacent (a codon split by an intron is read through an `N` CIGAR gap).
//!         The reference is recognised from the @SQ lines (detect_reference()).
//!
//!         **Molecules.** Reads with the same query name are one molecule. A molecule's observation of a codon comes
//!         from the read(s) whose alignment covers all three codon bases: if both mates do, per base the better
//!         quality wins (equal bases keep the higher quality; different bases at equal quality make the molecule
//!         *ambiguous*: excluded and tallied). A deletion of any codon base, or an insertion between two adjacent
//!         codon bases, is an indel observation (counted separately, never as a codon); a mate showing an indel and a
//!         mate showing bases make the molecule ambiguous. A read below the mapping-quality filter yields to its
//!         mate; a molecule whose only covering read(s) fail the filter is tallied as `low_mapq`. Pairing relies on
//!         consistent mate fields (RNEXT/PNEXT, and MC when present), as aligners and `samtools fixmate` write them.
//!
//!         **Strand.** The strand of a molecule is the orientation of its fragment: the strand of read 1 (or of an
//!         unpaired read), i.e. the opposite of read 2's strand. In amplicon data this identifies the primer side.
//!
//!         **Memory.** One pass over the coordinate-sorted, indexed file (one index query per contig that carries a
//!         target). Reads are never stored: a first-seen mate whose other mate may still cover some of the same codons
//!         waits as its name plus 12 bytes per such codon, until the mate arrives or the iteration passes the mate's
//!         position. Memory therefore follows the pair window (pairs whose two mates overlap the current position),
//!         not the size of the file. Measured: 800,000 reads, 167,000 molecules at T315, 260 codons: 34 MB resident,
//!         7 s; one codon: 11 MB. linked_codons() additionally holds a name per molecule seen at the first codon of a
//!         query until the second codon is done.

#include <chemores/reference/panel.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct bam1_t; // htslib

namespace chemores::pileup
{

//!\brief A codon to pile up: a panel contig and the 0-based position of the codon's first base on it.
struct target
{
    std::string contig; //!< panel contig name, e.g. "NM_005157.6"
    int64_t start = 0;  //!< 0-based; the codon is [start, start + 3)

    friend bool operator==(target const &, target const &) = default;
    friend auto operator<=>(target const &, target const &) = default;
};

//!\brief Filters and inputs of the pileup. Every default is stated here; bad values are rejected (config_error).
struct options
{
    int min_mapping_quality = 20; //!< reads below are not counted (255, "unavailable", passes)
    int min_base_quality = 20;    //!< molecules whose merged codon has a base below are `low_quality`
    /*!\brief Bases this close to either end of a read's aligned part (soft clips excluded) count as quality 0.
     * \details 0 by default: amplicon reads end at their primers, so trimming would remove the codons next to the
     *          primers. Set 3-5 for capture or WGS data, where read ends carry alignment artefacts.
     */
    int end_distance = 0;
    //!\brief Reads with any of these SAM flags are skipped (default: unmapped, secondary, QC fail, duplicate,
    //!       supplementary).
    uint16_t exclude_flags = 0x4 | 0x100 | 0x200 | 0x400 | 0x800;
    //!\brief The exon table for genome-aligned input (GRCh38/hg19); empty = the bundled references/panel/exons.tsv.
    std::string exons_path;
    //!\brief FASTA for decoding CRAM without an embedded reference (empty: embedded or the REF_PATH/UR default).
    std::string reference_path;
};

//!\brief Molecules showing one codon string at a target.
struct codon_count
{
    std::string codon;      //!< three bases (A, C, G, T, N), reference strand of the transcript
    uint64_t molecules = 0; //!< molecules showing this codon (passing every filter)
    uint64_t forward = 0;   //!< of which the fragment is on the forward strand
    uint64_t reverse = 0;   //!< of which the fragment is on the reverse strand
    //!\brief Per-molecule minimum base quality of the three (merged) bases -> molecules; the error model input.
    std::map<uint8_t, uint64_t> min_quality;
};

//!\brief Everything seen at one target codon.
struct codon_pileup
{
    target where;                    //!< the target as given
    std::string reference_codon;     //!< the panel's codon at the target
    bool located = false;            //!< the codon is on a contig of the input's reference (false: nothing could count)
    uint64_t depth = 0;              //!< molecules counted in `codons` (the sum of their `molecules`)
    uint64_t deletions = 0;          //!< molecules with a deletion of a codon base
    uint64_t insertions = 0;         //!< molecules with an insertion between two codon bases
    uint64_t low_quality = 0;        //!< molecules with a codon base below min_base_quality (or within end_distance)
    uint64_t low_mapq = 0;           //!< molecules whose only covering read(s) failed min_mapping_quality
    uint64_t ambiguous = 0;          //!< molecules whose mates disagree at equal quality, or bases vs indel
    std::vector<codon_count> codons; //!< observed codons, most molecules first (ties: codon order)

    //!\brief The count of `codon`, or nullptr if no molecule showed it.
    codon_count const * find(std::string_view codon) const noexcept;
    //!\brief Molecules showing any codon of `codons` (each distinct codon counted once).
    uint64_t molecules_with(std::vector<std::string> const & codons) const;
    //!\brief Every molecule that covered the codon: depth + deletions + insertions + low_quality + low_mapq +
    //!       ambiguous.
    uint64_t covering() const noexcept
    {
        return depth + deletions + insertions + low_quality + low_mapq + ambiguous;
    }
};

//!\brief The coordinate system of an input file.
enum class reference_kind : uint8_t
{
    panel,  //!< the chemores transcript panel (contig names as in reference::panel)
    grch38, //!< GRCh38 / hg38 chromosomes
    hg19    //!< GRCh37 / hg19 chromosomes
};

//!\brief "panel", "GRCh38", "hg19".
std::string_view to_string(reference_kind kind) noexcept;

/*!\brief Recognise the reference of a file from its @SQ lines (name, length).
 * \details panel: at least one @SQ names a panel contig (its length must equal the panel's). GRCh38/hg19: chr9 (or 9)
 *          of length 138394717 / 141213431, and chr22 (or 22), if present, of length 50818468 / 51304566.
 * \throws input_error (naming `origin`) if a panel contig has the wrong length, if chr9 and chr22 disagree, or if the
 *         @SQ lines match neither; the message lists the expected contigs.
 */
reference_kind detect_reference(std::vector<std::pair<std::string, int64_t>> const & sequences,
                                reference::panel const & panel,
                                std::string const & origin);

//!\brief One row of the exon table: a transcript exon and its genomic position (1-based inclusive everywhere).
struct exon
{
    std::string contig; //!< transcript contig, e.g. "NM_005157.6"
    int number = 0;
    int64_t start = 0; //!< transcript (contig) coordinates, 1-based inclusive
    int64_t end = 0;
    //!\brief e.g. "chr9"; empty if the table has "." for this assembly, or if the genomic interval's length differs
    //!       from the exon's (no linear mapping: PTEN exon 1 in hg19 has a 1-nt transcript/genome difference).
    std::string grch38_chrom;
    int64_t grch38_start = 0; //!< 1-based inclusive; + strand (the table's genes are all on the + strand)
    std::string hg19_chrom;
    int64_t hg19_start = 0;
};

//!\brief The exon table (references/panel/exons.tsv: contig exon start end cds_start cds_end grch38 hg19).
class exon_table
{
public:
    //!\brief Read the table from a file. \throws input_error (file, line) on a malformed row.
    static exon_table from_file(std::string const & path);
    //!\brief Parse from text; `origin` names it in errors.
    static exon_table from_text(std::string const & origin, std::string_view text);

    std::vector<exon> const & exons() const noexcept
    {
        return exons_;
    }
    /*!\brief The genomic position (chromosome as in the table, 0-based) of 0-based transcript position `pos`, or
     *        nullopt if no exon of `contig` holds it or the assembly has no coordinates for it.
     */
    std::optional<std::pair<std::string, int64_t>>
    to_genome(std::string_view contig, int64_t pos, reference_kind assembly) const;

private:
    std::vector<exon> exons_;
};

/*!\brief Pile up the target codons of a coordinate-sorted, indexed BAM/CRAM (.bai/.csi/.crai beside it).
 * \details Results are in the order of `targets` (a repeated target gets the same counts twice). See the file
 *          comment for coordinates, molecules, strand and memory.
 * \throws config_error on an unknown target contig, a target outside its contig, or invalid options.
 * \throws input_error if the file cannot be read, has no index, is not coordinate-sorted, or has an unknown reference
 *         (detect_reference()); also if genome-aligned and the exon table cannot be read.
 */
std::vector<codon_pileup> pile_up(std::string const & path,
                                  reference::panel const & panel,
                                  std::vector<target> const & targets,
                                  options const & opt = {});

//!\brief A codon and the codons that count as its alternative allele (e.g. the routes of one catalogue mutation).
struct allele_set
{
    target codon;
    std::vector<std::string> alt_codons;
};

//!\brief Two codons whose alternative alleles are tested for linkage on the same molecule.
struct link_query
{
    allele_set first;
    allele_set second;
};

/*!\brief Molecules that cover both codons of a link_query with a passing codon at each (the pile_up() filters), by
 *        allele: cis evidence is `both`; `first_only` and `second_only` without `both` suggest trans.
 */
struct link_counts
{
    uint64_t both = 0;        //!< alternative at both codons (in cis)
    uint64_t first_only = 0;  //!< alternative at the first codon, another codon at the second
    uint64_t second_only = 0; //!< alternative at the second codon, another codon at the first
    uint64_t neither = 0;     //!< neither alternative

    uint64_t molecules() const noexcept
    {
        return both + first_only + second_only + neither;
    }
};

/*!\brief True if the read aligns without a gap, skip or insertion over [junction - anchor, junction + anchor)
 *        (0-based reference coordinates): the junction-read rule of `chemores call` and `chemores annotate`.
 */
bool spans_junction(bam1_t const * read, int64_t junction, int anchor);

/*!\brief For each query, count molecules (read pairs, or single long reads) covering both codons, by allele.
 * \details A molecule counts if it has a passing codon at both targets (either from one read covering both, or one
 *          mate at each); molecules that are low quality, ambiguous or show an indel at either codon are left out.
 * \throws config_error if a query links a codon to itself, or as pile_up().
 */
std::vector<link_counts> linked_codons(std::string const & path,
                                       reference::panel const & panel,
                                       std::vector<link_query> const & queries,
                                       options const & opt = {});

} // namespace chemores::pileup
