"""Shared fixtures: the team-written tiny corpus and a toy model trained from it once."""
from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def tiny_corpus() -> Path:
    return FIXTURES / "tiny_corpus.jsonl"


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bundle trained on the tiny corpus (lexicon ruler + a 2-epoch NER), built once per run."""
    from pipeline.train import DEFAULT_CANDIDATES, TrainSettings, train_bundle

    out = tmp_path_factory.mktemp("models") / "tiny"
    settings = TrainSettings(candidates=DEFAULT_CANDIDATES[:1], folds=3, ner_epochs=2,
                             lexicon_dir=FIXTURES / "lexicons")
    train_bundle([FIXTURES / "tiny_corpus.jsonl"], out, settings, report=lambda msg: None)
    return out


@pytest.fixture()
def sample_dump(tmp_path: Path) -> Path:
    """A folder with two good articles and the bad inputs a crawl produces."""
    folder = tmp_path / "dump"
    folder.mkdir()
    (folder / "heel.txt").write_text(
        "Plantar Fasciitis\nPlantar fasciitis is irritation of the tissue under the foot, with heel pain.\n\n×\n\n"
        "Calf stretch: hold 30 seconds, then switch sides. Repeat 3 times a day.\n\n"
        "Smith AB, Lee C. Heel pain in runners. Foot Ankle Int. 2016;37(3):245-52. PMID: 12345678\nBACK TO TEXT\n",
        encoding="utf-8")
    (folder / "notes.md").write_text("# Cookies\n\nWe use cookies to improve your visit. Accept all or manage settings.\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG")
    (folder / "latin1.txt").write_bytes("caf\xe9 culture and knee pain\n".encode("latin-1"))
    return folder
