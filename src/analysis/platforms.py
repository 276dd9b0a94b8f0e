"""Platforms' own figures (transparency reports) beside NCMEC's count of reports from the same company.

Two raw files are written from verbatim copies by `python -m analysis import-diaphanous`
(`analysis.transcriptions.convert_diaphanous`), nothing typed:

- `platforms/platform_totals_diaphanous.csv`: the platform rows of R. Grimm's
  `data/ocse-reports-per-platform.csv` (the copy in `data/public/ncmec/diaphanous/`): each
  company's yearly CyberTipline reports and pieces of content, as the transcriber summed the
  company's own quarterly or half-yearly disclosures. One source per company
  (`diaphanous-platform-<company>`, secondary), whose definitions give the company's counting rule.
- `platforms/discord_ncmec_2024_h1.csv`: the NCMEC table (reports per month) of Discord's own
  CSV for January-June 2024, as stored in the same repository (`platforms/diaphanous/`).

Figures read on the platforms' pages (or quoted by others) sit in `platforms/platform_facts.csv`.

`platform_vs_ncmec` builds `data/processed/platform_vs_ncmec.csv`: per company and year, the
reports the company says it sent to NCMEC beside the reports NCMEC says it received from it,
with the reasons the two differ. NCMEC's figure up to 2023 is the sum of the rows of its table by
ESP that `platforms/company_esps.csv` assigns to the company (ESP names change from year to year);
from 2024 it is the transcriber's grouping of NCMEC's table (breakdown `company=`).
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from analysis.errors import DataError, Problem
from analysis.paths import Paths, default_paths

COPY_TOTALS = "ncmec/diaphanous/ocse-reports-per-platform.csv"
RAW_TOTALS = "platforms/platform_totals_diaphanous.csv"
COPY_DISCORD = "platforms/diaphanous/discord-2024-h1.csv"
RAW_DISCORD = "platforms/discord_ncmec_2024_h1.csv"
COMPANY_ESPS = "platforms/company_esps.csv"

# Companies whose own figures are rounded (Meta prints '3,700,000'-style numbers): the transcriber's
# yearly sum of rounded quarters is itself rounded.
ROUNDED = {"Meta"}
# Where a company's published count covers other services than NCMEC's grouping of the same company.
SERVICES = {
    "Meta": ("Meta's published CyberTip counts are for Facebook and Instagram (its Q2 2023 page), "
             "while NCMEC's Meta grouping also counts WhatsApp and Threads"),
    "Aylo": ("the company's figures are Pornhub's only (only Pornhub publishes, the transcriber notes), "
             "while NCMEC's rows cover the parent company and its other brands"),
}
# Company-years where the transcription itself is in doubt (what was noticed, not corrected).
DOUBTS = {
    ("Pinterest", 2024): ("the transcriber gives Pinterest's first half of 2024 the same 16,234 reports as its second half "
                          "of 2023, and the yearly sum rests on that figure"),
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

PLATFORM_REPORTS = "platform_ncmec_reports"
PLATFORM_PIECES = "platform_cse_content_pieces"
NCMEC_REPORTS = "cybertipline_reports"
BY_ESP_SOURCE = r"ncmec-by-esp-[0-9]{4}"

COMPARISON_PRECISION = {"year": "count", "ncmec_reports": "count", "ncmec_esp_rows": "count", "platform_reports": "count",
                        "platform_partial_reports": "count", "platform_pieces": "count", "difference": "count",
                        "platform_pct_of_ncmec": "percent"}
REASONS = {  # code -> sentence (the order here is the order in the table)
    "ncmec_grouped": "NCMEC's figure adds up {rows} of its rows by ESP for this company",
    "transcriber_grouping": "NCMEC's figure is the transcriber's grouping of NCMEC's rows by ESP for this company",
    "services": "",  # from SERVICES
    "partial_period": "the company published a figure for {period} only, not for the whole year",
    "pieces_not_reports": "the company published pieces of content, not reports, for this year, and the two are not the same measure",
    "rounded": "the company's figure is rounded",
    "bound": "the company's figure is a bound ('over ...'), so no difference is computed",
    "within_bound": "NCMEC's count is within the company's bound",
    "bundling": "NCMEC counts reports after bundling those about the same content (from {bundling}), while the company counts every CyberTip it sent",
    "transcription_doubt": "",  # from DOUBTS
    "equal": "the two counts are equal",
}
BOUNDS = {"at_least": lambda bound, value: value >= bound, "less_than": lambda bound, value: value < bound}


def _problem(rel: str, line: int, text: str) -> DataError:
    return DataError(Problem(rel, line, text=text))


def _digits(cell: str, rel: str, line: int, column: str) -> str:
    clean = cell.replace(",", "")
    if not clean.isdigit():
        raise DataError(Problem(rel, line, column, cell, "a whole number"))
    return clean


# --- raw files from the verbatim copies ------------------------------------------------------

def totals_raw(text: str) -> str:
    """The copy's platform rows (source = the company) as company, year, source_id, reports, pieces, qualifier, note."""
    rel = f"data/public/{COPY_TOTALS}"
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != ["source", "target", "year", "variable", "value"]:
        raise _problem(rel, 1, f"header {reader.fieldnames} is not the long layout source,target,year,variable,value")
    table: dict[tuple[str, str], dict[str, str]] = {}
    for line, row in enumerate(reader, start=2):
        if row["source"] == "NCMEC":
            continue  # NCMEC's own rows: analysis.transcriptions.platform_table
        if row["target"] != row["source"]:
            raise _problem(rel, line, f"a company's own row must count itself, found source {row['source']!r}, target {row['target']!r}")
        if row["variable"] not in ("reports", "pieces"):
            raise DataError(Problem(rel, line, "variable", row["variable"], "'reports' or 'pieces'"))
        if not re.fullmatch(r"[0-9]{4}", row["year"]):
            raise DataError(Problem(rel, line, "year", row["year"], "a year"))
        cell = table.setdefault((row["source"], row["year"]), {})
        if row["variable"] in cell:
            raise _problem(rel, line, f"{row['source']} {row['year']} {row['variable']} is given twice")
        cell[row["variable"]] = _digits(row["value"], rel, line, "value")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["company", "year", "source_id", "reports", "pieces", "qualifier", "note"])
    for (company, year), cell in sorted(table.items()):
        rounded = company in ROUNDED
        note = "sum of the company's rounded quarterly figures, as the transcriber added them" if rounded else ""
        writer.writerow([company, year, f"diaphanous-platform-{company.lower()}", cell.get("reports", ""), cell.get("pieces", ""),
                         "rounded" if rounded else "exact", note])
    return out.getvalue()


