"""The claim ledger: every number of the report checked against the observations.

Claims (data/public/report/claims.csv) are the report's numbers as printed; rules
(data/public/report/claim_rules.yaml) say, per claim, which observations to compare
with and how. Verdicts are computed here; only 'not publicly verifiable' and
'not checked' are given by hand, always with a reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

import ast
import operator

from analysis.checks import Interval, agrees, printed
from analysis.errors import DataError, Problem
from analysis.observations import format_value, preferred
from analysis.paths import Paths, default_paths
from analysis.readers import read_csv_text, read_yaml_records
from analysis.registry import load_sources

CLAIMS_FILE = "report/claims.csv"
RULES_FILE = "report/claim_rules.yaml"
# The claims the 'In figures' page draws (analysis.figures.in_figures), each with how its value is
# shown: the ledger is checked for these ids before any figure is drawn.
FIGURE_CARDS = [("F01", "count"), ("F02", "rank"), ("F04", "percent"), ("F05", "printed"), ("F07", "count"), ("F08", "percent"),
                ("F09", "count"), ("F10", "printed"), ("F11", "printed"), ("F12", "count"), ("F13", "change"), ("F14", "printed")]
REPORT_SOURCE = "fpe-report-2024"  # the report itself: never evidence for its own claims
COLUMNS = ["claim_id", "section", "claim", "value_printed", "attributed_source", "verdict",
           "published_value", "source_id", "source_url", "explanation"]

MATCHES, ROUNDED, DIFFERS, MEASURE = "matches", "matches after rounding", "differs", "different measure"
HOLDS, FAILS = "internal arithmetic holds", "internal arithmetic fails"
UNVERIFIABLE, UNCHECKED = "not publicly verifiable", "not checked"
VERDICTS = [MATCHES, ROUNDED, DIFFERS, MEASURE, HOLDS, FAILS, UNVERIFIABLE, UNCHECKED]
MANUAL = {UNVERIFIABLE, UNCHECKED}
RULES = {"equal", "measure", "change", "arithmetic", "manual"}

WORDS = {"a thousand": 1000, "thousand": 1000, "half": 50, "fifty": 50, "twenty": 20, "fifteen": 15, "ten": 10,
         "five": 5, "four": 4, "three": 3, "two": 2, "one": 1}
APPROX_WORDS = ("around", "some", "about", "nearly", "approximately", "in the dozens")
AT_LEAST_WORDS = ("more than", "at least", "over ")


@dataclass(frozen=True)
class Printed:
    value: float
    qualifier: str  # exact, rounded, approx, at_least
    decimals: int

    def agrees(self, published) -> bool:
        """Does a published value or interval fall within what this printed number stands for?
        An exact printed number stands for the rounding of its last printed digit."""
        if self.qualifier == "exact":
            return agrees(self.value, published, "rounded", self.decimals)
        return agrees(self.value, published, self.qualifier)


def parse_printed(text: str) -> Printed:
    """'35.9 millions' -> 35.9e6 rounded; '4,700' -> 4700; '12,000%' -> 12000; 'around fifty' -> 50 approx."""
    t = text.strip().lower().replace("\u202f", " ")
    qualifier = "exact"
    if any(w in t for w in AT_LEAST_WORDS):
        qualifier = "at_least"
    elif any(w in t for w in APPROX_WORDS) or t == "half":
        qualifier = "approx"
    for word, number in WORDS.items():
        if re.search(rf"\b{word}\b", t) and not re.search(r"\d", t):
            if word == "half" and qualifier == "exact":
                qualifier = "approx"
            return Printed(float(number), qualifier, 0)
    m = re.search(r"(\d[\d,]*(?:\.\d+)?)", t)
    if not m:
        raise ValueError(f"no number in {text!r}")
    digits = m.group(1).replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    value = float(digits)
    if re.search(r"\bmillions?\b", t):
        value, qualifier = value * 1e6, ("rounded" if qualifier == "exact" else qualifier)
    elif qualifier == "exact" and decimals == 0 and value >= 1000 and value % 1000 == 0:
        qualifier = "rounded"  # 318,000 or 12,000%: printed to the thousand
    return Printed(value, qualifier, decimals)


MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"], start=1)}


def parse_date(text: str) -> tuple[str, list[str]]:
    """'23 April 2024' -> ('day', ['20240423']); '2 and 3 May 2024' -> ('day', ['20240502', '20240503']);
    'April 2024' -> ('month', ['202404']); '2023' -> ('year', ['2023'])."""
    t = text.strip().lower()
    m = re.fullmatch(r"(\d{1,2})(?: and (\d{1,2}))? (\w+) (\d{4})", t)
    if m and m.group(3) in MONTHS:
        days = [m.group(1)] + ([m.group(2)] if m.group(2) else [])
        return "day", [f"{m.group(4)}{MONTHS[m.group(3)]:02d}{int(d):02d}" for d in days]
    m = re.fullmatch(r"(\w+) (\d{4})", t)
    if m and m.group(1) in MONTHS:
        return "month", [f"{m.group(2)}{MONTHS[m.group(1)]:02d}"]
    m = re.fullmatch(r"(\d{4})(-\d{4})?", t)
    if m:
        return "year", [m.group(1)]
    raise ValueError(f"not a date: {text!r}")


def load_claims(paths: Paths | None = None) -> pd.DataFrame:
    paths = paths or default_paths()
    path = paths.public / CLAIMS_FILE
    return read_csv_text(path, paths.rel(path)).fillna("")


def load_rules(paths: Paths | None = None) -> dict[str, dict]:
    paths = paths or default_paths()
    path = paths.public / RULES_FILE
    rel = paths.rel(path)
    rules = {}
    for record in read_yaml_records(path, rel):
        line = record.pop("_line")
        record.pop("_lines")
        claim = record.get("claim")
        if record.get("rule") not in RULES:
            raise DataError(Problem(rel, line, "rule", str(record.get("rule")), "one of " + ", ".join(sorted(RULES)), kind="field"))
        if record["rule"] == "manual" and record.get("verdict") not in MANUAL:
            raise DataError(Problem(rel, line, "verdict", str(record.get("verdict")), f"'{UNVERIFIABLE}' or '{UNCHECKED}' (other verdicts are computed)", kind="field"))
        if record["rule"] == "manual" and not record.get("reason"):
            raise DataError(Problem(rel, line, "reason", "", "a reason for a verdict given by hand", kind="field"))
        if claim in rules:
            raise DataError(Problem(rel, line, "claim", claim, "a claim with one rule only (it already has one)", kind="field"))
        record["_line"] = line
        rules[claim] = record
    return rules


class Ledger:
    def __init__(self, obs: pd.DataFrame, paths: Paths | None = None):
        self.paths = paths or default_paths()
        self.obs = obs[obs["source_id"] != REPORT_SOURCE]
        self.sources = load_sources(self.paths)
        self.claims = load_claims(self.paths)
        self.rules = load_rules(self.paths)
        self.by_id = self.claims.set_index("claim_id")
        # rows by indicator: 180 claims filtering the whole table each cost most of the ledger's time
        self.by_indicator = {k: g for k, g in self.obs.groupby("indicator", sort=False)}

    # --- queries ---------------------------------------------------------------------------------
    def find(self, query: dict, what: str) -> pd.Series:
        """The observation a query names (preferred source unless source_id is given)."""
        rows = self.by_indicator.get(query.get("indicator"), self.obs.iloc[:0]) if "indicator" in query else self.obs
        for key in ("geography", "period", "breakdown", "source_id"):
            if key in query:
                rows = rows[rows[key] == (query[key] or "")]
        if "source_id" not in query:
            rows = preferred(rows, self.paths, self.sources)
        if len(rows) != 1:
            raise DataError(Problem(RULES_FILE, 1, text=f"{what}: {len(rows)} observations match {query}; expected one"))
        return rows.iloc[0]

    def claim_value(self, claim_id: str) -> Printed:
        rule = self.rules.get(claim_id, {})
        text = rule.get("value") or self.by_id.at[claim_id, "value_printed"]
        p = parse_printed(text)
        return Printed(p.value, rule.get("qualifier", p.qualifier), p.decimals)

    # --- verdicts --------------------------------------------------------------------------------
    def check(self, claim_id: str) -> dict:
        claim = self.by_id.loc[claim_id]
        rule = self.rules.get(claim_id)
        if rule is None:
            raise DataError(Problem(RULES_FILE, 1, text=f"claim {claim_id} has no rule; add one (use rule: manual with a reason if it cannot be checked)"))
        out = {"claim_id": claim_id, "section": claim["section"], "claim": claim["claim"], "value_printed": claim["value_printed"],
               "attributed_source": claim["attributed_source"], "published_value": "", "source_id": "", "source_url": ""}
        kind = rule["rule"]
        if kind == "manual":
            return {**out, "verdict": rule["verdict"], "explanation": rule["reason"]}
        if kind == "arithmetic":
            return {**out, **self._arithmetic(claim_id, rule)}
        value, interval, used, shown = self.published(rule, claim_id)
        if used[-1]["unit"] == "yyyymmdd":
            return {**out, **self._date_check(claim, rule, used[-1], kind)}
        p = self.claim_value(claim_id)
        close = p.agrees(interval)
        exact = p.qualifier == "exact" and abs(p.value - value) < 1e-9
        if kind == "measure":
            verdict = MEASURE if (exact or close) else DIFFERS
        else:
            verdict = MATCHES if exact else ROUNDED if close else DIFFERS
        explanation = f"Printed {claim['value_printed']}; published {shown}."
        if kind == "measure" and "claimed" in rule:
            other, _, _, other_shown = self.published(rule["claimed"], claim_id)
            explanation += f" The measure the report's wording names: {other_shown}."
        if rule.get("note"):
            explanation += " " + rule["note"]
        return {**out, "verdict": verdict, "published_value": format_value(round(value, 2)),
                "source_id": ";".join(dict.fromkeys(u["source_id"] for u in used)),
                "source_url": self.sources.at[used[-1]["source_id"], "url"], "explanation": explanation}

    def published(self, spec: dict, claim_id: str):
        """The published number a rule compares with: one observation, a change between two,
        a sum over years, or an observation divided by a number of months. Returns
        (value, interval allowed by the publisher's rounding, observations used, description)."""
        if "from" in spec:
            base, new = self.find(spec["from"], claim_id), self.find(spec["to"], claim_id)
            value, interval = change_between(base, new)
            return value, interval, [base, new], (f"{value:.1f}% change in {new['indicator']} from {format_value(base['value'])} "
                                                  f"({base['period']}) to {format_value(new['value'])} ({new['period']})")
        if "sum" in spec:
            first, last = (int(y) for y in spec["sum"].split("-"))
            rows = [self.find({**spec["query"], "period": str(y)}, claim_id) for y in range(first, last + 1)]
            value = float(sum(r["value"] for r in rows))
            return value, Interval(value, value), rows, f"{format_value(value)} (sum of {rows[0]['indicator']} {first}-{last})"
        obs = self.find(spec["query"], claim_id)
        interval = printed(obs["value"], obs["qualifier"])
        value = obs["value"]
        where = f"{obs['indicator']}, {obs['geography']}, {obs['period']}{', ' + obs['breakdown'] if obs['breakdown'] else ''}"
        if "per" in spec:
            k = 1 / float(spec["per"])
            value, interval = value * k, interval.scale(k)
            return value, interval, [obs], f"{value:,.1f} ({format_value(obs['value'])} {where}, divided by {spec['per']})"
        return value, interval, [obs], f"{format_value(value)} ({where})"

    def _date_check(self, claim: pd.Series, rule: dict, obs: pd.Series, kind: str) -> dict:
        """A printed date against a published one, at the precision the report printed it."""
        text = rule.get("value") or claim["value_printed"]
        precision, printed_dates = parse_date(text)
        published = int(obs["value"])
        digits = {"day": 8, "month": 6, "year": 4}[precision]
        same = any(str(published)[:digits] == d[:digits] for d in printed_dates)
        verdict = (MEASURE if same else DIFFERS) if kind == "measure" else (MATCHES if same else DIFFERS)
        shown = f"{str(published)[:4]}-{str(published)[4:6]}-{str(published)[6:]}"
        explanation = f"Printed {claim['value_printed']} (to the {precision}); published {shown} ({obs['indicator']})."
        if rule.get("note"):
            explanation += " " + rule["note"]
        return {"verdict": verdict, "published_value": shown, "source_id": obs["source_id"],
                "source_url": self.sources.at[obs["source_id"], "url"], "explanation": explanation}

    def _arithmetic(self, claim_id: str, rule: dict) -> dict:
        """Internal arithmetic between claims of the report: an expression over claim values."""
        names = dict.fromkeys(re.findall(r"\b[FC]\d{2,3}\b", rule["expression"]))
        values = {n: self.claim_value(n).value for n in names}
        computed = _evaluate(rule["expression"], values)
        target = self.claim_value(rule.get("equals", claim_id))
        holds = target.agrees(computed)
        shown = ", ".join(f"{n} = {format_value(v)}" for n, v in values.items())
        return {"verdict": HOLDS if holds else FAILS, "published_value": format_value(round(computed, 4)),
                "explanation": f"{rule['expression']} = {computed:,.2f} ({shown}); the report prints {format_value(target.value)}. " + rule.get("note", "")}

    def run(self) -> pd.DataFrame:
        missing = [c for c in self.claims["claim_id"] if c not in self.rules]
        extra = [c for c in self.rules if c not in set(self.claims["claim_id"])]
        if missing or extra:
            raise DataError(Problem(RULES_FILE, 1, text=f"claims without a rule: {missing[:10]}; rules for unknown claims: {extra[:10]}"))
        shown = [c for c, _ in FIGURE_CARDS if c not in self.by_id.index]
        if shown:
            raise DataError(Problem(self.paths.rel(self.paths.public / CLAIMS_FILE), 0,
                                    text=f"no claim {shown[0]!r}, which the 'In figures' figure shows (analysis.claims.FIGURE_CARDS); "
                                         "keep its id or change the figure"))
        return pd.DataFrame([self.check(c) for c in self.claims["claim_id"]], columns=COLUMNS)


def change_between(base, new) -> tuple[float, Interval]:
    """Percent change from one observation to another, and the interval the publishers' rounding allows."""
    b, n = printed(base["value"], base["qualifier"]), printed(new["value"], new["qualifier"])
    value = (new["value"] / base["value"] - 1) * 100
    return value, Interval((n.lo / b.hi - 1) * 100, (n.hi / b.lo - 1) * 100 if b.lo > 0 else float("inf"))


def claim_checks(obs: pd.DataFrame, paths: Paths | None = None) -> pd.DataFrame:
    """Compute every verdict from the observations (what the build writes to claim_checks.csv)."""
    return Ledger(obs, paths).run()


def load_claim_checks(paths: Paths | None = None) -> pd.DataFrame:
    """The ledger as the last build wrote it (data/processed/claim_checks.csv)."""
    paths = paths or default_paths()
    return pd.read_csv(paths.processed / "claim_checks.csv", dtype=str, keep_default_na=False)


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _evaluate(expression: str, values: dict[str, float]) -> float:
    """Arithmetic on claim ids and numbers only (+ - * /, parentheses)."""

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name) and node.id in values:
            return values[node.id]
        raise ValueError(f"not allowed in a claim expression: {ast.dump(node)}")

    return ev(ast.parse(expression, mode="eval"))
