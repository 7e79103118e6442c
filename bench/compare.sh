#!/usr/bin/env bash
# bench/compare.sh: bilateral beside the tools people use today, in one run on one machine.
#
# Why: a figure means little alone, and this machine is shared and noisy, so every comparison is a
# ratio from the same run. For each size we run `bilateral brief … --format md,pdf` as a whole
# process, then convert *our own* Markdown output with pandoc + weasyprint and with pandoc 3 +
# typst (the `typst` package from PyPI), and print wall time (hyperfine median), peak memory (GNU
# time, the largest process of the command) and PDF size, with the ratios ours/theirs. A second
# table is the growth curve: N commitments against time and memory for `check` and for the
# summary and full briefings.
#
# Usage:
#   bench/compare.sh                # install what is missing, build, run everything (~13 min)
#   bench/compare.sh --setup        # only install the tools
#   CURVE="1000 10000" RUNS=3 bench/compare.sh
#
# Knobs (environment):
#   RUNS        hyperfine runs for the small rows (default 10); large rows use RUNS_LARGE (3)
#   CURVE       sizes for the growth table (default "1000 2000 5000 10000 20000 50000 100000")
#   CURVE_RUNS  hyperfine runs per point of the growth table (default 3)
#   FULL_MAX    largest N for which the full briefing is put on the curve (default 10000)
#   WEASY_2000  0 skips pandoc + weasyprint at 2,000 commitments (it takes about a minute a run)
#   BENCH_HOME  where the tools and datasets go (default ~/.cache/bilateral-bench)
#
# Installs: apt (pandoc, hyperfine, time, poppler-utils) and a Python venv with weasyprint 70.0,
# typst 0.15.2 and pypandoc-binary 1.17 (pandoc 3, which has a typst writer; Debian 12's pandoc
# 2.17 has none). Pinned, so two runs compare the same tools.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_HOME="${BENCH_HOME:-$HOME/.cache/bilateral-bench}"
VENV="$BENCH_HOME/venv"
DATA="$BENCH_HOME/data"
OUT="$BENCH_HOME/out"
RUNS="${RUNS:-10}"
RUNS_LARGE="${RUNS_LARGE:-3}"
CURVE_RUNS="${CURVE_RUNS:-3}"
CURVE="${CURVE:-1000 2000 5000 10000 20000 50000 100000}"
FULL_MAX="${FULL_MAX:-10000}"
WEASY_2000="${WEASY_2000:-1}"
AS_OF=2026-01-01

