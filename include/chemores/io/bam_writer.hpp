#pragma once
//!\file
//!\brief SAM/BAM/CRAM output through htslib: format from -O or the file extension, compression level,
//!       htslib thread pool, on-the-fly index (--write-index), optional coordinate sort with bounded memory.

#include <chemores/core/atomic_output.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

typedef struct sam_hdr_t sam_hdr_t;
typedef struct bam1_t bam1_t;

namespace chemores::io
{

enum class alignment_format
{
    sam,
    bam,
    cram
};

struct bam_writer_options
{
    std::string path = "-";             //!< "-" = stdout
    std::string format;                 //!< "SAM", "BAM", "CRAM" (case-insensitive) or empty: from the extension
    std::vector<std::string> fmt_options; //!< htslib output-format options, e.g. "level=1"
    int threads = 1;
    bool sort = false;
    bool write_index = false;
    uint64_t sort_memory = 768ull << 20; //!< bytes of records held before spilling a sorted chunk
    std::string reference_fasta;         //!< needed for CRAM
};

//!\brief Resolve the output format from an explicit -O value and the output path; throws config_error.
alignment_format resolve_format(std::string const & explicit_format, std::string const & path);

class bam_writer
{
public:
    //!\brief Opens the output (under a temporary name registered in `outputs`) and writes the header.
    bam_writer(bam_writer_options const & o, sam_hdr_t const * header, atomic_outputs & outputs);
    ~bam_writer();
    bam_writer(bam_writer const &) = delete;
    bam_writer & operator=(bam_writer const &) = delete;

    //!\brief Write one record (takes ownership when sorting, otherwise copies).
    void write(bam1_t * b);
    //!\brief Flush, merge sorted chunks, write the index and close; throws output_error on any failure.
    void close();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace chemores::io
