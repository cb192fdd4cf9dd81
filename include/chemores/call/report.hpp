#pragma once
//!\file
//!\brief The outputs of `chemores call`: result.json (the record, schema-versioned, with provenance) and what is
//!       rendered from it (calls.tsv, summary.txt, matrix.tsv), and the VCF 4.3.
//!\details The TSV, the text summary and the matrix are rendered from the JSON document, not from the in-memory
//!         results, so anything that reads result.json (the report, the Snakemake cohort step) sees the same values.

#include <chemores/call/caller.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace chemores::call
{

//!\brief result.json schema version: bump on any incompatible change of field names or meanings.
inline constexpr int result_schema_version = 1;

//!\brief Where a run came from (written into result.json and the VCF header).
struct provenance
{
    std::string command;
    std::string simd_target;
    std::string reference_origin;
    std::string reference_checksum;
    catalogue::metadata catalogue;
    call_options options;
};

//!\brief The whole run as a JSON document (see docs/call.md for the fields).
nlohmann::json to_json(std::vector<sample_result> const & samples, provenance const & prov);

//!\brief The column names of calls.tsv, in order.
std::vector<std::string> const & tsv_columns();

//!\brief calls.tsv: one row per sample x catalogue entry, then VUS rows, then compound rows.
std::string render_tsv(nlohmann::json const & result);

//!\brief A plain-text summary per sample: fusion type, drug table, detected variants, what could not be assessed.
std::string render_summary(nlohmann::json const & result);

//!\brief Sample x variant fraction matrix (variants detected in at least one sample; "NA" = not assessable).
std::string render_matrix(nlohmann::json const & result);

//!\brief VCF 4.3 text: a record per variant detected in at least one sample, one sample column per sample.
std::string render_vcf(std::vector<sample_result> const & samples,
                       reference::panel const & panel,
                       provenance const & prov);

/*!\brief Write `vcf_text` bgzip-compressed to `path` and, if `index_path` is not empty, a tabix index there.
 * \throws output_error on any write failure.
 */
void write_bgzf_vcf(std::string const & vcf_text, std::string const & path, std::string const & index_path);

} // namespace chemores::call
