#!/usr/bin/env bash
# Regenerate the blocks of the docs that come from the code: the parameter table
# (`bystander params`) in docs/MODEL.md and docs/EXPERIMENTS.md. The test suite checks
# that these blocks equal the command's output.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/debug/bystander}
table=$(mktemp)
"$BIN" params > "$table"
for doc in docs/MODEL.md docs/EXPERIMENTS.md; do
    [ -f "$doc" ] || continue
    python3 - "$doc" "$table" <<'PY'
import sys
doc, table = sys.argv[1], open(sys.argv[2]).read()
text = open(doc).read()
begin, end = "<!-- parameters:begin -->\n", "<!-- parameters:end -->"
i, j = text.index(begin) + len(begin), text.index(end)
open(doc, "w").write(text[:i] + table + text[j:])
PY
done
rm -f "$table"
