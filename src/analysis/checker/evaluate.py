"""`python -m analysis check-eval [CORPUS]`: how right `check` is on real texts written by others.

A corpus (tests/check_corpus, format in its README) holds texts, their dates and languages, and
for each statistical number the verdicts accepted and the published value a match must name.
Each expected number is found in its text (the nth occurrence of the string as printed, with no
digit touching it) and paired with the number `check` reported on the same line whose printed
form contains it. Scores:

- found: expected numbers `check` reported at all;
- right: reported with an accepted verdict, and for a verdict naming a published value, the
  expected one (relative difference under 1e-6) or another copy of the same figure (indicator,
  place and period; `matches` and `matches after rounding` are then one answer);
- per verdict: precision (of the times `check` gave it, to expected numbers or to numbers the
  corpus does not list, how often it was accepted; a number the corpus does not list is right only
  as `no published figure found`) and recall (of the expected numbers whose first accepted verdict
  is this one, how often `check` got them right).

Scores are given for the texts marked `dev` (the checker may be tuned on them), `holdout` (never
tuned on) and all.
"""
from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from analysis.errors import DataError, Problem

VERDICTS = ("matches", "matches after rounding", "differs", "different measure", "no published figure found")
NAMES_VALUE = {"matches", "matches after rounding", "differs", "different measure"}
TEXT_COLUMNS = ["id", "lang", "published", "url", "outlet", "kind", "split", "note"]
EXPECTED_COLUMNS = ["text", "printed", "nth", "accept", "published_value", "observation", "publisher_figure", "why"]
SPLITS = ("dev", "holdout")
ROW_COLUMNS = ["text", "split", "line", "printed", "nth", "accept", "expected_value", "verdict", "published_value",
               "right", "value_printed", "explanation"]


@dataclass
class Score:
    numbers: int = 0
    found: int = 0
    right: int = 0
    given: dict = field(default_factory=lambda: {v: 0 for v in VERDICTS})  # times check gave each verdict
    given_right: dict = field(default_factory=lambda: {v: 0 for v in VERDICTS})
    expected: dict = field(default_factory=lambda: {v: 0 for v in VERDICTS})  # first accepted verdict
    expected_right: dict = field(default_factory=lambda: {v: 0 for v in VERDICTS})

    @property
    def found_rate(self) -> float:
        return self.found / self.numbers if self.numbers else 0.0

    @property
    def right_rate(self) -> float:
        return self.right / self.numbers if self.numbers else 0.0

    def precision(self, *verdicts: str) -> float | None:
        given = sum(self.given[v] for v in verdicts)
        return sum(self.given_right[v] for v in verdicts) / given if given else None

    def recall(self, verdict: str) -> float | None:
        n = self.expected[verdict]
        return self.expected_right[verdict] / n if n else None

    def as_dict(self) -> dict:
        return {**asdict(self), "found_rate": self.found_rate, "right_rate": self.right_rate,
                "precision": {v: self.precision(v) for v in VERDICTS},
                "precision_differs_or_measure": self.precision("differs", "different measure"),
                "recall": {v: self.recall(v) for v in VERDICTS}}


def _read_csv(path: Path, columns: list[str]) -> list[dict]:
    if not path.is_file():
        raise DataError(Problem(str(path), 1, text="no such file (a corpus holds texts.csv, expected.csv and texts/)"))
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(Problem(str(path), 1, text=f"missing column(s) {', '.join(missing)}"))
        return list(reader)


