"""RAG tolerances: reference 001's Red / Amber / Green notation, or a single Target (docs/design.md §5.4).

A rule is two intervals: the green one, and the not-red one around it; amber is what lies
between. Only the Red and Green cells decide. The Amber cell is read only to check that it
agrees with them, because staff often write amber one display step away from red (``25+`` red,
``24<`` amber) and two cells must never be able to disagree about a value. Anything that cannot
be classified raises ToleranceError rather than being guessed at.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from numbers import Real
from typing import Sequence

import numpy as np

from .vocabulary import (DEFAULT_BAND, HIGH, LOW, POLARITY_HELP, TWO_SIDED_POLARITIES, is_placeholder, judged_as,
                         polarity_of)

GREEN, AMBER, RED, NOT_RATED = "Green", "Amber", "Red", "Grey"
RELATIVE_TOLERANCE = 1e-9  # "95%" typed (0.95) and 0.95 computed must compare equal
inf = math.inf

ONE_SIDED_EXAMPLE = "<92%, 92%> and 95%+ (High) or 26%+, 26%< and 23%< (Low)"
EXAMPLE = (ONE_SIDED_EXAMPLE + "; 'more than +/-15', '+/-15' and '+/-5 of 158.8'; "
           "or '1+ above range limit', '1 above / below range limit' and 14-20")


class ToleranceError(ValueError):
    """Ill-formed or contradictory tolerance; ``column`` is Red, Amber, Green or Target."""

    def __init__(self, column: str, text, message: str):
        super().__init__(message)
        self.column, self.text, self.message = column, str(text), message


@dataclass(frozen=True)
class RagRule:
    """Green when inside the green interval, Red when outside the not-red interval, Amber between."""

    green_low: float = -inf
    green_low_inclusive: bool = True
    green_high: float = inf
    green_high_inclusive: bool = True
    ok_low: float = -inf  # the not-red interval (amber or green)
    ok_low_inclusive: bool = True
    ok_high: float = inf
    ok_high_inclusive: bool = True
    rated: bool = True
    description: str = ""  # e.g. "green 95%+, red <92%" for display
    # The green boundary as the rule reads it ("95%+" also for 0.95 typed with a High polarity), which
    # the Target column shows; "" for a rule from a single Target. Spelling is not meaning, so two
    # rules that judge alike are equal whatever their text.
    green_text: str = field(default="", compare=False)


NO_RULE = RagRule(rated=False, description="not rated")


def _fail(column, text, problem, example=EXAMPLE):
    shown = str(text) if len(str(text)) <= 40 else str(text)[:37] + "..."
    raise ToleranceError(column, text, f"{column} tolerance '{shown}' {problem}; write it like {example}")


@dataclass(frozen=True)
class _Cell:
    """One cell, classified. kind: blank | number | below | above | around | step | range."""

    column: str
    text: str
    kind: str
    value: float = math.nan      # number / below / above: the boundary; around: centre; range: low
    inclusive: bool = True       # below / above: is the boundary itself included?
    high: float = math.nan       # range: the high end
    width: float = math.nan      # around: the +/- width; step: the distance beyond the range
    beyond: str = ""             # red around / step: "more than" (strict) or "+" (inclusive)
    step: float = math.nan       # one unit of the last digit written (for the amber check)
    percent: bool | None = None  # around / step / range: in percent? None: as its Green cell

    def interval(self) -> tuple[float, float]:
        return (self.value - self.width, self.value + self.width) if self.kind == "around" else (self.value, self.high)


_NUM = r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(%?)"
_WIDTH = r"(\d+(?:\.\d*)?|\.\d+)\s*(%?)"
_FORMS = [  # "<92%" and "26%<" mean strictly below; "95%+" and "92%>" at or above (reference 001)
    ("number", re.compile(_NUM, re.ASCII)),
    ("prefix", re.compile(rf"(<=|>=|<|>)\s*{_NUM}", re.ASCII)),
    ("suffix", re.compile(rf"{_NUM}\s*([+<>])", re.ASCII)),
    ("around", re.compile(rf"(more than |> ?)?\+\s*/?\s*-\s*{_WIDTH}(?: of {_NUM})?", re.ASCII)),
    ("range", re.compile(rf"{_NUM}\s*(?:-|to )\s*{_NUM}", re.ASCII)),
    ("step", re.compile(rf"(more than )?{_WIDTH}\s*(\+?)\s*(?:above|below|outside|beyond)"
                        r"(?:\s*/\s*(?:above|below))?(?: the)? range(?: limits?)?", re.ASCII)),
]
_OPERATORS = {"prefix": {"<": ("below", False), "<=": ("below", True), ">": ("above", False), ">=": ("above", True)},
              "suffix": {"<": ("below", False), "+": ("above", True), ">": ("above", True)}}


def _number(token: str, percent: bool | None, column: str, text: str, is_percentage: bool):
    """(value, step) of a written number. ``percent`` None: a percentage indicator's bare number
    above 1 is percent (92 means 92%); True / False force the unit."""
    exact = Decimal(token)  # Decimal, so that "3.7%" is exactly Excel's 0.037
    if percent is None:
        percent = is_percentage and abs(exact) > 1
    value = float(exact / 100 if percent else exact)
    if not math.isfinite(value):
        _fail(column, text, "holds a number too large to use")
    decimals = len(token.split(".")[1]) if "." in token else 0
    return value, 10.0 ** -decimals / (100.0 if percent else 1.0)


def _parse_cell(column: str, raw, is_percentage: bool) -> _Cell:
    if raw is None or (isinstance(raw, Real) and raw != raw):  # None or NaN: an empty cell
        return _Cell(column, "", "blank")
    if isinstance(raw, Real) and not isinstance(raw, bool):  # a number typed into Excel
        try:
            token = f"{float(raw):.15g}"  # as Excel shows it, for the amber step check
        except OverflowError:
            token = "inf"
        if token in ("inf", "-inf"):
            _fail(column, raw, "is not a finite number")
        value, step = _number(token if "e" not in token else repr(float(raw)), None, column, raw, is_percentage)
        return _Cell(column, f"{value * 100:.10g}%" if is_percentage else token, "number", value,
                     step=step if "e" not in token else math.nan)
    if not isinstance(raw, str):
        _fail(column, raw, "is neither text nor a number")
    shown, text = " ".join(raw.split()), raw
    for old, new in (("\u00b1", "+/-"), ("\u2212", "-"), ("\u2013", "-"), ("\u2014", "-"), ("\u2265", ">="),
                     ("\u2264", "<=")):
        text = text.replace(old, new)
    text = " ".join(text.split()).casefold()
    if is_placeholder(text):
        return _Cell(column, "", "blank")
    form, g = next(((f, m.groups()) for f, p in _FORMS if (m := p.fullmatch(text))), (None, ()))

    def number(token, pct, percent=None):
        return _number(token, True if pct else percent, column, shown, is_percentage)

    if form == "number":
        value, step = number(g[0], g[1])
        return _Cell(column, shown, "number", value, step=step)
    if form in _OPERATORS:
        op, token, pct = (g[0], g[1], g[2]) if form == "prefix" else (g[2], g[0], g[1])
        value, step = number(token, pct)
        return _Cell(column, shown, _OPERATORS[form][op][0], value, _OPERATORS[form][op][1], step=step)
    if form == "around":  # the width is in the unit of its centre ("+/-5 of 158.8")
        percent = None if g[3] is None else bool(g[4]) or (is_percentage and abs(float(g[3])) > 1)
        centre = math.nan if g[3] is None else number(g[3], g[4], percent)[0]
        return _Cell(column, shown, "around", centre, width=number(g[1], g[2], bool(percent))[0],
                     beyond="more than" if g[0] else "", percent=True if g[2] else percent)
    if form == "range":  # both ends in one unit: "14-20" is 14% to 20% for a percentage
        percent = bool(g[1] or g[3]) or (is_percentage and max(abs(float(g[0])), abs(float(g[2]))) > 1)
        low, high = number(g[0], g[1], percent)[0], number(g[2], g[3], percent)[0]
        if not low <= high:
            _fail(column, shown, "is a range whose low end is above its high end", "14-20")
        return _Cell(column, shown, "range", low, high=high, percent=percent)
    if form == "step" and not (g[0] and g[3]):
        return _Cell(column, shown, "step", width=number(g[1], g[2], False)[0],
                     beyond="more than" if g[0] else "+" if g[3] else "", percent=True if g[2] else None)
    _fail(column, shown, "is not a tolerance this tool can read")


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12)


def _polarity(polarity) -> str:
    known = polarity_of(polarity)
    if known is None:
        raise ValueError(f"unknown polarity {polarity!r}: {POLARITY_HELP}")
    return known


def _direction(polarity: str) -> int:
    """+1 where higher is better (High, Within limits (high)), -1 where lower is, else 0."""
    return {HIGH: 1, LOW: -1}.get(judged_as(polarity), 0)


def _target_rule(target: float, direction: int, band: float, description: str, inclusive: bool = True,
                 green_text: str = "") -> RagRule:
    """Green at or beyond the target on the good side, amber within ``band`` (relative) of it;
    direction 0 (Info, Within limits): green within ±band, red outside."""
    reach = band * abs(target)
    if direction > 0:
        return RagRule(target, inclusive, ok_low=target - reach, description=description, green_text=green_text)
    if direction < 0:
        return RagRule(green_high=target, green_high_inclusive=inclusive, ok_high=target + reach,
                       description=description, green_text=green_text)
    return RagRule(target - reach, True, target + reach, True, target - reach, True, target + reach, True,
                   description=description, green_text=green_text)


def rule_from_target(target: float, polarity: str, band: float = DEFAULT_BAND) -> RagRule:
    """High: green at or above target, amber down to target*(1-band); Low mirrored (and Within
    limits (high) and (low) as they); else ±band."""
    polarity = _polarity(polarity)
    if not (isinstance(band, Real) and math.isfinite(band) and band >= 0):
        raise ValueError(f"band {band!r} must be a fraction of 0 or more, such as 0.10")
    if target is None or not math.isfinite(float(target)):
        return NO_RULE
    return _target_rule(float(target), _direction(polarity), float(band),
                        f"target {float(target):.10g}, amber within {band:.0%}")


def parse_tolerances(red, amber, green, polarity: str, is_percentage: bool = False,
                     band: float = DEFAULT_BAND) -> RagRule:
    """The rule written in the Red, Amber and (Target) Green cells; NO_RULE when all are empty.
    ``band`` only serves when Green stands alone (it is then a target)."""
    polarity = _polarity(polarity)
    r, a, g = (_parse_cell(c, raw, is_percentage) for c, raw in (("Red", red), ("Amber", amber), ("Green", green)))
    if g.kind == "blank" and r.kind != "blank":
        _fail("Red", r.text, "is given without a Green boundary")
    if r.kind == "blank" and a.kind != "blank":
        _fail("Amber", a.text, "is given without a Red boundary")
    if g.kind == "blank":
        return NO_RULE
    if g.kind == "step" or (g.kind == "around" and (math.isnan(g.value) or g.beyond)):
        _fail("Green", g.text, "is not a green form", "+/-5 of 158.8, 14-20 or 95%+")
    direction = _direction(polarity)
    two_sided = g.kind in ("around", "range")
    if two_sided and polarity not in TWO_SIDED_POLARITIES:
        _fail("Green", g.text, f"is a {g.kind}, which suits Within limits or Info, not {polarity} polarity",
              ONE_SIDED_EXAMPLE)
    if r.kind == "blank":
        return _green_only(g, direction, band)
    rule = _two_sided(r, a, g) if two_sided else _one_sided(r, a, g, direction, polarity)
    if not _nested(rule):
        _fail("Red", r.text, f"contradicts Green '{g.text}': the red boundary must lie beyond the green one",
              EXAMPLE if two_sided else ONE_SIDED_EXAMPLE)
    return rule


def _green_only(g: _Cell, direction: int, band: float) -> RagRule:
    """Only Green filled: a Target at that boundary (amber within the band on the bad side)."""
    if g.kind in ("around", "range"):  # red outside, as for a target of Within limits / Info
        low, high = g.interval()
        return RagRule(low, True, high, True, low, True, high, True, description=f"green {g.text}", green_text=g.text)
    side = {"above": 1, "below": -1}.get(g.kind, direction)  # the notation may say which way is good
    if direction and side != direction:
        _fail("Green", g.text, "marks the wrong side green for the polarity", "95%+ (High) or 23%< (Low)")
    return _target_rule(g.value, side, band, f"green {g.text}, amber within {band:.0%}", g.inclusive, g.text)


def _one_sided(r: _Cell, a: _Cell, g: _Cell, direction: int, polarity: str) -> RagRule:
    """``<92%`` red / ``95%+`` green (High) or ``26%+`` / ``23%<`` (Low)."""
    if r.kind not in ("number", "below", "above"):
        _fail("Red", r.text, f"is a different kind of tolerance from Green '{g.text}'")
    if not direction:  # Info / Within limits: the notation itself says which way is good
        direction = 1 if r.kind == "below" or g.kind == "above" else -1 if "above" in (r.kind, g.kind) else 0
        if not direction:
            _fail("Red", r.text, f"is a bare number, which says nothing of direction for {polarity} polarity",
                  ONE_SIDED_EXAMPLE)
    bad, good = ("below", "above") if direction > 0 else ("above", "below")
    if r.kind == "number":  # an Excel number: High red below it, Low red at or above it
        r = _Cell("Red", f"<{r.text}" if direction > 0 else f"{r.text}+", bad, r.value, direction < 0, step=r.step)
    if g.kind == "number":  # High green at or above it, Low green below it
        g = _Cell("Green", f"{g.text}+" if direction > 0 else f"{g.text}<", good, g.value, direction > 0, step=g.step)
    for cell, wanted, colour, other in ((r, bad, "red", g), (g, good, "green", r)):
        if cell.kind != wanted:
            _fail(cell.column, cell.text, f"makes values {cell.kind} it {colour}, which contradicts {polarity} "
                  f"polarity and {other.column} '{other.text}'", ONE_SIDED_EXAMPLE)
    _check_amber(a, r, g, direction)
    if direction > 0:
        return RagRule(g.value, g.inclusive, ok_low=r.value, ok_low_inclusive=not r.inclusive,
                       description=f"green {g.text}, red {r.text}", green_text=g.text)
    return RagRule(green_high=g.value, green_high_inclusive=g.inclusive, ok_high=r.value,
                   ok_high_inclusive=not r.inclusive, description=f"green {g.text}, red {r.text}", green_text=g.text)


def _check_amber(a: _Cell, r: _Cell, g: _Cell, direction: int) -> None:
    """Amber repeats the red number (or is one written step from it, towards green: 25+ / 24<)
    or the green one, and then points away from the cell it repeats."""
    if a.kind == "blank":
        return
    if a.kind not in ("number", "below", "above"):
        _fail("Amber", a.text, f"is a different kind of tolerance from Red '{r.text}'", ONE_SIDED_EXAMPLE)
    near_red = [r.value] + [r.value + direction * s for s in (r.step, a.step) if math.isfinite(s)]
    matched = r if any(_close(a.value, v) for v in near_red) else g if _close(a.value, g.value) else None
    if matched is None:
        _fail("Amber", a.text, f"matches neither the red boundary '{r.text}' nor the green one '{g.text}'",
              ONE_SIDED_EXAMPLE)
    if a.kind == matched.kind:
        _fail("Amber", a.text, f"points the same way as {matched.column} '{matched.text}'", ONE_SIDED_EXAMPLE)


def _two_sided(r: _Cell, a: _Cell, g: _Cell) -> RagRule:
    """Around a value ('+/-5 of 158.8' green, '+/-15' amber, 'more than +/-15' red: widths from
    one centre) or a range ('14-20' green, '1 above / below range limit' amber, '1+ above range
    limit' red: distances beyond the limits). Red applies on both sides of a range even when it
    says only "above": amber reaches 1 beyond either limit, so further out is neither green nor amber."""
    kind, base = ("around", (g.value, g.value)) if g.kind == "around" else ("step", (g.value, g.high))
    examples = {("around", "Red"): "more than +/-15", ("around", "Amber"): "+/-15",
                ("step", "Red"): "1+ above range limit", ("step", "Amber"): "1 above / below range limit"}
    reach = {}
    for cell in (r, a):
        if cell.kind == "blank":
            continue
        if cell.kind != kind or bool(cell.beyond) != (cell is r):  # only red says "more than" / "+"
            _fail(cell.column, cell.text, f"does not go with Green '{g.text}'", examples[kind, cell.column])
        if not math.isnan(cell.value) and not _close(cell.value, g.value):
            _fail(cell.column, cell.text, f"has another centre than Green '{g.text}'", examples[kind, cell.column])
        reach[cell.column] = cell.width / 100 if cell.percent is None and g.percent else cell.width
    if "Amber" in reach and not _close(reach["Amber"], reach["Red"]):
        _fail("Amber", a.text, f"gives another distance than Red '{r.text}'", examples[kind, "Amber"])
    inclusive = r.beyond == "more than"  # "1+ above": exactly 1 beyond is already red
    (low, high), wide = g.interval(), reach["Red"]
    return RagRule(low, True, high, True, base[0] - wide, inclusive, base[1] + wide, inclusive,
                   description=f"green {g.text}, red {r.text}", green_text=g.text)


def _nested(rule: RagRule) -> bool:
    """Is the green interval inside the not-red one (as every rated rule must be)?"""
    low_ok = rule.green_low > rule.ok_low or (
        rule.green_low == rule.ok_low and (rule.ok_low_inclusive or not rule.green_low_inclusive))
    high_ok = rule.green_high < rule.ok_high or (
        rule.green_high == rule.ok_high and (rule.ok_high_inclusive or not rule.green_high_inclusive))
    return low_ok and high_ok


def rag_rule(red, amber, green, target, polarity, is_percentage=False, band=DEFAULT_BAND) -> RagRule:
    """Tolerances win when Red or Green is given; else the Target; else NO_RULE."""
    rule = parse_tolerances(red, amber, green, polarity, is_percentage, band)
    if rule.rated:
        return rule
    t = _parse_cell("Target", target, is_percentage)
    if t.kind == "blank":
        return NO_RULE
    if t.kind != "number":
        _fail("Target", t.text, "is not a single number", "95% or 158.8")
    return rule_from_target(t.value, polarity, band)


def _inside(values, low, low_inclusive, high, high_inclusive):
    """Element-wise interval test; values within 1e-9 (relative) of a bound count as on it."""
    tol_low = np.where(np.isfinite(low), RELATIVE_TOLERANCE * np.abs(low), 0.0)
    tol_high = np.where(np.isfinite(high), RELATIVE_TOLERANCE * np.abs(high), 0.0)
    above = np.where(low_inclusive, values >= low - tol_low, values > low + tol_low)
    below = np.where(high_inclusive, values <= high + tol_high, values < high - tol_high)
    return above & below


def rag_status(values, rules: Sequence[RagRule]) -> np.ndarray:
    """Green / Amber / Red per value, Grey when not rated, "" when the value is missing.

    The rules' bounds are stacked into arrays once, then every value is judged at once."""
    values = np.asarray(values, dtype=float).reshape(-1)
    if len(values) != len(rules):
        raise ValueError(f"{len(values)} values for {len(rules)} rules")
    bounds = np.array([(r.green_low, r.green_high, r.ok_low, r.ok_high) for r in rules], dtype=float).reshape(-1, 4)
    flags = np.array([(r.green_low_inclusive, r.green_high_inclusive, r.ok_low_inclusive, r.ok_high_inclusive,
                       r.rated) for r in rules], dtype=bool).reshape(-1, 5)
    with np.errstate(invalid="ignore"):
        green = _inside(values, bounds[:, 0], flags[:, 0], bounds[:, 1], flags[:, 1])
        ok = _inside(values, bounds[:, 2], flags[:, 2], bounds[:, 3], flags[:, 3])
    return np.select([np.isnan(values), ~flags[:, 4], green, ok], ["", NOT_RATED, GREEN, AMBER], RED).astype(object)


def green_limits(rule: RagRule) -> tuple[float, float]:
    """(low, high) of the green interval, NaN for an open end or an unrated rule."""
    if not rule.rated:
        return math.nan, math.nan
    return (rule.green_low if math.isfinite(rule.green_low) else math.nan,
            rule.green_high if math.isfinite(rule.green_high) else math.nan)
