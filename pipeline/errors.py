"""Exception classes and the one table of user-facing messages.

Every message says what was expected, what was found and how to fix it, and carries a short
code (``E012``) so users can search for it and tests can match it.
"""
from __future__ import annotations


class Msg:
    # input
    E001 = "{path}: no such file or folder."
    E002 = "{path}: unsupported input type {suffix!r}; expected .txt, .md, .html, .jsonl, .csv, .parquet (optionally .gz/.bz2/.zst), a folder, or '-'."
    E003 = "invalid JSON ({detail}); expected one JSON object per line."
    E004 = "the record is a JSON {kind}, expected an object with 'id' and 'text'."
    E005 = "no 'text' field; expected a string field 'text' (found: {found})."
    E006 = "'text' is {kind}, expected a string."
    E007 = "empty text: nothing to classify."
    E008 = "invalid UTF-8 at byte {pos}; re-encode the file as UTF-8."
    E009 = "binary content (NUL bytes); expected a text file."
    E010 = "CSV row has {found} fields, the header has {expected}."
    E011 = "no 'text' column; expected a column named 'text' (columns: {found})."
    E012 = "cannot read file: {detail}."
    E013 = "duplicate id {id!r} (first seen at {first}); ids must be unique within a run."
    E014 = "the file ended early ({detail}); the rest of it could not be read."
    E015 = "the file vanished or became unreadable during the run: {detail}."
    E016 = "record of {size:,} characters exceeds the limit of {limit:,}; split it or raise --max-chars."
    E017 = "the HTML page has no extractable main text."
    E018 = "nesting deeper than {limit} levels; expected a flat object with 'id' and 'text'."
    # model bundle
    E020 = "No model at {path}. Train one with `hap train corpus/ -o {path}` or pass --model DIR."
    E021 = "{path}: the model bundle is incomplete ({detail}). Retrain it with `hap train corpus/ -o {bundle}`."
    E022 = "{path}: file hash does not match meta.json (the file was changed or corrupted). Retrain with `hap train corpus/ -o {bundle}` or restore the file from git."
    E023 = "{path}: the bundle was built with {lib} {built}, but {installed} is installed. Install {lib}=={built} or retrain with `hap train corpus/ -o {bundle}`."
    E024 = "{path}: unreadable meta.json ({detail}). Restore it from git or retrain with `hap train corpus/ -o {bundle}`."
    # training data
    E030 = "{where}: unknown label {label!r}; expected one of {labels}."
    E031 = "{where}: {detail}"
    E032 = "No labelled passages found in {paths}; expected JSONL files with 'text' and 'label'."
    E033 = "Training needs at least 2 labels with 2 passages each; found {counts}."
    E034 = "{path}: no .jsonl files found."
    # output
    E040 = "{path}: unsupported output type {suffix!r}; expected .jsonl, .csv or .parquet."
    E041 = "{path}: cannot write output ({detail})."
    E042 = "{path}: output exists from an earlier run; pass --resume to continue it or --overwrite to start again."
    E043 = "{path}: the checkpoints were made with different settings ({detail}); start again with --overwrite."
    # evaluation / review
    E050 = "{where}: label {label!r} is not known to the model (labels: {labels}); it is scored as an error."
    E051 = "{path}: nothing to evaluate; expected JSONL with 'text' and 'label'."
    E052 = "Refusing to promote {new}: its held-out macro-F1 {new_f1:.4f} is below {old_f1:.4f} of {old}. Pass --force to promote anyway."
    E053 = "{where}: unrecognised annotation format; expected doccano, Label Studio or Prodigy records."
    E060 = "The Dask engine needs the 'dask' extra: pip install '.[dask]' ({detail})."


class PipelineError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(PipelineError, ValueError):
    """An input path or record that cannot be used."""


class ModelError(PipelineError, RuntimeError):
    """A missing, corrupted or incompatible model bundle."""


class TrainingDataError(PipelineError, ValueError):
    """Labelled data that cannot be trained or evaluated on."""


class OutputError(PipelineError, OSError):
    """An output that cannot be written."""
