// libFuzzer harness: the inputs of `chemores report`: a result.json of `chemores call` (report::validate_result) and
// a counts.tsv of `chemores mirna quant` (report::load_mirna), then everything rendered from them.
//
// Input: the result.json text, optionally followed by a line "%%" and a counts.tsv. load_mirna() reads a path, so
// the table is written to a per-process scratch file first.
// Contract checked: JSON that does not parse is refused by the parser; validate_result and load_mirna return or throw
// chemores::input_error; make_cohort returns or throws input_error/config_error. A document that passed them must
// render: render_html and render_multiqc throw nothing (an exception escaping here means validation let through what
// the renderer cannot handle) and UBSan sees no invalid cast of a number; every '<' of the HTML opens an element the
// renderer writes (no <script>, no unescaped input text).

#include <chemores/core/errors.hpp>
#include <chemores/report/report.hpp>

#include "fuzz_util.hpp"

#include <cctype>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

using chemores::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(uint8_t const * data, size_t size)
{
    std::string_view text{reinterpret_cast<char const *>(data), size};
    std::string_view counts;
    bool with_counts = false;
    if (auto const p = text.find("\n%%\n"); p != std::string_view::npos)
    {
        counts = text.substr(p + 4);
        text = text.substr(0, p + 1);
        with_counts = true;
    }
    auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded())
        return 0;
    chemores::report::cohort c;
    try
    {
        chemores::report::validate_result(doc, "fuzz.json");
        std::vector<chemores::report::result_file> files;
        files.push_back({"fuzz.json", std::move(doc)});
        c = chemores::report::make_cohort(std::move(files), {});
        if (with_counts)
        {
            static chemores::fuzz::scratch_file file{"-counts.tsv"};
            c.mirna = chemores::report::load_mirna(file.write(std::string{counts}));
        }
    }
    catch (chemores::input_error const &)
    {
        return 0;
    }
    catch (chemores::config_error const &)
    {
        return 0;
    }
    chemores::report::html_options o;
    o.generated = "2026-01-01 00:00 UTC";
    o.command = "chemores report fuzz.json";
    std::string const html = chemores::report::render_html(c, o);
    // Every '<' in the HTML opens an element the renderer writes itself (so no <script>, and no input text reached
    // the page unescaped: a sample named "<x" would show up here as an unknown tag). Add a tag
    // here when the renderer starts to write a new one.
    static std::set<std::string, std::less<>> const known{
        "!DOCTYPE", "a",    "b",     "body",  "br",   "circle", "dd",     "desc",  "div",   "dl",   "dt",
        "figcaption", "figure", "footer", "g", "h1", "h2", "h3", "head", "header", "html", "li", "line", "main",
        "mark", "meta", "nav", "p", "path", "rect", "section", "span", "style", "svg", "table", "tbody", "td",
        "text", "th", "thead", "title", "tr", "ul"};
    for (size_t p = html.find('<'); p != std::string::npos; p = html.find('<', p + 1))
    {
        size_t b = p + 1;
        if (b < html.size() && html[b] == '/')
            ++b;
        size_t e = b;
        while (e < html.size() && (std::isalnum(static_cast<unsigned char>(html[e])) || html[e] == '!'))
            ++e;
        check(e < html.size() && (html[e] == ' ' || html[e] == '>' || html[e] == '\n') &&
              known.contains(std::string_view{html}.substr(b, e - b)));
    }
    // A sample name with markup in it appears escaped (in the title and the tables) and so never as markup.
    for (size_t i = 0; i < c.samples.size(); ++i)
    {
        auto const & name = c.sample(i)["name"].get_ref<std::string const &>();
        if (name.find('<') == std::string::npos)
            continue;
        std::string escaped;
        for (char ch : name)
            escaped += ch == '<' ? "&lt;" : ch == '>' ? "&gt;" : ch == '&' ? "&amp;" : ch == '"' ? "&quot;"
                     : ch == '\'' ? "&#39;" : std::string(1, ch);
        check(html.find(escaped) != std::string::npos);
    }
    // Rendering must not throw: MultiQC files are nlohmann::json::dump() output, which throws on a string cut inside
    // a UTF-8 character.
    for (auto const & f : chemores::report::render_multiqc(c))
        check(!f.content.empty());
    return 0;
}
