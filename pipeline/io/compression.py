"""Open possibly compressed files (.gz, .bz2, .zst) as binary streams, by suffix."""
from __future__ import annotations

import bz2
import gzip
from pathlib import Path
from typing import BinaryIO

COMPRESSION_SUFFIXES = (".gz", ".bz2", ".zst")


def split_suffix(path: Path) -> tuple[str, str, str | None]:
    """``dump.jsonl.gz`` -> (``dump.jsonl``, ``.jsonl``, ``.gz``); suffixes are lower-cased."""
    name = path.name
    compression = None
    for suffix in COMPRESSION_SUFFIXES:
        if name.lower().endswith(suffix):
            compression, name = suffix, name[: -len(suffix)]
            break
    return name, Path(name).suffix.lower(), compression


def open_binary(path: Path) -> BinaryIO:
    """A binary read stream, decompressing on the fly; streaming, never the whole file."""
    _, _, compression = split_suffix(path)
    if compression == ".gz":
        return gzip.open(path, "rb")
    if compression == ".bz2":
        return bz2.open(path, "rb")
    if compression == ".zst":
        import io

        import zstandard

        raw = open(path, "rb")
        reader = zstandard.ZstdDecompressor().stream_reader(raw, closefd=True)
        return io.BufferedReader(reader)  # type: ignore[arg-type]
    return open(path, "rb")
