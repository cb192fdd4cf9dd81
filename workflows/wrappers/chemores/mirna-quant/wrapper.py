"""Snakemake wrapper for `chemores mirna quant`: small-RNA FASTQ -> counts.tsv (+ CPM, isomiRs, mirGFF3)."""

__author__ = "chemores developers"

import os

from snakemake.shell import shell

extra = snakemake.params.get("extra", "")
samples = snakemake.params.get("samples", "")
names = f"--samples {samples}" if samples else ""
log = snakemake.log_fmt_shell(stdout=True, stderr=True)
outdir = os.path.dirname(str(snakemake.output.counts)) or "."
shell("chemores mirna quant -@ {snakemake.threads} {names} {extra} -o {outdir:q} {snakemake.input:q} {log}")
