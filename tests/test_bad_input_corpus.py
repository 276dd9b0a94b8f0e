"""The bad-input corpus (tests/bad_inputs/): each malformed file or registry entry gives one
message naming file, line, column, what was found and what was expected; the command line
prints that line only and exits 2."""
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from analysis import DataError, build_observations

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.json").exists())


def apply(case: str, paths) -> dict:
    """Put the case's malformed file (or registry entry) into a copy of the repository.

    In 'expected', {end+k} is line k after the original end of the file the case appends to
    (so the corpus does not change when a registry grows), {this_year} the current year.
    """
    folder = CORPUS / case
    meta = json.loads((folder / "case.json").read_text())
    payload = next(p for p in folder.iterdir() if p.name != "case.json").read_bytes()
    target = paths.root / meta["target"]
    target.parent.mkdir(parents=True, exist_ok=True)
    end = len(target.read_bytes().splitlines()) if target.exists() else 0
    meta["expected"] = re.sub(r"\{end\+(\d+)\}", lambda m: str(end + int(m.group(1))), meta["expected"])
    meta["expected"] = meta["expected"].replace("{this_year}", str(date.today().year))
    if meta.get("append"):
        with open(target, "ab") as fh:
            fh.write(payload)
    else:
        target.write_bytes(payload)
    if meta.get("register"):
        with open(paths.public / "tables.yaml", "a") as fh:
            fh.write(f"\n- file: {Path(meta['target']).relative_to('data/public').as_posix()}\n  layout: {meta['register']}\n")
    return meta


def test_the_corpus_has_at_least_25_cases():
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES)
def test_each_case_gives_its_exact_message_and_the_command_line_prints_only_it(case, repo_copy, command):
    meta = apply(case, repo_copy)
    with pytest.raises(DataError) as err:
        build_observations(repo_copy)
    assert str(err.value) == meta["expected"]
    # The build command, in this process: its forked build re-reads only the broken file.
    done = command("build", env={"ANALYSIS_ROOT": repo_copy.root, "ANALYSIS_OUT": repo_copy.out})
    assert done.returncode == 2
    assert done.stderr == meta["expected"] + "\n"
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize("case", CASES[:1])
def test_command_line_in_its_own_process_prints_one_line_and_exits_2(case, repo_copy):
    meta = apply(case, repo_copy)
    env = {**os.environ, "ANALYSIS_ROOT": str(repo_copy.root), "ANALYSIS_OUT": str(repo_copy.out)}
    done = subprocess.run([sys.executable, "-m", "analysis", "build"], capture_output=True, text=True, env=env)
    assert done.returncode == 2
    assert done.stderr == meta["expected"] + "\n"
    assert "Traceback" not in done.stdout + done.stderr
