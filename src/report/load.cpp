// Reading and validating the inputs of `chemores report`: result.json of `chemores call` and the miRNA tables of
// `chemores mirna quant`. Every error names the file and, for JSON, the path of the offending field.

#include <chemores/core/errors.hpp>
#include <chemores/core/text.hpp>
#include <chemores/reference/panel.hpp>
#include <chemores/report/report.hpp>

#include "util.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace chemores::report
{

namespace
{

using detail::json;
namespace fs = std::filesystem;

enum class kind
{
    string,
    number,         //!< a number
    number_or_null, //!< a number, or null (NaN is written as null)
    count,          //!< a non-negative integer
    boolean,
    array,
    object,
    string_array,
};

char const * kind_name(kind k)
{
    switch (k)
    {
    case kind::string: return "a string";
    case kind::number: return "a number";
    case kind::number_or_null: return "a number or null";
    case kind::count: return "a non-negative integer";
    case kind::boolean: return "true or false";
    case kind::array: return "an array";
    case kind::object: return "an object";
    case kind::string_array: return "an array of strings";
    }
    return "?";
}

bool is(json const & v, kind k)
{
    switch (k)
    {
    case kind::string: return v.is_string();
    case kind::number: return v.is_number();
    case kind::number_or_null: return v.is_number() || v.is_null();
    case kind::count: return v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0);
    case kind::boolean: return v.is_boolean();
    case kind::array: return v.is_array();
    case kind::object: return v.is_object();
    case kind::string_array:
        return v.is_array() && std::all_of(v.begin(), v.end(), [](json const & x) { return x.is_string(); });
    }
    return false;
}

//!\brief Checks fields of one document; errors read "FILE: samples[0].drugs[2].verdict: expected a string".
struct checker
{
    std::string const & path;

    [[noreturn]] void fail(std::string const & where, std::string const & msg) const
    {
        throw input_error{path, (where.empty() ? std::string{} : where + ": ") + msg};
    }

    json const & need(json const & obj, char const * key, std::string const & where, kind k) const
    {
        std::string const at = where.empty() ? std::string{key} : where + "." + key;
        auto it = obj.find(key);
        if (it == obj.end())
            fail(at, "missing (not a result.json of chemores call schema_version 1?)");
        if (!is(*it, k))
            fail(at, std::string{"expected "} + kind_name(k) + ", found " + it->dump().substr(0, 60));
        return *it;
    }

    //!\brief An optional field: absent or of kind `k`.
    void may(json const & obj, char const * key, std::string const & where, kind k) const
    {
        if (auto it = obj.find(key); it != obj.end() && !is(*it, k))
            fail(where + "." + key, std::string{"expected "} + kind_name(k) + ", found " + it->dump().substr(0, 60));
    }

    void one_of(json const & v, std::string const & at, std::initializer_list<char const *> allowed) const
    {
        std::string const s = v.get<std::string>();
        std::string list;
        for (auto const * a : allowed)
        {
            if (s == a)
                return;
            list += (list.empty() ? "" : ", ") + std::string{a};
        }
        fail(at, "'" + s + "' is not one of " + list);
    }

    void variant(json const & v, std::string const & at) const
    {
        if (!v.is_object())
            fail(at, "expected an object");
        for (auto const * k : {"id", "gene", "mutation", "hgvs_p", "reason"})
            need(v, k, at, kind::string);
        need(v, "hgvs_c", at, kind::string_array);
        one_of(need(v, "status", at, kind::string), at + ".status", {"DETECTED", "NOT_DETECTED", "NOT_ASSESSABLE"});
        for (auto const * k : {"fraction", "ci_low", "ci_high", "lod", "qual"})
            need(v, k, at, kind::number_or_null);
        for (auto const * k : {"depth", "alt_molecules", "codon"})
            need(v, k, at, kind::count);
        need(need(v, "strand", at, kind::object), "biased", at + ".strand", kind::boolean);
        auto const & drugs = need(v, "drugs", at, kind::object);
        for (auto const & [drug, e] : drugs.items())
        {
            std::string const d = at + ".drugs." + drug;
            if (!e.is_object())
                fail(d, "expected an object");
            need(e, "effect", d, kind::string);
            may(e, "ic50_fold", d, kind::number_or_null);
        }
        may(v, "region", at, kind::string);
        may(v, "sources", at, kind::string_array);
        may(v, "kind", at, kind::string);
        may(v, "transcript", at, kind::string);
    }

    void sample(json const & s, std::string const & at) const
    {
        if (!s.is_object())
            fail(at, "expected an object");
        if (need(s, "name", at, kind::string).get<std::string>().empty())
            fail(at + ".name", "empty sample name");
        need(s, "input", at, kind::string);
        may(s, "reference", at, kind::string);
        may(s, "reads", at, kind::string_array);
        auto const & calls = need(s, "calls", at, kind::array);
        for (size_t i = 0; i < calls.size(); ++i)
            variant(calls[i], at + ".calls[" + std::to_string(i) + "]");
        auto const & vus = need(s, "vus", at, kind::array);
        for (size_t i = 0; i < vus.size(); ++i)
            variant(vus[i], at + ".vus[" + std::to_string(i) + "]");
        auto const & compounds = need(s, "compounds", at, kind::array);
        for (size_t i = 0; i < compounds.size(); ++i)
        {
            std::string const c = at + ".compounds[" + std::to_string(i) + "]";
            if (!compounds[i].is_object())
                fail(c, "expected an object");
            need(compounds[i], "name", c, kind::string);
            need(compounds[i], "evidence", c, kind::string);
            for (auto const * k : {"both", "first_only", "second_only", "neither"})
                need(compounds[i], k, c, kind::count);
            for (auto const * k : {"cis_fraction", "ci_low", "ci_high"})
                need(compounds[i], k, c, kind::number_or_null);
            need(compounds[i], "catalogue_matches", c, kind::string_array);
            need(compounds[i], "drugs_affected", c, kind::string_array);
        }
        auto const & fusion = need(s, "fusion", at, kind::object);
        need(fusion, "assessable", at + ".fusion", kind::boolean);
        need(fusion, "type", at + ".fusion", kind::string);
        auto const & reads = need(fusion, "junction_reads", at + ".fusion", kind::object);
        for (auto const & [type, n] : reads.items())
            if (!is(n, kind::count))
                fail(at + ".fusion.junction_reads." + type, "expected a non-negative integer");
        may(fusion, "note", at + ".fusion", kind::string);
        auto const & drugs = need(s, "drugs", at, kind::array);
        for (size_t i = 0; i < drugs.size(); ++i)
        {
            std::string const d = at + ".drugs[" + std::to_string(i) + "]";
            if (!drugs[i].is_object())
                fail(d, "expected an object");
            need(drugs[i], "drug", d, kind::string);
            one_of(need(drugs[i], "verdict", d, kind::string), d + ".verdict",
                   {"resistant", "reduced_sensitivity", "no_known_resistance_detected", "not_assessable"});
            need(drugs[i], "not_assessable", d, kind::string_array);
            auto const & drivers = need(drugs[i], "drivers", d, kind::array);
            for (size_t j = 0; j < drivers.size(); ++j)
            {
                std::string const r = d + ".drivers[" + std::to_string(j) + "]";
                if (!drivers[j].is_object())
                    fail(r, "expected an object");
                need(drivers[j], "variant", r, kind::string);
                need(drivers[j], "effect", r, kind::string);
                need(drivers[j], "fraction", r, kind::number_or_null);
                may(drivers[j], "ic50_fold", r, kind::number_or_null);
                may(drivers[j], "sources", r, kind::string_array);
            }
        }
        auto const & coverage = need(s, "coverage", at, kind::array);
        for (size_t i = 0; i < coverage.size(); ++i)
        {
            std::string const c = at + ".coverage[" + std::to_string(i) + "]";
            if (!coverage[i].is_object())
                fail(c, "expected an object");
            need(coverage[i], "gene", c, kind::string);
            need(coverage[i], "codon", c, kind::count);
            need(coverage[i], "depth", c, kind::count);
            need(coverage[i], "lod", c, kind::number_or_null);
            need(coverage[i], "catalogue", c, kind::boolean);
        }
        need(s, "qc", at, kind::object);
    }
};

std::string read_whole(std::string const & path, char const * what)
{
    std::error_code ec;
    if (fs::is_directory(path, ec))
        throw input_error{path, std::string{"is a directory, not "} + what};
    std::ifstream in{path, std::ios::binary};
    if (!in)
        throw input_error{path, std::string{"cannot open "} + what + ": " + std::strerror(errno)};
    std::string text{std::istreambuf_iterator<char>{in}, {}};
    if (in.bad())
        throw input_error{path, std::string{"read error in "} + what};
    return text;
}

std::vector<std::string> split_list(std::string_view s, char sep)
{
    std::vector<std::string> out;
    for (auto part : split(s, std::string_view{&sep, 1}))
        if (auto t = trim(part); !t.empty())
            out.emplace_back(t);
    return out;
}

//!\brief Append `value`'s ';'-separated items to `list`, each once.
void merge_into(std::vector<std::string> & list, std::string_view value)
{
    for (auto const & v : split_list(value, ';'))
        if (std::find(list.begin(), list.end(), v) == list.end())
            list.push_back(v);
}

//!\brief Parse a TSV table: header and rows; every row must have the header's number of fields.
struct tsv_table
{
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<uint64_t> lines;
};

tsv_table read_tsv(std::string const & path, std::string const & text)
{
    tsv_table t;
    std::istringstream in{text};
    std::string line;
    uint64_t n = 0;
    while (std::getline(in, line))
    {
        ++n;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty() || line[0] == '#')
            continue;
        std::vector<std::string> f;
        for (auto x : split(line, "\t"))
            f.emplace_back(trim(x));
        if (t.header.empty())
        {
            t.header = std::move(f);
            continue;
        }
        if (f.size() != t.header.size())
            throw input_error{path, n, std::to_string(f.size()) + " fields, the header has " +
                                           std::to_string(t.header.size())};
        t.rows.push_back(std::move(f));
        t.lines.push_back(n);
    }
    if (t.header.empty())
        throw input_error{path, "empty file (no header line)"};
    return t;
}

} // namespace

