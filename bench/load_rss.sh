#!/usr/bin/env bash
# Streaming memory bounds, measured: peak RSS of `chemores align` as the input grows 10x, and of `chemores call` as
# the depth grows, on simulated data (tests/tools/simreads, fixed seeds). Not a test: prints a Markdown table.
#
#   bash bench/load_rss.sh [ALIGN_PAIRS ...] -- [CALL_DEPTH ...]
#   default: 1000000 10000000 -- 100000 1000000
#
# align: N 2x150 pairs over the ABL1 kinase-domain region (NM_005157.6:700-1900), gzip FASTQ; timed runs: unsorted
# BAM (-@ 2), and --sort --write-index with the default --sort-memory (768 MiB: sorted chunks spill to disk).
# call: 4*D pairs from the four kinase-domain amplicons (every codon ~D molecules, 2*D where two overlap), T315I at 5 %,
# aligned once (untimed), then `chemores call` timed. Environment: BENCH_BUILD (default build/release), BENCH_WORK
# (default /tmp/chemores-bench-load; needs ~1 GB per million pairs).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BENCH_BUILD:-$here/build/release}
work=${BENCH_WORK:-/tmp/chemores-bench-load}
align_sizes=()
depths=()
seen_sep=0
for a in "$@"; do
    if [ "$a" = -- ]; then seen_sep=1; continue; fi
    if [ $seen_sep = 0 ]; then align_sizes+=("$a"); else depths+=("$a"); fi
done
[ ${#align_sizes[@]} -gt 0 ] || [ $# -gt 0 ] || align_sizes=(1000000 10000000)
[ ${#depths[@]} -gt 0 ] || [ $# -gt 0 ] || depths=(100000 1000000)
[ -f "$build/CMakeCache.txt" ] || cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON >/dev/null
cmake --build "$build" -j 2 --target chemores simreads >/dev/null
C="$build/src/chemores"
S="$build/tests/simreads"
panel="$here/references/panel"
mkdir -p "$work"
cd "$work"

timed() { # LABEL INPUT COMMAND
    /usr/bin/time -f "%e %U %S %M" -o t.txt bash -c "$3" >/dev/null 2>log.txt || { cat log.txt >&2; exit 1; }
    awk -v l="$1" -v i="$2" '{printf "| %s | %s | %.1f | %.1f | %.0f |\n", l, i, $1, $2 + $3, $4 / 1024}' t.txt
}

echo "## peak RSS vs input size, $(date -u +%Y-%m-%d), $(nproc) cores, $("$C" --version | head -1)"
echo
echo "| command | input | wall s | CPU s | peak RSS MB |"
echo "|---|---|---|---|---|"
for n in "${align_sizes[@]}"; do
    if [ ! -s "a$n.R2.fq.gz" ]; then
        "$S" --fasta "$panel/transcripts.fa" --contig NM_005157.6:700-1900 -n "$n" --length 150 --seed 7 \
            --sub 0.002 --indel 0.0002 --prefix "a${n}_" -1 "a$n.R1.fq" -2 "a$n.R2.fq"
        gzip -1 -f "a$n.R1.fq" "a$n.R2.fq"
    fi
    timed "chemores align -@ 2 (BAM)" "$n pairs" "$C align -@ 2 --no-progress -o a.bam a$n.R1.fq.gz a$n.R2.fq.gz"
    timed "chemores align -@ 2 --sort --write-index" "$n pairs" \
        "$C align -@ 2 --no-progress --sort --write-index -o as.bam a$n.R1.fq.gz a$n.R2.fq.gz"
    rm -f a.bam as.bam as.bam.bai
done
for d in "${depths[@]}"; do
    bam="c$d.bam"
    if [ ! -s "$bam.bai" ]; then
        "$S" --fasta "$panel/transcripts.fa" --contig NM_005157.6 --amplicons 852-1151,1062-1361,1306-1605,1456-1755 \
            -n $((4 * d)) --length 150 --seed 9 --sub 0.001 --indel 0.0001 --exact-fraction \
            --variant NM_005157.6:1137:T:0.05 -1 c.R1.fq -2 c.R2.fq
        "$C" align -@ 2 --no-progress --verbosity 0 --sort --write-index -o "$bam" c.R1.fq c.R2.fq
        rm -f c.R1.fq c.R2.fq
    fi
    timed "chemores call" "${d}x ($((4 * d)) pairs)" "rm -rf cr && $C call --verbosity 0 -o cr $bam"
done
