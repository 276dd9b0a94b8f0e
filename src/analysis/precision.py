"""Declared precision of every number written to a CSV file.

A table's numbers are written at a precision chosen for their kind, never at whatever
floating point happens to hold: counts as whole numbers exactly as published, shares and
rates at fixed decimals, model outputs rounded to a few significant digits first (so that
noise in the last bits of a fit never reaches a file and two machines write the same
bytes). No number is written in e-notation.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

MODEL_SIGNIFICANT = 4  # projections and intervals: more digits would be false precision
PERCENT_DECIMALS = 3  # shares in percent (0.001 percentage point)
RATE_DECIMALS = 2  # rates per 100,000
ERROR_DECIMALS = 2  # backtest errors (MAPE, percent)
FRACTION_DECIMALS = 3  # coverage of an interval (a fraction of backtests)

# How a value of each kind is written; "exact" is for values already rounded where they are
# made (model outputs, see analysis.projections) and for published non-whole numbers.
KINDS = ("count", "percent", "rate", "error", "fraction", "exact")


def round_significant(value: float, digits: int = MODEL_SIGNIFICANT) -> float:
    """`value` rounded to `digits` significant digits (NaN stays NaN)."""
    if value is None or not math.isfinite(value) or value == 0:
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def plain(value: float) -> str:
    """Shortest text that reads back as the same float, never in e-notation."""
    if float(value).is_integer():
        return str(int(value))
    return np.format_float_positional(float(value), trim="-")


def format_value(value, kind: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "True" if value else "False"
    if kind == "count":
        if not float(value).is_integer():
            raise ValueError(f"a count must be a whole number, got {value!r}")
        return str(int(value))
    if kind == "percent":
        return f"{value:.{PERCENT_DECIMALS}f}"
    if kind == "rate":
        return f"{value:.{RATE_DECIMALS}f}"
    if kind == "error":
        return f"{value:.{ERROR_DECIMALS}f}"
    if kind == "fraction":
        return f"{value:.{FRACTION_DECIMALS}f}"
    if kind == "exact":
        return plain(value)
    raise ValueError(f"unknown precision kind {kind!r}; expected one of {KINDS}")


def formatted(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """`frame` with every declared numeric column turned into text at its precision.

    Every numeric column must be declared: an undeclared float column is an error, so a new
    column cannot slip into a file at floating-point noise.
    """
    out = frame.copy()
    for column in out.columns:
        numeric = pd.api.types.is_numeric_dtype(out[column]) and not pd.api.types.is_bool_dtype(out[column])
        if column not in kinds:
            if numeric:
                raise ValueError(f"column {column!r} holds numbers but declares no precision")
            continue
        out[column] = [format_value(v, kinds[column]) for v in out[column].astype(object)]
    return out


def write_csv(frame: pd.DataFrame, path: Path, kinds: dict[str, str]) -> None:
    formatted(frame, kinds).to_csv(path, index=False, lineterminator="\n")