void validate_result(json const & doc, std::string const & path)
{
    checker const c{path};
    if (!doc.is_object())
        c.fail("", "not a chemores call result (the document is not a JSON object)");
    auto it = doc.find("schema");
    if (it == doc.end() || !it->is_string() || *it != result_schema)
        c.fail("schema", "not a result.json of chemores call (expected \"schema\": \"chemores-call\")");
    auto const & version = c.need(doc, "schema_version", "", kind::count);
    if (version.get<int64_t>() != result_schema_version)
        c.fail("schema_version", "version " + version.dump() + " is not supported (this chemores reads version " +
                                     std::to_string(result_schema_version) + ")");
    c.need(doc, "provenance", "", kind::object);
    auto const & options = c.need(doc, "options", "", kind::object);
    c.may(options, "min_vaf", "options", kind::number);
    auto const & samples = c.need(doc, "samples", "", kind::array);
    if (samples.empty())
        c.fail("samples", "no samples");
    std::set<std::string> names;
    for (size_t i = 0; i < samples.size(); ++i)
    {
        c.sample(samples[i], "samples[" + std::to_string(i) + "]");
        if (!names.insert(samples[i]["name"].get<std::string>()).second)
            c.fail("samples[" + std::to_string(i) + "].name",
                   "duplicate sample name '" + samples[i]["name"].get<std::string>() + "'");
    }
}

