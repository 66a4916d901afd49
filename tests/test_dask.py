import json

import pandas as pd
import pytest

pytest.importorskip("distributed")

from pipeline.batch import classify_dump  # noqa: E402
from pipeline.dask_engine import classify_dask  # noqa: E402
from pipeline.run import RunSettings  # noqa: E402


def test_dask_local_cluster_matches_local_engine(tiny_model, tmp_path):
    dump = tmp_path / "d.jsonl"
    with open(dump, "w", encoding="utf-8") as fh:
        for i in range(40):
            fh.write(json.dumps({"id": f"a{i}", "text": f"Knee pain number {i}.\n\nHold 30 seconds, 3 sets of 10."}) + "\n")
        fh.write("{broken\n")
    pq_dump = tmp_path / "d.parquet"
    pd.DataFrame({"id": [f"p{i}" for i in range(30)], "text": ["We use cookies. Accept all."] * 29 + [None]}).to_parquet(pq_dump)
    settings = RunSettings(entities=True)
    report = classify_dask([str(pq_dump), str(dump)], tmp_path / "ds", tiny_model, settings, chunk_size=9)
    assert report.workers == 2
    assert report.articles == 69 and len(report.rejects) == 2
    dask_rows = pd.read_parquet(tmp_path / "ds")
    assert len(dask_rows) == report.passages == 29 + 80
    local = tmp_path / "local.parquet"
    classify_dump([pq_dump, dump], local, tiny_model, settings, progress=False)
    local_rows = pd.read_parquet(local)
    assert list(local_rows["article_id"]) == list(dask_rows["article_id"])
    assert list(local_rows["label"]) == list(dask_rows["label"])
