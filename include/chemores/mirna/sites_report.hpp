#pragma once
//!\file
//!\brief Outputs of `chemores mirna sites`: per-(miRNA, UTR) and per-seed-family summaries, the literature pairs
//!       with their canonical sites, and the TSV, BED, GFF3 and JSON writers.

#include <array>
#include <chemores/mirna/sites.hpp>
#include <chemores/mirna/sites_data.hpp>
#include <cstdint>
#include <iosfwd>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace chemores::mirna
{

//!\brief Counts of one miRNA in one UTR.
struct pair_summary
{
    uint32_t mirna = 0;
    uint32_t utr = 0;
    std::array<uint32_t, site_type_count> counts{}; //!< by site_type
    uint32_t near_stop = 0;                         //!< sites flagged near_stop (counted in `counts` too)
    std::vector<site> canonical;                    //!< the canonical sites, in UTR order
    std::vector<literature_pair> literature;        //!< literature rows naming this miRNA and the UTR's gene
};

//!\brief One summary per (miRNA, UTR), miRNA-major, every combination (zero counts included).
std::vector<pair_summary> summarise_pairs(site_finder const & finder,
                                          std::vector<utr_sequence> const & utrs,
                                          std::vector<site> const & sites,
                                          std::vector<literature_pair> const & literature);

//!\brief Distinct sites of one seed family (miRNAs with the same nt 2-8) in one UTR; centered sites excluded.
struct family_summary
{
    uint32_t group = 0;
    uint32_t utr = 0;
    std::array<uint32_t, site_type_count> counts{};
};

//!\brief One summary per (seed group, UTR), group-major.
std::vector<family_summary>
summarise_families(site_finder const & finder, std::vector<utr_sequence> const & utrs, std::vector<site> const & sites);

//!\brief A literature pair of a selected miRNA with what the scan found.
struct literature_status
{
    literature_pair pair;
    uint32_t mirna = 0;          //!< index in the finder
    std::vector<uint32_t> utrs;  //!< scanned UTRs of the pair's gene
    std::vector<site> canonical; //!< canonical sites of the miRNA in those UTRs
    //!\brief "canonical_site", "no_canonical_site" or "gene_not_scanned".
    std::string status() const
    {
        return utrs.empty() ? "gene_not_scanned" : canonical.empty() ? "no_canonical_site" : "canonical_site";
    }
};

//!\brief The literature pairs whose miRNA was scanned, in table order.
std::vector<literature_status> literature_report(site_finder const & finder,
                                                 std::vector<utr_sequence> const & utrs,
                                                 std::vector<site> const & sites,
                                                 std::vector<literature_pair> const & literature);

//!\brief Coordinates of the BED and GFF3 tracks.
enum class track_coords
{
    utr,        //!< seqid = UTR record name
    transcript, //!< seqid = transcript accession (sites of UTRs without transcript coordinates are left out)
    genome,     //!< seqid = chromosome (sites without genome coordinates are left out)
};

//!\brief "8mer:12-19,6mer:40-45" (or "." if empty).
std::string format_site_list(std::vector<site> const & sites);

//!\brief One row per site; the first columns are mirna, utr, site_type, start, end.
void write_sites_tsv(std::ostream & os,
                     site_finder const & finder,
                     std::vector<utr_sequence> const & utrs,
                     std::vector<site> const & sites);
//!\brief BED6 track; returns the number of sites left out (no coordinates in the requested system).
size_t write_bed(std::ostream & os,
                 site_finder const & finder,
                 std::vector<utr_sequence> const & utrs,
                 std::vector<site> const & sites,
                 track_coords coords);
//!\brief GFF3 track (type miRNA_target_site, SO:0000934); returns the number of sites left out.
size_t write_gff3(std::ostream & os,
                  site_finder const & finder,
                  std::vector<utr_sequence> const & utrs,
                  std::vector<site> const & sites,
                  track_coords coords);
void write_summary_tsv(std::ostream & os,
                       site_finder const & finder,
                       std::vector<utr_sequence> const & utrs,
                       std::vector<pair_summary> const & summary);
void write_families_tsv(std::ostream & os,
                        site_finder const & finder,
                        std::vector<utr_sequence> const & utrs,
                        std::vector<family_summary> const & families);
//!\brief One row per site change, and one row with effect "none" for an allele that changes no site.
void write_variants_tsv(std::ostream & os,
                        site_finder const & finder,
                        std::vector<utr_sequence> const & utrs,
                        std::vector<variant_effect> const & effects);

//!\brief JSON of one site (null for missing values).
nlohmann::json site_json(site_finder const & finder, std::vector<utr_sequence> const & utrs, site const & s);
//!\brief JSON of everything except provenance: miRNAs, UTRs, sites, summaries, families, literature, variants.
nlohmann::json results_json(site_finder const & finder,
                            std::vector<utr_sequence> const & utrs,
                            std::vector<site> const & sites,
                            std::vector<pair_summary> const & summary,
                            std::vector<family_summary> const & families,
                            std::vector<literature_status> const & literature,
                            std::vector<variant_effect> const * variants);

} // namespace chemores::mirna
