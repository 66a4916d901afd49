"""Hashed character n-grams computed once per distinct word instead of once per occurrence.

``HashingVectorizer(analyzer="char_wb")`` builds the n-grams of every word of every text
in Python, which made it the slowest stage of the whole no-entities pipeline. Its n-grams
never cross a word boundary, so a text's counts are the sum of its words' counts: this
transformer hashes each distinct word once and sums the words with one sparse matrix
product. Words seen in earlier batches are kept in a bounded cache (web text reuses a small
vocabulary), so a long run hashes almost nothing after its first chunks. The output is
identical to the sklearn vectorizer's, so models keep their scores.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import HashingVectorizer

CACHE_WORDS = 30_000      # about 8 MB of per-word column arrays


class WordwiseCharHasher(TransformerMixin, BaseEstimator):
    """Counts of hashed ``char_wb`` n-grams, lowercased, equal to
    ``HashingVectorizer(analyzer="char_wb", alternate_sign=False, norm=None)``.

    Stateless like the vectorizer it replaces: ``fit`` learns nothing, so it is safe in
    cross-validation and the pickled model holds no vocabulary (the word cache is not pickled).

    Args:
        ngram_range: smallest and largest n-gram length.
        n_features: number of hash buckets (columns).
    """

    def __init__(self, ngram_range: tuple[int, int] = (2, 5), n_features: int = 2 ** 17) -> None:
        self.ngram_range = ngram_range
        self.n_features = n_features

    def fit(self, X: Iterable[str], y: object = None) -> "WordwiseCharHasher":  # noqa: N803 - sklearn naming
        return self

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_cache", None)
        return state

    def clear_cache(self) -> None:
        """Forget the hashed words (benchmarks use this to time a cold start)."""
        self.__dict__.pop("_cache", None)

    def _word_hasher(self) -> HashingVectorizer:
        return HashingVectorizer(analyzer="char_wb", ngram_range=tuple(self.ngram_range), n_features=self.n_features,
                                 alternate_sign=False, norm=None, lowercase=False)

    def _word_rows(self, words: list[str]) -> sp.csr_matrix:
        """One row of n-gram counts per word, from the cache or hashed now."""
        cache: dict[str, tuple[np.ndarray, np.ndarray]] = self.__dict__.setdefault("_cache", {})
        missing = [w for w in words if w not in cache]
        if len(cache) + len(missing) > CACHE_WORDS:
            cache.clear()
            if len(words) > CACHE_WORDS:      # a batch larger than the cache: hash it directly
                return self._word_hasher().transform(words)
            missing = words
        if missing:
            hashed = self._word_hasher().transform(missing)
            for i, word in enumerate(missing):
                lo, hi = hashed.indptr[i], hashed.indptr[i + 1]
                cache[word] = (hashed.indices[lo:hi].copy(), hashed.data[lo:hi].astype(np.float32))
        rows = [cache[w] for w in words]
        indptr = np.concatenate(([0], np.cumsum([len(r[0]) for r in rows])))
        indices = np.concatenate([r[0] for r in rows])
        data = np.concatenate([r[1] for r in rows])
        return sp.csr_matrix((data, indices, indptr), shape=(len(words), self.n_features))

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:  # noqa: N803
        """One row per text: the summed n-gram counts of its lowercased words."""
        vocabulary: dict[str, int] = {}
        columns: list[int] = []
        indptr = [0]
        for text in X:
            for word in text.lower().split():
                columns.append(vocabulary.setdefault(word, len(vocabulary)))
            indptr.append(len(columns))
        n_texts = len(indptr) - 1
        if not vocabulary:
            return sp.csr_matrix((n_texts, self.n_features), dtype=np.float64)
        word_counts = sp.csr_matrix((np.ones(len(columns)), np.asarray(columns, dtype=np.int64), np.asarray(indptr)),
                                    shape=(n_texts, len(vocabulary)))
        word_counts.sum_duplicates()
        out = (word_counts @ self._word_rows(list(vocabulary))).tocsr()
        out.sort_indices()
        return out
