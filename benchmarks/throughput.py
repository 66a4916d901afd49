"""Throughput and memory of the pipeline on a synthetic dump built from corpus text.

Prints passages/s, words/s and peak RSS per stage (read, segment, classify, extract,
structure, write) in one process, then for whole runs: 1 and 2 workers, with and without
entities, and the Dask engine. Memory of a whole run is the peak of the process tree's summed
RSS (shared pages counted once per process) and summed PSS (shared pages divided).

    python benchmarks/throughput.py --passages 20000
    python benchmarks/throughput.py --passages 1000000 --only full   # the 1M-passage memory run
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from _common import ROOT, run_measured, synthetic_dump, hap  # noqa: I001


def stage_table(dump: Path, model: Path, limit: int) -> list[dict]:
    """Per-stage timing in this process on the first ``limit`` passages' articles."""
    import resource

    import pipeline  # noqa: F401
    from pipeline.bundle import load_bundle
    from pipeline.classify import predict_passages
    from pipeline.entities import doc_entities
    from pipeline.io import read_dump
    from pipeline.io.writers import open_writer
    from pipeline.run import RunSettings, process_chunk
    from pipeline.segment import segment_text
    from pipeline.structure import structure_passage
    from pipeline.types import Article

    bundle = load_bundle(model)
    nlp = bundle.nlp
    rows = []

    def rss_mb() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    t = time.perf_counter()
    articles = []
    n_passages = 0
    for rec in read_dump(dump):
        if isinstance(rec, Article):
            articles.append(rec)
            n_passages += rec.text.count("\n\n") + 1
            if n_passages >= limit:
                break
    timings = {"read": time.perf_counter() - t}
    t = time.perf_counter()
    passages = [p for a in articles for p in segment_text(a.text, a.id).passages]
    timings["segment"] = time.perf_counter() - t
    texts = [p.clean_text for p in passages]
    words = sum(len(x.split()) for x in texts)
    t = time.perf_counter()
    preds = predict_passages(bundle.classifier, texts, bundle.review_threshold)
    timings["classify"] = time.perf_counter() - t
    t = time.perf_counter()
    ents = [doc_entities(d) for d in nlp.pipe(texts, batch_size=256)]
    timings["extract"] = time.perf_counter() - t
    t = time.perf_counter()
    for p, pred, e in zip(passages, preds, ents):
        structure_passage(pred.label, p.text, p.heading, e)
    timings["structure"] = time.perf_counter() - t
    chunk_rows, _ = process_chunk(articles, bundle, RunSettings())
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        writer = open_writer(Path(tmp) / "o.parquet")
        writer.write(chunk_rows)
        writer.close()
        timings["write"] = time.perf_counter() - t
    for stage, seconds in timings.items():
        rows.append({"stage": stage, "passages": len(passages), "seconds": round(seconds, 3),
                     "passages_per_s": round(len(passages) / seconds), "words_per_s": round(words / seconds),
                     "peak_rss_mb_so_far": round(rss_mb())})
    return rows


def full_runs(dump: Path, model: Path, n: int, only: str | None) -> list[dict]:
    configs = [
        ("1 worker, entities", ["--workers", "1"]),
        ("2 workers, entities", ["--workers", "2"]),
        ("1 worker, --no-entities", ["--workers", "1", "--no-entities"]),
        ("2 workers, --no-entities", ["--workers", "2", "--no-entities"]),
        ("dask LocalCluster (2), entities", ["--engine", "dask"]),
    ]
    if only == "full":
        configs = [c for c in configs if c[0].startswith("2 workers")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, extra in configs:
            out = Path(tmp) / ("ds" if "dask" in name else "o.parquet")
            seconds, peak, err, pss = run_measured(hap("classify", str(dump), "-o", str(out), "--model", str(model),
                                                  "--overwrite", "--no-progress", *extra))
            rows.append({"run": name, "passages": n, "seconds": round(seconds, 1),
                         "passages_per_s": round(n / seconds), "peak_rss_mb": round(peak / 2**20),
                         "peak_pss_mb": round(pss / 2**20)})
            print(f"  {name}: {err.strip().splitlines()[-1]}", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=20000)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "default")
    parser.add_argument("--stage-limit", type=int, default=5000, help="passages for the per-stage table")
    parser.add_argument("--only", choices=["stages", "full"], default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        dump = synthetic_dump(Path(tmp) / "dump.jsonl", args.passages)
        result = {"passages": args.passages}
        if args.only != "full":
            result["stages"] = stage_table(dump, args.model, min(args.stage_limit, args.passages))
            print(f"\nper stage, one process ({result['stages'][0]['passages']} passages):")
            print(f"{'stage':<10}{'passages/s':>12}{'words/s':>12}{'peak RSS MB':>13}")
            for r in result["stages"]:
                print(f"{r['stage']:<10}{r['passages_per_s']:>12,}{r['words_per_s']:>12,}{r['peak_rss_mb_so_far']:>13,}")
        if args.only != "stages":
            print(f"\nwhole runs on {args.passages:,} passages (segment, classify, extract, structure, write parquet):")
            result["runs"] = full_runs(dump, args.model, args.passages, args.only)
            print(f"{'run':<34}{'seconds':>9}{'passages/s':>12}{'peak RSS MB':>13}{'peak PSS MB':>13}")
            for r in result["runs"]:
                print(f"{r['run']:<34}{r['seconds']:>9}{r['passages_per_s']:>12,}{r['peak_rss_mb']:>13,}{r['peak_pss_mb']:>13,}")
        if args.json:
            print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
