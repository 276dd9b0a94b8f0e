"""The claim ledger: verdicts are computed from the observations, and each kind occurs."""
import pytest

from analysis import DataError, build_observations
from analysis.claims import Ledger, VERDICTS, claim_checks, parse_printed


@pytest.fixture(scope="session")  # session: kept across the modules a worker interleaves
def ledger():
    obs, _ = build_observations()
    return claim_checks(obs).set_index("claim_id")


def test_the_ledger_has_every_claim_of_the_report(ledger):
    assert len(ledger) >= 150
    assert sum(ledger.index.str.startswith("F")) == 14
    assert set(ledger["verdict"]) <= set(VERDICTS)


@pytest.mark.parametrize("claim,verdict", [
    ("F09", "matches"), ("C094", "matches after rounding"), ("C060", "differs"), ("F01", "different measure"),
    ("F05", "internal arithmetic holds"), ("F08", "internal arithmetic fails"), ("C062", "not publicly verifiable"),
    ("F03", "not checked"),
])
def test_each_verdict_is_exercised_by_a_real_claim(ledger, claim, verdict):
    assert ledger.at[claim, "verdict"] == verdict


IN_FIGURES = {  # claim: (verdict, published value)
    "F01": ("different measure", "35925098"),     # NCMEC reports categorised as CSAM, 2023 (not 'pieces')
    "F02": ("different measure", "5"),            # IWF: 5th in the EU, Jan-Aug 2023 (not Europe)
    "F03": ("not checked", ""),
    "F04": ("different measure", "59"),           # share of URLs, not of material
    "F05": ("internal arithmetic holds", "317915"),
    "F06": ("not publicly verifiable", ""),
    "F07": ("different measure", "4700"),         # reports, not pieces
    "F08": ("internal arithmetic fails", "71"),
    "F09": ("matches", "20254"),
    "F10": ("matches", "1372"),                   # secondary: Sky News' story on IWF's Oct 2023 report
    "F11": ("matches", "143"),                    # secondary: Metro's story on the same report
    "F12": ("differs", "15"),                     # INTERPOL: an average of 15 a day (2023), not 14
    "F13": ("different measure", "323.1"),       # online enticement 2021-2023, not sextortion 2023
    "F14": ("not publicly verifiable", ""),
}


@pytest.mark.parametrize("claim", sorted(IN_FIGURES))
def test_in_figures_page_verdicts(ledger, claim):
    verdict, value = IN_FIGURES[claim]
    assert (ledger.at[claim, "verdict"], ledger.at[claim, "published_value"]) == (verdict, value)


def test_every_verdict_given_by_hand_says_why(ledger):
    manual = ledger[ledger["verdict"].isin(["not checked", "not publicly verifiable"])]
    assert (manual["explanation"].str.len() > 40).all()
    assert (manual["published_value"] == "").all()


def test_printed_dates_are_compared_at_their_precision(ledger):
    assert (ledger.at["C134", "verdict"], ledger.at["C134", "published_value"]) == ("matches", "2015-01-20")
    assert (ledger.at["C118", "verdict"], ledger.at["C118", "published_value"]) == ("matches", "2022-06-09")
    assert ledger.at["C105", "verdict"] == "differs"          # OECD principles: 22 May 2019, printed 2018
    assert ledger.at["C105", "published_value"] == "2019-05-22"
    assert ledger.at["C107", "verdict"] == "matches"          # '2023' against 1 November 2023


def test_verdicts_are_computed_not_stored(repo_copy):
    """Changing a published number in a copy of the data flips the verdicts that use it."""
    path = repo_copy.public / "ncmec" / "reports_by_country_2023.csv"
    text = path.read_text()
    path.write_text(text.replace("France,FRA,,310519,", "France,FRA,,318000,").replace("Total,WLD,,36210368,", "Total,WLD,,36217849,"))
    iwf = repo_copy.public / "iwf" / "iwf_facts.csv"
    iwf.write_text(iwf.read_text().replace("iwf_ai_forum_images_posted,WLD,2023,window=one_month,20254,", "iwf_ai_forum_images_posted,WLD,2023,window=one_month,21254,"))
    obs, _ = build_observations(repo_copy)
    changed = claim_checks(obs, repo_copy).set_index("claim_id")
    assert changed.at["C060", "verdict"] == "matches after rounding"  # was "differs"
    assert changed.at["F09", "verdict"] == "differs"       # was 'matches'
    assert changed.at["F09", "published_value"] == "21254"


def test_a_rule_must_say_why_when_given_by_hand(repo_copy):
    path = repo_copy.public / "report" / "claim_rules.yaml"
    text = path.read_text()
    text = text.replace('- claim: "F03"\n  rule: "manual"\n  verdict: "not checked"', '- claim: "F03"\n  rule: "manual"\n  verdict: "matches"')
    path.write_text(text)
    obs, _ = build_observations(repo_copy)
    with pytest.raises(DataError, match=r"claim_rules.yaml:\d+: field 'verdict': 'matches' is not 'not publicly verifiable' or 'not checked'"):
        claim_checks(obs, repo_copy)


def test_every_claim_needs_a_rule(repo_copy):
    path = repo_copy.public / "report" / "claims.csv"
    path.write_text(path.read_text() + "C999,Test,a new claim,42,reports,2023,WLD,none,,,1\n")
    obs, _ = build_observations(repo_copy)
    with pytest.raises(DataError, match="claims without a rule: \\['C999'\\]"):
        Ledger(obs, repo_copy).run()


@pytest.mark.parametrize("text,value,qualifier", [
    ("35.9 millions", 35_900_000, "rounded"), ("4,700", 4700, "exact"), ("318,000", 318_000, "rounded"),
    ("around fifty", 50, "approx"), ("more than 700", 700, "at_least"), ("1.3%", 1.3, "exact"), ("half", 50, "approx"),
])
def test_printed_values_are_read_with_their_qualifier(text, value, qualifier):
    p = parse_printed(text)
    assert (p.value, p.qualifier) == (value, qualifier)


def test_a_rounded_value_with_decimals_stands_for_its_last_decimal():
    """78.8 (rounded) is [78.75, 78.85), not the whole-number interval [78.3, 79.3)."""
    from analysis.checks import printed

    assert printed(78.8, "rounded") == printed(78.8, "rounded", decimals=1)
    assert (printed(0.52, "rounded").lo, printed(0.52, "rounded").hi) == pytest.approx((0.515, 0.525))
    assert printed(20_500_000, "rounded") == printed(20.5, "rounded", decimals=1).scale(1e6)
