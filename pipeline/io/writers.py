"""Write output rows as JSON Lines, CSV or Parquet, streaming, one batch at a time.

The format follows the file extension. Nested values (probabilities, entities, fields, meta)
stay nested in JSON Lines and Parquet; CSV holds them as JSON strings. Files are written under
a temporary name and renamed when closed, so a killed run never leaves a half-written file
under the final name.
"""
from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from pipeline.errors import Msg, OutputError
from pipeline.types import OUTPUT_COLUMNS, Row

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet"}
_NESTED = ("probabilities", "entities", "fields", "meta")


def output_format(path: str | Path) -> str:
    """``jsonl``, ``csv`` or ``parquet`` from the extension (``-`` means JSON Lines on stdout)."""
    if str(path) == "-":
        return "jsonl"
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(Msg.E040.format(path=path, suffix=suffix))
    return FORMATS[suffix]


class RowWriter(Protocol):
    def write(self, rows: list[Row]) -> None: ...
    def close(self) -> None: ...
    def abort(self) -> None: ...


class _AtomicFile:
    """Writes to ``<path>.tmp-<pid>`` and renames onto ``path`` on close."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        try:
            self.tmp.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(Msg.E041.format(path=path, detail=exc)) from exc

    def commit(self) -> None:
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self.tmp.unlink(missing_ok=True)


def _guard(path: Path, action: Any) -> Any:
    try:
        return action()
    except OSError as exc:   # disk full, permission denied, vanished folder ...
        raise OutputError(Msg.E041.format(path=path, detail=exc.strerror or exc)) from exc


class JsonlWriter:
    def __init__(self, path: Path) -> None:
        self.target = _AtomicFile(path)
        self.fh = _guard(path, lambda: open(self.target.tmp, "w", encoding="utf-8"))

    def write(self, rows: list[Row]) -> None:
        lines = "".join(json.dumps(r.as_dict(), ensure_ascii=False) + "\n" for r in rows)
        _guard(self.target.path, lambda: self.fh.write(lines))

    def close(self) -> None:
        _guard(self.target.path, self.fh.close)
        self.target.commit()

    def abort(self) -> None:
        self.fh.close()
        self.target.discard()


class CsvWriter:
    def __init__(self, path: Path) -> None:
        self.target = _AtomicFile(path)
        self.fh = _guard(path, lambda: open(self.target.tmp, "w", encoding="utf-8", newline=""))
        self.writer = csv.DictWriter(self.fh, fieldnames=list(OUTPUT_COLUMNS))
        _guard(path, self.writer.writeheader)

    def write(self, rows: list[Row]) -> None:
        flat = []
        for r in rows:
            d = r.as_dict()
            for key in _NESTED:
                d[key] = json.dumps(d[key], ensure_ascii=False) if d[key] is not None else ""
            flat.append(d)
        _guard(self.target.path, lambda: self.writer.writerows(flat))

    def close(self) -> None:
        _guard(self.target.path, self.fh.close)
        self.target.commit()

    def abort(self) -> None:
        self.fh.close()
        self.target.discard()


def parquet_schema():  # noqa: ANN201 - pyarrow is imported lazily
    import pyarrow as pa

    entity = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("label", pa.string()),
                        ("text", pa.string()), ("code", pa.string())])
    return pa.schema([
        ("article_id", pa.string()), ("passage", pa.int64()), ("start", pa.int64()),
        ("end", pa.int64()), ("text", pa.string()), ("clean_text", pa.string()),
        ("heading", pa.string()), ("label", pa.string()), ("confidence", pa.float64()),
        ("probabilities", pa.map_(pa.string(), pa.float64())), ("needs_review", pa.bool_()),
        ("entities", pa.list_(entity)), ("fields", pa.string()), ("status", pa.string()),
        ("error", pa.string()), ("source", pa.string()), ("meta", pa.string()),
    ])


def rows_to_table(rows: list[Row]):  # noqa: ANN201
    """Rows as a pyarrow Table with the fixed output schema (fields and meta as JSON strings)."""
    import pyarrow as pa

    columns: dict[str, list[Any]] = {name: [] for name in OUTPUT_COLUMNS}
    for r in rows:
        d = r.as_dict()
        d["probabilities"] = list(d["probabilities"].items()) if d["probabilities"] else None
        d["entities"] = [{**e, "code": e.get("code")} for e in d["entities"]]
        d["fields"] = json.dumps(d["fields"], ensure_ascii=False) if d["fields"] is not None else None
        d["meta"] = json.dumps(d["meta"], ensure_ascii=False, default=str)
        for name in OUTPUT_COLUMNS:
            columns[name].append(d[name])
    return pa.table(columns, schema=parquet_schema())


class ParquetWriter:
    def __init__(self, path: Path) -> None:
        import pyarrow.parquet as pq

        self.target = _AtomicFile(path)
        self.writer = _guard(path, lambda: pq.ParquetWriter(self.target.tmp, parquet_schema(), compression="zstd"))

    def write(self, rows: list[Row]) -> None:
        if rows:
            table = rows_to_table(rows)
            _guard(self.target.path, lambda: self.writer.write_table(table))

    def write_table(self, table) -> None:  # noqa: ANN001 - used when merging parts
        _guard(self.target.path, lambda: self.writer.write_table(table))

    def close(self) -> None:
        _guard(self.target.path, self.writer.close)
        self.target.commit()

    def abort(self) -> None:
        try:
            self.writer.close()
        finally:
            self.target.discard()


class StdoutWriter:
    def write(self, rows: list[Row]) -> None:
        import sys

        sys.stdout.write("".join(json.dumps(r.as_dict(), ensure_ascii=False) + "\n" for r in rows))

    def close(self) -> None:
        import sys

        sys.stdout.flush()

    def abort(self) -> None:
        self.close()


def open_writer(path: str | Path) -> RowWriter:
    """A streaming writer for ``path``, chosen by its extension."""
    if str(path) == "-":
        return StdoutWriter()
    fmt = output_format(path)
    cls = {"jsonl": JsonlWriter, "csv": CsvWriter, "parquet": ParquetWriter}[fmt]
    return cls(Path(path))


def write_rows(rows: Iterable[Row], path: str | Path, batch_size: int = 1000) -> int:
    """Write all rows to ``path``; returns the number written."""
    writer = open_writer(path)
    count, batch = 0, []
    try:
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                writer.write(batch)
                count, batch = count + len(batch), []
        writer.write(batch)
        count += len(batch)
    except BaseException:
        writer.abort()
        raise
    writer.close()
    return count
