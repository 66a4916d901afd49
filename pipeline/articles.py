"""The article-level view: one JSON object per article, built from the passage rows.

Each article record has its passages grouped by label, its exercise records (name, steps,
dosage), its reference list (parsed citations, in order) and its condition records.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import Msg, OutputError


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def article_record(article_id: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One article's structured record from its passage rows (in passage order)."""
    by_label: dict[str, list[int]] = {}
    for row in rows:
        by_label.setdefault(str(row.get("label")), []).append(row["passage"])
    record: dict[str, Any] = {
        "article_id": article_id,
        "meta": rows[0].get("meta") or {},
        "passages": len(rows),
        "passages_by_label": by_label,
        "exercises": [], "references": [], "conditions": [],
        "needs_review": [r["passage"] for r in rows if r.get("needs_review")],
    }
    for row in rows:
        fields = row.get("fields") or {}
        entry = {"passage": row["passage"], "start": row["start"], "end": row["end"], **fields}
        if row.get("label") == "exercise":
            record["exercises"].append(entry)
        elif row.get("label") == "citation":
            record["references"].append(entry)
        elif row.get("label") == "condition":
            record["conditions"].append(entry)
    return record


def write_article_records(passages_jsonl: Path, output: Path) -> int:
    """Group a passage-level JSONL output by article into ``output`` (JSONL); returns articles."""
    if output.suffix.lower() not in {".jsonl", ".json", ".ndjson"}:
        raise OutputError(Msg.E040.format(path=output, suffix=output.suffix) + " (--format articles writes JSON Lines)")
    n = 0
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            current: str | None = None
            rows: list[dict[str, Any]] = []
            for row in _rows(passages_jsonl):
                if row["article_id"] != current and rows:
                    out.write(json.dumps(article_record(current, rows), ensure_ascii=False) + "\n")
                    n += 1
                    rows = []
                current = row["article_id"]
                rows.append(row)
            if rows:
                out.write(json.dumps(article_record(current, rows), ensure_ascii=False) + "\n")
                n += 1
        tmp.replace(output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(Msg.E041.format(path=output, detail=exc.strerror or exc)) from exc
    return n
