// libFuzzer harness: the sample sheet of `chemores call --samples` (chemores::call::parse_sample_sheet).
//
// Input: the sheet text. Contract checked: parse_sample_sheet returns or throws chemores::input_error. What it returns
// is at least one sample; every name is non-empty, unique, without white space, slashes or control characters;
// each sample has a BAM xor one or two FASTQ files; every path is non-empty and, being relative to the base
// directory given, starts with it; the origin names the sheet and a line. Round trip: the samples written back as a
// sheet (with a leading column the parser ignores) parse to the same samples.

#include <chemores/call/samples.hpp>
#include <chemores/core/errors.hpp>

#include "fuzz_util.hpp"

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

using chemores::fuzz::check;

using namespace chemores::call;

namespace
{

bool clean(std::string_view s)
{
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f)
            return false;
    return !s.empty() && s.front() != ' ' && s.back() != ' ' && s.back() != '\r';
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(uint8_t const * data, size_t size)
{
    std::string_view const text{reinterpret_cast<char const *>(data), size};
    std::vector<sample_input> samples;
    try
    {
        samples = parse_sample_sheet("fuzz.tsv", text, "/base");
    }
    catch (chemores::input_error const &)
    {
        return 0;
    }
    check(!samples.empty());
    std::set<std::string> names;
    std::string sheet = "row\tsample\tbam\tfastq_1\tfastq_2\n";
    for (auto const & s : samples)
    {
        check(clean(s.name) && s.name.find_first_of(" /\\") == std::string::npos && s.name != "." && s.name != "..");
        check(names.insert(s.name).second);
        check(s.bam.empty() != s.fastq.empty() && s.fastq.size() <= 2);
        std::vector<std::string> paths = s.fastq;
        if (!s.bam.empty())
            paths.push_back(s.bam);
        for (auto const & p : paths)
            check(clean(p) && p.starts_with("/")); // relative paths were resolved against /base
        check(s.origin.starts_with("fuzz.tsv line "));
        sheet += "r\t" + s.name + "\t" + s.bam + "\t" + (s.fastq.empty() ? "" : s.fastq[0]) + "\t" +
                 (s.fastq.size() > 1 ? s.fastq[1] : "") + "\n";
    }
    auto again = parse_sample_sheet("again.tsv", sheet, "");
    check(again.size() == samples.size());
    for (size_t i = 0; i < samples.size(); ++i)
    {
        again[i].origin = samples[i].origin;
        check(again[i] == samples[i]);
    }
    return 0;
}
