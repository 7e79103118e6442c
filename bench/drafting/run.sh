#!/usr/bin/env bash
# The drafting and archive benchmarks, whole process, as a user runs them (figures in
# docs/performance.md, "Drafting and archived sources"):
#   - `bilateral draft` of a 1,152-word article (three gold texts in one file);
#   - `bilateral draft` of a saved 2 MB web page (bench/drafting/make-page.py);
#   - `bilateral check` of 1,000 documents with 1,000 archives and 5,000 quotes, the archives
#     plain text and then saved pages (bench/drafting/make-archived-dataset.py).
# Each is run RUNS times (default 21); the median and the fastest run are printed.
# usage: bench/drafting/run.sh [RUNS]   (RUNS=1: a smoke run, as CI does it)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-21}
bin=target/release/bilateral
[ -x "$bin" ] || cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat tests/drafting/gold/03-kz-uz-news.txt tests/drafting/gold/07-br-cn-news.txt \
    tests/drafting/gold/12-pk-cn-readout.txt > "$work/article.txt"
python3 bench/drafting/make-page.py "$work/page.html" 2000000 >/dev/null
python3 bench/drafting/make-archived-dataset.py "$work/text" 1000 >/dev/null
python3 bench/drafting/make-archived-dataset.py "$work/html" 1000 --html >/dev/null

time_it() {
  local label=$1; shift
  python3 - "$runs" "$label" "$@" <<'PY'
import subprocess, sys, time, statistics
runs, label, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
times = []
for _ in range(runs):
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    times.append((time.perf_counter() - start) * 1000)
    if done.returncode != 0:
        sys.exit(f"{label}: failed: {done.stderr.decode()}")
print(f"{label:55} median {statistics.median(times):7.1f} ms   fastest {min(times):7.1f} ms   ({runs} runs)")
PY
}
time_it "draft, 1,152-word article (.txt)" "$bin" draft "$work/article.txt" --parties KZ,UZ -o -
time_it "draft, saved 2 MB web page (.html)" "$bin" draft "$work/page.html" --parties KZ,UZ -o -
time_it "check, 1,000 archives (.txt), 5,000 quotes" "$bin" check "$work/text"
time_it "check, 1,000 archives (.html), 5,000 quotes" "$bin" check "$work/html"
