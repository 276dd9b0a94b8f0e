"""Published statistics on online child sexual exploitation as tidy, cited tables.

The public Python API for researchers:

    >>> import analysis
    >>> obs = analysis.load_observations()        # the tidy table (data/processed)
    >>> analysis.select(obs, "cybertipline_reports", period="2023")
    >>> analysis.load_sources(), analysis.load_indicators()
"""
import importlib
import os

# One BLAS thread per process unless the caller says otherwise: the fits here are small, and the
# build and the tests run one process per core, where BLAS threads fighting over the same cores
# made the trend backtests five times slower. Set before numpy is first imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
del _var

# Loaded on first use (PEP 562): the command line answers a no-op build or a missing file
# without importing pandas.
_API = {
    "DataError": "analysis.errors",
    "Problem": "analysis.errors",
    "OBSERVATION_COLUMNS": "analysis.observations",
    "build_observations": "analysis.observations",
    "load_observations": "analysis.observations",
    "select": "analysis.observations",
    "load_indicators": "analysis.registry",
    "load_sources": "analysis.registry",
}
__all__ = list(_API)


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(_API[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
