"""Read, run and analyse bystander experiments from Python.

    >>> import bystander
    >>> r = bystander.read_results("Results/default")      # tidy pandas frames
    >>> r.comparison.query("outcome == 'deaths_total'")
    >>> s = bystander.sweep("Experiments/sweeps/patron.yaml")  # runs the CLI, returns the same frames
    >>> s.contrast("deaths_total", a=1, b=0)                  # paired by seed across points

The EMA Workbench connector is :class:`bystander.ema.BystanderModel` (needs ema-workbench).
The CLI is found through $BYSTANDER_BIN, PATH, or the checkout's .build folder.
"""
from .cli import BystanderError, binary, config_with, run, sweep
from .results import Results, read_results, vetoes_long

__all__ = ["BystanderError", "Results", "binary", "config_with", "read_results", "run", "sweep", "vetoes_long"]
__version__ = "0.1.0"
