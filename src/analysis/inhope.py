"""INHOPE's yearly figures as transcribed in R. Grimm's `apparebit/diaphanous` (data/inhope.csv).

The verbatim copy sits in `data/public/inhope/diaphanous/` (README there: commit, licence). Its
columns are the transcriber's: `reports` (2018-2019), `pieces`, `known_pieces`, `unknown_pieces`,
`illegal_pieces`, and `reporting_year`, filled where a later edition restated a year (2024 for 2020
and 2021). `diaphanous_inhope_raw` writes the raw file `tables.yaml` reads: one row per year and
edition for the rows that count content URLs (a `pieces` value; 2020 on), each naming the source of
its edition (`diaphanous-inhope-ar<edition>`). The 2018 and 2019 rows count reports and images and
videos, which the copy puts under `reports` and `unknown_pieces`; INHOPE's own figures for those
years are in `inhope_facts.csv`, so these rows are used for checks only (`tests/test_inhope.py`).
Nothing is typed: every number is read from the copy.
"""
from __future__ import annotations

import csv
import io
import re

from analysis.errors import DataError, Problem

COPY = "inhope/diaphanous/inhope.csv"
RAW = "inhope/inhope_content_urls_diaphanous.csv"
COLUMNS = ["year", "reporting_year", "reports", "pieces", "known_pieces", "unknown_pieces", "illegal_pieces"]
# copy column -> raw column (the indicator each becomes is declared in tables.yaml)
VALUES = {"pieces": "content_urls", "known_pieces": "known", "unknown_pieces": "new", "illegal_pieces": "illegal"}
_COUNT = re.compile(r"[0-9]{1,3}(?:_[0-9]{3})*")


def count(cell: str, line: int, column: str) -> str:
    """'1_038_268' -> '1038268'; '' stays ''; anything else is refused with file, line and column."""
    if cell == "":
        return ""
    if not _COUNT.fullmatch(cell):
        raise DataError(Problem(f"data/public/{COPY}", line, column, cell, "a whole number with digits grouped by '_'"))
    return cell.replace("_", "")


def copy_rows(text: str) -> list[dict[str, str]]:
    """The copy's rows with numbers as plain digits, each with its line number under '_line'."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != COLUMNS:
        raise DataError(Problem(f"data/public/{COPY}", 1, text=f"header {reader.fieldnames} is not the expected {COLUMNS}"))
    rows = []
    for line, row in enumerate(reader, start=2):
        if not re.fullmatch(r"[0-9]{4}", row["year"]):
            raise DataError(Problem(f"data/public/{COPY}", line, "year", row["year"], "a year"))
        if row["reporting_year"] and not re.fullmatch(r"[0-9]{4}", row["reporting_year"]):
            raise DataError(Problem(f"data/public/{COPY}", line, "reporting_year", row["reporting_year"], "a year or empty"))
        clean = {c: count(row[c], line, c) for c in COLUMNS[2:]}
        rows.append({"year": row["year"], "reporting_year": row["reporting_year"], **clean, "_line": str(line)})
    return rows


def _note(row: dict[str, str]) -> str:
    notes = []
    if row["reporting_year"]:
        notes.append(f"{row['year']} as restated in INHOPE's {row['reporting_year']} annual report (the copy's reporting_year)")
    if row["known_pieces"] and row["unknown_pieces"]:
        parts = int(row["known_pieces"]) + int(row["unknown_pieces"])
        if parts != int(row["pieces"]):
            notes.append(f"known + new = {parts} in the copy, not the total {row['pieces']}")
    return "; ".join(notes)


def diaphanous_inhope_raw(text: str) -> str:
    """The raw file: year, edition, source_id, content_urls, known, new, illegal, note (2020 on)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["year", "edition", "source_id", *VALUES.values(), "note"])
    for row in copy_rows(text):
        if not row["pieces"]:
            continue  # 2018-2019: reports and images/videos, checked against INHOPE's own figures only
        edition = row["reporting_year"] or row["year"]
        writer.writerow([row["year"], edition, f"diaphanous-inhope-ar{edition}", *(row[c] for c in VALUES), _note(row)])
    return out.getvalue()
