#!/usr/bin/env bash
# The Snakemake workflow on the bundled demo data: a dry run, a real run whose merged outputs are checked, a rerun
# that has nothing to do, sample sheets that must be refused before any work, and the wrappers' test Snakefiles.
# usage: test_workflow.sh CHEMORES_BINARY REPOSITORY_ROOT
set -euo pipefail
chemores=$(readlink -f "$1")
root=$(readlink -f "$2")
if ! command -v snakemake > /dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get > /dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q snakemake > /dev/null
    else
        echo "SKIP: snakemake is not installed (apt-get install snakemake)"
        exit 77
    fi
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH="$(dirname "$chemores"):$PATH"
fail() { echo "FAIL: $*" >&2; exit 1; }
smk() { snakemake -s "$root/workflows/Snakefile" --cores 2 --config chemores="$chemores" "$@"; }

# The demo sheet, copied beside its data so that relative paths are exercised.
mkdir -p "$work/data"
cp "$root"/test_data/demo/*.fq.gz "$work/data/"
printf 'sample\tfastq_1\tfastq_2\tbam\tsmallrna\n' > "$work/data/sheet.tsv"
printf 'demo\tdemo_R1.fq.gz\tdemo_R2.fq.gz\t\tdemo_smallrna.fq.gz\n' >> "$work/data/sheet.tsv"
printf 'second\tdemo_R1.fq.gz\t\t\t\n' >> "$work/data/sheet.tsv"
cd "$work"

# 1. Dry run: every rule planned.
smk -n --config samples=data/sheet.tsv outdir=out > dry.txt 2>&1 || { cat dry.txt; fail "dry run"; }
for rule in align call mirna_quant report cohort_merge cohort_report; do
    grep -q "rule $rule:" dry.txt || { cat dry.txt; fail "dry run does not plan $rule"; }
done

# 2. Real run; the merged outputs.
smk --config samples=data/sheet.tsv outdir=out > run.txt 2>&1 || { cat run.txt; cat out/logs/*/* 2>/dev/null; fail "run"; }
python3 - out <<'EOF'
import csv, json, sys, os
out = sys.argv[1]
def tsv(p):
    with open(os.path.join(out, p), newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))
matrix = {r["sample"]: r for r in tsv("cohort/mutation_matrix.tsv")}
assert set(matrix) == {"demo", "second"}, matrix
# demo carries T315I in 30 % of molecules (paired); "second" is R1 only, the same molecules.
for s in ("demo", "second"):
    f = float(matrix[s]["ABL1:T315I"])
    assert 0.25 < f < 0.35, (s, f)
drugs = {r["sample"]: r for r in tsv("cohort/drug_table.tsv")}
assert drugs["demo"]["imatinib"] == "resistant", drugs["demo"]
assert drugs["demo"]["fusion_type"] == "e13a2", drugs["demo"]
for s in ("demo", "second"):
    doc = json.load(open(os.path.join(out, s, "result.json")))
    assert doc["samples"][0]["name"] == s
    calls = tsv(f"{s}/calls.tsv")
    assert any(r["mutation"] == "T315I" and r["status"] == "DETECTED" for r in calls)
mirna = tsv("cohort/mirna_counts.tsv")
by = {r["mirna"]: r for r in mirna}
assert "hsa-miR-21-5p" in by and float(by["hsa-miR-21-5p"]["demo"]) > 0, list(by)[:5]
for p in ("demo/report.html", "second/report.html", "cohort/report.html"):
    html = open(os.path.join(out, p)).read()
    assert "imatinib" in html and "<svg" in html, p
assert os.listdir(os.path.join(out, "cohort/multiqc")), "no MultiQC content"
for rule in ("align", "call", "report"):
    assert os.listdir(os.path.join(out, "benchmarks", rule)), rule
print("workflow outputs OK")
EOF

# 3. A rerun has nothing to do.
smk --config samples=data/sheet.tsv outdir=out > rerun.txt 2>&1 || { cat rerun.txt; fail "rerun"; }
grep -q "Nothing to be done" rerun.txt || { cat rerun.txt; fail "rerun did work"; }

# 4. Bad sheets are refused before any work, with the line and the reason.
printf 'sample\tfastq_1\nx\tdata/demo_R1.fq.gz\nx\tdata/demo_R1.fq.gz\ny\tdata/missing.fq.gz\n' > bad.tsv
if smk -n --config samples=bad.tsv outdir=bad > bad.txt 2>&1; then fail "bad sheet accepted"; fi
grep -q "line 3: duplicate sample name 'x'" bad.txt || { cat bad.txt; fail "duplicate not reported"; }
grep -q "line 4: fastq_1 file .*missing.fq.gz does not exist" bad.txt || { cat bad.txt; fail "missing file not reported"; }
[[ ! -e bad ]] || fail "a refused sheet started work"
"$chemores" align -o data/unsorted.bam data/demo_R1.fq.gz 2> /dev/null
printf 'sample\tbam\nu\tunsorted.bam\n' > data/unsorted.tsv
if smk -n --config samples=data/unsorted.tsv outdir=bad > uns.txt 2>&1; then fail "unsorted BAM accepted"; fi
grep -q "not sorted by coordinate" uns.txt || { cat uns.txt; fail "unsorted BAM not reported"; }

# 5. The wrappers' own test Snakefiles.
for w in align call mirna-quant report annotate; do
    (mkdir -p "$work/wt-$w" && cd "$work/wt-$w" &&
        snakemake --cores 2 -s "$root/workflows/wrappers/chemores/$w/test/Snakefile" > "$work/wrapper-$w.txt" 2>&1) ||
        { cat "$work/wrapper-$w.txt"; cat "$work/wt-$w"/logs/* 2> /dev/null; fail "wrapper $w"; }
done
echo "workflow tests OK"
