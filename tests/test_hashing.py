"""The word-wise character hasher must give exactly the features of sklearn's char_wb vectorizer."""
import numpy as np
from hypothesis import given, settings, strategies as st
from sklearn.feature_extraction.text import HashingVectorizer

from pipeline.hashing import WordwiseCharHasher

TRICKY = [
    "", "   ", "a", "Knee KNEE knee knee.", "Ã©tÃ© â€™ mojibake", "NBSP\xa0between\ttabs\nand lines",
    "İstanbul ß straße", "glued2019;49(2):101-9.PMID:12345678", "x" * 400, "• bullet\u200b zero width",
]


def reference(texts, ngram_range=(2, 5), n_features=2 ** 12):
    return HashingVectorizer(analyzer="char_wb", ngram_range=ngram_range, n_features=n_features,
                             alternate_sign=False, norm=None).transform(texts)


def test_equal_to_sklearn_on_tricky_texts():
    ours = WordwiseCharHasher(ngram_range=(2, 5), n_features=2 ** 12).transform(TRICKY)
    assert ours.shape == (len(TRICKY), 2 ** 12)
    assert abs(ours - reference(TRICKY)).max() == 0


def test_other_ngram_range():
    ours = WordwiseCharHasher(ngram_range=(3, 4), n_features=2 ** 10).transform(TRICKY)
    assert abs(ours - reference(TRICKY, (3, 4), 2 ** 10)).max() == 0


def test_empty_batch_has_no_rows():
    assert WordwiseCharHasher().transform([]).shape == (0, 2 ** 17)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=6))
def test_equal_to_sklearn_on_any_text(texts):
    ours = WordwiseCharHasher(n_features=2 ** 10).transform(texts)
    expected = reference(texts, n_features=2 ** 10)
    assert ours.shape == expected.shape
    assert np.array_equal(ours.toarray(), expected.toarray())
