"""The word-wise character hasher must give exactly the features of sklearn's char_wb vectorizer."""
import numpy as np
from hypothesis import given, settings, strategies as st
from sklearn.feature_extraction.text import HashingVectorizer

from pipeline.hashing import WordNgramHasher, WordwiseCharHasher

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


def test_cached_words_give_the_same_features_and_are_not_pickled(monkeypatch):
    import pickle

    import pipeline.hashing as hashing

    hasher = WordwiseCharHasher(n_features=2 ** 12)
    first = hasher.transform(TRICKY)
    again = hasher.transform(list(reversed(TRICKY)))          # every word now comes from the cache
    assert abs(again - reference(list(reversed(TRICKY)))).max() == 0
    assert abs(first - reference(TRICKY)).max() == 0
    assert "_cache" not in pickle.loads(pickle.dumps(hasher)).__dict__
    monkeypatch.setattr(hashing, "CACHE_WORDS", 3)            # a batch larger than the cache
    small = WordwiseCharHasher(n_features=2 ** 12)
    assert abs(small.transform(TRICKY) - reference(TRICKY)).max() == 0


# ---- word unigrams and bigrams -------------------------------------------------------------

def sklearn_word_counts(texts):
    """Per-text number of unigrams plus bigrams as sklearn's word analyzer makes them."""
    analyzer = HashingVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b").build_analyzer()
    return [len(analyzer(t)) for t in texts]


def test_word_hasher_counts_every_unigram_and_bigram_of_each_text():
    ours = WordNgramHasher(n_features=2 ** 12).transform(TRICKY)
    assert ours.shape == (len(TRICKY), 2 ** 12)
    assert np.asarray(ours.sum(axis=1)).ravel().tolist() == sklearn_word_counts(TRICKY)


def test_word_hasher_bigrams_stay_inside_a_text_and_words_are_lowercased():
    hasher = WordNgramHasher(n_features=2 ** 16)
    joined = hasher.transform(["Knee pain"]) + hasher.transform(["Walking helps"])
    together = hasher.transform(["knee PAIN", "walking HELPS"])
    assert abs(together.sum(axis=0) - joined.sum(axis=0)).max() == 0   # no "pain walking" bigram
    unigrams_only = WordNgramHasher(n_features=2 ** 16, bigrams=False).transform(["knee pain"])
    assert unigrams_only.sum() == 2 and hasher.transform(["knee pain"]).sum() == 3


def test_word_hasher_is_deterministic_cached_or_not_and_not_pickled():
    import pickle

    first = WordNgramHasher(n_features=2 ** 12).transform(TRICKY)
    hasher = WordNgramHasher(n_features=2 ** 12)
    hasher.transform(TRICKY)
    again = hasher.transform(TRICKY)                          # every word from the cache
    assert abs(first - again).max() == 0
    assert "_cache" not in pickle.loads(pickle.dumps(hasher)).__dict__
    assert WordNgramHasher().transform([]).shape == (0, 2 ** 17)
    assert WordNgramHasher().transform(["", "  ..."]).nnz == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=6))
def test_word_hasher_counts_match_sklearn_on_any_text(texts):
    ours = WordNgramHasher(n_features=2 ** 10).transform(texts)
    assert np.asarray(ours.sum(axis=1)).ravel().tolist() == sklearn_word_counts(texts)
