"""Command line: python -m analysis build | validate.

Bad input prints one line naming file, line and column, and exits with status 2.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from analysis.errors import DataError

EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="rebuild tables, figures, notebooks and site; print each stage's wall time")
    b.add_argument("--force", action="store_true", help="rebuild every stage even if its inputs did not change")
    sub.add_parser("bench", help="time a clean build and a no-op rebuild of a scratch copy, stage by stage")
    sub.add_parser("validate", help="check every raw file and registry; print all problems")
    ext = sub.add_parser("extract", help="turn an NCMEC yearly PDF into a raw CSV under data/public/ncmec and register it")
    ext.add_argument("table", choices=["ncmec-by-country", "ncmec-by-esp"])
    ext.add_argument("pdf", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            from analysis.build import build, timing_table

            print("Building (stages run into .build/stage, then replace the outputs):")
            timings = build(force=args.force)
            print(timing_table(timings))
        elif args.command == "bench":
            from analysis.build import bench

            print(bench())
        elif args.command == "validate":
            from analysis.observations import build_observations

            obs, _ = build_observations()
            print(f"ok: {len(obs)} observations")
        elif args.command == "extract":
            from analysis import extract
            from analysis.errors import Problem
            from analysis.paths import default_paths

            if not args.pdf.is_file():
                raise DataError(Problem(str(args.pdf), 1, text="no such file"))
            kind = args.table.removeprefix("ncmec-by-")
            for message in extract.write(args.pdf, kind, default_paths().public, date.today().isoformat()):
                print(message)
    except DataError as err:
        if args.command == "validate":
            for problem in err.problems:
                print(problem, file=sys.stderr)
        else:
            print(err, file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