result_file load_result(std::string const & path)
{
    std::string const text = read_whole(path, "result.json");
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        throw input_error{path, "empty file (expected the result.json of chemores call)"};
    result_file r;
    r.path = path;
    try
    {
        r.doc = json::parse(text);
    }
    catch (json::parse_error const & e)
    {
        // e.what() reads "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
        std::string msg = e.what();
        if (auto p = msg.find("] "); p != std::string::npos)
            msg = msg.substr(p + 2);
        throw input_error{path, "not valid JSON (truncated or damaged result.json?): " + msg};
    }
    validate_result(r.doc, path);
    return r;
}

cohort make_cohort(std::vector<result_file> files, std::vector<std::string> const & only)
{
    cohort c;
    std::map<std::string, size_t> seen; // sample name -> file
    for (size_t f = 0; f < files.size(); ++f)
    {
        auto const & samples = files[f].doc["samples"];
        for (size_t i = 0; i < samples.size(); ++i)
        {
            auto const name = samples[i]["name"].get<std::string>();
            if (!only.empty() && std::find(only.begin(), only.end(), name) == only.end())
                continue;
            if (auto [it, fresh] = seen.emplace(name, f); !fresh)
                throw input_error{files[f].path, "sample '" + name + "' is also in " + files[it->second].path +
                                                     "; give each sample once (or pick one with --sample)"};
            c.samples.push_back({f, i});
        }
    }
    for (auto const & name : only)
        if (!seen.contains(name))
        {
            std::vector<std::string> all;
            for (auto const & f : files)
                for (auto const & s : f.doc["samples"])
                    all.push_back(s["name"].get<std::string>());
            throw config_error{"--sample '" + name + "' is not in the input (samples: " + detail::join(all, ", ") +
                               ")"};
        }
    c.files = std::move(files);
    if (c.samples.empty())
        throw config_error{"no sample to report"};
    return c;
}

