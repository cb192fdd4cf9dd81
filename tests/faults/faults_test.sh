#!/usr/bin/env bash
# Fault injection for the commands that write files: align, call, annotate, mirna quant, mirna sites, report.
# Every command is run under three faults:
#  1. the output filesystem fills up midway (`ulimit -f N` with SIGXFSZ ignored, so write() fails with EFBIG);
#  2. SIGTERM and SIGINT during a run that takes well over a second;
#  3. a truncated input (BAM cut in half for call and annotate, gzip FASTQ cut in half for align and mirna quant);
# once into an empty directory ("fresh") and once over the outputs of an earlier successful run ("prev").
# After each run: the exit status is non-zero (128+signal for a signal, 1-125 otherwise: no crash), faults 1 and 3
# print "chemores <cmd>: error: ..." (fault 3 naming the input), and the directory holding the outputs is exactly
# as before the run: nothing new (no output, no temporary file, no directory), the earlier outputs byte-identical.
# TMPDIR must be left empty too. The one documented exception: `annotate` writes annotate_summary.tsv even when an
# input fails (docs/annotate.md, "the summary is written either way"); it must then say `failed`.
# usage: faults_test.sh CHEMORES_BINARY REPOSITORY_ROOT [SIMREADS_BINARY]
# Prints one PASS/FAIL line per check; exit status 1 if any check failed.
set -uo pipefail
chemores=$(readlink -f "$1")
root=$(readlink -f "$2")
simreads=$(readlink -f "${3:-$(dirname "$chemores")/../tests/simreads}")
demo="$root/test_data/demo"
panel="$root/references/panel"
for f in "$chemores" "$simreads"; do
    [[ -x $f ]] || { echo "FAIL setup: $f is not an executable (build the chemores and simreads targets)"; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/chemores-faults.XXXXXX")
running=""
cleanup() {
    [[ -n $running ]] && kill -KILL "$running" 2> /dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work/in" "$work/snap" "$work/run" "$work/tmp"
export TMPDIR="$work/tmp" # the commands' own temporary files must be gone after every run too
start_time=$SECONDS
failures=0
checks=0

# Under AddressSanitizer (the asan preset): htslib 1.16's bgzf_close() returns on a failed flush without freeing the
# BGZF and its hFILE, a leak inside the library on exactly the error path of fault 1. LeakSanitizer is told to ignore
# allocations made in libhts for those runs only (chemores' own allocations are still checked).
printf 'leak:libhts.so\n' > "$work/lsan.supp"
lsan_libhts="suppressions=$work/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

# Reset SIGINT to its default in the child: bash starts background jobs with SIGINT ignored.
default_int=()
env --default-signal=INT true 2> /dev/null && default_int=(env --default-signal=INT)

# The state of a directory: every entry with its type, and the checksum of every file.
state_of() {
    (cd "$1" && find . -mindepth 1 -printf '%y %p\n' | LC_ALL=C sort && find . -type f -exec md5sum {} + | LC_ALL=C sort -k2)
}

# ---- inputs -------------------------------------------------------------------------------------------------------
# Small: the demo data, and a BAM aligned from it (named sample.bam in every variant, so that `annotate` writes the
# same output names for the small, big and truncated inputs).
mkdir -p "$work/in/small" "$work/in/trunc"
"$chemores" align -o "$work/in/small/sample.bam" --sort --write-index --verbosity 0 \
    "$demo/demo_R1.fq.gz" "$demo/demo_R2.fq.gz" || { echo "FAIL setup: align of the demo reads"; exit 1; }
"$chemores" call -o "$work/in/small/call" --verbosity 0 "$work/in/small/sample.bam" > /dev/null ||
    { echo "FAIL setup: call on the demo BAM"; exit 1; }
grep -q '"name": "sample"' "$work/in/small/call/result.json" || { echo "FAIL setup: no sample 'sample' in result.json"; exit 1; }

# Big (for the signals), at a scale factor: scale 1 runs for 1.5-9 s on 2 cores, scale 4 is used if a run
# finishes before the signal arrives.
setup_fail() { echo "FAIL setup: $*"; exit 1; }
gen_big() { # SCALE KIND
    local s=$1 kind=$2 d="$work/in/big$1"
    mkdir -p "$d"
    case $kind in
        reads)
            [[ -s $d/sample_R2.fq ]] && return
            "$simreads" --fasta "$panel/transcripts.fa" --contig NM_005157.6 \
                --amplicons 852-1151,1062-1361,1306-1605,1456-1755 -n $((200000 * s)) --seed 315 --sub 0.001 \
                --variant NM_005157.6:1137:T:0.30 -1 "$d/sample_R1.fq" -2 "$d/sample_R2.fq" > /dev/null ||
                setup_fail "simreads (read pairs)" ;;
        quarter) # the first quarter of the reads: `call` aligns them in ~1.5 s, then calls for ~0.5 s
            [[ -s $d/quarter/sample_R2.fq ]] && return
            gen_big "$s" reads
            mkdir -p "$d/quarter"
            head -n $((200000 * s)) "$d/sample_R1.fq" > "$d/quarter/sample_R1.fq"
            head -n $((200000 * s)) "$d/sample_R2.fq" > "$d/quarter/sample_R2.fq" ;;
        bam)
            [[ -s $d/bam/sample.bam.bai ]] && return
            gen_big "$s" reads
            mkdir -p "$d/bam"
            "$chemores" align -o "$d/bam/sample.bam" --sort --write-index -@ 2 --output-fmt-option level=1 \
                --verbosity 0 "$d/sample_R1.fq" "$d/sample_R2.fq" || setup_fail "align of the simulated reads" ;;
        smallrna)
            [[ -s $d/smallrna.fq.gz ]] && return
            "$simreads" --fasta "$panel/mirna_hairpins.fa" --single --length 22 -n $((200000 * s)) --seed 5 \
                --sub 0.01 -1 "$d/smallrna.fq" > /dev/null || setup_fail "simreads (small RNA)"
            gzip -1 "$d/smallrna.fq" || setup_fail "gzip" ;;
        utrs) # random 3'UTRs, 6 x 20 kb per scale unit: ~2 s with every human miRNA
            [[ -s $d/utrs.fa ]] && return
            awk -v n=$((6 * s)) 'BEGIN { srand(7); split("ACGT", b, "");
                for (i = 0; i < n; i++) { print ">utr" i; l = "";
                    for (j = 0; j < 20000; j++) { l = l b[int(rand() * 4) + 1]; if (length(l) == 80) { print l; l = "" } }
                    if (l != "") print l } }' > "$d/utrs.fa" ;;
        cohort) # one result.json per sample, 150 samples per scale unit: a cohort report of ~2 s
            [[ -d $d/cohort ]] && return
            mkdir -p "$d/cohort"
            local i
            for ((i = 0; i < 150 * s; i++)); do
                sed "s/\"name\": \"sample\"/\"name\": \"s$i\"/" "$work/in/small/call/result.json" > "$d/cohort/s$i.json"
            done ;;
    esac
}

