"""INHOPE: figures from INHOPE's pages as printed, and diaphanous' copy checked against them."""
import csv
import hashlib
import re
from pathlib import Path

import pytest

from analysis import build_observations, inhope, load_indicators, load_sources
from analysis.checks import agrees
from analysis.errors import DataError

PUBLIC = Path(__file__).resolve().parent.parent / "data" / "public"
FACTS = PUBLIC / "inhope" / "inhope_facts.csv"


@pytest.fixture(scope="module")
def obs():
    return build_observations()[0]


def one(obs, source, indicator, period, breakdown=""):
    rows = obs[(obs["source_id"] == source) & (obs["indicator"] == indicator) & (obs["period"] == period)
               & (obs["breakdown"] == breakdown)]
    assert len(rows) == 1, f"{source} {indicator} {period} {breakdown!r}: {len(rows)} rows"
    return rows.iloc[0]


# (source_id, indicator, period, breakdown, value, qualifier): read on INHOPE's pages
PRINTED = [
    ("inhope-ar2018", "inhope_reports_exchanged", "2018", "", 155_240, "exact"),
    ("inhope-ar2018", "inhope_images_videos_processed", "2018", "", 337_588, "exact"),
    ("inhope-ar2018", "inhope_images_videos_illegal", "2018", "", 223_999, "exact"),
    ("inhope-ar2018", "inhope_removed_share_pct", "2018", "time_window=under_3_days", 58, "rounded"),
    ("inhope-ar2018", "inhope_member_hotlines", "2019-06-28", "", 46, "exact"),
    ("inhope-ar2018", "inhope_member_countries", "2019-06-28", "", 41, "exact"),
    ("bik-inhope-ar2019", "inhope_reports_exchanged", "2019", "", 183_788, "exact"),
    ("inhope-what-is-ntd", "inhope_removed_share_pct", "2019", "time_window=under_7_days", 73, "rounded"),
    ("inhope-ar2020", "inhope_content_urls", "2020", "", 1_000_000, "at_least"),
    ("inhope-ar2020", "inhope_removed_share_pct", "2020", "time_window=within_3_days", 74, "rounded"),
    ("inhope-ar2020", "inhope_removed_share_pct", "2019", "time_window=within_3_days", 50, "rounded"),
    ("inhope-ar2021", "inhope_member_hotlines", "2021", "", 50, "exact"),
    ("inhope-ar2022", "inhope_content_urls", "2022", "", 587_852, "exact"),
    ("inhope-ar2022", "inhope_removed_share_pct", "2022", "time_window=same_day", 26, "rounded"),
    ("inhope-ar2023", "inhope_content_urls", "2023", "", 785_322, "exact"),
    ("inhope-ar2023", "inhope_content_urls_illegal_share_pct", "2022", "", 68, "rounded"),
    ("inhope-ar2023", "inhope_content_urls_illegal", "2023", "", 540_000, "at_least"),
    ("inhope-ar2023", "inhope_removal_time_days", "2023", "", 2.5, "rounded"),
    ("inhope-ar2023", "inhope_member_hotlines", "2023", "", 54, "exact"),
    ("inhope-ar2024", "inhope_content_urls", "2024", "", 2_497_438, "exact"),
    ("inhope-ar2024", "inhope_content_urls_change_pct", "2024", "", 218, "rounded"),
    ("inhope-ar2024", "inhope_hosting_countries", "2023", "", 84, "exact"),
    ("inhope-ar2024", "inhope_member_countries", "2024", "", 51, "exact"),
]


@pytest.mark.parametrize("source,indicator,period,breakdown,value,qualifier", PRINTED)
def test_inhope_values_as_printed(obs, source, indicator, period, breakdown, value, qualifier):
    row = one(obs, source, indicator, period, breakdown)
    assert (row["value"], row["qualifier"], row["geography"]) == (value, qualifier, "WLD")


def _printed_forms(value: str) -> set[str]:
    """How INHOPE's pages print a number: 155,240 / 587.852 (a dot for thousands) / 2.5 / 'one million'."""
    v = float(value)
    if not v.is_integer():
        return {value}
    n = int(v)
    grouped = f"{n:,}"
    return {str(n), grouped, grouped.replace(",", "."), {1_000_000: "one million"}.get(n, grouped)}


