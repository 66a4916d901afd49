import bz2
import gzip
import json

import pandas as pd
import pytest

from pipeline.errors import InputError, OutputError
from pipeline.io import read_dump
from pipeline.io.writers import open_writer
from pipeline.types import Article, Reject, Row


def split(records):
    records = list(records)
    return [r for r in records if isinstance(r, Article)], [r for r in records if isinstance(r, Reject)]


def test_folder_of_text_files_with_bad_files(sample_dump):
    articles, rejects = split(read_dump(sample_dump))
    assert {a.id for a in articles} == {"heel", "notes"}
    reasons = {r.source.split("/")[-1]: r.reason for r in rejects}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "UTF-8" in reasons["latin1.txt"]
    assert all(r.line == 1 for r in rejects if "latin1" in r.source)


def test_jsonl_with_malformed_lines(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "a", "text": "Knee pain.", "url": "http://x"}\n{oops\n["list"]\n'
                    '{"id": "c", "body": "x"}\n{"id": "d", "text": 5}\n\n{"id": "e", "text": "Hip."}\n', encoding="utf-8")
    articles, rejects = split(read_dump(path))
    assert [a.id for a in articles] == ["a", "e"]
    assert articles[0].meta == {"url": "http://x"}
    assert [r.line for r in rejects] == [2, 3, 4, 5]
    assert "invalid JSON" in rejects[0].reason and "'text'" in rejects[2].reason


def test_jsonl_invalid_utf8_and_bom(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "a", "text": "ok"}\n{"id": "b", "text": "caf\xe9"}\n{"id": "c", "text": "fine"}\n')
    articles, rejects = split(read_dump(path))
    assert [a.id for a in articles] == ["a", "c"]
    assert rejects[0].line == 2 and "UTF-8" in rejects[0].reason


def test_csv_missing_text_column_and_embedded_newlines(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text('id,text,title\n1,"Line one\nline two",T\n2,Second,U\n', encoding="utf-8")
    articles, rejects = split(read_dump(good))
    assert [a.text for a in articles] == ["Line one\nline two", "Second"] and not rejects
    assert articles[0].meta == {"title": "T"}
    bad = tmp_path / "bad.csv"
    bad.write_text("id,body\n1,x\n", encoding="utf-8")
    articles, rejects = split(read_dump(bad))
    assert not articles and "'text' column" in rejects[0].reason


def test_parquet_and_compressed(tmp_path):
    df = pd.DataFrame({"id": ["a", "b"], "text": ["Knee pain.", None], "url": ["u1", "u2"]})
    df.to_parquet(tmp_path / "d.parquet")
    articles, rejects = split(read_dump(tmp_path / "d.parquet"))
    assert [a.id for a in articles] == ["a"] and len(rejects) == 1
    line = b'{"id": "z", "text": "Hip pain."}\n'
    (tmp_path / "d.jsonl.gz").write_bytes(gzip.compress(line))
    (tmp_path / "e.jsonl.bz2").write_bytes(bz2.compress(line))
    assert [a.id for a in split(read_dump(tmp_path / "d.jsonl.gz"))[0]] == ["z"]
    assert [a.id for a in split(read_dump(tmp_path / "e.jsonl.bz2"))[0]] == ["z"]


def test_truncated_gzip_is_a_reject(tmp_path):
    data = gzip.compress(b'{"id": "a", "text": "x"}\n' * 2000)
    (tmp_path / "t.jsonl.gz").write_bytes(data[: len(data) // 2])
    articles, rejects = split(read_dump(tmp_path / "t.jsonl.gz"))
    assert rejects and "ended early" in rejects[-1].reason


def test_missing_path_and_unsupported_type(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(read_dump(tmp_path / "nope.jsonl"))
    (tmp_path / "x.docx").write_text("x")
    with pytest.raises(InputError, match="unsupported input type"):
        list(read_dump(tmp_path / "x.docx"))


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_writers_roundtrip(tmp_path, suffix):
    rows = [Row("a", 0, 0, 4, "Knee", "Knee", label="other", confidence=0.9, probabilities={"other": 0.9},
                needs_review=False, entities=[{"start": 0, "end": 4, "label": "BODY_PART", "text": "Knee"}],
                fields={"x": 1}, meta={"url": "u"})]
    out = tmp_path / f"o{suffix}"
    writer = open_writer(out)
    writer.write(rows)
    writer.close()
    if suffix == ".parquet":
        df = pd.read_parquet(out)
        assert df.loc[0, "entities"][0]["label"] == "BODY_PART"
    elif suffix == ".csv":
        df = pd.read_csv(out)
        assert json.loads(df.loc[0, "entities"])[0]["text"] == "Knee"
    else:
        assert json.loads(out.read_text())["probabilities"] == {"other": 0.9}


def test_unsupported_output_type(tmp_path):
    with pytest.raises(OutputError, match="unsupported output type"):
        open_writer(tmp_path / "o.xlsx")
