// libFuzzer harness: the HGVS parser (chemores::catalogue::parse_hgvs_c / parse_hgvs_p / apply_to_codon).
//
// Input: the text of one HGVS expression (any bytes).
// Contract checked (hgvs.hpp: "never throw and never read past the input"):
//   * both parsers return either a value or a non-empty error, and never throw;
//   * a parsed change prints in canonical form, and that form parses back to the same change (round trip);
//   * apply_to_codon on every codon the change touches, with every reference codon of a small set, returns
//     either a 3-base codon that differs from the reference or an error.

#include <chemores/catalogue/hgvs.hpp>

#include "fuzz_util.hpp"

#include <cstdint>
#include <string>
#include <string_view>

using chemores::fuzz::check;

using namespace chemores::catalogue;

extern "C" int LLVMFuzzerTestOneInput(uint8_t const * data, size_t size)
{
    std::string_view const text{reinterpret_cast<char const *>(data), size};

    auto const c = parse_hgvs_c(text);
    check(c.value.has_value() != !c.error.empty());
    if (c)
    {
        check(c->start >= 1 && c->end >= c->start);
        auto const canonical = c->to_string();
        auto const again = parse_hgvs_c(canonical);
        check(again.value.has_value());
        auto expected = *c;
        expected.reference.clear();
        check(*again == expected);
        static constexpr std::string_view refs[] = {"ACT", "GGG", "TAA", "CAT"};
        for (int64_t codon = (c->start + 2) / 3; codon <= (c->end + 2) / 3 && codon < (c->start + 2) / 3 + 2; ++codon)
            for (auto ref : refs)
            {
                auto const alt = apply_to_codon(*c, codon, ref);
                check(alt.value.has_value() != !alt.error.empty());
                if (alt)
                    check(alt->size() == 3 && *alt != ref);
            }
    }

    auto const p = parse_hgvs_p(text);
    check(p.value.has_value() != !p.error.empty());
    if (p)
    {
        check(p->position >= 1 && p->ref_aa != 0 && p->alt_aa != 0 && p->ref_aa != p->alt_aa);
        for (auto const & form : {p->to_string(), p->to_short_string(), "p.(" + p->to_string().substr(2) + ")"})
        {
            auto const again = parse_hgvs_p(form);
            check(again.value.has_value());
            check(again->ref_aa == p->ref_aa && again->alt_aa == p->alt_aa && again->position == p->position);
        }
    }
    return 0;
}
