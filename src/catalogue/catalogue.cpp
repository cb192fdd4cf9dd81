// The mutation catalogue loader. Every row is checked against the reference panel; problems are collected (not
// thrown one at a time) so that `chemores catalogue validate` can list them all, and `catalogue::load` throws the
// first as an input_error. Coordinates: CDS positions c.N are 1-based with c.1 = A of the ATG; codon k spans
// c.(3k-2)..c.(3k); on the transcript, c.N is 1-based position cds_start + N - 1.

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chemores/catalogue/catalogue.hpp>
#include <chemores/catalogue/genetic_code.hpp>
#include <chemores/catalogue/hgvs.hpp>
#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/core/text.hpp>
#include <cmath>
#include <cstring>
#include <fstream>
#include <htslib/hts.h>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace chemores::catalogue
{

namespace embedded
{
// Defined in the generated catalogue_data.cpp (see src/catalogue/CMakeLists.txt).
extern std::string_view const abl1_mutations_tsv;
extern std::string_view const abl1_compound_tsv;
extern std::string_view const slc19a1_variants_tsv;
extern std::string_view const abl1_reference_codons_tsv;
extern std::string_view const catalogue_json;
} // namespace embedded

std::vector<std::pair<std::string_view, std::string_view>> builtin_files()
{
    return {{"abl1_mutations.tsv", embedded::abl1_mutations_tsv},
            {"slc19a1_variants.tsv", embedded::slc19a1_variants_tsv},
            {"abl1_compound.tsv", embedded::abl1_compound_tsv},
            {"abl1_reference_codons.tsv", embedded::abl1_reference_codons_tsv},
            {"catalogue.json", embedded::catalogue_json}};
}

namespace
{
constexpr std::string_view builtin_prefix = "builtin:catalogue/";
// The drug the SLC19A1 (reduced folate carrier) entries are about.
constexpr std::string_view slc19a1_drug = "methotrexate";
// The gene of every row of abl1_compound.tsv.
constexpr std::string_view compound_gene = "ABL1";

std::string builtin_origin(std::string_view file)
{
    return std::string{builtin_prefix} + std::string{file};
}


// Split a list cell at `sep`, trimming and dropping empty items.
std::vector<std::string> split_list(std::string_view s, std::string_view sep)
{
    std::vector<std::string> out;
    for (auto part : split(s, sep))
        if (auto const t = trim(part); !t.empty())
            out.emplace_back(t);
    return out;
}

std::string join(std::vector<std::string> const & v, std::string_view sep)
{
    std::string s;
    for (auto const & x : v)
        s += (s.empty() ? "" : std::string{sep}) + x;
    return s;
}

std::string upper(std::string_view s)
{
    std::string r{s};
    for (auto & c : r)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return r;
}

std::string md5_hex(std::string_view data)
{
    hts_md5_context * ctx = hts_md5_init();
    if (!ctx)
        throw internal_error{"hts_md5_init failed"};
    hts_md5_update(ctx, data.data(), static_cast<unsigned long>(data.size()));
    unsigned char digest[16];
    hts_md5_final(digest, ctx);
    hts_md5_destroy(ctx);
    char hex[33];
    hts_md5_hex(hex, digest);
    return hex;
}

std::string sequence_md5(std::vector<uint8_t> const & seq)
{
    std::string s;
    s.reserve(seq.size());
    for (auto x : seq)
        s.push_back(code_to_char[x]);
    return md5_hex(s);
}

// "Thr" or "T" -> 'T'; 0 if neither.
char parse_aa(std::string_view s)
{
    s = trim(s);
    if (s.size() == 1 && (is_amino_acid(s[0])))
        return s[0];
    return one_letter(s);
}

std::string aa3(char aa)
{
    return std::string{three_letter(aa)};
}

// A TSV table: header names and rows (line number, fields). Comment (#) and blank lines are skipped.
struct tsv_row
{
    uint64_t line = 0;
    std::vector<std::string_view> fields;
};
struct tsv_table
{
    uint64_t header_line = 0;
    std::vector<std::string> header;
    std::vector<tsv_row> rows;

    std::optional<size_t> column(std::string_view name) const
    {
        for (size_t i = 0; i < header.size(); ++i)
            if (header[i] == name)
                return i;
        return std::nullopt;
    }
};

// One row's cells by column name (empty string for a missing column).
struct row_view
{
    tsv_table const & table;
    tsv_row const & row;

    std::string_view operator[](std::string_view name) const
    {
        auto const c = table.column(name);
        return c && *c < row.fields.size() ? trim(row.fields[*c]) : std::string_view{};
    }
};

int64_t parse_positive(std::string_view s)
{
    s = trim(s);
    int64_t v = 0;
    auto const [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size() || v <= 0)
        return 0;
    return v;
}

std::optional<double> parse_double(std::string_view s)
{
    s = trim(s);
    double v = 0;
    auto const [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size())
        return std::nullopt;
    return v;
}

// The first whitespace-delimited token of `s` containing `marker` (e.g. "p." or "c."), without trailing punctuation.
std::string_view token_with(std::string_view s, std::string_view marker)
{
    auto const at = s.find(marker);
    if (at == std::string_view::npos)
        return {};
    auto b = s.rfind(' ', at);
    b = b == std::string_view::npos ? 0 : b + 1;
    auto e = s.find(' ', at);
    auto t = s.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
    while (!t.empty() && (t.back() == ',' || t.back() == ';' || t.back() == '.'))
        t.remove_suffix(1);
    return t;
}

// The columns of abl1_mutations.tsv that every user catalogue must have.
constexpr std::array<std::string_view, 8> required_columns{
    "gene", "protein_change", "hgvs_p", "codon", "ref_aa", "alt_aa", "ref_codon", "nt_change_hgvs_c"};
// Columns mapped to mutation fields (everything else goes to mutation::attributes).
constexpr std::array<std::string_view, 14> modelled_columns{"gene",
                                                            "transcript",
                                                            "protein_change",
                                                            "hgvs_p",
                                                            "codon",
                                                            "ref_aa",
                                                            "alt_aa",
                                                            "ref_codon",
                                                            "nt_change_hgvs_c",
                                                            "nt_change_basis",
                                                            "region",
                                                            "sensitivity_basis",
                                                            "ic50_source",
                                                            "notes"};

bool is_modelled(std::string_view column)
{
    if (column == "source")
        return true;
    if (std::find(modelled_columns.begin(), modelled_columns.end(), column) != modelled_columns.end())
        return true;
    for (auto d : tki_drugs)
        if (column == d || column == "ic50_fold_" + std::string{d})
            return true;
    return false;
}
} // namespace

std::string_view to_string(effect e) noexcept
{
    switch (e)
    {
    case effect::sensitive:
        return "sensitive";
    case effect::intermediate:
        return "intermediate";
    case effect::resistant:
        return "resistant";
    case effect::unknown:
        break;
    }
    return "unknown";
}

std::optional<effect> parse_effect(std::string_view s) noexcept
{
    for (auto e : {effect::sensitive, effect::intermediate, effect::resistant, effect::unknown})
        if (s == to_string(e))
            return e;
    return std::nullopt;
}

std::string problem::to_string() const
{
    return input_error{origin, line, message}.what();
}

std::vector<std::string> mutation::hgvs_c() const
{
    std::vector<std::string> out;
    for (auto const & r : routes)
        out.push_back(r.hgvs_c);
    return out;
}

std::vector<std::string> mutation::alt_codons() const
{
    std::vector<std::string> out;
    for (auto const & r : routes)
        if (std::find(out.begin(), out.end(), r.alt_codon) == out.end())
            out.push_back(r.alt_codon);
    return out;
}

drug_effect const * mutation::effect_for(std::string_view drug) const noexcept
{
    for (auto const & d : drugs)
        if (d.drug == drug)
            return &d;
    return nullptr;
}

// ------------------------------------------------------------------------------------------------------------------

//!\brief Builds a catalogue, collecting every problem (see catalogue::validate).
class loader
{
public:
    loader(reference::panel const & panel, load_options const & options) : panel_{panel}, options_{options}
    {
    }

    validation_report run(catalogue * out);

private:
    // A reference transcript resolved for a row.
    struct transcript
    {
        std::string contig;
        int64_t cds_start = 0;
        int64_t cds_end = 0;
        std::vector<uint8_t> const * seq = nullptr;
    };
    // Thrown inside a row check; becomes a problem at the row's line.
    struct row_failure
    {
        std::string message;
    };

    void fail(std::string const & origin, uint64_t line, std::string message)
    {
        report_.errors.push_back({origin, line, std::move(message)});
    }
    void skip(std::string const & origin, uint64_t line, std::string label, std::string reason)
    {
        cat_.skipped_.push_back({origin, line, std::move(label), std::move(reason)});
    }

    tsv_table read_table(std::string const & origin, std::string_view text);
    void load_manifest();
    void check_reference_codons();
    void load_mutation_table(std::string const & origin, std::string_view text);
    void load_slc19a1(std::string const & origin, std::string_view text);
    void load_compounds(std::string const & origin, std::string_view text);
    bool add(mutation m);

    transcript resolve(std::string_view gene, std::string_view label) const;
    std::string codon_at(transcript const & tx, int64_t codon) const;
    mutation check_mutation_row(std::string const & origin, row_view const & r);

    reference::panel const & panel_;
    load_options const & options_;
    catalogue cat_;
    validation_report report_;
    std::map<std::string, reference_sequence, std::less<>> refs_by_gene_;
};

tsv_table loader::read_table(std::string const & origin, std::string_view text)
{
    tsv_table t;
    uint64_t line_no = 0;
    for (auto line : split(text, "\n"))
    {
        ++line_no;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (trim(line).empty() || line[0] == '#')
            continue;
        auto fields = split(line, "\t");
        if (t.header.empty())
        {
            t.header_line = line_no;
            for (auto f : fields)
                t.header.emplace_back(trim(f));
            continue;
        }
        if (fields.size() != t.header.size())
        {
            fail(origin,
                 line_no,
                 "expected " + std::to_string(t.header.size()) + " tab-separated columns (as in the header), found " +
                     std::to_string(fields.size()));
            continue;
        }
        t.rows.push_back({line_no, std::move(fields)});
    }
    if (t.header.empty())
        fail(origin, 0, "empty: no header line");
    return t;
}

void loader::load_manifest()
{
    std::string const origin = builtin_origin("catalogue.json");
    nlohmann::json j;
    try
    {
        j = nlohmann::json::parse(embedded::catalogue_json);
    }
    catch (nlohmann::json::exception const & e)
    {
        fail(origin, 0, std::string{"not valid JSON: "} + e.what());
        return;
    }
    auto & m = cat_.meta_;
    try
    {
        if (options_.builtin)
        {
            m.builtin = true;
            m.catalogue_version = j.at("catalogue_version").get<std::string>();
            m.schema_version = j.at("schema_version").get<int>();
            if (m.schema_version != 1)
                fail(origin,
                     0,
                     "schema_version " + std::to_string(m.schema_version) +
                         " is not supported by this chemores (it reads schema 1)");
            // The embedded files must be exactly the ones catalogue.json describes.
            auto const & files = j.at("files");
            for (auto const & [name, text] : builtin_files())
            {
                if (name == "catalogue.json")
                    continue;
                auto const md5 = md5_hex(text);
                m.file_md5[std::string{name}] = md5;
                if (!files.contains(std::string{name}))
                    fail(origin, 0, "files does not list " + std::string{name});
                else if (files.at(std::string{name}).get<std::string>() != md5)
                    fail(builtin_origin(name),
                         0,
                         "md5 " + md5 + " differs from catalogue.json (" +
                             files.at(std::string{name}).get<std::string>() +
                             "): the catalogue was edited without regenerating catalogue.json "
                             "(python3 references/make_manifest.py)");
            }
            m.file_md5["catalogue.json"] = md5_hex(embedded::catalogue_json);
        }
        for (auto const & [gene, r] : j.at("reference_sequences").items())
        {
            reference_sequence rs;
            rs.gene = gene;
            rs.contig = r.at("contig").get<std::string>();
            rs.cds_start = r.at("cds_start").get<int64_t>();
            rs.cds_end = r.at("cds_end").get<int64_t>();
            rs.length = r.value("length", int64_t{0});
            rs.md5 = r.value("md5", std::string{});
            rs.description = r.value("description", std::string{});
            refs_by_gene_[gene] = rs;
            m.references.push_back(rs);
            // The bundled rows are numbered on these exact sequences: a different sequence under the same name
            // (another version or a user FASTA) would make positions meaningless.
            auto const id = panel_.find(rs.contig);
            if (!id || !options_.builtin)
                continue;
            auto const & c = panel_.contigs()[*id];
            if (!rs.md5.empty())
                if (auto const md5 = sequence_md5(c.seq); md5 != rs.md5)
                    fail(origin,
                         0,
                         "reference " + rs.contig + " in " + panel_.origin() + " has sequence md5 " + md5 +
                             ", but the catalogue is numbered on the sequence with md5 " + rs.md5);
            if (c.cds_start != 0 && (c.cds_start != rs.cds_start || c.cds_end != rs.cds_end))
                fail(origin,
                     0,
                     "reference " + rs.contig + " CDS " + std::to_string(c.cds_start) + ".." +
                         std::to_string(c.cds_end) + " in " + panel_.origin() + " differs from the catalogue's " +
                         std::to_string(rs.cds_start) + ".." + std::to_string(rs.cds_end));
        }
    }
    catch (nlohmann::json::exception const & e)
    {
        fail(origin, 0, std::string{"unexpected structure: "} + e.what());
    }
}

loader::transcript loader::resolve(std::string_view gene, std::string_view label) const
{
    auto finish = [&](uint32_t id, int64_t cds_start, int64_t cds_end)
    {
        auto const & c = panel_.contigs()[id];
        if (!c.gene.empty() && c.gene != gene)
            throw row_failure{"transcript " + c.name + " belongs to gene " + c.gene + ", not " + std::string{gene}};
        if (cds_start <= 0 || cds_end < cds_start + 2 || cds_end > static_cast<int64_t>(c.seq.size()))
            throw row_failure{"transcript " + c.name + " has no usable CDS annotation"};
        return transcript{c.name, cds_start, cds_end, &c.seq};
    };
    auto cds_of = [&](uint32_t id)
    {
        auto const & c = panel_.contigs()[id];
        if (auto const it = refs_by_gene_.find(gene); it != refs_by_gene_.end() && it->second.contig == c.name)
            return std::pair{it->second.cds_start, it->second.cds_end};
        return std::pair{c.cds_start, c.cds_end};
    };
    // 1. The transcript cell names a panel contig, with or without its version ("NM_005157 (isoform 1a ...)").
    auto const token = trim(label.substr(0, std::min(label.find(' '), label.find('('))));
    if (!token.empty())
    {
        if (auto const id = panel_.find(token))
        {
            auto const [s, e] = cds_of(*id);
            return finish(*id, s, e);
        }
        if (token.find('.') == std::string_view::npos)
        {
            std::optional<uint32_t> hit;
            int hits = 0;
            for (uint32_t i = 0; i < panel_.contigs().size(); ++i)
                if (auto const & n = panel_.contigs()[i].name;
                    n.size() > token.size() + 1 && n.starts_with(token) && n[token.size()] == '.')
                {
                    hit = i;
                    ++hits;
                }
            if (hits == 1)
            {
                auto const [s, e] = cds_of(*hit);
                return finish(*hit, s, e);
            }
        }
    }
    // 2. The transcript the catalogue numbers this gene on (catalogue.json).
    if (auto const it = refs_by_gene_.find(gene); it != refs_by_gene_.end())
    {
        auto const id = panel_.find(it->second.contig);
        if (!id)
            throw row_failure{"the reference " + panel_.origin() + " has no contig " + it->second.contig +
                              " (the transcript the catalogue numbers " + std::string{gene} + " on)"};
        return finish(*id, it->second.cds_start, it->second.cds_end);
    }
    // 3. The panel's annotated transcript of this gene.
    std::optional<uint32_t> hit;
    for (uint32_t i = 0; i < panel_.contigs().size(); ++i)
        if (auto const & c = panel_.contigs()[i]; c.gene == gene && c.kind == "transcript" && c.cds_start > 0)
        {
            if (hit)
                throw row_failure{"gene " + std::string{gene} + " has several transcripts in " + panel_.origin() +
                                  "; name one in the transcript column"};
            hit = i;
        }
    if (!hit)
        throw row_failure{"no reference transcript for gene '" + std::string{gene} + "' in " + panel_.origin()};
    return finish(*hit, panel_.contigs()[*hit].cds_start, panel_.contigs()[*hit].cds_end);
}

std::string loader::codon_at(transcript const & tx, int64_t codon) const
{
    int64_t const n_codons = (tx.cds_end - tx.cds_start + 1) / 3;
    if (codon < 1 || codon > n_codons)
        throw row_failure{"codon " + std::to_string(codon) + " is outside the CDS of " + tx.contig + " (" +
                          std::to_string(n_codons) + " codons)"};
    auto const at = static_cast<size_t>(tx.cds_start - 1 + 3 * (codon - 1));
    std::string s;
    for (size_t k = 0; k < 3; ++k)
        s.push_back(code_to_char[(*tx.seq)[at + k]]);
    return s;
}

void loader::check_reference_codons()
{
    std::string const origin = builtin_origin("abl1_reference_codons.tsv");
    auto const t = read_table(origin, embedded::abl1_reference_codons_tsv);
    for (auto const & row : t.rows)
    {
        row_view const r{t, row};
        try
        {
            auto const tx = resolve(r["gene"], r["transcript_numbering"]);
            int64_t const codon = parse_positive(r["codon"]);
            if (codon == 0)
                throw row_failure{"codon '" + std::string{r["codon"]} + "' is not a positive integer"};
            auto const ref = codon_at(tx, codon);
            if (upper(r["ref_codon"]) != ref)
                throw row_failure{"ref_codon " + std::string{r["ref_codon"]} + " but " + tx.contig + " codon " +
                                  std::to_string(codon) + " is " + ref};
            if (std::string(1, translate(ref)) != r["aa"])
                throw row_failure{"aa " + std::string{r["aa"]} + " but codon " + ref + " translates to " +
                                  std::string(1, translate(ref))};
            if (parse_positive(r["c_start"]) != 3 * codon - 2 || parse_positive(r["c_end"]) != 3 * codon)
                throw row_failure{"c_start/c_end are not c." + std::to_string(3 * codon - 2) + "-" +
                                  std::to_string(3 * codon)};
        }
        catch (row_failure const & f)
        {
            fail(origin, row.line, f.message);
        }
    }
}

mutation loader::check_mutation_row(std::string const & origin, row_view const & r)
{
    // Problems of one row are collected; the row is dropped if there is any.
    std::vector<std::string> problems;
    mutation m;
    m.origin = origin;
    m.line = r.row.line;
    m.gene = std::string{r["gene"]};
    if (m.gene.empty())
        throw row_failure{"empty gene"};
    m.codon = parse_positive(r["codon"]);
    if (m.codon == 0)
        throw row_failure{"codon '" + std::string{r["codon"]} + "' is not a positive integer"};
    m.ref_aa = parse_aa(r["ref_aa"]);
    m.alt_aa = parse_aa(r["alt_aa"]);
    if (m.ref_aa == 0)
        throw row_failure{"ref_aa '" + std::string{r["ref_aa"]} + "' is not an amino acid (e.g. Thr or T)"};
    if (m.alt_aa == 0)
        throw row_failure{"alt_aa '" + std::string{r["alt_aa"]} + "' is not an amino acid (e.g. Ile or I)"};
    if (m.ref_aa == m.alt_aa)
        throw row_failure{"ref_aa and alt_aa are both " + aa3(m.ref_aa)};
    m.transcript_label = std::string{r["transcript"]};
    auto const tx = resolve(m.gene, m.transcript_label);
    m.transcript = tx.contig;
    m.cds_start = tx.cds_start;
    m.ref_codon = codon_at(tx, m.codon);
    m.name = std::string(1, m.ref_aa) + std::to_string(m.codon) + std::string(1, m.alt_aa);
    m.id = m.gene + ":" + m.name;
    std::string const where = tx.contig + " codon " + std::to_string(m.codon) + " (c." + std::to_string(m.cds_first()) +
                              "-" + std::to_string(m.cds_first() + 2) + ")";

    // The reference codon.
    if (auto const stated = upper(r["ref_codon"]); stated != m.ref_codon)
        problems.push_back("ref_codon " + stated + " does not match the reference: " + where + " is " + m.ref_codon);
    if (char const aa = translate(m.ref_codon); aa != m.ref_aa)
        problems.push_back("reference " + where + " " + m.ref_codon + " translates to " + aa3(aa) + ", not ref_aa " +
                           aa3(m.ref_aa));

    // Protein notation: both columns must name this codon, ref_aa and alt_aa.
    auto check_p = [&](std::string_view column, bool want_three_letter)
    {
        auto const text = r[column];
        auto const p = parse_hgvs_p(text);
        if (!p)
        {
            problems.push_back("malformed HGVS in " + std::string{column} + " '" + std::string{text} + "': " + p.error);
            return;
        }
        if (want_three_letter && p->short_form)
            problems.push_back(std::string{column} + " '" + std::string{text} +
                               "' must use three-letter amino-acid codes (" + m.hgvs_p + ")");
        if (p->position != m.codon || p->ref_aa != m.ref_aa || p->alt_aa != m.alt_aa)
            problems.push_back(std::string{column} + " " + std::string{text} + " does not agree with codon " +
                               std::to_string(m.codon) + ", ref_aa " + aa3(m.ref_aa) + ", alt_aa " + aa3(m.alt_aa) +
                               " (" + m.name + ")");
    };
    m.hgvs_p = "p." + aa3(m.ref_aa) + std::to_string(m.codon) + aa3(m.alt_aa);
    check_p("hgvs_p", true);
    check_p("protein_change", false);

    // Nucleotide routes: each must start from the reference codon and give alt_aa.
    auto const route_cell = r["nt_change_hgvs_c"];
    auto const route_texts = split_list(route_cell, "|");
    if (route_texts.empty())
        problems.push_back("no nucleotide change in nt_change_hgvs_c");
    for (auto const & text : route_texts)
    {
        auto const c = parse_hgvs_c(text);
        if (!c)
        {
            problems.push_back("malformed HGVS in nt_change_hgvs_c '" + text + "': " + c.error);
            continue;
        }
        auto const alt = apply_to_codon(*c, m.codon, m.ref_codon);
        if (!alt)
        {
            problems.push_back("route " + text + ": " + alt.error);
            continue;
        }
        if (char const aa = translate(*alt); aa != m.alt_aa)
        {
            problems.push_back("route " + text + " changes " + m.ref_codon + " to " + *alt + " = " + aa3(aa) +
                               ", not alt_aa " + aa3(m.alt_aa));
            continue;
        }
        auto const canonical = c->to_string();
        if (std::any_of(m.routes.begin(),
                        m.routes.end(),
                        [&](route const & x)
                        {
                            return x.hgvs_c == canonical;
                        }))
        {
            problems.push_back("route " + text + " is listed twice");
            continue;
        }
        m.routes.push_back({canonical, *alt});
    }

    // Drug effects and IC50 folds.
    for (auto d : tki_drugs)
    {
        auto const col = r.table.column(d);
        auto const fold_col = "ic50_fold_" + std::string{d};
        if (!col && !r.table.column(fold_col))
            continue;
        drug_effect de;
        de.drug = std::string{d};
        if (auto const v = r[d]; !v.empty())
        {
            if (auto const e = parse_effect(v))
                de.call = *e;
            else
                problems.push_back(std::string{d} + " '" + std::string{v} +
                                   "' is not one of resistant, intermediate, sensitive, unknown");
        }
        if (auto const v = r[fold_col]; !v.empty())
        {
            auto const x = parse_double(v);
            if (!x || !std::isfinite(*x) || *x <= 0)
                problems.push_back(fold_col + " '" + std::string{v} + "' is not a positive number");
            else
                de.ic50_fold = *x;
        }
        m.drugs.push_back(std::move(de));
    }

    m.region = std::string{r["region"]};
    m.nt_change_basis = std::string{r["nt_change_basis"]};
    m.sensitivity_basis = std::string{r["sensitivity_basis"]};
    m.ic50_source = std::string{r["ic50_source"]};
    m.notes = std::string{r["notes"]};
    m.sources = split_list(r["source"], " | ");
    for (size_t i = 0; i < r.table.header.size(); ++i)
        if (auto const & name = r.table.header[i]; !is_modelled(name))
            if (auto const v = trim(r.row.fields[i]); !v.empty())
                m.attributes.emplace_back(name, std::string{v});

    if (!problems.empty())
    {
        // Report all but the last here; the last is thrown so the caller records it.
        for (size_t i = 0; i + 1 < problems.size(); ++i)
            fail(origin, r.row.line, problems[i]);
        throw row_failure{problems.back()};
    }
    return m;
}

bool loader::add(mutation m)
{
    if (auto const * prev = cat_.by_id(m.id))
    {
        fail(m.origin,
             m.line,
             "duplicate entry " + m.id + " (already defined at " + prev->origin + " line " +
                 std::to_string(prev->line) + ")" +
                 (prev->origin.starts_with(builtin_prefix) && !m.origin.starts_with(builtin_prefix)
                      ? "; use --catalogue-only to replace the bundled catalogue"
                      : ""));
        return false;
    }
    cat_.mutations_.push_back(std::move(m));
    ++report_.valid_entries;
    return true;
}

void loader::load_mutation_table(std::string const & origin, std::string_view text)
{
    auto const errors_before = report_.errors.size();
    auto const t = read_table(origin, text);
    if (t.header.empty())
        return;
    if (t.rows.empty() && report_.errors.size() == errors_before)
    {
        // A header and nothing else (or only comments): adds nothing, and with --catalogue-only leaves nothing to call.
        fail(origin, t.header_line, "no entries: the file has a header line but no rows");
        return;
    }
    std::vector<std::string> missing;
    for (auto c : required_columns)
        if (!t.column(c))
            missing.emplace_back(c);
    if (!missing.empty())
    {
        std::string list;
        for (auto const & c : missing)
            list += (list.empty() ? "" : ", ") + c;
        fail(origin,
             t.header_line,
             "missing column(s) " + list + " (a catalogue has the columns of abl1_mutations.tsv)");
        return;
    }
    for (auto const & row : t.rows)
    {
        try
        {
            add(check_mutation_row(origin, row_view{t, row}));
        }
        catch (row_failure const & f)
        {
            fail(origin, row.line, f.message);
        }
    }
}

// slc19a1_variants.tsv has a free-text schema (variant labels, stated changes, direction doubts). A row becomes an
// entry only if it is a human NM_194255 single amino-acid substitution that can be checked on the reference
// transcript the catalogue numbers SLC19A1 on (ENST00000311124); every other row is reported as skipped.
void loader::load_slc19a1(std::string const & origin, std::string_view text)
{
    auto const t = read_table(origin, text);
    for (auto const & row : t.rows)
    {
        row_view const r{t, row};
        std::string const label{r["variant_label_in_source"]};
        auto const gene = r["gene"];
        auto const tx_label = r["transcript"];
        if (gene != "SLC19A1" || !tx_label.starts_with("NM_194255"))
        {
            skip(origin,
                 row.line,
                 label,
                 "not a human NM_194255 variant (gene '" + std::string{gene} + "', transcript '" +
                     std::string{tx_label} + "')");
            continue;
        }
        // For a skipped row with a stated substitution, say which allele the reference carries (direction doubts).
        auto allele_note = [&]() -> std::string
        {
            auto const c = parse_hgvs_c(token_with(r["hgvs_c_reference_frame"], "c."));
            if (!c || c->kind != c_kind::substitution)
                return {};
            try
            {
                auto const tx = resolve(gene, tx_label);
                if (c->start > tx.cds_end - tx.cds_start + 1)
                    return {};
                char const base = code_to_char[(*tx.seq)[static_cast<size_t>(tx.cds_start - 1 + c->start - 1)]];
                std::string const at = tx.contig + " carries " + base + " at c." + std::to_string(c->start);
                if (base == c->inserted[0])
                    return "; " + at + ", the row's new allele (in that reference frame: c." +
                           std::to_string(c->start) + c->inserted + ">" + c->deleted + ")";
                if (base != c->deleted[0])
                    return "; " + at + ", neither allele of " + c->to_string();
            }
            catch (row_failure const &)
            {
            }
            return {};
        };
        auto const p_cell = r["hgvs_p"];
        auto const p_text = token_with(p_cell, "p.");
        if (p_text.empty())
        {
            skip(origin,
                 row.line,
                 label,
                 "no amino-acid substitution (protein change: '" + std::string{r["protein_change_as_stated"]} + "')" +
                     allele_note());
            continue;
        }
        auto const p = parse_hgvs_p(p_text);
        if (!p)
        {
            skip(origin,
                 row.line,
                 label,
                 "not a single amino-acid substitution: hgvs_p '" + std::string{p_cell} + "' (" + p.error + ")" +
                     allele_note());
            continue;
        }
        try
        {
            mutation m;
            m.origin = origin;
            m.line = row.line;
            m.gene = std::string{gene};
            m.transcript_label = std::string{tx_label};
            auto const tx = resolve(m.gene, m.transcript_label);
            m.transcript = tx.contig;
            m.cds_start = tx.cds_start;
            m.codon = p->position;
            m.ref_aa = p->ref_aa;
            m.alt_aa = p->alt_aa;
            m.ref_codon = codon_at(tx, m.codon);
            m.name = p->to_short_string();
            m.id = m.gene + ":" + m.name;
            m.hgvs_p = p->to_string();
            std::string const where = tx.contig + " codon " + std::to_string(m.codon) + " " + m.ref_codon;
            if (char const aa = translate(m.ref_codon); aa != m.ref_aa)
            {
                if (aa == m.alt_aa)
                {
                    // The reference carries the row's "alt" allele: a polarity question for the curators, not an
                    // error of the reference.
                    skip(origin,
                         row.line,
                         label,
                         "allele polarity: " + where + " encodes " + aa3(aa) + ", the row's new residue (" +
                             std::string{p_text} + ")");
                    continue;
                }
                throw row_failure{std::string{p_text} + ": reference " + where + " translates to " + aa3(aa) +
                                  ", not " + aa3(m.ref_aa)};
            }

            // Nucleotide route: the stated c. change in the reference frame, or, where the source leaves it open
            // ("ambiguous", not stated), every single-nucleotide change of the reference codon that gives alt_aa.
            auto const c_cell = r["hgvs_c_reference_frame"];
            auto const c_text = c_cell.starts_with("ambiguous") ? std::string_view{} : token_with(c_cell, "c.");
            if (!c_text.empty())
            {
                auto const c = parse_hgvs_c(c_text);
                if (!c)
                    throw row_failure{"malformed HGVS in hgvs_c_reference_frame '" + std::string{c_text} +
                                      "': " + c.error};
                auto const alt = apply_to_codon(*c, m.codon, m.ref_codon);
                if (!alt)
                    throw row_failure{"route " + std::string{c_text} + " on " + tx.contig + ": " + alt.error};
                if (char const aa = translate(*alt); aa != m.alt_aa)
                    throw row_failure{"route " + std::string{c_text} + " changes " + m.ref_codon + " to " + *alt +
                                      " = " + aa3(aa) + ", not " + aa3(m.alt_aa)};
                m.routes.push_back({c->to_string(), *alt});
                m.nt_change_basis = "stated: " + std::string{c_cell};
            }
            else
            {
                for (int pos = 0; pos < 3; ++pos)
                    for (char b : std::string_view{"ACGT"})
                    {
                        if (b == m.ref_codon[pos])
                            continue;
                        auto alt = m.ref_codon;
                        alt[pos] = b;
                        if (translate(alt) == m.alt_aa)
                            m.routes.push_back({"c." + std::to_string(m.cds_first() + pos) + m.ref_codon[pos] + ">" +
                                                    std::string(1, b),
                                                alt});
                    }
                if (m.routes.empty())
                {
                    skip(origin,
                         row.line,
                         label,
                         "no single-nucleotide route from " + where + " (" + aa3(m.ref_aa) + ") to " + aa3(m.alt_aa));
                    continue;
                }
                m.nt_change_basis = "derived: every single-nucleotide route from the " + tx.contig +
                                    " reference codon (source: '" + std::string{c_cell} + "')";
            }

            // Methotrexate effect from the free-text columns: "resistant" where the row's own reported phenotype
            // is (antifolate) resistance; "unknown" where the row only points to a combined phenotype ("see ...")
            // or reports an association without resistance.
            drug_effect de;
            de.drug = std::string{slc19a1_drug};
            auto const reported = r["reported_effect"];
            auto const association = r["association_or_phenotype"];
            if (reported.starts_with("see "))
                m.sensitivity_basis = "effect reported only in combination with other variants (" +
                                      std::string{reported} + "); individual effect not established";
            else if (association.find("resistance") != std::string_view::npos)
            {
                de.call = effect::resistant;
                m.sensitivity_basis = std::string{association} + ": " + std::string{reported};
            }
            else
                m.sensitivity_basis = "no resistance phenotype reported for the variant itself (see reported_effect "
                                      "and association_or_phenotype)";
            m.drugs.push_back(std::move(de));
            m.notes = std::string{r["notes"]};
            m.sources = split_list(r["source"], " | ");
            for (std::string_view col : {"variant_label_in_source",
                                         "nt_change_as_stated",
                                         "hgvs_c_reference_frame",
                                         "protein_change_as_stated",
                                         "rsid",
                                         "direction_flag",
                                         "context",
                                         "reported_effect",
                                         "association_or_phenotype"})
                if (auto const v = r[col]; !v.empty())
                    m.attributes.emplace_back(std::string{col}, std::string{v});
            add(std::move(m));
        }
        catch (row_failure const & f)
        {
            fail(origin, row.line, f.message);
        }
    }
}

// abl1_compound.tsv: rows naming a pair of catalogue entries ("T315I/E453K") and the two class rows
// ("T315I-inclusive ... (class)", "non-T315I ... (class)") are loaded; summary and evidence rows are skipped.
void loader::load_compounds(std::string const & origin, std::string_view text)
{
    auto const t = read_table(origin, text);
    auto entry = [&](std::string_view short_name) -> std::string
    {
        auto const p = parse_hgvs_p(short_name);
        if (!p || !p->short_form)
            throw row_failure{"'" + std::string{short_name} + "' is not a substitution in short form (e.g. T315I)"};
        auto const id = std::string{compound_gene} + ":" + p->to_short_string();
        if (!cat_.by_id(id))
            throw row_failure{"component " + id + " is not a catalogue entry"};
        return id;
    };
    for (auto const & row : t.rows)
    {
        row_view const r{t, row};
        compound c;
        c.name = std::string{r["compound"]};
        c.origin = origin;
        c.line = row.line;
        try
        {
            if (c.name.ends_with("(class)"))
            {
                // "<X>-inclusive compound mutants (class)" or "non-<X> compound mutants (class)"
                auto const head = std::string_view{c.name}.substr(0, c.name.find(' '));
                if (head.starts_with("non-"))
                {
                    c.kind = compound_kind::class_without_anchor;
                    c.anchor = entry(head.substr(4));
                }
                else if (head.ends_with("-inclusive"))
                {
                    c.kind = compound_kind::class_with_anchor;
                    c.anchor = entry(head.substr(0, head.size() - std::string_view{"-inclusive"}.size()));
                }
                else
                {
                    skip(origin, row.line, c.name, "class row without a recognised rule ('X-inclusive' or 'non-X')");
                    continue;
                }
            }
            else if (c.name.find('/') != std::string::npos && std::all_of(c.name.begin(),
                                                                          c.name.end(),
                                                                          [](char x)
                                                                          {
                                                                              return x != ' ';
                                                                          }))
            {
                c.kind = compound_kind::specific;
                for (auto const & part : split_list(c.name, "/"))
                    c.components.push_back(entry(part));
                std::vector<std::string> listed;
                for (auto const & part : split_list(r["components"], ";"))
                    listed.push_back(entry(part));
                if (listed != c.components)
                    throw row_failure{"components '" + std::string{r["components"]} + "' do not match the name " +
                                      c.name};
            }
            else
            {
                // Say why: a combination with a substitution outside the catalogue, or an evidence/summary row.
                std::vector<std::string> named, outside;
                for (auto const & part : split_list(r["components"], ";"))
                {
                    auto const first = part.substr(0, part.find(' '));
                    if (auto const p = parse_hgvs_p(first); p && p->short_form)
                    {
                        named.push_back(first);
                        if (!cat_.by_id(std::string{compound_gene} + ":" + p->to_short_string()))
                            outside.push_back(first);
                    }
                }
                if (named.size() >= 2 && !outside.empty())
                    skip(origin,
                         row.line,
                         c.name,
                         "combination of " + join(named, " + ") + ", but " + join(outside, ", ") +
                             (outside.size() == 1 ? " is" : " are") + " not a catalogue entry");
                else
                    skip(origin,
                         row.line,
                         c.name,
                         "evidence or summary row, not a compound of named catalogue entries (components: '" +
                             std::string{r["components"]} + "')");
                continue;
            }
            c.evidence_type = std::string{r["evidence_type"]};
            c.effect = std::string{r["effect"]};
            for (auto const & d : split_list(r["drugs_affected"], ";"))
                if (d != "n/a")
                    c.drugs_affected.push_back(d);
            c.confidence = std::string{r["confidence"]};
            c.notes = std::string{r["notes"]};
            c.sources = split_list(r["source"], " | ");
            cat_.compounds_.push_back(std::move(c));
        }
        catch (row_failure const & f)
        {
            fail(origin, row.line, f.message);
        }
    }
}

validation_report loader::run(catalogue * out)
{
    if (!options_.builtin && options_.files.empty() && options_.texts.empty())
        throw config_error{"no catalogue to load: --catalogue-only needs at least one --catalogue FILE"};
    cat_.meta_.reference_origin = panel_.origin();
    cat_.meta_.reference_checksum = panel_.checksum();
    load_manifest();
    if (options_.builtin)
    {
        load_mutation_table(builtin_origin("abl1_mutations.tsv"), embedded::abl1_mutations_tsv);
        load_slc19a1(builtin_origin("slc19a1_variants.tsv"), embedded::slc19a1_variants_tsv);
        load_compounds(builtin_origin("abl1_compound.tsv"), embedded::abl1_compound_tsv);
        check_reference_codons();
    }
    for (auto const & path : options_.files)
    {
        std::ifstream in{path, std::ios::binary};
        if (!in)
        {
            fail(path, 0, std::string{"cannot open: "} + std::strerror(errno));
            continue;
        }
        std::string const text{std::istreambuf_iterator<char>{in}, {}};
        if (in.bad())
        {
            fail(path, 0, "read error");
            continue;
        }
        cat_.meta_.file_md5[path] = md5_hex(text);
        load_mutation_table(path, text);
    }
    for (auto const & [origin, text] : options_.texts)
    {
        cat_.meta_.file_md5[origin] = md5_hex(text);
        load_mutation_table(origin, text);
    }
    report_.skipped = cat_.skipped_;
    if (report_.errors.empty() && out)
        *out = std::move(cat_);
    return std::move(report_);
}

// ------------------------------------------------------------------------------------------------------------------

catalogue catalogue::load(reference::panel const & panel, load_options const & options)
{
    catalogue c;
    auto const report = validate(panel, options, &c);
    if (!report.errors.empty())
    {
        auto const & e = report.errors.front();
        std::string more;
        if (report.errors.size() > 1)
            more = " (and " + std::to_string(report.errors.size() - 1) +
                   " more problems; 'chemores catalogue validate' lists them all)";
        throw input_error{e.origin, e.line, e.message + more};
    }
    return c;
}

validation_report catalogue::validate(reference::panel const & panel, load_options const & options, catalogue * out)
{
    return loader{panel, options}.run(out);
}

std::vector<std::string> catalogue::drugs() const
{
    std::vector<std::string> out;
    for (auto d : tki_drugs)
        for (auto const & m : mutations_)
            if (m.effect_for(d))
            {
                out.emplace_back(d);
                break;
            }
    for (auto const & m : mutations_)
        for (auto const & d : m.drugs)
            if (std::find(out.begin(), out.end(), d.drug) == out.end())
                out.push_back(d.drug);
    return out;
}

mutation const * catalogue::by_id(std::string_view id) const noexcept
{
    for (auto const & m : mutations_)
        if (m.id == id)
            return &m;
    return nullptr;
}

std::vector<mutation const *> catalogue::find(std::string_view name) const
{
    std::vector<mutation const *> out;
    name = trim(name);
    if (name.empty())
        return out;
    if (auto const * m = by_id(name))
        return {m};
    // A "REF:" prefix restricts to a gene or transcript (with or without version).
    auto prefix_ok = [](mutation const & m, std::string const & ref)
    {
        if (ref.empty() || ref == m.gene || ref == m.transcript)
            return true;
        auto const dot = m.transcript.find('.');
        return dot != std::string::npos && ref == m.transcript.substr(0, dot);
    };
    for (auto const & text : {std::string{name}, upper(name)})
    {
        if (auto const c = parse_hgvs_c(text))
        {
            auto const canonical = c->to_string();
            for (auto const & m : mutations_)
                if (prefix_ok(m, c->reference) && std::any_of(m.routes.begin(),
                                                              m.routes.end(),
                                                              [&](route const & r)
                                                              {
                                                                  return r.hgvs_c == canonical;
                                                              }))
                    out.push_back(&m);
            return out;
        }
        if (auto const p = parse_hgvs_p(text))
        {
            for (auto const & m : mutations_)
                if (prefix_ok(m, p->reference) && m.codon == p->position && m.ref_aa == p->ref_aa &&
                    m.alt_aa == p->alt_aa)
                    out.push_back(&m);
            return out;
        }
    }
    return out;
}

std::vector<std::string> catalogue::suggest(std::string_view name, size_t n) const
{
    auto const query = upper(trim(name));
    bool const with_gene = query.find(':') != std::string::npos;
    std::vector<std::pair<size_t, std::string>> scored;
    for (auto const & m : mutations_)
    {
        size_t best =
            std::min(edit_distance(query, upper(with_gene ? m.id : m.name)), edit_distance(query, upper(m.hgvs_p)));
        auto const shown = with_gene ? m.id : m.name;
        if (std::none_of(scored.begin(),
                         scored.end(),
                         [&](auto const & s)
                         {
                             return s.second == shown;
                         }))
            scored.emplace_back(best, shown);
    }
    std::stable_sort(scored.begin(),
                     scored.end(),
                     [](auto const & a, auto const & b)
                     {
                         return a.first < b.first;
                     });
    std::vector<std::string> out;
    for (size_t i = 0; i < scored.size() && i < n; ++i)
        out.push_back(scored[i].second);
    return out;
}

std::vector<compound const *> catalogue::compounds_with(std::string_view id) const
{
    std::vector<compound const *> out;
    for (auto const & c : compounds_)
        if (c.anchor == id || std::find(c.components.begin(), c.components.end(), id) != c.components.end())
            out.push_back(&c);
    return out;
}

} // namespace chemores::catalogue
