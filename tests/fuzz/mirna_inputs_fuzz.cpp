// libFuzzer harness: the other inputs of `chemores mirna sites`: --utrs FASTA (mirna::read_utr_fasta), --mirnas
// FASTA (mirna::read_mirna_fasta), --mirnas names (mirna::resolve_mirnas) and --genes (mirna::select_genes).
//
// Input: byte 0 selects the input (mod 3): 0 = a UTR FASTA, 1 = a miRNA FASTA (both written to a per-process
// scratch file), 2 = --mirnas items and --genes, one per line ("genes:" before a line makes it a gene).
// Contract checked: each returns or throws chemores::input_error (files) or config_error (names); UTRs have unique
// non-empty names, a gene, and codes 0..4; matures have a name, codes 0..4 as long as the sequence, which is
// upper-case RNA; resolved names give no duplicate and every one is a bundled mature (items naming an existing path
// are not passed, so nothing outside the scratch file is read); selected genes are a subset of the bundled UTRs.

#include <chemores/core/errors.hpp>
#include <chemores/mirna/sites_data.hpp>

#include "fuzz_util.hpp"

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>

using chemores::fuzz::check;
using namespace chemores::mirna;

namespace
{
void check_matures(std::vector<mature_mirna> const & m)
{
    for (auto const & x : m)
    {
        check(!x.name.empty() && x.codes.size() == x.sequence.size());
        for (size_t i = 0; i < x.codes.size(); ++i)
            check(x.codes[i] <= 4 && std::string_view{"ACGUN"}.find(x.sequence[i]) != std::string_view::npos);
    }
}

std::set<std::string> const & bundled_names()
{
    static auto const names = [] {
        std::set<std::string> s;
        for (auto const & m : builtin_matures())
            s.insert(m.name);
        return s;
    }();
    return names;
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    (void)bundled_names();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(uint8_t const * data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned const mode = data[0] % 3;
    std::string const text{reinterpret_cast<char const *>(data + 1), size - 1};
    static chemores::fuzz::scratch_file file{".fa"};
    try
    {
        if (mode == 0)
        {
            auto const utrs = read_utr_fasta(file.write(text));
            std::set<std::string> names;
            for (auto const & u : utrs)
            {
                check(!u.name.empty() && names.insert(u.name).second && !u.annotation.gene.empty() && !u.codes.empty());
                for (auto c : u.codes)
                    check(c <= 4);
            }
        }
        else if (mode == 1)
            check_matures(read_mirna_fasta(file.write(text)));
        else
        {
            std::vector<std::string> items, genes;
            size_t start = 0;
            while (start <= text.size())
            {
                size_t const end = std::min(text.find('\n', start), text.size());
                std::string line = text.substr(start, end - start);
                start = end + 1;
                std::error_code ec;
                if (line.find('\0') == std::string::npos && std::filesystem::exists(line, ec))
                    continue; // an existing path: resolve_mirnas would read that file
                if (line.starts_with("genes:"))
                    genes.push_back(line.substr(6));
                else
                    items.push_back(std::move(line));
            }
            try
            {
                auto const m = resolve_mirnas(items);
                check_matures(m);
                std::set<std::string> seen;
                for (auto const & x : m)
                    check(seen.insert(x.name).second && bundled_names().contains(x.name));
            }
            catch (chemores::config_error const &)
            {
            }
            static auto const all = builtin_utrs();
            auto const kept = select_genes(all, genes);
            check(kept.size() <= all.size());
        }
    }
    catch (chemores::input_error const &)
    {
    }
    catch (chemores::config_error const &)
    {
    }
    return 0;
}
