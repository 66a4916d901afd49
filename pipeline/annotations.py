"""Import and export of labels in the formats annotation tools use.

- doccano JSONL: ``{"text", "label": [[start, end, "TYPE"], ...] | ["class"], "cats"?}``
  (sequence labelling puts spans in ``label``; text classification puts class names there);
- Label Studio JSON: a list of tasks ``{"data": {"text"}, "annotations": [{"result": [...]}]}``
  with ``labels`` results for spans and a ``choices`` result for the passage label;
- Prodigy-style JSONL: ``{"text", "label" | "accept": [...], "spans": [{start, end, label}],
  "answer"?}`` (rejected and ignored answers are skipped on import).

Everything converts to and from the corpus record (``text, label, entities``) so a round trip
keeps every label and span.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.errors import Msg, TrainingDataError

FORMATS = ("doccano", "labelstudio", "prodigy")


def _span(start: int, end: int, label: str, text: str) -> dict[str, Any]:
    return {"start": int(start), "end": int(end), "label": str(label), "text": text[int(start):int(end)]}


def _from_doccano(obj: dict[str, Any], where: str) -> dict[str, Any]:
    text = obj["text"]
    labels = obj.get("label", obj.get("labels", []))
    spans = [_span(s, e, t, text) for s, e, t in (x for x in labels if isinstance(x, (list, tuple)) and len(x) == 3)]
    classes = [x for x in labels if isinstance(x, str)] + list(obj.get("cats", []) or [])
    return {"text": text, "label": classes[0] if classes else None, "entities": spans}


def _from_prodigy(obj: dict[str, Any], where: str) -> dict[str, Any] | None:
    if obj.get("answer") in {"reject", "ignore"}:
        return None
    text = obj["text"]
    label = obj.get("label")
    if label is None and obj.get("accept"):
        label = obj["accept"][0]
    spans = [_span(s["start"], s["end"], s["label"], text) for s in obj.get("spans", []) or []]
    return {"text": text, "label": label, "entities": spans}


def _from_labelstudio(task: dict[str, Any], where: str) -> dict[str, Any]:
    text = task["data"]["text"]
    results = []
    for annotation in task.get("annotations", []) or []:
        if not annotation.get("was_cancelled"):
            results = annotation.get("result", [])
    label, spans = None, []
    for result in results:
        value = result.get("value", {})
        if result.get("type") == "choices" and value.get("choices"):
            label = value["choices"][0]
        elif result.get("type") == "labels":
            spans.append(_span(value["start"], value["end"], value["labels"][0], text))
    return {"text": text, "label": label, "entities": sorted(spans, key=lambda s: s["start"])}


def detect_format(obj: Any) -> str | None:
    if isinstance(obj, dict) and isinstance(obj.get("data"), dict) and "text" in obj["data"]:
        return "labelstudio"
    if isinstance(obj, dict) and "text" in obj and ("spans" in obj or "accept" in obj or "answer" in obj):
        return "prodigy"
    if isinstance(obj, dict) and "text" in obj and isinstance(obj.get("label", obj.get("labels")), list):
        return "doccano"
    if isinstance(obj, dict) and "text" in obj and isinstance(obj.get("label"), str):
        return "prodigy"
    return None


def import_annotations(path: str | Path, fmt: str | None = None) -> list[dict[str, Any]]:
    """Corpus records (``text, label, entities``) from an annotation tool's export file."""
    path = Path(path)
    raw = path.read_text(encoding="utf-8-sig")
    if raw.lstrip().startswith("["):
        items = [(f"{path}[{i}]", obj) for i, obj in enumerate(json.loads(raw))]
    else:
        items = []
        for number, line in enumerate(raw.splitlines(), start=1):
            if line.strip():
                try:
                    items.append((f"{path}:{number}", json.loads(line)))
                except json.JSONDecodeError as exc:
                    raise TrainingDataError(Msg.E031.format(where=f"{path}:{number}", detail=f"invalid JSON ({exc})")) from exc
    records = []
    for where, obj in items:
        kind = fmt or detect_format(obj)
        try:
            record = {"doccano": _from_doccano, "prodigy": _from_prodigy, "labelstudio": _from_labelstudio}[kind](obj, where) \
                if kind else None
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise TrainingDataError(Msg.E053.format(where=where) + f" ({type(exc).__name__}: {exc})") from exc
        if kind is None:
            raise TrainingDataError(Msg.E053.format(where=where))
        if record is not None:
            record["id"] = str(obj.get("id", obj.get("meta", {}).get("id", ""))) if isinstance(obj, dict) else ""
            records.append(record)
    return records


def export_annotations(records: Iterable[dict[str, Any]], path: str | Path, fmt: str) -> int:
    """Write corpus records in ``fmt`` (doccano, labelstudio or prodigy)."""
    out = []
    for i, r in enumerate(records):
        ents = r.get("entities") or []
        if fmt == "doccano":
            out.append({"id": r.get("id", i), "text": r["text"],
                        "label": [[e["start"], e["end"], e["label"]] for e in ents], "cats": [r["label"]] if r.get("label") else []})
        elif fmt == "prodigy":
            out.append({"id": r.get("id", i), "text": r["text"], "label": r.get("label"), "answer": "accept",
                        "spans": [{"start": e["start"], "end": e["end"], "label": e["label"]} for e in ents]})
        elif fmt == "labelstudio":
            result = [{"type": "labels", "from_name": "entities", "to_name": "text",
                       "value": {"start": e["start"], "end": e["end"], "text": r["text"][e["start"]:e["end"]], "labels": [e["label"]]}}
                      for e in ents]
            if r.get("label"):
                result.append({"type": "choices", "from_name": "label", "to_name": "text", "value": {"choices": [r["label"]]}})
            out.append({"id": i, "data": {"text": r["text"], "id": r.get("id", i)}, "annotations": [{"result": result}]})
        else:
            raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    path = Path(path)
    if fmt == "labelstudio":
        path.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out), encoding="utf-8")
    return len(out)
