"""Figure of the claim ledger's verdicts."""
from __future__ import annotations

import pandas as pd

from analysis.claims import VERDICTS, load_claim_checks
from analysis.figures.style import GREEN, GREY, ORANGE, SKY, VERMILION, frame, styled, texts

COLORS = {"matches": GREEN, "matches after rounding": GREEN, "different measure": ORANGE, "differs": VERMILION,
          "internal arithmetic holds": SKY, "internal arithmetic fails": VERMILION, "not publicly verifiable": GREY,
          "not checked": "#CCCCCC"}


@styled
def verdicts(obs: pd.DataFrame, lang: str = "en"):
    ledger = load_claim_checks()
    counts = ledger["verdict"].value_counts().reindex(VERDICTS, fill_value=0)
    t = texts("claims_verdicts", lang, total=len(ledger))
    f = frame(t["title"], t["subtitle"], t["source"], t["note"], size=(8, 4.6), left=0.3)
    ax = f.ax
    labels = [t["verdicts"][v] for v in counts.index]
    ax.barh(labels, counts.to_numpy(), color=[COLORS[v] for v in counts.index], height=0.65)
    for i, n in enumerate(counts.to_numpy()):
        ax.text(n, i, f" {n}", va="center", fontsize=8.5)
    ax.invert_yaxis()
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, counts.max() * 1.12)
    ax.set_xlabel(t["xlabel"])
    return f.fig
