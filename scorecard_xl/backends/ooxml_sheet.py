"""Render a SheetPlan to worksheet XML, carrying over what the old sheet held that is not ours.

Elements are written in the sequence of the CT_Worksheet schema (Excel refuses files whose
elements are out of order). All strings are inline strings, never formulas.
"""

from __future__ import annotations

import copy
import math
import numbers
from dataclasses import dataclass, field

from lxml import etree

from ..addressing import cell_name, parse_cell
from ..pages.sheetplan import PrintSetup, RichText, SheetPlan
from ..read.ooxml_package import MAIN, MC, REL, local_name, parse_xml, q
from ..read.ooxml_text import argb
from ..read.ooxml_text import escape_attr, escape_text, fragment, inline_string_xml
from .units import DIGIT_PIXELS, column_pixels

SCHEMA_ORDER = [
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
    "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations",
    "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
    "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
    "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
    "tableParts", "extLst",
]
# Kept from the old sheet as they are: user content and references into the sheet's .rels.
CARRIED = {"sheetProtection", "protectedRanges", "conditionalFormatting", "dataValidations",
           "hyperlinks", "printOptions", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF",
           "picture", "oleObjects", "controls", "tableParts", "extLst"}
# Kept only when the plan has no print setup of its own.
PRINT = {"pageMargins", "pageSetup", "headerFooter"}
DEFAULT_MARGINS = b'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
# <row> attributes a person sets (height, hidden, row format, grouping) carried for rows below
# the tool's areas, in the order Excel writes them.
ROW_ATTRIBUTES = ("s", "customFormat", "ht", "hidden", "customHeight", "outlineLevel", "collapsed")
Area = tuple  # (top, left, bottom, right), 0-based


@dataclass
class OldSheet:
    """What a replaced sheet contributes to the new one (defaults: a brand-new sheet)."""

    nsmap: dict = field(default_factory=lambda: {None: MAIN, "r": REL})
    root_attrib: dict = field(default_factory=dict)
    elements: dict[str, list] = field(default_factory=dict)  # local name -> old elements

    @property
    def r_prefix(self) -> str:
        return next(p for p, uri in self.nsmap.items() if uri == REL and p)

    def first(self, name: str):
        found = self.elements.get(name)
        return found[0] if found else None


def _wrapped_name(element) -> str:
    """The schema name of an element; mc:AlternateContent takes the name of what it wraps."""
    if element.tag == q(MC, "AlternateContent"):
        for choice in element:
            for inner in choice:
                return local_name(inner)
    return local_name(element)


def read_old_sheet(xml: bytes | None) -> OldSheet:
    if xml is None:
        return OldSheet()
    root = parse_xml(xml)
    nsmap = {None: MAIN}
    nsmap.update({p: uri for p, uri in root.nsmap.items() if p is not None and uri != MAIN})
    if REL not in nsmap.values():
        nsmap["r" if "r" not in nsmap else "rel"] = REL
    old = OldSheet(nsmap, dict(root.attrib))
    for element in root:
        if isinstance(element.tag, str):
            name = _wrapped_name(element)
            if element.tag == q(MC, "AlternateContent") and name not in CARRIED:
                name = "AlternateContent"  # wraps something we write ourselves: dropped
            old.elements.setdefault(name, []).append(element)
    return old


FORMULA_START = ("=", "+", "-", "@")


def looks_like_formula(value) -> bool:
    """Text Excel would take for a formula if someone edited the cell; written with quotePrefix."""
    text = value.text if isinstance(value, RichText) else value
    return isinstance(text, str) and text.startswith(FORMULA_START)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _cell_xml(ref: str, value, xf: int | None, font: dict | None = None) -> str:
    s = f' s="{xf}"' if xf else ""
    if isinstance(value, bool) or getattr(getattr(value, "dtype", None), "kind", "") == "b":  # numpy too
        return f'<c r="{ref}"{s} t="b"><v>{int(bool(value))}</v></c>'
    if isinstance(value, numbers.Integral):
        return f'<c r="{ref}"{s}><v>{int(value)}</v></c>'
    if isinstance(value, numbers.Real):
        value = float(value)
        if math.isfinite(value):
            return f'<c r="{ref}"{s}><v>{repr(value)}</v></c>'
        value = None  # NaN and infinity cannot be stored: an empty (styled) cell
    if value is None:
        return f'<c r="{ref}"{s}/>' if xf else ""
    if isinstance(value, (str, RichText)):
        return f'<c r="{ref}"{s} t="inlineStr">{inline_string_xml(value, font)}</c>'
    raise TypeError(f"cell {ref}: cannot write a {type(value).__name__} ({value!r})")


