#pragma once
//!\file
//!\brief Internal to chemores_mirna_quant: aggregation of annotated unique sequences into the output tables.

#include <chemores/mirna/quant.hpp>
#include <chemores/reference/panel.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace chemores::mirna
{

//!\brief The aligner's verdict on one unique sequence.
struct sequence_result
{
    bool mapped = false;
    std::vector<isomir_hit> hits; //!< every equally best hit, annotated, ordered by hairpin then offset
};

//!\brief Everything the report needs.
struct report_input
{
    quant_options const & options;
    std::vector<std::string> const & names;
    reference::panel const & panel;
    mature_table const & matures;
    std::vector<std::string> const & hairpins;    //!< hairpin sequences (A/C/G/T/N), by contig index
    std::vector<std::string> const & sequences;   //!< unique sequences, sorted
    std::vector<uint64_t> const & counts;         //!< [sequence * samples + sample]
    std::vector<sequence_result> const & results; //!< by sequence
    std::vector<sample_summary> summaries;        //!< read accounting so far (reading and trimming)
    std::string simd_target;
};

//!\brief Aggregate, then write every output of DIR atomically. Completes the summaries.
quant_result write_report(report_input & in);

} // namespace chemores::mirna
