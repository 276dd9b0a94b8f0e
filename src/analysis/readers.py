"""Strict readers for raw files: every cell is kept as text, with its line number.

Typing and range checks happen later, in the pandera schemas (validate.py); here we
only refuse what cannot be read as a comma-separated UTF-8 table at all.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import yaml

from analysis.errors import MACHINE_ERRNOS, DataError, Problem

LINE = "_line"  # column holding each row's line number in its file
BOM = b"\xef\xbb\xbf"


def read_input(path: Path, rel: str) -> bytes:
    """The bytes of an input file; a missing or unreadable file is a DataError naming it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        text = "is missing (no such file)" if not path.is_symlink() else "is a symbolic link to nothing"
    except IsADirectoryError:
        text = "is a folder; expected a file"
    except OSError as err:
        if err.errno in MACHINE_ERRNOS:
            raise
        text = f"cannot be read: {(err.strerror or str(err)).lower()}"
    raise DataError(Problem(rel, 0, text=text))


def decode_utf8(raw: bytes, rel: str) -> str:
    if raw.startswith(BOM):
        raise DataError(Problem(rel, 1, text="starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            Problem(rel, line, text=f"byte 0x{raw[err.start]:02x} is not UTF-8 text; save the file as UTF-8")
        ) from None


def read_csv_text(path: Path, rel: str) -> pd.DataFrame:
    """Read a raw CSV: all cells as str, empty cells as missing, plus a _line column."""
    text = decode_utf8(read_input(path, rel), rel)
    if not text.strip():
        raise DataError(Problem(rel, 1, text="file is empty; expected a header line"))
    header_line = text.splitlines()[0]
    if "," not in header_line and (";" in header_line or "\t" in header_line):
        sep = ";" if ";" in header_line else "\\t"
        raise DataError(Problem(rel, 1, text=f"columns are separated by '{sep}'; expected commas"))

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    start = 1
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if header is None:
                header = row
                continue
            if not any(cell.strip() for cell in row):
                continue  # blank line
            if len(row) != len(header):
                problems.append(
                    Problem(rel, line, text=f"row has {len(row)} fields; expected {len(header)} like the header")
                )
                continue
            rows.append(row)
            lines.append(line)
    except csv.Error as err:
        raise DataError(Problem(rel, reader.line_num, text=f"cannot be read as CSV: {err}")) from None

    assert header is not None
    for i, name in enumerate(header):
        if not name.strip():
            problems.append(Problem(rel, 1, text=f"column {i + 1} has an empty name"))
        elif header.index(name) != i:
            problems.append(Problem(rel, 1, column=name, text="appears twice in the header"))
    if problems:
        raise DataError(problems)

    frame = pd.DataFrame(rows, columns=header, dtype="str")
    frame = frame.mask(frame == "")  # empty cell -> missing
    frame[LINE] = pd.array(lines, dtype="int64")
    return frame


class _StrLoader(yaml.SafeLoader):
    """YAML loader used only for syntax; values are rebuilt as text from the nodes."""


# libyaml's parser builds the same nodes fifteen times faster; the pure-Python one is kept
# for files that fail, so syntax errors keep their wording.
_FastLoader = getattr(yaml, "CSafeLoader", _StrLoader)


def refuse_aliases(text: str, rel: str) -> None:
    """Anchors and aliases (&name, *name) are refused before anything is built: the registries never
    need them, and a few lines of nested aliases expand to gigabytes (a 'billion laughs')."""
    try:
        for event in yaml.parse(text, Loader=_FastLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1
                raise DataError(Problem(rel, line, text="YAML anchors and aliases (&name, *name) are not allowed in the "
                                                        "registries; write each value out"))
    except yaml.YAMLError:
        return  # the reader reports the syntax error with its own line


def parse_yaml(text: str, rel: str = "YAML"):
    """Plain YAML of the package's own files (texts, rules), with libyaml when present; no aliases."""
    refuse_aliases(text, rel)
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def read_yaml_records(path: Path, rel: str) -> list[dict]:
    """Read a YAML list of flat records; every scalar stays text.

    Each record gets '_line' (its first line) and '_lines' (field -> line), so that
    errors can point at the exact field. Dates stay strings ('2024-04-25'), which is
    what the schemas check.
    """
    text = decode_utf8(read_input(path, rel), rel)
    refuse_aliases(text, rel)
    try:
        try:
            root = yaml.compose(text, Loader=_FastLoader)
        except yaml.YAMLError:
            root = yaml.compose(text, Loader=_StrLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise DataError(Problem(rel, line, text=f"is not valid YAML: {getattr(err, 'problem', err)}")) from None
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise DataError(Problem(rel, root.start_mark.line + 1, text="expected a list of records (lines starting with '- ')"))
    records = []
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            raise DataError(Problem(rel, line, text="expected a record of 'field: value' lines"))
        record: dict = {"_line": line, "_lines": {}}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in record:
                raise DataError(Problem(rel, key_node.start_mark.line + 1, column=key, kind="field", text="appears twice in this record"))
            record["_lines"][key] = value_node.start_mark.line + 1
            record[key] = _scalar_text(value_node, rel)
        records.append(record)
    return records


def _scalar_text(node: yaml.Node, rel: str):
    if isinstance(node, yaml.ScalarNode):
        value = node.value.strip()
        if value == "" or (not node.style and value in ("~", "null")):
            return None
        return value
    if isinstance(node, yaml.SequenceNode):
        return [_scalar_text(item, rel) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {k.value: _scalar_text(v, rel) for k, v in node.value}
    raise DataError(Problem(rel, node.start_mark.line + 1, text="unsupported YAML value"))
