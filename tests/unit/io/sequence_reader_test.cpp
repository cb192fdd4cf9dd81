#include <chemores/core/errors.hpp>
#include <chemores/io/sequence_reader.hpp>

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <zlib.h>

namespace fs = std::filesystem;
using chemores::io::sequence_reader;
using chemores::io::sequence_record;

namespace
{
struct temp_file
{
    fs::path path;
    explicit temp_file(std::string const & content, std::string const & suffix = ".fq")
    {
        static int counter = 0;
        path = fs::temp_directory_path() /
               ("chemores_reader_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + suffix);
        std::ofstream{path, std::ios::binary} << content;
    }
    ~temp_file()
    {
        fs::remove(path);
    }
};

std::string gzip(std::string const & s)
{
    fs::path const p = fs::temp_directory_path() / ("chemores_gz_" + std::to_string(::getpid()));
    gzFile g = gzopen(p.c_str(), "wb");
    gzwrite(g, s.data(), static_cast<unsigned>(s.size()));
    gzclose(g);
    std::ifstream in{p, std::ios::binary};
    std::string out{std::istreambuf_iterator<char>{in}, {}};
    fs::remove(p);
    return out;
}

std::string error_of(std::string const & content, std::string const & suffix = ".fq")
{
    temp_file f{content, suffix};
    try
    {
        sequence_reader r{f.path.string()};
        sequence_record rec;
        while (r.read(rec))
        {
        }
    }
    catch (chemores::input_error const & e)
    {
        return e.what();
    }
    return {};
}
} // namespace

TEST(sequence_reader, reads_fastq_records)
{
    temp_file f{"@r1 comment here\nACGTN\n+\nIIIII\n@r2\nacgu\n+r2\n!!!!\n"};
    sequence_reader r{f.path.string()};
    EXPECT_EQ(r.format(), chemores::io::sequence_format::fastq);
    sequence_record rec;
    ASSERT_TRUE(r.read(rec));
    EXPECT_EQ(rec.name, "r1");
    EXPECT_EQ(rec.comment, "comment here");
    EXPECT_EQ(rec.seq, "ACGTN");
    EXPECT_EQ(rec.qual, "IIIII");
    EXPECT_EQ(rec.line, 1u);
    ASSERT_TRUE(r.read(rec));
    EXPECT_EQ(rec.name, "r2");
    EXPECT_EQ(rec.seq, "acgu");
    EXPECT_EQ(rec.line, 5u);
    EXPECT_FALSE(r.read(rec));
}

TEST(sequence_reader, reads_multiline_fasta_and_gzip)
{
    temp_file f{gzip(">a desc\nACGT\nAC\n\n>b\nGG\n"), ".fa.gz"};
    sequence_reader r{f.path.string()};
    EXPECT_EQ(r.format(), chemores::io::sequence_format::fasta);
    sequence_record rec;
    ASSERT_TRUE(r.read(rec));
    EXPECT_EQ(rec.name, "a");
    EXPECT_EQ(rec.seq, "ACGTAC");
    ASSERT_TRUE(r.read(rec));
    EXPECT_EQ(rec.name, "b");
    EXPECT_EQ(rec.seq, "GG");
    EXPECT_FALSE(r.read(rec));
}

TEST(sequence_reader, empty_input_is_not_an_error)
{
    temp_file f{""};
    sequence_reader r{f.path.string()};
    sequence_record rec;
    EXPECT_FALSE(r.read(rec));
}

TEST(sequence_reader, errors_name_file_and_line)
{
    auto e = error_of("@r1\nACGT\n+\nIII\n");
    EXPECT_NE(e.find("line 4"), std::string::npos) << e;
    EXPECT_NE(e.find("quality length 3 differs from sequence length 4"), std::string::npos) << e;

    e = error_of("@r1\nACGT\n+\nIIII\nr2\nACGT\n+\nIIII\n");
    EXPECT_NE(e.find("line 5"), std::string::npos) << e;
    EXPECT_NE(e.find("does not start with '@'"), std::string::npos) << e;

    e = error_of("@r1\nACXT\n+\nIIII\n");
    EXPECT_NE(e.find("line 2"), std::string::npos) << e;
    EXPECT_NE(e.find("'X' at column 3"), std::string::npos) << e;

    e = error_of("@r1\nACGT\n");
    EXPECT_NE(e.find("no '+' line"), std::string::npos) << e;

    e = error_of("hello world\n");
    EXPECT_NE(e.find("not FASTA or FASTQ"), std::string::npos) << e;
}

TEST(sequence_reader, truncated_gzip_is_an_error)
{
    std::string content;
    for (int i = 0; i < 2000; ++i)
        content += "@read" + std::to_string(i) + "\nACGTACGTACGTACGTACGTAAACCCGGGTTT\n+\nIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII\n";
    std::string gz = gzip(content);
    gz.resize(gz.size() / 2);
    auto const e = error_of(gz, ".fq.gz");
    EXPECT_NE(e.find("truncated or corrupt"), std::string::npos) << e;
}

TEST(sequence_reader, missing_file)
{
    EXPECT_THROW(sequence_reader{"/nonexistent/reads.fq"}, chemores::input_error);
}
