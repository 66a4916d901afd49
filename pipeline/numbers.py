"""Numbers as web text writes them: digits, number words, fractions and ranges.

"three to four" -> {"min": 3, "max": 4}; "8-12" -> {"min": 8, "max": 12}; "a dozen" -> 12;
"½" -> 0.5. Shared by the dosage parser (sets, reps, holds) and anything else that reads
quantities.
"""
from __future__ import annotations

import re
from typing import Union

Number = Union[int, float, dict]

WORDS = {
    "zero": 0, "one": 1, "a single": 1, "single": 1, "two": 2, "a couple of": 2, "a couple": 2, "couple of": 2,
    "a pair of": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "a dozen": 12, "dozen": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "twenty-five": 25, "twenty five": 25, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50,
    "sixty": 60, "ninety": 90, "a hundred": 100, "hundred": 100, "half a": 0.5, "half": 0.5,
    "a half": 0.5, "an": 1, "a": 1,
}
FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "1½": 1.5, "1 ½": 1.5}

_WORD_ALT = "|".join(sorted((re.escape(w) for w in WORDS if w not in {"a", "an"}), key=len, reverse=True))
NUM = rf"(?:\d+(?:\.\d+)?(?:\s?½)?|[½¼¾]|\b(?:{_WORD_ALT})\b)"
RANGE_SEP = r"\s*(?:-|–|—|to|or|/)\s*"
RANGE = rf"(?:{NUM})(?:{RANGE_SEP}(?:{NUM}))?"
NUM_RE = re.compile(NUM, re.IGNORECASE)


def word_value(token: str) -> float | int | None:
    """The value of one number token ("12", "twelve", "½", "1.5"), or None."""
    token = token.strip().lower()
    if token in WORDS:
        return WORDS[token]
    if token in FRACTIONS:
        return FRACTIONS[token]
    if token.endswith("½"):
        base = token[:-1].strip()
        if base.isdigit():
            return int(base) + 0.5
    try:
        value = float(token.replace(",", "."))
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def parse_range(text: str, scale: float = 1) -> Number | None:
    """A number or ``{"min", "max"}`` range from text like "3", "three to four", "8-12"."""
    values = [word_value(m.group(0)) for m in NUM_RE.finditer(text)]
    values = [v for v in values if v is not None]
    if not values:
        return None
    scaled = [_tidy(v * scale) for v in values[:2]]
    if len(scaled) == 1 or scaled[0] == scaled[1]:
        return scaled[0]
    return {"min": min(scaled), "max": max(scaled)}


def _tidy(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)
