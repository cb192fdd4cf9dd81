#pragma once
//!\file
//!\brief `chemores report`: a self-contained HTML report (one sample, or a cohort) rendered from the result.json of
//!       `chemores call`, optional miRNA results from `chemores mirna quant`, and MultiQC custom-content files.
//!\details Everything is rendered in memory from validated input; the CLI writes the files through
//!         chemores::atomic_outputs, so bad input never leaves a half-written report. The HTML has inline CSS and
//!         inline SVG only: no script, no external stylesheet, font or image, nothing fetched over the network.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chemores::report
{

//!\brief A result.json of `chemores call`, read and validated.
struct result_file
{
    std::string path;
    nlohmann::json doc;
};

//!\brief The result.json schema this renderer reads.
inline constexpr std::string_view result_schema = "chemores-call";
inline constexpr int result_schema_version = 1;

/*!\brief Read and validate a result.json.
 * \throws input_error naming `path` (and the JSON path of the offending field) if the file cannot be read, is not
 *         JSON, is not a chemores-call document of schema_version 1, or lacks a field the report needs.
 */
result_file load_result(std::string const & path);

//!\brief Validate a parsed document; `path` names it in errors. Throws input_error.
void validate_result(nlohmann::json const & doc, std::string const & path);

//!\brief Resistance-associated miRNA counts from `chemores mirna quant` (counts.tsv, optional summary.tsv).
struct mirna_results
{
    std::string origin;               //!< the directory or counts file given
    std::vector<std::string> samples; //!< the sample columns of counts.tsv
    std::vector<double> totals;       //!< per sample: sum of its counts.tsv column (the CPM denominator)
    struct row
    {
        std::string mirna;               //!< mature name, e.g. "hsa-miR-21-5p"
        bool in_table = false;           //!< present in counts.tsv
        std::vector<double> counts;      //!< per sample
        std::string targets, drugs, cancers; //!< from references/catalogue/mirna_targets.tsv
    };
    std::vector<row> rows; //!< the resistance-associated miRNAs of mirna_targets.tsv, in its order
    //!\brief Per sample accounting from summary.tsv where present: column -> value, for each sample.
    std::vector<std::string> summary_columns;
    std::vector<std::vector<std::string>> summary; //!< [sample][column]; empty if no summary.tsv
    double cpm(size_t r, size_t s) const
    {
        return totals[s] > 0 ? rows[r].counts[s] * 1e6 / totals[s] : 0.0;
    }
};

/*!\brief Read miRNA results: `path` is the output directory of `chemores mirna quant` (its counts.tsv, and
 *        summary.tsv if present) or a counts.tsv file.
 * \throws input_error naming the file (and line) if it is missing or malformed.
 */
mirna_results load_mirna(std::string const & path);

//!\brief One sample of the report: where it comes from.
struct sample_ref
{
    size_t file = 0;  //!< index into cohort::files
    size_t index = 0; //!< index into that document's "samples"
};

//!\brief Everything one report shows.
struct cohort
{
    std::vector<result_file> files;
    std::vector<sample_ref> samples; //!< in input order, after --sample
    std::optional<mirna_results> mirna;

    nlohmann::json const & sample(size_t i) const
    {
        return files[samples[i].file].doc["samples"][samples[i].index];
    }
    nlohmann::json const & doc_of(size_t i) const
    {
        return files[samples[i].file].doc;
    }
};

/*!\brief Gather the samples of `files` (in order), restricted to `only` if not empty.
 * \throws config_error for a name in `only` that no file has; input_error for a sample name in two files.
 */
cohort make_cohort(std::vector<result_file> files, std::vector<std::string> const & only);

struct html_options
{
    std::string title;     //!< empty: "chemores report: SAMPLE" or "chemores cohort report (N samples)"
    std::string generated; //!< timestamp shown (UTC); empty: now, or SOURCE_DATE_EPOCH if set
    std::string command;   //!< the report command line, for provenance
};

//!\brief The HTML document: a sample report for one sample, a cohort report for several.
std::string render_html(cohort const & c, html_options const & o);

//!\brief A file of MultiQC custom content.
struct output_file
{
    std::string name;
    std::string content;
};

/*!\brief MultiQC custom content: chemores_general_stats_mqc.json (general statistics columns),
 *        chemores_drugs_mqc.json (per-drug verdict table) and, if any sample has a detected mutation,
 *        chemores_mutation_fractions_mqc.json (bar graph, samples x detected mutations, % of molecules).
 */
std::vector<output_file> render_multiqc(cohort const & c);

//!\brief Display label of a drug verdict: "resistant", "reduced sensitivity", "none detected", "not assessable".
std::string_view verdict_label(std::string_view verdict) noexcept;

//!\brief "2025-01-31 12:00 UTC" for SOURCE_DATE_EPOCH if set and valid, else for now.
std::string timestamp_now();

} // namespace chemores::report
