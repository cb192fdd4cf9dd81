#pragma once
//!\file
//!\brief The mutation catalogue: drug-resistance substitutions in HGVS notation, validated against the reference
//!       panel when loaded.
//!\details The bundled catalogue (references/catalogue/, compiled into the binary) holds the ABL1 kinase-domain
//!         substitutions of abl1_mutations.tsv, the SLC19A1 rows of slc19a1_variants.tsv that are human codon
//!         substitutions, and the compound mutations of abl1_compound.tsv. User catalogues use the columns of
//!         abl1_mutations.tsv. Every row is checked against the reference transcript: the codon at its position
//!         must equal `ref_codon` and translate to `ref_aa`, every nucleotide route must have the right reference
//!         base(s) and give `alt_aa`, and `hgvs_p` / `protein_change` must agree with codon, ref_aa and alt_aa. A
//!         row that fails is an input_error naming the file, the line and the mismatch.

#include <array>
#include <chemores/reference/panel.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chemores::catalogue
{

//!\brief The clinical/guideline effect of a mutation on one drug.
enum class effect : uint8_t
{
    sensitive,
    intermediate,
    resistant,
    unknown
};

//!\brief "sensitive", "intermediate", "resistant", "unknown".
std::string_view to_string(effect e) noexcept;
//!\brief Parse one of the four effect names (exact, lower case); nullopt otherwise.
std::optional<effect> parse_effect(std::string_view s) noexcept;

//!\brief The six ABL1 tyrosine-kinase inhibitors of the catalogue, in column order.
inline constexpr std::array<std::string_view, 6> tki_drugs{
    "imatinib", "dasatinib", "nilotinib", "bosutinib", "ponatinib", "asciminib"};

//!\brief The effect of a mutation on one drug, and the in-vitro IC50 fold change where known.
struct drug_effect
{
    std::string drug;                //!< e.g. "imatinib", "methotrexate"
    effect call = effect::unknown;   //!< guideline/clinical category
    std::optional<double> ic50_fold; //!< mutant IC50 / wild-type IC50 (in vitro); nullopt if not known
};

//!\brief One nucleotide route to the amino-acid change: an HGVS c. change and the codon it produces.
struct route
{
    std::string hgvs_c;    //!< "c.944C>T", canonical form
    std::string alt_codon; //!< the codon after the change, e.g. "ATT"
};

//!\brief One catalogue entry: a single amino-acid substitution on a reference transcript.
struct mutation
{
    std::string id;                   //!< "ABL1:T315I" (gene : one-letter short form)
    std::string name;                 //!< "T315I"
    std::string gene;                 //!< "ABL1"
    std::string transcript;           //!< reference contig checked against, e.g. "NM_005157.6"
    std::string transcript_label;     //!< the transcript as the source row writes it
    int64_t cds_start = 0;            //!< 1-based position of c.1 on `transcript`
    int64_t codon = 0;                //!< codon (amino-acid) number, 1-based
    char ref_aa = 0;                  //!< one-letter code
    char alt_aa = 0;                  //!< one-letter code ('*' for a stop)
    std::string ref_codon;            //!< reference codon, upper case, e.g. "ACT"
    std::vector<route> routes;        //!< every listed nucleotide route (at least one), in the order written
    std::string hgvs_p;               //!< "p.Thr315Ile"
    std::string region;               //!< e.g. "gatekeeper (drug-contact)"; may be empty
    std::vector<drug_effect> drugs;   //!< ABL1: the six tki_drugs in order; SLC19A1: methotrexate
    std::string nt_change_basis;      //!< how the nucleotide routes were established
    std::string sensitivity_basis;    //!< how the drug effects were established
    std::string ic50_source;          //!< where the IC50 folds come from
    std::string notes;                //!< free-text notes
    std::vector<std::string> sources; //!< citations (the source cell split at " | ")
    //!\brief Other non-empty columns of the row, in file order (e.g. common7_residue, rsid, direction_flag).
    std::vector<std::pair<std::string, std::string>> attributes;
    std::string origin; //!< file the row came from ("builtin:catalogue/abl1_mutations.tsv" or a path)
    uint64_t line = 0;  //!< line number of the row in `origin`

    //!\brief The HGVS c. changes of the routes ("c.949T>C", "c.951C>A", ...).
    std::vector<std::string> hgvs_c() const;
    //!\brief The distinct codons accepted as this mutation (alt codons of the routes), in route order.
    std::vector<std::string> alt_codons() const;
    //!\brief The effect on `drug`, or nullptr if the entry says nothing about that drug.
    drug_effect const * effect_for(std::string_view drug) const noexcept;
    //!\brief 0-based position of the codon's first base on `transcript` (cds_start - 1 + 3 * (codon - 1)).
    int64_t transcript_offset() const noexcept
    {
        return cds_start - 1 + 3 * (codon - 1);
    }
    //!\brief CDS position of the codon's first base, c.(3 * codon - 2).
    int64_t cds_first() const noexcept
    {
        return 3 * (codon - 1) + 1;
    }
};

//!\brief What a compound row describes.
enum class compound_kind : uint8_t
{
    specific,            //!< a named combination of catalogue entries in cis, e.g. T315I/E453K
    class_with_anchor,   //!< any compound that includes `anchor` (T315I-inclusive compound mutants)
    class_without_anchor //!< any compound of two or more entries none of which is `anchor` (non-T315I)
};

//!\brief A compound mutation (two or more substitutions in cis) or a class of them, from abl1_compound.tsv.
struct compound
{
    std::string name; //!< "T315I/E453K", "T315I-inclusive compound mutants (class)"
    compound_kind kind = compound_kind::specific;
    std::vector<std::string> components; //!< specific: the catalogue ids, e.g. {"ABL1:T315I", "ABL1:E453K"}
    std::string anchor;                  //!< classes: the defining entry, "ABL1:T315I"
    std::string evidence_type;
    std::string effect; //!< free text as in the source
    std::vector<std::string> drugs_affected;
    std::string confidence;
    std::string notes;
    std::vector<std::string> sources;
    std::string origin;
    uint64_t line = 0;
};

//!\brief A source row that was deliberately not loaded, and why.
struct skipped_row
{
    std::string origin;
    uint64_t line = 0;
    std::string label;  //!< what the row is called in the source (variant label or compound name)
    std::string reason; //!< why it is not a catalogue entry
};

//!\brief A reference transcript the catalogue is numbered on (from catalogue.json).
struct reference_sequence
{
    std::string gene;
    std::string contig;    //!< e.g. "NM_005157.6"
    int64_t cds_start = 0; //!< 1-based
    int64_t cds_end = 0;   //!< 1-based inclusive
    int64_t length = 0;
    std::string md5; //!< md5 of the upper-case sequence
    std::string description;
};

//!\brief Provenance of a loaded catalogue.
struct metadata
{
    bool builtin = false;                        //!< the bundled catalogue is part of it
    std::string catalogue_version;               //!< e.g. "2026.11.0" (bundled catalogue)
    int schema_version = 0;                      //!< bundled catalogue schema
    std::map<std::string, std::string> file_md5; //!< every file loaded (bundled names and user paths) -> md5
    std::vector<reference_sequence> references;  //!< transcripts the bundled catalogue is numbered on
    std::string reference_origin;                //!< the panel validated against, e.g. "builtin:transcripts"
    std::string reference_checksum;              //!< its panel checksum (reference::panel::checksum())
};

//!\brief Which catalogues to load.
struct load_options
{
    bool builtin = true;            //!< include the bundled catalogue (false = --catalogue-only)
    std::vector<std::string> files; //!< user catalogue files (columns of abl1_mutations.tsv)
    //!\brief In-memory user catalogues as (origin, text) pairs, checked like files (for tests and fuzzing).
    std::vector<std::pair<std::string, std::string>> texts;
};

//!\brief One validation error: where, and what is wrong.
struct problem
{
    std::string origin;
    uint64_t line = 0; //!< 0 if not line-specific
    std::string message;
    //!\brief "ORIGIN line N: MESSAGE", as input_error formats it.
    std::string to_string() const;
};

class catalogue;

//!\brief The outcome of validating catalogues: every error found (not just the first), and the skipped rows.
struct validation_report
{
    std::vector<problem> errors;
    std::vector<skipped_row> skipped;
    //!\brief Number of entries (mutations) that passed validation.
    size_t valid_entries = 0;
    //!\brief Number of compound rows that passed validation.
    size_t valid_compounds = 0;
    //!\brief Entries per origin that passed validation, in load order.
    std::vector<std::pair<std::string, size_t>> entries_per_origin;
};

//!\brief A loaded, validated mutation catalogue.
class catalogue
{
public:
    /*!\brief Load and validate the catalogues chosen by `options` against `panel`.
     * \throws input_error on the first invalid row (file, line, mismatch; the message says how many more errors
     *         there are), on an unreadable file, or if a user entry duplicates another entry.
     * \throws config_error if nothing is to be loaded (builtin off and no files).
     */
    static catalogue load(reference::panel const & panel, load_options const & options = {});

    /*!\brief Check everything `load` checks and collect every error instead of stopping at the first.
     * \details On success (`report.errors` empty) and if `out` is not null, `*out` receives the catalogue.
     * \throws config_error if nothing is to be loaded.
     */
    static validation_report
    validate(reference::panel const & panel, load_options const & options = {}, catalogue * out = nullptr);

    //!\brief Every entry, in load order (bundled ABL1, bundled SLC19A1, then user files).
    std::vector<mutation> const & mutations() const noexcept
    {
        return mutations_;
    }
    //!\brief Compound mutations and classes (bundled catalogue only).
    std::vector<compound> const & compounds() const noexcept
    {
        return compounds_;
    }
    //!\brief Source rows not loaded, with the reason.
    std::vector<skipped_row> const & skipped() const noexcept
    {
        return skipped_;
    }
    //!\brief Versions, md5s and the reference checksum validated against.
    metadata const & meta() const noexcept
    {
        return meta_;
    }
    //!\brief The drugs named by any entry: the six tki_drugs first (if present), then others in load order.
    std::vector<std::string> drugs() const;

    /*!\brief Entries matching `name`: "T315I", "ABL1:T315I", "p.Thr315Ile", "ABL1:p.Thr315Ile", "p.(T315I)", or
     *        one of an entry's routes ("c.944C>T", "ABL1:c.944C>T", "NM_005157.6:c.944C>T").
     * \details More than one result only if a name without gene matches entries of several genes.
     */
    std::vector<mutation const *> find(std::string_view name) const;
    //!\brief The entry with this exact id ("ABL1:T315I"), or nullptr.
    mutation const * by_id(std::string_view id) const noexcept;
    //!\brief Up to `n` entry names closest to `name` (edit distance on names and ids), closest first.
    std::vector<std::string> suggest(std::string_view name, size_t n = 3) const;
    //!\brief The compounds that name entry `id` as a component or anchor.
    std::vector<compound const *> compounds_with(std::string_view id) const;

private:
    friend class loader;
    std::vector<mutation> mutations_;
    std::vector<compound> compounds_;
    std::vector<skipped_row> skipped_;
    metadata meta_;
};

//!\brief The bundled catalogue files as compiled into the binary: (file name, content), e.g. "catalogue.json".
std::vector<std::pair<std::string_view, std::string_view>> builtin_files();

} // namespace chemores::catalogue