setup() {
  local need=()
  command -v pandoc >/dev/null || need+=(pandoc)
  command -v hyperfine >/dev/null || need+=(hyperfine)
  [[ -x /usr/bin/time ]] || need+=(time)
  command -v pdfinfo >/dev/null || need+=(poppler-utils)
  if ((${#need[@]})); then
    local sudo=""
    [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import weasyprint, typst, pypandoc' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q weasyprint==70.0 typst==0.15.2 pypandoc-binary==1.17
  fi
}

setup
[[ "${1:-}" == "--setup" ]] && exit 0

export PATH="$VENV/bin:$PATH"
PANDOC3="$(ls "$VENV"/lib/python3*/site-packages/pypandoc/files/pandoc | head -1)"
mkdir -p "$DATA" "$OUT"
cd "$ROOT"
cargo build --release --quiet --bin bilateral --example gen-dataset
BIN="$ROOT/target/release/bilateral"
GEN="$ROOT/target/release/examples/gen-dataset"
# pandoc's HTML engines leave temporary files in the working folder: keep them out of the clone.
cd "$OUT"

dataset() { # N -> path of a synthetic dataset with N commitments (made once, deterministic)
  local dir="$DATA/ds-$1"
  [[ -f "$dir/dataset.toml" ]] || "$GEN" "$1" "$dir" >/dev/null
  echo "$dir"
}

# wall median (s) of a command, by hyperfine
median() { # runs command
  local json="$OUT/hf.json"
  hyperfine --style none --warmup 1 --runs "$1" --export-json "$json" "$2" >/dev/null 2>&1 ||
    { echo "FAILED"; return; }
  python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$json"
}
# peak RSS (MiB) of the largest process of a command, one run under GNU time
peak() {
  /usr/bin/time -f %M -o "$OUT/time.txt" bash -c "$1" >/dev/null 2>&1 || { echo "FAILED"; return; }
  awk '{printf "%.0f", $1/1024}' "$OUT/time.txt"
}
size() { [[ -f "$1" ]] && stat -c %s "$1" || echo "-"; }
pages() { [[ -f "$1" ]] && pdfinfo "$1" 2>/dev/null | awk '/^Pages:/{print $2}' || echo "-"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b+0 > 0 && a+0 > 0) printf "%.2f", a/b; else printf "-" }'; }

ROWS=()
row() { # label N runs command pdf md
  local label="$1" n="$2" runs="$3" cmd="$4" pdf="$5"
  echo ">>> $label (N=$n): $cmd" >&2
  local t m
  t="$(median "$runs" "$cmd")"
  m="$(peak "$cmd")"
  ROWS+=("$label|$n|$t|$m|$(size "$pdf")|$(pages "$pdf")")
  LAST_T="$t"
  LAST_M="$m"
}

compare() { # name N dataset brief-flags
  local name="$1" n="$2" ds="$3" flags="$4" runs="$RUNS"
  ((n > 200)) && runs="$RUNS_LARGE"
  local dir="$OUT/$name"
  rm -rf "$dir"
  mkdir -p "$dir"
  local ours="$BIN brief $ds --as-of $AS_OF $flags --format md,pdf --out $dir/ours"
  [[ "$name" == example ]] && ours="$BIN brief $ds --as-of 2025-05-01 $flags --format md,pdf --out $dir/ours"
  row "bilateral brief --format md,pdf" "$n" "$runs" "$ours" "$(ls "$dir"/ours/*.pdf 2>/dev/null || echo "$dir/ours/x.pdf")"
  local md pdf
  md="$(ls "$dir"/ours/*.md)"
  pdf="$(ls "$dir"/ours/*.pdf)"
  ROWS[-1]="bilateral brief --format md,pdf|$n|$LAST_T|$LAST_M|$(size "$pdf")|$(pages "$pdf")"
  local our_t="$LAST_T" our_m="$LAST_M"
  if [[ "$name" != "2000" || "$WEASY_2000" == 1 ]]; then
    row "pandoc + weasyprint (our .md)" "$n" "$runs" \
      "pandoc -f gfm $md -s -M pagetitle=Briefing --pdf-engine=weasyprint -o $dir/weasy.pdf" "$dir/weasy.pdf"
    RATIOS+=("$name: ours/pandoc+weasyprint wall $(ratio "$our_t" "$LAST_T"), memory $(ratio "$our_m" "$LAST_M")")
  fi
  # pandoc's typst writer drops the HTML anchors our citations link to (`<a id="source-1">`), and
  # typst refuses a link to a label that does not exist: typst gets the Markdown with those
  # internal links made plain text (`[1](#source-1)` → `[1]`), otherwise the same.
  local plain="$dir/plain.md"
  sed -E 's/\]\(#[a-z0-9-]+\)/]/g' "$md" > "$plain"
  row "pandoc 3 + typst (our .md)" "$n" "$runs" \
    "$PANDOC3 -f gfm $plain -s -t typst -o $dir/t.typ && python -c \"import typst; typst.compile('$dir/t.typ', output='$dir/typst.pdf')\"" \
    "$dir/typst.pdf"
  RATIOS+=("$name: ours/pandoc3+typst wall $(ratio "$our_t" "$LAST_T"), memory $(ratio "$our_m" "$LAST_M")")
}

RATIOS=()
echo "# $(date -u +%FT%TZ) · $(nproc) cores · $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo) · load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("$BIN" --version) · pandoc $(pandoc --version | head -1 | cut -d' ' -f2) · pandoc3 $("$PANDOC3" --version | head -1 | cut -d' ' -f2) · weasyprint $(weasyprint --version | awk '{print $3}') · typst-py $(python -c 'import typst; print(typst.__version__)' 2>/dev/null || echo '?')"

compare example 10 "$ROOT/examples/china-azerbaijan" ""
# The model alone (issue #34: under 15 ms, whole process): no template is compiled for JSON.
mkdir -p "$OUT/json"
row "bilateral brief --format json" 10 "$RUNS" \
  "$BIN brief $ROOT/examples/china-azerbaijan --as-of 2025-05-01 --format json --out $OUT/json" "-"
compare 2000 2000 "$(dataset 2000)" "--detail full"
DS100K="$(dataset 100000)"
row "bilateral check" 100000 "$RUNS_LARGE" "$BIN check $DS100K" "-"
CHECK_T="$LAST_T" CHECK_M="$LAST_M"
mkdir -p "$OUT/100000"
row "bilateral brief --detail summary --format md,pdf" 100000 "$RUNS_LARGE" \
  "$BIN brief $DS100K --as-of $AS_OF --detail summary --format md,pdf --out $OUT/100000" \
  "$OUT/100000/briefing-cn-az-$AS_OF.pdf"
BRIEF_T="$LAST_T" BRIEF_M="$LAST_M"
row "check, then brief --detail summary (one shell)" 100000 "$RUNS_LARGE" \
  "$BIN check $DS100K && $BIN brief $DS100K --as-of $AS_OF --detail summary --format md,pdf --out $OUT/100000" \
  "$OUT/100000/briefing-cn-az-$AS_OF.pdf"

echo
echo "| tool | N | wall median s | peak RSS MiB | PDF bytes | pages |"
echo "|---|---:|---:|---:|---:|---:|"
for r in "${ROWS[@]}"; do
  IFS='|' read -r a b c d e f <<<"$r"
  echo "| $a | $b | $c | $d | $e | $f |"
done
echo
for r in "${RATIOS[@]}"; do echo "- $r"; done
echo "- 100000: brief (which runs every check) ${BRIEF_T} s / ${BRIEF_M} MiB; check alone ${CHECK_T} s / ${CHECK_M} MiB"

# Growth: our tool only; wall = hyperfine median of CURVE_RUNS, memory = one run under GNU time.
echo
echo "| N commitments | check s | check MiB | summary md+pdf s | summary MiB | full md+pdf s | full MiB | full pages |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $CURVE; do
  ds="$(dataset "$n")"
  echo ">>> curve N=$n" >&2
  ct="$(median "$CURVE_RUNS" "$BIN check $ds")"
  cm="$(peak "$BIN check $ds")"
  summary="$BIN brief $ds --as-of $AS_OF --detail summary --format md,pdf --out $OUT/curve"
  st="$(median "$CURVE_RUNS" "$summary")"
  sm="$(peak "$summary")"
  ft="-" fm="-" fp="-"
  if ((n <= FULL_MAX)); then
    full="$BIN brief $ds --as-of $AS_OF --detail full --format md,pdf --out $OUT/curve"
    ft="$(median "$CURVE_RUNS" "$full")"
    fm="$(peak "$full")"
    fp="$(pages "$OUT/curve/briefing-cn-az-$AS_OF.pdf")"
  fi
  echo "| $n | $ct | $cm | $st | $sm | $ft | $fm | $fp |"
done
