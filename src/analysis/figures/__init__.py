"""Figure functions. Each takes the observations and a language and returns a Figure.

FIGURES lists every figure the build writes (figures/<lang>/<id>.svg|png|pdf).
"""
from analysis.figures import ncmec
from analysis.figures.style import FORMATS, LANGS, save

FIGURES = {
    "ncmec_cybertipline_reports_per_year": ncmec.cybertipline_reports_per_year,
    "ncmec_france_reports": ncmec.france_reports,
    "ncmec_eu27_ranking": ncmec.eu27_ranking,
    "ncmec_incident_types": ncmec.incident_types,
    "ncmec_generative_ai_reports": ncmec.generative_ai_reports,
}

__all__ = ["FIGURES", "FORMATS", "LANGS", "save", "ncmec"]
