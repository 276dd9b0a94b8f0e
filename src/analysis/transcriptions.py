"""Third-party transcriptions kept verbatim, converted into the project's raw layout.

NCMEC's 2024 PDFs could not be read here, so their figures come from a careful public
transcription, R. Grimm's `apparebit/diaphanous` dataset. Exact copies of its CSV files sit
in `data/public/ncmec/diaphanous/` (see the README there for commits and licence), and
`convert_diaphanous` turns them into raw files laid out like the project's own
transcriptions. Nothing is typed: every number is read from the copies, so re-running
`python -m analysis import-diaphanous` reproduces the raw files byte for byte.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from analysis import inhope, platforms
from analysis.errors import DataError, Problem
from analysis.extract import country_codes, to_csv

COPIES = "ncmec/diaphanous"
YEAR = "2024"
YEARLY = "ncmec/cybertipline_reports_per_year.csv"

# Later years of diaphanous' yearly series that our series takes from it: year -> source record.
YEARLY_ADDITIONS = {
    "2025": ("diaphanous-ncmec-total-2025", "data/ocse-reports-per-year.csv, row 2025 (third-party transcription)",
             "Reports after NCMEC began bundling (2024); not comparable with years before 2024"),
}

# diaphanous label -> (NCMEC's row label in its CY 2023 report to Congress, our breakdown).
# The labels are the 2023 edition's: the 2024 edition itself was not read.
INCIDENT_TYPES = {
    "child pornography": ("Child Pornography (possession, manufacture, distribution)", "incident_type=child_pornography"),
    "misleading words/images online": ("Misleading Words or Digital Images on the Internet", "incident_type=misleading_words_or_images"),
    "online enticement of children": ("Online Enticement of Children for Sexual Acts", "incident_type=online_enticement"),
    "child sex trafficking": ("Child Sex Trafficking", "incident_type=child_sex_trafficking"),
    "obscene material sent to a child": ("Unsolicited Obscene Material Sent to a Child", "incident_type=unsolicited_obscene_material"),
    "misleading domain name": ("Misleading Domain Name", "incident_type=misleading_domain_name"),
    "child sexual molestation": ("Child Sexual Molestation", "incident_type=child_sexual_molestation"),
    "child sex tourism": ("Child Sex Tourism", "incident_type=child_sex_tourism"),
}
USER_LOCATIONS = {
    "U.S.": ("U.S.", "user_location=us"),
    "international": ("International", "user_location=international"),
    "unknown": ("Unknown Location", "user_location=unknown"),
}
FILE_TYPES = {"photos": ("Images", "file_type=images"), "videos": ("Videos", "file_type=videos"), "other": ("Other Content", "file_type=other")}
TOTAL_LABEL = "Total CyberTipline Reports"
REPORTS_WITH = {  # diaphanous label -> (NCMEC's row label, indicator)
    "with unique photos/videos": ("CyberTipline reports disaggregated by reports containing unique images based on MD5 hash values",
                                  "cybertipline_reports_with_unique_files"),
    "with similar photos/videos": ("CyberTipline reports disaggregated by reports containing visually similar images/videos "
                                   "determined by PhotoDNA and Videntifier technology", "cybertipline_reports_with_similar_files"),
}
# diaphanous writes 'EEE' for NCMEC's 'Europe' row; the project's code for it is EUX.
CODE_NOTES = {"EEE": "diaphanous code EEE; NCMEC lists 'Europe' without a country (project code EUX)"}

OUTPUTS = {
    "country": "ncmec/reports_by_country_2024.csv",
    "incident": "ncmec/ncmec_2024_contents_incident_types.csv",
    "location": "ncmec/ncmec_2024_contents_user_location.csv",
    "files": "ncmec/ncmec_2024_contents_files_by_type.csv",
    "unique": "ncmec/ncmec_2024_contents_unique_similar_files.csv",
    "reports_with": "ncmec/ncmec_2024_contents_reports_unique_similar.csv",
    "platform": "ncmec/ncmec_2024_reports_by_platform.csv",
}


def _read(public: Path, name: str) -> tuple[str, list[dict[str, str]]]:
    rel = f"data/public/{COPIES}/{name}"
    with open(public / COPIES / name, encoding="utf-8", newline="") as fh:
        return rel, list(csv.DictReader(fh))


def _count(text: str, rel: str, line: int) -> str:
    """'1,234' -> '1234'; '' stays ''. Anything else is refused."""
    digits = text.replace(",", "")
    if digits and not digits.isdigit():
        raise DataError(Problem(rel, line, text=f"{text!r} is not a whole number"))
    return digits


def country_table(public: Path) -> str:
    """reports_by_country_2024.csv: country, iso3, breakdown, referrals, informational, note."""
    rel, rows = _read(public, "ocse-reports-per-country.csv")
    codes = country_codes(public)
    unknown = [r["country"] for r in rows if r["country"] not in codes]
    if unknown:
        raise DataError(Problem(rel, 1, text=f"country names not in data/public/ncmec/country_names.csv: {unknown}"))
    values = [(_count(r["ref2024"], rel, i), _count(r["info2024"], rel, i)) for i, r in enumerate(rows, start=2)]
    # A code gets a 'listed_as' breakdown only when several rows with a 2024 value share it.
    counts: dict[str, int] = {}
    for r, (ref, info) in zip(rows, values):
        if ref or info:
            counts[codes[r["country"]]] = counts.get(codes[r["country"]], 0) + 1
    out = []
    for r, (ref, info) in zip(rows, values):
        code, notes = codes[r["country"]], []
        if r["iso3"] in CODE_NOTES:
            notes.append(CODE_NOTES[r["iso3"]])
        elif r["iso3"] and r["iso3"] != code:
            raise DataError(Problem(rel, 1, text=f"{r['country']!r}: diaphanous code {r['iso3']} but country_names.csv gives {code}"))
        shared = sorted(o["country"] for o in rows if codes[o["country"]] == code and o is not r)
        if shared and code != "UNK":
            notes.append(f"{code} also listed as {', '.join(repr(s) for s in shared)}")
        if not ref and not info:
            notes.append("no 2024 value in the transcription")
        elif not ref or not info:
            notes.append(f"no 2024 {'referrals' if not ref else 'informational'} value in the transcription")
        breakdown = f"listed_as={r['country']}" if counts.get(code, 0) > 1 else ""
        out.append([r["country"], code, breakdown, ref, info, "; ".join(notes)])
    return to_csv(out, ["country", "iso3", "breakdown", "referrals", "informational", "note"])


def _contents(public: Path) -> tuple[str, dict[tuple[str, str], str]]:
    rel, rows = _read(public, "ocse-report-contents.csv")
    table = {}
    for i, r in enumerate(rows, start=2):
        if r["year"] == YEAR:
            table[(r["category"], r["label"])] = _count(r["quantity"], rel, i)
    return rel, table


def _pick(table, rel, category, labels) -> list[str]:
    missing = [label for label in labels if (category, label) not in table]
    if missing:
        raise DataError(Problem(rel, 1, text=f"no {YEAR} row for {category}: {missing}"))
    return [table[(category, label)] for label in labels]


def contents_tables(public: Path) -> dict[str, str]:
    """The 2024 tables of the report to Congress, one file each, in NCMEC's row order."""
    rel, t = _contents(public)
    total = _pick(t, rel, "reports", ["total"])[0]
    incident = [[INCIDENT_TYPES[k][0], INCIDENT_TYPES[k][1], v] for k, v in zip(INCIDENT_TYPES, _pick(t, rel, "kind of exploitation", INCIDENT_TYPES))]
    incident.append([TOTAL_LABEL, "", total])  # for the sum check only (not emitted)
    location = [[USER_LOCATIONS[k][0], USER_LOCATIONS[k][1], v] for k, v in zip(USER_LOCATIONS, _pick(t, rel, "user location", USER_LOCATIONS))]
    location.append(["Total", "", total])
    files = [[FILE_TYPES[k][0], FILE_TYPES[k][1], v] for k, v in zip(FILE_TYPES, _pick(t, rel, "attachments", FILE_TYPES))]
    unique = [[FILE_TYPES[k][0], FILE_TYPES[k][1], *_pick(t, rel, "attachments", [f"unique {k}", f"similar {k}"])] for k in ("photos", "videos")]
    reports_with = [[REPORTS_WITH[k][0], REPORTS_WITH[k][1], v] for k, v in zip(REPORTS_WITH, _pick(t, rel, "reports", REPORTS_WITH))]
    return {
        OUTPUTS["incident"]: to_csv(incident, ["category", "breakdown", "cy2024"]),
        OUTPUTS["location"]: to_csv(location, ["row", "breakdown", "cy2024"]),
        OUTPUTS["files"]: to_csv(files, ["row", "breakdown", "cy2024"]),
        OUTPUTS["unique"]: to_csv(unique, ["row", "breakdown", "cy2024_unique_md5", "cy2024_similar_photodna"]),
        OUTPUTS["reports_with"]: to_csv(reports_with, ["row", "indicator", "cy2024"]),
    }


