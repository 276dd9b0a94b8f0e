"""Raw transcriptions (publisher layout) -> long rows, driven by data/public/tables.yaml.

Each raw file keeps the layout of its publication so it can be checked against the page.
tables.yaml says, per file, how its columns become observations: fixed fields,
fields taken from a column ("{year}"), and which columns hold values. Adding next
year's row to a raw file therefore needs no code change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from analysis import geography
from analysis.errors import DataError, Problem
from analysis.paths import Paths
from analysis.readers import LINE, read_csv_text, read_yaml_records
from analysis.validate import (
    DECIMAL_NUMBER,
    PERIOD,
    QUALIFIER,
    WHOLE_NUMBER,
    in_file,
    one_of,
    period_in_range,
    run,
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


def long_spec(file: str, line: int) -> TableSpec:
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
    )


def load_specs(paths: Paths) -> list[TableSpec]:
    path = paths.public / TABLES_FILE
    rel = paths.rel(path)
    specs = []
    for record in read_yaml_records(path, rel):
        line, lines = record["_line"], record["_lines"]
        file = record.get("file")
        if not file or not (paths.public / file).is_file():
            raise DataError(Problem(rel, lines.get("file", line), "file", file or "", f"a file under {paths.rel(paths.public)}/", kind="field"))
        layout = record.get("layout") or "wide"
        if layout == "long":
            specs.append(long_spec(file, line))
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
        specs.append(
            TableSpec(
                file=file,
                line=line,
                fields=fields,
                values={col: (over or {}) for col, over in values.items()},
                key=[key] if isinstance(key, str) else list(key),
                decimal=(record.get("decimal") == "true"),
                total=record.get("total"),
                extra_columns=tuple(record.get("extra_columns") or ()),
            )
        )
    return specs


def raw_schema(spec: TableSpec, source_ids, indicator_ids) -> pa.DataFrameSchema:
    """pandera schema for one raw file: which columns exist and what each cell may hold."""
    number = DECIMAL_NUMBER if spec.decimal else WHOLE_NUMBER
    columns: dict[str, pa.Column] = {}
    for column in spec.values:
        columns[column] = pa.Column(str, number, nullable=True)
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
        "qualifier": [QUALIFIER],
        "base_n": [WHOLE_NUMBER],
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


def read_table(paths: Paths, spec: TableSpec, source_ids, indicator_ids) -> pd.DataFrame:
    """Read and validate one raw file; return its rows as long observations (text values)."""
    path = paths.public / spec.file
    rel = paths.rel(path)
    raw = read_csv_text(path, rel)
    raw = run(raw_schema(spec, source_ids, indicator_ids), raw, rel, in_file(rel, lambda i: int(raw.at[i, LINE])))
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
        values = pd.to_numeric(raw[value_col])
        stated, rows_sum = values[is_total].iloc[0], values[~is_total].sum()
        if stated != rows_sum:
            line = int(raw.loc[is_total, LINE].iloc[0])
            raise DataError(Problem(rel, line, value_col, text=f"the rows sum to {rows_sum:,.0f} but the '{label}' row says {stated:,.0f}"))


def melt(raw: pd.DataFrame, spec: TableSpec, rel: str) -> pd.DataFrame:
    """Publisher layout -> one row per (raw row, value column) with a value."""
    out = []
    for column in spec.values:
        present = raw[raw[column].notna()]
        if present.empty:
            continue
        part = pd.DataFrame(index=present.index)
        cols = {"value": column}
        for name in FIELDS:
            template = spec.template(name, column)
            part[name] = _fill(template, present) if template else pd.NA
            refs = _REF.findall(template or "")
            if refs:
                cols[name] = refs[0]
        part["value"] = present[column]
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
