"""Read dumps into a stream of ``Article`` and ``Reject`` objects, in input order.

A dump is a text/markdown/HTML file (one article), a folder of files (recursive), a JSON Lines,
CSV or Parquet file with ``id`` and ``text`` (other columns are carried in ``Article.meta``),
or ``-`` for JSON Lines on stdin; any file may be compressed (.gz, .bz2, .zst). A record that
cannot be read becomes a ``Reject`` naming the file, the line and the reason; reading goes on.
Nothing here loads more than one record (or one text file) into memory at a time.
"""
from __future__ import annotations

import codecs
import csv
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from pipeline.config import MAX_RECORD_CHARS
from pipeline.errors import InputError, Msg
from pipeline.io.compression import COMPRESSION_SUFFIXES, open_binary, split_suffix
from pipeline.types import Article, Reject

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
TABLE_SUFFIXES = {".jsonl", ".ndjson", ".csv", ".parquet"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES
MAX_JSON_DEPTH = 20

Record = Article | Reject


def read_dump(path: str | Path, max_chars: int = MAX_RECORD_CHARS) -> Iterator[Record]:
    """Yield every record of a dump as an ``Article`` or a ``Reject``.

    Args:
        path: a file, a folder, or ``"-"`` for JSON Lines on stdin.
        max_chars: records with longer text are rejected rather than processed.

    Raises:
        InputError: the path does not exist or has an unsupported type.
    """
    if str(path) == "-":
        yield from _read_jsonl_stream(sys.stdin.buffer, "-", "stdin", max_chars)
        return
    path = Path(path)
    if path.is_dir():
        yield from _read_folder(path, max_chars)
    elif path.is_file():
        base, suffix, _ = split_suffix(path)
        if suffix not in SUPPORTED:
            raise InputError(Msg.E002.format(path=path, suffix=suffix or path.suffix))
        yield from _read_file(path, Path(base).stem, max_chars)
    else:
        raise InputError(Msg.E001.format(path=path))


def _read_folder(folder: Path, max_chars: int) -> Iterator[Record]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not _hidden(p, folder))
    for path in files:
        base, suffix, _ = split_suffix(path)
        rel = path.relative_to(folder).as_posix()
        if suffix not in SUPPORTED:
            yield Reject(str(path), None, Msg.E002.format(path=rel, suffix=suffix or path.suffix))
            continue
        article_id = rel[: len(rel) - len(path.name)] + Path(base).stem
        yield from _read_file(path, article_id, max_chars)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _read_file(path: Path, article_id: str, max_chars: int) -> Iterator[Record]:
    _, suffix, _ = split_suffix(path)
    try:
        if suffix in (".jsonl", ".ndjson"):
            with open_binary(path) as fh:
                yield from _read_jsonl_stream(fh, str(path), path.name.split(".")[0], max_chars)
        elif suffix == ".csv":
            with open_binary(path) as fh:
                yield from _read_csv_stream(fh, str(path), path.name.split(".")[0], max_chars)
        elif suffix == ".parquet":
            yield from _read_parquet(path, max_chars)
        else:
            yield _read_single_text(path, article_id, suffix, max_chars)
    except (EOFError, OSError) as exc:     # truncated archive, file gone or unreadable mid-run
        yield Reject(str(path), None, _io_reason(exc))


def _io_reason(exc: BaseException) -> str:
    if isinstance(exc, EOFError) or "end-of-stream" in str(exc) or "truncated" in str(exc).lower():
        return Msg.E014.format(detail=str(exc) or type(exc).__name__)
    if isinstance(exc, FileNotFoundError):
        return Msg.E015.format(detail=str(exc))
    return Msg.E012.format(detail=str(exc) or type(exc).__name__)


def _read_single_text(path: Path, article_id: str, suffix: str, max_chars: int) -> Record:
    with open_binary(path) as fh:
        data = fh.read(max_chars * 4 + 4)
    source = str(path)
    if b"\x00" in data:
        return Reject(source, _line_of(data, data.index(b"\x00")), Msg.E009)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Reject(source, _line_of(data, exc.start), Msg.E008.format(pos=exc.start))
    if suffix in HTML_SUFFIXES:
        from pipeline.io.html import extract_main_text

        text = extract_main_text(text)
        if text is None:
            return Reject(source, None, Msg.E017)
    problem = _text_problem(text, max_chars)
    if problem:
        return Reject(source, None, problem)
    return Article(article_id, text, source, {})


def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def _text_problem(text: Any, max_chars: int) -> str | None:
    if not isinstance(text, str):
        return Msg.E006.format(kind=_kind_name(text))
    if not text.strip():
        return Msg.E007
    if len(text) > max_chars:
        return Msg.E016.format(size=len(text), limit=max_chars)
    return None


