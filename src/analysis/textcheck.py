"""Checking the numbers of any text against the tidy table, with the claim ledger's interval arithmetic.

`check_file(path)` finds every statistical claim of a document (`analysis.textclaims`) and looks
each one up among the observations: published values within the printed rounding, and values
computed from them (a change between two years of a series, in percent or as a multiple; a value's
share of its total; a sum over years; a daily or monthly rate against a yearly count). The lookup
is narrowed by what the sentence names: the organisation (mapped to the indicator's and the
source's publisher), the years, the place, the unit counted and the words around the number.

Verdicts, each with a one-sentence explanation naming the published value and its source:

- ``matches``: a published figure identified by the sentence equals the number printed;
- ``matches after rounding``: it lies within the rounding (or the qualifier) of the number printed;
- ``different measure``: the number is published, but counts something else than the sentence says
  (reports where it says images, webpages where it says material, one year where it says 'since');
- ``differs``: organisation, measure and year identify a published figure, and the number printed
  is outside its rounding;
- ``no published figure found``: nothing in the table is identified well enough to judge.

The report itself (source ``fpe-report-2024``) is never evidence, as in the ledger.
"""
from __future__ import annotations

import calendar
import math
import os
import re
import signal
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.checker import explain
from analysis.checks import Interval, printed
from analysis.claims import REPORT_SOURCE, Printed, change_between
from analysis.observations import QUALIFIER_RANK, format_value, load_observations
from analysis.paths import Paths, default_paths
from analysis.registry import load_indicators, load_sources
from analysis.textclaims import (MONEY_UNITS, TIME_UNITS, UNIT_WORDS, Claim, claims_in_file, find_claims,
                                 keywords, organisations)

MATCHES, ROUNDED, DIFFERS, MEASURE, NONE = ("matches", "matches after rounding", "differs", "different measure",
                                            "no published figure found")
VERDICTS = [MATCHES, ROUNDED, DIFFERS, MEASURE, NONE]
SUPPORTED = {MATCHES, ROUNDED}
COLUMNS = ["line", "sentence", "value_printed", "value", "verdict", "published_value", "indicator", "geography",
           "period", "source_id", "source_url", "explanation"]
REPORT_TEXT = "fondation-pour-l-enfance-2024-generative-ai-report.md"

# How strongly a published figure must be identified by the sentence.
IDENTIFIED = 6.0  # to say a number matches (or is a different measure)
PINNED = 8.0  # to say it differs: organisation, measure and year must point at one figure
MARGIN = 4.0  # a better-identified figure that disagrees outweighs an agreeing one by this much
CLOSE = 4.0  # a figure identified this well is named, as the closest, when the verdict abstains

MEASURE_PRIORITY = ["reports", "urls", "files", "images_and_videos", "images", "videos", "respondents", "victims",
                    "cases", "requests", "incidents", "children", "people", "agencies", "companies", "countries",
                    "signatories", "material"]
MATERIAL = {"material", "images", "videos", "images_and_videos", "files"}
PEOPLE = {"people", "respondents", "victims", "children"}
UNIT_MEASURE = {"items": "material", "instances": "material", "persons": "people", "responses": "respondents",
                "signatures": "signatories", "jurisdictions": "countries", "yyyymmdd": "", "percent": "", "rank": ""}
TOPICS = {"sextortion": r"sextortion|sextorsion|chantages? (?:à|a) la (?:vidéo|webcam|photo|image)", "enticement": r"enticement|grooming|sollicitation",
          "trafficking": r"trafficking|traite des"}
SCOPES = {"eu": "EU27", "europe": "EUR", "world": "WLD", "eu27": "EU27"}
KIND_OF_UNIT = {"percent": "percent", "percent_change": "change", "percentage_points_change": "pp", "ratio": "fold",
                "rank": "rank", "hours": "duration", "years": "duration", "months": "duration", "euros": "money",
                "dollars": "money", "pounds": "money", "incidents_change": "change_count"}
DATE_UNITS = {"yyyymmdd", "yyyymm", "year"}
# words of indicator names that say the form of a number (its kind, rate or base), not what it counts
FORMAL = {"pct", "share", "change", "per", "day", "month", "year", "rate", "total", "cumulative", "factor", "growth",
          "yoy", "count", "number"}


# 'More than N' in a text is a bound near N, not an open interval: it stands for [N, N x 1.25]
# ('more than 2 million' is not a way to write 21 million); 'less than N' for [N x 0.75, N].
BOUND_TOLERANCE = 0.25


# Plural words for an order of magnitude ('thousands', 'des milliers') stand for [N, N x 1000);
# 'tens of thousands', 'dozens' for [N, N x 10).
VAGUE_SPAN = {"dozens": 10, "tens of thousands": 10, "hundreds of thousands": 10, "des dizaines": 10,
              "des dizaines de milliers": 10, "des centaines de milliers": 10, "hundreds": 1000, "thousands": 1000,
              "millions": 1000, "des centaines": 1000, "des milliers": 1000, "des millions": 1000}


def text_interval(value: float, qualifier: str, decimals: int, printed_as: str = "") -> Interval:
    """The interval a number printed in a text stands for (the ledger's, with bounds kept near N)."""
    if qualifier == "at_least":
        span = VAGUE_SPAN.get(printed_as.strip().lower(), 1 + BOUND_TOLERANCE)
        return Interval(value, value * span if value >= 0 else value * (1 - BOUND_TOLERANCE))
    if qualifier == "at_most":
        return Interval(value * (1 - BOUND_TOLERANCE), value)
    return printed(value, "rounded", decimals) if qualifier == "exact" else printed(value, qualifier)


@dataclass(frozen=True)
class TextPrinted(Printed):
    printed_as: str = ""

    def agrees(self, published) -> bool:
        if not isinstance(published, Interval):
            published = Interval(published, published)
        return text_interval(self.value, self.qualifier, self.decimals, self.printed_as).overlaps(published)


_MONTH_ABBR = {m: k for k, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
                                          start=1)}


