"""Paths and defaults, in one place so commands and functions agree on them.

Paths default relative to the current directory (run from the repository root), falling back
to the source tree this package lives in (editable installs), so that `hap classify` finds
``models/default`` without arguments in both cases.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent

DEFAULT_MODEL_NAME = "default"
DEFAULT_CHUNK_SIZE = 500            # articles per chunk in the batch runner
DEFAULT_REVIEW_THRESHOLD = 0.6      # used when a bundle does not store its own
MAX_RECORD_CHARS = 2_000_000        # longer records are rejected, not processed
SEED = 13


def _first_existing(*candidates: Path) -> Path | None:
    for path in candidates:
        if path.exists():
            return path
    return None


def default_model_dir() -> Path:
    """Where the default bundle is: $HAP_MODEL, ./models/default, or <source tree>/models/default."""
    if os.environ.get("HAP_MODEL"):
        return Path(os.environ["HAP_MODEL"])
    found = _first_existing(Path("models") / DEFAULT_MODEL_NAME, ROOT / "models" / DEFAULT_MODEL_NAME)
    return found or Path("models") / DEFAULT_MODEL_NAME


def default_corpus_dir() -> Path:
    """./corpus, or <source tree>/corpus."""
    return _first_existing(Path("corpus"), ROOT / "corpus") or Path("corpus")


def default_lexicon_dir() -> Path:
    return default_corpus_dir() / "lexicons"

# Lexicon terms suggested from the corpus's entity spans (``pipeline.lexicon_induction``):
# chosen by grouped cross-validation over topics (terms induced from half the topics, entity
# micro-F1 on the other half).
LEXICON_MIN_SPANS = 1
LEXICON_MIN_PRECISION = 0.6
