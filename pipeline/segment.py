"""Article text -> passages, with exact character offsets.

A passage is one paragraph. Lines are split on any line break (``\\n``, ``\\r\\n``, ``\\r``);
blank lines always separate passages. Within a block of lines the rules are:

* a short line without closing punctuation is a *heading*: it is held and attached to the
  paragraph that follows (the passage's span starts at the heading, ``heading`` holds it);
* list items ("•", "-", "3.", "(a)", "Step 2:") join the item or lead-in line before them,
  so a list stays with its paragraph; reference-like lines never join, so each entry of a
  reference list is its own passage;
* a hard-wrapped line (previous line has no closing punctuation, this one starts in lower
  case) continues its paragraph;
* a line that is only a footnote back-link ("BACK TO TEXT", "↩") joins the passage before it;
* a line with no word characters ("×", "|||", "* * *") is dropped and counted.

Every line with a word character ends up in exactly one passage, and
``text[p.start:p.end] == p.text`` for every passage (tested with hypothesis).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.clean import clean_text
from pipeline.types import Passage

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_WORD = re.compile(r"\w")
_BULLET = re.compile(
    r"^\s*(?:[•·▪◦●○►▸‣✓✔❖■□➢→*+\-–—]\s*|\(?\d{1,2}[.)]\s+|\(?[a-hA-H][.)]\s+|step\s+\d+\s*[:.)-]\s*)",
    re.IGNORECASE,
)
_BACKLINK_ONLY = re.compile(
    r"^\s*(?:\^|↩\ufe0e?|↑|back to (?:text|top)|return to (?:text|article)|\[?\s*back\s*\]?|jump up)\s*$",
    re.IGNORECASE,
)
_REFERENCE = re.compile(
    r"\bet al\b|\bdoi\b|\bpmid\b|\b(?:19|20)\d{2}\s*[;:]\s*\d|\(\s*(?:19|20)\d{2}\s*\)|"
    r"\b\d{1,4}\s*\(\s*\d{1,3}\s*\)\s*:\s*\d|back to text|↩",
    re.IGNORECASE,
)
_CLOSING = tuple(".!?:;\"”’')]…")
MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 90
MAX_JOINED_WORDS = 300


@dataclass(frozen=True, slots=True)
class Segmentation:
    """The passages of one article and the number of wordless lines dropped from it."""

    passages: list[Passage]
    dropped: int


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str
    kind: str           # "blank" | "wordless" | "backlink" | "heading" | "item" | "reference" | "text"


def _lines(text: str) -> list[_Line]:
    lines = []
    for m in _LINE.finditer(text):
        raw = m.group(0)
        if not raw:
            continue
        body = raw.rstrip("\r\n")
        lines.append(_Line(m.start(), m.start() + len(body), body, _kind(body)))
    return lines


def _kind(line: str) -> str:
    stripped = line.strip()
    if not stripped:
        return "blank"
    if _BACKLINK_ONLY.match(stripped):
        return "backlink"
    if not _WORD.search(stripped):
        return "wordless"
    if _REFERENCE.search(stripped):
        return "reference"
    bullet = _BULLET.match(stripped)
    if _looks_like_heading(stripped, bullet is not None):
        return "heading"
    if bullet:
        return "item"
    return "text"


_MARKUP_HEADING = re.compile(r"^(?:#{1,6}\s+|\*\*|__)")


def _looks_like_heading(stripped: str, is_bullet: bool) -> bool:
    if _MARKUP_HEADING.match(stripped):           # markdown "## Causes", "**Causes**"
        stripped = _MARKUP_HEADING.sub("", stripped).rstrip("*_ ")
        if not stripped:
            return False
        is_bullet = False
    if len(stripped) > MAX_HEADING_CHARS or stripped.endswith(_CLOSING) or stripped.endswith(","):
        return False
    words = stripped.split()
    if len(words) > MAX_HEADING_WORDS:
        return False
    if is_bullet:
        # "3. Wall Angel" is a numbered heading; "• pain in the heel" is a list item.
        return bool(re.match(r"^\(?\d{1,2}[.)]\s+[A-Z]", stripped)) and len(words) <= 8
    return stripped[0].isupper() or stripped[0].isdigit()


def _ends_sentence(line: _Line) -> bool:
    return line.text.rstrip().endswith(_CLOSING)


def _starts_lower(line: _Line) -> bool:
    s = line.text.lstrip()
    return bool(s) and s[0].islower()


class _Builder:
    """Accumulates lines into passages; kept tiny so the rules above stay readable."""

    def __init__(self, text: str, article_id: str) -> None:
        self.text, self.article_id = text, article_id
        self.passages: list[Passage] = []
        self.heading: list[_Line] = []
        self.body: list[_Line] = []
        self.words = 0

    def add_heading(self, line: _Line) -> None:
        self.flush()
        if self.heading:                      # two headings in a row: the older stands alone
            self.body, self.heading = self.heading, []
            self.flush()
        self.heading = [line]

    def add(self, line: _Line) -> None:
        self.body.append(line)
        self.words += len(line.text.split())

    def extend_last(self, line: _Line) -> bool:
        """Attach a back-link line to the passage before it; False if there is none."""
        if self.body:
            self.add(line)
            return True
        if self.passages and not self.heading:
            last = self.passages[-1]
            self.passages[-1] = self._passage(last.start, line.end, last.index, last.heading)
            return True
        return False

    def flush(self) -> None:
        if not self.body:
            return
        lines = self.heading + self.body
        heading = clean_text(" ".join(h.text for h in self.heading)) if self.heading else None
        self.passages.append(self._passage(lines[0].start, lines[-1].end, len(self.passages), heading))
        self.heading, self.body, self.words = [], [], 0

    def finish(self) -> list[Passage]:
        self.flush()
        if self.heading:                      # trailing heading with no paragraph after it
            self.body, self.heading = self.heading, []
            self.flush()
        return self.passages

    def _passage(self, start: int, end: int, index: int, heading: str | None) -> Passage:
        raw = self.text[start:end]
        return Passage(self.article_id, index, start, end, raw, clean_text(raw), heading)


def segment_text(text: str, article_id: str = "") -> Segmentation:
    """Split one article's text into passages (see the module docstring for the rules)."""
    builder = _Builder(text, article_id)
    dropped = 0
    for line in _lines(text):
        kind = line.kind
        last = builder.body[-1] if builder.body else None
        if kind == "blank":
            builder.flush()
        elif kind == "wordless":
            dropped += 1
            builder.flush()
        elif kind == "backlink":
            if not builder.extend_last(line):
                dropped += 1
        elif kind == "heading":
            if last is not None and last.kind == "text" and not _ends_sentence(last):
                builder.add(line)             # a short line ending a hard-wrapped sentence
            else:
                builder.add_heading(line)
        elif kind == "reference":
            builder.flush()
            builder.add(line)
            builder.flush()
        else:
            if last is not None and not _joins(last, line, builder.words):
                builder.flush()
            builder.add(line)
    return Segmentation(builder.finish(), dropped)


def _joins(last: _Line, line: _Line, words: int) -> bool:
    """Does ``line`` continue the passage whose last line is ``last``?"""
    if words + len(line.text.split()) > MAX_JOINED_WORDS:
        return False
    if line.kind == "item":
        return last.kind == "item" or last.text.rstrip().endswith(":")
    if last.text.rstrip().endswith(":"):
        return True
    return not _ends_sentence(last) and _starts_lower(line)


def whole_passage(text: str, article_id: str = "") -> Segmentation:
    """The record as one passage, unsegmented (``--unit passage``: how labelled sets are scored)."""
    if not _WORD.search(text):
        return Segmentation([], 1 if text.strip() else 0)
    return Segmentation([Passage(article_id, 0, 0, len(text), text, clean_text(text), None)], 0)
