"""The report's 'In figures' page, regenerated from the claim ledger (never typed)."""
from __future__ import annotations

import re
import textwrap

import pandas as pd
from matplotlib.patches import FancyBboxPatch

from analysis.claims import FIGURE_CARDS, load_claim_checks
from analysis.figures.style import GREEN, GREY, NNBSP, ORANGE, VERMILION, frame, millions, number, ordinal, percent, styled, texts

CARDS = FIGURE_CARDS  # card -> how to show the published value; the ledger gives value and verdict
COLOR = {"matches": GREEN, "matches after rounding": GREEN, "internal arithmetic holds": GREEN, "different measure": ORANGE,
         "differs": VERMILION, "internal arithmetic fails": VERMILION, "not publicly verifiable": GREY, "not checked": GREY}


def _show(value: str, fmt: str, lang: str) -> str:
    v = float(value)
    if fmt == "rank":
        return ordinal(int(v), lang)
    if fmt == "percent":
        return percent(v, lang)
    if fmt == "change":
        return "+" + percent(v, lang)
    if v >= 1e6:
        return millions(v, lang)
    return number(v, lang)


def _printed(value: str, lang: str) -> str:
    """The report's number as printed (in English), written the French way on the French page:
    1,372 -> 1 372; 35.9 -> 35,9; 70% -> 70 %; 5th -> 5e. Digits are kept as printed."""
    if lang != "fr":
        return value
    text = re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", lambda m: ordinal(int(m.group(1)), lang), value)
    text = re.sub(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+",
                  lambda m: m.group(0).replace(",", NNBSP).replace(".", ","), text)
    return re.sub(r"\s*%", NNBSP + "%", text)


@styled
def in_figures(obs: pd.DataFrame, lang: str = "en"):
    ledger = load_claim_checks().set_index("claim_id")
    t = texts("in_figures", lang)
    f = frame(t["title"], t["subtitle"], t["source"], t["note"], size=(8, 8.2), left=0.02)
    ax = f.ax
    ax.set_axis_off()
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 4)
    for i, (claim, fmt) in enumerate(CARDS):
        row = ledger.loc[claim]
        col, line = i % 3, 3 - i // 3
        verdict = row["verdict"]
        color = COLOR[verdict]
        ax.add_patch(FancyBboxPatch((col + 0.04, line + 0.05), 0.92, 0.9, boxstyle="round,pad=0.01,rounding_size=0.04",
                                    facecolor="white", edgecolor=color, linewidth=1.6))
        use_published = fmt != "printed" and row["published_value"] != "" and verdict != "internal arithmetic holds"
        printed = _printed(row["value_printed"], lang)
        big = _show(row["published_value"], fmt, lang) if use_published else printed
        ax.text(col + 0.5, line + 0.7, big, ha="center", va="center", fontsize=15, fontweight="bold",
                color="#222222" if verdict not in ("not checked", "not publicly verifiable") else GREY)
        label = t["cards"][claim]
        ax.text(col + 0.5, line + 0.44, _wrap(label, 38), ha="center", va="center", fontsize=6.6, color="#333333", linespacing=1.2)
        status = t["verdicts"][verdict]
        if use_published and verdict not in ("matches",):
            # The report's number, then the verdict; on two lines when one would not fit the card.
            parts = [t["printed"].format(printed=printed), status]
            status = " — ".join(parts) if len(" — ".join(parts)) <= 44 else "\n".join(_wrap(p, 48) for p in parts)
        ax.text(col + 0.5, line + 0.14, status, ha="center", va="center", fontsize=6.2, color=color, fontstyle="italic", linespacing=1.2)
    return f.fig


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))
