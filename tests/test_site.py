"""The figure book in a real browser (headless Chromium), in English and French; its French
wording and typography; finding a number; and refreshing with next year's row.

One browser per test worker; every page of the shared build is opened once in the run
(`visited`), the pages tests type into are kept open."""
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest
from conftest import once_per_run

from analysis import build_observations
from analysis.checks import printed
from analysis.figures import FIGURES
from analysis.site import PAGES
from analysis.site_i18n import LANGS, NNBSP, number, percent, typo

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]
LANG_PAGES = [f"{lang}/{name}" for lang in LANGS for name in PAGES]
KEEP_OPEN = ("en/ledger.html", "en/find.html", "fr/find.html")
# Words and phrases that betray an English sentence on a French page (outside .lang-neutral).
ENGLISH = re.compile(r"\b(?:the|of|and|with|from|which|not|is|are|was|were|this|these|only|than|Reports|Download)\b|Sources?:")
INFO = """() => {
  const text = document.body.cloneNode(true);
  text.querySelectorAll('.lang-neutral, script, style').forEach(e => e.remove());
  text.querySelectorAll('td, th, li, p, div, h1, h2, br, figcaption, nav a').forEach(e => e.append(' '));
  const rows = {};
  document.querySelectorAll('table[id]').forEach(t => { rows[t.id] = t.querySelectorAll('tbody tr').length; });
  return {
    lang: document.documentElement.lang,
    title: document.title,
    images: document.images.length,
    figure_srcs: Array.from(document.images).map(i => i.getAttribute('src')),
    broken: Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src),
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
    switch: (document.querySelector('a.switch') || {}).href || null,
    text: document.title + '\\n' + text.textContent,
    rows: rows,
  };
}"""
EAGER = "() => Promise.all(Array.from(document.images).map(i => { i.loading = 'eager'; return i.decode().catch(() => null); }))"


