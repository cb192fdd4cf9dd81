#pragma once
//!\file
//!\brief The reference panel: contigs, their annotation, and alias segments (parts of a contig identical to a
//!       part of a canonical parent contig, e.g. the ABL1 part of a BCR::ABL1 fusion transcript).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chemores::reference
{

struct contig
{
    std::string name;
    std::string description;
    std::vector<uint8_t> seq; //!< codes 0..4
    std::string gene;         //!< from the panel annotation; empty for a user FASTA
    std::string kind;         //!< transcript | isoform | fusion | hairpin | ... ; empty for a user FASTA
    int64_t cds_start = 0;    //!< 1-based inclusive; 0 = none
    int64_t cds_end = 0;
    int64_t junction_after = 0; //!< fusions: last base of the 5' partner (1-based); 0 = none
};

//!\brief contig[start, end) (0-based half-open) equals parent[parent_start, parent_start + end - start).
struct alias_segment
{
    uint32_t contig = 0;
    uint32_t start = 0;
    uint32_t end = 0;
    uint32_t parent = 0;
    uint32_t parent_start = 0;
};

class panel
{
public:
    //!\brief The panel compiled into the binary: "transcripts" (ABL1, BCR, BCR::ABL1, SLC19A1) or "mirna" (hairpins).
    static panel builtin(std::string_view name);
    //!\brief Any FASTA file (plain or gzip). Throws input_error if it is not FASTA or is empty.
    static panel from_fasta(std::string const & path);
    //!\brief Parse from in-memory text (FASTA + optional transcripts.tsv + segments.tsv); `origin` names it in errors.
    static panel from_text(std::string const & origin,
                           std::string_view fasta,
                           std::string_view transcripts_tsv,
                           std::string_view segments_tsv);

    std::vector<contig> const & contigs() const
    {
        return contigs_;
    }
    std::vector<alias_segment> const & segments() const
    {
        return segments_;
    }
    std::optional<uint32_t> find(std::string_view name) const;
    //!\brief Where the panel came from: "builtin:transcripts" or a path.
    std::string const & origin() const
    {
        return origin_;
    }
    //!\brief MD5 over the contig names and sequences (upper-case, in order): identifies the reference in provenance.
    std::string const & checksum() const
    {
        return checksum_;
    }
    uint64_t total_length() const;

    //!\brief If contig position `pos` (0-based) lies in an alias segment, the parent contig and parent position.
    std::optional<std::pair<uint32_t, uint32_t>> project(uint32_t contig, uint32_t pos) const;
    //!\brief Write the panel as FASTA (60 columns).
    void write_fasta(std::string const & path) const;

private:
    void finish();
    std::vector<contig> contigs_;
    std::vector<alias_segment> segments_;
    std::string origin_;
    std::string checksum_;
};

/*!\brief A bundled data file compiled into the binary, by its path under references/: "panel/transcripts.fa",
 *        "panel/transcripts.tsv", "panel/segments.tsv", "panel/mirna_hairpins.fa", "panel/mirna_matures.fa",
 *        "panel/mirna_matures.tsv", "panel/utr3.fa", "panel/exons.tsv", "panel/utr3.tsv", "catalogue/mirna_targets.tsv".
 * \throws internal_error for any other name.
 */
std::string_view bundled_file(std::string_view name);

} // namespace chemores::reference
