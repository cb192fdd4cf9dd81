// mirna_simreads: a larger deterministic small-RNA data set for throughput measurements of `chemores mirna quant`.
//   mirna_simreads PANEL_DIR OUT.fq[.gz] N [SEED]
// Reads of matures drawn with Zipf-like abundances, with 5'/3' isomiR shifts, non-templated 3' additions (10 %),
// substitutions (2 %), random inserts (3 %) and adapter dimers (2 %), followed by the TruSeq small-RNA adapter.

#include "mirna_sim.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <iostream>

using namespace chemores::test::mirna_sim;

int main(int argc, char ** argv)
{
    if (argc < 4)
    {
        std::cerr << "usage: mirna_simreads PANEL_DIR OUT.fq[.gz] N [SEED]\n";
        return 2;
    }
    try
    {
        auto const db = hairpin_db::load(argv[1]);
        long const n = std::atol(argv[3]);
        rng r{argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 1};
        // a random order of the matures; rank k gets weight 1/k
        std::vector<size_t> order(db.matures.size());
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        for (size_t i = order.size(); i > 1; --i)
            std::swap(order[i - 1], order[r.below(i)]);
        std::vector<double> cum;
        double total = 0;
        for (size_t k = 0; k < order.size(); ++k)
            cum.push_back(total += 1.0 / static_cast<double>(k + 1));
        std::vector<species> spec;
        long made = 0;
        while (made < n)
        {
            species s;
            s.label =
                "r" + std::to_string(made); // the truth is appended below: r<i>|mature|hairpin|shift5|shift3|add|snv
            s.count = 1;
            uint64_t const kind = r.below(100);
            if (kind < 3)
            {
                s.explicit_insert = true;
                s.insert = random_sequence(r, 18 + static_cast<int>(r.below(8)));
            }
            else if (kind < 5)
                s.explicit_insert = true; // adapter dimer
            else
            {
                double const u = static_cast<double>(r.next() >> 11) / 9007199254740992.0 * total;
                size_t const k = std::min<size_t>(
                    static_cast<size_t>(std::lower_bound(cum.begin(), cum.end(), u) - cum.begin()), cum.size() - 1);
                auto const & m = db.matures[order[k]];
                s.mature = m.name;
                s.hairpin = m.hairpin;
                static constexpr int shifts5[] = {-1, 0, 0, 0, 0, 1};
                s.shift5 = shifts5[r.below(6)];
                s.shift3 = static_cast<int>(r.below(5)) - 2;
                if (r.below(100) < 10)
                    s.add3p = std::string(1 + r.below(2), r.below(2) ? 'A' : 'T');
                if (r.below(100) < 2)
                    s.snv_pos = 2 + static_cast<int>(r.below(15));
            }
            try
            {
                (void)insert_of(db, s);
            }
            catch (std::exception const &)
            {
                continue; // impossible spec (templated addition, span off the hairpin): draw again
            }
            if (!s.mature.empty())
                s.label += "|" + s.mature + "|" + s.hairpin + "|" + std::to_string(s.shift5) + "|" +
                           std::to_string(s.shift3) + "|" + s.add3p + "|" + std::to_string(s.snv_pos);
            spec.push_back(std::move(s));
            ++made;
        }
        write_fastq(argv[2], simulate(db, spec, r.next()));
    }
    catch (std::exception const & e)
    {
        std::cerr << "mirna_simreads: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
