#include <chemores/align/kmer_index.hpp>
#include <chemores/core/errors.hpp>

#include <algorithm>

namespace chemores::align
{

kmer_index::kmer_index(reference::panel const & p, int k) : k_{k}
{
    if (k < 4 || k > 16)
        throw config_error{"k-mer size must be between 4 and 16"};
    uint64_t const kmask = (uint64_t{1} << (2 * k)) - 1;

    // Mark the alias segments of every contig so that copies are not indexed twice.
    // segment_of[c][i]: index of the alias segment holding base i of contig c, or -1 for the contig's own sequence.
    std::vector<std::vector<int32_t>> segment_of(p.contigs().size());
    for (uint32_t c = 0; c < p.contigs().size(); ++c)
        segment_of[c].assign(p.contigs()[c].seq.size(), -1);
    for (size_t si = 0; si < p.segments().size(); ++si)
    {
        auto const & s = p.segments()[si];
        for (uint32_t i = s.start; i < s.end; ++i)
            segment_of[s.contig][i] = static_cast<int32_t>(si);
    }

    struct entry
    {
        uint64_t kmer;
        ref_pos pos;
    };
    std::vector<entry> entries;
    for (uint32_t c = 0; c < p.contigs().size(); ++c)
    {
        auto const & seq = p.contigs()[c].seq;
        uint64_t kmer = 0;
        int valid = 0; // number of consecutive non-N bases ending here
        auto const & seg = segment_of[c];
        for (uint32_t i = 0; i < seq.size(); ++i)
        {
            if (seq[i] > 3)
            {
                valid = 0;
                kmer = 0;
            }
            else
            {
                kmer = ((kmer << 2) | seq[i]) & kmask;
                ++valid;
            }
            if (valid < k)
                continue;
            uint32_t const start = i + 1 - static_cast<uint32_t>(k);
            // A k-mer wholly inside one alias segment is a copy of the parent's and is not indexed; one that
            // touches the contig's own sequence or spans two segments (a fusion junction) is.
            bool const copy = seg[start] >= 0 && seg[start] == seg[i];
            if (!copy)
                entries.push_back({kmer, {c, start}});
        }
    }
    std::stable_sort(entries.begin(), entries.end(), [](auto const & a, auto const & b) { return a.kmer < b.kmer; });

    positions_.reserve(entries.size());
    size_t n_distinct = 0;
    for (size_t i = 0; i < entries.size(); ++i)
        n_distinct += (i == 0 || entries[i].kmer != entries[i - 1].kmer);
    distinct_ = n_distinct;
    size_t cap = 16;
    while (cap < 2 * n_distinct + 16)
        cap <<= 1;
    slots_.assign(cap, slot{});
    mask_ = cap - 1;
    for (size_t i = 0; i < entries.size();)
    {
        size_t j = i;
        while (j < entries.size() && entries[j].kmer == entries[i].kmer)
            positions_.push_back(entries[j++].pos);
        uint64_t h = hash(entries[i].kmer) & mask_;
        while (slots_[h].count != 0)
            h = (h + 1) & mask_;
        slots_[h] = slot{entries[i].kmer, static_cast<uint32_t>(i), static_cast<uint32_t>(j - i)};
        i = j;
    }
}

} // namespace chemores::align
