"""One chunk of articles through every stage: segment, classify, extract, structure.

``process_chunk`` is the unit of work of every engine (single process, worker processes,
Dask partitions), so all engines produce identical rows. It never raises for bad content:
an article whose segmentation fails, or a passage whose entity extraction or structuring
fails, becomes a row with ``status="error"`` and the message, and the chunk goes on.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.classify import predict_passages
from pipeline.clean import map_offsets, raw_span
from pipeline.entities import doc_entities
from pipeline.segment import Segmentation, segment_text, whole_passage
from pipeline.structure import structure_passage
from pipeline.types import Article, Entity, Passage, Reject, Row

log = logging.getLogger(__name__)

UNITS = ("article", "passage")


@dataclass(frozen=True)
class RunSettings:
    """What a run does to each chunk (and so what its checkpoints depend on).

    Args:
        unit: ``"article"`` segments each record; ``"passage"`` takes it as one passage.
        entities: run the spaCy entity stage (off: ``--no-entities``, much faster).
        structure: fill label-specific fields.
        review_threshold: overrides the bundle's threshold when set.
        nlp_batch_size: texts per ``nlp.pipe`` batch; 256 keeps spaCy's memory flat.
    """

    unit: str = "article"
    entities: bool = True
    structure: bool = True
    review_threshold: float | None = None
    nlp_batch_size: int = 256

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unit must be one of {UNITS}, not {self.unit!r}")


@dataclass
class ChunkStats:
    """Counts of one chunk, summed over the run for the summary line and the report."""

    articles: int = 0
    passages: int = 0
    dropped: int = 0
    errors: int = 0
    rejects: list[dict[str, Any]] = field(default_factory=list)

    def add(self, other: "ChunkStats") -> None:
        self.articles += other.articles
        self.passages += other.passages
        self.dropped += other.dropped
        self.errors += other.errors
        self.rejects.extend(other.rejects)

    def as_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "passages": self.passages, "dropped": self.dropped,
                "errors": self.errors, "rejects": len(self.rejects)}


def segment_article(article: Article, unit: str = "article") -> Segmentation:
    """The passages of one article (or the whole record as one passage)."""
    if unit == "passage":
        return whole_passage(article.text, article.id)
    return segment_text(article.text, article.id)


def _entities_on_raw(passage: Passage, found: list[Entity]) -> list[dict[str, Any]]:
    """Entities found on ``clean_text``, as spans of the raw passage text."""
    if not found:
        return []                   # the offset mapping (a diff) is the costly part: skip it
    if passage.clean_text == passage.text:
        return [e.as_dict() for e in found]
    mapping = map_offsets(passage.clean_text, passage.text)
    out = []
    for ent in found:
        start, end = raw_span(mapping, ent.start, ent.end, passage.text)
        out.append(Entity(start, end, ent.label, passage.text[start:end], ent.code).as_dict())
    return out


def process_chunk(records: Sequence[Article | Reject], bundle: Any, settings: RunSettings) -> tuple[list[Row], ChunkStats]:
    """Rows for every passage of ``records`` (in order) and the chunk's counts."""
    stats = ChunkStats()
    rows: list[Row] = []
    passages: list[tuple[Article, Passage]] = []
    for record in records:
        if isinstance(record, Reject):
            stats.rejects.append({"where": record.where(), "reason": record.reason})
            continue
        stats.articles += 1
        try:
            seg = segment_article(record, settings.unit)
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the chunk
            log.exception("segmentation failed for %s", record.id)
            stats.errors += 1
            rows.append(Row(record.id, 0, 0, len(record.text), record.text, record.text, status="error",
                            error=f"segmentation failed: {type(exc).__name__}: {exc}",
                            source=record.source, meta=record.meta))
            stats.passages += 1
            continue
        stats.dropped += seg.dropped
        if not seg.passages:
            stats.rejects.append({"where": record.source or record.id,
                                  "reason": f"no passage with words ({seg.dropped} wordless line(s) dropped)"})
            stats.articles -= 1
            continue
        passages.extend((record, p) for p in seg.passages)
    if not passages:
        return rows, stats
    threshold = settings.review_threshold if settings.review_threshold is not None else bundle.review_threshold
    predictions = predict_passages(bundle.classifier, [p.clean_text for _, p in passages], threshold)
    entity_lists: list[list[Entity]] = [[] for _ in passages]
    if settings.entities:
        docs = bundle.nlp.pipe((p.clean_text for _, p in passages), batch_size=settings.nlp_batch_size)
        entity_lists = [doc_entities(doc) for doc in docs]
    for (article, passage), pred, found in zip(passages, predictions, entity_lists):
        row = Row(article.id, passage.index, passage.start, passage.end, passage.text, passage.clean_text,
                  passage.heading, pred.label, pred.confidence, pred.probabilities, pred.needs_review,
                  source=article.source, meta=article.meta)
        try:
            row.entities = _entities_on_raw(passage, found)
            if settings.structure:
                row.fields = structure_passage(pred.label, passage.text, passage.heading,
                                               [Entity(**e) for e in row.entities])
        except Exception as exc:  # noqa: BLE001 - isolate the failing passage, keep its row
            log.exception("post-processing failed for %s #%d", article.id, passage.index)
            row.status, row.error = "error", f"{type(exc).__name__}: {exc}"
            stats.errors += 1
        rows.append(row)
        stats.passages += 1
    return rows, stats
