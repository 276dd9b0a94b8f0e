"""The static site (site/): the figure book in English and French.

Every page exists in both languages, site/en/NAME and site/fr/NAME, with a switch to the same page
in the other language; site/index.html links to both:

  index.html    the figure book: captions (title, measure, source line, note) from
                figures/manifest.json, links to the other pages, notebooks, downloads (the data package)
  ledger.html   the claim ledger, filterable; French wording from data/public/report/claims_fr.csv
  find.html     find a number: assets/find.js over assets/find-data.js (the observations, compact)
  changes.html  data/processed/changes.csv: counts by change type, and every row
  sources.html  every publication cited

Shared by both languages: site/data (the processed tables), site/figures, site/notebooks (written
by the notebooks stage), site/assets. Interface texts, numbers and French typography:
analysis.site_i18n (texts in site_assets/texts.yaml). Plain HTML with relative links and small
scripts: it opens from the file system, no server needed.
"""
from __future__ import annotations

import html
import json
import shutil
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis.escape import attr, csp_meta, href, safe_url
from analysis.paths import Paths
from analysis.site_i18n import (ASSETS, LANGS, NBSP, Labels, code, esc, explanation_fr, geography_label, load_claims_fr, rule_notes,
                                neutral, number, other, printed_number, qualified, rich, t, texts, typo, unit_label)

STYLE = (ASSETS / "site.css").read_text(encoding="utf-8")
# Scripts are files of the site (the pages' Content-Security-Policy refuses inline script).
FILTER_SCRIPT = '<script src="../assets/filter.js"></script>\n'
SCRIPTS = ("filter.js", "find.js")
PAGES = ("index.html", "ledger.html", "find.html", "changes.html", "sources.html")
NAV = (("index.html", "nav_figures"), ("ledger.html", "nav_ledger"), ("find.html", "nav_find"),
       ("changes.html", "nav_changes"), ("sources.html", "nav_sources"), ("index.html#notebooks", "nav_notebooks"),
       ("index.html#data", "nav_data"))
REPORT_TITLE = "Generative AI: a new weapon being used in child sexual abuse"


# --- the page shell -----------------------------------------------------------------------------

def page(title: str, body: str, root: str = "", lang: str = "en", name: str | None = None,
         inline_script: str = "", nav: bool = True) -> str:
    """A page of the site. `root`: the relative path from the page to the site folder; `name`: the
    page's file name in site/<lang>/ (gives the language switch; None for pages outside the site,
    such as `python -m analysis check --html`); `inline_script`: the script of a page that stands
    alone (allowed by its hash; pages of the site load theirs from assets/); `nav`: False for a page
    that stands alone (no links into a site that may not be beside it)."""
    here = f"{root}{lang}/"
    links = []
    for target, key in NAV:
        current = ' aria-current="page"' if name and target == name else ""
        links.append(f'<a href="{here}{target}"{current}>{esc(t(key, lang), lang)}</a>')
    head_extra = ""
    if name:
        o = other(lang)
        switch = f"{root}{o}/{name}"
        links.append(f'<a class="switch" href="{switch}" hreflang="{o}" lang="{o}" title="{html.escape(t("switch_title", lang))}">'
                     f'{html.escape(t("language_name", o))}</a>')
        head_extra = f'<link rel="alternate" hreflang="{o}" href="{switch}">\n'
    menu = f'<nav>{"".join(links)}</nav>' if nav else ""
    return (f'<!doctype html>\n<html lang="{lang}">\n<head><meta charset="utf-8">{csp_meta(*filter(None, [inline_script]))}'
            f'<title>{esc(title, lang)}</title>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n{head_extra}<style>\n{STYLE}</style></head>\n'
            f'<body>\n{menu}\n{body}\n'
            f'{f"<script>{inline_script}</script>" if inline_script else ""}'
            f'</body>\n</html>\n')


