#!/usr/bin/env bash
# The bad-input matrix: every subcommand (align, call, catalogue list|validate|show, mirna sites, mirna quant,
# annotate, report) run on missing, empty, wrong-format, truncated and malformed inputs and on contradictory options.
# Each case asserts the exit status (1 = bad input data, 2 = usage error), a piece of the message on stderr (which
# names the file, and the line or record where there is one), and that nothing is left behind: no output file or
# directory, no temporary file in an output directory, nothing on standard output.
#
# usage: bad_input_test.sh CHEMORES_BINARY REPOSITORY_ROOT
#
# The table (below, after the fixtures) has one case per line, fields separated by " | ":
#   name | command | exit status | stderr pattern | must not exist | may exist
# * command: run by bash in a fresh, empty directory; $C is the chemores binary, $F the fixture directory, $R the
#   repository root. `unchanged FILE CMD...` runs CMD and fails (status 99) if it modified FILE.
# * stderr pattern: literal text that stderr must contain; '*' (the only wildcard) matches anything. 'stdout: TEXT'
#   matches standard output instead (a --dry-run report), and then a message on stderr is not required.
# * must not exist: paths (relative to the case directory) that must not exist afterwards; '-' = none.
# * may exist: what the case may leave in its directory (bash globs, e.g. 'out out/[!.]*'); 'stdout' allows output on
#   standard output (otherwise a failing case must print nothing there); '-' = nothing. Anything else found in the
#   directory afterwards -- a partial output, a temporary file, an empty output directory -- fails the case.
# Every failing case must also have its message on a line starting 'chemores <command>: error: ', and no case may
# crash, report an internal error or a sanitizer finding.
#
# A case listed in `known` (below the table) is a known failure: its result is reported as XFAIL and does not fail
# the test; if it passes (XPASS) the test fails, so that the list is kept up to date.
set -uo pipefail
export LC_ALL=C
unset CHEMORES_SIMD

