"""House style and the one helper every figure goes through (frame, texts, saving)."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import yaml
from matplotlib.figure import Figure

HERE = Path(__file__).parent
STYLE = HERE / "house.mplstyle"
LANGS = ("en", "fr")
FORMATS = ("svg", "png", "pdf")
PNG_DPI = 150
# Okabe-Ito colours by role.
BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#999999"
NNBSP = "\u202f"  # French thousands separator (narrow no-break space)


def texts(figure_id: str, lang: str, **values) -> dict[str, str]:
    """A figure's texts in one language (figures/texts.yaml), with computed values filled in."""
    with open(HERE / "texts.yaml", encoding="utf-8") as fh:
        table = yaml.safe_load(fh)
    return {k: v.format(**values) if isinstance(v, str) else v for k, v in table[figure_id][lang].items()}


def number(value: float, lang: str, decimals: int = 0) -> str:
    """36,210,368 in English; 36 210 368 in French (narrow no-break spaces, decimal comma)."""
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def millions(value: float, lang: str, decimals: int = 1) -> str:
    word = {"en": "million", "fr": "millions"}[lang]
    return f"{number(value / 1e6, lang, decimals)} {word}"


@dataclass
class Frame:
    fig: Figure
    ax: object


def frame(title: str, subtitle: str, source: str, note: str = "", size=(8, 5)) -> Frame:
    """A figure with the house layout: title and measure on top, source and note below."""
    wrap = lambda s, width: textwrap.wrap(s, width)  # noqa: E731
    sub_lines = wrap(subtitle, 105)
    foot_lines = wrap(source, 120) + (wrap(note, 120) if note else [])
    line_h = 0.16 / size[1]  # one text line, in figure height units
    top = 0.905 - line_h * 1.05 * len(sub_lines) - 0.035
    bottom = 0.02 + line_h * 0.9 * len(foot_lines) + 0.11
    # Figure() rather than pyplot: no global state, and notebooks show it exactly once.
    with plt.style.context(STYLE):
        fig = Figure(figsize=size)
        ax = fig.add_axes((0.09, bottom, 0.88, top - bottom))
    fig.text(0.02, 0.965, title, fontsize=13, fontweight="bold", va="top", color="#111111")
    fig.text(0.02, 0.905, "\n".join(sub_lines), fontsize=9.5, va="top", color="#444444")
    fig.text(0.02, 0.02, "\n".join(foot_lines), fontsize=7.5, va="bottom", color="#555555", linespacing=1.35)
    return Frame(fig, ax)


def styled(function):
    """Run a drawing function inside the house style context."""

    def wrapper(*args, **kwargs):
        with plt.style.context(STYLE):
            return function(*args, **kwargs)

    wrapper.__name__ = function.__name__
    wrapper.__doc__ = function.__doc__
    return wrapper


def save(fig: Figure, directory: Path, name: str, formats=FORMATS) -> list[Path]:
    """Write the figure deterministically (no dates or random ids in the files)."""
    directory.mkdir(parents=True, exist_ok=True)
    metadata = {
        "svg": {"Date": None, "Creator": "analysis (matplotlib)"},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": "analysis (matplotlib)", "Producer": "matplotlib"},
        "png": {"Software": "analysis (matplotlib)"},
    }
    written = []
    with plt.style.context(STYLE):
        for fmt in formats:
            path = directory / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, metadata=metadata[fmt], dpi=PNG_DPI if fmt == "png" else None)
            written.append(path)
    return written
