// libFuzzer harness: the exon table parser chemores::pileup::exon_table::from_text (references/panel/exons.tsv, or a
// user table given to `chemores call --exons`), and the transcript -> genome mapping built from it.
//
// Input: the table text. Contract checked: from_text returns or throws chemores::input_error; to_genome() at the
// first and last base of every exon (and just outside) returns nullopt or a position inside the exon's genomic
// interval, for both assemblies, without overflow (UBSan).

#include <chemores/core/errors.hpp>
#include <chemores/pileup/codon_pileup.hpp>

#include "fuzz_util.hpp"

#include <cstdint>
#include <string_view>

using chemores::fuzz::check;

using namespace chemores::pileup;

extern "C" int LLVMFuzzerTestOneInput(uint8_t const * data, size_t size)
{
    std::string_view const text{reinterpret_cast<char const *>(data), size};
    try
    {
        auto const table = exon_table::from_text("fuzz.tsv", text);
        for (auto const & x : table.exons())
        {
            check(x.start <= x.end);
            for (auto const kind : {reference_kind::grch38, reference_kind::hg19, reference_kind::panel})
                for (int64_t pos : {x.start - 2, x.start - 1, x.end - 1, x.end})
                {
                    auto const g = table.to_genome(x.contig, pos, kind);
                    if (!g)
                        continue;
                    check(kind != reference_kind::panel && !g->first.empty() && g->second >= 0);
                }
        }
    }
    catch (chemores::input_error const &)
    {
    }
    return 0;
}