def platform_table(public: Path) -> str:
    """NCMEC's 2024 reports per company as grouped by diaphanous, and its 'ESP Total'.

    The all-reports 'Total' row is left out: the yearly series already holds it.
    """
    rel, rows = _read(public, "ocse-reports-per-platform.csv")
    out = []
    for i, r in enumerate(rows, start=2):
        if r["source"] != "NCMEC" or r["year"] != YEAR or r["variable"] != "reports" or r["target"] == "Total":
            continue
        if r["target"] == "ESP Total":
            out.append([r["target"], "reporter=esp", _count(r["value"], rel, i), "NCMEC's total of reports from ESPs, as transcribed"])
        else:
            out.append([r["target"], f"company={r['target']}", _count(r["value"], rel, i),
                        "NCMEC's by-ESP row(s) for this company, grouped by the transcriber"])
    return to_csv(out, ["platform", "breakdown", "reports", "note"])


def yearly_series(public: Path) -> str:
    """Our yearly series with the years in YEARLY_ADDITIONS appended if absent; years present must agree."""
    rel, diaphanous = _read(public, "ocse-reports-per-year.csv")
    theirs = {r["year"]: r["reports"] for r in diaphanous}
    text = (public / YEARLY).read_text(encoding="utf-8")
    ours = {r["year"]: r["reports"] for r in csv.DictReader(io.StringIO(text))}
    for year in sorted(set(ours) & set(theirs)):
        if ours[year] != theirs[year]:
            raise DataError(Problem(f"data/public/{YEARLY}", 1, text=f"{year}: {ours[year]} here but {theirs[year]} in {rel}"))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for year, (source_id, locator, note) in YEARLY_ADDITIONS.items():
        if year not in ours:
            writer.writerow([year, theirs[year], "", source_id, locator, "exact", note])
    return text + buf.getvalue()


