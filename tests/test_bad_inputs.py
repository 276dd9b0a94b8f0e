"""Bad input: each kind gives one clear message naming file, line and column."""
import os
import subprocess
import sys

import pytest

from analysis import DataError, build_observations

YEARLY = "data/public/ncmec/cybertipline_reports_per_year.csv"
LONG = "data/public/test/facts.csv"
LONG_HEADER = "source_id,indicator,geography,period,breakdown,value,unit,qualifier,base_n,locator"


def edit_line(paths, rel, line_no, old, new):
    path = paths.root / rel
    lines = path.read_text().splitlines()
    assert old in lines[line_no - 1], lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("\n".join(lines) + "\n")


def add_long_file(paths, *rows):
    """A long-layout raw file and a percent indicator, registered in tables.yaml."""
    (paths.public / "test").mkdir()
    (paths.public / "test" / "facts.csv").write_text("\n".join([LONG_HEADER, *rows]) + "\n")
    with open(paths.public / "tables.yaml", "a") as fh:
        fh.write("\n- file: test/facts.csv\n  layout: long\n")
    with open(paths.public / "indicators.yaml", "a") as fh:
        fh.write(
            "\n- id: test_share\n  unit: percent\n  publisher: Test\n  topic: reports_content\n  definition: a test share\n"
            "  label_en: Share\n  label_fr: Part\n"
        )


def message(paths) -> str:
    with pytest.raises(DataError) as err:
        build_observations(paths)
    return str(err.value)


# Edits of the real yearly file: (line, text found, replaced by, exact message after "file:line: ").
YEARLY_EDITS = {
    "thousands separator (the issue's example)": (12, ",102029,", ',"4,7OO",', "column 'reports': '4,7OO' is not a whole number"),
    "thousands separator": (27, ",36210368,", ',"36,210,368",', "column 'reports': '36,210,368' is not a whole number"),
    "footnote mark": (5, ",24442,", ",24442*,", "column 'reports': '24442*' is not a whole number"),
    "non-numeric value": (3, ",9668,", ",n/a,", "column 'reports': 'n/a' is not a whole number"),
    "negative count": (4, ",19245,", ",-19245,",
                       "column 'reports': '-19245' is not a number of zero or more (only units ending in '_change' may be negative)"),
    "unknown source id": (8, "ncmec-ojjdp-2023", "ncmec-ojjdp-2033",
                          "column 'source_id': 'ncmec-ojjdp-2033' is not a source_id declared in data/public/sources.yaml"),
    "duplicate key": (10, "2006,", "2005,", "duplicate key (year='2005') already on line 9"),
    "malformed period": (20, "2016,", "CY2016,",
                         "column 'year': 'CY2016' is not a period such as 2023, 2023-H2, 2024-Q1, 2024-06 or 2024-06-30"),
}


@pytest.mark.parametrize("kind", YEARLY_EDITS)
def test_bad_value_in_the_yearly_file(repo_copy, kind):
    line, old, new, expected = YEARLY_EDITS[kind]
    edit_line(repo_copy, YEARLY, line, old, new)
    assert message(repo_copy) == f"{YEARLY}:{line}: {expected}"


def test_period_out_of_range(repo_copy):
    edit_line(repo_copy, YEARLY, 2, "1998,", "2098,")
    assert message(repo_copy).startswith(f"{YEARLY}:2: column 'year': '2098' is not a period between 1800 and ")


def test_missing_column(repo_copy):
    path = repo_copy.root / YEARLY
    text = path.read_text().replace("year,reports,incidents,", "year,reports,", 1)
    rows = [line.split(",", 3) for line in text.splitlines()]  # drop the third field of every row
    path.write_text("\n".join(r[0] + "," + r[1] + "," + r[3] if len(r) == 4 and i else ",".join(r) for i, r in enumerate(rows)) + "\n")
    assert message(repo_copy) == f"{YEARLY}:1: column 'incidents' is missing"


def test_percentage_above_100(repo_copy):
    add_long_file(repo_copy, "ncmec-ojjdp-2023,test_share,WLD,2023,,40,percent,exact,,p. 1",
                  "ncmec-ojjdp-2023,test_share,FRA,2023,,104.5,percent,exact,,p. 1")
    assert message(repo_copy) == f"{LONG}:3: column 'value': '104.5' is not a percentage between 0 and 100"


def test_breakdown_syntax(repo_copy):
    add_long_file(repo_copy, "ncmec-ojjdp-2023,test_share,WLD,2023,age 7-10,40,percent,exact,,p. 1")
    assert message(repo_copy).startswith(f"{LONG}:2: column 'breakdown': 'age 7-10' is not a breakdown of key=value pairs")


def test_unit_must_match_the_indicator(repo_copy):
    add_long_file(repo_copy, "ncmec-ojjdp-2023,test_share,WLD,2023,,40,images,exact,,p. 1")
    assert message(repo_copy) == (
        f"{LONG}:2: column 'unit': 'images' is not the unit declared for this indicator in data/public/indicators.yaml"
    )


def test_semicolon_separated_file(repo_copy):
    path = repo_copy.root / YEARLY
    path.write_text(path.read_text().replace(",", ";"))
    assert message(repo_copy) == f"{YEARLY}:1: columns are separated by ';'; expected commas"


def test_byte_order_mark(repo_copy):
    path = repo_copy.root / YEARLY
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert message(repo_copy) == f"{YEARLY}:1: starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM"


def test_wrong_encoding(repo_copy):
    path = repo_copy.root / YEARLY
    path.write_bytes(path.read_bytes().replace(b"The same report", "Le même rapport".encode("latin-1")))
    assert message(repo_copy) == f"{YEARLY}:2: byte 0xea is not UTF-8 text; save the file as UTF-8"


def test_source_record_without_url(repo_copy):
    path = repo_copy.public / "sources.yaml"
    text = path.read_text()
    line = text.splitlines().index(
        "  url: https://www.missingkids.org/content/dam/missingkids/pdfs/OJJDP-NCMEC-Transparency_2022-Calendar-Year.pdf"
    ) + 1
    path.write_text(text.replace("OJJDP-NCMEC-Transparency_2022-Calendar-Year.pdf", "", 1).replace(
        "  url: https://www.missingkids.org/content/dam/missingkids/pdfs/\n", "  url: www.missingkids.org\n"))
    assert message(repo_copy) == (
        f"data/public/sources.yaml:{line}: field 'url': 'www.missingkids.org' is not a URL starting with http:// or https://"
    )


def test_command_line_prints_one_line_and_exits_2_without_touching_outputs(repo_copy):
    processed = repo_copy.out / "data" / "processed"
    processed.mkdir(parents=True)
    (processed / "observations.csv").write_text("previous build\n")
    before = {p: p.read_bytes() for p in processed.iterdir()}
    edit_line(repo_copy, YEARLY, 12, ",102029,", ',"4,7OO",')
    public_before = (repo_copy.root / YEARLY).read_bytes()
    env = {**os.environ, "ANALYSIS_ROOT": str(repo_copy.root), "ANALYSIS_OUT": str(repo_copy.out)}
    done = subprocess.run([sys.executable, "-m", "analysis", "build"], capture_output=True, text=True, env=env)
    assert done.returncode == 2
    assert done.stderr == f"{YEARLY}:12: column 'reports': '4,7OO' is not a whole number\n"
    assert "Traceback" not in done.stdout + done.stderr
    assert {p: p.read_bytes() for p in (repo_copy.out / "data" / "processed").iterdir()} == before
    assert (repo_copy.root / YEARLY).read_bytes() == public_before
