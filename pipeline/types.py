"""The dataclasses that flow between stages, and their conversion to pandas at the edges.

Stages pass these objects rather than dicts so that field names cannot drift between stages.
The label set is *not* defined here: it is read from the training data and stored in the
model bundle (see ``pipeline.bundle``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import pandas as pd

ENTITY_TYPES: tuple[str, ...] = (
    "CONDITION", "BODY_PART", "EXERCISE", "TREATMENT", "EQUIPMENT", "PERSON", "ORG",
)

# Columns of an output row, in order. ``meta`` carries extra input columns (url, title ...).
OUTPUT_COLUMNS: tuple[str, ...] = (
    "article_id", "passage", "start", "end", "text", "clean_text", "heading", "label",
    "confidence", "probabilities", "needs_review", "entities", "fields", "status", "error",
    "source", "meta",
)


@dataclass(frozen=True, slots=True)
class Article:
    """One input record: a whole scraped page (or, with ``--unit passage``, one passage)."""

    id: str
    text: str
    source: str = ""                      # "file:line" the record came from
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reject:
    """An input record that could not be read; counted and reported, never silently lost."""

    source: str                           # file path, or "-" for stdin
    line: int | None                      # 1-based line (or row) number, when known
    reason: str

    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


@dataclass(frozen=True, slots=True)
class Passage:
    """One paragraph of an article. ``article_text[start:end] == text`` always holds."""

    article_id: str
    index: int
    start: int
    end: int
    text: str
    clean_text: str
    heading: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """A character span inside a passage's ``clean_text``."""

    start: int
    end: int
    label: str
    text: str
    code: str | None = None               # optional link to a terminology code

    def as_dict(self) -> dict[str, Any]:
        d = {"start": self.start, "end": self.end, "label": self.label, "text": self.text}
        if self.code is not None:
            d["code"] = self.code
        return d


@dataclass(frozen=True, slots=True)
class Prediction:
    """The classifier's verdict on one passage."""

    label: str
    confidence: float
    probabilities: dict[str, float]
    needs_review: bool


@dataclass(slots=True)
class Row:
    """One output row: a passage with everything the pipeline found out about it."""

    article_id: str
    passage: int
    start: int
    end: int
    text: str
    clean_text: str
    heading: str | None = None
    label: str | None = None
    confidence: float | None = None
    probabilities: dict[str, float] | None = None
    needs_review: bool | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    fields: dict[str, Any] | None = None
    status: str = "ok"
    error: str | None = None
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A shallow dict of the row (nested values are shared, not copied).

        ``dataclasses.asdict`` deep-copies every entity and field dict, which cost a fifth
        of the no-entities run time; writers only read the values.
        """
        return {name: getattr(self, name) for name in _ROW_FIELDS}


_ROW_FIELDS = tuple(f.name for f in fields(Row))


def to_frame(rows: list[Row]) -> pd.DataFrame:
    """Rows to a DataFrame whose columns are the row field names, in output order."""
    return pd.DataFrame([r.as_dict() for r in rows], columns=list(OUTPUT_COLUMNS))


def from_frame(df: pd.DataFrame) -> list[Row]:
    """A DataFrame with output columns back to rows (extra columns are ignored)."""
    names = [c for c in OUTPUT_COLUMNS if c in df.columns]
    rows = []
    for rec in df[names].to_dict(orient="records"):
        rows.append(Row(**{k: _none_if_nan(v) for k, v in rec.items()}))
    return rows


def _none_if_nan(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    return value
