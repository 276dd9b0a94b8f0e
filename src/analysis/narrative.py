"""Sentences for notebooks, with every number computed from the observations."""
from __future__ import annotations

import pandas as pd

from analysis.figures.style import millions, number
from analysis.series import BUNDLING_YEAR, yearly


def cybertipline_summary(obs: pd.DataFrame, lang: str = "en") -> str:
    reports = yearly(obs, "cybertipline_reports")
    incidents = yearly(obs, "cybertipline_incidents")
    first, last_comparable = reports.index.min(), max(y for y in reports.index if y < BUNDLING_YEAR)
    ratio = reports[last_comparable] / reports[first]
    text = (
        f"NCMEC's CyberTipline received **{number(reports[first], lang)}** reports in {first} and "
        f"**{number(reports[last_comparable], lang)}** in {last_comparable}, about {number(ratio, lang)} times as many. "
    )
    peak = int(reports.loc[:last_comparable].idxmax())
    text += f"Up to {last_comparable}, the highest yearly count was in {peak}. "
    if BUNDLING_YEAR in reports.index:
        text += (
            f"In {BUNDLING_YEAR} NCMEC received **{millions(reports[BUNDLING_YEAR], lang)}** reports, which after bundling "
            f"stand for **{millions(incidents[BUNDLING_YEAR], lang)}** incidents; neither number is comparable with "
            f"the reports of earlier years."
            if BUNDLING_YEAR in incidents.index
            else f"In {BUNDLING_YEAR} NCMEC received **{millions(reports[BUNDLING_YEAR], lang)}** reports (bundled)."
        )
    return text
