#pragma once
//!\file
//!\brief A small HGVS parser for the forms the mutation catalogue uses: coding-DNA substitutions and deletion-
//!       insertions (`c.944C>T`, `c.944_945delinsTG`, optionally prefixed `NM_194255.4:`) and protein
//!       substitutions in three-letter (`p.Thr315Ile`, `p.(Thr315Ile)`) or one-letter short form (`T315I`,
//!       `p.T315I`).
//!\details The parsers never throw and never read past the input: on malformed text they return an error message
//!         saying what is wrong (they are meant to be fuzzed). Positions are CDS positions (c.1 = A of the ATG),
//!         1-based; UTR (`c.-14`, `c.*5`) and intronic (`c.88+1`) positions are rejected as unsupported.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chemores::catalogue
{

//!\brief The value of a parse, or why there is none.
template <typename T>
struct parse_result
{
    std::optional<T> value; //!< set on success
    std::string error;      //!< set on failure: what is wrong with the input

    //!\brief True on success.
    explicit operator bool() const noexcept
    {
        return value.has_value();
    }
    //!\brief The parsed value (only on success).
    T const & operator*() const
    {
        return *value;
    }
    //!\brief Member access to the parsed value (only on success).
    T const * operator->() const
    {
        return &*value;
    }
};

//!\brief The two forms of coding-DNA change the catalogue uses.
enum class c_kind : uint8_t
{
    substitution, //!< c.944C>T
    delins        //!< c.944_945delinsTG (or c.944_945delCTinsTG)
};

//!\brief A parsed coding-DNA change.
struct c_change
{
    std::string reference;              //!< "NM_194255.4" for "NM_194255.4:c.80A>G"; empty without a prefix
    c_kind kind = c_kind::substitution; //!< substitution or delins
    int64_t start = 0;                  //!< first CDS position (1-based)
    int64_t end = 0;                    //!< last CDS position (1-based, inclusive); == start for a substitution
    std::string deleted;  //!< the reference base(s) as written; empty for a delins that does not state them
    std::string inserted; //!< the new base(s)

    //!\brief Canonical text without the reference prefix: "c.944C>T", "c.944_945delinsTG", "c.944delinsT".
    std::string to_string() const;
    bool operator==(c_change const &) const = default;
};

//!\brief A parsed protein substitution.
struct p_change
{
    std::string reference;   //!< "ABL1" for "ABL1:T315I"; empty without a prefix
    char ref_aa = 0;         //!< one-letter code; '*' for Ter
    int64_t position = 0;    //!< codon number, 1-based
    char alt_aa = 0;         //!< one-letter code; '*' for Ter
    bool predicted = false;  //!< written in parentheses: p.(Thr315Ile)
    bool short_form = false; //!< written in one-letter code (T315I, p.T315I)

    //!\brief HGVS three-letter form without prefix or parentheses: "p.Thr315Ile".
    std::string to_string() const;
    //!\brief One-letter short form: "T315I".
    std::string to_short_string() const;
};

//!\brief Parse a coding-DNA substitution or deletion-insertion.
parse_result<c_change> parse_hgvs_c(std::string_view text);

//!\brief Parse a protein substitution: "p.Thr315Ile", "p.(Thr315Ile)", "p.T315I", "T315I", optionally "REF:" first.
parse_result<p_change> parse_hgvs_p(std::string_view text);

/*!\brief Apply `change` to codon number `codon` whose reference bases are `ref_codon`.
 * \returns The changed codon; an error if the change lies outside the codon (c.(3*codon-2) .. c.(3*codon)), states a
 *          reference base that differs from `ref_codon`, changes the length, or leaves the codon unchanged.
 */
parse_result<std::string> apply_to_codon(c_change const & change, int64_t codon, std::string_view ref_codon);

} // namespace chemores::catalogue
