#!/usr/bin/env bash
# Whole-tool benchmark: chemores align vs bwa mem, minimap2 -ax sr and bowtie2 on the same reads, in one run.
#
#   bash bench/align_vs_peers.sh [PAIRS] [THREADS]      (defaults: 1000000 pairs, 2 threads)
#
# Reads: PAIRS simulated 2x150 pairs from the ABL1 kinase-domain region of NM_005157.6 (tx 700-1900), 0.5 %
# substitutions, 0.05 % indels (tests/tools/simreads, fixed seed), gzip FASTQ. Reference for everyone: the
# chemores panel (references/panel/transcripts.fa). Each tool runs twice: SAM to /dev/null, and coordinate-sorted
# BAM (peers piped into samtools sort -@ THREADS). Accuracy is read from the sorted BAM by tests/tools/evalmap
# (placement within 10 bp of the truth, alias segments such as the ABL1 part of a fusion compared on the parent).
# Prints a Markdown table with wall/CPU/peak RSS and ratios to chemores.
set -euo pipefail
pairs=${1:-1000000}
threads=${2:-2}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BENCH_BUILD:-$here/build/release}
work=${BENCH_WORK:-/tmp/chemores-bench-align}
panel="$here/references/panel"

need=()
for p in bwa minimap2 bowtie2 samtools time; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
        echo "install first: sudo apt-get install -y ${need[*]}" >&2
        exit 1
    fi
fi
[ -f "$build/CMakeCache.txt" ] || cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON >/dev/null
cmake --build "$build" -j "$threads" --target chemores simreads evalmap >/dev/null

mkdir -p "$work"
cd "$work"
if [ ! -s "r1.$pairs.fq.gz" ]; then
    "$build/tests/simreads" --fasta "$panel/transcripts.fa" --segments "$panel/segments.tsv" \
        --contig NM_005157.6:700-1900 -n "$pairs" --seed 42 --sub 0.005 --indel 0.0005 --insert 300 --insert-sd 40 \
        -1 r1.fq -2 r2.fq
    gzip -f r1.fq && mv r1.fq.gz "r1.$pairs.fq.gz"
    gzip -f r2.fq && mv r2.fq.gz "r2.$pairs.fq.gz"
fi
R1="r1.$pairs.fq.gz" R2="r2.$pairs.fq.gz"
cp "$panel/transcripts.fa" ref.fa
[ -s ref.fa.bwt ] || bwa index ref.fa 2>/dev/null
[ -s ref.1.bt2 ] || bowtie2-build -q ref.fa ref >/dev/null
[ -s ref.mmi ] || minimap2 -x sr -d ref.mmi ref.fa 2>/dev/null

declare -A cmd_sam cmd_bam
cmd_sam[chemores]="$build/src/chemores align -@ $threads --no-progress $R1 $R2 -O SAM -o /dev/null"
cmd_bam[chemores]="$build/src/chemores align -@ $threads --no-progress $R1 $R2 --sort -o chemores.bam"
cmd_sam[bwa]="bwa mem -t $threads ref.fa $R1 $R2 > /dev/null"
cmd_bam[bwa]="bwa mem -t $threads ref.fa $R1 $R2 | samtools sort -@ $threads -o bwa.bam -"
cmd_sam[minimap2]="minimap2 -ax sr -t $threads ref.mmi $R1 $R2 > /dev/null"
cmd_bam[minimap2]="minimap2 -ax sr -t $threads ref.mmi $R1 $R2 | samtools sort -@ $threads -o minimap2.bam -"
cmd_sam[bowtie2]="bowtie2 -p $threads -x ref -1 $R1 -2 $R2 > /dev/null"
cmd_bam[bowtie2]="bowtie2 -p $threads -x ref -1 $R1 -2 $R2 | samtools sort -@ $threads -o bowtie2.bam -"

measure() { # prints "wall cpu maxrss_kb"; for pipelines, the peak of the largest process
    /usr/bin/time -f "%e %U %S %M" -o t.txt bash -c "$1" 2>/dev/null
    awk '{printf "%.2f %.2f %d\n", $1, $2 + $3, $4}' t.txt
}

tools=(chemores bwa minimap2 bowtie2)
declare -A w_sam c_sam m_sam w_bam c_bam m_bam acc
for t in "${tools[@]}"; do
    read -r w_sam[$t] c_sam[$t] m_sam[$t] < <(measure "${cmd_sam[$t]}")
    read -r w_bam[$t] c_bam[$t] m_bam[$t] < <(measure "${cmd_bam[$t]}")
    acc[$t]=$("$build/tests/evalmap" "$t.bam" --genes "$panel/transcripts.tsv" --segments "$panel/segments.tsv" |
        sed 's/.*"correct_fraction": \([0-9.e-]*\).*"wrong_gene": \([0-9]*\).*/\1 \2/')
done

echo "## align: $pairs read pairs (2x150, gzip), $threads threads, $(date -u +%Y-%m-%d), $(nproc) cores"
echo
echo "| tool | SAM wall s | SAM CPU s | SAM peak RSS MB | sorted BAM wall s | BAM CPU s | BAM peak RSS MB | correct | wrong gene | SAM wall vs chemores |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for t in "${tools[@]}"; do
    read -r frac wrong <<<"${acc[$t]}"
    ratio=$(awk -v a="${w_sam[$t]}" -v b="${w_sam[chemores]}" 'BEGIN{printf "%.2fx", a/b}')
    printf "| %s | %s | %s | %d | %s | %s | %d | %.4f | %s | %s |\n" "$t" "${w_sam[$t]}" "${c_sam[$t]}" \
        $((${m_sam[$t]} / 1024)) "${w_bam[$t]}" "${c_bam[$t]}" $((${m_bam[$t]} / 1024)) "$frac" "$wrong" "$ratio"
done
