"""Scores shared by training (cross-validation) and evaluation: classification, calibration,
entities and fields. Pure functions over labels, probabilities and spans.
"""
from __future__ import annotations

import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support


def classification_scores(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Per-label precision/recall/F1/support, macro-F1, accuracy and the confusion matrix."""
    with warnings.catch_warnings():
        # small groups (one topic, one label) are scored too; sklearn warns about them though
        # ``labels`` fixes the shape
        warnings.filterwarnings("ignore", message="A single label was found")
        p, r, f, s = precision_recall_fscore_support(gold, predicted, labels=list(labels), zero_division=0)
        matrix = confusion_matrix(gold, predicted, labels=list(labels)).tolist() if gold else []
    per_label = {label: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                         "f1": round(float(f[i]), 4), "support": int(s[i])} for i, label in enumerate(labels)}
    present = [lab for lab in labels if per_label[lab]["support"] > 0]
    macro = float(np.mean([per_label[lab]["f1"] for lab in present])) if present else 0.0
    accuracy = float(np.mean([g == q for g, q in zip(gold, predicted)])) if gold else 0.0
    return {"labels": list(labels), "per_label": per_label, "macro_f1": round(macro, 4),
            "accuracy": round(accuracy, 4), "n": len(gold), "confusion": matrix}


def per_label_f1(scores: dict[str, Any]) -> dict[str, float]:
    """The F1 of each label in a ``classification_scores`` result."""
    return {label: values["f1"] for label, values in scores["per_label"].items()}


def expected_calibration_error(confidence: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """ECE: the confidence-weighted gap between confidence and accuracy over equal-width bins."""
    conf = np.asarray(confidence, dtype=float)
    hit = np.asarray(correct, dtype=float)
    if len(conf) == 0:
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        mask = (conf > lo) & (conf <= hi) if lo > 0 else (conf >= lo) & (conf <= hi)
        if mask.any():
            ece += mask.mean() * abs(conf[mask].mean() - hit[mask].mean())
    return round(float(ece), 4)


def choose_review_threshold(confidence: Sequence[float], correct: Sequence[bool], min_catch: float = 0.8,
                            max_flag: float = 0.25) -> dict[str, Any]:
    """The threshold that catches the most errors while flagging at most ``max_flag`` passages.

    Among thresholds meeting both targets the lowest is taken (fewest flags); when none
    catches ``min_catch`` of errors within ``max_flag``, the best catch within ``max_flag``.
    """
    conf = np.asarray(confidence, dtype=float)
    wrong = ~np.asarray(correct, dtype=bool)
    n_wrong = max(int(wrong.sum()), 1)
    candidates = []
    for t in np.round(np.arange(0.30, 0.951, 0.01), 2):
        flagged = conf < t
        candidates.append({"threshold": float(t), "flagged": round(float(flagged.mean()), 4),
                           "errors_caught": round(float((flagged & wrong).sum() / n_wrong), 4)})
    within = [c for c in candidates if c["flagged"] <= max_flag]
    meeting = [c for c in within if c["errors_caught"] >= min_catch]
    if meeting:
        chosen = min(meeting, key=lambda c: c["threshold"])
    elif within:
        chosen = max(within, key=lambda c: (c["errors_caught"], -c["threshold"]))
    else:
        chosen = candidates[0]
    return {**chosen, "targets_met": bool(meeting), "min_catch": min_catch, "max_flag": max_flag}


def review_stats(confidence: Sequence[float], correct: Sequence[bool], threshold: float) -> dict[str, float]:
    """Share of passages flagged and share of errors caught at ``threshold``."""
    conf = np.asarray(confidence, dtype=float)
    wrong = ~np.asarray(correct, dtype=bool)
    flagged = conf < threshold
    return {"threshold": threshold, "flagged": round(float(flagged.mean()), 4) if len(conf) else 0.0,
            "errors_caught": round(float((flagged & wrong).sum() / max(int(wrong.sum()), 1)), 4)}


def span_scores(gold: Iterable[Iterable[tuple[int, int, str]]], predicted: Iterable[Iterable[tuple[int, int, str]]],
                types: Sequence[str]) -> dict[str, Any]:
    """Exact-match (start, end, type) precision/recall/F1 per type and micro-averaged."""
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for g, p in zip(gold, predicted):
        gs, ps = set(g), set(p)
        for _, _, label in gs:
            n_gold[label] += 1
        for _, _, label in ps:
            n_pred[label] += 1
        for _, _, label in gs & ps:
            tp[label] += 1

    def prf(t: int, ng: int, np_: int) -> dict[str, Any]:
        precision = t / np_ if np_ else 0.0
        recall = t / ng if ng else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                "gold": ng, "predicted": np_}

    per_type = {t: prf(tp[t], n_gold[t], n_pred[t]) for t in types if n_gold[t] or n_pred[t]}
    micro = prf(sum(tp.values()), sum(n_gold.values()), sum(n_pred.values()))
    return {"per_type": per_type, "micro": micro}


def field_accuracy(gold: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any] | None],
                   keys: Sequence[str]) -> dict[str, Any]:
    """Per-field exact-value accuracy (and all-fields-right rate) over gold field records."""
    right: dict[str, int] = defaultdict(int)
    whole = 0
    for g, p in zip(gold, predicted):
        p = p or {}
        all_right = True
        for key in keys:
            if _same(g.get(key), p.get(key)):
                right[key] += 1
            else:
                all_right = False
        whole += all_right
    n = len(gold)
    per_field = {k: round(right[k] / n, 4) if n else 0.0 for k in keys}
    return {"n": n, "per_field": per_field, "mean": round(float(np.mean(list(per_field.values()))), 4) if n else 0.0,
            "all_fields": round(whole / n, 4) if n else 0.0}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        return abs(float(a) - float(b)) < 1e-9
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b
