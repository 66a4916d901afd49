"""Do lexicon terms suggested from span texts generalise to topics they were not drawn from?

Grouped two-fold cross-validation over topics on the corpus's span-annotated training
passages: the hand-written lexicons (each file up to the "added from the corpus's entity
spans" header) plus the terms ``hap corpus suggest-terms`` finds in one half of the topics,
scored by entity micro-F1 on the other half. One row per threshold pair; the first row adds
nothing (the hand-written lexicons alone). Prints figures; asserts nothing.

    python benchmarks/lexicon_cv.py
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.entities import build_entity_pipeline  # noqa: E402
from pipeline.evaluate import entity_scores  # noqa: E402
from pipeline.io.corpus import read_labelled  # noqa: E402
from pipeline.lexicon_induction import INDUCED_HEADER, append_terms, suggest_terms  # noqa: E402
from pipeline.lexicons import lexicon_files  # noqa: E402

SETTINGS = ((None, None), (2, 0.6), (1, 0.5), (1, 0.6), (1, 0.7), (1, 0.8))


def hand_written_lexicons(source: Path, target: Path) -> Path:
    """Copy each lexicon file of ``source`` up to the header of the suggested terms."""
    target.mkdir(parents=True, exist_ok=True)
    for path in lexicon_files(source).values():
        text = path.read_text(encoding="utf-8")
        (target / path.name).write_text(text.split(INDUCED_HEADER)[0], encoding="utf-8")
    return target


def topic_half(topic: str) -> int:
    """A stable split of topics into two halves."""
    return int(hashlib.md5(topic.encode("utf-8")).hexdigest(), 16) % 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = parser.parse_args()
    records = [r for r in read_labelled([args.corpus]) if r.entities]
    halves = [[r for r in records if topic_half(r.topic) == k] for k in (0, 1)]
    print(f"{len(records)} span-annotated training passages; topic halves of {len(halves[0])} and {len(halves[1])}")
    print(f"{'min gold':>8} {'min precision':>13} {'terms added':>12} {'micro-F1 half 0':>16} {'half 1':>8} {'mean':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for min_spans, min_precision in SETTINGS:
            scores, added = [], []
            for held in (0, 1):
                lexicons = hand_written_lexicons(args.corpus / "lexicons", Path(tmp) / f"{min_spans}-{min_precision}-{held}")
                if min_spans is not None:
                    terms = suggest_terms(halves[1 - held], lexicons, min_spans, min_precision)
                    append_terms(lexicons, terms)
                    added.append(len(terms))
                scores.append(entity_scores(build_entity_pipeline(lexicons), halves[held])["micro"]["f1"])
            label = "-" if min_spans is None else str(min_spans)
            share = "-" if min_precision is None else f"{min_precision:.1f}"
            print(f"{label:>8} {share:>13} {sum(added) / 2 if added else 0:>12.0f} {scores[0]:>16.4f} {scores[1]:>8.4f} "
                  f"{sum(scores) / 2:>7.4f}", flush=True)


if __name__ == "__main__":
    main()