def load_corpus(corpus: Path) -> tuple[list[dict], list[dict]]:
    """(texts, expected), checked: every expected row names a known text, an accepted verdict and
    a whole nth; every text exists."""
    texts = _read_csv(corpus / "texts.csv", TEXT_COLUMNS)
    expected = _read_csv(corpus / "expected.csv", EXPECTED_COLUMNS)
    ids = {t["id"] for t in texts}
    for n, t in enumerate(texts, start=2):
        if not (corpus / "texts" / f"{t['id']}.txt").is_file():
            raise DataError(Problem(str(corpus / "texts.csv"), n, "id", text=f"no file texts/{t['id']}.txt"))
        if t["split"] not in SPLITS:
            raise DataError(Problem(str(corpus / "texts.csv"), n, "split", text=f"'{t['split']}' is not dev or holdout"))
    for n, e in enumerate(expected, start=2):
        where = str(corpus / "expected.csv")
        if e["text"] not in ids:
            raise DataError(Problem(where, n, "text", text=f"'{e['text']}' is not a text of texts.csv"))
        bad = [v for v in e["accept"].split(";") if v not in VERDICTS]
        if bad or not e["accept"]:
            raise DataError(Problem(where, n, "accept", text=f"'{e['accept']}' is not a ';'-list of {', '.join(VERDICTS)}"))
        if not e["nth"].isdigit() or int(e["nth"]) < 1:
            raise DataError(Problem(where, n, "nth", text=f"'{e['nth']}' is not a whole number from 1"))
    return texts, expected


