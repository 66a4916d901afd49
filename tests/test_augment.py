"""Training passages with general sentences mixed in (pipeline.augment)."""
import json

import numpy as np
import pytest
from sklearn.base import clone

from pipeline.augment import SentenceMixTraining, mix_in_sentences, sentences
from pipeline.classify import build_classifier

GENERAL = [
    "Most people feel better when they sleep well and move a little every day. Small habits add up over the years.",
    "Drinking enough water helps on hot days and long walks. Nobody needs an expensive bottle to manage that.",
    "Stress shows up in the body in many ways for many people. Talking to someone you trust often helps.",
]
CONDITION = [
    "Plantar fasciitis causes sharp heel pain with the first steps of the morning.",
    "Tennis elbow is an overload injury of the forearm extensor tendon near the elbow.",
]
EXERCISE = ["Bridge: lie on your back, knees bent, lift the hips for 3 sets of 10 reps."]
CITATION = ["Okafor N, Brandt L. Heel pain in runners. Foot Ankle Int. 2019;40(2):101-9."]


def corpus():
    texts = GENERAL + CONDITION + EXERCISE + CITATION
    labels = ["other"] * 3 + ["condition"] * 2 + ["exercise"] + ["citation"]
    return texts, labels


def test_sentences_keeps_only_sentences_of_the_wanted_length():
    found = sentences("Short one. This sentence has exactly seven words in it. Another fine sentence of six words here.")
    assert found == ["This sentence has exactly seven words in it.", "Another fine sentence of six words here."]


def test_each_target_passage_gets_variants_that_keep_its_label_and_text():
    texts, labels = corpus()
    out_texts, out_labels = mix_in_sentences(texts, labels, ["condition", "exercise"], "other", copies=2, seed=1)
    assert out_texts[:len(texts)] == texts and out_labels[:len(labels)] == labels
    added = list(zip(out_texts[len(texts):], out_labels[len(labels):]))
    assert [label for _, label in added] == ["condition"] * 4 + ["exercise"] * 2
    pool = {s for t in GENERAL for s in sentences(t)}
    for (text, label), original in zip(added, [t for t in CONDITION for _ in range(2)] + EXERCISE * 2):
        assert original in text
        rest = text.replace(original, "").strip()
        assert rest and all(part.strip() in pool for part in _split_known(rest, pool))


def _split_known(rest, pool):
    """The pool sentences that make up ``rest`` (one or two joined by a space)."""
    for s in pool:
        if rest == s:
            return [s]
        if rest.startswith(s + " ") and rest[len(s) + 1:] in pool:
            return [s, rest[len(s) + 1:]]
    return ["<not from the pool>"]


def test_draws_are_deterministic_and_depend_on_the_seed():
    texts, labels = corpus()
    first = mix_in_sentences(texts, labels, ["condition"], "other", seed=5)
    assert first == mix_in_sentences(texts, labels, ["condition"], "other", seed=5)
    others = {tuple(mix_in_sentences(texts, labels, ["condition"], "other", seed=s)[0]) for s in range(6)}
    assert len(others) > 1


@pytest.mark.parametrize("targets,source", [(["condition"], "general advice"), (["not a label"], "other"), ([], "other")])
def test_labels_missing_from_the_data_leave_the_passages_unchanged(targets, source):
    texts, labels = corpus()
    assert mix_in_sentences(texts, labels, targets, source) == (texts, labels)


def test_wrapper_fits_on_the_variants_and_predicts_the_passages_as_they_are():
    texts, labels = corpus()
    model = build_classifier(C=4.0, mix_sentences={"targets": ["condition"], "source": "other", "copies": 3})
    assert isinstance(model, SentenceMixTraining)
    clone(model)                                    # sklearn estimator conventions hold
    model.fit(texts, labels)
    assert model.n_added_ == 6
    assert list(model.classes_) == sorted(set(labels))
    proba = model.predict_proba(texts)
    assert proba.shape == (len(texts), 4) and np.allclose(proba.sum(axis=1), 1)
    assert list(model.predict(texts)) == [model.classes_[i] for i in proba.argmax(axis=1)]


def test_without_mixing_the_classifier_is_the_plain_pipeline():
    assert not isinstance(build_classifier(), SentenceMixTraining)


def test_fitted_wrapper_survives_a_joblib_round_trip(tmp_path):
    import joblib

    texts, labels = corpus()
    model = build_classifier(C=4.0, mix_sentences={"targets": ["condition", "exercise"], "source": "other"}).fit(texts, labels)
    joblib.dump(model, tmp_path / "classifier.joblib")
    loaded = joblib.load(tmp_path / "classifier.joblib")
    assert np.array_equal(loaded.predict_proba(texts), model.predict_proba(texts))


def test_training_reports_when_mixing_is_skipped(tmp_path):
    from pipeline.train import DEFAULT_CANDIDATES, TrainSettings, train_bundle

    corpus_file = tmp_path / "labels.jsonl"
    rows = [{"text": f"Heel pain number {i} is sharp in the morning and eases later on.", "label": "symptom",
             "topic": f"t{i % 3}"} for i in range(6)]
    rows += [{"text": f"Lift the heel {i} times, hold two seconds, lower slowly to the floor.", "label": "drill",
              "topic": f"t{i % 3}"} for i in range(6)]
    corpus_file.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    messages = []
    meta = train_bundle([corpus_file], tmp_path / "m", TrainSettings(candidates=DEFAULT_CANDIDATES[:1], folds=3),
                        report=messages.append)
    assert any(m.startswith("sentence mixing skipped") for m in messages)
    assert meta["classifier"]["mixed_copies"] == 0


def test_mask_subject_refers_to_the_topic_instead_of_naming_it():
    import random

    from pipeline.augment import mask_subject

    masked = mask_subject("Plantar fasciitis is common. Rest helps plantar fasciitis settle.", "plantar fasciitis",
                          "condition", random.Random(1))
    assert masked is not None and "fasciitis" not in masked.lower()
    assert masked[0].isupper() and masked.split(". ")[1][0].isupper()
    assert mask_subject("Heel pain is common.", "plantar fasciitis", "condition", random.Random(1)) is None
    assert mask_subject("Plantar fasciitis is common.", "plantar fasciitis", "other", random.Random(1)) is None


def test_training_set_adds_one_masked_copy_per_condition_and_exercise_passage_naming_its_topic():
    from pipeline.train import training_set

    texts, labels = corpus()
    topics = ["sleep"] * 3 + ["plantar fasciitis", "tennis elbow", "bridge", "heel pain"]
    fit_texts, fit_labels = training_set(texts, labels, topics, seed=3)
    added = list(zip(fit_texts[len(texts):], fit_labels[len(texts):]))
    assert [label for _, label in added] == ["condition", "condition", "exercise"]
    assert all("fasciitis" not in t.lower() and "tennis elbow" not in t.lower() for t, _ in added)
    assert fit_texts[:len(texts)] == texts
    assert training_set(texts, labels, None, seed=3) == (texts, labels)
    assert training_set(texts, labels, topics, seed=3) == (fit_texts, fit_labels)
