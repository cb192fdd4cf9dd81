// chemores::call::parse_sample_sheet / samples_from_arguments: what a sheet or a command line means, and every
// malformed sheet refused with its line.

#include <chemores/call/samples.hpp>
#include <chemores/core/errors.hpp>

#include <gtest/gtest.h>

#include <string>

using chemores::call::parse_sample_sheet;
using chemores::call::sample_input;
using chemores::call::samples_from_arguments;
using namespace std::string_literals;

namespace
{

//!\brief The message of the input_error the sheet raises, or "" if it parses.
std::string error_of(std::string const & text)
{
    try
    {
        (void)parse_sample_sheet("s.tsv", text, "/data");
    }
    catch (chemores::input_error const & e)
    {
        return e.what();
    }
    return {};
}

} // namespace

TEST(sample_sheet, rows_paths_and_origins)
{
    std::string const text = "# batch 7\r\n"
                             "sample\tfastq_1\tfastq_2\tbam\tnotes\r\n"
                             "\r\n"
                             "p1\tp1_R1.fq.gz\tp1_R2.fq.gz\tNA\tpaired\r\n"
                             "p2\t/abs/p2.fq\t.\t\tsingle\r\n"
                             "p3\t\t\taligned/p3.bam\t\t\t\r\n" // trailing empty cells of a spreadsheet
                             "# p4\tx.bam \x01\n"                   // a comment is not checked
                             "\t \t\t\t\n"                          // a row of empty cells
                             " p5 \t\t\t/abs/p5.cram";           // no final newline; cells trimmed
    auto const s = parse_sample_sheet("s.tsv", text, "/data");
    ASSERT_EQ(s.size(), 4u);
    EXPECT_EQ(s[0], (sample_input{"p1", "", {"/data/p1_R1.fq.gz", "/data/p1_R2.fq.gz"}, "s.tsv line 4"}));
    EXPECT_EQ(s[1], (sample_input{"p2", "", {"/abs/p2.fq"}, "s.tsv line 5"}));
    EXPECT_EQ(s[2], (sample_input{"p3", "/data/aligned/p3.bam", {}, "s.tsv line 6"}));
    EXPECT_EQ(s[3], (sample_input{"p5", "/abs/p5.cram", {}, "s.tsv line 9"}));

    // Without a base directory relative paths stay as written; columns in any order.
    // Columns the parser does not use may repeat.
    auto const t = parse_sample_sheet("t.tsv", "bam\tnote\tsample\tnote\nx.bam\ta\tx\tb\n", "");
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0], (sample_input{"x", "x.bam", {}, "t.tsv line 2"}));
}

