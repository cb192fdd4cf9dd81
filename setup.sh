#!/usr/bin/env bash
# chemores set-up on Debian 12. Two commands (see README.md):
#   bash setup.sh demo   install what is missing, build, run the pipeline on the bundled demo data
#   bash setup.sh test   install what is missing, build, run the default test suite
# Both are idempotent and quick when nothing changed. Options: --no-install (never call apt-get),
# --build-dir DIR (default build/release), --out DIR (demo outputs; default demo_output).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=${1:-}
shift || true
install=1
build_dir="$here/build/release"
out_dir="$here/demo_output"
while [ $# -gt 0 ]; do
    case "$1" in
        --no-install) install=0 ;;
        --build-dir) build_dir=$2; shift ;;
        --out) out_dir=$2; shift ;;
        *) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
case "$mode" in
    demo|test) ;;
    *) echo "usage: bash setup.sh demo|test [--no-install] [--build-dir DIR] [--out DIR]" >&2; exit 2 ;;
esac

# Debian packages the build and the tests need (the peers for benchmarks are installed by bench/ scripts).
packages=(cmake g++ make pkg-config python3 gzip
          libseqan3-dev libhts-dev libcli11-dev libgtest-dev libhwy-dev nlohmann-json3-dev zlib1g-dev)

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
    cd "$build_dir"
    exec ctest --output-on-failure -j "$jobs" --timeout 900 -LE 'bench|fuzz|slow'
fi

# demo: the pipeline that exists so far, on the bundled demo data and the built-in references.
demo="$here/test_data/demo"
mkdir -p "$out_dir"
"$chemores" align "$demo/demo_R1.fq.gz" "$demo/demo_R2.fq.gz" -R '@RG\tID:demo\tSM:demo' \
    --sort --write-index -o "$out_dir/demo.bam" --stats "$out_dir/demo.align.json" --no-progress
"$chemores" align --preset mirna "$demo/demo_smallrna.fq.gz" -o "$out_dir/demo_smallrna.bam" \
    --stats "$out_dir/demo_smallrna.align.json" --no-progress
echo "chemores demo outputs in $out_dir:"
for f in demo.bam demo.bam.bai demo.align.json demo_smallrna.bam demo_smallrna.align.json; do
    echo "  $out_dir/$f"
done
