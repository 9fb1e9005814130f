#!/usr/bin/env bash
# The analysis notebooks (notebooks/NN-name.py, jupytext percent-format scripts that JupyterLab
# opens as notebooks): their Python environment, a headless test of all of them on tiny
# inputs, and the full run that writes the figures and tables.
#
#   bash scripts/notebooks.sh venv                  create notebooks/.venv (idempotent, fast when up to date)
#   bash scripts/notebooks.sh test BYSTANDER_BIN    small mode: tiny experiments in a temporary folder,
#                                                   every notebook executed, outputs checked;
#                                                   closes with 'notebooks: N passed, N failed'
#   bash scripts/notebooks.sh figures BYSTANDER_BIN full mode: experiments into Results/<experiment>/,
#                                                   figures into Results/figures/, tables into Results/*.csv,
#                                                   executed notebooks into Results/notebooks/
#   bash scripts/notebooks.sh pytest BYSTANDER_BIN  the Python package's tests (python/tests);
#                                                   closes with 'python: N passed, N failed'
#   bash scripts/notebooks.sh lab                   install JupyterLab into the venv and open it on notebooks/
#
# Environment: PYTHON (default python3) creates the venv; KEEP_WORK=1 keeps the test's
# temporary folder; BYSTANDER_JOBS sets the CLI's --jobs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NB="$ROOT/notebooks"
VENV="$NB/.venv"
PY="$VENV/bin/python"
STAMP="$VENV/.requirements.sha256"

usage() {
    sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
}

venv() {
    local want have=""
    want="$(cat "$NB/requirements.txt" "$ROOT/python/pyproject.toml" | sha256sum | cut -d' ' -f1)"
    [[ -f "$STAMP" ]] && have="$(cat "$STAMP")"
    if [[ -x "$PY" && "$have" == "$want" ]]; then
        return 0
    fi
    if [[ ! -x "$PY" ]]; then
        echo "notebooks: creating $VENV" >&2
        "${PYTHON:-python3}" -m venv "$VENV" || return 1
    fi
    echo "notebooks: installing notebooks/requirements.txt into $VENV (first time: about a minute)" >&2
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$NB/requirements.txt" || return 1
    # The bystander Python package (python/), editable: the notebooks and its tests use the checkout's code.
    "$PY" -m pip install --quiet --disable-pip-version-check --no-deps -e "$ROOT/python" || return 1
    echo "$want" >"$STAMP"
}

# Sets BIN to the absolute path of the bystander binary, or fails (with the tally the test
# runner reads, so that a missing binary counts as failed notebooks).
binary() {
    local bin="${1:-}" problem=""
    [[ -n "$bin" ]] || problem="give the bystander binary, e.g. .build/release/bystander"
    [[ -z "$problem" && ! -x "$bin" ]] && problem="$bin is not an executable (build it first)"
    if [[ -n "$problem" ]]; then
        echo "notebooks: $problem" >&2
        echo "notebooks: 0 passed, $(ls "$NB"/[0-9][0-9]-*.py | wc -l) failed"   # the tally the test runner reads
        exit 2
    fi
    BIN="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
}

cmd="${1:-}"
case "$cmd" in
    venv)
        venv
        ;;
    test)
        binary "${2:-}"
        if ! venv; then
            echo "notebooks: could not install notebooks/requirements.txt into $VENV" >&2
            echo "notebooks: 0 passed, $(ls "$NB"/[0-9][0-9]-*.py | wc -l) failed"
            exit 1
        fi
        work="$(mktemp -d "${TMPDIR:-/tmp}/bystander-notebooks.XXXXXX")"
        if [[ "${KEEP_WORK:-0}" != 1 ]]; then trap 'rm -rf "$work"' EXIT; else echo "notebooks: keeping $work" >&2; fi
        cd "$ROOT"
        BYSTANDER_SMALL=1 BYSTANDER_BIN="$BIN" BYSTANDER_WORK="$work" MPLBACKEND=Agg \
            "$PY" "$NB/tools/run_notebooks.py" test
        ;;
    figures)
        binary "${2:-}"
        venv
        cd "$ROOT"
        BYSTANDER_SMALL=0 BYSTANDER_BIN="$BIN" BYSTANDER_WORK="$ROOT/Results" MPLBACKEND=Agg \
            "$PY" "$NB/tools/run_notebooks.py" figures
        ;;
    pytest)
        binary "${2:-}"
        if ! venv; then
            echo "python: could not install notebooks/requirements.txt into $VENV" >&2
            echo "python: 0 passed, 1 failed"
            exit 1
        fi
        cd "$ROOT/python"
        log="$(mktemp)"
        status=0
        BYSTANDER_BIN="$BIN" "$PY" -m pytest -q -p no:cacheprovider tests 2>&1 | tee "$log" || status=${PIPESTATUS[0]}
        # pytest's closing line, e.g. "12 passed, 1 failed in 3.1s" or "12 passed in 3.1s".
        n_passed=$(grep -oE "[0-9]+ passed" "$log" | tail -1 | grep -oE "[0-9]+" || true)
        n_failed=$(grep -E "[0-9]+ (passed|failed|errors?)( |,|$)" "$log" | tail -1 | grep -oE "[0-9]+ (failed|errors?)" | awk '{s += $1} END {if (NR) print s}' || true)
        rm -f "$log"
        if [[ "$status" -eq 5 ]]; then   # exit 5: no tests were collected, which is a failure here
            echo "python: pytest collected no tests in python/tests" >&2
            n_failed=$(( ${n_failed:-0} + 1 ))
        elif [[ "$status" -ne 0 && -z "$n_failed" ]]; then
            n_failed=1
        fi
        echo "python: ${n_passed:-0} passed, ${n_failed:-0} failed"
        [[ "$status" -eq 0 ]]
        ;;
    lab)
        venv
        if [[ ! -x "$VENV/bin/jupyter-lab" ]]; then
            echo "notebooks: installing JupyterLab into $VENV" >&2
            "$PY" -m pip install --quiet --disable-pip-version-check "jupyterlab==${JUPYTERLAB_VERSION:-4.6.6}"
        fi
        cd "$NB"
        # jupytext's contents manager opens the notebooks/NN-name.py scripts as notebooks
        # (right-click > Open With > Notebook, or a double-click once set as the default).
        exec "$VENV/bin/jupyter-lab" ${JUPYTER_ARGS:-}
        ;;
    *)
        usage
        ;;
esac
