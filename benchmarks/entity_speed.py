"""Entity extraction speed (words per second) of a bundle's spaCy pipeline, 1 and 2 processes.

Two processes each load the pipeline once and take half of the texts (the way the batch
runner parallelises whole chunks), rather than ``nlp.pipe(n_process=2)``.

    python benchmarks/entity_speed.py --passages 4000
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import time
from pathlib import Path

from _common import ROOT, corpus_texts


def _count(args: tuple[str, list[str]]) -> int:
    model, texts = args
    import spacy

    import pipeline  # noqa: F401

    nlp = spacy.load(Path(model) / "entities")
    return sum(len(d.ents) for d in nlp.pipe(texts, batch_size=256))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=4000)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "default")
    args = parser.parse_args()
    base = corpus_texts()
    texts = [base[i % len(base)] for i in range(args.passages)]
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts):,} passages, {words:,} words; pipeline {args.model / 'entities'}")
    print(f"{'processes':<10}{'seconds':>9}{'words/s':>12}{'passages/s':>12}")
    for n in (1, 2):
        parts = [texts[i::n] for i in range(n)]
        t0 = time.perf_counter()
        if n == 1:
            _count((str(args.model), texts))
        else:
            with mp.get_context("spawn").Pool(n) as pool:
                pool.map(_count, [(str(args.model), p) for p in parts])
        seconds = time.perf_counter() - t0
        print(f"{n:<10}{seconds:>9.1f}{words / seconds:>12,.0f}{len(texts) / seconds:>12,.0f}")
    print("(2-process time includes starting the processes and loading the pipeline in each)")


if __name__ == "__main__":
    main()
