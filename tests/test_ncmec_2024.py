"""NCMEC 2024 from the diaphanous transcription: copies, conversion, sums, trust; the 2024+ PDF layout."""
import os
import re
import shutil
import subprocess
import sys

import pandas as pd
import pdfplumber
import pytest

from analysis import build_observations
from analysis.errors import DataError
from analysis.extract import SPLIT, LayoutError, check_total, extract, write
from analysis.paths import REPO_ROOT, Paths
from analysis.transcriptions import FILE_TYPES, INCIDENT_TYPES, USER_LOCATIONS, YEARLY, convert_diaphanous, write_diaphanous

from conftest import shared_pdf

PUBLIC = REPO_ROOT / "data" / "public"
COPIES = PUBLIC / "ncmec" / "diaphanous"
TOTAL_2024 = 20_512_803  # NCMEC's 2024 total, as in the yearly series (diaphanous-ncmec-by-esp-2024)


@pytest.fixture(scope="module")
def obs():
    return build_observations()[0]


def value(obs, source, indicator, geography="WLD", breakdown="", period="2024"):
    rows = obs[(obs["source_id"] == source) & (obs["indicator"] == indicator) & (obs["geography"] == geography)
               & (obs["breakdown"] == breakdown) & (obs["period"] == period)]
    assert len(rows) == 1, (source, indicator, geography, breakdown, period, len(rows))
    return rows["value"].iloc[0]


# --- the verbatim copies and their conversion ---------------------------------------------

def test_copies_have_the_length_the_repository_index_reported():
    """read_file's total_chars for each file at the commit used (see the README there)."""
    lengths = {name: len((COPIES / name).read_text(encoding="utf-8")) for name in
               ("ocse-reports-per-country.csv", "ocse-report-contents.csv", "ocse-reports-per-year.csv", "ocse-reports-per-platform.csv")}
    assert lengths == {"ocse-reports-per-country.csv": 15804, "ocse-report-contents.csv": 5137,
                       "ocse-reports-per-year.csv": 360, "ocse-reports-per-platform.csv": 6033}


def test_conversion_reproduces_the_committed_raw_files_byte_for_byte():
    files = convert_diaphanous(PUBLIC)
    assert sorted(files) == sorted([
        "ncmec/reports_by_country_2024.csv", "ncmec/ncmec_2024_contents_incident_types.csv",
        "ncmec/ncmec_2024_contents_user_location.csv", "ncmec/ncmec_2024_contents_files_by_type.csv",
        "ncmec/ncmec_2024_contents_unique_similar_files.csv", "ncmec/ncmec_2024_contents_reports_unique_similar.csv",
        "ncmec/ncmec_2024_reports_by_platform.csv", YEARLY, "iwf/iwf_reports_per_year_diaphanous.csv",
        "inhope/inhope_content_urls_diaphanous.csv", "platforms/platform_totals_diaphanous.csv", "platforms/discord_ncmec_2024_h1.csv"])
    for name, text in files.items():
        assert (PUBLIC / name).read_bytes() == text.encode("utf-8"), name


