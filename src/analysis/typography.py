"""Numbers and French typography, for figures and site alike (no matplotlib here).

English: 36,210,368 and 4.5. French: 36 210 368 and 4,5 (narrow no-break spaces, decimal
comma), with a no-break space before : (U+00A0) and a narrow one before ; ? ! % and inside « »
(U+202F), so that a line never starts with the punctuation.
"""
from __future__ import annotations

import re

from analysis.precision import plain

NNBSP = "\u202f"  # narrow no-break space: French thousands, and before ; ? ! % and inside « »
NBSP = "\u00a0"  # no-break space: French, before :


def number(value: float, lang: str, decimals: int | None = None) -> str:
    """36,210,368 / 36 210 368; 4.5 / 4,5. Decimals as the value has them unless given."""
    if decimals is None:
        text = plain(value)
        decimals = len(text.split(".")[1]) if "." in text else 0
    out = f"{float(value):,.{decimals}f}"
    return out.replace(",", NNBSP).replace(".", ",") if lang == "fr" else out


def percent(value: float, lang: str, decimals: int | None = None) -> str:
    return number(value, lang, decimals) + (NNBSP if lang == "fr" else "") + "%"


def typo(text: str, lang: str) -> str:
    """French spacing: a no-break space before : and a narrow one before ; ? ! % and inside « ».
    Only spaces already typed become no-break, except before % after a digit (59% -> 59 %).
    Text only: never apply it to URLs or HTML attributes holding '%'."""
    if lang != "fr":
        return text
    text = re.sub(r"(?<![\d.,])\d{1,3}(?:[ \u00a0]\d{3})+(?![\d])", lambda m: re.sub(r"[ \u00a0]", NNBSP, m[0]), text)
    text = re.sub(r"[ \u00a0\u202f]+([;?!%»])", NNBSP + r"\1", text)
    text = re.sub(r"(\d)%", r"\1" + NNBSP + "%", text)
    text = re.sub(r"«[ \u00a0\u202f]*", "«" + NNBSP, text)
    text = re.sub(r"[ \u00a0\u202f]+:", NBSP + ":", text)
    return text
