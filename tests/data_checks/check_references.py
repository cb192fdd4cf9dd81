#!/usr/bin/env python3
"""Data checks for references/ (python3 standard library only).

    python3 tests/data_checks/check_references.py [-v]

1. Re-runs references/build_panel.py twice into temporary folders. Both outputs must be
   byte-identical to each other and to the committed references/panel/.
2. Regenerates catalogue/catalogue.json and MANIFEST.tsv in memory and compares them with
   the committed files.
3. Verifies every md5/size in references/MANIFEST.tsv, that every file under source/,
   panel/ and catalogue/ is listed, and that the source/ md5s equal the tables in
   source/PROVENANCE.md.
4. Checks key sequence facts with code independent of the generator: ABL1 T315/E255/Y253,
   SLC19A1 His27/Glu45, fused ORF lengths, junction records, alias segments, and the
   mature miRNA positions.
5. Checks every row of catalogue/abl1_mutations.tsv (ref_codon, ref_aa and each listed
   nucleotide route) against NM_005157.6 (CDS start 194), and cross-checks the other
   catalogue tables where a sequence fact is stated.

Prints one line per failed check (and per passed check with -v), INFO lines with facts
worth knowing and WARN lines for catalogue/reference disagreements that are not data
errors (an SLC19A1 allele whose polarity is flipped relative to the reference). Ends with
"N passed, M failed". Exit status 1 if anything failed (warnings do not fail the run).
"""

import csv
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REF = os.path.join(ROOT, "references")
PANEL = os.path.join(REF, "panel")
VERBOSE = "-v" in sys.argv[1:]

PASSED = 0
FAILED = 0
INFO = []


def ok(cond, msg, detail=""):
    global PASSED, FAILED
    if cond:
        PASSED += 1
        if VERBOSE:
            print("PASS  " + msg + ((" | " + detail) if detail else ""))
    else:
        FAILED += 1
        print("FAIL  " + msg + ((" | " + detail) if detail else ""))
    return cond


WARNINGS = []


def info(msg):
    INFO.append(msg)


def warn(msg):
    """A catalogue/reference disagreement that is not a data error (e.g. allele polarity)."""
    WARNINGS.append(msg)


# -------------------------------------------------------------- independent helpers
def genetic_code():
    # NCBI table 1 written out per first base, to stay independent of the generator.
    table = {}
    rows = {
        "T": "FFLL" "SSSS" "YY**" "CC*W",
        "C": "LLLL" "PPPP" "HHQQ" "RRRR",
        "A": "IIIM" "TTTT" "NNKK" "SSRR",
        "G": "VVVV" "AAAA" "DDEE" "GGGG",
    }
    for b1, aas in rows.items():
        i = 0
        for b2 in "TCAG":
            for b3 in "TCAG":
                table[b1 + b2 + b3] = aas[i]
                i += 1
    return table


CODE = genetic_code()
THREE = {"Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E",
         "Gly": "G", "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F",
         "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V"}


def fasta(path):
    recs = {}
    order = []
    name = None
    with open(path, encoding="ascii") as fh:
        for line in fh:
            line = line.strip()
            if line.startswith(">"):
                name = line[1:].split()[0]
                recs[name] = [line[1:], []]
                order.append(name)
            elif line:
                recs[name][1].append(line)
    return order, {n: (h, "".join(s)) for n, (h, s) in recs.items()}


def md5(path):
    with open(path, "rb") as fh:
        return hashlib.md5(fh.read()).hexdigest()


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def c_base(seq, cds_start, c):
    return seq[cds_start + c - 2]


def c_range(seq, cds_start, c1, c2):
    return seq[cds_start + c1 - 2:cds_start + c2 - 1]


def translate_to_stop(seq, start):
    prot = []
    i = start - 1
    while i + 3 <= len(seq):
        aa = CODE.get(seq[i:i + 3], "X")
        if aa == "*":
            return "".join(prot), i + 3
        prot.append(aa)
        i += 3
    return "".join(prot), None


