"""The passage classifier: a scikit-learn Pipeline, and predictions with a review flag.

Words and character n-grams (robust to mojibake, typos and glued words) are hashed
(once per distinct word, see ``pipeline.hashing``), so the saved
model holds no vocabulary and stays a few MB whatever the corpus size; the
``TextSignals`` block adds reference, instruction, promotion and layout cues. A multinomial
logistic regression gives probabilities; ``needs_review`` marks passages whose top
probability is below the bundle's threshold. Training can add passages with general
sentences mixed in (``pipeline.augment``); prediction never sees them.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.utils.validation import check_is_fitted
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from pipeline.augment import SentenceMixTraining
from pipeline.config import SEED
from pipeline.features import TextSignals
from pipeline.hashing import WordNgramHasher, WordwiseCharHasher
from pipeline.types import Prediction

WORD_FEATURES = 2 ** 17
CHAR_FEATURES = 2 ** 17


def _tfidf(hasher: Any) -> Pipeline:
    return Pipeline([("hash", hasher), ("tfidf", TfidfTransformer(sublinear_tf=True))])


def build_classifier(C: float = 8.0, signals: bool = True, signal_weight: float = 1.0,  # noqa: N803
                     signal_groups: tuple[str, ...] = ("reference", "instruction", "promotion", "layout"),
                     char: bool = True, char_ngrams: tuple[int, int] = (2, 5),
                     word_bigrams: bool = True,
                     class_weight: str | None = "balanced",
                     mix_sentences: dict[str, Any] | None = None,
                     random_state: int = SEED) -> Any:
    """A fresh, unfitted classifier.

    Args:
        C: inverse regularisation strength of the logistic regression.
        signals: include the ``TextSignals`` block.
        signal_weight: scale of the signal block relative to the n-gram blocks.
        signal_groups: which ``TextSignals`` groups to include.
        char: include character n-grams (within word boundaries).
        char_ngrams: their length range; (2, 5) read best on dev.
        word_bigrams: also count adjacent-word pairs. On by default so that bundles trained
            before the option existed refit as they were trained; the training candidates turn
            it off (see ``pipeline.train``).
        class_weight: ``"balanced"`` so that small labels are not drowned by large ones.
        mix_sentences: ``{"targets": [...], "source": label, "copies": n}`` to train on the
            passages plus variants with sentences of ``source`` passages mixed in
            (``pipeline.augment``); ``None`` trains on the passages as they are.
        random_state: seed of the solver and of the sentence draws.
    """
    blocks: list[tuple[str, Any]] = [
        ("word", _tfidf(WordNgramHasher(n_features=WORD_FEATURES, bigrams=word_bigrams))),
    ]
    if char:
        blocks.append(("char", _tfidf(WordwiseCharHasher(ngram_range=tuple(char_ngrams), n_features=CHAR_FEATURES))))
    if signals:
        blocks.append(("signals", TextSignals(weight=signal_weight, groups=tuple(signal_groups))))
    pipeline = Pipeline([
        ("features", FeatureUnion(blocks)),
        ("model", LogisticRegression(C=C, max_iter=3000, class_weight=class_weight, random_state=random_state)),
    ])
    if not mix_sentences:
        return pipeline
    return SentenceMixTraining(pipeline, targets=tuple(mix_sentences.get("targets", ())),
                               source=str(mix_sentences.get("source", "")),
                               copies=int(mix_sentences.get("copies", 1)), seed=random_state)


def estimator_layers(model: Any) -> Iterator[Any]:
    """``model`` and each fitted estimator it wraps (``estimator_``), outermost first: the
    calibration and sentence-mixing wrappers, then the feature-and-model Pipeline."""
    while model is not None:
        yield model
        model = getattr(model, "estimator_", None)


PREDICT_BATCH = 1000


def predict_proba(classifier: Any, texts: Sequence[str], batch_size: int = PREDICT_BATCH) -> np.ndarray:
    """Probabilities, one row per text, columns in ``classifier.classes_`` order.

    Texts go through the feature blocks ``batch_size`` at a time: the hashed n-gram matrices
    of a 4,000-passage chunk and their tf-idf copies take over 100 MB at once, which is the
    peak of a worker's memory; 1,000 at a time costs nothing in speed.
    """
    texts = list(texts)
    if not texts:
        return np.zeros((0, len(classifier.classes_)))
    return np.vstack([classifier.predict_proba(texts[i:i + batch_size]) for i in range(0, len(texts), batch_size)])


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


def scale_probabilities(proba: np.ndarray, temperature: float) -> np.ndarray:
    """Temperature scaling: softmax(log p / T). T > 1 softens, T < 1 sharpens; argmax is unchanged."""
    logits = np.log(np.clip(proba, 1e-12, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    out = np.exp(logits)
    return out / out.sum(axis=1, keepdims=True)


def fit_temperature(proba: np.ndarray, labels: Sequence[str], classes: Sequence[str]) -> float:
    """The temperature that minimises the log loss of out-of-fold probabilities."""
    from scipy.optimize import minimize_scalar

    index = {c: i for i, c in enumerate(classes)}
    rows = np.arange(len(labels))
    cols = np.array([index[label] for label in labels])

    def nll(log_t: float) -> float:
        p = scale_probabilities(proba, float(np.exp(log_t)))
        return float(-np.log(np.clip(p[rows, cols], 1e-12, 1.0)).mean())

    result = minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded")
    return round(float(np.exp(result.x)), 4)


class TemperatureScaledClassifier(ClassifierMixin, BaseEstimator):
    """A classifier whose probabilities are temperature-scaled (calibrated).

    The temperature is a hyperparameter chosen by training on out-of-fold probabilities
    (``fit_temperature``), so ``fit`` only fits the wrapped estimator and the scaled
    probabilities keep its ``classes_`` order and its argmax.

    Args:
        estimator: the classifier to wrap (cloned on fit).
        temperature: T in softmax(log p / T).
    """

    def __init__(self, estimator: Any = None, temperature: float = 1.0) -> None:
        self.estimator = estimator
        self.temperature = temperature

    def fit(self, X, y):  # noqa: N803 - sklearn naming
        if self.temperature <= 0:
            raise ValueError(f"temperature must be positive, got {self.temperature}")
        self.estimator_ = clone(self.estimator).fit(X, y)
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X):  # noqa: N803
        check_is_fitted(self, "estimator_")
        return scale_probabilities(self.estimator_.predict_proba(X), self.temperature)

    def predict(self, X):  # noqa: N803
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
