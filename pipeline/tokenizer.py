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
# English exceptions that keep the stop on words ending journal abbreviations
# ("Cochrane Database Syst Rev.", "Arch Gen. Psychiatry"): dropped so ORG spans can end there.
JOURNAL_WORD_EXCEPTIONS = frozenset({"Rev.", "Gen.", "Ind.", "Md.", "Del.", "Ill.", "Id.", "Mo.", "Ore.", "Rep."})


def customize_tokenizer(nlp: Language) -> Language:
    """Split the stop after a lone capital initial ("Lee C." -> "Lee", "C", ".") and after
    journal-abbreviation words that English treats as titles ("Rev.")."""
    suffixes = list(nlp.Defaults.suffixes or [])
    if INITIAL_STOP_SUFFIX not in suffixes:
        suffixes.append(INITIAL_STOP_SUFFIX)
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    nlp.tokenizer.rules = {k: v for k, v in nlp.tokenizer.rules.items() if k not in JOURNAL_WORD_EXCEPTIONS}
    return nlp


def blank_english() -> Language:
    """A blank English pipeline with the project's tokenizer rules."""
    return customize_tokenizer(spacy.blank("en"))
