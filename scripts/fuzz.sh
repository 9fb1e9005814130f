#!/usr/bin/env bash
# Coverage-guided fuzzing of the config loader (libFuzzer, with AddressSanitizer) for a
# bounded time: scripts/fuzz.sh [SECONDS] (default 30; the test suite runs it briefly, a long
# run is e.g. scripts/fuzz.sh 3600). The corpus starts from the shipped configs; crashes are
# saved to fuzz/crashes/ and fail the run.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-30}
# libFuzzer instrumentation and AddressSanitizer from the compiler. SwiftPM names an
# executable's entry point <Target>_main; the target defines it to call libFuzzer's driver.
swift build --scratch-path ../.build-fuzz --product ConfigFuzzer -Xswiftc -sanitize=fuzzer,address >/dev/null
corpus=$(mktemp -d); mkdir -p crashes
trap 'rm -rf "$corpus"' EXIT
cp ../Experiments/*.yaml ../Experiments/*/*.yaml ../Tests/Fixtures/experiments/*.yaml "$corpus"/ 2>/dev/null || true
if ../.build-fuzz/debug/ConfigFuzzer "$corpus" -max_total_time="$seconds" -max_len=4096 -artifact_prefix=crashes/ -print_final_stats=1 > "$corpus/log" 2>&1; then
    runs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$corpus/log" | grep -oE "[0-9]+$" || echo "?")
    echo "fuzz: 1 passed, 0 failed ($runs inputs in ${seconds}s, no crash)"
else
    tail -40 "$corpus/log"; echo "fuzz: 0 passed, 1 failed (see fuzz/crashes/)"; exit 1
fi