def _run_defaults(plan: SheetPlan, style_name: str | None, base: dict) -> dict:
    style = plan.styles.get(style_name) if style_name else None
    if style is None:
        return base
    return {"name": base.get("name"), "size": style.font_size or base.get("size"),
            "color": style.font_color or base.get("color")}


def _merge_area(ref: str) -> Area | None:
    first, _, last = ref.partition(":")
    start, end = parse_cell(first), parse_cell(last or first)
    if start is None or end is None:
        return None
    return min(start[0], end[0]), min(start[1], end[1]), max(start[0], end[0]), max(start[1], end[1])


def _overlaps(a: Area, b: Area) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def carried_merges(old: OldSheet, areas: list[Area]) -> list[Area]:
    """The old sheet's merged ranges that lie wholly outside every one of ``areas``."""
    found = []
    for merges in old.elements.get("mergeCells", []):
        for merge in merges:
            if local_name(merge) != "mergeCell":
                continue
            area = _merge_area(merge.get("ref", ""))
            if area is not None and area[:2] != area[2:] and not any(_overlaps(area, a) for a in areas):
                found.append(area)
    return found


def carried_rows(old: OldSheet, areas: list[Area]) -> dict[int, dict[str, str]]:
    """0-based row -> the <row> attributes (ROW_ATTRIBUTES) the old sheet set, for rows below
    the last row of every one of ``areas``."""
    data = old.first("sheetData")
    if data is None:
        return {}
    below = max((a[2] for a in areas), default=-1)
    found, number = {}, -1
    for row in data.iterchildren(q(MAIN, "row")):
        number = int(row.get("r")) - 1 if row.get("r") else number + 1
        if number > below:
            attrs = {name: row.get(name) for name in ROW_ATTRIBUTES if row.get(name) is not None}
            if attrs:
                found[number] = attrs
    return found


def _sheet_data(plan: SheetPlan, xf: dict[str, int], quoted: dict, kept: dict[tuple[int, int], bytes],
                base: dict, row_attrs: dict[int, dict[str, str]] | None = None) -> str:
    rows: dict[int, dict[int, str]] = {}
    for (r, c), raw in kept.items():
        if (r, c) not in plan.cells:
            rows.setdefault(r, {})[c] = raw.decode("utf-8")
    for (r, c), cell in plan.cells.items():
        font = _run_defaults(plan, cell.style, base) if isinstance(cell.value, RichText) else None
        if looks_like_formula(cell.value) and cell.style in quoted:
            index = quoted[cell.style]
        else:
            index = xf.get(cell.style) if cell.style else None
        text = _cell_xml(cell_name(r, c), cell.value, index, font)
        if text:
            rows.setdefault(r, {})[c] = text
    row_attrs = row_attrs or {}
    for r in list(plan.row_heights) + list(row_attrs):
        rows.setdefault(r, {})
    out = ["<sheetData>"]
    for r in sorted(rows):
        attrs = dict(row_attrs.get(r, {}))
        height = plan.row_heights.get(r)
        if height is not None:  # the plan's own height wins
            attrs.update(ht=_num(height), customHeight="1")
        extra = "".join(f' {name}="{escape_attr(attrs[name])}"' for name in ROW_ATTRIBUTES if name in attrs)
        cells = rows[r]
        out.append(f'<row r="{r + 1}"{extra}>' + "".join(cells[c] for c in sorted(cells)) + "</row>")
    out.append("</sheetData>")
    return "".join(out) if len(out) > 2 else "<sheetData/>"


def _dimension(plan: SheetPlan, kept, merges: list[Area]) -> str:
    cells = list(plan.cells) + list(kept) + [(m[2], m[3]) for m in merges]
    if not cells:
        return '<dimension ref="A1"/>'
    top, left = min(r for r, _ in cells), min(c for _, c in cells)
    bottom, right = max(r for r, _ in cells), max(c for _, c in cells)
    first, last = cell_name(top, left), cell_name(bottom, right)
    return f'<dimension ref="{first}"/>' if first == last else f'<dimension ref="{first}:{last}"/>'


