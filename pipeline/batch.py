"""The batch runner: a dump in, one output file and a run report out, in bounded memory.

Records are read as a stream and cut into chunks of ``chunk_size`` records. Each chunk goes
through ``run.process_chunk`` (in this process, or with ``workers`` N > 1 in this process
and N-1 child processes, each loading the model bundle once) and is written as a part file
under ``<output>.parts/``; the part's stats file is renamed into place last, so a part either exists complete or not at all. A
killed run restarted with ``--resume`` skips the finished chunks. Parts are appended, in chunk
order, to a merged file as they finish; when every chunk is done it is renamed onto the output
(atomically) and the parts folder removed.
Output order is therefore the input order, whatever the number of workers.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pipeline.bundle import Bundle, load_bundle
from pipeline.config import DEFAULT_CHUNK_SIZE
from pipeline.errors import Msg, OutputError
from pipeline.io.readers import read_records
from pipeline.io.writers import open_writer, output_format
from pipeline.run import ChunkStats, RunSettings, process_chunk
from pipeline.seen_ids import SeenIds
from pipeline.types import Article, Reject

MANIFEST = "manifest.json"


@dataclass
class RunReport:
    """What a run did: counts, rejects with their reasons, timing. Written as JSON."""

    inputs: list[str]
    output: str
    articles: int = 0
    passages: int = 0
    dropped: int = 0
    errors: int = 0
    records_in: int = 0
    rejects: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1
    resumed_chunks: int = 0
    labels: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        rate = self.passages / self.seconds if self.seconds else 0.0
        return (f"{self.articles:,} articles, {self.passages:,} passages, {self.dropped:,} dropped, "
                f"{len(self.rejects):,} rejects, {self.errors:,} errors in {self.seconds:.1f} s "
                f"({rate:,.0f} passages/s)")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def add_chunk(self, info: dict[str, Any]) -> None:
        """Add one chunk's stats (as written next to its part file) to the totals."""
        self.articles += info["articles"]
        self.passages += info["passages"]
        self.dropped += info["dropped"]
        self.errors += info["errors"]
        self.rejects.extend(info["rejects"])
        for label, n in info.get("labels", {}).items():
            self.labels[label] = self.labels.get(label, 0) + n


# --- reading in chunks -------------------------------------------------------------------

def _dedupe(records: Iterable[Article | Reject]) -> Iterator[Article | Reject]:
    """Reject repeated ids (E013) so that ids stay unique keys of the output."""
    seen = SeenIds()
    for record in records:
        if isinstance(record, Article):
            first = seen.add(record.id, record.source or "")
            if first is not None:
                yield Reject(record.source or record.id, None, Msg.E013.format(id=record.id, first=first))
                continue
        yield record


def iter_chunks(paths: Iterable[str | Path], chunk_size: int) -> Iterator[list[Article | Reject]]:
    """The dump's records (rejects included) in lists of ``chunk_size``."""
    stream = _dedupe(read_records(paths))
    while True:
        chunk = list(itertools.islice(stream, chunk_size))
        if not chunk:
            return
        yield chunk


# --- worker processes ----------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(bundle_path: str, settings: RunSettings) -> None:
    """Load the bundle once per worker process (not once per chunk)."""
    import pipeline  # noqa: F401  (registers spaCy components)

    bundle = load_bundle(bundle_path)
    if settings.entities:
        bundle.nlp  # noqa: B018 - load the spaCy pipeline now, not in the first chunk
    _WORKER["bundle"], _WORKER["settings"] = bundle, settings


def _run_chunk(chunk: list[Article | Reject], part: Path, bundle: Bundle, settings: RunSettings) -> dict[str, Any]:
    """Process one chunk and commit its part file; returns the part's stats."""
    rows, stats = process_chunk(chunk, bundle, settings)
    return _write_part(part, rows, stats)


def _work(chunk: list[Article | Reject], part: str) -> dict[str, Any]:
    return _run_chunk(chunk, Path(part), _WORKER["bundle"], _WORKER["settings"])


# --- parts and checkpoints ---------------------------------------------------------------

def _stats_path(part: Path) -> Path:
    return part.with_name(part.name + ".stats.json")


