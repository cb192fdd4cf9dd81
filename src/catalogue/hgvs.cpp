// A hand-written recursive-descent parser for the small subset of HGVS the catalogue uses. Every read goes through
// `cursor`, which checks bounds, so malformed or truncated input can only produce an error message.

#include <chemores/catalogue/genetic_code.hpp>
#include <chemores/catalogue/hgvs.hpp>

namespace chemores::catalogue
{

namespace
{
// Positions beyond this are rejected (no transcript is that long; keeps arithmetic far from overflow).
constexpr int64_t max_position = 1'000'000'000;
// Longest inserted/deleted sequence accepted in a delins.
constexpr size_t max_bases = 10'000;

struct cursor
{
    std::string_view s;
    size_t i = 0;

    bool done() const
    {
        return i >= s.size();
    }
    char peek(size_t ahead = 0) const
    {
        return i + ahead < s.size() ? s[i + ahead] : '\0';
    }
    bool eat(std::string_view token)
    {
        if (s.substr(i).starts_with(token))
        {
            i += token.size();
            return true;
        }
        return false;
    }
    std::string_view rest() const
    {
        return s.substr(std::min(i, s.size()));
    }
};

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}
bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}
bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}
bool is_base(char c)
{
    return c == 'A' || c == 'C' || c == 'G' || c == 'T';
}

// Quote a piece of the input for an error message (bounded, non-printable characters escaped).
std::string quote(std::string_view s)
{
    std::string r = "'";
    for (size_t k = 0; k < s.size() && k < 60; ++k)
    {
        auto const c = static_cast<unsigned char>(s[k]);
        if (c >= 0x20 && c < 0x7f)
            r += static_cast<char>(c);
        else
        {
            static constexpr char hex[] = "0123456789abcdef";
            r += "\\x";
            r += hex[c >> 4];
            r += hex[c & 15];
        }
    }
    if (s.size() > 60)
        r += "...";
    return r + "'";
}

// A positive decimal position without leading zeros; on failure returns 0 and sets `error`.
int64_t read_position(cursor & c, std::string & error, std::string_view what)
{
    if (!is_digit(c.peek()))
    {
        error = "expected " + std::string{what} + " at " + quote(c.rest());
        return 0;
    }
    if (c.peek() == '0')
    {
        error = std::string{what} + " must be a positive number without leading zeros";
        return 0;
    }
    int64_t v = 0;
    while (is_digit(c.peek()))
    {
        v = v * 10 + (c.peek() - '0');
        ++c.i;
        if (v > max_position)
        {
            error = std::string{what} + " is too large";
            return 0;
        }
    }
    return v;
}

// Bases [ACGT]+ (upper case); empty result and `error` set on failure.
std::string read_bases(cursor & c, std::string & error, std::string_view what)
{
    std::string b;
    while (is_base(c.peek()))
    {
        b += c.peek();
        ++c.i;
        if (b.size() > max_bases)
        {
            error = std::string{what} + " is longer than " + std::to_string(max_bases) + " bases";
            return {};
        }
    }
    if (b.empty())
    {
        if (is_lower(c.peek()) || c.peek() == 'N' || c.peek() == 'U')
            error = std::string{what} + ": bases must be upper-case A, C, G or T, found " + quote(c.rest());
        else
            error = "expected " + std::string{what} + " (A, C, G, T) at " + quote(c.rest());
    }
    return b;
}

// Optional "REFERENCE:" prefix (accession or gene symbol): [A-Za-z0-9_.-]+ followed by ':'.
std::string read_reference(cursor & c)
{
    size_t k = c.i;
    while (k < c.s.size() && (is_upper(c.s[k]) || is_lower(c.s[k]) || is_digit(c.s[k]) || c.s[k] == '_' ||
                              c.s[k] == '.' || c.s[k] == '-'))
        ++k;
    if (k > c.i && k < c.s.size() && c.s[k] == ':')
    {
        std::string r{c.s.substr(c.i, k - c.i)};
        c.i = k + 1;
        return r;
    }
    return {};
}

// After a position: reject UTR/intronic offsets with a clear message.
bool reject_offset(cursor const & c, std::string & error)
{
    if (c.peek() == '+' || (c.peek() == '-' && is_digit(c.peek(1))))
    {
        error = "intronic positions (c.N+M, c.N-M) are not supported";
        return true;
    }
    return false;
}

// An amino acid in the style given (three-letter or one-letter); returns 0 and sets `error` on failure.
char read_aa(cursor & c, bool three, std::string & error, std::string_view what)
{
    if (three)
    {
        if (is_upper(c.peek()) && is_lower(c.peek(1)) && is_lower(c.peek(2)))
        {
            char const aa = one_letter(c.s.substr(c.i, 3));
            if (aa != 0)
            {
                c.i += 3;
                return aa;
            }
            error = quote(c.s.substr(c.i, 3)) + " is not a three-letter amino-acid code";
            return 0;
        }
        if (c.peek() == '*')
        {
            ++c.i;
            return '*';
        }
        error =
            "expected the " + std::string{what} + " amino acid in three-letter code (e.g. Thr) at " + quote(c.rest());
        return 0;
    }
    char const x = c.peek();
    if (x == '*' || (is_upper(x) && is_amino_acid(x)))
    {
        ++c.i;
        return x;
    }
    error = "expected the " + std::string{what} + " amino acid in one-letter code (e.g. T) at " + quote(c.rest());
    return 0;
}
} // namespace