if [[ $# -ne 2 ]]; then
    echo "usage: $0 CHEMORES_BINARY REPOSITORY_ROOT" >&2
    exit 2
fi
C=$(readlink -f "$1")
R=$(readlink -f "$2")
[[ -x $C ]] || { echo "FAIL: $1 is not an executable" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/chemores-bad-input.XXXXXX")
trap 'rm -rf "$work"' EXIT
F=$work/fixtures
mkdir -p "$F" "$work/cases"
export C F R
start=$SECONDS

unchanged()
{
    local f=$1 before rc
    shift
    before=$(md5sum < "$f")
    "$@"
    rc=$?
    if [[ $(md5sum < "$f") != "$before" ]]; then
        echo "TEST: $f was modified by a failed run" >&2
        return 99
    fi
    return $rc
}
export -f unchanged

fixture_fail()
{
    echo "FAIL: cannot build the fixtures: $*" >&2
    exit 1
}

# ---------------------------------------------------------------------------------------------------------------
# Fixtures. Valid inputs first, made with chemores itself from the demo data (all deterministic), then broken ones.
demo=$R/test_data/demo
cat_tsv=$R/references/catalogue/abl1_mutations.tsv
(
    cd "$F" || exit 1
    set -e
    "$C" align --sort --write-index -o demo.bam "$demo/demo_R1.fq.gz" "$demo/demo_R2.fq.gz" 2> align.log
    "$C" call -o call demo.bam 2> call.log
    cp call/result.json result.json
    "$C" mirna quant -o quant "$demo/demo_smallrna.fq.gz" 2> quant.log
    cp quant/counts.tsv counts.tsv
) || fixture_fail "chemores align/call/mirna quant on the demo data failed (see above)"
cd "$F" || exit 1
zcat "$demo/demo_R1.fq.gz" | head -n 400 > small_R1.fq
zcat "$demo/demo_R2.fq.gz" | head -n 400 > small_R2.fq
zcat "$demo/demo_smallrna.fq.gz" > smallrna.fq
cp small_R1.fq lonely_R1.fq
# A PNG signature followed by deterministic binary bytes.
{ printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10'; gzip -n -c < "$R/references/panel/utr3.tsv" | head -c 400; } > junk.png
cp junk.png junk.bam
: > empty.fq; : > empty.bam; : > empty.tsv; : > empty.json; : > empty.vcf; : > empty.fa; : > empty.list
printf '>x\nACGTACGTACGTACGTACGT\n' > a.fa
cp a.fa fasta.bam
cp small_R1.fq fastq.bam
cp result.json result.fq
# Truncated: gzip cut short, BAM cut short (its index beside it, so that only the data is at fault), a BAM with a
# damaged block in the middle (end-of-file marker intact), FASTQ records without their '+'/quality line,
# result.json cut in half, a SAM cut inside a record, counts.tsv cut inside a row.
head -c 100000 "$demo/demo_R2.fq.gz" > trunc_R2.fq.gz
head -c 200 "$demo/demo_smallrna.fq.gz" > trunc_smallrna.fq.gz
head -c 20000 demo.bam > trunc.bam
cp demo.bam.bai trunc.bam.bai
cp demo.bam corrupt.bam
cp demo.bam.bai corrupt.bam.bai
printf 'GARBAGE%.0s' {1..100} | dd of=corrupt.bam bs=1 seek=60000 conv=notrunc status=none
head -n 399 small_R1.fq > noqual.fq
head -n 398 small_R1.fq > noplus.fq
head -n 6 smallrna.fq > noplus_smallrna.fq
n=$(wc -c < result.json)
head -c $((n / 2)) result.json > half.json
"$C" align -o demo.sam small_R1.fq 2> /dev/null || fixture_fail "align to SAM"
head -c 6000 demo.sam > trunc.sam
head -n 40 counts.tsv > counts_trunc.tsv
sed -n 41p counts.tsv | cut -f1 | tr -d '\n' >> counts_trunc.tsv
gzip -n -c "$R/references/panel/utr3.fa" | head -c 1500 > utr_trunc.fa.gz
{ cat counts.tsv; sed -n 2p counts.tsv; } > counts_dup.tsv
printf 'mirna\tS1\nhsa-miR-21-5p\tabc\n' > counts_nan.tsv
# Malformed content.
printf '@r1\nACGTACGTAC\n+\nIIII\n' > badqual.fq
printf '@r1\nACGTACGTAC\n+\nIII IIIIII\n' > badqual_char.fq
printf '@r1\nAC12ACGTAC\n+\nIIIIIIIIII\n' > badbase.fq
printf '@r1\nACGTACGTACGTACGTACGT\n+\nIII\n' > badqual_smallrna.fq
head -n 200 small_R2.fq > short_R2.fq
printf '@a/1\nACGTACGTAC\n+\nIIIIIIIIII\n@b/2\nACGTACGTAC\n+\nIIIIIIIIII\n' > badmates.fq
printf '@a/1\nACGTACGTAC\n+\nIIIIIIIIII\n' > odd.fq
cp small_R1.fq small_copy.fq
# SAM/BAM on another reference (chrZ): aligned with --reference, so it is sorted and indexed.
printf '>chrZ\n%s\n' "$(head -c 3000 < <(yes ACGTTGCAAC | tr -d '\n'))" > chrZ.fa
"$C" align --reference chrZ.fa --sort --write-index -o other.bam small_R1.fq 2> /dev/null || fixture_fail "chrZ BAM"
printf '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chrZ\tLN:1000\nr1\t0\tchrZ\t1\t60\t4M\t*\t0\t0\tACGT\tIIII\n' > other.sam
"$C" align -o unsorted.bam small_R1.fq 2> /dev/null || fixture_fail "unsorted BAM" # @HD SO:unsorted
cp demo.bam noidx.bam
# Catalogues (user TSV with the columns of abl1_mutations.tsv), from the bundled T315I row.
t315i=$(grep -P '\tT315I\tp\.' "$cat_tsv") || fixture_fail "no T315I row in $cat_tsv"
header=$(head -n 1 "$cat_tsv")
printf '%s\n' "$header" > cat_header_only.tsv
printf '%s\n%s\n' "$header" "$(sed 's/\tACT\t/\tACC\t/' <<< "$t315i")" > cat_wrong_ref.tsv
printf '%s\n%s\n' "$header" "$(sed 's/c\.944C>T/c.944C>>T/' <<< "$t315i")" > cat_bad_hgvs_c.tsv
printf '%s\n%s\n' "$header" "$(sed 's/p\.Thr315Ile/p.Thr315Xyz/' <<< "$t315i")" > cat_bad_hgvs_p.tsv
printf '%s\n%s\n' "$header" "$(cut -f1-10 <<< "$t315i")" > cat_short_row.tsv
printf '%s\n%s\n' "$header" "$(awk -F'\t' 'BEGIN { OFS = "\t" } { $5 = "9999"; print }' <<< "$t315i")" > cat_bad_codon.tsv
printf '%s\n%s\n' "$header" "$(awk -F'\t' 'BEGIN { OFS = "\t" } { $15 = "maybe"; print }' <<< "$t315i")" > cat_bad_effect.tsv
printf '%s\n%s\n' "$header" "$t315i" > cat_t315i.tsv
{ head -n 3 "$cat_tsv"; sed -n 4p "$cat_tsv" | cut -f1-10 | tr -d '\n'; } > cat_trunc.tsv
gzip -n -c "$cat_tsv" > cat.tsv.gz
# Sample sheets for call.
printf 'sample\tbam\nA\tdemo.bam\nA\tdemo.bam\n' > sheet_dup.tsv
printf 'name\tbam\nA\tdemo.bam\n' > sheet_no_sample.tsv
printf 'sample\tfile\nA\tdemo.bam\n' > sheet_no_bam.tsv
printf 'sample\tbam\n' > sheet_header_only.tsv
printf 'sample\tbam\tfastq_1\nA\tdemo.bam\tsmall_R1.fq\n' > sheet_both.tsv
printf 'sample\tbam\nA B\tdemo.bam\n' > sheet_space.tsv
printf 'sample\tbam\nA\tmissing.bam\n' > sheet_missing_bam.tsv
printf 'sample\tbam\tsample\nA\tdemo.bam\tB\n' > sheet_column_twice.tsv
printf 'sample\tbam\nA\tdemo.bam\tsmall_R1.fq\n' > sheet_extra_cell.tsv
printf 'sample\tbam\nA\tdemo.bam\n' | gzip -n -c > sheet.tsv.gz
# VCFs for mirna sites --vcf (ABCB1_3UTR position 10 is a G).
vh='##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n'
printf "${vh}ABCB1_3UTR\t10\t.\tG\tA\t.\t.\t.\n" > ok.vcf
printf "${vh}ABCB1_3UTR\tten\t.\tG\tA\t.\t.\t.\n" > vcf_bad_pos.vcf
printf "${vh}ABCB1_3UTR\t0\t.\tG\tA\t.\t.\t.\n" > vcf_pos0.vcf
printf "${vh}ABCB1_3UTR\t10\t.\tG" > vcf_truncated.vcf
printf "${vh}ABCB1_3UTR\t10\t.\tT\tA\t.\t.\t.\n" > vcf_wrong_ref.vcf
printf "${vh}ABCB1_3UTR\t10\t.\tG\tQ\t.\t.\t.\n" > vcf_bad_alt.vcf
printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nABCB1_3UTR\t10\t.\tG\tA\t.\t.\t.\n' > vcf_no_fileformat.vcf
printf '##fileformat=VCFv4.2\nABCB1_3UTR\t10\t.\tG\tA\t.\t.\t.\n' > vcf_no_header.vcf
gzip -n -c ok.vcf | head -c 60 > vcf_trunc.vcf.gz
# UTR files that are not FASTA, or not nucleotides.
printf '>u1\nACGTXYZ123ACGT\n' > utr_bad_chars.fa
printf 'ACGTACGTACGT\n' > utr_no_header.fa
printf '>a\nACGTACGTACGT\n>a\nACGTACGTACGT\n' > utr_dup_names.fa
# result.json variants for report.
printf '{"schema":"something-else","schema_version":1}\n' > other_schema.json
printf '[1,2,3]\n' > array.json
sed 's/^  "schema_version": 1$/  "schema_version": 99/' result.json > v99.json
grep -q '"schema_version": 99' v99.json || fixture_fail "cannot edit schema_version in result.json"
# samples[0].drugs[1].verdict -> 'maybe'; samples[0].calls removed (python3 if available, else skipped below).
have_python=0
if command -v python3 > /dev/null; then
    have_python=1
    python3 - << 'EOF' || fixture_fail "python3 edit of result.json"
import json
d = json.load(open("result.json"))
d["samples"][0]["drugs"][1]["verdict"] = "maybe"
json.dump(d, open("bad_verdict.json", "w"))
d = json.load(open("result.json"))
del d["samples"][0]["calls"]
json.dump(d, open("no_calls.json", "w"))
EOF
fi
printf 'x\n' > keep.txt
cd "$work" || exit 1

# ---------------------------------------------------------------------------------------------------------------
# The table.
cases=$(cat << 'EOF'
# ---- align
align/missing-file | $C align -o out.bam $F/missing.fq | 1 | chemores align: error: */missing.fq: cannot open: No such file or directory | out.bam | -
align/empty-fastq-is-a-warning | $C align -o out.bam $F/empty.fq | 0 | chemores align: warning: the input holds no reads; the output has a header only | - | out.bam
align/png-as-fastq | $C align -o out.bam $F/junk.png | 1 | chemores align: error: */junk.png line 1: not FASTA or FASTQ | out.bam | -
align/json-as-fastq | $C align -o out.bam $F/result.fq | 1 | chemores align: error: */result.fq line 1: not FASTA or FASTQ | out.bam | -
align/truncated-gzip-R2 | $C align -o out.bam $R/test_data/demo/demo_R1.fq.gz $F/trunc_R2.fq.gz | 1 | chemores align: error: */trunc_R2.fq.gz line *: read error: truncated or corrupt compressed input | out.bam | -
align/truncated-bam | $C align -o out.bam $F/trunc.bam | 1 | chemores align: error: */trunc.bam record *: truncated or corrupt SAM/BAM/CRAM record | out.bam | -
align/corrupt-bam-block | $C align -o out.bam $F/corrupt.bam | 1 | chemores align: error: */corrupt.bam record *: truncated or corrupt SAM/BAM/CRAM record | out.bam | -
align/fastq-last-record-no-quality | $C align -o out.bam $F/noqual.fq | 1 | chemores align: error: */noqual.fq line 397: truncated FASTQ record '*': no quality line | out.bam | -
align/fastq-last-record-no-plus | $C align -o out.bam $F/noplus.fq | 1 | chemores align: error: */noplus.fq line 397: truncated FASTQ record '*': no '+' line | out.bam | -
align/fastq-quality-length | $C align -o out.bam $F/badqual.fq | 1 | chemores align: error: */badqual.fq line 4: FASTQ record 'r1': quality length 4 differs from sequence length 10 | out.bam | -
align/fastq-quality-character | $C align -o out.bam $F/badqual_char.fq | 1 | chemores align: error: */badqual_char.fq line 4: FASTQ record 'r1': quality character outside Phred+33 range | out.bam | -
align/fastq-bad-base | $C align -o out.bam $F/badbase.fq | 1 | chemores align: error: */badbase.fq line 2: character '1' at column 3 is not an IUPAC nucleotide code | out.bam | -
align/mates-unequal-count | $C align -o out.bam $F/small_R1.fq $F/short_R2.fq | 1 | chemores align: error: */short_R2.fq: has fewer reads than */small_R1.fq * it ended after record 50 | out.bam | -
align/interleaved-names-differ | $C align -p -o out.bam $F/badmates.fq | 1 | chemores align: error: */badmates.fq record 2: mate names differ: 'a/1' and 'b/2' | out.bam | -
align/interleaved-odd-count | $C align -p -o out.bam $F/odd.fq | 1 | chemores align: error: */odd.fq: interleaved input has an odd number of reads | out.bam | -
align/reference-not-fasta | $C align --reference $F/junk.png -o out.bam $F/small_R1.fq | 1 | chemores align: error: */junk.png line 1: not FASTA or FASTQ | out.bam | -
align/reference-empty | $C align --reference $F/empty.fa -o out.bam $F/small_R1.fq | 1 | chemores align: error: */empty.fa: not FASTA or contains no sequences | out.bam | -
align/reference-missing | $C align --reference $F/missing.fa -o out.bam $F/small_R1.fq | 2 | chemores align: error: --reference: File does not exist: */missing.fa | out.bam | -
align/existing-output-kept | cp $F/keep.txt out.bam && unchanged out.bam $C align -o out.bam $F/badqual.fq | 1 | chemores align: error: */badqual.fq line 4: | - | out.bam
align/output-dir-missing | $C align -o nodir/out.bam $F/small_R1.fq | 1 | chemores align: error: cannot write nodir/out.bam | nodir | -
align/stats-dir-missing | $C align --stats nodir/s.json -o out.bam $F/small_R1.fq | 1 | chemores align: error: cannot write nodir/s.json | out.bam nodir | -
align/threads-0 | $C align -@ 0 -o out.bam $F/small_R1.fq | 2 | chemores align: error: --threads: Value 0 not in range 1 to 1024 | out.bam | -
align/min-length-above-max | $C align --preset mirna --min-length 30 --max-length 20 -o out.bam $F/smallrna.fq | 2 | chemores align: error: --min-length 30 is larger than --max-length 20 | out.bam | -
align/write-index-without-sort | $C align --write-index -o out.bam $F/small_R1.fq | 2 | chemores align: error: --write-index needs coordinate-sorted output: add --sort | out.bam | -
align/write-index-sam | $C align --sort --write-index -o out.sam $F/small_R1.fq | 2 | chemores align: error: --write-index needs BAM or CRAM output | out.sam | -
align/write-index-stdout | $C align --sort --write-index -o - $F/small_R1.fq | 2 | chemores align: error: --write-index needs an output file (-o FILE) | - | -
align/interleaved-with-two-files | $C align -p -o out.bam $F/small_R1.fq $F/small_R2.fq | 2 | chemores align: error: --interleaved reads both mates from one file | out.bam | -
align/same-file-as-R1-and-R2 | $C align -o out.bam $F/small_R1.fq $F/small_R1.fq | 2 | chemores align: error: R1 and R2 are the same file | out.bam | -
align/bam-and-fastq | $C align -o out.bam $F/demo.bam $F/small_R1.fq | 2 | chemores align: error: paired SAM/BAM/CRAM input is read from one file | out.bam | -
align/bad-read-group | $C align -R bogus -o out.bam $F/small_R1.fq | 2 | chemores align: error: -R must start with '@RG\t' | out.bam | -
align/adapter-not-acgt | $C align --preset mirna --adapter ACGN -o out.bam $F/smallrna.fq | 2 | chemores align: error: --adapter must consist of A, C, G, T | out.bam | -
align/bad-preset | $C align --preset rna -o out.bam $F/small_R1.fq | 2 | chemores align: error: --preset: rna not in | out.bam | -
align/bad-simd | $C align --simd neon -o out.bam $F/small_R1.fq | 2 | chemores align: error: unknown --simd target 'neon' | out.bam | -
align/unknown-fmt-option | $C align --output-fmt-option bogus=1 -o out.bam $F/small_R1.fq | 2 | chemores align: error: invalid --output-fmt-option 'bogus=1' | out.bam | -
align/fmt-level-not-a-number | $C align --output-fmt-option level=abc -o out.bam $F/small_R1.fq | 2 | chemores align: error: invalid --output-fmt-option 'level=abc': level must be 0-9 | out.bam | -
align/fmt-level-out-of-range | $C align --output-fmt-option level=99 -o out.bam $F/small_R1.fq | 2 | chemores align: error: invalid --output-fmt-option 'level=99': level must be 0-9 | out.bam | -
align/fmt-option-takes-one-value | $C align -o out.bam --output-fmt-option level=1 $F/small_R1.fq $F/small_R2.fq | 0 | chemores align: 200 reads in, 200 mapped, 100 of 100 pairs proper | - | out.bam
align/format-option-wins-over-extension | $C align -O BAM -o out.sam $F/small_R1.fq | 0 | chemores align: 100 reads in | - | out.sam
align/no-input | $C align -o out.bam | 2 | chemores align: error: inputs is required | out.bam | -
align/three-inputs | $C align -o out.bam $F/small_R1.fq $F/small_R2.fq $F/small_copy.fq | 2 | chemores align: error: | out.bam | -
# ---- call
call/missing-bam | $C call -o out $F/missing.bam | 1 | chemores call: error: */missing.bam: cannot read (sample 'missing', command line) | out | -
call/empty-bam | $C call -o out $F/empty.bam | 1 | chemores call: error: */empty.bam: not a SAM/BAM/CRAM file | out | -
call/fasta-as-bam | $C call -o out $F/fasta.bam | 1 | chemores call: error: */fasta.bam: not a SAM/BAM/CRAM file (htslib sees FASTA | out | -
call/fastq-as-bam | $C call -o out $F/fastq.bam | 1 | chemores call: error: */fastq.bam: not a SAM/BAM/CRAM file (htslib sees FASTQ | out | -
call/png-as-bam | $C call -o out $F/junk.bam | 1 | chemores call: error: */junk.bam: not a SAM/BAM/CRAM file | out | -
call/truncated-bam | $C call -o out $F/trunc.bam | 1 | chemores call: error: */trunc.bam: truncated or corrupt while reading | out | -
call/corrupt-bam-block | $C call -o out $F/corrupt.bam | 1 | chemores call: error: */corrupt.bam: truncated or corrupt while reading | out | -
call/truncated-bam-existing-dir | mkdir out && $C call -o out $F/trunc.bam | 1 | chemores call: error: */trunc.bam: truncated or corrupt | - | out
call/truncated-bam-nested-dir | $C call -o a/b/out $F/trunc.bam | 1 | chemores call: error: */trunc.bam: truncated or corrupt | a | -
call/not-sorted | $C call -o out $F/unsorted.bam | 1 | chemores call: error: */unsorted.bam: not sorted by coordinate (@HD SO:unsorted); run: samtools sort | out | -
call/no-index | $C call -o out $F/noidx.bam | 1 | chemores call: error: */noidx.bam: no index (.bai, .csi or .crai) beside it; run: samtools index | out | -
call/unknown-reference | $C call -o out $F/other.bam | 1 | chemores call: error: */other.bam: unknown reference: the @SQ lines (chrZ | out | -
call/empty-fastq | $C call -o out $F/empty.fq | 1 | chemores call: error: */empty.fq: no read passing the filters covers any catalogue codon | out | -
call/fastq-quality-length | $C call -o out $F/badqual.fq | 1 | chemores call: error: */badqual.fq line 4: FASTQ record 'r1': quality length 4 differs from sequence length 10 | out | -
call/truncated-gzip-fastq | $C call -o out $F/trunc_R2.fq.gz | 1 | chemores call: error: */trunc_R2.fq.gz line *: read error: truncated or corrupt compressed input | out | -
call/json-as-fastq | $C call -o out $F/result.fq | 1 | chemores call: error: */result.fq line 1: not FASTA or FASTQ | out | -
call/sheet-duplicate-names | $C call -o out --samples $F/sheet_dup.tsv | 1 | chemores call: error: */sheet_dup.tsv line 3: sample 'A' is named again (first on line 2) | out | -
call/sheet-column-twice | $C call -o out --samples $F/sheet_column_twice.tsv | 1 | chemores call: error: */sheet_column_twice.tsv line 1: the header names column 'sample' twice | out | -
call/sheet-extra-cell | $C call -o out --samples $F/sheet_extra_cell.tsv | 1 | chemores call: error: */sheet_extra_cell.tsv line 2: the row has 3 cells, the header 2 (cell 3 is 'small_R1.fq') | out | -
call/sheet-gzip | $C call -o out --samples $F/sheet.tsv.gz | 1 | chemores call: error: */sheet.tsv.gz line 1: not a text sample sheet (binary data or control characters) | out | -
call/sheet-no-sample-column | $C call -o out --samples $F/sheet_no_sample.tsv | 1 | chemores call: error: */sheet_no_sample.tsv line 1: the header must name a 'sample' column | out | -
call/sheet-no-bam-column | $C call -o out --samples $F/sheet_no_bam.tsv | 1 | chemores call: error: */sheet_no_bam.tsv line 1: the header must have a 'bam' or a 'fastq_1' column | out | -
call/sheet-empty | $C call -o out --samples $F/empty.tsv | 1 | chemores call: error: */empty.tsv: empty sample sheet (no header line) | out | -
call/sheet-header-only | $C call -o out --samples $F/sheet_header_only.tsv | 1 | chemores call: error: */sheet_header_only.tsv: the sample sheet lists no samples | out | -
call/sheet-bam-and-fastq | $C call -o out --samples $F/sheet_both.tsv | 1 | chemores call: error: */sheet_both.tsv line 2: give either bam or fastq_1 | out | -
call/sheet-name-with-space | $C call -o out --samples $F/sheet_space.tsv | 1 | chemores call: error: */sheet_space.tsv line 2: sample name 'A B' contains a space or a slash | out | -
call/sheet-missing-bam | $C call -o out --samples $F/sheet_missing_bam.tsv | 1 | chemores call: error: */missing.bam: cannot read (sample 'A', */sheet_missing_bam.tsv line 2) | out | -
call/sheet-png | $C call -o out --samples $F/junk.png | 1 | chemores call: error: */junk.png line 1: the header must name a 'sample' column | out | -
call/sheet-missing | $C call -o out --samples $F/missing.tsv | 2 | chemores call: error: --samples: File does not exist: */missing.tsv | out | -
call/same-bam-twice | $C call -o out $F/demo.bam $F/demo.bam | 2 | chemores call: error: duplicate sample name 'demo' (command line) | out | -
call/fastq-mate-missing | $C call -o out $F/small_R1.fq $F/small_R2.fq $F/lonely_R1.fq | 2 | chemores call: error: the mate of */lonely_R1.fq (*/lonely_R2.fq) is not among the inputs | out | -
call/no-input | $C call -o out | 2 | chemores call: error: no input: give BAM/CRAM files | out | -
call/no-output | $C call $F/demo.bam | 2 | chemores call: error: --output is required | - | -
call/min-vaf-out-of-range | $C call -o out --min-vaf 2 $F/demo.bam | 2 | chemores call: error: --min-vaf must be a fraction in (0, 1) | out | -
call/alpha-zero | $C call -o out --alpha 0 $F/demo.bam | 2 | chemores call: error: --alpha must be in (0, 1) | out | -
call/max-bq-zero | $C call -o out --max-BQ 0 $F/demo.bam | 2 | chemores call: error: --max-BQ must be in 1..93 | out | -
call/min-alt-zero | $C call -o out --min-alt-molecules 0 $F/demo.bam | 2 | chemores call: error: --min-alt-molecules must be at least 1 | out | -
call/threads-0 | $C call -o out -@ 0 $F/demo.bam | 2 | chemores call: error: --threads: Value 0 not in range 1 to 1024 | out | -
call/catalogue-only-alone | $C call -o out --catalogue-only $F/demo.bam | 2 | chemores call: error: --catalogue-only needs at least one --catalogue FILE | out | -
call/catalogue-wrong-ref-codon | $C call -o out --catalogue-only --catalogue $F/cat_wrong_ref.tsv $F/demo.bam | 1 | chemores call: error: */cat_wrong_ref.tsv line 2: ref_codon ACC does not match the reference | out | -
call/catalogue-header-only | $C call -o out --catalogue-only --catalogue $F/cat_header_only.tsv $F/demo.bam | 1 | chemores call: error: */cat_header_only.tsv line 1: no entries | out | -
call/exons-not-a-table | $C call -o out --exons $F/junk.png $F/demo.bam | 1 | chemores call: error: */junk.png line 1: not an exon table | out | -
call/exons-empty | $C call -o out --exons $F/empty.tsv $F/demo.bam | 1 | chemores call: error: */empty.tsv: empty exon table | out | -
call/output-is-a-file | cp $F/keep.txt out && unchanged out $C call -o out $F/demo.bam | 1 | chemores call: error: out: cannot create the output directory | - | out
# ---- catalogue
catalogue/validate-missing-file | $C catalogue validate --catalogue $F/missing.tsv | 2 | chemores catalogue: error: --catalogue: File does not exist: */missing.tsv | - | -
catalogue/validate-empty | $C catalogue validate --catalogue $F/empty.tsv | 1 | chemores catalogue: error: */empty.tsv: empty: no header line | - | -
catalogue/validate-header-only | $C catalogue validate --catalogue $F/cat_header_only.tsv | 1 | chemores catalogue: error: */cat_header_only.tsv line 1: no entries: the file has a header line but no rows | - | -
catalogue/validate-png | $C catalogue validate --catalogue $F/junk.png | 1 | chemores catalogue: error: */junk.png line *the catalogue is not valid | - | -
catalogue/validate-gzip | $C catalogue validate --catalogue $F/cat.tsv.gz | 1 | chemores catalogue: error: */cat.tsv.gz line *the catalogue is not valid | - | -
catalogue/validate-fasta | $C catalogue validate --catalogue $R/references/panel/utr3.fa | 1 | chemores catalogue: error: */utr3.fa line 1: missing column(s) gene, protein_change | - | -
catalogue/validate-truncated | $C catalogue validate --catalogue-only --catalogue $F/cat_trunc.tsv | 1 | chemores catalogue: error: */cat_trunc.tsv line 4: expected * tab-separated columns (as in the header), found 10 | - | -
catalogue/validate-short-row | $C catalogue validate --catalogue-only --catalogue $F/cat_short_row.tsv | 1 | chemores catalogue: error: */cat_short_row.tsv line 2: expected * tab-separated columns (as in the header), found 10 | - | -
catalogue/validate-wrong-ref-codon | $C catalogue validate --catalogue-only --catalogue $F/cat_wrong_ref.tsv | 1 | chemores catalogue: error: */cat_wrong_ref.tsv line 2: ref_codon ACC does not match the reference: NM_005157.6 codon 315 (c.943-945) is ACT | - | -
catalogue/validate-malformed-hgvs-c | $C catalogue validate --catalogue-only --catalogue $F/cat_bad_hgvs_c.tsv | 1 | chemores catalogue: error: */cat_bad_hgvs_c.tsv line 2: malformed HGVS in nt_change_hgvs_c 'c.944C>>T' | - | -
catalogue/validate-malformed-hgvs-p | $C catalogue validate --catalogue-only --catalogue $F/cat_bad_hgvs_p.tsv | 1 | chemores catalogue: error: */cat_bad_hgvs_p.tsv line 2: malformed HGVS in hgvs_p 'p.Thr315Xyz' | - | -
catalogue/validate-codon-outside-cds | $C catalogue validate --catalogue-only --catalogue $F/cat_bad_codon.tsv | 1 | chemores catalogue: error: */cat_bad_codon.tsv line 2: codon 9999 is outside the CDS of NM_005157.6 | - | -
catalogue/validate-bad-drug-effect | $C catalogue validate --catalogue-only --catalogue $F/cat_bad_effect.tsv | 1 | chemores catalogue: error: */cat_bad_effect.tsv line 2: imatinib 'maybe' is not one of resistant, intermediate, sensitive, unknown | - | -
catalogue/validate-duplicate-of-bundled | $C catalogue validate --catalogue $F/cat_t315i.tsv | 1 | chemores catalogue: error: */cat_t315i.tsv line 2: duplicate entry ABL1:T315I (already defined at builtin:catalogue/abl1_mutations.tsv line | - | -
catalogue/list-wrong-ref-codon | $C catalogue list --catalogue-only --catalogue $F/cat_wrong_ref.tsv | 1 | chemores catalogue: error: */cat_wrong_ref.tsv line 2: ref_codon ACC does not match the reference | - | -
catalogue/list-header-only | $C catalogue list --catalogue-only --catalogue $F/cat_header_only.tsv | 1 | chemores catalogue: error: */cat_header_only.tsv line 1: no entries | - | -
catalogue/list-missing-file | $C catalogue list --catalogue $F/missing.tsv | 2 | chemores catalogue: error: --catalogue: File does not exist: */missing.tsv | - | -
catalogue/list-empty | $C catalogue list --catalogue $F/empty.tsv | 1 | chemores catalogue: error: */empty.tsv: empty: no header line | - | -
catalogue/list-png | $C catalogue list --catalogue $F/junk.png | 1 | chemores catalogue: error: */junk.png line | - | -
catalogue/list-truncated | $C catalogue list --catalogue-only --catalogue $F/cat_trunc.tsv | 1 | chemores catalogue: error: */cat_trunc.tsv line 4: expected * tab-separated columns (as in the header), found 10 | - | -
catalogue/show-missing-file | $C catalogue show T315I --catalogue $F/missing.tsv | 2 | chemores catalogue: error: --catalogue: File does not exist: */missing.tsv | - | -
catalogue/show-empty | $C catalogue show T315I --catalogue $F/empty.tsv | 1 | chemores catalogue: error: */empty.tsv: empty: no header line | - | -
catalogue/show-fasta | $C catalogue show T315I --catalogue $R/references/panel/utr3.fa | 1 | chemores catalogue: error: */utr3.fa line 1: missing column(s) | - | -
catalogue/show-truncated | $C catalogue show T315I --catalogue-only --catalogue $F/cat_trunc.tsv | 1 | chemores catalogue: error: */cat_trunc.tsv line 4: expected * tab-separated columns | - | -
catalogue/show-wrong-ref-codon | $C catalogue show T315I --catalogue-only --catalogue $F/cat_wrong_ref.tsv | 1 | chemores catalogue: error: */cat_wrong_ref.tsv line 2: ref_codon ACC does not match the reference | - | -
catalogue/show-reference-not-fasta | $C catalogue show T315I --reference $F/result.json | 1 | chemores catalogue: error: */result.json line 1: not FASTA or FASTQ | - | -
catalogue/list-reference-not-fasta | $C catalogue list --reference $F/junk.png | 1 | chemores catalogue: error: */junk.png line 1: not FASTA or FASTQ | - | -
catalogue/list-reference-empty | $C catalogue list --reference $F/empty.fa | 1 | chemores catalogue: error: */empty.fa: not FASTA or contains no sequences | - | -
catalogue/list-reference-wrong-contigs | $C catalogue list --reference $F/a.fa | 1 | chemores catalogue: error: builtin:catalogue/abl1_mutations.tsv line 2: the reference */a.fa has no contig NM_005157.6 | - | -
catalogue/list-catalogue-only-alone | $C catalogue list --catalogue-only | 2 | chemores catalogue: error: --catalogue-only needs at least one --catalogue FILE | - | -
catalogue/show-malformed-hgvs | $C catalogue show T315I --catalogue-only --catalogue $F/cat_bad_hgvs_c.tsv | 1 | chemores catalogue: error: */cat_bad_hgvs_c.tsv line 2: malformed HGVS | - | -
catalogue/show-unknown-entry | $C catalogue show T315X | 1 | chemores catalogue: error: no catalogue entry 'T315X'; closest: T315I | - | -
catalogue/show-no-name | $C catalogue show | 2 | chemores catalogue: error: name is required | - | -
catalogue/no-subcommand | $C catalogue | 2 | chemores catalogue: error: A subcommand is required | - | -
catalogue/two-subcommands | $C catalogue list validate | 2 | chemores catalogue: error: The following argument was not expected: validate | - | -
# ---- mirna sites
sites/utrs-missing | $C mirna sites --utrs $F/missing.fa -o out.tsv | 2 | chemores mirna sites: error: --utrs: File does not exist: */missing.fa | out.tsv | -
sites/utrs-empty | $C mirna sites --utrs $F/empty.fa -o out.tsv | 1 | chemores mirna sites: error: */empty.fa: no sequences: not a FASTA file, or empty | out.tsv | -
sites/utrs-png | $C mirna sites --utrs $F/junk.png -o out.tsv | 1 | chemores mirna sites: error: */junk.png line 1: not FASTA or FASTQ | out.tsv | -
sites/utrs-fastq | $C mirna sites --utrs $F/small_R1.fq -o out.tsv | 1 | chemores mirna sites: error: */small_R1.fq line 1: UTRs must be FASTA, not FASTQ | out.tsv | -
sites/utrs-json | $C mirna sites --utrs $F/result.json -o out.tsv | 1 | chemores mirna sites: error: */result.json line 1: not FASTA or FASTQ | out.tsv | -
sites/utrs-no-header | $C mirna sites --utrs $F/utr_no_header.fa -o out.tsv | 1 | chemores mirna sites: error: */utr_no_header.fa line 1: not FASTA or FASTQ | out.tsv | -
sites/utrs-not-nucleotides | $C mirna sites --utrs $F/utr_bad_chars.fa -o out.tsv | 1 | chemores mirna sites: error: */utr_bad_chars.fa line 2: character 'X' at column 5 is not an IUPAC nucleotide code | out.tsv | -
sites/utrs-duplicate-names | $C mirna sites --utrs $F/utr_dup_names.fa -o out.tsv | 1 | chemores mirna sites: error: */utr_dup_names.fa line 3: duplicate sequence name 'a' | out.tsv | -
sites/utrs-truncated-gzip | $C mirna sites --utrs $F/utr_trunc.fa.gz -o out.tsv | 1 | chemores mirna sites: error: */utr_trunc.fa.gz line *: read error: truncated or corrupt compressed input | out.tsv | -
sites/utr-annotation-png | $C mirna sites --utrs $R/references/panel/utr3.fa --utr-annotation $F/junk.png -o out.tsv | 1 | chemores mirna sites: error: */junk.png line 1: missing column 'utr' in the header | out.tsv | -
sites/vcf-empty | $C mirna sites --vcf $F/empty.vcf --variants v.tsv -o out.tsv | 1 | chemores mirna sites: error: */empty.vcf: empty file: not a VCF | out.tsv v.tsv | -
sites/vcf-bad-pos | $C mirna sites --vcf $F/vcf_bad_pos.vcf --variants v.tsv -o out.tsv | 1 | chemores mirna sites: error: */vcf_bad_pos.vcf line 3: invalid POS 'ten' | out.tsv v.tsv | -
sites/vcf-pos-zero | $C mirna sites --vcf $F/vcf_pos0.vcf --variants v.tsv -o out.tsv | 1 | chemores mirna sites: error: */vcf_pos0.vcf line 3: invalid POS '0' | out.tsv v.tsv | -
sites/vcf-truncated-line | $C mirna sites --vcf $F/vcf_truncated.vcf --variants v.tsv -o out.tsv | 1 | chemores mirna sites: error: */vcf_truncated.vcf line 3: expected at least 8 tab-separated columns | out.tsv v.tsv | -
sites/vcf-wrong-ref | $C mirna sites --vcf $F/vcf_wrong_ref.vcf --variants v.tsv -o out.tsv | 1 | chemores mirna sites: error: */vcf_wrong_ref.vcf line 3: REF T does not match ABCB1_3UTR at 10..10 (G) | out.tsv v.tsv | -
sites/vcf-bad-alt | $C mirna sites --vcf $F/vcf_bad_alt.vcf --variants v.tsv -o out.tsv | 1 | chemores mirna sites: error: */vcf_bad_alt.vcf line 3: invalid ALT allele 'Q' | out.tsv v.tsv | -
sites/vcf-no-fileformat | $C mirna sites --vcf $F/vcf_no_fileformat.vcf --variants v.tsv -o out.tsv | 1 | chemores mirna sites: error: */vcf_no_fileformat.vcf line 1: not a VCF file | out.tsv v.tsv | -
sites/vcf-data-before-header | $C mirna sites --vcf $F/vcf_no_header.vcf --variants v.tsv -o out.tsv | 1 | chemores mirna sites: error: */vcf_no_header.vcf line 2: data line before the #CHROM header line | out.tsv v.tsv | -
sites/vcf-truncated-gzip | $C mirna sites --vcf $F/vcf_trunc.vcf.gz --variants v.tsv -o out.tsv | 1 | chemores mirna sites: error: */vcf_trunc.vcf.gz line 1: read error: truncated or corrupt compressed input | out.tsv v.tsv | -
sites/vcf-png | $C mirna sites --vcf $F/junk.png --variants v.tsv -o out.tsv | 1 | chemores mirna sites: error: */junk.png line 1: not a VCF file | out.tsv v.tsv | -
sites/vcf-bam | $C mirna sites --vcf $F/demo.bam --json out.json -o out.tsv | 1 | chemores mirna sites: error: */demo.bam | out.tsv out.json | -
sites/mirnas-file-png | $C mirna sites --mirnas $F/junk.png -o out.tsv | 1 | chemores mirna sites: error: */junk.png line 1: not FASTA or FASTQ | out.tsv | -
sites/output-dir-missing | $C mirna sites -o out.tsv --bed out.bed --json nodir/out.json | 1 | chemores mirna sites: error: cannot write nodir/out.json | out.tsv out.bed nodir | -
sites/vcf-without-output | $C mirna sites --vcf $F/ok.vcf -o out.tsv | 2 | chemores mirna sites: error: --vcf needs --variants FILE (TSV) or --json FILE | out.tsv | -
sites/variants-without-vcf | $C mirna sites --variants v.tsv -o out.tsv | 2 | chemores mirna sites: error: --variants needs --vcf FILE | out.tsv v.tsv | -
sites/annotation-without-utrs | $C mirna sites --utr-annotation $R/references/panel/utr3.tsv -o out.tsv | 2 | chemores mirna sites: error: --utr-annotation describes the records of --utrs FILE | out.tsv | -
sites/two-outputs-one-file | $C mirna sites -o out.tsv --bed same.txt --gff3 same.txt | 2 | chemores mirna sites: error: two outputs are written to the same file 'same.txt' | out.tsv same.txt | -
sites/two-outputs-on-stdout | $C mirna sites --bed - | 2 | chemores mirna sites: error: only one output can go to standard output ('-') | - | -
sites/threads-0 | $C mirna sites -@ 0 -o out.tsv | 2 | chemores mirna sites: error: --threads: Value 0 not in range 1 to 1024 | out.tsv | -
sites/unknown-mirna | $C mirna sites --mirnas hsa-miR-nonexistent -o out.tsv | 2 | chemores mirna sites: error: unknown miRNA 'hsa-miR-nonexistent' | out.tsv | -
sites/mirna-name-too-long-for-a-path | $C mirna sites --mirnas mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm -o out.tsv | 2 | chemores mirna sites: error: unknown miRNA 'mmm* | out.tsv | -
sites/ambiguous-mirna | $C mirna sites --mirnas miR-155 -o out.tsv | 2 | chemores mirna sites: error: miRNA 'miR-155' is ambiguous: hsa-miR-155-5p or hsa-miR-155-3p | out.tsv | -
sites/bad-seed | $C mirna sites --mirnas seed:ACGXX -o out.tsv | 2 | chemores mirna sites: error: seed:ACGXX: a seed is 7 nucleotides | out.tsv | -
sites/unknown-gene | $C mirna sites --genes NOTAGENE -o out.tsv | 2 | chemores mirna sites: error: no UTR for gene 'NOTAGENE' | out.tsv | -
sites/bad-track-coords | $C mirna sites --track-coords chromosome --bed out.bed | 2 | chemores mirna sites: error: --track-coords: chromosome not in {utr,transcript,genome} | out.bed | -
# ---- mirna quant
quant/missing-file | $C mirna quant -o q $F/missing.fq | 1 | chemores mirna quant: error: */missing.fq: cannot open: No such file or directory | q | -
quant/empty-fastq-is-a-warning | $C mirna quant -o q $F/empty.fq | 0 | chemores mirna quant: warning: sample empty (*/empty.fq): the file holds no reads | - | q q/[!.]*
quant/last-record-no-plus | $C mirna quant -o q $F/noplus_smallrna.fq | 1 | chemores mirna quant: error: */noplus_smallrna.fq line 5: truncated FASTQ record * no '+' line | q | -
quant/fastq-last-record-no-quality | $C mirna quant -o q $F/noqual.fq | 1 | chemores mirna quant: error: */noqual.fq line 397: truncated FASTQ record '*': no quality line | q | -
quant/quality-length | $C mirna quant -o q $F/badqual_smallrna.fq | 1 | chemores mirna quant: error: */badqual_smallrna.fq line 4: FASTQ record 'r1': quality length 3 differs from sequence length 20 | q | -
quant/quality-character | $C mirna quant -o q $F/badqual_char.fq | 1 | chemores mirna quant: error: */badqual_char.fq line 4: FASTQ record 'r1': quality character outside Phred+33 range | q | -
quant/truncated-gzip | $C mirna quant -o q $F/trunc_smallrna.fq.gz | 1 | chemores mirna quant: error: */trunc_smallrna.fq.gz line *: read error: truncated or corrupt compressed input | q | -
quant/second-input-truncated | $C mirna quant -o q $F/smallrna.fq $F/trunc_smallrna.fq.gz | 1 | chemores mirna quant: error: */trunc_smallrna.fq.gz line *: read error: truncated or corrupt compressed input | q | -
quant/png | $C mirna quant -o q $F/junk.png | 1 | chemores mirna quant: error: */junk.png line 1: not FASTA or FASTQ | q | -
quant/json-as-fastq | $C mirna quant -o q $F/result.fq | 1 | chemores mirna quant: error: */result.fq line 1: not FASTA or FASTQ | q | -
quant/fasta | $C mirna quant -o q $R/references/panel/mirna_matures.fa | 1 | chemores mirna quant: error: */mirna_matures.fa: is FASTA; mirna quant reads FASTQ | q | -
quant/bam | $C mirna quant -o q $F/demo.bam | 1 | chemores mirna quant: error: */demo.bam line 1: not FASTA or FASTQ | q | -
quant/existing-dir-kept | mkdir q && cp $F/keep.txt q/counts.tsv && unchanged q/counts.tsv $C mirna quant -o q $F/badqual_smallrna.fq | 1 | chemores mirna quant: error: */badqual_smallrna.fq line 4: | - | q q/counts.tsv
quant/min-length-above-max | $C mirna quant -o q --min-length 30 --max-length 20 $F/smallrna.fq | 2 | chemores mirna quant: error: --min-length 30 is larger than --max-length 20 | q | -
quant/threads-0 | $C mirna quant -o q -@ 0 $F/smallrna.fq | 2 | chemores mirna quant: error: --threads: Value 0 not in range 1 to 1024 | q | -
quant/samples-count | $C mirna quant -o q --samples a,b $F/smallrna.fq | 2 | chemores mirna quant: error: --samples gives 2 names for 1 input files | q | -
quant/samples-duplicate | $C mirna quant -o q --samples a,a $F/smallrna.fq $F/small_R1.fq | 2 | chemores mirna quant: error: duplicate sample name 'a' | q | -
quant/same-file-twice | $C mirna quant -o q $F/smallrna.fq $F/smallrna.fq | 2 | chemores mirna quant: error: duplicate sample name 'smallrna' | q | -
quant/adapter-not-acgt | $C mirna quant -o q --adapter ACGTN $F/smallrna.fq | 2 | chemores mirna quant: error: --adapter must consist of A, C, G, T (got 'ACGTN') | q | -
quant/adapter-empty | $C mirna quant -o q --adapter '' $F/smallrna.fq | 2 | chemores mirna quant: error: --adapter is empty (use --adapter none to skip trimming) | q | -
quant/discard-untrimmed-without-adapter | $C mirna quant -o q --discard-untrimmed --adapter none $F/smallrna.fq | 2 | chemores mirna quant: error: --discard-untrimmed needs an adapter | q | -
quant/no-output | $C mirna quant $F/smallrna.fq | 2 | chemores mirna quant: error: --output is required | - | -
# ---- annotate (a failed input is reported in annotate_summary.tsv, which is written by design; its BAM is not)
annotate/missing-file | $C annotate -o out $F/missing.bam | 1 | chemores annotate: error: */missing.bam: cannot open: No such file or directory | out/missing.annotated.bam | out out/annotate_summary.tsv
annotate/empty | $C annotate -o out $F/empty.bam | 1 | chemores annotate: error: */empty.bam: not a SAM/BAM/CRAM file (htslib sees empty) | out/empty.annotated.bam | out out/annotate_summary.tsv
annotate/fasta-as-bam | $C annotate -o out $F/fasta.bam | 1 | chemores annotate: error: */fasta.bam: not a SAM/BAM/CRAM file (htslib sees FASTA | out/fasta.annotated.bam | out out/annotate_summary.tsv
annotate/png-as-bam | $C annotate -o out $F/junk.bam | 1 | chemores annotate: error: */junk.bam: not a SAM/BAM/CRAM file | out/junk.annotated.bam | out out/annotate_summary.tsv
annotate/truncated-bam | $C annotate -o out $F/trunc.bam | 1 | chemores annotate: error: */trunc.bam: truncated: the BGZF end-of-file marker is missing | out/trunc.annotated.bam out/trunc.annotated.bam.bai | out out/annotate_summary.tsv
annotate/corrupt-bam-block | $C annotate -o out $F/corrupt.bam | 1 | chemores annotate: error: */corrupt.bam: truncated or corrupt after record | out/corrupt.annotated.bam out/corrupt.annotated.bam.bai | out out/annotate_summary.tsv
annotate/truncated-sam | $C annotate -o out $F/trunc.sam | 1 | chemores annotate: error: */trunc.sam: truncated or corrupt after record | out/trunc.annotated.bam | out out/annotate_summary.tsv
annotate/unknown-reference | $C annotate -o out $F/other.sam | 1 | chemores annotate: error: */other.sam: unknown reference: the @SQ lines (chrZ (1000 bp)) | out/other.annotated.bam | out out/annotate_summary.tsv
annotate/one-good-one-bad | $C annotate -o out $F/demo.bam $F/trunc.bam | 1 | chemores annotate: error: */trunc.bam: truncated | out/trunc.annotated.bam | out out/annotate_summary.tsv out/demo.annotated.bam out/demo.annotated.bam.bai
annotate/dry-run-bad-input | $C annotate -o out --dry-run $F/trunc.bam | 1 | stdout: */trunc.bam: would FAIL: */trunc.bam: truncated: the BGZF end-of-file marker is missing*nothing was written (--dry-run) | out | stdout
annotate/bam-list-empty | $C annotate -o out --bam-list $F/empty.list | 1 | chemores annotate: error: */empty.list: the BAM list names no file | out | -
annotate/bam-list-missing | $C annotate -o out --bam-list $F/missing.list | 1 | chemores annotate: error: */missing.list: cannot open the BAM list | out | -
annotate/bam-list-binary | $C annotate -o out --bam-list $F/junk.png | 1 | chemores annotate: error: */junk.png line *: not a list of paths | out | -
annotate/bam-list-is-a-bam | $C annotate -o out --bam-list $F/demo.bam | 1 | chemores annotate: error: */demo.bam line *: not a list of paths | out | -
annotate/exons-not-a-table | $C annotate -o out --exons $F/junk.png $F/demo.bam | 1 | chemores annotate: error: */junk.png line 1: not an exon table | out | -
annotate/catalogue-malformed | $C annotate -o out --catalogue-only --catalogue $F/cat_bad_hgvs_c.tsv $F/demo.bam | 1 | chemores annotate: error: */cat_bad_hgvs_c.tsv line 2: malformed HGVS | out | -
annotate/same-output-name | $C annotate -o out $F/demo.bam $F/call/../demo.bam | 2 | chemores annotate: error: * would both be written to out/demo.annotated.bam | out | -
annotate/bad-tag | $C annotate -o out --tag X $F/demo.bam | 2 | chemores annotate: error: --tag 'X' is not a SAM tag name | out | -
annotate/same-tags | $C annotate -o out --tag XM --junction-tag XM $F/demo.bam | 2 | chemores annotate: error: --tag and --junction-tag must differ | out | -
annotate/jobs-0 | $C annotate -o out -j 0 $F/demo.bam | 2 | chemores annotate: error: --jobs: Value 0 not in range 1 to 256 | out | -
annotate/threads-0 | $C annotate -o out -@ 0 $F/demo.bam | 2 | chemores annotate: error: --threads: Value 0 not in range 1 to 1024 | out | -
annotate/no-input | $C annotate -o out | 2 | chemores annotate: error: no input: give BAM/CRAM/SAM files or --bam-list FILE | out | -
annotate/catalogue-only-alone | $C annotate -o out --catalogue-only $F/demo.bam | 2 | chemores annotate: error: --catalogue-only needs at least one --catalogue FILE | out | -
# ---- report
report/missing-file | $C report -o r.html $F/missing.json | 1 | chemores report: error: */missing.json: cannot open result.json: No such file or directory | r.html | -
report/empty | $C report -o r.html $F/empty.json | 1 | chemores report: error: */empty.json: empty file (expected the result.json of chemores call) | r.html | -
report/truncated-json | $C report -o r.html $F/half.json | 1 | chemores report: error: */half.json: not valid JSON (truncated or damaged result.json?): parse error at line | r.html | -
report/png | $C report -o r.html $F/junk.png | 1 | chemores report: error: */junk.png: not valid JSON | r.html | -
report/fastq | $C report -o r.html $F/small_R1.fq | 1 | chemores report: error: */small_R1.fq: not valid JSON | r.html | -
report/other-schema | $C report -o r.html $F/other_schema.json | 1 | chemores report: error: */other_schema.json: schema: not a result.json of chemores call | r.html | -
report/not-an-object | $C report -o r.html $F/array.json | 1 | chemores report: error: */array.json: not a chemores call result (the document is not a JSON object) | r.html | -
report/schema-version | $C report -o r.html $F/v99.json | 1 | chemores report: error: */v99.json: schema_version: version 99 is not supported | r.html | -
report/bad-verdict | $C report -o r.html $F/bad_verdict.json | 1 | chemores report: error: */bad_verdict.json: samples[0].drugs[1].verdict: 'maybe' is not one of | r.html | -
report/missing-field | $C report -o r.html $F/no_calls.json | 1 | chemores report: error: */no_calls.json: samples[0].calls: missing | r.html | -
report/same-sample-twice | $C report -o r.html $F/result.json $F/call/result.json | 1 | chemores report: error: * sample 'demo' is also in | r.html | -
report/existing-report-kept | cp $F/keep.txt r.html && unchanged r.html $C report -o r.html $F/half.json | 1 | chemores report: error: */half.json: not valid JSON | - | r.html
report/multiqc-not-created | $C report --multiqc mq -o r.html $F/half.json | 1 | chemores report: error: */half.json: not valid JSON | mq r.html | -
report/mirna-counts-truncated | $C report -o r.html --multiqc mq --mirna-counts $F/counts_trunc.tsv $F/result.json | 1 | chemores report: error: */counts_trunc.tsv line 41: 1 fields, the header has 2 | r.html mq | -
report/mirna-counts-duplicate-row | $C report -o r.html --mirna-counts $F/counts_dup.tsv $F/result.json | 1 | chemores report: error: */counts_dup.tsv line *: miRNA '*' is listed twice | r.html | -
report/mirna-counts-not-a-number | $C report -o r.html --mirna-counts $F/counts_nan.tsv $F/result.json | 1 | chemores report: error: */counts_nan.tsv line 2: count 'abc' for S1 is not a non-negative number | r.html | -
report/mirna-counts-empty | $C report -o r.html --mirna-counts $F/empty.tsv $F/result.json | 1 | chemores report: error: */empty.tsv: empty file (no header line) | r.html | -
report/mirna-counts-png | $C report -o r.html --mirna-counts $F/junk.png $F/result.json | 1 | chemores report: error: */junk.png line | r.html | -
report/mirna-dir-missing | $C report -o r.html --mirna $F/nodir $F/result.json | 1 | chemores report: error: */nodir: cannot open a miRNA counts table | r.html | -
report/nothing-to-write | $C report $F/result.json | 2 | chemores report: error: nothing to write: give -o OUT.html and/or --multiqc DIR | - | -
report/unknown-sample | $C report -o r.html --sample NOPE $F/result.json | 2 | chemores report: error: --sample 'NOPE' is not in the input (samples: demo) | r.html | -
report/mirna-and-mirna-counts | $C report -o r.html --mirna $F/quant --mirna-counts $F/counts.tsv $F/result.json | 2 | chemores report: error: --mirna excludes --mirna-counts | r.html | -
report/output-dir-missing | $C report -o nodir/r.html $F/result.json | 1 | chemores report: error: nodir/r.html: the directory nodir does not exist | nodir | -
report/output-is-a-directory | mkdir d && $C report -o d $F/result.json | 2 | chemores report: error: -o d is a directory; give the HTML file to write | - | d
report/no-input | $C report -o r.html | 2 | chemores report: error: results is required | r.html | -
# ---- the command line itself
cli/unknown-command | $C frobnicate | 2 | chemores: error: unknown command 'frobnicate' | - | -
cli/unknown-option | $C call -o out --frobnicate $F/demo.bam | 2 | chemores call: error: The following argument was not expected: --frobnicate | out | -
cli/mirna-no-subcommand | $C mirna | 2 | chemores mirna: error: A subcommand is required | - | -
EOF
)

# Known failures: case name -> why it is not fixed here. Keep this list short and explained.
declare -A known=()
if [[ $have_python == 0 ]]; then
    known[report/bad-verdict]="python3 is not installed: the fixture was not made"
    known[report/missing-field]="python3 is not installed: the fixture was not made"
fi

# ---------------------------------------------------------------------------------------------------------------
trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; s=${s%"${s##*[![:space:]]}"}; printf '%s' "$s"; }

# True if `text` contains the pieces of `pattern` between its '*' wildcards, in order (everything else literal).
contains_pattern()
{
    local text=$1 pattern=$2 piece
    while :; do
        piece=${pattern%%\**}
        [[ $text == *"$piece"* ]] || return 1
        text=${text#*"$piece"}
        [[ $pattern == *\** ]] || return 0
        pattern=${pattern#*\*}
    done
}

error_line=$'(^|\n)chemores( [a-z]+)*: error: ' # the samtools/bcftools form: "chemores <command>: error: "
total=0 passed=0 failed=0 xfail=0 xpass=0
failures=()
n=0
while IFS= read -r line; do
    [[ -z ${line//[[:space:]]/} || $line == \#* ]] && continue
    n=$((n + 1))
    rest=$line
    fields=()
    while [[ $rest == *" | "* ]]; do
        fields+=("$(trim "${rest%% | *}")")
        rest=${rest#* | }
    done
    fields+=("$(trim "$rest")")
    if [[ ${#fields[@]} -ne 6 ]]; then
        echo "FAIL: table line $n has ${#fields[@]} fields, not 6: $line" >&2
        exit 1
    fi
    name=${fields[0]} cmd=${fields[1]} want_rc=${fields[2]} pattern=${fields[3]} absent=${fields[4]} allowed=${fields[5]}
    total=$((total + 1))
    dir=$work/cases/$n
    mkdir -p "$dir"
    t0=${EPOCHREALTIME/[.,]/}
    (cd "$dir" && exec timeout -k 5 60 bash -c "$cmd") > "$dir.out" 2> "$dir.err" < /dev/null
    rc=$?
    ms=$(((${EPOCHREALTIME/[.,]/} - t0) / 1000))
    err=$(< "$dir.err")
    problems=()
    [[ $rc == "$want_rc" ]] || problems+=("exit status $rc, expected $want_rc")
    if [[ $pattern == "stdout: "* ]]; then
        contains_pattern "$(< "$dir.out")" "${pattern#stdout: }" || problems+=("stdout lacks: ${pattern#stdout: }")
    else
        contains_pattern "$err" "$pattern" || problems+=("stderr lacks: $pattern")
        if [[ $want_rc != 0 && ! $err =~ $error_line ]]; then
            problems+=("no message starting 'chemores <command>: error: '")
        fi
    fi
    for bad in "internal error" "terminate called" "Sanitizer" "runtime error:" "Segmentation fault" "core dumped"; do
        [[ $err == *"$bad"* ]] && problems+=("stderr shows '$bad'")
    done
    ((rc >= 124)) && problems+=("killed or crashed (status $rc)")
    allow_stdout=0
    allowed_globs=()
    read -r -a allowed_words <<< "$allowed" # split without pathname expansion
    read -r -a absent_words <<< "$absent"
    if [[ $allowed != - ]]; then
        for a in "${allowed_words[@]}"; do
            if [[ $a == stdout ]]; then allow_stdout=1; else allowed_globs+=("$a"); fi
        done
    fi
    if [[ $want_rc != 0 && $allow_stdout == 0 && -s $dir.out ]]; then
        problems+=("wrote $(wc -c < "$dir.out") bytes to standard output")
    fi
    if [[ $absent != - ]]; then
        for p in "${absent_words[@]}"; do
            [[ -e $dir/$p || -L $dir/$p ]] && problems+=("left behind: $p")
        done
    fi
    while IFS= read -r -d '' left; do
        [[ " $absent " == *" $left "* ]] && continue # reported above
        ok=0
        for g in "${allowed_globs[@]}"; do
            # shellcheck disable=SC2053
            [[ $left == $g ]] && { ok=1; break; }
        done
        [[ $ok == 1 ]] || problems+=("left behind: $left")
    done < <(cd "$dir" && find . -mindepth 1 -printf '%P\0' | sort -z)

    if [[ ${#problems[@]} == 0 ]]; then
        if [[ -n ${known[$name]+x} ]]; then
            xpass=$((xpass + 1))
            failures+=("$name: XPASS (listed as a known failure: ${known[$name]}); remove it from the list")
            printf 'XPASS %-48s exit %s  %5d ms\n' "$name" "$rc" "$ms"
        else
            passed=$((passed + 1))
            printf 'ok    %-48s exit %s  %5d ms\n' "$name" "$rc" "$ms"
        fi
    else
        summary=$(IFS=';'; echo "${problems[*]}")
        if [[ -n ${known[$name]+x} ]]; then
            xfail=$((xfail + 1))
            printf 'XFAIL %-48s exit %s  %5d ms  (%s) known: %s\n' "$name" "$rc" "$ms" "$summary" "${known[$name]}"
        else
            failed=$((failed + 1))
            failures+=("$name: $summary")
            printf 'FAIL  %-48s exit %s  %5d ms  %s\n' "$name" "$rc" "$ms" "$summary"
            echo "      command: $cmd"
            sed 's/^/      stderr: /' "$dir.err" | head -n 8
        fi
    fi
done <<< "$cases"

for k in "${!known[@]}"; do
    grep -qF -- "$k |" <<< "$cases" || { failures+=("known failure '$k' is not in the table"); failed=$((failed + 1)); }
done

echo "bad-input matrix: $total cases, $passed ok, $failed failed, $xfail known failures, $xpass unexpectedly passed" \
    "($((SECONDS - start)) s)"
if ((failed + xpass > 0)); then
    printf 'FAIL: %s\n' "${failures[@]}" >&2
    exit 1
fi
exit 0