def _write_part(part: Path, rows: list, stats: ChunkStats) -> dict[str, Any]:
    """Write one chunk's rows, then commit it by renaming its stats file into place."""
    writer = open_writer(part)
    try:
        if rows:
            writer.write(rows)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    labels: dict[str, int] = {}
    for row in rows:
        labels[str(row.label)] = labels.get(str(row.label), 0) + 1
    info = {**asdict(stats), "rows": len(rows), "labels": labels}
    tmp = part.with_name(f".{part.name}.stats.tmp-{os.getpid()}")
    try:
        tmp.write_text(json.dumps(info), encoding="utf-8")
        os.replace(tmp, _stats_path(part))
    except OSError as exc:
        raise OutputError(Msg.E041.format(path=part, detail=exc.strerror or exc)) from exc
    return info


def _done(part: Path) -> dict[str, Any] | None:
    stats = _stats_path(part)
    if stats.exists() and part.exists():
        return json.loads(stats.read_text(encoding="utf-8"))
    return None


def _settings_key(paths: list[str], settings: RunSettings, chunk_size: int, bundle: Bundle) -> dict[str, Any]:
    return {"inputs": [str(Path(p).resolve()) if p != "-" else "-" for p in paths],
            "settings": asdict(settings), "chunk_size": chunk_size,
            "model": hashlib.sha256(json.dumps(bundle.meta.get("files", {}), sort_keys=True).encode()).hexdigest()}


def _prepare_parts(output: Path, key: dict[str, Any], resume: bool, overwrite: bool) -> Path:
    parts = output.with_name(output.name + ".parts")
    manifest = parts / MANIFEST
    if parts.exists() and not (resume or overwrite):
        raise OutputError(Msg.E042.format(path=parts))
    if parts.exists() and overwrite:
        shutil.rmtree(parts)
    if parts.exists():
        old = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else {}
        if old != key:
            changed = sorted(k for k in key if old.get(k) != key[k])
            raise OutputError(Msg.E043.format(path=parts, detail="changed: " + ", ".join(changed)))
    else:
        try:
            parts.mkdir(parents=True)
            manifest.write_text(json.dumps(key, indent=2), encoding="utf-8")
        except OSError as exc:
            raise OutputError(Msg.E041.format(path=parts, detail=exc.strerror or exc)) from exc
    return parts


class PartMerger:
    """Appends finished part files, in chunk order, to the output while the run goes on.

    Merging as chunks finish keeps the main process busy while the workers compute,
    instead of re-reading every part after the last chunk. The merged file is built inside
    the parts folder and renamed onto ``output`` only by ``commit``, so a killed run never
    leaves a partial output, and a resumed run rebuilds it from the parts.
    """

    def __init__(self, output: Path, work_dir: Path) -> None:
        self.output = output
        self.format = output_format(output)
        self.tmp = work_dir / f"merged{output.suffix}"
        self._parts = 0
        try:
            if self.format == "parquet":
                import pyarrow.parquet as pq

                from pipeline.io.writers import parquet_schema

                self._schema = parquet_schema()
                self._read_table = pq.read_table
                self._parquet = pq.ParquetWriter(self.tmp, self._schema)
            else:
                self._file = open(self.tmp, "wb")  # noqa: SIM115 - closed in commit/discard
        except OSError as exc:
            raise OutputError(Msg.E041.format(path=output, detail=exc.strerror or exc)) from exc

    def add(self, part: Path) -> None:
        """Append one part (its rows, without a repeated CSV header)."""
        try:
            if self.format == "parquet":
                self._parquet.write_table(self._read_table(part, schema=self._schema))
            else:
                with open(part, "rb") as fh:
                    if self.format == "csv" and self._parts > 0:
                        fh.readline()          # each CSV part repeats the header
                    shutil.copyfileobj(fh, self._file, 1 << 20)
        except OSError as exc:
            self.discard()
            raise OutputError(Msg.E041.format(path=self.output, detail=exc.strerror or exc)) from exc
        self._parts += 1

    def _close(self) -> None:
        if self.format == "parquet":
            self._parquet.close()
        else:
            self._file.close()

    def commit(self) -> None:
        """Finish the merged file and move it onto ``output`` atomically."""
        try:
            self._close()
            os.replace(self.tmp, self.output)
        except OSError as exc:
            self.discard()
            raise OutputError(Msg.E041.format(path=self.output, detail=exc.strerror or exc)) from exc

    def discard(self) -> None:
        try:
            self._close()
        except Exception:  # noqa: BLE001 - already failing; the tmp file goes anyway
            pass
        self.tmp.unlink(missing_ok=True)


