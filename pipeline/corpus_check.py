"""``hap corpus check``: validate the labelled corpus and measure its diversity.

Validation: every record has id, text, label (one of the five), topic and source_style;
entity spans are inside the text, match their text, sit on token boundaries and do not
overlap; fields have the right keys and types; ids are unique; no passage is a duplicate or
near-duplicate of another (half or more of its 8-word runs shared with one other passage).

Diversity (a corpus written from a few sentence frames teaches the frames, not the labels):
the most frequent four-word opening of each label must cover under 2% of that label, and
under 5% of passages may share three or more 8-word runs with other passages.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from pipeline.lexicons import lexicon_files, read_lexicon
from pipeline.types import ENTITY_TYPES

LABELS = ("boilerplate", "citation", "exercise", "condition", "other")
REQUIRED = ("id", "text", "label", "topic", "source_style")
EXERCISE_FIELDS = {"sets", "reps", "hold_s", "hold_breaths", "rest_s", "per_side", "frequency"}
CITATION_FIELDS = {"authors", "title", "journal", "year", "volume", "issue", "pages", "pmid", "doi"}
PERIODS = {"hour", "day", "2 days", "week", "month"}
MAX_OPENING_SHARE = 0.02
MAX_SHARED_RUNS_SHARE = 0.05
RUN_WORDS = 8
_WORDS = re.compile(r"[a-z0-9']+")


def _number_ok(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return value >= 0
    return isinstance(value, dict) and set(value) == {"min", "max"} and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values()) and value["min"] <= value["max"]


def field_problems(label: str, fields: Any) -> list[str]:
    """Type problems of a record's field gold (empty list when fine)."""
    if fields is None:
        return []
    if not isinstance(fields, dict):
        return ["fields must be an object"]
    problems = []
    if label == "exercise":
        if set(fields) != EXERCISE_FIELDS:
            problems.append(f"exercise fields must be exactly {sorted(EXERCISE_FIELDS)}")
        for key in ("sets", "reps", "hold_s", "hold_breaths", "rest_s"):
            if not _number_ok(fields.get(key)):
                problems.append(f"{key} must be a number, a {{min, max}} range or null")
        if not isinstance(fields.get("per_side"), bool):
            problems.append("per_side must be true or false")
        freq = fields.get("frequency")
        if freq is not None and not (isinstance(freq, dict) and set(freq) == {"times", "per"}
                                     and _number_ok(freq["times"]) and freq["per"] in PERIODS):
            problems.append(f"frequency must be null or {{times, per}} with per in {sorted(PERIODS)}")
    elif label == "citation":
        if set(fields) != CITATION_FIELDS:
            problems.append(f"citation fields must be exactly {sorted(CITATION_FIELDS)}")
        authors = fields.get("authors")
        if not (isinstance(authors, list) and all(isinstance(a, str) for a in authors)):
            problems.append("authors must be a list of strings")
        if fields.get("year") is not None and not (isinstance(fields["year"], int) and 1800 < fields["year"] < 2100):
            problems.append("year must be an integer year or null")
        for key in ("title", "journal", "volume", "issue", "pages", "pmid", "doi"):
            if fields.get(key) is not None and not isinstance(fields[key], str):
                problems.append(f"{key} must be a string or null")
        if fields.get("pmid") and not str(fields["pmid"]).isdigit():
            problems.append("pmid must be digits only")
    else:
        problems.append(f"label {label!r} has no field gold")
    return problems


def _entity_problems(text: str, entities: Any, doc: Any) -> list[str]:
    if not isinstance(entities, list):
        return ["entities must be a list"]
    problems = []
    starts = {t.idx for t in doc}
    ends = {t.idx + len(t.text) for t in doc}
    spans = []
    for ent in entities:
        try:
            start, end, label = ent["start"], ent["end"], ent["label"]
        except (TypeError, KeyError):
            problems.append(f"entity {ent!r} needs start, end and label")
            continue
        if label not in ENTITY_TYPES:
            problems.append(f"entity type {label!r} is not one of {ENTITY_TYPES}")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            problems.append(f"span {start}-{end} is outside the text")
            continue
        if "text" in ent and ent["text"] != text[start:end]:
            problems.append(f"span text {ent['text']!r} != text[{start}:{end}] {text[start:end]!r}")
        if start not in starts or end not in ends:
            problems.append(f"span {text[start:end]!r} ({start}-{end}) is not on token boundaries")
        spans.append((start, end))
    spans.sort()
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        if s2 < e1:
            problems.append(f"spans {text[s1:e1]!r} and {text[s2:e2]!r} overlap")
    return problems


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.lower())


