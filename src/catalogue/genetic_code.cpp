#include <array>
#include <chemores/catalogue/genetic_code.hpp>
#include <chemores/core/dna.hpp>

namespace chemores::catalogue
{

namespace
{
// NCBI table 1 indexed by 16 * b1 + 4 * b2 + b3 with A=0, C=1, G=2, T=3 (the codes of core/dna.hpp).
constexpr std::string_view code_table = "KNKNTTTTRSRSIIMIQHQHPPPPRRRRLLLLEDEDAAAAGGGGVVVV*Y*YSSSS*CWCLFLF";

struct aa_name
{
    char one;
    std::string_view three;
};

constexpr std::array<aa_name, 21> aa_names{
    {{'A', "Ala"}, {'R', "Arg"}, {'N', "Asn"}, {'D', "Asp"}, {'C', "Cys"}, {'Q', "Gln"}, {'E', "Glu"},
     {'G', "Gly"}, {'H', "His"}, {'I', "Ile"}, {'L', "Leu"}, {'K', "Lys"}, {'M', "Met"}, {'F', "Phe"},
     {'P', "Pro"}, {'S', "Ser"}, {'T', "Thr"}, {'W', "Trp"}, {'Y', "Tyr"}, {'V', "Val"}, {'*', "Ter"}}};
} // namespace

char translate(uint8_t b1, uint8_t b2, uint8_t b3) noexcept
{
    if (b1 > 3 || b2 > 3 || b3 > 3)
        return unknown_aa;
    return code_table[16u * b1 + 4u * b2 + b3];
}

char translate(std::string_view codon) noexcept
{
    if (codon.size() != 3)
        return unknown_aa;
    auto code = [](char c)
    {
        return dna_table[static_cast<unsigned char>(c)];
    };
    return translate(code(codon[0]), code(codon[1]), code(codon[2]));
}

std::string translate_sequence(std::string_view cds)
{
    std::string protein;
    protein.reserve(cds.size() / 3);
    for (size_t i = 0; i + 3 <= cds.size(); i += 3)
        protein.push_back(translate(cds.substr(i, 3)));
    return protein;
}

bool is_amino_acid(char aa) noexcept
{
    return !three_letter(aa).empty();
}

std::string_view three_letter(char aa) noexcept
{
    for (auto const & n : aa_names)
        if (n.one == aa)
            return n.three;
    return {};
}

char one_letter(std::string_view three) noexcept
{
    for (auto const & n : aa_names)
        if (n.three == three)
            return n.one;
    return 0;
}

std::vector<std::string> codons_for(char aa)
{
    std::vector<std::string> out;
    if (!is_amino_acid(aa))
        return out;
    for (size_t i = 0; i < code_table.size(); ++i)
        if (code_table[i] == aa)
            out.push_back(std::string{code_to_char[i / 16], code_to_char[(i / 4) % 4], code_to_char[i % 4]});
    return out;
}

} // namespace chemores::catalogue
