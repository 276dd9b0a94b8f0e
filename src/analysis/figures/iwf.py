"""Figures from Internet Watch Foundation data."""
from __future__ import annotations

import pandas as pd

from analysis import iwf
from analysis.figures.style import BLUE, GREEN, ORANGE, SKY, VERMILION, cite, frame, number, source_list, styled, texts
from analysis.observations import preferred, select
from analysis.registry import load_sources


def _kinds():
    return load_sources()["kind"]


@styled
def confirmed_per_year(obs: pd.DataFrame, lang: str = "en"):
    kind = _kinds()
    parts = {}
    for name, indicator in iwf.SERIES.items():
        rows = preferred(select(obs, indicator, geography="WLD", breakdown=""))
        parts[name] = rows[rows["period"].str.fullmatch(r"\d{4}")].sort_values("period")
    years = sorted({int(p) for rows in parts.values() for p in rows["period"]})
    used = sorted({s for rows in parts.values() for s in rows["source_id"]})
    t = texts("iwf_confirmed_per_year", lang, first=years[0], last=years[-1], sources=source_list(used, lang))
    f = frame(t["title"], t["subtitle"], t["source"], t["note"], size=(8, 5.4), left=0.12)
    ax = f.ax
    styles = {"reports_assessed": (GREEN, "s", t["assessed"]), "urls_confirmed": (BLUE, "o", t["urls"]),
              "reports_confirmed": (ORANGE, "D", t["reports"])}
    for name, rows in parts.items():
        color, marker, label = styles[name]
        x, y = rows["period"].astype(int), rows["value"]
        full = pd.Series(y.to_numpy(), index=x.to_numpy()).reindex(range(x.min(), x.max() + 1))  # gaps stay gaps
        ax.plot(full.index, full.to_numpy(), color=color, linewidth=1, alpha=0.5)
        secondary = rows["source_id"].map(kind).eq("secondary").to_numpy()
        ax.scatter(x[~secondary], y[~secondary], color=color, marker=marker, s=28, label=label, zorder=3)
        ax.scatter(x[secondary], y[secondary], facecolor="white", edgecolor=color, marker=marker, s=28, zorder=3)
    ax.set_xticks(years)
    ax.tick_params(axis="x", rotation=90)
    ax.set_ylabel(t["ylabel"])
    ax.yaxis.set_major_formatter(lambda v, _: number(v, lang))
    ax.legend(loc="upper left")
    return f.fig


@styled
def age_shares(obs: pd.DataFrame, lang: str = "en"):
    table = iwf.age_shares(obs)
    table = table.sort_values(["kind"]).drop_duplicates(["year", "age"]).sort_values(["age", "year"])
    t = texts("iwf_age_shares", lang, sources=source_list(sorted(table["source_id"].unique()), lang))
    f = frame(t["title"], t["subtitle"], t["source"], t["note"], size=(8, 5.4))
    ax = f.ax
    colors = {"0-2": VERMILION, "0-10": BLUE, "7-10": ORANGE, "11-13": GREEN, "11-15": SKY}
    order = sorted(table["age"].unique(), key=lambda a: (int(a.split("-")[0]), int(a.split("-")[1])))
    labels = []
    for age in order:
        rows = table[table["age"] == age]
        color = colors.get(age, "#555555")
        ax.plot(rows["year"], rows["value"], color=color, linewidth=1, alpha=0.6)
        primary = rows["kind"] == "primary"
        ax.scatter(rows["year"][primary], rows["value"][primary], color=color, s=30, zorder=3)
        ax.scatter(rows["year"][~primary], rows["value"][~primary], facecolor="white", edgecolor=color, s=30, zorder=3)
        last = rows.iloc[-1]
        low, high = age.split("-")
        label = f"{low} à {high} ans" if lang == "fr" else f"aged {low}–{high}"
        labels.append(ax.annotate(label, (last["year"], last["value"]), xytext=(6, 0), textcoords="offset points", va="center",
                                  fontsize=8, color=color))
    ax.set_ylim(0, 100)
    ax.set_xlim(table["year"].min() - 0.5, table["year"].max() + 1.5)
    ax.set_xticks(range(table["year"].min(), table["year"].max() + 1))
    ax.set_ylabel(t["ylabel"])
    # Each label beside its series' last point: right if free, else left, below or above.
    from analysis.figures.proofread import place_clear  # (not at import: `python -m analysis.figures.proofread`)

    for label in labels:
        place_clear(label, [((6, 0), "left", "center"), ((-6, 0), "right", "center"), ((0, -7), "center", "top"), ((0, 7), "center", "bottom")])
    return f.fig


@styled
def ai_forum_study(obs: pd.DataFrame, lang: str = "en"):
    study = iwf.ai_forum_study(obs)
    get = lambda ind, bd="window=one_month": study[(study["indicator"] == ind) & (study["breakdown"] == bd)]  # noqa: E731
    posted = get("iwf_ai_forum_images_posted").iloc[0]
    assessed = get("iwf_ai_forum_images_assessed").iloc[0]
    pseudo = get("iwf_ai_forum_images_criminal", "law=pseudo_photograph;window=one_month").iloc[0]
    prohibited = get("iwf_ai_forum_images_criminal", "law=prohibited_image;window=one_month").iloc[0]
    used = [posted["source_id"], assessed["source_id"], pseudo["source_id"], prohibited["source_id"]]
    t = texts("iwf_ai_forum_study", lang, sources=cite(used, lang))
    f = frame(t["title"], t["subtitle"], t["source"], t["note"], size=(8, 4.2), left=0.18)
    ax = f.ax
    labels = [t["criminal"], t["assessed"], t["posted"]]
    ax.barh(labels[2], posted["value"], color=SKY, height=0.6)
    ax.barh(labels[1], assessed["value"], color=BLUE, height=0.6)
    ax.barh(labels[0], pseudo["value"], color=VERMILION, label=t["pseudo"], height=0.6)
    ax.barh(labels[0], prohibited["value"], left=pseudo["value"], color=ORANGE, label=t["prohibited"], height=0.6)
    for label, value in ((labels[2], posted["value"]), (labels[1], assessed["value"]), (labels[0], pseudo["value"] + prohibited["value"])):
        ax.text(value, label, " " + number(value, lang), va="center", fontsize=8.5)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, posted["value"] * 1.3)
    ax.xaxis.set_major_formatter(lambda v, _: number(v, lang))
    ax.set_xlabel(t["xlabel"])
    ax.legend(loc="upper right", bbox_to_anchor=(1.0, 1.0))
    return f.fig
