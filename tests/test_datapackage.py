"""The data package for researchers (analysis.datapackage -> data/processed/datapackage.json).

Valid Frictionless Data Package (v1) against the processed tables, complete (every CSV is a
described resource), deterministic, and strict: a broken copy of the tables fails validation with
errors naming the resource. Also the citation and licence files it points to.
"""
from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest
import yaml
from frictionless import Package, system

from analysis import datapackage
from analysis.observations import KEY
from analysis.paths import REPO_ROOT, Paths

PROCESSED = REPO_ROOT / "data" / "processed"


def _copy_tables(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for f in sorted(PROCESSED.iterdir()):
        if f.suffix in (".csv", ".parquet"):
            shutil.copyfile(f, target / f.name)
    return target


def _write(directory: Path) -> Path:
    return datapackage.write(directory, Paths(root=REPO_ROOT, out=directory.parent.parent))


def _validate(directory: Path, standards: str = "v1"):
    with system.use_context(standards=standards):
        return Package(str(directory / datapackage.FILE)).validate()


def _errors(report) -> list[tuple[str, str, str]]:
    return [(task.name, error.type, error.message) for task in report.tasks for error in task.errors] + \
        [("package", error.type, error.message) for error in report.errors]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A copy of the repository's data/processed tables with the package written beside them."""
    directory = _copy_tables(tmp_path_factory.mktemp("dp") / "data" / "processed")
    _write(directory)
    return directory


@pytest.fixture(scope="module")
def descriptor(built) -> dict:
    return json.loads((built / datapackage.FILE).read_text(encoding="utf-8"))


def test_descriptor_is_valid_v1_metadata(descriptor):
    with system.use_context(standards="v1"):
        problems = [e.message for e in Package.metadata_validate(descriptor)]
    assert not problems, problems
    assert descriptor["profile"] == "data-package"
    assert descriptor["name"] == "cse-stats" and descriptor["version"] == datapackage.VERSION


@pytest.mark.parametrize("standards", ["v1", "v2"])
def test_package_validates_against_the_processed_tables(built, standards):
    """v1 is the spec the package follows; v2 is what `frictionless validate` applies by default."""
    report = _validate(built, standards)
    assert report.valid, _errors(report)[:20]
    rows = {task.name: task.stats.get("rows") for task in report.tasks}
    assert set(rows) == {r.stem if r.suffix == ".csv" else "observations-parquet" for r in built.iterdir() if r.suffix in (".csv", ".parquet")}
    assert all(n and n > 0 for n in rows.values()), rows


def test_every_processed_csv_is_a_described_resource(built, descriptor):
    paths = {r["path"]: r for r in descriptor["resources"]}
    csvs = sorted(p.name for p in built.glob("*.csv"))
    assert csvs and set(csvs) <= set(paths), f"CSV files without a resource: {sorted(set(csvs) - set(paths))}"
    assert {p for p in paths if p.endswith(".csv")} == set(csvs), "a resource points at a CSV that does not exist"
    assert paths["observations.parquet"]["profile"] == "data-resource"
    for name in csvs:
        resource = paths[name]
        assert resource["profile"] == "tabular-data-resource" and resource["format"] == "csv"
        header = pd.read_csv(built / name, nrows=0).columns.tolist()
        assert [f["name"] for f in resource["schema"]["fields"]] == header, name
        for field in resource["schema"]["fields"]:
            assert field["type"] and field["description"], (name, field["name"])
    assert datapackage.UNDESCRIBED not in (built / datapackage.FILE).read_text(encoding="utf-8"), \
        "a table or column has no description: add it to analysis.datapackage.catalogue()"


def test_keys_enums_and_units(built, descriptor):
    res = {r["name"]: r for r in descriptor["resources"]}
    obs = res["observations"]["schema"]
    assert obs["primaryKey"] == KEY
    assert {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}} in obs["foreignKeys"]
    assert {"fields": ["indicator"], "reference": {"resource": "indicators", "fields": ["id"]}} in obs["foreignKeys"]
    assert res["sources"]["schema"]["primaryKey"] == ["source_id"]
    assert res["indicators"]["schema"]["primaryKey"] == ["id"]
    assert res["provenance"]["schema"]["foreignKeys"][0]["reference"] == {"resource": "observations", "fields": KEY}
    fields = {f["name"]: f for f in obs["fields"]}
    indicators = pd.read_csv(built / "indicators.csv", dtype=str)
    sources = pd.read_csv(built / "sources.csv", dtype=str)
    assert fields["indicator"]["constraints"]["enum"] == sorted(indicators["id"])
    assert fields["source_id"]["constraints"]["enum"] == sorted(sources["source_id"])
    assert fields["unit"]["constraints"]["enum"] == sorted(set(indicators["unit"]))
    assert "indicators.csv" in fields["indicator"]["description"] and "sources.csv" in fields["source_id"]["description"]
    assert fields["value"]["type"] == "number" and "unit" in fields["value"]["description"]
    # Every declared primary key is really unique in the data (validation checks it too; this names the table).
    for name, resource in res.items():
        key = resource.get("schema", {}).get("primaryKey")
        if key and resource["path"].endswith(".csv"):
            table = pd.read_csv(built / resource["path"], dtype=str, keep_default_na=False)
            assert not table.duplicated(key).any(), f"{name}: primary key {key} is not unique"
    # Licences: the code's and the data's plain statement; the project's citation.
    assert [lic["name"] for lic in descriptor["licenses"]] == ["MIT", "other-at"]
    assert "terms" in descriptor["licenses"][1]["title"]
    assert descriptor["citation"] == datapackage.CITATION


