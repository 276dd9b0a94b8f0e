"""Next year's NCMEC table by country in the 2024+ layout: extract, and France and `status` extend."""
from datetime import date

import pandas as pd
from test_ncmec_2024 import _split_country_pdf

from analysis import ncmec
from analysis.extract import write
from analysis.figures import FIGURES
from analysis.observations import build_observations
from analysis.status import expected_period, status


def test_a_2025_table_in_the_new_layout_extends_france_and_status(repo_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_ROOT", str(repo_copy.root))  # figures cite from the copy's registry, as in a build
    pdf = tmp_path / "ncmec-by-country-2025.pdf"
    _split_country_pdf(pdf)  # France: 147,803 referrals and 1,234 informational reports (synthetic)
    write(pdf, "country", repo_copy.public, "2026-11-29")
    obs, _ = build_observations(repo_copy)

    france = ncmec.country_series(obs, "FRA", across_break=True)
    assert list(france.index) == [2019, 2020, 2021, 2022, 2023, 2024, 2025]
    assert france[2025] == 147_803 + 1_234
    assert france[2024] == 147_803 + 12_413  # diaphanous transcription of NCMEC's 2024 table
    assert france.attrs["break"] == 2024
    row = ncmec.country_table(obs, 2025).loc["FRA"]
    assert (row["referrals"], row["informational"], row["measure"]) == (147_803, 1_234, "referrals+informational")

    fig = FIGURES["ncmec_france_reports"](obs, "en")
    assert fig.house_texts["title"] == "CyberTipline reports concerning France, 2019–2025"

    table = status(obs, repo_copy, today=date(2026, 11, 29)).set_index("series")
    assert table.at["ncmec_referrals_france", "latest"] == "2025"
    assert table.at["ncmec_referrals_france", "source_id"] == "ncmec-by-country-2025"
    assert table.at["ncmec_referrals_france", "state"] == "current"


def test_status_without_the_new_table_says_what_is_stale():
    obs, _ = build_observations()
    table = status(obs, today=date(2026, 11, 29)).set_index("series")
    assert table.at["ncmec_referrals_france", "latest"] == "2024"
    assert table.at["ncmec_referrals_france", "kind"] == "secondary"
    assert table.at["ncmec_referrals_france", "state"] == "stale"
    assert table.at["ncmec_reports", "latest"] == "2025"
    # '1.5 million' (rounded, a blog citing NCMEC's 2025 data) is preferred to the press's 'more than 1 million' (a bound)
    assert table.at["ncmec_generative_ai", "value"] == "≈ 1,500,000"
    assert (table.at["ncmec_generative_ai", "source_id"], table.at["ncmec_generative_ai", "kind"]) == ("montethakkar-2026-06-csam-report-triage", "secondary")
    assert "extract ncmec-by-country" in table.at["ncmec_referrals_france", "update"]


def test_expected_period_follows_the_release_month():
    assert expected_period(release_month=5, lag_years=1, today=date(2026, 4, 30)) == 2024
    assert expected_period(release_month=5, lag_years=1, today=date(2026, 5, 1)) == 2025


def test_a_bad_series_registry_names_file_line_and_field(repo_copy):
    import pytest

    from analysis.errors import DataError

    path = repo_copy.public / "series.yaml"
    path.write_text(path.read_text().replace('release_month: "5"', 'release_month: "May"', 1))
    with pytest.raises(DataError) as err:
        status(build_observations(repo_copy)[0], repo_copy)
    assert str(err.value).startswith("data/public/series.yaml:")
    assert "field 'release_month': 'May' is not a month number 1-12" in str(err.value)


def test_status_flags_what_a_current_series_still_needs(tmp_path):
    """Issue 24: a secondary or bound value standing as the latest, a period not yet over, a value
    ahead of the usual release; and --json for scripts."""
    import json

    from analysis.status import _over, as_json

    obs, _ = build_observations()
    table = status(obs, today=date(2026, 11, 29)).set_index("series")
    assert "secondary" in table.at["ncmec_reports", "flags"].split(",")  # 2025 total from a transcription
    assert {"secondary", "bound"} <= set(table.at["ncmec_generative_ai", "flags"].split(","))  # 'more than 1 million'
    assert _over("2025", date(2026, 1, 1)) and not _over("2026", date(2026, 12, 8))
    assert _over("2026-H1", date(2026, 7, 1)) and not _over("2026-H1", date(2026, 6, 30))
    # a 2026 row in December 2026: not over, and ahead of NCMEC's May release of the year before
    fake = obs[(obs["indicator"] == "cybertipline_reports") & (obs["geography"] == "WLD") & (obs["period"] == "2025")
               & (obs["breakdown"] == "")].assign(period="2026")
    ahead = status(pd.concat([obs, fake]), today=date(2026, 12, 8)).set_index("series")
    assert {"not_over", "ahead"} <= set(ahead.at["ncmec_reports", "flags"].split(","))
    records = json.loads(as_json(status(obs, today=date(2026, 11, 29))))
    assert records[0]["series"] == "ncmec_reports" and records[0]["flags"][0]["flag"] == "secondary"