def _kind_name(value: Any) -> str:
    return {type(None): "null", bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "an array", dict: "an object"}.get(type(value), type(value).__name__)


def _record(obj: Any, source: str, line: int, stem: str, max_chars: int) -> Record:
    """Turn one parsed JSON/CSV/Parquet record into an Article or a Reject."""
    where = f"{source}:{line}"
    if not isinstance(obj, dict):
        return Reject(source, line, Msg.E004.format(kind=_kind_name(obj).replace("a ", "").replace("an ", "")))
    if "text" not in obj:
        found = ", ".join(sorted(map(str, obj))) or "no fields"
        return Reject(source, line, Msg.E005.format(found=found))
    problem = _text_problem(obj["text"], max_chars)
    if problem:
        return Reject(source, line, problem)
    raw_id = obj.get("id")
    article_id = f"{stem}:{line}" if raw_id is None or raw_id == "" else str(raw_id)
    meta = {k: v for k, v in obj.items() if k not in ("id", "text")}
    return Article(article_id, obj["text"], where, meta)


def _read_jsonl_stream(fh: BinaryIO, source: str, stem: str, max_chars: int) -> Iterator[Record]:
    for number, raw in enumerate(fh, 1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        if not raw.strip():
            continue
        if b"\x00" in raw:
            yield Reject(source, number, Msg.E009)
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Reject(source, number, Msg.E008.format(pos=exc.start))
            continue
        if len(line) > max_chars * 2:
            yield Reject(source, number, Msg.E016.format(size=len(line), limit=max_chars))
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(source, number, Msg.E003.format(detail=f"{exc.msg} at column {exc.colno}"))
            continue
        except RecursionError:
            yield Reject(source, number, Msg.E018.format(limit=MAX_JSON_DEPTH))
            continue
        if _depth(obj) > MAX_JSON_DEPTH:
            yield Reject(source, number, Msg.E018.format(limit=MAX_JSON_DEPTH))
            continue
        yield _record(obj, source, number, stem, max_chars)


def _depth(obj: Any, level: int = 0) -> int:
    if level > MAX_JSON_DEPTH:
        return level
    if isinstance(obj, dict):
        return max((_depth(v, level + 1) for v in obj.values()), default=level + 1)
    if isinstance(obj, list):
        return max((_depth(v, level + 1) for v in obj), default=level + 1)
    return level


def _decoded_lines(fh: BinaryIO, bad: set[int]) -> Iterator[str]:
    """Decode line by line so one bad byte spoils one row, not the rest of the file."""
    for number, raw in enumerate(fh, 1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            bad.add(number)
            yield raw.decode("utf-8", errors="replace")


def _read_csv_stream(fh: BinaryIO, source: str, stem: str, max_chars: int) -> Iterator[Record]:
    csv.field_size_limit(max(max_chars * 4, 131072))
    bad: set[int] = set()
    reader = csv.reader(_decoded_lines(fh, bad))
    header: list[str] | None = None
    first = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Reject(source, first, Msg.E012.format(detail=f"CSV: {exc}"))
            first = reader.line_num + 1
            continue
        lines = range(first, reader.line_num + 1)
        start, first = first, reader.line_num + 1
        if header is None:
            header = [h.strip() for h in row]
            continue
        if not any(cell.strip() for cell in row):
            continue
        if bad.intersection(lines):
            yield Reject(source, start, Msg.E008.format(pos="?"))
        elif "text" not in header:
            yield Reject(source, start, Msg.E011.format(found=", ".join(header)))
        elif len(row) != len(header):
            yield Reject(source, start, Msg.E010.format(found=len(row), expected=len(header)))
        else:
            yield _record(dict(zip(header, row)), source, start, stem, max_chars)


def _read_parquet(path: Path, max_chars: int) -> Iterator[Record]:
    import pyarrow.parquet as pq

    source, stem = str(path), path.name.split(".")[0]
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid/OSError subclasses for bad files
        yield Reject(source, None, Msg.E012.format(detail=f"not a readable Parquet file: {exc}"))
        return
    names = pf.schema_arrow.names
    row_number = 0
    for batch in pf.iter_batches(batch_size=1000):
        for obj in batch.to_pylist():
            row_number += 1
            if "text" not in names:
                yield Reject(source, row_number, Msg.E011.format(found=", ".join(names)))
            else:
                yield _record(obj, source, row_number, stem, max_chars)


def read_records(paths: Iterable[str | Path], max_chars: int = MAX_RECORD_CHARS) -> Iterator[Record]:
    """``read_dump`` over several paths, in order."""
    for path in paths:
        yield from read_dump(path, max_chars)


__all__ = ["read_dump", "read_records", "SUPPORTED", "COMPRESSION_SUFFIXES"]
