#!/usr/bin/env bash
# The parallel sweep under the thread sanitizer: builds bystander with -sanitize=thread into
# .build-tsan, runs a small sweep on 2 threads, and fails on any data race report.
# Slow (a separate instrumented build); `make test` runs it through scripts/test-all.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --scratch-path .build-tsan --sanitize=thread --product bystander
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
TSAN_OPTIONS="halt_on_error=1 exitcode=66" .build-tsan/debug/bystander sweep Tests/Fixtures/experiments/small-sweep.yaml \
    --output "$out/r" --jobs 2 --quiet --votes --timeseries 2 2> "$out/tsan.log" || { cat "$out/tsan.log"; echo "tsan: 0 passed, 1 failed"; exit 1; }
if grep -q "ThreadSanitizer" "$out/tsan.log"; then cat "$out/tsan.log"; echo "tsan: 0 passed, 1 failed"; exit 1; fi
echo "tsan: 1 passed, 0 failed (parallel sweep, 96 runs on 2 threads, no data race reported)"
