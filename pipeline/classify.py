"""The passage classifier: a scikit-learn Pipeline, and predictions with a review flag.

Word n-grams and character n-grams (robust to mojibake, typos and glued words) are hashed,
so the saved model holds no vocabulary and stays a few MB whatever the corpus size; the
``TextSignals`` block adds reference, instruction, promotion and layout cues. A multinomial
logistic regression gives probabilities; ``needs_review`` marks passages whose top
probability is below the bundle's threshold.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from pipeline.config import SEED
from pipeline.features import TextSignals
from pipeline.types import Prediction

WORD_FEATURES = 2 ** 17
CHAR_FEATURES = 2 ** 17


def _hashed_tfidf(**vectorizer: Any) -> Pipeline:
    return Pipeline([
        ("hash", HashingVectorizer(alternate_sign=False, norm=None, lowercase=True, **vectorizer)),
        ("tfidf", TfidfTransformer(sublinear_tf=True)),
    ])


def build_classifier(C: float = 8.0, signals: bool = True, signal_weight: float = 1.0,  # noqa: N803
                     char: bool = True, class_weight: str | None = "balanced",
                     random_state: int = SEED) -> Pipeline:
    """A fresh, unfitted classifier.

    Args:
        C: inverse regularisation strength of the logistic regression.
        signals: include the ``TextSignals`` block.
        signal_weight: scale of the signal block relative to the n-gram blocks.
        char: include character n-grams (2–5, within word boundaries).
        class_weight: ``"balanced"`` so that small labels are not drowned by large ones.
        random_state: seed of the solver.
    """
    blocks: list[tuple[str, Any]] = [
        ("word", _hashed_tfidf(analyzer="word", ngram_range=(1, 2), n_features=WORD_FEATURES,
                               token_pattern=r"(?u)\b\w+\b")),
    ]
    if char:
        blocks.append(("char", _hashed_tfidf(analyzer="char_wb", ngram_range=(2, 5), n_features=CHAR_FEATURES)))
    if signals:
        blocks.append(("signals", TextSignals(weight=signal_weight)))
    return Pipeline([
        ("features", FeatureUnion(blocks)),
        ("model", LogisticRegression(C=C, max_iter=3000, class_weight=class_weight, random_state=random_state)),
    ])


def predict_proba(classifier: Any, texts: Sequence[str]) -> np.ndarray:
    """Probabilities, one row per text, columns in ``classifier.classes_`` order."""
    if len(texts) == 0:
        return np.zeros((0, len(classifier.classes_)))
    return classifier.predict_proba(list(texts))


def predictions_from_proba(proba: np.ndarray, labels: Sequence[str], review_threshold: float) -> list[Prediction]:
    """Turn a probability matrix into ``Prediction`` objects with the review flag set."""
    out = []
    for row in proba:
        best = int(np.argmax(row))
        confidence = float(row[best])
        out.append(Prediction(
            label=str(labels[best]),
            confidence=round(confidence, 4),
            probabilities={str(label): round(float(p), 4) for label, p in zip(labels, row)},
            needs_review=confidence < review_threshold,
        ))
    return out


def predict_passages(classifier: Any, texts: Sequence[str], review_threshold: float) -> list[Prediction]:
    """Label each text; ``needs_review`` is set when the top probability < ``review_threshold``."""
    proba = predict_proba(classifier, texts)
    return predictions_from_proba(proba, list(classifier.classes_), review_threshold)
