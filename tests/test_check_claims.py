"""The claim model of `check` (issue 21): periods stated or carried and resolved against the
text's date, the noun a number counts, bounds near N, rates belonging to their own number, and
verdicts against a text only when every slot is determined."""
from datetime import date

import pytest

from analysis import textcheck
from analysis.checker.periods import dateline, periods_in
from analysis.textclaims import find_claims

TODAY = date(2025, 7, 10)


@pytest.fixture(scope="session")
def idx():
    return textcheck.index()


@pytest.mark.parametrize("sentence,before,expected", [
    ("In the first half of this year, NCMEC received 440,419 reports, against 6,835 at the same time last year.", None,
     [("2025-H1", "relative"), ("2024-H1", "relative")]),
    ("Sur les six premiers mois de l'année 2025, l'IWF a reçu 1 286 vidéos.", None, [("2025-H1", "stated")]),
    ("À la même période, en 2024, on ne comptait que deux vidéos.", "2025-H1", [("2024-H1", "relative")]),
    ("sur la même période en 2024", "2025-H1", [("2024-H1", "relative")]),
    ("première moitié de l'année 2025", None, [("2025-H1", "stated")]),
    ("premier semestre 2025", None, [("2025-H1", "stated")]),
    ("between January and June 2025", None, [("2025-H1", "stated")]),
    ("January-June 2024", None, [("2024-H1", "stated")]),
    ("in the second half of 2024", None, [("2024-H2", "stated")]),
    ("Q1 2024 and the second quarter of 2024", None, [("2024-Q1", "stated"), ("2024-Q2", "stated")]),
    ("in March 2024", None, [("2024-03", "stated")]),
    ("in 2024, down from 36.2 million in 2023", None, [("2024", "stated"), ("2023", "stated")]),
    ("l'an dernier, 67 000 signalements", None, [("2024", "relative")]),
    ("36.2 million reports", None, []),
])
def test_periods_of_a_sentence(sentence, before, expected):
    assert [(p.period, p.how) for p in periods_in(sentence, TODAY, before=before)] == expected


def test_relative_periods_need_a_date():
    assert periods_in("in the first half of this year", None) == []


@pytest.mark.parametrize("text,day", [
    ("Washington, 16 April 2024. NCMEC said", date(2024, 4, 16)),
    ("Paris, le 7 mai 2025 — L'Office", date(2025, 5, 7)),
    ("Published 2025-07-10\n\nText", date(2025, 7, 10)),
    ("No date here.\nNor here.", None),
])
def test_dateline(text, day):
    assert dateline(text) == day


def test_a_period_is_carried_to_the_next_sentence_of_its_paragraph_only():
    text = ("NCMEC received 518,720 online enticement reports between January and June 2025. These reports "
            "came from 292,951 the year before.\n\nIn all, 20 reports were reviewed.")
    found = {c.value_printed: c for c in find_claims(text.split("\n"), "en", today=TODAY)}
    assert found["518,720"].periods == ("2025-H1",) and found["518,720"].period_from == "sentence"
    assert found["292,951"].periods and found["292,951"].period_from in ("paragraph", "relative")
    assert found["20"].periods == () and found["20"].period_from == ""


def test_half_year_figures_are_matched_in_their_half(idx):
    text = ("In the first half of this year NCMEC received 440,419 reports involving generative AI, "
            "against 6,835 at the same time last year.")
    table = textcheck.check_text(text, "en", idx, today=TODAY).set_index("value_printed")
    assert table.at["440,419", "verdict"] == "matches" and table.at["440,419", "period"] == "2025-H1"
    assert table.at["6,835", "verdict"] == "matches" and table.at["6,835", "period"] == "2024-H1"


def test_a_change_between_two_halves_is_computed_where_the_text_states_it(idx):
    text = ("NCMEC's online enticement reports rose by 77% between the first half of 2024 and the first half "
            "of 2025.")
    row = textcheck.check_text(text, "en", idx).iloc[0]
    assert row["verdict"] == "matches after rounding", row["explanation"]
    assert row["period"] == "2024-H1-2025-H1" and "change in" in row["explanation"]


def test_the_noun_counted_is_the_one_after_the_number():
    c = find_claims(["NCMEC received 4,700 reports concerning AI-generated images or videos in 2023."], "en")[0]
    assert c.unit == "reports"


