"""The drawing part of each sheet the splice writes: the tool's charts replaced, everyone else's kept.

A worksheet has at most one drawing part (the sheet's <drawing r:id> and its relationship), and
every shape, picture and chart floating over the sheet is an anchor in it. The tool's charts are
the anchors whose graphic frame carries a tool chart name (record.CHART_NAME): a refresh removes
those anchors, their relationships and their chart parts (with the style parts Excel may have
given them), and appends the plan's charts (ooxml_charts.py) after everything else, so a person's
shape, picture or chart on the sheet is left as it was. A drawing left with no anchor at all goes,
with its relationship and the sheet's <drawing>.

Part names are unique ignoring case, as in a package; the tool's old chart parts are freed
before new ones are named, so a second refresh of the same plan writes the same part names
and bytes.
"""

from __future__ import annotations

import posixpath

from lxml import etree

from ..read.ooxml_package import (CONTENT_TYPES, MAIN, MC, PKG_REL, REL, Package, local_name, parse_xml,
                                  part_rels_name, q, relative_target, serialize_xml)
from .ooxml_charts import CHART_NS, DRAWING_NS, RT_CHART, RT_DRAWING, LiftedChart
from .ooxml_sheet import SCHEMA_ORDER
from .record import is_tool_chart

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
# What a chart part may have of its own, which goes with it (Excel 2013 and later add the first two).
CHART_OWNED = ("/chartStyle", "/chartColorStyle", "/chartUserShapes")
KEEP = "keep"  # the sheet's <drawing> stays as it is


class PartNames:
    """New part names in a package, unique ignoring case among its members, the parts
    [Content_Types].xml names, those already given out, and each one's .rels part."""

    def __init__(self, package: Package, types_root):
        self.package = package
        self.taken = {name.casefold() for name in (info.filename for info in package.infos)}
        self.taken |= {(o.get("PartName") or "").lstrip("/").casefold() for o in types_root
                       if local_name(o) == "Override"}

    def free(self, part: str) -> None:
        self.taken.discard(part.casefold())

    def new(self, folder: str, stem: str) -> str:
        """``folder``/``stem``N.xml with the lowest N free; the folder keeps the package's own spelling."""
        folder = next((posixpath.dirname(info.filename) for info in self.package.infos
                       if posixpath.dirname(info.filename).casefold() == folder.casefold()), folder)
        index = 1
        while {f"{folder}/{stem}{index}.xml".casefold(),
               part_rels_name(f"{folder}/{stem}{index}.xml").casefold()} & self.taken:
            index += 1
        part = f"{folder}/{stem}{index}.xml"
        self.taken.add(part.casefold())
        return part


class Rels:
    """A part's relationships, to edit: read from the package, or new and empty."""

    def __init__(self, package: Package, source: str):
        self.package, self.source, self.name = package, source, part_rels_name(source)
        self.original = package.read(self.name) if package.has(self.name) else None
        self.root = parse_xml(self.original) if self.original is not None else \
            etree.Element(q(PKG_REL, "Relationships"), nsmap={None: PKG_REL})
        self.changed = False

    def elements(self) -> list:
        return [rel for rel in self.root if local_name(rel) == "Relationship"]

    def first(self, rel_type: str):
        return next((rel for rel in self.elements() if rel.get("Type") == rel_type
                     and rel.get("TargetMode") != "External"), None)

    def part(self, rel) -> str:
        return self.package.part_name(Package.resolve(self.source, rel.get("Target", "")))

    def find(self, rel_id: str):
        return next((rel for rel in self.elements() if rel.get("Id") == rel_id), None)

    def add(self, rel_type: str, part: str) -> str:
        """A relationship to ``part``; returns its id, rIdN unused ignoring case."""
        taken = {(rel.get("Id") or "").casefold() for rel in self.elements()}
        number = 1
        while f"rid{number}" in taken:
            number += 1
        etree.SubElement(self.root, q(PKG_REL, "Relationship"), Id=f"rId{number}", Type=rel_type,
                         Target=relative_target(self.source, part))
        self.changed = True
        return f"rId{number}"

    def remove(self, rel) -> None:
        self.root.remove(rel)
        self.changed = True

    def output(self) -> bytes:
        return serialize_xml(self.root, self.original)


