#!/usr/bin/env bash
# Two builds of `bilateral` timed on the same command, their runs alternating (A, B, A, B …), so
# that the machine's slow and fast spells fall on both alike: on this shared machine one build's
# time moves by 20–30% over minutes, more than most changes being measured. Prints, for each
# build, the mean, median, fastest and slowest wall time, and the peak RSS of one more run.
#
#   bench/ab.sh OLD_BINARY NEW_BINARY RUNS ARGS…
#   bench/ab.sh /tmp/bilateral-before target/release/bilateral 10 \
#     brief /tmp/ds-100k --as-of 2026-01-01 --detail summary --format md,pdf --out /tmp/ab
#
# Figures taken with it: docs/performance.md.
set -euo pipefail

if [ $# -lt 4 ]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
a=$1 b=$2 runs=$3
shift 3

declare -a ta tb
now() { date +%s.%N; }
for ((i = 0; i < runs; i++)); do
  for which in a b; do
    bin=$a; [ "$which" = b ] && bin=$b
    start=$(now)
    "$bin" "$@" > /dev/null 2>&1 || { echo "failed: $bin $*" >&2; exit 1; }
    end=$(now)
    t=$(echo "$end - $start" | bc)
    if [ "$which" = a ]; then ta+=("$t"); else tb+=("$t"); fi
  done
done

stats() {
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1; s += $1 }
    END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
          printf "mean %.3f s  median %.3f s  min %.3f s  max %.3f s", s / NR, m, v[1], v[NR] }'
}
rss() { /usr/bin/time -f '%M' "$@" 2>&1 > /dev/null | tail -1; }
echo "A $a: $(stats "${ta[@]}")  peak $(( $(rss "$a" "$@") / 1024 )) MiB"
echo "B $b: $(stats "${tb[@]}")  peak $(( $(rss "$b" "$@") / 1024 )) MiB"
