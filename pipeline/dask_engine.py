"""The Dask engine: the same chunk function on a Dask cluster, writing a partitioned parquet
dataset (one ``part-NNNNNN.parquet`` per partition, in input order).

JSON Lines (and every other reader format) are read as a stream on the client and shipped in
chunks of ``chunk_size`` records, so rejects keep their file and line; Parquet dumps are read
by the workers themselves, one row group partition at a time (``dask.dataframe.read_parquet``).
Each worker process loads the model bundle once and keeps it (``_worker_bundle``). Without
``scheduler`` a ``LocalCluster`` with 2 single-threaded worker processes is started.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from pipeline.batch import RunReport, iter_chunks
from pipeline.errors import Msg, OutputError, PipelineError
from pipeline.run import RunSettings, process_chunk
from pipeline.types import Article

_BUNDLES: dict[str, Any] = {}


def _worker_bundle(bundle_path: str) -> Any:
    """The bundle, loaded once per worker process and cached for every later task."""
    if bundle_path not in _BUNDLES:
        import pipeline  # noqa: F401  (registers spaCy components on the worker)
        from pipeline.bundle import load_bundle

        _BUNDLES[bundle_path] = load_bundle(bundle_path)
    return _BUNDLES[bundle_path]


def _process_to_part(records: list, bundle_path: str, settings: RunSettings, part: str) -> dict[str, Any]:
    from dataclasses import asdict

    from pipeline.io.writers import ParquetWriter

    rows, stats = process_chunk(records, _worker_bundle(bundle_path), settings)
    writer = ParquetWriter(Path(part))
    writer.write(rows)
    writer.close()
    return {**asdict(stats), "rows": len(rows)}


def _parquet_partition(frame: Any, source: str, offset: int) -> list:
    from pipeline.io.readers import _record

    records = []
    for i, obj in enumerate(frame.to_dict(orient="records")):
        obj = {k: v for k, v in obj.items() if not (isinstance(v, float) and v != v)}
        records.append(_record(obj, source, offset + i + 1, Path(source).stem, 2_000_000))
    return records


def _process_parquet_partition(frame: Any, source: str, offset: int, bundle_path: str, settings: RunSettings,
                               part: str) -> dict[str, Any]:
    return _process_to_part(_parquet_partition(frame, source, offset), bundle_path, settings, part)


def classify_dask(paths: list[str], output: Path, bundle_path: Path, settings: RunSettings,
                  scheduler: str | None = None, chunk_size: int = 500, overwrite: bool = False,
                  max_in_flight: int = 8) -> RunReport:
    """Classify ``paths`` on a Dask cluster into the parquet dataset folder ``output``."""
    try:
        import dask.dataframe as dd
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise PipelineError(Msg.E060.format(detail=exc)) from exc
    from pipeline.bundle import load_bundle

    started = time.perf_counter()
    load_bundle(bundle_path)                                  # fail early, on the client
    output = Path(output)
    if output.exists():
        if not overwrite:
            raise OutputError(Msg.E042.format(path=output).replace("--resume to continue it or ", ""))
        shutil.rmtree(output)
    output.mkdir(parents=True)
    report = RunReport(inputs=[str(p) for p in paths], output=str(output), workers=0)
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        report.workers = len(client.scheduler_info().get("workers", {}))
        futures = []
        index = 0
        parquet = [p for p in paths if str(p).endswith(".parquet")]
        others = [p for p in paths if not str(p).endswith(".parquet")]
        results: dict[int, dict[str, Any]] = {}
        pending = as_completed()
        for path in parquet:
            frame = dd.read_parquet(path)
            offset = 0
            lengths = frame.map_partitions(len).compute()
            for partition, n in zip(frame.to_delayed(), lengths):
                part = output / f"part-{index:06d}.parquet"
                fut = client.submit(_process_parquet_partition, client.compute(partition), str(path), offset,
                                    str(bundle_path), settings, str(part), key=f"hap-part-{index}")
                futures.append((index, fut))
                pending.add(fut)
                offset += int(n)
                index += 1
        for chunk in iter_chunks(others, chunk_size) if others else []:
            part = output / f"part-{index:06d}.parquet"
            fut = client.submit(_process_to_part, chunk, str(bundle_path), settings, str(part), key=f"hap-part-{index}")
            futures.append((index, fut))
            pending.add(fut)
            index += 1
            while pending.count() >= max_in_flight:
                next(pending)
        for i, fut in futures:
            results[i] = fut.result()
        for i in sorted(results):
            report.add_chunk(results[i])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    report.records_in = report.articles + len(report.rejects)
    report.seconds = round(time.perf_counter() - started, 3)
    (output / "_report.json").write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
    return report


__all__ = ["classify_dask", "Article"]
