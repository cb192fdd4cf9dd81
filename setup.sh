#!/usr/bin/env bash
# chemores set-up on Debian 12. Two commands (see README.md):
#   bash setup.sh demo   install what is missing, build, run the pipeline on the bundled demo data
#   bash setup.sh test   install what is missing, build, run the default test suite; then build the `asan` preset
#                        (build/asan: AddressSanitizer + UndefinedBehaviorSanitizer, gcc) and run the same suite
#                        under it (CI runs exactly this command, see .ci/run)
# Both are idempotent and quick when nothing changed. Options: --no-install (never call apt-get),
# --build-dir DIR (default build/release), --out DIR (demo outputs; default demo_output),
# --no-asan (test: the release suite only, for a quick local run).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=${1:-}
shift || true
install=1
build_dir="$here/build/release"
out_dir="$here/demo_output"
asan=1
while [ $# -gt 0 ]; do
    case "$1" in
        --no-install) install=0 ;;
        --build-dir) build_dir=$2; shift ;;
        --out) out_dir=$2; shift ;;
        --no-asan) asan=0 ;;
        *) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
case "$mode" in
    demo|test) ;;
    *) echo "usage: bash setup.sh demo|test [--no-install] [--build-dir DIR] [--out DIR] [--no-asan]" >&2; exit 2 ;;
esac

# Debian packages the build and the tests need (the peers for benchmarks are installed by bench/ scripts).
packages=(cmake g++ make pkg-config python3 gzip
          libseqan3-dev libhts-dev libcli11-dev libgtest-dev libhwy-dev nlohmann-json3-dev zlib1g-dev)
# The test suite also runs the Snakemake workflow, renders the report in headless Chromium, feeds MultiQC and
# checks the mirGFF3 with mirtop's validator.
[ "$mode" = test ] && packages+=(snakemake chromium multiqc mirtop)

if [ "$install" = 1 ]; then
    missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        if [ "$(id -u)" = 0 ]; then
            echo "setup.sh: installing ${missing[*]}" >&2
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -qq
            apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
        else
            echo "setup.sh: missing Debian packages; run:" >&2
            echo "  sudo apt-get install -y ${missing[*]}" >&2
            exit 1
        fi
    fi
fi

jobs=$(nproc 2>/dev/null || echo 2)
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
    cmake -S "$here" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON >/dev/null
fi
cmake --build "$build_dir" -j "$jobs" >/dev/null
chemores="$build_dir/src/chemores"

if [ "$mode" = test ]; then
    (cd "$build_dir" && ctest --output-on-failure -j "$jobs" --timeout 900 -LE 'bench|fuzz|slow')
    [ "$asan" = 1 ] || exit 0
    # The same suite under ASan + UBSan (Debug, gcc; flags in the `asan` preset of CMakePresets.json). Nothing is
    # suppressed: any sanitizer report fails the test that triggered it (-fno-sanitize-recover=undefined).
    echo "setup.sh: release suite passed; building and running the suite under ASan/UBSan (build/asan)" >&2
    cd "$here"
    cmake --preset asan >/dev/null
    cmake --build --preset asan -j "$jobs" >/dev/null
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    exec ctest --preset asan -j "$jobs"
fi

# demo: the whole job on the bundled demo data and the built-in references (nothing is downloaded).
demo="$here/test_data/demo"
mkdir -p "$out_dir"
# 1. align (sorted, indexed BAM with @RG and @PG) and 2. call on that BAM
"$chemores" align "$demo/demo_R1.fq.gz" "$demo/demo_R2.fq.gz" -R '@RG\tID:demo\tSM:demo' -@ "$jobs" \
    --sort --write-index -o "$out_dir/demo.bam" --stats "$out_dir/demo.align.json" --no-progress
"$chemores" call -@ "$jobs" -o "$out_dir/call" "$out_dir/demo.bam"
# 3. miRNA seed sites of the resistance-associated miRNAs in the ABCB1, ABCG2 and PTEN 3'UTRs
"$chemores" mirna sites -o "$out_dir/mirna_sites.tsv" --summary "$out_dir/mirna_sites_summary.tsv" \
    --bed "$out_dir/mirna_sites.bed"
# 4. miRNA quantification from the small-RNA reads
"$chemores" mirna quant -o "$out_dir/mirna" --samples demo "$demo/demo_smallrna.fq.gz"
# 5. batch annotation of the BAM (reads carrying catalogued mutations tagged XM:Z, fusion junction reads XJ:Z)
"$chemores" annotate -o "$out_dir/annotated" "$out_dir/demo.bam"
# 6. the HTML report (drug table first) and MultiQC custom content
"$chemores" report -o "$out_dir/demo_report.html" --mirna "$out_dir/mirna" --multiqc "$out_dir/multiqc" \
    "$out_dir/call/result.json"
echo
echo "chemores demo: drug-resistance summary ($out_dir/call/summary.txt):"
cat "$out_dir/call/summary.txt"
echo
echo "chemores demo outputs in $out_dir:"
for f in demo.bam demo.align.json call/result.json call/calls.tsv call/calls.vcf.gz call/summary.txt \
         mirna_sites.tsv mirna_sites_summary.tsv mirna/counts.tsv mirna/mirna.gff3 annotated/annotate_summary.tsv \
         demo_report.html multiqc/; do
    echo "  $out_dir/$f"
done
