#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/io/sequence_reader.hpp>

#include <cerrno>
#include <cstring>
#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/kstring.h>

namespace chemores::io
{

struct sequence_reader::impl
{
    BGZF * fp = nullptr;
    kstring_t ks = KS_INITIALIZE;
    ~impl()
    {
        if (fp)
            bgzf_close(fp);
        ks_free(&ks);
    }
};

sequence_reader::sequence_reader(std::string path) : impl_{std::make_unique<impl>()}, path_{std::move(path)}
{
    std::string const open_path = path_.empty() ? std::string{"-"} : path_;
    impl_->fp = bgzf_open(open_path.c_str(), "r");
    if (!impl_->fp)
        throw input_error{path_ == "-" ? "(stdin)" : path_, std::string{"cannot open: "} + std::strerror(errno)};
    if (path_ == "-")
        path_ = "(stdin)";
    detect();
}

sequence_reader::sequence_reader(void * hfile, std::string path) : impl_{std::make_unique<impl>()}, path_{std::move(path)}
{
    impl_->fp = bgzf_hopen(static_cast<hFILE *>(hfile), "r");
    if (!impl_->fp)
        throw input_error{path_, "cannot open"};
    if (path_ == "-")
        path_ = "(stdin)";
    detect();
}

void sequence_reader::detect()
{
    // Detect the format from the first non-empty line.
    std::string line;
    while (getline(line))
    {
        if (line.empty())
            continue;
        if (line[0] == '>')
            format_ = sequence_format::fasta;
        else if (line[0] == '@')
            format_ = sequence_format::fastq;
        else
            fail(line_no_, "not FASTA or FASTQ: the first record must start with '>' or '@'");
        pending_ = std::move(line);
        has_pending_ = true;
        break;
    }
}

sequence_reader::~sequence_reader() = default;

void sequence_reader::fail(uint64_t line, std::string const & msg) const
{
    throw input_error{path_, line, msg};
}

bool sequence_reader::getline(std::string & line)
{
    if (eof_)
        return false;
    int const r = bgzf_getline(impl_->fp, '\n', &impl_->ks);
    if (r == -1)
    {
        eof_ = true;
        return false;
    }
    if (r < -1)
        fail(line_no_ + 1, "read error: truncated or corrupt compressed input");
    ++line_no_;
    line.assign(impl_->ks.s, impl_->ks.l);
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return true;
}

void sequence_reader::validate_sequence(std::string const & seq, uint64_t line) const
{
    for (size_t i = 0; i < seq.size(); ++i)
    {
        if (dna_table[static_cast<unsigned char>(seq[i])] == code_invalid)
        {
            char const c = seq[i];
            std::string shown = (c >= 33 && c < 127) ? std::string(1, c) : "\\x" + std::to_string(+static_cast<unsigned char>(c));
            fail(line, "character '" + shown + "' at column " + std::to_string(i + 1) +
                           " is not an IUPAC nucleotide code");
        }
    }
}

bool sequence_reader::read(sequence_record & rec)
{
    std::string line;
    auto split_header = [&](std::string const & h) {
        auto const ws = h.find_first_of(" \t", 1);
        rec.name = h.substr(1, ws == std::string::npos ? std::string::npos : ws - 1);
        rec.comment = ws == std::string::npos ? std::string{} : h.substr(ws + 1);
    };

    if (format_ == sequence_format::unknown)
        return false;

    if (format_ == sequence_format::fasta)
    {
        if (!has_pending_)
            return false;
        rec.line = line_no_;
        split_header(pending_);
        if (rec.name.empty())
            fail(rec.line, "FASTA header without a name");
        has_pending_ = false;
        rec.seq.clear();
        rec.qual.clear();
        uint64_t const header_line = line_no_;
        while (getline(line))
        {
            if (!line.empty() && line[0] == '>')
            {
                pending_ = std::move(line);
                has_pending_ = true;
                break;
            }
            validate_sequence(line, line_no_);
            rec.seq += line;
        }
        rec.line = header_line;
        ++records_;
        return true;
    }

    // FASTQ: header, sequence, '+', quality.
    if (has_pending_)
    {
        line = std::move(pending_);
        has_pending_ = false;
    }
    else
    {
        do
        {
            if (!getline(line))
                return false;
        } while (line.empty());
    }
    rec.line = line_no_;
    if (line[0] != '@')
        fail(line_no_, "FASTQ record does not start with '@'");
    split_header(line);
    if (rec.name.empty())
        fail(line_no_, "FASTQ header without a name");
    if (!getline(rec.seq))
        fail(rec.line, "truncated FASTQ record '" + rec.name + "': no sequence line");
    validate_sequence(rec.seq, line_no_);
    if (!getline(line))
        fail(rec.line, "truncated FASTQ record '" + rec.name + "': no '+' line");
    if (line.empty() || line[0] != '+')
        fail(line_no_, "FASTQ record '" + rec.name + "': expected a '+' line");
    if (!getline(rec.qual))
        fail(rec.line, "truncated FASTQ record '" + rec.name + "': no quality line");
    if (rec.qual.size() != rec.seq.size())
        fail(line_no_, "FASTQ record '" + rec.name + "': quality length " + std::to_string(rec.qual.size()) +
                           " differs from sequence length " + std::to_string(rec.seq.size()));
    for (char c : rec.qual)
        if (c < 33 || c > 126)
            fail(line_no_, "FASTQ record '" + rec.name + "': quality character outside Phred+33 range");
    ++records_;
    return true;
}

} // namespace chemores::io
