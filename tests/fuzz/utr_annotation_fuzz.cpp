// libFuzzer harness: the UTR annotation table of `chemores mirna sites --utr-annotation`
// (chemores::mirna::parse_utr_annotation: columns utr, gene, transcript, length, genome_note; the note is parsed
// with regular expressions for "ACC tx A..B" and "BUILD chrN:S-E(+|-) [for UTR A..B]").
//
// Input: the table text. Contract checked: returns or throws chemores::input_error; a parsed genome block spans as
// many bases as its UTR stretch, which starts at 1 or later.

#include <chemores/core/errors.hpp>
#include <chemores/mirna/sites_data.hpp>

#include "fuzz_util.hpp"

#include <cstdint>
#include <string>

using chemores::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(uint8_t const * data, size_t size)
{
    try
    {
        auto const a = chemores::mirna::parse_utr_annotation("fuzz.tsv", {reinterpret_cast<char const *>(data), size});
        for (auto const & [name, x] : a)
        {
            check(!name.empty());
            if (x.genome)
                check(x.genome->utr_first >= 1 && x.genome->end >= x.genome->start &&
                      x.genome->end - x.genome->start == x.genome->utr_last - x.genome->utr_first);
        }
    }
    catch (chemores::input_error const &)
    {
    }
    return 0;
}
