"""Snakemake wrapper for `chemores annotate`: BAMs -> BAMs whose reads carry mutation/fusion tags, + a summary table."""

__author__ = "chemores developers"

import os

from snakemake.shell import shell

extra = snakemake.params.get("extra", "")
log = snakemake.log_fmt_shell(stdout=True, stderr=True)
outdir = os.path.dirname(str(snakemake.output.summary)) or "."
shell("chemores annotate -@ {snakemake.threads} {extra} -o {outdir:q} {snakemake.input:q} {log}")
