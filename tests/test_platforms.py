"""Platforms' own figures, the comparison with NCMEC's count from the same company, IWF's October 2024
hosting shares and NCMEC's 2025 figures: values as published, totals that must agree, error messages."""
import csv
import hashlib
import re

import pandas as pd
import pytest

from analysis import build_observations, load_sources, platforms
from analysis.checks import agrees
from analysis.errors import DataError
from analysis.paths import REPO_ROOT

PUBLIC = REPO_ROOT / "data" / "public"
DISCORD_COPY = PUBLIC / platforms.COPY_DISCORD


@pytest.fixture(scope="module")
def obs():
    return build_observations()[0]


@pytest.fixture(scope="module")
def table(obs):
    return platforms.platform_vs_ncmec(obs).set_index(["company", "year"])


def one(obs, source, indicator, period, breakdown):
    rows = obs[(obs["source_id"] == source) & (obs["indicator"] == indicator) & (obs["period"] == period) & (obs["breakdown"] == breakdown)]
    assert len(rows) == 1, (source, indicator, period, breakdown, len(rows))
    return rows.iloc[0]


# --- the companies' own figures, exactly as published ---------------------------------------

PUBLISHED = [  # (source_id, indicator, period, breakdown, value, qualifier)
    ("meta-ncmec-2023-q2", "platform_ncmec_reports", "2023-Q2", "company=Meta", 3_700_000, "at_least"),
    ("meta-ncmec-2023-q2", "platform_ncmec_reports", "2023-Q2", "company=Meta;report_content=inappropriate_interactions", 48_000, "rounded"),
    ("calipsu-2025-meta-q2-2025", "platform_ncmec_reports", "2025-Q2", "company=Meta", 2_000_000, "at_least"),
    ("amazon-csam-report-2023", "platform_ncmec_reports", "2023", "company=Amazon", 31_281, "exact"),
    ("amazon-csam-report-2023", "platform_cse_content_pieces", "2023", "company=Amazon;service=amazon_photos", 24_653, "exact"),
    ("amazon-csam-report-2023", "platform_cse_accounts", "2023", "company=Amazon", 4_111, "exact"),
    ("amazon-ncmec-report-2020", "platform_ncmec_reports", "2020", "company=Amazon", 2_235, "exact"),
    ("discord-transparency-2022-q4", "platform_ncmec_reports", "2022-Q4", "company=Discord", 11_589, "exact"),
    ("discord-transparency-2022-q4", "platform_cse_accounts", "2022-Q4", "company=Discord", 37_102, "exact"),
    ("thehindu-2023-12-30-x-cse", "platform_ncmec_reports", "2023-H1", "company=X", 430_000, "rounded"),
    ("wionews-2024-09-25-x-transparency", "platform_ncmec_reports", "2024-H1", "company=X", 370_588, "exact"),
    ("hngn-2024-05-08-x-report-act", "platform_ncmec_reports", "2024-Q1", "company=X", 175_000, "approx"),
    ("inhope-google-csam-report-2020", "platform_cse_content_pieces", "2020-H2", "company=Google", 2_904_317, "exact"),
    ("citinewsfeed-2020-pinterest-h1", "platform_ncmec_reports", "2020-H1", "company=Pinterest", 1_638, "exact"),
    ("diaphanous-discord-2024-h1", "platform_ncmec_reports", "2024-H1", "company=Discord", 103_644, "exact"),
    ("diaphanous-discord-2024-h1", "platform_ncmec_reports", "2024-03", "company=Discord;report_content=media", 16_811, "exact"),
    ("diaphanous-platform-meta", "platform_ncmec_reports", "2024", "company=Meta", 11_600_000, "rounded"),
    ("diaphanous-platform-meta", "platform_cse_content_pieces", "2019", "company=Meta", 39_368_400, "rounded"),
    ("diaphanous-platform-google", "platform_ncmec_reports", "2024", "company=Google", 1_176_026, "exact"),
    ("diaphanous-platform-snap", "platform_ncmec_reports", "2024", "company=Snap", 1_050_278, "exact"),
    ("diaphanous-platform-x", "platform_ncmec_reports", "2024", "company=X", 684_505, "exact"),
    ("diaphanous-platform-microsoft", "platform_ncmec_reports", "2023", "company=Microsoft", 140_757, "exact"),
]


