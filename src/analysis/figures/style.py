"""House style and the one helper every figure goes through (frame, texts, saving)."""
from __future__ import annotations

import functools
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from analysis import typography
from analysis.readers import parse_yaml
from analysis.registry import citations, source_line
from analysis.figures.numbers import millions, number, ordinal, percent  # noqa: F401 (the figures' own)
from analysis.typography import NBSP, NNBSP

HERE = Path(__file__).parent
STYLE = HERE / "house.mplstyle"


def _bundled_fonts_only() -> None:
    """Draw with the fonts matplotlib ships, never a copy the machine happens to have (Debian's
    DejaVu differs in version): the PDFs embed the font files, and must be the same bytes everywhere."""
    import matplotlib
    import matplotlib.font_manager as fm

    bundled = str(Path(matplotlib.get_data_path()) / "fonts")
    fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist if f.fname.startswith(bundled)]
    fm.fontManager.afmlist = [f for f in fm.fontManager.afmlist if f.fname.startswith(bundled)]
    if hasattr(fm, "_findfont_cached"):  # findfont's lookups made before the lists changed
        fm._findfont_cached.cache_clear()


_bundled_fonts_only()
LANGS = ("en", "fr")
FORMATS = ("svg", "png", "pdf")
PNG_DPI = 150
# Okabe-Ito colours by role.
BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#999999"


def texts(figure_id: str, lang: str, **values) -> dict[str, str]:
    """A figure's texts in one language (figures/texts.yaml), with computed values filled in.

    French texts get French typography (`french_spaces`): texts.yaml is written with ordinary
    spaces before : ; ! ? % » and after «, and they become no-break spaces here.
    """
    fill = _Keep(values)
    table = {k: v.format_map(fill) if isinstance(v, str) else v for k, v in _texts_table()[figure_id][lang].items()}
    return _typeset(table) if lang == "fr" else table


def french_spaces(text: str) -> str:
    """'Source : a ; b, 95 %' with the no-break spaces French typography puts before : ; ! ? %
    and inside « », so that a line never starts with the punctuation; and a number stays on the
    line of the word after it (1er janvier, 7 à 10 ans, 29,2 millions)."""
    return re.sub(r"(?<![\w.])(\d+(?:er|e)?) (?=\w)", "\\1" + NBSP, typography.typo(text, "fr"))


def _typeset(value):
    if isinstance(value, str):
        return french_spaces(value)
    if isinstance(value, dict):
        return {k: _typeset(v) for k, v in value.items()}
    return value


@functools.cache
def _texts_table() -> dict:
    # Read once per process: parsing the YAML for each of 32 figures cost seconds.
    return parse_yaml((HERE / "texts.yaml").read_text(encoding="utf-8"))


class _Keep(dict):
    """Leaves {placeholders} that are filled later (e.g. a sentence built from another text)."""

    def __missing__(self, key):
        return "{" + key + "}"


def cite(source_ids, lang: str) -> str:
    """Every source's citation, in order: joined by '; ' (English) or ' ; ' (French)."""
    return _SOURCE_SEPARATOR[lang].join(citations(source_ids))


def source_list(source_ids, lang: str) -> str:
    """The sources of a figure in one line (`registry.source_line`: long lists summarised), with
    French separators in French."""
    line = source_line(source_ids, lang)
    listed = citations(source_ids)
    return cite(source_ids, lang) if line == "; ".join(listed) else line


_SOURCE_SEPARATOR = {"en": "; ", "fr": NNBSP + "; "}


@dataclass
class Frame:
    fig: Figure
    axes: list

    @property
    def ax(self):
        return self.axes[0]


