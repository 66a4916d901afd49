"""Helpers shared by the benchmark scripts: synthetic dumps from corpus text, RSS sampling."""
from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


def corpus_texts() -> list[str]:
    from pipeline.io.corpus import read_labelled

    return [r.text for r in read_labelled([ROOT / "corpus"])]


def synthetic_dump(path: Path, n_passages: int, passages_per_article: int = 8, seed: int = 0) -> Path:
    """A JSONL dump of ``n_passages`` corpus passages, grouped into articles, streamed to disk."""
    rng = random.Random(seed)
    texts = [t.replace("\n", " ") for t in corpus_texts()]
    with open(path, "w", encoding="utf-8") as fh:
        written, article = 0, 0
        while written < n_passages:
            k = min(passages_per_article, n_passages - written)
            body = "\n\n".join(rng.choice(texts) for _ in range(k))
            fh.write(json.dumps({"id": f"syn-{article:07d}", "url": f"https://example.org/a/{article}", "text": body}) + "\n")
            written += k
            article += 1
    return path


class PeakRSS:
    """Samples the summed RSS and PSS of a process and all its children every ``interval`` s.

    The RSS sum counts pages shared between processes (libraries, forked model pages) once per
    process, so it overstates what the tree occupies; PSS divides shared pages among their
    users, and its sum is the tree's share of physical memory. Both are reported.
    """

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval, self.peak, self.peak_pss = pid, interval, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            try:
                procs = [root] + root.children(recursive=True)
                total = total_pss = 0
                for p in procs:
                    try:
                        info = p.memory_full_info()
                        total += info.rss
                        total_pss += getattr(info, "pss", info.rss)
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
                self.peak_pss = max(self.peak_pss, total_pss)
            except psutil.Error:
                return
            time.sleep(self.interval)

    def __enter__(self) -> "PeakRSS":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(args: list[str]) -> tuple[float, int, str, int]:
    """Run a command; return (seconds, peak RSS sum of its process tree in bytes, stderr, peak PSS sum)."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakRSS(proc.pid) as rss:
        out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{err[-2000:]}")
    return time.perf_counter() - started, rss.peak, err, rss.peak_pss


def hap(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args]
