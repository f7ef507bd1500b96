"""Text in OOXML: escaping for XML 1.0 and Excel's ``_xHHHH_`` notation, and rich-text runs."""

from __future__ import annotations

import copy
import re

from lxml import etree

from .sheet import RichRun, RichText
from .ooxml_package import MAIN, local_name, q

# Characters XML 1.0 does not allow (lone surrogates included).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel reads "_x0041_" in text as the character U+0041; a literal one is written "_x005F_x0041_".
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_EXCEL_UNESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def argb(colour: str) -> str:
    """'1F4E79' / '#1f4e79' / 'FF1F4E79' -> 'FF1F4E79'."""
    colour = colour.strip().lstrip("#").upper()
    if len(colour) == 6:
        colour = "FF" + colour
    if len(colour) != 8 or any(ch not in "0123456789ABCDEF" for ch in colour):
        raise ValueError(f"not an RRGGBB colour: {colour!r}")
    return colour


def clean(text: str) -> str:
    return _ILLEGAL.sub("", text)


def escape_text(text: str) -> str:
    """Element text: illegal characters removed, & < > escaped, CR kept, _xHHHH_ made literal."""
    text = _EXCEL_ESCAPE.sub(r"_x005F_\1", clean(text))
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def escape_attr(text: str) -> str:
    return (escape_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;"))


def unescape_excel(text: str) -> str:
    if "_x" not in text:  # almost all text: the regular expression costs more than the test
        return text
    return _EXCEL_UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def fragment(element, nsmap: dict | None = None) -> bytes:
    """``element`` serialized for a part whose root declares ``nsmap`` (default: the main
    namespace only), without repeating declarations the root already makes."""
    holder = etree.Element(q(MAIN, "worksheet"), nsmap=nsmap or {None: MAIN})
    holder.append(copy.deepcopy(element))
    holder[0].tail = None
    data = etree.tostring(holder, encoding="UTF-8")
    return data[data.index(b">") + 1: -len(b"</worksheet>")]


# --- rich text -------------------------------------------------------------------------------

_FLAGS = {"b": "bold", "i": "italic", "strike": "strike"}


def _true(element) -> bool:
    return element.get("val", "1").lower() not in ("0", "false")


def font_of_rpr(rpr) -> tuple[tuple[str, object], ...]:
    """The RichRun.font pairs of an <rPr> element (formatting we do not model is left out)."""
    font: dict[str, object] = {}
    for child in rpr:
        name = local_name(child)
        if name in _FLAGS:
            font[_FLAGS[name]] = _true(child)
        elif name == "u":
            font["underline"] = child.get("val", "single") != "none"
        elif name == "sz" and child.get("val"):
            font["size"] = float(child.get("val"))
        elif name == "color" and child.get("rgb"):
            font["color"] = child.get("rgb")[-6:].upper()
        elif name == "rFont" and child.get("val"):
            font["name"] = child.get("val")
    order = ["bold", "italic", "underline", "strike", "size", "color", "name"]
    return tuple((key, font[key]) for key in order if key in font)


def text_of_string_item(item) -> str | RichText:
    """The value of a shared-string <si> or an inline <is>: plain text, or RichText for runs."""
    if len(item) == 1 and local_name(item[0]) == "t":  # plain text, as nearly every string is
        return unescape_excel(item[0].text or "")
    runs = [child for child in item if local_name(child) == "r"]
    if not runs:
        return unescape_excel("".join(t.text or "" for t in item if local_name(t) == "t"))
    result = []
    for run in runs:
        text = unescape_excel("".join(t.text or "" for t in run if local_name(t) == "t"))
        rpr = next((c for c in run if local_name(c) == "rPr"), None)
        if rpr is None:
            result.append(RichRun(text))
        else:
            result.append(RichRun(text, font_of_rpr(rpr), fragment(rpr)))
    return RichText(tuple(result))


def rpr_xml(font: tuple[tuple[str, object], ...], defaults: dict | None = None) -> str:
    """An <rPr> for RichRun.font pairs ('' when there is nothing to say). ``defaults`` (the cell's
    font: name, size, color) fills in what the run leaves out, as readers differ on what a run
    without them looks like."""
    if not font:
        return ""
    values = {key: value for key, value in (defaults or {}).items() if value}
    values.update(dict(font))
    parts = []
    for key, tag in (("bold", "b"), ("italic", "i"), ("strike", "strike")):
        if values.get(key):
            parts.append(f"<{tag}/>")
    if values.get("underline"):
        parts.append('<u/>')
    if values.get("size"):
        parts.append(f'<sz val="{float(values["size"]):g}"/>')
    if values.get("color"):
        parts.append(f'<color rgb="{argb(str(values["color"]))}"/>')
    if values.get("name"):
        parts.append(f'<rFont val="{escape_attr(str(values["name"]))}"/>')
    return f"<rPr>{''.join(parts)}</rPr>" if parts else ""


def inline_string_xml(value: str | RichText, defaults: dict | None = None) -> str:
    """The <is> element of an inline-string cell (``defaults``: see ``rpr_xml``)."""
    if isinstance(value, str):
        return f'<is><t xml:space="preserve">{escape_text(value)}</t></is>'
    runs = []
    for run in value.runs:
        rpr = run.ooxml_rpr.decode("utf-8") if run.ooxml_rpr else rpr_xml(run.font, defaults)
        runs.append(f'<r>{rpr}<t xml:space="preserve">{escape_text(run.text)}</t></r>')
    if not runs:
        return '<is><t xml:space="preserve"></t></is>'
    return f"<is>{''.join(runs)}</is>"
