#pragma once
//!\file
//!\brief `chemores call`: catalogue-driven calling of drug-resistance mutations on codon pileups, variants of unknown
//!       significance, compound mutations, BCR::ABL1 transcript type and per-drug interpretation.
//!\details One sample is one coordinate-sorted, indexed BAM/CRAM (panel or genome coordinates). The steps:
//!         1. chemores::pileup::pile_up() over every catalogue codon and every codon of the VUS regions (ABL1 kinase
//!            domain codons 229-500, the SLC19A1 CDS): molecules per codon, with base qualities.
//!         2. For each catalogue entry, the molecules showing any of its nucleotide routes are tested against the
//!            sequencing-error null (stats::poisson_binomial_log_sf; per-molecule error from its minimum base
//!            quality, capped at `max_base_quality`); Bonferroni over the entries assessed. Status:
//!            DETECTED (p <= alpha / tests and at least `min_alt_molecules`), else NOT_DETECTED if the limit of
//!            detection at this depth is at most `min_vaf`, else NOT_ASSESSABLE.
//!         3. Every other non-synonymous codon seen in a VUS region is tested the same way (its own Bonferroni
//!            family: codons x 63 alternative codons) and reported if DETECTED.
//!         4. Every pair of detected variants is linked on molecules (pileup::linked_codons): cis / trans / mixed.
//!         5. Junction-spanning reads on the fusion contigs give the BCR::ABL1 transcript type.
//!         6. Per drug: resistant / reduced_sensitivity / no_known_resistance_detected / not_assessable.
//!         Everything is a plain value; rendering (JSON, TSV, VCF, text) is in chemores/call/report.hpp.