@pytest.mark.parametrize("source,indicator,period,breakdown,expected,qualifier", PUBLISHED, ids=[f"{p[0]}-{p[2]}" for p in PUBLISHED])
def test_published_values(obs, source, indicator, period, breakdown, expected, qualifier):
    row = one(obs, source, indicator, period, breakdown)
    assert (row["value"], row["qualifier"]) == (expected, qualifier)


def test_every_platform_source_is_registered_with_its_counting_rule():
    sources = load_sources()
    used = set(pd.read_csv(PUBLIC / "platforms/platform_facts.csv")["source_id"])
    used |= set(pd.read_csv(PUBLIC / platforms.RAW_TOTALS)["source_id"]) | {"diaphanous-discord-2024-h1"}
    assert len(used) == 20
    for source in used:
        assert len(sources.at[source, "definitions"]) > 80, source
        assert sources.at[source, "kind"] == ("primary" if source.startswith(("meta-", "amazon-", "discord-")) else "secondary"), source


def test_measures_are_kept_apart(obs):
    """Reports, pieces of content and accounts are three indicators with three units."""
    units = obs[obs["indicator"].str.startswith("platform_")].groupby("indicator")["unit"].unique()
    assert {k: list(v) for k, v in units.items()} == {"platform_cse_accounts": ["accounts"], "platform_cse_content_pieces": ["items"],
                                                       "platform_ncmec_reports": ["reports"]}


# --- totals that must agree -------------------------------------------------------------------

def test_discord_copy_is_the_stored_file():
    text = DISCORD_COPY.read_text(encoding="utf-8")
    assert len(text) == 5455  # read_file's total_chars for data/discord/discord-2024-h1.csv at d6fe5bdb
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == "03418d7267a5eba9b628e7b4bebfc88ebbcd5e73f560ac3a6bea761afcf18c4b"


def test_discord_months_add_up_to_the_printed_half(obs):
    rows = obs[obs["source_id"] == "diaphanous-discord-2024-h1"]
    months = rows[rows["period"].str.fullmatch(r"2024-0[1-6]")]
    for breakdown, half in (("company=Discord", 103_644), ("company=Discord;report_content=media", 103_035),
                            ("company=Discord;report_content=grooming_endangerment", 609)):
        assert months.loc[months["breakdown"] == breakdown, "value"].sum() == half
        assert one(obs, "diaphanous-discord-2024-h1", "platform_ncmec_reports", "2024-H1", breakdown)["value"] == half
    assert len(months) == 18


def test_discord_q4_2022_parts_add_up(obs):
    parts = [one(obs, "discord-transparency-2022-q4", "platform_ncmec_reports", "2022-Q4", f"company=Discord;report_content={k}")["value"]
             for k in ("media", "grooming_endangerment")]
    assert sum(parts) == one(obs, "discord-transparency-2022-q4", "platform_ncmec_reports", "2022-Q4", "company=Discord")["value"]


def test_inhope_quotation_of_google_2020_adds_up_to_the_yearly_sum(obs):
    halves = [one(obs, "inhope-google-csam-report-2020", "platform_cse_content_pieces", p, "company=Google")["value"] for p in ("2020-H1", "2020-H2")]
    assert sum(halves) == one(obs, "diaphanous-platform-google", "platform_cse_content_pieces", "2020", "company=Google")["value"] == 4_437_853


def test_amazon_pages_equal_the_yearly_sums(obs):
    for source, year in (("amazon-ncmec-report-2020", "2020"), ("amazon-csam-report-2023", "2023")):
        own = one(obs, source, "platform_ncmec_reports", year, "company=Amazon")["value"]
        assert own == one(obs, "diaphanous-platform-amazon", "platform_ncmec_reports", year, "company=Amazon")["value"]
    # the transcriber's 2023 pieces: Amazon Photos' images plus the 103 pieces reported by third parties
    images = one(obs, "amazon-csam-report-2023", "platform_cse_content_pieces", "2023", "company=Amazon;service=amazon_photos")["value"]
    assert one(obs, "diaphanous-platform-amazon", "platform_cse_content_pieces", "2023", "company=Amazon")["value"] - images == 103


def test_x_first_half_fits_the_year_and_meta_parts_fit_the_quarter(obs):
    h1 = one(obs, "wionews-2024-09-25-x-transparency", "platform_ncmec_reports", "2024-H1", "company=X")["value"]
    year = one(obs, "diaphanous-platform-x", "platform_ncmec_reports", "2024", "company=X")["value"]
    assert h1 == 35_176 + 335_412 and year - h1 == 313_917  # automated + human; the second half
    q2 = [one(obs, "calipsu-2025-meta-q2-2025", "platform_ncmec_reports", "2025-Q2", f"company=Meta{k}")["value"]
          for k in ("", ";report_content=inappropriate_interactions", ";report_content=shared_csam")]
    assert agrees(q2[0], q2[1] + q2[2], "rounded", decimals=-5)  # 528,000 + 1.5 million, 'over 2 million'


