"""The batch runner: order, workers, resume, and the bad-input suite (records in = rows out + rejects)."""
import bz2
import gzip
import json
import os

import pytest

from pipeline.batch import classify_dump
from pipeline.errors import OutputError
from pipeline.run import RunSettings


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture()
def many_articles(tmp_path):
    path = tmp_path / "many.jsonl"
    texts = ["Plantar fasciitis causes heel pain.\n\nHold 30 seconds, then switch sides.",
             "We use cookies.\n\nSmith AB. Heel pain. Foot Ankle Int. 2016;37(3):245-52.",
             "Walking every day lifts mood.\n×\nRest 60 seconds between 3 sets of 10."]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(60):
            fh.write(json.dumps({"id": f"a{i:03d}", "text": texts[i % 3]}) + "\n")
    return path


def _kill_at_call(monkeypatch, n):
    """Make the n-th ``process_chunk`` call in this process raise KeyboardInterrupt, as a kill would."""
    import pipeline.batch as batch

    original = batch.process_chunk
    calls = {"n": 0}

    def dying(chunk, bundle, settings):
        calls["n"] += 1
        if calls["n"] == n:
            raise KeyboardInterrupt("killed")
        return original(chunk, bundle, settings)

    monkeypatch.setattr(batch, "process_chunk", dying)


def test_two_workers_give_the_same_output_as_one(tiny_model, many_articles, tmp_path):
    one = classify_dump([many_articles], tmp_path / "one.jsonl", tiny_model, workers=1, chunk_size=7, progress=False)
    two = classify_dump([many_articles], tmp_path / "two.jsonl", tiny_model, workers=2, chunk_size=7, progress=False)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    assert one.passages == two.passages == 120
    assert not (tmp_path / "one.jsonl.parts").exists()


def test_resume_after_a_kill_gives_the_same_output(tiny_model, many_articles, tmp_path, monkeypatch):
    full = tmp_path / "full.jsonl"
    classify_dump([many_articles], full, tiny_model, chunk_size=7, progress=False)
    out = tmp_path / "out.jsonl"
    _kill_at_call(monkeypatch, 4)
    with pytest.raises(KeyboardInterrupt):
        classify_dump([many_articles], out, tiny_model, chunk_size=7, progress=False)
    monkeypatch.undo()
    assert not out.exists() and (tmp_path / "out.jsonl.parts").exists()
    with pytest.raises(OutputError, match="--resume"):
        classify_dump([many_articles], out, tiny_model, chunk_size=7, progress=False)
    report = classify_dump([many_articles], out, tiny_model, chunk_size=7, resume=True, progress=False)
    assert report.resumed_chunks == 3
    assert out.read_bytes() == full.read_bytes()


def test_resume_refuses_changed_settings(tiny_model, many_articles, tmp_path):
    out = tmp_path / "o.jsonl"
    (tmp_path / "o.jsonl.parts").mkdir()
    (tmp_path / "o.jsonl.parts" / "manifest.json").write_text("{}")
    with pytest.raises(OutputError, match="different settings"):
        classify_dump([many_articles], out, tiny_model, resume=True, progress=False)


def _bad_inputs(folder):
    """At least 25 malformed inputs, each with the reason the report must give."""
    folder.mkdir()
    good = '{"id": "ok%d", "text": "Knee pain after running."}\n'
    cases = {
        "empty.txt": (b"", "empty text"),
        "binary.txt": (b"\x89PNG\x00\x00\x01", "binary"),
        "latin1.txt": ("caf\xe9".encode("latin-1"), "invalid UTF-8"),
        "nul.jsonl": (b'{"id": "n", "text": "a\x00b"}\n', "binary"),
        "bad_json.jsonl": (b"{oops\n", "invalid JSON"),
        "array.jsonl": (b'["id", "text"]\n', "JSON array"),
        "no_text.jsonl": (b'{"id": "x", "body": "y"}\n', "no 'text' field"),
        "text_number.jsonl": (b'{"id": "x", "text": 12}\n', "'text' is"),
        "text_null.jsonl": (b'{"id": "x", "text": null}\n', "'text' is"),
        "empty_text.jsonl": (b'{"id": "x", "text": "   "}\n', "empty text"),
        "deep.jsonl": (("{\"id\": \"d\", \"text\": \"x\", \"n\": " + "[" * 50 + "]" * 50 + "}\n").encode(), "nesting deeper"),
        "utf8_bad.jsonl": (b'{"id": "u", "text": "caf\xe9"}\n', "invalid UTF-8"),
        "truncated.jsonl.gz": (gzip.compress("".join(good % i for i in range(5000)).encode())[:300], "ended early"),
        "wrong_columns.csv": (b"id,body\n1,hello\n", "'text' column"),
        "short_row.csv": (b"id,text,title\n1\n", "fields"),
        "wordless.txt": ("×\n|||\n* * *\n".encode(), "no passage with words"),
        "huge.txt": (("word " * 450_000).encode(), "exceeds the limit"),
        "bad_bz2.jsonl.bz2": (b"BZh91AY&SY" + b"\x00" * 30, "cannot read file"),
        "dup.jsonl": (b'{"id": "dup", "text": "First."}\n{"id": "dup", "text": "Second."}\n', "duplicate id"),
        "not_object.jsonl": (b'"just a string"\n', "a JSON string"),
        "bool_text.jsonl": (b'{"id": "b", "text": true}\n', "'text' is"),
        "bom_bad.jsonl": (b'\xef\xbb\xbf{"id": "bom", "text": }\n', "invalid JSON"),
        "control.jsonl": (b'{"id": "c", "text": "a\x01\x02"}\n', None),                   # readable: kept
        "nested_text.jsonl": (b'{"id": "n2", "text": {"en": "x"}}\n', "'text' is"),
        "html_empty.html": (b"<html><body><script>var a=1;</script></body></html>", "no extractable main text"),
        "blank_lines.jsonl": (b"\n\n\n", None),
        "five_mb_line.jsonl": (b'{"id": "big", "text": "' + b"knee " * 1_000_000 + b'"}\n', "exceeds the limit"),
        "slides.docx": (b"PK\x03\x04 not a dump", "unsupported input type"),
        "crlf_ok.txt": (b"Knee pain.\r\n\r\nRest it.\r\n", None),
        "bom_ok.txt": ("\ufeffHip pain at night.".encode(), None),
        "foreign_ok.txt": ("Боль в колене после бега.".encode(), None),
        "html_ok.html": (b"<html><body><article><h1>Knee pain</h1><p>" + b"Knee pain is common in runners and often settles with rest. " * 5 + b"</p></article></body></html>", None),
    }
    for name, (data, _) in cases.items():
        (folder / name).write_bytes(data)
    return {name: reason for name, (_, reason) in cases.items()}