#include <chemores/catalogue/catalogue.hpp>
#include <chemores/pileup/codon_pileup.hpp>
#include <chemores/reference/panel.hpp>
#include <chemores/stats/stats.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chemores::call
{

//!\brief Options of the caller; every default is stated here and in `chemores call --help`.
struct call_options
{
    pileup::options pileup;     //!< MAPQ >= 20, BQ >= 20, end distance 0, flags
    double min_vaf = 0.03;      //!< the fraction a NOT_DETECTED must rule out (LOD <= min_vaf), else NOT_ASSESSABLE
    double alpha = 0.01;        //!< family-wise significance level (Bonferroni per family)
    uint64_t min_alt_molecules = 2; //!< never call fewer alternative molecules
    /*!\brief A DETECTED also needs at least this fraction of the molecules (a reporting floor, 0.5 %).
     * \details At very high depth a slight excess of one error over the model (a PCR or sequencing hotspot 1.3x
     *          the modelled rate at 0.04 %) becomes significant; the floor keeps such signals out of the calls. It
     *          enters the critical count (max of the test's and ceil(min_fraction * depth)), so the limit of detection
     *          accounts for it. Must be below min_vaf.
     */
    double min_fraction = 0.005;
    /*!\brief Base qualities above this count as this (the error floor of the model: Q30 = 1e-3 per base).
     * \details Reported qualities above Q30 over-state the accuracy of amplicon data, where PCR errors of
     *          1e-4..1e-3 per base add to the sequencer's; without a cap, a Q40 run would call PCR errors.
     */
    int max_base_quality = 30;
    bool vus = true;                      //!< report variants of unknown significance
    stats::strand_bias_options strand;    //!< amplicon-aware by default
    int junction_anchor = 10;             //!< bases a read must align on each side of a fusion junction
};

//!\brief The three answers for one catalogue entry in one sample.
enum class status : uint8_t
{
    detected,
    not_detected,
    not_assessable
};

//!\brief "DETECTED", "NOT_DETECTED", "NOT_ASSESSABLE".
std::string_view to_string(status s) noexcept;

//!\brief One variant (catalogue entry or VUS) in one sample.
struct variant_call
{
    bool vus = false;            //!< true: not in the catalogue
    std::string id;              //!< "ABL1:T315I" (VUS: "ABL1:p.X123Y" built the same way)
    std::string gene;
    std::string name;            //!< "T315I"
    std::string transcript;      //!< panel contig
    int64_t codon = 0;           //!< amino-acid number
    int64_t offset = 0;          //!< 0-based position of the codon's first base on `transcript`
    std::string ref_codon;
    std::vector<std::string> alt_codons; //!< the routes (catalogue) or the one observed codon (VUS)
    std::vector<std::string> hgvs_c;     //!< one per alt codon
    std::string hgvs_p;
    status call = status::not_assessable;
    uint64_t depth = 0;                  //!< molecules with a passing codon
    uint64_t ref_molecules = 0;          //!< molecules showing the reference codon
    uint64_t alt_molecules = 0;          //!< molecules showing any alt codon
    std::vector<uint64_t> alt_per_codon; //!< per alt codon
    double fraction = 0.0;               //!< alt_molecules / depth
    stats::interval ci{};                //!< Wilson 95 %
    std::optional<double> lod;           //!< limit of detection at this depth (nullopt: cannot detect at all)
    double qual = 0.0;                   //!< -10 log10 p (capped at 9999)
    std::optional<uint64_t> critical;    //!< smallest significant alt count
    stats::strand_counts strands{};
    stats::strand_bias bias{};
    std::string reason;                  //!< why NOT_ASSESSABLE ("no coverage", "LOD 7.2% > 3%", ...)
    catalogue::mutation const * entry = nullptr; //!< the catalogue entry (nullptr for VUS)
};

//!\brief Evidence from molecules covering two variants.
struct compound_call
{
    std::string first;  //!< variant id
    std::string second; //!< variant id
    std::string name;   //!< "T315I+E255V"
    pileup::link_counts counts{};
    std::string evidence; //!< "cis", "trans", "cis+trans" (both subclones), "not_linked" (no spanning molecule)
    double cis_fraction = 0.0; //!< both / molecules spanning both codons
    stats::interval ci{};
    std::vector<std::string> catalogue_matches; //!< names of abl1_compound.tsv rows that this compound matches
    std::vector<std::string> drugs_affected;    //!< from the matching rows
};

//!\brief BCR::ABL1 transcript type from junction reads.
struct fusion_call
{
    bool assessable = true;                  //!< false for inputs where junctions cannot be counted
    std::string note;                        //!< e.g. why not assessable
    std::map<std::string, uint64_t> reads;   //!< "e13a2" -> junction-spanning reads (every type, 0 included)
    std::string type;                        //!< the type(s) found, "e13a2" or "e13a2+e14a2"; "none found"
};

//!\brief The interpretation for one drug.
enum class drug_verdict : uint8_t
{
    resistant,
    reduced_sensitivity,
    no_known_resistance_detected,
    not_assessable
};

//!\brief "resistant", "reduced_sensitivity", "no_known_resistance_detected", "not_assessable".
std::string_view to_string(drug_verdict v) noexcept;

//!\brief A finding that drives a drug verdict.
struct drug_driver
{
    std::string variant; //!< "T315I" or a compound name
    std::string effect;  //!< "resistant", "intermediate", or the compound's effect text
    double fraction = 0.0;
    std::optional<double> ic50_fold;
    std::vector<std::string> sources;
};

struct drug_call
{
    std::string drug;
    drug_verdict verdict = drug_verdict::no_known_resistance_detected;
    std::vector<drug_driver> drivers;       //!< detected entries that are resistant/intermediate for this drug
    std::vector<std::string> unassessable;  //!< entries relevant to the drug that could not be ruled out
};

//!\brief Per-codon coverage of a region (for plots and QC).
struct codon_coverage
{
    std::string gene;
    int64_t codon = 0;
    uint64_t depth = 0;
    std::optional<double> lod;
    bool catalogue = false; //!< a catalogue position
};

//!\brief Everything called in one sample.
struct sample_result
{
    std::string name;
    std::string input;                  //!< the BAM/CRAM read
    std::vector<std::string> reads;     //!< FASTQ files aligned internally (empty for BAM input)
    pileup::reference_kind reference = pileup::reference_kind::panel;
    std::vector<variant_call> calls;    //!< one per catalogue entry, in catalogue order
    std::vector<variant_call> vus;      //!< detected VUS, by gene and codon
    std::vector<compound_call> compounds;
    fusion_call fusion;
    std::vector<drug_call> drugs;
    std::vector<codon_coverage> coverage; //!< ABL1 kinase domain codons 229-500 and SLC19A1 catalogue codons
    uint64_t catalogue_tests = 0;       //!< Bonferroni family size of the catalogue test
    uint64_t vus_tests = 0;             //!< Bonferroni family size of the VUS test
    //!\brief The pileups of the VUS-region codons (kept so complete_vus() can evaluate other samples' VUS here).
    std::vector<pileup::codon_pileup> region_piles;
};

//!\brief The VUS regions: ABL1 kinase domain codons 229-500 (NM_005157.6), SLC19A1 CDS (all codons).
struct vus_region
{
    std::string gene;
    std::string contig;
    int64_t first_codon = 0;
    int64_t last_codon = 0;
};

//!\brief The default VUS regions for `panel` (those whose contig is present).
std::vector<vus_region> default_vus_regions(reference::panel const & panel);

/*!\brief Call one sample from a sorted, indexed BAM/CRAM.
 * \throws input_error (file unreadable, unsorted, unindexed, unknown reference), config_error (bad options).
 */
sample_result call_sample(std::string const & name,
                          std::string const & path,
                          reference::panel const & panel,
                          catalogue::catalogue const & cat,
                          call_options const & options);

/*!\brief The evidence of a compound from its molecule counts: "not_linked" (no molecule spans both codons), "cis"
 *        (at least max(`min_alt`, `min_fraction` of the spanning molecules) carry both), "cis+trans" (also at least
 *        `min_alt` with each one alone: two clones), "trans" (fewer than that with both, some with each alone), else
 *        "undetermined"; and the cis fraction with its Wilson interval. The fraction floor keeps the few chimeric
 *        molecules of PCR recombination between two clones from reading as a compound clone.
 */
void classify_compound(compound_call & cc, uint64_t min_alt, double min_fraction = 0.0);

/*!\brief The per-drug verdicts of a sample from its catalogue calls and compounds (see drug_verdict):
 *        resistant if a DETECTED entry is rated resistant for the drug (or a cis compound lists the drug), else
 *        reduced_sensitivity if one is rated intermediate, else not_assessable if an entry rated resistant or
 *        intermediate for the drug is NOT_ASSESSABLE, else no_known_resistance_detected. Drugs in catalogue order.
 */
std::vector<drug_call> interpret_drugs(sample_result const & s, catalogue::catalogue const & cat);

/*!\brief Several samples: a VUS detected in one sample is evaluated (and reported, whatever its status) in every
 *        other sample, from the pileups kept in `region_piles`, so the matrix and the VCF have a value everywhere.
 */
void complete_vus(std::vector<sample_result> & samples, call_options const & options);

} // namespace chemores::call
