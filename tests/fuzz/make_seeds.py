#!/usr/bin/env python3
"""Generate the seed corpus of one fuzz harness from files already in the repository (test_data/, references/,
src/cli/), so that nothing large is committed. Usage: make_seeds.py HARNESS OUT_DIR SOURCE_DIR [DICT_OUT]

Seeds are written as OUT_DIR/<name>; OUT_DIR is emptied first. For the cli harness DICT_OUT receives a libFuzzer
dictionary of every option and subcommand name found in src/cli/*.cpp."""

import csv
import gzip
import io
import pathlib
import re
import shutil
import sys
import zlib

harness, out_dir, src = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
dict_out = pathlib.Path(sys.argv[4]) if len(sys.argv) > 4 else None
if out_dir.exists():
    shutil.rmtree(out_dir)
out_dir.mkdir(parents=True)
seeds = {}


def seed(name, data):
    if isinstance(data, str):
        data = data.encode()
    seeds[name] = data


def records(text, marker, n):
    """The first n records (FASTA '>' or FASTQ 4-line) of text."""
    lines = text.splitlines(keepends=True)
    if marker == "@":
        return "".join(lines[: 4 * n])
    out, seen = [], 0
    for line in lines:
        if line.startswith(">"):
            seen += 1
            if seen > n:
                break
        out.append(line)
    return "".join(out)


def tsv_rows(path):
    with open(path, newline="") as f:
        rows = [r for r in csv.reader((l for l in f if not l.startswith("#")), delimiter="\t")]
    return rows[0], rows[1:]


demo = src / "test_data" / "demo"
refs = src / "references"

if harness == "sequence_reader":
    # byte 0 = mode (see sequence_reader_fuzz.cpp): 0 raw, 1 gzip here, 2 BGZF here, 2|16 BGZF without EOF marker,
    # 3 + 4k gzip cut short by k bytes
    for gz in sorted(demo.glob("*.gz")):
        raw = gz.read_bytes()
        text = gzip.decompress(raw).decode()
        # the demo files are large (hundreds of kB): raw seeds are the first records, gzip-compressed by Python
        # (a different deflate stream than zlib's here); the real file only if it is small
        if len(raw) <= 4096:
            seed(f"raw_{gz.name}", b"\x00" + raw)
        seed(f"raw_{gz.stem}_head.gz", b"\x00" + gzip.compress(records(text, "@", 40).encode(), mtime=0))
        small = records(text, "@", 6)
        for mode, tag in ((0, "plain"), (1, "gzip"), (2, "bgzf"), (2 | 16, "bgzf_noeof"), (3 + 4 * 9, "gzip_cut")):
            seed(f"{gz.stem}_{tag}", bytes([mode]) + small.encode())
        seed(f"{gz.stem}_crlf", b"\x00" + small.replace("\n", "\r\n").encode())
    for fa in ("panel/utr3.fa", "source/ABL1_kinase_exons_genomic.fa", "source/BCR_ABL1_junctions.fa"):
        text = records((refs / fa).read_text(), ">", 3)
        name = fa.replace("/", "_")
        seed(f"{name}_plain", b"\x00" + text.encode())
        seed(f"{name}_gzip", b"\x01" + text.encode())
    seed("empty", b"\x00")
    seed("blank_lines", b"\x00\n\n>x\nAC\n\n>y\n\nGT\n")
    seed("fastq_min", b"\x00@r1 c\nACGTN\n+\nIIII#\n")

elif harness == "hgvs":
    header, rows = tsv_rows(refs / "catalogue" / "abl1_mutations.tsv")
    cells = set()
    for row in rows:
        r = dict(zip(header, row))
        cells.update([r.get("hgvs_p", ""), r.get("protein_change", "")])
        cells.update(x.strip() for x in r.get("nt_change_hgvs_c", "").split("|"))
    header, rows = tsv_rows(refs / "catalogue" / "slc19a1_variants.tsv")
    for row in rows:
        r = dict(zip(header, row))
        for col in ("hgvs_p", "hgvs_c_reference_frame", "nt_change_as_stated", "protein_change_as_stated"):
            cells.update(t.strip(",;.") for t in r.get(col, "").split() if "c." in t or "p." in t)
    header, rows = tsv_rows(refs / "catalogue" / "abl1_compound.tsv")
    for row in rows:
        r = dict(zip(header, row))
        cells.update(r.get("compound", "").split("/"))
    for i, c in enumerate(sorted(x for x in cells if x)):
        seed(f"cell_{i:04d}", c)

