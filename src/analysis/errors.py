"""The project's one error type for bad input, with messages that point at the cell."""
from __future__ import annotations

import errno
from dataclasses import dataclass, field

# An OSError with one of these is the machine's (status 1); otherwise a file that was named is wrong
# (missing, a folder, a symlink loop: bad input, status 2).
MACHINE_ERRNOS = frozenset(getattr(errno, name) for name in ("EACCES", "EPERM", "EIO", "ENOMEM", "ENOSPC", "EDQUOT", "EFBIG",
                                                             "EROFS", "EMFILE", "ENFILE", "EAGAIN") if hasattr(errno, name))


@dataclass(frozen=True, order=True)
class Problem:
    """One bad value: where it is, what was found, what was expected.

    str(problem) is the message users see, e.g.
    ``data/public/ncmec/cybertipline_reports_per_year.csv:12: column 'reports': '4,7OO' is not a whole number``
    """

    file: str
    line: int
    column: str = ""
    found: str = ""
    expected: str = ""
    # A full sentence replacing "'found' is not expected" when that template does not fit.
    text: str = field(default="", compare=False)
    kind: str = field(default="column", compare=False)  # 'column' (CSV) or 'field' (YAML)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file  # line 0: the file as a whole
        if self.column:
            where += f": {self.kind} '{self.column}'"
        what = self.text or f"{self.found!r} is not {self.expected}"
        # One problem, one line: several printed together must not run into each other.
        return " ".join(f"{where}: {what}".splitlines())


class DataError(Exception):
    """Raised for bad input; carries every problem found, sorted by file and line."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        if not problems:
            raise ValueError("DataError needs at least one problem")
        self.problems = sorted(problems)
        super().__init__(str(self.problems[0]))

    def __reduce__(self):  # rebuilt from its problems when it crosses from a build worker process
        return type(self), (self.problems,)

    @property
    def first(self) -> Problem:
        return self.problems[0]


class MachineError(Exception):
    """The machine failed, not the input: a disk full, a file-size limit, permission denied, a worker
    killed. The command prints its one-line message and exits with status 1."""


def os_error_text(err: OSError) -> str:
    """'no space left on device', 'file too large', 'permission denied': the system's words, in a sentence."""
    what = err.strerror or " ".join(str(err).split()) or type(err).__name__
    return what[:1].lower() + what[1:]