def test_a_rate_belongs_to_its_own_number(idx):
    table = textcheck.check_text("In 2023 OFMIN received 318 000 reports, or 870 a day.", "en", idx).set_index("value_printed")
    assert table.at["318 000", "verdict"] != "differs", table.at["318 000", "explanation"]
    assert table.at["870", "verdict"] == "matches" and table.at["870", "indicator"] == "ofmin_reports_per_day"


@pytest.mark.parametrize("text", [
    "NCMEC received more than 2 million reports in 2024.",  # a bound near 2 million, not [2 million, infinity)
    "In 2024 NCMEC's CyberTipline saw a reduction of 6.9 million reports.",  # a difference, not a level
    "The total reached 40 million reports.",  # no organisation, no period
    "In 2023 the IWF found 2,401 self-generated images of children aged 3 to 6.",  # not the AI forum series
])
def test_verdicts_against_a_text_abstain_unless_every_slot_is_determined(idx, text):
    row = textcheck.check_text(text, "en", idx).iloc[0]
    assert row["verdict"] == "no published figure found", row["explanation"]


def test_an_abstention_names_the_closest_figure(idx):
    row = textcheck.check_text("In 2024 NCMEC's CyberTipline saw a reduction of 6.9 million reports.", "en", idx).iloc[0]
    assert "closest" in row["explanation"] and row["explanation"].endswith(".")


def test_bounds_are_near_their_number():
    assert textcheck.text_interval(2e6, "at_least", 0) == textcheck.Interval(2e6, 2.5e6)
    assert textcheck.text_interval(100, "at_most", 0) == textcheck.Interval(75, 100)
    assert textcheck.text_interval(1000, "at_least", 0, "thousands").hi == 1e6


def test_check_date_option(tmp_path, command):
    text = tmp_path / "t.txt"
    text.write_text("In the first half of this year NCMEC received 440,419 reports involving generative AI.", encoding="utf-8")
    out = tmp_path / "t.csv"
    done = command("check", text, "--lang", "en", "--date", "2025-07-10", "--out", out)
    assert done.returncode == 0, done.stderr
    assert "2025-H1" in out.read_text(encoding="utf-8")
    bad = command("check", text, "--date", "10/07/2025")
    assert bad.returncode == 2 and "is not a date written YYYY-MM-DD" in bad.stderr


@pytest.mark.parametrize("lang,text,expected", [
    ("fr", "La France figure au quatrième rang des plus gros hébergeurs.", [("quatrième", 4, "rank")]),
    ("fr", "La France est le cinquième pays européen à héberger le plus de contenus et le 9ème dans le monde.",
     [("cinquième", 5, "rank"), ("9ème", 9, "rank")]),
    ("en", "France is the fifth largest host in Europe.", [("fifth", 5, "rank")]),
    ("fr", "Au premier semestre 2025, rien.", []),
    ("en", "It holds almost three million hashes.", [("almost three million", 3e6, "count")]),
    ("en", "1,286 videos were found, compared with just two in the first half of 2024.",
     [("1,286", 1286, "count"), ("two", 2, "count")]),
    ("fr", "Le nombre est passé d'un million en 2012 à 32 millions.", [("un million", 1e6, "count"), ("32 millions", 32e6, "count")]),
    ("fr", "Au cours des six premiers mois de 2025, 210 pages.", [("210", 210, "count")]),
])
def test_numbers_in_words_ordinals_and_periods(lang, text, expected):
    from analysis.textclaims import numbers_in

    assert [(n.printed, n.value, n.kind) for n in numbers_in(text, lang)] == expected


def test_each_side_of_a_comparison_has_its_own_period():
    text = ("In the first half of 2025 the IWF confirmed many AI videos. It found 1,286 of them, compared with just two "
            "in the first half of 2024.")
    found = {c.value_printed: c for c in find_claims(text.split("\n"), "en")}
    assert found["1,286"].periods == ("2025-H1",) and found["1,286"].years == ("2025",)
    assert found["two"].periods == ("2024-H1",)


