#pragma once
//!\file
//!\brief Nucleotide codes: A=0, C=1, G=2, T=3, N(any IUPAC ambiguity)=4.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chemores
{

inline constexpr uint8_t code_invalid = 0xff;

//!\brief Table from ASCII to code; U/u map to T; IUPAC ambiguity letters map to N (4); anything else is invalid.
inline constexpr std::array<uint8_t, 256> make_dna_table()
{
    std::array<uint8_t, 256> t{};
    for (auto & x : t)
        x = code_invalid;
    auto set = [&](char c, uint8_t v) {
        t[static_cast<unsigned char>(c)] = v;
        t[static_cast<unsigned char>(c - 'A' + 'a')] = v;
    };
    set('A', 0);
    set('C', 1);
    set('G', 2);
    set('T', 3);
    set('U', 3);
    for (char c : std::string_view{"NRYSWKMBDHV"})
        set(c, 4);
    return t;
}
inline constexpr std::array<uint8_t, 256> dna_table = make_dna_table();
inline constexpr char code_to_char[5] = {'A', 'C', 'G', 'T', 'N'};

//!\brief Encode `s` into codes; returns the index of the first invalid character, or npos.
inline size_t encode_dna(std::string_view s, std::vector<uint8_t> & out)
{
    out.resize(s.size());
    for (size_t i = 0; i < s.size(); ++i)
    {
        uint8_t const c = dna_table[static_cast<unsigned char>(s[i])];
        if (c == code_invalid)
            return i;
        out[i] = c;
    }
    return std::string_view::npos;
}

inline void reverse_complement(std::vector<uint8_t> const & in, std::vector<uint8_t> & out)
{
    out.resize(in.size());
    for (size_t i = 0, n = in.size(); i < n; ++i)
        out[n - 1 - i] = in[i] == 4 ? 4 : static_cast<uint8_t>(3 - in[i]);
}

inline std::string reverse_complement(std::string_view s)
{
    std::string r(s.size(), 'N');
    for (size_t i = 0, n = s.size(); i < n; ++i)
    {
        uint8_t const c = dna_table[static_cast<unsigned char>(s[i])];
        r[n - 1 - i] = c < 4 ? code_to_char[3 - c] : 'N';
    }
    return r;
}

} // namespace chemores
