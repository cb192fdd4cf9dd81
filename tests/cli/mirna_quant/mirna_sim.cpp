#include "mirna_sim.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <zlib.h>

namespace chemores::test::mirna_sim
{

uint64_t rng::next()
{
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

hairpin_db hairpin_db::load(std::string const & panel_dir)
{
    hairpin_db db;
    std::ifstream fa{panel_dir + "/mirna_hairpins.fa"};
    if (!fa)
        throw std::runtime_error{"cannot open " + panel_dir + "/mirna_hairpins.fa"};
    std::string line, name;
    while (std::getline(fa, line))
    {
        if (line.empty())
            continue;
        if (line[0] == '>')
        {
            name = line.substr(1, line.find(' ') - 1);
            db.hairpins[name];
        }
        else
            db.hairpins[name] += line;
    }
    std::ifstream tsv{panel_dir + "/mirna_matures.tsv"};
    if (!tsv)
        throw std::runtime_error{"cannot open " + panel_dir + "/mirna_matures.tsv"};
    std::getline(tsv, line); // header
    while (std::getline(tsv, line))
    {
        std::stringstream ss{line};
        mature m;
        std::string start, end;
        std::getline(ss, m.name, '\t');
        std::getline(ss, m.hairpin, '\t');
        std::getline(ss, start, '\t');
        std::getline(ss, end, '\t');
        m.start = std::stoi(start);
        m.end = std::stoi(end);
        db.matures.push_back(m);
    }
    return db;
}

hairpin_db::mature const & hairpin_db::find(std::string const & name, std::string const & hairpin) const
{
    for (auto const & m : matures)
        if (m.name == name && (hairpin.empty() || m.hairpin == hairpin))
            return m;
    throw std::runtime_error{"no mature " + name + " on " + (hairpin.empty() ? "any hairpin" : hairpin)};
}

namespace
{
char transition(char c)
{
    switch (c)
    {
    case 'A':
        return 'G';
    case 'G':
        return 'A';
    case 'C':
        return 'T';
    default:
        return 'C';
    }
}
} // namespace

std::string insert_of(hairpin_db const & db, species const & s)
{
    if (s.explicit_insert)
        return s.insert;
    auto const & m = db.find(s.mature, s.hairpin);
    auto const & h = db.hairpins.at(m.hairpin);
    int const b = m.start + s.shift5, e = m.end + s.shift3; // 1-based templated span
    if (b < 1 || e > static_cast<int>(h.size()) || e - b + 1 < 10)
        throw std::runtime_error{s.label + ": templated span " + std::to_string(b) + "-" + std::to_string(e) +
                                 " is outside " + m.hairpin};
    std::string ins = h.substr(static_cast<size_t>(b - 1), static_cast<size_t>(e - b + 1));
    if (s.snv_pos > 0)
    {
        if (s.snv_pos > static_cast<int>(ins.size()))
            throw std::runtime_error{s.label + ": SNV position beyond the templated part"};
        char & c = ins[static_cast<size_t>(s.snv_pos - 1)];
        c = s.snv_base ? s.snv_base : transition(c);
    }
    for (size_t i = 0; i < s.add3p.size(); ++i)
    {
        size_t const hp = static_cast<size_t>(e) + i; // 0-based hairpin position facing the added base
        if (hp < h.size() && h[hp] == s.add3p[i])
            throw std::runtime_error{s.label + ": added base " + std::to_string(i + 1) + " is templated"};
    }
    return ins + s.add3p;
}

std::string random_sequence(rng & r, int n)
{
    static constexpr char bases[] = "ACGT";
    std::string s(static_cast<size_t>(n), 'A');
    for (auto & c : s)
        c = bases[r.below(4)];
    return s;
}

std::vector<read> simulate(hairpin_db const & db, std::vector<species> const & spec, uint64_t seed, int read_length)
{
    rng r{seed};
    std::vector<read> reads;
    for (auto const & s : spec)
    {
        std::string const ins = insert_of(db, s);
        for (int i = 0; i < s.count; ++i)
        {
            read x;
            x.name = s.label + "_" + std::to_string(i);
            if (s.adapter)
            {
                x.seq = ins + adapter;
                while (static_cast<int>(x.seq.size()) < read_length)
                    x.seq += random_sequence(r, 1);
                x.seq.resize(static_cast<size_t>(read_length));
            }
            else
                x.seq = ins;
            reads.push_back(std::move(x));
        }
    }
    for (size_t i = reads.size(); i > 1; --i) // Fisher-Yates
        std::swap(reads[i - 1], reads[r.below(i)]);
    return reads;
}

void write_fastq(std::string const & path, std::vector<read> const & reads)
{
    bool const gz = path.size() > 3 && path.substr(path.size() - 3) == ".gz";
    gzFile f = gzopen(path.c_str(), gz ? "wb6" : "wbT"); // "T": plain output through the same interface
    if (!f)
        throw std::runtime_error{"cannot write " + path};
    std::string text;
    for (size_t i = 0; i < reads.size(); ++i)
    {
        auto const & x = reads[i];
        text += "@" + x.name + "\n" + x.seq + "\n+\n" + std::string(x.seq.size(), 'I') + "\n";
        if (text.size() > (1u << 20) || i + 1 == reads.size())
        {
            if (gzwrite(f, text.data(), static_cast<unsigned>(text.size())) <= 0)
                throw std::runtime_error{"cannot write " + path};
            text.clear();
        }
    }
    if (gzclose(f) != Z_OK)
        throw std::runtime_error{"cannot write " + path};
}

} // namespace chemores::test::mirna_sim
