#!/usr/bin/env bash
# The parallel sweep under the thread sanitizer: builds the engine with -sanitize=thread into
# .build-tsan (fuzz/Sources/SweepUnderTSan: the engine and the model, without the CLI's web
# server), runs a small sweep on 2 threads with votes and time series, and fails on any data
# race report. `make test` runs it through scripts/test-all.sh.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
swift build --scratch-path ../.build-tsan --sanitize=thread --product SweepUnderTSan
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
TSAN_OPTIONS="halt_on_error=1 exitcode=66" ../.build-tsan/debug/SweepUnderTSan ../Tests/Fixtures/experiments/small-sweep.yaml "$out/r" \
    2> "$out/tsan.log" || { cat "$out/tsan.log"; echo "tsan: 0 passed, 1 failed"; exit 1; }
if grep -q "ThreadSanitizer" "$out/tsan.log"; then cat "$out/tsan.log"; echo "tsan: 0 passed, 1 failed"; exit 1; fi
echo "tsan: 1 passed, 0 failed (parallel sweep, 96 runs on 2 threads, no data race reported)"
