#pragma once
//!\file
//!\brief Internal to chemores_report: escaping and number formatting shared by the HTML, SVG and MultiQC writers.

#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace chemores::report::detail
{

using json = nlohmann::json;

//!\brief Escape text for HTML/SVG element content and double-quoted attribute values.
inline std::string esc(std::string_view s)
{
    std::string out;
    out.reserve(s.size() + 8);
    for (char c : s)
        switch (c)
        {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    return out;
}

//!\brief printf-style formatting of one number.
inline std::string fmt(double v, char const * f = "%.6g")
{
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

//!\brief A JSON value as calls.tsv writes it: "." for null or an empty string, %.6g for a float.
inline std::string tsv_value(json const & v)
{
    if (v.is_null())
        return ".";
    if (v.is_string())
        return v.get<std::string>().empty() ? "." : v.get<std::string>();
    if (v.is_number_float())
        return fmt(v.get<double>());
    return v.dump();
}

//!\brief A fraction as a percentage, e.g. 0.30123 -> "30.12"; "–" for null/NaN.
inline std::string pct(json const & v, int digits = 2)
{
    if (!v.is_number() || !std::isfinite(v.get<double>()))
        return "\xe2\x80\x93";
    char f[16];
    std::snprintf(f, sizeof f, "%%.%df", digits);
    return fmt(100.0 * v.get<double>(), f);
}

inline double num(json const & v, double fallback = 0.0)
{
    return v.is_number() && std::isfinite(v.get<double>()) ? v.get<double>() : fallback;
}

inline std::string str(json const & v)
{
    return v.is_string() ? v.get<std::string>() : v.is_null() ? std::string{} : v.dump();
}

inline std::string join(std::vector<std::string> const & v, std::string_view sep)
{
    std::string s;
    for (size_t i = 0; i < v.size(); ++i)
        s += (i ? std::string{sep} : std::string{}) + v[i];
    return s;
}

//!\brief A string usable in an HTML id attribute (letters, digits, '-', '_').
inline std::string slug(std::string_view s)
{
    std::string out;
    for (char c : s)
    {
        unsigned char const u = static_cast<unsigned char>(c);
        out += std::isalnum(u) || c == '-' || c == '_' ? c : '_';
    }
    return out;
}

//!\brief An integer as calls.tsv writes it (no separators); "–" if not a number.
inline std::string integer(json const & v)
{
    if (v.is_number_integer())
        return v.dump();
    if (v.is_number())
        return fmt(v.get<double>(), "%.0f");
    return "\xe2\x80\x93";
}

} // namespace chemores::report::detail
