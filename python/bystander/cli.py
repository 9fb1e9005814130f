"""Running experiments through the bystander CLI and reading back what they wrote."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from .results import Results, read_results

__all__ = ["BystanderError", "binary", "run", "sweep", "config_with", "REPOSITORY"]


def _repository() -> Path | None:
    """The checkout this package was installed from (editable install), if it is one."""
    here = Path(__file__).resolve()
    for p in here.parents:
        if (p / "Package.swift").exists():
            return p
    return None


REPOSITORY = _repository()


class BystanderError(RuntimeError):
    """The CLI exited with an error; the message is its standard error."""

    def __init__(self, command: Sequence[str], status: int, stderr: str):
        super().__init__(f"{' '.join(map(str, command))} exited with {status}: {stderr.strip()}")
        self.command, self.status, self.stderr = list(command), status, stderr


def binary() -> str:
    """The bystander executable: $BYSTANDER_BIN, else `bystander` on PATH, else the checkout's
    .build/release/bystander or .build/debug/bystander."""
    env = os.environ.get("BYSTANDER_BIN")
    if env:
        return env
    found = shutil.which("bystander")
    if found:
        return found
    for build in ("release", "debug"):
        if REPOSITORY and (REPOSITORY / ".build" / build / "bystander").exists():
            return str(REPOSITORY / ".build" / build / "bystander")
    raise FileNotFoundError("no bystander binary: set BYSTANDER_BIN, put bystander on PATH, or build it (make release)")


def _set(tree: dict, path: str, value: Any) -> None:
    keys = path.split(".")
    for k in keys[:-1]:
        node = tree.get(k)
        if not isinstance(node, dict):
            node = tree[k] = {}
        tree = node
    tree[keys[-1]] = value


def config_with(config: str | Path | Mapping[str, Any], overrides: Mapping[str, Any]) -> dict:
    """A config (a YAML file or a mapping) with dotted-path overrides applied, e.g.
    ``{"duties.enforcement": 2, "world.states.RUS.links.alignment": 0.9}``."""
    if isinstance(config, Mapping):
        tree = yaml.safe_load(yaml.safe_dump(dict(config)))  # a deep copy
    else:
        tree = yaml.safe_load(Path(config).read_text()) or {}
    for path, value in overrides.items():
        _set(tree, path, value)
    return tree


def _overrides(kwargs: Mapping[str, Any], set: Mapping[str, Any] | None) -> dict[str, Any]:
    """Keyword overrides, with ``__`` standing for the dots of a path (duties__enforcement=2)."""
    out = {k.replace("__", "."): v for k, v in kwargs.items()}
    out.update(set or {})
    return out


def _execute(subcommand: str, config: str | Path | Mapping[str, Any], overrides: dict[str, Any], output: str | Path | None,
             jobs: int | None, extra: Sequence[str]) -> Results:
    """Write the config (with overrides) next to the original, so relative paths in it
    (data files, design files) resolve as they would; run the CLI; read the results."""
    if output is None:
        output = tempfile.mkdtemp(prefix=f"bystander-{subcommand}-")
    base = Path(config).resolve().parent if not isinstance(config, Mapping) else Path.cwd()
    tree = config_with(config, overrides)
    fd, path = tempfile.mkstemp(prefix=".bystander-python-", suffix=".yaml", dir=base)
    try:
        with os.fdopen(fd, "w") as f:
            yaml.safe_dump(tree, f, sort_keys=False)
        command = [binary(), subcommand, path, "--output", str(output), "--force", "--quiet", *extra]
        if jobs is not None:
            command += ["--jobs", str(jobs)]
        p = subprocess.run(command, capture_output=True, text=True)
    finally:
        os.unlink(path)
    # Exit status 3: some runs failed; their rows say why and read_results leaves them out.
    if p.returncode not in (0, 3):
        raise BystanderError(command, p.returncode, p.stderr)
    return read_results(output)


def run(config: str | Path | Mapping[str, Any], *, output: str | Path | None = None, jobs: int | None = None,
        votes: bool = True, set: Mapping[str, Any] | None = None, **overrides: Any) -> Results:
    """Run an experiment (``bystander run``) and return its tables.

    Args:
        config: a YAML config file, or a config as a mapping.
        output: the results folder (default: a new temporary folder).
        jobs: worker threads (default: all cores); results do not depend on it.
        votes: record every Council vote (votes.csv).
        set: overrides by dotted path, e.g. ``{"world.states.RUS.links.alignment": 0.9}``.
        **overrides: overrides as keywords: ``replicates=50``, ``duties__enforcement=2``
            (``__`` for the dots of a path).

    Example:
        >>> r = run("Experiments/default.yaml", replicates=40)
        >>> r.comparison.query("outcome == 'deaths_total'")
    """
    return _execute("run", config, _overrides(overrides, set), output, jobs, [] if votes else ["--no-votes"])


def sweep(config: str | Path | Mapping[str, Any], *, parameters: Mapping[str, Sequence[Any]] | None = None,
          common_random_numbers: bool | None = None, output: str | Path | None = None, jobs: int | None = None,
          votes: bool = False, set: Mapping[str, Any] | None = None, **overrides: Any) -> Results:
    """Run a sweep (``bystander sweep``) and return its tables.

    Args:
        config: a YAML config file (with or without a sweep section), or a mapping.
        parameters: a grid to sweep instead of the config's sweep section, path -> values,
            e.g. ``{"world.states.RUS.links.alignment": [0, 0.9]}``.
        common_random_numbers: the same seeds at every point, so points are paired (needed by
            :meth:`Results.contrast` and ``bystander compare --contrast``).
        output, jobs, set, **overrides: as for :func:`run`.
        votes: record every Council vote (votes.csv).
    """
    changes = _overrides(overrides, set)
    if parameters is not None:
        changes["sweep"] = {"method": "grid", "parameters": {k: {"values": list(v)} for k, v in parameters.items()}}
    if common_random_numbers is not None:
        changes["sweep.common_random_numbers"] = common_random_numbers
    return _execute("sweep", config, changes, output, jobs, ["--votes"] if votes else [])
