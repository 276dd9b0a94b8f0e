"""IWF: values as published, and every recomputed percentage agrees with the printed one."""
import pytest

from analysis import build_observations, iwf
from analysis.checks import Interval, agrees, printed


@pytest.fixture(scope="module")
def obs():
    return build_observations()[0]


# (source_id, section) -> indicator, breakdown, period, value as printed by IWF (or the source quoting it)
PUBLISHED = [
    ("iwf-highlights", "IWF Highlights, 2014 entry", "iwf_reports_assessed", "", "2014", 74_119),
    ("iwf-highlights", "IWF Highlights, 2014 entry", "iwf_urls_confirmed_csam", "", "2014", 31_266),
    ("iwf-highlights", "IWF Highlights, 2015 entry", "iwf_reports_confirmed_csam", "", "2015", 68_092),
    ("iwf-ar2017-microsite", "Annual Report 2017", "iwf_reports_assessed", "", "2017", 132_636),
    ("iwf-news-2019-01-record-2018", "news, record number in 2018", "iwf_urls_confirmed_csam", "", "2018", 105_047),
    ("iwf-ar2020-trends", "Annual Report 2020, Trends & data", "iwf_reports_assessed", "", "2020", 299_619),
    ("iwf-ar2020-trends", "Annual Report 2020, Trends & data", "iwf_reports_confirmed_csam", "", "2020", 153_383),
    ("iwf-ar2021-landing", "Annual Report 2021, landing page", "iwf_reports_assessed", "", "2021", 361_062),
    ("iwf-ar2021-landing", "Annual Report 2021, landing page", "iwf_reports_confirmed_csam", "", "2021", 252_194),
    ("iwf-ar2022-landing", "Annual Report 2022, landing page", "iwf_reports_assessed", "", "2022", 375_230),
    ("iwf-ar2022-landing", "Annual Report 2022, landing page", "iwf_reports_confirmed_csam", "", "2022", 255_588),
    ("iwf-ar2023-reports", "Annual Report 2023, Reports analysis", "iwf_reports_assessed", "", "2023", 392_665),
    ("iwf-ar2023-reports", "Annual Report 2023, Reports analysis", "iwf_urls_confirmed_csam", "", "2023", 275_652),
    ("iwf-ar2024-reports", "Annual Data & Insights Report 2024, reports", "iwf_reports_assessed", "", "2024", 424_047),
    ("iwf-ar2024-reports", "Annual Data & Insights Report 2024, reports", "iwf_reports_confirmed_csam", "", "2024", 291_273),
    ("iwf-ai-report-2023-10", "How AI is being abused..., October 2023", "iwf_ai_forum_images_posted", "window=one_month", "2023", 20_254),
    ("iwf-ai-report-2023-10", "How AI is being abused..., October 2023", "iwf_ai_forum_images_assessed", "window=one_month", "2023", 11_108),
    ("iwf-ai-report-page-2024-07", "research page, July 2024 version", "iwf_ai_forum_images_criminal", "law=pseudo_photograph;window=one_month", "2023", 2_562),
    ("iwf-ai-report-page-2024-07", "research page, July 2024 version", "iwf_ai_forum_images_criminal", "law=prohibited_image;window=one_month", "2023", 416),
    ("iwf-ar2022-age", "Annual Report 2022, Analysis by age", "iwf_csam_yoy_change_pct", "age=7-10", "2022", 60),
]


@pytest.mark.parametrize("source,section,indicator,breakdown,period,value", PUBLISHED, ids=[f"{p[0]}:{p[2]}:{p[4]}" for p in PUBLISHED])
def test_values_as_published(obs, source, section, indicator, breakdown, period, value):
    rows = obs[(obs["source_id"] == source) & (obs["indicator"] == indicator) & (obs["breakdown"] == breakdown) & (obs["period"] == period)]
    assert rows["value"].tolist() == [value], f"{source} ({section})"


def test_every_recomputed_hosting_share_agrees_with_the_printed_one(obs):
    checks = iwf.share_checks(obs)
    assert len(checks) >= 10
    bad = checks[~checks["agrees"]]
    assert bad.empty, "printed vs computed: " + "; ".join(
        f"{r.breakdown} {r.period}: printed {r.printed_pct}%, computed {r.computed_pct:.2f}% ({r.source_id})" for r in bad.itertuples())


def test_the_60_percent_rise_for_children_aged_7_to_10_is_consistent_with_the_published_shares(obs):
    check = iwf.change_7_10_2021_2022(obs)
    assert check["stated"] == 60
    assert 50 < check["computed"].lo < 60 < check["computed"].hi < 70
    assert check["agrees"]


def test_the_forum_study_parts_add_up(obs):
    study = iwf.ai_forum_study(obs).set_index(["indicator", "breakdown"])["value"]
    posted = study[("iwf_ai_forum_images_posted", "window=one_month")]
    assessed = study[("iwf_ai_forum_images_assessed", "window=one_month")]
    not_assessed = study[("iwf_ai_forum_images_posted", "selection=not_assessed;window=one_month")]
    assert assessed + not_assessed == posted
    criminal = study[("iwf_ai_forum_images_criminal", "law=pseudo_photograph;window=one_month")] + study[("iwf_ai_forum_images_criminal", "law=prohibited_image;window=one_month")]
    assert criminal == study[("iwf_ai_forum_images_criminal", "window=one_month")] == 2_978


def test_year_on_year_change_is_computed_between_consecutive_years_only(obs):
    change = iwf.yoy_change_pct(iwf.annual(obs)["urls_confirmed"])
    assert 2019 not in change.index  # no URL figure for 2019, so no 2020 change either
    assert round(change[2023], 2) == round((275_652 / 255_571 - 1) * 100, 2)


def test_interval_arithmetic_on_rounded_numbers():
    assert printed(36, "rounded") == Interval(35.5, 36.5)
    assert printed(20_500_000, "rounded") == Interval(20_450_000, 20_550_000)
    assert printed(4.5, "exact", decimals=1) == Interval(4.45, 4.55)
    assert agrees(6, 1_920_963 / 32_059_029 * 100, "rounded")
    assert not agrees(300, (26_718 / 10_731 - 1) * 100, "rounded")
