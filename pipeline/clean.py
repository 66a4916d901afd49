"""Text normalisation for ``clean_text``: mojibake repair, entities, invisible characters, spaces.

The raw passage text is never changed (offsets into the article must stay exact); the
classifier and the entity extractor read ``clean_text``, which this module produces. Training
text goes through the same function, so the model sees the same kind of text at both ends.
"""
from __future__ import annotations

import html
import re

import ftfy

# Sequences that almost only occur when UTF-8 was decoded as cp1252/latin-1/cp437.
_MOJIBAKE = re.compile(r"â€|Ã[\x80-\xbf©¡-ÿ]|Â[\xa0-\xbf ]|ï»¿|┬[á ]|â„|Ã¢|Å[\x80-\xbf’“”]")
_HTML_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")


def repair_mojibake(text: str) -> str:
    """Undo cp1252/latin-1 mojibake ("â€™" -> "’") when it is present; otherwise return as is.

    ftfy is only called when a mojibake marker is present, because it costs ~0.3 ms a call.
    Curly quotes are kept (``uncurl_quotes=False``) so repaired text reads as written.
    """
    if _MOJIBAKE.search(text):
        return ftfy.fix_text(text, uncurl_quotes=False, unescape_html=False, normalization="NFC")
    return text


def clean_text(text: str) -> str:
    """The normalised form of a passage: one line, repaired, no invisible characters."""
    text = repair_mojibake(text)
    if "&" in text and _HTML_ENTITY.search(text):
        text = html.unescape(text)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def map_offsets(clean: str, raw: str) -> list[int]:
    """For each position 0..len(clean) of ``clean``, the matching position in ``raw``.

    ``clean_text`` may be shorter than the raw passage (collapsed spaces, repaired
    mojibake), so spans found on it are mapped back with this to stay exact offsets into the
    raw text. Identical texts map to themselves without any alignment work.
    """
    if clean == raw:
        return list(range(len(raw) + 1))
    from difflib import SequenceMatcher

    mapping = [0] * (len(clean) + 1)
    matcher = SequenceMatcher(None, clean, raw, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(i1, i2):
            if tag == "equal":
                mapping[k] = j1 + (k - i1)
            else:  # replaced or inserted text: spread over the raw block
                mapping[k] = j1 + min((k - i1) * max(j2 - j1, 1) // max(i2 - i1, 1), max(j2 - j1 - 1, 0))
    mapping[len(clean)] = len(raw)
    return mapping


def raw_span(mapping: list[int], start: int, end: int, raw: str) -> tuple[int, int]:
    """The raw-text span of the clean-text span ``start:end``.

    The end grows over raw characters that were folded into the span's last clean
    character (the three bytes of "â€™" behind one "’"), but never over spaces.
    """
    raw_start = mapping[start]
    raw_end = mapping[end - 1] + 1 if end > start else raw_start
    limit = mapping[end] if end < len(mapping) else len(raw)
    while raw_end < limit and not raw[raw_end].isspace():
        raw_end += 1
    return raw_start, raw_end
