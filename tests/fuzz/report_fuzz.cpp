// libFuzzer harness: the inputs of `chemores report`: a result.json of `chemores call` (report::validate_result) and
// a counts.tsv of `chemores mirna quant` (report::load_mirna), then everything rendered from them.
//
// Input: the result.json text, optionally followed by a line "%%" and a counts.tsv. load_mirna() reads a path, so
// the table is written to a per-process scratch file first.
// Contract checked: JSON that does not parse is refused by the parser; validate_result and load_mirna return or throw
// chemores::input_error; make_cohort returns or throws input_error/config_error. A document that passed them must
// render: render_html and render_multiqc throw nothing (an exception escaping here means validation let through what
// the renderer cannot handle) and UBSan sees no invalid cast of a number; the HTML has no <script> element and no
// unescaped text from the input (a sample named "<x>" appears as "&lt;x&gt;"); every MultiQC file is valid JSON.

#include <chemores/core/errors.hpp>
#include <chemores/report/report.hpp>

#include "fuzz_util.hpp"

#include <cstdint>
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
    check(html.find("<script") == std::string::npos && html.find("<SCRIPT") == std::string::npos);
    for (size_t i = 0; i < c.samples.size(); ++i)
    {
        auto const & name = c.sample(i)["name"].get_ref<std::string const &>();
        if (name.find('<') != std::string::npos)
            check(html.find(name) == std::string::npos);
    }
    for (auto const & f : chemores::report::render_multiqc(c))
        check(nlohmann::json::accept(f.content));
    return 0;
}
