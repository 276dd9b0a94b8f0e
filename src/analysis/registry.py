"""The sources registry and the indicator registry (data/public/*.yaml)."""
from __future__ import annotations

import hashlib

import pandas as pd
import pandera.pandas as pa

from analysis.errors import DataError, Problem
from analysis.paths import Paths, default_paths
from analysis.readers import read_input, read_yaml_records
from analysis.validate import check_pattern, in_file, one_of, run

SOURCES_FILE = "sources.yaml"
INDICATORS_FILE = "indicators.yaml"
TOPICS_FILE = "topics.yaml"

_text = pa.Check.str_length(min_value=1, error="a non-empty text")
_date = check_pattern(r"^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?|unknown)$", "a date written YYYY, YYYY-MM or YYYY-MM-DD (or 'unknown')")
_day = check_pattern(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "a date written YYYY-MM-DD")
_url = check_pattern(r"^https?://[^\s]+$", "a URL starting with http:// or https://")


def _required(*checks) -> pa.Column:
    return pa.Column(str, list(checks), nullable=False)


def _optional(*checks) -> pa.Column:
    return pa.Column(str, list(checks), nullable=True, required=False)


SOURCES_SCHEMA = pa.DataFrameSchema(
    {
        "source_id": _required(check_pattern(r"^[a-z0-9]+(-[a-z0-9]+)*$", "a kebab-case id (lower-case letters, digits, hyphens)")),
        "publisher": _required(_text),
        "title": _required(_text),
        "url": _required(_url),
        "date_published": _required(_date),
        "date_accessed": _required(_day),
        "kind": _required(one_of({"primary", "secondary"}, "'primary' or 'secondary'")),
        "locator": _required(_text),
        "terms": _required(_text),
        "definitions": _required(_text),
        "citation": _required(_text),  # short form for figure source lines
        "notes": _optional(),
        "quotes": _optional(),  # for a secondary source: the primary it quotes
        "local_file": _optional(check_pattern(r"^[A-Za-z0-9_./-]+\.pdf$", "a PDF path relative to ../shared/sources")),
        "sha256": _optional(check_pattern(r"^[0-9a-f]{64}$", "a SHA-256 hex digest")),
    },
    unique=["source_id"],
    strict=True,
    name="sources",
)

INDICATORS_SCHEMA = pa.DataFrameSchema(
    {
        "id": _required(check_pattern(r"^[a-z][a-z0-9_]*$", "a snake_case id")),
        "unit": _required(check_pattern(r"^[a-z_]+$", "a unit in lower case (reports, urls, percent, ...)")),
        "publisher": _required(_text),
        # the subject, or 'context' for figures that frame it: an id of topics.yaml (checked in _registry)
        "topic": _required(_text),
        "definition": _required(_text),
        "label_en": _required(_text),
        "label_fr": _required(_text),
        "notes": _optional(),
        # A break in the series: from this period on, the publisher counts differently, so values
        # before and after are not comparable (analysis.series refuses to join them unless told).
        "series_break": _optional(check_pattern(r"^[0-9]{4}$", "a year (the first period counted the new way)")),
        "series_break_note": _optional(_text),
    },
    unique=["id"],
    strict=True,
    name="indicators",
)


def citations(source_ids, paths: Paths | None = None) -> list[str]:
    """Short citations of the given sources, in the order given, without repeats."""
    sources = load_sources(paths)
    return [sources.at[s, "citation"] for s in dict.fromkeys(source_ids)]


def source_line(source_ids, lang: str = "en", limit: int = 4, paths: Paths | None = None) -> str:
    """The sources of a figure in one line; long lists are summarised by publisher and kind."""
    ids = list(dict.fromkeys(source_ids))
    if len(ids) <= limit:
        return "; ".join(citations(ids, paths))
    sources = load_sources(paths).loc[ids]
    primary = sources[sources["kind"] == "primary"]
    publishers = sorted({c.split(",")[0] for c in primary["citation"]})
    n_primary, n_secondary = len(primary), len(sources) - len(primary)
    if lang == "fr":
        text = f"{', '.join(publishers)} ({n_primary} publications)"
        if n_secondary:
            text += f" et {n_secondary} sources secondaires les citant"
        return text + " ; liste complète dans le livre des figures (site/)"
    text = f"{', '.join(publishers)} ({n_primary} publications)"
    if n_secondary:
        text += f" and {n_secondary} secondary sources quoting them"
    return text + "; full list in the figure book (site/)"


def sources_table(source_ids, paths: Paths | None = None) -> pd.DataFrame:
    """Citation, URL and pages of the given sources: the reference list of a notebook."""
    sources = load_sources(paths)
    ids = list(dict.fromkeys(source_ids))
    return sources.loc[ids, ["citation", "url", "locator", "kind"]]


def load_yaml_table(paths: Paths, name: str, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """A YAML list of records under data/public, validated by `schema`, errors naming line and field."""
    path = paths.public / name
    rel = paths.rel(path)
    records = read_yaml_records(path, rel)
    lines = [r.pop("_lines") for r in records]
    starts = [r.pop("_line") for r in records]
    if schema.strict is True:  # an unexpected field is named at its own line, not at line 1
        known = set(schema.columns)
        unexpected = [Problem(rel, lines[i].get(key, starts[i]), key, kind="field",
                              text=f"is not expected here (the fields are {', '.join(schema.columns)})")
                      for i, record in enumerate(records) for key in record if key not in known]
        if unexpected:
            raise DataError(unexpected)
    frame = pd.DataFrame(records, dtype="str") if records else pd.DataFrame(columns=list(schema.columns), dtype="str")

    locate = in_file(rel, lambda i: starts[i], lambda i, c: lines[i].get(c, starts[i]))
    frame = run(schema, frame, rel, locate, kind="field")
    return frame


def load_sources(paths: Paths | None = None) -> pd.DataFrame:
    """Sources registry: one row per publication, indexed by source_id."""
    return _registry(paths or default_paths(), SOURCES_FILE)


def load_indicators(paths: Paths | None = None) -> pd.DataFrame:
    """Indicator registry: one row per indicator, indexed by id."""
    return _registry(paths or default_paths(), INDICATORS_FILE)


# Parsed and validated registries by content (a copy of the repository parses nothing again).
_PARSED: dict[tuple, pd.DataFrame] = {}


def _registry(paths: Paths, name: str) -> pd.DataFrame:
    path = paths.public / name
    digest = hashlib.sha256(read_input(path, paths.rel(path))).hexdigest()
    if name == INDICATORS_FILE:  # topics are checked against topics.yaml: its bytes are part of the key
        topics_path = paths.public / TOPICS_FILE
        digest += hashlib.sha256(read_input(topics_path, paths.rel(topics_path))).hexdigest()
    key = (digest, paths.rel(path), name)
    if key not in _PARSED:
        if len(_PARSED) > 32:
            _PARSED.clear()
        schema = SOURCES_SCHEMA if name == SOURCES_FILE else _indicators_schema(paths)
        _PARSED[key] = load_yaml_table(paths, name, schema).set_index("source_id" if name == SOURCES_FILE else "id", drop=False)
    return _PARSED[key].copy()


def _indicators_schema(paths: Paths) -> pa.DataFrameSchema:
    from analysis.codebook import load_topics

    topics = sorted(load_topics(paths).index)
    return INDICATORS_SCHEMA.update_column(
        "topic", checks=[one_of(topics, f"a topic id declared in data/public/{TOPICS_FILE} ({', '.join(topics)})")])