def _sheet_pr(plan: SheetPlan, old: OldSheet) -> bytes:
    previous = old.first("sheetPr")
    element = copy.deepcopy(previous) if previous is not None else etree.Element(q(MAIN, "sheetPr"))
    children = {local_name(c): c for c in element if isinstance(c.tag, str)}
    for child in list(element):
        element.remove(child)
    if plan.tab_color:
        children["tabColor"] = etree.Element(q(MAIN, "tabColor"), rgb=argb(plan.tab_color))
    if plan.print_setup is not None:
        setup = children.get("pageSetUpPr")
        if setup is None:
            setup = children["pageSetUpPr"] = etree.Element(q(MAIN, "pageSetUpPr"))
        if plan.print_setup.fit_width or plan.print_setup.fit_height:
            setup.set("fitToPage", "1")
        else:
            setup.attrib.pop("fitToPage", None)
        if not setup.attrib:
            del children["pageSetUpPr"]
    for name in ("tabColor", "outlinePr", "pageSetUpPr"):
        if name in children:
            element.append(children[name])
    if not len(element) and not element.attrib:
        return b""
    return fragment(element, old.nsmap)


def _sheet_views(plan: SheetPlan, old: OldSheet, selected: bool | None = None) -> str:
    """The sheet's view; ``selected``: whether its tab is selected (None: as the old sheet's was)."""
    previous = old.first("sheetViews")
    view = previous.find(q(MAIN, "sheetView")) if previous is not None else None
    attrs = ""
    if selected is None:
        selected = view is not None and view.get("tabSelected") in ("1", "true")
    if selected:
        attrs += ' tabSelected="1"'
    if not plan.show_gridlines:
        attrs += ' showGridLines="0"'
    if plan.zoom:
        attrs += f' zoomScale="{int(plan.zoom)}" zoomScaleNormal="{int(plan.zoom)}"'
    inner = ""
    if plan.freeze and (plan.freeze[0] or plan.freeze[1]):
        row, column = plan.freeze
        top_left = cell_name(row, column)
        pane = "bottomRight" if row and column else ("bottomLeft" if row else "topRight")
        split = (f' xSplit="{column}"' if column else "") + (f' ySplit="{row}"' if row else "")
        inner = (f'<pane{split} topLeftCell="{top_left}" activePane="{pane}" state="frozen"/>'
                 f'<selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/>')
    body = f"<sheetView{attrs} workbookViewId=\"0\">{inner}</sheetView>" if inner else \
        f"<sheetView{attrs} workbookViewId=\"0\"/>"
    return f"<sheetViews>{body}</sheetViews>"


def _excel_width(width: float) -> float:
    """Characters (as in Excel's Column Width box) -> the stored width (Calibri 11: 7 px a digit)."""
    return int(column_pixels(width) / DIGIT_PIXELS * 256) / 256 if width > 0 else 0


def _cols(plan: SheetPlan, old: OldSheet) -> bytes:
    parts = [f'<col min="{c + 1}" max="{c + 1}" width="{_num(_excel_width(w))}" customWidth="1"/>'.encode()
             for c, w in sorted(plan.column_widths.items())]
    ours = max([plan.last_column] + list(plan.column_widths)) + 1  # 1-based last column of the plan
    previous = old.first("cols")
    if previous is not None:
        parts += [fragment(col, old.nsmap) for col in previous
                  if local_name(col) == "col" and int(col.get("min", "0")) > ours]
    return b"<cols>" + b"".join(parts) + b"</cols>" if parts else b""


def _merges(merges: list[Area]) -> str:
    refs = list(dict.fromkeys(f"{cell_name(r0, c0)}:{cell_name(r1, c1)}" for r0, c0, r1, c1 in merges
                              if (r0, c0) != (r1, c1)))
    if not refs:
        return ""
    return f'<mergeCells count="{len(refs)}">' + "".join(f'<mergeCell ref="{ref}"/>' for ref in refs) + "</mergeCells>"


