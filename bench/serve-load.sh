#!/usr/bin/env bash
# Load on `bilateral serve` over loopback with wrk (Debian's package): requests per second and
# latency percentiles for the example's HTML page and PDF, from the cache and rendered on every
# request (a second server with --cache-mib 0), with one connection and with CONNECTIONS. Prints
# one table row per case.
#
#   bash bench/serve-load.sh            # 10 s per case, 8 connections
#   DURATION=30 CONNECTIONS=32 bash bench/serve-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-8}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
cargo build --release --quiet
BIN=target/release/bilateral
export SOURCE_DATE_EPOCH=1746057600
"$BIN" serve examples/china-azerbaijan --bind 127.0.0.1:18181 2>/dev/null &
cached=$!
"$BIN" serve examples/china-azerbaijan --bind 127.0.0.1:18182 --cache-mib 0 2>/dev/null &
uncached=$!
trap 'kill $cached $uncached 2>/dev/null' EXIT
sleep 1
q="cn-az/briefing?as_of=2025-05-01"
printf '| case | connections | requests/s | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|---|\n'
for c in 1 "$CONNECTIONS"; do
for case in "cached HTML|18181|$q&format=html" "cached PDF|18181|$q&format=pdf" \
            "uncached HTML|18182|$q&format=html" "uncached PDF|18182|$q&format=pdf"; do
  IFS='|' read -r name port path <<<"$case"
  curl -s -o /dev/null "http://127.0.0.1:$port/$path"   # warm: the cache, and the page cache
  out=$(wrk -t1 -c"$c" -d"${DURATION}s" --latency "http://127.0.0.1:$port/$path")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  pct() { awk -v p="$1" '$1 == p {print $2}' <<<"$out"; }
  max=$(awk '/Latency/ && !done {print $4; done=1}' <<<"$out")
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$c" "$rps" "$(pct 50%)" "$(pct 90%)" "$(pct 99%)" "$max"
done
done
