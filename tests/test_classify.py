"""The classifier's feature blocks: what the training candidates let the model see."""
from __future__ import annotations

import numpy as np

from pipeline.classify import build_classifier
from pipeline.train import DEFAULT_CANDIDATES

SAME_WORDS = ["pain in the knee when walking", "walking when the knee in pain"]


def word_block(model):
    """The word TF-IDF block of an unfitted classifier, inside the sentence-mixing wrapper if any."""
    pipeline = getattr(model, "estimator", model)
    return dict(pipeline.named_steps["features"].transformer_list)["word"]


def word_counts(model, texts):
    return word_block(model).named_steps["hash"].transform(texts).toarray()


def test_training_candidates_count_words_not_word_pairs():
    # Word bigrams fit the corpus's sentence frames: dropping them raised real-page macro-F1
    # over eight draw seeds (pipeline.train). Reordered words must look the same to the model.
    for params in DEFAULT_CANDIDATES:
        counts = word_counts(build_classifier(**params), SAME_WORDS)
        assert np.array_equal(counts[0], counts[1]), params


def test_default_build_keeps_bigrams_so_older_bundles_refit_as_trained():
    counts = word_counts(build_classifier(), SAME_WORDS)
    assert not np.array_equal(counts[0], counts[1])
