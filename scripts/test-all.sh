#!/usr/bin/env bash
# Every test of the project, as `make test` and CI run them: the Swift test suite (XCTest),
# then the end-to-end suites that live outside it. Ends with one line "tests: N passed,
# N failed" summing all of them, and exits non-zero if anything failed.
# QUICK=1 (make test-quick) skips the stages that build the project again with other flags
# (thread sanitizer, fuzzer, static dist binary) or start a cluster (Slurm).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.build/debug/bystander
log=$(mktemp)
passed=0; failed=0

swift test --skip-build --disable-swift-testing 2>&1 | tee "$log"
swift_status=${PIPESTATUS[0]}
# XCTest's last "Executed N tests, with [S tests skipped and] F failures" line covers the whole
# run (skips: tests that need the real data in ../shared/data, absent on a fresh clone).
summary=$(grep -E "Executed [0-9]+ tests?, with ([0-9]+ tests? skipped and )?[0-9]+ failures?" "$log" | tail -1)
n=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary"); f=$(grep -oE "[0-9]+ failures?" <<<"$summary" | grep -oE "[0-9]+")
s=$(grep -oE "[0-9]+ tests? skipped" <<<"$summary" | grep -oE "[0-9]+" || true)
if [ -z "$summary" ]; then echo "test-all: the Swift test suite printed no summary"; failed=$((failed + 1))
else passed=$((passed + n - f - ${s:-0})); failed=$((failed + f)); fi
[ "$swift_status" -eq 0 ] || [ "${f:-1}" -gt 0 ] || failed=$((failed + 1))

# Suites with their own closing line "...: N passed, N failed" (a skip prints SKIPPED and passes nothing).
run_suite() {
    local name=$1; shift
    "$@" 2>&1 | tee "$log"
    local status=${PIPESTATUS[0]}
    local line; line=$(grep -E "[0-9]+ passed, [0-9]+ failed" "$log" | tail -1)
    if [ -n "$line" ]; then
        passed=$((passed + $(grep -oE "[0-9]+ passed" <<<"$line" | grep -oE "[0-9]+")))
        failed=$((failed + $(grep -oE "[0-9]+ failed" <<<"$line" | grep -oE "[0-9]+")))
    elif grep -q "^PASS" "$log"; then passed=$((passed + 1))
    elif grep -q "^SKIPPED" "$log"; then :
    else failed=$((failed + 1)); fi
    [ "$status" -eq 0 ] || { echo "test-all: $name exited with $status"; grep -qE "[0-9]+ passed, [1-9][0-9]* failed|^FAIL" "$log" || failed=$((failed + 1)); }
}
if [ "${QUICK:-0}" = 1 ]; then
    echo "test-all: QUICK=1: skipping the slurm, tsan, fuzz and dist stages (make test runs them)"
else
    run_suite slurm bash scripts/slurm-e2e.sh "$BIN"
    run_suite tsan bash scripts/tsan-sweep.sh
    run_suite fuzz bash scripts/fuzz.sh 20
    run_suite dist bash -c 'bash scripts/dist.sh >/dev/null && bash scripts/dist-test.sh'
fi
[ -f scripts/notebooks.sh ] && run_suite notebooks bash scripts/notebooks.sh test "$BIN"
[ -f scripts/notebooks.sh ] && run_suite python bash scripts/notebooks.sh pytest "$BIN"
[ -f scripts/docking-test.sh ] && run_suite docking bash scripts/docking-test.sh "$BIN"
run_suite browser bash scripts/browser-test.sh "$BIN"

rm -f "$log"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