TEST(sample_sheet, malformed_sheets_name_the_line)
{
    struct bad
    {
        std::string text, message;
    };
    for (auto const & [text, message] : std::vector<bad>{
             {"", "s.tsv: empty sample sheet (no header line)"},
             {"# only a comment\n\n", "s.tsv: empty sample sheet (no header line)"},
             {"sample\tbam\n", "s.tsv: the sample sheet lists no samples"},
             {"name\tbam\nx\tx.bam\n", "s.tsv line 1: the header must name a 'sample' column"},
             {"sample\tfastq_2\nx\tx.fq\n", "s.tsv line 1: the header must have a 'bam' or a 'fastq_1' column"},
             {"sample\tbam\tsample\nx\tx.bam\ty\n", "s.tsv line 1: the header names column 'sample' twice"},
             {"sample\tbam\nx\tx.bam\textra\n", "s.tsv line 2: the row has 3 cells, the header 2 (cell 3 is 'extra')"},
             {"sample\tbam\n\tx.bam\n", "s.tsv line 2: empty sample name"},
             {"sample\tbam\na b\tx.bam\n", "s.tsv line 2: sample name 'a b' contains a space or a slash"},
             {"sample\tbam\na/b\tx.bam\n", "s.tsv line 2: sample name 'a/b' contains a space or a slash"},
             {"sample\tbam\n..\tx.bam\n", "s.tsv line 2: sample name '..' contains a space or a slash, or is . or .."},
             {"sample\tbam\nx\tx.bam\n#\ny\ty.bam\nx\tz.bam\n", "s.tsv line 5: sample 'x' is named again (first on line 2)"},
             {"sample\tbam\tfastq_1\nx\tx.bam\tx.fq\n", "s.tsv line 2: give either bam or fastq_1 [fastq_2] for sample 'x'"},
             {"sample\tbam\tfastq_1\nx\tNA\t.\n", "s.tsv line 2: give either bam or fastq_1 [fastq_2] for sample 'x'"},
             {"sample\tfastq_1\tfastq_2\nx\t\tx_R2.fq\n", "s.tsv line 2: fastq_2 without fastq_1 for sample 'x'"},
             {"sample\tbam\nx\tx.b\0am\n"s, "s.tsv line 2: not a text sample sheet (binary data or control characters)"},
             {"\x1f\x8b\x08\0\0\0\0\0"s, "s.tsv line 1: not a text sample sheet"},
             {"sample\tbam\rx\tx.bam\r", "s.tsv line 1: a CR inside the line: lines that end in CR only"},
             {"sample\tbam\tbam\nx\tx.bam\ty.bam\n", "s.tsv line 1: the header names column 'bam' twice"},
         })
    {
        auto const e = error_of(text);
        EXPECT_EQ(e.substr(0, message.size()), message) << "sheet: " << testing::PrintToString(text);
    }
}

TEST(sample_sheet, read_from_file_errors_name_the_file)
{
    EXPECT_EQ(std::string{chemores::call::file_stem("runs/P1.SAM.gz")}, "P1");
    EXPECT_EQ(chemores::call::file_stem("a/b_R1.fastq.bgz"), "b_R1");
    try
    {
        (void)chemores::call::read_sample_sheet("/");
        ADD_FAILURE() << "a directory was read as a sheet";
    }
    catch (chemores::input_error const & e)
    {
        EXPECT_EQ(std::string{e.what()}, "/: is a directory, not a sample sheet");
    }
    EXPECT_THROW((void)chemores::call::read_sample_sheet("/nonexistent/sheet.tsv"), chemores::input_error);
    try
    {
        (void)chemores::call::read_sample_sheet("/nonexistent/sheet.tsv");
    }
    catch (chemores::input_error const & e)
    {
        EXPECT_EQ(std::string{e.what()}, "/nonexistent/sheet.tsv: cannot open the sample sheet");
    }
}

TEST(sample_arguments, fastq_pairing_and_names)
{
    // One FASTQ: single-end, named by the file.
    auto s = samples_from_arguments({"dir/pt7.fastq.gz"});
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0], (sample_input{"pt7", "", {"dir/pt7.fastq.gz"}, "command line"}));
    // Two FASTQ without marks: one paired sample named by the common prefix.
    s = samples_from_arguments({"run_a.fq", "run_b.fq"});
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].name, "run");
    EXPECT_EQ(s[0].fastq, (std::vector<std::string>{"run_a.fq", "run_b.fq"}));
    // Several pairs by their marks, in any order; BAMs (not readable here) named by their file.
    s = samples_from_arguments({"b_R2_001.fq.gz", "a_1.fq", "x/p9.bam", "b_R1_001.fq.gz", "a_2.fq"});
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s[0], (sample_input{"p9", "x/p9.bam", {}, "command line"}));
    EXPECT_EQ(s[1], (sample_input{"a", "", {"a_1.fq", "a_2.fq"}, "command line"}));
    EXPECT_EQ(s[2], (sample_input{"b", "", {"b_R1_001.fq.gz", "b_R2_001.fq.gz"}, "command line"}));
    // A read-1 file whose mate is missing, and files that cannot be paired.
    EXPECT_THROW((void)samples_from_arguments({"a_R1_001.fq", "b_R1_001.fq", "b_R2_001.fq"}), chemores::config_error);
    EXPECT_THROW((void)samples_from_arguments({"a.fq", "b.fq", "c.fq"}), chemores::config_error);
}
