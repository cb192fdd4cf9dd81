"""Snakemake wrapper for `chemores align`: reads -> sorted, indexed BAM against the chemores resistance panel."""

__author__ = "chemores developers"

from snakemake.shell import shell

extra = snakemake.params.get("extra", "")
log = snakemake.log_fmt_shell(stdout=True, stderr=True)
reads = snakemake.input.get("reads", snakemake.input)
index = "--write-index" if snakemake.output.get("bai") else ""
shell(
    "chemores align -@ {snakemake.threads} --sort {index} --no-progress {extra} "
    "-o {snakemake.output.bam:q} {reads:q} {log}"
)
