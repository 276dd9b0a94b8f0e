"""Numbers as the figures and the notebooks' sentences print them (no matplotlib here)."""
from __future__ import annotations

from analysis import typography
from analysis.typography import NBSP


def number(value: float, lang: str, decimals: int = 0) -> str:
    """analysis.typography.number, whole numbers unless told: figures round what they print."""
    return typography.number(value, lang, decimals)


def percent(value: float, lang: str, decimals: int = 0) -> str:
    return typography.percent(value, lang, decimals)


def millions(value: float, lang: str, decimals: int = 1) -> str:
    """36.2 million; 36,2 millions (in French, 'million' is singular below two: 1,5 million)."""
    shown = number(value / 1e6, lang, decimals)
    word = "million" if lang == "en" or abs(round(value / 1e6, decimals)) < 2 else "millions"
    return f"{shown}{NBSP if lang == 'fr' else ' '}{word}"


def ordinal(n: int, lang: str) -> str:
    """3rd, 15th; 1er, 3e."""
    if lang == "fr":
        return "1er" if n == 1 else f"{n}e"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
