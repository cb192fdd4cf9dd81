#pragma once
//!\file
//!\brief Inputs of `chemores mirna sites`: the bundled miRBase matures and 3'UTRs, user FASTA files, miRNA name
//!       resolution (names, families, FASTA, `all`), the literature miRNA -> gene pairs, and VCF variants with the
//!       sites each allele gains or loses.

#include <chemores/mirna/sites.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chemores::mirna
{

// ---- miRNAs ---------------------------------------------------------------------------------------------------

//!\brief The 2,656 human matures of miRBase v22 bundled as references/panel/mirna_matures.fa (parsed once).
std::vector<mature_mirna> const & builtin_matures();

//!\brief Read a FASTA of mature miRNAs (U or T, any case). \throws input_error naming file and line.
std::vector<mature_mirna> read_mirna_fasta(std::string const & path);

//!\brief One row of references/catalogue/mirna_targets.tsv per (mature, target gene).
struct literature_pair
{
    std::string mirna_as_written;  //!< e.g. "miR-103/107"
    std::string mature;            //!< miRBase v22 mature id, e.g. hsa-miR-103a-3p
    std::string target_as_written; //!< e.g. "P-gp"
    std::string gene;              //!< HGNC symbol, e.g. ABCB1
    std::string tumor;
    std::string drugs;
    std::string reference; //!< original_reference
    std::string pmid;
    std::string doi;
    std::string validated_site_note;
    uint64_t line = 0; //!< line in mirna_targets.tsv
};

//!\brief The bundled literature pairs (catalogue/mirna_targets.tsv), one per (row, mature id).
std::vector<literature_pair> const & builtin_literature_pairs();

//!\brief The default miRNA set: the matures named in mirna_targets.tsv, in order of first appearance.
std::vector<mature_mirna> default_mirnas();

/*!\brief Resolve --mirnas items, in order, without duplicates.
 * \details Each item is one of: `all` (every bundled mature), `default` (the resistance-associated set), a path to
 *          an existing FASTA file, `seed:NNNNNNN` (every mature with these nt 2-8), `family:NAME` (every mature
 *          sharing the seed of NAME), or a name: a mature id with or without "hsa-" (any case), a MIMAT accession,
 *          or a name as written in mirna_targets.tsv ("miR-21", "miR-221/222").
 *          An empty list gives default_mirnas().
 * \throws config_error for a name that matches nothing (with the closest names) or several matures.
 */
std::vector<mature_mirna> resolve_mirnas(std::vector<std::string> const & items);

//!\brief Up to `n` names of `candidates` closest to `name` (case-insensitive edit distance, "hsa-" ignored); none for
//!       a name of over 64 characters.
std::vector<std::string>
closest_names(std::string_view name, std::vector<std::string> const & candidates, size_t n = 5);

// ---- UTRs -----------------------------------------------------------------------------------------------------

/*!\brief Parse a UTR annotation table (columns utr, gene, transcript, length, genome_note as in
 *        references/panel/utr3.tsv). Transcript coordinates come from "ACC tx A..B" in genome_note, genome
 *        coordinates from "BUILD chrN:S-E(+|-)" optionally followed by "for UTR A..B".
 * \throws input_error naming origin and line.
 */
std::map<std::string, utr_annotation> parse_utr_annotation(std::string const & origin, std::string_view tsv);

//!\brief The bundled 3'UTRs (ABCB1_3UTR, ABCG2_3UTR, PTEN_3UTR) with their annotation.
std::vector<utr_sequence> builtin_utrs();

/*!\brief Read UTRs from a FASTA file. Annotation: `annotation` by record name, else the bundled one if the name
 *        and length match a bundled UTR; the gene falls back to "gene=SYMBOL" in the header, then the name.
 * \throws input_error for a non-FASTA or empty file, duplicate names, or an empty record.
 */
std::vector<utr_sequence> read_utr_fasta(std::string const & path,
                                         std::map<std::string, utr_annotation> const & annotation = {});

/*!\brief Keep the UTRs of the listed genes (HGNC symbols, UTR names, or aliases such as MDR1, P-gp, BCRP).
 * \throws config_error for a gene without a UTR (lists the available genes).
 */
std::vector<utr_sequence> select_genes(std::vector<utr_sequence> utrs, std::vector<std::string> const & genes);

// ---- variants -------------------------------------------------------------------------------------------------

//!\brief One ALT allele of a VCF record placed on a UTR, as the replacement of UTR[begin, end) by `alt`.
struct utr_variant
{
    uint64_t line = 0;   //!< VCF line
    std::string chrom;   //!< as in the VCF
    int64_t pos = 0;     //!< as in the VCF
    std::string id;      //!< VCF ID column
    std::string ref;     //!< VCF REF
    std::string alt;     //!< VCF ALT (this allele)
    int allele = 1;      //!< 1-based index of this ALT allele
    uint32_t utr = 0;    //!< UTR index
    std::string coords;  //!< how the record was placed: "utr", "transcript" or "genome"
    int64_t begin = 0;   //!< 0-based start of the replaced UTR stretch (after trimming shared bases)
    int64_t end = 0;     //!< 0-based end (exclusive); begin == end for an insertion
    std::string utr_ref; //!< replaced UTR bases, UTR orientation (may be empty)
    std::string utr_alt; //!< new UTR bases, UTR orientation (may be empty)
};

//!\brief What read_vcf() found.
struct vcf_result
{
    std::vector<utr_variant> variants;
    uint64_t records = 0; //!< data lines
    uint64_t alleles = 0; //!< ALT alleles seen
    uint64_t outside = 0; //!< alleles on no UTR (other contig or outside the annotated stretch)
    uint64_t skipped = 0; //!< symbolic, '*', '.' or partly-outside alleles
    std::string build;    //!< genome build named in the header ("GRCh38", "hg19") or empty
    std::vector<std::string> warnings;
};

/*!\brief Read a VCF (plain, gzip or bgzip) and place each SNV/indel allele on the UTRs: CHROM may be a UTR record
 *        name (UTR coordinates), a transcript accession of the annotation (transcript coordinates), or a chromosome
 *        where the annotation gives genome coordinates (minus-strand UTRs are reverse-complemented).
 * \throws input_error naming the file and line for malformed lines or a REF that differs from the UTR.
 */
vcf_result read_vcf(std::string const & path, std::vector<utr_sequence> const & utrs);

//!\brief How an allele changes one miRNA's site at one anchor.
enum class site_effect : uint8_t
{
    gained,  //!< a site only on the ALT allele
    lost,    //!< a site only on the REF allele
    changed, //!< a site on both, of different type
};
std::string_view to_string(site_effect e);

struct site_change
{
    site_effect effect = site_effect::gained;
    uint32_t mirna = 0;
    std::optional<site> ref; //!< site on the reference UTR (lost, changed)
    std::optional<site> alt; //!< site on the ALT UTR, in ALT UTR coordinates (gained, changed)
};

struct variant_effect
{
    utr_variant variant;
    std::vector<site_change> changes; //!< sorted by position, then miRNA
};

/*!\brief Sites gained, lost or changed by each variant: sites are compared at every anchor whose bases can differ
 *        between REF and ALT (the 8 bases t8..t1, or t15..t1 with extended types).
 */
std::vector<variant_effect> variant_effects(site_finder const & finder,
                                            std::vector<utr_sequence> const & utrs,
                                            std::vector<utr_variant> const & variants);

// ---- provenance -----------------------------------------------------------------------------------------------

//!\brief MD5 (hex) of a file's bytes as stored (compressed files are not decompressed). \throws input_error.
std::string md5_file(std::string const & path);
//!\brief MD5 (hex) of a text, e.g. a bundled file.
std::string md5_text(std::string_view text);

} // namespace chemores::mirna
