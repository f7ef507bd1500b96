"""Append-only edits of xl/styles.xml for a plan's Styles.

Existing numFmt, font, fill, border and xf entries never move or change. An entry equal to one we
would add (same canonical XML) is reused, so refreshing again adds nothing and leaves styles.xml
byte-identical. A stylesheet short of the entries Excel reserves gets its defaults first.
"""

from __future__ import annotations

import copy

from lxml import etree

from ..pages.sheetplan import Style
from ..read.ooxml_package import MAIN, local_name, parse_xml, q, serialize_xml
from ..read.ooxml_text import argb

# Excel's built-in number formats (ids below 164 need no <numFmt>).
BUILTIN_FORMATS = {
    "General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10,
    "0.00E+00": 11, "# ?/?": 12, "# ??/??": 13, "mm-dd-yy": 14, "d-mmm-yy": 15, "d-mmm": 16,
    "mmm-yy": 17, "h:mm AM/PM": 18, "h:mm:ss AM/PM": 19, "h:mm": 20, "h:mm:ss": 21,
    "m/d/yy h:mm": 22, "#,##0 ;(#,##0)": 37, "#,##0 ;[Red](#,##0)": 38, "#,##0.00;(#,##0.00)": 39,
    "#,##0.00;[Red](#,##0.00)": 40, "mm:ss": 45, "[h]:mm:ss": 46, "mmss.0": 47, "##0.0E+0": 48, "@": 49,
}
FIRST_CUSTOM_FORMAT = 164

# The order Excel writes the children of <font>; <styleSheet>'s schema sequence.
_FONT_ORDER = ["b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign",
               "sz", "color", "name", "family", "charset", "scheme"]
_SHEET_ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
                "dxfs", "tableStyles", "colors", "extLst"]


def canonical(element) -> tuple:
    """A comparable form of an element: tag, attributes, text and children (in any order)."""
    text = (element.text or "").strip()
    children = sorted(canonical(child) for child in element if isinstance(child.tag, str))
    return (element.tag, tuple(sorted(element.attrib.items())), text, tuple(children))


def _m(local: str, attrib: dict | None = None, *children):
    element = etree.Element(q(MAIN, local), {k: str(v) for k, v in (attrib or {}).items()})
    element.extend(children)
    return element


# What Excel writes first and reads as fixed: font 0, border 0 and cellXfs 0 are the defaults of
# every cell without a style of its own, fills 0 and 1 are always none and gray125 whatever they
# say. A stylesheet that lacks them gets them before anything of ours is appended, so our styles
# never land in these slots (and so the defaults, e.g. the base font, do not change between refreshes).
_DEFAULT_FONTS = [_m("font", {}, _m("sz", {"val": 11}), _m("name", {"val": "Calibri"}), _m("family", {"val": 2}))]
_DEFAULT_FILLS = [_m("fill", {}, _m("patternFill", {"patternType": kind})) for kind in ("none", "gray125")]
_DEFAULT_BORDERS = [_m("border", {}, *(_m(side) for side in ("left", "right", "top", "bottom", "diagonal")))]
_DEFAULT_STYLE_XFS = [_m("xf", {"numFmtId": 0, "fontId": 0, "fillId": 0, "borderId": 0})]
_DEFAULT_XFS = [_m("xf", {"numFmtId": 0, "fontId": 0, "fillId": 0, "borderId": 0, "xfId": 0})]
_DEFAULT_CELL_STYLES = [_m("cellStyle", {"name": "Normal", "xfId": 0, "builtinId": 0})]


class _Collection:
    """One of numFmts/fonts/fills/borders/cellStyleXfs/cellXfs/cellStyles: find-or-append by canonical XML."""

    def __init__(self, sheet, name: str, child: str):
        self.sheet, self.child = sheet, child
        self.element = sheet.find(q(MAIN, name))
        if self.element is None:
            self.element = _m(name, {"count": 0})
            position = _SHEET_ORDER.index(name)
            later = [e for e in sheet if local_name(e) in _SHEET_ORDER[position + 1:]]
            if later:
                later[0].addprevious(self.element)
            else:
                sheet.append(self.element)
        self.items = [e for e in self.element if local_name(e) == child]
        self.keys = {}
        for index, item in enumerate(self.items):
            self.keys.setdefault(canonical(item), index)
        self.added = False

    def reserve(self, defaults: list) -> None:
        """Fill the first slots Excel reserves with its defaults where the collection is short."""
        for default in defaults[len(self.items):]:
            self._append(copy.deepcopy(default))

    def index_of(self, element) -> int:
        key = canonical(element)
        if key not in self.keys:
            self._append(element)
        return self.keys[key]

    def _append(self, element) -> None:
        self.element.append(element)
        self.keys.setdefault(canonical(element), len(self.items))
        self.items.append(element)
        self.element.set("count", str(len(self.items)))
        self.added = True


