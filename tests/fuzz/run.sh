#!/usr/bin/env bash
# Run one fuzz harness for a while, as the `fuzz` ctest tests do but for longer, and print the stats the README
# records. Usage: tests/fuzz/run.sh HARNESS SECONDS [BUILD_DIR (default build/fuzz)] [extra libFuzzer flags...]
#   HARNESS: the NAME of build/fuzz/tests/fuzz/fuzz_NAME (sequence_reader, hgvs, catalogue, panel, exons, cli, ...)
# New inputs go to BUILD_DIR/tests/fuzz/corpus/HARNESS, crashes to BUILD_DIR/tests/fuzz/artifacts/HARNESS/.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=$1 seconds=$2
build=${3:-$here/../../build/fuzz}
shift 3 2>/dev/null || shift $#
dir=$build/tests/fuzz
# the harness's options as the ctest test uses them (-timeout, -rss_limit_mb, -dict, -max_len), written by CMake
mapfile -t options <"$dir/$name.args"
mkdir -p "$dir/corpus/$name" "$dir/artifacts/$name"
log=$dir/artifacts/$name/run-$(date +%Y%m%d-%H%M%S).log
set +e
nice -n 10 "$dir/fuzz_$name" -max_total_time="$seconds" "${options[@]}" -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/$name/" "$@" \
    "$dir/corpus/$name" "$here/corpus/$name" "$dir/seeds/$name" >"$log" 2>&1
rc=$?
set -e
echo "fuzz_$name: exit $rc, log $log"
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)|^Done|SUMMARY|ERROR' "$log" || true
echo "corpus: $(ls "$dir/corpus/$name" | wc -l) files in $dir/corpus/$name"
exit $rc
