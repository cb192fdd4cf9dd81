// simreads: a deterministic read simulator for chemores tests and benchmarks.
//
// Fragments are drawn from contigs of a FASTA (optionally a region of one contig), with Illumina-like
// substitutions and small indels on both strands, paired or single. Each read name carries its truth:
//   <prefix><index>;<contig>,<pos>,<strand>[;<contig>,<pos>,<strand>]
// where pos is the 1-based leftmost reference base covered by the read and strand is + or -. When a
// segments.tsv is given, a read that lies wholly inside an alias segment (e.g. the ABL1 part of a fusion
// transcript) is labelled with the parent contig and position, as chemores reports it.
// Variants can be spiked at a fraction: --variant CONTIG:POS:ALT:FRACTION (POS 1-based; ALT replaces
// len(ALT) bases starting at POS, so a two-base codon change is one variant applied to the same molecule).
// By default each covering molecule carries a variant with probability FRACTION; with --exact-fraction the
// covering molecules are allocated deterministically (molecule k carries it iff floor(k f) < floor((k + 1) f)), so
// the fraction among covering molecules is FRACTION to within one molecule: the truth a caller must estimate.
// --amplicons S-E[,S-E...] (1-based inclusive, on the first --contig) draws fragments that are exactly these
// intervals, as targeted amplicon sequencing produces.
//
// The random generator is splitmix64 with hand-written distributions, so output is identical on every platform.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace
{
struct rng
{
    uint64_t s;
    uint64_t next()
    {
        uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() // [0,1)
    {
        return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0);
    }
    uint64_t below(uint64_t n)
    {
        return n ? next() % n : 0;
    }
    double normal()
    {
        double u1 = uniform(), u2 = uniform();
        if (u1 < 1e-300)
            u1 = 1e-300;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
};

struct contig
{
    std::string name;
    std::string seq;
};
struct segment
{
    std::string contig;
    long start, end; // 1-based inclusive
    std::string parent;
    long parent_start;
};
struct variant
{
    std::string contig;
    long pos; // 1-based
    std::string alt;
    double fraction;
    uint64_t covered = 0; // --exact-fraction: molecules covering it so far
};

[[noreturn]] void die(std::string const & m)
{
    std::cerr << "simreads: error: " << m << "\n";
    std::exit(1);
}

std::vector<contig> read_fasta(std::string const & path)
{
    std::ifstream in{path};
    if (!in)
        die("cannot open " + path);
    std::vector<contig> out;
    std::string line;
    while (std::getline(in, line))
    {
        if (line.empty())
            continue;
        if (line[0] == '>')
        {
            auto ws = line.find_first_of(" \t");
            out.push_back({line.substr(1, ws == std::string::npos ? std::string::npos : ws - 1), {}});
        }
        else
        {
            for (char & c : line)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            out.back().seq += line;
        }
    }
    return out;
}

std::vector<segment> read_segments(std::string const & path)
{
    std::vector<segment> out;
    if (path.empty())
        return out;
    std::ifstream in{path};
    if (!in)
        die("cannot open " + path);
    std::string line;
    bool header = false;
    while (std::getline(in, line))
    {
        if (line.empty() || line[0] == '#')
            continue;
        if (!header)
        {
            header = true;
            continue;
        }
        std::istringstream ss{line};
        segment s;
        ss >> s.contig >> s.start >> s.end >> s.parent >> s.parent_start;
        out.push_back(s);
    }
    return out;
}

char complement(char c)
{
    switch (c)
    {
    case 'A':
        return 'T';
    case 'C':
        return 'G';
    case 'G':
        return 'C';
    case 'T':
        return 'A';
    default:
        return 'N';
    }
}
std::string revcomp(std::string const & s)
{
    std::string r(s.rbegin(), s.rend());
    for (auto & c : r)
        c = complement(c);
    return r;
}

// Add sequencing errors to a read taken from a molecule; returns the read and its quality string.
void sequence(rng & g, std::string const & truth, size_t len, double sub, double indel, std::string & read,
              std::string & qual)
{
    static char const bases[] = "ACGT";
    read.clear();
    size_t i = 0;
    while (read.size() < len && i < truth.size())
    {
        double const u = g.uniform();
        if (u < indel / 2) // insertion of one base
            read += bases[g.below(4)];
        else if (u < indel) // deletion of one base
            ++i;
        else
        {
            char c = truth[i++];
            if (g.uniform() < sub)
            {
                char d;
                do
                    d = bases[g.below(4)];
                while (d == c);
                c = d;
            }
            read += c;
        }
    }
    qual.resize(read.size());
    for (auto & q : qual)
        q = static_cast<char>(33 + 30 + g.below(11)); // Phred 30-40, independent of the errors
}

// A read that overlaps a neighbouring segment by fewer than `min_anchor` bases cannot be told apart from one of
// the parent (the few bases may match the parent by chance): it is labelled with the segment that holds most of it.
std::string label(std::vector<segment> const & segs, std::string const & contig, long pos1, long span, char strand,
                  long min_anchor)
{
    for (auto const & s : segs)
    {
        if (s.contig != contig)
            continue;
        long const lo = std::max(pos1, s.start), hi = std::min(pos1 + span - 1, s.end);
        if (hi - lo + 1 >= span - min_anchor + 1 && hi >= lo)
            return s.parent + "," + std::to_string(s.parent_start + (pos1 - s.start)) + "," + strand;
    }
    return contig + "," + std::to_string(pos1) + "," + strand;
}

void usage()
{
    std::cerr << "usage: simreads --fasta F [--segments S] [--contig NAME[:START-END]]... -n N [--length 150]\n"
                 "       [--insert 300 --insert-sd 30] [--single] [--sub 0.002] [--indel 0.0002] [--seed 1]\n"
                 "       [--variant CONTIG:POS:ALT:FRACTION]... [--exact-fraction] [--amplicons S-E,...] [--cross JUNCTION_POS] [--min-anchor 0] [--prefix s] -1 R1.fq [-2 R2.fq]\n";
    std::exit(2);
}
} // namespace

int main(int argc, char ** argv)
{
    std::string fasta, segments_path, out1, out2, prefix = "s";
    std::vector<std::string> regions;
    std::vector<variant> variants;
    long n = 1000, length = 150, cross = 0, min_anchor = 0;
    double insert = 300, insert_sd = 30, sub = 0.002, indel = 0.0002;
    bool single = false, exact = false;
    std::vector<std::pair<long, long>> amplicons; // 1-based inclusive
    uint64_t seed = 1;
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        auto val = [&]() -> std::string {
            if (i + 1 >= argc)
                usage();
            return argv[++i];
        };
        if (a == "--fasta")
            fasta = val();
        else if (a == "--segments")
            segments_path = val();
        else if (a == "--contig")
            regions.push_back(val());
        else if (a == "-n")
            n = std::stol(val());
        else if (a == "--length")
            length = std::stol(val());
        else if (a == "--insert")
            insert = std::stod(val());
        else if (a == "--insert-sd")
            insert_sd = std::stod(val());
        else if (a == "--single")
            single = true;
        else if (a == "--sub")
            sub = std::stod(val());
        else if (a == "--indel")
            indel = std::stod(val());
        else if (a == "--seed")
            seed = std::stoull(val());
        else if (a == "--prefix")
            prefix = val();
        else if (a == "--min-anchor")
            min_anchor = std::stol(val());
        else if (a == "--exact-fraction")
            exact = true;
        else if (a == "--amplicons")
        {
            std::stringstream ss{val()};
            for (std::string x; std::getline(ss, x, ',');)
            {
                auto const d = x.find('-');
                if (d == std::string::npos)
                    die("--amplicons needs START-END[,START-END...]");
                amplicons.emplace_back(std::stol(x.substr(0, d)), std::stol(x.substr(d + 1)));
                if (amplicons.back().second < amplicons.back().first)
                    die("--amplicons: " + x + " ends before it starts");
            }
        }
        else if (a == "--cross")
            cross = std::stol(val());
        else if (a == "-1")
            out1 = val();
        else if (a == "-2")
            out2 = val();
        else if (a == "--variant")
        {
            std::string v = val();
            std::vector<std::string> f;
            std::stringstream ss{v};
            for (std::string x; std::getline(ss, x, ':');)
                f.push_back(x);
            if (f.size() != 4)
                die("--variant needs CONTIG:POS:ALT:FRACTION");
            variants.push_back({f[0], std::stol(f[1]), f[2], std::stod(f[3])});
        }
        else
            usage();
    }
    if (fasta.empty() || out1.empty() || (!single && out2.empty()))
        usage();
    auto const contigs = read_fasta(fasta);
    auto const segs = read_segments(segments_path);

    struct region
    {
        size_t contig;
        long start, end; // 0-based half-open
    };
    std::vector<region> regs;
    if (regions.empty())
        for (size_t c = 0; c < contigs.size(); ++c)
            regs.push_back({c, 0, static_cast<long>(contigs[c].seq.size())});
    for (auto const & r : regions)
    {
        auto colon = r.rfind(':');
        std::string name = r;
        long b = 0, e = -1;
        if (colon != std::string::npos && r.find('-', colon) != std::string::npos)
        {
            name = r.substr(0, colon);
            auto dash = r.find('-', colon);
            b = std::stol(r.substr(colon + 1, dash - colon - 1)) - 1;
            e = std::stol(r.substr(dash + 1));
        }
        size_t c = contigs.size();
        for (size_t i = 0; i < contigs.size(); ++i)
            if (contigs[i].name == name)
                c = i;
        if (c == contigs.size())
            die("no contig " + name);
        if (e < 0)
            e = static_cast<long>(contigs[c].seq.size());
        regs.push_back({c, b, e});
    }
    // weight regions by length
    std::vector<long> cum;
    long total = 0;
    for (auto const & r : regs)
        cum.push_back(total += r.end - r.start);

    std::ofstream f1{out1}, f2;
    if (!single)
        f2.open(out2);
    if (!f1 || (!single && !f2))
        die("cannot write the output files");
    rng g{seed};
    long made = 0;
    while (made < n)
    {
        long const pick = static_cast<long>(g.below(static_cast<uint64_t>(total)));
        size_t ri = 0;
        while (cum[ri] <= pick)
            ++ri;
        auto const & R = amplicons.empty() ? regs[ri] : regs[0];
        auto const & C = contigs[R.contig];
        long frag = 0, start = 0;
        if (amplicons.empty())
        {
            frag = single ? length : std::lround(insert + insert_sd * g.normal());
            frag = std::max(frag, length);
            if (frag > R.end - R.start)
                continue;
            start = R.start + static_cast<long>(g.below(static_cast<uint64_t>(R.end - R.start - frag + 1)));
        }
        else
        {
            auto const & [a1, a2] = amplicons[g.below(amplicons.size())];
            start = a1 - 1;
            frag = a2 - a1 + 1;
            if (a2 > static_cast<long>(C.seq.size()))
                die("amplicon beyond the end of " + C.name);
        }
        if (cross > 0 && !(start < cross && start + frag > cross))
            continue; // fragments must span the junction
        std::string mol = C.seq.substr(static_cast<size_t>(start), static_cast<size_t>(frag));
        for (auto & v : variants)
        {
            long const p = v.pos - 1;
            if (v.contig != C.name || p < start || p + static_cast<long>(v.alt.size()) > start + frag)
                continue;
            bool carry = false;
            if (exact)
            {
                auto const k = static_cast<double>(v.covered++);
                carry = std::floor(k * v.fraction) < std::floor((k + 1) * v.fraction);
            }
            else
                carry = g.uniform() < v.fraction;
            if (carry)
                mol.replace(static_cast<size_t>(p - start), v.alt.size(), v.alt);
        }
        // Extra bases so that deletions do not shorten the read at the fragment end.
        bool const flip = g.below(2) == 1;
        std::string r1, q1, r2, q2;
        std::string const fwd = mol, rev = revcomp(mol);
        sequence(g, flip ? rev : fwd, static_cast<size_t>(length), sub, indel, r1, q1);
        long const span1 = std::min<long>(length, frag);
        std::string name = prefix + std::to_string(made);
        long const left1 = flip ? start + frag - span1 + 1 : start + 1;
        name += ";" + label(segs, C.name, left1, span1, flip ? '-' : '+', min_anchor);
        if (!single)
        {
            sequence(g, flip ? fwd : rev, static_cast<size_t>(length), sub, indel, r2, q2);
            long const left2 = flip ? start + 1 : start + frag - span1 + 1;
            name += ";" + label(segs, C.name, left2, span1, flip ? '+' : '-', min_anchor);
            f2 << '@' << name << "/2\n" << r2 << "\n+\n" << q2 << "\n";
        }
        f1 << '@' << name << (single ? "" : "/1") << "\n" << r1 << "\n+\n" << q1 << "\n";
        ++made;
    }
    f1.close();
    if (!single)
        f2.close();
    if (!f1 || (!single && !f2))
        die("write error");
    return 0;
}