# --- the run --------------------------------------------------------------------------------

def classify_dump(paths: list[str | Path], output: str | Path, bundle_path: str | Path,
                  settings: RunSettings = RunSettings(), workers: int = 1,
                  chunk_size: int = DEFAULT_CHUNK_SIZE, resume: bool = False, overwrite: bool = False,
                  progress: bool | None = None) -> RunReport:
    """Classify a dump into ``output`` and return the run report.

    Args:
        paths: input files/folders (``"-"`` for JSON Lines on stdin).
        output: ``.jsonl``, ``.csv`` or ``.parquet``; its report goes to ``<output>.report.json``.
        bundle_path: the model bundle folder.
        settings: what each chunk goes through.
        workers: processes; each loads the bundle once.
        chunk_size: records per chunk (and per checkpoint).
        resume: continue a killed run from its checkpoints.
        overwrite: discard checkpoints of an earlier run.
        progress: show a progress bar (default: when stderr is a terminal).
    """
    started = time.perf_counter()
    output = Path(output)
    output_format(output)
    bundle = load_bundle(bundle_path)
    if settings.entities:
        bundle.nlp  # noqa: B018 - fail early on a broken spaCy folder; this process runs chunks too
    str_paths = [str(p) for p in paths]
    parts_dir = _prepare_parts(output, _settings_key(str_paths, settings, chunk_size, bundle), resume, overwrite)
    suffix = output.suffix
    report = RunReport(inputs=str_paths, output=str(output), workers=workers)
    bar = _progress_bar(progress)
    part_files: list[Path] = []
    infos: dict[int, dict[str, Any]] = {}
    merger = PartMerger(output, parts_dir)

    def record(index: int, info: dict[str, Any]) -> None:
        """Called in chunk order: count the chunk and append its part to the output."""
        infos[index] = info
        merger.add(part_files[index])
        bar.update(info["articles"] + len(info["rejects"]))

    def chunks() -> Iterator[tuple[int, list[Article | Reject], Path, dict[str, Any] | None]]:
        """Every chunk with its part file, and its stats when a resumed run finished it already."""
        for index, chunk in enumerate(iter_chunks(str_paths, chunk_size)):
            part = parts_dir / f"part-{index:06d}{suffix}"
            part_files.append(part)
            info = _done(part)
            if info is not None:
                report.resumed_chunks += 1
            yield index, chunk, part, info

    try:
        if workers <= 1:
            for index, chunk, part, info in chunks():
                record(index, info if info is not None else _run_chunk(chunk, part, bundle, settings))
        else:
            # N workers are this process and N-1 children: this process takes every Nth chunk
            # itself, so the process tree holds N copies of the models, not N+1. Each pending
            # entry is a callable giving the chunk's stats; they are settled in chunk order.
            with ProcessPoolExecutor(max_workers=workers - 1, initializer=_init_worker,
                                     initargs=(str(bundle_path), settings)) as pool:
                pending: deque[tuple[int, Callable[[], dict[str, Any]]]] = deque()
                started_here = 0
                for index, chunk, part, info in chunks():
                    if info is not None:
                        job = (lambda done=info: done)
                    else:
                        if started_here % workers == 0:
                            job = partial(_run_chunk, chunk, part, bundle, settings)
                        else:
                            job = pool.submit(_work, chunk, str(part)).result
                        started_here += 1
                    pending.append((index, job))
                    while len(pending) >= 2 * workers:      # bounded: memory does not grow with the dump
                        index, job = pending.popleft()
                        record(index, job())
                while pending:
                    index, job = pending.popleft()
                    record(index, job())
    except BaseException:
        merger.discard()
        raise
    bar.close()
    merger.commit()
    for index in sorted(infos):
        report.add_chunk(infos[index])
    report.records_in = report.articles + len(report.rejects)
    report.seconds = round(time.perf_counter() - started, 3)
    write_report(report, output)
    shutil.rmtree(parts_dir, ignore_errors=True)
    return report


def report_path(output: Path) -> Path:
    return output.with_name(output.name + ".report.json")


def write_report(report: RunReport, output: Path) -> Path:
    path = report_path(output)
    try:
        path.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise OutputError(Msg.E041.format(path=path, detail=exc.strerror or exc)) from exc
    return path


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(progress: bool | None) -> Any:
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(unit=" records", file=sys.stderr, dynamic_ncols=True)
