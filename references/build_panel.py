#!/usr/bin/env python3
"""Build the chemores alignment/annotation panel from references/source/.

Usage:
    python3 references/build_panel.py                 # writes references/panel/,
                                                      # then catalogue/catalogue.json
                                                      # and MANIFEST.tsv (make_manifest.py)
    python3 references/build_panel.py --out DIR       # writes the panel files into DIR only
    python3 references/build_panel.py --no-manifest   # panel only, into references/panel/

Python 3 standard library only.  Deterministic: no timestamps, no dict/set order
dependence, fixed line endings ("\n"); running it twice gives identical bytes.

No sequence is typed here: every sequence is read from references/source/ and cut /
concatenated with coordinates that are themselves read from the source headers and
exon tables; every derived coordinate is asserted against the sequence.

Coordinates: 1-based inclusive everywhere (TSV outputs and messages).
"""

import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SOURCE = os.path.join(HERE, "source")
DEFAULT_OUT = os.path.join(HERE, "panel")

# Standard genetic code (NCBI translation table 1), codons in TCAG order.
_BASES = "TCAG"
_AA = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
assert len(_AA) == 64
CODON_TABLE = {
    a + b + c: _AA[16 * i + 4 * j + k]
    for i, a in enumerate(_BASES)
    for j, b in enumerate(_BASES)
    for k, c in enumerate(_BASES)
}

LINE_WIDTH = 60
BUILD_LOG = []  # human-readable assertion log, printed at the end


class BuildError(Exception):
    pass


def check(cond, msg):
    """Assert `cond`; record `msg` in the build log."""
    if not cond:
        raise BuildError("ASSERTION FAILED: " + msg)
    BUILD_LOG.append("PASS  " + msg)


def note(msg):
    BUILD_LOG.append("NOTE  " + msg)


# --------------------------------------------------------------------------- I/O
def read_fasta(path):
    """Return list of (name, description, SEQUENCE) in file order; sequence upper-cased."""
    records = []
    name = desc = None
    chunks = []
    with open(path, "r", encoding="ascii", newline="") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if line.startswith(">"):
                if name is not None:
                    records.append((name, desc, "".join(chunks).upper()))
                head = line[1:].strip()
                parts = head.split(None, 1)
                name = parts[0]
                desc = parts[1] if len(parts) > 1 else ""
                chunks = []
            elif line.strip():
                if name is None:
                    raise BuildError("%s: sequence before first header" % path)
                chunks.append(line.strip())
    if name is not None:
        records.append((name, desc, "".join(chunks).upper()))
    names = [r[0] for r in records]
    if len(set(names)) != len(names):
        raise BuildError("%s: duplicate record names" % path)
    return records


def fasta_dict(path):
    return {n: (d, s) for n, d, s in read_fasta(path)}


def read_tsv_with_comments(path):
    """Exon tables: '#' comment lines, then a header row, then data rows."""
    rows = []
    header = None
    with open(path, "r", encoding="ascii", newline="") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if header is None:
                header = fields
            else:
                if len(fields) != len(header):
                    raise BuildError("%s: bad column count: %r" % (path, line))
                rows.append(dict(zip(header, fields)))
    return rows


def fasta_bytes(records, width=LINE_WIDTH):
    """records: list of (header_without_gt, seq). width=None -> one line per sequence."""
    out = []
    for header, seq in records:
        out.append(">" + header + "\n")
        if width is None:
            out.append(seq + "\n")
        else:
            for i in range(0, len(seq), width):
                out.append(seq[i:i + width] + "\n")
    return "".join(out).encode("ascii")


def tsv_bytes(header, rows):
    lines = ["\t".join(header)]
    for r in rows:
        cells = [str(c) for c in r]
        for c in cells:
            if "\t" in c or "\n" in c:
                raise BuildError("tab/newline inside a TSV cell: %r" % c)
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode("ascii")


# --------------------------------------------------------------------------- sequence helpers
def sub(seq, start, end):
    """1-based inclusive substring."""
    if not (1 <= start <= end <= len(seq)):
        raise BuildError("range %d..%d outside sequence of length %d" % (start, end, len(seq)))
    return seq[start - 1:end]


def translate(cds):
    return "".join(CODON_TABLE.get(cds[i:i + 3], "X") for i in range(0, len(cds) - len(cds) % 3, 3))


def orf_from(seq, start):
    """Translate from 1-based `start` to the first stop codon (inclusive).
    Returns (protein_without_stop, stop_end_1based) or (protein, None) if no stop."""
    prot = []
    i = start - 1
    while i + 3 <= len(seq):
        aa = CODON_TABLE.get(seq[i:i + 3], "X")
        if aa == "*":
            return "".join(prot), i + 3
        prot.append(aa)
        i += 3
    return "".join(prot), None