def _runs(words: list[str]) -> set[int]:
    return {hash(" ".join(words[i:i + RUN_WORDS])) for i in range(max(len(words) - RUN_WORDS + 1, 0))}


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).rglob("*.jsonl") if not {"samples", "lexicons"} & set(p.relative_to(folder).parts[:-1]))


def check_corpus(folder: Path) -> dict[str, Any]:
    """Validate every corpus file under ``folder``; counts, diversity and problems as a dict."""
    from pipeline.tokenizer import blank_english

    nlp = blank_english()
    problems: list[str] = []
    records: list[dict[str, Any]] = []
    files = corpus_files(folder)
    if not files:
        problems.append(f"{folder}: no corpus .jsonl files")
    ids: dict[str, str] = {}
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            where = f"{path}:{number}"
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: invalid JSON ({exc})")
                continue
            missing = [k for k in REQUIRED if not obj.get(k)]
            if missing:
                problems.append(f"{where}: missing {', '.join(missing)}")
                continue
            if obj["label"] not in LABELS:
                problems.append(f"{where}: unknown label {obj['label']!r}; expected one of {LABELS}")
            if obj["id"] in ids:
                problems.append(f"{where}: duplicate id {obj['id']!r} (first at {ids[obj['id']]})")
            ids.setdefault(obj["id"], where)
            if "entities" in obj:
                span_problems = _entity_problems(obj["text"], obj["entities"], nlp.make_doc(obj["text"]))
                problems += [f"{where}: {p}" for p in span_problems]
                obj["_spans_valid"] = not span_problems
            problems += [f"{where}: {p}" for p in field_problems(obj["label"], obj.get("fields"))]
            obj["_where"] = where
            records.append(obj)
    diversity, near_dupes = _diversity(records)
    problems += near_dupes
    stats = _stats(records)
    stats["lexicons"] = _lexicon_stats(Path(folder) / "lexicons", problems)
    stats["lexicon_coverage"] = _lexicon_coverage(records, Path(folder) / "lexicons")
    return {"folder": str(folder), "files": len(files), "passages": len(records), **stats,
            "diversity": diversity, "problems": problems}