elif harness == "catalogue":
    path = refs / "catalogue" / "abl1_mutations.tsv"
    text = path.read_text()
    seed("abl1_mutations_full", text)
    lines = [l for l in text.splitlines(keepends=True) if not l.startswith("#")]
    head, body = lines[0], lines[1:]
    for i in range(0, len(body), 4):
        seed(f"abl1_rows_{i:03d}", head + "".join(body[i : i + 4]))
    seed("two_files", head + body[0] + "\n%%\n" + head + body[1])
    seed("duplicate_across_files", head + body[0] + "\n%%\n" + head + body[0])
    seed("slc19a1_as_user", (refs / "catalogue" / "slc19a1_variants.tsv").read_text())
    seed("compound_as_user", (refs / "catalogue" / "abl1_compound.tsv").read_text())

elif harness == "panel":
    fa = (refs / "panel" / "transcripts.fa").read_text()
    tx = (refs / "panel" / "transcripts.tsv").read_text()
    seg = (refs / "panel" / "segments.tsv").read_text()
    seed("transcripts_full", fa + "\n%%\n" + tx + "\n%%\n" + seg)
    seed("utr3_fasta_only", records((refs / "panel" / "utr3.fa").read_text(), ">", 4))
    seed("hairpins_fasta_only", records((refs / "panel" / "mirna_hairpins.fa").read_text(), ">", 6))
    seed("junctions_fasta_only", (refs / "source" / "BCR_ABL1_junctions.fa").read_text())
    # a small panel with a segment, so the segment checks are reached quickly
    seed("small_segment", ">p parent\nACGTACGTAC\nGTACGT\n>c child\nTTACGTACGG\n\n%%\n"
         "contig\tgene\tkind\tlength\tcds_start\tcds_end\tjunction_after\tnote\n"
         "p\tG\ttranscript\t16\t2\t13\t.\tx\nc\tG\tfusion\t10\t.\t.\t2\ty\n"
         "\n%%\ncontig\tstart\tend\tparent\tparent_start\nc\t3\t9\tp\t5\n")

elif harness == "exons":
    text = (refs / "panel" / "exons.tsv").read_text()
    seed("exons_full", text)
    lines = text.splitlines(keepends=True)
    seed("exons_head", "".join(lines[:4]))
    seed("exons_crlf", "".join(lines[:4]).replace("\n", "\r\n"))

elif harness == "sample_sheet":
    seed("workflow_demo", (src / "workflows" / "demo_samples.tsv").read_text())
    seed("bam_rows", "# sheet\nsample\tbam\nA\tdemo.bam\nB\t/abs/b.cram\n")
    seed("fastq_rows", "sample\tfastq_1\tfastq_2\np1\tp1_R1.fq.gz\tp1_R2.fq.gz\np2\tp2.fq\tNA\n")
    seed("mixed_crlf", "sample\tfastq_1\tfastq_2\tbam\r\nx\t.\t\tx.bam\r\n\r\ny\ty_1.fq\t\t\t\t\r\n")
    seed("reordered", "bam\tnotes\tsample\nx.bam\tn\tx\n")

elif harness == "mirna_inputs":
    # byte 0 = input kind (mirna_inputs_fuzz.cpp): 0 UTR FASTA, 1 miRNA FASTA, 2 --mirnas names and --genes
    utr = (refs / "panel" / "utr3.fa").read_text()
    seed("utrs_bundled", b"\x00" + utr.encode())
    seed("utr_small", b"\x00>u1 gene=ABCB1\nACGUACGUNNacgt\n>u2\nGGGG\n")
    matures = (refs / "panel" / "mirna_matures.fa").read_text()
    seed("matures_head", b"\x01" + records(matures, ">", 20).encode())
    seed("names", b"\x02default\nmiR-21\nhsa-miR-451a\nMIMAT0000076\nseed:AGCUUAU\nfamily:hsa-miR-17-5p\n"
         b"miR-221/222\ngenes:ABCG2\ngenes:MDR1\n")
    seed("names_all", b"\x02all\n")

