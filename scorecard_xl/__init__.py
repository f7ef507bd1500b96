"""scorecard_xl: monthly performance scorecards for children's services, in Excel."""

from .problems import InputProblems, Problem, WorkbookError

__version__ = "0.1.0"
__all__ = ["InputProblems", "Problem", "WorkbookError", "__version__"]
