"""The Check data button: its add-in is scorecard_xl.excel.check_button.xlam.

The add-in's compiled ribbon callback imports the module named by the add-in's file name (up to
its last dot) and calls its ``main()``; this module exists so that the button needs no VBA of
its own (macros/customUI_check_data.xml).
"""

from __future__ import annotations

from .actions import check_data


def main() -> None:
    check_data()
