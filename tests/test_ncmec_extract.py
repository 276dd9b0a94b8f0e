"""NCMEC's yearly PDFs: the extractor reproduces every row, and totals cross-check."""
import os
import re
import shutil
import subprocess
import sys

import pandas as pd
import pdfplumber
import pytest

from analysis import build_observations
from analysis.extract import LayoutError, extract, write
from analysis.paths import REPO_ROOT

from conftest import shared_pdf

YEARS = range(2019, 2024)
PUBLIC = REPO_ROOT / "data" / "public"


@pytest.fixture(scope="module")
def obs():
    return build_observations()[0]


@pytest.mark.parametrize("kind", ["country", "esp"])
@pytest.mark.parametrize("year", YEARS)
def test_extraction_reproduces_the_committed_csv_and_the_printed_total(kind, year, tmp_path):
    pdf = shared_pdf(f"ncmec/ncmec-by-{kind}-{year}.pdf")
    result = extract(pdf, kind)
    assert result.year == year
    assert result.stated_total is not None and result.row_sum == result.stated_total
    public = tmp_path / "public"
    shutil.copytree(PUBLIC, public)
    write(pdf, kind, public, "2026-11-25")
    name = f"ncmec/reports_by_{kind}_{year}.csv"
    assert (public / name).read_text() == (PUBLIC / name).read_text()
    assert (public / "sources.yaml").read_text() == (PUBLIC / "sources.yaml").read_text()  # already registered


@pytest.mark.parametrize("year", [y for y in YEARS if y != 2019])
def test_single_column_years_have_as_many_rows_as_the_pdf_text_has_numbered_lines(year):
    """An independent count: lines of the PDF's plain text that end with a number or a dash."""
    pdf = shared_pdf(f"ncmec/ncmec-by-country-{year}.pdf")
    with pdfplumber.open(pdf) as doc:
        lines = [line for number, page in enumerate(doc.pages, 1) for line in (page.extract_text() or "").splitlines()
                 if line.strip() != str(number)]  # page numbers
    numbered = [l for l in lines if re.search(r"(^|\s)(\d{1,3}(,\d{3})*|-)$", l) and not re.match(r"^\d{4} Reports by|^Copyright", l)]
    numbered = [l for l in numbered if not re.match(r"^Total:?\s", l)]
    assert len(numbered) == len(extract(pdf, "country").rows)


COUNTRY_SPOTS = {  # (year, ISO3): reports, read from the PDFs' text
    (2019, "FRA"): 71_422, (2020, "FRA"): 89_871, (2021, "FRA"): 98_233, (2022, "FRA"): 227_465, (2023, "FRA"): 310_519,
    (2023, "IND"): 8_923_738, (2023, "DEU"): 173_560, (2023, "GBR"): 178_648, (2019, "USA"): 521_658, (2019, "GBR"): 74_330,
    (2023, "BGD"): 2_491_368, (2019, "UNK"): 1_668_157, (2023, "UNK"): 1_851_762,
}


@pytest.mark.parametrize("key,value", COUNTRY_SPOTS.items(), ids=[f"{y}-{c}" for y, c in COUNTRY_SPOTS])
def test_country_spot_values(obs, key, value):
    year, code = key
    rows = obs[(obs["source_id"] == f"ncmec-by-country-{year}") & (obs["geography"] == code)]
    assert rows["value"].tolist() == [value]


CATEGORY_SPOTS = {  # (source, indicator, breakdown, period): value, read from the PDFs' text
    ("ncmec-ojjdp-2023", "cybertipline_reports", "incident_type=child_pornography", "2023"): 35_925_098,
    ("ncmec-ojjdp-2023", "cybertipline_reports", "incident_type=online_enticement", "2023"): 186_819,
    ("ncmec-ojjdp-2023", "cybertipline_reports", "incident_type=online_enticement", "2021"): 44_155,
    ("ncmec-ojjdp-2022", "cybertipline_reports", "incident_type=online_enticement", "2020"): 37_872,
    ("ncmec-ojjdp-2023", "cybertipline_reports", "incident_type=child_sex_trafficking", "2023"): 17_353,
    ("ncmec-ojjdp-2022", "cybertipline_reports", "incident_type=child_sex_tourism", "2020"): 955,
    ("ncmec-ojjdp-2023", "cybertipline_reports", "incident_type=unsolicited_obscene_material", "2022"): 35_624,
    ("ncmec-ojjdp-2023", "cybertipline_files", "file_type=images", "2023"): 54_842_374,
    ("ncmec-ojjdp-2023", "cybertipline_files", "file_type=videos", "2021"): 44_856_209,
    ("ncmec-ojjdp-2022", "cybertipline_files", "", "2020"): 65_465_314,
    ("ncmec-ojjdp-2023", "cybertipline_reports", "reporter=public", "2023"): 265_542,
    ("ncmec-ojjdp-2023", "cybertipline_reports", "user_location=us", "2023"): 1_621_937,
    ("ncmec-ojjdp-2023", "cybertipline_reports_share", "user_location=international", "2023"): 91.7,
    ("ncmec-by-esp-2023", "cybertipline_reports", "esp=Facebook", "2023"): 17_838_422,
    ("ncmec-by-esp-2023", "cybertipline_reports", "esp=Instagram, Inc.", "2023"): 11_430_007,
    ("ncmec-by-esp-2019", "cybertipline_reports", "esp=Facebook*", "2019"): 15_884_511,
}


