"""Raw transcriptions (publisher layout) -> long rows, driven by data/public/tables.yaml.

Each raw file keeps the layout of its publication so it can be checked against the page.
tables.yaml says, per file, how its columns become observations: fixed fields,
fields taken from a column ("{year}"), and which columns hold values. Adding next
year's row to a raw file therefore needs no code change.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis import geography
from analysis.errors import DataError, Problem
from analysis.paths import Paths
from analysis.readers import LINE, read_csv_text, read_input, read_yaml_records
from analysis.validate import (
    CENSORED,
    CENSORED_ONLY,
    CENSORED_QUALIFIER,
    DECIMAL_NUMBER,
    FITS,
    PERIOD,
    QUALIFIER,
    WHOLE_NUMBER,
    in_file,
    number_cells,
    one_of,
    period_in_range,
    run,
    uncensored_qualifier,
)

TABLES_FILE = "tables.yaml"
FIELDS = ("source_id", "indicator", "geography", "period", "breakdown", "unit", "qualifier", "base_n", "locator", "note")
REQUIRED_FIELDS = ("source_id", "indicator", "geography", "period")
LONG_COLUMNS = ("source_id", "indicator", "geography", "period", "breakdown", "value", "unit", "qualifier", "base_n", "locator")
LONG_OPTIONAL = ("note", "quote")
_REF = re.compile(r"\{([^{}]+)\}")


@dataclass
class TableSpec:
    """How one raw file maps to observations."""

    file: str
    line: int  # where the spec sits in tables.yaml
    fields: dict[str, str]  # field -> constant or template with {column} references
    values: dict[str, dict[str, str]]  # value column -> field overrides
    key: list[str] = field(default_factory=list)
    decimal: bool = False
    extra_columns: tuple[str, ...] = ()  # allowed, not used (e.g. a 'quote' for checking)
    optional_columns: tuple[str, ...] = ()  # may be absent from the header altogether
    total: dict[str, str] | None = None  # {column, row[, emit: no]}: the other rows must sum to this row
    censored: tuple[str, ...] = ()  # value columns whose cells may read "<50" (value = bound, qualifier less_than)
    not_above: list[dict[str, str]] = field(default_factory=list)  # [{column, limit}]: a part never above its total

    def template(self, name: str, column: str) -> str | None:
        return self.values[column].get(name, self.fields.get(name))

    def referenced(self) -> dict[str, set[str]]:
        """Raw column -> fields whose template reads it."""
        refs: dict[str, set[str]] = {}
        for column in self.values:
            for name in FIELDS:
                for ref in _REF.findall(self.template(name, column) or ""):
                    refs.setdefault(ref, set()).add(name)
        return refs


def long_spec(file: str, line: int, censored: bool = False) -> TableSpec:
    """A 'long' file already has one observation per row, in the observation columns."""
    return TableSpec(
        file=file,
        line=line,
        fields={name: "{%s}" % name for name in FIELDS},
        values={"value": {}},
        key=["source_id", "indicator", "geography", "period", "breakdown"],
        decimal=True,
        extra_columns=("quote",),
        optional_columns=LONG_OPTIONAL,
        censored=("value",) if censored else (),
    )


def load_specs(paths: Paths) -> list[TableSpec]:
    path = paths.public / TABLES_FILE
    rel = paths.rel(path)
    specs = []
    for record in read_yaml_records(path, rel):
        line, lines = record["_line"], record["_lines"]
        file = record.get("file")
        inside = bool(file) and not Path(file).is_absolute() and (paths.public / file).resolve().is_relative_to(
            paths.public.resolve())
        if file and not inside:  # '/etc/passwd', '../../x': the build reads data/public only
            raise DataError(Problem(rel, lines.get("file", line), "file", file, f"a path inside {paths.rel(paths.public)}/ "
                                    "(no absolute path, no '..' out of it)", kind="field"))
        if not file or not (paths.public / file).is_file():
            raise DataError(Problem(rel, lines.get("file", line), "file", file or "", f"a file under {paths.rel(paths.public)}/", kind="field"))
        layout = record.get("layout") or "wide"
        if layout == "long":
            censored = record.get("censored")
            if censored not in (None, "true", "false"):
                raise DataError(Problem(rel, lines["censored"], "censored", str(censored), "'true' or 'false' (a long table's only value column is 'value')", kind="field"))
            specs.append(long_spec(file, line, censored == "true"))
            continue
        if layout != "wide":
            raise DataError(Problem(rel, lines["layout"], "layout", layout, "'wide' or 'long'", kind="field"))
        fields, values = record.get("fields") or {}, record.get("values") or {}
        if not isinstance(fields, dict) or not isinstance(values, dict) or not values:
            raise DataError(Problem(rel, line, text="a wide table needs 'fields' and 'values' mappings"))
        for name in list(fields) + [n for v in values.values() for n in (v or {})]:
            if name not in FIELDS:
                raise DataError(Problem(rel, line, name, name, "an observation field (" + ", ".join(FIELDS) + ")", kind="field"))
        key = record.get("key") or []
        spec = TableSpec(
            file=file,
            line=line,
            fields=fields,
            values={col: (over or {}) for col, over in values.items()},
            key=[key] if isinstance(key, str) else list(key),
            decimal=(record.get("decimal") == "true"),
            total=record.get("total"),
            extra_columns=tuple(record.get("extra_columns") or ()),
            censored=_censored_columns(record, values, rel),
            not_above=_not_above_rules(record, values, rel),
        )
        for column in spec.values:
            if spec.template("qualifier", column) == CENSORED_QUALIFIER and column not in spec.censored:
                raise DataError(Problem(rel, line, "qualifier", CENSORED_QUALIFIER, f"a qualifier for column '{column}' ({CENSORED_ONLY})", kind="field"))
        specs.append(spec)
    return specs


def _censored_columns(record: dict, values: dict, rel: str) -> tuple[str, ...]:
    """'censored: true' (every value column) or 'censored: [columns]'."""
    censored = record.get("censored")
    if censored in (None, "false"):
        return ()
    if censored == "true":
        return tuple(values)
    columns = [censored] if isinstance(censored, str) else censored
    if not isinstance(columns, list) or any(c not in values for c in columns):
        bad = next((c for c in (columns if isinstance(columns, list) else [columns]) if c not in values), columns)
        raise DataError(Problem(rel, record["_lines"]["censored"], "censored", str(bad), "'true' or a list of this table's value columns", kind="field"))
    return tuple(columns)


def _not_above_rules(record: dict, values: dict, rel: str) -> list[dict[str, str]]:
    """'not_above: {column: X, limit: Y}' or a list of them: X (a part) is never above Y (its total)."""
    rules = record.get("not_above") or []
    rules = [rules] if isinstance(rules, dict) else rules
    for rule in rules:
        if not isinstance(rule, dict) or rule.get("column") not in values or rule.get("limit") not in values:
            raise DataError(Problem(rel, record["_lines"]["not_above"], "not_above", str(rule), "{column: X, limit: Y} with X and Y value columns of this table", kind="field"))
    return rules


def raw_schema(spec: TableSpec, source_ids, indicator_ids) -> pa.DataFrameSchema:
    """pandera schema for one raw file: which columns exist and what each cell may hold."""
    number = DECIMAL_NUMBER if spec.decimal else WHOLE_NUMBER
    columns: dict[str, pa.Column] = {}
    for column in spec.values:
        columns[column] = pa.Column(str, number_cells(number, column in spec.censored), nullable=True)
    whole_field = {}  # column -> field, when a field is exactly "{column}"
    for column in spec.values:
        for name in FIELDS:
            m = re.fullmatch(r"\{([^{}]+)\}", spec.template(name, column) or "")
            if m:
                whole_field[m.group(1)] = name
    checks = {
        "source_id": [one_of(source_ids, "a source_id declared in data/public/sources.yaml")],
        "indicator": [one_of(indicator_ids, "an indicator id declared in data/public/indicators.yaml")],
        "geography": [one_of(geography.codes(), "an ISO 3166-1 alpha-3 code or a named aggregate (WLD, EU27, ...)")],
        "period": [PERIOD, period_in_range()],
        "qualifier": [QUALIFIER] if spec.censored else uncensored_qualifier(),
        "base_n": [WHOLE_NUMBER, FITS],
    }
    for column, names in spec.referenced().items():
        if column in columns:
            continue
        name = whole_field.get(column)
        required = any(n in REQUIRED_FIELDS for n in names)
        columns[column] = pa.Column(str, checks.get(name, []), nullable=not required, required=column not in spec.optional_columns)
    for column in spec.key:
        columns.setdefault(column, pa.Column(str, nullable=False))
    for column in spec.extra_columns:
        columns.setdefault(column, pa.Column(str, nullable=True, required=False))
    columns[LINE] = pa.Column("int64")
    return pa.DataFrameSchema(columns, strict=True, unique=spec.key or None, name=spec.file)


# Validated tables by content: (file text, spec, registries' ids) -> long rows. A rebuild, or a
# test that breaks one file of a copy, re-reads only the files whose bytes changed.
_READ: dict[tuple, pd.DataFrame] = {}
_READ_MAX = 512


def read_table(paths: Paths, spec: TableSpec, source_ids, indicator_ids) -> pd.DataFrame:
    """Read and validate one raw file; return its rows as long observations (text values)."""
    path = paths.public / spec.file
    rel = paths.rel(path)
    content = read_input(path, rel)
    key = (hashlib.sha256(content).hexdigest(), rel, repr(dataclasses.replace(spec, line=0)),
           frozenset(source_ids), frozenset(indicator_ids), date.today())
    if key not in _READ:
        if len(_READ) >= _READ_MAX:
            _READ.clear()
        _READ[key] = _read_table(path, rel, spec, source_ids, indicator_ids)
    return _READ[key].copy()


def _read_table(path: Path, rel: str, spec: TableSpec, source_ids, indicator_ids) -> pd.DataFrame:
    raw = read_csv_text(path, rel)
    raw = run(raw_schema(spec, source_ids, indicator_ids), raw, rel, in_file(rel, lambda i: int(raw.at[i, LINE])))
    if spec.not_above:
        check_not_above(raw, spec, rel)
    if spec.total:
        check_total(raw, spec, rel)
        if spec.total.get("emit") == "no":  # printed again elsewhere in the same publication
            raw = raw[raw[spec.total["column"]] != spec.total["row"]]
    return melt(raw, spec, rel)


def check_total(raw: pd.DataFrame, spec: TableSpec, rel: str) -> None:
    """The publication's own total row must equal the sum of its other rows."""
    column, label = spec.total["column"], spec.total["row"]
    is_total = raw[column] == label
    if is_total.sum() != 1:
        raise DataError(Problem(rel, 1, column, text=f"expected exactly one '{label}' row (the printed total)"))
    for value_col in spec.total.get("columns", "").split() or spec.values:
        censored = raw[value_col].fillna("").str.match(CENSORED)
        if censored.any():  # a censored cell is a bound, not a number: it is never added as 0
            line = int(raw.loc[censored, LINE].iloc[0])
            raise DataError(Problem(rel, line, value_col, text=f"'{raw.loc[censored, value_col].iloc[0]}' is censored; the '{label}' row cannot be checked as a sum of censored values"))
        values = pd.to_numeric(raw[value_col])
        stated, rows_sum = values[is_total].iloc[0], values[~is_total].sum()
        if stated != rows_sum:
            line = int(raw.loc[is_total, LINE].iloc[0])
            raise DataError(Problem(rel, line, value_col, text=f"the rows sum to {rows_sum:,.0f} but the '{label}' row says {stated:,.0f}"))