def test_write_is_deterministic(built, tmp_path):
    again = _copy_tables(tmp_path / "data" / "processed")
    first = _write(again).read_bytes()
    assert _write(again).read_bytes() == first, "two writes of the same tables differ"
    assert first == (built / datapackage.FILE).read_bytes(), "the package depends on where the tables are"
    assert b'"created"' not in first
    committed = PROCESSED / datapackage.FILE
    if committed.exists():
        assert committed.read_bytes() == first, "data/processed/datapackage.json is stale: rebuild"


def _break_duplicate_key(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[1]]), encoding="utf-8")


def _break_value(path: Path) -> None:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[0, "value"] = "4,7OO"
    table.to_csv(path, index=False, lineterminator="\n")


def test_a_broken_copy_fails_naming_the_resource(built, tmp_path):
    """Both breakages in one copy (one validation of the whole package, the slow part): each
    is reported, on the observations resource only."""
    broken = tmp_path / "processed"
    shutil.copytree(built, broken)
    _break_value(broken / "observations.csv")
    _break_duplicate_key(broken / "observations.csv")
    # The Parquet copy is left as built (the validity tests above read it); frictionless reads
    # it row by row through pandas, two thirds of a whole validation, so it is left out here.
    descriptor = json.loads((broken / datapackage.FILE).read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "observations-parquet"]
    (broken / datapackage.FILE).write_text(json.dumps(descriptor), encoding="utf-8")
    report = _validate(broken)
    assert not report.valid
    found = _errors(report)
    for error_type in ("primary-key", "type-error"):
        assert any(task == "observations" and kind == error_type for task, kind, _ in found), (error_type, found[:10])
    assert {task for task, _, _ in found} == {"observations"}, found[:10]


def test_citation_cff_is_cff_1_2_0_and_agrees_with_the_package():
    cff = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    allowed = {"abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi", "identifiers", "keywords",
               "license", "license-url", "message", "preferred-citation", "references", "repository", "repository-artifact",
               "repository-code", "title", "type", "url", "version"}
    assert set(cff) <= allowed, set(cff) - allowed
    assert {"cff-version", "message", "title", "authors"} <= set(cff)
    assert cff["cff-version"] == "1.2.0"
    assert cff["authors"] == [{"name": datapackage.AUTHORS}]
    assert cff["type"] in ("software", "dataset") and cff["license"] == "MIT"
    if "date-released" in cff:
        assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(cff["date-released"]))
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert str(cff["version"]) == project["version"] == datapackage.VERSION
    assert cff["title"] == datapackage.TITLE
    report = [r for r in cff["references"] if "Fondation pour l'Enfance" in str(r.get("authors"))]
    assert report and {"type", "title", "authors"} <= set(report[0]) and report[0]["type"] == "report"
    assert isinstance(report[0]["year"], int)


def test_licence_files():
    mit = (REPO_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert mit.startswith("MIT License") and "Copyright (c) cse-stats contributors" in mit
    data = (REPO_ROOT / "DATA-LICENSE.md").read_text(encoding="utf-8")
    assert "data/public/sources.yaml" in data and "`terms`" in data and "not redistributed" in data


def test_frictionless_is_a_declared_dev_dependency():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert any(r.startswith("frictionless") for r in project["optional-dependencies"]["dev"])
