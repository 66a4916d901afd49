"""Lexicon files (``corpus/lexicons/<type>.txt``) -> phrase patterns for spaCy's entity ruler.

One file per entity type, one term per line, ``#`` for comments. Each term is expanded into
its common variants (plural/singular, hyphen/space/closed compound, British/American
spellings) so that the files can stay short and readable.
"""
from __future__ import annotations

import re
from pathlib import Path

from pipeline.types import ENTITY_TYPES

_BRITISH = (("orthopaedic", "orthopedic"), ("oedema", "edema"), ("anaemia", "anemia"),
            ("haem", "hem"), ("oesophag", "esophag"), ("paediatric", "pediatric"),
            ("behaviour", "behavior"), ("tumour", "tumor"), ("anaesthe", "anesthe"),
            ("centre", "center"), ("fibre", "fiber"), ("programme", "program"),
            ("ischaem", "ischem"), ("foetal", "fetal"), ("dyspnoea", "dyspnea"),
            ("diarrhoea", "diarrhea"), ("gynaecolog", "gynecolog"), ("oestrogen", "estrogen"))


def lexicon_files(folder: Path) -> dict[str, Path]:
    """``{entity type: file}`` for the files in ``folder`` whose stem names an entity type."""
    found = {}
    for path in sorted(Path(folder).glob("*.txt")):
        label = path.stem.upper()
        if label in ENTITY_TYPES:
            found[label] = path
    return found


def read_lexicon(path: Path) -> list[str]:
    """The terms of one lexicon file, in file order, without comments or blanks."""
    terms = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split(" #")[0].strip()
        if line and not line.startswith("#"):
            terms.append(line)
    return terms


def variants(term: str) -> set[str]:
    """Spelling variants of a term: plural/singular, hyphenation, British/American."""
    out = {term}
    if "'" in term:
        out.add(term.replace("'", "’"))
    if "-" in term:
        out |= {term.replace("-", " "), term.replace("-", "")}
    words = term.split()
    if words and words[-1].isalpha() and words[-1].islower() and len(words[-1]) > 3:
        last = words[-1]
        if last.endswith("s") and not last.endswith(("ss", "us", "is")):
            out.add(" ".join(words[:-1] + [last[:-1]]))
        elif last.endswith(("ch", "sh", "x")):
            out.add(" ".join(words[:-1] + [last + "es"]))
        elif last.endswith("y") and last[-2] not in "aeiou":
            out.add(" ".join(words[:-1] + [last[:-1] + "ies"]))
        elif not last.endswith(("ss", "us", "is", "itis", "osis", "ia", "um")):
            out.add(" ".join(words[:-1] + [last + "s"]))
    for british, american in _BRITISH:
        for form in list(out):
            low = form.lower()
            if british in low:
                out.add(re.sub(british, american, form, flags=re.IGNORECASE))
            elif american in low:
                out.add(re.sub(american, british, form, flags=re.IGNORECASE))
    return {v for v in out if v.strip()}


def _case_sensitive(term: str) -> bool:
    """Abbreviations ("WHO", "GTPS", "PRICE", "POLICE") must match their case: "who" is not an
    ORG, and "the price goes up" names no treatment."""
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and " " not in term


def _exact_case(label: str, form: str) -> bool:
    """Forms matched on their written case: abbreviations, and one-word organisation names,
    which are often common words ("Mind", "Circulation", "Neurology" in "keep in mind",
    "blood circulation")."""
    one_capitalised_word = " " not in form and form[:1].isupper()
    return _case_sensitive(form) or (label == "ORG" and one_capitalised_word)


def lexicon_forms(folder: Path) -> dict[str, tuple[str, str]]:
    """``{lower-cased form: (entity type, written form)}`` for every term of every lexicon in
    ``folder`` and its variants; a form listed under two types keeps the first type in
    ``ENTITY_TYPES`` order, as the entity ruler does."""
    files = lexicon_files(folder)
    chosen: dict[str, tuple[str, str]] = {}
    for label in ENTITY_TYPES:
        if label not in files:
            continue
        for term in read_lexicon(files[label]):
            for form in sorted(variants(term)):
                chosen.setdefault(form.lower(), (label, form))
    return chosen


def load_patterns(folder: Path) -> list[dict]:
    """Entity-ruler patterns for every lexicon in ``folder`` (deduplicated, sorted).

    Most terms are phrase patterns matched on lower case, so each lower-cased form appears
    once; abbreviations and one-word organisation names become token patterns on the exact
    text, so "WHO" does not match "who", nor "Mind" "mind". A form listed under two types
    keeps the first type in ``ENTITY_TYPES`` order.
    """
    patterns: list[dict] = []
    for _, (label, form) in sorted(lexicon_forms(folder).items()):
        if _exact_case(label, form):
            patterns.append({"label": label, "pattern": [{"ORTH": form}]})
        else:
            patterns.append({"label": label, "pattern": form})
    return patterns
