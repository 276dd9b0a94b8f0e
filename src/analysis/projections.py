"""Which series are projected, and the two output tables (projections, backtests)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import ncmec, trends
from analysis.precision import round_significant
from analysis.series import BUNDLING_YEAR, yearly

TO_YEAR = 2030
PROJECTION_COLUMNS = ["series", "model", "period", "kind", "point", "lo80", "hi80", "lo95", "hi95"]
BACKTEST_COLUMNS = ["series", "model", "horizon", "error_metric", "error", "coverage80", "n_backtests", "selected"]
# Declared precision of the two tables (analysis.precision): observed values are published
# counts; model outputs are rounded to MODEL_SIGNIFICANT digits where they are made.
PROJECTION_PRECISION = {c: "exact" for c in ("point", "lo80", "hi80", "lo95", "hi95")}
BACKTEST_PRECISION = {"horizon": "count", "error": "error", "coverage80": "fraction", "n_backtests": "count"}
MODEL_COLUMNS = ["point", "lo80", "hi80", "lo95", "hi95"]


@dataclass(frozen=True)
class Spec:
    label: str
    note: str


SPECS = {
    "ncmec_reports": Spec("NCMEC CyberTipline reports", f"Fitted on the ten years before NCMEC began bundling reports in {BUNDLING_YEAR}; the projection continues the pre-bundling way of counting, so it is compared with the {BUNDLING_YEAR} incidents, not the bundled reports."),
    "ncmec_online_enticement": Spec("NCMEC online enticement reports", f"Reports categorised as online enticement in NCMEC's reports to Congress, before the {BUNDLING_YEAR} break (bundling)."),
    "iwf_urls_confirmed": Spec("IWF URLs confirmed as child sexual abuse", "URLs (webpages) confirmed by IWF; IWF published no URL count for 2019, which the damped model fills by log-linear interpolation."),
    "ncmec_reports_france": Spec("NCMEC reports concerning France", f"From NCMEC's tables by country, before the {BUNDLING_YEAR} break (bundling; referrals and informational reports)."),
    "ncmec_generative_ai": Spec("NCMEC reports involving generative AI", "Full-year figures only known rounded or as 'more than', from press coverage: scenarios, not a forecast."),
    "france_sextortion": Spec("Sextortion reports received by OFMIN (France)", "Two interview figures: scenarios, not a forecast."),
}


def series(obs: pd.DataFrame) -> dict[str, pd.Series]:
    """The observed yearly series, one value per year (preferred source)."""
    return {
        "ncmec_reports": yearly(obs, "cybertipline_reports", across_break=True).loc[BUNDLING_YEAR - 10:BUNDLING_YEAR - 1],
        # through series.yearly, which enforces the 2024 bundling break: fitted on the years before it
        "ncmec_online_enticement": yearly(obs, "cybertipline_reports", breakdown="incident_type=online_enticement",
                                          across_break=True).loc[:BUNDLING_YEAR - 1],
        "iwf_urls_confirmed": yearly(obs, "iwf_urls_confirmed_csam").loc[2014:],
        "ncmec_reports_france": ncmec.country_series(obs, "FRA", across_break=True).loc[:BUNDLING_YEAR - 1],
        "ncmec_generative_ai": yearly(obs, "cybertipline_reports_generative_ai"),
        "france_sextortion": yearly(obs, "ofmin_sextortion_reports", geography="FRA"),
    }


def build(obs: pd.DataFrame, to_year: int = TO_YEAR) -> tuple[pd.DataFrame, pd.DataFrame]:
    projections, backtests = [], []
    for name, s in series(obs).items():
        observed = pd.DataFrame({"series": name, "model": "observed", "period": s.index.astype(str), "kind": "observed", "point": s.to_numpy()})
        projections.append(observed)
        if len(s) < trends.MIN_POINTS_FOR_FORECAST:
            sc = trends.scenarios(s, to_year)
            projections.append(sc.assign(series=name, kind="scenario"))
            continue
        bt = trends.backtest(s).assign(series=name)
        backtests.append(bt)
        for model in trends.MODELS:
            projections.append(trends.forecast(s, model, to_year).assign(series=name, model=model, kind="forecast"))
    proj = pd.concat(projections, ignore_index=True).reindex(columns=PROJECTION_COLUMNS)
    modelled = proj["kind"] != "observed"
    proj.loc[modelled, MODEL_COLUMNS] = proj.loc[modelled, MODEL_COLUMNS].map(round_significant)
    back = pd.concat(backtests, ignore_index=True).reindex(columns=BACKTEST_COLUMNS)
    return proj, back


def summary(proj: pd.DataFrame, back: pd.DataFrame, year: str = str(TO_YEAR)) -> pd.DataFrame:
    """Per forecast series: chosen model, its error against naive, 80% coverage, projection and interval."""
    rows = []
    for name, bt in back.groupby("series", sort=False):
        chosen = bt.loc[bt["selected"], "model"].iloc[0]
        f = proj[(proj["series"] == name) & (proj["model"] == chosen) & (proj["period"] == year)].iloc[0]
        rows.append({"series": name, "model": chosen, "mape": bt.loc[bt["selected"], "error"].iloc[0],
                     "mape_naive": bt.loc[bt["model"] == "naive", "error"].iloc[0],
                     "coverage80": bt.loc[bt["selected"], "coverage80"].iloc[0],
                     f"point_{year}": f["point"], "lo80": f["lo80"], "hi80": f["hi80"], "lo95": f["lo95"], "hi95": f["hi95"]})
    return pd.DataFrame(rows)


def load(paths=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Projections and backtests as the last build wrote them (data/processed)."""
    from analysis.paths import default_paths

    paths = paths or default_paths()
    proj = pd.read_csv(paths.processed / "projections.csv", dtype={"period": str, "series": str, "model": str, "kind": str})
    back = pd.read_csv(paths.processed / "backtests.csv")
    return proj, back