# IWF's yearly figures as transcribed by the same researcher (data/iwf.csv).
DIAPHANOUS_IWF_COPY = "iwf/diaphanous/iwf.csv"
DIAPHANOUS_IWF_RAW = "iwf/iwf_reports_per_year_diaphanous.csv"


def diaphanous_iwf_raw(text: str) -> str:
    """The verbatim IWF copy in the raw layout: digit-group underscores dropped ('41_877' -> '41877'), nothing else."""
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow([cell.replace("_", "") if re.fullmatch(r"[0-9]{1,3}(?:_[0-9]{3})*", cell) else cell for cell in row])
    return out.getvalue()


def convert_diaphanous(public: Path) -> dict[str, str]:
    """Raw file (path under data/public) -> its text, from the verbatim copies."""
    files = {OUTPUTS["country"]: country_table(public), **contents_tables(public), OUTPUTS["platform"]: platform_table(public)}
    files[YEARLY] = yearly_series(public)
    files[DIAPHANOUS_IWF_RAW] = diaphanous_iwf_raw((public / DIAPHANOUS_IWF_COPY).read_text(encoding="utf-8"))
    files[inhope.RAW] = inhope.diaphanous_inhope_raw((public / inhope.COPY).read_text(encoding="utf-8"))
    files.update(platforms.convert(public))  # the platforms' own yearly totals and Discord's NCMEC table
    return files


def write_diaphanous(public: Path) -> list[str]:
    files = convert_diaphanous(public)  # everything is computed before anything is written
    messages = []
    for name, text in files.items():
        path = public / name
        before = path.read_text(encoding="utf-8") if path.exists() else None
        if before != text:
            path.write_text(text, encoding="utf-8")
        messages.append(f"{'unchanged' if before == text else 'wrote'} data/public/{name} ({text.count(chr(10)) - 1} rows)")
    return messages
