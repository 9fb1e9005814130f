#!/usr/bin/env bash
# Regenerates the README's picture of the explorer (docs/explorer.png): builds the CLI, starts
# `bystander serve` on a free loopback port, loads the page in headless chromium, moves a slider
# and saves the screenshot. Usage: bash scripts/screenshot.sh [OUTPUT_PNG]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
swift build -c release --product bystander
bash scripts/browser-test.sh .build/release/bystander --screenshot "${1:-docs/explorer.png}"