mirna_results load_mirna(std::string const & given)
{
    mirna_results m;
    m.origin = given;
    std::error_code ec;
    std::string counts_path = given, summary_path;
    if (fs::is_directory(given, ec))
    {
        counts_path = (fs::path{given} / "counts.tsv").string();
        if (!fs::exists(counts_path, ec))
            throw input_error{counts_path, "missing: --mirna expects the output directory of chemores mirna quant "
                                           "(with counts.tsv); or give the file with --mirna-counts"};
        if (auto p = fs::path{given} / "summary.tsv"; fs::exists(p, ec))
            summary_path = p.string();
    }
    auto const counts = read_tsv(counts_path, read_whole(counts_path, "a miRNA counts table"));
    if (counts.header.size() < 2 || counts.header[0] != "mirna")
        throw input_error{counts_path, 1, "not a counts.tsv of chemores mirna quant (expected a header 'mirna', "
                                          "then one column per sample)"};
    m.samples.assign(counts.header.begin() + 1, counts.header.end());
    m.totals.assign(m.samples.size(), 0.0);
    std::map<std::string, std::vector<double>> by_name;
    for (size_t r = 0; r < counts.rows.size(); ++r)
    {
        auto const & f = counts.rows[r];
        std::vector<double> v(m.samples.size());
        for (size_t s = 0; s < v.size(); ++s)
        {
            std::string const & cell = f[s + 1];
            double x = 0;
            auto const res = std::from_chars(cell.data(), cell.data() + cell.size(), x);
            if (res.ec != std::errc{} || res.ptr != cell.data() + cell.size() || !(x >= 0) || !std::isfinite(x))
                throw input_error{counts_path, counts.lines[r],
                                  "count '" + cell + "' for " + m.samples[s] + " is not a non-negative number"};
            v[s] = x;
            m.totals[s] += x;
        }
        // A name twice would count in the totals (the CPM denominators) twice but be shown once.
        if (auto const [it, fresh] = by_name.emplace(f[0], std::move(v)); !fresh)
            throw input_error{counts_path, counts.lines[r], "miRNA '" + f[0] + "' is listed twice"};
    }

    // The resistance-associated miRNAs, one row per mature name, in the order of mirna_targets.tsv.
    std::string const targets_name = "builtin:catalogue/mirna_targets.tsv";
    auto const targets = read_tsv(targets_name, std::string{reference::bundled_file("catalogue/mirna_targets.tsv")});
    auto col = [&](std::string_view name) -> size_t {
        auto it = std::find(targets.header.begin(), targets.header.end(), name);
        if (it == targets.header.end())
            throw internal_error{targets_name + ": no column " + std::string{name}};
        return static_cast<size_t>(it - targets.header.begin());
    };
    size_t const c_ids = col("mirbase_v22_mature_ids"), c_target = col("target_hgnc"), c_drugs = col("drugs"),
                 c_tumor = col("tumor");
    std::map<std::string, size_t> row_of;
    std::vector<std::array<std::vector<std::string>, 3>> lists; // per row: targets, drugs, cancers
    for (auto const & f : targets.rows)
        for (auto const & id : split_list(f[c_ids], ';'))
        {
            if (id.rfind("hsa-", 0) != 0)
                continue;
            auto [it, fresh] = row_of.emplace(id, m.rows.size());
            if (fresh)
            {
                mirna_results::row r;
                r.mirna = id;
                if (auto c = by_name.find(id); c != by_name.end())
                {
                    r.in_table = true;
                    r.counts = c->second;
                }
                else
                    r.counts.assign(m.samples.size(), 0.0);
                m.rows.push_back(std::move(r));
                lists.emplace_back();
            }
            auto & l = lists[it->second];
            merge_into(l[0], f[c_target]);
            merge_into(l[1], f[c_drugs]);
            merge_into(l[2], f[c_tumor]);
        }
    for (size_t r = 0; r < m.rows.size(); ++r)
    {
        m.rows[r].targets = detail::join(lists[r][0], ", ");
        m.rows[r].drugs = detail::join(lists[r][1], "; ");
        m.rows[r].cancers = detail::join(lists[r][2], "; ");
    }

    if (!summary_path.empty())
    {
        auto const t = read_tsv(summary_path, read_whole(summary_path, "a miRNA summary table"));
        m.summary_columns = t.header;
        m.summary.assign(m.samples.size(), {});
        for (auto const & row : t.rows)
            if (auto it = std::find(m.samples.begin(), m.samples.end(), row[0]); it != m.samples.end())
                m.summary[static_cast<size_t>(it - m.samples.begin())] = row;
    }
    return m;
}

} // namespace chemores::report
