#pragma once
//!\file
//!\brief `chemores align`: reads in, SAM/BAM/CRAM out, with deterministic multi-threading.

#include <chemores/align/mapper.hpp>
#include <chemores/io/bam_writer.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace chemores::align
{

struct align_options
{
    std::vector<std::string> inputs;   //!< 1 file (single, interleaved, or SAM/BAM/CRAM) or 2 (R1 R2)
    bool interleaved = false;
    std::string reference;             //!< FASTA replacing the built-in panel; empty = built-in
    std::string preset = "default";    //!< "default" or "mirna"
    std::string simd = "auto";
    io::bam_writer_options output;
    std::string read_group;            //!< "@RG\tID:..." (literal "\t" accepted)
    bool no_pg = false;
    std::string stats_path;            //!< JSON summary
    std::string command_line;          //!< for @PG
    mapper_options mapping;
    // small-RNA preset
    std::string adapter = "TGGAATTCTCGGGTGCCAAGG"; //!< Illumina TruSeq small-RNA 3' adapter
    int min_length = 15;
    int max_length = 30;
    bool trim = false;
    int batch_size = 4096;
    bool progress = true; //!< progress on stderr when it is a terminal
};

struct align_stats
{
    uint64_t reads_in = 0;
    uint64_t reads_mapped = 0;
    uint64_t pairs = 0;
    uint64_t proper_pairs = 0;
    uint64_t reads_trimmed = 0;       //!< small RNA: adapter found
    uint64_t reads_length_filtered = 0;
    std::vector<uint64_t> per_contig;  //!< primary alignments per contig
    std::map<std::string, uint64_t> junction_reads; //!< fusion contig -> reads spanning the junction
    std::string simd_target;
    std::string reference_origin;
    std::string reference_checksum;
};

//!\brief Run the aligner; throws input_error/config_error/output_error. Returns the statistics.
align_stats run_align(align_options const & o);

//!\brief 3' adapter trimming (cutadapt-like: the adapter or a prefix of it at the 3' end, <= 10 % mismatches,
//!       at least 3 bases of overlap). Returns the trimmed length (== seq.size() if no adapter was found).
size_t find_adapter(std::string_view seq, std::string_view adapter);

} // namespace chemores::align
