#!/usr/bin/env bash
# Headless Chromium renders the HTML of `chemores report` (a sample report and a cohort report made from the demo
# data): a screenshot each, and the DOM is checked for the drug table (the six TKIs with their verdicts, as in
# result.json) and the SVG plots.
# Usage: report_browser_test.sh CHEMORES_BIN TEST_DATA_DIR WORK_DIR
# Exit 0 pass, 1 fail, 77 skip (no chromium and it cannot be installed: not root, or apt-get failed).
set -euo pipefail

chemores=$(readlink -f "$1")
test_data=$(readlink -f "$2")
work=$(readlink -m "$3")
skip=77
start=$(date +%s)

log() { printf 'report_browser: %s\n' "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

find_browser() {
    local b
    for b in chromium chromium-browser google-chrome; do
        if command -v "$b" >/dev/null 2>&1; then
            command -v "$b"
            return 0
        fi
    done
    return 1
}

browser=$(find_browser || true)
if [[ -z $browser ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        log "chromium not found: installing the Debian package (apt-get install chromium)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get -o DPkg::Lock::Timeout=900 update -qq >&2 || true
        apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends chromium >&2 || true
        browser=$(find_browser || true)
    fi
    if [[ -z $browser ]]; then
        log "SKIP: no chromium, and it could not be installed (needs root and apt-get; install the Debian package"
        log "      'chromium' to run this test)"
        exit $skip
    fi
fi
if ! command -v python3 >/dev/null 2>&1; then
    log "SKIP: python3 (used to check the DOM and the PNG) is missing"
    exit $skip
fi
log "browser: $("$browser" --version 2>/dev/null | head -1)"

rm -rf "$work"
mkdir -p "$work"
cd "$work"

# Results: the demo sample, and a second copy of it under another name for a two-sample cohort.
"$chemores" call --verbosity 0 -o call "$test_data/demo/demo_R1.fq.gz" "$test_data/demo/demo_R2.fq.gz" \
    || fail "chemores call on the demo data"
sed 's/"name": "demo"/"name": "demo-repeat"/' call/result.json >repeat.json
grep -q '"demo-repeat"' repeat.json || fail "could not rename the sample of the second result"
"$chemores" report --verbosity 0 -o sample.html call/result.json || fail "chemores report (sample)"
"$chemores" report --verbosity 0 -o cohort.html call/result.json repeat.json || fail "chemores report (cohort)"

# Chromium: a fresh profile per run, no network services, no GPU; --no-sandbox because CI runs as root.
run_browser() {
    local profile
    profile=$(mktemp -d "$work/profile.XXXXXX")
    timeout 180 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir="$profile" "$@" \
        2>>"$work/chromium.log"
    local rc=$?
    rm -rf "$profile"
    return $rc
}

for page in sample cohort; do
    t0=$(date +%s)
    run_browser --screenshot="$work/$page.png" --window-size=1280,2000 --hide-scrollbars "file://$work/$page.html" \
        >/dev/null || fail "chromium --screenshot $page.html (see $work/chromium.log)"
    run_browser --dump-dom "file://$work/$page.html" >"$work/$page.dom.html" \
        || fail "chromium --dump-dom $page.html (see $work/chromium.log)"
    log "$page: chromium screenshot + DOM in $(($(date +%s) - t0)) s"
done

python3 - "$work" <<'PY' || fail "DOM / screenshot checks"
import html.parser, json, struct, sys, zlib, os

work = sys.argv[1]
result = json.load(open(os.path.join(work, "call/result.json")))
sample = result["samples"][0]
verdicts = {d["drug"]: d["verdict"] for d in sample["drugs"]}
labels = {"resistant": "resistant", "reduced_sensitivity": "reduced sensitivity",
          "no_known_resistance_detected": "none detected", "not_assessable": "not assessable"}
tkis = ["imatinib", "dasatinib", "nilotinib", "bosutinib", "ponatinib", "asciminib"]
errors = []


class Dom(html.parser.HTMLParser):
    """Collects elements by id, the drug-table rows with their text, and SVG elements."""

    def __init__(self):
        super().__init__()
        self.ids = {}
        self.stack = []
        self.rows = []      # (table id, attrs, text)
        self.row = None
        self.table = []
        self.svg_children = {}
        self.svg = []
        self.scripts = 0
        self.external = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids[a["id"]] = tag
        if tag == "script":
            self.scripts += 1
        for k in ("src", "href"):
            if k in a and not a[k].startswith("#"):
                self.external.append((tag, k, a[k]))
        if tag == "table":
            self.table.append(a.get("id", ""))
        if tag == "tr":
            self.row = [self.table[-1] if self.table else "", a, ""]
        if tag == "svg":
            self.svg.append(a.get("id", ""))
            self.svg_children[self.svg[-1]] = 0
        elif self.svg:
            self.svg_children[self.svg[-1]] += 1

    def handle_endtag(self, tag):
        if tag == "tr" and self.row:
            self.rows.append(tuple(self.row))
            self.row = None
        if tag == "table" and self.table:
            self.table.pop()
        if tag == "svg" and self.svg:
            self.svg.pop()

    def handle_data(self, data):
        if self.row is not None:
            self.row[2] += data


def decode_png(data):
    """Width, height and rows of RGB(A) pixels of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError(f"unexpected PNG format: depth {depth}, colour type {ctype}, interlace {interlace}")
    bpp = 3 if ctype == 2 else 4
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def check_png(path, name):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        errors.append(f"{name}: not a PNG")
        return
    w, h, bpp, rows = decode_png(data)
    if (w, h) != (1280, 2000):
        errors.append(f"{name}: {w}x{h}, expected 1280x2000")
    # A rendered report: many colours, a few per cent of ink, red verdict badges and blue coverage fill present.
    colours, ink, reds, blues, total = set(), 0, 0, 0, 0
    for y in range(0, h, 4):
        line = rows[y]
        for x in range(0, w, 4):
            r, g, b = line[x * bpp], line[x * bpp + 1], line[x * bpp + 2]
            colours.add((r, g, b))
            total += 1
            ink += r + g + b < 600
            reds += r > 150 and g < 90 and b < 90
            blues += b > 200 and r < 215 and g < 230 and b - r > 30
    print(f"{name}: {len(data)} bytes, {w}x{h}, {len(colours)} colours, {100 * ink / total:.1f}% ink, "
          f"{reds} red and {blues} blue samples")
    if len(colours) < 50 or ink / total < 0.01 or reds < 10 or blues < 50:
        errors.append(f"{name}: does not look like a rendered report")


for page in ("sample", "cohort"):
    dom = Dom()
    dom.feed(open(os.path.join(work, f"{page}.dom.html"), encoding="utf-8").read())
    check_png(os.path.join(work, f"{page}.png"), f"{page}.png")
    if dom.scripts:
        errors.append(f"{page}: {dom.scripts} <script> elements")
    if dom.external:
        errors.append(f"{page}: external references {dom.external[:3]}")
    suffix = "" if page == "sample" else "-1"
    table = "drug-table" + suffix
    if dom.ids.get(table) != "table":
        errors.append(f"{page}: no <table id={table}>")
    rows = [r for r in dom.rows if r[0] == table and "data-drug" in r[1]]
    got = [r[1]["data-drug"] for r in rows]
    if got[:6] != tkis:
        errors.append(f"{page}: drug table rows {got}, expected the six TKIs first {tkis}")
    for t, attrs, text in rows:
        drug = attrs["data-drug"]
        want = verdicts.get(drug)
        if attrs.get("data-verdict") != want:
            errors.append(f"{page}: {drug}: verdict {attrs.get('data-verdict')}, result.json says {want}")
        if labels[want] not in " ".join(text.split()) or drug.capitalize() not in text:
            errors.append(f"{page}: {drug}: row text {' '.join(text.split())[:80]!r} lacks '{labels[want]}'")
    for plot in ("coverage-plot", "fraction-plot"):
        pid = plot + suffix
        if dom.ids.get(pid) != "svg":
            errors.append(f"{page}: no <svg id={pid}>")
        elif dom.svg_children.get(pid, 0) < 20:
            errors.append(f"{page}: <svg id={pid}> has only {dom.svg_children.get(pid, 0)} elements")
    if page == "cohort":
        for want_id in ("drug-matrix", "fraction-matrix", "sample-1", "sample-2", "coverage-plot-2"):
            if want_id not in dom.ids:
                errors.append(f"cohort: no element id={want_id}")
        matrix = [r for r in dom.rows if r[0] == "drug-matrix" and "data-sample" in r[1]]
        if [r[1]["data-sample"] for r in matrix] != ["demo", "demo-repeat"]:
            errors.append(f"cohort: drug matrix rows {[r[1].get('data-sample') for r in matrix]}")
    for want_id in ("provenance", "qc" + suffix, "fusion" + suffix, "hrfc" + suffix):
        if want_id not in dom.ids:
            errors.append(f"{page}: no element id={want_id}")
    print(f"{page}: {len(dom.ids)} ids, drug table {len(rows)} rows, svg elements "
          f"{ {k: v for k, v in dom.svg_children.items()} }")

for e in errors:
    print("ERROR:", e)
sys.exit(1 if errors else 0)
PY

log "PASS in $(($(date +%s) - start)) s (screenshots: $work/sample.png, $work/cohort.png)"
