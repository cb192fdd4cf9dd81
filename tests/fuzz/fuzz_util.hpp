#pragma once
// Helpers shared by the fuzz harnesses: present fuzz bytes as plain, gzip or BGZF input, and hand them to code that
// only reads files.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <htslib/bgzf.h>
#include <string>
#include <unistd.h>
#include <vector>
#include <zlib.h>

namespace chemores::fuzz
{

//!\brief A harness's contract check: a violation traps, and libFuzzer records it as a crash with its input.
inline void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

inline std::string gzip(uint8_t const * data, size_t size)
{
    z_stream zs{};
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        std::abort();
    std::string out(deflateBound(&zs, size) + 32, '\0');
    zs.next_in = const_cast<Bytef *>(data);
    zs.avail_in = static_cast<uInt>(size);
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
        std::abort();
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

inline std::string bgzf(uint8_t const * data, size_t size, bool eof_marker)
{
    std::string out;
    std::vector<char> block(BGZF_MAX_BLOCK_SIZE);
    size_t at = 0;
    do
    {
        size_t const n = std::min<size_t>(BGZF_BLOCK_SIZE, size - at);
        size_t len = block.size();
        if (bgzf_compress(block.data(), &len, data + at, n, 6) != 0)
            std::abort();
        out.append(block.data(), len);
        at += n;
    } while (at < size);
    if (eof_marker)
    {
        static constexpr unsigned char eof[28] = {0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 0x06, 0, 0x42, 0x43,
                                                  0x02, 0,    0x1b, 0,    0x03, 0, 0, 0, 0, 0,    0,    0, 0,    0};
        out.append(reinterpret_cast<char const *>(eof), sizeof eof);
    }
    return out;
}

/*!\brief The file content for the fuzz bytes `data`, by `mode` (the input's first byte):
 *   mode % 4 == 0  the bytes as they are (a raw .gz from the seed corpus takes the decompression path)
 *   mode % 4 == 1  gzip-compressed here (ordinary gzip, one member)
 *   mode % 4 == 2  BGZF-compressed here, with the end-of-file marker unless bit 4 of the mode is set
 *   mode % 4 == 3  gzip-compressed, then cut short by (mode >> 2) bytes (a truncated stream)
 */
inline std::string present(unsigned mode, uint8_t const * data, size_t size)
{
    switch (mode % 4)
    {
    case 0:
        return {reinterpret_cast<char const *>(data), size};
    case 1:
        return gzip(data, size);
    case 2:
        return bgzf(data, size, (mode & 16) == 0);
    default:
    {
        auto s = gzip(data, size);
        s.resize(s.size() - std::min<size_t>(s.size(), mode >> 2));
        return s;
    }
    }
}

//!\brief A per-process scratch file (in TMPDIR or /tmp) for code that reads paths; removed at exit.
class scratch_file
{
public:
    explicit scratch_file(std::string const & suffix)
    {
        char const * tmp = std::getenv("TMPDIR");
        path_ = std::string{tmp && *tmp ? tmp : "/tmp"} + "/chemores-fuzz-" + std::to_string(getpid()) + suffix;
    }
    ~scratch_file()
    {
        std::remove(path_.c_str());
    }
    std::string const & write(std::string const & content)
    {
        FILE * f = std::fopen(path_.c_str(), "wb");
        if (!f || std::fwrite(content.data(), 1, content.size(), f) != content.size() || std::fclose(f) != 0)
            std::abort();
        return path_;
    }

private:
    std::string path_;
};

} // namespace chemores::fuzz