def parse_cds(desc, label):
    m = re.search(r"CDS=(\d+)\.\.(\d+)", desc)
    if not m:
        raise BuildError("%s: no CDS=a..b in header" % label)
    return int(m.group(1)), int(m.group(2))


def parse_length(desc, label):
    m = re.search(r"length=(\d+)", desc)
    if not m:
        raise BuildError("%s: no length= in header" % label)
    return int(m.group(1))


def check_cds(seq, cds_start, cds_end, label, expect_aa=None):
    cds = sub(seq, cds_start, cds_end)
    check(len(cds) % 3 == 0, "%s CDS %d..%d length %d is a multiple of 3" % (label, cds_start, cds_end, len(cds)))
    prot = translate(cds)
    check(cds[:3] == "ATG", "%s CDS starts with ATG" % label)
    check(prot.endswith("*") and prot.count("*") == 1,
          "%s CDS has a single terminal stop codon (%s)" % (label, cds[-3:]))
    if expect_aa is not None:
        check(len(prot) - 1 == expect_aa, "%s protein is %d aa" % (label, expect_aa))
    return prot[:-1]


# --------------------------------------------------------------------------- panel parts
def build_transcripts(src):
    abl1 = read_fasta(os.path.join(src, "ABL1.fa"))
    check([r[0] for r in abl1] == ["NM_005157.6", "ENST00000372348.7"],
          "ABL1.fa holds NM_005157.6 then ENST00000372348.7")
    abl = {n: (d, s) for n, d, s in abl1}
    bcr = fasta_dict(os.path.join(src, "BCR_ENST00000305877.13.fa"))
    slc = fasta_dict(os.path.join(src, "SLC19A1.fa"))
    check(list(bcr) == ["ENST00000305877.13"], "BCR_ENST00000305877.13.fa holds one record ENST00000305877.13")
    check(list(slc) == ["ENST00000311124"], "SLC19A1.fa holds one record ENST00000311124")

    info = {}  # contig -> dict(seq, gene, kind, cds_start, cds_end, junction_after, note)

    # ---- ABL1 isoform 1a (NM_005157.6)
    d1a, s1a = abl["NM_005157.6"]
    a_cs, a_ce = parse_cds(d1a, "NM_005157.6")
    check(len(s1a) == parse_length(d1a, "NM_005157.6") == 5578, "NM_005157.6 length 5578 (header and sequence)")
    check(set(s1a) <= set("ACGT"), "NM_005157.6 only A/C/G/T")
    p1a = check_cds(s1a, a_cs, a_ce, "NM_005157.6", expect_aa=1130)
    check(p1a.startswith("MLEICLKLVG"), "NM_005157.6 protein starts MLEICLKLVG (isoform 1a)")

    # ABL1 exon table (tx + c. coordinates) must agree with the sequence / CDS.
    abl_ex = read_tsv_with_comments(os.path.join(src, "ABL1_NM_005157.6_exons.tsv"))
    check_exon_table(abl_ex, len(s1a), a_cs, a_ce, "ABL1 NM_005157.6")
    ex2 = [e for e in abl_ex if e["exon"] == "2"][0]
    a2_tx = int(ex2["tx_start"])
    a2_c = int(ex2["cds_start"])
    check(a2_tx == a_cs + a2_c - 1, "ABL1 exon a2 starts at tx %d = c.%d (CDS start %d)" % (a2_tx, a2_c, a_cs))

    # ---- ABL1 isoform 1b (ENST00000372348.7)
    d1b, s1b = abl["ENST00000372348.7"]
    b_cs, b_ce = parse_cds(d1b, "ENST00000372348.7")
    check(len(s1b) == parse_length(d1b, "ENST00000372348.7"), "ENST00000372348.7 header length = sequence length (%d)" % len(s1b))
    check(set(s1b) <= set("ACGT"), "ENST00000372348.7 only A/C/G/T")
    p1b = check_cds(s1b, b_cs, b_ce, "ENST00000372348.7", expect_aa=1149)
    # Derive where 1a exon 2 onward (tx a2_tx..a_ce, i.e. c.80..stop) sits in 1b.
    shared_1a = sub(s1a, a2_tx, a_ce)
    hits = [m.start() + 1 for m in re.finditer("(?=%s)" % shared_1a, s1b)]
    check(len(hits) == 1, "NM_005157.6 tx %d..%d (c.%d..c.%d) occurs exactly once in ENST00000372348.7"
          % (a2_tx, a_ce, a2_c, a_ce - a_cs + 1))
    b_shared_start = hits[0]
    b_shared_end = b_shared_start + len(shared_1a) - 1
    b_c = b_shared_start - b_cs + 1  # 1b c. of the first shared base
    check(b_shared_end == b_ce == len(s1b),
          "shared part ends at the 1b CDS end / record end (tx %d; no 3'UTR in the 1b source record)" % b_ce)
    shift_nt = b_c - a2_c
    check(shift_nt > 0 and shift_nt % 3 == 0,
          "1b tx %d = 1b c.%d == 1a c.%d: numbering shift %d nt = %d codons (in frame)"
          % (b_shared_start, b_c, a2_c, shift_nt, shift_nt // 3))
    check(shift_nt // 3 == 19, "isoform 1b codon = isoform 1a codon + 19")
    check(p1b[(a2_c - 1) // 3 + shift_nt // 3 + 1:] == p1a[(a2_c - 1) // 3 + 1:],
          "1b protein from 1b residue %d == 1a protein from residue %d"
          % ((a2_c - 1) // 3 + shift_nt // 3 + 2, (a2_c - 1) // 3 + 2))
    check(sub(s1b, b_cs + (315 + 19 - 1) * 3, b_cs + (315 + 19) * 3 - 1) == sub(s1a, a_cs + 314 * 3, a_cs + 315 * 3 - 1) == "ACT",
          "1b codon 334 == 1a codon 315 == ACT (Thr, gatekeeper)")
    if b_shared_start > 1 and a2_tx > 1:
        ext = 0
        while (b_shared_start - ext - 1 >= 1 and a2_tx - ext - 1 >= 1
               and s1b[b_shared_start - ext - 2] == s1a[a2_tx - ext - 2]):
            ext += 1
        note("the identical stretch extends %d nt upstream of exon a2 by chance (exon 1b/1a ends); "
             "the alias segment is kept exon-defined (starts at exon 2)" % ext)

    # ---- BCR
    dbcr, sbcr = bcr["ENST00000305877.13"]
    r_cs, r_ce = parse_cds(dbcr, "ENST00000305877.13")
    check(len(sbcr) == parse_length(dbcr, "ENST00000305877.13") == 6783, "ENST00000305877.13 length 6783")
    check(set(sbcr) <= set("ACGT"), "ENST00000305877.13 only A/C/G/T")
    pbcr = check_cds(sbcr, r_cs, r_ce, "ENST00000305877.13", expect_aa=1271)
    check(pbcr.startswith("MVDPVGF"), "BCR protein starts MVDPVGF")
    bcr_ex = read_tsv_with_comments(os.path.join(src, "BCR_ENST00000305877.13_exons.tsv"))
    check_exon_table(bcr_ex, len(sbcr), r_cs, r_ce, "BCR ENST00000305877.13")
    bcr_exon_end = {int(e["exon"]): (int(e["tx_end"]), int(e["cds_end"])) for e in bcr_ex}

    # ---- SLC19A1
    dslc, sslc = slc["ENST00000311124"]
    s_cs, s_ce = parse_cds(dslc, "ENST00000311124")
    check(len(sslc) == parse_length(dslc, "ENST00000311124") == 3811, "ENST00000311124 length 3811")
    check(set(sslc) <= set("ACGT"), "ENST00000311124 only A/C/G/T")
    check_cds(sslc, s_cs, s_ce, "ENST00000311124", expect_aa=591)

    info["NM_005157.6"] = dict(
        seq=s1a, gene="ABL1", kind="transcript", cds=(a_cs, a_ce), junction=None,
        note="ABL1 isoform 1a (exon 1a; NP_005148; clinical codon numbering); sequence = GENCODE v38 ENST00000318560.6")
    info["ENST00000372348.7"] = dict(
        seq=s1b, gene="ABL1", kind="isoform", cds=(b_cs, b_ce), junction=None,
        note="ABL1 isoform 1b (exon 1b; 1b codon = 1a codon + 19); tx %d..%d identical to NM_005157.6 tx %d..%d; "
             "source record has no 3'UTR; not RefSeq NM_007313" % (b_shared_start, b_shared_end, a2_tx, a_ce))
    info["ENST00000305877.13"] = dict(
        seq=sbcr, gene="BCR", kind="transcript", cds=(r_cs, r_ce), junction=None,
        note="BCR isoform 1 (1271 aa; GENCODE v38 BCR-201; Ensembl counterpart of NM_004327, identity not verified)")
    info["ENST00000311124"] = dict(
        seq=sslc, gene="SLC19A1", kind="transcript", cds=(s_cs, s_ce), junction=None,
        note="SLC19A1/RFC1 Ensembl cDNA (version and release not recorded; not RefSeq NM_194255; UTR ends may differ)")

    segments = [("ENST00000372348.7", b_shared_start, b_shared_end, "NM_005157.6", a2_tx)]

    # ---- BCR-ABL1 fusions
    junc = read_fasta(os.path.join(src, "BCR_ABL1_junctions.fa"))
    expected_names = ["BCR-ABL1_e1a2", "BCR-ABL1_e13a2", "BCR-ABL1_e14a2", "BCR-ABL1_e19a2"]
    check([r[0] for r in junc] == expected_names, "BCR_ABL1_junctions.fa holds e1a2, e13a2, e14a2, e19a2 in this order")
    abl_part = sub(s1a, a2_tx, len(s1a))
    fusion_order = []
    for name, desc, jseq in junc:
        m = re.search(r"BCR ENST00000305877\.13 tx (\d+)-(\d+) \(exon (\d+) ends at tx (\d+), c\.(\d+)\)", desc)
        m2 = re.search(r"ABL1 NM_005157\.6 tx (\d+)-(\d+) \(exon a2 starts c\.(\d+)\)", desc)
        m3 = re.search(r"junction_after=(\d+)", desc)
        m4 = re.search(r"in-frame fusion ORF (\d+) aa", desc)
        if not (m and m2 and m3 and m4):
            raise BuildError("%s: header not parsable: %s" % (name, desc))
        bcr_win_start, bcr_end, bcr_exon, bcr_end2, bcr_c = (int(x) for x in m.groups())
        abl_win_start, abl_win_end, abl_c = (int(x) for x in m2.groups())
        j_after = int(m3.group(1))
        hdr_aa = int(m4.group(1))
        check(bcr_end == bcr_end2 == bcr_exon_end[bcr_exon][0] and bcr_c == bcr_exon_end[bcr_exon][1],
              "%s: BCR exon %d ends at tx %d = c.%d (header == BCR exon table)" % (name, bcr_exon, bcr_end, bcr_c))
        check(bcr_c == bcr_end - r_cs + 1, "%s: BCR tx %d = c.%d (CDS start %d)" % (name, bcr_end, bcr_c, r_cs))
        check(abl_win_start == a2_tx and abl_c == a2_c,
              "%s: ABL1 part starts at NM_005157.6 tx %d = c.%d (exon a2)" % (name, a2_tx, a2_c))
        contig = sub(sbcr, 1, bcr_end) + abl_part
        j = bcr_end  # junction_after on the contig
        check(len(jseq) == 600 and j_after == 300, "%s: junction record 600 nt, junction_after=300" % name)
        check(contig[j - j_after:j - j_after + len(jseq)] == jseq,
              "%s: 600-nt junction record == contig %d..%d (its junction_after=300 == contig junction_after=%d)"
              % (name, j - j_after + 1, j - j_after + len(jseq), j))
        check(contig.count(jseq) == 1, "%s: junction record occurs exactly once in the contig" % name)
        # Frame and ORF.
        check((bcr_end - r_cs + 1) % 3 == (a2_c - 1) % 3,
              "%s: frame preserved (BCR c.1..c.%d = %d nt; ABL1 joins at c.%d, codon position %d)"
              % (name, bcr_c, bcr_c, a2_c, (a2_c - 1) % 3 + 1))
        prot, stop_end = orf_from(contig, r_cs)
        abl_stop_on_contig = j + (a_ce - a2_tx + 1)
        check(stop_end == abl_stop_on_contig,
              "%s: fused ORF from %d runs without premature stop to the ABL1 stop codon, ending at contig %d"
              % (name, r_cs, stop_end if stop_end else -1))
        check(len(prot) == hdr_aa, "%s: fused ORF %d aa (== junction header)" % (name, len(prot)))
        nb = bcr_c // 3  # complete BCR codons
        check(prot[:nb] == pbcr[:nb], "%s: fused protein residues 1..%d == BCR" % (name, nb))
        na = (a2_c - 1) // 3 + 1  # ABL1 residue index (1-based) of the junction codon
        check(prot[nb + 1:] == p1a[na:], "%s: fused protein after the junction codon == ABL1 residues %d..%d"
              % (name, na + 1, len(p1a)))
        fname = name
        info[fname] = dict(
            seq=contig, gene="BCR-ABL1", kind="fusion", cds=(r_cs, stop_end), junction=j,
            note="%s; BCR ENST00000305877.13 tx 1..%d (exon %d, c.%d) + ABL1 NM_005157.6 tx %d..%d (exon a2 onward, c.%d..); "
                 "fused ORF %d aa" % (desc.split(";")[0], bcr_end, bcr_exon, bcr_c, a2_tx, len(s1a), a2_c, len(prot)))
        segments.append((fname, 1, j, "ENST00000305877.13", 1))
        segments.append((fname, j + 1, len(contig), "NM_005157.6", a2_tx))
        fusion_order.append(fname)

    order = ["NM_005157.6", "ENST00000372348.7", "ENST00000305877.13", "ENST00000311124"] + fusion_order
    check(order == ["NM_005157.6", "ENST00000372348.7", "ENST00000305877.13", "ENST00000311124",
                    "BCR-ABL1_e1a2", "BCR-ABL1_e13a2", "BCR-ABL1_e14a2", "BCR-ABL1_e19a2"],
          "panel contig order")

    # Segment identity.
    for contig, st, en, parent, pst in segments:
        cseq = sub(info[contig]["seq"], st, en)
        pseq = sub(info[parent]["seq"], pst, pst + (en - st))
        check(cseq == pseq, "segment %s:%d-%d == %s:%d-%d (%d nt)" % (contig, st, en, parent, pst, pst + en - st, en - st + 1))
        check(info[parent]["kind"] == "transcript", "segment parent %s is a canonical transcript contig" % parent)

    fa = fasta_bytes([(n, info[n]["seq"]) for n in order])
    rows = []
    for n in order:
        i = info[n]
        rows.append((n, i["gene"], i["kind"], len(i["seq"]), i["cds"][0], i["cds"][1],
                     "." if i["junction"] is None else i["junction"], i["note"]))
    tsv = tsv_bytes(["contig", "gene", "kind", "length", "cds_start", "cds_end", "junction_after", "parent_note"], rows)
    seg = tsv_bytes(["contig", "start", "end", "parent", "parent_start"], segments)
    return {"transcripts.fa": fa, "transcripts.tsv": tsv, "segments.tsv": seg}, info, abl_ex, bcr_ex


def check_exon_table(rows, tx_len, cds_start, cds_end, label):
    prev_end = 0
    for e in rows:
        ts, te = int(e["tx_start"]), int(e["tx_end"])
        check(ts == prev_end + 1 and te >= ts, "%s exon %s tx %d..%d contiguous" % (label, e["exon"], ts, te))
        if "length" in e:
            check(int(e["length"]) == te - ts + 1, "%s exon %s length column" % (label, e["exon"]))
        # c. numbering of the coding part of the exon
        cs, ce = int(e["cds_start"]), int(e["cds_end"])
        exp_cs = max(ts, cds_start) - cds_start + 1
        exp_ce = min(te, cds_end) - cds_start + 1
        check((cs, ce) == (exp_cs, exp_ce), "%s exon %s c.%d..c.%d consistent with tx %d..%d and CDS %d..%d"
              % (label, e["exon"], cs, ce, ts, te, cds_start, cds_end))
        for col in ("GRCh38", "hg19"):
            if col in e:
                m = re.match(r"^chr[0-9XY]+:(\d+)-(\d+)$", e[col])
                check(m is not None, "%s exon %s %s coordinate well-formed" % (label, e["exon"], col))
                glen = int(m.group(2)) - int(m.group(1)) + 1
                if glen != te - ts + 1:
                    note("%s exon %s %s span %d nt != exon length %d (see source table comment)"
                         % (label, e["exon"], col, glen, te - ts + 1))
        prev_end = te
    check(prev_end == tx_len, "%s exon table ends at the transcript end (%d)" % (label, tx_len))


def build_exons(src, abl_ex, bcr_ex):
    rows = []
    for contig, table in (("NM_005157.6", abl_ex), ("ENST00000305877.13", bcr_ex)):
        for e in table:
            rows.append((contig, e["exon"], e["tx_start"], e["tx_end"], e["cds_start"], e["cds_end"],
                         e["GRCh38"], e["hg19"]))
    pten = read_fasta(os.path.join(src, "PTEN_NM_000314.4.fa"))
    check([r[0] for r in pten] == ["NM_000314.4"], "PTEN_NM_000314.4.fa holds one record NM_000314.4")
    _, pdesc, pseq = pten[0]
    p_cs, p_ce = parse_cds(pdesc, "NM_000314.4")
    check(len(pseq) == parse_length(pdesc, "NM_000314.4") == 5572, "NM_000314.4 length 5572")
    pprot = check_cds(pseq, p_cs, p_ce, "NM_000314.4", expect_aa=403)
    check(pprot.startswith("MTAIIKEIVS") and pprot.endswith("QITKV"), "PTEN protein MTAIIKEIVS..QITKV")
    pten_ex = read_tsv_with_comments(os.path.join(src, "PTEN_NM_000314.4_exons_hg19.tsv"))
    # exon table ends at 5546 (genome-encoded part); the record adds a 26-nt poly(A)
    check_exon_table(pten_ex, 5546, p_cs, p_ce, "PTEN NM_000314.4")
    check(sub(pseq, 5547, 5572) == "A" * 26, "NM_000314.4 tx 5547..5572 is the 26-nt poly(A) not covered by exons")
    for e in pten_ex:
        rows.append(("NM_000314.4", e["exon"], e["tx_start"], e["tx_end"], e["cds_start"], e["cds_end"],
                     ".", e["hg19"]))
    return {"exons.tsv": tsv_bytes(["contig", "exon", "start", "end", "cds_start", "cds_end", "grch38", "hg19"], rows)}, \
        (pseq, p_cs, p_ce, pten_ex)


def build_mirna(src):
    mat = read_fasta(os.path.join(src, "hsa_matures_miRBase_v22.fa"))
    hp = read_fasta(os.path.join(src, "hsa_hairpins_miRBase_v22.fa"))
    check(len(mat) == 2656, "miRBase v22 human matures: 2656 records")
    check(len(hp) == 1917, "miRBase v22 human hairpins: 1917 records")
    for label, recs in (("matures", mat), ("hairpins", hp)):
        check(all(set(s) <= set("ACGT") for _, _, s in recs), "%s: upper-case DNA alphabet (A/C/G/T only)" % label)
    hp_seq = {n: s for n, _, s in hp}
    mat_seq = {n: s for n, _, s in mat}
    mat_acc = {n: d.split()[0] for n, d, _ in mat}
    hp_acc = {n: d.split()[0] for n, d, _ in hp}

    # gff3: primary transcripts (hairpins) and miRNAs (matures)
    prim = {}   # ID -> (name, chrom, start, end, strand, alias)
    mirs = []   # (name, alias, chrom, start, end, strand, derives_from)
    with open(os.path.join(src, "hsa_miRBase_v22.gff3"), "r", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            f = line.rstrip("\n").split("\t")
            attrs = dict(kv.split("=", 1) for kv in f[8].split(";") if kv)
            rec = (attrs["Name"], f[0], int(f[3]), int(f[4]), f[6], attrs["Alias"])
            if f[2] == "miRNA_primary_transcript":
                prim[attrs["ID"]] = rec
            elif f[2] == "miRNA":
                mirs.append(rec + (attrs["Derives_from"],))
    check(sorted(set(v[0] for v in prim.values())) == sorted(hp_seq),
          "gff3 hairpin names == hairpin FASTA names (%d loci, %d names)" % (len(prim), len(hp_seq)))
    check(sorted(set(m[0] for m in mirs)) == sorted(mat_seq),
          "gff3 mature names == mature FASTA names (%d loci, %d names)" % (len(mirs), len(mat_seq)))
    check(all(hp_acc[v[0]] == v[5] for v in prim.values()), "gff3 hairpin Alias == MI accession in FASTA header")
    check(all(mat_acc[m[0]] == m[5] for m in mirs), "gff3 mature Alias == MIMAT accession in FASTA header")

    pairs = {}  # (mature, hairpin) -> set of (start, end)
    redirected = []
    for name, chrom, ms, me, strand, alias, der in mirs:
        pname, pchrom, ps, pe, pstrand, _ = prim[der]
        if not (chrom == pchrom and strand == pstrand and ps <= ms <= me <= pe):
            # miRBase gff3 quirk: for extra copies of a locus, Derives_from names the first copy's ID
            # (e.g. MI0033425) instead of the copy's own ID (MI0033425_2).  Resolve to the unique locus
            # with the same MI accession (Alias) that contains the mature.
            acc = prim[der][5]
            cands = [k for k, v in sorted(prim.items())
                     if v[5] == acc and v[1] == chrom and v[4] == strand and v[2] <= ms <= me <= v[3]]
            if len(cands) != 1:
                raise BuildError("mature %s (%s:%d-%d) not inside its hairpin locus %s and no unique "
                                 "same-accession locus contains it" % (name, chrom, ms, me, der))
            redirected.append("%s %s:%d-%d Derives_from=%s -> %s" % (name, chrom, ms, me, der, cands[0]))
            pname, pchrom, ps, pe, pstrand, _ = prim[cands[0]]
        if strand == "+":
            st = ms - ps + 1
        else:
            st = pe - me + 1
        en = st + (me - ms)
        if pe - ps + 1 != len(hp_seq[pname]):
            raise BuildError("hairpin %s locus length != FASTA length" % pname)
        pairs.setdefault((name, pname), set()).add((st, en))
    note("gff3: %d mature loci lie outside the locus named by Derives_from (extra genomic copies); resolved to the "
         "same-accession copy that contains them: %s" % (len(redirected), "; ".join(redirected)))
    multi_pos = [k for k, v in pairs.items() if len(v) > 1]
    check(not multi_pos, "each (mature, hairpin) pair has one position over all genomic loci")
    n_bad = 0
    n_multi_occ = 0
    for (m, h), poss in sorted(pairs.items()):
        st, en = next(iter(poss))
        if sub(hp_seq[h], st, en) != mat_seq[m]:
            n_bad += 1
        occ = [x.start() + 1 for x in re.finditer("(?=%s)" % mat_seq[m], hp_seq[h])]
        if len(occ) != 1:
            n_multi_occ += 1
            note("mature %s occurs %d times in hairpin %s (gff3 position %d used)" % (m, len(occ), h, st))
    check(n_bad == 0, "every mature sequence == hairpin substring at its gff3-derived position (%d pairs)" % len(pairs))
    # Sequence search: matures in hairpins with no Derives_from relation (not added as rows).
    extra = 0
    for m, ms in mat_seq.items():
        for h, hs in hp_seq.items():
            if (m, h) not in pairs and ms in hs:
                extra += 1
    note("sequence search: %d (mature, hairpin) sequence containments have no gff3 Derives_from relation "
         "(identical/near-identical family members); they are not listed in mirna_matures.tsv" % extra)
    matures_with_pairs = set(m for m, _ in pairs)
    check(matures_with_pairs == set(mat_seq), "every mature has at least one hairpin row")

    # arm
    rows = []
    by_hairpin = {}
    for (m, h), poss in pairs.items():
        by_hairpin.setdefault(h, []).append((next(iter(poss)), m))
    arm_from_pos = 0
    disagree = []
    for (m, h), poss in sorted(pairs.items()):
        st, en = next(iter(poss))
        L = len(hp_seq[h])
        pos_arm = "5p" if (st + en) / 2.0 < (L + 1) / 2.0 else "3p"
        if m.endswith("-5p"):
            arm = "5p"
        elif m.endswith("-3p"):
            arm = "3p"
        else:
            arm = pos_arm
            arm_from_pos += 1
        if arm != pos_arm:
            disagree.append("%s in %s at %d-%d of %d" % (m, h, st, en, L))
        rows.append((m, h, st, en, arm, mat_acc[m]))
    note("arm: %d rows have no -5p/-3p suffix; their arm is inferred from position (mature centre vs hairpin centre)"
         % arm_from_pos)
    if disagree:
        note("arm: %d rows where the name suffix disagrees with the position-based arm: %s"
             % (len(disagree), "; ".join(disagree)))
    check(len(rows) == len(pairs), "mirna_matures.tsv: %d rows (one per mature x hairpin)" % len(rows))

    out = {
        "mirna_hairpins.fa": fasta_bytes([((n + " " + d) if d else n, s) for n, d, s in hp], width=None),
        "mirna_matures.fa": fasta_bytes([((n + " " + d) if d else n, s) for n, d, s in mat], width=None),
        "mirna_matures.tsv": tsv_bytes(["mature", "hairpin", "start", "end", "arm", "mimat"], rows),
    }
    return out


def build_utr3(src, pten):
    pseq, p_cs, p_ce, pten_ex = pten
    utr = fasta_dict(os.path.join(src, "UTR3.fa"))
    abcb1 = fasta_dict(os.path.join(src, "ABCB1_3UTR.fa"))
    check(sorted(utr) == ["ABCG2_3UTR", "PTEN_3UTR"], "UTR3.fa holds ABCG2_3UTR and PTEN_3UTR")
    check(list(abcb1) == ["ABCB1_3UTR"], "ABCB1_3UTR.fa holds one record ABCB1_3UTR")
    recs = {"ABCB1_3UTR": abcb1["ABCB1_3UTR"], "ABCG2_3UTR": utr["ABCG2_3UTR"], "PTEN_3UTR": utr["PTEN_3UTR"]}
    for n, (d, s) in sorted(recs.items()):
        check(set(s) <= set("ACGT"), "%s only A/C/G/T" % n)
        check(len(s) == parse_length(d, n), "%s header length = sequence length (%d)" % (n, len(s)))

    # ABCB1
    d, s = recs["ABCB1_3UTR"]
    m = re.search(r"NM_000927\.5 3'UTR tx (\d+)\.\.(\d+)", d)
    a_st, a_en = int(m.group(1)), int(m.group(2))
    check(a_en - a_st + 1 == len(s) == 1226, "ABCB1_3UTR = NM_000927.5 tx %d..%d (1226 nt)" % (a_st, a_en))
    # PTEN
    d, s = recs["PTEN_3UTR"]
    m = re.search(r"NM_000314\.4 3'UTR tx (\d+)\.\.(\d+)", d)
    t_st, t_en = int(m.group(1)), int(m.group(2))
    check(t_st == p_ce + 1 and t_en == len(pseq), "PTEN_3UTR = NM_000314.4 tx %d..%d (CDS end %d + 1 .. record end)"
          % (t_st, t_en, p_ce))
    check(s == sub(pseq, t_st, t_en), "PTEN_3UTR sequence == NM_000314.4 tx %d..%d" % (t_st, t_en))
    last = pten_ex[-1]
    g = re.match(r"^(chr\w+):(\d+)-(\d+)$", last["hg19"])
    lts, lte = int(last["tx_start"]), int(last["tx_end"])
    gs, ge = int(g.group(2)), int(g.group(3))
    check(ge - gs == lte - lts and lts <= t_st <= lte, "PTEN 3'UTR start lies in last exon %s (tx %d..%d, %s)"
          % (last["exon"], lts, lte, last["hg19"]))
    pten_g_start = gs + (t_st - lts)
    pten_g_end = ge
    pten_polya = t_en - lte
    # ABCG2
    d, s = recs["ABCG2_3UTR"]
    m = re.search(r"GRCh38 (chr\w+):(\d+)-(\d+)\(([+-])\)", d)
    gs2, ge2 = int(m.group(2)), int(m.group(3))
    check(ge2 - gs2 + 1 == len(s) == 1970, "ABCG2_3UTR length 1970 == GRCh38 %s:%d-%d span" % (m.group(1), gs2, ge2))

    order = ["ABCB1_3UTR", "ABCG2_3UTR", "PTEN_3UTR"]
    fa = fasta_bytes([(n + " " + recs[n][0], recs[n][1]) for n in order])
    rows = [
        ("ABCB1_3UTR", "ABCB1", "NM_000927.5", len(recs["ABCB1_3UTR"][1]),
         "NM_000927.5 tx %d..%d (immediately after the TGA stop; CDS 466..4308); no genomic coordinates in the source; "
         "no poly(A) in the record" % (a_st, a_en)),
        ("ABCG2_3UTR", "ABCG2", "NG_032067.2 (RefSeqGene; NM_004827 CDS stop)", len(recs["ABCG2_3UTR"][1]),
         "GRCh38 %s:%d-%d(%s) (genome-derived from NG_032067.2 via Aldy abcg2.yml; 3' end = Aldy exon-16 annotation, "
         "unverified; hg19 not derived; not compared with an NM_004827 mRNA)" % (m.group(1), gs2, ge2, m.group(4))),
        ("PTEN_3UTR", "PTEN", "NM_000314.4", len(recs["PTEN_3UTR"][1]),
         "NM_000314.4 tx %d..%d; hg19 %s:%d-%d(+) for UTR 1..%d (from exon %s hg19 table); UTR %d..%d = %d-nt poly(A) "
         "carried by the record (not genomic); GRCh38 not derived"
         % (t_st, t_en, g.group(1), pten_g_start, pten_g_end, pten_g_end - pten_g_start + 1, last["exon"],
            pten_g_end - pten_g_start + 2, len(recs["PTEN_3UTR"][1]), pten_polya)),
    ]
    check(pten_g_end - pten_g_start + 1 + pten_polya == len(recs["PTEN_3UTR"][1]),
          "PTEN 3'UTR = %d genome-encoded nt + %d-nt poly(A)" % (pten_g_end - pten_g_start + 1, pten_polya))
    tsv = tsv_bytes(["utr", "gene", "transcript", "length", "genome_note"], rows)
    return {"utr3.fa": fa, "utr3.tsv": tsv}


def build_all(src):
    files = {}
    tx, info, abl_ex, bcr_ex = build_transcripts(src)
    files.update(tx)
    ex, pten = build_exons(src, abl_ex, bcr_ex)
    files.update(ex)
    files.update(build_mirna(src))
    files.update(build_utr3(src, pten))
    return files


GENERATED_FILES = ("transcripts.fa", "transcripts.tsv", "segments.tsv", "exons.tsv",
                   "mirna_hairpins.fa", "mirna_matures.fa", "mirna_matures.tsv", "utr3.fa", "utr3.tsv")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", default=DEFAULT_SOURCE, help="source folder (default: references/source)")
    ap.add_argument("--out", default=None, help="output folder (default: references/panel); implies --no-manifest")
    ap.add_argument("--no-manifest", action="store_true", help="do not regenerate catalogue.json / MANIFEST.tsv")
    ap.add_argument("--quiet", action="store_true", help="do not print the assertion log")
    args = ap.parse_args(argv)
    out = args.out or DEFAULT_OUT
    try:
        files = build_all(args.source)
    except BuildError as e:
        if not args.quiet:
            for line in BUILD_LOG:
                print(line)
        print("build_panel: %s (nothing written)" % e, file=sys.stderr)
        return 1
    if sorted(files) != sorted(GENERATED_FILES):
        print("internal error: unexpected output set %s" % sorted(files), file=sys.stderr)
        return 1
    os.makedirs(out, exist_ok=True)
    for name in GENERATED_FILES:
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(files[name])
    if not args.quiet:
        for line in BUILD_LOG:
            print(line)
        npass = sum(1 for l in BUILD_LOG if l.startswith("PASS"))
        print("build_panel: %d assertions passed; wrote %d files to %s" % (npass, len(GENERATED_FILES), out))
    if args.out is None and not args.no_manifest:
        sys.path.insert(0, HERE)
        sys.dont_write_bytecode = True  # keep references/ free of __pycache__
        import make_manifest  # noqa: E402  (same folder)
        return make_manifest.main([])
    return 0


if __name__ == "__main__":
    sys.exit(main())
