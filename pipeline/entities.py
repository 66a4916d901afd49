"""The spaCy entity pipeline: lexicon ruler, trained NER and our ``health_`` components.

All registration lives here and runs when ``pipeline`` is imported; the factories are also
declared as ``spacy_factories`` entry points in pyproject.toml, so a saved pipeline loads with
plain ``spacy.load`` in a fresh process.

Pipeline order (see ``build_entity_pipeline``): ``ner`` (when trained) proposes spans, then
``entity_ruler`` adds lexicon matches only where the NER found nothing (``overwrite_ents`` is
off: on overlap the trained model wins, because it sees context the lexicon cannot, e.g.
"pain in the inner knee" as one CONDITION rather than a BODY_PART inside it), then
``health_span_cleanup`` trims articles, trailing punctuation and credentials.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.lexicons import load_patterns
from pipeline.tokenizer import blank_english
from pipeline.types import Entity

_LEADING = {"the", "a", "an", "your", "my", "his", "her", "their", "our", "its", "this", "that"}
_CREDENTIAL = re.compile(
    r"^(?:MD|M\.D\.|DO|PhD|Ph\.D\.|PT|DPT|MPT|OCS|SCS|CSCS|C\.S\.C\.S\.|ATC|MS|M\.S\.|MSc|BSc|BA|MA|"
    r"RN|NP|PA-C|DC|D\.C\.|FRCS|MRCS|MBBS|MBA|MPH|RD|LAc|CPT|OTR|OT|CHT|FACS|FAAOS|Jr\.?|Sr\.?)$"
)


@Language.component("health_span_cleanup")
def span_cleanup(doc: Doc) -> Doc:
    """Trim spans to ANNOTATION.md's rules: no leading articles, trailing punctuation, titles.

    Why a component: both the ruler and the NER can emit "the knee" or "Dr. Lee," now and
    then, and the annotation guidelines never include those tokens.
    """
    cleaned = []
    for ent in doc.ents:
        start, end = ent.start, ent.end
        while start < end - 1 and doc[start].lower_ in _LEADING:
            start += 1
        while end > start + 1 and (doc[end - 1].is_punct or _CREDENTIAL.match(doc[end - 1].text)):
            end -= 1
        if ent.label_ == "PERSON":
            while start < end - 1 and doc[start].text.rstrip(".").lower() in {"dr", "prof", "mr", "mrs", "ms", "professor", "doctor"}:
                start += 1
        if end > start and not all(t.is_punct or t.is_space for t in doc[start:end]):
            cleaned.append(Span(doc, start, end, label=ent.label_))
    doc.ents = filter_spans(cleaned)
    return doc


def build_entity_pipeline(lexicon_dir: Path, ner_nlp: Language | None = None) -> Language:
    """A blank English pipeline with the lexicon ruler (and a trained NER when given).

    Args:
        lexicon_dir: folder of ``<type>.txt`` lexicon files.
        ner_nlp: a pipeline whose trained ``ner`` (and its tok2vec) is copied in front.
    """
    nlp = blank_english()
    if ner_nlp is not None:
        for name in ner_nlp.pipe_names:
            nlp.add_pipe(name, source=ner_nlp)
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": False})
    ruler.add_patterns(load_patterns(lexicon_dir))
    nlp.add_pipe("health_span_cleanup")
    return nlp


def doc_entities(doc: Doc) -> list[Entity]:
    """The entities of a processed doc as character spans of its text."""
    return [Entity(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]


def extract_entities(nlp: Language, texts: Iterable[str], batch_size: int = 256) -> list[list[Entity]]:
    """Entities for each text, in order. Batches of 256 keep spaCy's memory flat."""
    return [doc_entities(doc) for doc in nlp.pipe(texts, batch_size=batch_size)]
