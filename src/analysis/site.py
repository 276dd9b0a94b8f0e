"""The static site (site/): figure book, data downloads and rendered notebooks."""
from __future__ import annotations

import html
import shutil

from analysis.figures import FIGURES, LANGS
from analysis.paths import Paths

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
figure {{ margin: 1.5rem 0; }} img {{ max-width: 100%; border: 1px solid #ddd; }}
h2 {{ border-bottom: 1px solid #ccc; }}
</style></head><body>
{body}
</body></html>
"""


def write(paths: Paths) -> None:
    site = paths.site
    site.mkdir(parents=True, exist_ok=True)
    # The site is self-contained: copy data and figures next to the pages.
    shutil.copytree(paths.processed, site / "data", dirs_exist_ok=True)
    shutil.copytree(paths.figures, site / "figures", dirs_exist_ok=True)
    parts = ["<h1>Published statistics on online child sexual exploitation</h1>"]
    parts.append("<h2>Figures</h2>")
    for figure_id in FIGURES:
        for lang in LANGS:
            base = f"figures/{lang}/{figure_id}"
            links = " · ".join(f'<a href="{base}.{fmt}">{fmt.upper()}</a>' for fmt in ("svg", "png", "pdf"))
            parts.append(
                f'<figure><img src="{base}.svg" alt="{html.escape(figure_id)} ({lang})">'
                f"<figcaption>{html.escape(figure_id)} ({lang}) — {links}</figcaption></figure>"
            )
    parts.append("<h2>Data</h2><ul>")
    for path in sorted((site / "data").glob("*.csv")) + sorted((site / "data").glob("*.parquet")):
        parts.append(f'<li><a href="data/{path.name}">{path.name}</a></li>')
    parts.append("</ul><h2>Notebooks</h2><ul>")
    for path in sorted((site / "notebooks").glob("*.html")):
        parts.append(f'<li><a href="notebooks/{path.name}">{path.stem}</a></li>')
    parts.append("</ul>")
    (site / "index.html").write_text(PAGE.format(title="Figure book", body="\n".join(parts)), encoding="utf-8")
