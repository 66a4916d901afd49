"""Turn dumps of scraped health articles into labelled, structured passages.

The stages are plain functions usable without the CLI::

    from pipeline import read_dump, segment_text, load_bundle, process_chunk, RunSettings
    bundle = load_bundle("models/default")
    rows, stats = process_chunk(list(read_dump("corpus/samples/dump.jsonl")), bundle, RunSettings())

Importing the package registers the ``health_`` spaCy components (``pipeline.entities``).
"""
from __future__ import annotations

__version__ = "0.1.0"

from pipeline import entities as _entities  # noqa: E402,F401  (registers spaCy components)
from pipeline.batch import RunReport, classify_dump  # noqa: E402
from pipeline.bundle import Bundle, load_bundle, save_bundle  # noqa: E402
from pipeline.classify import build_classifier, predict_passages  # noqa: E402
from pipeline.dosage import parse_dosage  # noqa: E402
from pipeline.errors import InputError, ModelError, OutputError, PipelineError, TrainingDataError  # noqa: E402
from pipeline.evaluate import evaluate_records, format_report  # noqa: E402
from pipeline.io import read_dump, read_records  # noqa: E402
from pipeline.io.corpus import read_labelled  # noqa: E402
from pipeline.references import parse_reference  # noqa: E402
from pipeline.run import RunSettings, process_chunk  # noqa: E402
from pipeline.segment import segment_text, whole_passage  # noqa: E402
from pipeline.structure import structure_passage  # noqa: E402
from pipeline.train import TrainSettings, train_bundle  # noqa: E402
from pipeline.types import Article, Entity, Passage, Reject, Row, from_frame, to_frame  # noqa: E402

__all__ = [
    "__version__", "Article", "Bundle", "Entity", "InputError", "ModelError", "OutputError", "Passage",
    "PipelineError", "Reject", "Row", "RunReport", "RunSettings", "TrainSettings", "TrainingDataError",
    "build_classifier", "classify_dump", "evaluate_records", "format_report", "from_frame", "load_bundle",
    "parse_dosage", "parse_reference", "predict_passages", "process_chunk", "read_dump", "read_labelled",
    "read_records", "save_bundle", "segment_text", "structure_passage", "to_frame", "train_bundle",
    "whole_passage",
]