def test_company_grouping_of_ncmec_rows_equals_the_transcribers(obs):
    """Our sums of NCMEC's primary rows by ESP (company_esps.csv) equal diaphanous' NCMEC company figures, 2019-2023."""
    ours = platforms.ncmec_by_company(obs).set_index(["company", "year"])["ncmec_reports"]
    with open(PUBLIC / platforms.COPY_TOTALS, encoding="utf-8", newline="") as fh:
        theirs = {(r["target"], int(r["year"])): int(r["value"]) for r in csv.DictReader(fh)
                  if r["source"] == "NCMEC" and r["variable"] == "reports" and r["year"] != "2024"}
    compared = 0
    for (company, year), value in theirs.items():
        if (company, year) in ours.index:
            assert ours[(company, year)] == value, (company, year)
            compared += 1
    assert compared == 49  # 10 companies, 2019-2023 (Aylo from 2020)
    assert ours[("Meta", 2023)] == 17_838_422 + 11_430_007 + 1_389_618 + 663  # Facebook, Instagram, WhatsApp, Threads


# --- the comparison table -------------------------------------------------------------------

def test_comparison_rows_and_counts(table):
    assert len(table) == 46
    assert table["comparable"].sum() == 36  # not: Meta 2019-2023 (pieces), Microsoft 2019 (pieces), Discord 2022 and 2024, X 2023 (part of the year), X 2022 (a bound)
    assert set(table.index.get_level_values("company")) == {"Amazon", "Aylo", "Discord", "Google", "Meta", "Microsoft", "Pinterest", "Reddit", "Snap", "X"}


def test_comparison_values_and_reasons(table):
    meta = table.loc[("Meta", 2024)]
    assert (meta["platform_reports"], meta["ncmec_reports"], meta["difference"]) == (11_600_000, 13_764_805, -2_164_805)
    assert round(meta["platform_pct_of_ncmec"], 3) == 84.273
    assert meta["reasons"] == "transcriber_grouping;services;rounded;bundling"
    assert "WhatsApp" in meta["explanation"]
    assert table.loc[("Reddit", 2022), "reasons"] == "equal" and table.loc[("Reddit", 2022), "difference"] == 0
    old = table.loc[("Meta", 2021)]  # pieces of content only: no difference
    assert pd.isna(old["difference"]) and old["platform_pieces"] == 78_012_400 and "pieces_not_reports" in old["reasons"]
    discord = table.loc[("Discord", 2024)]
    assert (discord["platform_partial_reports"], discord["platform_period"]) == (103_644, "2024-H1")
    assert pd.isna(discord["difference"]) and "partial_period" in discord["reasons"]
    x = table.loc[("X", 2022)]  # 'over 98,000': a bound, which NCMEC's 98,050 satisfies
    assert x["reasons"] == "bound;within_bound" and not x["comparable"]
    assert table.loc[("Microsoft", 2023), "ncmec_esp_rows"] == 5 and table.loc[("Microsoft", 2023), "ncmec_source_id"] == "ncmec-by-esp-2023"
    assert "transcription_doubt" in table.loc[("Pinterest", 2024), "reasons"]


def test_bundling_reason_follows_the_indicator_registry(table):
    years = table.index.get_level_values("year")
    assert (table["reasons"].str.contains("bundling") == (years >= 2024)).all()


def test_written_table_matches_and_is_described(table):
    written = pd.read_csv(REPO_ROOT / "data/processed/platform_vs_ncmec.csv", keep_default_na=False)
    assert len(written) == len(table)
    assert written.columns.tolist() == ["company", "year", *table.reset_index().columns[2:]]
    assert (written["reasons"].str.split(";").explode().replace("", pd.NA).dropna().isin(list(platforms.REASONS))).all()
    assert written["explanation"].str.endswith(".").all()


# --- bad input ------------------------------------------------------------------------------

