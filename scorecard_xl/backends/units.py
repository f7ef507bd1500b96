"""Column widths: a plan gives them in characters, as Excel's Column Width box does.

Excel turns characters into pixels by the width of a digit in the workbook's default font
(7 px for Calibri 11, which the tool's workbooks use), plus 5 px of padding; XlsxWriter
(``worksheet.set_column``) computes the same. Office's add-in platform, and so xlwings' remote
engine, sets widths in points: 3/4 of a pixel.
"""

from __future__ import annotations

DIGIT_PIXELS = 7  # Calibri 11
PADDING_PIXELS = 5


def column_pixels(characters: float) -> int:
    """Excel's width in pixels of a column ``characters`` wide."""
    if characters <= 0:
        return 0
    if characters < 1:
        return int(characters * (DIGIT_PIXELS + PADDING_PIXELS) + 0.5)
    return int(characters * DIGIT_PIXELS + 0.5) + PADDING_PIXELS


def column_points(characters: float) -> float:
    """A column ``characters`` wide, in points (8.43 characters: 64 px, 48 pt)."""
    return column_pixels(characters) * 3 / 4
