"""Extract NCMEC's yearly 'reports by country' and 'reports by ESP' PDFs into raw CSVs.

The tables in these PDFs have a horizontal rule under every row, so rows are read as the
bands between rules (a wrapped name and its number fall in the same band whatever the
line they sit on). Columns come from the page's own header words. The sum of the rows is
checked against the total the PDF prints.

Two layouts are known. 2019-2023: one number per row under a 'Reports' header. From 2024
NCMEC splits each row into referrals and informational reports (a header with 'Referrals'
and 'Informational'); such a PDF is written with one column for each.
"""
from __future__ import annotations

import copy
import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pdfplumber

from analysis.errors import DataError, Problem

NUMBER = re.compile(r"^(\d{1,3}(,\d{3})*|[-–])$")  # a dash is printed where there is no number
TOTAL_NAMES = {"total", "total:", "totals", "totals:", "country total reports", "total reports"}
SINGLE = ("reports",)  # 2019-2023 layout
SPLIT = ("referrals", "informational")  # 2024+ layout
VALUE_HEADS = {"Reports", "Number", "Total", "Referrals", "Referral", "Informational"}


class LayoutError(DataError):
    """The PDF is not laid out like the NCMEC tables this extractor knows."""


class Row(NamedTuple):
    name: str
    values: tuple[int | None, ...]  # one per column of the layout; None: nothing, or a dash, printed
    printed: tuple[str, ...]  # the cells as printed ('' when empty), for notes


@dataclass
class Extracted:
    kind: str  # 'country' or 'esp'
    year: int
    rows: list[Row]  # in PDF order, without the total row
    stated_totals: tuple[int | None, ...] | None
    pages: int
    columns: tuple[str, ...] = SINGLE
    notes: list[str] = field(default_factory=list)

    @property
    def row_sums(self) -> tuple[int, ...]:
        return tuple(sum(r.values[i] or 0 for r in self.rows) for i in range(len(self.columns)))

    @property
    def row_sum(self) -> int:
        """All columns together (for the 2024+ layout: referrals plus informational reports)."""
        return sum(self.row_sums)

    @property
    def stated_total(self) -> int | None:
        if self.stated_totals is None or None in self.stated_totals:
            return None
        return sum(self.stated_totals)


KINDS = {
    "country": {"title": re.compile(r"(\d{4})\s+CyberTipline\s+Reports\s+by\s+Country", re.I), "header": ("Country",)},
    "esp": {"title": re.compile(r"(\d{4})\s+CyberTipline\s+Reports\s+by\s+Electronic\s+Service\s+Providers", re.I), "header": ("ESP",)},
}


# Extracted tables by the PDF's content: reading a PDF's words takes a second or two, and
# `write` (and a session checking several things about one PDF) would read it again.
_EXTRACTED: dict[tuple[str, str], Extracted] = {}


def extract(pdf_path: Path, kind: str) -> Extracted:
    if kind not in KINDS:
        raise ValueError(f"unknown table kind {kind!r}; expected one of {sorted(KINDS)}")
    try:
        key = (hashlib.sha256(Path(pdf_path).read_bytes()).hexdigest(), kind)
    except OSError:
        return _extract(pdf_path, kind)  # unreadable: let pdfplumber say why, in the usual message
    if key not in _EXTRACTED:
        _EXTRACTED[key] = _extract(pdf_path, kind)
    return copy.deepcopy(_EXTRACTED[key])


def _extract(pdf_path: Path, kind: str) -> Extracted:
    rel = pdf_path.name
    spec = KINDS[kind]
    try:
        pdf = pdfplumber.open(pdf_path)
    except Exception as err:  # pdfminer raises several types for non-PDF input
        raise LayoutError(Problem(rel, 1, text=f"cannot be opened as a PDF ({type(err).__name__})")) from None
    with pdf:
        first = " ".join((pdf.pages[0].extract_text() or "").split()) if pdf.pages else ""
        title = spec["title"].search(first)
        if not title:
            raise LayoutError(Problem(rel, 1, text=f"page 1 has no title like '<year> CyberTipline Reports by {'Country' if kind == 'country' else 'Electronic Service Providers'}'; this layout is not recognised"))
        rows: list[Row] = []
        total = None
        columns = None
        for number, page in enumerate(pdf.pages, start=1):
            page_columns, page_rows = _page_rows(page, spec["header"], rel, number)
            if not page_rows:
                continue
            if columns is not None and page_columns != columns:
                raise LayoutError(Problem(rel, number, text=f"page {number}: columns {list(page_columns)} differ from earlier pages' {list(columns)}; this layout is not recognised"))
            columns = page_columns
            for row in page_rows:
                if " ".join(row.name.lower().split()) in TOTAL_NAMES:
                    total = row.values
                else:
                    rows.append(row)
        if not rows:
            raise LayoutError(Problem(rel, 1, text="no table rows found (no ruled table with a 'Country'/'ESP' header); this layout is not recognised"))
        return Extracted(kind=kind, year=int(title.group(1)), rows=rows, stated_totals=total, pages=len(pdf.pages), columns=columns)