class DrawingEditor:
    """The drawing edits of one write, every sheet's, sharing one set of part names. ``types`` is
    the WorkbookEditor's [Content_Types].xml (its root and changed flag), which this edits in place."""

    def __init__(self, package: Package, types):
        self.package, self.types = package, types
        self.names = PartNames(package, types.root)
        self.changed: dict[str, bytes] = {}
        self.removed: set[str] = set()
        self._freed: list[str] = []

    def splice(self, sheet_part: str, charts: list[LiftedChart]) -> str | None:
        """Put ``charts`` on the sheet at ``sheet_part`` in place of the tool's earlier ones; returns
        the relationship id the sheet's <drawing> must carry, None for no <drawing>, or KEEP."""
        rels = Rels(self.package, sheet_part)
        link = rels.first(RT_DRAWING)
        if link is not None and not self.package.has(rels.part(link)) and charts:
            rels.remove(link)  # a drawing that was lost already: the new one takes its place
            link = None
        if link is None or not self.package.has(rels.part(link)):
            return self._new_drawing(sheet_part, rels, charts) if charts else KEEP
        part = rels.part(link)
        original = self.package.read(part)
        root, drawing_rels = parse_xml(original), Rels(self.package, part)
        dropped = self._drop_tool_charts(root, drawing_rels)
        if not dropped and not charts:
            return KEEP  # nothing of the tool's there, and nothing to add: not a byte changes
        self._free_dropped(dropped)
        if not charts and not len(root):
            self._remove_drawing(part, drawing_rels, rels, link)
            return None
        self._add_charts(root, part, drawing_rels, charts)
        self.changed[part] = serialize_xml(root, original)
        self._keep_rels(drawing_rels)
        return link.get("Id")

    def finish(self) -> None:
        """Remove the tool's old parts that no new part took the name of (call once, after every sheet)."""
        for part in self._freed:
            if part not in self.changed:
                self._remove_part(part)

    # --- the tool's charts out, the plan's in ------------------------------------------------
    def _drop_tool_charts(self, root, drawing_rels: Rels) -> list[str]:
        """Remove the tool's anchors and their relationships; returns their chart parts."""
        parts = []
        for anchor in [element for element in root if _is_tool_chart(element)]:
            chart = anchor.find(f".//{q(CHART_NS, 'chart')}")
            rel = drawing_rels.find(chart.get(q(REL, "id"), "")) if chart is not None else None
            if rel is not None:
                parts.append(drawing_rels.part(rel))
                drawing_rels.remove(rel)
            root.remove(anchor)
        return parts

    def _free_dropped(self, charts: list[str]) -> None:
        for chart in charts:
            owned = Rels(self.package, chart)
            for rel in owned.elements():
                if rel.get("TargetMode") != "External" and rel.get("Type", "").endswith(CHART_OWNED):
                    self._free(owned.part(rel))
            if owned.original is not None:
                self._free(owned.name)
            self._free(chart)

    def _free(self, part: str) -> None:
        if self.package.has(part):
            self.names.free(part)
            self._freed.append(part)

    def _add_charts(self, root, part: str, drawing_rels: Rels, charts: list[LiftedChart]) -> None:
        next_id = max([int(p.get("id")) for p in root.iter(q(DRAWING_NS, "cNvPr")) if (p.get("id") or "").isdigit()]
                      + [1]) + 1
        folder = posixpath.join(posixpath.dirname(posixpath.dirname(part)), "charts")
        for number, chart in enumerate(charts):
            chart_part = self.names.new(folder, "chart")
            self.changed[chart_part] = chart.xml
            self._override(chart_part, CT_CHART)
            anchor = chart.anchor
            anchor.find(f".//{q(CHART_NS, 'chart')}").set(q(REL, "id"), drawing_rels.add(RT_CHART, chart_part))
            anchor.find(f".//{q(DRAWING_NS, 'cNvPr')}").set("id", str(next_id + number))
            root.append(anchor)

    def _new_drawing(self, sheet_part: str, rels: Rels, charts: list[LiftedChart]) -> str:
        folder = posixpath.join(posixpath.dirname(posixpath.dirname(sheet_part)), "drawings")
        part = self.names.new(folder, "drawing")
        root = etree.Element(q(DRAWING_NS, "wsDr"), nsmap={"xdr": DRAWING_NS, "a": A_NS})
        drawing_rels = Rels(self.package, part)
        self._add_charts(root, part, drawing_rels, charts)
        self.changed[part] = serialize_xml(root)
        self._keep_rels(drawing_rels)
        self._override(part, CT_DRAWING)
        rel_id = rels.add(RT_DRAWING, part)
        self._keep_rels(rels)
        return rel_id

    def _remove_drawing(self, part: str, drawing_rels: Rels, rels: Rels, link) -> None:
        self._free(part)
        if drawing_rels.original is not None:
            self._free(drawing_rels.name)
        rels.remove(link)
        self._keep_rels(rels)

    def _keep_rels(self, rels: Rels) -> None:
        if not rels.changed:
            return
        if rels.elements():
            self.changed[rels.name] = rels.output()
        elif rels.original is not None:
            self._free(rels.name)

    # --- [Content_Types].xml ----------------------------------------------------------------
    def _override(self, part: str, content_type: str) -> None:
        if _override_of(self.types.root, part) is None:
            etree.SubElement(self.types.root, q(CONTENT_TYPES, "Override"), PartName="/" + part,
                             ContentType=content_type)
            self.types.changed = True

    def _remove_part(self, part: str) -> None:
        self.removed.add(part)
        override = _override_of(self.types.root, part)
        if override is not None:
            self.types.root.remove(override)
            self.types.changed = True