def _print(setup: PrintSetup, old: OldSheet) -> str:
    left, right, top, bottom = setup.margins
    out = (f'<pageMargins left="{_num(left)}" right="{_num(right)}" top="{_num(top)}" '
           f'bottom="{_num(bottom)}" header="0.3" footer="0.3"/>')
    attrs = f' paperSize="{int(setup.paper_size)}" orientation="{"landscape" if setup.landscape else "portrait"}"'
    if setup.scale != 100:
        attrs += f' scale="{int(setup.scale)}"'
    if setup.fit_width or setup.fit_height:
        attrs += f' fitToWidth="{int(setup.fit_width)}" fitToHeight="{int(setup.fit_height)}"'
    previous = old.first("pageSetup")
    rel_id = previous.get(q(REL, "id")) if previous is not None else None
    if rel_id:
        attrs += f' {old.r_prefix}:id="{escape_attr(rel_id)}"'
    out += f"<pageSetup{attrs}/>"
    if setup.header or setup.footer:
        out += "<headerFooter>"
        if setup.header:
            out += f"<oddHeader>{escape_text(setup.header)}</oddHeader>"
        if setup.footer:
            out += f"<oddFooter>{escape_text(setup.footer)}</oddFooter>"
        out += "</headerFooter>"
    if setup.page_breaks:
        # A break's id is the last row of a page (1-based), i.e. the 0-based row that starts the next;
        # max is the last column, as Excel writes a break across the whole sheet.
        breaks = sorted(set(setup.page_breaks))
        out += (f'<rowBreaks count="{len(breaks)}" manualBreakCount="{len(breaks)}">'
                + "".join(f'<brk id="{row}" max="16383" man="1"/>' for row in breaks) + "</rowBreaks>")
    return out


def _root_open(old: OldSheet) -> bytes:
    root = etree.Element(q(MAIN, "worksheet"), nsmap=old.nsmap)
    for key, value in old.root_attrib.items():
        root.set(key, value)
    data = etree.tostring(root, encoding="UTF-8")
    return data[:-2] + b">"


def render_sheet(plan: SheetPlan, xf: dict[str, int], old: OldSheet,
                 kept: dict[tuple[int, int], bytes] | None = None, base_font: dict | None = None,
                 quoted: dict[str | None, int] | None = None, old_area: Area | None = None,
                 selected: bool | None = None) -> bytes:
    """The complete worksheet part for ``plan``; ``xf`` maps style names to cellXfs indexes,
    ``kept`` holds raw <c> elements to carry over, ``base_font`` the workbook's default font
    (name, size) for rich-text runs that do not say, ``quoted`` style name (None: no style) ->
    the index of its quotePrefix variant, for text that starts like a formula. ``old_area`` is
    the area the tool owned on the old sheet: merged ranges outside it and the plan's area, and
    the <row> settings of rows below both, are carried over from the old sheet. ``selected``:
    whether the sheet's tab is selected (None: as it was)."""
    kept = kept or {}
    areas = [plan.owned_area()] + ([old_area] if old_area is not None else [])
    merges = list(plan.merges) + carried_merges(old, areas)
    ours: dict[str, bytes] = {
        "sheetPr": _sheet_pr(plan, old),
        "dimension": _dimension(plan, kept, merges).encode(),
        "sheetViews": _sheet_views(plan, old, selected).encode(),
        "sheetFormatPr": fragment(old.first("sheetFormatPr"), old.nsmap) if old.first("sheetFormatPr") is not None
        else b'<sheetFormatPr defaultRowHeight="15"/>',
        "cols": _cols(plan, old),
        "sheetData": _sheet_data(plan, xf, quoted or {}, kept, base_font or {},
                                 carried_rows(old, areas)).encode("utf-8"),
        "mergeCells": _merges(merges).encode(),
    }
    carried = set(CARRIED) | (PRINT if plan.print_setup is None else set())
    for name in carried:
        if name in old.elements:
            ours[name] = b"".join(fragment(e, old.nsmap) for e in old.elements[name])
    if plan.print_setup is not None:
        ours["pageMargins"] = _print(plan.print_setup, old).encode("utf-8")
    elif "pageMargins" not in ours:
        ours["pageMargins"] = DEFAULT_MARGINS
    body = b"".join(ours[name] for name in SCHEMA_ORDER if ours.get(name))
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            + _root_open(old) + body + b"</worksheet>")
