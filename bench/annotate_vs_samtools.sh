#!/usr/bin/env bash
# chemores annotate vs samtools on the same BAM, in one run: wall, CPU and peak RSS.
#
#   bash bench/annotate_vs_samtools.sh [PAIRS] [THREADS]      (default: 500000 read pairs, threads 1 and 2)
#
# Input: PAIRS simulated 2x150 pairs (tests/tools/simreads, seed 5) from the four ABL1 kinase-domain amplicons with
# T315I at 5 %, aligned once with chemores align (sorted, indexed; untimed, kept in the work dir). Timed, for each
# thread count T: `chemores annotate -@ T` (reads every record, tags those carrying catalogued mutations, writes and
# indexes a BAM) and the floor it cannot beat, `samtools view -@ T -b` + `samtools index` (decompress, recompress,
# index, no per-read work). Environment: BENCH_BUILD (default build/release), BENCH_WORK (default
# /tmp/chemores-bench-annotate).
set -euo pipefail
pairs=${1:-500000}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BENCH_BUILD:-$here/build/release}
work=${BENCH_WORK:-/tmp/chemores-bench-annotate}
command -v samtools >/dev/null || { echo "install first: apt-get install samtools" >&2; exit 1; }
[ -f "$build/CMakeCache.txt" ] || cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON >/dev/null
cmake --build "$build" -j 2 --target chemores simreads >/dev/null
C="$build/src/chemores"
S="$build/tests/simreads"
mkdir -p "$work"
cd "$work"
bam="in.$pairs.bam"
if [ ! -s "$bam.bai" ]; then
    "$S" --fasta "$here/references/panel/transcripts.fa" --contig NM_005157.6 \
        --amplicons 852-1151,1062-1361,1306-1605,1456-1755 -n "$pairs" --length 150 --seed 5 --exact-fraction \
        --variant NM_005157.6:1137:T:0.05 -1 r1.fq -2 r2.fq
    "$C" align -@ 2 --verbosity 0 --sort --write-index -o "$bam" r1.fq r2.fq
    rm -f r1.fq r2.fq
fi
records=$(samtools idxstats "$bam" | awk '{n += $3 + $4} END {print n}')
timed() { # LABEL COMMAND
    /usr/bin/time -f "%e %U %S %M" -o t.txt bash -c "$2" >/dev/null 2>log.txt || { cat log.txt >&2; exit 1; }
    awk -v l="$1" -v r="$records" '{printf "| %s | %.2f | %.2f | %.1f | %.0f |\n", l, $1, $2 + $3, $4 / 1024, r / $1}' t.txt
}
echo "## annotate: chemores vs samtools $(samtools --version | head -1 | cut -d' ' -f2), $(date -u +%Y-%m-%d), $(nproc) cores, $records records"
echo
echo "| command | wall s | CPU s | peak RSS MB | records/s (wall) |"
echo "|---|---|---|---|---|"
for t in 1 2; do
    rm -rf ann
    timed "chemores annotate -@ $t" "$C annotate -@ $t --verbosity 0 -o ann $bam"
    timed "samtools view -@ $t -b + index" "samtools view -@ $t -b -o copy.bam $bam && samtools index -@ $t copy.bam"
done
