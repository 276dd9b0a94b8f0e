"""The codebook (data/public/breakdowns.yaml) and the indicators' topics (data/public/topics.yaml):
every breakdown key and value in the table is defined, the build refuses what is not, and both are
published in breakdowns.csv, topics.csv, datapackage.json and on the site's sources page.
(The exact messages for an undocumented key or value, a value off its pattern, and a missing or
unknown topic are cases 38-42 of tests/bad_inputs/.)"""
import json
import re

import pandas as pd
import pytest

from analysis import DataError, build_observations, load_indicators
from analysis.codebook import breakdown_problems, codebook_table, load_breakdowns, load_topics, pairs


@pytest.fixture(scope="module")
def obs():
    return build_observations()[0]


def test_every_breakdown_key_and_value_of_the_table_is_documented(obs):
    codebook = load_breakdowns()
    used = {pair for b in obs["breakdown"].unique() for pair in pairs(b)}
    keys = {k for k, _ in used}
    assert len(keys) >= 47 and keys == set(codebook)  # the 46 undocumented before, and INHOPE's time_window
    assert all(codebook[k].value_problem(v) is None for k, v in used)
    # closed sets are listed value by value; open sets (names, ISO codes, questions) by a rule and a pattern
    assert {k for k, e in codebook.items() if e.values is None} == {
        "base_period", "company", "esp", "hosting_country", "image", "listed_as", "paragraph", "phase", "question", "target", "true"}
    assert codebook["time_window"].values["under_3_days"] == "in less than three days"
    assert codebook["user_location"].meaning("us") == "in the United States"


def test_the_processed_codebook_has_one_row_per_pair_in_use(obs, built):
    paths, _ = built
    table = codebook_table(obs)
    assert set(zip(table["key"], table["value"])) == {pair for b in obs["breakdown"].unique() for pair in pairs(b)}
    assert not table.duplicated(["key", "value"]).any() and (table["value_definition"] != "").all()
    esp = table[table["key"] == "esp"]
    assert len(esp) == 523 and set(esp["values_rule"]) == {load_breakdowns()["esp"].rule}
    published = pd.read_csv(paths.processed / "breakdowns.csv", dtype=str, keep_default_na=False)
    assert published.equals(table.astype(str))


def _rows(*breakdowns):
    return pd.DataFrame({"breakdown": list(breakdowns), "_file": "data/public/x.csv",
                         "_line": range(2, 2 + len(breakdowns)), "_cols": [{"breakdown": "bd"}] * len(breakdowns)})


def test_problems_name_the_raw_file_line_and_column_and_unused_keys_are_refused():
    codebook = {k: v for k, v in load_breakdowns().items() if k in ("severity", "sex", "age")}
    problems = breakdown_problems(_rows("severity=A", "age=3-6;severity=C", "flavour=x", "age=3-6;severity=C"), codebook, "cb.yaml")
    assert [str(p) for p in problems] == [
        "data/public/x.csv:3: column 'bd': value 'C' of key 'severity' is not among its values in data/public/breakdowns.yaml (A, B)",
        "data/public/x.csv:4: column 'bd': key 'flavour' (in 'flavour=x') is not documented in cb.yaml",
        f"cb.yaml:{codebook['sex'].line}: field 'key': 'sex' is documented but no observation uses it; remove the record",
    ]  # each undocumented pair once, at its first row


def test_a_documented_key_that_no_observation_uses_stops_the_build(repo_copy):
    path = repo_copy.public / "breakdowns.yaml"
    end = len(path.read_text(encoding="utf-8").splitlines())
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('\n- key: flavour\n  label_en: "Flavour"\n  label_fr: "Parfum"\n  definition: "A test."\n  values:\n    "x": "x"\n')
    with pytest.raises(DataError) as err:
        build_observations(repo_copy)
    assert str(err.value) == f"data/public/breakdowns.yaml:{end + 2}: field 'key': 'flavour' is documented but no observation uses it; remove the record"


