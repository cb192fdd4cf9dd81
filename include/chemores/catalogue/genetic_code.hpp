#pragma once
//!\file
//!\brief The standard genetic code (NCBI translation table 1) and amino-acid names.
//!\details Amino acids are one-letter codes ('A'..'Y', '*' for a stop). Codons are three nucleotides, either as
//!         text ("ACT", case-insensitive, U read as T) or as the codes 0..4 of core/dna.hpp (A, C, G, T, N).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chemores::catalogue
{

//!\brief One-letter code returned for a codon that contains N, another ambiguity code, or is not 3 bases long.
inline constexpr char unknown_aa = 'X';

//!\brief Translate one codon given as three nucleotide codes (0..4); 'X' if any code is N (4) or invalid.
char translate(uint8_t b1, uint8_t b2, uint8_t b3) noexcept;

//!\brief Translate one codon given as text ("ACT" -> 'T', "TAA" -> '*'); 'X' unless it is exactly 3 of ACGTU.
char translate(std::string_view codon) noexcept;

//!\brief Translate a coding sequence codon by codon (a trailing partial codon is ignored).
std::string translate_sequence(std::string_view cds);

//!\brief True for the 20 standard amino acids and '*' (stop).
bool is_amino_acid(char aa) noexcept;

//!\brief Three-letter name of a one-letter code ('T' -> "Thr", '*' -> "Ter"); empty if `aa` is not an amino acid.
std::string_view three_letter(char aa) noexcept;

//!\brief One-letter code of a three-letter name ("Thr" -> 'T', "Ter" -> '*'); 0 if unknown. Case-sensitive, as
//!       HGVS writes them (first letter upper case, then lower case).
char one_letter(std::string_view three) noexcept;

//!\brief Every codon (upper case, ACGT order) that translates to `aa`; empty if `aa` is not an amino acid.
std::vector<std::string> codons_for(char aa);

} // namespace chemores::catalogue
