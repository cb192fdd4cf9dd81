// libFuzzer harness: the VCF input of `chemores mirna sites` (chemores::mirna::read_vcf), placing alleles on the
// bundled 3'UTRs (ABCB1, ABCG2, PTEN) in UTR, transcript and genome coordinates.
//
// Input: byte 0 = presentation mode (plain / gzip / BGZF / truncated; fuzz_util.hpp present()), the rest = the VCF.
// read_vcf() reads a path, so the content is written to a per-process scratch file first.
// Contract checked: read_vcf returns or throws chemores::input_error; every placed allele lies inside its UTR
// (0 <= begin <= end <= UTR length) and its utr_ref is the UTR's sequence there (N matching anything).

#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/mirna/sites_data.hpp>

#include "fuzz_util.hpp"

#include <cstdint>

using chemores::fuzz::check;

namespace
{

std::vector<chemores::mirna::utr_sequence> const & utrs()
{
    static auto const u = chemores::mirna::builtin_utrs();
    return u;
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    (void)utrs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(uint8_t const * data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned const mode = data[0];
    static chemores::fuzz::scratch_file file{".vcf"};
    auto const & path = file.write(chemores::fuzz::present(mode, data + 1, size - 1));
    try
    {
        auto const r = chemores::mirna::read_vcf(path, utrs());
        for (auto const & v : r.variants)
        {
            check(v.utr < utrs().size());
            auto const & u = utrs()[v.utr].codes;
            check(0 <= v.begin && v.begin <= v.end && v.end <= static_cast<int64_t>(u.size()));
            check(v.utr_ref.size() == static_cast<size_t>(v.end - v.begin));
            for (int64_t i = v.begin; i < v.end; ++i)
            {
                char const c = v.utr_ref[static_cast<size_t>(i - v.begin)];
                char const have = chemores::code_to_char[u[static_cast<size_t>(i)]];
                check(c == 'N' || have == 'N' || have == c);
            }
        }
    }
    catch (chemores::input_error const &)
    {
    }
    return 0;
}
