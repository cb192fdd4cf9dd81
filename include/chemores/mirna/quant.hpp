#pragma once
//!\file
//!\brief `chemores mirna quant`: small-RNA quantification. FASTQ in (one file per sample); 3' adapter trimming,
//!       length filter, collapsing of identical reads, alignment of the unique reads with the project's aligner in
//!       its small-RNA preset against the miRBase v22 human hairpins, assignment to matures with isomiR
//!       classification (mirGFF3 vocabulary), and a directory of tables (counts, CPM, isomiRs, mirGFF3, summary).
//!       See docs/mirna_quant.md for the rules.

#include <chemores/mirna/quant_annotate.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace chemores::mirna
{

//!\brief Options of run_quant(); the defaults are those of the command line.
struct quant_options
{
    std::vector<std::string> inputs;               //!< FASTQ files (plain, gzip or bgzip), one per sample
    std::vector<std::string> samples;              //!< sample names; empty = from the file names (sample_name())
    std::string output_dir;                        //!< written only when the whole run succeeded
    std::string adapter = "TGGAATTCTCGGGTGCCAAGG"; //!< 3' adapter (Illumina TruSeq small RNA); "" = no trimming
    bool discard_untrimmed = false;                //!< drop reads in which the adapter was not found
    int min_length = 15;                           //!< shortest read kept after trimming
    int max_length = 30;                           //!< longest read kept after trimming
    annotation_options annotation;                 //!< isomiR placement and mature assignment rules
    int threads = 1;                               //!< samples read in parallel, then unique reads aligned in parallel
    std::string simd = "auto";                     //!< alignment kernel (auto, scalar, sse4.1, avx2, avx512bw)
    std::string command_line;                      //!< recorded in run.json
};

//!\brief Per-sample read accounting. Every input read falls in exactly one of: discarded_untrimmed, too_short,
//!       too_long, ambiguous, unmapped, rejected, hairpin_other, assigned.
struct sample_summary
{
    std::string name;
    std::string path;
    std::string md5; //!< MD5 of the input file's bytes
    uint64_t reads_in = 0;
    uint64_t adapter_found = 0;       //!< reads in which the 3' adapter (or a 3' prefix of it) was found
    uint64_t discarded_untrimmed = 0; //!< no adapter and --discard-untrimmed
    uint64_t too_short = 0;           //!< shorter than min_length after trimming (empty reads, adapter dimers)
    uint64_t too_long = 0;            //!< longer than max_length after trimming
    uint64_t ambiguous = 0;           //!< kept length but containing N (or another IUPAC ambiguity)
    uint64_t unique_sequences = 0;    //!< distinct sequences among the reads passed to the aligner
    uint64_t mapped = 0;              //!< reads with at least one alignment to a hairpin
    uint64_t rejected = 0;            //!< mapped, but no alignment fits the isomiR model (mismatches, additions)
    uint64_t hairpin_other = 0;       //!< every accepted alignment lies on a hairpin outside the matures
    uint64_t assigned = 0;            //!< at least one accepted alignment assigned to a mature
    uint64_t multimapped = 0;         //!< assigned or hairpin_other reads shared between several miRNAs/hairpins
    double mature_total = 0;          //!< sum of the sample's column in counts.tsv (the CPM denominator)

    uint64_t no_adapter() const
    {
        return reads_in - adapter_found;
    }
    uint64_t kept() const
    {
        return reads_in - discarded_untrimmed - too_short - too_long - ambiguous;
    }
    uint64_t unmapped() const
    {
        return kept() - mapped;
    }
};

//!\brief What run_quant() did.
struct quant_result
{
    std::vector<sample_summary> samples;
    std::vector<std::string> warnings; //!< also written to run.json; the CLI prints them
    uint64_t unique_sequences = 0;     //!< over all samples
    std::string simd_target;
    std::vector<std::string> files; //!< the files written, in DIR
    //!\brief Resistance-associated miRNAs (catalogue/mirna_targets.tsv) with reads, highest CPM first:
    //!       {mature, per-sample CPM}.
    std::vector<std::pair<std::string, std::vector<double>>> resistance_detected;
    double seconds_reading = 0;   //!< wall time: reading, trimming and collapsing
    double seconds_aligning = 0;  //!< wall time: index, alignment and annotation of the unique sequences
    double seconds_reporting = 0; //!< wall time: aggregation and writing
};

/*!\brief Run the quantification and write DIR/{counts,cpm,multimapped,hairpin_counts,isomirs,summary,
 *        resistance_mirnas}.tsv, DIR/mirna.gff3 and DIR/run.json.
 * \details Every output is written to a temporary file and renamed when all are complete; a failure leaves no
 *          output behind (and removes DIR if this run created it). All outputs except run.json (which records the
 *          command line and thread count) are byte-identical for any thread count.
 * \throws input_error (unreadable or malformed input), config_error (bad options, duplicate sample names),
 *         output_error.
 */
quant_result run_quant(quant_options const & o);

//!\brief Sample name from a path: the file name without directories and without a trailing .gz, then .fastq/.fq.
std::string sample_name(std::string_view path);

//!\brief Format a (possibly fractional) count: integers without decimals, else up to 3 decimals ("2.5", "0.333").
std::string format_count(double v);

} // namespace chemores::mirna
