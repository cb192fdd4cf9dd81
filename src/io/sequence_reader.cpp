#include <chemores/core/dna.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/io/sequence_reader.hpp>

#include <cerrno>
#include <cstring>
#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <vector>
#include <zlib.h>

namespace chemores::io
{

// Input is read line by line from one of two sources: BGZF (plain text or bgzip, through htslib, which also
// detects a truncated BGZF file) or a zlib inflate loop for ordinary gzip, which htslib would silently cut
// short at a truncation: here a stream that ends before its gzip trailer is an error.
struct sequence_reader::impl
{
    BGZF * fp = nullptr;
    kstring_t ks = KS_INITIALIZE;
    // ordinary gzip
    hFILE * hf = nullptr;
    z_stream zs{};
    bool is_gzip = false;
    bool stream_end = false; // the current gzip member ended cleanly
    std::vector<unsigned char> in_buf, out_buf;
    size_t out_pos = 0, out_len = 0;
    bool input_done = false;

    ~impl()
    {
        if (fp)
            bgzf_close(fp);
        if (is_gzip)
            inflateEnd(&zs);
        if (hf)
            hclose_abruptly(hf);
        ks_free(&ks);
    }

    void open(hFILE * h, std::string const & display)
    {
        htsFormat fmt{};
        if (hts_detect_format2(h, display.c_str(), &fmt) < 0)
        {
            hclose_abruptly(h);
            throw input_error{display, "read error while detecting the format"};
        }
        if (fmt.compression == ::gzip)
        {
            hf = h;
            is_gzip = true;
            in_buf.resize(1 << 16);
            out_buf.resize(1 << 17);
            if (inflateInit2(&zs, 15 + 32) != Z_OK)
                throw internal_error{"zlib inflateInit2 failed"};
            return;
        }
        fp = bgzf_hopen(h, "r");
        if (!fp)
            throw input_error{display, "cannot open"};
        if (fmt.compression == bgzf && bgzf_check_EOF(fp) == 0)
            throw input_error{display, "truncated BGZF file: the end-of-file marker is missing"};
    }

    // Refill out_buf; returns false at the clean end of the input; throws on truncation or corruption.
    bool refill(std::string const & display, uint64_t line)
    {
        while (true)
        {
            if (zs.avail_in == 0 && !input_done)
            {
                ssize_t const n = hread(hf, in_buf.data(), in_buf.size());
                if (n < 0)
                    throw input_error{display, line, "read error"};
                if (n == 0)
                    input_done = true;
                zs.next_in = in_buf.data();
                zs.avail_in = static_cast<uInt>(n);
            }
            if (zs.avail_in == 0 && input_done)
            {
                if (!stream_end)
                    throw input_error{display, line, "read error: truncated or corrupt compressed input"};
                return false;
            }
            if (stream_end)
            {
                // another gzip member follows (concatenated .gz files)
                inflateReset(&zs);
                stream_end = false;
            }
            zs.next_out = out_buf.data();
            zs.avail_out = static_cast<uInt>(out_buf.size());
            int const r = inflate(&zs, Z_NO_FLUSH);
            if (r == Z_STREAM_END)
                stream_end = true;
            else if (r != Z_OK && r != Z_BUF_ERROR)
                throw input_error{display, line, "read error: truncated or corrupt compressed input"};
            out_pos = 0;
            out_len = out_buf.size() - zs.avail_out;
            if (out_len > 0)
                return true;
        }
    }

    // 0 = line read, -1 = end of input
    int getline_gzip(std::string & line, std::string const & display, uint64_t line_no)
    {
        line.clear();
        bool any = false;
        while (true)
        {
            if (out_pos == out_len && !refill(display, line_no))
                return any ? 0 : -1;
            any = true;
            auto const * b = out_buf.data() + out_pos;
            auto const * nl = static_cast<unsigned char const *>(std::memchr(b, '\n', out_len - out_pos));
            if (nl)
            {
                line.append(reinterpret_cast<char const *>(b), static_cast<size_t>(nl - b));
                out_pos += static_cast<size_t>(nl - b) + 1;
                return 0;
            }
            line.append(reinterpret_cast<char const *>(b), out_len - out_pos);
            out_pos = out_len;
        }
    }
};

sequence_reader::sequence_reader(std::string path) : impl_{std::make_unique<impl>()}, path_{std::move(path)}
{
    std::string const open_path = path_.empty() ? std::string{"-"} : path_;
    if (path_.empty() || path_ == "-")
        path_ = "(stdin)";
    hFILE * h = hopen(open_path.c_str(), "r");
    if (!h)
        throw input_error{path_, std::string{"cannot open: "} + std::strerror(errno)};
    impl_->open(h, path_);
    detect();
}

sequence_reader::sequence_reader(void * hfile, std::string path) : impl_{std::make_unique<impl>()}, path_{std::move(path)}
{
    if (path_.empty() || path_ == "-")
        path_ = "(stdin)";
    impl_->open(static_cast<hFILE *>(hfile), path_);
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
    if (impl_->is_gzip)
    {
        if (impl_->getline_gzip(line, path_, line_no_ + 1) < 0)
        {
            eof_ = true;
            return false;
        }
        ++line_no_;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        return true;
    }
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