def discord_raw(text: str) -> str:
    """The 'NCMEC' table of Discord's half-year CSV: one row per month and the printed Total (the half)."""
    rel = f"data/public/{COPY_DISCORD}"
    lines = list(csv.reader(io.StringIO(text)))
    title = re.fullmatch(r"Discord (January-June|July-December) ([0-9]{4}) Transparency Report CSV", lines[0][0] if lines and lines[0] else "")
    if not title:
        raise _problem(rel, 1, "the first line is not Discord's title 'Discord <January-June|July-December> <year> Transparency Report CSV'")
    half, year = ("H1" if title.group(1) == "January-June" else "H2"), title.group(2)
    try:
        start = next(i for i, cells in enumerate(lines) if cells and cells[0] == "NCMEC")
    except StopIteration:
        raise _problem(rel, 1, "no 'NCMEC' table in the file") from None
    header = ["Month", "Media Reports", "Grooming or Endangerment Escalations", "Total"]
    if lines[start + 1][:4] != header:
        raise _problem(rel, start + 2, f"the NCMEC table's header is {lines[start + 1][:4]}, expected {header}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["month", "period", "media_reports", "grooming_endangerment", "total"])
    months = MONTHS[:6] if half == "H1" else MONTHS[6:]
    seen = []
    for i in range(start + 2, len(lines)):
        cells, line = lines[i], i + 1
        if not any(cells):
            continue
        if cells[0] not in months and cells[0] != "Total":
            break  # the next table
        media, grooming, total = (_digits(c, rel, line, h) for c, h in zip(cells[1:4], header[1:]))
        if int(media) + int(grooming) != int(total):
            raise _problem(rel, line, f"{cells[0]}: media {media} + grooming or endangerment {grooming} is not the row's total {total}")
        period = f"{year}-{half}" if cells[0] == "Total" else f"{year}-{MONTHS.index(cells[0]) + 1:02d}"
        writer.writerow([cells[0], period, media, grooming, total])
        seen.append(cells[0])
        if cells[0] == "Total":
            break
    if seen != [*months, "Total"]:
        raise _problem(rel, start + 1, f"the NCMEC table lists {seen}, expected the six months of the half and a Total")
    return out.getvalue()


def convert(public: Path) -> dict[str, str]:
    """Raw file (path under data/public) -> text, from the verbatim copies."""
    return {RAW_TOTALS: totals_raw((public / COPY_TOTALS).read_text(encoding="utf-8")),
            RAW_DISCORD: discord_raw((public / COPY_DISCORD).read_text(encoding="utf-8"))}


# --- the comparison --------------------------------------------------------------------------

def company_esps(paths: Paths | None = None) -> dict[str, tuple[str, int]]:
    """ESP name (as NCMEC prints it) -> (company, line in company_esps.csv)."""
    paths = paths or default_paths()
    rel = f"data/public/{COMPANY_ESPS}"
    with open(paths.public / COMPANY_ESPS, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != ["company", "esp", "note"]:
            raise _problem(rel, 1, f"header {reader.fieldnames} is not company,esp,note")
        mapping: dict[str, tuple[str, int]] = {}
        for line, row in enumerate(reader, start=2):
            if not re.fullmatch(r"[A-Z][A-Za-z]*", row["company"]):
                raise DataError(Problem(rel, line, "company", row["company"], "a company name as the codebook writes it (Meta, Google, X, ...)"))
            if row["esp"] in mapping:
                raise _problem(rel, line, f"ESP {row['esp']!r} is already assigned to {mapping[row['esp']][0]} on line {mapping[row['esp']][1]}")
            mapping[row["esp"]] = (row["company"], line)
    return mapping


def ncmec_by_company(obs: pd.DataFrame, paths: Paths | None = None) -> pd.DataFrame:
    """company, year, ncmec_reports, ncmec_source_id, ncmec_esp_rows: NCMEC's reports received from each company."""
    mapping = company_esps(paths)
    rows = obs[(obs["indicator"] == NCMEC_REPORTS) & obs["period"].str.fullmatch(r"[0-9]{4}")]
    esp = rows[rows["breakdown"].str.startswith("esp=") & rows["source_id"].str.fullmatch(BY_ESP_SOURCE)]
    esp = esp.assign(esp=esp["breakdown"].str.slice(4))
    unused = [(name, line) for name, (_, line) in mapping.items() if name not in set(esp["esp"])]
    if unused:
        name, line = min(unused, key=lambda u: u[1])
        raise _problem(f"data/public/{COMPANY_ESPS}", line, f"ESP {name!r} is in none of NCMEC's tables by ESP (breakdown esp=...)")
    esp = esp[esp["esp"].isin(list(mapping))]
    esp = esp.assign(company=esp["esp"].map(lambda n: mapping[n][0]))
    summed = (esp.groupby(["company", "period"])
                 .agg(ncmec_reports=("value", "sum"), ncmec_source_id=("source_id", "first"), ncmec_esp_rows=("value", "size"),
                      _sources=("source_id", "nunique"))
                 .reset_index())
    if (summed["_sources"] > 1).any():
        bad = summed[summed["_sources"] > 1].iloc[0]
        raise _problem(f"data/public/{COMPANY_ESPS}", 1, f"{bad['company']} {bad['period']}: ESP rows come from several sources")
    grouped = rows[rows["breakdown"].str.fullmatch(r"company=[A-Za-z]+")]
    grouped = pd.DataFrame({"company": grouped["breakdown"].str.slice(8), "period": grouped["period"],
                            "ncmec_reports": grouped["value"], "ncmec_source_id": grouped["source_id"], "ncmec_esp_rows": pd.NA})
    both = summed.drop(columns="_sources").merge(grouped[["company", "period"]], on=["company", "period"])
    if not both.empty:
        raise _problem(f"data/public/{COMPANY_ESPS}", 1, f"{both.iloc[0]['company']} {both.iloc[0]['period']}: NCMEC's count is both summed from ESP rows and given grouped")
    out = pd.concat([summed.drop(columns="_sources"), grouped], ignore_index=True)
    out = out.rename(columns={"period": "year"}).astype({"year": "int64"})
    return out.sort_values(["company", "year"]).reset_index(drop=True)


def _platform_rows(obs: pd.DataFrame, indicator: str) -> pd.DataFrame:
    rows = obs[(obs["indicator"] == indicator) & obs["breakdown"].str.fullmatch(r"company=[A-Za-z]+")]
    return rows.assign(company=rows["breakdown"].str.slice(8), year=rows["period"].str.slice(0, 4).astype("int64"))


def _best(rows: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    from analysis.observations import preferred

    return preferred(rows, sources=sources)


def _period_length(period: str) -> int:
    """Months a period covers: 12 for a year, 6 for a half, 3 for a quarter, 1 for a month."""
    if re.fullmatch(r"[0-9]{4}", period):
        return 12
    return {"H": 6, "Q": 3}.get(period[5], 1)


def platform_vs_ncmec(obs: pd.DataFrame, paths: Paths | None = None) -> pd.DataFrame:
    """One row per company and year where NCMEC's count and a figure of the company's own exist."""
    from analysis.registry import load_indicators, load_sources

    paths = paths or default_paths()
    sources = load_sources(paths)
    bundling_from = int(load_indicators(paths).at[NCMEC_REPORTS, "series_break"])
    ncmec = ncmec_by_company(obs, paths)
    reports = _best(_platform_rows(obs, PLATFORM_REPORTS), sources)
    pieces = _best(_platform_rows(obs, PLATFORM_PIECES), sources)
    records = []
    for row in ncmec.itertuples(index=False):
        company, year = row.company, row.year
        mine = reports[(reports["company"] == company) & (reports["year"] == year)]
        full = mine[mine["period"] == str(year)]
        part = mine[mine["period"] != str(year)]
        cut = pieces[(pieces["company"] == company) & (pieces["year"] == year) & (pieces["period"] == str(year))]
        if full.empty and part.empty and cut.empty:
            continue
        rec = {"company": company, "year": year, "ncmec_reports": row.ncmec_reports, "ncmec_source_id": row.ncmec_source_id,
               "ncmec_kind": sources.at[row.ncmec_source_id, "kind"], "ncmec_esp_rows": row.ncmec_esp_rows,
               "platform_reports": pd.NA, "platform_partial_reports": pd.NA, "platform_period": "", "platform_qualifier": "",
               "platform_source_id": "", "platform_kind": "", "platform_pieces": pd.NA, "platform_pieces_source_id": ""}
        figure = None
        if not full.empty:
            figure = full.iloc[0]
            rec["platform_reports"] = figure["value"]
        elif not part.empty:  # the longest period published, then the most precise figure
            part = part.assign(_len=part["period"].map(_period_length)).sort_values("_len", ascending=False, kind="stable")
            figure = part.iloc[0]
            rec["platform_partial_reports"] = figure["value"]
        if figure is not None:
            rec.update(platform_period=figure["period"], platform_qualifier=figure["qualifier"], platform_source_id=figure["source_id"],
                       platform_kind=sources.at[figure["source_id"], "kind"])
        if not cut.empty:
            rec.update(platform_pieces=cut.iloc[0]["value"], platform_pieces_source_id=cut.iloc[0]["source_id"])
        reasons = []
        if pd.isna(row.ncmec_esp_rows):
            reasons.append("transcriber_grouping")
        elif row.ncmec_esp_rows > 1:
            reasons.append("ncmec_grouped")
        if company in SERVICES:
            reasons.append("services")
        if figure is None:
            reasons.append("pieces_not_reports")
        elif pd.isna(rec["platform_reports"]):
            reasons.append("partial_period")
        qualifier = rec["platform_qualifier"]
        if qualifier in ("rounded", "approx", "estimate"):
            reasons.append("rounded")
        bound = qualifier in BOUNDS and not pd.isna(rec["platform_reports"])
        if bound:
            reasons.append("bound")
            if BOUNDS[qualifier](rec["platform_reports"], row.ncmec_reports):
                reasons.append("within_bound")
        if year >= bundling_from:
            reasons.append("bundling")
        if (company, year) in DOUBTS:
            reasons.append("transcription_doubt")
        comparable = not pd.isna(rec["platform_reports"]) and not bound
        difference = rec["platform_reports"] - row.ncmec_reports if comparable else pd.NA
        if comparable and difference == 0:
            reasons.append("equal")
        words = {"rows": row.ncmec_esp_rows, "period": rec["platform_period"], "bundling": bundling_from}
        sentences = [_sentence(code, company, year, words) for code in reasons]
        if comparable and difference != 0 and not set(reasons) & {"services", "rounded", "transcription_doubt"}:
            sentences.append("no other reason for the difference is documented in the sources read")
        rec.update(difference=difference,
                   platform_pct_of_ncmec=100 * rec["platform_reports"] / row.ncmec_reports if comparable else pd.NA,
                   comparable=comparable, reasons=";".join(reasons), explanation="; ".join(sentences) + ".")
        records.append(rec)
    out = pd.DataFrame.from_records(records)
    counts = ["ncmec_reports", "ncmec_esp_rows", "platform_reports", "platform_partial_reports", "platform_pieces", "difference"]
    out[counts] = out[counts].astype("Int64")
    out["platform_pct_of_ncmec"] = out["platform_pct_of_ncmec"].astype("Float64")
    return out.sort_values(["company", "year"]).reset_index(drop=True)


def _sentence(code: str, company: str, year: int, words: dict) -> str:
    if code == "services":
        return SERVICES[company]
    if code == "transcription_doubt":
        return DOUBTS[(company, year)]
    return REASONS[code].format(**words)
