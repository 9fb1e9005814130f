#!/usr/bin/env bash
# Test of `make dist`: dist/bystander runs an experiment with the Swift toolchain hidden.
#
#   bash scripts/dist-test.sh        (after bash scripts/dist.sh)
#
# It checks the binary's dynamic dependencies with ldd (no Swift runtime, no GSL), then runs a
# small experiment in a private mount namespace in which an empty tmpfs covers the toolchain's
# folder (unshare -m; needs root or user namespaces) and compares its runs.csv with the same
# experiment run normally. Closes with PASS, FAIL or SKIPPED (no namespace available).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN="$PWD/dist/bystander"
fail() { echo "FAIL: dist: $*"; exit 1; }
[[ -x "$BIN" ]] || fail "$BIN is missing (run bash scripts/dist.sh)"

deps="$(ldd "$BIN" 2>&1)"
if grep -qiE "libswift|libFoundation|libdispatch|libgsl|not found" <<<"$deps"; then
    fail "dist/bystander needs libraries a node without the toolchain lacks:
$deps"
fi
echo "dist-test: ldd lists no Swift runtime and no GSL"

toolchain="$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")")"   # e.g. /opt/swift
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'name: dist\nseed: 3\nreplicates: 6\nhorizon_weeks: 40\ncrisis: {initial_phase: escalating}\n' >"$work/c.yaml"
"$BIN" run "$work/c.yaml" -o "$work/normal" --quiet >/dev/null || fail "dist/bystander run failed with the toolchain present"

if ! unshare -m true 2>/dev/null; then
    echo "SKIPPED: dist test: no mount namespace here (unshare -m needs root or user namespaces); ldd check passed"
    exit 0
fi
# In the namespace: hide the toolchain, prove it is hidden, run the experiment.
out="$(unshare -m bash -c '
    mount -t tmpfs tmpfs "$1" || exit 90
    [[ -z "$(ls -A "$1")" ]] || exit 91
    if swift --version >/dev/null 2>&1; then exit 92; fi
    "$2" run "$3/c.yaml" -o "$3/hidden" --quiet
' _ "$toolchain" "$BIN" "$work" 2>&1)"
status=$?
case $status in
    0) ;;
    90) echo "SKIPPED: dist test: cannot mount a tmpfs over $toolchain"; exit 0 ;;
    *) fail "with $toolchain hidden, dist/bystander failed (status $status): $out" ;;
esac
cmp -s "$work/normal/runs.csv" "$work/hidden/runs.csv" || fail "runs.csv differs with the toolchain hidden"
echo "dist-test: dist/bystander ran with $toolchain hidden; runs.csv identical"
echo "PASS"
