import json
import shutil
import subprocess
import sys

import pytest

from pipeline.bundle import load_bundle
from pipeline.errors import ModelError


@pytest.fixture()
def bundle_copy(tiny_model, tmp_path):
    target = tmp_path / "bundle"
    shutil.copytree(tiny_model, target)
    return target


def test_load_and_predict(tiny_model):
    bundle = load_bundle(tiny_model)
    assert bundle.labels == ["boilerplate", "citation", "condition", "exercise", "other"]
    assert 0 < bundle.review_threshold < 1
    assert bundle.meta["corpus"]["passages"] == 50
    assert bundle.nlp.pipe_names[-1] == "health_span_cleanup"


def test_missing_bundle(tmp_path):
    with pytest.raises(ModelError, match=r"No model at .*hap train"):
        load_bundle(tmp_path / "nothing")


def test_corrupted_file_is_named(bundle_copy):
    target = bundle_copy / "classifier.joblib"
    target.write_bytes(target.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ModelError, match=r"classifier\.joblib: file hash does not match"):
        load_bundle(bundle_copy)


def test_missing_meta(bundle_copy):
    (bundle_copy / "meta.json").unlink()
    with pytest.raises(ModelError, match="meta.json is missing"):
        load_bundle(bundle_copy)


def test_version_mismatch(bundle_copy):
    meta = json.loads((bundle_copy / "meta.json").read_text())
    meta["versions"]["scikit-learn"] = "0.24.2"
    (bundle_copy / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=r"built with scikit-learn 0\.24\.2.*Install scikit-learn==0\.24\.2 or retrain"):
        load_bundle(bundle_copy)


def test_entity_pipeline_loads_with_plain_spacy_in_fresh_process(tiny_model):
    code = ("import spacy, sys; nlp = spacy.load(sys.argv[1]); "
            "doc = nlp('Sharp heel pain from plantar fasciitis.'); print(nlp.pipe_names, [(e.text, e.label_) for e in doc.ents])")
    out = subprocess.run([sys.executable, "-c", code, str(tiny_model / "entities")], capture_output=True, text=True, check=True)
    assert "health_span_cleanup" in out.stdout and "plantar fasciitis" in out.stdout