def test_command_rewrites_deleted_files_and_readds_the_2025_row(tmp_path):
    shutil.copytree(PUBLIC, tmp_path / "data" / "public")
    public = tmp_path / "data" / "public"
    (public / "ncmec/reports_by_country_2024.csv").unlink()
    yearly = (public / YEARLY).read_text(encoding="utf-8")
    (public / YEARLY).write_text("".join(l for l in yearly.splitlines(keepends=True) if not l.startswith("2025,")), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "analysis", "import-diaphanous"], capture_output=True, text=True,
                          env={**os.environ, "ANALYSIS_ROOT": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert "wrote data/public/ncmec/reports_by_country_2024.csv (252 rows)" in done.stdout
    assert f"wrote data/public/{YEARLY} (28 rows)" in done.stdout
    assert "unchanged data/public/ncmec/ncmec_2024_contents_incident_types.csv (9 rows)" in done.stdout
    for name in convert_diaphanous(PUBLIC):
        assert (public / name).read_bytes() == (PUBLIC / name).read_bytes(), name


def test_a_yearly_value_that_disagrees_with_the_transcription_stops_the_import(tmp_path):
    shutil.copytree(PUBLIC, tmp_path / "public")
    path = tmp_path / "public" / YEARLY
    path.write_text(path.read_text(encoding="utf-8").replace("\n2023,36210368,", "\n2023,36210369,"), encoding="utf-8")
    with pytest.raises(DataError, match=r"2023: 36210369 here but 36210368 in data/public/ncmec/diaphanous/ocse-reports-per-year.csv"):
        write_diaphanous(tmp_path / "public")


def test_duplicate_and_non_iso_codes_are_explained_not_dropped():
    table = pd.read_csv(PUBLIC / "ncmec/reports_by_country_2024.csv", dtype=str, keep_default_na=False).set_index("country")
    assert len(table) == 252
    assert table.loc["French Guiana", ["iso3", "breakdown", "referrals", "informational", "note"]].tolist() == [
        "GUF", "", "780", "62", "GUF also listed as 'Guiana, French'"]
    assert table.loc["Guiana, French", ["iso3", "referrals", "informational", "note"]].tolist() == [
        "GUF", "", "", "GUF also listed as 'French Guiana'; no 2024 value in the transcription"]
    assert table.loc["Europe", ["iso3", "note"]].tolist() == [
        "EUX", "diaphanous code EEE; NCMEC lists 'Europe' without a country (project code EUX); no 2024 value in the transcription"]
    assert table.loc["No Country Listed", ["iso3", "referrals", "informational"]].tolist() == ["UNK", "1489223", "675865"]
    assert table.loc["North Korea", "note"] == "no 2024 referrals value in the transcription"
    assert (table["referrals"] != "").sum() == 238 and (table["informational"] != "").sum() == 233


# --- spot values (each read in the diaphanous copy; source named) ---------------------------

COUNTRY_SPOTS = {  # diaphanous-ncmec-by-country-2024: (ISO3, indicator) -> value
    ("FRA", "cybertipline_referrals"): 147_803, ("FRA", "cybertipline_informational_reports"): 12_413,
    ("DEU", "cybertipline_referrals"): 192_590, ("DEU", "cybertipline_informational_reports"): 18_752,
    ("IND", "cybertipline_referrals"): 1_521_666, ("IND", "cybertipline_informational_reports"): 730_862,
    ("USA", "cybertipline_referrals"): 949_287, ("USA", "cybertipline_informational_reports"): 228_471,
    ("PHL", "cybertipline_referrals"): 1_364_464, ("TUR", "cybertipline_informational_reports"): 275_961,
    ("NLD", "cybertipline_referrals"): 245_365, ("UNK", "cybertipline_referrals"): 1_489_223,
    ("UNK", "cybertipline_informational_reports"): 675_865, ("CUW", "cybertipline_referrals"): 396,
    ("PRK", "cybertipline_informational_reports"): 2,
}


@pytest.mark.parametrize("key,expected", COUNTRY_SPOTS.items(), ids=[f"{c}-{i}" for c, i in COUNTRY_SPOTS])
def test_country_spot_values(obs, key, expected):
    code, indicator = key
    assert value(obs, "diaphanous-ncmec-by-country-2024", indicator, geography=code) == expected


CONTENT_SPOTS = {  # diaphanous-ncmec-ojjdp-2024: (indicator, breakdown) -> value, every 2024 row
    ("cybertipline_reports", "incident_type=child_pornography"): 19_854_300,
    ("cybertipline_reports", "incident_type=misleading_words_or_images"): 12_216,
    ("cybertipline_reports", "incident_type=online_enticement"): 546_333,
    ("cybertipline_reports", "incident_type=child_sex_trafficking"): 26_823,
    ("cybertipline_reports", "incident_type=unsolicited_obscene_material"): 33_482,
    ("cybertipline_reports", "incident_type=misleading_domain_name"): 14_496,
    ("cybertipline_reports", "incident_type=child_sexual_molestation"): 22_242,
    ("cybertipline_reports", "incident_type=child_sex_tourism"): 2_911,
    ("cybertipline_reports", "user_location=us"): 1_276_041,
    ("cybertipline_reports", "user_location=international"): 17_279_122,
    ("cybertipline_reports", "user_location=unknown"): 1_957_640,
    ("cybertipline_files", "file_type=images"): 28_004_236,
    ("cybertipline_files", "file_type=videos"): 33_130_449,
    ("cybertipline_files", "file_type=other"): 1_858_174,
    ("cybertipline_files_unique", "file_type=images"): 17_533_122,
    ("cybertipline_files_unique", "file_type=videos"): 17_084_991,
    ("cybertipline_files_visually_similar", "file_type=images"): 12_459_078,
    ("cybertipline_files_visually_similar", "file_type=videos"): 8_194_192,
    ("cybertipline_reports_with_unique_files", ""): 14_311_814,
    ("cybertipline_reports_with_similar_files", ""): 11_120_872,
}


@pytest.mark.parametrize("key,expected", CONTENT_SPOTS.items(), ids=[f"{i}-{b}" for i, b in CONTENT_SPOTS])
def test_contents_spot_values(obs, key, expected):
    indicator, breakdown = key
    assert value(obs, "diaphanous-ncmec-ojjdp-2024", indicator, breakdown=breakdown) == expected


PLATFORM_SPOTS = {  # diaphanous-ncmec-by-platform-2024: breakdown -> value
    "reporter=esp": 20_348_306, "company=Meta": 13_764_805, "company=TikTok": 1_359_806, "company=Google": 1_175_084,
    "company=Snap": 1_174_698, "company=X": 686_176, "company=MediaLab": 668_974, "company=Reddit": 334_597,
    "company=Discord": 241_354, "company=Microsoft": 102_784, "company=Amazon": 75_501, "company=Omegle": 12,
}


@pytest.mark.parametrize("breakdown,expected", PLATFORM_SPOTS.items())
def test_platform_spot_values(obs, breakdown, expected):
    assert value(obs, "diaphanous-ncmec-by-platform-2024", "cybertipline_reports", breakdown=breakdown) == expected


def test_yearly_series_gains_2025_with_its_own_source(obs):
    assert value(obs, "diaphanous-ncmec-total-2025", "cybertipline_reports", period="2025") == 21_351_493
    assert value(obs, "diaphanous-ncmec-by-esp-2024", "cybertipline_reports") == TOTAL_2024


def test_totals_are_not_emitted_twice(obs):
    """The sum-check rows ('Total ...') of the contents tables are not observations."""
    rows = obs[(obs["source_id"] == "diaphanous-ncmec-ojjdp-2024") & (obs["indicator"] == "cybertipline_reports")]
    assert len(rows) == 11 and (rows["breakdown"] != "").all()


# --- sums --------------------------------------------------------------------------------

def test_by_country_sums_against_ncmec_total(obs):
    rows = obs[obs["source_id"] == "diaphanous-ncmec-by-country-2024"]
    referrals = rows.loc[rows["indicator"] == "cybertipline_referrals", "value"].sum()
    informational = rows.loc[rows["indicator"] == "cybertipline_informational_reports", "value"].sum()
    assert (referrals, informational) == (16_612_392, 4_566_847)
    assert referrals + informational == 21_179_239  # what the transcriber's own code expects for 2024
    assert referrals + informational - TOTAL_2024 == 666_436  # recorded in the source's notes
    assert referrals < TOTAL_2024 and informational < TOTAL_2024


def test_incident_types_and_user_locations_add_up_to_the_2024_total(obs):
    rows = obs[(obs["source_id"] == "diaphanous-ncmec-ojjdp-2024") & (obs["indicator"] == "cybertipline_reports")]
    assert rows.loc[rows["breakdown"].str.startswith("incident_type="), "value"].sum() == TOTAL_2024
    assert rows.loc[rows["breakdown"].str.startswith("user_location="), "value"].sum() == TOTAL_2024


def test_files_sum_against_the_only_published_2024_files_total(obs):
    files = obs[(obs["source_id"] == "diaphanous-ncmec-ojjdp-2024") & (obs["indicator"] == "cybertipline_files")]["value"].sum()
    assert files == 62_992_859
    printed = value(obs, "dataforadifference-2025-20-million-reports", "cybertipline_files")  # '62.9 million', secondary
    assert printed == 62_900_000 and files // 100_000 == 629  # agrees if that figure was truncated, not rounded (63.0)


def test_unique_and_similar_files_are_not_a_partition_of_the_files(obs):
    unique = value(obs, "diaphanous-ncmec-ojjdp-2024", "cybertipline_files_unique", breakdown="file_type=images")
    similar = value(obs, "diaphanous-ncmec-ojjdp-2024", "cybertipline_files_visually_similar", breakdown="file_type=images")
    images = value(obs, "diaphanous-ncmec-ojjdp-2024", "cybertipline_files", breakdown="file_type=images")
    assert unique + similar - images == 1_987_964


def test_shares_in_secondary_sources_agree_with_the_counts(obs):
    """'84% of reports ... outside the United States' and 'about 97%' CSAM (NCMEC's Platform)."""
    international = value(obs, "diaphanous-ncmec-ojjdp-2024", "cybertipline_reports", breakdown="user_location=international")
    assert round(100 * international / TOTAL_2024) == value(obs, "dataforadifference-2025-20-million-reports", "cybertipline_reports_outside_us_pct") == 84
    csam = value(obs, "diaphanous-ncmec-ojjdp-2024", "cybertipline_reports", breakdown="incident_type=child_pornography")
    assert round(100 * csam / TOTAL_2024) == value(obs, "gpcep-2024-half-year-comparisons", "cybertipline_reports_csam_share_pct") == 97


# --- why the transcription is trusted: its earlier years equal NCMEC's own PDFs ------------

def _diaphanous_by_code(year: str) -> pd.Series:
    names = pd.read_csv(PUBLIC / "ncmec/country_names.csv", keep_default_na=False).set_index("ncmec_name")["iso3"]
    table = pd.read_csv(COPIES / "ocse-reports-per-country.csv", thousands=",", keep_default_na=False, na_values=[""])
    table = table[table[year].notna()]
    return table.assign(code=table["country"].map(names)).groupby("code")[year].sum().astype("int64")


@pytest.mark.parametrize("year", ["2019", "2020", "2021", "2022", "2023"])
def test_earlier_years_equal_our_primary_transcriptions(year):
    ours = pd.read_csv(PUBLIC / f"ncmec/reports_by_country_{year}.csv", keep_default_na=False)
    total = int(ours.loc[ours["country"] == "Total", "reports"].iloc[0])
    ours = ours[ours["country"] != "Total"]
    ours = ours.assign(n=pd.to_numeric(ours["reports"]).fillna(0).astype("int64")).groupby("iso3")["n"].sum()  # '-' -> 0
    theirs = _diaphanous_by_code(year)
    assert theirs.sum() == total
    for code in ("FRA", "DEU", "IND"):
        assert theirs[code] == ours[code], code
    assert theirs.reindex(ours.index).fillna(0).astype("int64").equals(ours)  # every country


def test_earlier_contents_equal_our_transcriptions_of_the_reports_to_congress():
    theirs = pd.read_csv(COPIES / "ocse-report-contents.csv", thousands=",").set_index(["category", "label", "year"])["quantity"]
    tables = {"kind of exploitation": ("reports_by_incident_type", INCIDENT_TYPES), "user location": ("reports_by_user_location", USER_LOCATIONS),
              "attachments": ("files_by_type", FILE_TYPES)}
    compared = 0
    for report, years in (("2022", [2020]), ("2023", [2021, 2022, 2023])):
        for category, (name, mapping) in tables.items():
            ours = pd.read_csv(PUBLIC / f"ncmec/ojjdp_{report}_{name}.csv").set_index("breakdown")
            for year in years:
                for label, (_, breakdown) in mapping.items():
                    assert ours.at[breakdown, f"cy{year}"] == theirs[(category, label, year)], (report, label, year)
                    compared += 1
                total = pd.read_csv(PUBLIC / f"ncmec/ojjdp_{report}_reports_by_reporter.csv").set_index("row")
                assert theirs[("reports", "total", year)] == total.at["Total CyberTipline Reports", f"cy{year}"]
    assert compared == 4 * (8 + 3 + 3)


def test_earlier_unique_and_similar_counts_appear_in_the_2023_report_text():
    pdf = shared_pdf("ncmec/ncmec-ojjdp-2023.pdf")
    with pdfplumber.open(pdf) as doc:
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in doc.pages[6:7])
    theirs = pd.read_csv(COPIES / "ocse-report-contents.csv", thousands=",").set_index(["label", "year"])["quantity"]
    for kind in ("photos", "videos"):
        printed = " ".join(f"{theirs[(f'{u} {kind}', y)]:,}" for y in (2021, 2022, 2023) for u in ("unique", "similar"))
        assert printed in text, kind
    for label in ("with unique photos/videos", "with similar photos/videos"):
        assert f"{theirs[(label, 2023)]:,}" in text and f"{theirs[(label, 2021)]:,} {theirs[(label, 2022)]:,}" in text


