"""The report's 'In figures' page, regenerated from the claim ledger (never typed)."""
from __future__ import annotations

import pandas as pd
from matplotlib.patches import FancyBboxPatch

from analysis.claims import load_claim_checks
from analysis.figures.style import GREEN, GREY, ORANGE, VERMILION, frame, number, styled, texts

# Card -> how to show the published value (format) ; the ledger gives value and verdict.
CARDS = [("F01", "count"), ("F02", "rank"), ("F04", "percent"), ("F05", "printed"), ("F07", "count"), ("F08", "percent"),
         ("F09", "count"), ("F10", "printed"), ("F11", "printed"), ("F12", "count"), ("F13", "change"), ("F14", "printed")]
COLOR = {"matches": GREEN, "matches after rounding": GREEN, "internal arithmetic holds": GREEN, "different measure": ORANGE,
         "differs": VERMILION, "internal arithmetic fails": VERMILION, "not publicly verifiable": GREY, "not checked": GREY}


def _show(value: str, fmt: str, lang: str) -> str:
    v = float(value)
    if fmt == "rank":
        return f"{int(v)}{'e' if lang == 'fr' else ('st' if v == 1 else 'nd' if v == 2 else 'rd' if v == 3 else 'th')}"
    if fmt == "percent":
        return number(v, lang) + ("\u202f%" if lang == "fr" else "%")
    if fmt == "change":
        return "+" + number(v, lang) + ("\u202f%" if lang == "fr" else "%")
    if v >= 1e6:
        return number(v / 1e6, lang, 1) + (" millions" if lang == "fr" else " million")
    return number(v, lang)


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
        big = _show(row["published_value"], fmt, lang) if use_published else row["value_printed"]
        ax.text(col + 0.5, line + 0.7, big, ha="center", va="center", fontsize=15, fontweight="bold",
                color="#222222" if verdict not in ("not checked", "not publicly verifiable") else GREY)
        label = t["cards"][claim]
        ax.text(col + 0.5, line + 0.42, _wrap(label, 34), ha="center", va="center", fontsize=6.6, color="#333333", linespacing=1.2)
        status = t["verdicts"][verdict]
        if use_published and verdict not in ("matches",):
            status = t["printed"].format(printed=row["value_printed"]) + " — " + status
        ax.text(col + 0.5, line + 0.13, status, ha="center", va="center", fontsize=6.2, color=color, fontstyle="italic")
    return f.fig


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))
