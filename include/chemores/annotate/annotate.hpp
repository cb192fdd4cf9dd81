#pragma once
//!\file
//!\brief Batch annotation of BAM/CRAM/SAM files: every read whose alignment shows a catalogued mutation gets an aux
//!       tag naming it (`XM:Z:ABL1:p.T315I`), every read spanning a BCR::ABL1 fusion junction gets the fusion type
//!       (`XJ:Z:e13a2`); every record is written, in input order, otherwise unchanged; plus @PG and an index.
//!\details **Per read, not per molecule.** Each record is judged on its own alignment; mates are not merged. A read
//!         is tagged with a catalogue entry if it aligns all three bases of the entry's codon (M/=/X; no deletion,
//!         no reference skip and no insertion between two adjacent codon bases; a genome BAM may read a codon split
//!         by an intron across an `N`), every one of the three bases has base quality >= min_base_quality, and the
//!         three bases equal one of the entry's alternative codons (catalogue::mutation::alt_codons()). Codons are
//!         located exactly as pileup::pile_up() locates them: on the panel contig of the entry and on every alias
//!         contig holding the whole codon (the ABL1 part of BCR-ABL1_* fusions, isoform ENST00000372348.7); in
//!         GRCh38/hg19 BAMs through the exon table (ABL1 and BCR only: SLC19A1 codons are not located there).
//!         Several entries are comma-separated in catalogue order, without duplicates.
//!
//!         **Junctions.** On the panel's fusion contigs (kind "fusion", junction_after > 0), a read whose alignment
//!         has one gap-free aligned block over [junction - anchor, junction + anchor) gets the fusion type (the
//!         contig name after its last '_', e.g. "e13a2"): the rule of `chemores call` (count_junctions). In genome
//!         BAMs a fusion read is a split alignment; junction tags are not given there (fusion_type "not assessable").
//!
//!         **Tags of the same name.** The annotation tags mean what this run found: an existing tag of the same name
//!         is replaced where the read carries a finding, and removed where it does not. file_result::replaced_tags
//!         counts the records that had one. Every other tag is left as it is, in its place.
//!
//!         **Which records.** Every record is written. Tags are given to any mapped record with a stored sequence
//!         (secondary, supplementary, duplicate and QC-failed records too: the tag describes the alignment). The
//!         counts of file_result are of *reads*: primary records (not secondary, not supplementary).
//!
//!         **Memory.** One record at a time: nothing is buffered, so memory does not depend on the file size (the
//!         htslib thread pool queues a bounded number of BGZF blocks per file).
//!
//!         **Outputs.** Always BAM (CRAM and SAM inputs give BAM). If the input header says @HD SO:coordinate the
//!         output is indexed while it is written (.bai; .csi if a contig is longer than 2^29 - 1). Output and index
//!         are written under temporary names and renamed only when complete (chemores::atomic_outputs): a failed
//!         input leaves nothing behind.

