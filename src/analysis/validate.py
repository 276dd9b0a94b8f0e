"""Validation with pandera, translated into messages that name file, line and column.

Schemas are declared with pandera (checks carry their 'expected' wording as the
check's error text); this module only maps pandera's failure cases back to the
line of the raw file each value came from.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pandas as pd
import pandera.pandas as pa

from analysis.errors import DataError, Problem

# Reusable checks. The `error` text completes the sentence "'x' is not ...".
WHOLE_NUMBER = pa.Check.str_matches(r"^-?[0-9]+$", error="a whole number")
DECIMAL_NUMBER = pa.Check.str_matches(r"^-?[0-9]+(\.[0-9]+)?$", error="a number written with digits and an optional decimal point")
PERIOD_SYNTAX = r"^[0-9]{4}(-(H[12]|Q[1-4]|(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?))?$"
PERIOD = pa.Check.str_matches(PERIOD_SYNTAX, error="a period such as 2023, 2023-H2, 2024-Q1, 2024-06 or 2024-06-30")
BREAKDOWN_SYNTAX = r"^[a-z][a-z0-9_]*=[^;=]*[^;=\s][^;=]*(;[a-z][a-z0-9_]*=[^;=]*[^;=\s][^;=]*)*$"
BREAKDOWN = pa.Check.str_matches(BREAKDOWN_SYNTAX, error="a breakdown of key=value pairs separated by ';' (e.g. age=7-10;severity=A)")
QUALIFIERS = ("exact", "rounded", "approx", "at_least", "estimate", "less_than")
QUALIFIER = pa.Check.isin(QUALIFIERS, error="one of " + ", ".join(QUALIFIERS))
# A censored cell ("<50": the publisher only says the count is below 50) becomes value = the bound,
# qualifier 'less_than'. It is allowed only where a table declares it (tables.yaml 'censored:'),
# never becomes 0 and is never added as a number (checks.sum_values refuses it).
CENSORED = r"^<[0-9]+$"
CENSORED_QUALIFIER = "less_than"
CENSORED_ONLY = "censored values are allowed only in columns a table declares 'censored' in data/public/tables.yaml"
UNCENSORED_QUALIFIERS = tuple(q for q in QUALIFIERS if q != CENSORED_QUALIFIER)


def uncensored_qualifier() -> list[pa.Check]:
    """Qualifier checks for a table that declares no censoring: 'less_than' gets its own message."""
    allowed = "one of " + ", ".join(UNCENSORED_QUALIFIERS)
    return [
        pa.Check.isin(QUALIFIERS, error=allowed),
        pa.Check(lambda s: s != CENSORED_QUALIFIER, element_wise=False, error=f"{allowed} ({CENSORED_ONLY})"),
    ]


# 2^53: the largest count a float64 (the table's value column, Parquet's double) holds exactly;
# 9,007,199,254,740,993 would be published as ...992. A larger count is refused, not rounded.
MAX_EXACT = 2 ** 53


def _fits(series: pd.Series) -> pd.Series:
    digits = series.str.replace(r"^[-<]", "", regex=True).str.split(".").str[0]
    short = digits.str.len() <= 15
    return short | digits.map(lambda d: not d.isdigit() or int(d) <= MAX_EXACT)


FITS = pa.Check(_fits, element_wise=False, error=f"a number of at most {MAX_EXACT:,} (2^53; beyond it the table cannot hold "
                                                 f"a count exactly)")


def number_cells(number: pa.Check, censored: bool) -> list[pa.Check]:
    """Checks for a column of numbers; '<50' passes only in a column declared censored; no number
    beyond 2^53 (it would not be held exactly)."""
    pattern, what = number.statistics["pattern"], number.error
    either = pa.Check.str_matches(f"(?:{pattern})|(?:{CENSORED})", error=what if not censored else f"{what} or a censored value such as <50")
    if censored:
        return [either, FITS]
    return [either, FITS, pa.Check(lambda s: ~s.str.match(CENSORED), element_wise=False, error=f"{what} ({CENSORED_ONLY})")]


FIRST_YEAR = 1800  # earliest period accepted (dates of laws in the claim checks go back to 1881)


def period_in_range(today: date | None = None) -> pa.Check:
    last = (today or date.today()).year

    def ok(series: pd.Series) -> pd.Series:
        years = pd.to_numeric(series.str.slice(0, 4), errors="coerce")
        return years.between(FIRST_YEAR, last) | ~series.str.match(PERIOD_SYNTAX)

    return pa.Check(ok, error=f"a period between {FIRST_YEAR} and {last}")


def one_of(values, what: str) -> pa.Check:
    return pa.Check.isin(sorted(values), error=what)


# Maps a failing (row index, column) to where it was read: (file, line, column name there).
Locate = Callable[[object, "str | None"], tuple[str, int, str]]


def in_file(rel: str, line_of_row: Callable[[object], int], line_of_field=None) -> Locate:
    """Locate for a frame read from one file: a column is its own name there."""

    def locate(index, column):
        if index is None:
            return rel, 1, column or ""
        if line_of_field and column:
            return rel, line_of_field(index, column), column
        return rel, line_of_row(index), column or ""

    return locate


def run(schema: pa.DataFrameSchema, frame: pd.DataFrame, rel: str, locate: Locate, kind: str = "column") -> pd.DataFrame:
    """Validate `frame`; on failure raise DataError with one Problem per failure case."""
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        key = list(schema.unique or [])
        raise DataError(problems_from(err.failure_cases, frame, rel, locate, kind, key)) from None


def problems_from(cases: pd.DataFrame, frame: pd.DataFrame, rel: str, locate: Locate, kind: str, key: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    duplicate_rows: set = set()
    for case in cases.itertuples(index=False):
        column = case.column if isinstance(case.column, str) else ""
        check = str(case.check)
        index = case.index
        found = _text(case.failure_case)
        if check == "column_in_dataframe":
            problems.append(Problem(rel, 1, kind=kind, text=f"{kind} '{found}' is missing"))
        elif check == "column_in_schema":
            problems.append(Problem(rel, 1, kind=kind, text=f"{kind} '{found}' is not expected here"))
        elif check == "multiple_fields_uniqueness":
            duplicate_rows.add(index)
        elif check == "not_nullable":
            file, line, col = locate(index, column)
            problems.append(Problem(file, line, col, "", kind=kind, text="is empty; a value is required"))
        else:
            file, line, col = locate(index, column)
            problems.append(Problem(file, line, col, found, check, kind=kind))
    if duplicate_rows:
        problems.extend(_duplicate_problems(frame, duplicate_rows, key, locate, kind))
    return problems or [Problem(rel, 1, text="failed validation")]


def _text(value) -> str:
    """A failing value as the user wrote it: 300 rather than 300.0."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _duplicate_problems(frame, rows, key, locate, kind) -> list[Problem]:
    first: dict[tuple, tuple[str, int]] = {}
    problems = []
    for index in sorted(rows, key=lambda i: locate(i, None)[:2]):
        values = tuple("" if pd.isna(frame.at[index, k]) else str(frame.at[index, k]) for k in key)
        file, line, _ = locate(index, None)
        if values in first:
            where = f"line {first[values][1]}" if first[values][0] == file else f"{first[values][0]}:{first[values][1]}"
            shown = ", ".join(f"{k}={v!r}" for k, v in zip(key, values) if v)
            problems.append(Problem(file, line, kind=kind, text=f"duplicate key ({shown}) already on {where}"))
        else:
            first[values] = (file, line)
    return problems


def check_pattern(pattern: str, error: str) -> pa.Check:
    re.compile(pattern)
    return pa.Check.str_matches(pattern, error=error)
