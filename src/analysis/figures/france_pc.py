"""Figures for France (NCMEC vs OFMIN, sextortion) and the Protect Children surveys."""
from __future__ import annotations

import pandas as pd
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from matplotlib.ticker import MaxNLocator

from analysis import france, survey
from analysis.figures.style import BLUE, ORANGE, SKY, french_spaces, frame, number, source_list, styled, texts
from analysis.registry import load_sources


@styled
def reports_ncmec_vs_ofmin(obs: pd.DataFrame, lang: str = "en", year: str = "2023"):
    table = france.reports_2023(obs, year)
    t = texts("france_reports_ncmec_vs_ofmin", lang, year=year, sources=source_list(table["source_id"], lang))
    f = frame(t["title"], t["subtitle"], t["source"], t["note"], size=(8, 4.8), left=0.42)
    ax = f.ax
    labels = []
    cited = load_sources()["citation"]
    for i, row in enumerate(table.itertuples()):
        labels.append(t["labels"][row.indicator] + f"\n({cited[row.source_id].split(',')[0].split(' (')[0]})")
        hollow = row.kind == "secondary"
        ax.barh(i, row.value, color="white" if hollow else BLUE, edgecolor=BLUE, height=0.6)
        prefix = "≈ " if row.qualifier in ("rounded", "approx") else ""
        ax.text(row.value, i, f" {prefix}{number(row.value, lang)}", va="center", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=7.5)
    ax.invert_yaxis()
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, table["value"].max() * 1.22)  # room for the value labels, no tick label on the edge of the canvas
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.xaxis.set_major_formatter(lambda v, _: number(v, lang))
    ax.set_xlabel(t["xlabel"])
    return f.fig


@styled
def sextortion_reports(obs: pd.DataFrame, lang: str = "en"):
    table = france.sextortion(obs)
    point = table[table["breakdown"] == ""]
    bounds = table[table["breakdown"].str.startswith("bound=")]
    t = texts("france_sextortion_reports", lang, sources=source_list(table["source_id"], lang))
    f = frame(t["title"], t["subtitle"], t["source"], t["note"], size=(8, 4.8), left=0.12)
    ax = f.ax
    for period, rows in point.groupby("period"):
        x = int(period)
        ax.scatter([x] * len(rows), rows["value"], facecolor="white", edgecolor=ORANGE, s=40, zorder=3)
        ax.annotate("≈ " + number(rows["value"].max(), lang), (x, rows["value"].max()), xytext=(8, 0), textcoords="offset points", va="center", fontsize=8)
    for period, rows in bounds.groupby("period"):
        ax.vlines(int(period), rows["value"].min(), rows["value"].max(), color=SKY, linewidth=6, alpha=0.7, zorder=2)
    years = sorted({int(p) for p in table["period"]})
    ax.set_xticks(range(min(years) - 2, max(years) + 1))
    ax.set_xlim(min(years) - 2.5, max(years) + 0.8)
    ax.set_ylim(0, table["value"].max() * 1.2)
    ax.set_ylabel(t["ylabel"])
    ax.yaxis.set_major_formatter(lambda v, _: number(v, lang))
    return f.fig


def _survey_dots(obs: pd.DataFrame, indicator: str, lang: str):
    table = survey.survey_table(obs, indicator)
    table = table.sort_values(["question", "answer", "period"]).reset_index(drop=True)
    t = texts("pc_survey", lang, sources=source_list(table["source_id"], lang))
    t["title"] = t["title"].replace("{survey}", t["surveys"][indicator])
    labels = []
    for row in table.itertuples():
        question = t["questions"].get(row.question, row.question.replace("_", " "))
        answer = t["answers"].get(row.answer, row.answer.replace("_", " "))
        labels.append(french_spaces(f"{question} : {answer} ({row.period})") if lang == "fr" else f"{question}: {answer} ({row.period})")
    height = max(4.5, 1.9 + 0.2 * len(table))
    # The axes start where the longest row label ends (never left of half the width).
    longest = max(TextToPath().get_text_width_height_descent(x, FontProperties(family="DejaVu Sans", size=6.5), ismath=False)[0]
                  for x in labels) / 72
    f = frame(t["title"], t["subtitle"], t["source"], t["note"], size=(8, height), left=max(0.5, (longest + 0.4) / 8))
    ax = f.ax
    for i, row in enumerate(table.itertuples()):
        color = BLUE if row.kind == "primary" else ORANGE
        if not pd.isna(row.lo95):
            ax.hlines(i, row.lo95, row.hi95, color=color, linewidth=2)
        ax.scatter(row.value, i, s=28, zorder=3, color=color if row.kind == "primary" else "white", edgecolor=color)
    ax.set_yticks(range(len(labels)), labels, fontsize=6.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(t["xlabel"])
    return f.fig


@styled
def redirection_survey(obs: pd.DataFrame, lang: str = "en"):
    return _survey_dots(obs, "pc_redirection_pct", lang)


@styled
def techplatforms_survey(obs: pd.DataFrame, lang: str = "en"):
    return _survey_dots(obs, "pc_techplatforms_pct", lang)
