// libFuzzer harness: chemores::io::sequence_reader (FASTA/FASTQ; plain, gzip and BGZF paths).
//
// Input: byte 0 selects how the rest is presented to the reader; the rest is the file content.
//   mode % 4 == 0  the bytes as they are (a raw .fq.gz from the seed corpus takes the gzip path)
//   mode % 4 == 1  gzip-compressed here (zlib, ordinary gzip), so the reader's own inflate loop sees valid streams
//   mode % 4 == 2  BGZF-compressed here (htslib bgzf_compress blocks + EOF marker)
//   mode % 4 == 3  gzip-compressed, then cut short by (mode >> 2) bytes: truncated streams must be an input_error
// Bit 4 of the mode, for mode 2: leave out the BGZF end-of-file marker (must be an input_error, not a crash).
// The reader gets the data through an in-memory htslib hFILE ("mem:"), the same code path as a file on disk.
//
// Contract checked: read() either returns records or throws chemores::input_error; every FASTQ record has a
// quality string as long as its sequence; every sequence character is an IUPAC code; names are non-empty.

#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/io/sequence_reader.hpp>

#include "fuzz_util.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <htslib/hfile.h>
#include <string>


extern "C" int LLVMFuzzerTestOneInput(uint8_t const * data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned const mode = data[0];
    ++data;
    --size;
    std::string const content = chemores::fuzz::present(mode, data, size);

    // hopen("mem:", "r:", buffer, size) takes ownership of a malloc'ed buffer.
    char * buf = static_cast<char *>(std::malloc(content.size() + 1));
    if (!buf)
        return 0;
    std::memcpy(buf, content.data(), content.size());
    hFILE * h = hopen("mem:", "r:", buf, content.size());
    if (!h)
    {
        std::free(buf);
        return 0;
    }
    try
    {
        chemores::io::sequence_reader reader{h, "fuzz-input"};
        chemores::io::sequence_record rec;
        uint64_t n = 0;
        while (reader.read(rec))
        {
            ++n;
            if (rec.name.empty())
                __builtin_trap();
            if (reader.format() == chemores::io::sequence_format::fastq && rec.qual.size() != rec.seq.size())
                __builtin_trap();
            for (char c : rec.seq)
                if (chemores::dna_table[static_cast<unsigned char>(c)] == chemores::code_invalid)
                    __builtin_trap();
        }
        if (reader.records() != n)
            __builtin_trap();
    }
    catch (chemores::input_error const &)
    {
        // malformed input: the documented outcome
    }
    return 0;
}
