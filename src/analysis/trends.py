"""Trend projections with backtested model choice and prediction intervals.

Models (all fitted on the log scale, so that intervals stay positive, except 'linear'):
  naive       the last value; a random walk on log values for the intervals
  linear      ordinary least squares on the year (closed form; tests check it against statsmodels OLS)
  log_linear  OLS of log(value) on the year: a constant growth rate
  damped      additive damped trend on log values (statsmodels ETSModel)

Choice of model (the rule): rolling-origin backtests over each series' last four years,
one year ahead; the model with the lowest mean absolute percentage error (MAPE) is
chosen if it beats naive over at least three backtests, otherwise naive is kept. Intervals are the models' own 80%
and 95% prediction intervals; backtests report how often the 80% interval held the
next year's value.

A series with fewer than four points gets scenarios (growth continues, halves, stops),
never a forecast.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

MODELS = ("naive", "linear", "log_linear", "damped")
MIN_POINTS_FOR_FORECAST = 4
LEVELS = (0.80, 0.95)


@dataclass
class Forecast:
    years: np.ndarray
    point: np.ndarray
    lo: dict  # level -> array
    hi: dict


def _fit_predict(model: str, years: np.ndarray, values: np.ndarray, horizon_years: np.ndarray) -> Forecast:
    from scipy import stats
    years = np.asarray(years, dtype=float)
    values = np.asarray(values, dtype=float)
    h = np.asarray(horizon_years, dtype=float)
    lo, hi = {}, {}
    if model == "naive":
        logs = np.log(values)
        diffs = np.diff(logs)
        sigma = np.std(diffs, ddof=1) if len(diffs) > 1 else abs(diffs[0]) if len(diffs) else 0.0
        steps = h - years[-1]
        point = np.full(len(h), values[-1])
        for level in LEVELS:
            z = stats.norm.ppf(0.5 + level / 2)
            lo[level] = np.exp(logs[-1] - z * sigma * np.sqrt(steps))
            hi[level] = np.exp(logs[-1] + z * sigma * np.sqrt(steps))
        return Forecast(h, point, lo, hi)
    if model in ("linear", "log_linear"):
        # Ordinary least squares on the year, with the textbook prediction interval for a new
        # observation (what statsmodels' OLS get_prediction gives as obs_ci; a test checks they agree).
        y = np.log(values) if model == "log_linear" else values
        n = len(y)
        slope, intercept = np.polyfit(years, y, 1)
        resid = y - (intercept + slope * years)
        s2 = resid @ resid / (n - 2)
        sxx = ((years - years.mean()) ** 2).sum()
        point = intercept + slope * h
        se = np.sqrt(s2 * (1 + 1 / n + (h - years.mean()) ** 2 / sxx))
        for level in LEVELS:
            q = stats.t.ppf(0.5 + level / 2, n - 2)
            lo[level], hi[level] = point - q * se, point + q * se
        if model == "log_linear":
            point = np.exp(point)
            lo = {k: np.exp(v) for k, v in lo.items()}
            hi = {k: np.exp(v) for k, v in hi.items()}
        return Forecast(h, np.asarray(point), lo, hi)
    if model == "damped":
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        logs = pd.Series(np.log(values), index=years.astype(int))
        full = logs.reindex(range(int(years[0]), int(years[-1]) + 1)).interpolate()  # a missing year: log-linear fill
        values, years = np.exp(full.to_numpy()), full.index.to_numpy(dtype=float)
        y = pd.Series(full.to_numpy(), index=pd.RangeIndex(len(full)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = ETSModel(y, error="add", trend="add", damped_trend=True).fit(disp=False)
            steps = (h - years[-1]).astype(int)
            pred = fit.get_prediction(start=len(values), end=len(values) + steps.max() - 1)
            frames = {level: pred.summary_frame(alpha=1 - level) for level in LEVELS}
        idx = steps - 1
        point = np.exp(frames[LEVELS[0]]["mean"].to_numpy()[idx])
        for level in LEVELS:
            lo[level] = np.exp(frames[level]["pi_lower"].to_numpy()[idx])
            hi[level] = np.exp(frames[level]["pi_upper"].to_numpy()[idx])
        return Forecast(h, point, lo, hi)
    raise ValueError(f"unknown model {model!r}; expected one of {MODELS}")


def growth_rate(series: pd.Series) -> float:
    """Constant yearly growth rate of a log-linear fit (0.2 = +20% a year)."""
    slope, _ = np.polyfit(series.index.to_numpy(dtype=float), np.log(series.to_numpy(dtype=float)), 1)
    return float(np.exp(slope) - 1)


def backtest(series: pd.Series, models=MODELS, last: int = 4, min_train: int = 3) -> pd.DataFrame:
    """Rolling-origin, one-year-ahead backtests on the series' last `last` years."""
    series = series.dropna().sort_index()
    years, values = series.index.to_numpy(dtype=float), series.to_numpy(dtype=float)
    origins = [i for i in range(max(min_train, len(series) - last), len(series))]
    rows = []
    for model in models:
        errors, covered = [], []
        for i in origins:
            if model == "damped" and i < 4:
                continue  # the damped trend needs at least four points to fit
            f = _fit_predict(model, years[:i], values[:i], years[i:i + 1])
            actual = values[i]
            errors.append(abs(f.point[0] - actual) / actual * 100)
            covered.append(f.lo[0.80][0] <= actual <= f.hi[0.80][0])
        if not errors:
            continue  # no origin this model can be fitted at (the damped trend on four points): nothing to report
        rows.append({"model": model, "horizon": 1, "error_metric": "MAPE", "error": float(np.mean(errors)),
                     "coverage80": float(np.mean(covered)), "n_backtests": len(errors)})
    table = pd.DataFrame(rows)
    table["selected"] = False
    table.loc[table["model"] == choose(table), "selected"] = True
    return table


