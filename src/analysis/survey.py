"""Survey percentages with their uncertainty (Protect Children).

A percentage with a published base n gets a 95% Wilson score interval (closed form);
without a base there is no interval, and the table says so.
"""
from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd

from analysis.observations import select
from analysis.registry import load_sources

NOT_PUBLISHED = "not published"


def interval(pct: float, n: int, level: float = 0.95, method: str = "wilson") -> tuple[float, float]:
    """Interval for a percentage observed on n respondents, in percent.

    The count is the percentage times n, rounded to the nearest respondent (the
    publications print percentages, not counts).
    """
    if n is None or pd.isna(n) or n < 1:
        raise ValueError(f"a base of at least 1 respondent is needed, got {n!r}")
    if not 0 <= pct <= 100:
        raise ValueError(f"a percentage between 0 and 100 is needed, got {pct!r}")
    count, n = int(round(pct / 100 * n)), int(n)
    if method == "wilson":  # closed form: importing statsmodels for it cost a second per process
        z = NormalDist().inv_cdf(1 - (1 - level) / 2)
        p, denom = count / n, 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
        return float(100 * max(0.0, centre - half)), float(100 * min(1.0, centre + half))
    if method == "beta":  # Clopper-Pearson
        from scipy.stats import beta

        alpha = 1 - level
        lo = beta.ppf(alpha / 2, count, n - count + 1) if count > 0 else 0.0
        hi = beta.ppf(1 - alpha / 2, count + 1, n - count) if count < n else 1.0
        return float(lo * 100), float(hi * 100)
    raise ValueError(f"unknown interval method {method!r}: 'wilson' or 'beta'")


def survey_table(obs: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Every published percentage of a survey indicator, with its base (or 'not published') and 95% interval."""
    rows = select(obs, indicator)
    kind = rows["source_id"].map(load_sources()["kind"])
    out = rows.assign(kind=kind).reset_index(drop=True)
    parts = out["breakdown"].map(lambda b: dict(pair.split("=", 1) for pair in b.split(";")) if b else {})
    out["question"] = parts.map(lambda d: d.get("question", ""))
    out["answer"] = parts.map(lambda d: d.get("answer") or d.get("platform", ""))
    out["base"] = out["base_n"].map(lambda n: NOT_PUBLISHED if pd.isna(n) else str(int(n)))
    bounds = [interval(v, n) if not pd.isna(n) else (np.nan, np.nan) for v, n in zip(out["value"], out["base_n"])]
    out["lo95"] = [b[0] for b in bounds]
    out["hi95"] = [b[1] for b in bounds]
    return out[["question", "answer", "period", "value", "base", "lo95", "hi95", "qualifier", "source_id", "kind"]]
