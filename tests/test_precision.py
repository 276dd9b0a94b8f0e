"""Declared precision: counts exactly as published, fixed decimals, no e-notation anywhere."""
import csv
import re

import pandas as pd
import pytest

from analysis.precision import format_value, formatted, plain, round_significant

E_NOTATION = re.compile(r"^-?[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+$")


def test_round_significant():
    assert round_significant(63_063_291.7) == 63_060_000
    assert round_significant(0.000123456) == pytest.approx(0.0001235)
    assert round_significant(-1234.5) == -1234.0  # 4 significant digits, half to even
    assert pd.isna(round_significant(float("nan")))


def test_plain_never_uses_e_notation():
    assert plain(1106071.0) == "1106071"
    assert plain(1e-05) == "0.00001"
    assert plain(2.5e16) == "25000000000000000"
    assert plain(0.1 + 0.2) == "0.30000000000000004"  # exact: reads back as the same float


def test_counts_must_be_whole():
    assert format_value(36210368.0, "count") == "36210368"
    with pytest.raises(ValueError, match="a count must be a whole number, got 1106070.5"):
        format_value(1106070.5, "count")


def test_undeclared_numeric_column_is_refused():
    frame = pd.DataFrame({"geography": ["FRA"], "reports": [310519], "share": [0.856]})
    with pytest.raises(ValueError, match="column 'share' holds numbers but declares no precision"):
        formatted(frame, {"reports": "count"})
    out = formatted(frame, {"reports": "count", "share": "percent"})
    assert out.iloc[0].tolist() == ["FRA", "310519", "0.856"]


def _cells(path):
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        for line, row in enumerate(reader, start=2):
            for column, cell in zip(header, row):
                yield line, column, cell


def test_no_e_notation_in_any_processed_csv(built):
    paths, _ = built
    found = [(f.name, line, column, cell) for f in sorted(paths.processed.glob("*.csv"))
             for line, column, cell in _cells(f) if E_NOTATION.match(cell)]
    assert found == []


def test_published_counts_survive_in_derived_tables(built):
    paths, _ = built
    proj = pd.read_csv(paths.processed / "projections.csv", dtype=str)
    observed = proj[(proj["series"] == "ncmec_reports") & (proj["kind"] == "observed")].set_index("period")["point"]
    assert observed["2014"] == "1106071"  # NCMEC Appendix A, CY 2014 (was 1.10607e+06)
    assert observed["2023"] == "36210368"
    countries = pd.read_csv(paths.processed / "ncmec_countries.csv", dtype=str)
    fra = countries[(countries["year"] == "2023") & (countries["geography"] == "FRA")].iloc[0]
    assert fra["reports"] == "310519"
    assert re.fullmatch(r"[0-9]+\.[0-9]{2}", fra["reports_per_100k"])
    assert re.fullmatch(r"[0-9]+\.[0-9]{3}", fra["share_of_world_pct"])


def test_model_outputs_have_declared_significant_digits(built):
    paths, _ = built
    proj = pd.read_csv(paths.processed / "projections.csv", dtype=str)
    modelled = proj[proj["kind"] != "observed"]
    for column in ("point", "lo80", "hi80", "lo95", "hi95"):
        for text in modelled[column].dropna():
            digits = text.lstrip("-").replace(".", "").lstrip("0").rstrip("0")
            assert len(digits) <= 4, (column, text)
    back = pd.read_csv(paths.processed / "backtests.csv", dtype=str)
    assert (back["n_backtests"].astype(int) >= 1).all()
    assert back["coverage80"].str.fullmatch(r"[01]\.[0-9]{3}").all()