def test_every_inhope_fact_is_in_its_quote_and_every_source_is_registered():
    sources, indicators = load_sources(), load_indicators()
    with open(FACTS, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 38
    for line, row in enumerate(rows, start=2):
        assert any(form in row["quote"] for form in _printed_forms(row["value"])), (line, row["value"], row["quote"])
        assert row["source_id"] in sources.index and row["indicator"] in indicators.index, line
        assert indicators.at[row["indicator"], "unit"] == row["unit"], line
    # one source per annual report edition, all primary but the portal's summary of the 2019 report
    kinds = sources.loc[sorted({r["source_id"] for r in rows}), "kind"].to_dict()
    assert kinds == {"bik-inhope-ar2019": "secondary", "inhope-ar2018": "primary", "inhope-ar2020": "primary",
                     "inhope-ar2021": "primary", "inhope-ar2022": "primary", "inhope-ar2023": "primary",
                     "inhope-ar2024": "primary", "inhope-what-is-ntd": "primary"}


def test_different_measures_are_different_indicators(obs):
    inhope_rows = obs[obs["indicator"].str.startswith("inhope_")]
    periods = lambda ind: sorted(set(inhope_rows.loc[inhope_rows["indicator"] == ind, "period"]))
    assert periods("inhope_reports_exchanged") == ["2018", "2019"]
    assert periods("inhope_images_videos_processed") == ["2018", "2019"]
    assert periods("inhope_content_urls") == ["2020", "2021", "2022", "2023", "2024"]
    units = load_indicators().loc[["inhope_reports_exchanged", "inhope_images_videos_processed", "inhope_content_urls"], "unit"]
    assert list(units) == ["reports", "images_and_videos", "urls"]


# --- diaphanous' copy: verbatim, converted by a function, checked against INHOPE's printed figures -----

COPY_TEXT = (PUBLIC / inhope.COPY).read_text(encoding="utf-8")


def test_the_copy_is_verbatim_and_the_raw_file_is_what_the_conversion_writes():
    assert len(COPY_TEXT) == 408  # read_file's total_chars at commit 5768e19f
    assert hashlib.sha256(COPY_TEXT.encode()).hexdigest() == "f2cc5d5c4400d046824de32c0f48db4b6466d6cccd5e7dc4c4c7e5a4e1950acc"
    assert (PUBLIC / inhope.RAW).read_text(encoding="utf-8") == inhope.diaphanous_inhope_raw(COPY_TEXT)


def _copy(year: str, edition: str = "") -> dict[str, int | None]:
    for row in inhope.copy_rows(COPY_TEXT):
        if row["year"] == year and row["reporting_year"] == edition:
            return {k: (int(v) if v else None) for k, v in row.items() if k not in ("year", "reporting_year", "_line")}
    raise KeyError((year, edition))


def test_the_copys_2018_and_2019_rows_equal_inhopes_reports_and_images(obs):
    for year, source in (("2018", "inhope-ar2018"), ("2019", "bik-inhope-ar2019")):
        row = _copy(year)
        assert row["reports"] == one(obs, source, "inhope_reports_exchanged", year)["value"]
        assert row["unknown_pieces"] == one(obs, source, "inhope_images_videos_processed", year)["value"]  # all images and videos
        assert row["illegal_pieces"] == one(obs, source, "inhope_images_videos_illegal", year)["value"]
        assert row["pieces"] is None
    assert not obs["source_id"].isin(["diaphanous-inhope-ar2018", "diaphanous-inhope-ar2019"]).any()


def test_the_copys_totals_equal_inhopes(obs):
    for year in ("2022", "2023", "2024"):
        assert _copy(year)["pieces"] == one(obs, f"inhope-ar{year}", "inhope_content_urls", year)["value"]
        assert one(obs, f"diaphanous-inhope-ar{year}", "inhope_content_urls", year)["value"] == _copy(year)["pieces"]
    over_a_million = one(obs, "inhope-ar2020", "inhope_content_urls", "2020")
    assert agrees(over_a_million["value"], _copy("2020")["pieces"], over_a_million["qualifier"])


@pytest.mark.parametrize("source,year,indicator,part", [
    ("inhope-ar2023", "2022", "inhope_content_urls_illegal_share_pct", "illegal_pieces"),  # 68.5% -> 68
    ("inhope-ar2023", "2023", "inhope_content_urls_illegal_share_pct", "illegal_pieces"),  # 68.7% -> 69
    ("inhope-ar2023", "2023", "inhope_content_urls_new_share_pct", "unknown_pieces"),  # 87.8% -> 88
    ("inhope-ar2024", "2024", "inhope_content_urls_illegal_share_pct", "illegal_pieces"),  # 65.5% -> 65
    ("inhope-ar2024", "2024", "inhope_content_urls_new_share_pct", "unknown_pieces"),  # 37.2% -> 37
])
def test_the_copys_shares_round_to_inhopes(obs, source, year, indicator, part):
    row, printed = _copy(year), one(obs, source, indicator, year)
    assert agrees(printed["value"], 100 * row[part] / row["pieces"], printed["qualifier"])


def test_the_copys_2024_change_agrees_and_the_known_disagreements_stay_visible(obs):
    change = 100 * (_copy("2024")["pieces"] / _copy("2023")["pieces"] - 1)
    assert agrees(one(obs, "inhope-ar2024", "inhope_content_urls_change_pct", "2024")["value"], change)  # 218.0
    # INHOPE's 202% for illegal records is 202.8% from the copy (and 202.7% from INHOPE's 'over 540,000'): truncated
    illegal_change = 100 * (_copy("2024")["illegal_pieces"] / _copy("2023")["illegal_pieces"] - 1)
    assert round(illegal_change, 1) == 202.8
    assert not agrees(one(obs, "inhope-ar2024", "inhope_content_urls_illegal_change_pct", "2024")["value"], illegal_change)
    # 'over 540,000' confirmed URLs in 2023; the copy has 539,836
    over = one(obs, "inhope-ar2023", "inhope_content_urls_illegal", "2023")
    assert _copy("2023")["illegal_pieces"] == 539_836 and not agrees(over["value"], 539_836, over["qualifier"])
    # INHOPE printed a 25% increase for 2023; its own totals give 33.6%
    printed = one(obs, "inhope-ar2023", "inhope_content_urls_change_pct", "2023")["value"]
    assert printed == 25 and round(100 * (785_322 / 587_852 - 1), 1) == 33.6


def test_restatements_are_kept_under_their_own_edition(obs):
    urls = obs[obs["indicator"] == "inhope_content_urls"]
    by_source = {(r.period, r.source_id): r.value for r in urls.itertuples()}
    assert by_source[("2020", "diaphanous-inhope-ar2020")] == 1_038_268
    assert by_source[("2020", "diaphanous-inhope-ar2024")] == 1_038_250
    assert by_source[("2021", "diaphanous-inhope-ar2021")] == 928_278
    assert by_source[("2021", "diaphanous-inhope-ar2024")] == 910_642
    restated = one(obs, "diaphanous-inhope-ar2024", "inhope_content_urls_illegal", "2021")
    assert restated["value"] == 443_391 and "restated in INHOPE's 2024 annual report" in restated["note"]
    assert "known + new = 783886" in one(obs, "diaphanous-inhope-ar2020", "inhope_content_urls", "2020")["note"]
    sources = load_sources()
    assert set(sources.loc[[s for s in sources.index if s.startswith("diaphanous-inhope-")], "kind"]) == {"secondary"}


def test_a_bad_cell_in_the_copy_is_refused_with_its_line_and_column():
    bad = COPY_TEXT.replace("2021,,,928_278,", "2021,,,928.278,")
    with pytest.raises(DataError, match=re.escape(
            "data/public/inhope/diaphanous/inhope.csv:6: column 'pieces': '928.278' is not a whole number with digits grouped by '_'")):
        inhope.diaphanous_inhope_raw(bad)
    with pytest.raises(DataError, match=r"inhope.csv:1: header \['year', 'edition'"):
        inhope.diaphanous_inhope_raw("year,edition\n2020,2020\n")
