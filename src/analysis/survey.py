"""Survey percentages with their uncertainty (Protect Children).

A percentage with a published base n gets a 95% Wilson score interval (statsmodels);
without a base there is no interval, and the table says so.
"""
from __future__ import annotations

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
    from statsmodels.stats.proportion import proportion_confint  # slow to import; only needed here

    count = int(round(pct / 100 * n))
    lo, hi = proportion_confint(count, int(n), alpha=1 - level, method=method)
    return float(lo * 100), float(hi * 100)


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
