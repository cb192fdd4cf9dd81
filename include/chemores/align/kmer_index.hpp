#pragma once
//!\file
//!\brief Exact k-mer index of a reference panel (k <= 16). Only the panel's own sequence is indexed: alias
//!       segments (copies of a parent contig) are skipped, so a read in them seeds on the parent only.

#include <chemores/reference/panel.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace chemores::align
{

//!\brief A reference position: contig index and 0-based offset.
struct ref_pos
{
    uint32_t contig;
    uint32_t pos;
};

class kmer_index
{
public:
    kmer_index(reference::panel const & p, int k);

    int k() const
    {
        return k_;
    }
    //!\brief All positions where `kmer` (2 bits per base, first base most significant) starts.
    std::span<ref_pos const> lookup(uint64_t kmer) const
    {
        uint64_t h = hash(kmer) & mask_;
        while (true)
        {
            auto const & s = slots_[h];
            if (s.count == 0)
                return {};
            if (s.key == kmer)
                return {positions_.data() + s.offset, s.count};
            h = (h + 1) & mask_;
        }
    }
    size_t distinct_kmers() const
    {
        return distinct_;
    }

private:
    static uint64_t hash(uint64_t x)
    {
        x ^= x >> 31;
        x *= 0x7fb5d329728ea185ULL;
        x ^= x >> 27;
        return x;
    }
    struct slot
    {
        uint64_t key = 0;
        uint32_t offset = 0;
        uint32_t count = 0;
    };
    int k_;
    uint64_t mask_ = 0;
    size_t distinct_ = 0;
    std::vector<slot> slots_;
    std::vector<ref_pos> positions_;
};

} // namespace chemores::align
