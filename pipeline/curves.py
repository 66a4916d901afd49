"""Learning curve: retrain the bundle's classifier on 10/25/50/100% of its corpus and score
each on the evaluation passages. Shows whether more corpus would still help."""
from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from pipeline.classify import build_classifier
from pipeline.clean import clean_text
from pipeline.io.corpus import Labelled, read_labelled
from pipeline.metrics import classification_scores
from pipeline.train import bundle_training_set, merge_records

FRACTIONS = (0.1, 0.25, 0.5, 1.0)


def learning_curve(bundle: Any, records: Sequence[Labelled], fractions: Sequence[float] = FRACTIONS,
                   report: Callable[[str], None] = print) -> list[dict[str, Any]]:
    """Macro-F1 on ``records`` of the bundle's classifier settings trained on corpus fractions.

    Subsets are nested and drawn by shuffling with the bundle's seed, so points are
    comparable; each is fitted in corpus order, so the 100% point repeats the bundle's own fit
    (the sentence draws of the training copies depend on the order).
    """
    corpus = merge_records(read_labelled(bundle.meta["corpus"]["files"]))
    params = bundle.meta["classifier"]["params"]
    seed = bundle.meta["classifier"].get("seed", 13)
    order = list(range(len(corpus)))
    random.Random(seed).shuffle(order)
    texts = [clean_text(r.text) for r in records]
    gold = [r.label for r in records]
    points = []
    for fraction in fractions:
        idx = sorted(order[: max(int(len(order) * fraction), 10)])   # corpus order: 100% refits the bundle
        model = build_classifier(random_state=seed, **params)
        model.fit(*bundle_training_set([corpus[i] for i in idx], bundle.meta["classifier"]))
        predicted = list(model.predict(texts))
        scores = classification_scores(gold, predicted, sorted(set(gold) | set(model.classes_)))
        points.append({"fraction": fraction, "passages": len(idx), "macro_f1": scores["macro_f1"],
                       "per_label_f1": {k: v["f1"] for k, v in scores["per_label"].items()}})
        report(f"learning curve: {fraction:.0%} ({len(idx)} passages) -> macro-F1 {scores['macro_f1']:.4f}")
    return points