#include <chemores/catalogue/catalogue.hpp>
#include <chemores/pileup/codon_pileup.hpp>
#include <chemores/reference/panel.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace chemores::annotate
{

//!\brief What to tag and how to write. Every default is stated here; bad values are rejected (config_error).
struct options
{
    int min_base_quality = 20;       //!< each of the three codon bases must reach this (a missing QUAL counts as 0)
    int min_mapping_quality = 0;     //!< records below are not tagged (255, "unavailable", passes)
    int junction_anchor = 10;        //!< bases a read must align on each side of a fusion junction
    uint64_t min_junction_reads = 2; //!< junction reads of a type needed to report it as the fusion type
    std::string mutation_tag = "XM"; //!< two characters, [A-Za-z][A-Za-z0-9]
    std::string junction_tag = "XJ"; //!< two characters, different from mutation_tag
    bool add_pg = true;              //!< add a @PG line (ID chemores-annotate, made unique by htslib)
    std::string command_line;        //!< the @PG CL value
    bool write_index = true;         //!< index coordinate-sorted outputs
    std::string reference_path;      //!< FASTA to decode CRAM inputs without an embedded reference
    std::string exons_path;          //!< exon table for genome input; empty = the bundled references/panel/exons.tsv
};

//!\brief What an input is, from its header alone (no record is read): for --dry-run and reports.
struct input_info
{
    std::string path;
    std::string format; //!< "BAM", "CRAM", "SAM"
    std::string sample; //!< the SM of its read groups if there is exactly one, else empty
    pileup::reference_kind reference = pileup::reference_kind::panel;
    bool coordinate_sorted = false;    //!< @HD SO:coordinate
    size_t entries_located = 0;        //!< catalogue entries whose codon is on a contig of this file
    bool junctions_assessable = false; //!< the header has at least one panel fusion contig
};

//!\brief The outcome for one input.
struct file_result
{
    std::string input;
    std::string output; //!< final BAM path (written only if ok)
    std::string index;  //!< final index path, empty if none written
    std::string sample; //!< @RG SM (exactly one) or given by the caller
    bool ok = false;
    std::string error;     //!< why it failed (names the file)
    std::string reference; //!< "panel", "GRCh38", "hg19"; empty if not recognised
    size_t entries_located = 0;
    uint64_t records = 0;                 //!< every record written
    uint64_t reads = 0;                   //!< primary records
    uint64_t reads_with_mutation = 0;     //!< primary records given the mutation tag
    uint64_t junction_reads = 0;          //!< primary records given the junction tag
    std::vector<uint64_t> mutation_reads; //!< per catalogue entry, in catalogue order (primary records)
    std::map<std::string, uint64_t> junction_reads_by_type; //!< every panel fusion type -> primary records
    std::string fusion_type;    //!< types with >= min_junction_reads joined by '+', "none found", or "not assessable"
    uint64_t replaced_tags = 0; //!< records that already had a tag named like one of ours
    double seconds = 0;
};

//!\brief A shared htslib thread pool (BGZF decompression and compression of every file open at the time).
class thread_pool
{
public:
    //!\brief `threads` <= 1: no pool (everything on the calling thread).
    explicit thread_pool(int threads);
    ~thread_pool();
    thread_pool(thread_pool const &) = delete;
    thread_pool & operator=(thread_pool const &) = delete;
    //!\brief The htsThreadPool*, or nullptr if there is none.
    void * handle() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

//!\brief Annotates files against one catalogue; const and thread-safe: several files may be annotated at once.
class annotator
{
public:
    //!\throws config_error on invalid options.
    annotator(reference::panel const & panel, catalogue::catalogue const & cat, options opt);
    ~annotator();
    annotator(annotator const &) = delete;
    annotator & operator=(annotator const &) = delete;

    //!\brief Read the header of `path` and check what can be checked without reading records.
    //!\throws input_error naming the file (cannot open, not SAM/BAM/CRAM, truncated BAM without EOF marker,
    //!        unknown reference).
    input_info inspect(std::string const & path) const;

    /*!\brief Annotate `input` into `output` (BAM) and, if coordinate-sorted, `output` + ".bai"/".csi".
     * \details Never throws for a problem with this input: the result says ok = false with the message, and nothing
     *          is left at `output`. `pool` (thread_pool::handle()) may be null.
     */
    file_result run(std::string const & input, std::string const & output, void * pool = nullptr) const;

    //!\brief "ABL1:p.T315I" for each catalogue entry, in catalogue order (the tag values and summary keys).
    std::vector<std::string> const & labels() const noexcept;

    options const & opts() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

//!\brief One input of a batch and where its output goes.
struct batch_item
{
    std::string input;
    std::string output;
    std::string default_sample; //!< the sample name if the header has no single @RG SM (e.g. the file stem)
};

/*!\brief Annotate every item, `jobs` files at a time, sharing one htslib pool of `threads` threads.
 * \details Results are in item order whatever `jobs` is. `on_done` (optional) is called as each file finishes, from
 *          the worker thread, serialised.
 */
std::vector<file_result> run_batch(annotator const & a,
                                   std::vector<batch_item> const & items,
                                   int jobs,
                                   int threads,
                                   std::function<void(size_t, file_result const &)> const & on_done = {});

/*!\brief The batch summary table (TSV with a header): input, output, index, sample, status, error, reference,
 *        entries_located, records, reads, reads_with_mutation, mutations, junction_reads, junction_reads_by_type,
 *        fusion_type, replaced_tags. `mutations` is "ABL1:p.T315I=45;ABL1:p.E255K=3" (entries with reads, catalogue
 *        order; "." if none); counts are "NA" for a failed input.
 */
std::string render_summary(std::vector<file_result> const & results, std::vector<std::string> const & labels);

} // namespace chemores::annotate
