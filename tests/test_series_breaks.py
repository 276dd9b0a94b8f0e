"""Breaks in a series are data: declared in the indicator registry, refused unless asked for."""
import pytest

from analysis.observations import build_observations
from analysis.registry import load_indicators
from analysis.series import SeriesBreakError, series_break, yearly


@pytest.fixture(scope="module")
def obs():
    return build_observations()[0]


def test_bundling_is_declared_in_the_registry():
    row = load_indicators().loc["cybertipline_reports"]
    assert row["series_break"] == "2024"
    assert "bundles" in row["series_break_note"]
    assert series_break("cybertipline_reports")[0] == 2024
    assert series_break("iwf_urls_confirmed_csam") is None


def test_a_series_across_the_break_is_refused_with_the_reason(obs):
    with pytest.raises(SeriesBreakError, match=r"cybertipline_reports: values before and from 2024 are not comparable \(from 2024 NCMEC 'bundles'"):
        yearly(obs, "cybertipline_reports")


def test_across_break_returns_the_series_and_names_the_break(obs):
    series = yearly(obs, "cybertipline_reports", across_break=True)
    assert series.attrs["break"] == 2024
    assert series[2023] == 36_210_368  # ncmec-ojjdp-2023, Appendix A
    assert series[2024] == 20_512_803  # bundled reports (secondary transcription)


def test_one_side_of_the_break_needs_no_permission(obs):
    before = obs[~((obs["indicator"] == "cybertipline_reports") & (obs["period"] >= "2024"))]
    series = yearly(before, "cybertipline_reports")
    assert series.index.max() == 2023 and series.attrs["break"] is None
