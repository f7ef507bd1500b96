"""A plan's charts as OOXML parts for the splice, drawn by XlsxWriter and lifted from its package.

XlsxWriter already writes the chart XML that Excel and LibreOffice expect, from the same Chart
elements the new-file writer draws (xlsxwriter_book.add_chart), so the splice uses that one chart
writer rather than a second: the plan is rendered into a scratch workbook in memory whose only
sheet has the name of the sheet the charts go on, so the series already refer to that sheet,
and each chart's part and its anchor in the scratch drawing are lifted from there. The anchor
holds the cells the chart spans, worked out from the plan's widths and heights, which the
spliced sheet has too. ooxml_drawing.py puts them into the user's package.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from dataclasses import dataclass

from ..pages.sheetplan import SheetPlan
from ..read.ooxml_package import PKG_REL, REL, Package, local_name, parse_xml, q
from .xlsxwriter_book import new_book, write_plan

DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
RT_DRAWING = REL + "/drawing"
RT_CHART = REL + "/chart"


@dataclass
class LiftedChart:
    """One chart ready to splice: its anchor (an xdr:twoCellAnchor whose c:chart's r:id is to be set
    to the relationship of the drawing it joins) and the bytes of its chart part."""

    anchor: object  # lxml element
    xml: bytes


def lift_charts(plan: SheetPlan, sheet_name: str) -> list[LiftedChart]:
    """``plan``'s charts, in plan order, for the sheet called ``sheet_name`` (as the workbook spells it)."""
    if not plan.charts:
        return []
    buffer = io.BytesIO()
    book = new_book(buffer)
    # The plan's sizes, so the anchors follow them, and the cells the charts draw, so their caches hold
    # the figures: the rest of the page (most of its cells, a tenth of a second on a long one) is not drawn.
    drawn = {position for chart in plan.charts for series in chart.series
             for area in (series.values, series.categories) for position in _positions(area)}
    write_plan(book, dataclasses.replace(plan, name=sheet_name, merges=[],
                                         cells={p: cell for p, cell in plan.cells.items() if p in drawn}), {})
    book.close()
    with zipfile.ZipFile(buffer) as scratch:
        return _lifted(scratch)


def _positions(area: tuple[int, int, int, int]) -> list[tuple[int, int]]:
    top, left, bottom, right = area
    return [(row, column) for row in range(top, bottom + 1) for column in range(left, right + 1)]


def _lifted(scratch: zipfile.ZipFile) -> list[LiftedChart]:
    sheet = _only_sheet_part(scratch)
    (drawing,) = [target for type_, target in _targets(scratch, sheet).values() if type_ == RT_DRAWING]
    charts = _targets(scratch, drawing)
    lifted = []
    for anchor in parse_xml(scratch.read(drawing)):
        chart = anchor.find(f".//{q(CHART_NS, 'chart')}")
        _, part = charts[chart.get(q(REL, "id"))]
        lifted.append(LiftedChart(anchor, scratch.read(part)))
    return lifted


def _only_sheet_part(scratch: zipfile.ZipFile) -> str:
    (sheet,) = [name for name in scratch.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml")]
    return sheet


def _targets(scratch: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, the part it points to) for ``part`` of the scratch package."""
    folder, name = part.rsplit("/", 1)
    rels = parse_xml(scratch.read(f"{folder}/_rels/{name}.rels"))
    return {rel.get("Id"): (rel.get("Type"), Package.resolve(part, rel.get("Target")))
            for rel in rels if local_name(rel) == "Relationship" and rel.tag == q(PKG_REL, "Relationship")}
