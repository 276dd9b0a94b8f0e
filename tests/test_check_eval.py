"""The checker on real texts written by others (tests/check_corpus, issue 21): the corpus is what
its README says, and `check-eval` scores `check` on it above the floors.

The floors are a ratchet at the level measured when they were last raised (issue 21's targets
are higher: 85% right, 97% found, 90% of `differs`/`different measure` right); a change that
makes the checker worse on texts it has never seen fails here."""
import csv
import re
from pathlib import Path

import pytest

from analysis.checker import evaluate
from analysis.errors import DataError

CORPUS = Path(__file__).parent / "check_corpus"
# Measured on the corpus as committed; raise them as the checker improves, never lower them.
FLOORS = {"found_rate": 0.97, "right_rate": 0.75, "precision_differs_or_measure": 0.90}
HOLDOUT_WITHIN = 0.10  # holdout's right rate may trail dev's by at most this


@pytest.fixture(scope="module")
def result():
    return evaluate.evaluate(CORPUS)


def test_corpus_is_real_texts_half_french(built):
    paths, _ = built
    import pandas as pd

    texts, expected = evaluate.load_corpus(CORPUS)
    assert len(texts) >= 40
    assert sum(t["lang"] == "fr" for t in texts) * 2 >= len(texts)
    assert {t["split"] for t in texts} == {"dev", "holdout"}
    for t in texts:
        assert re.fullmatch(r"202[3-6]-\d\d-\d\d", t["published"]), t["id"]
        assert t["url"].startswith(("http://", "https://")), t["id"]
        assert t["lang"] in ("en", "fr") and t["outlet"] and t["note"], t["id"]
    obs = pd.read_csv(paths.processed / "observations.csv", dtype=str, keep_default_na=False)
    keys = set(obs[["source_id", "indicator", "geography", "period", "breakdown"]].agg("|".join, axis=1))
    for e in expected:
        body = (CORPUS / "texts" / f"{e['text']}.txt").read_text(encoding="utf-8")
        assert evaluate.locate(body, e["printed"], int(e["nth"])) is not None, e
        if e["observation"]:
            assert e["observation"] in keys, e  # the observation the checker must name exists
        assert e["why"], e
        if set(e["accept"].split(";")) & evaluate.NAMES_VALUE:
            assert e["published_value"], e  # a verdict naming a figure says which value


def test_corpus_has_mistakes_and_confused_measures():
    _, expected = evaluate.load_corpus(CORPUS)
    firsts = [e["accept"].split(";")[0] for e in expected]
    assert firsts.count("differs") >= 3 and firsts.count("different measure") >= 5


def test_check_eval_meets_its_floors(result):
    s = result["scores"]
    for name, floor in FLOORS.items():
        assert (s["all"][name] or 0) >= floor, (name, s["all"][name])
    assert s["holdout"]["right_rate"] >= s["dev"]["right_rate"] - HOLDOUT_WITHIN
    assert s["all"]["numbers"] == sum(1 for _ in csv.DictReader((CORPUS / "expected.csv").open(encoding="utf-8")))


def test_scores_count_what_they_say(result):
    """Right verdicts are accepted ones naming the expected value; unlisted numbers count
    against a verdict unless it abstains."""
    rows = result["rows"]
    listed = [r for r in rows if r["accept"] != "(not listed)"]
    assert sum(r["right"] for r in listed) == result["scores"]["all"]["right"]
    supported = {"matches", "matches after rounding"}
    for r in listed:
        if r["right"]:  # an accepted verdict, or the other of the two that say the number is supported
            assert r["verdict"] in r["accept"].split(";") or {r["verdict"]} | set(r["accept"].split(";")) <= supported | {
                v for v in r["accept"].split(";")}
    given = result["scores"]["all"]["given"]
    assert sum(given.values()) == sum(1 for r in rows if r["verdict"] != "not found")


def test_a_checker_that_always_abstains_scores_only_its_abstentions():
    import pandas as pd

    def abstain(path, lang, date):
        from analysis.textcheck import check_file

        table = check_file(path, lang)
        return table.assign(verdict="no published figure found", published_value=float("nan"))

    res = evaluate.evaluate(CORPUS, check=abstain)
    s = res["scores"]["all"]
    assert s["given"]["matches"] == 0 and s["precision"]["differs"] is None
    assert s["right"] == sum(1 for r in res["rows"] if r["accept"] != "(not listed)" and r["verdict"] != "not found"
                             and "no published figure found" in r["accept"].split(";"))
    assert isinstance(pd.DataFrame(res["rows"]), pd.DataFrame)


def test_check_eval_command(command, tmp_path):
    out = tmp_path / "rows.csv"
    done = command("check-eval", CORPUS, "--out", out)
    assert done.returncode == 0, done.stderr
    assert re.search(r"^all\s+\d+\s+\d+%\s+\d+%", done.stdout, re.M)
    assert "no published figure found" in done.stdout
    assert len(out.read_text(encoding="utf-8").splitlines()) > 194


@pytest.mark.parametrize("breakage, message", [
    (lambda c: (c / "texts.csv").unlink(), "texts.csv:1: no such file"),
    (lambda c: (c / "expected.csv").write_text((c / "expected.csv").read_text(encoding="utf-8").replace(
        ",matches after rounding,", ",rounded,", 1), encoding="utf-8"), "column 'accept': 'rounded' is not"),
    (lambda c: (c / "texts" / "fr-01.txt").unlink(), "no file texts/fr-01.txt"),
])
def test_a_broken_corpus_gives_one_line(command, tmp_path, breakage, message):
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    breakage(corpus)
    done = command("check-eval", corpus)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_missing_occurrence_is_named(tmp_path):
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    text = corpus / "texts" / "fr-02.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("318 000", "trois cent dix-huit mille"), encoding="utf-8")
    with pytest.raises(DataError, match="occurrence 1 of '318 000' not in the text"):
        evaluate.evaluate(corpus)
