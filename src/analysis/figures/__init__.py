"""Figure functions. Each takes the observations and a language and returns a Figure.

FIGURES lists every figure the build writes (figures/<lang>/<id>.svg|png|pdf).
"""
from analysis.figures import claims, france_pc, in_figures, iwf, ncmec, trends
from analysis.figures.style import FORMATS, LANGS, save

FIGURES = {
    "in_figures": in_figures.in_figures,
    "ncmec_cybertipline_reports_per_year": ncmec.cybertipline_reports_per_year,
    "ncmec_france_reports": ncmec.france_reports,
    "ncmec_eu27_ranking": ncmec.eu27_ranking,
    "ncmec_incident_types": ncmec.incident_types,
    "ncmec_generative_ai_reports": ncmec.generative_ai_reports,
    "iwf_confirmed_per_year": iwf.confirmed_per_year,
    "iwf_age_shares": iwf.age_shares,
    "iwf_ai_forum_study": iwf.ai_forum_study,
    "france_reports_ncmec_vs_ofmin": france_pc.reports_ncmec_vs_ofmin,
    "france_sextortion_reports": france_pc.sextortion_reports,
    "pc_redirection_survey": france_pc.redirection_survey,
    "pc_techplatforms_survey": france_pc.techplatforms_survey,
    "claims_verdicts": claims.verdicts,
    "trends_fan": trends.fan,
    "trends_scenarios": trends.scenarios,
}

def show(figure_id: str, lang: str = "en"):
    """Display a figure in a notebook: the file the build wrote (figures/<lang>/<id>.png) if it
    exists, so notebooks show exactly the published figure; otherwise draw it."""
    from analysis.observations import load_observations
    from analysis.paths import default_paths

    path = default_paths().figures / lang / f"{figure_id}.png"
    if path.exists():
        from IPython.display import Image

        return Image(filename=str(path))
    return FIGURES[figure_id](load_observations(), lang)


__all__ = ["show", "FIGURES", "FORMATS", "LANGS", "save", "claims", "france_pc", "in_figures", "iwf", "ncmec", "trends"]