def _table(table_id: str, heads: list[str], rows: list[str]) -> str:
    head = "".join(f"<th>{h}</th>" for h in heads)
    return (f'<div class="scroll"><table id="{table_id}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _filters(lang: str, table_id: str, attr: str, label_key: str, options: list[tuple[str, str]], count_key: str) -> str:
    opts = "".join(f'<option value="{html.escape(v)}">{label}</option>' for v, label in options)
    return (f'<div class="filters" data-table="{table_id}"><label>{t("search_label", lang)} <input id="q" type="search" '
            f'placeholder="{html.escape(t("search_placeholder", lang))}"></label>'
            f'<label>{t(label_key, lang)} <select id="{attr}" data-attr="{attr}"><option value="">{t("all", lang)}</option>{opts}</select></label>'
            f'<span id="count" class="small" data-template="{html.escape(t(count_key, lang))}"></span></div>')


# --- what the pages are made of -----------------------------------------------------------------

@dataclass
class Inputs:
    """Everything the pages are made from, read once."""
    manifest: list[dict]
    ledger: pd.DataFrame
    claims: pd.DataFrame  # claims.csv by claim_id (unit of each printed value)
    claims_fr: pd.DataFrame
    notes: dict[str, str]  # claim_id -> the rule's note or reason (claim_rules.yaml), English
    indicators: pd.DataFrame
    sources: pd.DataFrame
    observations: pd.DataFrame
    changes: pd.DataFrame
    datapackage: dict
    notebooks: list[str]
    data_files: list[str]
    breakdowns: pd.DataFrame = field(default_factory=pd.DataFrame)  # the codebook (breakdowns.csv)
    topics: pd.DataFrame = field(default_factory=pd.DataFrame)  # topics.csv

    @classmethod
    def read(cls, paths: Paths) -> "Inputs":
        from analysis.claims import load_claims
        from analysis.notebooks import notebook_files
        from analysis.observations import read_observations_csv

        processed, site = paths.processed, paths.site
        csv = lambda name: pd.read_csv(processed / name, dtype=str, keep_default_na=False)  # noqa: E731
        return cls(
            manifest=json.loads((paths.figures / "manifest.json").read_text(encoding="utf-8")),
            ledger=csv("claim_checks.csv"), claims=load_claims(paths).set_index("claim_id"),
            claims_fr=load_claims_fr(paths.public), notes=rule_notes(paths.public),
            indicators=csv("indicators.csv"), sources=csv("sources.csv"),
            observations=read_observations_csv(processed / "observations.csv"), changes=csv("changes.csv"),
            datapackage=json.loads((processed / "datapackage.json").read_text(encoding="utf-8")),
            # the pages the notebooks stage writes (it may run beside this one: list the notebooks, not the folder)
            notebooks=sorted(f"{p.stem}.html" for p in notebook_files(paths)),
            data_files=sorted(p.name for p in (site / "data").iterdir() if p.is_file()),
            breakdowns=csv("breakdowns.csv"), topics=csv("topics.csv"))

    @cached_property
    def labels(self) -> Labels:
        return Labels(self.indicators)

    @cached_property
    def _citations(self) -> dict[str, tuple[str, str]]:
        return dict(zip(self.sources["source_id"], zip(self.sources["citation"], self.sources["url"])))

    def source(self, source_id: str) -> tuple[str, str]:
        """(citation, url) of a publication."""
        return self._citations.get(source_id, (source_id, ""))


def write(paths: Paths) -> None:
    site = paths.site
    site.mkdir(parents=True, exist_ok=True)
    shutil.copytree(paths.processed, site / "data", dirs_exist_ok=True)
    shutil.copytree(paths.figures, site / "figures", dirs_exist_ok=True)
    inputs = Inputs.read(paths)
    assets = site / "assets"
    assets.mkdir(exist_ok=True)
    (assets / "find-data.js").write_text("window.FIND_DATA = " + json.dumps(finder_data(inputs), ensure_ascii=False,
                                         separators=(",", ":")) + ";\n", encoding="utf-8")
    for script in SCRIPTS:
        shutil.copyfile(ASSETS / script, assets / script)
    builders = {"index.html": book_page, "ledger.html": ledger_page, "find.html": find_page,
                "changes.html": changes_page, "sources.html": sources_page}
    for lang in LANGS:
        (site / lang).mkdir(exist_ok=True)
        for name in PAGES:
            (site / lang / name).write_text(builders[name](inputs, lang), encoding="utf-8")
    (site / "index.html").write_text(landing_page(), encoding="utf-8")


def landing_page() -> str:
    """site/index.html: both languages, each in its own."""
    items = "".join(f'<li lang="{lang}"><a href="{lang}/index.html" hreflang="{lang}">{html.escape(t("language_name", lang))}</a> '
                    f'— {esc(t("landing_intro", lang), lang)}</li>' for lang in LANGS)
    body = (f'<h1>{esc(t("site_title", "en"), "en")}</h1><p lang="fr"><strong>{esc(t("site_title", "fr"), "fr")}</strong></p>'
            f'<ul class="langs">{items}</ul>')
    return (f'<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">{csp_meta()}<title>{esc(t("book_title", "en"), "en")} · '
            f'{esc(t("book_title", "fr"), "fr")}</title>\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<style>\n{STYLE}</style></head>\n<body>\n{body}\n</body>\n</html>\n')


# --- the figure book (index.html) ---------------------------------------------------------------

def book_page(inputs: Inputs, lang: str) -> str:
    report = (f"<em>{html.escape(REPORT_TITLE)}</em>" if lang == "en"
              else f'<em lang="en" class="lang-neutral">{html.escape(REPORT_TITLE)}</em>')
    parts = [f"<h1>{esc(t('site_title', lang), lang)}</h1>", f"<p>{t('book_intro', lang, report=report)}</p>",
             f'<h2 id="figures">{t("figures_heading", lang)}</h2><div class="grid">']
    by_id: dict[str, dict[str, dict]] = {}
    for entry in inputs.manifest:
        by_id.setdefault(entry["id"], {})[entry["lang"]] = entry
    for figure_id, langs in by_id.items():
        parts.append(figure_html(figure_id, langs.get(lang) or next(iter(langs.values())), lang))
    parts.append("</div>")
    for heading, key, teaser in (("ledger", "nav_ledger", "ledger_teaser"), ("find", "nav_find", "find_teaser"),
                                 ("changes", "nav_changes", "changes_teaser"), ("sources", "nav_sources", "sources_teaser")):
        parts.append(f'<h2 id="{heading}">{t(key, lang)}</h2><p>{t(teaser, lang)}</p>')
    parts.append(f'<h2 id="notebooks">{t("nav_notebooks", lang)}</h2><p>{t("notebooks_intro", lang)}</p><ul>')
    for name in inputs.notebooks:
        title = html.escape(Path(name).stem.replace("_", " "))
        parts.append(f'<li><a href="../notebooks/{name}"><span class="lang-neutral" lang="en">{title}</span></a></li>')
    parts.append(f'</ul><h2 id="data">{t("nav_data", lang)}</h2>{downloads_html(inputs, lang)}')
    return page(t("book_title", lang), "\n".join(parts), "../", lang, "index.html")


def figure_html(figure_id: str, entry: dict, lang: str) -> str:
    """One figure: image (PNG, linked to the SVG), title, measure, source line, note, files."""
    text_lang = entry["lang"]
    files = entry["files"]
    png = next(f for f in files if f.endswith(".png"))
    svg = next((f for f in files if f.endswith(".svg")), png)
    title = typo(entry.get("title", figure_id), text_lang)
    links = ", ".join(f'<a href="../figures/{attr(f)}">{html.escape(f.rsplit(".", 1)[-1].upper())}</a>' for f in files)
    note = f'<br><span class="small">{esc(entry["note"], text_lang)}</span>' if entry.get("note") else ""
    mark = f' lang="{text_lang}"' if text_lang != lang else ""
    return (f'<figure id="{attr(figure_id)}"{mark}><a href="../figures/{attr(svg)}"><img src="../figures/{attr(png)}" alt="{attr(title)}" '
            f'loading="lazy"></a><figcaption><strong>{html.escape(title, quote=False)}</strong>'
            f'<br>{esc(entry.get("subtitle", ""), text_lang)}'
            f'<br><span class="small lang-neutral">{esc(entry.get("source", ""), text_lang)}</span>{note}'
            f'<br><span class="small">{links} · <a href="../data/observations.csv">{t("figure_data", lang)}</a></span>'
            f'</figcaption></figure>')


def downloads_html(inputs: Inputs, lang: str) -> str:
    """The data package and each of its tables, with its one-line title from datapackage.json
    (in French from site_assets/texts.yaml)."""
    french = texts()["resources"]
    items = [f'<li><a href="../data/datapackage.json">datapackage.json</a> — {t("datapackage_title", lang)}</li>']
    listed = {"datapackage.json"}
    for resource in inputs.datapackage.get("resources", []):
        path = resource["path"]
        listed.add(path)
        title = resource.get("title", resource["name"])
        if lang != "en":
            fr = french.get(resource["name"], {}).get(lang)
            title_html = esc(fr, lang) if fr else f'<span lang="en">{html.escape(title)}</span>'
        else:
            title_html = html.escape(title)
        tip = html.escape(resource.get("description", ""))
        fmt = html.escape(str(resource.get("format", "")).upper())
        items.append(f'<li><a href="../data/{html.escape(path)}" title="{tip}">{html.escape(path)}</a> — {title_html}'
                     f'{f" <span class=small>({fmt})</span>" if fmt else ""}</li>')
    rest = [f for f in inputs.data_files if f not in listed]
    out = f'<p>{t("data_intro", lang)}</p><ul>{"".join(items)}</ul>'
    if rest:
        out += f'<p>{t("data_other", lang)}</p><ul>' + "".join(f'<li><a href="../data/{html.escape(f)}">{html.escape(f)}</a></li>'
                                                                for f in rest) + "</ul>"
    return out


# --- the claim ledger (ledger.html) -------------------------------------------------------------

def ledger_page(inputs: Inputs, lang: str) -> str:
    ledger = inputs.ledger
    verdicts = texts()["verdicts"]
    label = lambda v: esc(verdicts.get(v, {}).get(lang, v), lang)  # noqa: E731
    options = [(v, label(v)) for v in sorted(ledger["verdict"].unique())]
    heads = [t(f"col_{c}", lang) for c in ("claim_id", "section", "claim", "value_printed", "verdict", "published",
                                           "source", "explanation")]
    labels = inputs.labels
    rows = []
    for r in ledger.itertuples():
        unit = inputs.claims.at[r.claim_id, "unit"] if r.claim_id in inputs.claims.index else ""
        section, claim, value, explanation = _ledger_texts(inputs, r, lang, labels)
        source = _source_link(inputs, r.source_id, r.source_url)
        rows.append(f'<tr data-verdict="{attr(r.verdict)}"><td>{html.escape(r.claim_id)}</td><td>{section}</td><td>{claim}</td>'
                    f'<td>{value}</td><td>{label(r.verdict)}</td><td class="num">{esc(printed_number(r.published_value, lang, unit), lang)}</td>'
                    f'<td>{source}</td><td>{explanation}</td></tr>')
    body = (f'<h1>{t("nav_ledger", lang)}</h1><p>{t("ledger_intro", lang)}</p>'
            + _filters(lang, "ledger", "verdict", "verdict_label", options, "count_claims")
            + _table("ledger", heads, rows) + FILTER_SCRIPT)
    return page(t("nav_ledger", lang), body, "../", lang, "ledger.html")


def _ledger_texts(inputs: Inputs, r, lang: str, labels: Labels) -> tuple[str, str, str, str]:
    """Section, claim, value printed and explanation of a ledger row, as HTML in `lang`.
    In French, a wording missing from claims_fr.csv falls back to the English, marked lang="en"."""
    if lang == "en":
        return esc(r.section, lang), esc(r.claim, lang), esc(r.value_printed, lang), esc(r.explanation, lang)
    english = lambda text: f'<span lang="en">{html.escape(text)}</span>'  # noqa: E731
    fr = inputs.claims_fr.loc[r.claim_id] if r.claim_id in inputs.claims_fr.index else None
    section = rich(fr["section_fr"], lang) if fr is not None and fr["section_fr"] else english(r.section)
    claim = rich(fr["claim_fr"], lang) if fr is not None and fr["claim_fr"] else english(r.claim)
    note_en = inputs.notes.get(r.claim_id, "")
    explanation = explanation_fr(r.explanation, r.value_printed, note_en, fr["note_fr"] if fr is not None else "", labels,
                                 fr["note_en"] if fr is not None else "")
    return section, claim, neutral(r.value_printed), explanation if explanation is not None else english(r.explanation)


def _source_link(inputs: Inputs, source_ids: str, url: str) -> str:
    if not source_ids:
        return ""
    citation = "; ".join(inputs.source(s)[0] for s in source_ids.split(";"))
    text = code(source_ids)
    return f'<a{href(url)} title="{attr(citation)}">{text}</a>' if safe_url(url) else text


# --- find a number (find.html) ------------------------------------------------------------------

def finder_data(inputs: Inputs) -> dict:
    """The observations for assets/find.js, compact: lookup tables and one array per row
    [value, qualifier, unit, indicator, geography, period, breakdown, source] (indices)."""
    obs = inputs.observations
    tables: dict[str, dict[str, int]] = {k: {} for k in ("qualifiers", "units", "indicators", "geographies", "periods",
                                                        "breakdowns", "sources")}

    def index(table: str, key: str) -> int:
        return tables[table].setdefault(key, len(tables[table]))

    rows = []
    for r in obs.itertuples(index=False):
        value = float(r.value)
        rows.append([int(value) if value.is_integer() else value, index("qualifiers", r.qualifier), index("units", r.unit),
                     index("indicators", r.indicator), index("geographies", r.geography), index("periods", r.period),
                     index("breakdowns", r.breakdown), index("sources", r.source_id)])
    names = inputs.labels.names
    return {
        "qualifiers": list(tables["qualifiers"]), "units": list(tables["units"]), "periods": list(tables["periods"]),
        "breakdowns": list(tables["breakdowns"]),
        "indicators": [[i, names["en"].get(i, i), names["fr"].get(i, i)] for i in tables["indicators"]],
        "geographies": [[g, geography_label(g, "en"), geography_label(g, "fr")] for g in tables["geographies"]],
        "sources": [[inputs.source(s)[0], safe_url(inputs.source(s)[1])] for s in tables["sources"]],
        "rows": rows,
    }


def find_page(inputs: Inputs, lang: str) -> str:
    js = dict(texts()["find_js"][lang])
    js = {k: typo(v, lang) for k, v in js.items()}
    js.update(lang=lang, columns=[t(f"col_{c}", lang) for c in ("value", "measure", "unit", "geography", "period",
                                                                    "breakdown", "source")],
              units={u: typo(v[lang], lang) for u, v in texts()["units"].items()},
              qualifiers={q: typo(v[lang], lang) for q, v in texts()["qualifiers"].items()})
    data = json.dumps(js, ensure_ascii=False).replace("</", "<\\/")
    body = (f'<h1>{t("nav_find", lang)}</h1><p>{t("find_intro", lang)}</p>'
            f'<div class="filters"><label>{t("find_label", lang)} <input id="number" type="search" autocomplete="off" '
            f'placeholder="{html.escape(t("find_placeholder", lang))}"></label></div>'
            f'<p id="reading" class="small" aria-live="polite"></p><div id="results" aria-live="polite"></div>'
            f'<script type="application/json" id="find-texts">{data}</script>\n'
            f'<script src="../assets/find-data.js"></script>\n<script src="../assets/find.js"></script>')
    return page(t("nav_find", lang), body, "../", lang, "find.html")


# --- what changed (changes.html) ----------------------------------------------------------------

def value_cell(value: str, unit: str, qualifier: str, lang: str) -> str:
    """An old or new value of changes.csv, with its qualifier and unit, in `lang`."""
    if value == "":
        return ""
    text = esc(qualified(float(value), unit, qualifier, lang), lang)
    if unit in ("percent", "percent_change", "year", "yyyymm", "yyyymmdd"):
        return text
    return f"{text} {unit_label(unit, lang)}"


def changes_page(inputs: Inputs, lang: str) -> str:
    changes = inputs.changes
    kinds = texts()["changes"]
    label = lambda k: esc(kinds.get(k, {}).get(lang, k), lang)  # noqa: E731
    counts = changes["change"].value_counts()
    order = [k for k in kinds] + sorted(set(counts.index) - set(kinds))
    count_rows = [f'<tr data-change="{html.escape(k)}"><td>{label(k)}</td><td class="num">{number(int(counts.get(k, 0)), lang)}</td></tr>'
                  for k in order]
    labels = inputs.labels
    rows = []
    for r in changes.itertuples():
        citation, url = inputs.source(r.source_id)
        source = f'<a{href(url)} title="{attr(citation)}">{code(r.source_id)}</a>' if safe_url(url) else code(r.source_id)
        rows.append(f'<tr data-change="{html.escape(r.change)}"><td>{label(r.change)}</td><td>{source}</td>'
                    f'<td>{labels.indicator(r.indicator, lang)}<br>{code(r.indicator)}</td>'
                    f'<td>{labels.geography(r.geography, lang)}</td><td>{esc(r.period, lang)}</td>'
                    f'<td>{code(r.breakdown) if r.breakdown else ""}</td>'
                    f'<td class="num">{value_cell(r.old_value, r.old_unit, r.old_qualifier, lang)}</td>'
                    f'<td class="num">{value_cell(r.new_value, r.new_unit, r.new_qualifier, lang)}</td></tr>')
    heads = [t(f"col_{c}", lang) for c in ("change", "source", "measure", "geography", "period", "breakdown", "old", "new")]
    body = (f'<h1>{t("nav_changes", lang)}</h1><p>{t("changes_intro", lang)}</p>'
            f'<h2>{t("changes_by_type", lang)}</h2>'
            + _table("change-counts", [t("col_change", lang), t("col_count", lang)], count_rows)
            + f'<h2>{t("changes_rows", lang)}</h2>')
    if rows:
        options = [(k, label(k)) for k in order if counts.get(k, 0)]
        body += _filters(lang, "changes", "change", "change_label", options, "count_changes") + _table("changes", heads, rows) + FILTER_SCRIPT
    else:
        body += f'<p>{t("changes_none", lang)}</p>'
    return page(t("nav_changes", lang), body, "../", lang, "changes.html")


# --- sources (sources.html) ---------------------------------------------------------------------

def sources_page(inputs: Inputs, lang: str) -> str:
    kinds = texts()["kinds"]
    rows = []
    for r in inputs.sources.itertuples():
        citation = html.escape(r.citation, quote=False)
        cite = f'<a class="lang-neutral"{href(r.url)}>{citation}</a>' if safe_url(r.url) else neutral(r.citation)
        kind = esc(kinds.get(r.kind, {}).get(lang, r.kind), lang)
        rows.append(f"<tr><td>{cite}</td><td>{kind}</td><td>{code(r.source_id)}</td></tr>")
    heads = [t("col_citation", lang), t("col_kind", lang), t("col_id", lang)]
    body = f'<h1>{t("nav_sources", lang)}</h1><p>{t("sources_intro", lang)}</p>' + _table("sources", heads, rows)
    body += topics_html(inputs, lang) + codebook_html(inputs, lang)
    return page(t("nav_sources", lang), body, "../", lang, "sources.html")


def _english(text: str, lang: str) -> str:
    """A registry text written in English: plain on English pages, marked as English on French ones."""
    return esc(text, lang) if lang == "en" else neutral(text, "en")


def topics_html(inputs: Inputs, lang: str) -> str:
    """The topics indicators declare (topics.csv)."""
    rows = [f"<tr><td>{code(r.id)}</td><td>{esc(r.label_en if lang == 'en' else r.label_fr, lang)}</td>"
            f"<td>{_english(r.definition, lang)}</td></tr>" for r in inputs.topics.itertuples()]
    heads = [t("col_id", lang), t("col_label", lang), t("col_definition", lang)]
    return f'<h2 id="topics">{t("topics_title", lang)}</h2><p>{t("topics_intro", lang)}</p>' + _table("topic-list", heads, rows)


def codebook_html(inputs: Inputs, lang: str) -> str:
    """Every breakdown key with its meaning and values (breakdowns.csv, from data/public/breakdowns.yaml)."""
    rows = []
    if len(inputs.breakdowns):
        for key, group in inputs.breakdowns.groupby("key", sort=True):
            first = group.iloc[0]
            label = first["key_label_en"] if lang == "en" else first["key_label_fr"]
            if first["values_rule"]:
                values = (f'{_english(first["values_rule"], lang)} '
                          f'({esc(t("codebook_values_in_use", lang, n=number(len(group), lang)), lang)})')
            else:
                colon = ": " if lang == "en" else NBSP + ": "  # French: a no-break space before the colon
                values = "<ul>" + "".join(f"<li>{code(v)}{colon}{_english(d, lang)}</li>"
                                          for v, d in zip(group["value"], group["value_definition"])) + "</ul>"
            rows.append(f"<tr><td>{code(key)}</td><td>{esc(label, lang)}</td><td>{_english(first['key_definition'], lang)}</td>"
                        f"<td>{values}</td></tr>")
    heads = [t("col_key", lang), t("col_label", lang), t("col_definition", lang), t("col_values", lang)]
    return f'<h2 id="codebook">{t("codebook_title", lang)}</h2><p>{t("codebook_intro", lang)}</p>' + _table("breakdowns", heads, rows)
