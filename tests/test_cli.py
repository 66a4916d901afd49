import json

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main


@pytest.fixture()
def runner():
    return CliRunner()


def test_every_command_has_help(runner):
    for command in ([], ["segment"], ["classify"], ["train"], ["evaluate"], ["info"], ["corpus", "check"]):
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage:" in result.output and len(result.output.splitlines()) > 3


def test_segment(runner, sample_dump, tmp_path):
    out = tmp_path / "p.jsonl"
    result = runner.invoke(main, ["segment", str(sample_dump), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 4
    assert "3 rejects" in result.output and "2 articles" in result.output


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_classify_folder_writes_rows_and_reports_rejects(runner, tiny_model, sample_dump, tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    result = runner.invoke(main, ["classify", str(sample_dump), "-o", str(out), "--model", str(tiny_model)])
    assert result.exit_code == 0, result.output
    df = pd.read_parquet(out) if suffix == ".parquet" else (pd.read_csv(out) if suffix == ".csv" else pd.read_json(out, lines=True))
    assert len(df) == 4 and set(df["label"]) <= {"boilerplate", "citation", "condition", "exercise", "other"}
    assert {"article_id", "passage", "start", "end", "text", "heading", "label", "confidence", "probabilities",
            "needs_review", "entities", "fields", "status", "error"} <= set(df.columns)
    assert "binary" in result.output and "invalid UTF-8" in result.output and "empty text" in result.output
    assert "2 articles, 4 passages, 1 dropped, 3 rejects" in result.output
    report = json.loads((tmp_path / f"out{suffix}.report.json").read_text())
    assert report["records_in"] == 5 and report["records_in"] == report["articles"] + len(report["rejects"])


def test_classify_jsonl_unit_passage_and_article_format(runner, tiny_model, tmp_path):
    dump = tmp_path / "d.jsonl"
    dump.write_text('{"id": "a", "text": "Lie on your back.\\n\\nHold 30 seconds, 3 sets of 10.", "url": "http://x"}\n'
                    '{"id": "b", "text": "We use cookies."}\n{broken\n', encoding="utf-8")
    out = tmp_path / "o.jsonl"
    result = runner.invoke(main, ["classify", str(dump), "-o", str(out), "--model", str(tiny_model), "--unit", "passage"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["article_id"] for r in rows] == ["a", "b"] and rows[0]["meta"] == {"url": "http://x"}
    assert f"{dump}:3" in result.output
    arts = tmp_path / "arts.jsonl"
    result = runner.invoke(main, ["classify", str(dump), "-o", str(arts), "--model", str(tiny_model), "--format", "articles"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in arts.read_text().splitlines()]
    assert [r["article_id"] for r in records] == ["a", "b"]
    assert {"passages_by_label", "exercises", "references", "conditions"} <= set(records[0])
    assert (tmp_path / "arts.jsonl.report.json").exists()
    assert not list(tmp_path.glob(".arts*"))              # no temporary passage file left behind


def test_missing_model_is_one_clear_line(runner, sample_dump, tmp_path):
    result = runner.invoke(main, ["classify", str(sample_dump), "-o", str(tmp_path / "o.jsonl"), "--model", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "No model at" in result.output and "hap train" in result.output
    assert "Traceback" not in result.output


def test_train_evaluate_info(runner, tiny_corpus, fixtures, tmp_path):
    model = tmp_path / "m"
    result = runner.invoke(main, ["train", str(tiny_corpus), "-o", str(model), "--quick", "--folds", "3",
                                  "--lexicons", str(fixtures / "lexicons")])
    assert result.exit_code == 0, result.output
    assert "grouped-CV macro-F1" in result.output
    assert "training copies with sentences mixed in:" in result.output
    assert json.loads((model / "meta.json").read_text())["classifier"]["mixed_copies"] > 0
    result = runner.invoke(main, ["evaluate", str(tiny_corpus), "--model", str(model)])
    assert result.exit_code == 0, result.output
    for expected in ("macro-F1", "confusion", "ECE", "CONDITION", "exercise fields"):
        assert expected in result.output
    result = runner.invoke(main, ["evaluate", str(tiny_corpus), "--model", str(model), "--json"])
    data = json.loads(result.output)
    assert data["classification"]["macro_f1"] > 0.8        # scored on its own training data
    assert set(data["entities"]["per_type"]) >= {"CONDITION", "BODY_PART"}
    result = runner.invoke(main, ["info", "--model", str(model)])
    assert result.exit_code == 0 and "hashes match" in result.output


def test_train_rejects_bad_corpus(runner, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a", "label": "other"}\n{"text": "b"}\n', encoding="utf-8")
    result = runner.invoke(main, ["train", str(bad), "-o", str(tmp_path / "m")])
    assert result.exit_code == 1 and f"{bad}:2" in result.output and "'label'" in result.output
