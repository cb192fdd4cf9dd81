#!/usr/bin/env bash
# MultiQC (the Debian package) picks up the custom content of `chemores report --multiqc DIR`: the general
# statistics columns, the drug table and the mutation-fraction bar graph appear in multiqc_data/.
# Usage: multiqc_test.sh CHEMORES_BIN TEST_DATA_DIR WORK_DIR
# Exit 0 pass, 1 fail, 77 skip (no multiqc and it cannot be installed: not root, or apt-get failed).
set -euo pipefail

chemores=$(readlink -f "$1")
test_data=$(readlink -f "$2")
work=$(readlink -m "$3")
skip=77
start=$(date +%s)

log() { printf 'report_multiqc: %s\n' "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

if ! command -v multiqc >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        log "multiqc not found: installing the Debian package (apt-get install multiqc)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get -o DPkg::Lock::Timeout=900 update -qq >&2 || true
        apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends multiqc >&2 || true
    fi
    if ! command -v multiqc >/dev/null 2>&1; then
        log "SKIP: no multiqc, and it could not be installed (needs root and apt-get; install the Debian package"
        log "      'multiqc' to run this test)"
        exit $skip
    fi
fi
if ! command -v python3 >/dev/null 2>&1; then
    log "SKIP: python3 (used to read multiqc_data.json) is missing"
    exit $skip
fi
log "$(multiqc --version 2>/dev/null | head -1)"

rm -rf "$work"
mkdir -p "$work"
cd "$work"

# Two samples: the demo data, and the same reads under another name.
"$chemores" call --verbosity 0 -o call "$test_data/demo/demo_R1.fq.gz" "$test_data/demo/demo_R2.fq.gz" \
    || fail "chemores call on the demo data"
sed 's/"name": "demo"/"name": "demo-repeat"/' call/result.json >repeat.json
"$chemores" report --verbosity 0 --multiqc mqc call/result.json repeat.json || fail "chemores report --multiqc"
ls mqc/*_mqc.json >/dev/null || fail "no *_mqc.json written"

t0=$(date +%s)
# A private HOME: no user config. (Not --no-megaqc-upload: in MultiQC 1.14 it also turns off multiqc_data.json;
# nothing is uploaded without a configured MegaQC URL.)
HOME="$work/home" multiqc --no-ansi -f -o out mqc >multiqc.log 2>&1 \
    || { cat multiqc.log >&2; fail "multiqc exited non-zero"; }
log "multiqc ran in $(($(date +%s) - t0)) s"
[[ -s out/multiqc_report.html ]] || fail "no out/multiqc_report.html"
[[ -s out/multiqc_data/multiqc_data.json ]] || fail "no out/multiqc_data/multiqc_data.json"
head -1 out/multiqc_data/multiqc_general_stats.txt | grep -q chemores_detected \
    || fail "multiqc_general_stats.txt has no chemores column"

python3 - "$work" <<'PY' || { cat multiqc.log >&2; fail "chemores sections missing from the MultiQC output"; }
import json, os, sys

work = sys.argv[1]
data = json.load(open(os.path.join(work, "out/multiqc_data/multiqc_data.json")))
result = json.load(open(os.path.join(work, "call/result.json")))
s = result["samples"][0]
errors = []

# General statistics: the chemores columns, one row per sample, values as in result.json.
gs_rows = {}
for block in data.get("report_general_stats_data", []):
    for sample, row in block.items():
        gs_rows.setdefault(sample, {}).update(row)
heads = set()
for block in data.get("report_general_stats_headers", []):
    heads.update(block.keys())
for col in ("chemores_detected", "chemores_max_fraction", "chemores_fusion", "chemores_median_depth"):
    if col not in heads:
        errors.append(f"general stats: no column {col} (have {sorted(heads)})")
for name in ("demo", "demo-repeat"):
    row = gs_rows.get(name)
    if row is None:
        errors.append(f"general stats: no row for {name} (have {sorted(gs_rows)})")
        continue
    if row.get("chemores_detected") != s["qc"]["detected"]:
        errors.append(f"{name}: chemores_detected {row.get('chemores_detected')} != {s['qc']['detected']}")
    if row.get("chemores_fusion") != s["fusion"]["type"]:
        errors.append(f"{name}: chemores_fusion {row.get('chemores_fusion')} != {s['fusion']['type']}")

# Bar graph and drug table: sections saved by the custom_content module.
saved = data.get("report_saved_raw_data", {})
bar = saved.get("multiqc_chemores_mutation_fractions_plot")
if not bar:
    errors.append(f"no saved bar-graph data (have {sorted(saved)})")
else:
    want = {"ABL1 " + v["mutation"]: round(100 * v["fraction"], 4) for v in s["calls"] if v["status"] == "DETECTED"}
    for name in ("demo", "demo-repeat"):
        for label, value in want.items():
            got = bar.get(name, {}).get(label)
            if got is None or abs(got - value) > 1e-3:
                errors.append(f"bar graph {name} {label}: {got}, expected {value}")
drugs = saved.get("multiqc_chemores_drugs_table")
if not drugs:
    errors.append(f"no saved drug table (have {sorted(saved)})")
else:
    labels = {"resistant": "resistant", "reduced_sensitivity": "reduced sensitivity",
              "no_known_resistance_detected": "none detected", "not_assessable": "not assessable"}
    for d in s["drugs"]:
        got = drugs.get("demo", {}).get(d["drug"])
        if got != labels[d["verdict"]]:
            errors.append(f"drug table demo {d['drug']}: {got!r}, expected {labels[d['verdict']]!r}")
report = open(os.path.join(work, "out/multiqc_report.html"), encoding="utf-8").read()
for section in ("chemores: mutation fractions", "chemores: drug interpretation"):
    if section not in report:
        errors.append(f"multiqc_report.html has no section '{section}'")
print(f"general stats rows: {sorted(gs_rows)}; saved: {sorted(k for k in saved if 'chemores' in k)}")
for e in errors:
    print("ERROR:", e)
sys.exit(1 if errors else 0)
PY

log "PASS in $(($(date +%s) - start)) s"
