"""The codebook: every breakdown key and its values (data/public/breakdowns.yaml), and the topics
indicators declare (data/public/topics.yaml).

`breakdown_problems` holds the tidy table to the codebook on every build: a key or value that is
not documented stops the build with one line naming the raw file and line it was read from, and a
documented key that no observation uses is refused too (so the codebook never drifts from the
table). `codebook_table` is the flat table the build writes as data/processed/breakdowns.csv: one
row per key and value in use, with their meanings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from analysis.errors import DataError, Problem
from analysis.paths import Paths, default_paths
from analysis.readers import read_yaml_records

BREAKDOWNS_FILE = "breakdowns.yaml"
TOPICS_FILE = "topics.yaml"
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_VALUE = re.compile(r"^[^=;]+$")  # what the breakdown syntax allows in a value
_TEXT_FIELDS = ("label_en", "label_fr", "definition")
CODEBOOK_COLUMNS = ["key", "value", "value_definition", "key_label_en", "key_label_fr", "key_definition", "values_rule"]


@dataclass(frozen=True)
class Key:
    key: str
    label_en: str
    label_fr: str
    definition: str
    values: dict[str, str] | None  # value -> meaning, for a closed set
    rule: str | None  # how an open set of values is written
    pattern: str | None  # what every value of an open set matches
    line: int  # where the record starts in breakdowns.yaml

    def value_problem(self, value: str) -> str | None:
        """Why `value` is not a documented value of this key, or None."""
        if self.values is not None:
            if value not in self.values:
                return f"value {value!r} of key '{self.key}' is not among its values in data/public/{BREAKDOWNS_FILE} ({', '.join(self.values)})"
        elif not re.search(self.pattern, value):
            return f"value {value!r} of key '{self.key}' does not match its values_pattern {self.pattern!r} in data/public/{BREAKDOWNS_FILE}"
        return None

    def meaning(self, value: str) -> str:
        return self.values[value] if self.values is not None else self.rule


def load_breakdowns(paths: Paths | None = None) -> dict[str, Key]:
    """breakdowns.yaml as key -> Key, every record checked (errors name the line and field)."""
    paths = paths or default_paths()
    path = paths.public / BREAKDOWNS_FILE
    rel = paths.rel(path)
    keys: dict[str, Key] = {}
    for record in read_yaml_records(path, rel):
        line, lines = record["_line"], record["_lines"]

        def bad(field: str, text: str) -> DataError:
            return DataError(Problem(rel, lines.get(field, line), field, kind="field", text=text))

        allowed = {"key", *_TEXT_FIELDS, "values", "values_rule", "values_pattern"}
        for field in record:
            if not field.startswith("_") and field not in allowed:
                raise bad(field, f"is not a field of a codebook record (expected one of {', '.join(sorted(allowed))})")
        key = record.get("key")
        if not isinstance(key, str) or not _KEY.match(key):
            raise bad("key", f"{key!r} is not a snake_case breakdown key")
        if key in keys:
            raise bad("key", f"'{key}' is documented twice (first at line {keys[key].line})")
        for field in _TEXT_FIELDS:
            if not isinstance(record.get(field), str):
                raise bad(field, "is missing or not a text")
        values, rule, pattern = record.get("values"), record.get("values_rule"), record.get("values_pattern")
        if (values is None) == (rule is None and pattern is None):
            raise bad("values", "give either 'values' (every value with its meaning) or 'values_rule' and 'values_pattern', not both")
        if values is not None:
            if not isinstance(values, dict) or not values:
                raise bad("values", "expected 'value: meaning' lines")
            for value, meaning in values.items():
                if not _VALUE.match(value) or not isinstance(meaning, str):
                    raise bad("values", f"value {value!r} needs a meaning and may not contain '=' or ';'")
        else:
            if not isinstance(rule, str) or not isinstance(pattern, str):
                raise bad("values_rule" if not isinstance(rule, str) else "values_pattern", "an open set of values needs both values_rule and values_pattern")
            try:
                re.compile(pattern)
            except re.error as err:
                raise bad("values_pattern", f"{pattern!r} is not a regular expression ({err})") from None
        keys[key] = Key(key, record["label_en"], record["label_fr"], record["definition"], values, rule, pattern, line)
    return keys


def pairs(breakdown: str) -> list[tuple[str, str]]:
    return [tuple(p.split("=", 1)) for p in breakdown.split(";")] if breakdown else []


def breakdown_problems(rows: pd.DataFrame, codebook: dict[str, Key], rel_codebook: str) -> list[Problem]:
    """Each breakdown pair of the observations that the codebook does not document, located at the
    first raw row using it; and each documented key no observation uses (at its codebook line).

    `rows` has the columns breakdown, _file, _line and _cols (the raw column each field came from)."""
    problems, seen, used = [], set(), set()
    for breakdown, file, line, cols in zip(rows["breakdown"].fillna(""), rows["_file"], rows["_line"], rows["_cols"]):
        for key, value in pairs(breakdown):
            used.add(key)
            if (key, value) in seen:
                continue
            seen.add((key, value))
            column = cols.get("breakdown", "breakdown") if isinstance(cols, dict) else "breakdown"
            if key not in codebook:
                problems.append(Problem(file, int(line), column, text=f"key '{key}' (in {breakdown!r}) is not documented in {rel_codebook}"))
            elif (why := codebook[key].value_problem(value)):
                problems.append(Problem(file, int(line), column, text=why))
    for key in sorted(set(codebook) - used):
        problems.append(Problem(rel_codebook, codebook[key].line, "key", kind="field",
                                text=f"'{key}' is documented but no observation uses it; remove the record"))
    return problems


def check_breakdowns(rows: pd.DataFrame, paths: Paths) -> None:
    problems = breakdown_problems(rows, load_breakdowns(paths), paths.rel(paths.public / BREAKDOWNS_FILE))
    if problems:
        raise DataError(problems)


def codebook_table(obs: pd.DataFrame, paths: Paths | None = None) -> pd.DataFrame:
    """One row per breakdown key and value used in `obs`, with their meanings (breakdowns.csv)."""
    codebook = load_breakdowns(paths)
    used = sorted({pair for b in obs["breakdown"].unique() for pair in pairs(b)})
    rows = []
    for key, value in used:
        k = codebook[key]
        rows.append([key, value, k.meaning(value), k.label_en, k.label_fr, k.definition, k.rule or ""])
    return pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)


# --- topics --------------------------------------------------------------------------------------

TOPICS_SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(str, pa.Check.str_matches(_KEY.pattern, error="a snake_case id"), nullable=False),
        "label_en": pa.Column(str, pa.Check.str_length(min_value=1, error="a non-empty text"), nullable=False),
        "label_fr": pa.Column(str, pa.Check.str_length(min_value=1, error="a non-empty text"), nullable=False),
        "definition": pa.Column(str, pa.Check.str_length(min_value=1, error="a non-empty text"), nullable=False),
    },
    unique=["id"],
    strict=True,
    name="topics",
)


def load_topics(paths: Paths | None = None) -> pd.DataFrame:
    """topics.yaml: one row per topic, indexed by id."""
    from analysis.registry import load_yaml_table

    return load_yaml_table(paths or default_paths(), TOPICS_FILE, TOPICS_SCHEMA).set_index("id", drop=False)
