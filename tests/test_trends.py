"""Trend models on simulated series with known answers, and on the real series."""
import numpy as np
import pandas as pd
import pytest

from analysis import build_observations, projections, trends

SEEDS = range(40)


def simulated(kind: str, seed: int, n: int = 14, growth: float = 0.2, noise: float = 0.06) -> pd.Series:
    rng = np.random.default_rng(seed)
    years = np.arange(2010, 2010 + n)
    t = years - years[0]
    if kind == "log_linear":
        values = 1000 * np.exp(np.log1p(growth) * t + rng.normal(0, noise, n))
    else:  # a straight line with additive noise
        values = 1000 + 300 * t + rng.normal(0, 60, n)
    return pd.Series(values, index=years)


def test_log_linear_fit_recovers_the_growth_rate():
    """Within 3 percentage points of the true 20% a year in at least 95% of seeds."""
    errors = [abs(trends.growth_rate(simulated("log_linear", s)) - 0.2) for s in SEEDS]
    assert np.mean(np.array(errors) < 0.03) >= 0.95


@pytest.mark.parametrize("kind,acceptable", [("log_linear", {"log_linear", "damped"}), ("linear", {"linear", "damped"})])
def test_selection_rule_picks_a_model_of_the_generating_kind_in_most_seeds(kind, acceptable):
    """Stated rate: at least 70% of seeds (damped counts for both: it contains either trend).
    The backtests are the ones projections run (the default number of origins)."""
    picks = [trends.choose(trends.backtest(simulated(kind, s))) for s in SEEDS]
    rate = np.mean([p in acceptable for p in picks])
    assert rate >= 0.7, (kind, rate, pd.Series(picks).value_counts().to_dict())


def test_80_percent_intervals_cover_between_70_and_90_percent_of_held_out_points():
    covered = []
    for seed in range(200):
        s = simulated("log_linear", seed, n=13)
        train, test = s.iloc[:-1], s.iloc[-1]
        f = trends.forecast(train, "log_linear", int(s.index[-1]))
        covered.append(f["lo80"].iloc[0] <= test <= f["hi80"].iloc[0])
    assert 0.70 <= np.mean(covered) <= 0.90


def test_naive_is_kept_when_backtests_are_too_few():
    short = pd.Series([100.0, 150.0, 400.0, 900.0], index=[2020, 2021, 2022, 2023])
    table = trends.backtest(short)
    assert (table["n_backtests"] <= 1).all()
    assert trends.choose(table) == "naive"


def test_short_series_get_scenarios_not_forecasts():
    sc = trends.scenarios(pd.Series([1400.0, 12000.0], index=[2022, 2023]), 2030)
    assert set(sc["model"]) == {"growth_continues", "growth_halves", "growth_stops"}
    stops = sc[sc["model"] == "growth_stops"]["point"]
    assert (stops == 12000).all()
    halves = sc[(sc["model"] == "growth_halves") & (sc["period"] == "2024")]["point"].iloc[0]
    assert halves == pytest.approx(12000 * (12000 / 1400) ** 0.5)


@pytest.fixture(scope="module")
def real():
    obs, _ = build_observations()
    return projections.build(obs)


def test_projection_and_backtest_tables_have_the_public_columns(real):
    proj, back = real
    assert list(proj.columns) == projections.PROJECTION_COLUMNS
    assert list(back.columns) == projections.BACKTEST_COLUMNS
    assert set(proj["kind"]) == {"observed", "forecast", "scenario"}
    assert set(proj.loc[proj["kind"] == "scenario", "series"]) == {"ncmec_generative_ai", "france_sextortion"}
    assert proj[proj["kind"] == "forecast"]["period"].max() == "2030"


def test_chosen_models_error_is_reported_next_to_naive(real):
    proj, back = real
    summary = projections.summary(proj, back)
    assert set(summary["series"]) == {"ncmec_reports", "ncmec_online_enticement", "iwf_urls_confirmed", "ncmec_reports_france"}
    for row in summary.itertuples():
        assert row.mape <= row.mape_naive
        assert row.lo95 <= row.lo80 <= row.point_2030 <= row.hi80 <= row.hi95
    for series, group in back.groupby("series"):
        assert group["selected"].sum() == 1


def test_the_ncmec_series_is_fitted_before_the_bundling_break(real):
    proj, _ = real
    observed = proj[(proj["series"] == "ncmec_reports") & (proj["kind"] == "observed")]
    assert observed["period"].max() == "2023"


@pytest.mark.parametrize("model", ["linear", "log_linear"])
def test_closed_form_least_squares_equals_statsmodels_ols(model):
    """The closed-form fit and prediction interval are statsmodels' OLS get_prediction (obs_ci)."""
    import statsmodels.api as sm

    s = simulated(model, 3)
    years, values = s.index.to_numpy(dtype=float), s.to_numpy(dtype=float)
    h = np.array([years[-1] + 1, years[-1] + 4])
    ours = trends._fit_predict(model, years, values, h)
    y = np.log(values) if model == "log_linear" else values
    pred = sm.OLS(y, sm.add_constant(years)).fit().get_prediction(sm.add_constant(h, has_constant="add"))
    back = np.exp if model == "log_linear" else (lambda v: v)
    np.testing.assert_allclose(ours.point, back(pred.predicted_mean), rtol=1e-9)
    for level in trends.LEVELS:
        frame = pred.summary_frame(alpha=1 - level)
        np.testing.assert_allclose(ours.lo[level], back(frame["obs_ci_lower"].to_numpy()), rtol=1e-9)
        np.testing.assert_allclose(ours.hi[level], back(frame["obs_ci_upper"].to_numpy()), rtol=1e-9)


def test_no_projection_is_fitted_across_a_declared_break(built):
    """Every projected series comes through series.yearly or country_series, which enforce breaks
    (issue 24: online enticement was fitted on 2020-2024 across the 2024 bundling)."""
    from analysis import load_observations, projections
    from analysis.series import BUNDLING_YEAR

    paths, _ = built
    observed = projections.series(load_observations(paths))
    for name in ("ncmec_reports", "ncmec_online_enticement", "ncmec_reports_france"):
        assert observed[name].index.max() < BUNDLING_YEAR, name
