"""The site's two languages: interface texts, numbers and French typography, and the French
wording of the claim ledger.

- Interface texts live in `site_assets/texts.yaml`, each key with its English and French text.
- `number`/`typo` (from `analysis.typography`, shared with the figures): French numbers are
  written 36 210 368 and 36,2, with no-break spaces before : ; ? ! % and inside « ».
- The ledger's claims and hand-written notes are worded in French in
  `data/public/report/claims_fr.csv` (claim_id, section_fr, claim_fr, note_en, note_fr): note_en is
  the English note or reason of the claim's rule (claim_rules.yaml) that note_fr translates, so a
  note changed since its translation is seen (the English is shown, marked lang="en", and the
  site's tests name the claim). `explanation_fr` rewords the ledger's computed explanations
  (the templates of `analysis.claims`) around the notes. In that file, `[[en: ...]]` marks an
  English title, name or quoted search kept as it is (rendered with lang="en").
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.precision import plain
from analysis.readers import parse_yaml
from analysis.typography import NBSP, NNBSP, number, percent, typo  # noqa: F401  (the site's helpers)

LANGS = ("en", "fr")
ASSETS = Path(__file__).with_name("site_assets")
CLAIMS_FR = "report/claims_fr.csv"
PERCENT_UNITS = ("percent", "percent_change")


@lru_cache(maxsize=1)
def texts() -> dict:
    return parse_yaml((ASSETS / "texts.yaml").read_text(encoding="utf-8"))


def t(key: str, lang: str, **values) -> str:
    """An interface text (may hold HTML) in `lang`, with French typography, `values` filled in
    (values are inserted as given: escape them first). Without values, {placeholders} are kept."""
    text = typo(texts()[key][lang], lang)
    return text.format(**values) if values else text


def other(lang: str) -> str:
    return "fr" if lang == "en" else "en"


# --- typography (analysis.typography) ------------------------------------------------------------

def esc(text: str, lang: str) -> str:
    """Plain text for HTML, with French typography on French pages."""
    return html.escape(typo(str(text), lang), quote=False)


ENGLISH = re.compile(r"\[\[en: (.+?)\]\]")


def rich(text: str, lang: str) -> str:
    """`esc`, and `[[en: ...]]` (an English title, name or quotation inside French text) as a
    span lang="en", kept as written."""
    out, at = [], 0
    for m in ENGLISH.finditer(text):
        out.append(esc(text[at:m.start()], lang))
        out.append(neutral(m[1]))
        at = m.end()
    out.append(esc(text[at:], lang))
    return "".join(out)


def neutral(text: str, lang_of_text: str = "en") -> str:
    """A citation, title or identifier kept in its own language (excluded from the language check)."""
    return f'<span class="lang-neutral" lang="{lang_of_text}">{html.escape(str(text), quote=False)}</span>'


def code(text: str) -> str:
    return f'<code class="lang-neutral">{html.escape(str(text), quote=False)}</code>'


# --- values with units and qualifiers -------------------------------------------------------------

def unit_label(unit: str, lang: str) -> str:
    entry = texts()["units"].get(unit)
    return esc(entry[lang], lang) if entry else code(unit)


def value_text(value: float, unit: str, lang: str) -> str:
    """A number as a reader expects it for its unit: dates and years as written, counts grouped."""
    if unit == "yyyymmdd":
        s = f"{int(value):08d}"
        return f"{s[:4]}-{s[4:6]}-{s[6:]}"
    if unit == "yyyymm":
        s = f"{int(value):06d}"
        return f"{s[:4]}-{s[4:]}"
    if unit == "year":
        return plain(value)
    return percent(value, lang) if unit in PERCENT_UNITS else number(value, lang)


def qualified(value: float, unit: str, qualifier: str, lang: str) -> str:
    """'36,200,000 (rounded)', 'moins de 50': a published value with its qualifier, as text."""
    template = texts()["qualifiers"].get(qualifier, {"en": "{v}", "fr": "{v}"})[lang]
    return typo(template, lang).format(v=value_text(value, unit, lang))


def printed_number(text: str, lang: str, unit: str = "") -> str:
    """A number written by the package in English ('1,139.2', '35925098') in the page's language."""
    if unit in ("year", "date") or not re.fullmatch(r"-?[\d,]*\d(\.\d+)?", text):
        return text
    digits = text.replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    shown = number(float(digits), lang, decimals)
    return shown + (NNBSP + "%" if lang == "fr" else "%") if unit.startswith("percent") else shown


