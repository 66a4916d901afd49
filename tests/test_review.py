"""The review loop: output -> queue -> corrections -> retrain -> promote; and tool formats."""
import json
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.annotations import export_annotations, import_annotations
from pipeline.batch import classify_dump
from pipeline.bundle import load_bundle
from pipeline.classify import predict_passages
from pipeline.cli import main
from pipeline.errors import ModelError
from pipeline.promote import promote
from pipeline.review import (add_repeats, correction, load_output, render_passage, repeated_passages, review_queue,
                             save_corrections)
from pipeline.train import DEFAULT_CANDIDATES, TrainSettings, train_bundle

QUICK = TrainSettings(candidates=DEFAULT_CANDIDATES[:1], folds=3)


@pytest.fixture()
def output(tiny_model, tmp_path):
    dump = tmp_path / "d.jsonl"
    texts = ["Our clinic offers a free first session for runners with knee pain, book online today.",
             "Hold the side plank for 20 seconds on each side, three rounds.",
             "Stretching before running does not seem to prevent injuries, according to several trials."]
    dump.write_text("".join(json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate(texts)), encoding="utf-8")
    out = tmp_path / "out.parquet"
    classify_dump([dump], out, tiny_model, progress=False)
    return out


def test_load_render_and_queue(output):
    df = load_output(output)
    assert len(df) == 3 and "margin" in df.columns
    queue = review_queue(df, limit=None)
    flagged = queue["needs_review"].tolist()
    assert flagged == sorted(flagged, reverse=True)          # flagged rows first
    html = render_passage(df.iloc[0])
    assert df.iloc[0]["label"] in html and "<div" in html


def test_corrections_change_predictions_and_promote_refuses_worse(output, tiny_corpus, fixtures, tiny_model, tmp_path):
    df = load_output(output)
    old = load_bundle(tiny_model)
    wanted = {"r0": "boilerplate", "r1": "exercise", "r2": "other"}
    before = {r.article_id: p.label for r, p in zip(df.itertuples(), predict_passages(old.classifier, df["clean_text"].tolist(), 0.5))}
    # the reviewer flips every passage to a label the old model did not give, to see the loop move
    flips = {k: next(lab for lab in ["citation", "condition", "other", "exercise"] if lab != before[k]) for k in wanted}
    corrections = tmp_path / "corrections.jsonl"
    save_corrections([correction(row, "other", "tester") for row in df.to_dict("records")], corrections)
    save_corrections([correction(row, flips[row["article_id"]], "tester") for row in df.to_dict("records")], corrections)
    first = json.loads(corrections.read_text().splitlines()[0])
    assert first["reviewer"] == "tester" and first["reviewed_at"]
    new = tmp_path / "new"
    settings = TrainSettings(candidates=QUICK.candidates, folds=3, lexicon_dir=fixtures / "lexicons")
    meta = train_bundle([tiny_corpus, corrections], new, settings, report=lambda m: None)
    assert meta["corpus"]["passages"] == 53                  # the latest correction of a passage wins
    after = predict_passages(load_bundle(new).classifier, df["clean_text"].tolist(), 0.5)
    assert {r.article_id: p.label for r, p in zip(df.itertuples(), after)} == flips
    # a model trained on shuffled labels must not replace the current one
    rows = [json.loads(line) for line in tiny_corpus.read_text().splitlines()]
    labels = [r["label"] for r in rows]
    shuffled = tmp_path / "shuffled.jsonl"
    shuffled.write_text("".join(json.dumps({**r, "label": labels[(i * 7) % len(labels)]}) + "\n" for i, r in enumerate(rows)))
    worse = tmp_path / "worse"
    train_bundle([shuffled], worse, settings, report=lambda m: None)
    current = tmp_path / "current"
    shutil.copytree(tiny_model, current)
    with pytest.raises(ModelError, match="Refusing to promote"):
        promote(worse, current, [tiny_corpus])
    assert load_bundle(current).meta["corpus"]["sha256"] == load_bundle(tiny_model).meta["corpus"]["sha256"]
    result = CliRunner().invoke(main, ["promote", str(worse), "--to", str(current), "--heldout", str(tiny_corpus)])
    assert result.exit_code == 1 and "Refusing to promote" in result.output
    promote(tiny_model, current, [tiny_corpus])              # equal scores are allowed


@pytest.mark.parametrize("fmt", ["doccano", "labelstudio", "prodigy"])
def test_import_export_round_trip(fmt, tmp_path):
    records = [{"id": "a", "text": "Gout hurts the big toe.", "label": "condition",
                "entities": [{"start": 0, "end": 4, "label": "CONDITION", "text": "Gout"},
                             {"start": 15, "end": 22, "label": "BODY_PART", "text": "big toe"}]},
               {"id": "b", "text": "We use cookies.", "label": "boilerplate", "entities": []}]
    path = tmp_path / f"x.{fmt}"
    export_annotations(records, path, fmt)
    back = import_annotations(path)
    assert [(r["text"], r["label"], r["entities"]) for r in back] == [(r["text"], r["label"], r["entities"]) for r in records]
    runner = CliRunner()
    out = tmp_path / "imported.jsonl"
    result = runner.invoke(main, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["export", str(out), "-o", str(tmp_path / f"again.{fmt}"), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert [r["entities"] for r in import_annotations(tmp_path / f"again.{fmt}")] == [r["entities"] for r in records]


def _dump_rows() -> pd.DataFrame:
    rows = []
    for article in ("a1", "a2", "a3"):
        rows.append({"article_id": article, "clean_text": f"© 202{article[-1]} Example Health. We use cookies.",
                     "label": "other" if article == "a3" else "boilerplate"})
        rows.append({"article_id": article, "clean_text": "Smith AB. Heel pain. Foot Ankle Int. 2019;40(2):1-9.",
                     "label": "citation"})
    rows.append({"article_id": "a1", "clean_text": "• We use cookies!  © 2021 Example Health", "label": "boilerplate"})
    rows.append({"article_id": "a4", "clean_text": "Lie on your back and lift your hips 10 times.", "label": "exercise"})
    rows.append({"article_id": "a4", "clean_text": "—", "label": "other"})
    return pd.DataFrame(rows)


def test_add_repeats_counts_articles_with_the_same_normalised_passage():
    df = add_repeats(_dump_rows())
    assert df["repeats"].tolist()[:2] == [3, 3]            # another year is the same notice
    assert df.loc[df.article_id == "a4", "repeats"].tolist() == [1, 1]


def test_repeated_passages_lists_furniture_with_the_labels_it_got():
    out = repeated_passages(_dump_rows(), min_articles=3)
    assert len(out) == 2 and out["articles"].tolist() == [3, 3]
    cookie = out[out.text.str.contains("cookies")].iloc[0]
    assert cookie["labels"] == {"boilerplate": 2, "other": 1} and not cookie["all_boilerplate_or_citation"]
    assert out[out.text.str.contains("Smith")].iloc[0]["all_boilerplate_or_citation"]
    assert repeated_passages(_dump_rows(), min_articles=4).empty
    with pytest.raises(ValueError, match="min_articles"):
        repeated_passages(_dump_rows(), min_articles=0)
