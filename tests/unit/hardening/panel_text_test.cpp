// Regressions: reference::panel::from_text (segments.tsv coordinates). Found with tests/fuzz harness `panel`.

#include <chemores/core/errors.hpp>
#include <chemores/reference/panel.hpp>

#include <gtest/gtest.h>

#include <string>

using chemores::input_error;
using chemores::reference::panel;

namespace
{
std::string const fasta = ">p parent\nACGTACGTACGTACGT\n>c child\nTTACGTACGG\n";
std::string const tx = "contig\tgene\tkind\tlength\tcds_start\tcds_end\tjunction_after\n";
std::string const seg_header = "contig\tstart\tend\tparent\tparent_start\n";
} // namespace

// parent_start 0 became 0xffffffff after "- 1" in 32 bits; parent_start + length wrapped around to a small number,
// passed the bound check, and the sequence comparison read ~4 GB past the parent (ASan: SEGV / heap overflow).
TEST(hardening_panel, segment_parent_start_zero_is_an_input_error)
{
    EXPECT_NO_THROW(panel::from_text("t", fasta, tx, seg_header + "c\t3\t9\tp\t5\n"));
    EXPECT_THROW(panel::from_text("t", fasta, tx, seg_header + "c\t3\t9\tp\t0\n"), input_error);
    // the input the fuzzer found (tests/fuzz/corpus/panel/regress-segment-parent-start-empty): an empty parent_start
    EXPECT_THROW(panel::from_text("t", fasta, tx, seg_header + "c\t3\t9\tp\t\n"), input_error);
}

// Coordinates beyond 32 bits were truncated silently (4294967299 read as 3) instead of being rejected.
TEST(hardening_panel, segment_coordinates_beyond_32_bits_are_input_errors)
{
    EXPECT_THROW(panel::from_text("t", fasta, tx, seg_header + "c\t4294967299\t9\tp\t5\n"), input_error);
    EXPECT_THROW(panel::from_text("t", fasta, tx, seg_header + "c\t3\t9\tp\t4294967301\n"), input_error);
    EXPECT_THROW(panel::from_text("t", fasta, tx, seg_header + "c\t3\t4294967305\tp\t5\n"), input_error);
}

// Start 0 or past the end, and end before start, are errors (never a wrapped-around read).
TEST(hardening_panel, segment_coordinates_outside_the_contig_are_input_errors)
{
    for (auto const * row : {"c\t0\t9\tp\t5\n", "c\t3\t11\tp\t5\n", "c\t9\t3\tp\t5\n", "c\t3\t9\tp\t12\n",
                             "c\t.\t9\tp\t5\n", "c\t3\t9\tp\t.\n"})
        EXPECT_THROW(panel::from_text("t", fasta, tx, seg_header + row), input_error) << row;
}
