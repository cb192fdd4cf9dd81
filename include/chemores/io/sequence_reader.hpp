#pragma once
//!\file
//!\brief Streaming FASTA/FASTQ reader (plain, gzip or bgzip; "-" = stdin) with line-accurate errors.

#include <cstdint>
#include <memory>
#include <string>

namespace chemores::io
{

struct sequence_record
{
    std::string name;    //!< up to the first whitespace, without '@'/'>'
    std::string comment; //!< rest of the header line
    std::string seq;     //!< as read (validated: IUPAC letters only)
    std::string qual;    //!< Phred+33; empty for FASTA
    uint64_t line = 0;   //!< 1-based line number of the header
};

enum class sequence_format
{
    unknown,
    fasta,
    fastq
};

/*!\brief Reads FASTA (multi-line) or FASTQ (4 lines per record) records one at a time.
 * \details The format is detected from the first character. Every malformed input raises chemores::input_error
 *          naming the file and the line: a record without '@'/'>', a missing '+' line, sequence/quality length
 *          mismatch, characters outside IUPAC, a truncated or corrupt gzip stream.
 */
class sequence_reader
{
public:
    explicit sequence_reader(std::string path);
    //!\brief Read from an already opened htslib hFILE (ownership is taken); `path` names it in messages.
    sequence_reader(void * hfile, std::string path);
    ~sequence_reader();
    sequence_reader(sequence_reader const &) = delete;
    sequence_reader & operator=(sequence_reader const &) = delete;

    //!\brief Read the next record; false at the end of the input (an empty input is not an error).
    bool read(sequence_record & rec);

    sequence_format format() const
    {
        return format_;
    }
    std::string const & path() const
    {
        return path_;
    }
    //!\brief Records read so far.
    uint64_t records() const
    {
        return records_;
    }

private:
    void detect();
    bool getline(std::string & line);
    [[noreturn]] void fail(uint64_t line, std::string const & msg) const;
    void validate_sequence(std::string const & seq, uint64_t line) const;

    struct impl;
    std::unique_ptr<impl> impl_;
    std::string path_;
    sequence_format format_ = sequence_format::unknown;
    uint64_t line_no_ = 0;
    uint64_t records_ = 0;
    std::string pending_; //!< FASTA: header line read ahead
    bool has_pending_ = false;
    bool eof_ = false;
};

} // namespace chemores::io
