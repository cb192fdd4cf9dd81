#!/usr/bin/env bash
# Accuracy of `chemores align` on reads simulated from the whole panel (committed generator, fixed seeds):
# >= 99.5 % of reads placed at the true position, none on the wrong gene, junction reads on the right fusion.
set -euo pipefail
chemores=$1 simreads=$2 evalmap=$3 panel=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# 1. Illumina-like paired reads from every panel transcript: 0.5 % substitutions, 0.05 % indels, both strands.
"$simreads" --fasta "$panel/transcripts.fa" --segments "$panel/segments.tsv" -n 20000 --seed 2026 \
    --sub 0.005 --indel 0.0005 --length 150 --insert 350 --insert-sd 50 -1 p1.fq -2 p2.fq
"$chemores" align p1.fq p2.fq -@ 2 -o panel.bam
"$evalmap" panel.bam --genes "$panel/transcripts.tsv" --segments "$panel/segments.tsv" \
    --min-correct 0.995 --max-wrong-gene 0 --min-junction-correct 0.99

# 2. Reads crossing each BCR::ABL1 junction must be assigned to the right fusion type.
for fusion in BCR-ABL1_e1a2:1731 BCR-ABL1_e13a2:3159 BCR-ABL1_e14a2:3234 BCR-ABL1_e19a2:3774; do
    name=${fusion%%:*} junction=${fusion##*:}
    "$simreads" --fasta "$panel/transcripts.fa" --segments "$panel/segments.tsv" --contig "$name" \
        --cross "$junction" --single -n 2000 --seed 7 --sub 0.005 --indel 0.0005 -1 j.fq
    "$chemores" align j.fq -o j.bam
    "$evalmap" j.bam --genes "$panel/transcripts.tsv" --segments "$panel/segments.tsv" \
        --min-correct 0.995 --max-wrong-gene 0 --min-junction-correct 0.99
done
echo "align accuracy: all thresholds met"