# --- the ledger in French -------------------------------------------------------------------------

def load_claims_fr(public: Path) -> pd.DataFrame:
    """claims_fr.csv indexed by claim_id (empty when the file is absent: French pages then show
    the English wording, marked lang="en", and the site's tests fail)."""
    path = public / CLAIMS_FR
    if not path.exists():
        return pd.DataFrame(columns=["section_fr", "claim_fr", "note_en", "note_fr"], index=pd.Index([], name="claim_id"))
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("claim_id")


def rule_notes(public: Path) -> dict[str, str]:
    """claim_id -> the English note or reason of its rule (data/public/report/claim_rules.yaml):
    the hand-written end of the ledger's explanation, which claims_fr.csv words in French.
    (analysis.claims.load_rules validates the file in the tables stage; a plain read is enough here.)"""
    from analysis.claims import RULES_FILE

    records = parse_yaml((public / RULES_FILE).read_text(encoding="utf-8"), f"data/public/{RULES_FILE}") or []
    return {str(r["claim"]): (r.get("note") or r.get("reason") or "").strip() for r in records}


_ID = r"[a-z0-9_]+"
_WHERE = rf"(?P<ind>{_ID}), (?P<geo>[A-Z0-9]+), (?P<period>[^,()]+)(?:, (?P<brk>.*))?"
# The explanations analysis.claims writes (Ledger.check, published, _date_check, _arithmetic):
_OBS = re.compile(rf"^(?P<v>\S+) \({_WHERE}\)$")
_DATE = re.compile(rf"^(?P<date>\d{{4}}-\d{{2}}-\d{{2}}) \((?P<ind>{_ID})\)$")
_CHANGE = re.compile(rf"^(?P<pct>-?[\d,]+\.\d)% change in (?P<ind>{_ID}) from (?P<a>\S+) \((?P<p1>[^)]+)\) to (?P<b>\S+) \((?P<p2>[^)]+)\)$")
_SUM = re.compile(rf"^(?P<v>\S+) \(sum of (?P<ind>{_ID}) (?P<years>\d{{4}}-\d{{4}})\)$")
_PER = re.compile(rf"^(?P<v>[\d,.]+) \((?P<raw>\S+) {_WHERE}, divided by (?P<per>\S+)\)$")
_ARITH = re.compile(r"^(?P<expr>.+?) = (?P<computed>-?[\d,]+\.\d\d) \((?P<values>.*)\); the report prints (?P<printed>\S+)\.$")
_PRECISION = re.compile(r"^ \(to the (day|month|year)\)")
OTHER_MEASURE = " The measure the report's wording names: "


class Labels:
    """Indicator labels and units, geography names: what French explanations name."""

    def __init__(self, indicators: pd.DataFrame):
        self.names = {lang: dict(zip(indicators["id"], indicators[f"label_{lang}"])) for lang in LANGS}
        self.units = dict(zip(indicators["id"], indicators["unit"]))

    def indicator(self, ind: str, lang: str) -> str:
        name = self.names[lang].get(ind)
        return esc(name, lang) if name else code(ind)

    def unit(self, ind: str) -> str:
        return self.units.get(ind, "")

    @staticmethod
    def geography(geo: str, lang: str) -> str:
        return esc(geography_label(geo, lang), lang)

    def where(self, m: re.Match, lang: str) -> str:
        parts = [self.indicator(m["ind"], lang), self.geography(m["geo"], lang), esc(m["period"], lang)]
        if m["brk"]:
            parts.append(code(m["brk"]))
        return ", ".join(parts)