def _page_rows(page, header_words, rel, page_no) -> tuple[tuple[str, ...], list[Row]]:
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    rules = sorted({round(l["top"], 1) for l in page.lines if abs(l["top"] - l["bottom"]) < 1 and l["x1"] - l["x0"] > 40})
    rules = _merge(rules + [round(r["bottom"], 1) for r in page.rects if r["height"] > 5 and r["width"] > 100])
    # The header line: a 'Country'/'ESP' word with a 'Reports'-like word well to its right
    # (the page title has 'Reports' before 'Country', so it never qualifies).
    num_words = [w for w in words if w["text"] in VALUE_HEADS]
    heads = [w for w in words if w["text"] in header_words
             and any(abs(r["top"] - w["top"]) < 15 and r["x0"] > w["x0"] + 100 for r in num_words)]
    if not heads or len(rules) < 2:
        return SINGLE, []
    head_top = min(w["top"] for w in heads)
    starts = sorted({round(w["x0"]) for w in heads if abs(w["top"] - head_top) < 15})
    num_heads = [w for w in num_words if abs(w["top"] - head_top) < 15]
    bounds = starts[1:] + [page.width + 1]
    groups = []  # per side-by-side table: (start, end, leftmost x of numbers, split x or None)
    layout = None
    for start, end in zip(starts, bounds):
        in_col = [w for w in num_heads if start <= w["x0"] < end]
        if not in_col:
            raise LayoutError(Problem(rel, page_no, text=f"page {page_no}: no 'Reports' header for the column at x={start}"))
        referral = [w for w in in_col if w["text"].startswith("Referral")]
        informational = [w for w in in_col if w["text"] == "Informational"]
        if referral and informational:
            # Numbers are right-aligned under their header: split half-way between the headers.
            split = ((referral[0]["x0"] + referral[0]["x1"]) + (informational[0]["x0"] + informational[0]["x1"])) / 4
            group_layout, num_x = SPLIT, min(referral[0]["x0"], informational[0]["x0"]) - 40
        elif referral or informational:
            raise LayoutError(Problem(rel, page_no, text=f"page {page_no}: a 'Referrals' header without 'Informational' (or the reverse); this layout is not recognised"))
        else:
            group_layout, num_x, split = SINGLE, min(w["x0"] for w in in_col) - 40, None
        if layout is not None and group_layout != layout:
            raise LayoutError(Problem(rel, page_no, text=f"page {page_no}: side-by-side tables with different columns; this layout is not recognised"))
        layout = group_layout
        groups.append((start, end, num_x, split))
    out: list[Row] = []
    last_row: dict[int, tuple[int, int]] = {}  # column -> (band index, row index in out)
    for band_no, (top, bottom) in enumerate(zip(rules, rules[1:])):
        band = [w for w in words if top <= (w["top"] + w["bottom"]) / 2 < bottom and w["top"] > head_top + 5]
        cells = []  # (name, [number words]) per side-by-side table
        for start, end, num_x, _ in groups:
            cell = sorted((w for w in band if start - 5 <= w["x0"] < end - 5), key=lambda w: (round(w["top"]), w["x0"]))
            numbers = [w for w in cell if w["x0"] >= num_x and NUMBER.match(w["text"])]
            cells.append((" ".join(w["text"] for w in cell if w not in numbers), numbers))
        # A row spanning the whole table (e.g. 'TOTAL' on the left, its number far right).
        if len(cells) == 2 and cells[0][0] and not cells[0][1] and not cells[1][0] and cells[1][1]:
            cells = [(cells[0][0], cells[1][1])]
            groups_used = [(groups[0][0], groups[0][1], groups[0][2], groups[1][3])]
        else:
            groups_used = groups
        for col, ((name, numbers), group) in enumerate(zip(cells, groups_used)):
            if not numbers:
                # A wrapped name can spill below its rule: join it to the row just above.
                prev = last_row.get(col)
                if name and prev and prev[0] == band_no - 1:
                    row = out[prev[1]]
                    out[prev[1]] = row._replace(name=f"{row.name} {name}")
                continue
            printed = _place(numbers, group[3], layout)
            if printed is None or not name:
                raise LayoutError(Problem(rel, page_no, text=f"page {page_no}: cannot read the row {name!r} {[w['text'] for w in numbers]}"))
            values = tuple(None if text in ("", "-", "–") else int(text.replace(",", "")) for text in printed)
            out.append(Row(name, values, printed))
            last_row[col] = (band_no, len(out) - 1)
    return layout, out


