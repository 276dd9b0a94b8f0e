"""The figure book in a real browser (headless Chromium), and refreshing with next year's row."""
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from analysis import build_observations
from analysis.figures import FIGURES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
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
    page.goto(path.as_uri(), wait_until="load")
    return page, errors


@pytest.mark.parametrize("name", ["index.html", "ledger.html"])
def test_every_image_loads_and_no_console_error(built, browser, name):
    paths, _ = built
    page, errors = open_page(browser, paths.site / name)
    page.evaluate("() => Promise.all(Array.from(document.images).map(i => { i.loading = 'eager'; return i.decode().catch(() => null); }))")
    broken = page.evaluate("() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
    assert broken == []
    if name == "index.html":
        assert page.evaluate("document.images.length") == len(FIGURES)
    assert errors == []


def test_every_internal_link_resolves(built, browser):
    paths, _ = built
    pages = [paths.site / "index.html", paths.site / "ledger.html", *sorted((paths.site / "notebooks").glob("*.html"))]
    missing = []
    for html in pages:
        page, _ = open_page(browser, html)
        for href in page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"):
            url = urlparse(href)
            if url.scheme == "file":
                target = Path(unquote(url.path))
                if not target.exists():
                    missing.append(f"{html.name} -> {target}")
        page.close()
    assert missing == []


def test_ledger_filter_narrows_the_table(built, browser):
    paths, _ = built
    page, errors = open_page(browser, paths.site / "ledger.html")
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
