"""``hap evaluate``'s grouped scores: per topic, per source and per annotator confidence."""
import json

from pipeline.bundle import load_bundle
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
