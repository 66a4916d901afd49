"""Lexicon terms suggested by the corpus's own entity spans.

Why: the entity ruler finds only what ``corpus/lexicons`` lists, so a span the writers marked
("tai chi" as EXERCISE, "ribs" as BODY_PART) that no lexicon lists is a miss on every page
that names it. Writers also mark words that are entities only sometimes ("walking" is an
exercise in a workout plan, not in "walking aid"), so a term is suggested only when, across
the annotated passages, most of its free-standing occurrences carry that very span: an
occurrence inside a longer gold span does not count against it, because the ruler prefers
the longer match. PERSON and ORG are found by shape rules (``pipeline.name_patterns``), not
lists, so they are left out.

The thresholds were chosen by grouped cross-validation over topics on the corpus: terms
induced from half of the topics, entity micro-F1 measured on the other half (see the
datasheet, ``corpus/README.md``).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.matcher import PhraseMatcher

from pipeline.config import LEXICON_MIN_PRECISION, LEXICON_MIN_SPANS
from pipeline.io.corpus import Labelled
from pipeline.lexicons import lexicon_files, lexicon_forms
from pipeline.tokenizer import blank_english

INDUCED_TYPES = ("CONDITION", "BODY_PART", "EXERCISE", "TREATMENT", "EQUIPMENT")
INDUCED_HEADER = "# Terms added from the corpus's entity spans (hap corpus suggest-terms --write)."


@dataclass(frozen=True)
class TermEvidence:
    """How a span text is used across the annotated passages.

    Attributes:
        label: its entity type.
        term: the span text, lower-cased.
        spans: gold spans of this type with exactly this text.
        occurrences: free-standing occurrences of the text (not inside a longer gold span).
    """

    label: str
    term: str
    spans: int
    occurrences: int

    @property
    def precision(self) -> float:
        """Share of the free-standing occurrences that are gold spans of ``label``."""
        return self.spans / self.occurrences if self.occurrences else 0.0


def known_forms(lexicon_dir: Path) -> dict[str, str]:
    """``{lower-cased form: entity type}`` for every listed term and its variants, with the
    type the entity ruler gives it."""
    return {form: label for form, (label, _) in lexicon_forms(lexicon_dir).items()}


def _annotated(records: Sequence[Labelled]) -> list[Labelled]:
    return [r for r in records if r.entities]


def _span_text(record: Labelled, entity: dict) -> str:
    return " ".join(record.text[entity["start"]:entity["end"]].lower().split())


def lexicon_coverage(records: Sequence[Labelled], lexicon_dir: Path,
                     types: Sequence[str] = INDUCED_TYPES) -> dict[str, dict[str, float]]:
    """Per type: gold spans, and the share whose text a lexicon lists under that type."""
    forms = known_forms(lexicon_dir)
    spans: Counter[str] = Counter()
    listed: Counter[str] = Counter()
    for record in _annotated(records):
        for entity in record.entities:
            if entity["label"] in types:
                spans[entity["label"]] += 1
                listed[entity["label"]] += forms.get(_span_text(record, entity)) == entity["label"]
    return {label: {"spans": spans[label], "listed": round(listed[label] / spans[label], 3)}
            for label in types if spans[label]}


def term_evidence(records: Sequence[Labelled], lexicon_dir: Path,
                  types: Sequence[str] = INDUCED_TYPES) -> list[TermEvidence]:
    """Evidence for every span text of ``types`` that no lexicon lists yet.

    Occurrences are counted with spaCy's phrase matcher on lower-cased tokens, the way the
    entity ruler will match the term once it is listed.
    """
    annotated = _annotated(records)
    forms = known_forms(lexicon_dir)
    span_counts: Counter[tuple[str, str]] = Counter()
    for record in annotated:
        for entity in record.entities:
            text = _span_text(record, entity)
            if entity["label"] in types and len(text) > 2 and "#" not in text and text not in forms:
                span_counts[(entity["label"], text)] += 1
    if not span_counts:
        return []
    nlp = blank_english()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    terms = sorted({term for _, term in span_counts})
    for term, doc in zip(terms, nlp.tokenizer.pipe(terms)):
        matcher.add(term, [doc])
    occurrences: Counter[str] = Counter()
    for record, doc in zip(annotated, nlp.tokenizer.pipe(r.text for r in annotated)):
        gold = [(e["start"], e["end"]) for e in record.entities]
        for match_id, start, end in matcher(doc):
            begin, finish = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
            if not any(s <= begin and finish <= e and e - s > finish - begin for s, e in gold):
                occurrences[nlp.vocab.strings[match_id]] += 1
    by_term: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (label, term), n in span_counts.items():
        by_term[term].append((label, n))
    return sorted((TermEvidence(label, term, n, max(occurrences[term], n))
                   for term, labels in by_term.items() for label, n in labels),
                  key=lambda t: (t.label, -t.spans, t.term))


def suggest_terms(records: Sequence[Labelled], lexicon_dir: Path, min_spans: int = LEXICON_MIN_SPANS,
                  min_precision: float = LEXICON_MIN_PRECISION) -> list[TermEvidence]:
    """Span texts worth listing: marked at least ``min_spans`` times, and marked in at least
    ``min_precision`` of their free-standing occurrences. A text marked with two types goes
    to the type it is marked with more often."""
    best: dict[str, TermEvidence] = {}
    for evidence in term_evidence(records, lexicon_dir):
        if evidence.spans >= min_spans and evidence.precision >= min_precision:
            held = best.get(evidence.term)
            if held is None or evidence.spans > held.spans:
                best[evidence.term] = evidence
    return sorted(best.values(), key=lambda t: (t.label, t.term))


def append_terms(lexicon_dir: Path, terms: Sequence[TermEvidence]) -> dict[str, int]:
    """Append ``terms`` to their type's lexicon file, under a header that says where they
    came from. Returns the number of terms written per type."""
    written: dict[str, int] = {}
    Path(lexicon_dir).mkdir(parents=True, exist_ok=True)
    files = lexicon_files(lexicon_dir)
    for label in sorted({t.label for t in terms}):
        path = files.get(label, Path(lexicon_dir) / f"{label.lower()}.txt")
        existing = path.read_text(encoding="utf-8") if path.exists() else ""
        new = [t.term for t in terms if t.label == label]
        lines = ([] if INDUCED_HEADER in existing else ["", INDUCED_HEADER]) + new
        with open(path, "a", encoding="utf-8") as fh:
            if existing and not existing.endswith("\n"):
                fh.write("\n")
            fh.write("\n".join(lines) + "\n")
        written[label] = len(new)
    return written
