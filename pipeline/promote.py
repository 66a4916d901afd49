"""Promotion: a new bundle replaces ``models/default`` only when it is not worse.

Both bundles are scored on the same held-out labelled passages (by default the team-written
``corpus/heldout/`` files, which training never reads); the new one must reach at least the
current macro-F1. The replacement is a copy then two renames, so a failure leaves the current
bundle in place.
"""
from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.bundle import load_bundle
from pipeline.errors import ModelError, Msg
from pipeline.evaluate import evaluate_records
from pipeline.io.corpus import read_labelled
from pipeline.metrics import per_label_f1


def compare_bundles(new: Path, current: Path, heldout: Sequence[str | Path]) -> dict[str, Any]:
    """Macro-F1 and per-label F1 of both bundles on the held-out passages."""
    records = read_labelled(heldout)
    out = {}
    for name, path in (("new", new), ("current", current)):
        result = evaluate_records(load_bundle(path), records, entities=False)
        cls = result["classification"]
        out[name] = {"path": str(path), "macro_f1": cls["macro_f1"],
                     "per_label_f1": per_label_f1(cls), "confusion": cls["confusion"],
                     "labels": cls["labels"]}
    out["passages"] = len(records)
    return out


def promote(new: Path, current: Path, heldout: Sequence[str | Path], force: bool = False) -> dict[str, Any]:
    """Replace ``current`` by ``new`` when its held-out macro-F1 is at least as high."""
    new, current = Path(new), Path(current)
    comparison = compare_bundles(new, current, heldout) if current.exists() else {
        "new": {"macro_f1": None}, "current": None}
    if current.exists() and not force and comparison["new"]["macro_f1"] < comparison["current"]["macro_f1"]:
        raise ModelError(Msg.E052.format(new=new, new_f1=comparison["new"]["macro_f1"],
                                         old_f1=comparison["current"]["macro_f1"], old=current))
    staging = current.with_name(f".{current.name}.incoming")
    backup = current.with_name(f".{current.name}.previous")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(new, staging)
    shutil.rmtree(backup, ignore_errors=True)
    if current.exists():
        current.rename(backup)
    staging.rename(current)
    shutil.rmtree(backup, ignore_errors=True)
    return comparison
