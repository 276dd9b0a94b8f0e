"""Geography codes: ISO 3166-1 alpha-3 for countries, named codes for aggregates."""
from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry

# Named aggregates used by publishers. Labels for figures in English and French.
AGGREGATES: dict[str, tuple[str, str]] = {
    "WLD": ("World", "Monde"),
    "EU27": ("European Union (27)", "Union européenne (27)"),
    "EUR": ("Europe", "Europe"),
    "UNK": ("Unknown location", "Localisation inconnue"),
    "AFR": ("Africa", "Afrique"),
    "ASI": ("Asia", "Asie"),
    "NAM": ("North America", "Amérique du Nord"),
    "SAM": ("South America", "Amérique du Sud"),
    "LAC": ("Latin America and the Caribbean", "Amérique latine et Caraïbes"),
    "OCE": ("Oceania", "Océanie"),
}

# Places publishers list that have no current ISO 3166-1 alpha-3 code.
OTHER: dict[str, tuple[str, str]] = {
    "XKX": ("Kosovo", "Kosovo"),  # user-assigned code, widely used (EU, IMF)
    "ANT": ("Netherlands Antilles", "Antilles néerlandaises"),  # former ISO code, dissolved 2010
    "EUX": ("Europe (no country given)", "Europe (pays non précisé)"),
}

# EU member states since 1 February 2020 (the EU27 composition used for every year).
EU27 = (
    "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT ROU SVK SVN ESP SWE"
).split()


@lru_cache(maxsize=1)
def codes() -> frozenset[str]:
    return frozenset({c.alpha_3 for c in pycountry.countries} | set(AGGREGATES) | set(OTHER))


@lru_cache(maxsize=None)
def _french() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)


def label(code: str, lang: str = "en") -> str:
    for table in (AGGREGATES, OTHER):
        if code in table:
            return table[code][0 if lang == "en" else 1]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise KeyError(f"unknown geography code {code!r}")
    name = getattr(country, "common_name", None) or country.name
    return name if lang == "en" else _french().gettext(country.name)
