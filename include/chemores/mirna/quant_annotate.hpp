#pragma once
//!\file
//!\brief isomiR annotation for `chemores mirna quant`: the matures on each hairpin, an ungapped isomiR-aware
//!       placement of a read near an aligner hit, assignment to a mature within a tolerance, and the mirGFF3
//!       vocabulary (Variant, Cigar, UID).
//!
//! Conventions (mirGFF3 1.1+, as written by mirtop):
//!  - iso_5p:N  N = (first templated read base on the hairpin) - (mature start). Negative: the read starts
//!              upstream (extra nucleotides); positive: it starts downstream (nucleotides missing).
//!  - iso_3p:N  N = (last templated read base) - (mature end). Positive: extends downstream; negative: shorter.
//!  - iso_add3p:N  N non-templated nucleotides at the 3' end; iso_add5p:N the same at the 5' end.
//!  - iso_snv_seed (read positions 2-7), iso_snv_central_offset (8), iso_snv_central (9-12),
//!    iso_snv_central_supp (13-17), iso_snv (any other position); positions are 1-based on the read.

#include <chemores/reference/panel.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace chemores::mirna
{

//!\brief A mature miRNA on one hairpin; coordinates 1-based inclusive on the hairpin.
struct mature_locus
{
    std::string name;     //!< e.g. hsa-miR-21-5p
    std::string mimat;    //!< miRBase accession, e.g. MIMAT0000076
    std::string arm;      //!< 5p or 3p
    uint32_t hairpin = 0; //!< contig index in the panel
    int32_t start = 0;
    int32_t end = 0;
    uint32_t name_index = 0; //!< index into mature_table::names()
};

//!\brief The matures of a hairpin panel (panel/mirna_matures.tsv: mature, hairpin, start, end, arm, mimat).
class mature_table
{
public:
    //!\brief Parse `tsv` against `p`; every hairpin must be a contig of `p` and every mature must lie inside it.
    //!\throws input_error naming `origin` and the line.
    mature_table(reference::panel const & p, std::string_view tsv, std::string const & origin);

    //!\brief Every mature locus, ordered by hairpin index then start.
    std::vector<mature_locus> const & loci() const
    {
        return loci_;
    }
    //!\brief The matures on hairpin `h`, by start.
    std::span<mature_locus const> on_hairpin(uint32_t h) const;
    //!\brief Distinct mature names, sorted (byte order): the rows of counts.tsv.
    std::vector<std::string> const & names() const
    {
        return names_;
    }
    //!\brief Index of `name` in names().
    std::optional<uint32_t> find_name(std::string_view name) const;

private:
    std::vector<mature_locus> loci_;
    std::vector<std::pair<uint32_t, uint32_t>> by_hairpin_; //!< [first, last) into loci_ per hairpin
    std::vector<std::string> names_;
};

//!\brief Rules of the isomiR model and of the assignment to matures.
struct annotation_options
{
    int tolerance_5p = 3;   //!< assigned if |iso_5p| <= this ...
    int tolerance_3p = 5;   //!< ... and |iso_3p| <= this
    int max_mismatches = 1; //!< mismatches allowed in the templated part (iso_snv)
    int max_add3p = 3;      //!< non-templated 3' nucleotides allowed
    int max_add5p = 0;      //!< non-templated 5' nucleotides allowed (0: a 5' mismatch is an SNV)
    int search_window = 3;  //!< placements tried on either side of the aligner's
};

//!\brief A mismatch in the templated part of a read.
struct snv
{
    int32_t read_pos = 0; //!< 1-based on the read
    char ref = 'N';       //!< hairpin base
    char alt = 'N';       //!< read base
};

//!\brief An ungapped placement of a read on a hairpin: read base i faces hairpin base offset + i (0-based);
//!       the first add5p and the last add3p read bases are non-templated.
struct placement
{
    int32_t offset = 0;
    int32_t add5p = 0;
    int32_t add3p = 0;
    std::vector<snv> snvs;

    //!\brief 1-based hairpin position of the first templated base.
    int32_t templated_start() const
    {
        return offset + add5p + 1;
    }
    //!\brief 1-based hairpin position of the last templated base of a read of length `len`.
    int32_t templated_end(int32_t len) const
    {
        return offset + len - add3p;
    }
};

/*!\brief The best placement of `read` on `hairpin` with offset within `near` +- search_window.
 * \details Minimises, in order: mismatches in the templated part, non-templated nucleotides (add5p + add3p),
 *          add5p, distance to `near`, offset. The templated part must lie on the hairpin and be at least 10 nt.
 *          Returns nullopt if there is no admissible placement. Mismatch limits are not applied here.
 */
std::optional<placement>
best_placement(std::string_view read, std::string_view hairpin, int32_t near, annotation_options const & o);

//!\brief What an aligner hit of a read is, after annotation.
enum class hit_kind
{
    mature,  //!< assigned to a mature within the tolerance
    hairpin, //!< on the hairpin, outside every mature
    rejected //!< no placement within the mismatch / addition limits
};

//!\brief One annotated hit of a read on a hairpin.
struct isomir_hit
{
    hit_kind kind = hit_kind::rejected;
    uint32_t hairpin = 0;
    int32_t mature = -1; //!< index into mature_table::loci() when kind == mature
    placement place;
    int32_t iso_5p = 0; //!< templated start - mature start (mirtop sign)
    int32_t iso_3p = 0; //!< templated end - mature end (mirtop sign)
    int32_t start = 0;  //!< 1-based first hairpin base under the read (clipped to the hairpin)
    int32_t end = 0;    //!< 1-based last hairpin base under the read (clipped to the hairpin)
    std::string cigar;  //!< mirGFF3 Cigar (M = exact match; a mismatch is written as the hairpin base)
};

/*!\brief Annotate a read against hairpin `hairpin_index` near the aligner's offset `near` (0-based hairpin position
 *        of read base 0).
 * \details A placement with more than max_mismatches SNVs (or none within the limits) is rejected. Otherwise the
 *          mature with |iso_5p| <= tolerance_5p and |iso_3p| <= tolerance_3p and the smallest |iso_5p| + |iso_3p|
 *          (then smallest |iso_5p|, then first by start) is assigned; with none, the hit is `hairpin`.
 */
isomir_hit annotate(std::string_view read,
                    std::string_view hairpin,
                    uint32_t hairpin_index,
                    int32_t near,
                    mature_table const & matures,
                    annotation_options const & o);

//!\brief mirGFF3 Variant attribute of a mature hit ("NA" for the reference miRNA), in the order iso_5p, iso_3p,
//!       iso_add3p, iso_add5p, then each SNV class once, by position.
std::string variant_attribute(isomir_hit const & h);

//!\brief SNVs as "POS:REF>ALT" joined by ',' ("" if none), e.g. "5:G>A".
std::string snv_list(isomir_hit const & h);

//!\brief The SNV class of a 1-based read position: iso_snv_seed, iso_snv_central_offset, iso_snv_central,
//!       iso_snv_central_supp or iso_snv.
std::string_view snv_class(int32_t read_pos);

//!\brief mirGFF3 Cigar of `read` placed at `offset` on `hairpin`: runs of exact matches as "<n>M", a mismatch as the
//!       hairpin base, read bases off the hairpin as "<n>I".
std::string mirgff_cigar(std::string_view read, std::string_view hairpin, int32_t offset);

/*!\brief MINTplates license plate of an A/C/G/T sequence, as mirtop writes the mirGFF3 UID: "<prefix>-<length>-<code>".
 * \details Each 5-mer (A=0, C=1, G=2, T=3, first base most significant) is the 10-bit number written as two
 *          digits in the base-32 alphabet "BD0EF1HI2JK3LM4NO5PQ6RS7UV8WX9YZ"; a final 1-4 nt remainder of value v
 *          is the number (0, 4, 20, 84 for lengths 1-4) + v written with one or two digits.
 *          Returns "" for a sequence with another character.
 */
std::string license_plate(std::string_view seq, std::string_view prefix = "iso");

} // namespace chemores::mirna