@pytest.mark.parametrize("record,message", [
    ('- key: colour\n  label_en: "C"\n  label_fr: "C"\n  definition: "d"\n  values:\n    "x": "x"\n  values_rule: "r"\n  values_pattern: "^x$"\n',
     "field 'values': give either 'values' (every value with its meaning) or 'values_rule' and 'values_pattern', not both"),
    ('- key: colour\n  label_en: "C"\n  label_fr: "C"\n  definition: "d"\n  values_rule: "r"\n  values_pattern: "^(x$"\n',
     "field 'values_pattern': '^(x$' is not a regular expression"),
    ('- key: Colour\n  label_en: "C"\n  label_fr: "C"\n  definition: "d"\n  values:\n    "x": "x"\n',
     "field 'key': 'Colour' is not a snake_case breakdown key"),
    ('- key: age\n  label_en: "C"\n  label_fr: "C"\n  definition: "d"\n  values:\n    "x": "x"\n',
     "field 'key': 'age' is documented twice (first at line 11)"),
    ('- key: colour\n  label_en: "C"\n  definition: "d"\n  values:\n    "x": "x"\n', "field 'label_fr': is missing or not a text"),
    ('- key: colour\n  label_en: "C"\n  label_fr: "C"\n  definition: "d"\n  values:\n    "x=y": "x"\n',
     "field 'values': value 'x=y' needs a meaning and may not contain '=' or ';'"),
])
def test_a_malformed_codebook_record_is_refused_with_its_line_and_field(repo_copy, record, message):
    with open(repo_copy.public / "breakdowns.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n" + record)
    with pytest.raises(DataError) as err:
        load_breakdowns(repo_copy)
    assert str(err.value).startswith("data/public/breakdowns.yaml:") and message in str(err.value)


def test_every_indicator_declares_a_topic_and_context_figures_can_be_left_out(obs):
    indicators, topics = load_indicators(), load_topics()
    assert set(indicators["topic"]) <= set(topics.index) and indicators["topic"].notna().all()
    topic = indicators["topic"]
    assert topic["population"] == "context" and topic["research_su2019_one_pixel_attack_target_confidence_pct"] == "context"
    assert topic["cybertipline_reports"] == "reports_content" and topic["inhope_content_urls"] == "reports_content"
    assert topic["cybertipline_reports_generative_ai"] == "ai_generated" and topic["pc_redirection_pct"] == "offenders"
    assert topic["date_eu_ai_act_adoption"] == "law_policy" and topic["inhope_member_hotlines"] == "context"
    subject = obs[obs["indicator"].map(topic) != "context"]  # how a researcher filters
    assert "population" not in set(subject["indicator"]) and "cybertipline_reports" in set(subject["indicator"])


def test_the_codebook_and_topics_are_in_the_data_package_and_on_the_sources_page(built):
    paths, _ = built
    package = json.loads((paths.processed / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert resources["breakdowns"]["schema"]["primaryKey"] == ["key", "value"]
    indicators = resources["indicators"]["schema"]
    topic = next(f for f in indicators["fields"] if f["name"] == "topic")
    assert topic["constraints"]["enum"] == sorted(load_topics().index)
    assert {"fields": ["topic"], "reference": {"resource": "topics", "fields": ["id"]}} in indicators["foreignKeys"]
    breakdown = next(f for f in resources["observations"]["schema"]["fields"] if f["name"] == "breakdown")
    assert "breakdowns.csv" in breakdown["description"]
    codebook = load_breakdowns()
    for lang, title in (("en", "Codebook of breakdowns"), ("fr", "Dictionnaire des ventilations")):
        page = (paths.site / lang / "sources.html").read_text(encoding="utf-8")
        assert title in page and 'id="topics"' in page
        keys = re.findall(r'<tr><td><code class="lang-neutral">([a-z_0-9]+)</code></td><td>', page.split('<table id="breakdowns"')[1])
        assert keys == sorted(codebook)
        label = {"en": codebook["time_window"].label_en, "fr": codebook["time_window"].label_fr}[lang]
        assert label in page and "in less than three days" in page
    assert "523 values in use" in (paths.site / "en" / "sources.html").read_text(encoding="utf-8")
