"""The static site (site/): figure book, claim ledger, executed notebooks, data downloads.

Plain HTML with relative links and one small inline script (the ledger filter): it opens
from the file system, no server needed.
"""
from __future__ import annotations

import html
import json
import shutil

import pandas as pd

from analysis.paths import Paths

STYLE = """
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; max-width: 72rem; margin: 0 auto; padding: 1rem 1.2rem 3rem; color: #222; line-height: 1.45; }
nav a { margin-right: 1.2rem; } h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1.2rem; }
figure { margin: 0; border: 1px solid #ddd; padding: .6rem; border-radius: 4px; background: #fff; }
figure img { width: 100%; height: auto; display: block; } figcaption { font-size: .85rem; }
.small { font-size: .8rem; color: #555; } table { border-collapse: collapse; font-size: .82rem; width: 100%; }
th, td { border-bottom: 1px solid #e3e3e3; padding: .3rem .4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; }
th { background: #f4f4f4; position: sticky; top: 0; } .filters { margin: 1rem 0; display: flex; gap: 1rem; flex-wrap: wrap; align-items: center; }
input, select { font-size: .95rem; padding: .25rem .4rem; }
"""
NAV = '<nav><a href="{root}index.html">Figures</a><a href="{root}ledger.html">Claim ledger</a><a href="{root}index.html#notebooks">Notebooks</a><a href="{root}index.html#data">Data</a></nav>'


def page(title: str, body: str, root: str = "") -> str:
    return (f'<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>{html.escape(title)}</title>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<style>{STYLE}</style></head>\n'
            f"<body>\n{NAV.format(root=root)}\n{body}\n</body>\n</html>\n")


def write(paths: Paths) -> None:
    site = paths.site
    site.mkdir(parents=True, exist_ok=True)
    shutil.copytree(paths.processed, site / "data", dirs_exist_ok=True)
    shutil.copytree(paths.figures, site / "figures", dirs_exist_ok=True)
    manifest = json.loads((paths.figures / "manifest.json").read_text(encoding="utf-8"))
    (site / "index.html").write_text(index_page(manifest, site), encoding="utf-8")
    ledger = pd.read_csv(paths.processed / "claim_checks.csv", dtype=str, keep_default_na=False)
    (site / "ledger.html").write_text(ledger_page(ledger), encoding="utf-8")


def index_page(manifest: list[dict], site) -> str:
    by_id: dict[str, dict[str, dict]] = {}
    for entry in manifest:
        by_id.setdefault(entry["id"], {})[entry["lang"]] = entry
    parts = ["<h1>Published statistics on online child sexual exploitation</h1>",
             '<p>Figures regenerated from the publications behind the report <em>Generative AI: a new weapon being used in '
             "child sexual abuse</em> (Fondation pour l'Enfance, 2024), every number read from a cited source. "
             'Each figure exists in English and French, as SVG and PNG for the web and PDF for print.</p>',
             '<h2 id="figures">Figures</h2><div class="grid">']
    for figure_id, langs in by_id.items():
        en = langs.get("en", next(iter(langs.values())))
        links = " · ".join(
            f'{lang.upper()}: ' + ", ".join(f'<a href="figures/{f}">{f.rsplit(".", 1)[1].upper()}</a>' for f in entry["files"])
            for lang, entry in sorted(langs.items()))
        parts.append(
            f'<figure id="{figure_id}"><a href="figures/en/{figure_id}.svg"><img src="figures/en/{figure_id}.png" '
            f'alt="{html.escape(en.get("title", figure_id))}" loading="lazy"></a>'
            f'<figcaption><strong>{html.escape(en.get("title", figure_id))}</strong><br>{html.escape(en.get("subtitle", ""))}'
            f'<br><span class="small">{html.escape(en.get("source", ""))}</span><br><span class="small">{links} · '
            f'<a href="data/observations.csv">data</a></span></figcaption></figure>')
    parts.append("</div>")
    parts.append('<h2 id="ledger">Claim ledger</h2><p>Every number the report prints, its source and a computed verdict: '
                 '<a href="ledger.html">open the ledger</a> (filterable) or download '
                 '<a href="data/claim_checks.csv">claim_checks.csv</a>.</p>')
    parts.append('<h2 id="notebooks">Notebooks</h2><ul>')
    for path in sorted((site / "notebooks").glob("*.html")):
        parts.append(f'<li><a href="notebooks/{path.name}">{html.escape(path.stem.replace("_", " "))}</a></li>')
    parts.append('</ul><h2 id="data">Data</h2><ul>')
    for path in sorted((site / "data").iterdir()):
        parts.append(f'<li><a href="data/{path.name}">{path.name}</a></li>')
    parts.append("</ul>")
    return page("Figure book", "\n".join(parts))


LEDGER_SCRIPT = """
<script>
(function () {
  const text = document.getElementById('q'), verdict = document.getElementById('verdict');
  const rows = Array.from(document.querySelectorAll('#ledger tbody tr')), count = document.getElementById('count');
  function apply() {
    const q = text.value.trim().toLowerCase(), v = verdict.value; let shown = 0;
    rows.forEach(function (row) {
      const ok = (!q || row.textContent.toLowerCase().includes(q)) && (!v || row.dataset.verdict === v);
      row.hidden = !ok; if (ok) shown += 1;
    });
    count.textContent = shown + ' of ' + rows.length + ' claims';
  }
  text.addEventListener('input', apply); verdict.addEventListener('change', apply); apply();
})();
</script>
"""


def ledger_page(ledger: pd.DataFrame) -> str:
    verdicts = sorted(ledger["verdict"].unique())
    options = "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in verdicts)
    head = "".join(f"<th>{c.replace('_', ' ')}</th>" for c in ("claim_id", "section", "claim", "value_printed", "verdict", "published_value", "source_id", "explanation"))
    rows = []
    for r in ledger.itertuples():
        source = f'<a href="{html.escape(r.source_url)}">{html.escape(r.source_id)}</a>' if r.source_url else html.escape(r.source_id)
        rows.append(f'<tr data-verdict="{html.escape(r.verdict)}"><td>{r.claim_id}</td><td>{html.escape(r.section)}</td>'
                    f"<td>{html.escape(r.claim)}</td><td>{html.escape(r.value_printed)}</td><td>{html.escape(r.verdict)}</td>"
                    f"<td>{html.escape(r.published_value)}</td><td>{source}</td><td>{html.escape(r.explanation)}</td></tr>")
    body = (
        "<h1>Claim ledger</h1><p>Each number printed in the report, the source it was checked against, and the verdict "
        "computed by the package. Only <em>not publicly verifiable</em> and <em>not checked</em> are given by hand, with a reason. "
        'Download: <a href="data/claim_checks.csv">claim_checks.csv</a>.</p>'
        f'<div class="filters"><label>Search <input id="q" type="search" placeholder="e.g. NCMEC, 2023, IWF"></label>'
        f'<label>Verdict <select id="verdict"><option value="">all</option>{options}</select></label>'
        f'<span id="count" class="small"></span></div>'
        f'<div class="scroll"><table id="ledger"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>{LEDGER_SCRIPT}'
    )
    return page("Claim ledger", body)
