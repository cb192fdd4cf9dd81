#!/usr/bin/env bash
# Regenerates test_data/demo/ (committed; deterministic): bash test_data/make_demo.sh BUILD_DIR
#  demo_R1/R2.fq.gz  3,000 read pairs from four 300-bp amplicons tiling the ABL1 kinase domain (~750-1,500
#                    molecules per codon) carrying T315I (c.944C>T, tx 1137) in 30 % and E255K (c.763G>A,
#                    tx 956) in 4 % of molecules; 800 pairs from an SLC19A1 amplicon over codons 27-46 (wild
#                    type); 40 pairs spanning the BCR::ABL1 e13a2 junction
#  demo_smallrna.fq.gz small-RNA reads: miRBase v22 matures followed by the TruSeq small-RNA 3' adapter
set -euo pipefail
build=${1:?usage: make_demo.sh BUILD_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
panel="$here/../references/panel"
sim="$build/tests/simreads"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$sim" --fasta "$panel/transcripts.fa" --contig NM_005157.6 --amplicons 852-1151,1062-1361,1306-1605,1456-1755 \
    -n 3000 --seed 315 --sub 0.001 --indel 0.0001 --exact-fraction --variant NM_005157.6:1137:T:0.30 \
    --variant NM_005157.6:956:A:0.04 --prefix kd -1 "$tmp/a1.fq" -2 "$tmp/a2.fq"
"$sim" --fasta "$panel/transcripts.fa" --contig ENST00000311124 --amplicons 120-419 -n 800 --seed 45 --sub 0.001 \
    --indel 0.0001 --prefix rfc -1 "$tmp/c1.fq" -2 "$tmp/c2.fq"
"$sim" --fasta "$panel/transcripts.fa" --segments "$panel/segments.tsv" --contig BCR-ABL1_e13a2:2800-3600 \
    --cross 3159 -n 40 --seed 13 --sub 0.003 --prefix fu -1 "$tmp/b1.fq" -2 "$tmp/b2.fq"
cat "$tmp/a1.fq" "$tmp/c1.fq" "$tmp/b1.fq" | gzip -n -9 > "$here/demo/demo_R1.fq.gz"
cat "$tmp/a2.fq" "$tmp/c2.fq" "$tmp/b2.fq" | gzip -n -9 > "$here/demo/demo_R2.fq.gz"

# Small RNA: count x mature, each read = mature + adapter, cut to 50 nt (as a 50-cycle run delivers).
adapter=TGGAATTCTCGGGTGCCAAGGAACTCCAGTCAC
awk -v adapter="$adapter" '
    BEGIN { want["hsa-miR-21-5p"] = 40; want["hsa-let-7a-5p"] = 25; want["hsa-miR-519c-3p"] = 10;
            want["hsa-miR-17-5p"] = 15; want["hsa-miR-145-5p"] = 8; want["hsa-miR-9-5p"] = 5 }
    /^>/ { name = substr($1, 2); next }
    (name in want) { seq[name] = seq[name] $0 }
    END {
        n = 0
        for (m in want) order[++k] = m
        # fixed order: sort names
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (order[j] < order[i]) { t = order[i]; order[i] = order[j]; order[j] = t }
        for (i = 1; i <= k; i++) {
            m = order[i]
            for (c = 0; c < want[m]; c++) {
                r = substr(seq[m] adapter, 1, 50); q = r; gsub(/./, "I", q)
                printf "@%s_%d\n%s\n+\n%s\n", m, c, r, q
            }
        }
    }' "$panel/mirna_matures.fa" | gzip -n -9 > "$here/demo/demo_smallrna.fq.gz"
ls -l "$here/demo"
