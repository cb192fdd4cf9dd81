// libFuzzer harness: the reference panel parser chemores::reference::panel::from_text (FASTA + transcripts.tsv +
// segments.tsv), which also reads user references through the same code.
//
// Input: up to three sections separated by a line "%%" ("FASTA\n%%\nTRANSCRIPTS_TSV\n%%\nSEGMENTS_TSV").
// Contract checked: from_text returns a panel or throws chemores::input_error; on success every alias segment lies
// inside its contig and its parent, and project() maps every position of a segment into the parent.

#include <chemores/core/errors.hpp>
#include <chemores/reference/panel.hpp>

#include "fuzz_util.hpp"

#include <cstdint>
#include <string_view>

using chemores::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(uint8_t const * data, size_t size)
{
    std::string_view rest{reinterpret_cast<char const *>(data), size};
    std::string_view parts[3];
    for (size_t i = 0; i < 3; ++i)
    {
        auto const sep = i < 2 ? rest.find("\n%%\n") : std::string_view::npos;
        parts[i] = rest.substr(0, sep);
        if (sep == std::string_view::npos)
            break;
        rest.remove_prefix(sep + 4);
    }
    try
    {
        auto const p = chemores::reference::panel::from_text("fuzz", parts[0], parts[1], parts[2]);
        check(p.checksum().size() == 32);
        auto const & cs = p.contigs();
        for (auto const & s : p.segments())
        {
            check(s.contig < cs.size() && s.parent < cs.size());
            check(s.start < s.end && s.end <= cs[s.contig].seq.size());
            check(uint64_t{s.parent_start} + (s.end - s.start) <= cs[s.parent].seq.size());
            for (uint32_t pos = s.start; pos < s.end; pos += 97)
            {
                auto const q = p.project(s.contig, pos);
                check(q.has_value() && q->first < cs.size() && q->second < cs[q->first].seq.size());
            }
        }
        for (auto const & c : cs)
            check(p.find(c.name).has_value());
    }
    catch (chemores::input_error const &)
    {
    }
    return 0;
}