def check_not_above(raw: pd.DataFrame, spec: TableSpec, rel: str) -> None:
    """A part (e.g. referrals of one incident type) is never above its total on the same row.

    Rounding is monotone, so this holds for rounded values too. A censored part ('<50') is
    at least 0 and never breaks the rule; a censored total ('<50') is broken by any part of 50 or more.
    """
    problems = []
    for rule in spec.not_above:
        column, limit = rule["column"], rule["limit"]
        for index in raw.index:
            part, total = raw.at[index, column], raw.at[index, limit]
            if pd.isna(part) or pd.isna(total) or re.match(CENSORED, part):
                continue
            above = float(part) >= float(total[1:]) if re.match(CENSORED, total) else float(part) > float(total)
            if above:
                problems.append(Problem(rel, int(raw.at[index, LINE]), column, part, f"at most '{limit}' on the same row ({total}), the total it is part of"))
    if problems:
        raise DataError(problems)


def melt(raw: pd.DataFrame, spec: TableSpec, rel: str) -> pd.DataFrame:
    """Publisher layout -> one row per (raw row, value column) with a value."""
    out = []
    for column in spec.values:
        present = raw[raw[column].notna()]
        if present.empty:
            continue
        data = {}  # columns first, one frame after: a column set at a time costs pandas a copy each
        cols = {"value": column}
        for name in FIELDS:
            template = spec.template(name, column)
            data[name] = _fill(template, present) if template else pd.NA
            refs = _REF.findall(template or "")
            if refs:
                cols[name] = refs[0]
        data["value"] = present[column]
        part = pd.DataFrame(data, index=present.index)
        if column in spec.censored:  # "<50" -> value 50, qualifier less_than (never 0)
            censored = part["value"].str.match(CENSORED)
            part.loc[censored, "value"] = part.loc[censored, "value"].str.slice(1)
            part.loc[censored, "qualifier"] = CENSORED_QUALIFIER
        part["_file"] = rel
        part["_line"] = present[LINE]
        part["_cols"] = [cols] * len(part)
        out.append(part)
    if not out:
        return pd.DataFrame(columns=list(FIELDS) + ["value", "_file", "_line", "_cols"])
    return pd.concat(out, ignore_index=True)


def _fill(template: str, rows: pd.DataFrame) -> pd.Series:
    refs = _REF.findall(template)
    if not refs:
        return pd.Series(template, index=rows.index, dtype="str")
    if any(ref not in rows for ref in refs):  # an optional column left out of the header
        return pd.Series(pd.NA, index=rows.index, dtype="str")
    if template == "{%s}" % refs[0]:
        return rows[refs[0]].astype("str")
    result = pd.Series(template, index=rows.index, dtype="str")
    missing = pd.Series(False, index=rows.index)
    for ref in refs:
        missing |= rows[ref].isna()
        result = _sub(result, ref, rows[ref])
    return result.mask(missing)


def _sub(result: pd.Series, ref: str, values: pd.Series) -> pd.Series:
    return pd.Series(
        [r.replace("{%s}" % ref, "" if pd.isna(v) else str(v)) for r, v in zip(result, values)],
        index=result.index,
        dtype="str",
    )
