"""Figure functions. Each takes the observations and a language and returns a Figure.

FIGURES lists every figure the build writes (figures/<lang>/<id>.svg|png|pdf). The drawing
modules, and matplotlib, load on first use (PEP 562): a notebook that only shows the figures
the build wrote does not import them.
"""
import importlib

_DRAWING = {  # figure id -> (module, function)
    "in_figures": ("in_figures", "in_figures"),
    "ncmec_cybertipline_reports_per_year": ("ncmec", "cybertipline_reports_per_year"),
    "ncmec_france_reports": ("ncmec", "france_reports"),
    "ncmec_eu27_ranking": ("ncmec", "eu27_ranking"),
    "ncmec_incident_types": ("ncmec", "incident_types"),
    "ncmec_generative_ai_reports": ("ncmec", "generative_ai_reports"),
    "iwf_confirmed_per_year": ("iwf", "confirmed_per_year"),
    "iwf_age_shares": ("iwf", "age_shares"),
    "iwf_ai_forum_study": ("iwf", "ai_forum_study"),
    "france_reports_ncmec_vs_ofmin": ("france_pc", "reports_ncmec_vs_ofmin"),
    "france_sextortion_reports": ("france_pc", "sextortion_reports"),
    "pc_redirection_survey": ("france_pc", "redirection_survey"),
    "pc_techplatforms_survey": ("france_pc", "techplatforms_survey"),
    "claims_verdicts": ("claims", "verdicts"),
    "trends_fan": ("trends", "fan"),
    "trends_scenarios": ("trends", "scenarios"),
}
_STYLE = ("FORMATS", "LANGS", "save")
_MODULES = {module for module, _ in _DRAWING.values()}


def __getattr__(name: str):
    if name == "FIGURES":
        value = {fid: getattr(importlib.import_module(f"analysis.figures.{module}"), function)
                 for fid, (module, function) in _DRAWING.items()}
    elif name in _STYLE:
        value = getattr(importlib.import_module("analysis.figures.style"), name)
    elif name in _MODULES:
        value = importlib.import_module(f"analysis.figures.{name}")
    else:
        raise AttributeError(f"module 'analysis.figures' has no attribute {name!r}")
    globals()[name] = value
    return value


def show(figure_id: str, lang: str = "en"):
    """Display a figure in a notebook: the file the build wrote (figures/<lang>/<id>.png) if it
    exists, so notebooks show exactly the published figure; otherwise draw it."""
    from IPython.display import Image

    from analysis.paths import default_paths

    path = default_paths().figures / lang / f"{figure_id}.png"
    return Image(filename=str(path)) if path.exists() else Image(data=_drawn_png(figure_id, lang))


def _drawn_png(figure_id: str, lang: str) -> bytes:
    """The figure drawn now, as PNG bytes (a Figure object shows only where the inline backend is on)."""
    import io

    import matplotlib.pyplot as plt

    from analysis.figures import FIGURES
    from analysis.figures.style import PNG_DPI, STYLE
    from analysis.observations import load_observations

    fig = FIGURES[figure_id](load_observations(), lang)
    png = io.BytesIO()
    with plt.style.context(STYLE):
        fig.savefig(png, format="png", dpi=PNG_DPI)
    plt.close(fig)
    return png.getvalue()


__all__ = ["show", "FIGURES", "FORMATS", "LANGS", "save", "claims", "france_pc", "in_figures", "iwf", "ncmec", "trends"]
