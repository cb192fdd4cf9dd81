#!/usr/bin/env bash
# Whole-tool benchmark: chemores call vs bcftools mpileup | bcftools call and freebayes --pooled-continuous on the
# same BAMs, in one run.
#
#   bash bench/call_vs_peers.sh [DEPTH ...]      (default: 5000 50000 500000)
#
# Environment: BENCH_BUILD (build dir, default build/release), BENCH_WORK (default /tmp/chemores-bench-call),
# BENCH_TIMEOUT (seconds per timed run, default 3600; a run stopped by it, or by SIGTERM, is reported DNF with its
# elapsed time), BENCH_MEM_GB (virtual memory limit of each timed run, default 16; a run that exceeds it fails and is
# reported FAIL), BENCH_FB_LIMIT (the --limit-coverage of the extra, subsampling freebayes line; default 10000; 0 skips
# the line), BENCH_FB_LIMIT_TIMEOUT (its timeout, default BENCH_TIMEOUT), BENCH_THREADS (threads of the untimed
# simulation/alignment step, default 2), BENCH_REPORT_ONLY=1 (run nothing: print the tables from the results.DEPTH.tsv
# files left in the work dir by earlier runs, e.g. to combine depths run separately).
#
# Input, per depth D: 4*D simulated 2x150 read pairs (tests/tools/simreads, fixed seed, --exact-fraction, 0.1 %
# substitutions, 0.01 % indels) from the four ABL1 kinase-domain amplicons used by tests/cli/call_test.cpp, so every
# codon has ~D molecules (2*D where two amplicons overlap), carrying nine catalogue SNVs on distinct codons, three at
# each of 1 %, 2 % and 5 %. The reads are aligned once with chemores align (sorted, indexed BAM; not timed; the BAM
# is kept in the work dir and reused by later runs with the same parameters). Reference for the peers: the chemores
# panel (references/panel/transcripts.fa), region NM_005157.6:852-1755 (the amplicons).
#
# Timed on that BAM, one run each, all single-threaded: chemores call (with VUS, the default; the baseline of the
# ratios) and --no-vus; bcftools mpileup -a AD,DP -Q 20 -q 20 -d 2*D | bcftools call -mv, with BAQ and with -B;
# freebayes --pooled-continuous -F 0.005 -C 2, and the same with --limit-coverage (labelled: it subsamples).
# /usr/bin/time: wall, user+system CPU, peak RSS (for a pipeline, that of its largest process).
# Scoring (bench/call_truth.py): see its header. Prints Markdown tables: one per depth, then sensitivity by fraction.
set -euo pipefail
if [ $# -gt 0 ]; then depths=("$@"); else depths=(5000 50000 500000); fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BENCH_BUILD:-$here/build/release}
work=${BENCH_WORK:-/tmp/chemores-bench-call}
limit=${BENCH_TIMEOUT:-3600}
fb_limit=${BENCH_FB_LIMIT:-10000}
fb_limit_timeout=${BENCH_FB_LIMIT_TIMEOUT:-$limit}
threads=${BENCH_THREADS:-2}
mem_kb=$(( ${BENCH_MEM_GB:-16} * 1024 * 1024 )) # virtual memory cap per timed run (freebayes can exhaust the machine)
panel="$here/references/panel"
contig=NM_005157.6
region=$contig:852-1755
amplicons=852-1151,1062-1361,1306-1605,1456-1755
cds_start=194 # NM_005157.6 c.1
# Catalogue SNVs on distinct codons spread over the four amplicons (codons 315 and 317 lie where two overlap).
declare -A fraction_of=(
    [ABL1:M244V]=0.01 [ABL1:T315I]=0.01 [ABL1:H396R]=0.01
    [ABL1:G250E]=0.02 [ABL1:F317L]=0.02 [ABL1:E459K]=0.02
    [ABL1:Y253H]=0.05 [ABL1:M351T]=0.05 [ABL1:F486S]=0.05
)
order=(ABL1:M244V ABL1:T315I ABL1:H396R ABL1:G250E ABL1:F317L ABL1:E459K ABL1:Y253H ABL1:M351T ABL1:F486S)

need=()
for p in bcftools freebayes samtools time; do
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
command -v python3 >/dev/null || { echo "python3 is needed for the scoring" >&2; exit 1; }
[ -f "$build/CMakeCache.txt" ] || cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON >/dev/null
cmake --build "$build" -j "$threads" --target chemores simreads >/dev/null
C="$build/src/chemores"
S="$build/tests/simreads"

mkdir -p "$work"
cd "$work"
cp "$panel/transcripts.fa" ref.fa
samtools faidx ref.fa

# Truth from the catalogue itself: the first nucleotide route of each entry, as tests/cli/call_test.cpp simulates it.
"$C" catalogue list >catalogue.tsv
{
    printf 'id\tname\ttx\talt\tfraction\n'
    for id in "${order[@]}"; do
        awk -F'\t' -v id="$id" -v cds="$cds_start" -v f="${fraction_of[$id]}" '
            $1 == id { split($3, r, "|"); route = r[1]
                       if (match(route, /^c\.[0-9]+[ACGT]>[ACGT]$/) == 0) { print "not an SNV: " id " " route > "/dev/stderr"; exit 1 }
                       c = substr(route, 3, length(route) - 5) + 0
                       printf "%s\t%s\t%d\t%s\t%s\n", id, substr(id, 6), cds + c - 1, substr(route, length(route), 1), f; found = 1 }
            END { if (!found) { print "not in the catalogue: " id > "/dev/stderr"; exit 1 } }' catalogue.tsv
    done
} >truth.tsv
variants=()
while IFS=$'\t' read -r id name tx alt f; do
    [ "$id" = id ] && continue
    variants+=(--variant "$contig:$tx:$alt:$f")
done <truth.tsv

report() {
    echo "## call: chemores vs bcftools $(bcftools --version | head -1 | cut -d' ' -f2) and freebayes $(freebayes --version | awk '{print $2}'), $(date -u +%Y-%m-%d), $(nproc) cores"
    echo
    echo "Same sorted BAM per depth (chemores align, untimed); one run each, single-threaded; timeout ${limit} s per run;"
    echo "peak RSS of a pipeline = its largest process. Ratios: tool / \`chemores call\` (default, with VUS)."
    echo
    local files=()
    for depth in "${depths[@]}"; do
        [ -s "results.$depth.tsv" ] && files+=("results.$depth.tsv")
    done
    [ ${#files[@]} -gt 0 ] || { echo "no results in $work for depths ${depths[*]}" >&2; exit 1; }
    awk 'FNR > 1 || NR == 1' "${files[@]}" >results.tsv
    python3 "$here/bench/call_truth.py" report results.tsv truth.tsv
}

if [ "${BENCH_REPORT_ONLY:-0}" = 1 ]; then
    cd "$work"
    report
    exit 0
fi

run() { # DEPTH LABEL KIND OUTPUT COMMAND [TIMEOUT]: one timed run, appended to results.DEPTH.tsv
    local depth=$1 label=$2 kind=$3 out=$4 cmd=$5 seconds=${6:-$limit} rc=0 status=ok
    local slug
    slug=$(echo "$label" | tr -c 'A-Za-z0-9\n' '_')
    rm -rf "$out"
    /usr/bin/time -f "%e %U %S %M" -o t.txt timeout -k 30 "$seconds" bash -c "ulimit -v $mem_kb; $cmd" \
        2>"log.$depth.$slug.txt" || rc=$?
    if [ $rc = 124 ] || [ $rc = 137 ] || [ $rc = 143 ]; then
        status=DNF
    elif [ $rc != 0 ]; then
        status=FAIL
        echo "$label at ${depth}x failed (exit $rc), see $work/log.$depth.$slug.txt" >&2
    fi
    tail -n 1 t.txt | awk -v d="$depth" -v p="$((4 * depth))" -v l="$load" -v t="$label" -v k="$kind" -v s="$status" \
        -v o="$work/$out" 'BEGIN{OFS="\t"} {printf "%s\t%s\t%s\t%s\t%s\t%.2f\t%.2f\t%d\t%s\t%s\n", d, p, l, t, k, $1, $2 + $3, $4, s, o}' \
        >>"results.$depth.tsv"
}

for depth in "${depths[@]}"; do
    pairs=$((4 * depth))
    seed=$((1000 + depth % 100003))
    bam="d$depth.bam"
    sim=("$S" --fasta "$panel/transcripts.fa" --contig "$contig" --amplicons "$amplicons" -n "$pairs" --length 150
        --sub 0.001 --indel 0.0001 --seed "$seed" --exact-fraction --prefix "d${depth}_" "${variants[@]}")
    stamp="${sim[*]} | $(sha1sum "$S" "$C" | cut -c1-12 | tr '\n' ' ')"
    if [ ! -s "$bam.bai" ] || [ "$(cat "$bam.stamp" 2>/dev/null)" != "$stamp" ]; then
        rm -f "$bam" "$bam.bai" "$bam.stamp"
        "${sim[@]}" -1 "d${depth}_R1.fq" -2 "d${depth}_R2.fq"
        "$C" align -@ "$threads" --verbosity 0 --sort --write-index -R "@RG\tID:d$depth\tSM:d$depth" -o "$bam" \
            "d${depth}_R1.fq" "d${depth}_R2.fq"
        rm -f "d${depth}_R1.fq" "d${depth}_R2.fq"
        echo "$stamp" >"$bam.stamp"
    fi
    sync
    load="load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
    printf 'depth\tpairs\tload\ttool\tkind\twall\tcpu\trss_kb\tstatus\toutput\n' >"results.$depth.tsv"
    run "$depth" "chemores call" chemores "cr.$depth" "$C call --verbosity 0 -o cr.$depth $bam"
    run "$depth" "chemores call --no-vus" chemores "crnv.$depth" "$C call --verbosity 0 --no-vus -o crnv.$depth $bam"
    mp="bcftools mpileup -f ref.fa -d $((2 * depth)) -a AD,DP -Q 20 -q 20 -r $region"
    run "$depth" "bcftools mpileup + call -mv" vcf "bc.$depth.vcf" "$mp $bam | bcftools call -mv -Ov -o bc.$depth.vcf"
    run "$depth" "bcftools mpileup -B + call -mv" vcf "bcB.$depth.vcf" \
        "$mp -B $bam | bcftools call -mv -Ov -o bcB.$depth.vcf"
    fb="freebayes -f ref.fa --pooled-continuous --min-alternate-fraction 0.005 --min-alternate-count 2 -r $region"
    run "$depth" "freebayes --pooled-continuous" vcf "fb.$depth.vcf" "$fb $bam > fb.$depth.vcf"
    [ "$fb_limit" = 0 ] || run "$depth" "freebayes --limit-coverage $fb_limit (subsamples)" vcf "fbl.$depth.vcf" \
        "$fb --limit-coverage $fb_limit $bam > fbl.$depth.vcf" "$fb_limit_timeout"
done

report
