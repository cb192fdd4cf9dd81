// libFuzzer harness: the user catalogue loader (chemores::catalogue::catalogue::validate / load with
// load_options::texts), validated against the built-in transcript panel, and the name lookup of the result.
//
// Input: one or two user catalogue TSVs (columns of abl1_mutations.tsv), separated by a line "%%" (two files exercise
// the cross-file duplicate check). The bundled catalogue is not loaded (it is the same loader code, and validating it
// on every input would cost most of the time); references/catalogue/abl1_mutations.tsv is in the seed corpus.
// Contract checked: validate() returns a report and never throws for any text; when it reports no errors, load()
// succeeds with the same entries, and every entry is found by its id, GENE:hgvs_p and TRANSCRIPT:c. routes.

#include <chemores/catalogue/catalogue.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/reference/panel.hpp>

#include "fuzz_util.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

using chemores::fuzz::check;

using namespace chemores;

namespace
{

reference::panel const & transcripts()
{
    static auto const p = reference::panel::builtin("transcripts");
    return p;
}

bool finds(catalogue::catalogue const & cat, std::string_view name, catalogue::mutation const & m)
{
    auto const hits = cat.find(name);
    return std::find(hits.begin(), hits.end(), &m) != hits.end();
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    (void)transcripts();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(uint8_t const * data, size_t size)
{
    std::string_view const text{reinterpret_cast<char const *>(data), size};
    catalogue::load_options o;
    o.builtin = false;
    auto const sep = text.find("\n%%\n");
    o.texts.emplace_back("fuzz1.tsv", std::string{text.substr(0, sep)});
    if (sep != std::string_view::npos)
        o.texts.emplace_back("fuzz2.tsv", std::string{text.substr(sep + 4)});

    catalogue::catalogue cat;
    auto const report = catalogue::catalogue::validate(transcripts(), o, &cat);
    if (!report.errors.empty())
        return 0; // load() would throw the first of them (not re-run here: it would halve the executions)
    // no errors: load() must succeed and give the same entries
    check(catalogue::catalogue::load(transcripts(), o).mutations().size() == cat.mutations().size());

    check(cat.mutations().size() == report.valid_entries);
    for (auto const & m : cat.mutations())
    {
        check(m.ref_codon.size() == 3 && !m.routes.empty());
        check(cat.by_id(m.id) == &m);
        check(finds(cat, m.id, m));
        // a "GENE:" prefix is recognised for gene symbols of [A-Za-z0-9_.-] (hgvs.hpp)
        if (std::all_of(m.gene.begin(), m.gene.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
            }))
            check(finds(cat, m.gene + ":" + m.hgvs_p, m));
        for (auto const & r : m.routes)
            check(finds(cat, m.transcript + ":" + r.hgvs_c, m));
    }
    (void)cat.drugs();
    (void)cat.suggest(text.substr(0, 64));
    (void)cat.find(text.substr(0, 64));
    return 0;
}