class StyleSheet:
    """styles.xml opened for appending."""

    def __init__(self, data: bytes):
        self.original = data
        self.root = parse_xml(data)
        self.num_fmts = _Collection(self.root, "numFmts", "numFmt")
        self.fonts = _Collection(self.root, "fonts", "font")
        self.fills = _Collection(self.root, "fills", "fill")
        self.borders = _Collection(self.root, "borders", "border")
        self.xfs = _Collection(self.root, "cellXfs", "xf")
        self.style_xfs = _Collection(self.root, "cellStyleXfs", "xf")
        self.cell_styles = _Collection(self.root, "cellStyles", "cellStyle")
        self._collections = (self.num_fmts, self.fonts, self.fills, self.borders, self.style_xfs, self.xfs,
                             self.cell_styles)
        self._created = [c for c in self._collections if not c.items]
        for collection, defaults in ((self.fonts, _DEFAULT_FONTS), (self.fills, _DEFAULT_FILLS),
                                     (self.borders, _DEFAULT_BORDERS), (self.style_xfs, _DEFAULT_STYLE_XFS),
                                     (self.xfs, _DEFAULT_XFS), (self.cell_styles, _DEFAULT_CELL_STYLES)):
            collection.reserve(defaults)
        self._base_font = self.fonts.items[0]

    @property
    def base_font(self) -> dict:
        """The workbook's default font (font 0): name and size."""
        found = {local_name(c): c.get("val") for c in self._base_font if isinstance(c.tag, str)}
        size = found.get("sz")
        return {"name": found.get("name"), "size": float(size) if size else None}

    def num_fmt_id(self, code: str | None) -> int:
        if not code or code == "General":
            return 0
        defined = {int(item.get("numFmtId", "0")): item.get("formatCode") for item in self.num_fmts.items}
        builtin = BUILTIN_FORMATS.get(code)
        if builtin is not None and defined.get(builtin, code) == code:  # a workbook may redefine an id
            return builtin
        for number, defined_code in defined.items():
            if defined_code == code:
                return number
        new_id = max(list(defined) + [FIRST_CUSTOM_FORMAT - 1]) + 1
        self.num_fmts.index_of(_m("numFmt", {"numFmtId": new_id, "formatCode": code}))
        return new_id

    def font_id(self, style: Style) -> int:
        font = copy.deepcopy(self._base_font)
        children = {local_name(c): c for c in font if isinstance(c.tag, str)}
        for name in ("b", "i"):
            children.pop(name, None)
        if style.bold:
            children["b"] = _m("b")
        if style.italic:
            children["i"] = _m("i")
        if style.font_size is not None:
            children["sz"] = _m("sz", {"val": _number(style.font_size)})
        if style.font_color is not None:
            children["color"] = _m("color", {"rgb": argb(style.font_color)})
        for child in list(font):
            font.remove(child)
        order = {name: i for i, name in enumerate(_FONT_ORDER)}
        for name in sorted(children, key=lambda n: order.get(n, len(order))):
            children[name].tail = None
            font.append(children[name])
        font.tail = None
        return self.fonts.index_of(font)

    def fill_id(self, style: Style) -> int:
        if not style.fill:
            return 0
        pattern = _m("patternFill", {"patternType": "solid"},
                     _m("fgColor", {"rgb": argb(style.fill)}), _m("bgColor", {"indexed": 64}))
        return self.fills.index_of(_m("fill", {}, pattern))

    def border_id(self, style: Style) -> int:
        if not style.border:
            return 0
        colour = {"rgb": argb(style.border_color)} if style.border_color else {"auto": 1}
        sides = [_m(side, {"style": style.border}, _m("color", colour)) for side in ("left", "right", "top", "bottom")]
        return self.borders.index_of(_m("border", {}, *sides, _m("diagonal")))

    def xf_index(self, style: Style, quote_prefix: bool = False) -> int:
        """The cellXfs index of ``style``; with ``quote_prefix`` Excel keeps the cell's text as
        text even when someone edits it (as a leading apostrophe does)."""
        attrib = {"numFmtId": self.num_fmt_id(style.num_format), "fontId": self.font_id(style),
                  "fillId": self.fill_id(style), "borderId": self.border_id(style), "xfId": 0}
        for flag, used in (("applyNumberFormat", attrib["numFmtId"]), ("applyFont", attrib["fontId"]),
                           ("applyFill", attrib["fillId"]), ("applyBorder", attrib["borderId"])):
            if used:
                attrib[flag] = 1
        alignment = {}
        if style.horizontal:
            alignment["horizontal"] = style.horizontal
        if style.vertical:
            alignment["vertical"] = style.vertical
        if style.wrap:
            alignment["wrapText"] = 1
        if style.indent:
            alignment["indent"] = style.indent
        if quote_prefix:
            attrib["quotePrefix"] = 1
        children = []
        if alignment:
            attrib["applyAlignment"] = 1
            children.append(_m("alignment", alignment))
        return self.xfs.index_of(_m("xf", attrib, *children))

    @property
    def changed(self) -> bool:
        return any(c.added for c in self._collections)

    def to_bytes(self) -> bytes:
        if not self.changed:
            return self.original
        for collection in self._created:  # created empty: drop again if still unused
            if not collection.items:
                self.root.remove(collection.element)
        return serialize_xml(self.root, self.original)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))