def _place(numbers, split, layout) -> tuple[str, ...] | None:
    """The row's printed cells, one per column of the layout; None if they do not fit it."""
    if layout == SINGLE:
        return (numbers[0]["text"],) if len(numbers) == 1 else None
    cells = ["", ""]
    for w in numbers:
        col = 0 if (w["x0"] + w["x1"]) / 2 < split else 1
        if cells[col]:
            return None
        cells[col] = w["text"]
    return tuple(cells)


def _merge(values, tolerance=1.5):
    merged = []
    for v in sorted(values):
        if not merged or v - merged[-1] > tolerance:
            merged.append(v)
    return merged


def to_csv(rows: list[list[str]], header: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


# --- writing the raw CSVs and registering them -------------------------------------------

COUNTRY_NAMES = "ncmec/country_names.csv"
OUTPUTS = {"country": "ncmec/reports_by_country_{year}.csv", "esp": "ncmec/reports_by_esp_{year}.csv"}
SOURCE_IDS = {"country": "ncmec-by-country-{year}", "esp": "ncmec-by-esp-{year}"}


def country_codes(public: Path) -> dict[str, str]:
    with open(public / COUNTRY_NAMES, encoding="utf-8", newline="") as fh:
        return {row["ncmec_name"]: row["iso3"] for row in csv.DictReader(fh)}


def country_rows(result: Extracted, codes: dict[str, str], rel: str) -> list[list[str]]:
    """country, iso3, breakdown, <value columns>, note — one row per PDF row, then the Total row."""
    unknown = [row.name for row in result.rows if row.name not in codes]
    if unknown:
        raise DataError(Problem(rel, 1, text=f"country names not in data/public/{COUNTRY_NAMES}: {unknown}; add them with their ISO 3166-1 alpha-3 code"))
    counts: dict[str, int] = {}
    for row in result.rows:
        counts[codes[row.name]] = counts.get(codes[row.name], 0) + 1
    rows = []
    for row in result.rows:
        code = codes[row.name]
        breakdown = f"listed_as={row.name}" if counts[code] > 1 else ""  # NCMEC lists a few places twice
        rows.append([row.name, code, breakdown, *map(_cell, row.values), _note(row, result.columns)])
    if result.stated_totals is not None:
        rows.append(["Total", "WLD", "", *map(_cell, result.stated_totals), "total row as printed"])
    return rows


def esp_rows(result: Extracted, rel: str) -> list[list[str]]:
    """esp, breakdown, <value columns>, note — one row per PDF row, then the Total row (all ESPs)."""
    rows = []
    for row in result.rows:
        if ";" in row.name or "=" in row.name:
            raise DataError(Problem(rel, 1, text=f"ESP name {row.name!r} contains ';' or '=', which a breakdown cannot hold"))
        rows.append([row.name, f"esp={row.name}", *map(_cell, row.values), _note(row, result.columns)])
    if result.stated_totals is not None:
        rows.append(["Total", "reporter=esp", *map(_cell, result.stated_totals), "total row as printed (reports from ESPs)"])
    return rows


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def _note(row: Row, columns: tuple[str, ...]) -> str:
    if columns == SINGLE:
        return "NCMEC printed '-'" if row.values[0] is None else ""
    said = [f"{'-' if text else 'nothing'} printed for {col}" for col, text, value in zip(columns, row.printed, row.values) if value is None]
    return "NCMEC: " + "; ".join(said) if said else ""


def check_total(result: Extracted, rel: str) -> str:
    """The PDF's own total must equal the sum of its rows (column by column)."""
    sums = result.row_sums
    if result.stated_totals is None:
        return f"{rel}: no total row printed; {len(result.rows)} rows summing to {result.row_sum:,}"
    for column, stated, summed in zip(result.columns, result.stated_totals, sums):
        if stated != summed:
            what = "rows sum" if result.columns == SINGLE else f"{column}: rows sum"
            stated_text = "nothing" if stated is None else f"{stated:,}"
            raise DataError(Problem(rel, 1, text=f"{what} to {summed:,} but the PDF's total row says {stated_text}"))
    if result.columns == SINGLE:
        return f"{rel}: {len(result.rows)} rows; sum {result.row_sum:,} equals the printed total"
    parts = " and ".join(f"{c} sum {v:,}" for c, v in zip(result.columns, sums))
    return f"{rel}: {len(result.rows)} rows; {parts} equal the printed totals"


SOURCE_TEMPLATE = """
- source_id: "{source_id}"
  publisher: "National Center for Missing & Exploited Children (NCMEC)"
  title: "{year} CyberTipline Reports by {title}"
  citation: "NCMEC, {year} CyberTipline Reports by {title}"
  url: "{url}"
  date_published: "{published}"
  date_accessed: "{accessed}"
  kind: "primary"
  locator: "{locator}"
  terms: "Copyright National Center for Missing & Exploited Children. All rights reserved. Figures are transcribed as facts with citation; the PDF is not redistributed."
  definitions: "{definitions}"
  local_file: "ncmec/{pdf_name}"
  sha256: "{sha256}"
"""
DEFINITIONS = {
    "country": "Reports by the country of the geographic indicators related to the upload location of the reported material. NCMEC: country numbers 'may be impacted by the use of proxies and anonymizers' and 'are not indicative of the level of child sexual abuse in a particular country'. Rows with no determinable country are listed as 'No Country Listed' / 'null' (code UNK).",
    "esp": "Reports submitted by each electronic service provider (ESP), as listed by NCMEC. The Total row is the total of reports from ESPs (reports from the public are not included). Higher numbers can reflect more users or more robust detection, not more abuse.",
}
SPLIT_DEFINITION = (" From 2024 each row is split into referrals and informational reports (NCMEC's two"
                    " categories: see the indicators cybertipline_referrals and cybertipline_informational_reports).")
TABLE_TEMPLATE = {
    "country": """
- file: {file}
  key: country
  total: {{column: country, row: Total}}
  fields:
{indicator}    period: "{year}"
    geography: "{{iso3}}"
    breakdown: "{{breakdown}}"
    source_id: {source_id}
    locator: "table of reports by country/territory ({pages} pages)"
    note: "{{note}}"
  values:
{values}""",
    "esp": """
- file: {file}
  key: esp
  total: {{column: esp, row: Total}}
  fields:
{indicator}    period: "{year}"
    geography: WLD
    breakdown: "{{breakdown}}"
    source_id: {source_id}
    locator: "table of reports by electronic service provider ({pages} pages)"
    note: "{{note}}"
  values:
{values}""",
}
# How each layout's value columns become indicators in tables.yaml.
LAYOUT_SPEC = {
    SINGLE: ("    indicator: cybertipline_reports\n", "    reports: {}\n"),
    SPLIT: ("", "    referrals: {indicator: cybertipline_referrals}\n"
                "    informational: {indicator: cybertipline_informational_reports}\n"),
}
URLS = {
    "country": "https://www.missingkids.org/content/dam/missingkids/pdfs/{year}-reports-by-country.pdf",
    "esp": "https://www.missingkids.org/content/dam/missingkids/pdfs/{year}-reports-by-esp.pdf",
}


def write(pdf_path: Path, kind: str, public: Path, accessed: str) -> list[str]:
    """Extract one PDF into data/public/ncmec and register it; returns what was done."""
    result = extract(pdf_path, kind)
    file = OUTPUTS[kind].format(year=result.year)
    rel = f"data/public/{file}"
    messages = [check_total(result, pdf_path.name)]
    if kind == "country":
        text = to_csv(country_rows(result, country_codes(public), pdf_path.name), ["country", "iso3", "breakdown", *result.columns, "note"])
    else:
        text = to_csv(esp_rows(result, pdf_path.name), ["esp", "breakdown", *result.columns, "note"])
    (public / file).write_text(text, encoding="utf-8")
    messages.append(f"wrote {rel} ({len(result.rows)} rows + total)")
    source_id = SOURCE_IDS[kind].format(year=result.year)
    sources = (public / "sources.yaml").read_text(encoding="utf-8")
    if f'source_id: "{source_id}"' not in sources and f"source_id: {source_id}\n" not in sources:
        record = SOURCE_TEMPLATE.format(
            source_id=source_id, year=result.year, title="Country" if kind == "country" else "Electronic Service Providers (ESP)",
            url=URLS[kind].format(year=result.year), published=result.year + 1, accessed=accessed,
            locator=f"all {result.pages} pages: table of reports, total row",
            definitions=DEFINITIONS[kind] + (SPLIT_DEFINITION if result.columns == SPLIT else ""),
            pdf_name=pdf_path.name, sha256=hashlib.sha256(pdf_path.read_bytes()).hexdigest(),
        )
        (public / "sources.yaml").write_text(sources.rstrip("\n") + "\n" + record, encoding="utf-8")
        messages.append(f"added source {source_id} to data/public/sources.yaml (check its URL and date published)")
    tables = (public / "tables.yaml").read_text(encoding="utf-8")
    if f"- file: {file}\n" not in tables:
        indicator, values = LAYOUT_SPEC[result.columns]
        spec = TABLE_TEMPLATE[kind].format(file=file, year=result.year, source_id=source_id, pages=result.pages,
                                           indicator=indicator, values=values)
        (public / "tables.yaml").write_text(tables.rstrip("\n") + "\n" + spec, encoding="utf-8")
        messages.append(f"registered {file} in data/public/tables.yaml")
    return messages
