"""Period phrases of a sentence, English and French, as the table's periods: `2025`, `2025-H1`,
`2024-Q3`, `2024-06`; relative phrases ("this year", "l'an dernier", "the same period last
year") resolved against the text's date. Standard library only.

`periods_in(sentence, today)` gives the periods the sentence states, in the order they appear,
each with how it was stated (`stated`, or `relative` when resolved against the date). A half,
quarter or month named without a year takes the year named next to it, else the sentence's
only year, else (with "this year") the date's. A year alone is a whole year only where no half,
quarter or month of it is named in the same phrase.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

YEAR = r"(?:19[89]\d|20\d\d)"
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_OF_YEAR = rf"(?:\s+(?:of\s+|de\s+l['’]année\s+|de\s+l['’]an\s+|de\s+|d['’]|en\s+)?(?P<year>{YEAR}|this year|last year|cette année|l['’]an dernier|l['’]année dernière|l['’]an passé|l['’]année passée))?"

_FIRST = r"(?:first|1st|premi(?:er|ère)|1er|1re)"
_SECOND = r"(?:second|2nd|last|deuxième|second|seconde|2e|dernier|dernière)"
_HALF_PATTERNS = [
    (rf"\b(?:the\s+|la\s+|le\s+)?{_FIRST}\s+(?:half|six months|semestre|moitié|six mois)", "H1"),
    (r"\b(?:the\s+|la\s+|le\s+|les\s+)?(?:six|6)\s+premiers\s+mois", "H1"),
    (rf"\b(?:the\s+|la\s+|le\s+)?{_SECOND}\s+(?:half|six months|semestre|moitié|six mois)", "H2"),
    (r"\b(?:the\s+|les\s+)?(?:six|6)\s+derniers\s+mois", "H2"),
    (r"\bH([12])\b", None),
    (r"\b(?:(?:between|from|de|entre)\s+)?(?:january|janvier)\s*(?:-|–|to|through|and|à|au|et)\s*(?:june|juin)", "H1"),
    (r"\b(?:(?:between|from|de|entre)\s+)?(?:july|juillet)\s*(?:-|–|to|through|and|à|au|et)\s*(?:december|décembre)", "H2"),
]
_QUARTERS = {"first": 1, "1st": 1, "premier": 1, "second": 2, "2nd": 2, "deuxième": 2, "third": 3, "3rd": 3,
             "troisième": 3, "fourth": 4, "4th": 4, "quatrième": 4, "dernier": 4, "last": 4}
_QUARTER = rf"(?:\b(?:the\s+|le\s+)?(?P<q>{'|'.join(_QUARTERS)})\s+(?:quarter|trimestre)|\bQ(?P<qn>[1-4])\b)"
_LAST = (r"last year|l['’]an dernier|l['’]année dernière|l['’]an passé|l['’]année passée|l['’]année précédente|"
         r"the previous year|the year before")
_SAME_PERIOD = re.compile(
    r"(?i)\b(?:(?:at\s+)?the\s+same\s+(?:period|time|point)|over\s+the\s+same\s+period|in\s+the\s+same\s+period|"
    r"(?:sur|pour|à|a)\s+la\s+même\s+période|à\s+la\s+même\s+époque|au\s+même\s+moment)\b"
    rf"(?:\s*,?\s*(?:of\s+|in\s+|en\s+|de\s+)?(?:(?P<year>{YEAR})|(?P<last>{_LAST})))?")
_THIS_YEAR = re.compile(r"(?i)\b(?:this year|so far this year|cette année|depuis le début de l['’]année|"
                        r"since the start of the year|since the beginning of the year|year to date)\b")
_LAST_YEAR = re.compile(rf"(?i)\b(?:{_LAST})\b")
_YEAR_RE = re.compile(rf"(?<![\d.,]){YEAR}(?![\d.,]\d|\d)")


@dataclass(frozen=True)
class Period:
    period: str  # '2025-H1', '2024', '2024-Q3', '2024-06'
    how: str  # 'stated' or 'relative' (resolved against the text's date)
    start: int  # offset in the sentence


def _year_of(word: str | None, today: date | None) -> tuple[str | None, str]:
    if not word:
        return None, "stated"
    if re.fullmatch(YEAR, word):
        return word, "stated"
    if today is None:
        return None, "relative"
    w = word.lower()
    if w in ("this year", "cette année"):
        return str(today.year), "relative"
    return str(today.year - 1), "relative"


def periods_in(sentence: str, today: date | None = None, default_year: str | None = None,
               before: str | None = None) -> list[Period]:
    """The periods a sentence states; `default_year` is the year a half named alone belongs to
    when the sentence names no year (the paragraph's); `before` the period of the sentence before
    (what "the same period" refers to when the sentence names no other)."""
    found: list[Period] = []
    taken: list[tuple[int, int]] = []
    low = sentence

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    years_here = _YEAR_RE.findall(low)
    fallback = years_here[0] if len(set(years_here)) == 1 else None
    if fallback is None and _THIS_YEAR.search(low) and today is not None and not years_here:
        fallback = str(today.year)
    fallback = fallback or default_year

    def part(m: re.Match, suffix: str) -> None:
        year, how = _year_of(m.groupdict().get("year"), today)
        if year is None and len(set(years_here)) >= 2 and not _YEAR_RE.search(low[m.end():m.end() + 24]):
            # 'between January and June, from 292,951 in 2024 to 518,720 in 2025': that half of each year
            for y in _YEAR_RE.finditer(low):
                found.append(Period(f"{y.group(0)}-{suffix}", "stated", y.start()))
                taken.append((y.start(), y.end()))
            taken.append((m.start(), m.end()))
            return
        if year is None:
            # 'the first half of 2025' names the year right after; otherwise the sentence's
            tail = _YEAR_RE.search(low[m.end():m.end() + 24])
            year = tail.group(0) if tail else fallback
            how = "stated" if tail or (year and year in years_here) else "relative"
        if year is None:
            return
        found.append(Period(f"{year}-{suffix}", how, m.start()))
        taken.append((m.start(), m.end()))

    for rx, half in _HALF_PATTERNS:
        for m in re.finditer(rx + _OF_YEAR, low, re.I):
            if free(m.start(), m.end()):
                part(m, half or f"H{m.group(1)}")
    for m in re.finditer(_QUARTER + _OF_YEAR, low, re.I):
        if free(m.start(), m.end()):
            q = _QUARTERS.get((m.group("q") or "").lower()) or int(m.group("qn"))
            part(m, f"Q{q}")
    for m in _SAME_PERIOD.finditer(low):
        if not free(m.start(), m.end()):
            continue
        earlier = [p for p in found if p.start < m.start()] or found
        base = earlier[-1].period if earlier else before
        year = m.group("year")
        if year is None and base is not None:
            year = str(int(base[:4]) - 1)
        if year is not None and base is not None:
            found.append(Period(year + base[4:], "relative", m.start()))
            taken.append((m.start(), m.end()))
        elif year is not None:
            found.append(Period(year, "stated", m.start()))
            taken.append((m.start(), m.end()))
    for m in re.finditer(rf"\b(?:in\s+|en\s+)?(?P<m>{_MONTH})\s+(?P<year>{YEAR})\b", low, re.I):
        if free(m.start(), m.end()) and not re.match(r"\s*\d", low[max(0, m.start() - 3):m.start()][-1:] or "x"):
            found.append(Period(f"{m.group('year')}-{MONTHS[m.group('m').lower()]:02d}", "stated", m.start()))
            taken.append((m.start(), m.end()))
    for m in _YEAR_RE.finditer(low):
        if free(m.start(), m.end()):
            found.append(Period(m.group(0), "stated", m.start()))
    if today is not None:
        for rx, year in ((_THIS_YEAR, today.year), (_LAST_YEAR, today.year - 1)):
            for m in rx.finditer(low):
                if free(m.start(), m.end()):
                    found.append(Period(str(year), "relative", m.start()))
                    taken.append((m.start(), m.end()))
    return sorted(found, key=lambda p: p.start)


DATELINE = re.compile(
    rf"(?i)(?:^|\b)(?:(?P<d>\d{{1,2}})(?:er)?\s+)?(?P<m>{_MONTH})\s+(?:(?P<d2>\d{{1,2}}),?\s+)?(?P<y>{YEAR})\b|"
    rf"\b(?P<iso>{YEAR}-\d\d-\d\d)\b")


def dateline(text: str) -> date | None:
    """The text's own date, when its first lines give one ('Washington, 16 April 2024', 'Paris, le
    7 mai 2025', '2025-07-10')."""
    for line in text.split("\n")[:4]:
        m = DATELINE.search(line)
        if not m or len(line) > 200:
            continue
        try:
            if m.group("iso"):
                return date.fromisoformat(m.group("iso"))
            day = int(m.group("d") or m.group("d2") or 1)
            return date(int(m.group("y")), MONTHS[m.group("m").lower()], day)
        except ValueError:
            continue
    return None
