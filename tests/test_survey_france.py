"""Protect Children intervals and bases; French figures as published and as the report prints them."""
import math

import pytest
from scipy.stats import beta

from analysis import build_observations, france, survey
from analysis.survey import NOT_PUBLISHED, interval


@pytest.fixture(scope="module")
def obs():
    return build_observations()[0]


def test_wilson_interval_matches_the_closed_form():
    p, n, z = 0.52, 1546, 1.959963984540054
    count = round(p * n)
    phat = count / n
    centre = (phat + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    lo, hi = interval(52, 1546)
    assert lo == pytest.approx(100 * (centre - half), abs=1e-9)
    assert hi == pytest.approx(100 * (centre + half), abs=1e-9)


def test_clopper_pearson_matches_scipy_beta():
    lo, hi = interval(42, 1546, method="beta")
    k, n = round(0.42 * 1546), 1546
    assert lo == pytest.approx(100 * beta.ppf(0.025, k, n - k + 1), abs=1e-9)
    assert hi == pytest.approx(100 * beta.ppf(0.975, k + 1, n - k), abs=1e-9)


@pytest.mark.parametrize("method", ["wilson", "beta"])
def test_intervals_equal_statsmodels_on_a_grid_including_0_and_100_percent(method):
    from statsmodels.stats.proportion import proportion_confint

    for pct in (0, 1, 13.7, 50, 99, 100):
        for n in (1, 7, 1546, 8484):
            lo, hi = proportion_confint(int(round(pct / 100 * n)), n, alpha=0.05, method=method)
            assert interval(pct, n, method=method) == pytest.approx((100 * lo, 100 * hi), abs=1e-9)


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown interval method"):
        interval(50, 100, method="agresti")


def test_known_wilson_values():
    lo, hi = interval(50, 100)
    assert (round(lo, 2), round(hi, 2)) == (40.38, 59.62)


@pytest.mark.parametrize("bad,n", [(52, 0), (52, None), (120, 100), (-1, 100)])
def test_interval_refuses_bad_input(bad, n):
    with pytest.raises(ValueError):
        interval(bad, n)


@pytest.mark.parametrize("indicator", ["pc_redirection_pct", "pc_techplatforms_pct"])
def test_every_survey_percentage_has_a_base_or_says_not_published(obs, indicator):
    table = survey.survey_table(obs, indicator)
    assert len(table) >= 10
    for row in table.itertuples():
        assert row.base == NOT_PUBLISHED or row.base.isdigit()
        assert (row.base == NOT_PUBLISHED) == math.isnan(row.lo95)
        if row.base != NOT_PUBLISHED:
            assert row.lo95 <= row.value <= row.hi95


REPORT_TEXT = [  # as printed in the Fondation pour l'Enfance report (../shared/report)
    ("ofmin_reports_received", "2023", "", 318_000),
    ("ofmin_reports_per_day", "2023", "", 871),
    ("ofmin_sextortion_reports", "2023", "", 12_000),
    ("ofmin_sextortion_reports", "2022", "", 1_400),
    ("pdc_csam_reports", "2023-H2", "", 3_749),
    ("pdc_csam_reports_ai", "2023-H2", "", 50),
    ("pdc_csam_reports_ai_share", "2023-H2", "", 1.3),
    ("ofmin_cases_share_contact_offending", "2024", "", 40),
    ("pc_redirection_pct", "2021", "answer=yes;question=afraid_viewing_may_lead_to_contact_offence;survey=help_us_to_help_you", 52),
    ("pc_techplatforms_pct", "2024", "answer=yes;question=encountered_csam_on_open_web;survey=help_us_to_help_you", 77),
]


@pytest.mark.parametrize("indicator,period,breakdown,value", REPORT_TEXT, ids=[r[0] + ":" + r[1] for r in REPORT_TEXT])
def test_report_figures_are_recorded_as_printed_with_the_report_as_secondary_source(obs, indicator, period, breakdown, value):
    rows = obs[(obs["source_id"] == "fpe-report-2024") & (obs["indicator"] == indicator) & (obs["period"] == period) & (obs["breakdown"] == breakdown)]
    assert rows["value"].tolist() == [value]


def test_report_text_contains_the_recorded_figures():
    from analysis.paths import REPO_ROOT

    text = (REPO_ROOT.parent / "shared" / "report" / "fondation-pour-l-enfance-2024-generative-ai-report.md")
    if not text.exists():
        pytest.skip("../shared/report is absent")
    body = text.read_text()
    for printed in ("318,000 reports", "12,000 reports of sextortion", "some 1400", "3749 reports", "around fifty (or 1.3%)", "871"):
        assert printed in body, printed


def test_france_2023_ncmec_versus_ofmin(obs):
    table = france.reports_2023(obs).set_index(["indicator", "source_id"])["value"]
    assert table[("cybertipline_reports", "ncmec-by-country-2023")] == 310_519
    assert table[("ofmin_reports_received", "fpe-report-2024")] == 318_000
    assert table[("ofmin_reports_per_day_x_days", "fpe-report-2024")] == 871 * 365


def test_french_primary_sources_values(obs):
    pdc = obs[(obs["indicator"] == "pdc_reports_processed") & (obs["period"] == "2019")]
    assert pdc["value"].tolist() == [30_394]
    pharos = obs[(obs["indicator"] == "pharos_reports_total") & (obs["period"] == "2023")]
    assert 211_543 in pharos["value"].tolist()
