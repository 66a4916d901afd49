"""Structured fields for a classified passage, by its label.

exercise  -> name, steps, sets, reps, hold_s, hold_breaths, rest_s, per_side, frequency,
             equipment, body_parts
citation  -> authors, title, journal, year, volume, issue, pages, pmid, doi
condition -> name, body_parts, symptoms, treatments
other labels have no fields (``None``).

Entities come from the entity stage, so names and lists use its spans; the numbers come
from ``pipeline.dosage`` and the bibliographic fields from ``pipeline.references``.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pipeline.dosage import parse_dosage
from pipeline.references import parse_reference
from pipeline.types import Entity

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])|\s+(?=(?:[•▪●►✓]|\d{1,2}[.)]|Step \d+[:.])\s)")


def _unique(values: Sequence[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.lower(), value)
    return list(seen.values())


_LIST_NUMBER = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|[•▪●►✓*#-]+|step\s+\d+\s*[:.)-]|exercise\s*#?\d+\s*[:.)-]?)\s*", re.IGNORECASE)


def _name(heading: str) -> str:
    """A heading as an exercise or condition name: no list number, bullet or trailing colon."""
    return _LIST_NUMBER.sub("", heading).strip(" :-–•")


def _of_type(entities: Sequence[Entity], label: str) -> list[str]:
    return _unique([e.text for e in entities if e.label == label])


def exercise_fields(text: str, heading: str | None, entities: Sequence[Entity]) -> dict[str, Any]:
    """Name, ordered steps, dosage, equipment and body parts of an exercise passage."""
    body = text[len(heading):].strip() if heading and text.startswith(heading) else text
    exercises = _of_type(entities, "EXERCISE")
    name = _name(heading) if heading else (exercises[0] if exercises else None)
    steps = [s.strip(" •▪●►✓") for s in _SENTENCE.split(body) if len(s.split()) >= 2]
    return {"name": name, "steps": steps, **parse_dosage(body),
            "equipment": _of_type(entities, "EQUIPMENT"), "body_parts": _of_type(entities, "BODY_PART")}


def condition_fields(text: str, heading: str | None, entities: Sequence[Entity]) -> dict[str, Any]:
    """The condition named first (or the heading), its body parts, symptoms and treatments."""
    conditions = _of_type(entities, "CONDITION")
    name = _name(heading) if heading else (conditions[0] if conditions else None)
    symptoms = [c for c in conditions if name is None or c.lower() != name.lower()]
    return {"name": name, "body_parts": _of_type(entities, "BODY_PART"), "symptoms": symptoms,
            "treatments": _of_type(entities, "TREATMENT")}


def structure_passage(label: str | None, text: str, heading: str | None,
                      entities: Sequence[Entity]) -> dict[str, Any] | None:
    """The fields of one passage for its label, or None for labels without fields."""
    if label == "exercise":
        return exercise_fields(text, heading, entities)
    if label == "citation":
        return parse_reference(text)
    if label == "condition":
        return condition_fields(text, heading, entities)
    return None
