"""One sentence per verdict of `check`, in the text's language: the published value formatted for
it, the measure by its label in the indicators registry, the place by name, the period in words,
the publication by its citation (never raw ids or unformatted values). Standard library only.

`Wording` is built from the registries once per index: `labels[lang][indicator]`,
`citations[source_id]`. Candidates and conflicts arrive as plain data: a conflict is a tuple
(code, *arguments) so that it can be worded in either language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.typography import number as _number

MONTHS = {"en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"],
          "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre"]}
MEASURES = {
    "reports": ("reports", "signalements"), "urls": ("webpages (URLs)", "pages web (URL)"), "files": ("files", "fichiers"),
    "images": ("images", "images"), "videos": ("videos", "vidéos"),
    "images_and_videos": ("images and videos", "images et vidéos"), "respondents": ("respondents", "répondants"),
    "victims": ("victims", "victimes"), "cases": ("cases", "affaires"), "requests": ("requests", "demandes"),
    "incidents": ("incidents", "incidents"), "children": ("children", "enfants"), "people": ("people", "personnes"),
    "agencies": ("agencies", "services"), "companies": ("companies", "entreprises"), "countries": ("countries", "pays"),
    "signatories": ("signatories", "signataires"), "material": ("pieces of material", "contenus"),
    "arrests": ("arrests", "arrestations"), "sextortion": ("sextortion", "sextorsion"),
    "enticement": ("online enticement", "sollicitation en ligne"), "trafficking": ("trafficking", "traite"),
}
SCOPES = {"EUR": ("Europe", "l'Europe"), "EU27": ("the EU", "l'UE"), "WLD": ("the world", "le monde")}
MISSING = {
    "organisation": ("the sentence does not say which organisation published it", "la phrase ne dit pas quel organisme l'a publié"),
    "measure": ("the sentence does not say what it counts closely enough", "la phrase ne dit pas assez précisément ce qu'il compte"),
    "period": ("the sentence does not say which period it covers", "la phrase ne dit pas quelle période il couvre"),
    "place": ("the sentence does not say which place it covers", "la phrase ne dit pas quel territoire il couvre"),
    "comparison": ("the sentence gives a difference between two periods, not a level",
                   "la phrase donne un écart entre deux périodes, non un niveau"),
    "computed": ("the figure would be computed, and the sentence does not say so",
                 "le chiffre serait calculé, ce que la phrase ne dit pas"),
    "bound": ("the sentence gives a bound, which the published figure does not contradict",
              "la phrase donne une borne, que le chiffre publié ne contredit pas"),
    "": ("none fits what the sentence says", "aucun ne correspond à ce que dit la phrase"),
}


def _l(lang: str) -> int:
    return 1 if lang == "fr" else 0


def number(value: float, lang: str, digits: int = 4) -> str:
    """A published or computed value as a reader writes it: whole numbers grouped, others to
    `digits` significant figures."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return _number(value, lang, 0)
    decimals = max(0, min(4, digits - 1 - int(f"{abs(value):e}".split("e")[1]))) if value else 0
    text = _number(round(value, decimals), lang, decimals)
    return re.sub(r"([.,]\d*?)0+$", r"\1", text).rstrip(".,")


def period_words(period: str, lang: str) -> str:
    """'2024-H1' -> 'the first half of 2024' / 'le premier semestre 2024'; '2023-11-27' -> '27 November 2023'."""
    fr = lang == "fr"
    if m := re.fullmatch(r"(\d{4})-H([12])", period):
        half = ("premier", "second")[int(m[2]) - 1] if fr else ("first", "second")[int(m[2]) - 1]
        return f"le {half} semestre {m[1]}" if fr else f"the {half} half of {m[1]}"
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", period):
        return f"le {m[2]}{'er' if m[2] == '1' else 'e'} trimestre {m[1]}" if fr else f"Q{m[2]} {m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", period):
        day = int(m[3])
        return f"{'1er' if fr and day == 1 else day} {MONTHS[lang][int(m[2]) - 1]} {m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d\d)", period):
        return f"{MONTHS[lang][int(m[2]) - 1]} {m[1]}"
    return period


@dataclass
class Wording:
    labels: dict  # lang -> indicator -> label
    geographies: dict = field(default_factory=dict)  # (geo, lang) -> name, filled on use
    citations: dict = field(default_factory=dict)  # source_id -> citation
    keys: dict = field(default_factory=dict)  # lang -> breakdown key -> label (the codebook, breakdowns.yaml)
    coded_places: set = field(default_factory=set)  # breakdown keys whose values are ISO codes

    def place(self, geo: str, lang: str) -> str:
        key = (geo, lang)
        if key not in self.geographies:
            from analysis.site_i18n import geography_label

            self.geographies[key] = geography_label(geo, lang)
        return self.geographies[key]

    def figure(self, indicator: str, geo: str, period: str, breakdown: str, lang: str) -> str:
        """'CyberTipline reports, world, 2023' in the text's language."""
        label = self.labels.get(lang, {}).get(indicator) or self.labels.get("en", {}).get(indicator) or indicator
        parts = [label, self.place(geo, lang), period_words(period, lang)]
        for pair in filter(None, breakdown.split(";")):
            key, _, value = pair.partition("=")
            name = self.keys.get(lang, {}).get(key) or key.replace("_", " ")
            shown = self.place(value, lang) if key in self.coded_places else value.replace("_", " ")
            parts.append(f"{name}{' : ' if lang == 'fr' else ': '}{shown}")
        return ", ".join(p for p in parts if p)

    def cited(self, source_ids: list[str]) -> str:
        return "; ".join(self.citations.get(s, s) for s in dict.fromkeys(source_ids))

    def conflict(self, conflict: tuple, lang: str) -> str:
        code, *args = conflict
        k = _l(lang)
        if code == "measure":
            counts, named = (MEASURES.get(a, (a.replace("_", " "),) * 2)[k] for a in args)
            return (f"il compte des {counts}, non les {named} que nomme la phrase" if k else
                    f"it counts {counts}, not the {named} the sentence names")
        if code == "topic":
            counts, named = (", ".join(MEASURES.get(a, (a,) * 2)[k] for a in group) for group in args)
            return (f"il porte sur : {counts}, non sur : {named} comme la phrase" if k else
                    f"it counts {counts}, not the {named} the sentence names")
        if code == "scope":
            within, said = (SCOPES[a][k] for a in args)
            return (f"il classe au sein de {within}, non de {said} comme le dit la phrase" if k else
                    f"it ranks within {within}, not {said} as the sentence says")
        if code == "one_period":
            return ("il compte une seule période, non le total dont parle la phrase" if k else
                    "it counts one period, not the total the sentence speaks of")
        if code == "running_total":
            return ("c'est un total cumulé depuis l'origine, non le nombre d'une période" if k else
                    "it is a running total since the start, not the count for a period the sentence gives")
        if code == "since":
            return (f"il porte sur {args[0]} seul, non sur toute la période depuis {args[0]}" if k else
                    f"it is for {args[0]} alone, not for the whole time since {args[0]} as the sentence says")
        return code

    def missing(self, missing: str, lang: str) -> str:
        return MISSING.get(missing, (missing, missing))[_l(lang)]
