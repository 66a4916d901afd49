"""``hap segment``: a dump to passages with offsets, no model involved."""
from __future__ import annotations

import time
from pathlib import Path

from pipeline.batch import RunReport, iter_chunks, write_report
from pipeline.config import DEFAULT_CHUNK_SIZE
from pipeline.io.writers import open_writer
from pipeline.segment import segment_text
from pipeline.types import Reject, Row


def segment_dump(paths: list[str], output: Path, chunk_size: int = DEFAULT_CHUNK_SIZE) -> RunReport:
    """Write one row per passage of every article in ``paths``; return the run report."""
    started = time.perf_counter()
    report = RunReport(inputs=[str(p) for p in paths], output=str(output))
    writer = open_writer(output)
    try:
        for chunk in iter_chunks(paths, chunk_size):
            rows = []
            for record in chunk:
                if isinstance(record, Reject):
                    report.rejects.append({"where": record.where(), "reason": record.reason})
                    continue
                seg = segment_text(record.text, record.id)
                report.dropped += seg.dropped
                if not seg.passages:
                    report.rejects.append({"where": record.source or record.id,
                                           "reason": f"no passage with words ({seg.dropped} wordless line(s) dropped)"})
                    continue
                report.articles += 1
                rows.extend(Row(p.article_id, p.index, p.start, p.end, p.text, p.clean_text, p.heading,
                                source=record.source, meta=record.meta) for p in seg.passages)
            report.passages += len(rows)
            writer.write(rows)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    report.records_in = report.articles + len(report.rejects)
    report.seconds = round(time.perf_counter() - started, 3)
    if str(output) != "-":
        write_report(report, output)
    return report
