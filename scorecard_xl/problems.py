"""Problems found in a workbook: where, what was found, what to write instead.

Every reader collects problems instead of raising on the first one, so that a person fixes
everything in one pass. Errors stop a refresh; notes (data quality) are reported and the
work goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .addressing import cell_reference

ERROR = "error"
NOTE = "note"
COMMAND_LINE = "Command line"  # where a problem with what was asked for (--month) lies: no sheet of the workbook


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth knowing) about the input."""

    sheet: str
    cell: str  # "C14", "A1:F1" or "" when the problem is about a whole sheet
    found: str  # what is there, in the person's words
    fix: str  # what to write instead
    severity: str = ERROR

    @property
    def where(self) -> str:
        return COMMAND_LINE if self.sheet == COMMAND_LINE else cell_reference(self.sheet, self.cell)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        return f"{self.where}: {self.found}. {self.fix}"


@dataclass
class Problems:
    """An ordered collection of problems from every stage of reading."""

    items: list[Problem] = field(default_factory=list)

    def error(self, sheet: str, cell: str, found: str, fix: str) -> None:
        self.items.append(Problem(sheet, cell, found, fix, ERROR))

    def note(self, sheet: str, cell: str, found: str, fix: str) -> None:
        self.items.append(Problem(sheet, cell, found, fix, NOTE))

    def extend(self, others: Iterable[Problem]) -> None:
        self.items.extend(others)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.items if not p.is_error]

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def file_error(failure: BaseException) -> OSError | None:
    """The file-system failure behind ``failure``, also when a library wrapped it (XlsxWriter's
    FileCreateError); None for any other failure."""
    if not isinstance(failure, OSError):
        failure = failure.__context__ if type(failure).__name__ == "FileCreateError" else None
    return failure if isinstance(failure, OSError) and failure.strerror else None


def file_error_text(failure: BaseException) -> str | None:
    """'Permission denied: S:/Scorecard.xlsx' for a failure of the file system; else None."""
    error = file_error(failure)
    if error is None:
        return None
    return f"{error.strerror}: {error.filename}" if error.filename else error.strerror


class WorkbookError(Exception):
    """The workbook cannot be used as it is; the message says why in plain English."""


class InputProblems(WorkbookError):
    """The workbook has errors; all of them are listed, none was fixed."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        heading = f"The workbook has {count} problem{'s' if count != 1 else ''} to fix first:"
        super().__init__("\n".join([heading] + [f"  - {p}" for p in self.problems]))