# --- the extractor's 2024+ layout, on synthetic PDFs --------------------------------------

def _table_pdf(path, title, header, rows, total=None):
    """A ruled table like NCMEC's: header words at x positions, a rule under every row.

    header: [(text, x)], rows: [[(text, x, align)]] with numbers right-aligned at x; a row
    given as two lists is a wrapped name on two lines within one band.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    width, height = 612, 792
    fig = Figure(figsize=(width / 72, height / 72))
    fig.text(60 / width, 1 - 40 / height, title, fontsize=14)
    for text, x in header:
        fig.text(x / width, 1 - 100 / height, text, fontsize=10)
    top = 110
    for row in rows + ([total] if total else []):
        lines = row if isinstance(row[0], list) else [row]
        bottom = top + 18 * len(lines) + 4
        for i, line in enumerate(lines):
            for text, x, align in line:
                fig.text(x / width, 1 - (top + 15 + 18 * i) / height, text, fontsize=10, ha=align)
        fig.add_artist(Line2D([50 / width, 560 / width], [1 - top / height] * 2, color="black", linewidth=0.5))
        top = bottom
    fig.add_artist(Line2D([50 / width, 560 / width], [1 - top / height] * 2, color="black", linewidth=0.5))
    fig.savefig(path, format="pdf", metadata={"CreationDate": None})


def _split_row(name, referrals, informational):
    return [(name, 60, "left"), (referrals, 360, "right"), (informational, 500, "right")]


SPLIT_HEADER = [("Country", 60), ("Referrals", 310), ("Informational", 430)]


def _split_country_pdf(path, total=("150,360", "1,261")):
    rows = [_split_row("France", "147,803", "1,234"), _split_row("Germany", "2,500", "-"),
            [[("Congo, The Democratic Republic", 60, "left"), ("40", 360, "right"), ("27", 500, "right")], [("of the", 60, "left")]],
            _split_row("No Country Listed*", "17", "")]
    _table_pdf(path, "2025 CyberTipline Reports by Country", SPLIT_HEADER, rows, _split_row("Total", *total))


def test_split_layout_is_read_row_by_row(tmp_path):
    pdf = tmp_path / "by-country-2025.pdf"
    _split_country_pdf(pdf)
    result = extract(pdf, "country")
    assert (result.year, result.columns, result.pages) == (2025, SPLIT, 1)
    assert [(r.name, r.values) for r in result.rows] == [
        ("France", (147_803, 1_234)), ("Germany", (2_500, None)), ("Congo, The Democratic Republic of the", (40, 27)),
        ("No Country Listed*", (17, None))]
    assert result.stated_totals == (150_360, 1_261) and result.row_sums == (150_360, 1_261)
    assert check_total(result, pdf.name) == "by-country-2025.pdf: 4 rows; referrals sum 150,360 and informational sum 1,261 equal the printed totals"


def test_split_layout_is_written_in_the_new_raw_layout_and_registered(tmp_path):
    pdf = tmp_path / "by-country-2025.pdf"
    _split_country_pdf(pdf)
    root = tmp_path / "repo"
    shutil.copytree(PUBLIC, root / "data" / "public")
    public = root / "data" / "public"
    messages = write(pdf, "country", public, "2026-11-29")
    assert messages[1:] == ["wrote data/public/ncmec/reports_by_country_2025.csv (4 rows + total)",
                            "added source ncmec-by-country-2025 to data/public/sources.yaml (check its URL and date published)",
                            "registered ncmec/reports_by_country_2025.csv in data/public/tables.yaml"]
    assert (public / "ncmec/reports_by_country_2025.csv").read_text() == (
        "country,iso3,breakdown,referrals,informational,note\n"
        "France,FRA,,147803,1234,\n"
        "Germany,DEU,,2500,,NCMEC: - printed for informational\n"
        '"Congo, The Democratic Republic of the",COD,,40,27,\n'
        "No Country Listed*,UNK,,17,,NCMEC: nothing printed for informational\n"
        "Total,WLD,,150360,1261,total row as printed\n")
    assert "    referrals: {indicator: cybertipline_referrals}\n    informational: {indicator: cybertipline_informational_reports}\n" in (
        public / "tables.yaml").read_text()
    assert "each row is split into referrals and informational reports" in (public / "sources.yaml").read_text()
    obs = build_observations(Paths(root=root, out=root))[0]
    new = obs[obs["source_id"] == "ncmec-by-country-2025"].set_index(["indicator", "geography"])["value"]
    assert new.to_dict() == {
        ("cybertipline_informational_reports", "COD"): 27, ("cybertipline_informational_reports", "FRA"): 1_234,
        ("cybertipline_informational_reports", "WLD"): 1_261, ("cybertipline_referrals", "COD"): 40,
        ("cybertipline_referrals", "DEU"): 2_500, ("cybertipline_referrals", "FRA"): 147_803,
        ("cybertipline_referrals", "UNK"): 17, ("cybertipline_referrals", "WLD"): 150_360}


def test_split_layout_for_esps(tmp_path):
    pdf = tmp_path / "by-esp-2025.pdf"
    header = [("ESP", 60), ("Referrals", 310), ("Informational", 430)]
    rows = [_split_row("Facebook", "1,000,000", "250,000"), _split_row("Snap Inc.", "12", "3")]
    _table_pdf(pdf, "2025 CyberTipline Reports by Electronic Service Providers (ESP)", header, rows, _split_row("Total", "1,000,012", "250,003"))
    shutil.copytree(PUBLIC, tmp_path / "public")
    write(pdf, "esp", tmp_path / "public", "2026-11-29")
    assert (tmp_path / "public/ncmec/reports_by_esp_2025.csv").read_text() == (
        "esp,breakdown,referrals,informational,note\n"
        "Facebook,esp=Facebook,1000000,250000,\n"
        "Snap Inc.,esp=Snap Inc.,12,3,\n"
        "Total,reporter=esp,1000012,250003,total row as printed (reports from ESPs)\n")


def test_single_column_layout_still_read_on_a_synthetic_pdf(tmp_path):
    pdf = tmp_path / "by-country-2025.pdf"
    rows = [[("France", 60, "left"), ("310,519", 400, "right")], [("Germany", 60, "left"), ("-", 400, "right")]]
    _table_pdf(pdf, "2025 CyberTipline Reports by Country", [("Country", 60), ("Reports", 360)], rows,
               [("Total", 60, "left"), ("310,519", 400, "right")])
    result = extract(pdf, "country")
    assert result.columns == ("reports",)
    assert [(r.name, r.values) for r in result.rows] == [("France", (310_519,)), ("Germany", (None,))]
    assert (result.stated_total, result.row_sum) == (310_519, 310_519)
    shutil.copytree(PUBLIC, tmp_path / "public")
    write(pdf, "country", tmp_path / "public", "2026-11-29")
    assert (tmp_path / "public/ncmec/reports_by_country_2025.csv").read_text() == (
        "country,iso3,breakdown,reports,note\nFrance,FRA,,310519,\nGermany,DEU,,,NCMEC printed '-'\nTotal,WLD,,310519,total row as printed\n")


def test_split_layout_rows_that_do_not_add_up_to_the_printed_total_are_refused(tmp_path):
    pdf = tmp_path / "by-country-2025.pdf"
    _split_country_pdf(pdf, total=("150,360", "1,262"))
    with pytest.raises(DataError) as err:
        check_total(extract(pdf, "country"), pdf.name)
    assert str(err.value) == "by-country-2025.pdf:1: informational: rows sum to 1,261 but the PDF's total row says 1,262"


def test_a_referrals_header_without_informational_is_refused_in_one_line(tmp_path):
    pdf = tmp_path / "odd.pdf"
    _table_pdf(pdf, "2025 CyberTipline Reports by Country", [("Country", 60), ("Referrals", 310)],
               [[("France", 60, "left"), ("1", 360, "right")]])
    with pytest.raises(LayoutError) as err:
        extract(pdf, "country")
    assert str(err.value) == "odd.pdf:1: page 1: a 'Referrals' header without 'Informational' (or the reverse); this layout is not recognised"
    done = subprocess.run([sys.executable, "-m", "analysis", "extract", "ncmec-by-country", str(pdf)],
                          capture_output=True, text=True, env={**os.environ, "ANALYSIS_ROOT": str(tmp_path)})
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "not recognised" in done.stderr


def test_three_numbers_in_a_split_row_are_refused(tmp_path):
    pdf = tmp_path / "odd.pdf"
    row = _split_row("France", "1", "2") + [("3", 540, "right")]
    _table_pdf(pdf, "2025 CyberTipline Reports by Country", SPLIT_HEADER, [row])
    with pytest.raises(LayoutError, match=re.escape("odd.pdf:1: page 1: cannot read the row 'France' ['1', '2', '3']")):
        extract(pdf, "country")