std::string c_change::to_string() const
{
    std::string s = "c." + std::to_string(start);
    if (kind == c_kind::substitution)
        return s + deleted + ">" + inserted;
    if (end != start)
        s += "_" + std::to_string(end);
    return s + "del" + deleted + "ins" + inserted;
}

std::string p_change::to_string() const
{
    return "p." + std::string{three_letter(ref_aa)} + std::to_string(position) + std::string{three_letter(alt_aa)};
}

std::string p_change::to_short_string() const
{
    return std::string(1, ref_aa) + std::to_string(position) + std::string(1, alt_aa);
}

parse_result<c_change> parse_hgvs_c(std::string_view text)
{
    parse_result<c_change> r;
    cursor c{text};
    c_change ch;
    ch.reference = read_reference(c);
    if (!c.eat("c."))
    {
        if (c.eat("g.") || c.eat("n.") || c.eat("r.") || c.eat("m.") || c.eat("p."))
            r.error = "only coding-DNA changes (c.) are supported here, not " + quote(text.substr(0, c.i));
        else
            r.error = "expected 'c.' at " + quote(c.rest());
        return r;
    }
    if (c.peek() == '-' || c.peek() == '*')
    {
        r.error = "UTR positions (c.-N, c.*N) are not supported";
        return r;
    }
    if (c.peek() == '(' || c.peek() == '?' || c.peek() == '=')
    {
        r.error = "uncertain or unchanged coding positions ('(', '?', '=') are not supported";
        return r;
    }
    ch.start = read_position(c, r.error, "position");
    if (ch.start == 0 || reject_offset(c, r.error))
        return r;
    ch.end = ch.start;

    if (is_base(c.peek()) || (is_lower(c.peek()) && c.peek(1) == '>'))
    {
        // substitution: <pos><ref>><alt>
        if (!is_base(c.peek()))
        {
            r.error = "bases must be upper-case A, C, G or T, found " + quote(c.rest());
            return r;
        }
        ch.kind = c_kind::substitution;
        ch.deleted = std::string(1, c.peek());
        ++c.i;
        if (!c.eat(">"))
        {
            if (is_base(c.peek()))
                r.error = "a substitution replaces one base (c.NX>Y); use delins for several";
            else
                r.error = "expected '>' after the reference base at " + quote(c.rest());
            return r;
        }
        if (!is_base(c.peek()))
        {
            r.error = "expected the new base (A, C, G, T) after '>' at " + quote(c.rest());
            return r;
        }
        ch.inserted = std::string(1, c.peek());
        ++c.i;
        if (ch.inserted == ch.deleted)
        {
            r.error = "substitution " + ch.deleted + ">" + ch.inserted + " does not change the base";
            return r;
        }
    }
    else
    {
        if (c.eat("_"))
        {
            if (c.peek() == '-' || c.peek() == '*')
            {
                r.error = "UTR positions (c.-N, c.*N) are not supported";
                return r;
            }
            ch.end = read_position(c, r.error, "end position");
            if (ch.end == 0 || reject_offset(c, r.error))
                return r;
            if (ch.end <= ch.start)
            {
                r.error = "range end " + std::to_string(ch.end) + " is not after its start " + std::to_string(ch.start);
                return r;
            }
        }
        if (!c.eat("del"))
        {
            for (std::string_view kw : {"dup", "ins", "inv", "con", "="})
                if (c.rest().starts_with(kw))
                {
                    r.error = "unsupported change '" + std::string{kw} +
                              "': only substitutions (c.NX>Y) and deletion-insertions (c.N_MdelinsXY) are supported";
                    return r;
                }
            r.error = "expected a substitution (X>Y) or 'delins' at " + quote(c.rest());
            return r;
        }
        ch.kind = c_kind::delins;
        if (is_base(c.peek()))
        {
            ch.deleted = read_bases(c, r.error, "deleted bases");
            if (!r.error.empty())
                return r;
            if (static_cast<int64_t>(ch.deleted.size()) != ch.end - ch.start + 1)
            {
                r.error = "deleted bases " + ch.deleted + " do not match the length of " + std::to_string(ch.start) +
                          (ch.end != ch.start ? "_" + std::to_string(ch.end) : std::string{});
                return r;
            }
        }
        if (!c.eat("ins"))
        {
            r.error = c.done() ? std::string{"deletions without insertion are not supported (only delins)"}
                               : "expected 'ins' at " + quote(c.rest());
            return r;
        }
        ch.inserted = read_bases(c, r.error, "inserted bases");
        if (!r.error.empty())
            return r;
    }
    if (!c.done())
    {
        r.error = "unexpected text after the change: " + quote(c.rest());
        return r;
    }
    r.value = std::move(ch);
    return r;
}