MIN_BACKTESTS = 3


def choose(table: pd.DataFrame) -> str:
    """The written rule: lowest backtest MAPE, if it beats naive over at least three
    backtests; otherwise naive (too few years to show that anything does better)."""
    naive = table.loc[table["model"] == "naive", "error"].iloc[0]
    candidates = table.dropna(subset=["error"])
    candidates = candidates[candidates["n_backtests"] >= MIN_BACKTESTS]
    if candidates.empty:
        return "naive"
    best = candidates.loc[candidates["error"].idxmin()]
    return best["model"] if best["error"] < naive else "naive"


def forecast(series: pd.Series, model: str, to_year: int) -> pd.DataFrame:
    series = series.dropna().sort_index()
    years = np.arange(int(series.index.max()) + 1, to_year + 1)
    f = _fit_predict(model, series.index.to_numpy(dtype=float), series.to_numpy(dtype=float), years)
    return pd.DataFrame({"period": years.astype(int).astype(str), "point": f.point, "lo80": f.lo[0.80], "hi80": f.hi[0.80],
                         "lo95": f.lo[0.95], "hi95": f.hi[0.95]})


SCENARIOS = {"growth_continues": 1.0, "growth_halves": 0.5, "growth_stops": 0.0}


def scenarios(series: pd.Series, to_year: int) -> pd.DataFrame:
    """Labelled scenarios from the last observed yearly growth (on the log scale): not forecasts."""
    series = series.dropna().sort_index()
    (y0, v0), (y1, v1) = list(series.items())[-2], list(series.items())[-1]
    rate = (np.log(v1) - np.log(v0)) / (y1 - y0)
    rows = []
    for name, k in SCENARIOS.items():
        for year in range(int(y1) + 1, to_year + 1):
            rows.append({"model": name, "period": str(year), "point": float(v1 * np.exp(k * rate * (year - y1)))})
    return pd.DataFrame(rows)