def test_bad_input_suite(tiny_model, tmp_path):
    expected = _bad_inputs(tmp_path / "bad")
    assert sum(1 for r in expected.values() if r) >= 25
    out = tmp_path / "o.jsonl"
    report = classify_dump([tmp_path / "bad"], out, tiny_model, settings=RunSettings(entities=False), progress=False)
    rows = _rows(out)
    articles_with_rows = {r["article_id"] for r in rows}
    assert report.records_in == len(articles_with_rows) + len(report.rejects)
    reasons = {}
    for reject in report.rejects:
        name = os.path.basename(reject["where"]).split(":")[0]
        reasons.setdefault(name, []).append(reject["reason"])
    for name, reason in expected.items():
        if reason:
            assert any(reason in r for r in reasons.get(name, [])), (name, reasons.get(name))
    for kept in ("crlf_ok", "bom_ok", "foreign_ok", "html_ok", "c"):
        assert kept in articles_with_rows or any(k.startswith(kept) for k in articles_with_rows), kept


def test_full_disk_on_output_is_a_clear_error(tiny_model, many_articles, tmp_path, monkeypatch):
    import pipeline.io.writers as writers

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writers.JsonlWriter, "write", lambda self, rows: writers._guard(self.target.path, full))
    with pytest.raises(OutputError, match="No space left on device"):
        classify_dump([many_articles], tmp_path / "o.jsonl", tiny_model, progress=False)


def test_dump_vanishing_mid_run(tiny_model, tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    for i in range(5):
        (folder / f"{i}.txt").write_text("Knee pain after running.", encoding="utf-8")
    import pipeline.io.readers as readers

    original = readers._read_file

    def vanish(path, article_id, max_chars):
        if path.name == "2.txt":
            path.unlink()
        return original(path, article_id, max_chars)

    readers._read_file = vanish
    try:
        report = classify_dump([folder], tmp_path / "o.jsonl", tiny_model, progress=False)
    finally:
        readers._read_file = original
    assert report.articles == 4 and len(report.rejects) == 1
    assert "2.txt" in report.rejects[0]["where"]


def test_compressed_inputs(tiny_model, tmp_path):
    line = b'{"id": "z", "text": "Hip pain at night."}\n'
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(line))
    (tmp_path / "b.jsonl.bz2").write_bytes(bz2.compress(line.replace(b'"z"', b'"y"')))
    import zstandard

    (tmp_path / "c.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(line.replace(b'"z"', b'"x"')))
    report = classify_dump([tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.bz2", tmp_path / "c.jsonl.zst"],
                           tmp_path / "o.parquet", tiny_model, progress=False)
    assert report.articles == 3 and not report.rejects


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_parts_merged_in_order_for_every_format(tiny_model, many_articles, tmp_path, suffix):
    """Parts are appended to the output as they finish; the result must equal a 1-worker run."""
    import pandas as pd

    one, two = tmp_path / f"one{suffix}", tmp_path / f"two{suffix}"
    classify_dump([many_articles], one, tiny_model, workers=1, chunk_size=7, progress=False)
    classify_dump([many_articles], two, tiny_model, workers=2, chunk_size=5, progress=False)
    read = pd.read_parquet if suffix == ".parquet" else pd.read_csv
    first, second = read(one), read(two)
    assert len(first) == 120
    assert list(first["article_id"]) == [f"a{i:03d}" for i in range(60) for _ in range(2)]
    pd.testing.assert_frame_equal(first, second)
    assert not list(tmp_path.glob("*.parts"))


def test_resume_with_two_workers_keeps_input_order(tiny_model, many_articles, tmp_path, monkeypatch):
    """Chunks can finish out of order with several workers; the resumed output must not."""
    full = tmp_path / "full.jsonl"
    classify_dump([many_articles], full, tiny_model, chunk_size=5, progress=False)
    out = tmp_path / "out.jsonl"
    _kill_at_call(monkeypatch, 3)               # this process runs every 2nd chunk: dies at chunk 4
    with pytest.raises(KeyboardInterrupt):
        classify_dump([many_articles], out, tiny_model, workers=2, chunk_size=5, progress=False)
    monkeypatch.undo()
    parts = tmp_path / "out.jsonl.parts"
    done = sorted(p.name for p in parts.glob("part-*.stats.json"))
    assert "part-000004.jsonl.stats.json" not in done      # the killed chunk
    assert any(name > "part-000004" for name in done)      # a later chunk finished before it
    report = classify_dump([many_articles], out, tiny_model, workers=2, chunk_size=5, resume=True, progress=False)
    assert report.resumed_chunks == len(done)
    assert out.read_bytes() == full.read_bytes()
