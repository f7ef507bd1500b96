"""What the tool read each indicator as, and why: `scorecard check --explain`.

An officer who wonders why a year to date is a sum, or a figure shows no decimals, sees here
whether that was typed, inferred from the indicator's name, or the default for its unit.
"""

from __future__ import annotations

import pandas as pd

from .engine import ParsedWorkbook
from .indicators import KIND_FROM_NAME, KIND_TYPED, default_ytd
from .spc_inputs import describe_choices
from .vocabulary import COUNT, PERCENTAGE, SNAPSHOT, default_decimals


def explain(parsed: ParsedWorkbook) -> list[str]:
    """One line per indicator: its Ref, then what it is read as, each with where that came from."""
    settings = parsed.settings
    dot_band_default = "from Settings" if settings.dot_band_cell[1] else "the default: an exact comparison"
    return [f"{ref}  " + "; ".join(_parts(row, dot_band_default)) for ref, row in parsed.indicators.iterrows()]


def _parts(row: pd.Series, dot_band_default: str) -> list[str]:
    unit = row["unit"]
    parts = [_kind(row), _ytd(row), _decimals(row)]
    if unit == PERCENTAGE:
        parts.append("read as percent numbers (58.3 = 58.3%)" if row["percent_numbers"]
                     else "read as fractions (0.583 = 58.3%)")
    parts.append(f"DoT band {_percent(row['dot_band'])}, {'as typed' if row['dot_band_typed'] else dot_band_default}")
    spc_choices = describe_choices(row.get("spc_baseline"), row.get("spc_recalculate") or ())
    if spc_choices:
        parts.append(spc_choices)
    return parts


def _kind(row: pd.Series) -> str:
    if row["kind_basis"] == KIND_TYPED:
        return f"kind {row['kind']}, as typed"
    if row["kind_basis"] == KIND_FROM_NAME:
        words = ", ".join(f"'{word}'" for word in row["kind_words"])
        return f"kind {row['kind']}, from the words {words} in its name"
    return f"kind {row['kind']}, the default for {_a(row['unit'])}"


def _ytd(row: pd.Series) -> str:
    if row["ytd_typed"]:
        return f"year to date {row['ytd_rule']}, as typed"
    unit, kind = row["unit"], row["kind"]
    has_parts = bool(row["numerator"] and row["denominator"])
    if unit == COUNT:
        reason = f"the default for a count {'snapshot' if kind == SNAPSHOT else 'flow'}"
    elif has_parts and default_ytd(unit, kind, True) == "ratio":
        reason = "the default for a percentage with a Numerator and Denominator"
    else:
        reason = f"the default for {_a(unit)}"
    return f"year to date {row['ytd_rule']}, {reason}"


def _decimals(row: pd.Series) -> str:
    typed = row["decimals"]
    if typed is None or typed != typed:
        places, reason = default_decimals(row["unit"]), f"the default for {_a(row['unit'])}"
    else:
        places, reason = int(typed), "as typed"
    return f"{places} decimal{'' if places == 1 else 's'}, {reason}"


def _a(unit: str) -> str:
    word = unit.casefold()
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _percent(band: float) -> str:
    return f"{band * 100:.10g}%"
