"""Read labelled passages (the corpus, corrections, evaluation sets) from JSON Lines.

A labelled record has ``text`` and ``label`` and optionally ``id``, ``topic``,
``source_style``, ``entities`` (``[{start, end, label}]``, character offsets into ``text``)
and ``fields``. Errors name the file and line. A folder is searched recursively for
``*.jsonl``, skipping ``samples/`` (unlabelled demo dumps), ``lexicons/`` and
``heldout/`` (passages kept out of training to compare and promote models; name the folder
explicitly to read it).
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import Msg, TrainingDataError
from pipeline.io.compression import open_binary

SKIPPED_FOLDERS = {"samples", "lexicons", "heldout"}


@dataclass(frozen=True, slots=True)
class Labelled:
    """One labelled passage as read from a file, with where it came from."""

    text: str
    label: str
    id: str = ""
    topic: str = ""
    source_style: str = ""
    entities: list[dict[str, Any]] = field(default_factory=list)
    fields: dict[str, Any] | None = None
    where: str = ""
    annotated: bool = False               # the record has an 'entities' key (even empty)
    extra: dict[str, Any] = field(default_factory=dict)


def labelled_files(paths: Iterable[str | Path]) -> list[Path]:
    """The JSONL files named by ``paths`` (files, or folders searched recursively)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.jsonl")
                           if not SKIPPED_FOLDERS & set(p.relative_to(path).parts[:-1]))
            if not found:
                raise TrainingDataError(Msg.E034.format(path=path))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise TrainingDataError(Msg.E001.format(path=path))
    return files


def read_labelled(paths: Iterable[str | Path], require_label: bool = True) -> list[Labelled]:
    """Every labelled passage in ``paths``, in file order.

    Raises:
        TrainingDataError: naming the file and line of the first malformed record.
    """
    records: list[Labelled] = []
    for path in labelled_files(paths):
        records.extend(_read_file(path, require_label))
    if not records:
        raise TrainingDataError(Msg.E032.format(paths=", ".join(str(p) for p in paths)))
    return records


_KNOWN = {"id", "text", "label", "topic", "source_style", "entities", "fields"}


def _read_file(path: Path, require_label: bool) -> list[Labelled]:
    out = []
    with open_binary(path) as fh:
        for number, raw in enumerate(fh, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise TrainingDataError(Msg.E031.format(where=where, detail=f"not a JSON object ({exc})")) from exc
            out.append(_labelled(obj, where, require_label))
    return out


def _labelled(obj: Any, where: str, require_label: bool) -> Labelled:
    if not isinstance(obj, dict):
        raise TrainingDataError(Msg.E031.format(where=where, detail="expected a JSON object with 'text' and 'label'"))
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise TrainingDataError(Msg.E031.format(where=where, detail="'text' must be a non-empty string"))
    label = obj.get("label")
    if require_label and (not isinstance(label, str) or not label):
        raise TrainingDataError(Msg.E031.format(where=where, detail="'label' must be a non-empty string"))
    entities = obj.get("entities") or []
    if not isinstance(entities, list):
        raise TrainingDataError(Msg.E031.format(where=where, detail="'entities' must be a list"))
    for ent in entities:
        _check_entity(ent, text, where)
    fields = obj.get("fields")
    if fields is not None and not isinstance(fields, dict):
        raise TrainingDataError(Msg.E031.format(where=where, detail="'fields' must be an object"))
    return Labelled(
        text=text, label=label or "", id=str(obj.get("id", "")), topic=str(obj.get("topic") or ""),
        source_style=str(obj.get("source_style") or ""), entities=entities, fields=fields, where=where,
        annotated="entities" in obj,
        extra={k: v for k, v in obj.items() if k not in _KNOWN},
    )


def _check_entity(ent: Any, text: str, where: str) -> None:
    if not isinstance(ent, dict) or not {"start", "end", "label"} <= set(ent):
        raise TrainingDataError(Msg.E031.format(where=where, detail=f"entity {ent!r} needs start, end and label"))
    start, end = ent["start"], ent["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise TrainingDataError(Msg.E031.format(
            where=where, detail=f"entity span {start}-{end} is outside the text (length {len(text)})"))
    if "text" in ent and text[start:end] != ent["text"]:
        raise TrainingDataError(Msg.E031.format(
            where=where, detail=f"entity text {ent['text']!r} does not match text[{start}:{end}] = {text[start:end]!r}"))
