"""Training the spaCy NER on the corpus spans (tok2vec + ner, spaCy's default small model).

The default ``ner`` of ``spacy.blank("en")`` carries its own hash-embedding CNN tok2vec
(efficiency-sized), so the trained component can be copied into the entity pipeline in front
of the lexicon ruler. A tenth of the annotated passages is held out to report the NER's own
span F1 per epoch; the weights of the best epoch are kept.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from typing import Any

from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from pipeline.io.corpus import Labelled
from pipeline.metrics import span_scores
from pipeline.tokenizer import blank_english
from pipeline.types import ENTITY_TYPES


def make_examples(nlp: Language, records: Sequence[Labelled]) -> tuple[list[Example], int]:
    """Examples from labelled records; spans not on token boundaries are skipped and counted."""
    examples, skipped = [], 0
    for record in records:
        doc = nlp.make_doc(record.text)
        spans = []
        for ent in record.entities:
            span = doc.char_span(ent["start"], ent["end"], label=ent["label"], alignment_mode="strict")
            if span is None:
                skipped += 1
            else:
                spans.append(span)
        try:
            doc.ents = spans
        except ValueError:          # overlapping spans: keep the record without entities
            skipped += len(spans)
            doc.ents = []
        examples.append(Example(nlp.make_doc(record.text), doc))
    return examples, skipped


def score_ner(nlp: Language, examples: Sequence[Example]) -> dict[str, Any]:
    gold = [[(e.start_char, e.end_char, e.label_) for e in ex.reference.ents] for ex in examples]
    docs = nlp.pipe([ex.reference.text for ex in examples], batch_size=64)
    pred = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]
    return span_scores(gold, pred, ENTITY_TYPES)


def train_ner(records: Sequence[Labelled], epochs: int = 15, seed: int = 13, dropout: float = 0.2,
              report: Callable[[str], None] = print) -> tuple[Language, dict[str, Any]]:
    """A blank English pipeline with a trained ``ner``, and what training measured."""
    fix_random_seed(seed)
    nlp = blank_english()
    ner = nlp.add_pipe("ner")
    for label in ENTITY_TYPES:
        ner.add_label(label)
    examples, skipped = make_examples(nlp, records)
    rng = random.Random(seed)
    order = list(range(len(examples)))
    rng.shuffle(order)
    n_dev = max(len(examples) // 10, 1)
    dev = [examples[i] for i in order[:n_dev]]
    train = [examples[i] for i in order[n_dev:]] or dev
    optimizer = nlp.initialize(lambda: train)
    best_f1, best_bytes, history = -1.0, None, []
    started = time.perf_counter()
    for epoch in range(1, epochs + 1):
        rng.shuffle(train)
        losses: dict[str, float] = {}
        for batch in minibatch(train, size=16):
            nlp.update(batch, drop=dropout, sgd=optimizer, losses=losses)
        f1 = score_ner(nlp, dev)["micro"]["f1"]
        history.append({"epoch": epoch, "loss": round(float(losses.get("ner", 0.0)), 1), "dev_f1": f1})
        report(f"ner epoch {epoch}/{epochs}: loss {losses.get('ner', 0.0):.0f}, held-out span F1 {f1:.4f}")
        if f1 > best_f1:
            best_f1, best_bytes = f1, nlp.get_pipe("ner").to_bytes()
    if best_bytes is not None:
        nlp.get_pipe("ner").from_bytes(best_bytes)
    info = {"epochs": epochs, "train_passages": len(train), "heldout_passages": len(dev),
            "skipped_spans": skipped, "best_heldout_f1": float(best_f1), "history": history,
            "seconds": round(time.perf_counter() - started, 1)}
    return nlp, info
