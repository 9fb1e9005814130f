#!/usr/bin/env bash
# Docking test for the test suite: the Swift simulator against its independent Mesa peer
# (benchmarks/mesa) on Experiments/default.yaml, in dock.py's quick mode (200 runs per regime
# and side, 52 weeks; under 90 s on two cores). Creates benchmarks/mesa/.venv from the pinned
# requirements if it is missing or out of date (idempotent, quiet). Ends with
# "docking: N passed, N failed"; exits non-zero if a distribution differs.
#
#   scripts/docking-test.sh [BINARY]     (default .build/debug/bystander)
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/debug/bystander}
VENV=benchmarks/mesa/.venv
REQ=benchmarks/mesa/requirements.txt
fail() { echo "docking-test: $*"; echo "docking: 0 passed, 1 failed"; exit 1; }

[ -x "$BIN" ] || fail "$BIN is not an executable (build it first)"
want=$(sha256sum "$REQ" | cut -d' ' -f1)
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
    python3 -m venv "$VENV" >/dev/null 2>&1 || fail "cannot create $VENV with python3 -m venv"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ" >/dev/null 2>&1 \
        || fail "cannot install $REQ into $VENV (is PyPI reachable?)"
    echo "$want" > "$VENV/.requirements.sha256"
fi
exec "$VENV/bin/python" benchmarks/mesa/dock.py --swift "$BIN" Experiments/default.yaml --small
