#pragma once
// A deterministic small-RNA read simulator for the tests of `chemores mirna quant`: reads of chosen matures with
// chosen isomiR shifts, non-templated 3' additions and substitutions, followed by the TruSeq small-RNA 3' adapter
// (or not), from the panel files (references/panel/mirna_hairpins.fa, mirna_matures.tsv). The generator is
// splitmix64, so the output is identical on every platform.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace chemores::test::mirna_sim
{

//!\brief splitmix64.
struct rng
{
    uint64_t s;
    uint64_t next();
    uint64_t below(uint64_t n)
    {
        return n ? next() % n : 0;
    }
};

//!\brief Hairpins and matures read from the panel directory (independently of the library under test).
struct hairpin_db
{
    struct mature
    {
        std::string name, hairpin;
        int start = 0, end = 0; // 1-based inclusive
    };
    std::map<std::string, std::string> hairpins;
    std::vector<mature> matures; // in file order

    static hairpin_db load(std::string const & panel_dir);
    //!\brief The mature `name` on `hairpin` ("" = its first locus in the file). Throws std::runtime_error.
    mature const & find(std::string const & name, std::string const & hairpin = "") const;
};

//!\brief A group of identical simulated molecules.
struct species
{
    std::string label;   //!< read names are <label>_<i>
    std::string mature;  //!< mature name; empty when `insert` is given
    std::string hairpin; //!< locus of the mature ("" = the first in mirna_matures.tsv)
    int shift5 = 0;      //!< iso_5p: templated start - mature start
    int shift3 = 0;      //!< iso_3p: templated end - mature end
    std::string add3p;   //!< non-templated 3' nucleotides (checked to differ from the hairpin there)
    int snv_pos = 0;     //!< 1-based position of a transition in the templated part (0 = none)
    char snv_base = 0;   //!< the substituted base (0 = the transition of the reference base)
    std::string insert;  //!< explicit insert (random, loop fragment, ...) instead of a mature
    bool explicit_insert = false;
    int count = 1;
    bool adapter = true; //!< false: the read is the insert alone (no adapter in the read)
};

//!\brief The molecule (insert) of a species. Throws std::runtime_error if the spec cannot be built.
std::string insert_of(hairpin_db const & db, species const & s);

struct read
{
    std::string name, seq;
};

//!\brief TruSeq small-RNA 3' adapter as it appears in the reads (the trimmed adapter is its first 21 nt).
inline constexpr char adapter[] = "TGGAATTCTCGGGTGCCAAGGAACTCCAGTCAC";

//!\brief Reads of every species (insert + adapter + random bases, cut to `read_length`; or the insert alone),
//!       shuffled with `seed`.
std::vector<read>
simulate(hairpin_db const & db, std::vector<species> const & spec, uint64_t seed, int read_length = 50);

//!\brief Random A/C/G/T sequence.
std::string random_sequence(rng & r, int n);

//!\brief Write FASTQ (quality 'I'), gzip-compressed if `path` ends in .gz.
void write_fastq(std::string const & path, std::vector<read> const & reads);

} // namespace chemores::test::mirna_sim