elif harness == "report":
    # the committed corpus (tests/fuzz/corpus/report) holds result.json documents of `chemores call` on the demo
    # data, trimmed (12 coverage bins, one call per status, short sources) to stay within -max_len
    seed("not_a_result", '{"schema":"chemores-call","schema_version":1,"samples":[]}\n')

elif harness == "utr_annotation":
    text = (refs / "panel" / "utr3.tsv").read_text()
    seed("utr3_full", text)
    head, *rows = text.splitlines(keepends=True)
    for i, r in enumerate(rows):
        seed(f"utr3_row{i}", head + r)
    seed("tx_and_genome", head + "U1\tG1\tNM_1.1\t10\tNM_1.1 tx 5..14; GRCh38 chr1:100-109(+) for UTR 1..10\n")

elif harness == "mirna_vcf":
    # byte 0 = mode (fuzz_util.hpp present()); records with the right REF in UTR, transcript and genome coordinates
    fa = {}
    for block in (refs / "panel" / "utr3.fa").read_text().split(">")[1:]:
        head, *seq = block.splitlines()
        fa[head.split()[0]] = "".join(seq).upper()
    comp = {"A": "T", "C": "G", "G": "C", "T": "A", "N": "N"}
    other = {"A": "G", "C": "T", "G": "A", "T": "C", "N": "A"}
    head = "##fileformat=VCFv4.2\n##reference=%s\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ts1\n"
    rec = "{}\t{}\t.\t{}\t{}\t.\tPASS\t.\tGT\t0/1\n"
    a, g, p = fa["ABCB1_3UTR"], fa["ABCG2_3UTR"], fa["PTEN_3UTR"]
    utr = (rec.format("ABCB1_3UTR", 10, a[9], other[a[9]]) + rec.format("ABCB1_3UTR", 20, a[19:22], a[19])
           + rec.format("ABCB1_3UTR", 30, a[29], a[29] + "GT") + rec.format("PTEN_3UTR", 5, p[4], other[p[4]] + ",<DEL>,*")
           + rec.format("ABCB1_3UTR", len(a), a[-1], other[a[-1]]))
    tx = rec.format("NM_000927.5", 4309 + 99, a[99], other[a[99]]) + rec.format("NM_000314", 2244 + 9, p[9], other[p[9]])
    # ABCG2: GRCh38 chr4:88090265-88092234(-): UTR position i is genome 88092234 - (i - 1), base complemented
    g38 = "".join(rec.format("chr4", 88092234 - (i - 1), comp[g[i - 1]], other[comp[g[i - 1]]]) for i in (1, 50, 1970))
    g38 += rec.format("4", 88092234 - 60, comp[g[60]] + comp[g[59]], comp[g[60]])
    # PTEN: hg19 chr10:89725230-89728532(+) for UTR 1..3303
    h19 = "".join(rec.format("chr10", 89725230 + i - 1, p[i - 1], other[p[i - 1]]) for i in (1, 100, 3303))
    for mode, tag in ((0, "plain"), (1, "gzip"), (2, "bgzf")):
        m = bytes([mode])
        seed(f"utr_{tag}", m + (head % "GRCh38" + utr).encode())
        seed(f"transcript_{tag}", m + (head % "GRCh38" + tx).encode())
        seed(f"grch38_{tag}", m + (head % "GRCh38" + g38).encode())
        seed(f"hg19_{tag}", m + (head % "hg19" + h19).encode())
    seed("bgzf_noeof", bytes([2 | 16]) + (head % "GRCh38" + utr).encode())
    seed("no_header", b"\x00#CHROM\tPOS\n")

elif harness == "cli":
    names = set()
    for cpp in sorted((src / "src" / "cli").glob("*.cpp")):
        text = cpp.read_text()
        for m in re.finditer(r'add_(?:option|flag|subcommand)\(\s*"([^"]+)"', text):
            for n in m.group(1).split(","):
                names.add(n.strip())
        for m in re.finditer(r'\{"([a-z]+)", "', text):
            names.add(m.group(1))
    if dict_out:
        with open(dict_out, "w") as f:
            for n in sorted(x for x in names if x):
                f.write('"%s"\n' % n.replace("\\", "\\\\").replace('"', '\\"'))
    # the committed corpus (tests/fuzz/corpus/cli) holds the hand-written command lines
    seed("help", "--help\n")

else:
    sys.exit(f"make_seeds.py: unknown harness {harness}")

for name, data in seeds.items():
    (out_dir / name).write_bytes(data)
