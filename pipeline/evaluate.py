"""Evaluation of a bundle on labelled passages: labels, calibration, review flag, entities,
fields, and scores per topic, per source and per annotator confidence.

Each labelled record is scored as one passage (``--unit passage``), exactly as ``hap
classify`` would label it. Entities are scored only on records that carry an ``entities``
key (an empty list means "annotated, no entities"), by exact (start, end, type).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

from pipeline.classify import predict_proba
from pipeline.clean import clean_text
from pipeline.dosage import FIELDS as DOSAGE_FIELDS
from pipeline.dosage import parse_dosage
from pipeline.io.corpus import Labelled
from pipeline.metrics import (classification_scores, expected_calibration_error, field_accuracy,
                              review_stats, span_scores)
from pipeline.references import FIELDS as REFERENCE_FIELDS
from pipeline.references import parse_reference
from pipeline.run import _entities_on_raw
from pipeline.segment import whole_passage
from pipeline.types import ENTITY_TYPES

MIN_GROUP = 5


def _source(record: Labelled) -> str:
    url = record.extra.get("url")
    if isinstance(url, str) and url:
        return urlparse(url).netloc.removeprefix("www.")
    return record.source_style


def _annotator_confidence(record: Labelled) -> str:
    """The label's ``confidence`` ("sure", "borderline") where the annotators recorded one:
    errors on passages where a second label was a fair reading are a different matter from
    errors on clear ones."""
    value = record.extra.get("confidence")
    return value if isinstance(value, str) else ""


# groups scored separately when the data names them (groups of MIN_GROUP passages or more)
GROUPINGS = (("by_topic", lambda r: r.topic), ("by_source", _source), ("by_annotator_confidence", _annotator_confidence))


def evaluate_records(bundle: Any, records: Sequence[Labelled], review_threshold: float | None = None,
                     entities: bool = True, n_errors: int = 10) -> dict[str, Any]:
    """Scores of ``bundle`` on ``records`` as one JSON-able dict."""
    labels = bundle.labels
    texts = [clean_text(r.text) for r in records]
    proba = predict_proba(bundle.classifier, texts)
    classes = list(bundle.classifier.classes_)
    predicted = [classes[i] for i in proba.argmax(axis=1)]
    confidence = proba.max(axis=1)
    gold = [r.label for r in records]
    correct = [g == p for g, p in zip(gold, predicted)]
    unknown = sorted({g for g in gold if g not in labels})
    result: dict[str, Any] = {"model": str(bundle.path), "passages": len(records)}
    result["classification"] = classification_scores(gold, predicted, labels + unknown)
    if unknown:
        result["classification"]["unknown_gold_labels"] = unknown
    threshold = bundle.review_threshold if review_threshold is None else review_threshold
    result["calibration"] = {"ece": expected_calibration_error(confidence, correct)}
    result["review"] = review_stats(confidence, correct, threshold)
    errors = sorted((i for i in range(len(records)) if not correct[i]), key=lambda i: -confidence[i])
    result["confident_errors"] = [
        {"id": records[i].id, "where": records[i].where, "gold": gold[i], "predicted": predicted[i],
         "confidence": round(float(confidence[i]), 4), "text": records[i].text[:160]}
        for i in errors[:n_errors]]
    for name, key in GROUPINGS:
        groups: dict[str, list[int]] = defaultdict(list)
        for i, record in enumerate(records):
            if key(record):
                groups[key(record)].append(i)
        scored = {g: _group_scores(idx, gold, predicted, correct) for g, idx in groups.items() if len(idx) >= MIN_GROUP}
        if scored:
            result[name] = dict(sorted(scored.items(), key=lambda kv: kv[1]["accuracy"]))
    annotated = [r for r in records if r.annotated]
    if entities and annotated:
        result["entities"] = entity_scores(bundle.nlp, annotated)
    result["fields"] = field_scores(records)
    return result


def _group_scores(idx: list[int], gold: list[str], predicted: list[str], correct: list[bool]) -> dict[str, Any]:
    g = [gold[i] for i in idx]
    p = [predicted[i] for i in idx]
    labels = sorted(set(g) | set(p))
    return {"n": len(idx), "accuracy": round(sum(correct[i] for i in idx) / len(idx), 4),
            "macro_f1": classification_scores(g, p, labels)["macro_f1"]}


def entity_scores(nlp: Any, records: Sequence[Labelled]) -> dict[str, Any]:
    """Exact span-and-type P/R/F1 of the entity pipeline on annotated records."""
    gold, pred = [], []
    passages = [whole_passage(r.text).passages for r in records]
    texts = [p[0].clean_text if p else "" for p in passages]
    from pipeline.entities import doc_entities

    for record, parts, doc in zip(records, passages, nlp.pipe(texts, batch_size=128)):
        gold.append([(e["start"], e["end"], e["label"]) for e in record.entities])
        found = _entities_on_raw(parts[0], doc_entities(doc)) if parts else []
        pred.append([(e["start"], e["end"], e["label"]) for e in found])
    return span_scores(gold, pred, ENTITY_TYPES)


def field_scores(records: Sequence[Labelled]) -> dict[str, Any]:
    """Per-field accuracy of the dosage and reference parsers on records with field gold."""
    out = {}
    for label, keys, parse in (("exercise", DOSAGE_FIELDS, parse_dosage), ("citation", REFERENCE_FIELDS, parse_reference)):
        with_gold = [r for r in records if r.label == label and r.fields]
        if with_gold:
            out[label] = field_accuracy([r.fields for r in with_gold], [parse(r.text) for r in with_gold], keys)
    return out


def format_report(result: dict[str, Any]) -> str:
    """The evaluation as text tables (what ``hap evaluate`` prints)."""
    lines = [f"model: {result['model']}   passages: {result['passages']}", ""]
    cls = result["classification"]
    lines.append(f"{'label':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for label, s in cls["per_label"].items():
        lines.append(f"{label:<14}{s['precision']:>10.3f}{s['recall']:>10.3f}{s['f1']:>10.3f}{s['support']:>10}")
    lines.append(f"{'macro-F1':<14}{cls['macro_f1']:>30.3f}")
    lines.append(f"{'accuracy':<14}{cls['accuracy']:>30.3f}")
    lines += ["", "confusion (rows gold, columns predicted):"]
    short = [lab[:6] for lab in cls["labels"]]
    lines.append(" " * 14 + "".join(f"{s:>8}" for s in short))
    for label, row in zip(cls["labels"], cls["confusion"]):
        lines.append(f"{label:<14}" + "".join(f"{v:>8}" for v in row))
    rev = result["review"]
    lines += ["", f"calibration: ECE {result['calibration']['ece']:.3f}",
              f"review flag: threshold {rev['threshold']:.2f} flags {rev['flagged']:.1%} of passages, "
              f"catches {rev['errors_caught']:.1%} of errors"]
    if result.get("confident_errors"):
        lines += ["", "most confident errors:"]
        for e in result["confident_errors"]:
            lines.append(f"  {e['id'] or e['where']}: gold {e['gold']}, predicted {e['predicted']} "
                         f"({e['confidence']:.2f}) {e['text'][:80]!r}")
    for name, _ in GROUPINGS:
        if result.get(name):
            lines += ["", f"{name.replace('_', ' ')} (groups of {MIN_GROUP}+, worst first):"]
            for group, s in list(result[name].items())[:15]:
                lines.append(f"  {group[:40]:<42}n={s['n']:<5}accuracy {s['accuracy']:.3f}  macro-F1 {s['macro_f1']:.3f}")
    if "entities" in result:
        ent = result["entities"]
        lines += ["", f"{'entity type':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'gold':>8}{'pred':>8}"]
        for label, s in ent["per_type"].items():
            lines.append(f"{label:<14}{s['precision']:>10.3f}{s['recall']:>10.3f}{s['f1']:>10.3f}{s['gold']:>8}{s['predicted']:>8}")
        m = ent["micro"]
        lines.append(f"{'micro':<14}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>10.3f}{m['gold']:>8}{m['predicted']:>8}")
    for label, acc in result.get("fields", {}).items():
        lines += ["", f"{label} fields (n={acc['n']}): mean accuracy {acc['mean']:.3f}, all fields right {acc['all_fields']:.3f}"]
        lines.append("  " + ", ".join(f"{k} {v:.3f}" for k, v in acc["per_field"].items()))
    return "\n".join(lines)
