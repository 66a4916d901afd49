"""``hap evaluate``'s grouped scores (per topic, per source, per annotator confidence) and its
spread of macro-F1 over the training copies' random draws."""
import json
from pathlib import Path

import pytest

from pipeline.bundle import load_bundle
from pipeline.curves import draw_seed_spread
from pipeline.evaluate import evaluate_records, format_report
from pipeline.io.corpus import read_labelled


def test_scores_are_split_by_the_annotators_confidence(tiny_model, tiny_corpus, tmp_path):
    rows = [json.loads(line) for line in tiny_corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    for i, row in enumerate(rows):
        row["confidence"] = "borderline" if i % 3 == 0 else "sure"
    path = tmp_path / "with_confidence.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")

    result = evaluate_records(load_bundle(tiny_model), read_labelled([path]), entities=False)

    groups = result["by_annotator_confidence"]
    assert set(groups) == {"sure", "borderline"}
    assert groups["sure"]["n"] + groups["borderline"]["n"] == len(rows)
    assert "by annotator confidence" in format_report(result)


def test_no_confidence_group_without_the_field(tiny_model, tiny_corpus):
    result = evaluate_records(load_bundle(tiny_model), read_labelled([tiny_corpus]), entities=False)
    assert "by_annotator_confidence" not in result and "by_topic" in result


HELDOUT = Path(__file__).resolve().parents[1] / "corpus" / "heldout" / "heldout.jsonl"


def test_draw_seed_spread_starts_with_the_bundles_own_fit(tiny_model):
    bundle = load_bundle(tiny_model)
    records = read_labelled([HELDOUT])
    own = evaluate_records(bundle, records, entities=False)["classification"]["macro_f1"]

    spread = draw_seed_spread(bundle, records, 3, report=lambda msg: None)

    assert [row["seed"] for row in spread["seeds"]] == [13, 1, 2]
    assert spread["seeds"][0]["macro_f1"] == pytest.approx(own)      # refit with its seed = the bundle
    values = [row["macro_f1"] for row in spread["seeds"]]
    assert spread["macro_f1"]["min"] == min(values) and spread["macro_f1"]["max"] == max(values)
    assert min(values) <= spread["macro_f1"]["mean"] <= max(values)
    low, high = spread["per_label_f1_range"]["exercise"]
    assert low <= high


def test_evaluate_prints_the_draw_seed_table(tiny_model):
    from click.testing import CliRunner

    from pipeline.cli import main

    result = CliRunner().invoke(main, ["evaluate", str(HELDOUT), "--model", str(tiny_model),
                                       "--no-entities", "--draw-seeds", "2"])
    assert result.exit_code == 0, result.output
    assert "draw seeds" in result.output and "range" in result.output and "over 2 seeds" in result.output
    rejected = CliRunner().invoke(main, ["evaluate", str(HELDOUT), "--model", str(tiny_model), "--draw-seeds", "0"])
    assert rejected.exit_code != 0 and "--draw-seeds" in rejected.output