def frame(title: str, subtitle: str, source: str, note: str = "", size=(8, 5), ncols: int = 1, wspace: float = 0.08,
          left: float = 0.11, panel_titles: bool = False) -> Frame:
    """A figure with the house layout: title and measure on top, source and note below.

    Distances are in inches so that taller figures keep the same spacing.
    """
    width_in, height_in = size
    title_lines = textwrap.wrap(title, 72)
    sub_lines = textwrap.wrap(subtitle, 105)
    foot_lines = textwrap.wrap(source, 120) + (textwrap.wrap(note, 120) if note else [])
    to_frac = lambda inches: inches / height_in  # noqa: E731
    title_y = 1 - to_frac(0.17)
    sub_y = 1 - to_frac(0.50 + 0.24 * (len(title_lines) - 1))
    top = sub_y - to_frac(0.165 * len(sub_lines) + 0.18 + (0.22 if panel_titles else 0))
    bottom = to_frac(0.1 + 0.135 * len(foot_lines) + 0.55)
    # Figure() rather than pyplot: no global state, and notebooks show it exactly once.
    with plt.style.context(STYLE):
        fig = Figure(figsize=size)
        total = 0.97 - left
        panel = (total - wspace * (ncols - 1)) / ncols
        axes = [fig.add_axes((left + i * (panel + wspace), bottom, panel, top - bottom)) for i in range(ncols)]
    fig.house_texts = {"title": title, "subtitle": subtitle, "source": source, "note": note}  # for the figure book
    fig.text(0.02, title_y, "\n".join(title_lines), fontsize=13, fontweight="bold", va="top", color="#111111")
    fig.text(0.02, sub_y, "\n".join(sub_lines), fontsize=9.5, va="top", color="#444444")
    fig.text(0.02, to_frac(0.1), "\n".join(foot_lines), fontsize=7.5, va="bottom", color="#555555", linespacing=1.35)
    return Frame(fig, axes)


def mark_break(ax, year: float, text: str, y: float, color: str = GREY) -> None:
    """A declared break in a series: a dashed line before `year` and its reason beside it."""
    ax.axvline(year - 0.5, color=color, linestyle="--", linewidth=1)
    ax.text(year - 0.4, y, text, ha="left", va="top", fontsize=7.5, color="#444444", linespacing=1.2)


def styled(function):
    """Run a drawing function inside the house style context."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with plt.style.context(STYLE):
            return function(*args, **kwargs)

    return wrapper


AUTHOR = "cse-stats contributors"  # as CITATION.cff names them


def save(fig: Figure, directory: Path, name: str, formats=FORMATS, texts: dict | None = None) -> list[Path]:
    """Write the figure deterministically (no dates or random ids in the files); `texts` (the
    figure's title, subtitle and source line) become the PDF's Title, Author and Subject."""
    directory.mkdir(parents=True, exist_ok=True)
    texts = texts or {}
    described = {k: v for k, v in (("Title", texts.get("title", "")), ("Author", AUTHOR),
                                   ("Subject", " ".join(t for t in (texts.get("subtitle", ""), texts.get("source", "")) if t)))
                 if v}
    metadata = {
        "svg": {"Date": None, "Creator": "analysis (matplotlib)"},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": "analysis (matplotlib)", "Producer": "matplotlib",
                **described},
        "png": {"Software": "analysis (matplotlib)"},
    }
    written = {}
    with plt.style.context(STYLE):
        for fmt in sorted(formats, key=lambda f: f == "png"):  # the PDF first: the PNG is drawn from it
            path = directory / f"{name}.{fmt}"
            if fmt == "png" and "pdf" in written:
                _png_from_pdf(written["pdf"], path, fig.get_size_inches(), {"Software": "analysis (matplotlib, PDFium)"})
            else:
                # zlib level 1 for PNG: a third faster than the default and no larger on flat-colour charts.
                extra = {"dpi": PNG_DPI, "pil_kwargs": {"compress_level": 1}} if fmt == "png" else {}
                fig.savefig(path, format=fmt, metadata=metadata[fmt], **extra)
            written[fmt] = path
    return [written[fmt] for fmt in formats]


def _png_from_pdf(pdf: Path, png: Path, size_inches, metadata: dict) -> None:
    """Rasterise the figure's PDF with PDFium (pypdfium2): the same drawing as the vector files,
    at a fifth of the time matplotlib's own raster backend takes to draw the figure again."""
    import pypdfium2
    from PIL import PngImagePlugin

    width, height = (round(x * PNG_DPI) for x in size_inches)
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        image = doc[0].render(scale=PNG_DPI / 72).to_pil().convert("RGBA").crop((0, 0, width, height))
    finally:
        doc.close()
    info = PngImagePlugin.PngInfo()
    for key, value in metadata.items():
        info.add_text(key, value)
    image.save(png, format="png", pnginfo=info, dpi=(PNG_DPI, PNG_DPI), compress_level=1)