def geography_label(geo: str, lang: str) -> str:
    from analysis import geography

    try:
        return geography.label(geo, lang)
    except KeyError:
        return geo


def _published_fr(shown: str, labels: Labels) -> str | None:
    fr = "fr"
    if m := _DATE.match(shown):
        return f"{m['date']} ({labels.indicator(m['ind'], fr)})"
    if m := _CHANGE.match(shown):
        unit = labels.unit(m["ind"])
        return t("expl_change", fr, pct=printed_number(m["pct"], fr, "percent"), indicator=labels.indicator(m["ind"], fr),
                 p1=esc(m["p1"], fr), a=printed_number(m["a"], fr, unit), p2=esc(m["p2"], fr), b=printed_number(m["b"], fr, unit))
    if m := _SUM.match(shown):
        return t("expl_sum", fr, value=printed_number(m["v"], fr), indicator=labels.indicator(m["ind"], fr), years=m["years"])
    if m := _PER.match(shown):
        unit = labels.unit(m["ind"])
        return t("expl_per", fr, value=printed_number(m["v"], fr), raw=printed_number(m["raw"], fr, unit),
                 where=labels.where(m, fr), per=esc(m["per"], fr))
    if m := _OBS.match(shown):
        return f"{printed_number(m['v'], fr, labels.unit(m['ind']))} ({labels.where(m, fr)})"
    return None


def explanation_fr(explanation: str, value_printed: str, note_en: str, note_fr: str, labels: Labels,
                   translated: str | None = None) -> str | None:
    """The ledger's explanation in French (HTML), or None when it does not follow a known template
    or its note has no current French wording (the caller then shows the English, marked lang="en").
    note_en: the rule's note or reason now; translated: the English note_fr was written from
    (claims_fr.csv note_en; None: taken as current)."""
    fr = "fr"
    text = explanation.strip()
    if note_en:
        if not note_fr or (translated is not None and translated.strip() != note_en.strip()):
            return None
        if text == note_en.strip():  # a verdict given by hand: its reason
            return rich(note_fr, fr)
        if not text.endswith(note_en.strip()):
            return None
        text = text[: -len(note_en.strip())].rstrip()
    tail = (" " + rich(note_fr, fr)) if note_en else ""
    if m := _ARITH.match(text):
        values = []
        for part in m["values"].split(", "):
            name, _, v = part.partition(" = ")
            values.append(f"{esc(name, fr)} = {printed_number(v, fr)}")
        return t("expl_arithmetic", fr, expression=esc(m["expr"], fr), computed=printed_number(m["computed"], fr),
                 values=", ".join(values), printed=printed_number(m["printed"], fr)) + tail
    prefix = f"Printed {value_printed}"
    if not text.startswith(prefix):
        return None
    rest = text[len(prefix):]
    precision = ""
    if m := _PRECISION.match(rest):
        precision = texts()["expl_precision"]["fr"][m[1]]
        rest = rest[m.end():]
    if not rest.startswith("; published ") or not rest.endswith("."):
        return None
    rest = rest[len("; published "):-1]
    other_html = ""
    if OTHER_MEASURE in rest:
        rest, other_shown = rest.split(OTHER_MEASURE, 1)
        rest = rest.rstrip(".")
        other_fr = _published_fr(other_shown, labels)
        if other_fr is None:
            return None
        other_html = t("expl_other_measure", fr, published=other_fr)
    published = _published_fr(rest, labels)
    if published is None:
        return None
    quoted = f"«{NNBSP}{neutral(value_printed)}{NNBSP}»" + esc(precision, fr)
    return t("expl_printed", fr, printed=quoted, published=published) + other_html + tail
