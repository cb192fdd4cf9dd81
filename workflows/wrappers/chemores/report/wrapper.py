"""Snakemake wrapper for `chemores report`: result.json file(s) -> self-contained HTML (+ MultiQC content)."""

__author__ = "chemores developers"

from snakemake.shell import shell

extra = snakemake.params.get("extra", "")
log = snakemake.log_fmt_shell(stdout=True, stderr=True)
multiqc = snakemake.output.get("multiqc")
mqc = f"--multiqc {multiqc}" if multiqc else ""
shell("chemores report {mqc} {extra} -o {snakemake.output.html:q} {snakemake.input:q} {log}")
