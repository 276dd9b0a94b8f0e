"""The yearly CyberTipline series equals the numbers printed in NCMEC's own PDF."""
import hashlib
import re

import pdfplumber
import pytest

from analysis import build_observations, load_sources
from analysis.series import yearly

from conftest import shared_pdf


@pytest.fixture(scope="module")
def obs():
    return build_observations()[0]


def appendix_a(pdf_path) -> dict[int, int]:
    """Year -> reports, read from the text of Appendix A (last page) of the OJJDP report."""
    with pdfplumber.open(pdf_path) as pdf:
        text = pdf.pages[-1].extract_text()
    assert "Appendix A" in text
    return {int(y): int(v.replace(",", "")) for y, v in re.findall(r"CY(\d{4}) \([^)]*\) ([\d,]+)", text)}


def test_every_yearly_value_1998_2023_equals_appendix_a_of_the_cy2023_report(obs):
    printed = appendix_a(shared_pdf("ncmec/ncmec-ojjdp-2023.pdf"))
    assert sorted(printed) == list(range(1998, 2024))
    ours = yearly(obs[obs["source_id"] == "ncmec-ojjdp-2023"], "cybertipline_reports")
    assert ours.to_dict() == printed


def test_cy2022_report_agrees_with_cy2023_report_on_common_years(obs):
    printed = appendix_a(shared_pdf("ncmec/ncmec-ojjdp-2022.pdf"))
    ours = yearly(obs[obs["source_id"] == "ncmec-ojjdp-2023"], "cybertipline_reports")
    assert {y: ours[y] for y in printed} == printed


def test_spot_values(obs):
    reports = yearly(obs[obs["source_id"] == "ncmec-ojjdp-2023"], "cybertipline_reports")
    assert reports[2023] == 36_210_368
    assert reports[2022] == 32_059_029
    assert reports[2019] == 16_987_361
    assert reports[1998] == 4_560


def test_local_pdfs_match_the_registry_checksums():
    sources = load_sources()
    with_files = sources[sources["local_file"].notna()]
    assert len(with_files) >= 2
    for row in with_files.itertuples():
        path = shared_pdf(row.local_file)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == row.sha256, row.source_id