# -------------------------------------------------------------- 1. regeneration
def check_regeneration():
    gen = os.path.join(REF, "build_panel.py")
    outs = []
    for k in range(2):
        tmp = tempfile.mkdtemp(prefix="chemores_panel_%d_" % k)
        r = subprocess.run([sys.executable, "-B", gen, "--out", tmp, "--quiet"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        if not ok(r.returncode == 0, "build_panel.py --out <tmp> run %d exits 0" % (k + 1), r.stderr.strip()[-2000:]):
            return
        outs.append(tmp)
    produced = sorted(os.listdir(outs[0]))
    committed = sorted(f for f in os.listdir(PANEL) if f != "README.md")
    ok(produced == sorted(os.listdir(outs[1])), "both regeneration runs produce the same file set")
    ok(produced == committed, "regenerated file set == committed panel/ (except README.md)",
       "generated %s vs committed %s" % (produced, committed))
    for f in produced:
        a = open(os.path.join(outs[0], f), "rb").read()
        b = open(os.path.join(outs[1], f), "rb").read()
        ok(a == b, "deterministic: panel/%s identical across two runs" % f)
        p = os.path.join(PANEL, f)
        c = open(p, "rb").read() if os.path.exists(p) else None
        ok(a == c, "panel/%s byte-identical to regenerated output" % f)
    for d in outs:
        for f in os.listdir(d):
            os.remove(os.path.join(d, f))
        os.rmdir(d)


def check_manifest_regeneration():
    sys.dont_write_bytecode = True
    sys.path.insert(0, REF)
    try:
        import make_manifest
    finally:
        sys.path.pop(0)
    cj = make_manifest.catalogue_json_bytes(REF)
    ok(cj == open(os.path.join(REF, "catalogue", "catalogue.json"), "rb").read(),
       "catalogue/catalogue.json == regenerated (python3 references/make_manifest.py)")
    try:
        mb = make_manifest.manifest_bytes(REF)
    except SystemExit as e:
        ok(False, "MANIFEST.tsv regeneration", str(e))
        return
    ok(mb == open(os.path.join(REF, "MANIFEST.tsv"), "rb").read(),
       "MANIFEST.tsv == regenerated (python3 references/make_manifest.py)")


# -------------------------------------------------------------- 2. checksums
def check_manifest():
    rows = read_tsv(os.path.join(REF, "MANIFEST.tsv"))
    listed = set()
    for r in rows:
        p = os.path.join(REF, r["file"])
        listed.add(r["file"])
        if not ok(os.path.isfile(p), "MANIFEST file exists: %s" % r["file"]):
            continue
        ok(md5(p) == r["md5"] and os.path.getsize(p) == int(r["bytes"]),
           "MANIFEST md5/bytes: %s" % r["file"], "%s %s vs %s %d" % (r["md5"], r["bytes"], md5(p), os.path.getsize(p)))
        ok(all(r[c].strip() for c in ("source_accession_version", "licence", "provenance")),
           "MANIFEST metadata present: %s" % r["file"])
    on_disk = set()
    for sub in ("source", "panel", "catalogue"):
        for root, _, files in os.walk(os.path.join(REF, sub)):
            for f in files:
                on_disk.add(os.path.relpath(os.path.join(root, f), REF).replace(os.sep, "/"))
    ok(on_disk == listed, "every file under source/, panel/, catalogue/ is in MANIFEST.tsv and vice versa",
       "unlisted %s; missing %s" % (sorted(on_disk - listed), sorted(listed - on_disk)))

    # source/ vs PROVENANCE.md tables (| file | bytes | md5 |)
    prov = {}
    with open(os.path.join(REF, "source", "PROVENANCE.md"), encoding="utf-8") as fh:
        for line in fh:
            m = re.match(r"^\|\s*([\w.\-]+)\s*\|\s*(\d+)\s*\|\s*([0-9a-f]{32})\s*\|\s*$", line)
            if m:
                prov[m.group(1)] = (int(m.group(2)), m.group(3))
    src_files = sorted(f for f in os.listdir(os.path.join(REF, "source")) if f != "PROVENANCE.md")
    ok(sorted(prov) == src_files, "PROVENANCE.md md5 tables list exactly the source/ data files",
       "table %s vs dir %s" % (sorted(prov), src_files))
    for f in src_files:
        p = os.path.join(REF, "source", f)
        if f in prov:
            ok((os.path.getsize(p), md5(p)) == prov[f], "source/%s md5+size == PROVENANCE.md" % f)

    # catalogue.json
    cj = json.load(open(os.path.join(REF, "catalogue", "catalogue.json")))
    ok(cj.get("catalogue_version") == "2026.11.0", "catalogue.json catalogue_version 2026.11.0")
    ok(cj.get("schema_version") == 1, "catalogue.json schema_version 1")
    tsvs = sorted(f for f in os.listdir(os.path.join(REF, "catalogue")) if f.endswith(".tsv"))
    ok(sorted(cj["files"]) == tsvs, "catalogue.json lists every catalogue TSV")
    for f in tsvs:
        ok(cj["files"].get(f) == md5(os.path.join(REF, "catalogue", f)), "catalogue.json md5 of %s" % f)
    return cj


# -------------------------------------------------------------- 3. key facts
def check_key_facts(cj):
    order, tx = fasta(os.path.join(PANEL, "transcripts.fa"))
    _, src_abl = fasta(os.path.join(REF, "source", "ABL1.fa"))
    _, src_slc = fasta(os.path.join(REF, "source", "SLC19A1.fa"))
    ok(order == ["NM_005157.6", "ENST00000372348.7", "ENST00000305877.13", "ENST00000311124",
                 "BCR-ABL1_e1a2", "BCR-ABL1_e13a2", "BCR-ABL1_e14a2", "BCR-ABL1_e19a2"],
       "transcripts.fa contig names and order")
    with open(os.path.join(PANEL, "transcripts.fa")) as fh:
        lines = [l.rstrip("\n") for l in fh]
    ok(all(l.startswith(">") or (len(l) <= 60 and re.fullmatch(r"[ACGT]+", l)) for l in lines),
       "transcripts.fa: upper-case ACGT, <= 60 nt per line")

    abl = tx["NM_005157.6"][1]
    ok(abl == src_abl["NM_005157.6"][1].upper(), "panel NM_005157.6 == source/ABL1.fa record")
    ok("CDS=194..3586" in src_abl["NM_005157.6"][0] and len(abl) == 5578, "NM_005157.6 5578 nt, CDS=194..3586")
    cs = 194
    ok(hashlib.md5(abl.encode()).hexdigest() == cj["reference_sequences"]["ABL1"]["md5"],
       "catalogue.json ABL1 reference md5 == NM_005157.6 sequence")
    ok(c_base(abl, cs, 944) == "C" and c_range(abl, cs, 943, 945) == "ACT" and CODE["ACT"] == "T",
       "ABL1 c.944 = C within codon c.943-945 ACT (T315)", c_range(abl, cs, 943, 945))
    ok(c_base(abl, cs, 763) == "G" and CODE[c_range(abl, cs, 763, 765)] == "E",
       "ABL1 c.763 = G, codon 255 = %s (E255)" % c_range(abl, cs, 763, 765))
    ok(c_base(abl, cs, 757) == "T" and CODE[c_range(abl, cs, 757, 759)] == "Y",
       "ABL1 c.757 = T, codon 253 = %s (Y253)" % c_range(abl, cs, 757, 759))
    p1a, stop1a = translate_to_stop(abl, cs)
    ok(len(p1a) == 1130 and stop1a == 3586, "ABL1 1a ORF 1130 aa ending at 3586")

    b1 = tx["ENST00000372348.7"][1]
    ok(b1[1305 - 1 + 333 * 3:1305 - 1 + 334 * 3] == "ACT", "ABL1 1b codon 334 = ACT (= 1a T315)")
    ok(b1[1440:4754] == abl[272:3586], "ABL1 1b tx 1441..4754 == NM_005157.6 tx 273..3586")

    slc = tx["ENST00000311124"][1]
    ok(slc == src_slc["ENST00000311124"][1].upper(), "panel ENST00000311124 == source/SLC19A1.fa record")
    ok(hashlib.md5(slc.encode()).hexdigest() == cj["reference_sequences"]["SLC19A1"]["md5"],
       "catalogue.json SLC19A1 reference md5 == ENST00000311124 sequence")
    scs = 154
    ok("CDS=154..1929" in src_slc["ENST00000311124"][0], "SLC19A1 header CDS=154..1929")
    ok(c_base(slc, scs, 80) == "A" and CODE[c_range(slc, scs, 79, 81)] == "H",
       "SLC19A1 c.80 = A, codon 27 = %s (His27)" % c_range(slc, scs, 79, 81))
    ok(c_range(slc, scs, 133, 135) == "GAG" and CODE["GAG"] == "E", "SLC19A1 c.133-135 = GAG (Glu45)")
    ps, sstop = translate_to_stop(slc, scs)
    ok(len(ps) == 591 and sstop == 1929, "SLC19A1 ORF 591 aa ending at 1929")

    # transcripts.tsv
    trows = {r["contig"]: r for r in read_tsv(os.path.join(PANEL, "transcripts.tsv"))}
    ok(list(trows) == order, "transcripts.tsv rows == transcripts.fa records")
    for n in order:
        r = trows[n]
        s = tx[n][1]
        ok(int(r["length"]) == len(s), "transcripts.tsv length %s" % n)
        prot, stop = translate_to_stop(s, int(r["cds_start"]))
        ok(stop == int(r["cds_end"]) and s[int(r["cds_start"]) - 1:int(r["cds_start"]) + 2] == "ATG",
           "transcripts.tsv CDS %s..%s of %s = ATG..stop (%d aa)" % (r["cds_start"], r["cds_end"], n, len(prot)))

    # fusions
    _, junc = fasta(os.path.join(REF, "source", "BCR_ABL1_junctions.fa"))
    bcr = tx["ENST00000305877.13"][1]
    expect = {"BCR-ABL1_e1a2": (1731, 1530), "BCR-ABL1_e13a2": (3159, 2006),
              "BCR-ABL1_e14a2": (3234, 2031), "BCR-ABL1_e19a2": (3774, 2211)}
    for n, (bend, naa) in expect.items():
        s = tx[n][1]
        ok(s == bcr[:bend] + abl[272:], "%s = BCR tx 1..%d + NM_005157.6 tx 273..5578" % (n, bend))
        prot, stop = translate_to_stop(s, 453)
        ok(len(prot) == naa and stop == bend + (3586 - 273 + 1),
           "%s fused ORF = %d aa, stop at the ABL1 stop codon (contig %s)" % (n, naa, stop), "got %d aa" % len(prot))
        ok(trows[n]["junction_after"] == str(bend) and trows[n]["cds_start"] == "453",
           "%s transcripts.tsv junction_after=%d, cds_start=453" % (n, bend))
        j = junc[n][1].upper()
        ok(s[bend - 300:bend + 300] == j, "%s 600-nt junction record == contig %d..%d" % (n, bend - 299, bend + 300))

    # segments
    for r in read_tsv(os.path.join(PANEL, "segments.tsv")):
        st, en, ps_ = int(r["start"]), int(r["end"]), int(r["parent_start"])
        ok(tx[r["contig"]][1][st - 1:en] == tx[r["parent"]][1][ps_ - 1:ps_ - 1 + en - st + 1],
           "segment %s:%d-%d == %s from %d" % (r["contig"], st, en, r["parent"], ps_))

    # miRNA
    _, mat = fasta(os.path.join(PANEL, "mirna_matures.fa"))
    _, hp = fasta(os.path.join(PANEL, "mirna_hairpins.fa"))
    ok(len(mat) == 2656 and len(hp) == 1917, "miRBase v22: 2656 matures, 1917 hairpins")
    mrows = read_tsv(os.path.join(PANEL, "mirna_matures.tsv"))
    bad = [r for r in mrows if hp[r["hairpin"]][1][int(r["start"]) - 1:int(r["end"])] != mat[r["mature"]][1]
           or mat[r["mature"]][0].split()[1] != r["mimat"] or r["arm"] not in ("5p", "3p")]
    ok(not bad and set(r["mature"] for r in mrows) == set(mat),
       "mirna_matures.tsv: %d rows, every mature == hairpin substring, every mature covered" % len(mrows),
       str(bad[:3]))

    # utr3
    _, utr = fasta(os.path.join(PANEL, "utr3.fa"))
    urows = {r["utr"]: r for r in read_tsv(os.path.join(PANEL, "utr3.tsv"))}
    ok(sorted(utr) == sorted(urows) == ["ABCB1_3UTR", "ABCG2_3UTR", "PTEN_3UTR"], "utr3.fa/utr3.tsv records")
    for n in utr:
        ok(len(utr[n][1]) == int(urows[n]["length"]), "utr3 %s length %s" % (n, urows[n]["length"]))
    _, pten = fasta(os.path.join(REF, "source", "PTEN_NM_000314.4.fa"))
    ok(utr["PTEN_3UTR"][1] == pten["NM_000314.4"][1].upper()[2243:], "PTEN_3UTR == NM_000314.4 after the stop (tx 2244..)")
    return abl, slc, mat


# -------------------------------------------------------------- 4. catalogue
HGVS_SUB = re.compile(r"^c\.(\d+)([ACGT])>([ACGT])$")
HGVS_DELINS = re.compile(r"^c\.(\d+)_(\d+)delins([ACGT]+)$")


def apply_route(seq, cs, codon_no, route):
    """Return (ref_ok, alt_codon) for a c. route inside codon `codon_no`."""
    c1 = (codon_no - 1) * 3 + 1
    codon = list(c_range(seq, cs, c1, c1 + 2))
    m = HGVS_SUB.match(route)
    if m:
        pos, ref, alt = int(m.group(1)), m.group(2), m.group(3)
        if not c1 <= pos <= c1 + 2:
            return False, None
        ref_ok = codon[pos - c1] == ref
        codon[pos - c1] = alt
        return ref_ok, "".join(codon)
    m = HGVS_DELINS.match(route)
    if m:
        a, b, ins = int(m.group(1)), int(m.group(2)), m.group(3)
        if not (c1 <= a <= b <= c1 + 2 and len(ins) == b - a + 1):
            return False, None
        codon[a - c1:b - c1 + 1] = list(ins)
        return True, "".join(codon)
    return False, None


def check_catalogue(abl, slc, mat):
    cs = 194
    rows = read_tsv(os.path.join(REF, "catalogue", "abl1_mutations.tsv"))
    ok(len(rows) == 41, "abl1_mutations.tsv has 41 rows")
    for r in rows:
        n = int(r["codon"])
        codon = c_range(abl, cs, 3 * n - 2, 3 * n)
        ref1 = THREE.get(r["ref_aa"])
        alt1 = THREE.get(r["alt_aa"])
        problems = []
        if codon != r["ref_codon"]:
            problems.append("ref_codon %s but NM_005157.6 codon %d = %s" % (r["ref_codon"], n, codon))
        if CODE[codon] != ref1:
            problems.append("NM_005157.6 codon %d %s translates to %s, not ref_aa %s" % (n, codon, CODE[codon], r["ref_aa"]))
        if r["protein_change"] != "%s%d%s" % (ref1, n, alt1):
            problems.append("protein_change %s != %s%d%s" % (r["protein_change"], ref1, n, alt1))
        routes = [x.strip() for x in r["nt_change_hgvs_c"].split("|") if x.strip()]
        if not routes:
            problems.append("no nt_change_hgvs_c route")
        for route in routes:
            ref_ok, alt_codon = apply_route(abl, cs, n, route)
            if not ref_ok or alt_codon is None:
                problems.append("route %s: reference base/position does not match codon %d %s" % (route, n, codon))
            elif CODE[alt_codon] != alt1:
                problems.append("route %s gives %s = %s, not alt_aa %s" % (route, alt_codon, CODE[alt_codon], r["alt_aa"]))
        ok(not problems, "abl1_mutations %s: NM_005157.6 codon %d = %s = %s%s" % (r["protein_change"], n, codon, r["ref_aa"],
                                                                    "; routes " + r["nt_change_hgvs_c"]),
           "; ".join(problems))

    # abl1_reference_codons.tsv (all 321 rows, one aggregated check)
    rc = read_tsv(os.path.join(REF, "catalogue", "abl1_reference_codons.tsv"))
    bad = []
    for r in rc:
        n = int(r["codon"])
        codon = c_range(abl, cs, 3 * n - 2, 3 * n)
        if (codon != r["ref_codon"] or CODE[codon] != r["aa"] or int(r["c_start"]) != 3 * n - 2
                or int(r["c_end"]) != 3 * n):
            bad.append("%d:%s/%s vs %s" % (n, r["ref_codon"], r["aa"], codon))
    ok(not bad and len(rc) == 321, "abl1_reference_codons.tsv: all %d codons == NM_005157.6 (codons %s-%s)"
       % (len(rc), rc[0]["codon"], rc[-1]["codon"]), "; ".join(bad[:20]))

    # SLC19A1 rows with an explicit c. position (reference frame ENST00000311124, CDS 154)
    scs = 154
    srows = read_tsv(os.path.join(REF, "catalogue", "slc19a1_variants.tsv"))
    for r in srows:
        h = r["hgvs_c_reference_frame"]
        m = re.search(r"c\.(\d+)([ACGT])>([ACGT])", h)
        if not m or h.startswith("ambiguous"):
            continue
        pos, ref, alt = int(m.group(1)), m.group(2), m.group(3)
        cod_no = (pos - 1) // 3 + 1
        codon = c_range(slc, scs, 3 * cod_no - 2, 3 * cod_no)
        found = c_base(slc, scs, pos)
        other = ref if (found == alt and found != ref) else alt  # the allele the reference does not carry
        alt_codon = list(codon)
        alt_codon[(pos - 1) % 3] = other
        alt_codon = "".join(alt_codon)
        if found == alt and found != ref:
            # Allele polarity: the reference carries the catalogue's "alt" allele (both alleles common).
            # Not a sequence error; reported as a warning for the curators (catalogue is not edited here).
            warn("slc19a1_variants %s: ENST00000311124 carries %s at c.%d (the catalogue's alt allele); "
                 "in this reference frame the change reads c.%d%s>%s" % (h.split()[0], found, pos, pos, alt, ref))
        else:
            ok(found == ref, "slc19a1_variants %s: ENST00000311124 c.%d = %s" % (h.split()[0], pos, ref),
               "found %s" % found)
        info("SLC19A1 %s: codon %d %s (%s) -> %s (%s)" % (h.split()[0], cod_no, codon, CODE[codon], alt_codon,
                                                          CODE[alt_codon]))
    for label, c1 in (("V29", 85), ("S46", 136)):
        codon = c_range(slc, scs, c1, c1 + 2)
        info("SLC19A1 %s codon (c.%d-%d) = %s (%s) in ENST00000311124" % (label, c1, c1 + 2, codon, CODE[codon]))

    # miRNA sequences quoted in the catalogue vs miRBase v22 (panel/mirna_matures.fa)
    def mirna_check(table, id_col, mimat_col, seq_col, seed_col):
        for r in read_tsv(os.path.join(REF, "catalogue", table)):
            ids = [x.strip() for x in r[id_col].split(";") if x.strip()]
            seqs = [x.strip() for x in r.get(seq_col, "").split(";") if x.strip()]
            seeds = [x.strip() for x in r.get(seed_col, "").split(";") if x.strip()]
            mimats = [x.strip() for x in r.get(mimat_col, "").split(";")] if mimat_col else []
            for k, mid in enumerate(ids):
                if not mid.startswith("hsa-"):
                    continue
                if mid not in mat:
                    ok(False, "%s: %s present in miRBase v22 matures" % (table, mid))
                    continue
                v22 = mat[mid][1]
                if k < len(seqs):
                    ok(seqs[k].replace("U", "T") == v22, "%s: %s sequence == miRBase v22" % (table, mid),
                       "%s vs %s" % (seqs[k], v22))
                    if k < len(seeds):
                        ok(seeds[k].replace("U", "T") == v22[1:8], "%s: %s seed nt2-8" % (table, mid))
                    if mimat_col and k < len(mimats) and mimats[k]:
                        ok(mimats[k] == mat[mid][0].split()[1], "%s: %s MIMAT" % (table, mid))
                else:
                    info("%s: %s marked not verified in the catalogue; miRBase v22 (optimir) has %s %s"
                         % (table, mid, mat[mid][0].split()[1], v22.replace("T", "U")))

    mirna_check("mirna_targets.tsv", "mirbase_v22_mature_ids", "mimat", "mature_seq_v22", "seed_nt2_8")
    mirna_check("iap_targets.tsv", "mirbase_v22_id", None, "mature_seq_v22", "seed_nt2_8")


def main():
    check_regeneration()
    check_manifest_regeneration()
    cj = check_manifest()
    abl, slc, mat = check_key_facts(cj)
    check_catalogue(abl, slc, mat)
    seen = set()
    for m in INFO:
        if m not in seen:
            print("INFO  " + m)
            seen.add(m)
    for m in WARNINGS:
        print("WARN  " + m)
    if WARNINGS:
        print("%d warning(s) (not failures; see WARN lines)" % len(WARNINGS))
    print("%d passed, %d failed" % (PASSED, FAILED))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