parse_result<p_change> parse_hgvs_p(std::string_view text)
{
    parse_result<p_change> r;
    cursor c{text};
    p_change p;
    p.reference = read_reference(c);
    bool const has_prefix = c.eat("p.");
    if (!has_prefix && (c.rest().starts_with("c.") || c.rest().starts_with("g.") || c.rest().starts_with("n.")))
    {
        r.error = "expected a protein change (p.), not " + quote(c.rest().substr(0, 2));
        return r;
    }
    if (has_prefix && c.eat("("))
        p.predicted = true;
    if (c.peek() == '=')
    {
        r.error = "synonymous (p.=): the protein is unchanged, not a substitution";
        return r;
    }
    if (c.peek() == '?')
    {
        r.error = "the reference residue is not stated ('?'): not a substitution that can be checked";
        return r;
    }
    if (c.peek() == '0' && !is_digit(c.peek(1)))
    {
        r.error = "no protein (p.0) is not a substitution";
        return r;
    }
    // Three-letter style if an upper-case letter is followed by a lower-case one ("Thr"); else one-letter ("T").
    bool const three = is_upper(c.peek()) && is_lower(c.peek(1));
    p.short_form = !three;
    p.ref_aa = read_aa(c, three, r.error, "reference");
    if (p.ref_aa == 0)
        return r;
    p.position = read_position(c, r.error, "codon number");
    if (p.position == 0)
        return r;
    if (c.peek() == '=')
    {
        r.error = "synonymous change (=) is not a substitution";
        return r;
    }
    for (std::string_view kw : {"fs", "del", "ins", "dup", "ext", "_"})
        if (c.rest().starts_with(kw))
        {
            r.error = "unsupported protein change '" + std::string{kw} + "': only substitutions are supported";
            return r;
        }
    if (three && is_upper(c.peek()) && !is_lower(c.peek(1)))
    {
        r.error = "mixed one- and three-letter amino-acid codes in " + quote(text);
        return r;
    }
    if (!three && is_upper(c.peek()) && is_lower(c.peek(1)))
    {
        r.error = "mixed one- and three-letter amino-acid codes in " + quote(text);
        return r;
    }
    p.alt_aa = read_aa(c, three, r.error, "new");
    if (p.alt_aa == 0)
        return r;
    if (p.predicted && !c.eat(")"))
    {
        r.error = "missing ')' in " + quote(text);
        return r;
    }
    if (!c.done())
    {
        r.error = "unexpected text after the change: " + quote(c.rest());
        return r;
    }
    if (p.alt_aa == p.ref_aa)
    {
        r.error = "reference and new amino acid are the same (synonymous); not a substitution";
        return r;
    }
    r.value = std::move(p);
    return r;
}

parse_result<std::string> apply_to_codon(c_change const & change, int64_t codon, std::string_view ref_codon)
{
    parse_result<std::string> r;
    if (codon <= 0 || ref_codon.size() != 3)
    {
        r.error = "invalid codon " + std::to_string(codon) + " " + quote(ref_codon);
        return r;
    }
    int64_t const first = 3 * (codon - 1) + 1, last = first + 2;
    std::string const span =
        "codon " + std::to_string(codon) + " (c." + std::to_string(first) + "-" + std::to_string(last) + ")";
    if (change.start < first || change.end > last)
    {
        r.error = change.to_string() + " lies outside " + span;
        return r;
    }
    auto const offset = static_cast<size_t>(change.start - first);
    auto const length = static_cast<size_t>(change.end - change.start + 1);
    if (change.inserted.size() != length)
    {
        r.error = change.to_string() + " changes the length (" + std::to_string(length) + " bases replaced by " +
                  std::to_string(change.inserted.size()) + "): not a codon substitution";
        return r;
    }
    std::string_view const ref_part = ref_codon.substr(offset, length);
    if (!change.deleted.empty() && change.deleted != ref_part)
    {
        r.error = change.to_string() + ": the reference " + (length == 1 ? "base" : "bases") + " at c." +
                  std::to_string(change.start) + (length == 1 ? std::string{} : "_" + std::to_string(change.end)) +
                  " " + (length == 1 ? "is " : "are ") + std::string{ref_part} + ", not " + change.deleted + " (" +
                  span + " = " + std::string{ref_codon} + ")";
        return r;
    }
    std::string alt{ref_codon};
    alt.replace(offset, length, change.inserted);
    if (alt == ref_codon)
    {
        r.error = change.to_string() + " leaves " + span + " unchanged (" + std::string{ref_codon} + ")";
        return r;
    }
    r.value = std::move(alt);
    return r;
}

} // namespace chemores::catalogue
