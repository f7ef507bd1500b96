"""The Export for email button: its add-in is scorecard_xl.excel.export_button.xlam.

The add-in's compiled ribbon callback imports the module named by the add-in's file name (up to
its last dot) and calls its ``main()``; this module exists so that the button needs no VBA of
its own (macros/customUI_export_for_email.xml).
"""

from __future__ import annotations

from .actions import export_for_email


def main() -> None:
    export_for_email()
