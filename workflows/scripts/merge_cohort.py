#!/usr/bin/env python3
"""Merge per-sample chemores results into cohort tables (standard library only).

--matrix: sample x variant fraction for every variant DETECTED in any sample ("NA" = not assessable there).
--drugs: sample x drug verdict (resistant, reduced_sensitivity, no_known_resistance_detected, not_assessable).
--mirna-out: miRNA x sample raw counts from `chemores mirna quant` counts.tsv files (first column `mirna`).
"""
import argparse
import csv
import json
import sys


def load(path):
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        sys.exit(f"merge_cohort: {path}: {e}")
    if doc.get("schema") != "chemores-call" or doc.get("schema_version") != 1:
        sys.exit(f"merge_cohort: {path}: not a chemores call result.json (schema version 1)")
    return doc


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--results", nargs="+", required=True)
    ap.add_argument("--mirna", nargs="*", default=[])
    ap.add_argument("--matrix", required=True)
    ap.add_argument("--drugs", required=True)
    ap.add_argument("--mirna-out")
    a = ap.parse_args()

    samples = []  # (name, sample json)
    for path in a.results:
        for s in load(path)["samples"]:
            if any(n == s["name"] for n, _ in samples):
                sys.exit(f"merge_cohort: duplicate sample name {s['name']} ({path})")
            samples.append((s["name"], s))

    variants = []
    for _, s in samples:
        for v in s["calls"] + s["vus"]:
            if v["status"] == "DETECTED" and v["id"] not in variants:
                variants.append(v["id"])
    with open(a.matrix, "w", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["sample"] + variants)
        for name, s in samples:
            cell = {v["id"]: ("NA" if v["status"] == "NOT_ASSESSABLE" else f"{v['fraction']:.6g}")
                    for v in s["calls"] + s["vus"]}
            w.writerow([name] + [cell.get(v, "0") for v in variants])

    drugs = []
    for _, s in samples:
        for d in s["drugs"]:
            if d["drug"] not in drugs:
                drugs.append(d["drug"])
    with open(a.drugs, "w", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["sample"] + drugs + ["fusion_type"])
        for name, s in samples:
            verdict = {d["drug"]: d["verdict"] for d in s["drugs"]}
            w.writerow([name] + [verdict.get(d, "NA") for d in drugs] + [s["fusion"]["type"]])

    if a.mirna_out:
        counts, columns = {}, []
        for path in a.mirna:
            with open(path, newline="") as f:
                r = csv.reader(f, delimiter="\t")
                header = next(r, None)
                if not header or header[0] != "mirna":
                    sys.exit(f"merge_cohort: {path}: first column must be 'mirna'")
                for col in header[1:]:
                    if col in columns:
                        sys.exit(f"merge_cohort: duplicate miRNA sample column {col} ({path})")
                    columns.append(col)
                for row in r:
                    for col, value in zip(header[1:], row[1:]):
                        counts.setdefault(row[0], {})[col] = value
        with open(a.mirna_out, "w", newline="") as f:
            w = csv.writer(f, delimiter="\t", lineterminator="\n")
            w.writerow(["mirna"] + columns)
            for m in sorted(counts):
                w.writerow([m] + [counts[m].get(c, "0") for c in columns])


if __name__ == "__main__":
    main()