def _fold(text: str) -> str:
    """Spaces of every kind removed, lower case, accents kept: for comparing printed forms."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).lower()


def locate(text: str, printed: str, nth: int) -> int | None:
    """The line (from 1) of the nth occurrence of `printed` with no digit (or, for a word, no
    letter) touching it; None when there are fewer."""
    edge_before = r"(?<![\w])" if printed[:1].isalpha() else r"(?<![\d])"
    edge_after = r"(?![\w])" if printed[-1:].isalpha() else r"(?![\d])"
    spaced = r"[\s\u00a0\u202f\u2009]+".join(re.escape(p) for p in printed.split())
    for k, m in enumerate(re.finditer(edge_before + spaced + edge_after, text), start=1):
        if k == nth:
            return text.count("\n", 0, m.start()) + 1
    return None


def _same(a, b) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


SUPPORTED = {"matches", "matches after rounding"}


def _same_figure(reported: dict, observation: str) -> bool:
    """The reported row names the expected observation's indicator, place and period (another copy
    of the same figure: the primary's exact count where a news source's rounding is expected)."""
    if not observation:
        return False
    _, indicator, geography, period, _ = (observation.split("|") + [""] * 5)[:5]
    got = str(reported.get("period") or "")
    return reported.get("indicator") == indicator and reported.get("geography") == geography and \
        (got == period or got.endswith("-" + period))


def _right(verdict: str, accept: list[str], value, reported: dict, e: dict) -> bool:
    """An accepted verdict naming the expected value; `matches` and `matches after rounding` are one
    answer when the row names the same figure (which copy is exact decides between them)."""
    same = _same_figure(reported, e["observation"])
    if verdict in SUPPORTED and SUPPORTED & set(accept) and same:
        return True
    if verdict not in accept:
        return False
    return verdict not in NAMES_VALUE or not e["published_value"] or _same(value, e["published_value"]) or same


def evaluate(corpus: Path, check=None) -> dict:
    """Score `check` (a function (path, lang, date) -> DataFrame of check's columns) on `corpus`."""
    if check is None:
        from analysis.textcheck import check_file, index

        idx = index()
        check = lambda path, lang, day: check_file(path, lang, idx, date.fromisoformat(day))  # noqa: E731
    texts, expected = load_corpus(corpus)
    by_text: dict[str, list[dict]] = {}
    for e in expected:
        by_text.setdefault(e["text"], []).append(e)
    scores = {s: Score() for s in (*SPLITS, "all")}
    rows: list[dict] = []
    for t in texts:
        path = corpus / "texts" / f"{t['id']}.txt"
        body = path.read_text(encoding="utf-8")
        table = check(path, t["lang"], t["published"])
        reported = [r for r in table.to_dict("records")]
        used: set[int] = set()
        for e in by_text.get(t["id"], []):
            line = locate(body, e["printed"], int(e["nth"]))
            if line is None:
                raise DataError(Problem(str(corpus / "expected.csv"), 1, "printed",
                                        text=f"text {t['id']}: occurrence {e['nth']} of '{e['printed']}' not in the text"))
            want = _fold(e["printed"])
            hit = next((i for i, r in enumerate(reported) if i not in used and int(r["line"]) == line
                        and (want in _fold(r["value_printed"]) or _fold(r["value_printed"]) in want)), None)
            accept = e["accept"].split(";")
            verdict, value, right = "not found", "", False
            if hit is not None:
                used.add(hit)
                r = reported[hit]
                verdict, value = r["verdict"], r["published_value"]
                right = _right(verdict, accept, value, r, e)
            for s in (t["split"], "all"):
                sc = scores[s]
                sc.numbers += 1
                sc.found += hit is not None
                sc.right += right
                sc.expected[accept[0]] += 1
                sc.expected_right[accept[0]] += right
                if hit is not None:
                    sc.given[verdict] += 1
                    sc.given_right[verdict] += right
            rows.append({"text": t["id"], "split": t["split"], "line": line, "printed": e["printed"], "nth": e["nth"],
                         "accept": e["accept"], "expected_value": e["published_value"], "verdict": verdict,
                         "published_value": "" if value is None or value != value else value, "right": right,
                         "value_printed": reported[hit]["value_printed"] if hit is not None else "",
                         "explanation": reported[hit]["explanation"] if hit is not None else ""})
        for i, r in enumerate(reported):  # numbers the corpus does not list: right only when abstaining
            if i in used:
                continue
            for s in (t["split"], "all"):
                scores[s].given[r["verdict"]] += 1
                scores[s].given_right[r["verdict"]] += r["verdict"] == "no published figure found"
            rows.append({"text": t["id"], "split": t["split"], "line": r["line"], "printed": r["value_printed"], "nth": "",
                         "accept": "(not listed)", "expected_value": "", "verdict": r["verdict"],
                         "published_value": r["published_value"], "right": r["verdict"] == "no published figure found",
                         "value_printed": r["value_printed"], "explanation": r["explanation"]})
    return {"corpus": str(corpus), "texts": len(texts), "languages": dict(Counter(t["lang"] for t in texts)),
            "scores": {k: v.as_dict() for k, v in scores.items()}, "rows": rows}


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def render(result: dict) -> str:
    s = result["scores"]
    langs = ", ".join(f"{n} {k}" for k, n in sorted(result["languages"].items()))
    out = [f"corpus {result['corpus']}: {result['texts']} texts ({langs})", "",
           f"{'split':<9}{'numbers':>8}{'found':>8}{'right':>8}{'differs+measure right':>24}"]
    for k in (*SPLITS, "all"):
        sc = s[k]
        given = sc["given"]["differs"] + sc["given"]["different measure"]
        out.append(f"{k:<9}{sc['numbers']:>8}{_pct(sc['found_rate']):>8}{_pct(sc['right_rate']):>8}"
                   f"{_pct(sc['precision_differs_or_measure']) + f' of {given}':>24}")
    out += ["", f"{'verdict (all texts)':<28}{'given':>6}{'precision':>10}{'expected':>9}{'recall':>8}"]
    sc = s["all"]
    for v in VERDICTS:
        out.append(f"{v:<28}{sc['given'][v]:>6}{_pct(sc['precision'][v]):>10}{sc['expected'][v]:>9}{_pct(sc['recall'][v]):>8}")
    return "\n".join(out)


def write_rows(result: dict, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=ROW_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(result["rows"])


def run(corpus: Path, out: Path | None = None, as_json: bool = False) -> str:
    result = evaluate(corpus)
    if out is not None:
        write_rows(result, out)
    if as_json:
        return json.dumps({k: v for k, v in result.items() if k != "rows"}, indent=2)
    return render(result)