@pytest.mark.parametrize("text,printed,expected", [
    ("NCMEC said reports went up by over 12% in 2023, to 36.2 million.", "over 12%", "2022-2023"),
    ("The IWF assessed 392,665 reports in 2023, a 5% increase from 2022.", "5%", "2022-2023"),
    ("IWF confirmed 210 webpages of AI material in the first half of 2025, an increase of 400% on the previous year.",
     "400%", "2024-H1-2025-H1"),
])
def test_a_change_takes_the_start_the_sentence_implies(idx, text, printed, expected):
    row = textcheck.check_text(text, "en", idx).set_index("value_printed").loc[printed]
    assert row["verdict"] in ("matches", "matches after rounding") and row["period"] == expected, row["explanation"]


def test_made_up_is_not_a_rise():
    from analysis.textclaims import numbers_in

    assert [n.kind for n in numbers_in("Meta still made up over 67% of all reports.", "en")] == ["percent"]
    assert [n.kind for n in numbers_in("une augmentation fulgurante de 400 %", "fr")] == ["change"]


@pytest.mark.parametrize("text,expected", [
    ("hébergés surtout en Russie (36%), aux États-Unis (22%) et au Japon (11%), aux Pays-Bas", ("RUS", "USA", "JPN", "NLD")),
    ("The U.S. figure rose.", ("USA",)),
    ("The US National Center for Missing & Exploited Children said so.", ()),  # a name, not a place
    ("en Allemagne et en Belgique", ("DEU", "BEL")),
])
def test_places_in_english_and_french(text, expected):
    from analysis.textclaims import geographies

    assert geographies(text) == expected


def test_a_window_of_months_and_the_pronoun_en(idx):
    text = ("L'IWF avait reçu 70 signalements entre avril 2023 et mars 2024 ; elle en a déjà reçu 74 en six mois "
            "seulement, d'avril à fin septembre 2024. Ces images étaient hébergées surtout en Russie (36%).")
    table = textcheck.check_text(text, "fr", idx).set_index("value_printed")
    assert "six" not in table.index  # 'en six mois' is the span
    assert table.at["74", "verdict"] == "matches", table.at["74", "explanation"]
    assert table.at["36%", "verdict"] == "matches" and "Russie" in table.at["36%", "explanation"]


def test_these_reports_refers_back_and_per_cent_is_a_sign(idx):
    text = ("Over 2024 the IWF recorded 291,273 webpages containing child sexual abuse content, and 97 per cent of these "
            "reports showed girls only.")
    table = textcheck.check_text(text, "en", idx).set_index("value_printed")
    assert "cent" not in table.index
    assert table.at["97 per cent", "verdict"] == "matches", table.at["97 per cent", "explanation"]


def test_a_share_is_computed_only_of_a_total_the_sentence_names(idx):
    # 60% of 'these' is no total: no share of whatever two figures happen to divide to 60%
    row = textcheck.check_text("En 2023, l'OFMIN a reçu 12 000 signalements ; 60 % de ces cas concernaient des mineurs.",
                               "fr", idx).set_index("value_printed").loc["60 %"]
    assert "part de" not in row["explanation"] and row["verdict"] == "no published figure found", row["explanation"]


def test_a_number_set_against_another_or_part_of_it_is_a_claim(idx):
    text = ("In 2024, IWF analysts confirmed 245 reports of AI-generated child sexual abuse, against 51 in 2023, a 380% rise. "
            "Among these reports, 193 involved realistic imagery.")
    table = textcheck.check_text(text, "en", idx).set_index("value_printed")
    assert {"245", "51", "380%", "193"} <= set(table.index)
    assert table.at["51", "verdict"] == "matches" and table.at["51", "period"] == "2023", table.at["51", "explanation"]


def test_the_year_next_to_a_number_is_its_own(idx):
    text = ("NCMEC reports have grown fast, with 3,000 reports in 1998, rising to more than 1 million in 2014 and "
            "36.2 million in 2023.")
    table = textcheck.check_text(text, "en", idx).set_index("value_printed")
    assert table.at["3,000", "verdict"] == "differs" and table.at["3,000", "period"] == "1998"  # NCMEC counts 4,560
    assert table.at["36.2 million", "verdict"] == "matches after rounding" and table.at["36.2 million", "period"] == "2023"
    c = {c.value_printed: c for c in find_claims(["The IWF assessed 392,665 reports (a 5% increase from 2022)."], "en")}
    assert "2022" not in c["392,665"].years and c["5%"].base_year == "2022"
