"""What `python -m analysis check` gives people: a table on the terminal, the CSV, and an HTML page
in the text's language that stands alone (absolute source links, no link into a site that may not
be beside it), each written atomically (a file is whole or absent, never half written)."""
from __future__ import annotations

import html
from pathlib import Path

# check's verdicts, in the order the summary counts them; their words in each language are the site's
VERDICT_WORDS = ("matches", "matches after rounding", "differs", "different measure", "no published figure found")
HEADS = {"en": ["Line", "Sentence", "Number printed", "Verdict", "Published value", "Source", "Explanation"],
         "fr": ["Ligne", "Phrase", "Nombre imprimé", "Verdict", "Valeur publiée", "Source", "Explication"]}
TEXTS = {
    "en": {"title": "Numbers checked: {name}", "intro": "Every number found in the text, looked up in the tidy table of "
           "published statistics. Verdicts are computed; each explanation names the published value and its source.",
           "search": "Search", "placeholder": "e.g. NCMEC, 2023, IWF", "verdict": "Verdict", "all": "all",
           "count": "{shown} of {total} numbers shown", "numbers": "{n} numbers checked"},
    "fr": {"title": "Nombres vérifiés : {name}", "intro": "Chaque nombre trouvé dans le texte, recherché dans la table des "
           "statistiques publiées. Les verdicts sont calculés ; chaque explication nomme la valeur publiée et sa source.",
           "search": "Rechercher", "placeholder": "p. ex. NCMEC, 2023, IWF", "verdict": "Verdict", "all": "tous",
           "count": "{shown} nombres affichés sur {total}", "numbers": "{n} nombres vérifiés"},
}


def verdict_word(verdict: str, lang: str) -> str:
    from analysis.site_i18n import texts

    return texts()["verdicts"].get(verdict, {}).get(lang, verdict)


def summary(table, lang: str = "en") -> str:
    counts = table["verdict"].value_counts()
    parts = [f"{counts.get(v, 0)} {verdict_word(v, lang)}" for v in VERDICT_WORDS]
    return TEXTS[lang]["numbers"].format(n=len(table)) + (" : " if lang == "fr" else ": ") + ", ".join(parts)


def terminal_table(table, lang: str = "en", width: int = 100) -> str:
    """One line per number: line, number printed, verdict, published value."""
    from analysis.checker.explain import number

    if table.empty:
        return ""
    heads = HEADS[lang]
    rows = []
    for r in table.itertuples():
        published = ""
        if str(r.published_value) not in ("", "nan"):
            try:
                published = number(float(r.published_value), lang)
            except ValueError:
                published = str(r.published_value)
        rows.append((str(r.line), str(r.value_printed), verdict_word(r.verdict, lang), published))
    cols = list(zip(*([(heads[0], heads[2], heads[3], heads[4])] + rows)))
    widths = [min(max(len(c) for c in col), w) for col, w in zip(cols, (6, 28, 28, 18))]
    fmt = lambda cells: "  ".join(c[:w].ljust(w) if k < 3 else c[:w].rjust(w) for k, (c, w) in enumerate(zip(cells, widths)))  # noqa: E731
    head = (heads[0], heads[2], heads[3], heads[4])
    return "\n".join([fmt(head), fmt(tuple("-" * w for w in widths)), *(fmt(r) for r in rows)])


def html_page(table, name: str, lang: str = "en") -> str:
    """The results as one page in the text's language, filterable, that needs nothing beside it."""
    from analysis.escape import attr, href, safe_url
    from analysis.site import ASSETS, page

    words = TEXTS[lang]
    present = set(table["verdict"])
    options = "".join(f'<option value="{attr(v)}">{html.escape(verdict_word(v, lang))}</option>'
                      for v in VERDICT_WORDS if v in present)
    rows = []
    for r in table.itertuples():
        source = (f'<a{href(r.source_url)}>{html.escape(r.source_id)}</a>' if safe_url(r.source_url)
                  else html.escape(str(r.source_id)))
        published = "" if str(r.published_value) in ("", "nan") else html.escape(str(r.published_value))
        rows.append(f'<tr data-verdict="{attr(r.verdict)}"><td>{html.escape(str(r.line))}</td><td>{html.escape(r.sentence)}</td>'
                    f"<td>{html.escape(r.value_printed)}</td><td>{html.escape(verdict_word(r.verdict, lang))}</td>"
                    f"<td>{published}</td><td>{source}</td><td>{html.escape(r.explanation)}</td></tr>")
    title = words["title"].format(name=name)
    head = "".join(f"<th>{html.escape(h)}</th>" for h in HEADS[lang])
    body = (f"<h1>{html.escape(title)}</h1><p>{html.escape(words['intro'])} {html.escape(summary(table, lang))}.</p>"
            f'<div class="filters" data-table="ledger"><label>{words["search"]} <input id="q" type="search" '
            f'placeholder="{attr(words["placeholder"])}"></label>'
            f'<label>{words["verdict"]} <select id="verdict" data-attr="verdict"><option value="">{words["all"]}</option>'
            f'{options}</select></label><span id="count" class="small" data-template="{attr(words["count"])}"></span></div>'
            f'<div class="scroll"><table id="ledger"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
    return page(title, body, "", lang, nav=False, inline_script=(ASSETS / "filter.js").read_text(encoding="utf-8"))


WRITTEN: list[Path] = []  # files written by this command, for the message if it is interrupted


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, then rename. A device or
    a pipe (/dev/stdout, /dev/null) is written directly: renaming would replace it. A failure to
    write is a MachineError naming the file."""
    from analysis.errors import MachineError, os_error_text

    from analysis.buildguard import atomic_write

    path = Path(path)
    try:
        if path.exists() and not path.is_file():
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        else:
            atomic_write(path, text)
    except OSError as err:
        raise MachineError(f"cannot write {path}: {os_error_text(err)}") from None
    WRITTEN.append(path)
