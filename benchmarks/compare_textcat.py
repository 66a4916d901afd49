"""The scikit-learn classifier against a spaCy ``textcat`` trained on the same corpus.

Both are trained on the same corpus passages (the shipped bundle's corpus files, the same
merge of corrections) and scored on the same labelled file (default: the real dev set,
which neither is trained on). The spaCy side is ``spacy init config --pipeline textcat
--optimize efficiency`` (bag-of-words + CNN ensemble on hash embeddings), trained with
spaCy's own loop. Prints macro-F1, per-label F1 and passages/s for both.

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
    from pipeline.classify import build_classifier
    from pipeline.clean import clean_text
    from pipeline.io.corpus import read_labelled
    from pipeline.metrics import classification_scores
    from pipeline.train import merge_records

    bundle = load_bundle(args.model)
    corpus = merge_records(read_labelled(bundle.meta["corpus"]["files"]))
    train_texts = [clean_text(r.text) for r in corpus]
    train_labels = [r.label for r in corpus]
    evaluation = read_labelled([args.eval])
    eval_texts = [clean_text(r.text) for r in evaluation]
    gold = [r.label for r in evaluation]
    labels = sorted(set(train_labels))
    rows = []

    t0 = time.perf_counter()
    sk = build_classifier(random_state=bundle.meta["classifier"].get("seed", 13), **bundle.meta["classifier"]["params"])
    sk.fit(train_texts, train_labels)
    sk_train = time.perf_counter() - t0
    reps = 5
    caches = [v for v in sk.get_params(deep=True).values() if hasattr(v, "clear_cache")]
    seconds = 0.0
    for _ in range(reps):
        for c in caches:                 # time a cold word cache each time: textcat has none
            c.clear_cache()
        t0 = time.perf_counter()
        sk_pred = list(sk.predict(eval_texts))
        seconds += time.perf_counter() - t0
    sk_rate = reps * len(eval_texts) / seconds
    rows.append(("scikit-learn (this project)", classification_scores(gold, sk_pred, labels), sk_rate, sk_train))

    t0 = time.perf_counter()
    nlp = train_textcat(train_texts, train_labels, args.epochs, seed=13)
    tc_train = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(reps):
        docs = list(nlp.pipe(eval_texts, batch_size=256))
    tc_rate = reps * len(eval_texts) / (time.perf_counter() - t0)
    tc_pred = [max(d.cats, key=d.cats.get) for d in docs]
    rows.append(("spaCy textcat (efficiency)", classification_scores(gold, tc_pred, labels), tc_rate, tc_train))

    print(f"\ntrained on {len(train_texts)} corpus passages; scored on {len(eval_texts)} passages of {args.eval.name}\n")
    print(f"{'model':<30}{'macro-F1':>9}" + "".join(f"{lab[:10]:>12}" for lab in labels) + f"{'passages/s':>12}{'train s':>9}")
    for name, scores, rate, train_s in rows:
        print(f"{name:<30}{scores['macro_f1']:>9.3f}" + "".join(f"{scores['per_label'][lab]['f1']:>12.3f}" for lab in labels)
              + f"{rate:>12,.0f}{train_s:>9.1f}")
    print(json.dumps({name: {"macro_f1": s["macro_f1"], "passages_per_s": round(r)} for name, s, r, _ in rows}))


if __name__ == "__main__":
    main()
