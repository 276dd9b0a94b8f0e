"""NCMEC's Global Platform for Child Exploitation Policy, 2024: verbatim extracts, the raw table
written from them, the observations, and censored ("<50") cells that are never counted as 0."""
import json

import pandas as pd
import pytest

from analysis import DataError, build_observations
from analysis.checks import Interval, printed, sum_interval, sum_values
from analysis.geography import EU27
from analysis.global_platform import EXTRACTS, FOLDER, RAW_TABLE, raw_table_text
from analysis.paths import default_paths

SOURCE = "gpcep-cybertipline-data-2024"
PUBLIC = default_paths().public
GP = PUBLIC / FOLDER


@pytest.fixture(scope="module")
def obs():
    observations, _ = build_observations()
    return observations


@pytest.fixture(scope="module")
def gp(obs):
    return obs[obs["source_id"] == SOURCE]


def one(frame, indicator, geography, period, breakdown=""):
    rows = frame[(frame["indicator"] == indicator) & (frame["geography"] == geography)
                 & (frame["period"] == period) & (frame["breakdown"] == breakdown)]
    assert len(rows) == 1, (indicator, geography, period, breakdown, len(rows))
    return rows.iloc[0]


# --- the extracts and the raw table ---------------------------------------------------------

def test_rerunning_the_converter_reproduces_the_committed_raw_table_byte_for_byte():
    assert raw_table_text(GP).encode("utf-8") == (GP / RAW_TABLE).read_bytes()


def test_extracts_hold_the_eu27_for_the_year_and_france_for_each_half():
    full = json.loads((GP / "reports-2024.eu27.json").read_text(encoding="utf-8"))
    h1 = json.loads((GP / "reports-2024-h1.fra.json").read_text(encoding="utf-8"))
    h2 = json.loads((GP / "reports-2024-h2.fra.json").read_text(encoding="utf-8"))
    assert (full["period"], h1["period"], h2["period"]) == ("2024Y", "2024H1", "2024H2")
    assert len(full["data"]) == 27
    raw = pd.read_csv(GP / RAW_TABLE, dtype=str, keep_default_na=False)
    assert sorted(raw.loc[raw["period"] == "2024", "iso3"]) == sorted(EU27)
    assert [r["id"] for r in h1["data"]] == [r["id"] for r in h2["data"]] == ["FR"]
    keys = list(full["data"][0])
    assert all(list(r) == keys for r in full["data"] + h1["data"] + h2["data"])  # records unchanged, same fields
    assert set(EXTRACTS) <= {p.name for p in GP.iterdir()}


def test_each_record_is_one_line_of_its_extract_exactly_as_in_the_platform_file():
    """The records are pasted unchanged: one record per line, re-serialising it gives other text."""
    text = (GP / "reports-2024.eu27.json").read_text(encoding="utf-8")
    lines = [line.rstrip(",") for line in text.splitlines() if line.startswith('{"id":') or line.startswith('  "data": [{')]
    assert len(lines) == 27
    france = next(line for line in lines if line.startswith('{"id":"FR"'))
    assert '"cybertipline_reports_referred":140000,' in france
    assert '"incident_type_child_sex_tourism":"<50",' in france


# --- spot values, each with its source ---------------------------------------------------------

SPOT = [
    # (source_id, indicator, geography, period, breakdown, value, qualifier) -- copied from the extracts
    (SOURCE, "cybertipline_referrals", "FRA", "2024", "", 140000, "rounded"),
    (SOURCE, "cybertipline_referrals", "FRA", "2024", "incident_type=child_pornography", 110000, "rounded"),
    (SOURCE, "cybertipline_referrals", "FRA", "2024", "incident_type=online_enticement", 24000, "rounded"),
    (SOURCE, "cybertipline_referrals", "FRA", "2024", "ncmec_priority=3", 100, "rounded"),
    (SOURCE, "cybertipline_referral_files", "FRA", "2024", "file_type=images", 220000, "rounded"),
    (SOURCE, "cybertipline_referral_files", "FRA", "2024", "industry_classification=B2", 59000, "rounded"),
    (SOURCE, "cybertipline_referral_files_gai_csam", "FRA", "2024", "", 50, "less_than"),
    (SOURCE, "cybertipline_referrals", "FRA", "2024-H1", "", 74000, "rounded"),
    (SOURCE, "cybertipline_referrals", "FRA", "2024-H1", "incident_type=online_enticement", 15000, "rounded"),
    (SOURCE, "cybertipline_referrals", "FRA", "2024-H1", "incident_type=child_sex_trafficking", 50, "less_than"),
    (SOURCE, "cybertipline_referrals", "FRA", "2024-H2", "", 65000, "rounded"),
    (SOURCE, "cybertipline_referrals", "FRA", "2024-H2", "ncmec_priority=E", 64000, "rounded"),
    (SOURCE, "cybertipline_referral_files", "FRA", "2024-H2", "file_type=videos", 74000, "rounded"),
    (SOURCE, "cybertipline_referrals", "DEU", "2024", "", 190000, "rounded"),
    (SOURCE, "cybertipline_referral_files_gai_csam", "DEU", "2024", "", 200, "rounded"),
    (SOURCE, "cybertipline_referrals", "NLD", "2024", "", 58000, "rounded"),
    (SOURCE, "cybertipline_referral_files_gai_csam", "NLD", "2024", "", 90, "rounded"),
    (SOURCE, "cybertipline_referrals", "ITA", "2024", "incident_type=online_enticement", 5300, "rounded"),
    (SOURCE, "cybertipline_referral_files", "LVA", "2024", "industry_classification=A1", 15000, "rounded"),
    (SOURCE, "cybertipline_referrals", "MLT", "2024", "", 1000, "rounded"),
]


