#!/usr/bin/env bash
# Measures a clean release build of labbook, as a newcomer's first
# `cargo run --release` does it: wall and CPU seconds, peak memory, and the
# crates that took longest (from `cargo build --timings`).
#
#   scripts/build-time.sh [TARGET_DIR]
#
# TARGET_DIR (default: a new temporary folder) is emptied first. Crates are
# taken from cargo's local registry cache when they are there, so this times
# compiling, not downloading. Run it on a quiet machine: wall time is only
# meaningful when nothing else is competing for the cores.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-$(mktemp -d /tmp/labbook-build-XXXXXX)}"
rm -rf "$dir"
mkdir -p "$dir"
cargo fetch --quiet
log="$dir/build.log"
start=$(date +%s.%N)
/usr/bin/time -f '%e %U %S %M' -o "$dir/time" \
    env CARGO_TARGET_DIR="$dir" cargo build --release --locked --timings >"$log" 2>&1 || {
    tail -20 "$log"
    exit 1
}
read -r wall user sys rss <"$dir/time"
echo "clean release build: ${wall} s wall, $(python3 -c "print(round($user + $sys))") CPU-s, peak RSS $((rss / 1024)) MB, $(nproc) cores"
python3 - "$dir"/cargo-timings/cargo-timing.html <<'PY'
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);", html, re.S).group(1))
print(f"{len(units)} units; longest (s):")
for u in sorted(units, key=lambda u: -u["duration"])[:15]:
    what = u["name"] + (" (build script)" if "build-script" in u.get("target", "") else "")
    print(f"  {u['duration']:6.1f}  {what}")
PY
echo "timings report: $dir/cargo-timings/cargo-timing.html"
