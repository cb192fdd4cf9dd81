#pragma once
//!\file
//!\brief Small text helpers shared by the TSV/FASTA parsers.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace chemores
{

//!\brief Split `s` at every `sep`; keeps empty fields (a TSV row "a\t\tb" has three fields).
inline std::vector<std::string_view> split(std::string_view s, std::string_view sep)
{
    std::vector<std::string_view> out;
    size_t b = 0;
    while (true)
    {
        auto const e = s.find(sep, b);
        out.push_back(s.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
        if (e == std::string_view::npos)
            break;
        b = e + sep.size();
    }
    return out;
}

//!\brief `s` with ASCII letters in lower case (file extensions, case-insensitive names); other bytes unchanged.
inline std::string ascii_lower(std::string_view s)
{
    std::string r{s};
    for (char & c : r)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return r;
}

//!\brief `s` without leading and trailing spaces, tabs and carriage returns.
inline std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

//!\brief Levenshtein distance (insertions, deletions, substitutions of one character each cost 1); for "did you
//!       mean" suggestions of unknown names.
inline size_t edit_distance(std::string_view a, std::string_view b)
{
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i)
    {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

} // namespace chemores
