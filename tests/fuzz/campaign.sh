#!/usr/bin/env bash
# A fuzzing campaign: each harness in turn for SECONDS (tests/fuzz/run.sh), then one Markdown table row per harness
# as tests/fuzz/README.md records them. Usage:
#   tests/fuzz/campaign.sh SECONDS [HARNESS...]      (default: every harness built in build/fuzz)
# Environment: CHEMORES_FUZZ_BUILD (default build/fuzz). A harness that finds a crash does not stop the others;
# the exit status is then 1 and the row says where the crashing input is.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${CHEMORES_FUZZ_BUILD:-$here/../../build/fuzz}
seconds=${1:?usage: campaign.sh SECONDS [HARNESS...]}
shift
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
    for f in "$build"/tests/fuzz/fuzz_*; do
        [ -x "$f" ] && harnesses+=("${f##*/fuzz_}")
    done
fi
[ ${#harnesses[@]} -gt 0 ] || { echo "campaign.sh: no harness in $build/tests/fuzz (cmake --build --preset fuzz)" >&2; exit 2; }
group() { sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta' <<<"$1"; }
rows=() status=0 total_s=0 total_exec=0
for h in "${harnesses[@]}"; do
    start=$(date +%s)
    out=$("$here/run.sh" "$h" "$seconds" "$build")
    rc=$?
    wall=$(( $(date +%s) - start ))
    echo "$out" >&2
    log=$(sed -n 's/.*, log \(.*\)$/\1/p' <<<"$out" | head -1)
    stat() { grep -m1 "^stat::$1:" "$log" | awk '{print $2}'; }
    execs=$(stat number_of_executed_units) rate=$(stat average_exec_per_sec) units=$(stat new_units_added)
    if [ "$rc" -eq 0 ]; then
        result="no finding"
    else
        status=1
        result="**exit $rc**: $(grep -m1 -E 'SUMMARY|ERROR' "$log" | cut -c1-120); artifact in $(dirname "$log")"
    fi
    total_s=$((total_s + wall)) total_exec=$((total_exec + ${execs:-0}))
    rows+=("| $h | $wall | $(group "${execs:-0}") | $(group "${rate:-0}") | ${units:-?} | $result |")
done
echo "| harness | seconds | executions | exec/s | new corpus units | result |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Total: $((total_s / 60)) min $((total_s % 60)) s of fuzzing, $(group "$total_exec") executions."
exit $status
