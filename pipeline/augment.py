"""Training-time augmentation: labelled passages with general sentences mixed in, and copies
whose subject is referred to instead of named (``subject_masked_copies``).

Why: the corpus writers make condition and exercise passages that are all condition or all
exercise, so the classifier learns that plain expository sentences ("They can work well, but
some people find them uncomfortable.") mean `other`. On real pages those sentences sit inside
condition and exercise passages all the time, and ANNOTATION.md decides by the passage's main
purpose, asking about exercise and condition before `other`: one general sentence does not
turn a treatment paragraph into general advice. Copies of the target passages with one or two
sentences from `other` passages put before or after them teach exactly that. Boilerplate and
citations are not targets: they are recognised by their surface (a reference entry, a cookie
notice) and real ones do not carry advice sentences.

Measured with grouped cross-validation on the corpus and on the real development pages; see
the README's quality table and ``pipeline.train.DEFAULT_CANDIDATES``.
"""
from __future__ import annotations

import random
import re
from functools import lru_cache
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from pipeline.config import SEED

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(]?[A-Z])")


def sentences(text: str, min_words: int = 5, max_words: int = 30) -> list[str]:
    """The sentences of ``text`` whose length is between ``min_words`` and ``max_words``."""
    return [s for s in _SENTENCE_END.split(text.strip()) if min_words <= len(s.split()) <= max_words]


def mix_in_sentences(texts: Sequence[str], labels: Sequence[str], targets: Sequence[str], source: str,
                     copies: int = 1, seed: int = SEED) -> tuple[list[str], list[str]]:
    """The passages plus ``copies`` variants of each ``targets`` passage with source sentences added.

    Each variant gets one sentence (two, one time in three) drawn from the ``source`` passages,
    before or after the passage with equal odds; it keeps its label. Deterministic for a given
    input order and ``seed``. Labels missing from the data are skipped, so a label set without
    ``source`` or ``targets`` trains on the passages unchanged.
    """
    out_texts, out_labels = list(texts), list(labels)
    pool = [s for text, label in zip(texts, labels) if label == source for s in sentences(text)]
    wanted = set(targets)
    if copies <= 0 or len(pool) < 2 or not wanted & set(labels):
        return out_texts, out_labels
    rng = random.Random(seed)
    for text, label in zip(texts, labels):
        if label not in wanted:
            continue
        for _ in range(copies):
            added = " ".join(rng.sample(pool, 2 if rng.random() < 1 / 3 else 1))
            out_texts.append(f"{added} {text}" if rng.random() < 0.5 else f"{text} {added}")
            out_labels.append(label)
    return out_texts, out_labels


# What a later paragraph of an article calls its subject once the heading has named it.
_SUBJECT_REFERENCES = {
    "condition": ("it", "this condition", "the problem", "this"),
    "exercise": ("this exercise", "the move", "it", "this one"),
}
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")


@lru_cache(maxsize=4096)
def _mention_pattern(subject: str) -> re.Pattern[str]:
    """The whole-word, any-case pattern of a subject (a topic is shared by many passages)."""
    return re.compile(r"\b" + re.escape(subject) + r"\b", re.IGNORECASE)


def mask_subject(text: str, subject: str, label: str, rng: random.Random) -> str | None:
    """``text`` with every mention of ``subject`` replaced by a back-reference, or None.

    Why: a scraped article is split into paragraphs, and most paragraphs after the first refer
    to the article's subject ("It usually settles in six weeks.") instead of naming it. Corpus
    passages name their subject, so without these copies the classifier ties the condition and
    exercise labels to the names it was trained on and reads unnamed or unseen subjects as
    `other`. None when the text does not mention the subject or the label has no references.
    """
    references = _SUBJECT_REFERENCES.get(label)
    subject = subject.strip()
    if not references or len(subject) < 4:
        return None
    mention = _mention_pattern(subject)
    if not mention.search(text):
        return None
    masked = mention.sub(lambda _: rng.choice(references), text)
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), masked)


def subject_masked_copies(texts: Sequence[str], labels: Sequence[str], subjects: Sequence[str],
                          seed: int = SEED) -> tuple[list[str], list[str]]:
    """One ``mask_subject`` copy of each condition and exercise passage that names its subject
    (its topic), keeping the label; only the copies are returned. Deterministic for a given
    input order and ``seed``."""
    rng = random.Random(seed)
    out_texts: list[str] = []
    out_labels: list[str] = []
    for text, label, subject in zip(texts, labels, subjects):
        masked = mask_subject(text, subject or "", label, rng)
        if masked is not None:
            out_texts.append(masked)
            out_labels.append(label)
    return out_texts, out_labels


class SentenceMixTraining(ClassifierMixin, BaseEstimator):
    """Fits ``estimator`` on the passages plus their mixed variants (``mix_in_sentences``).

    Only ``fit`` sees the variants; prediction is the wrapped estimator's, so cross-validation
    scores held-out passages as they are.

    Args:
        estimator: the classifier to fit (cloned on fit).
        targets: labels whose passages get variants.
        source: label whose sentences are mixed in.
        copies: variants per target passage.
        seed: seed of the sentence draws.
    """

    def __init__(self, estimator: Any = None, targets: tuple[str, ...] = (), source: str = "",
                 copies: int = 1, seed: int = SEED) -> None:
        self.estimator = estimator
        self.targets = targets
        self.source = source
        self.copies = copies
        self.seed = seed

    def fit(self, X, y):  # noqa: N803 - sklearn naming
        texts, labels = mix_in_sentences(list(X), [str(v) for v in y], self.targets, self.source, self.copies, self.seed)
        self.estimator_ = clone(self.estimator).fit(texts, np.asarray(labels))
        self.classes_ = self.estimator_.classes_
        self.n_added_ = len(texts) - len(X)
        return self

    def predict_proba(self, X):  # noqa: N803
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict_proba(X)

    def predict(self, X):  # noqa: N803
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict(X)