def _diversity(records: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    openings: dict[str, Counter[str]] = defaultdict(Counter)
    index: dict[int, list[int]] = defaultdict(list)
    runs_of = []
    seen_text: dict[str, str] = {}
    problems = []
    for i, rec in enumerate(records):
        words = _words(rec["text"])
        openings[rec["label"]][" ".join(words[:4])] += 1
        key = " ".join(words)
        if key in seen_text:
            problems.append(f"{rec['_where']}: duplicate of {seen_text[key]}")
        seen_text.setdefault(key, rec["_where"])
        runs = _runs(words)
        runs_of.append(runs)
        for run in runs:
            index[run].append(i)
    shared_counts = []
    for i, runs in enumerate(runs_of):
        partners: Counter[int] = Counter()
        shared = 0
        for run in runs:
            others = [j for j in index[run] if j != i]
            if others:
                shared += 1
                partners.update(set(others))
        shared_counts.append(shared)
        if runs and partners:
            j, n = partners.most_common(1)[0]
            if j > i and n >= 0.5 * min(len(runs), len(runs_of[j])) and n >= 3:
                problems.append(f"{records[i]['_where']}: near-duplicate of {records[j]['_where']} ({n} shared 8-word runs)")
    top_openings = {}
    for label, counter in sorted(openings.items()):
        opening, n = counter.most_common(1)[0]
        total = sum(counter.values())
        top_openings[label] = {"opening": opening, "count": n, "share": round(n / total, 4)}
    heavy = sum(1 for n in shared_counts if n >= 3)
    share = heavy / len(records) if records else 0.0
    passes = all(v["share"] < MAX_OPENING_SHARE for v in top_openings.values()) and share < MAX_SHARED_RUNS_SHARE
    return {"top_opening_by_label": top_openings, "passages_sharing_3plus_runs": heavy,
            "share_sharing_3plus_runs": round(share, 4), "passes": passes,
            "limits": {"opening_share": MAX_OPENING_SHARE, "shared_runs_share": MAX_SHARED_RUNS_SHARE}}, problems


def _stats(records: list[dict[str, Any]]) -> dict[str, Any]:
    entity_types: Counter[str] = Counter()
    for rec in records:
        for ent in rec.get("entities") or []:
            entity_types[ent.get("label", "?")] += 1
    fields = Counter(rec["label"] for rec in records if rec.get("fields"))
    return {
        "labels": dict(Counter(r["label"] for r in records).most_common()),
        "topics": dict(Counter(r["topic"] for r in records).most_common()),
        "source_styles": dict(Counter(r["source_style"] for r in records).most_common()),
        "hard_cases": sum(1 for r in records if r.get("hard_case")),
        "with_entities": sum(1 for r in records if r.get("entities")),
        "entity_types": dict(entity_types.most_common()),
        "with_fields": dict(fields),
    }


def _lexicon_coverage(records: list[dict[str, Any]], folder: Path) -> dict[str, dict[str, float]]:
    """How consistent the lexicons are with the spans: per type, the share of training-passage
    span texts that the lexicons list under that type (``hap corpus suggest-terms`` adds the rest)."""
    from pipeline.io.corpus import Labelled
    from pipeline.lexicon_induction import lexicon_coverage

    training = [Labelled(id=r["id"], text=r["text"], label=r["label"], entities=r["entities"])
                for r in records if r.get("entities") and r.get("_spans_valid")
                and "heldout" not in Path(r["_where"]).parts]
    return lexicon_coverage(training, folder) if folder.is_dir() else {}


def _lexicon_stats(folder: Path, problems: list[str]) -> dict[str, int]:
    counts = {}
    for label, path in lexicon_files(folder).items():
        terms = read_lexicon(path)
        lowered = Counter(t.lower() for t in terms)
        for term, n in lowered.items():
            if n > 1:
                problems.append(f"{path}: {term!r} listed {n} times")
        counts[label] = len(lowered)
    return counts


def format_check(result: dict[str, Any]) -> str:
    """The check as text: problems first, then counts and diversity."""
    lines = []
    for problem in result["problems"][:200]:
        lines.append(f"PROBLEM {problem}")
    if len(result["problems"]) > 200:
        lines.append(f"... {len(result['problems']) - 200} more problems")
    lines.append(f"{result['passages']:,} passages in {result['files']} files; {result['with_entities']:,} with entity spans; "
                 f"{result['hard_cases']:,} hard cases; field gold: {result['with_fields']}")
    lines.append("labels: " + ", ".join(f"{k} {v}" for k, v in result["labels"].items()))
    lines.append(f"topics ({len(result['topics'])}): " + ", ".join(f"{k} {v}" for k, v in result["topics"].items()))
    lines.append(f"voices ({len(result['source_styles'])}): " + ", ".join(f"{k} {v}" for k, v in result["source_styles"].items()))
    lines.append("entity spans: " + ", ".join(f"{k} {v}" for k, v in result["entity_types"].items()))
    lines.append("lexicon terms: " + ", ".join(f"{k} {v}" for k, v in result["lexicons"].items()))
    lines.append("span texts listed in the lexicons: " + ", ".join(
        f"{k} {v['listed']:.1%} of {v['spans']}" for k, v in result["lexicon_coverage"].items()))
    div = result["diversity"]
    for label, top in div["top_opening_by_label"].items():
        lines.append(f"most frequent opening of {label}: {top['opening']!r} {top['count']} ({top['share']:.1%}; limit {div['limits']['opening_share']:.0%})")
    lines.append(f"passages sharing 3+ eight-word runs with others: {div['passages_sharing_3plus_runs']} "
                 f"({div['share_sharing_3plus_runs']:.1%}; limit {div['limits']['shared_runs_share']:.0%})")
    ok = not result["problems"] and div["passes"]
    lines.append("corpus check: " + ("passed" if ok else f"FAILED ({len(result['problems'])} problems, diversity {'ok' if div['passes'] else 'over the limits'})"))
    return "\n".join(lines)
