"""The model bundle: a folder written together and checked when loaded.

```
models/<name>/
  classifier.joblib     the scikit-learn Pipeline (labels are its ``classes_``)
  entities/             the spaCy entity pipeline (``nlp.to_disk``)
  meta.json             labels, library versions, corpus hash, creation time, file hashes,
                        model selection, review threshold and evaluation scores
```

Loading verifies that every file is present and unchanged (sha256 against meta.json) and that
the installed scikit-learn and spaCy have the same major.minor version as at training time,
because joblib pickles and spaCy weights are not promised to survive other versions.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import joblib

from pipeline.config import DEFAULT_REVIEW_THRESHOLD
from pipeline.errors import ModelError, Msg

CLASSIFIER_FILE = "classifier.joblib"
ENTITIES_DIR = "entities"
META_FILE = "meta.json"
BUNDLE_FORMAT = 1


def library_versions() -> dict[str, str]:
    import numpy
    import sklearn
    import spacy

    from pipeline import __version__

    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "spacy": spacy.__version__, "numpy": numpy.__version__, "pipeline": __version__}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _bundle_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != META_FILE)


@dataclass
class Bundle:
    """A loaded bundle. The spaCy pipeline is loaded on first use, not at load time."""

    path: Path
    meta: dict[str, Any]
    classifier: Any
    _nlp: Any = field(default=None, repr=False)

    @property
    def labels(self) -> list[str]:
        return list(self.meta["labels"])

    @property
    def review_threshold(self) -> float:
        return float(self.meta.get("review_threshold", DEFAULT_REVIEW_THRESHOLD))

    @property
    def nlp(self):  # noqa: ANN201 - spacy.Language, imported lazily
        """The spaCy entity pipeline, loaded on first use and then kept."""
        if self._nlp is None:
            import spacy

            import pipeline.entities  # noqa: F401  (registers the health_ components)

            self._nlp = spacy.load(self.path / ENTITIES_DIR)
        return self._nlp


def save_bundle(path: Path, classifier: Any, nlp: Any, meta: dict[str, Any]) -> Path:
    """Write a bundle folder atomically (a temporary folder renamed into place).

    ``meta`` holds what training knows (labels, corpus hash, metrics ...); versions, creation
    time and file hashes are added here.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    joblib.dump(classifier, tmp / CLASSIFIER_FILE, compress=3)
    nlp.to_disk(tmp / ENTITIES_DIR)
    full = {
        "format": BUNDLE_FORMAT,
        "name": path.name,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": library_versions(),
        **meta,
        "files": {p.relative_to(tmp).as_posix(): sha256_file(p) for p in _bundle_files(tmp)},
    }
    (tmp / META_FILE).write_text(json.dumps(full, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if path.exists():
        shutil.rmtree(path)
    os.replace(tmp, path)
    return path


def read_meta(path: Path) -> dict[str, Any]:
    """meta.json of a bundle, with clear errors when the bundle is missing or unreadable."""
    path = Path(path)
    meta_path = path / META_FILE
    if not path.exists():
        raise ModelError(Msg.E020.format(path=path))
    if not meta_path.exists():
        raise ModelError(Msg.E021.format(path=meta_path, detail="meta.json is missing", bundle=path))
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(Msg.E024.format(path=meta_path, detail=exc, bundle=path)) from exc
    for key in ("labels", "files", "versions"):
        if key not in meta:
            raise ModelError(Msg.E021.format(path=meta_path, detail=f"no {key!r} in meta.json", bundle=path))
    return meta


def verify_bundle(path: Path, meta: dict[str, Any]) -> None:
    """Raise ModelError naming the file when a file is missing, changed, or versions differ."""
    import sklearn
    import spacy

    for lib, installed in (("scikit-learn", sklearn.__version__), ("spacy", spacy.__version__)):
        built = meta["versions"].get(lib, "")
        if built.split(".")[:2] != installed.split(".")[:2]:
            raise ModelError(Msg.E023.format(path=path / META_FILE, lib=lib, built=built,
                                             installed=installed, bundle=path))
    for rel, expected in meta["files"].items():
        file = path / rel
        if not file.exists():
            raise ModelError(Msg.E021.format(path=file, detail=f"{rel} is missing", bundle=path))
        if sha256_file(file) != expected:
            raise ModelError(Msg.E022.format(path=file, bundle=path))


def load_bundle(path: str | Path) -> Bundle:
    """Load and verify a bundle. Raises ModelError with a one-line fix when it is unusable."""
    path = Path(path)
    meta = read_meta(path)
    verify_bundle(path, meta)
    try:
        classifier = joblib.load(path / CLASSIFIER_FILE)
    except Exception as exc:  # unpickling errors have no common base class
        raise ModelError(Msg.E021.format(path=path / CLASSIFIER_FILE, detail=f"cannot unpickle: {exc}", bundle=path)) from exc
    return Bundle(path, meta, classifier)