# Truncated inputs: half of a BAM (its index copied beside it, as after an interrupted copy) and half of a gzip FASTQ.
bam_size=$(stat -c %s "$work/in/small/sample.bam")
head -c $((bam_size / 2)) "$work/in/small/sample.bam" > "$work/in/trunc/sample.bam"
cp "$work/in/small/sample.bam.bai" "$work/in/trunc/sample.bam.bai"
r1_size=$(stat -c %s "$demo/demo_R1.fq.gz")
head -c $((r1_size / 2)) "$demo/demo_R1.fq.gz" > "$work/in/trunc/demo_R1.fq.gz"
gen_big 1 smallrna
sm_size=$(stat -c %s "$work/in/big1/smallrna.fq.gz")
head -c $((sm_size / 2)) "$work/in/big1/smallrna.fq.gz" > "$work/in/trunc/smallrna.fq.gz"

# ---- the commands -------------------------------------------------------------------------------------------------
# args CMD INPUTS: sets A to the command line; INPUTS is small, trunc or big<scale>. Outputs are relative to the run
# directory and the same whatever the inputs, so that a failed run can be compared with the earlier good one.
args() {
    local c=$1 v=$2 d="$work/in/$2"
    case $c:$v in
        align:small)  A=(align -o x.bam --sort --write-index "$demo/demo_R1.fq.gz" "$demo/demo_R2.fq.gz") ;;
        align:trunc)  A=(align -o x.bam --sort --write-index "$d/demo_R1.fq.gz" "$demo/demo_R2.fq.gz") ;;
        align:big*)   gen_big "${v#big}" reads
                      A=(align -o x.bam --sort --write-index "$d/sample_R1.fq" "$d/sample_R2.fq") ;;
        align_chunks:big*) gen_big "${v#big}" reads # sorted in 1 MB chunks: temporary chunk files beside x.bam
                      A=(align -o x.bam --sort --write-index --sort-memory 1048576 "$d/sample_R1.fq" "$d/sample_R2.fq") ;;
        call:small)   A=(call -o out "$work/in/small/sample.bam") ;;
        call:trunc)   A=(call -o out "$d/sample.bam") ;;
        call:big*)    gen_big "${v#big}" reads; A=(call -o out "$d/sample_R1.fq" "$d/sample_R2.fq") ;;
        call_bam:big*) gen_big "${v#big}" bam; A=(call -o out "$d/bam/sample.bam") ;;
        call_late:big*) gen_big "${v#big}" quarter; A=(call -o out "$d/quarter/sample_R1.fq" "$d/quarter/sample_R2.fq") ;;
        annotate:small) A=(annotate -o out "$work/in/small/sample.bam") ;;
        annotate:trunc) A=(annotate -o out "$d/sample.bam") ;;
        annotate:big*)  gen_big "${v#big}" bam; A=(annotate -o out "$d/bam/sample.bam") ;;
        quant:small)  A=(mirna quant -o out "$demo/demo_smallrna.fq.gz" --samples sample) ;;
        quant:trunc)  A=(mirna quant -o out "$d/smallrna.fq.gz" --samples sample) ;;
        quant:big*)   gen_big "${v#big}" smallrna; A=(mirna quant -o out "$d/smallrna.fq.gz" --samples sample) ;;
        sites:small)  A=(mirna sites -o s.tsv --bed s.bed --json s.json) ;;
        sites:big*)   gen_big "${v#big}" utrs
                      A=(mirna sites --mirnas all --utrs "$d/utrs.fa" -o s.tsv --bed s.bed --json s.json) ;;
        report:small) A=(report -o r.html --multiqc mqc "$work/in/small/call/result.json") ;;
        report:big*)  gen_big "${v#big}" cohort; A=(report -o r.html --multiqc mqc "$d"/cohort/*.json) ;;
        *) echo "internal: no command line for $c:$v" >&2; exit 1 ;;
    esac
}
prefix_of() { # the message prefix of a command
    case $1 in quant) echo "chemores mirna quant" ;; sites) echo "chemores mirna sites" ;;
        call_bam | call_late) echo "chemores call" ;; align_chunks) echo "chemores align" ;; *) echo "chemores $1" ;;
    esac
}

# The earlier successful run of every command, copied into a run directory for the "prev" cases.
for c in align call annotate quant sites report; do
    mkdir -p "$work/snap/$c"
    args "$c" small
    (cd "$work/snap/$c" && "$chemores" "${A[@]}" --verbosity 0 > /dev/null 2> "$work/snap/$c.err") ||
        { cat "$work/snap/$c.err"; echo "FAIL setup: $c on the demo data"; exit 1; }
done
cp -a "$work/snap/call" "$work/snap/call_bam"
cp -a "$work/snap/call" "$work/snap/call_late"
cp -a "$work/snap/align" "$work/snap/align_chunks"

# ---- one check ----------------------------------------------------------------------------------------------------
# check CMD FAULT STATE INPUTS [N]: FAULT is ulimit (N blocks), TERM, INT or trunc; STATE fresh or prev. A signal is
# sent 0.4 s after the start (and, with WAIT_FOR set to a find -path pattern, once such a file exists in the run
# directory); returns 3 (and reports nothing) if the run ended before the signal could be sent.
ncase=0
WAIT_FOR=""
check() {
    local c=$1 fault=$2 state=$3 inputs=$4 n=${5:-}
    args "$c" "$inputs"
    local dir="$work/run/$((++ncase))"
    mkdir -p "$dir"
    [[ $state == prev ]] && cp -a "$work/snap/$c/." "$dir/"
    rm -rf "${TMPDIR:?}"/* "$TMPDIR"/.[!.]* 2> /dev/null
    local before rc label waited="" t0=$EPOCHREALTIME
    before=$(state_of "$dir")
    label="$c $fault${n:+ $n} ($state, $inputs input)"
    [[ $c == call_bam ]] && label="call $fault ($state, $inputs BAM input)"
    [[ $c == call && $inputs == big* ]] && label="call $fault ($state, $inputs FASTQ input, aligned internally)"
    [[ $c == call_late ]] && label="call $fault ($state, FASTQ input, signal once the aligned BAM is in the work directory)"
    [[ $c == align_chunks ]] && label="align $fault ($state, $inputs input, --sort-memory 1048576: sort chunks on disk)"
    case $fault in
        ulimit)
            (cd "$dir" && trap '' XFSZ && ulimit -f "$n" && LSAN_OPTIONS=$lsan_libhts exec "$chemores" "${A[@]}") \
                > "$dir.out" 2> "$dir.err"
            rc=$? ;;
        trunc)
            (cd "$dir" && exec "$chemores" "${A[@]}") > "$dir.out" 2> "$dir.err"
            rc=$? ;;
        TERM | INT)
            (cd "$dir" && exec "${default_int[@]}" "$chemores" "${A[@]}") > "$dir.out" 2> "$dir.err" &
            running=$!
            sleep 0.4
            if [[ -n $WAIT_FOR ]]; then
                local k
                waited="(the signal was sent before $WAIT_FOR appeared)"
                for ((k = 0; k < 200; k++)); do # at most ~10 s more
                    [[ -n $(find "$dir" -path "$WAIT_FOR" -print -quit) ]] && { waited=""; break; }
                    kill -0 "$running" 2> /dev/null || break
                    sleep 0.05
                done
            fi
            if ! kill -0 "$running" 2> /dev/null; then # already finished
                wait "$running"
                rc=$?
                running=""
                ((rc == 0)) && return 3 # too fast for this input
                ((++checks, ++failures))
                echo "FAIL $label: exit $rc before the signal was sent: $(grep -v '^\[' "$dir.err" | head -c 300 | tr '\n' '|')"
                return 0
            fi
            kill -s "$fault" "$running"
            wait "$running"
            rc=$?
            running=""
            ((rc == 0)) && return 3 ;; # it had just finished (or it ignored the signal: fails at the largest input)
    esac
    local after why=()
    after=$(state_of "$dir")

    # exit status
    case $fault in
        TERM | INT)
            local want=$((128 + $(kill -l "$fault")))
            if [[ $rc != "$want" ]] && ! ((rc >= 1 && rc <= 125)); then
                why+=("exit status $rc, expected $want or 1-125")
            fi ;;
        *) ((rc >= 1 && rc <= 125)) || why+=("exit status $rc, expected 1-125") ;;
    esac
    # the error message
    local pfx msg
    pfx=$(prefix_of "$c")
    msg=$(grep -m1 "^$pfx: error: " "$dir.err")
    if [[ $fault == ulimit || $fault == trunc ]]; then
        [[ -n $msg ]] || why+=("no '$pfx: error: ...' on stderr: $(grep -v '^\[' "$dir.err" | head -c 300 | tr '\n' '|')")
    fi
    if [[ $fault == trunc ]]; then
        local named=""
        for a in "${A[@]}"; do [[ $a == "$work/in/trunc/"* && $msg == *"$a"* ]] && named=yes; done
        [[ -n $named ]] || why+=("the error does not name the truncated input: '$msg'")
    fi
    if grep -q -E 'double free|corrupted|Assertion|Sanitizer|runtime error|terminate called' "$dir.err"; then
        why+=("crash on stderr: $(grep -m1 -E 'double free|corrupted|Assertion|Sanitizer|runtime error|terminate called' "$dir.err")")
    fi
    # annotate: annotate_summary.tsv is written even when an input fails (documented); it must say so
    if [[ $c == annotate && ($fault == ulimit || $fault == trunc) ]]; then
        local summary="$dir/out/annotate_summary.tsv"
        if [[ -f $summary ]] && ! cut -f5 "$summary" | grep -qx failed; then
            why+=("annotate_summary.tsv does not record the failure")
        fi
        after=$(grep -v -e '^[a-z] \./out/annotate_summary\.tsv$' -e '  \./out/annotate_summary\.tsv$' <<< "$after")
        before=$(grep -v -e '^[a-z] \./out/annotate_summary\.tsv$' -e '  \./out/annotate_summary\.tsv$' <<< "$before")
        [[ $state == fresh && $after == "d ./out" ]] && after=""
    fi
    # nothing left behind, the earlier outputs untouched
    if [[ $after != "$before" ]]; then
        local d
        d=$(diff <(printf '%s' "$before${before:+$'\n'}") <(printf '%s' "$after${after:+$'\n'}") | grep '^[<>]' |
            sed 's/  */ /g' | head -n 6 | tr '\n' ';')
        if [[ $state == fresh ]]; then why+=("left behind: $d"); else why+=("earlier outputs changed: $d"); fi
    fi
    local left
    left=$(cd "$TMPDIR" && find . -mindepth 1 | head -n 3 | tr '\n' ' ')
    [[ -z $left ]] || why+=("left in TMPDIR: $left")

    ((++checks))
    local took
    took=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
    if ((${#why[@]} == 0)); then
        echo "PASS $label: exit $rc${msg:+, '${msg:0:120}'}${waited:+ $waited} [${took} s]"
    else
        ((++failures))
        local IFS=';'
        echo "FAIL $label: ${why[*]} [${took} s]"
    fi
    return 0
}

# A signal check: at scale 1, then at scale 4 if the run had already finished; never passes silently.
signal_check() { # CMD SIGNAL STATE
    local s
    for s in 1 4; do
        check "$1" "$2" "$3" "big$s" && return
    done
    ((++checks, ++failures))
    echo "FAIL $1 $2 ($3): exit 0 even on the 4x input: the run finished within 0.4 s, or it ignored the signal"
}

echo "faults: inputs ready in $((SECONDS - start_time)) s"

# ---- 1. file size limit -------------------------------------------------------------------------------------------
# N (1 KiB blocks) is half the size of the largest output of the same run on the demo data, so the limit is hit
# midway through it, after the smaller outputs were written (align: x.bam ~650 KB -> 316; call: result.json; mirna
# quant: counts.tsv, cpm.tsv; mirna sites: s.tsv and s.bed written, s.json cut; report: the MultiQC files written,
# r.html cut).
for state in fresh prev; do
    for c in align call annotate quant sites report; do
        largest=$(find "$work/snap/$c" -type f -printf '%s\n' | sort -n | tail -n 1)
        n=$((largest / 2048))
        check "$c" ulimit "$state" small $((n > 0 ? n : 1))
    done
done

# ---- 2. SIGTERM and SIGINT ----------------------------------------------------------------------------------------
for sig in TERM INT; do
    for state in fresh prev; do
        for c in align call call_bam annotate quant sites report; do
            signal_check "$c" "$sig" "$state"
        done
        WAIT_FOR="*/.x.bam.tmp*.sort.*.bam" signal_check align_chunks "$sig" "$state"
        WAIT_FOR="*/out/.chemores-call.tmp*/sample.bam" signal_check call_late "$sig" "$state"
    done
done

# ---- 3. truncated input -------------------------------------------------------------------------------------------
for state in fresh prev; do
    check call trunc "$state" trunc
    check annotate trunc "$state" trunc
    check align trunc "$state" trunc
    check quant trunc "$state" trunc
done

echo "faults: $((checks - failures)) of $checks checks passed in $((SECONDS - start_time)) s"
((failures == 0))
