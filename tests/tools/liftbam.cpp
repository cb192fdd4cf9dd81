// liftbam: turn a coordinate-sorted BAM aligned to the chemores panel into the BAM a genome aligner would write for
// the same alignments (GRCh38 or hg19; "chr9" or "9"), for tests that the caller gives the same answer either way.
//
// Reads on NM_005157.6 (ABL1 isoform 1a) are lifted base by base through the bundled exon table: aligned blocks that
// cross an exon boundary get an N (intron) operation, as a spliced aligner writes it; mate positions are lifted the
// same way. Reads on other contigs are dropped (with their mates). The lift is monotonic (+ strand gene), so the
// output stays sorted; it is indexed (.bai).
//
// usage: liftbam IN.bam OUT.bam GRCh38|hg19 [--no-chr]

#include <chemores/pileup/codon_pileup.hpp>
#include <chemores/reference/panel.hpp>

#include <cstdio>
#include <htslib/sam.h>
#include <iostream>
#include <string>
#include <vector>

namespace
{
[[noreturn]] void die(std::string const & m)
{
    std::cerr << "liftbam: " << m << "\n";
    std::exit(1);
}
} // namespace

int main(int argc, char ** argv)
{
    if (argc < 4)
        die("usage: liftbam IN.bam OUT.bam GRCh38|hg19 [--no-chr]");
    std::string const in = argv[1], out = argv[2], assembly = argv[3];
    bool const chr = !(argc > 4 && std::string{argv[4]} == "--no-chr");
    auto const kind = assembly == "hg19" ? chemores::pileup::reference_kind::hg19 : chemores::pileup::reference_kind::grch38;
    auto const table = chemores::pileup::exon_table::from_text(
        "builtin:panel/exons.tsv", chemores::reference::bundled_file("panel/exons.tsv"));
    std::string const contig = "NM_005157.6";

    samFile * fi = sam_open(in.c_str(), "r");
    if (!fi)
        die("cannot open " + in);
    sam_hdr_t * hi = sam_hdr_read(fi);
    int const tid_in = sam_hdr_name2tid(hi, contig.c_str());
    if (tid_in < 0)
        die(in + " has no " + contig);

    std::string const c9 = chr ? "chr9" : "9", c22 = chr ? "chr22" : "22";
    std::string text = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:" + c9 + "\tLN:" +
                       (kind == chemores::pileup::reference_kind::hg19 ? "141213431" : "138394717") + "\n@SQ\tSN:" +
                       c22 + "\tLN:" + (kind == chemores::pileup::reference_kind::hg19 ? "51304566" : "50818468") +
                       "\n@PG\tID:liftbam\tPN:liftbam\n";
    sam_hdr_t * ho = sam_hdr_parse(text.size(), text.c_str());
    samFile * fo = sam_open(out.c_str(), "wb");
    if (!fo || sam_hdr_write(fo, ho) < 0)
        die("cannot write " + out);

    auto lift = [&](int64_t pos) -> int64_t {
        auto const g = table.to_genome(contig, pos, kind);
        if (!g)
            return -1;
        return g->second;
    };

    bam1_t * b = bam_init1();
    bam1_t * o = bam_init1();
    uint64_t kept = 0, dropped = 0;
    int r;
    while ((r = sam_read1(fi, hi, b)) >= 0)
    {
        if (b->core.tid != tid_in || (b->core.flag & BAM_FUNMAP))
        {
            ++dropped;
            continue;
        }
        // New CIGAR: walk the old one, splitting aligned blocks where the genome position jumps.
        std::vector<uint32_t> cig;
        auto push = [&](int op, uint32_t len) {
            if (len == 0)
                return;
            if (!cig.empty() && bam_cigar_op(cig.back()) == static_cast<uint32_t>(op))
                cig.back() = bam_cigar_gen(bam_cigar_oplen(cig.back()) + len, op);
            else
                cig.push_back(bam_cigar_gen(len, op));
        };
        int64_t tpos = b->core.pos;
        int64_t gprev = -1;
        int64_t gstart = -1;
        bool ok = true;
        uint32_t const * oc = bam_get_cigar(b);
        for (uint32_t i = 0; i < b->core.n_cigar && ok; ++i)
        {
            int const op = bam_cigar_op(oc[i]);
            uint32_t const len = bam_cigar_oplen(oc[i]);
            bool const consumes_ref = bam_cigar_type(op) & 2;
            if (!consumes_ref)
            {
                push(op, len);
                continue;
            }
            for (uint32_t k = 0; k < len; ++k, ++tpos)
            {
                int64_t const g = lift(tpos);
                if (g < 0)
                {
                    ok = false;
                    break;
                }
                if (gstart < 0)
                    gstart = g;
                if (gprev >= 0 && g != gprev + 1)
                    push(BAM_CREF_SKIP, static_cast<uint32_t>(g - gprev - 1));
                push(op, 1);
                gprev = g;
            }
        }
        int64_t mpos = -1;
        if ((b->core.flag & BAM_FPAIRED) && !(b->core.flag & BAM_FMUNMAP))
        {
            if (b->core.mtid != tid_in || (mpos = lift(b->core.mpos)) < 0)
                ok = false;
        }
        if (!ok || gstart < 0)
        {
            ++dropped;
            continue;
        }
        std::string qual(reinterpret_cast<char const *>(bam_get_qual(b)), static_cast<size_t>(b->core.l_qseq));
        std::string seq(static_cast<size_t>(b->core.l_qseq), 'N');
        for (int i = 0; i < b->core.l_qseq; ++i)
            seq[static_cast<size_t>(i)] = seq_nt16_str[bam_seqi(bam_get_seq(b), i)];
        if (bam_set1(o, b->core.l_qname - b->core.l_extranul - 1, bam_get_qname(b), b->core.flag, 0, gstart,
                     b->core.qual, cig.size(), cig.data(), mpos >= 0 ? 0 : -1, mpos, 0,
                     static_cast<size_t>(b->core.l_qseq), seq.c_str(), qual.c_str(), 0) < 0)
            die("bam_set1 failed");
        if (sam_write1(fo, ho, o) < 0)
            die("write failed");
        ++kept;
    }
    if (r < -1)
        die(in + " is truncated");
    bam_destroy1(b);
    bam_destroy1(o);
    sam_hdr_destroy(hi);
    sam_close(fi);
    sam_hdr_destroy(ho);
    if (sam_close(fo) < 0)
        die("close failed");
    if (sam_index_build(out.c_str(), 0) < 0)
        die("cannot index " + out);
    std::cerr << "liftbam: " << kept << " records lifted, " << dropped << " dropped\n";
    return 0;
}
