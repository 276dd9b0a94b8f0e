"""Published statistics on online child sexual exploitation as tidy, cited tables.

The public Python API for researchers:

    >>> import analysis
    >>> obs = analysis.load_observations()        # the tidy table (data/processed)
    >>> analysis.select(obs, "cybertipline_reports", period="2023")
    >>> analysis.load_sources(), analysis.load_indicators()
"""
import os

# One BLAS thread per process unless the caller says otherwise: the fits here are small, and the
# build and the tests run one process per core, where BLAS threads fighting over the same cores
# made the trend backtests five times slower. Set before numpy is first imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
del _var

from analysis.errors import DataError, Problem  # noqa: E402
from analysis.observations import OBSERVATION_COLUMNS, build_observations, load_observations, select  # noqa: E402
from analysis.registry import load_indicators, load_sources  # noqa: E402

__all__ = [
    "DataError",
    "Problem",
    "OBSERVATION_COLUMNS",
    "build_observations",
    "load_observations",
    "load_indicators",
    "load_sources",
    "select",
]