def _window(breakdown: str, period: str) -> tuple[int, int]:
    """The months (yyyymm, yyyymm) a breakdown's window covers: window=2024-04_2024-09,
    window=12m_to_2024-03, window=2023-05-24_2023-06-30, window=jan01-aug25 (in the row's year); (0, 0)
    when there is none or it gives no months."""
    m = re.search(r"(?:^|;)window=([^;]+)", breakdown)
    if not m:
        return 0, 0
    w = m.group(1)
    if r := re.fullmatch(r"(\d{4})-(\d\d)(?:-\d\d)?_(\d{4})-(\d\d)(?:-\d\d)?", w):
        return int(r[1]) * 100 + int(r[2]), int(r[3]) * 100 + int(r[4])
    if r := re.fullmatch(r"(\d+)m_to_(\d{4})-(\d\d)", w):
        end = int(r[2]) * 12 + int(r[3]) - 1
        start = end - int(r[1]) + 1
        return (start // 12) * 100 + start % 12 + 1, int(r[2]) * 100 + int(r[3])
    if r := re.fullmatch(r"([a-z]{3})\d\d-([a-z]{3})\d\d", w):
        y = int(period[:4])
        if r[1] in _MONTH_ABBR and r[2] in _MONTH_ABBR:
            return y * 100 + _MONTH_ABBR[r[1]], y * 100 + _MONTH_ABBR[r[2]]
    return 0, 0


def _best(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest scores, highest first (a partial sort: the table has thousands of rows)."""
    if len(scores) <= k:
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


def compatible_measures(a: str, b: str) -> int:
    """1 when two measures agree, -1 when they are different things, 0 when one is unknown."""
    if not a or not b:
        return 0
    if a == b:
        return 1
    pair = {a, b}
    if "material" in pair and pair <= MATERIAL:
        return 1
    if "images_and_videos" in pair and pair <= {"images_and_videos", "images", "videos"}:
        return 1
    if "people" in pair and pair <= PEOPLE:
        return 1
    if pair == {"victims", "children"}:
        return 1
    return -1


def _kind_ok(claim_kind: str, row_kind: str) -> bool:
    if claim_kind == "age":
        return row_kind == "duration"
    return claim_kind == row_kind


@dataclass
class Candidate:
    value: float
    interval: Interval
    rows: list[int]  # positions in Index.table
    kind: str
    measure: str
    relevance: float = 0.0
    agrees: bool = False
    exact: bool = False
    conflict: tuple = ()  # why the measure differs from the sentence's: (code, *arguments), see checker.explain
    spec: tuple = ()  # how the value was obtained, for the explanation: ('direct', i), ('change', a, b), ...
    period: str = ""
    computed: str = ""  # '', change, fold, share, sum, rate
    bound: bool = False  # the published figure is a bound ('more than 116 million')
    consistent: bool = False  # the printed number lies within the published interval or bound
    named_part: bool = True  # the sentence names the breakdown (platform, country, question) of the figure


class Index:
    """The observations prepared for look-ups: one row per published number, with its publisher,
    measure, kind, years and words; built once per run (about a second)."""

    def __init__(self, obs: pd.DataFrame | None = None, paths: Paths | None = None):
        self.paths = paths or default_paths()
        obs = load_observations(self.paths) if obs is None else obs
        self.sources, self.indicators = _registries(self.paths)
        t = obs[(obs["source_id"] != REPORT_SOURCE) & ~obs["unit"].isin(DATE_UNITS)].reset_index(drop=True)
        self.table = t
        n = len(t)
        ind = self.indicators
        self.value = t["value"].to_numpy(float)
        ends = [printed(v, q) for v, q in zip(t["value"], t["qualifier"])]
        self.lo = np.array([e.lo for e in ends])
        self.hi = np.array([e.hi for e in ends])
        self.kind = np.array([KIND_OF_UNIT.get(u, "count") for u in t["unit"]])
        self.year = np.array([int(p[:4]) for p in t["period"]])
        self.geo = t["geography"].to_numpy(str)
        self.primary = (t["source_id"].map(self.sources["kind"]) == "primary").to_numpy()
        self.url = self.sources["url"].fillna("").to_dict()
        self.qrank = t["qualifier"].map(QUALIFIER_RANK).fillna(5).to_numpy()
        cache: dict[str, list[str]] = {}

        def words(text) -> list[str]:
            text = "" if not isinstance(text, str) else text
            if text not in cache:
                cache[text] = keywords(re.sub(r"(?<=\d)_(?=\d)", "-", text).replace("_", " ").replace("=", " ").replace(";", " "))
            return cache[text]

        meta: dict[str, dict] = {}
        for indicator in t["indicator"].unique():
            row = ind.loc[indicator]
            head = f"{indicator} {row['label_en']} {row['label_fr']}"
            pubs = organisations(f"{row['publisher']} {row['definition']} {indicator.replace('_', ' ').upper()}")
            found = [UNIT_WORDS[w] for w in re.findall(r"[a-z]+", f"{indicator.replace('_', ' ')} {row['label_en']}".lower())
                     if w in UNIT_WORDS]
            unit = row["unit"]
            measure = UNIT_MEASURE.get(unit, UNIT_WORDS.get(unit, unit if unit in MEASURE_PRIORITY else ""))
            if KIND_OF_UNIT.get(unit, "count") not in ("count", "duration", "money") or not measure:
                measure = next((m for m in MEASURE_PRIORITY if m in found), "")
            if KIND_OF_UNIT.get(unit) == "duration":
                measure = unit
            rate = "day" if "per_day" in indicator or unit.endswith("_per_day") else "month" if "per_month" in indicator else ""
            topics = {k for k, rx in TOPICS.items() if re.search(rx, f"{indicator} {row['label_en']}", re.I)}
            meta[indicator] = {"orgs": set(pubs), "measure": measure, "rate": rate, "topics": topics,
                               "head": words(head), "body": words(f"{row['definition']} {row.get('notes', '')}"),
                               "cumulative": "cumulative" in indicator}
        self.meta = meta
        self.rate = np.array([meta[i]["rate"] for i in t["indicator"]])
        self.measure = np.array([meta[i]["measure"] for i in t["indicator"]])
        src_orgs = {s: set(organisations(f"{pub} {title}")) if kind == "primary" else set()
                    for s, pub, title, kind in zip(self.sources.index, self.sources["publisher"], self.sources["title"],
                                                   self.sources["kind"])}
        self.orgs = [meta[i]["orgs"] | src_orgs.get(s, set()) for i, s in zip(t["indicator"], t["source_id"])]
        sets = list(dict.fromkeys(frozenset(o) for o in self.orgs))
        self.orgs_by_set_index = sets
        self.org_set_id = np.array([sets.index(frozenset(o)) for o in self.orgs])
        spread = t.groupby("indicator")["geography"].nunique()
        self.many_geos = (t["indicator"].map(spread) >= 3).to_numpy()
        self.is_age = np.array([bool(re.search(r"(?:^|_)age(?:_|$)", i)) for i in t["indicator"]])
        self.measure_names = sorted(set(self.measure))
        self.measure_id = np.array([self.measure_names.index(m) for m in self.measure])
        self.scope = np.array([next((SCOPES[v] for k, v in (p.split("=", 1) for p in b.split(";") if "=" in p)
                                     if k == "scope" and v in SCOPES), "") for b in t["breakdown"]])
        # Words: indicator names and labels and breakdown (weight 1), definitions, source titles, notes (0.4).
        self.ind = t["indicator"].tolist()
        self.qual = t["qualifier"].tolist()
        self.src = t["source_id"].tolist()
        self.brk = t["breakdown"].tolist()
        self.per = t["period"].tolist()
        self.period_names = sorted(set(self.per))
        position = {p: k for k, p in enumerate(self.period_names)}
        self.period_id = np.array([position[p] for p in self.per])
        vocab: dict[str, int] = {}
        docs: list[dict[int, float]] = []
        title_of = self.sources["title"].to_dict()
        titles = {s_: words(title_of.get(s_, "")) for s_ in set(self.src)}
        for indicator, source, breakdown, note in zip(self.ind, self.src, self.brk, t["note"]):
            m = meta[indicator]
            weights: dict[int, float] = {}
            for w in m["head"] + words(breakdown):
                k = vocab.setdefault(w, len(vocab))
                weights[k] = 1.0
            for w in m["body"] + titles[source] + words(note):
                k = vocab.setdefault(w, len(vocab))
                weights.setdefault(k, 0.4)
            docs.append(weights)
        self.vocab = vocab
        # idf over distinct (indicator, breakdown) pairs, so that big tables do not drown their words
        seen: dict[tuple, set] = {}
        for i, key in enumerate(zip(t["indicator"], t["breakdown"])):
            seen.setdefault(key, set()).update(docs[i])
        df = Counter(k for ks in seen.values() for k in ks)
        total = len(seen)
        self.idf = np.zeros(len(vocab))
        for k, c in df.items():
            self.idf[k] = math.log(1 + total / c)
        from scipy.sparse import csr_matrix

        rows, cols, vals = [], [], []
        for i, d in enumerate(docs):
            for k, w in d.items():
                rows.append(i)
                cols.append(k)
                vals.append(w * self.idf[k])
        self.matrix = csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)))
        # words of each row's breakdown values (platform=telegram -> telegram), to tell whether it is named
        prow, pcol = [], []
        has_part = np.zeros(n, bool)
        for i, b in enumerate(self.brk):
            values = " ".join(p_.split("=", 1)[1] for p_ in b.split(";") if "=" in p_ and p_.split("=", 1)[0] not in
                              ("survey", "source", "window", "bound", "paragraph", "measure", "comparison", "base_period"))
            has_part[i] = bool(values.strip())
            for w in set(words(values)) - {"yes", "no"}:
                if w in vocab:
                    prow.append(i)
                    pcol.append(vocab[w])
        # what an indicator adds to the one its name extends (cybertipline_reports_financial_sextortion extends
        # cybertipline_reports): a text that leaves those words out more likely means the plainer indicator
        ids = set(self.ind)
        extra: dict[str, set] = {}
        for indicator in ids:
            parts_ = indicator.split("_")
            base = next(("_".join(parts_[:k]) for k in range(len(parts_) - 1, 0, -1) if "_".join(parts_[:k]) in ids), None)
            extra[indicator] = (set(words(indicator)) - set(words(base)) - FORMAL) if base else set()
        hrow, hcol = [], []
        for i, indicator in enumerate(self.ind):
            for w in extra[indicator]:
                if w in vocab:
                    hrow.append(i)
                    hcol.append(vocab[w])
        self.heads = csr_matrix((self.idf[hcol], (hrow, hcol)), shape=(n, len(vocab)))
        self.head_total = np.asarray(self.heads.sum(axis=1)).ravel()
        self.parts = csr_matrix((np.ones(len(prow)), (prow, pcol)), shape=(n, len(vocab)))
        self.parts_idf = csr_matrix((self.idf[pcol], (prow, pcol)), shape=(n, len(vocab)))
        self.part_size = np.asarray(self.parts.sum(axis=1)).ravel()
        self.has_part = has_part & (self.part_size > 0) | has_part
        siblings = t.groupby(["indicator", "geography", "period"])["breakdown"].transform("nunique").to_numpy()
        self.part_penalty = np.where(siblings >= 8, -5.0, -2.0)
        # one value per series and period for computed figures (most precise qualifier, primary first)
        order = np.lexsort((~self.primary, self.qrank))
        self.series: dict[tuple, dict[str, int]] = {}
        for i in order:
            self.series.setdefault((self.ind[i], self.geo[i], self.brk[i]), {}).setdefault(self.per[i], int(i))
        self.start_year = np.array([int(m.group(1)) if (m := re.search(r"base_period=(\d{4})", b)) else -1 for b in self.brk])
        self.conflict_measure = {}
        self.distinct: dict[str, set] = {}
        self._bonus_cache: dict[tuple, np.ndarray] = {}
        self._geo_cache: dict[tuple, np.ndarray] = {}
        windows = [_window(b, p) for b, p in zip(self.brk, self.per)]
        self.win_lo = np.array([w[0] for w in windows])
        self.win_hi = np.array([w[1] for w in windows])
        self._sentence_cache: tuple = (None, None)
        self._topics: tuple = (None, set())
        self.geo_names = np.array(sorted(set(self.geo)))
        self.geo_id = np.searchsorted(self.geo_names, self.geo)
        self.specific = ~np.isin(self.geo, ["WLD", "EU27", "EUR"])  # the period term of the relevance, by the periods a claim names
        codebook = self.paths.processed / "breakdowns.csv"
        keys, coded = {}, set()
        if codebook.exists():
            book = pd.read_csv(codebook, dtype=str, keep_default_na=False).drop_duplicates("key")
            keys = {lang: dict(zip(book["key"], book[f"key_label_{lang}"])) for lang in ("en", "fr")}
            coded = set(book.loc[book["values_rule"].str.contains("ISO 3166", na=False), "key"])
        self.wording = explain.Wording(
            labels={lang: dict(zip(ind.index, ind[f"label_{lang}"].fillna(""))) for lang in ("en", "fr")},
            citations=self.sources["citation"].fillna("").to_dict(), keys=keys, coded_places=coded)
        self.totals = {(a, g, p_): i for i, (a, g, p_, b) in enumerate(zip(self.ind, self.geo, self.per, self.brk)) if b == ""}

    # --- relevance ----------------------------------------------------------------------------
    def claim_vector(self, claim: Claim) -> np.ndarray:
        """Weights of the sentence's words: the closer to the number, the heavier."""
        vec = np.zeros(len(self.vocab))
        text = claim.sentence
        at = text.find(claim.value_printed)
        at = claim.start if at < 0 else at
        before = keywords(text[:at])
        after = keywords(text[at + len(claim.value_printed):])
        labelled = bool(re.search(r"\(\s*$", text[:at]))  # 'Telegram (46%)': the word before the bracket names it
        for d, w in enumerate(reversed(before)):
            k = self.vocab.get(w)
            if k is not None:
                vec[k] = max(vec[k], 2.0 if (labelled and d == 0) else 1.0 / (1 + d / 3))
        for d, w in enumerate(after):
            k = self.vocab.get(w)
            if k is not None:
                vec[k] = max(vec[k], 1.0 / (1 + d / 3))
        for w in keywords(claim.window):
            k = self.vocab.get(w)
            if k is not None:
                vec[k] = max(vec[k], 0.15)
        for text, weight in ((claim.cited, 0.3), (claim.context_cited, 0.2)):
            for w in keywords(text):
                k = self.vocab.get(w)
                if k is not None:
                    vec[k] = max(vec[k], weight)
        return vec

    def base_relevance(self, claim: Claim) -> np.ndarray:
        """How well the sentence identifies each row, before comparing values and years."""
        vec = self.claim_vector(claim)
        kw = np.minimum(self.matrix @ vec, 16.0)
        named, around = set(claim.orgs), set(claim.context_orgs)
        org = np.array([4.0 if named & o else 2.0 if around & o else -3.0 if (named and o) else -1.0 if (named or around) else 0.0
                        for o in self.orgs_by_set_index])[self.org_set_id]
        geo = self._geo_term(claim)
        part = self._sentence_terms(claim.sentence, claim.geos)
        measure = np.maximum(np.array([compatible_measures(claim.unit, m) for m in self.measure_names])[self.measure_id], 0) * 1.5
        unsaid = np.minimum(0.5 * (self.head_total - self.heads @ (vec > 0).astype(float)), 4.0)
        return kw - unsaid + org + geo + part + measure + 0.5 * self.primary - 0.2 * self.qrank

    def _geo_term(self, claim: Claim) -> np.ndarray:
        key = (claim.geos, claim.context_geos)
        if key not in self._geo_cache:
            if len(self._geo_cache) > 256:
                self._geo_cache.clear()
            in_sentence = np.isin(self.geo_names, list(claim.geos))[self.geo_id]
            around = np.isin(self.geo_names, list(claim.context_geos))[self.geo_id]
            specific = self.specific
            geo = np.where(specific & in_sentence, 3.0, np.where(specific & around, 0.0,
                                                                np.where(specific, np.where(self.many_geos, -6.0, -1.0), 0.0)))
            if set(claim.geos) - {"WLD", "EU27", "EUR"}:
                geo = np.where(~specific, geo - 1.0, geo)
            self._geo_cache[key] = geo
        return self._geo_cache[key]

    def _sentence_terms(self, sentence: str, geos: tuple[str, ...] = ()) -> np.ndarray:
        """What the sentence's words say of each row's breakdown and indicator (shared by its numbers):
        sets self.named, named_all, heads_said and returns the penalty for an unnamed breakdown.
        The places it names count as their codes ('en Russie' names hosting_country=RUS)."""
        if self._sentence_cache[0] != (sentence, geos):
            # a row of a breakdown (one platform, one country, one age band) must be named in the sentence to be meant
            said = np.zeros(len(self.vocab))
            for w in keywords(sentence) + keywords(" ".join(geos)):
                k = self.vocab.get(w)
                if k is not None:
                    said[k] = 1.0
            matched = self.parts @ said
            all_named = (self.part_size > 0) & (matched >= self.part_size - 1e-9)
            named_part = all_named | ((self.parts_idf @ said) >= 2.0)
            # every word that sets an indicator apart from the one it extends is said (for a verdict against the text)
            heads_said = (self.heads @ said) >= self.head_total - 1e-9
            part = np.where(self.has_part & ~named_part, self.part_penalty, 0.0)
            self._sentence_cache = ((sentence, geos), (~self.has_part | named_part, ~self.has_part | all_named, heads_said, part))
        self.named, self.named_all, self.heads_said, part = self._sentence_cache[1]
        return part

    def _latest(self, i: int) -> bool:
        series = self.series.get((self.ind[i], self.geo[i], self.brk[i]), {})
        return bool(series) and self.per[i] == max(series)

    def year_score(self, claim: Claim, years: tuple[int, ...], period: str, row: int | None = None) -> float:
        """Agreement of a figure's year(s) with those the sentence names (`row`: the figure's row, whose
        breakdown may give a window of months within its year)."""
        named = {int(y) for y in claim.years}
        dates = [d for d in claim.dates if period.startswith(d) or d.startswith(period)]
        if named:
            hit = all(y in named for y in years)
            score = 3.0 if hit else (1.0 if any(y in named for y in years) else -3.0)
        elif claim.context_years or claim.cited_years:
            score = 1.0 if any(str(y) in claim.context_years + claim.cited_years for y in years) else -0.5
        else:
            score = 0.0
        bonus = self._period_bonus(claim, period)
        if row is not None and self.win_lo[row] and self._in_window(claim, self.win_lo[row], self.win_hi[row]):
            bonus = 2.0  # 'in six months, from April to the end of September 2024': the row's window
        return score + (1.5 if dates else 0.0) + bonus

    @staticmethod
    def _month_ranges(claim: Claim) -> list[tuple[int, int]]:
        """The months (as yyyymm) of the halves, quarters and months the claim names."""
        out = []
        for p in claim.periods:
            y = int(p[:4])
            if m := re.fullmatch(r"\d{4}-H([12])", p):
                out.append((y * 100 + (1 if m[1] == "1" else 7), y * 100 + (6 if m[1] == "1" else 12)))
            elif m := re.fullmatch(r"\d{4}-Q([1-4])", p):
                q = int(m[1])
                out.append((y * 100 + 3 * q - 2, y * 100 + 3 * q))
            elif m := re.fullmatch(r"\d{4}-(\d\d)", p):
                out.append((y * 100 + int(m[1]),) * 2)
        return out

    def _in_window(self, claim: Claim, lo: int, hi: int) -> bool:
        return any(a <= hi and b >= lo for a, b in self._month_ranges(claim))
    @staticmethod
    def _period_bonus(claim: Claim, period: str) -> float:
        """A half, quarter or month the sentence states (or carries) is a different figure from its
        year's: the stated part agrees, the year and the other parts do not."""
        parts = [p for p in claim.periods if len(p) > 4]
        if not parts:
            return -1.0 if claim.periods and len(period) > 4 and re.fullmatch(r"\d{4}-(?:H[12]|Q[1-4])", period) else 0.0
        if period in claim.periods:
            return 2.0
        return -2.5 if period[:4] in {p[:4] for p in parts} or len(period) > 4 else 0.0

    # --- candidates ----------------------------------------------------------------------------
    def candidates(self, claim: Claim) -> list[Candidate]:
        base = self.base_relevance(claim)
        p = TextPrinted(claim.value, claim.qualifier, claim.decimals, claim.value_printed)
        out: list[Candidate] = []
        kinds = {claim.kind}
        if claim.kind == "age":
            kinds = {"duration"}
        mask = np.isin(self.kind, list(kinds)) & (self.rate == claim.rate)
        if claim.kind in ("count", "money", "duration", "age") and claim.unit:
            if claim.unit in TIME_UNITS | MONEY_UNITS or claim.kind == "age":
                mask &= self.measure == claim.unit
        if claim.kind in ("duration", "age"):
            mask &= self.is_age == (claim.kind == "age")
        top = _best(base, 80)
        # published figures: materialise only the best-identified rows, agreeing or not
        rel = base + self._year_vector(claim)
        agree = self._agree_vector(claim) & mask
        for pool in (agree, mask):
            idx = np.flatnonzero(pool)
            for i in idx[_best(rel[idx], 12)]:
                out.append(self._direct(claim, int(i), base[i], p))
        # computed figures from the best-identified series
        shortlist = [int(i) for i in top[:80] if self.kind[i] == "count" and base[i] > 2.0]
        if claim.kind in ("change", "fold"):  # ratios agree by chance easily: the publisher must be named
            named = set(claim.orgs) | (set(claim.context_orgs) if len(claim.context_orgs) == 1 else set())
            out += self._changes(claim, [i for i in shortlist if self.orgs[i] & named], base, p)
        if claim.kind == "fold":
            idx = np.flatnonzero(self.kind == "change")
            for i in idx[np.argsort(-base[idx])][:12]:
                out.append(self._direct(claim, int(i), base[i], p, as_fold=True))
        if claim.kind == "percent" and claim.unit:  # a share is computed only of a total the sentence names
            out += self._shares(claim, [i for i in shortlist if compatible_measures(claim.unit, self.measure[i]) > 0],
                                base, p)
        if claim.kind == "count" and claim.rate:
            out += self._rates(claim, [int(i) for i in top[:80] if self.kind[i] == "count" and not self.rate[i]
                                       and base[i] > 2.0], base, p)
        if claim.kind == "count" and not claim.rate:
            out += self._yearly_from_rates(claim, [int(i) for i in top[:80] if self.rate[i] == "day" and base[i] > 2.0],
                                           base, p)
            if len(claim.years) >= 2 or claim.since:
                out += self._sums(claim, shortlist, base, p)
        return out

    def _year_vector(self, claim: Claim) -> np.ndarray:
        named = [int(y) for y in claim.years]
        bonus = np.zeros(len(self.year))
        if claim.periods:
            key = claim.periods
            if key not in self._bonus_cache:
                vector = np.array([self._period_bonus(claim, p) for p in self.period_names])[self.period_id]
                ranges = self._month_ranges(claim)
                if ranges:
                    inside = np.zeros(len(vector), bool)
                    for a, b in ranges:
                        inside |= (self.win_lo > 0) & (self.win_lo <= b) & (self.win_hi >= a)
                    vector = np.where(inside, 2.0, vector)
                self._bonus_cache[key] = vector
            bonus = self._bonus_cache[key]
        if named:
            return np.where(np.isin(self.year, named), 3.0, -3.0) + bonus
        if claim.context_years or claim.cited_years:
            return np.where(np.isin(self.year, [int(y) for y in claim.context_years + claim.cited_years]), 1.0, -0.5) + bonus
        return bonus

    def _agree_vector(self, claim: Claim) -> np.ndarray:
        """Which rows' published intervals overlap the printed number's (as Printed.agrees decides)."""
        own = text_interval(claim.value, claim.qualifier, claim.decimals, claim.value_printed)
        lo, hi = self.lo, self.hi
        if own.lo == own.hi:
            return (lo - 1e-9 <= own.lo) & (own.lo <= hi + 1e-9)
        point = lo == hi
        inside = (own.lo - 1e-9 <= lo) & (lo <= own.hi + 1e-9)
        overlap = np.maximum(own.lo, lo) < np.minimum(own.hi, hi) - 1e-12
        agree = np.where(point, inside, overlap)
        # a published bound ('more than 116 million') confirms only a number printed at that bound
        bound = np.isinf(lo) | np.isinf(hi)
        return agree & (~bound | ((own.lo - 1e-9 <= self.value) & (self.value <= own.hi + 1e-9)))

    def _finish(self, claim: Claim, c: Candidate, p: Printed, rows: list[int]) -> Candidate:
        c.agrees = p.agrees(c.interval)
        c.bound = math.isinf(c.interval.lo) or math.isinf(c.interval.hi)
        c.consistent = c.agrees
        if c.bound:  # a published bound confirms only the same bound printed
            c.agrees = c.agrees and p.agrees(Interval(c.value, c.value))
        c.named_part = all(self.named[i] for i in rows)
        # a large count agreeing is rarely a coincidence (percentages and small numbers often are)
        if c.agrees and claim.kind in ("count", "money") and p.value >= 100 and p.qualifier in ("exact", "rounded"):
            c.relevance += 1.0
        # among figures the sentence identifies equally well, the nearest to the number printed
        if c.value > 0 and p.value > 0:
            c.relevance -= 0.3 * min(abs(math.log10(c.value / p.value)), 3.0)
        c.exact = p.qualifier == "exact" and abs(p.value - c.value) < 1e-9 and c.interval.lo == c.interval.hi
        if not c.exact and p.qualifier == "exact" and abs(p.value - c.value) < 1e-9:
            c.exact = True  # the publisher rounded as the text does: same number printed
        first = rows[0]
        indicator = self.ind[first]
        m = self.meta[indicator]
        sign = compatible_measures(claim.unit, c.measure)
        if self._topics[0] is not claim:
            self._topics = (claim, {k for k, rx in TOPICS.items() if re.search(rx, claim.window, re.I)})
        topics = self._topics[1]
        if sign < 0:
            c.conflict = ("measure", c.measure, claim.unit)
        elif topics and m["topics"] and not topics & m["topics"]:
            c.conflict = ("topic", tuple(sorted(m["topics"])), tuple(sorted(topics)))
        elif claim.kind == "rank" and claim.scope and self.scope[first] and claim.scope != self.scope[first]:
            c.conflict = ("scope", self.scope[first], claim.scope)
        elif claim.cumulative and not m["cumulative"] and c.computed != "sum":
            c.conflict = ("one_period",)
        elif m["cumulative"] and not claim.cumulative and not claim.since:
            c.conflict = ("running_total",)
        elif claim.since and not c.computed and not m["cumulative"] and len(rows) == 1 and \
                self.per[first][:4] == claim.since:
            c.conflict = ("since", claim.since)
        return c

    def _direct(self, claim: Claim, i: int, base: float, p: Printed, as_fold: bool = False) -> Candidate:
        interval = Interval(self.lo[i], self.hi[i])
        value = float(self.value[i])
        if as_fold:
            value, interval = 1 + value / 100, Interval(1 + interval.lo / 100, 1 + interval.hi / 100)
        years = (int(self.year[i]),)
        if self.start_year[i] > 0:
            years = (int(self.start_year[i]), years[0])
        elif self.kind[i] == "change" and len(claim.years) >= 2:
            years = (years[0] - 1, years[0])
        c = Candidate(value, interval, [i], "fold" if as_fold else self.kind[i], self.measure[i],
                      period=self.per[i], spec=("fold_of_change" if as_fold else "direct", i))
        c.relevance = base + self.year_score(claim, years, self.per[i], i)
        if not (claim.years or claim.cited_years or claim.context_years) and self._latest(i):
            c.relevance += 0.6  # no year named: the latest published figure is the one meant
        return self._finish(claim, c, p, [i])

    def _pairs(self, claim: Claim, periods: list[str]) -> list[tuple[str, str]]:
        parts = sorted(p for p in claim.periods if re.fullmatch(r"\d{4}-(?:H[12]|Q[1-4])", p) and p in periods)
        if parts:  # a change between two halves or quarters: those the sentence names, or the year before's
            same = [p for p in parts if p[4:] == parts[-1][4:]]
            pairs = [(same[0], same[-1])] if len(same) >= 2 else []
            before = f"{int(parts[-1][:4]) - 1}{parts[-1][4:]}"
            if before in periods:
                pairs.append((before, parts[-1]))
            return list(dict.fromkeys(pairs))
        yearly = sorted(p for p in periods if re.fullmatch(r"\d{4}", p))
        if len(yearly) < 2:
            return []
        named = sorted({y for y in claim.years if y in yearly})
        pairs = []
        if len(named) >= 2:  # 'between 2019 and 2023': that change and no other
            return [(named[0], named[-1])]
        ends = named[-1:] if named else yearly[-1:]
        for end in ends:
            for span in {1, claim.span or 1, 2}:
                start = str(int(end) - span)
                if start in yearly:
                    pairs.append((start, end))
        if claim.since and claim.since in yearly:
            pairs.append((claim.since, yearly[-1] if not named else named[-1]))
        if claim.base_year in yearly:  # 'a 5% increase from 2022': from that year to the next, or to the one named
            later = [y for y in named if y > claim.base_year] or [str(int(claim.base_year) + 1)]
            pairs = [(claim.base_year, y) for y in later if y in yearly] + pairs
        return list(dict.fromkeys(pairs))

    def _changes(self, claim, shortlist, base, p) -> list[Candidate]:
        out = []
        done = set()
        for i in shortlist:
            key = (self.ind[i], self.geo[i], self.brk[i])
            if key in done:
                continue
            done.add(key)
            series = self.series.get(key, {})
            for y1, y2 in self._pairs(claim, list(series)):
                a, b = series[y1], series[y2]
                value, interval = change_between(self._obs(a), self._obs(b))
                if claim.kind == "fold":
                    value, interval = 1 + value / 100, Interval(1 + interval.lo / 100, 1 + interval.hi / 100)
                c = Candidate(value, interval, [a, b], claim.kind, self.measure[b], period=f"{y1}-{y2}",
                              computed="change", spec=("fold" if claim.kind == "fold" else "change", a, b))
                c.relevance = max(base[a], base[b]) + self.year_score(claim, (int(y1[:4]), int(y2[:4])), y2) - 0.5
                one_year = int(y2[:4]) - int(y1[:4]) == 1 and y1[4:] == y2[4:]
                if one_year and y1[:4] not in claim.years and (claim.versus_previous or (
                        len(set(claim.years)) == 1 and y2[:4] in claim.years)):
                    c.relevance += 2.0  # 'than the year before', 'up 12% in 2023': the start as surely as its year printed
                elif claim.base_year and y1 == claim.base_year:
                    c.relevance += 2.0  # 'a 5% increase from 2022': the start the sentence names
                out.append(self._finish(claim, c, p, [a, b]))
        return out

    def _shares(self, claim, shortlist, base, p) -> list[Candidate]:
        out = []
        for i in shortlist:
            total = None
            if self.brk[i]:
                total = self.totals.get((self.ind[i], self.geo[i], self.per[i]))
            elif self.geo[i] not in ("WLD", "EU27", "EUR"):
                total = self.totals.get((self.ind[i], "WLD", self.per[i]))
            if total is None or self.value[total] <= 0:
                continue
            interval = (Interval(self.lo[i], self.hi[i]) / Interval(self.lo[total], self.hi[total])).scale(100)
            value = self.value[i] / self.value[total] * 100
            c = Candidate(value, interval, [i, total], "percent", self.measure[i], period=self.per[i], computed="share",
                          spec=("share", i, total))
            c.relevance = base[i] + self.year_score(claim, (int(self.year[i]),), self.per[i]) - 0.5
            out.append(self._finish(claim, c, p, [i, total]))
        return out

    @staticmethod
    def _days(period: str) -> tuple[float, float]:
        """(days, months) a period covers: 2023, 2023-H1, 2023-Q2, 2023-06."""
        year = int(period[:4])
        if re.fullmatch(r"\d{4}", period):
            return (366.0 if calendar.isleap(year) else 365.0), 12.0
        m = re.fullmatch(r"\d{4}-H([12])", period)
        if m:
            months = range(1, 7) if m.group(1) == "1" else range(7, 13)
            return float(sum(calendar.monthrange(year, k)[1] for k in months)), 6.0
        m = re.fullmatch(r"\d{4}-Q([1-4])", period)
        if m:
            q = int(m.group(1))
            return float(sum(calendar.monthrange(year, k)[1] for k in range(3 * q - 2, 3 * q + 1))), 3.0
        m = re.fullmatch(r"\d{4}-(\d{2})", period)
        if m:
            return float(calendar.monthrange(year, int(m.group(1)))[1]), 1.0
        return 0.0, 0.0

    def _rates(self, claim, shortlist, base, p) -> list[Candidate]:
        out = []
        for i in shortlist:
            period = self.per[i]
            days, months = self._days(period)
            per = {"day": days, "week": days / 7, "month": months, "year": months / 12}.get(claim.rate, 0)
            if not per:
                continue
            k = 1 / per
            interval = Interval(self.lo[i], self.hi[i]).scale(k)
            c = Candidate(self.value[i] * k, interval, [i], "count", self.measure[i], period=period, computed="rate",
                          spec=("rate", i, per, claim.rate))
            c.relevance = base[i] + self.year_score(claim, (int(self.year[i]),), period) - 0.5
            out.append(self._finish(claim, c, p, [i]))
        return out

    def _yearly_from_rates(self, claim, shortlist, base, p) -> list[Candidate]:
        out = []
        for i in shortlist:
            period = self.per[i]
            k = 366.0 if calendar.isleap(int(self.year[i])) else 365.0
            interval = Interval(self.lo[i], self.hi[i]).scale(k)
            c = Candidate(self.value[i] * k, interval, [i], "count", self.measure[i], period=period, computed="rate",
                          spec=("yearly", i, k))
            c.relevance = base[i] + self.year_score(claim, (int(self.year[i]),), period) - 0.5
            out.append(self._finish(claim, c, p, [i]))
        return out

    def _sums(self, claim, shortlist, base, p) -> list[Candidate]:
        out = []
        years = sorted(int(y) for y in claim.years)
        first = int(claim.since) if claim.since else years[0]
        last = years[-1] if years and years[-1] > first else None
        done = set()
        for i in shortlist:
            key = (self.ind[i], self.geo[i], self.brk[i])
            series = self.series.get(key, {})
            if key in done or last is None:
                continue
            done.add(key)
            wanted = [str(y) for y in range(first, last + 1)]
            if not all(y in series for y in wanted):
                continue
            rows = [series[y] for y in wanted]
            value = float(sum(self.value[j] for j in rows))
            interval = Interval(float(sum(self.lo[j] for j in rows)), float(sum(self.hi[j] for j in rows)))
            c = Candidate(value, interval, rows, "count", self.measure[i], period=f"{first}-{last}", computed="sum",
                          spec=("sum", tuple(rows), first, last))
            c.relevance = base[i] + 3.0 - 0.5
            out.append(self._finish(claim, c, p, rows))
        return out

    def _obs(self, i: int) -> dict:
        return {"value": self.value[i], "qualifier": self.qual[i]}

    # --- verdicts -------------------------------------------------------------------------------
    def check(self, claim: Claim) -> dict:
        cands = self.candidates(claim)
        agreeing = [c for c in cands if c.agrees]
        best_agree = max(agreeing, key=lambda c: c.relevance, default=None)
        fitting = [c for c in cands if not c.conflict and not (c.bound and c.consistent)]
        best_fit = max(fitting, key=lambda c: c.relevance, default=None)
        row = {"line": claim.line, "sentence": claim.sentence, "value_printed": claim.value_printed,
               "value": format_value(round(claim.value, 6)), "published_value": "", "indicator": "", "geography": "",
               "period": "", "source_id": "", "source_url": ""}
        pinned = best_fit is not None and best_fit.relevance >= PINNED and not best_fit.agrees and \
            self._pinned(claim, best_fit) and not self._ambiguous(best_fit, fitting)
        if best_agree is not None and best_agree.relevance >= self._identified(claim, best_agree) and not (
                pinned and best_fit.relevance > best_agree.relevance + MARGIN):
            c = best_agree
            verdict = MEASURE if c.conflict else MATCHES if c.exact else ROUNDED
        elif pinned:
            c, verdict = best_fit, DIFFERS
        else:
            closest = max((x for x in (best_fit, best_agree) if x is not None and x.relevance >= CLOSE),
                          key=lambda x: x.relevance, default=None)
            explanation = (self._explain_abstention(claim, closest, "") if closest is not None
                           else self._explain(claim, None, NONE))
            return {**row, "verdict": NONE, "explanation": explanation}
        if verdict in (DIFFERS, MEASURE):
            missing = self._undetermined(claim, c, verdict)
            if missing:  # saying a text is wrong needs every slot of the claim known: abstain
                return {**row, "verdict": NONE, "explanation": self._explain_abstention(claim, c, missing)}
        return {**row, **self._published(c), "verdict": verdict, "explanation": self._explain(claim, c, verdict)}

    def _identified(self, claim: Claim, c: Candidate) -> float:
        """How well a published figure must be identified to say the number matches it: less for a
        large count of the measure the sentence names, in the year it names, printed to its rounding
        (36,2 millions of reports in 2022 is rarely a coincidence), than for a small number or a share."""
        first = c.rows[-1]
        large = claim.kind == "count" and claim.value >= 1e5 and not c.computed and not c.conflict
        if large and compatible_measures(claim.unit, c.measure) > 0 and str(self.year[first]) in claim.years:
            return IDENTIFIED - 2.0
        return IDENTIFIED

    def _undetermined(self, claim: Claim, c: Candidate, verdict: str) -> str:
        """'' when organisation, measure, period and place of the claim are all determined (by the
        sentence, or carried from its paragraph) and agree with the figure `c`; else what is not."""
        first = c.rows[-1]
        if c.computed in ("share", "rate", "sum"):
            return "computed"
        if not (set(claim.orgs) | set(claim.context_orgs)) & self.orgs[first]:
            return "organisation"
        if claim.kind in ("count", "money") and not claim.unit:
            return "measure"
        if not (claim.periods or claim.years or claim.cited_years):
            return "period"
        if verdict == DIFFERS and not all(self.heads_said[i] and self.named_all[i] and self._distinct_said(claim, i)
                                          for i in c.rows):
            return "measure"  # a narrower series (one platform, one topic) than the words say
        if CHANGE_OF.search(claim.window[:claim.window.find(claim.value_printed)] if claim.value_printed in claim.window else ""):
            return "comparison"  # 'a reduction of 6.9 million': a difference, not a level
        geo = self.geo[first]
        if geo not in ("WLD", "EU27", "EUR"):
            if geo not in claim.geos and geo not in claim.context_geos and self.many_geos[first]:
                return "place"
        elif set(claim.geos) - {"WLD", "EU27", "EUR"}:
            return "place"
        if verdict == DIFFERS and ((claim.qualifier == "at_least" and c.value >= claim.value) or
                                   (claim.qualifier == "at_most" and c.value <= claim.value)):
            return "bound"  # 'more than 2 million' is true of 20 million
        if c.conflict[:1] in (("one_period",), ("running_total",)) and not claim.since:
            return "period"  # 'in total' rarely means since the start
        return ""

    def _distinct_said(self, claim: Claim, i: int) -> bool:
        """At least half the words that set the row's indicator apart (iwf_ai_forum_images_criminal:
        ai, forum, criminal) are in the words around the number."""
        words = self.distinct.get(self.ind[i])
        if words is None:
            org_words = {"iwf", "ncmec", "cybertipline", "ofmin", "pc", "pdc", "oclctic", "pharos", "pq", "gpcep"}
            words = set(keywords(self.ind[i].replace("_", " "))) - FORMAL - org_words - set(UNIT_WORDS) - set(MEASURE_PRIORITY)
            self.distinct[self.ind[i]] = words
        return not words or 2 * len(words & set(keywords(claim.window))) >= len(words)

    def _ambiguous(self, best: Candidate, fitting: list[Candidate]) -> bool:
        """Another series (a different question, platform or indicator) is almost as well identified."""
        key = (self.ind[best.rows[-1]], self.brk[best.rows[-1]], best.computed)
        return any(c.relevance > best.relevance - 2.0 and (self.ind[c.rows[-1]], self.brk[c.rows[-1]], c.computed) != key
                   and not math.isclose(c.value, best.value, rel_tol=1e-6) for c in fitting if c is not best)

    def _pinned(self, claim: Claim, c: Candidate) -> bool:
        """Organisation, measure and year identify this figure (enough to say the number differs)."""
        first = c.rows[-1]
        orgs = self.orgs[first]
        around = set(claim.context_orgs) if len(set(claim.context_orgs) - set(claim.orgs)) <= 1 else set()
        named = bool((set(claim.orgs) | around) & orgs)
        specific_place = self.geo[first] not in ("WLD", "EU27", "EUR") and self.geo[first] in claim.geos
        measure_ok = compatible_measures(claim.unit, c.measure) > 0 or (claim.kind in ("percent", "change", "fold", "rank")
                                                                         and not claim.unit)
        periods = re.findall(r"\d{4}", c.period)
        if claim.years:
            years_ok = any(y in claim.years for y in periods)
        elif claim.cited_years:  # the cited publication's year, or the year before it
            years_ok = any(int(y) in {int(x) - k for x in claim.cited_years for k in (0, 1)} for y in periods)
        else:
            years_ok = True
        return (named or specific_place) and measure_ok and years_ok and c.named_part

    def _published(self, c: Candidate) -> dict:
        last = c.rows[-1]
        sources = list(dict.fromkeys(self.src[i] for i in c.rows))
        shown = format_value(round(c.value, 2)) if not c.computed else f"{c.value:.4g}" if abs(c.value) < 1000 else format_value(round(c.value))
        return {"published_value": shown, "indicator": self.ind[last], "geography": self.geo[last],
                "period": c.period, "source_id": ";".join(sources), "source_url": self.url.get(sources[-1], "")}

    # --- explanations (analysis.checker.explain words them) ------------------------------------------
    def _figure(self, i: int, lang: str) -> str:
        return self.wording.figure(self.ind[i], self.geo[i], self.per[i], self.brk[i], lang)

    def _words(self, c: Candidate, lang: str) -> str:
        """The published or computed value, what it is and where it comes from, in `lang`."""
        fr = lang == "fr"
        n = lambda v: explain.number(v, lang)  # noqa: E731
        kind, *args = c.spec
        if kind in ("direct", "fold_of_change"):
            return f"{n(c.value)} ({self._figure(args[0], lang)})"
        if kind in ("change", "fold"):
            a, b = args
            label = self.wording.figure(self.ind[b], self.geo[b], "", self.brk[b], lang).replace(", , ", ", ").rstrip(", ")
            pa, pb = explain.period_words(self.per[a], lang), explain.period_words(self.per[b], lang)
            if kind == "fold":
                return (f"un multiple de {n(c.value)} de {label}, de {n(self.value[a])} ({pa}) à {n(self.value[b])} ({pb})" if fr
                        else f"the multiple of {n(c.value)} in {label} from {n(self.value[a])} ({pa}) to {n(self.value[b])} ({pb})")
            pct = explain.number(c.value, lang) + ("\u202f%" if fr else "%")
            return (f"une variation de {pct} de {label}, de {n(self.value[a])} ({pa}) à {n(self.value[b])} ({pb})" if fr
                    else f"the change in {label} of {pct}, from {n(self.value[a])} ({pa}) to {n(self.value[b])} ({pb})")
        if kind == "share":
            i, total = args
            pct = explain.number(c.value, lang) + ("\u202f%" if fr else "%")
            return (f"{pct}, la part de {n(self.value[i])} ({self._figure(i, lang)}) dans {n(self.value[total])} "
                    f"({self._figure(total, lang)})" if fr else
                    f"{pct}, the share of {n(self.value[i])} ({self._figure(i, lang)}) in {n(self.value[total])} "
                    f"({self._figure(total, lang)})")
        if kind == "rate":
            i, per, rate = args
            unit = {"day": ("day", "jour"), "week": ("week", "semaine"), "month": ("month", "mois"),
                    "year": ("year", "an")}[rate][1 if fr else 0]
            return (f"{n(c.value)} par {unit} ({n(self.value[i])}, {self._figure(i, lang)}, divisé par {n(per)})" if fr
                    else f"{n(c.value)} per {unit} ({n(self.value[i])}, {self._figure(i, lang)}, divided by {n(per)})")
        if kind == "yearly":
            i, k = args
            return (f"{n(c.value)} par an ({n(self.value[i])} par jour, {self._figure(i, lang)}, multiplié par {n(k)})" if fr
                    else f"{n(c.value)} a year ({n(self.value[i])} a day, {self._figure(i, lang)}, times {n(k)})")
        rows, first, last = args
        label = self.wording.figure(self.ind[rows[0]], self.geo[rows[0]], "", self.brk[rows[0]], lang).rstrip(", ")
        return (f"{n(c.value)} (somme de {label}, {first}-{last})" if fr else f"{n(c.value)} (sum of {label}, {first}-{last})")

    def _explain(self, claim: Claim, c: Candidate | None, verdict: str) -> str:
        lang = claim.lang if claim.lang in ("en", "fr") else "en"
        fr = lang == "fr"
        printed_text = claim.value_printed
        if c is None:
            named = ", ".join(claim.orgs or claim.context_orgs) or ("aucun organisme" if fr else "no organisation")
            years = ", ".join(explain.period_words(p, lang) for p in claim.periods or claim.years) or (
                "aucune période" if fr else "no period")
            return (f"Aucun chiffre publié de la table n'est identifié par la phrase ({named} ; {years}) et en accord avec "
                    f"{printed_text}." if fr else
                    f"No published figure in the tidy table is identified by the sentence ({named}; {years}) and agrees "
                    f"with {printed_text}.")
        who = self.wording.cited([self.src[i] for i in c.rows])
        what = self._words(c, lang)
        if verdict == MATCHES:
            return f"{who} publie {what}, le nombre imprimé." if fr else f"{who} publishes {what}, the number printed."
        if verdict == ROUNDED:
            return (f"{who} publie {what}, dans l'arrondi de « {printed_text} »." if fr else
                    f"{who} publishes {what}, within the rounding of '{printed_text}'.")
        if verdict == MEASURE:
            reason = self.wording.conflict(c.conflict, lang)
            return f"{who} publie {what}, mais {reason}." if fr else f"{who} publishes {what}, but {reason}."
        return (f"{who} publie {what}, hors de l'arrondi de « {printed_text} »." if fr else
                f"{who} publishes {what}, outside the rounding of '{printed_text}'.")

    def _explain_abstention(self, claim: Claim, c: Candidate, missing: str) -> str:
        lang = claim.lang if claim.lang in ("en", "fr") else "en"
        who = self.wording.cited([self.src[i] for i in c.rows])
        reason = self.wording.missing(missing, lang)
        return (f"Aucun chiffre publié n'est assez bien identifié pour juger {claim.value_printed} ({reason}) ; le plus "
                f"proche est {self._words(c, lang)}, publié par {who}." if lang == "fr" else
                f"No published figure is identified well enough to judge {claim.value_printed} ({reason}); the closest is "
                f"{self._words(c, lang)}, published by {who}.")


# 'a drop of N', 'up by N', 'une hausse de N': the number is a difference between two periods
CHANGE_OF = re.compile(r"(?i)\b(?:(?:reduction|decrease|decline|drop|fall|rise|increase|growth|jump|surge)\s+(?:of|by)|"
                       r"(?:down|up|fell|rose|grew|increased|decreased|declined|dropped)\s+by|"
                       r"(?:hausse|baisse|augmentation|diminution|progression|recul)\s+(?:de|d['’]))\s*(?:about|some|près de|"
                       r"environ|more than|plus de)?\s*$")


# --- running a check ------------------------------------------------------------------------------


def _registries(paths: Paths) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sources and indicators as the last build flattened them (data/processed), else from the YAML."""
    sources_csv, indicators_csv = paths.processed / "sources.csv", paths.processed / "indicators.csv"
    if sources_csv.exists() and indicators_csv.exists():
        sources = pd.read_csv(sources_csv, dtype=str, keep_default_na=False).set_index("source_id")
        indicators = pd.read_csv(indicators_csv, dtype=str, keep_default_na=False).set_index("id")
        return sources, indicators
    return load_sources(paths), load_indicators(paths)


_INDEX: dict[tuple, Index] = {}


def index(paths: Paths | None = None) -> Index:
    """The look-up index for the processed observations (built once per process)."""
    paths = paths or default_paths()
    key = (str(paths.root), str(paths.out))
    if key not in _INDEX:
        _INDEX[key] = Index(paths=paths)
    return _INDEX[key]


PARALLEL_FROM = 3000  # claims; below this, starting workers costs more than it saves


def check_claims(claims: list[Claim], idx: Index | None = None) -> pd.DataFrame:
    """Each claim's verdict; a long document's claims are shared among the cores (forked workers
    inherit the index, so it is built once), in order."""
    idx = idx or index()
    workers = min(os.cpu_count() or 1, 8)
    if len(claims) < PARALLEL_FROM or workers < 2 or not hasattr(os, "fork"):
        return pd.DataFrame([idx.check(c) for c in claims], columns=COLUMNS)
    return pd.DataFrame(_forked_rows(idx, claims, workers), columns=COLUMNS)


def _forked_rows(idx: Index, claims: list[Claim], workers: int) -> list[tuple]:
    """Each worker, forked with the index and the claims, checks one slice and sends its rows back
    through a pipe; the rows come back in order. Forked by hand, not with multiprocessing.Pool: on
    Ctrl-C this process kills its workers and waits for them, with no pool threads to wait on
    (a Pool interrupted while starting could hang). SIGINT is held while forking (inside fork's own
    handlers Python would swallow it) and ignored by the workers: Ctrl-C is this process's."""
    import pickle

    size = -(-len(claims) // workers)
    kids: list[tuple[int, int]] = []
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        for k in range(workers):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker
                status = 1
                try:
                    signal.signal(signal.SIGINT, signal.SIG_IGN)
                    signal.pthread_sigmask(signal.SIG_SETMASK, held)
                    os.close(read_end)
                    rows = [tuple(row[c] for c in COLUMNS) for row in (idx.check(c) for c in claims[k * size:(k + 1) * size])]
                    with os.fdopen(write_end, "wb") as pipe:
                        pickle.dump(rows, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                    status = 0
                finally:
                    os._exit(status)
            os.close(write_end)
            kids.append((pid, read_end))
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a Ctrl-C held until now is raised here
        rows: list[tuple] = []
        for n, (pid, read_end) in enumerate(kids):
            kids[n] = (pid, -1)  # the pipe is closed when read: never closed twice
            with os.fdopen(read_end, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
            kids[n] = (-1, -1)  # reaped: its pid may be another process's now
            if status != 0 or not data:
                raise RuntimeError("a check worker process was killed (by a signal, or for lack of memory)")
            rows.extend(pickle.loads(data))
        return rows
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        for pid, read_end in kids:
            if pid > 0:
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass
            if read_end >= 0:
                os.close(read_end)
        raise


def check_text(text: str, lang: str | None = None, idx: Index | None = None, markdown: bool = True,
               today=None) -> pd.DataFrame:
    """Check the numbers of a text given as a string (`today`: its date, as in check_file)."""
    return check_claims(find_claims(text.split("\n"), lang, markdown=markdown, today=today), idx)


def check_file(path: Path | str, lang: str | None = None, idx: Index | None = None, today=None) -> pd.DataFrame:
    """Check every number of a .txt, .md, .pdf or .docx file; raises DataError if it cannot be read.
    `today` (a date): the text's date, for 'this year' and 'last year' (its dateline when None)."""
    claims, _ = claims_in_file(path, lang, today)
    return check_claims(claims, idx)


# --- the report as a test: agreement with the curated ledger --------------------------------------

LEDGER_COMPARED = {"matches", "matches after rounding", "differs", "different measure"}
LEDGER_ARITHMETIC = {"internal arithmetic holds", "internal arithmetic fails"}
# The ledger's dates, years and durations in years ('founded more than 45 years ago'): facts of
# the calendar, checked by the ledger at printed precision, not statistics for the text check.
NOT_CLAIMS = {"date", "year", "years_duration"}


def report_text_path(paths: Paths | None = None) -> Path:
    """The report's text (shared/report beside the clone; ANALYSIS_REPORT_TEXT overrides it)."""
    import os

    env = os.environ.get("ANALYSIS_REPORT_TEXT")
    if env:
        return Path(env)
    paths = paths or default_paths()
    return paths.root.parent / "shared" / "report" / REPORT_TEXT


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def ledger_comparison(auto: pd.DataFrame, paths: Paths | None = None) -> pd.DataFrame:
    """Each rule-decided claim of the ledger beside the automatic row for the same line and value.

    Columns: claim_id, line, value_printed, unit, ledger_verdict, automatic_verdict, automatic_value_printed,
    in_scope (a statistical claim: not a date or a year), compared (the ledger verdict compares with a
    publication: not internal arithmetic), agree (same verdict), both_supported (both say supported, or
    both say not supported), why."""
    from analysis.claims import MANUAL, load_claim_checks, load_claims

    paths = paths or default_paths()
    claims = load_claims(paths)
    ledger = load_claim_checks(paths).set_index("claim_id")
    auto = auto.assign(_v=pd.to_numeric(auto["value"], errors="coerce"), _line=auto["line"].astype(int))
    rows = []
    for c in claims.itertuples():
        verdict = ledger.at[c.claim_id, "verdict"]
        if verdict in MANUAL:
            continue
        found = [n for n in _numbers(c.value_printed)]
        line = int(c.line)
        here = auto[auto["_line"] == line]
        hit = None
        for v in found:
            same = here[here["_v"].map(lambda x: _same_value(x, v))]
            if len(same):
                hit = same.iloc[0]
                break
        auto_verdict = hit["verdict"] if hit is not None else ""
        in_scope = c.unit not in NOT_CLAIMS
        compared = verdict in LEDGER_COMPARED
        supported_ledger = verdict in {"matches", "matches after rounding", "internal arithmetic holds"}
        supported_auto = auto_verdict in SUPPORTED
        if hit is None:
            why = f"no number {c.value_printed!r} found at line {line}" + ("" if in_scope else " (a date or year: not a claim)")
        elif auto_verdict == verdict:
            why = "same verdict"
        else:
            why = f"ledger: {ledger.at[c.claim_id, 'explanation']} | automatic: {hit['explanation']}"
        rows.append({"claim_id": c.claim_id, "line": line, "value_printed": c.value_printed, "unit": c.unit,
                     "ledger_verdict": verdict, "automatic_verdict": auto_verdict,
                     "automatic_value_printed": hit["value_printed"] if hit is not None else "",
                     "in_scope": in_scope, "compared": compared, "agree": auto_verdict == verdict,
                     "both_supported": hit is not None and supported_ledger == supported_auto, "why": why})
    return pd.DataFrame(rows)


def _numbers(text: str) -> list[float]:
    from analysis.textclaims import printed_values

    return printed_values(text)


def agreement(comparison: pd.DataFrame) -> dict:
    """Agreement figures on the ledger's rule-decided statistical claims (dates and years left out).

    strict: same verdict, over claims the ledger compares with a publication;
    supported: both say the number is supported (matches, matches after rounding, or for the
    ledger internal arithmetic holds) or both say it is not, over all rule-decided statistical claims."""
    scoped = comparison[comparison["in_scope"]]
    compared = scoped[scoped["compared"]]
    return {"claims": len(comparison), "dates_and_years_left_out": int((~comparison["in_scope"]).sum()),
            "compared": len(compared), "strict_agree": int(compared["agree"].sum()),
            "strict": float(compared["agree"].mean()) if len(compared) else float("nan"),
            "with_arithmetic": len(scoped), "supported_agree": int(scoped["both_supported"].sum()),
            "supported": float(scoped["both_supported"].mean()) if len(scoped) else float("nan"),
            "found": int((scoped["automatic_verdict"] != "").sum())}


def disagreements(auto: pd.DataFrame | None = None, paths: Paths | None = None) -> pd.DataFrame:
    """The ledger's rule-decided statistical claims where the automatic check says otherwise: claim id, ledger
    verdict, automatic verdict and why (for notebook 06). A claim the ledger decides by the report's own
    arithmetic counts as a disagreement when the two differ on whether the number is supported."""
    paths = paths or default_paths()
    if auto is None:
        auto = check_file(report_text_path(paths), "en", index(paths))
    return _disagreeing(ledger_comparison(auto, paths))


def _disagreeing(comp: pd.DataFrame) -> pd.DataFrame:
    differ = (comp["compared"] & ~comp["agree"]) | (~comp["compared"] & ~comp["both_supported"])
    scoped = comp[comp["in_scope"] & differ]
    return scoped[["claim_id", "ledger_verdict", "automatic_verdict", "why"]].reset_index(drop=True)


# --- command line ---------------------------------------------------------------------------------


def run(path: Path, lang: str | None = None, out: Path | None = None, html_path: Path | None = None, today=None,
        text: str | None = None) -> tuple[str, pd.DataFrame]:
    """`python -m analysis check FILE` (or `-`, with the text given): check a document, write the CSV
    and HTML asked for (atomically), return (what to print, the table)."""
    from analysis.checker import output

    if text is None:
        claims, lang = claims_in_file(path, lang, today)
    else:
        from analysis.textclaims import detect_language

        lang = lang or detect_language(text)
        claims = find_claims(text.split("\n"), lang, today=today)
    table = check_claims(claims)
    lang = lang if lang in ("en", "fr") else "en"
    if out is not None:
        output.write_atomically(out, table.to_csv(index=False))
    if html_path is not None:
        output.write_atomically(html_path, output.html_page(table, Path(path).name if text is None else "stdin", lang))
    shown = output.terminal_table(table, lang)
    return f"{path}: {output.summary(table, lang)}" + (f"\n\n{shown}" if shown else ""), table


def bench(paths: Paths | None = None, scale_sizes: tuple[int, ...] = (10_000, 100_000)) -> str:
    """Wall time of `python -m analysis check` on the report's text, as users run it (with Python start-up)."""
    import os
    import subprocess
    import sys
    import tempfile
    import time

    paths = paths or default_paths()
    report = report_text_path(paths)
    if not report.exists():
        return f"{report}: the report's text is absent (shared/report beside the clone); nothing to time"
    with tempfile.TemporaryDirectory(prefix="analysis-bench-check-") as tmp:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "analysis", "check", str(report), "--out", str(Path(tmp) / "check.csv"),
                               "--html", str(Path(tmp) / "check.html")], capture_output=True, text=True,
                              env={**os.environ}, check=False)
        wall = time.perf_counter() - start
    if done.returncode != 0:
        return f"check failed ({done.returncode}): {done.stderr.strip()}"
    size = report.stat().st_size / 1000
    lines = [done.stdout.strip().splitlines()[0],
             f"check on {report.name} ({size:.0f} kB): {wall:.2f} s wall time on {os.cpu_count()} cores "
             f"(target: under 3 s; includes starting Python and imports)"]
    for numbers in scale_sizes:
        lines.append(_bench_scale(numbers))
    return "\n".join(lines)


BENCH_SENTENCES = [
    "In {year} NCMEC's CyberTipline received {n} reports, according to the organisation's yearly figures.",
    "The Internet Watch Foundation confirmed {n} webpages in {year}, its analysts said in their report.",
    "L'OFMIN a reçu {n} signalements en {year}, selon les chiffres publiés par l'office.",
    "About {n}% of the respondents of the {year} survey said they had searched for help, the authors wrote.",
]


def _bench_scale(numbers: int) -> str:
    """`check` on a generated text of `numbers` numbers (about 100 bytes each, a paragraph per 10
    sentences): wall time and the peak memory of the process."""
    import random
    import resource
    import subprocess
    import sys
    import tempfile
    import time

    rng = random.Random(numbers)
    with tempfile.TemporaryDirectory(prefix="analysis-bench-scale-") as tmp:
        text = Path(tmp) / "long.txt"
        with text.open("w", encoding="utf-8") as f:
            for k in range(numbers):
                f.write(rng.choice(BENCH_SENTENCES).format(n=f"{rng.randint(10, 99999):,}", year=rng.randint(2019, 2024)))
                f.write("\n\n" if k % 10 == 9 else " ")
        size = text.stat().st_size
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "analysis", "check", str(text), "--out", str(Path(tmp) / "out.csv")],
                              capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # MiB (Linux reports KiB)
    if done.returncode != 0:
        return f"{numbers:,} numbers: check failed ({done.returncode}): {done.stderr.strip()}"
    return (f"check on a generated text of {size / 1e6:.1f} MB with {numbers:,} numbers: {wall:.1f} s wall time, "
            f"{wall / numbers * 1000:.2f} ms per number, peak memory {peak:.0f} MiB (largest process)")


_REPORT_RUN: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}


def report_comparison(paths: Paths | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(automatic rows for the report's text, comparison with the ledger); empty frames when the text is absent."""
    paths = paths or default_paths()
    text = report_text_path(paths)
    key = str(text)
    if key not in _REPORT_RUN:
        if not text.exists():
            return pd.DataFrame(columns=COLUMNS), pd.DataFrame()
        auto = check_file(text, "en", index(paths))
        _REPORT_RUN[key] = (auto, ledger_comparison(auto, paths))
    return _REPORT_RUN[key]


def agreement_text(paths: Paths | None = None) -> str:
    """A Markdown paragraph: how often the automatic check agrees with the curated ledger (for notebook 06)."""
    auto, comp = report_comparison(paths)
    if comp.empty:
        return f"The report's text ({REPORT_TEXT}) is not beside the clone, so the automatic check was not run."
    a = agreement(comp)
    counts = ", ".join(f"{n} {v}" for v, n in auto["verdict"].value_counts().items())
    return (f"The automatic check finds {len(auto)} numbers in the report's text ({counts}). "
            f"Of the ledger's {a['compared']} rule-decided claims that compare a number with a publication, it gives "
            f"the same verdict for {a['strict_agree']} ({a['strict']:.0%}). Counting the report's internal arithmetic as "
            f"well ({a['with_arithmetic']} claims), both say whether the number is supported for {a['supported_agree']} "
            f"({a['supported']:.0%}). The ledger's {a['dates_and_years_left_out']} dates and years are not statistical "
            f"claims for the text check and are left out.")


def report_disagreements(paths: Paths | None = None) -> pd.DataFrame:
    """The ledger's rule-decided statistical claims where the automatic check on the report says otherwise."""
    auto, comp = report_comparison(paths)
    if comp.empty:
        return pd.DataFrame(columns=["claim_id", "ledger_verdict", "automatic_verdict", "why"])
    return _disagreeing(comp)  # the comparison report_comparison already made
