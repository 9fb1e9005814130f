#!/usr/bin/env bash
# The command-line property test (Tests/EndToEndTests/CLIFuzzTests.swift) at length:
#   benchmarks/cli-fuzz.sh [INVOCATIONS] [SEED]     (default 3000 invocations, seed 1)
# Each invocation is a random config (documented keys at and beyond their edges, random
# sweeps) with random option values; every one must exit 0 or 2, without a trap, within the
# time bound, and leave no output folder on error. Prints the counts of each exit status.
# Needs the debug build with tests (swift build --build-tests); `make test` runs 150.
set -euo pipefail
cd "$(dirname "$0")/.."
BYSTANDER_CLI_FUZZ_ITERATIONS=${1:-3000} BYSTANDER_CLI_FUZZ_SEED=${2:-1} \
    swift test --skip-build --disable-swift-testing --filter CLIFuzzTests 2>&1 | grep -E "cli fuzz:|error:|Executed" | sort -u