def _override_of(types_root, part: str):
    wanted = "/" + part.casefold()
    return next((o for o in types_root if local_name(o) == "Override"
                 and (o.get("PartName") or "").casefold() == wanted), None)


def _is_tool_chart(anchor) -> bool:
    props = anchor.find(f"{q(DRAWING_NS, 'graphicFrame')}/{q(DRAWING_NS, 'nvGraphicFramePr')}/{q(DRAWING_NS, 'cNvPr')}")
    return props is not None and is_tool_chart(props.get("name"))


def set_drawing_element(sheet_xml: bytes, rel_id: str | None) -> bytes:
    """The worksheet part with its <drawing> pointing at ``rel_id``, or without one for None;
    a new <drawing> goes where CT_Worksheet's sequence puts it."""
    root = parse_xml(sheet_xml)
    existing = [child for child in root if _schema_name(child) == "drawing"]
    for element in existing[1:] if rel_id else existing:
        root.remove(element)
    if rel_id is not None:
        if existing and existing[0].tag == q(MAIN, "drawing"):
            existing[0].set(q(REL, "id"), rel_id)
        else:
            element = etree.Element(q(MAIN, "drawing"))
            element.set(q(REL, "id"), rel_id)
            later = set(SCHEMA_ORDER[SCHEMA_ORDER.index("drawing") + 1:])
            following = next((child for child in root if _schema_name(child) in later), None)
            if existing:
                root.replace(existing[0], element)
            elif following is not None:
                following.addprevious(element)
            else:
                root.append(element)
    return serialize_xml(root, sheet_xml)


def _schema_name(element) -> str:
    """An element's name in the worksheet's sequence; mc:AlternateContent takes the name of what it wraps."""
    if element.tag == q(MC, "AlternateContent"):
        for choice in element:
            for inner in choice:
                return local_name(inner)
    return local_name(element)
