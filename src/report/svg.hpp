#pragma once
//!\file
//!\brief Internal to chemores_report: the inline SVG plots (no script, no external resource; they print as drawn).

#include <chemores/report/report.hpp>

#include <string>
#include <vector>

namespace chemores::report::detail
{

/*!\brief Depth (log scale) per codon of `gene` over [first, last], the catalogue codons as a strip coloured by
 *        status, detected mutations marked and labelled, and the limit of detection per codon as a second panel
 *        with its own (log) axis and the `min_vaf` threshold. `first`/`last` <= 0: the gene's codons in the data.
 * \returns an empty string if the sample has no coverage record for `gene`.
 */
std::string coverage_svg(nlohmann::json const & sample,
                         std::string const & gene,
                         int64_t first,
                         int64_t last,
                         double min_vaf,
                         std::string const & id);

//!\brief Detected variants: fraction with its 95 % interval (dot and whisker) and the limit of detection (tick).
std::string fraction_svg(std::vector<nlohmann::json const *> const & variants, std::string const & id);

//!\brief Resistance-associated miRNAs: CPM per sample (log scale), grouped bars. `rows`/`samples` index `m`.
std::string mirna_svg(mirna_results const & m,
                      std::vector<size_t> const & rows,
                      std::vector<size_t> const & samples,
                      std::string const & id);

} // namespace chemores::report::detail
