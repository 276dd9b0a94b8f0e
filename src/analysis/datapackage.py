"""data/processed/datapackage.json: the processed tables as a Frictionless Data Package (v1).

The package describes every CSV table the build writes to data/processed (field types,
units, descriptions, primary and foreign keys), lists the Parquet copy of the tidy table as
a plain data resource (the v1 tabular profile only covers CSV), and states the licences and
how to cite the project. Column descriptions live here, in catalogue(); enumerations (indicator
ids, source ids, units) come from the registries the build has just written (indicators.csv,
sources.csv), so the package always matches the tables beside it.

The output is deterministic: fields follow each CSV header, resources are sorted by name,
every object's keys come in a fixed order, and nothing is dated except what the data says.

Validate it with the `frictionless` library (a dev dependency):

    from frictionless import Package, system
    with system.use_context(standards="v1"):
        report = Package("data/processed/datapackage.json").validate()
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from analysis.paths import Paths
from analysis.validate import BREAKDOWN_SYNTAX, PERIOD_SYNTAX

FILE = "datapackage.json"
VERSION = "0.1.0"  # the project's version (pyproject.toml, CITATION.cff)
AUTHORS = "cse-stats contributors"
TITLE = "Published statistics on online child sexual exploitation, as reproducible notebooks"
# How to cite the project; CITATION.cff says the same (tests/test_datapackage.py checks it).
CITATION = f"{AUTHORS}. {TITLE} (version {VERSION}). Software and data."
UNDESCRIBED = "(not yet described in analysis.datapackage.catalogue)"

# Syntaxes of the tidy table (analysis.validate), without anchors: a Table Schema pattern always
# matches the whole value.
PERIOD = PERIOD_SYNTAX.removeprefix("^").removesuffix("$")
BREAKDOWN = BREAKDOWN_SYNTAX.removeprefix("^").removesuffix("$")
GEOGRAPHY = r"[A-Z][A-Z0-9]{2,3}"
SOURCE_ID = r"[a-z0-9]+(-[a-z0-9]+)*"
YEAR = r"[0-9]{4}"

_SOURCES_REF = "the publication: a source_id of sources.csv (data/public/sources.yaml), where its citation, URL, pages and terms are"
_INDICATOR_REF = "what is measured: an id of indicators.csv (data/public/indicators.yaml), where its unit and definition are; different measures are different indicators"
_GEOGRAPHY = ("ISO 3166-1 alpha-3 code of a country (FRA), or a named aggregate: WLD world, EU27 European Union (27 members), "
              "EUR Europe, UNK unknown location, and others listed in analysis.geography")
_BREAKDOWN = ("empty for the whole, or key=value pairs joined by ';' in key order (age=7-10;severity=A); every key and value "
              "is defined in breakdowns.csv (the codebook, data/public/breakdowns.yaml)")


def _s(description: str, **more) -> dict:
    return {"type": "string", "description": description, **more}


def _fields_key() -> dict:
    return {
        "source_id": _s(_SOURCES_REF, constraints={"required": True, "pattern": SOURCE_ID}),
        "indicator": _s(_INDICATOR_REF, constraints={"required": True}),
        "geography": _s(_GEOGRAPHY, constraints={"required": True, "pattern": GEOGRAPHY}),
        "period": _s("the period the number refers to: a year (2023), half (2023-H2), quarter (2024-Q1), month (2024-06) or day (2023-09-22)",
                     constraints={"required": True, "pattern": PERIOD}),
        "breakdown": _s(_BREAKDOWN, constraints={"pattern": BREAKDOWN}),
    }


def catalogue() -> dict[str, dict]:
    """Per table: title, description, keys, and each column's field descriptor (without its name)."""
    from analysis import claims, platforms, projections, trends
    from analysis.validate import QUALIFIERS

    key = ["source_id", "indicator", "geography", "period", "breakdown"]
    return {
        "observations": {
            "title": "Observations: every published number, one row each",
            "description": ("The tidy table: one row per number a publication gives, identified by publication, indicator, "
                            "geography, period and breakdown. When several publications give the same number, all are kept "
                            "(analysis.observations.preferred picks one). observations.parquet holds the same rows with typed columns."),
            "primaryKey": key,
            "foreignKeys": [
                {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}},
                {"fields": ["indicator"], "reference": {"resource": "indicators", "fields": ["id"]}},
            ],
            "fields": {
                **_fields_key(),
                "value": {"type": "number", "description": "the number as published; the unit column says what is counted or measured "
                          "(reports, urls, percent, ...), and qualifier says how exact it is", "constraints": {"required": True}},
                "unit": _s("what value counts or measures: the unit the indicator declares in indicators.csv (reports, incidents, urls, "
                           "percent, percent_change, ...)", constraints={"required": True}),
                "qualifier": _s("how the publisher stated the number: exact, rounded, approx, at_least (a 'more than'), estimate, "
                                "less_than", constraints={"required": True, "enum": list(QUALIFIERS)}),
                "base_n": {"type": "integer", "description": "for a survey percentage, the number of respondents behind it, where published",
                           "unit": "respondents", "constraints": {"minimum": 1}},
                "note": _s("anything a reader must know about this number"),
            },
        },
        "provenance": {
            "title": "Provenance of each observation",
            "description": "For each row of observations.csv (same key): the raw transcription file and line it was read from, and the page or table of the publication.",
            "primaryKey": key,
            "foreignKeys": [{"fields": key, "reference": {"resource": "observations", "fields": key}}],
            "fields": {
                **_fields_key(),
                "locator": _s("where in the publication: page, table, paragraph"),
                "raw_file": _s("the transcription in the repository the number was read from (data/public/...)",
                               constraints={"required": True}),
                "raw_line": {"type": "integer", "description": "line of raw_file (1 is the header of a CSV file)",
                             "constraints": {"required": True, "minimum": 1}},
            },
        },
        "sources": {
            "title": "Sources: one row per publication",
            "description": "The sources registry (data/public/sources.yaml) as a flat table. Each publisher's terms of reuse are in the terms column.",
            "primaryKey": ["source_id"],
            "fields": {
                "source_id": _s("identifier of the publication, used by observations.csv and claim_checks.csv",
                                constraints={"required": True, "unique": True, "pattern": SOURCE_ID}),
                "publisher": _s("who published it", constraints={"required": True}),
                "title": _s("title of the publication", constraints={"required": True}),
                "citation": _s("short citation, as printed under figures", constraints={"required": True}),
                "url": _s("where it was read", format="uri", constraints={"required": True}),
                "date_published": _s("date of publication, YYYY, YYYY-MM or YYYY-MM-DD, or 'unknown'",
                                     constraints={"required": True, "pattern": r"([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?|unknown)"}),
                "date_accessed": {"type": "date", "description": "date the publication was last read for this project",
                                  "constraints": {"required": True}},
                "kind": _s("primary: the publisher's own publication; secondary: a publication quoting it (news article, the report)",
                           constraints={"required": True, "enum": ["primary", "secondary"]}),
                "locator": _s("the pages, tables or paragraphs used", constraints={"required": True}),
                "terms": _s("the publisher's terms of reuse, and how this project uses the publication", constraints={"required": True}),
                "definitions": _s("the publisher's own definitions of what it counts", constraints={"required": True}),
                "notes": _s("remarks on the publication (inconsistencies, revisions)"),
                "local_file": _s("for a PDF: its file name under ../shared/sources (PDFs are not redistributed)"),
                "sha256": _s("for a PDF: SHA-256 of the exact copy transcribed", constraints={"pattern": "[0-9a-f]{64}"}),
                "quotes": _s("for a secondary source: the primary publication it quotes"),
            },
        },
        "indicators": {
            "title": "Indicators: one row per measure",
            "description": "The indicator registry (data/public/indicators.yaml) as a flat table.",
            "primaryKey": ["id"],
            "foreignKeys": [{"fields": ["topic"], "reference": {"resource": "topics", "fields": ["id"]}}],
            "fields": {
                "id": _s("identifier of the indicator, used by observations.csv", constraints={"required": True, "unique": True,
                                                                                             "pattern": "[a-z][a-z0-9_]*"}),
                "unit": _s("what the indicator counts or measures (the unit of observations.value)", constraints={"required": True}),
                "publisher": _s("who publishes it", constraints={"required": True}),
                "topic": _s("what the indicator is about: an id of topics.csv (data/public/topics.yaml); 'context' for figures "
                            "that frame the subject (populations, dates, a paper's scores)", constraints={"required": True}),
                "definition": _s("definition in the publisher's terms", constraints={"required": True}),
                "label_en": _s("label in English", constraints={"required": True}),
                "label_fr": _s("label in French", constraints={"required": True}),
                "notes": _s("remarks (comparability, what it is not)"),
                "series_break": {"type": "integer", "description": "first year counted a new way: values before and after are not comparable"},
                "series_break_note": _s("what changed at the series break"),
            },
        },
        "topics": {
            "title": "Topics: what each indicator is about",
            "description": "The topics registry (data/public/topics.yaml): each indicator declares one, so that subject figures and context figures can be told apart.",
            "primaryKey": ["id"],
            "fields": {
                "id": _s("identifier of the topic, used by indicators.csv", constraints={"required": True, "unique": True, "pattern": "[a-z][a-z0-9_]*"}),
                "label_en": _s("label in English", constraints={"required": True}),
                "label_fr": _s("label in French", constraints={"required": True}),
                "definition": _s("what the topic covers", constraints={"required": True}),
            },
        },
        "breakdowns": {
            "title": "Codebook of the breakdown column",
            "description": ("Every breakdown key and value used in observations.csv, with its meaning (data/public/breakdowns.yaml; "
                            "the build stops on a key or value it does not document). A key with an open set of values (names, "
                            "ISO codes) lists the values in use, each with the key's rule for writing them."),
            "primaryKey": ["key", "value"],
            "fields": {
                "key": _s("the breakdown key (left of '=')", constraints={"required": True, "pattern": "[a-z][a-z0-9_]*"}),
                "value": _s("a value of the key in use (right of '=')", constraints={"required": True}),
                "value_definition": _s("what the value means; for an open set, the rule the values follow", constraints={"required": True}),
                "key_label_en": _s("the key's label in English", constraints={"required": True}),
                "key_label_fr": _s("the key's label in French", constraints={"required": True}),
                "key_definition": _s("what the key splits or qualifies", constraints={"required": True}),
                "values_rule": _s("for a key with an open set of values, how they are written (empty for a closed set)"),
            },
        },
        "claim_checks": {
            "title": "The claim ledger: every number the report prints, checked",
            "description": ("One row per number printed in the Fondation pour l'Enfance report (2024): the value as printed, the "
                            "source the report cites, the published value it was compared with, and the verdict computed by the build."),
            "primaryKey": ["claim_id"],
            "foreignKeys": [{"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}}],
            "fields": {
                "claim_id": _s("identifier of the claim (data/public/report/claims.csv)", constraints={"required": True, "unique": True}),
                "section": _s("section of the report", constraints={"required": True}),
                "claim": _s("the claim in a short paraphrase", constraints={"required": True}),
                "value_printed": _s("the value exactly as the report prints it", constraints={"required": True}),
                "attributed_source": _s("the source the report cites for it", constraints={"required": True}),
                "verdict": _s("the computed verdict; 'not publicly verifiable' and 'not checked' are given by hand with a reason",
                              constraints={"required": True, "enum": list(claims.VERDICTS)}),
                "published_value": _s("the published value compared with (a number, or a date for claims about dates); empty when none"),
                "source_id": _s("the publication of the published value: a source_id of sources.csv; empty when none",
                                constraints={"pattern": SOURCE_ID}),
                "source_url": _s("URL of that publication", format="uri"),
                "explanation": _s("how the verdict was reached", constraints={"required": True}),
            },
        },
        "ncmec_countries": {
            "title": "NCMEC CyberTipline reports by country and year",
            "description": ("Derived from NCMEC's yearly tables by country (analysis.ncmec): reports per country, share of the "
                            "world total, ranks, and for EU27 countries the rate per 100,000 inhabitants (Eurostat population on "
                            "1 January). Reports follow upload locations, not victims or offenders."),
            "primaryKey": ["year", "geography"],
            "fields": {
                "year": {"type": "integer", "description": "calendar year of the reports", "constraints": {"required": True}},
                "geography": _s("ISO 3166-1 alpha-3 code of the country (or XKX Kosovo, ANT Netherlands Antilles, ...)",
                                constraints={"required": True, "pattern": GEOGRAPHY}),
                "reports": {"type": "integer", "unit": "reports", "description": "CyberTipline reports NCMEC attributes to the country; "
                            "from 2024, referrals + informational reports (see measure): not comparable with earlier years",
                            "constraints": {"required": True, "minimum": 0}},
                "referrals": {"type": "integer", "unit": "reports", "description": "from 2024: reports NCMEC designated as referrals for the country's "
                              "jurisdiction (indicator cybertipline_referrals); empty before", "constraints": {"minimum": 0}},
                "informational": {"type": "integer", "unit": "reports", "description": "from 2024: informational reports, which NCMEC says lack "
                                  "sufficient detail for law enforcement action (indicator cybertipline_informational_reports); empty before", "constraints": {"minimum": 0}},
                "measure": _s("what reports counts: 'reports' (NCMEC's count, up to 2023) or 'referrals+informational' (from 2024)",
                              constraints={"required": True, "enum": ["referrals+informational", "reports"]}),
                "share_of_world_pct": {"type": "number", "unit": "percent", "description": "reports as a percentage of the world total that year (NCMEC's printed total; from 2024 the sum of the table's rows)",
                                       "constraints": {"required": True, "minimum": 0, "maximum": 100}},
                "rank_world": {"type": "integer", "unit": "rank", "description": "rank by reports among all countries (1 = most)",
                               "constraints": {"required": True, "minimum": 1}},
                "eu27": {"type": "boolean", "description": "member of the European Union (27 members since 1 February 2020)",
                         "constraints": {"required": True}},
                "population": {"type": "integer", "unit": "persons", "description": "population on 1 January (Eurostat); EU27 countries only",
                               "constraints": {"minimum": 0}},
                "reports_per_100k": {"type": "number", "unit": "reports per 100,000 inhabitants",
                                     "description": "reports per 100,000 inhabitants; EU27 countries only", "constraints": {"minimum": 0}},
                "rank_eu27": {"type": "integer", "unit": "rank", "description": "rank by reports among the EU27 (1 = most)",
                              "constraints": {"minimum": 1}},
                "rank_eu27_per_100k": {"type": "integer", "unit": "rank", "description": "rank by reports per 100,000 among the EU27 (1 = highest)",
                                       "constraints": {"minimum": 1}},
            },
        },
        "platform_vs_ncmec": {
            "title": "Companies' own counts of reports to NCMEC beside NCMEC's count from them",
            "description": ("Derived (analysis.platforms): per company and year, the CyberTipline reports the company says it sent "
                            "(indicator platform_ncmec_reports, from its transparency reporting or a copy) beside the reports NCMEC "
                            "says it received from it (cybertipline_reports: up to 2023 the sum of NCMEC's rows by ESP that "
                            "data/public/platforms/company_esps.csv assigns to the company, from 2024 the transcriber's grouping), "
                            "with the reasons they differ. Rows where NCMEC's count and a figure of the company's own exist."),
            "primaryKey": ["company", "year"],
            "foreignKeys": [{"fields": ["ncmec_source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}}],
            "fields": {
                "company": _s("the company, as the codebook's company key writes it", constraints={"required": True}),
                "year": {"type": "integer", "description": "calendar year", "constraints": {"required": True}},
                "ncmec_reports": {"type": "integer", "unit": "reports", "description": "reports NCMEC received from the company's ESPs in the year "
                                  "(from 2024 counted after bundling)", "constraints": {"required": True, "minimum": 0}},
                "ncmec_source_id": _s("the publication of NCMEC's count: a source_id of sources.csv", constraints={"required": True, "pattern": SOURCE_ID}),
                "ncmec_kind": _s("primary or secondary", constraints={"required": True, "enum": ["primary", "secondary"]}),
                "ncmec_esp_rows": {"type": "integer", "description": "how many of NCMEC's rows by ESP were added up; empty where the "
                                   "transcriber's grouping is used (2024)", "constraints": {"minimum": 1}},
                "platform_reports": {"type": "integer", "unit": "reports", "description": "reports the company says it sent to NCMEC in the whole year; "
                                     "empty when it published no yearly figure", "constraints": {"minimum": 0}},
                "platform_partial_reports": {"type": "integer", "unit": "reports", "description": "when no yearly figure exists: the company's figure "
                                             "for the longest part of the year it published (see platform_period)", "constraints": {"minimum": 0}},
                "platform_period": _s("the period of the company's figure (the year, or e.g. 2024-H1); empty when only pieces exist"),
                "platform_qualifier": _s("qualifier of the company's figure as published (exact, rounded, at_least, ...)"),
                "platform_source_id": _s("the publication of the company's figure: a source_id of sources.csv", constraints={"pattern": SOURCE_ID}),
                "platform_kind": _s("primary or secondary", constraints={"enum": ["primary", "secondary"]}),
                "platform_pieces": {"type": "integer", "unit": "items", "description": "pieces of content the company counted for the year "
                                    "(indicator platform_cse_content_pieces): another measure, shown for reference", "constraints": {"minimum": 0}},
                "platform_pieces_source_id": _s("the publication of platform_pieces", constraints={"pattern": SOURCE_ID}),
                "difference": {"type": "integer", "unit": "reports", "description": "platform_reports - ncmec_reports, where comparable"},
                "platform_pct_of_ncmec": {"type": "number", "unit": "percent", "description": "platform_reports as a percentage of ncmec_reports, where comparable",
                                          "constraints": {"minimum": 0}},
                "comparable": {"type": "boolean", "description": "a yearly count of reports from the company exists and is not a bound",
                               "constraints": {"required": True}},
                "reasons": _s("codes of the reasons the two differ or may differ, ';'-separated (" + ", ".join(platforms.REASONS) + ")"),
                "explanation": _s("the reasons in words", constraints={"required": True}),
            },
        },
        "projections": {
            "title": "Trend projections to 2030",
            "description": ("Observed yearly values and, per model, projections with 80% and 95% prediction intervals "
                            "(analysis.trends). Series with fewer than four points get labelled scenarios, not forecasts. "
                            "Values are in the unit of the series (reports or URLs)."),
            "primaryKey": ["series", "model", "period"],
            "fields": {
                "series": _s("the projected series (analysis.projections.SPECS)", constraints={"required": True, "enum": sorted(projections.SPECS)}),
                "model": _s("observed (the published values), a model (" + ", ".join(trends.MODELS) + ") or a scenario "
                            "(" + ", ".join(trends.SCENARIOS) + ")",
                            constraints={"required": True}),
                "period": _s("year", constraints={"required": True, "pattern": YEAR}),
                "kind": _s("observed, forecast (a fitted model) or scenario (an assumption, not a forecast)",
                           constraints={"required": True, "enum": ["forecast", "observed", "scenario"]}),
                "point": {"type": "number", "description": "observed value, or the model's point projection", "constraints": {"required": True}},
                "lo80": {"type": "number", "description": "lower bound of the 80% prediction interval"},
                "hi80": {"type": "number", "description": "upper bound of the 80% prediction interval"},
                "lo95": {"type": "number", "description": "lower bound of the 95% prediction interval"},
                "hi95": {"type": "number", "description": "upper bound of the 95% prediction interval"},
            },
        },
        "backtests": {
            "title": "Backtests that chose each projection model",
            "description": "Rolling-origin backtests one year ahead, per series and model; the selected model is the one projections use.",
            "primaryKey": ["series", "model", "horizon"],
            "fields": {
                "series": _s("the projected series (see projections.csv)", constraints={"required": True}),
                "model": _s("the model backtested: " + ", ".join(trends.MODELS), constraints={"required": True, "enum": list(trends.MODELS)}),
                "horizon": {"type": "integer", "unit": "years", "description": "years ahead of the last value used", "constraints": {"required": True, "minimum": 1}},
                "error_metric": _s("MAPE: mean absolute percentage error", constraints={"required": True}),
                "error": {"type": "number", "unit": "percent", "description": "the error metric over the backtests; empty when no backtest could run",
                          "constraints": {"minimum": 0}},
                "coverage80": {"type": "number", "unit": "fraction", "description": "share of backtests whose 80% interval held the next value (0 to 1)",
                               "constraints": {"minimum": 0, "maximum": 1}},
                "n_backtests": {"type": "integer", "description": "number of backtests behind error and coverage80", "constraints": {"minimum": 0}},
                "selected": {"type": "boolean", "description": "the model chosen for the series", "constraints": {"required": True}},
            },
        },
        "changes": {
            "title": "What the last rebuild changed in the observations",
            "description": "Observations added, removed or changed (value, qualifier, unit, note or base) by the last rebuild that changed the table, against the table it replaced (analysis.changes). Kept as it was when a rebuild changes nothing.",
            "primaryKey": ["source_id", "indicator", "geography", "period", "breakdown"],
            "fields": {
                "change": _s("added, removed or changed", constraints={"required": True, "enum": ["added", "changed", "removed"]}),
                **_fields_key(),
                "old_value": {"type": "number", "description": "the value before (empty when added)"},
                "new_value": {"type": "number", "description": "the value after (empty when removed)"},
                "old_qualifier": _s("the qualifier before"),
                "new_qualifier": _s("the qualifier after"),
                "old_unit": _s("the unit before"),
                "new_unit": _s("the unit after"),
                "old_note": _s("the note before"),
                "new_note": _s("the note after"),
            },
        },
    }


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh), [])


def _column(path: Path, name: str) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return sorted({row[name] for row in csv.DictReader(fh) if row.get(name)})


def _resource(processed_dir: Path, name: str, spec: dict | None, enums: dict[str, list[str]]) -> dict:
    path = processed_dir / f"{name}.csv"
    spec = spec or {"title": name, "description": UNDESCRIBED, "fields": {}}
    fields = []
    for column in _header(path):
        field = json.loads(json.dumps(spec["fields"].get(column, {"type": "string", "description": UNDESCRIBED})))
        if enums.get(name, {}).get(column):
            field.setdefault("constraints", {})["enum"] = enums[name][column]
        fields.append({"name": column, **field})
    names = {f["name"] for f in fields}
    schema: dict = {"fields": fields, "missingValues": [""]}
    if spec.get("primaryKey") and set(spec["primaryKey"]) <= names:
        schema["primaryKey"] = spec["primaryKey"]
    fks = [fk for fk in spec.get("foreignKeys", []) if set(fk["fields"]) <= names]
    if fks:
        schema["foreignKeys"] = fks
    return {
        "name": name,
        "path": path.name,
        "profile": "tabular-data-resource",
        "title": spec["title"],
        "description": spec["description"],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "doubleQuote": True, "header": True, "lineTerminator": "\n", "quoteChar": "\""},
        "schema": schema,
    }


def descriptor(processed_dir: Path, paths: Paths | None = None) -> dict:
    """The package descriptor for the tables in processed_dir (a dict, ready for JSON).

    Everything is read from processed_dir; `paths` is accepted for the build's calling convention.
    """
    described = catalogue()
    tables = sorted(p.stem for p in processed_dir.glob("*.csv"))
    # Enumerations from the registries beside the tables.
    ids = _column(processed_dir / "indicators.csv", "id") if "indicators" in tables else []
    units = _column(processed_dir / "indicators.csv", "unit") if "indicators" in tables else []
    source_ids = _column(processed_dir / "sources.csv", "source_id") if "sources" in tables else []
    # (provenance and claim_checks reach the same lists through their foreign keys.)
    topic_ids = _column(processed_dir / "topics.csv", "id") if "topics" in tables else []
    enums = {"observations": {"indicator": ids, "source_id": source_ids, "unit": units}, "indicators": {"topic": topic_ids}}

    resources = []
    for name in tables:
        resources.append(_resource(processed_dir, name, described.get(name), enums))
        if name == "observations" and (processed_dir / "observations.parquet").exists():
            # Same rows and columns as the CSV, so the same schema (a data resource may have one).
            resources.append({
                "name": "observations-parquet",
                "path": "observations.parquet",
                "profile": "data-resource",
                "title": "Observations (Parquet)",
                "description": ("The same rows and columns as observations.csv, as Apache Parquet with typed columns "
                                "(value float64, base_n nullable Int64, the others strings; an empty breakdown or note is ''). "
                                "The v1 tabular profile covers CSV only, so this is a plain data resource with the same schema."),
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "schema": json.loads(json.dumps(resources[-1]["schema"])),
            })
    sources = []
    if "sources" in tables:
        with (processed_dir / "sources.csv").open(encoding="utf-8", newline="") as fh:
            rows = sorted(csv.DictReader(fh), key=lambda r: r["source_id"])
        sources = [{"title": r["citation"], "path": r["url"]} for r in rows]
    return {
        "profile": "data-package",
        "name": "cse-stats",
        "title": TITLE,
        "description": (
            "Published statistics behind the report 'Generative AI: a new weapon being used in child sexual abuse' "
            "(Fondation pour l'Enfance, 2024) - NCMEC CyberTipline data, Internet Watch Foundation data, Protect Children "
            "surveys, French figures - as tidy, cited, validated tables. Every number carries the publication it was read "
            "from (sources.csv) and the raw file and line it was transcribed in (provenance.csv). Aggregate statistics only. "
            "observations.parquet is the tidy table in Parquet. Generated by the build (python -m analysis build); do not "
            "edit by hand."),
        "version": VERSION,
        "keywords": ["child sexual exploitation", "CSAM", "NCMEC", "CyberTipline", "Internet Watch Foundation",
                     "official statistics", "fact checking"],
        "contributors": [{"title": AUTHORS, "role": "author"}],
        "licenses": [
            {"name": "MIT", "title": "MIT License: the project's code and the structure of these tables (LICENSE)",
             "path": "https://opensource.org/licenses/MIT"},
            {"name": "other-at", "title": ("The data: published statistics transcribed as facts, reusable with citation of "
                                           "the publication each number comes from; each publisher's own terms are in "
                                           "sources.csv (terms). Publishers' PDFs are not redistributed. See DATA-LICENSE.md.")},
        ],
        "citation": CITATION,
        "sources": sources,  # every publication read, the report itself (fpe-report-2024) among them
        "resources": resources,
    }


def write(processed_dir: Path, paths: Paths | None = None) -> Path:
    """Write processed_dir/datapackage.json (same bytes for the same tables)."""
    target = processed_dir / FILE
    text = json.dumps(descriptor(processed_dir, paths), ensure_ascii=False, indent=1) + "\n"
    target.write_text(text, encoding="utf-8")
    return target
