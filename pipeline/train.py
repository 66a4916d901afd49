"""Training: corpus files -> a model bundle, with model selection by grouped cross-validation.

Cross-validation groups passages by topic (``StratifiedGroupKFold``), so no topic is on both
sides of a split: the scores estimate how the model does on pages about topics it has not
seen, which is what a new dump brings. The candidate with the best cross-validated macro-F1
is refit on everything; its out-of-fold probabilities choose the review threshold.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from pipeline.augment import subject_masked_copies
from pipeline.bundle import save_bundle
from pipeline.classify import (TemperatureScaledClassifier, build_classifier, estimator_layers, fit_temperature,
                               scale_probabilities)
from pipeline.clean import clean_text
from pipeline.config import SEED, default_lexicon_dir
from pipeline.errors import Msg, TrainingDataError
from pipeline.io.corpus import Labelled, labelled_files, read_labelled
from pipeline.metrics import choose_review_threshold, classification_scores, expected_calibration_error, per_label_f1

log = logging.getLogger(__name__)

# Words + character n-grams at two regularisation strengths, with and without balanced class
# weights. Every candidate trains on the passages plus three copies of each condition and
# exercise passage with general sentences mixed in (pipeline.augment). Like a feature, that
# choice was made on the real dev set, because grouped CV on the synthetic corpus cannot see
# it (0.925-0.928 with or without, the order changing with the hashing): without mixing
# macro-F1 0.810; one copy 0.820, 0.820, 0.828 and 0.821 over four draw seeds (13, 1, 2, 3);
# three copies 0.826, 0.822, 0.835 and 0.831 (mean 0.829); five copies the same mean. The
# TextSignals blocks are not offered: measured on the real dev set, adding the reference,
# instruction and promotion signals cost 0.02 macro-F1 (0.798 against 0.819) and tripled the
# fitting time, and the layout signals cost 0.17 (they fit the corpus's passage lengths). See
# the issue 4 closing notes. Subject-masked copies (TrainSettings.mask_subjects) were chosen the
# same way, after the corpus gained mid-article passages: over eight draw seeds (13, 1-7) dev
# macro-F1 0.833-0.839 (mean 0.836) without them, 0.830-0.845 (mean 0.840) with them; grouped
# CV 0.930 either way. Word bigrams were dropped the same way; they seem to fit the corpus
# writers' recurring sentence frames (grouped CV 0.930 with them, 0.926 without). Over the
# same eight draw seeds dev macro-F1 rose from 0.830-0.845 (mean 0.840) with them to
# 0.839-0.857 (mean 0.847) without, higher on seven of the eight; `other` mean 0.722 -> 0.734.
MIX_GENERAL_SENTENCES = {"targets": ["condition", "exercise"], "source": "other", "copies": 3}
WORDS_AND_CHARS = {"signals": False, "word_bigrams": False}     # the feature blocks every candidate uses
DEFAULT_CANDIDATES: tuple[dict[str, Any], ...] = (
    {"C": 4.0, **WORDS_AND_CHARS, "class_weight": None, "mix_sentences": MIX_GENERAL_SENTENCES},
    {"C": 16.0, **WORDS_AND_CHARS, "mix_sentences": MIX_GENERAL_SENTENCES},
    {"C": 16.0, **WORDS_AND_CHARS, "class_weight": None, "mix_sentences": MIX_GENERAL_SENTENCES},
)


@dataclass(frozen=True)
class TrainSettings:
    """Choices of a training run (all stored in the bundle's meta.json)."""

    candidates: tuple[dict[str, Any], ...] = DEFAULT_CANDIDATES
    folds: int = 5
    ner_epochs: int = 0                 # 0: entity ruler only; >0: also train a spaCy NER
    lexicon_dir: Path | None = None
    seed: int = SEED
    min_catch: float = 0.8
    max_flag: float = 0.25
    n_jobs: int = 2                     # cross-validation folds fitted in parallel
    mask_subjects: bool = True          # also fit on subject-masked copies (pipeline.augment)
    extra: dict[str, Any] = field(default_factory=dict)


def _key(text: str) -> str:
    return " ".join(clean_text(text).lower().split())


def merge_records(records: Sequence[Labelled]) -> list[Labelled]:
    """One record per passage text: a later record (a correction) replaces an earlier one."""
    latest: dict[str, Labelled] = {}
    for record in records:
        latest.pop(_key(record.text), None)
        latest[_key(record.text)] = record
    return list(latest.values())


def corpus_hash(records: Sequence[Labelled]) -> str:
    digest = hashlib.sha256()
    for r in records:
        digest.update(json.dumps([r.text, r.label, r.entities, r.fields], sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def _mixed_copies(classifier: Any, params: dict[str, Any]) -> int | None:
    """How many mixed-sentence copies the final fit added, or None when mixing was not asked for."""
    if not params.get("mix_sentences"):
        return None
    return next((int(layer.n_added_) for layer in estimator_layers(classifier) if hasattr(layer, "n_added_")), 0)


def _groups(records: Sequence[Labelled]) -> list[str]:
    return [r.topic or r.where.rsplit(":", 1)[0] for r in records]


def training_set(texts: Sequence[str], labels: Sequence[str], subjects: Sequence[str] | None,
                 seed: int) -> tuple[list[str], list[str]]:
    """The passages a classifier is fitted on: ``texts`` plus, when ``subjects`` (the topics)
    are given, a copy of each condition and exercise passage that refers to its topic instead
    of naming it (``pipeline.augment.subject_masked_copies``). Only fits see the copies, so
    cross-validation scores the passages as they are."""
    out_texts, out_labels = list(texts), [str(v) for v in labels]
    if subjects is not None:
        extra_texts, extra_labels = subject_masked_copies(texts, out_labels, subjects, seed)
        out_texts += extra_texts
        out_labels += extra_labels
    return out_texts, out_labels


def bundle_training_set(records: Sequence[Labelled], classifier_meta: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The texts and labels a bundle's classifier was fitted on, rebuilt from its ``records``
    and its ``meta.json`` classifier entry (subject-masked copies only when the bundle used
    them), so that benchmarks and learning curves train what the bundle trained."""
    texts = [clean_text(r.text) for r in records]
    subjects = [r.topic for r in records] if classifier_meta.get("subject_masked_copies") else None
    return training_set(texts, [r.label for r in records], subjects, classifier_meta.get("seed", SEED))


def _fold_proba(texts: list[str], y: np.ndarray, train_idx: np.ndarray, test_idx: np.ndarray,
                params: dict[str, Any], seed: int,
                subjects: list[str] | None = None) -> tuple[np.ndarray, list[str], np.ndarray]:
    model = build_classifier(random_state=seed, **params)
    fit_texts, fit_labels = training_set([texts[i] for i in train_idx], y[train_idx],
                                         None if subjects is None else [subjects[i] for i in train_idx], seed)
    model.fit(fit_texts, np.asarray(fit_labels))
    return test_idx, list(model.classes_), model.predict_proba([texts[i] for i in test_idx])


def cross_validate(texts: list[str], labels: list[str], groups: list[str], params: dict[str, Any],
                   folds: int, seed: int, n_jobs: int = 1, subjects: list[str] | None = None) -> np.ndarray:
    """Out-of-fold probabilities (columns in sorted label order) for one candidate.

    Folds are independent, so ``n_jobs`` > 1 fits them in parallel processes; the result
    does not depend on ``n_jobs``. ``subjects`` adds subject-masked copies to each fold's
    training passages (``training_set``).
    """
    from joblib import Parallel, delayed

    classes = sorted(set(labels))
    n_folds = min(folds, len(set(groups)))
    if n_folds < 2:
        raise TrainingDataError(Msg.E031.format(where="corpus", detail="cross-validation needs passages from at least 2 topics"))
    splitter = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    proba = np.zeros((len(texts), len(classes)))
    y = np.asarray(labels)
    results = Parallel(n_jobs=n_jobs)(delayed(_fold_proba)(texts, y, train_idx, test_idx, params, seed, subjects)
                                      for train_idx, test_idx in splitter.split(texts, y, groups))
    for test_idx, fold_classes, fold_proba in results:
        cols = [classes.index(c) for c in fold_classes]
        proba[np.ix_(test_idx, cols)] = fold_proba
    return proba


def train_bundle(paths: Sequence[str | Path], output: str | Path, settings: TrainSettings = TrainSettings(),
                 report: Callable[[str], None] = log.info) -> dict[str, Any]:
    """Train a classifier and an entity pipeline on labelled files and save a bundle.

    Args:
        paths: corpus files or folders (JSONL), corrections last (a later record wins).
        output: the bundle folder to write.
        settings: candidates, folds, NER epochs, lexicon folder, seed.
        report: called with progress messages (the CLI prints them on stderr).

    Returns:
        The bundle's meta.json content.
    """
    started = time.perf_counter()
    files = labelled_files(paths)
    records = merge_records(read_labelled(files))
    counts = Counter(r.label for r in records)
    if len(counts) < 2 or min(counts.values()) < 2:
        raise TrainingDataError(Msg.E033.format(counts=dict(counts)))
    texts = [clean_text(r.text) for r in records]
    labels = [r.label for r in records]
    groups = _groups(records)
    subjects = [r.topic for r in records] if settings.mask_subjects else None
    classes = sorted(counts)
    report(f"{len(records):,} passages, {len(classes)} labels, {len(set(groups))} topics from {len(files)} file(s)")

    selection = []
    best: tuple[float, int, np.ndarray] | None = None
    for i, params in enumerate(settings.candidates):
        t0 = time.perf_counter()
        proba = cross_validate(texts, labels, groups, params, settings.folds, settings.seed, settings.n_jobs, subjects)
        predicted = [classes[j] for j in proba.argmax(axis=1)]
        scores = classification_scores(labels, predicted, classes)
        selection.append({"params": params, "cv_macro_f1": scores["macro_f1"],
                          "cv_per_label_f1": per_label_f1(scores),
                          "seconds": round(time.perf_counter() - t0, 1)})
        report(f"candidate {params}: grouped-CV macro-F1 {scores['macro_f1']:.4f}")
        if best is None or scores["macro_f1"] > best[0]:
            best = (scores["macro_f1"], i, proba)
    assert best is not None
    _, best_index, raw_oof = best
    params = settings.candidates[best_index]
    temperature = fit_temperature(raw_oof, labels, classes)
    oof = scale_probabilities(raw_oof, temperature)
    report(f"temperature {temperature} (out-of-fold ECE {expected_calibration_error(raw_oof.max(axis=1), [classes[j] == g for j, g in zip(raw_oof.argmax(axis=1), labels)]):.3f} -> "
           f"{expected_calibration_error(oof.max(axis=1), [classes[j] == g for j, g in zip(oof.argmax(axis=1), labels)]):.3f})")
    predicted = [classes[j] for j in oof.argmax(axis=1)]
    confidence = oof.max(axis=1)
    correct = [p == g for p, g in zip(predicted, labels)]
    threshold = choose_review_threshold(confidence, correct, settings.min_catch, settings.max_flag)
    cv_scores = classification_scores(labels, predicted, classes)
    cv_scores["ece"] = expected_calibration_error(confidence, correct)

    classifier = TemperatureScaledClassifier(build_classifier(random_state=settings.seed, **params), temperature)
    fit_texts, fit_labels = training_set(texts, labels, subjects, settings.seed)
    classifier.fit(fit_texts, fit_labels)
    if subjects is not None:
        report(f"training copies that refer to their topic instead of naming it: {len(fit_texts) - len(texts):,}")
    mixed = _mixed_copies(classifier, params)
    if mixed is not None:
        report(f"training copies with sentences mixed in: {mixed:,}" if mixed else
               f"sentence mixing skipped: the data has no {params['mix_sentences']['source']!r} passages "
               f"or no {params['mix_sentences']['targets']} passages")
    nlp, ner_info = build_entities(records, settings, report)
    meta = {
        "labels": [str(c) for c in classifier.classes_],
        "classifier": {"params": params, "temperature": temperature, "selection": selection, "cv": cv_scores, "folds": settings.folds,
                       "mixed_copies": mixed, "subject_masked_copies": len(fit_texts) - len(texts),
                       "grouped_by": "topic", "seed": settings.seed},
        "review_threshold": threshold["threshold"],
        "review": threshold,
        "entities": ner_info,
        "corpus": {"files": [str(f) for f in files], "passages": len(records), "label_counts": dict(counts),
                   "topics": len(set(groups)), "sha256": corpus_hash(records)},
        "training_seconds": round(time.perf_counter() - started, 1),
    }
    save_bundle(Path(output), classifier, nlp, meta)
    report(f"saved {output} (CV macro-F1 {cv_scores['macro_f1']:.4f}, review threshold {threshold['threshold']:.2f})")
    return meta


def build_entities(records: Sequence[Labelled], settings: TrainSettings,
                   report: Callable[[str], None]) -> tuple[Any, dict[str, Any]]:
    """The entity pipeline: lexicon ruler, plus a trained NER when ``ner_epochs`` > 0."""
    from pipeline.entities import build_entity_pipeline
    from pipeline.lexicons import load_patterns

    lexicon_dir = Path(settings.lexicon_dir) if settings.lexicon_dir else default_lexicon_dir()
    info: dict[str, Any] = {"lexicon_dir": str(lexicon_dir), "patterns": len(load_patterns(lexicon_dir)),
                            "ner": None}
    ner_nlp = None
    annotated = [r for r in records if r.annotated]
    if settings.ner_epochs > 0 and annotated:
        from pipeline.ner import train_ner

        ner_nlp, ner_info = train_ner(annotated, epochs=settings.ner_epochs, seed=settings.seed, report=report)
        info["ner"] = ner_info
    return build_entity_pipeline(lexicon_dir, ner_nlp), info
