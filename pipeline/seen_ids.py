"""Which record ids a run has seen, in about 16 bytes per id whatever the dump's size.

Why not a dict of ids: a run must reject repeated ids (they are the output's keys), so it
remembers every id, and a dict of id and location strings takes about 200 bytes per record
— 2 GB for a 10-million-article crawl, the one part of a streaming run that grew with the
dump. Here each id is kept as a 64-bit hash beside its packed location (file, line), in
sorted numpy arrays; recent ids wait in a small dict and are merged in batches.

Two different ids share a 64-bit hash with probability about n²/2⁶⁵ (one in ten million
for ten million ids); the hash is deterministic (BLAKE2b), so a resumed run rejects exactly
what the first run rejected.
"""
from __future__ import annotations

import hashlib

import numpy as np

_LINE_BITS = 40            # lines up to about 10^12 per file; the rest of the 64 bits index files
_BUFFER = 65_536


def _hash(record_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(record_id.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


class SeenIds:
    """A set of record ids that remembers where each was first seen."""

    def __init__(self, buffer: int = _BUFFER) -> None:
        self._buffer_size = buffer
        self._recent: dict[int, int] = {}
        self._hashes = np.zeros(0, dtype=np.uint64)
        self._places = np.zeros(0, dtype=np.uint64)
        self._files: list[str] = []
        self._file_index: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._recent) + len(self._hashes)

    def first_seen(self, record_id: str) -> str | None:
        """Where ``record_id`` was first added (``"file:line"``), or None if it is new."""
        place = self._find(_hash(record_id))
        return None if place is None else self._unpack(place)

    def add(self, record_id: str, where: str) -> str | None:
        """Remember ``record_id`` as seen at ``where`` (``"file:line"``) unless it was seen before.

        Returns:
            None for a new id; for a repeated one, where it was first seen.
        """
        key = _hash(record_id)
        place = self._find(key)
        if place is not None:
            return self._unpack(place)
        self._recent[key] = self._pack(where)
        if len(self._recent) >= self._buffer_size:
            self._merge()
        return None

    def _find(self, key: int) -> int | None:
        place = self._recent.get(key)
        if place is None and len(self._hashes):
            i = int(np.searchsorted(self._hashes, np.uint64(key)))
            if i < len(self._hashes) and int(self._hashes[i]) == key:
                place = int(self._places[i])
        return place

    def _merge(self) -> None:
        keys = np.fromiter(self._recent.keys(), dtype=np.uint64, count=len(self._recent))
        places = np.fromiter(self._recent.values(), dtype=np.uint64, count=len(self._recent))
        hashes = np.concatenate([self._hashes, keys])
        order = np.argsort(hashes, kind="stable")
        self._hashes, self._places = hashes[order], np.concatenate([self._places, places])[order]
        self._recent = {}

    def _pack(self, where: str) -> int:
        """``file:line`` as (file index, line) in one integer; 0 for a place without a line.

        Only dump files (JSONL, CSV, parquet) give lines, and they are few; a record without a
        line is a whole file (an HTML page), whose id is its path and cannot repeat, so its
        place is not kept (keeping every page's path would grow with the dump again).
        """
        path, _, line = where.rpartition(":")
        if not path or not line.isdigit() or not 0 < int(line) < 1 << _LINE_BITS:
            return 0
        index = self._file_index.setdefault(path, len(self._files))
        if index == len(self._files):
            self._files.append(path)
        return (index << _LINE_BITS) | int(line)

    def _unpack(self, place: int) -> str:
        if place == 0:
            return "an earlier record"
        return f"{self._files[place >> _LINE_BITS]}:{place & ((1 << _LINE_BITS) - 1)}"