@pytest.mark.parametrize("key,value", CATEGORY_SPOTS.items(), ids=[f"{k[2] or k[1]}-{k[3]}" for k in CATEGORY_SPOTS])
def test_category_spot_values(obs, key, value):
    source, indicator, breakdown, period = key
    rows = obs[(obs["source_id"] == source) & (obs["indicator"] == indicator) & (obs["breakdown"] == breakdown) & (obs["period"] == period)]
    assert rows["value"].tolist() == [value]


@pytest.mark.parametrize("report", ["2022", "2023"])
def test_ojjdp_transcriptions_appear_on_the_page_their_locator_names(report):
    """Each transcribed row's numbers, formatted as NCMEC prints them, appear in that order in the
    text of the PDF page that tables.yaml gives as the table's locator ("p. N")."""
    from analysis.ingest import load_specs
    from analysis.paths import default_paths

    pdf = shared_pdf(f"ncmec/ncmec-ojjdp-{report}.pdf")
    specs = {spec.file: spec for spec in load_specs(default_paths())}
    files = sorted(PUBLIC.glob(f"ncmec/ojjdp_{report}_*.csv"))
    assert len(files) == 4
    with pdfplumber.open(pdf) as doc:
        for path in files:
            locator = specs[path.relative_to(PUBLIC).as_posix()].fields["locator"]
            page = int(re.match(r"p\. (\d+),", locator).group(1))
            text = " ".join((doc.pages[page - 1].extract_text() or "").split())
            table = pd.read_csv(path, dtype=str)
            counts = [c for c in table.columns if re.fullmatch(r"cy\d{4}", c)]
            pcts = [c for c in table.columns if c.endswith("_pct")]
            for _, row in table.iterrows():
                printed = " ".join(f"{int(row[c]):,}" for c in counts)
                assert printed in text, f"{path.name}: {row.iloc[0]}: {printed} not on p. {page}"
                if pcts and pd.notna(row[pcts[0]]):
                    assert " ".join(f"{row[c]}%" for c in pcts) in text, f"{path.name}: {row.iloc[0]} percentages"


def test_incident_types_add_up_to_the_yearly_total(obs):
    from analysis import ncmec
    from analysis.series import yearly

    table = ncmec.incident_types(obs)
    totals = yearly(obs, "cybertipline_reports", across_break=True)  # each year is compared only with itself
    for year in table.columns:
        assert table[year].sum() == totals[year], year


def test_printed_percentages_agree_with_the_counts(obs):
    """NCMEC's printed shares of U.S./international/unknown users, recomputed from its counts."""
    from analysis.series import yearly

    totals = yearly(obs, "cybertipline_reports", across_break=True)  # each year is compared only with itself
    shares = obs[obs["indicator"] == "cybertipline_reports_share"]
    assert len(shares) >= 9
    for row in shares.itertuples():
        count = obs[(obs["indicator"] == "cybertipline_reports") & (obs["breakdown"] == row.breakdown)
                    & (obs["period"] == row.period) & (obs["source_id"] == row.source_id)]["value"].iloc[0]
        computed = 100 * count / totals[int(row.period)]
        decimals = len(repr(row.value).split(".")[1]) if not float(row.value).is_integer() else 0
        assert abs(computed - row.value) <= 0.5 * 10 ** -decimals + 1e-9, (row.breakdown, row.period, computed, row.value)


def test_esp_totals_equal_the_reports_from_esps_in_the_reports_to_congress(obs):
    esp = obs[obs["source_id"].str.startswith("ncmec-by-esp-") & (obs["breakdown"] == "reporter=esp")].set_index("period")["value"]
    congress = obs[obs["source_id"].str.startswith("ncmec-ojjdp-") & (obs["breakdown"] == "reporter=esp")]
    congress = congress.drop_duplicates("period").set_index("period")["value"]
    common = sorted(set(esp.index) & set(congress.index))
    assert common == ["2020", "2021", "2022", "2023"]
    assert all(esp[p] == congress[p] for p in common)


def _unknown_layout_pdf(path):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.5, 11))
    fig.text(0.1, 0.9, "Annual Report 2023", fontsize=20)
    fig.text(0.1, 0.8, "Country    Reports", fontsize=12)
    fig.savefig(path, format="pdf")


def test_unknown_layout_gives_a_clear_error(tmp_path):
    pdf = tmp_path / "something-else.pdf"
    _unknown_layout_pdf(pdf)
    with pytest.raises(LayoutError) as err:
        extract(pdf, "country")
    assert str(err.value) == (
        "something-else.pdf:1: page 1 has no title like '<year> CyberTipline Reports by Country'; this layout is not recognised"
    )


def test_a_file_that_is_not_a_pdf_gives_a_clear_error(tmp_path):
    fake = tmp_path / "notes.pdf"
    fake.write_text("not a pdf")
    with pytest.raises(LayoutError, match=r"^notes.pdf:1: cannot be opened as a PDF"):
        extract(fake, "esp")


def test_command_line_extract_on_unknown_layout_prints_one_line_and_exits_2(tmp_path):
    pdf = tmp_path / "something-else.pdf"
    _unknown_layout_pdf(pdf)
    done = subprocess.run([sys.executable, "-m", "analysis", "extract", "ncmec-by-esp", str(pdf)],
                          capture_output=True, text=True, env={**os.environ, "ANALYSIS_ROOT": str(tmp_path)})
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "not recognised" in done.stderr
    assert "Traceback" not in done.stderr
