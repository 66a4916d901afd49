"""The scikit-learn classifier against a spaCy ``textcat`` trained on the same corpus.

Both are trained on the same corpus passages (the shipped bundle's corpus files, the same
merge of corrections) and scored on the same labelled file (default: the real dev set,
which neither is trained on). The spaCy side is ``spacy init config --pipeline textcat
--optimize efficiency`` (bag-of-words + CNN ensemble on hash embeddings), trained with
spaCy's own loop. Prints macro-F1, per-label F1 and passages/s for both: "cold" passes
start from a freshly loaded model (our word cache empty, spaCy's tokenizer cache empty), "warm" passes repeat
texts already seen, as deep into a long run. Our side is fitted as the bundle was (with its
subject-masked copies, ``pipeline.train.bundle_training_set``). When the bundle also mixes
general sentences into passages (``pipeline.augment``), a second textcat is trained on the
same variants as ours.

    python benchmarks/compare_textcat.py --eval ../shared/data/dev.jsonl
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def train_textcat(texts, labels, epochs: int, seed: int):
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    from pipeline.tokenizer import blank_english

    fix_random_seed(seed)
    config = spacy.util.load_config_from_str(_efficiency_config())
    nlp = blank_english()
    textcat = nlp.add_pipe("textcat", config={"model": dict(config["components"]["textcat"]["model"])})
    classes = sorted(set(labels))
    for c in classes:
        textcat.add_label(c)
    examples = [Example.from_dict(nlp.make_doc(t), {"cats": {c: float(c == y) for c in classes}}) for t, y in zip(texts, labels)]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses = {}
        for batch in minibatch(examples, size=32):
            nlp.update(batch, sgd=optimizer, losses=losses, drop=0.2)
        print(f"  textcat epoch {epoch + 1}/{epochs}: loss {losses.get('textcat', 0):.2f}", flush=True)
    return nlp


def fresh_textcat(saved: bytes, trained):
    """A new pipeline loaded from ``saved``: what a user gets from ``spacy.load``, caches empty."""
    from pipeline.tokenizer import blank_english

    nlp = blank_english()
    nlp.add_pipe("textcat", config={"model": trained.get_pipe_config("textcat")["model"]})
    return nlp.from_bytes(saved)


def time_textcat(train_texts, train_labels, eval_texts, gold, labels, epochs: int, reps: int):
    """Train a textcat, then its scores and cold and warm passages/s on ``eval_texts``."""
    from pipeline.metrics import classification_scores

    t0 = time.perf_counter()
    nlp = train_textcat(train_texts, train_labels, epochs, seed=13)
    train_seconds = time.perf_counter() - t0
    saved = nlp.to_bytes()

    def predict(pipe) -> list[str]:
        return [max(d.cats, key=d.cats.get) for d in pipe.pipe(eval_texts, batch_size=256)]

    # a fresh load has an empty tokenizer cache
    predicted, cold, warm = cold_and_warm_rates(lambda: fresh_textcat(saved, nlp), nlp, predict, len(eval_texts), reps)
    return classification_scores(gold, predicted, labels), cold, warm, train_seconds


def cold_and_warm_rates(load_cold, warm_model, predict, n_texts: int, reps: int) -> tuple[list[str], float, float]:
    """``warm_model``'s predictions, then passages/s over ``reps`` passes each of a freshly
    loaded model (``load_cold()``, not timed) and of ``warm_model`` on texts it has seen."""
    predicted = predict(warm_model)

    def seconds(model) -> float:
        t0 = time.perf_counter()
        predict(model)
        return time.perf_counter() - t0

    cold = reps * n_texts / sum(seconds(load_cold()) for _ in range(reps))
    predict(warm_model)                              # warm again after the cold passes
    warm = reps * n_texts / sum(seconds(warm_model) for _ in range(reps))
    return predicted, cold, warm


def _efficiency_config() -> str:
    from spacy.cli.init_config import init_config

    return init_config(lang="en", pipeline=["textcat"], optimize="efficiency", gpu=False).to_str()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "data" / "dev.jsonl")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "default")
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()

    from pipeline.bundle import load_bundle
    from pipeline.classify import build_classifier, estimator_layers
    from pipeline.clean import clean_text
    from pipeline.io.corpus import read_labelled
    from pipeline.metrics import classification_scores
    from pipeline.train import bundle_training_set, merge_records

    bundle = load_bundle(args.model)
    corpus = merge_records(read_labelled(bundle.meta["corpus"]["files"]))
    train_texts = [clean_text(r.text) for r in corpus]
    train_labels = [r.label for r in corpus]
    fit_texts, fit_labels = bundle_training_set(corpus, bundle.meta["classifier"])   # as the bundle was fitted
    evaluation = read_labelled([args.eval])
    eval_texts = [clean_text(r.text) for r in evaluation]
    gold = [r.label for r in evaluation]
    labels = sorted(set(train_labels))
    rows = []

    t0 = time.perf_counter()
    sk = build_classifier(random_state=bundle.meta["classifier"].get("seed", 13), **bundle.meta["classifier"]["params"])
    sk.fit(fit_texts, fit_labels)
    sk_train = time.perf_counter() - t0
    reps = 5
    pipeline = list(estimator_layers(sk))[-1]      # the fitted pipeline inside the training wrappers
    caches = [v for v in pipeline.get_params(deep=True).values() if hasattr(v, "clear_cache")]

    def freshly_loaded():                          # as loaded from a bundle: no hashed words yet
        for cache in caches:
            cache.clear_cache()
        return sk

    sk_pred, sk_cold, sk_warm = cold_and_warm_rates(freshly_loaded, sk, lambda m: list(m.predict(eval_texts)),
                                                    len(eval_texts), reps)
    rows.append(("scikit-learn (this project)", classification_scores(gold, sk_pred, labels), sk_cold, sk_warm, sk_train))

    textcat_runs = [("spaCy textcat (efficiency)", train_texts, train_labels)]
    mix = bundle.meta["classifier"]["params"].get("mix_sentences")
    if mix:       # the same training variants our model was fitted with, so neither side lacks them
        from pipeline.augment import mix_in_sentences

        mixed = mix_in_sentences(fit_texts, fit_labels, mix["targets"], mix["source"], mix.get("copies", 1),
                                 bundle.meta["classifier"].get("seed", 13))
        textcat_runs.append(("spaCy textcat, our variants", *mixed))
    for name, texts, labels_ in textcat_runs:
        rows.append((name, *time_textcat(texts, labels_, eval_texts, gold, labels, args.epochs, reps)))

    print(f"\ntrained on {len(train_texts)} corpus passages; scored on {len(eval_texts)} passages of {args.eval.name}\n")
    print(f"{'model':<31}{'macro-F1':>9}" + "".join(f"{lab[:10]:>12}" for lab in labels)
          + f"{'cold p/s':>10}{'warm p/s':>10}{'train s':>9}")
    for name, scores, cold, warm, train_s in rows:
        print(f"{name:<31}{scores['macro_f1']:>9.3f}" + "".join(f"{scores['per_label'][lab]['f1']:>12.3f}" for lab in labels)
              + f"{cold:>10,.0f}{warm:>10,.0f}{train_s:>9.1f}")
    print("cold: each pass starts from a freshly loaded model (empty word and tokenizer caches); "
          "warm: the same texts again, as deep into a long run")
    print(json.dumps({name: {"macro_f1": s["macro_f1"], "cold_passages_per_s": round(c), "warm_passages_per_s": round(w)}
                      for name, s, c, w, _ in rows}))


if __name__ == "__main__":
    main()
