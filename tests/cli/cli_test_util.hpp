#pragma once
// Helpers for CLI tests: run the built binary in a fresh directory and read the artifacts it wrote.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace chemores::test
{

struct run_result
{
    int status = -1;
    std::string out;
    std::string err;
};

//!\brief A fresh directory per test, removed at the end.
struct temp_dir
{
    std::filesystem::path path;
    temp_dir();
    ~temp_dir();
    std::string operator/(std::string const & name) const
    {
        return (path / name).string();
    }
};

//!\brief Run `command` through /bin/sh in `dir`; captures stdout and stderr.
run_result run(std::string const & command, std::filesystem::path const & dir);

//!\brief Write a text file.
void write_file(std::string const & path, std::string const & content);
std::string read_file(std::string const & path);

struct sam_record
{
    std::string qname;
    uint16_t flag = 0;
    std::string rname; //!< "*" if none
    int64_t pos = 0;   //!< 1-based, 0 if none
    int mapq = 0;
    std::string cigar;
    std::string rnext;
    int64_t pnext = 0;
    int64_t tlen = 0;
    std::string seq;
    int64_t nm = -1, as = -1, xs = -1;
    std::string md, rg;
};

struct sam_file
{
    std::string header;
    std::vector<sam_record> records;
};

//!\brief Parse SAM/BAM/CRAM with htslib.
sam_file read_alignments(std::string const & path);

//!\brief The fields of `s` split at `sep`, every one kept ("a\t" gives {"a", ""}); "" gives none.
std::vector<std::string> split(std::string const & s, char sep);

//!\brief The lines of `text` without their '\n' (a final newline ends the last line; it does not add an empty one).
std::vector<std::string> lines_of(std::string const & text);

//!\brief A table with a header line; each row maps column -> value.
struct tsv_table
{
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
};

//!\brief Parse TSV text with a header. An empty text, a blank line, or a row whose number of fields differs from the
//!       header's is a test failure (the row is still returned, with the fields it has).
tsv_table parse_tsv(std::string const & text);

//!\brief The rows of the TSV file at `path` (parse_tsv of its content).
std::vector<std::map<std::string, std::string>> read_tsv(std::string const & path);

//!\brief Files in a directory (names only), sorted.
std::vector<std::string> list_dir(std::filesystem::path const & dir);

std::string bin();      //!< path of the chemores binary
std::string simreads(); //!< path of the read simulator
std::string panel_dir();
std::string test_data();

} // namespace chemores::test
