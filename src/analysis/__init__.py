"""Published statistics on online child sexual exploitation as tidy, cited tables.

The public Python API for researchers:

    >>> import analysis
    >>> obs = analysis.load_observations()        # the tidy table (data/processed)
    >>> analysis.select(obs, "cybertipline_reports", period="2023")
    >>> analysis.load_sources(), analysis.load_indicators()
"""
from analysis.errors import DataError, Problem
from analysis.observations import OBSERVATION_COLUMNS, build_observations, load_observations, select
from analysis.registry import load_indicators, load_sources

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