@pytest.mark.parametrize("source_id, indicator, geography, period, breakdown, value, qualifier", SPOT)
def test_spot_values(obs, source_id, indicator, geography, period, breakdown, value, qualifier):
    row = one(obs[obs["source_id"] == source_id], indicator, geography, period, breakdown)
    assert (row["value"], row["qualifier"]) == (value, qualifier)


def test_row_counts(gp):
    assert len(gp) == 29 * 22  # 27 EU members for the year + France in each half, 22 fields each
    assert gp.groupby("period").size().to_dict() == {"2024": 27 * 22, "2024-H1": 22, "2024-H2": 22}


# --- consistency within rounding, on intervals ----------------------------------------------

def test_france_halves_add_up_to_the_full_year_within_rounding(gp):
    fra = gp[gp["geography"] == "FRA"]
    checked = 0
    for (indicator, breakdown), rows in fra.groupby(["indicator", "breakdown"]):
        by_period = rows.set_index("period")
        halves = sum_interval(by_period.loc[["2024-H1", "2024-H2"]])
        year = printed(by_period.at["2024", "value"], by_period.at["2024", "qualifier"])
        assert halves.overlaps(year), (indicator, breakdown, halves, year)
        checked += 1
    assert checked == 22
    # The totals themselves: 74,000 + 65,000 (each +/- 500) against 140,000 (+/- 5,000).
    assert sum_interval(fra[(fra["indicator"] == "cybertipline_referrals") & (fra["breakdown"] == "") & (fra["period"] != "2024")]) == Interval(138000, 140000)


def _parts(rows, prefix):
    return rows[rows["breakdown"].str.startswith(prefix)]


@pytest.mark.parametrize("prefix", ["incident_type=", "ncmec_priority="])
def test_referral_breakdowns_add_up_to_the_referrals_of_each_jurisdiction_and_period(gp, prefix):
    for (geography, period), rows in gp[gp["indicator"] == "cybertipline_referrals"].groupby(["geography", "period"]):
        total = rows[rows["breakdown"] == ""].iloc[0]
        parts = _parts(rows, prefix)
        assert len(parts) == (8 if prefix == "incident_type=" else 4)
        assert sum_interval(parts).overlaps(printed(total["value"], total["qualifier"])), (geography, period, prefix)


def test_file_types_and_industry_classes_divide_the_same_files(gp):
    for (geography, period), rows in gp[gp["indicator"] == "cybertipline_referral_files"].groupby(["geography", "period"]):
        by_type, by_class = sum_interval(_parts(rows, "file_type=")), sum_interval(_parts(rows, "industry_classification="))
        assert by_type.overlaps(by_class), (geography, period, by_type, by_class)


def test_france_full_year_sums(gp):
    fra = gp[(gp["geography"] == "FRA") & (gp["period"] == "2024")]
    ref = fra[fra["indicator"] == "cybertipline_referrals"]
    incidents = sum_interval(_parts(ref, "incident_type="))
    # 110,000 + 100 + 90 + 24,000 + 1,600 as rounded, plus three censored cells of 0-49 each.
    assert incidents == Interval(105000 + 50 + 85 + 23500 + 1550, 115000 + 150 + 95 + 24500 + 1650 + 3 * 50)
    assert incidents.overlaps(printed(140000, "rounded"))
    files = fra[fra["indicator"] == "cybertipline_referral_files"]
    assert sum_interval(_parts(files, "file_type=")) == Interval(215000 + 165000 + 26500, 225000 + 175000 + 27500)


# --- censored cells -------------------------------------------------------------------------