@pytest.fixture(scope="session")  # session: kept across the modules a worker interleaves
def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (.ci/run installs Debian's chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield b
        b.close()


def open_page(browser, path: Path):
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    # the site loads nothing from outside its folder (no CDN, no font or script host)
    page.on("request", lambda r: errors.append(f"request outside the site: {r.url}")
            if not (r.url.startswith(path_root(path).as_uri()) or r.url.startswith("data:")) else None)
    page.goto(path.as_uri(), wait_until="load")
    return page, errors


def path_root(path: Path) -> Path:
    """The site folder a page belongs to."""
    return next(p for p in path.parents if (p / "assets").is_dir() or p.name == "site")


@pytest.fixture(scope="session")
def visited(built, browser, tmp_path_factory):
    """Every page of the site (landing page, both languages, notebooks) opened once in the run
    (by the first worker to ask; the others read what it saw): what it shows, its links and
    console errors. The pages tests type into are opened in each worker (`visited["open"]`)."""
    paths, _ = built
    site = paths.site

    def visit_all(_) -> dict:
        rels = ["index.html", *LANG_PAGES, *sorted(f"notebooks/{p.name}" for p in (site / "notebooks").glob("*.html"))]
        pages = {}
        for rel in rels:
            page, errors = open_page(browser, site / rel)
            if not rel.startswith("notebooks/"):
                page.evaluate(EAGER)
            pages[rel] = {**page.evaluate(INFO), "errors": errors}
            page.close()
        return pages

    pages = once_per_run(tmp_path_factory, "site-visit", visit_all)
    kept = {rel: open_page(browser, site / rel) for rel in KEEP_OPEN}
    yield {"site": site, "pages": pages, "open": kept}
    for page, _ in kept.values():
        page.close()


# --- every page, both languages ---------------------------------------------------------------

NOTEBOOK_PAGES = [f"notebooks/{p.stem}.html" for p in sorted((Path(__file__).parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))]


@pytest.mark.parametrize("rel", ["index.html", *LANG_PAGES, *NOTEBOOK_PAGES])
def test_every_image_loads_and_no_console_error(visited, rel):
    """Includes: no request leaves the site's folder (issue 25)."""
    info = visited["pages"][rel]
    assert info["broken"] == []
    assert info["errors"] == []


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_lists_every_notebook(visited, lang):
    """Presence, not only working links: every executed notebook is listed (issue 23)."""
    links = {Path(unquote(urlparse(h).path)).name for h in visited["pages"][f"{lang}/index.html"]["links"]}
    assert NOTEBOOK_PAGES and {Path(rel).name for rel in NOTEBOOK_PAGES} <= links


def test_every_page_has_a_content_security_policy(built):
    paths, _ = built
    pages = [paths.site / "index.html", *(paths.site / lang / name for lang in LANGS for name in PAGES),
             *(paths.site / rel for rel in NOTEBOOK_PAGES)]
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        assert "Content-Security-Policy" in head and "script-src 'self'" in head, page
        assert not re.search(r"<script(?![^>]*(?:src=\"\.\./assets/|type=\"application/json\"))", page.read_text(encoding="utf-8")), page


@pytest.mark.parametrize("lang", LANGS)
def test_figure_book_shows_every_figure_in_its_language(visited, lang):
    info = visited["pages"][f"{lang}/index.html"]
    assert info["lang"] == lang
    assert info["images"] == len(FIGURES)
    assert all(src.startswith(f"../figures/{lang}/") for src in info["figure_srcs"])


def test_every_internal_link_resolves(visited):
    missing = []
    for rel, info in visited["pages"].items():
        for href in info["links"]:
            url = urlparse(href)
            if url.scheme == "file" and not Path(unquote(url.path)).exists():
                missing.append(f"{rel} -> {unquote(url.path)}")
    assert missing == []
    landing = {Path(unquote(urlparse(h).path)).relative_to(visited["site"]).as_posix() for h in visited["pages"]["index.html"]["links"]}
    assert {"en/index.html", "fr/index.html"} <= landing


@pytest.mark.parametrize("rel", LANG_PAGES)
def test_language_switch_leads_to_the_same_page(visited, rel):
    lang, name = rel.split("/")
    other = "fr" if lang == "en" else "en"
    switch = visited["pages"][rel]["switch"]
    assert switch, f"{rel} has no language switch"
    assert Path(unquote(urlparse(switch).path)) == visited["site"] / other / name


@pytest.mark.parametrize("name", PAGES)
def test_french_pages_have_no_english_sentence(visited, name):
    """Outside citations, titles and identifiers (.lang-neutral), a French page speaks French."""
    text = visited["pages"][f"fr/{name}"]["text"]
    found = [text[max(0, m.start() - 60):m.end() + 60].replace("\n", " ") for m in ENGLISH.finditer(text)]
    assert found == [], f"English on fr/{name}:\n" + "\n".join(found[:15])


@pytest.mark.parametrize("name", PAGES)
def test_french_typography(visited, name):
    """A no-break space before : ; ? ! % (U+00A0 or U+202F), thousands grouped by narrow no-break spaces."""
    text = visited["pages"][f"fr/{name}"]["text"]
    rules = {"space before : ; ? ! %": r"\S.{0,30}[^\u00a0\u202f][;:!?%](?=\s|$)",
             "thousands with a comma or point": r"\d{1,3}[,.]\d{3}[,.]\d{3}\b",
             "thousands with an ordinary space": r"(?<![\d.,])\d{1,3} \d{3}(?!\d)"}
    bad = {rule: re.findall(rx, text)[:10] for rule, rx in rules.items() if re.findall(rx, text)}
    assert bad == {}


# --- the claim ledger ------------------------------------------------------------------------

def test_ledger_filter_narrows_the_table(visited):
    page, errors = visited["open"]["en/ledger.html"]
    visible = "() => Array.from(document.querySelectorAll('#ledger tbody tr')).filter(r => !r.hidden).length"
    total = page.evaluate(visible)
    assert total >= 150
    page.select_option("#verdict", "differs")
    differs = page.evaluate(visible)
    assert 0 < differs < total
    page.fill("#q", "OECD")
    assert 0 < page.evaluate(visible) < differs
    assert re.match(r"\d+ of \d+ claims", page.inner_text("#count"))
    page.fill("#q", "")
    page.select_option("#verdict", "")
    assert page.evaluate(visible) == total
    assert errors == []


def test_every_claim_has_a_french_wording():
    """data/public/report/claims_fr.csv words every claim, its section and its rule's note or reason in
    French; note_en is the English each note_fr translates, so a note changed since is named here."""
    from analysis.claims import load_claims
    from analysis.paths import default_paths
    from analysis.site_i18n import load_claims_fr, rule_notes

    paths = default_paths()
    claims = load_claims(paths)
    fr = load_claims_fr(paths.public)
    assert sorted(fr.index) == sorted(claims["claim_id"])
    assert not (fr["claim_fr"].str.strip() == "").any() and not (fr["section_fr"].str.strip() == "").any()
    notes = rule_notes(paths.public)
    stale = [f"{cid}: {notes[cid]}" for cid in claims["claim_id"]
             if notes.get(cid) and (fr.at[cid, "note_en"].strip() != notes[cid] or not fr.at[cid, "note_fr"].strip())]
    assert stale == [], "notes of claim_rules.yaml without a current French wording in claims_fr.csv (note_en, note_fr):\n" + "\n".join(stale)


def test_every_ledger_explanation_is_worded_in_french(built):
    from analysis.site import Inputs, _ledger_texts

    paths, _ = built
    inputs = Inputs.read(paths)
    english = [r.claim_id for r in inputs.ledger.itertuples() if '<span lang="en">' in "".join(_ledger_texts(inputs, r, "fr", inputs.labels))]
    assert english == []


def test_registries_have_french_labels(built):
    """Units, verdicts and the data package's tables all have a French label on the site."""
    import json

    from analysis.site_i18n import texts

    paths, _ = built
    obs = pd.read_csv(paths.processed / "observations.csv", dtype=str, keep_default_na=False)
    ledger = pd.read_csv(paths.processed / "claim_checks.csv", dtype=str, keep_default_na=False)
    package = json.loads((paths.processed / "datapackage.json").read_text())
    assert set(obs["unit"]) - set(texts()["units"]) == set()
    assert set(ledger["verdict"]) - set(texts()["verdicts"]) == set()
    assert {r["name"] for r in package["resources"]} - set(texts()["resources"]) == set()


def test_french_numbers_and_typography():
    assert number(36210368, "fr") == f"36{NNBSP}210{NNBSP}368" and number(36210368, "en") == "36,210,368"
    assert number(36.2, "fr") == "36,2" and percent(0.52, "fr") == f"0,52{NNBSP}%"
    assert typo("Source : NCMEC ; 59% « x » ?", "fr") == f"Source\u00a0: NCMEC{NNBSP}; 59{NNBSP}% «{NNBSP}x{NNBSP}»{NNBSP}?"
    assert typo("de 4 650 à 4 750 en 2023 100", "fr") == f"de 4{NNBSP}650 à 4{NNBSP}750 en 2023 100"
    assert typo("Source: x; 59%", "en") == "Source: x; 59%"


# --- find a number -----------------------------------------------------------------------------

def _find(page, text: str) -> str:
    page.fill("#number", text)
    return page.inner_text("#results")


def test_find_a_number_in_english(visited):
    page, errors = visited["open"]["en/find.html"]
    shown = _find(page, "36.2 million")
    assert "36,210,368" in shown and "CyberTipline reports" in shown
    assert "NCMEC, CY 2023 Report to the Committees on Appropriations (2024)" in shown
    assert "OJJDP-NCMEC-Transparency-CY-2023-Report.pdf" in " ".join(page.eval_on_selector_all("#results a", "as => as.map(a => a.href)"))
    assert "World" in shown
    assert "36,210,368" in _find(page, "36,2 millions")  # a French-format number on the English page
    assert "4,700" in _find(page, "4,700")
    assert page.inner_text("#reading").startswith("Read as 4,700: stands for [4,650, 4,750)")
    assert "No published figure" in _find(page, "987,654,321")
    assert errors == []


def test_find_a_number_in_french(visited):
    page, errors = visited["open"]["fr/find.html"]
    shown = _find(page, "36,2 millions")
    assert f"36{NNBSP}210{NNBSP}368" in shown and "Signalements reçus par la CyberTipline" in shown and "Monde" in shown
    assert page.inner_text("#reading") == f"Lu comme 36{NNBSP}200{NNBSP}000\u00a0: représente [36{NNBSP}150{NNBSP}000{NNBSP}; 36{NNBSP}250{NNBSP}000[."
    outside = page.evaluate("() => { const r = document.getElementById('results').cloneNode(true); "
                            "r.querySelectorAll('.lang-neutral').forEach(e => e.remove()); return r.textContent; }")
    assert not ENGLISH.search(outside), outside[:500]
    _find(page, "318 000")
    assert page.inner_text("#reading").startswith(f"Lu comme 318{NNBSP}000\u00a0: représente [317{NNBSP}500{NNBSP}; 318{NNBSP}500[")
    assert "Aucun chiffre publié" in _find(page, "987 654 321")
    assert errors == []


@pytest.mark.parametrize("value, qualifier", [(36210368, "exact"), (36200000, "rounded"), (4700, "rounded"), (700, "approx"),
                                              (50, "less_than"), (116000000, "at_least"), (160000, "estimate"), (78.8, "rounded")])
def test_finder_rounding_mirrors_checks_printed(visited, value, qualifier):
    """find.js reads a published value's interval as analysis.checks.printed does (for a rounded value
    with decimals, at its last decimal: printed(value, qualifier, decimals))."""
    page, _ = visited["open"]["en/find.html"]
    lo, hi = page.evaluate("([v, q]) => window.findNumber.publishedInterval(v, q)", [value, qualifier])
    decimals = len(str(value).split(".")[1]) if isinstance(value, float) else None
    expected = printed(value, qualifier, decimals)
    assert (lo, hi) == pytest.approx((expected.lo, expected.hi))


@pytest.mark.parametrize("typed, lang, value, interval", [
    ("36.2 million", "en", 36.2e6, printed(36.2e6, "rounded")), ("36,2 millions", "fr", 36.2e6, printed(36.2e6, "rounded")),
    ("318 000", "fr", 318000, printed(318000, "rounded")), ("4,700", "en", 4700, printed(4700, "rounded")),
    ("0.52%", "en", 0.52, printed(0.52, "rounded", 2)), ("0,52 %", "fr", 0.52, printed(0.52, "rounded", 2)),
    (f"36{NNBSP}210{NNBSP}368", "fr", 36210368, printed(36210368, "rounded")),
    ("36.2m", "en", 36.2e6, printed(36.2e6, "rounded")), ("1.2bn", "en", 1.2e9, printed(1.2e9, "rounded")),
    ("twenty million", "en", 20e6, printed(20e6, "rounded")), ("vingt mille", "fr", 20000, printed(20000, "rounded"))])
def test_finder_reads_a_typed_number_as_printed(visited, typed, lang, value, interval):
    page, _ = visited["open"]["en/find.html"]
    readings = page.evaluate("([t, l]) => window.findNumber.read(t, l)", [typed, lang])
    first = readings[0]
    assert first["value"] == pytest.approx(value)
    assert first["interval"] == pytest.approx([interval.lo, interval.hi])
    assert first["percent"] == typed.endswith("%")


def test_finder_reads_an_english_comma_as_thousands_only(visited):
    page, _ = visited["open"]["en/find.html"]
    readings = page.evaluate("([t, l]) => window.findNumber.read(t, l)", ["447,212", "en"])
    assert [r["value"] for r in readings] == [447212]  # not also 447.212, which 'about 450' would match


# --- what changed ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_changes_page_lists_every_row(visited, built, lang):
    paths, _ = built
    changes = pd.read_csv(paths.processed / "changes.csv", dtype=str, keep_default_na=False)
    info = visited["pages"][f"{lang}/changes.html"]
    assert info["rows"].get("changes", 0) == len(changes)
    html = (visited["site"] / lang / "changes.html").read_text(encoding="utf-8")
    for r in changes.sample(min(5, len(changes)), random_state=0).itertuples():
        assert r.source_id in html and r.indicator in html
    counts = changes["change"].value_counts()
    for kind, n in counts.items():
        assert re.search(rf'data-change="{kind}"><td>[^<]+</td><td class="num">{number(n, lang)}</td>', html)


def test_changes_page_shows_old_and_new_values():
    """Changed and removed rows show their key, old and new values with qualifier and unit."""
    from analysis.site import Inputs, changes_page

    rows = [{"change": "changed", "source_id": "s1", "indicator": "cybertipline_reports", "geography": "FRA", "period": "2023",
             "breakdown": "", "old_value": "310519", "new_value": "310520", "old_qualifier": "exact", "new_qualifier": "rounded",
             "old_unit": "reports", "new_unit": "reports", "old_note": "", "new_note": ""},
            {"change": "removed", "source_id": "s1", "indicator": "cybertipline_reports", "geography": "WLD", "period": "2022",
             "breakdown": "reporter=esp", "old_value": "31.5", "new_value": "", "old_qualifier": "approx", "new_qualifier": "",
             "old_unit": "percent", "new_unit": "", "old_note": "", "new_note": ""}]
    indicators = pd.DataFrame([{"id": "cybertipline_reports", "unit": "reports", "label_en": "CyberTipline reports",
                                "label_fr": "Signalements reçus par la CyberTipline"}])
    sources = pd.DataFrame([{"source_id": "s1", "citation": "NCMEC, a report", "url": "https://example.org/r", "kind": "primary"}])
    inputs = Inputs(manifest=[], ledger=pd.DataFrame(), claims=pd.DataFrame(), claims_fr=pd.DataFrame(), notes={},
                    indicators=indicators, sources=sources, observations=pd.DataFrame(), changes=pd.DataFrame(rows),
                    datapackage={}, notebooks=[], data_files=[])
    en, fr = changes_page(inputs, "en"), changes_page(inputs, "fr")
    assert "310,519 reports" in en and "310,520 (rounded) reports" in en and "about 31.5%" in en and "reporter=esp" in en
    assert f"310{NNBSP}519 signalements" in fr and f"310{NNBSP}520 (arrondi) signalements" in fr and f"environ 31,5{NNBSP}%" in fr
    assert "modifiée" in fr and "retirée" in fr and "Signalements reçus par la CyberTipline" in fr and "France" in fr


# --- refreshing --------------------------------------------------------------------------------

def test_adding_next_years_row_extends_every_yearly_figure(repo_copy):
    """Refreshing: one new row in the raw CSV and the figure runs to the new year."""
    path = repo_copy.public / "ncmec" / "cybertipline_reports_per_year.csv"
    with open(path, "a") as fh:
        fh.write('2026,22000000,,ncmec-ojjdp-2023,"test row",exact,\n')
    obs, _ = build_observations(repo_copy)
    fig = FIGURES["ncmec_cybertipline_reports_per_year"](obs, "en")
    assert fig.house_texts["title"].endswith("1998–2026")
    fr = FIGURES["ncmec_cybertipline_reports_per_year"](obs, "fr")
    assert fr.house_texts["title"].endswith("1998–2026")
    from analysis import projections

    proj, _ = projections.build(obs)
    assert not {"2024", "2025", "2026"} & set(proj.loc[proj["series"] == "ncmec_reports", "period"][proj["kind"] == "observed"])  # post-break years stay out of the fit
