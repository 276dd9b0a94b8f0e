"""Fan charts of the projections and the scenario chart."""
from __future__ import annotations

import pandas as pd

from analysis import projections
from analysis.figures.style import BLUE, GREY, NBSP, ORANGE, SKY, VERMILION, frame, number, styled, texts
from analysis.observations import select

SERIES_LABELS = {
    "en": {k: v.label for k, v in projections.SPECS.items()},
    "fr": {
        "ncmec_reports": "Signalements à la CyberTipline du NCMEC",
        "ncmec_online_enticement": "Signalements de sollicitation en ligne (NCMEC)",
        "iwf_urls_confirmed": "URL confirmées par l'IWF",
        "ncmec_reports_france": "Signalements du NCMEC concernant la France",
        "ncmec_generative_ai": "Signalements impliquant l'IA générative (NCMEC)",
        "france_sextortion": "Signalements de sextorsion reçus par l'OFMIN",
    },
}


def _compact(v: float, lang: str) -> str:
    if abs(v) >= 1e6:
        return number(v / 1e6, lang, 0 if abs(v) >= 1e7 else 1) + (NBSP + "M" if lang == "fr" else "M")
    if abs(v) >= 1e3:
        return number(v / 1e3, lang, 0) + (NBSP + "k" if lang == "fr" else "k")
    return number(v, lang)


@styled
def fan(obs: pd.DataFrame, lang: str = "en"):
    proj, back = projections.load()
    summary = projections.summary(proj, back).set_index("series")
    t = texts("trends_fan", lang, to_year=projections.TO_YEAR, sources="NCMEC; IWF (see the trend notebook for the list)" if lang == "en" else "NCMEC ; IWF (liste dans le carnet des tendances)")
    f = frame(t["title"], t["subtitle"], t["source"], t["note"], size=(8, 7.4), ncols=2, wspace=0.12, panel_titles=True)
    # Two rows of two panels: split each column's axes in two.
    fig = f.fig
    for ax in f.axes:
        ax.remove()
    names = list(summary.index)
    grid = fig.add_gridspec(2, 2, left=0.1, right=0.97, bottom=f.axes[0].get_position().y0, top=f.axes[0].get_position().y1, hspace=0.55, wspace=0.25)
    for i, name in enumerate(names):
        ax = fig.add_subplot(grid[i // 2, i % 2])
        row = summary.loc[name]
        observed = proj[(proj["series"] == name) & (proj["kind"] == "observed")]
        fc = proj[(proj["series"] == name) & (proj["model"] == row["model"])]
        x = fc["period"].astype(int)
        ax.fill_between(x, fc["lo95"], fc["hi95"], color=SKY, alpha=0.35, linewidth=0)
        ax.fill_between(x, fc["lo80"], fc["hi80"], color=BLUE, alpha=0.35, linewidth=0)
        ax.plot(x, fc["point"], color=BLUE, linewidth=1.5)
        ax.scatter(observed["period"].astype(int), observed["point"], color="#222222", s=12, zorder=3)
        if name == "ncmec_reports":
            inc = select(obs, "cybertipline_incidents", geography="WLD", period="2024", breakdown="")
            if len(inc):
                ax.scatter([2024], inc["value"], marker="D", color=ORANGE, s=24, zorder=4)
        ax.set_title(t["panel"].format(label=SERIES_LABELS[lang][name], model=t["models"][row["model"]],
                                       mape=number(row["mape"], lang, 1), naive=number(row["mape_naive"], lang, 1)),
                     fontsize=8, loc="left")
        ax.yaxis.set_major_formatter(lambda v, _: _compact(v, lang))
        ax.tick_params(labelsize=7.5)
        ax.set_ylim(bottom=0)
    return fig


@styled
def scenarios(obs: pd.DataFrame, lang: str = "en"):
    proj, _ = projections.load()
    names = [n for n in proj.loc[proj["kind"] == "scenario", "series"].unique()]
    t = texts("trends_scenarios", lang, sources="NCMEC (press coverage of its reports); OFMIN interviews" if lang == "en" else "NCMEC (presse citant ses rapports) ; entretiens de l'OFMIN")
    f = frame(t["title"], t["subtitle"], t["source"], t["note"], size=(8, 4.8), ncols=len(names), wspace=0.12, panel_titles=True)
    styles = {"growth_continues": (VERMILION, "-"), "growth_halves": (ORANGE, "--"), "growth_stops": (GREY, ":")}
    for ax, name in zip(f.axes, names):
        observed = proj[(proj["series"] == name) & (proj["kind"] == "observed")]
        ax.scatter(observed["period"].astype(int), observed["point"], color="#222222", s=16, zorder=3)
        last = observed.iloc[-1]
        for scenario, (color, style) in styles.items():
            rows = proj[(proj["series"] == name) & (proj["model"] == scenario)]
            xs = [int(last["period"])] + rows["period"].astype(int).tolist()
            ys = [last["point"]] + rows["point"].tolist()
            ax.plot(xs, ys, color=color, linestyle=style, linewidth=1.4, label=t["scenarios"][scenario])
        ax.set_yscale("log")
        ax.set_title(SERIES_LABELS[lang][name], fontsize=8.5, loc="left")
        ax.yaxis.set_major_formatter(lambda v, _: _compact(v, lang))
        ax.tick_params(labelsize=7.5)
    f.axes[0].legend(fontsize=7, loc="upper left")
    return f.fig