def test_a_censored_cell_is_never_zero(gp):
    censored = gp[gp["qualifier"] == "less_than"]
    assert len(censored) > 0
    assert (censored["value"] == 50).all()
    assert (gp["value"] > 0).all()


def test_sum_values_refuses_censored_parts_and_names_them(gp):
    rows = gp[(gp["geography"] == "FRA") & (gp["period"] == "2024-H1") & (gp["indicator"] == "cybertipline_referrals")]
    parts = _parts(rows, "incident_type=")
    with pytest.raises(ValueError, match="censored") as err:
        sum_values(parts)
    assert "FRA 2024-H1 incident_type=child_sex_tourism" in str(err.value)
    assert "incident_type=online_enticement" not in str(err.value)  # only the censored rows are named
    assert sum_values(parts[parts["qualifier"] != "less_than"]) == 58000 + 15000 + 600


def test_sum_interval_takes_a_censored_part_as_zero_to_below_its_bound():
    rows = pd.DataFrame({"value": [50.0, 50.0, 1200.0], "qualifier": ["less_than", "less_than", "exact"]})
    assert printed(50, "less_than") == Interval(0, 50)
    assert sum_interval(rows) == Interval(1200, 1300)
    with pytest.raises(ValueError):
        sum_values(rows)


def _register(paths, csv_text, spec_text, name="test/censored.csv"):
    target = paths.public / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(csv_text)
    with open(paths.public / "tables.yaml", "a") as fh:
        fh.write(spec_text)
    return name


WIDE_SPEC = """
- file: test/censored.csv
  key: country
  censored: [a]
  fields: {{source_id: {source}, indicator: cybertipline_referrals, geography: "{{iso3}}", period: "2024", qualifier: rounded, locator: test}}
  values:
    a: {{breakdown: incident_type=child_sex_tourism}}
    b: {{breakdown: incident_type=child_sex_trafficking}}
"""


def test_censored_cells_are_accepted_only_in_the_columns_a_table_declares(repo_copy):
    _register(repo_copy, "country,iso3,a,b\nNowhere,ATA,<50,100\n", WIDE_SPEC.format(source=SOURCE))
    obs, _ = build_observations(repo_copy)
    cell = one(obs[obs["source_id"] == SOURCE], "cybertipline_referrals", "ATA", "2024", "incident_type=child_sex_tourism")
    assert (cell["value"], cell["qualifier"]) == (50, "less_than")


def test_a_censored_cell_in_an_undeclared_column_is_refused_with_file_line_and_column(repo_copy):
    _register(repo_copy, "country,iso3,a,b\nNowhere,ATA,100,<50\n", WIDE_SPEC.format(source=SOURCE))
    with pytest.raises(DataError) as err:
        build_observations(repo_copy)
    assert str(err.value) == ("data/public/test/censored.csv:2: column 'b': '<50' is not a whole number "
                              "(censored values are allowed only in columns a table declares 'censored' in data/public/tables.yaml)")


def test_a_total_row_is_never_checked_as_a_sum_of_censored_cells(repo_copy):
    spec = WIDE_SPEC.format(source=SOURCE).replace("  censored: [a]\n", "  censored: [a]\n  total: {column: country, row: Total, emit: no}\n")
    _register(repo_copy, "country,iso3,a,b\nNowhere,ATA,<50,100\nTotal,WLD,100,100\n", spec)
    with pytest.raises(DataError, match=r"censored\.csv:2: column 'a': '<50' is censored"):
        build_observations(repo_copy)


# --- what cybertipline_reports_total holds ------------------------------------------------------

def test_cybertipline_reports_total_is_the_2023_by_country_total_not_a_2024_count(obs):
    full = json.loads((GP / "reports-2024.eu27.json").read_text(encoding="utf-8"))
    raw = pd.read_csv(GP / RAW_TABLE, dtype=str, keep_default_na=False).set_index(["period", "iso3"])
    by_country_2023 = obs[(obs["source_id"] == "ncmec-by-country-2023") & (obs["indicator"] == "cybertipline_reports")]
    for record in full["data"]:
        iso3 = raw.xs("2024", level="period").index[raw.xs("2024", level="period")["id"] == record["id"]][0]
        assert record["cybertipline_reports_total"] == one(by_country_2023, "cybertipline_reports", iso3, "2023")["value"]
    assert raw.loc[("2024-H1", "FRA"), "cybertipline_reports_total"] == raw.loc[("2024-H2", "FRA"), "cybertipline_reports_total"] == "--"
    # It is kept in the raw table but never becomes an observation.
    assert not ((obs["source_id"] == SOURCE) & (obs["value"] == 310519)).any()
