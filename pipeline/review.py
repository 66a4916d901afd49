"""Reviewing outputs in a notebook: load, render, queue, correct.

The loop: ``load_output`` an output file as a DataFrame, walk ``review_queue`` (the
``needs_review`` rows first, then the smallest margin between the two most likely labels),
look at each passage with ``render_passage`` (displaCy entities, label, confidence, fields),
check what repeats across the dump's articles (``repeated_passages``), and
``save_corrections`` in the corpus format, with reviewer and time, for ``hap train``.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.errors import Msg, OutputError

_NESTED = ("probabilities", "entities", "fields", "meta")


def load_output(path: str | Path) -> pd.DataFrame:
    """An output file (.jsonl, .csv, .parquet, or a parquet dataset folder) as a DataFrame
    with nested columns as Python objects, plus a ``margin`` column (top-1 minus top-2)."""
    path = Path(path)
    if path.is_dir() or path.suffix == ".parquet":
        df = pd.read_parquet(path)
    elif path.suffix == ".csv":
        df = pd.read_csv(path)
    else:
        df = pd.read_json(path, lines=True, dtype=False)
    for column in _NESTED:
        if column in df.columns:
            df[column] = df[column].map(_as_object)
    if "entities" in df.columns:
        df["entities"] = df["entities"].map(lambda v: [dict(e) for e in v] if v is not None else [])
    if "probabilities" in df.columns:
        df["margin"] = df["probabilities"].map(_margin)
    return df


def _as_object(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        return json.loads(value)
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list) and value and isinstance(value[0], tuple):   # parquet map -> list of pairs
        return dict(value)
    return value


def _margin(probabilities: Any) -> float:
    if not probabilities:
        return 1.0
    top = sorted((float(v) for v in dict(probabilities).values()), reverse=True)
    return round(top[0] - (top[1] if len(top) > 1 else 0.0), 4)


def review_queue(df: pd.DataFrame, limit: int | None = 50) -> pd.DataFrame:
    """Rows to review first: ``needs_review`` ones, then by smallest top-two margin."""
    queue = df.assign(_flag=~df["needs_review"].fillna(False).astype(bool)).sort_values(
        ["_flag", "margin"], kind="stable").drop(columns="_flag")
    return queue.head(limit) if limit else queue


_NON_WORD = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")


def passage_key(text: str) -> str:
    """A passage's text with case, digits, punctuation and spacing normalised, so that the same
    notice with another year or another bullet ("© 2023 ..." and "© 2024 ...") is one key."""
    return _NON_WORD.sub(" ", _DIGIT.sub("0", str(text).lower())).strip()


def _keys(df: pd.DataFrame, column: str) -> tuple[pd.Series, str]:
    """``passage_key`` of each row's ``column`` (``text`` when the output has no such column)."""
    column = column if column in df.columns else "text"
    return df[column].map(passage_key), column


def add_repeats(df: pd.DataFrame, column: str = "clean_text") -> pd.DataFrame:
    """``df`` with a ``repeats`` column: how many different articles of the dump hold the same
    passage (``passage_key``). Site furniture (cookie notices, sign-up prompts, author bios)
    repeats across a site's pages; most health text does not."""
    keys, _ = _keys(df, column)
    return df.assign(repeats=df.groupby(keys)["article_id"].transform("nunique").astype(int))


def repeated_passages(df: pd.DataFrame, min_articles: int = 3, column: str = "clean_text") -> pd.DataFrame:
    """Passages found in at least ``min_articles`` different articles, most repeated first,
    with the labels they were given: a repeated passage not labelled boilerplate (or citation:
    one reference can be cited on many pages) is worth a look.

    Why a review aid rather than a classifier feature: the labelled corpus holds each passage
    once and the real development pages repeat none, so no weight for repetition can be
    learned or checked; the reviewer decides.
    """
    if min_articles < 1:
        raise ValueError(f"min_articles must be at least 1, got {min_articles}")
    keys, column = _keys(df, column)
    keyed = df.assign(_key=keys)
    keyed = keyed[keyed["_key"] != ""]
    groups = keyed.groupby("_key", sort=False)
    out = pd.DataFrame({
        "articles": groups["article_id"].nunique(),
        "rows": groups.size(),
        "labels": groups["label"].agg(lambda s: dict(s.value_counts())),
        "text": groups[column].first(),
    })
    out = out[out["articles"] >= min_articles]
    out["all_boilerplate_or_citation"] = out["labels"].map(lambda d: set(d) <= {"boilerplate", "citation"})
    return out.sort_values(["articles", "rows"], ascending=False, kind="stable").reset_index(drop=True)


def label_distribution(df: pd.DataFrame) -> pd.Series:
    return df["label"].value_counts()


def render_passage(row: pd.Series | dict[str, Any], jupyter: bool = False) -> str:
    """HTML for one row: label, confidence, the text with entities highlighted, and fields."""
    from spacy import displacy

    row = dict(row)
    text = row.get("text") or ""
    ents = sorted(({"start": e["start"], "end": e["end"], "label": e["label"]} for e in row.get("entities") or []),
                  key=lambda e: e["start"])
    body = displacy.render({"text": text, "ents": ents, "title": None}, style="ent", manual=True, jupyter=False)
    head = (f"<div><b>{html.escape(str(row.get('article_id')))} #{row.get('passage')}</b> — "
            f"<b>{html.escape(str(row.get('label')))}</b> ({float(row.get('confidence') or 0):.2f})"
            f"{' ⚑ needs review' if row.get('needs_review') else ''}</div>")
    fields = row.get("fields")
    table = ""
    if isinstance(fields, dict) and fields:
        cells = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(json.dumps(v, ensure_ascii=False))}</td></tr>"
                        for k, v in fields.items() if v not in (None, [], False))
        table = f"<table>{cells}</table>"
    out = head + body + table
    if jupyter:
        from IPython.display import HTML, display

        display(HTML(out))
    return out


def correction(row: pd.Series | dict[str, Any], label: str, reviewer: str,
               entities: list[dict[str, Any]] | None = None, note: str = "") -> dict[str, Any]:
    """A corpus-format record for one reviewed passage (the model's entities kept unless given)."""
    row = dict(row)
    meta = row.get("meta") or {}
    return {
        "id": f"corr-{row.get('article_id')}-{row.get('passage')}",
        "text": row["text"],
        "label": label,
        "topic": meta.get("topic") or meta.get("title") or "review",
        "source_style": meta.get("source_style") or "reviewed_output",
        "entities": entities if entities is not None else list(row.get("entities") or []),
        "reviewer": reviewer,
        "reviewed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "model_label": row.get("label"),
        "note": note,
    }


def save_corrections(records: Iterable[dict[str, Any]], path: str | Path, append: bool = True) -> int:
    """Append corrections to a JSONL file; ``hap train corpus/ FILE`` lets the latest win."""
    path = Path(path)
    records = list(records)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a" if append else "w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise OutputError(Msg.E041.format(path=path, detail=exc.strerror or exc)) from exc
    return len(records)
