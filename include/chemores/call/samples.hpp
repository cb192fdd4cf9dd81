#pragma once
//!\file
//!\brief The samples of `chemores call`: from a sample sheet (`--samples`) or from the files on the command line.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace chemores::call
{

//!\brief One sample: a BAM/CRAM, or FASTQ file(s) to align first.
struct sample_input
{
    std::string name;
    std::string bam;                //!< empty for a FASTQ sample
    std::vector<std::string> fastq; //!< R1 [R2]; empty for a BAM/CRAM sample
    std::string origin;             //!< where it was declared ("SHEET line N" or "command line")

    bool operator==(sample_input const &) const = default;
};

/*!\brief Parses a sample sheet: TSV with a header naming `sample` and `bam` and/or `fastq_1` [`fastq_2`].
 * \param origin the sheet's name in messages and in sample_input::origin (its path).
 * \param text   the whole sheet. Blank lines and lines starting with '#' are skipped; CRLF line ends accepted;
 *               other columns are ignored; empty, "." or "NA" cells are empty.
 * \param base   relative paths in the sheet are taken relative to this directory (the sheet's), unless it is empty.
 * \details Each row gives either a `bam` or `fastq_1` [`fastq_2`], not both; rows of empty cells are skipped. Sample
 *          names are non-empty, without white space, slashes or control characters (they become file names);
 *          duplicates are refused.
 * \throws chemores::input_error naming `origin` and the line: no header or no sample row, a header without `sample`
 *         or without both `bam` and `fastq_1`, one of those four columns named twice, a row with more non-empty
 *         cells than the header, CR-only line ends, binary data (control characters other than tab outside
 *         comment lines), an invalid or duplicate name, bam and FASTQ both or neither, fastq_2 without fastq_1.
 */
std::vector<sample_input> parse_sample_sheet(std::string const & origin, std::string_view text,
                                             std::filesystem::path const & base);

//!\brief Reads and parses the sheet at `path` (relative paths relative to its directory).
//!\throws chemores::input_error if it cannot be read, or as parse_sample_sheet().
std::vector<sample_input> read_sample_sheet(std::string const & path);

/*!\brief Samples from the inputs on the command line.
 * \details BAM/CRAM/SAM: one sample each, named by the single @RG SM of its header, else by the file name. FASTQ:
 *          one file is one single-end sample; two files without R1/R2 marks one paired sample named by their
 *          common prefix; otherwise mates are paired by their marks (_R1_/_R2_, _R1./_R2., .R1./.R2., _1./_2., .1./.2.).
 * \throws chemores::config_error if FASTQ mates cannot be paired.
 */
std::vector<sample_input> samples_from_arguments(std::vector<std::string> const & inputs);

//!\brief The file name without directory and without its extensions .gz/.bgz, .fq/.fastq/.fa/.fasta,
//!       .bam/.cram/.sam (any case): "runs/P1.sam.gz" -> "P1". Samples from the command line are named so.
std::string file_stem(std::string const & path);

} // namespace chemores::call
