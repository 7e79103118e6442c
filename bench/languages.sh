#!/usr/bin/env bash
# The example briefing in each shipped language, Markdown + PDF, timed with hyperfine: the
# language's work (CLDR formatters, the dataset's translations, Chinese line breaking) against
# the English briefing's. Figures taken with it: docs/performance.md.
#
#   bench/languages.sh [BINARY] [RUNS]
set -euo pipefail

bin=${1:-target/release/bilateral}
runs=${2:-30}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
args=(examples/china-azerbaijan-history --as-of 2026-12-01 --format md,pdf)
cmds=()
for lang in en zh-Hans ru az; do
  cmds+=("$bin brief ${args[*]} --lang $lang --out $out/$lang")
done
hyperfine --warmup 3 --runs "$runs" -N "${cmds[@]}"