def test_an_esp_name_no_ncmec_table_holds_is_refused(repo_copy, obs):
    path = repo_copy.public / platforms.COMPANY_ESPS
    path.write_text(path.read_text(encoding="utf-8") + "Meta,Facebok,\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        platforms.ncmec_by_company(obs, repo_copy)
    assert str(err.value) == "data/public/platforms/company_esps.csv:51: ESP 'Facebok' is in none of NCMEC's tables by ESP (breakdown esp=...)"


def test_an_esp_assigned_twice_is_refused(repo_copy, obs):
    path = repo_copy.public / platforms.COMPANY_ESPS
    path.write_text(path.read_text(encoding="utf-8") + "Google,Facebook,\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"company_esps.csv:51: ESP 'Facebook' is already assigned to Meta on line 28"):
        platforms.company_esps(repo_copy)


def test_a_discord_row_whose_parts_do_not_add_up_is_refused():
    text = DISCORD_COPY.read_text(encoding="utf-8").replace('March,"16,811",116,"16,927"', 'March,"16,811",116,"16,928"')
    with pytest.raises(DataError) as err:
        platforms.discord_raw(text)
    assert str(err.value) == ("data/public/platforms/diaphanous/discord-2024-h1.csv:97: March: media 16811 + grooming or "
                              "endangerment 116 is not the row's total 16928")


def test_a_discord_month_changed_in_the_raw_file_breaks_the_printed_total(repo_copy):
    raw = repo_copy.public / platforms.RAW_DISCORD
    raw.write_text(raw.read_text(encoding="utf-8").replace("March,2024-03,16811,116,16927", "March,2024-03,16810,116,16926"), encoding="utf-8")
    with pytest.raises(DataError, match=r"discord_ncmec_2024_h1.csv:8: column 'media_reports'"):
        build_observations(repo_copy)


def test_a_platform_row_counting_another_company_is_refused():
    text = (PUBLIC / platforms.COPY_TOTALS).read_text(encoding="utf-8").replace("Snap,Snap,2022,pieces", "Snap,Meta,2022,pieces")
    with pytest.raises(DataError, match=r"ocse-reports-per-platform.csv:\d+: a company's own row must count itself, found source 'Snap', target 'Meta'"):
        platforms.totals_raw(text)


# --- IWF's October 2024 update and NCMEC's 2025 figures -----------------------------------------

def test_iwf_october_2024_hosting_shares(obs):
    window = "ai=yes;hosting_country={};window=2024-04_2024-09"
    shares = {code: one(obs, source, "iwf_urls_hosted_pct", "2024", window.format(code))["value"]
              for code, source in (("RUS", "newindianexpress-2024-10-18"), ("USA", "newindianexpress-2024-10-18"),
                                   ("JPN", "computing-2024-10-iwf-ai-tipping-point"), ("NLD", "computing-2024-10-iwf-ai-tipping-point"))}
    assert shares == {"RUS": 36, "USA": 22, "JPN": 11, "NLD": 8}
    assert shares["RUS"] + shares["USA"] > 50  # 'more than half ... in two countries'
    held = obs[(obs["indicator"] == "iwf_urls_hosted_pct") & obs["breakdown"].str.endswith("window=2024-04_2024-09")]
    assert len(held) == 4  # no share entered twice


def test_ncmec_2025_figures_from_the_secondary_copy(obs):
    source = "montethakkar-2026-06-csam-report-triage"
    assert load_sources().at[source, "kind"] == "secondary"
    got = {(r.indicator, r.breakdown): (r.value, r.qualifier) for r in obs[obs["source_id"] == source].itertuples()}
    assert got == {("cybertipline_reports", ""): (21_300_000, "rounded"), ("cybertipline_files", ""): (61_800_000, "rounded"),
                   ("cybertipline_referrals", ""): (18_800_000, "rounded"),
                   ("cybertipline_reports_generative_ai", ""): (1_500_000, "rounded"),
                   ("cybertipline_reports_generative_ai", "esp=Amazon AI Services"): (1_100_000, "rounded")}
    exact = one(obs, "diaphanous-ncmec-total-2025", "cybertipline_reports", "2025", "")["value"]
    assert exact // 100_000 == 213 and round(exact / 100_000) == 214  # '21.3 million' is the total truncated, not rounded
    assert 18_800_000 < exact and 1_100_000 < 1_500_000
    press = obs[(obs["indicator"] == "cybertipline_reports_generative_ai") & (obs["period"] == "2025") & (obs["qualifier"] == "at_least")]
    assert (press["value"] <= 1_500_000).all() and len(press) >= 1  # 'more than 1 million' in the press agrees


def test_no_staging_host_is_cited():
    sources = load_sources()
    assert not sources["url"].str.contains(r"//uat\.", regex=True).any()
    assert not any(re.search(r"uat\.iwf", u) for u in sources["url"])
