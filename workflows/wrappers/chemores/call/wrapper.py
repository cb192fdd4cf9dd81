"""Snakemake wrapper for `chemores call`: BAM/CRAM or FASTQ -> calls.tsv, result.json, calls.vcf.gz in one directory."""

__author__ = "chemores developers"

import os

from snakemake.shell import shell

extra = snakemake.params.get("extra", "")
log = snakemake.log_fmt_shell(stdout=True, stderr=True)
outputs = {os.path.dirname(str(f)) for f in snakemake.output}
if len(outputs) != 1:
    raise ValueError("chemores call writes into one directory: every output must be in the same directory")
outdir = outputs.pop() or "."
shell("chemores call -@ {snakemake.threads} {extra} -o {outdir:q} {snakemake.input:q} {log}")
