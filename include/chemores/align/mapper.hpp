#pragma once
//!\file
//!\brief Read mapping to a reference panel: k-mer seeds, diagonal clusters, candidate windows aligned with the
//!       project's SIMD kernels, junction rescue onto derived contigs (fusions, isoforms), MAPQ, pairing.

#include <chemores/align/kernels/kernels.hpp>
#include <chemores/align/kmer_index.hpp>
#include <chemores/reference/panel.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace chemores::align
{

struct mapper_options
{
    int k = 15;                //!< seed k-mer size (4-16)
    int min_score = 40;        //!< minimum alignment score to report a read as mapped
    bool norc = false;         //!< forward strand of the reference only (stranded small-RNA libraries)
    bool end_to_end = false;   //!< glocal: the whole read must align (no soft clipping)
    int clip_penalty = 10;     //!< local mode: an end-to-end alignment is preferred if it scores within this per clipped end
    int max_candidates = 8;    //!< candidate windows aligned per strand
    int min_rescue_clip = 5;   //!< soft clip that triggers a junction rescue onto derived contigs
    bool all_best = false;     //!< report every equally best hit (small RNA); else one primary
    int max_insert = 1000;     //!< pairs farther apart are not proper
    int unpaired_penalty = 34; //!< score cost of leaving two mates unpaired
    kernels::scoring scoring{};
};

//!\brief One alignment of a read; positions 0-based on `contig`.
struct mapping
{
    uint32_t contig = 0;
    int32_t pos = 0; //!< leftmost reference position of the aligned part
    int32_t end = 0; //!< one past the last reference position
    bool rev = false;
    int32_t score = 0;
    int32_t sub_score = -1; //!< best score at another locus (XS); -1 = none
    int mapq = 0;
    std::vector<uint32_t> cigar; //!< BAM-encoded, with soft clips, in reference orientation
    int32_t nm = 0;
    std::string md;
    bool crosses_junction = false; //!< spans the junction of a fusion contig
};

class mapper
{
public:
    mapper(reference::panel const & p, kmer_index const & idx, mapper_options const & o, kernels::simd_target t);

    /*!\brief Map one read (codes 0..4, read orientation).
     * \returns the alignments at distinct loci, best first; empty if unmapped. With all_best, every alignment
     *          whose score equals the best is returned; otherwise the first is primary and the rest are
     *          alternatives used for pairing.
     */
    std::vector<mapping> map(std::span<uint8_t const> read);

    //!\brief Choose the best pair combination; returns {index into a, index into b, proper}. -1 = unmapped.
    struct pair_choice
    {
        int a = -1;
        int b = -1;
        bool proper = false;
    };
    pair_choice pair(std::vector<mapping> & a, std::vector<mapping> & b) const;

    //!\brief Try to place `read` near `anchor` (mate rescue); appends to `out` if found.
    void rescue_mate(std::span<uint8_t const> read, mapping const & anchor, std::vector<mapping> & out);

    //!\brief Re-express `m` on contig `target` if `m` lies wholly inside an alias segment of `target`.
    bool express_on(mapping & m, uint32_t target) const;

    //!\brief Template length and proper flag for two mappings on the same contig.
    static int64_t template_length(mapping const & self, mapping const & mate);

private:
    struct candidate
    {
        uint32_t contig;
        bool rev;
        int32_t dmin, dmax; //!< diagonal range (ref - read)
        int32_t hits;
    };
    struct scored
    {
        candidate c;
        int32_t wb, we;     //!< window on the contig
        int32_t score;
        int32_t tend;       //!< end on the window (score-only result)
        bool ungapped = false; //!< proven optimal without dynamic programming (see ungapped_alignment)
        int32_t qb = 0, qe = 0; //!< ungapped: aligned query range; reference start = diagonal + qb
        int32_t full = 0;       //!< ungapped: score of the whole read on the diagonal (end to end)
    };
    bool ungapped_alignment(std::span<uint8_t const> q, candidate const & c, bool end_to_end, scored & out) const;

    void collect_candidates(std::span<uint8_t const> read, bool rev, std::vector<candidate> & out);
    bool align_window(std::span<uint8_t const> read, uint32_t contig, bool rev, int32_t wb, int32_t we,
                      kernels::align_mode mode, mapping & out);
    void finish(std::span<uint8_t const> read, mapping & m, kernels::alignment_result const & r, int32_t wb);
    void junction_rescue(std::span<uint8_t const> read, mapping & m);
    bool same_locus(mapping const & a, mapping const & b) const;
    void canonicalise(mapping & m) const;
    void compute_nm_md(std::span<uint8_t const> read_oriented, mapping & m) const;
    int compute_mapq(int32_t best, int32_t sub, int32_t qlen) const;

    reference::panel const & panel_;
    kmer_index const & index_;
    mapper_options opt_;
    kernels::aligner aligner_;
    std::vector<uint8_t> rc_;
    std::vector<uint8_t> rc2_;
    struct seed_hit
    {
        uint32_t contig;
        int32_t diag;
        int32_t qpos;
    };
    std::vector<seed_hit> hits_;
};

} // namespace chemores::align
