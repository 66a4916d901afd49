"""The ``hap`` command line: thin commands over the library functions.

Each command checks its paths, calls one library function, prints a summary on stderr and
turns a ``PipelineError`` into a one-line message with exit code 1.
"""
from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from pipeline.config import (DEFAULT_CHUNK_SIZE, LEXICON_MIN_PRECISION, LEXICON_MIN_SPANS, default_corpus_dir,
                             default_model_dir)
from pipeline.errors import PipelineError


def _fail_cleanly(func: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PipelineError as exc:
            raise click.ClickException(str(exc)) from exc
    return wrapper


def _say(message: str) -> None:
    click.echo(message, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hap-pipeline", prog_name="hap")
@click.option("-v", "--verbose", is_flag=True, help="Log details (failed passages, timings) on stderr.")
def main(verbose: bool) -> None:
    """Turn dumps of scraped health articles into labelled, structured passages."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.argument("dumps", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Output file: .jsonl, .csv or .parquet.")
@_fail_cleanly
def segment(dumps: tuple[str, ...], output: str) -> None:
    """Split DUMPS into passages (no model needed): one row per passage with exact offsets."""
    from pipeline.segmenting import segment_dump

    report = segment_dump(list(dumps), Path(output))
    _print_rejects(report.rejects)
    _say(f"hap segment: {report.summary()} -> {output}")


@main.command()
@click.argument("dumps", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Output file: .jsonl, .csv or .parquet (a folder with --engine dask).")
@click.option("--model", "model", type=click.Path(), default=None, help="Model bundle folder [default: models/default].")
@click.option("--unit", type=click.Choice(["article", "passage"]), default="article", show_default=True,
              help="article: segment each record; passage: each record is one passage.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Processes that run chunks (this one included).")
@click.option("--chunk-size", type=click.IntRange(1), default=DEFAULT_CHUNK_SIZE, show_default=True, help="Records per chunk and checkpoint.")
@click.option("--no-entities", is_flag=True, help="Skip entity extraction (much faster; fields then lack entity lists).")
@click.option("--review-threshold", type=click.FloatRange(0, 1), default=None, help="Override the bundle's needs_review threshold.")
@click.option("--format", "fmt", type=click.Choice(["passages", "articles"]), default="passages", show_default=True,
              help="passages: one row per passage; articles: one JSON object per article (JSONL output).")
@click.option("--resume", is_flag=True, help="Continue a killed run from its checkpoints.")
@click.option("--overwrite", is_flag=True, help="Discard checkpoints of an earlier run and start again.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True, help="Run locally or on Dask.")
@click.option("--scheduler", default=None, help="Dask scheduler address (default: a local cluster).")
@click.option("--progress/--no-progress", default=None, help="Progress bar [default: when stderr is a terminal].")
@_fail_cleanly
def classify(dumps: tuple[str, ...], output: str, model: str | None, unit: str, workers: int, chunk_size: int,
             no_entities: bool, review_threshold: float | None, fmt: str, resume: bool, overwrite: bool,
             engine: str, scheduler: str | None, progress: bool | None) -> None:
    """Label every passage of DUMPS and extract entities and fields."""
    from pipeline.run import RunSettings

    settings = RunSettings(unit=unit, entities=not no_entities, review_threshold=review_threshold)
    bundle_path = Path(model) if model else default_model_dir()
    if engine == "dask":
        from pipeline.dask_engine import classify_dask

        report = classify_dask(list(dumps), Path(output), bundle_path, settings, scheduler=scheduler,
                               chunk_size=chunk_size, overwrite=overwrite)
    else:
        from pipeline.batch import classify_dump

        target = Path(output)
        if fmt == "articles":
            target = target.with_name(f".{target.stem}.passages.jsonl")
        report = classify_dump(list(dumps), target, bundle_path, settings, workers=workers, chunk_size=chunk_size,
                               resume=resume, overwrite=overwrite or fmt == "articles", progress=progress)
        if fmt == "articles":
            from pipeline.articles import write_article_records

            from pipeline.batch import report_path

            n = write_article_records(target, Path(output))
            target.unlink(missing_ok=True)
            report_path(target).replace(report_path(Path(output)))
            _say(f"hap classify: {n:,} article records -> {output}")
    _print_rejects(report.rejects)
    _say(f"hap classify: {report.summary()} -> {output}")


def _print_rejects(rejects: list[dict[str, Any]], limit: int = 20) -> None:
    for reject in rejects[:limit]:
        _say(f"rejected {reject['where']}: {reject['reason']}")
    if len(rejects) > limit:
        _say(f"... and {len(rejects) - limit} more rejects (see the .report.json file)")


@main.command()
@click.argument("corpus", nargs=-1)
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Bundle folder to write.")
@click.option("--ner-epochs", type=click.IntRange(0), default=0, show_default=True, help="Train a spaCy NER for this many epochs (0: lexicon ruler only).")
@click.option("--folds", type=click.IntRange(2), default=5, show_default=True, help="Grouped cross-validation folds.")
@click.option("--lexicons", type=click.Path(file_okay=False), default=None, help="Lexicon folder [default: corpus/lexicons].")
@click.option("--quick", is_flag=True, help="Cross-validate only the first candidate (faster).")
@click.option("--jobs", type=click.IntRange(1), default=2, show_default=True, help="Cross-validation folds fitted in parallel.")
@_fail_cleanly
def train(corpus: tuple[str, ...], output: str, ner_epochs: int, folds: int, lexicons: str | None, quick: bool,
          jobs: int) -> None:
    """Train a model bundle on CORPUS files or folders (corrections last: a later record wins)."""
    from pipeline.train import DEFAULT_CANDIDATES, TrainSettings, train_bundle

    paths = list(corpus) or [str(default_corpus_dir())]
    settings = TrainSettings(candidates=DEFAULT_CANDIDATES[:1] if quick else DEFAULT_CANDIDATES, folds=folds,
                             ner_epochs=ner_epochs, lexicon_dir=Path(lexicons) if lexicons else None, n_jobs=jobs)
    train_bundle(paths, Path(output), settings, report=_say)


@main.command()
@click.argument("labelled", nargs=-1, required=True)
@click.option("--model", type=click.Path(), default=None, help="Model bundle folder [default: models/default].")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@click.option("--review-threshold", type=click.FloatRange(0, 1), default=None, help="Override the bundle's threshold.")
@click.option("--no-entities", is_flag=True, help="Skip entity scores.")
@click.option("--learning-curve", is_flag=True, help="Also retrain on 10/25/50/100% of the bundle's corpus and score each.")
@click.option("--draw-seeds", type=click.IntRange(min=1), default=None, metavar="N",
              help="Also retrain on the whole corpus with N seeds for the random training copies "
                   "(the bundle's own first) and show the spread of macro-F1.")
@_fail_cleanly
def evaluate(labelled: tuple[str, ...], model: str | None, as_json: bool, review_threshold: float | None,
             no_entities: bool, learning_curve: bool, draw_seeds: int | None) -> None:
    """Score a model on LABELLED JSONL (text, label, optional entities and fields)."""
    from pipeline.bundle import load_bundle
    from pipeline.evaluate import evaluate_records, format_report
    from pipeline.io.corpus import read_labelled

    bundle = load_bundle(Path(model) if model else default_model_dir())
    records = read_labelled(labelled)
    result = evaluate_records(bundle, records, review_threshold=review_threshold, entities=not no_entities)
    if learning_curve:
        from pipeline.curves import learning_curve as curve

        result["learning_curve"] = curve(bundle, records, report=_say)
    if draw_seeds:
        from pipeline.curves import draw_seed_spread

        result["draw_seeds"] = draw_seed_spread(bundle, records, draw_seeds, report=_say)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(result))
        if learning_curve:
            click.echo(_format_learning_curve(result["learning_curve"]))
        if draw_seeds:
            click.echo(_format_draw_seeds(result["draw_seeds"]))


def _format_learning_curve(points: list[dict[str, Any]]) -> str:
    lines = ["\nlearning curve (share of training corpus -> macro-F1 on these passages):"]
    lines += [f"  {point['fraction']:>5.0%}  {point['passages']:>6} passages  macro-F1 {point['macro_f1']:.3f}"
              for point in points]
    return "\n".join(lines)


def _format_draw_seeds(spread: dict[str, Any]) -> str:
    labels = list(spread["per_label_f1_range"])
    lines = ["\ndraw seeds (whole corpus, other random training copies -> F1 on these passages):",
             "  seed  macro-F1  " + "  ".join(f"{label[:11]:>11}" for label in labels)]
    for row in spread["seeds"]:
        lines.append(f"  {row['seed']:>4}  {row['macro_f1']:>8.3f}  "
                     + "  ".join(f"{row['per_label_f1'][label]:>11.3f}" for label in labels))
    macro = spread["macro_f1"]
    lines.append(f"  macro-F1 mean {macro['mean']:.3f}, range {macro['min']:.3f}-{macro['max']:.3f} "
                 f"over {len(spread['seeds'])} seeds")
    return "\n".join(lines)


@main.command()
@click.option("--model", type=click.Path(), default=None, help="Model bundle folder [default: models/default].")
@_fail_cleanly
def info(model: str | None) -> None:
    """Show a bundle's labels, versions, training corpus and scores (and check its files)."""
    from pipeline.bundle import load_bundle

    bundle = load_bundle(Path(model) if model else default_model_dir())
    meta = bundle.meta
    cls = meta.get("classifier", {})
    click.echo(f"model: {bundle.path}")
    click.echo(f"created: {meta.get('created')}   versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()))
    click.echo(f"labels: {', '.join(bundle.labels)}")
    corpus = meta.get("corpus", {})
    click.echo(f"corpus: {corpus.get('passages')} passages, {corpus.get('topics')} topics, sha256 {str(corpus.get('sha256'))[:12]}")
    if cls:
        click.echo(f"classifier: {cls.get('params')}; grouped CV macro-F1 {cls.get('cv', {}).get('macro_f1')}")
    click.echo(f"review threshold: {bundle.review_threshold}")
    ent = meta.get("entities", {})
    click.echo(f"entities: {ent.get('patterns')} lexicon patterns; NER: {'trained' if ent.get('ner') else 'none'}")
    click.echo("files: all present, hashes match")


@main.command()
@click.argument("new", type=click.Path(exists=True, file_okay=False))
@click.option("--to", "target", type=click.Path(file_okay=False), default=None, help="Bundle to replace [default: models/default].")
@click.option("--heldout", multiple=True, help="Held-out labelled JSONL [default: corpus/heldout].")
@click.option("--force", is_flag=True, help="Promote even when the new bundle scores worse.")
@_fail_cleanly
def promote(new: str, target: str | None, heldout: tuple[str, ...], force: bool) -> None:
    """Replace models/default by NEW if it scores at least as well on held-out passages."""
    from pipeline.promote import promote as do_promote

    current = Path(target) if target else default_model_dir()
    paths = list(heldout) or [str(default_corpus_dir() / "heldout")]
    result = do_promote(Path(new), current, paths, force=force)
    if result.get("current"):
        click.echo(f"held-out macro-F1 ({result['passages']} passages): new {result['new']['macro_f1']:.4f}, "
                   f"current {result['current']['macro_f1']:.4f}")
        for label, f1 in result["new"]["per_label_f1"].items():
            click.echo(f"  {label:<12} new {f1:.3f}  current {result['current']['per_label_f1'].get(label, 0):.3f}")
    _say(f"hap promote: {new} -> {current}")


@main.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Corpus-format JSONL to write.")
@click.option("--format", "fmt", type=click.Choice(["auto", "doccano", "labelstudio", "prodigy"]), default="auto", show_default=True)
@click.option("--topic", default="imported", show_default=True, help="Topic given to imported passages.")
@_fail_cleanly
def import_(source: str, output: str, fmt: str, topic: str) -> None:
    """Convert doccano, Label Studio or Prodigy labels to corpus JSONL."""
    from pipeline.annotations import import_annotations

    records = import_annotations(source, None if fmt == "auto" else fmt)
    with open(output, "w", encoding="utf-8") as fh:
        for i, r in enumerate(records):
            r = {"id": r.get("id") or f"imp-{i}", "text": r["text"], "label": r["label"], "topic": topic,
                 "source_style": "imported", "entities": r["entities"]}
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    _say(f"hap import: {len(records)} passages -> {output}")


@main.command("export")
@click.argument("labelled", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["doccano", "labelstudio", "prodigy"]), required=True)
@_fail_cleanly
def export(labelled: str, output: str, fmt: str) -> None:
    """Convert corpus JSONL (or corrections) to doccano, Label Studio or Prodigy format."""
    from pipeline.annotations import export_annotations
    from pipeline.io.corpus import read_labelled

    records = [{"id": r.id, "text": r.text, "label": r.label, "entities": r.entities} for r in read_labelled([labelled])]
    n = export_annotations(records, output, fmt)
    _say(f"hap export: {n} passages -> {output} ({fmt})")


@main.group()
def corpus() -> None:
    """Check the labelled corpus."""


@corpus.command("check")
@click.argument("folder", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@_fail_cleanly
def corpus_check(folder: str | None, as_json: bool) -> None:
    """Validate every corpus file and print counts and diversity figures (exit 1 on problems)."""
    from pipeline.corpus_check import check_corpus, format_check

    result = check_corpus(Path(folder) if folder else default_corpus_dir())
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else format_check(result))
    if result["problems"] or not result["diversity"]["passes"]:
        sys.exit(1)


@corpus.command("suggest-terms")
@click.argument("folder", required=False)
@click.option("--lexicons", type=click.Path(file_okay=False), default=None,
              help="Lexicon folder [default: FOLDER/lexicons].")
@click.option("--min-spans", type=click.IntRange(min=1), default=LEXICON_MIN_SPANS, show_default=True,
              help="Gold spans a text needs before it is suggested.")
@click.option("--min-precision", type=click.FloatRange(0.0, 1.0), default=LEXICON_MIN_PRECISION, show_default=True,
              help="Share of the text's free-standing occurrences that must be marked with the type.")
@click.option("--write", is_flag=True, help="Append the suggestions to the lexicon files.")
@_fail_cleanly
def corpus_suggest_terms(folder: str | None, lexicons: str | None, min_spans: int, min_precision: float,
                         write: bool) -> None:
    """List span texts of the training passages that no lexicon lists yet (held-out files are not read)."""
    from pipeline.io.corpus import read_labelled
    from pipeline.lexicon_induction import append_terms, lexicon_coverage, suggest_terms

    root = Path(folder) if folder else default_corpus_dir()
    lexicon_dir = Path(lexicons) if lexicons else root / "lexicons"
    records = read_labelled([root])
    terms = suggest_terms(records, lexicon_dir, min_spans=min_spans, min_precision=min_precision)
    for t in terms:
        click.echo(f"{t.label}\t{t.term}\t{t.spans} gold\t{t.precision:.2f} of {t.occurrences} occurrences")
    coverage = lexicon_coverage(records, lexicon_dir)
    _say("span texts listed in the lexicons: "
         + ", ".join(f"{label} {c['listed']:.1%} of {c['spans']}" for label, c in coverage.items()))
    if write:
        written = append_terms(lexicon_dir, terms)
        _say(f"hap corpus suggest-terms: appended {sum(written.values())} terms to {lexicon_dir} "
             + ", ".join(f"{k} {v}" for k, v in written.items()))
    else:
        _say(f"hap corpus suggest-terms: {len(terms)} suggestions (add --write to append them)")


if __name__ == "__main__":
    main()
