"""Command line: python -m analysis build | validate | status | check | ...

Every failure is one line on standard error, never a traceback: bad input (a file, line and column,
or a path given on the command line) exits with status 2; the machine (a disk full, a file-size
limit, permission denied, a worker killed) with status 1; Ctrl-C with 130.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from datetime import date
from pathlib import Path

from analysis.errors import MACHINE_ERRNOS, DataError, MachineError, Problem, os_error_text

EXIT_BAD_INPUT = 2
EXIT_MACHINE = 1
EXIT_INTERRUPTED = 130


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="rebuild tables, figures, notebooks and site; print each stage's wall time")
    b.add_argument("--force", action="store_true", help="rebuild every stage even if its inputs did not change")
    b.add_argument("--no-wait", action="store_true", help="if another build is running on the same outputs, exit with status 2 instead of waiting")
    sub.add_parser("bench", help="time a clean build and a no-op rebuild of a scratch copy, stage by stage")
    sub.add_parser("validate", help="check every raw file and registry; print all problems")
    ext = sub.add_parser("extract", help="turn an NCMEC yearly PDF into a raw CSV under data/public/ncmec and register it")
    ext.add_argument("table", choices=["ncmec-by-country", "ncmec-by-esp"])
    ext.add_argument("pdf", type=Path)
    sub.add_parser("import-diaphanous", help="(re)write the raw files made from the verbatim diaphanous copies (NCMEC 2024, IWF and INHOPE yearly figures)")
    st = sub.add_parser("status", help="per tracked series: latest period held, primary or secondary source, the publication that would update it")
    st.add_argument("--json", action="store_true", help="print the table as JSON (for scripts)")
    chk = sub.add_parser("check", help="find every statistical claim of a text (.txt, .md, .pdf, .docx) and check it against the tidy table")
    chk.add_argument("file", type=Path, help="the document, or - to read plain text from standard input")
    chk.add_argument("--lang", choices=["en", "fr"], help="language of the text (detected when absent)")
    chk.add_argument("--out", type=Path, help="write one row per number found to this CSV")
    chk.add_argument("--html", type=Path, help="write the results as an HTML page")
    chk.add_argument("--strict", action="store_true", help="exit with status 1 when any verdict is 'differs' or "
                     "'different measure'")
    chk.add_argument("--date", type=_iso_date, help="the text's date, YYYY-MM-DD, for 'this year', 'last year', "
                     "'the same period last year' (default: the date its first lines give)")
    sub.add_parser("bench-check", help="time `check` on the report's text (the target is under 10 s)")
    ev = sub.add_parser("check-eval", help="score `check` on a corpus of texts with expected verdicts (tests/check_corpus)")
    ev.add_argument("corpus", type=Path, nargs="?", default=Path("tests/check_corpus"))
    ev.add_argument("--out", type=Path, help="write one row per number (expected and reported, right or not) to this CSV")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    if args.command == "check":
        from analysis.checker import output

        output.WRITTEN.clear()
    try:
        return _command(args)
    except KeyboardInterrupt:
        written = args.command == "check" and output.WRITTEN
        print(f"{args.command} interrupted" + ("" if args.command != "check" else
              "; nothing written" if not written else f"; written before: {', '.join(map(str, written))}"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as err:  # noqa: BLE001: every failure is one line
        message, code = failure(err)
        print(message if code == EXIT_BAD_INPUT else f"{args.command} failed: {message}", file=sys.stderr)
        return code


def _command(args) -> int:
    try:
        if args.command in ("check", "bench-check"):
            from analysis import textcheck

            if args.command == "bench-check":
                print(textcheck.bench())
                return 0
            _check_targets(args)
            text = None
            if str(args.file) == "-":
                from analysis.textclaims import read_stdin

                text = "\n".join(read_stdin(sys.stdin.buffer)[0])
            shown, table = textcheck.run(args.file, args.lang, args.out, args.html, args.date, text=text)
            print(shown)
            wrong = table["verdict"].isin(["differs", "different measure"]).any()
            return 1 if args.strict and wrong else 0
        if args.command == "check-eval":
            from analysis.checker import evaluate

            print(evaluate.run(args.corpus, args.out, args.json))
            return 0
        if args.command == "build":
            return _build(force=args.force, wait=not args.no_wait)
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
        elif args.command == "status":
            from analysis.observations import build_observations
            from analysis.status import as_json, render, status

            table = status(build_observations()[0])
            print(as_json(table) if args.json else render(table))
        elif args.command == "import-diaphanous":
            from analysis.paths import default_paths
            from analysis.transcriptions import write_diaphanous

            for message in write_diaphanous(default_paths().public):
                print(message)
    except DataError as err:
        if args.command == "validate":
            for problem in err.problems:
                print(problem, file=sys.stderr)
        else:
            print(err, file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


def _check_targets(args) -> None:
    """Before any work: --out and --html must name a file that can be made (status 2 otherwise)."""
    for flag, target in (("--out", args.out), ("--html", args.html)):
        if target is None:
            continue
        if target.is_dir():
            raise DataError(Problem(str(target), 0, text=f"is a folder; {flag} names the file to write"))
        if not target.parent.is_dir():
            raise DataError(Problem(str(target), 0, text=f"cannot be written ({flag}): the folder {target.parent} does not exist"))


def failure(err: BaseException) -> tuple[str, int]:
    """The one line a failure prints, and the exit status: 2 for bad input, 1 for the machine (an
    unforeseen error too: named by its type, its traceback shown with ANALYSIS_TRACEBACK=1)."""
    from concurrent.futures.process import BrokenProcessPool

    from analysis.paths import default_paths

    if isinstance(err, DataError):
        return str(err), EXIT_BAD_INPUT
    if os.environ.get("ANALYSIS_TRACEBACK"):  # for whoever debugs the project, not for its users
        traceback.print_exception(err)
    if isinstance(err, MachineError):
        return " ".join(str(err).split()), EXIT_MACHINE
    if isinstance(err, BrokenProcessPool):
        return "a worker process was killed (by a signal, or for lack of memory)", EXIT_MACHINE
    if isinstance(err, MemoryError):
        return "out of memory", EXIT_MACHINE
    if isinstance(err, OSError):
        paths = default_paths()
        what = os_error_text(err)
        if not err.filename:
            return what, EXIT_MACHINE
        name = Path(os.fsdecode(err.filename))
        inputs = [paths.public, paths.notebooks]
        is_input = any(_inside(name, folder) for folder in inputs)
        shown = paths.rel(name)
        if is_input and err.errno not in MACHINE_ERRNOS:  # a file the data names is missing or not a file
            return f"{shown}: cannot be read: {what}", EXIT_BAD_INPUT
        return f"{shown}: {what}", EXIT_MACHINE
    text = " ".join(str(err).split())
    return (f"internal error: {type(err).__name__}" + (f": {text}" if text else "")
            + " (set ANALYSIS_TRACEBACK=1 to see where)"), EXIT_MACHINE


def _inside(path: Path, folder: Path) -> bool:
    return os.path.abspath(path).startswith(os.path.abspath(folder) + os.sep)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def _build(force: bool, wait: bool) -> int:
    """The build, one at a time per output root; Ctrl-C or SIGTERM stops it cleanly (analysis.buildguard)."""
    from analysis import buildguard
    from analysis.paths import default_paths

    paths = default_paths()

    def body() -> int:  # runs once the lock is ours: a build that will not wait answers at once
        from analysis.build import build, timing_table

        print("Building (stages run into .build/stage, then replace the outputs):", flush=True)
        start = time.perf_counter()
        try:
            timings = build(paths, log=lambda line: print(line, flush=True), force=force, lock=False)
        except Exception as err:  # noqa: BLE001: one line; publish is all or nothing, so nothing was replaced
            message, code = failure(err)
            print(message if code == EXIT_BAD_INPUT else f"build failed: {message}; outputs unchanged", file=sys.stderr)
            return code
        print(timing_table(timings, wall=time.perf_counter() - start))
        return 0

    def recover() -> bool:
        from analysis.build import recover

        return recover(paths.out)

    return buildguard.run(paths.out / ".build", body, wait=wait, recover=recover)
