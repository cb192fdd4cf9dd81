#!/usr/bin/env python3
"""Scoring and tables for bench/call_vs_peers.sh (chemores call vs bcftools and freebayes).

    call_truth.py report RESULTS.tsv TRUTH.tsv

TRUTH.tsv (header: id name tx alt fraction): the simulated catalogue SNVs, tx = 1-based position on NM_005157.6.
RESULTS.tsv (header: depth tool kind wall cpu rss_kb status output): one line per timed run; kind is "chemores"
(output = DIR with calls.tsv) or "vcf" (output = a VCF, plain or gzip); status "ok" or "DNF" (then wall is the
elapsed time when it was stopped) or "FAIL".

A simulated mutation counts as called
  - chemores: its catalogue row (column id) has status DETECTED;
  - VCF: a record on NM_005157.6 whose allele, after trimming the bases shared with REF, changes base tx to alt
    (an MNP or complex record that contains the substitution counts).
False positives
  - chemores: DETECTED catalogue rows not simulated, DETECTED VUS rows, DETECTED compound rows naming a mutation
    that was not simulated (compounds of two simulated mutations are true: the simulator's exact allocation puts
    them on the same molecules);
  - VCF: every ALT allele in the region that contains none of the simulated substitutions.
For freebayes, records are also scored with QUAL >= 20 (its usual filter), from the same VCF, as "(QUAL>=20)".
"""
import gzip
import sys
from collections import OrderedDict

CONTIG = "NM_005157.6"
REGION = (852, 1755)
FB_MIN_QUAL = 20.0


def read_tsv(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]


def score_chemores(outdir, truth):
    rows = read_tsv(outdir + "/calls.tsv")
    ids = {t["id"] for t in truth}
    hits, fps = set(), []
    for r in rows:
        if r["status"] != "DETECTED":
            continue
        if r["kind"] == "catalogue":
            if r["id"] in ids:
                hits.add(r["id"])
            else:
                fps.append(r["id"])
        elif r["kind"] == "vus":
            fps.append("VUS:" + r["mutation"])
        elif r["kind"] == "compound":
            parts = r["id"].split("+")
            if not all(p in ids for p in parts):
                fps.append("compound:" + r["id"])
    return hits, fps, None


def open_text(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    return gzip.open(path, "rt") if magic == b"\x1f\x8b" else open(path)


def allele_snvs(pos, ref, alt):
    """Substitutions (pos, base) of one allele after trimming shared prefix/suffix; None if it changes length."""
    while len(ref) > 1 and len(alt) > 1 and ref[-1] == alt[-1]:
        ref, alt = ref[:-1], alt[:-1]
    while len(ref) > 1 and len(alt) > 1 and ref[0] == alt[0]:
        ref, alt, pos = ref[1:], alt[1:], pos + 1
    if len(ref) != len(alt):
        return None
    return {(pos + i, b) for i, (a, b) in enumerate(zip(ref, alt)) if a != b}


def score_vcf(path, truth, min_qual=None):
    want = {(int(t["tx"]), t["alt"]): t["id"] for t in truth}
    hits, fps = set(), []
    with open_text(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            c = line.rstrip("\n").split("\t")
            chrom, pos, ref, alts, qual = c[0], int(c[1]), c[3], c[4], c[5]
            if chrom != CONTIG or not (REGION[0] <= pos <= REGION[1]):
                continue
            if min_qual is not None and (qual == "." or float(qual) < min_qual):
                continue
            for alt in alts.split(","):
                if alt in (".", "*", "<*>"):
                    continue
                snvs = allele_snvs(pos, ref, alt)
                found = [want[s] for s in (snvs or ()) if s in want]
                if found:
                    hits.update(found)
                else:
                    fps.append("%d%s>%s" % (pos, ref, alt))
    return hits, fps, None


def fmt_num(x):
    return "%.2f" % x


def report(results_path, truth_path):
    truth = read_tsv(truth_path)
    results = read_tsv(results_path)
    fractions = sorted({float(t["fraction"]) for t in truth})
    by_depth = OrderedDict()
    for r in results:
        by_depth.setdefault(r["depth"], []).append(r)

    scored = OrderedDict()  # (depth, label) -> (hits, fps) or None
    for depth, runs in by_depth.items():
        base = next((r for r in runs if r["tool"] == "chemores call" and r["status"] == "ok"), None)
        print("### %sx (%s read pairs, 4 amplicons; %s)" % (depth, runs[0].get("pairs", "?"), runs[0].get("load", "")))
        print()
        print("| tool | status | wall s | CPU s | peak RSS MB | wall vs chemores | CPU vs chemores | RSS vs chemores |")
        print("|---|---|---|---|---|---|---|---|")
        for r in runs:
            wall, cpu, rss = float(r["wall"]), float(r["cpu"]), int(r["rss_kb"])
            if base and r["status"] == "ok":
                rw = "%.2fx" % (wall / float(base["wall"]))
                rc = "%.2fx" % (cpu / float(base["cpu"]))
                rm = "%.2fx" % (rss / int(base["rss_kb"]))
            else:
                rw = rc = rm = "-"
            status = r["status"] if r["status"] == "ok" else "%s after %.0f s" % (r["status"], wall)
            print("| %s | %s | %s | %s | %d | %s | %s | %s |" % (r["tool"], status, fmt_num(wall), fmt_num(cpu),
                                                                 rss // 1024, rw, rc, rm))
            if r["status"] != "ok":
                scored[(depth, r["tool"])] = None
                continue
            if r["kind"] == "chemores":
                scored[(depth, r["tool"])] = score_chemores(r["output"], truth)
            else:
                scored[(depth, r["tool"])] = score_vcf(r["output"], truth)
                if r["tool"].startswith("freebayes"):
                    scored[(depth, r["tool"] + " (QUAL>=20)")] = score_vcf(r["output"], truth, FB_MIN_QUAL)
        print()

    print("### sensitivity (simulated catalogue SNVs called) and false calls")
    print()
    head = " | ".join("%g %% (n=%d)" % (100 * f, sum(1 for t in truth if float(t["fraction"]) == f))
                      for f in fractions)
    print("| depth | tool | %s | all | false calls |" % head)
    print("|---|---|" + "---|" * len(fractions) + "---|---|")
    misses = []
    for (depth, label), s in scored.items():
        if s is None:
            print("| %sx | %s | " % (depth, label) + " | ".join("DNF" for _ in fractions) + " | DNF | DNF |")
            continue
        hits, fps, _ = s
        cells = []
        for f in fractions:
            ts = [t for t in truth if float(t["fraction"]) == f]
            cells.append("%d/%d" % (sum(1 for t in ts if t["id"] in hits), len(ts)))
        fp_text = str(len(fps))
        if fps:
            shown = fps[:6]
            fp_text += " (" + ", ".join(shown) + (", ..." if len(fps) > len(shown) else "") + ")"
        print("| %sx | %s | %s | %d/%d | %s |" % (depth, label, " | ".join(cells), len(hits), len(truth), fp_text))
        missed = [t["name"] for t in truth if t["id"] not in hits]
        if missed and len(missed) < len(truth):
            misses.append("%sx %s missed: %s" % (depth, label, ", ".join(missed)))
    print()
    print("Truth: " + ", ".join("%s (tx %s %s, %g %%)" % (t["name"], t["tx"], t["alt"], 100 * float(t["fraction"]))
                                for t in truth))
    for m in misses:
        print(m)


def main(argv):
    if len(argv) == 4 and argv[1] == "report":
        report(argv[2], argv[3])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
