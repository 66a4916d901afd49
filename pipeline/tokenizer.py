"""Tokenizer adjustments for reference-heavy health text.

spaCy's English tokenizer keeps a single capital letter and its full stop together
("C."), so the last author of a Vancouver reference ("Smith AB, Lee C. Title ...")
could never be an exact PERSON span. Splitting that stop is the one change we need;
the rules are stored with the tokenizer, so a saved pipeline loads with them.
"""
from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.util import compile_suffix_regex

INITIAL_STOP_SUFFIX = r"(?<=\b[A-Z])\."


def customize_tokenizer(nlp: Language) -> Language:
    """Split the full stop after a lone capital initial ("Lee C." -> "Lee", "C", ".")."""
    suffixes = list(nlp.Defaults.suffixes or [])
    if INITIAL_STOP_SUFFIX not in suffixes:
        suffixes.append(INITIAL_STOP_SUFFIX)
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    return nlp


def blank_english() -> Language:
    """A blank English pipeline with the project's tokenizer rules."""
    return customize_tokenizer(spacy.blank("en"))
