"""NCMEC's Global Platform for Child Exploitation Policy: per-jurisdiction CyberTipline data.

The Platform serves its per-jurisdiction data as JSON (one file per period: the full year
and each half). Verbatim extracts of the records used here sit in
data/public/ncmec/global_platform/ (see the README there); this module turns them into the
committed raw table ``gpcep_reports_2024.csv`` (one row per jurisdiction and period, the
JSON's fields as columns, every cell exactly as in the JSON: rounded numbers, "<50", "--"),
which tables.yaml turns into observations like any other raw file.

Regenerate the raw table after changing an extract with::

    python -m analysis.global_platform

A test checks that re-running reproduces the committed file byte for byte.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pycountry

from analysis.paths import Paths, default_paths

FOLDER = "ncmec/global_platform"
RAW_TABLE = "gpcep_reports_2024.csv"
# Extract file -> (the Platform's file it was copied from, expected "period" field in it).
EXTRACTS = {
    "reports-2024.eu27.json": ("reports-2024.json", "2024Y"),
    "reports-2024-h1.fra.json": ("reports-2024-h1.json", "2024H1"),
    "reports-2024-h2.fra.json": ("reports-2024-h2.json", "2024H2"),
}
PERIODS = {"2024Y": "2024", "2024H1": "2024-H1", "2024H2": "2024-H2"}
# Numeric fields of a record, in the JSON's order. All are kept as printed.
FIELDS = (
    "cybertipline_reports_total",
    "cybertipline_reports_referred",
    "esp_escalations",
    "incident_type_child_pornography",
    "incident_type_child_sex_tourism",
    "incident_type_child_sex_trafficking",
    "incident_type_child_sexual_molestation",
    "incident_type_misleading_domain_name",
    "incident_type_misleading_words_images",
    "incident_type_online_enticement",
    "incident_type_unsolicited_obsscene_materials",
    "file_information_gai_csam",
    "file_information_reported_images",
    "file_information_reported_videos",
    "file_information_reported_other",
    "file_information_A1_industry_classification",
    "file_information_A2_industry_classification",
    "file_information_B1_industry_classification",
    "file_information_B2_industry_classification",
    "file_information_null_industry_classification",
    "ncmec_priority_1",
    "ncmec_priority_2",
    "ncmec_priority_3",
    "ncmec_priority_E",
)
COLUMNS = ("gp_file", "gp_period", "period", "id", "iso3", "localized_name_en") + FIELDS


def read_extract(path: Path) -> dict:
    """One extract: the Platform's header fields and its records, as parsed JSON."""
    data = json.loads(path.read_text(encoding="utf-8"))
    expected = EXTRACTS[path.name][1]
    if data.get("period") != expected:
        raise ValueError(f"{path}: period {data.get('period')!r}, expected {expected!r}")
    return data


def _cell(value) -> str:
    """A JSON value as text, unchanged: 140000 -> '140000', '<50' -> '<50', '--' -> '--'."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"unexpected value {value!r}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    raise ValueError(f"unexpected value {value!r} (not a whole number or text)")


def iso3(alpha_2: str) -> str:
    country = pycountry.countries.get(alpha_2=alpha_2)
    if country is None:
        raise ValueError(f"unknown ISO 3166-1 alpha-2 code {alpha_2!r}")
    return country.alpha_3


def rows(folder: Path) -> list[dict[str, str]]:
    """Raw-table rows from the extracts, in extract order (full year, H1, H2; records as listed)."""
    out = []
    for name, (platform_file, _) in EXTRACTS.items():
        data = read_extract(folder / name)
        for record in data["data"]:
            row = {
                "gp_file": platform_file,
                "gp_period": data["period"],
                "period": PERIODS[data["period"]],
                "id": record["id"],
                "iso3": iso3(record["id"]),
                "localized_name_en": record["localized_name_en"],
            }
            row.update({field: _cell(record[field]) for field in FIELDS})
            out.append(row)
    return out


def raw_table_text(folder: Path) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(folder))
    return buffer.getvalue()


def write_raw_table(paths: Paths | None = None) -> Path:
    """(Re)write data/public/ncmec/global_platform/gpcep_reports_2024.csv from the extracts."""
    paths = paths or default_paths()
    folder = paths.public / FOLDER
    target = folder / RAW_TABLE
    target.write_text(raw_table_text(folder), encoding="utf-8")
    return target


def main() -> int:
    target = write_raw_table()
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
