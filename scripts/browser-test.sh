#!/usr/bin/env bash
# The explorer's end-to-end tests (Tests/Browser/test_explorer.py): `bystander serve` on a free
# loopback port, its API against the CLI and its error paths, then the page in Debian's headless
# chromium driven by Selenium. Installs what is missing: chromium and chromium-driver with
# apt-get, Selenium into Tests/Browser/.venv with pip. Closes with "browser: N passed, N failed".
#
#   bash scripts/browser-test.sh BYSTANDER_BIN                 the tests (screenshots in Results/browser-test/)
#   bash scripts/browser-test.sh BYSTANDER_BIN --screenshot F  only the page's picture, into F
#
# Where chromium cannot be installed, the browser part is skipped with a message saying so and
# the API tests still run.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${1:-}"; shift || true
if [[ -z "$BIN" || ! -x "$BIN" ]]; then
    echo "browser-test: give the bystander binary (built), e.g. .build/debug/bystander" >&2
    echo "browser: 0 passed, 1 failed"; exit 2
fi
VENV="$ROOT/Tests/Browser/.venv"
REQ="$ROOT/Tests/Browser/requirements.txt"

have_browser() { command -v chromium >/dev/null && command -v chromedriver >/dev/null; }
if ! have_browser; then
    SUDO=""; [[ "$(id -u)" -eq 0 ]] || SUDO="sudo -n"
    echo "browser-test: installing chromium and chromium-driver with apt-get" >&2
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver; } >/dev/null 2>&1
fi

want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" || "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$want" ]]; then
    echo "browser-test: installing $REQ into $VENV" >&2
    { python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQ"; } >&2 \
        || { echo "browser-test: cannot install Selenium into $VENV (pip failed)"; echo "browser: 0 passed, 1 failed"; exit 1; }
    echo "$want" >"$VENV/.requirements.sha256"
fi

extra=()
if ! have_browser; then
    echo "SKIPPED browser part: chromium and chromium-driver are not installed and apt-get could not install them; running the API tests only"
    extra+=(--api-only)
fi
cd "$ROOT"
SE_OFFLINE=true exec "$VENV/bin/python" Tests/Browser/test_explorer.py --bin "$BIN" "${extra[@]}" "$@"
