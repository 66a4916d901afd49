"""The spaCy entity pipeline: lexicon ruler, trained NER and our ``health_`` components.

All registration lives here and runs when ``pipeline`` is imported; the factories are also
declared as ``spacy_factories`` entry points in pyproject.toml, so a saved pipeline loads with
plain ``spacy.load`` in a fresh process.

Pipeline order (see ``build_entity_pipeline``), which is also the rule for who wins on
overlap: ``health_reference_authors`` marks author names in reference-like passages;
``health_reference_journals`` marks the journal between a reference's title and its year;
``health_org_names`` and ``health_person_names`` mark organisations and people by the shape of
the text around them (``pipeline.name_patterns``); ``entity_ruler`` adds lexicon matches where
nothing is marked yet; ``health_term_endings`` marks unlisted words whose ending names a
condition or a treatment ("-itis", "-statin"); ``health_symptom_phrases`` grows symptom
mentions to the longest span ("sharp pain in the heel", "leg ulcer"); then the trained ``ner``
(when there is one) adds spans only where the rules found nothing — spaCy's NER keeps
entities already set on the doc — because on this corpus the rules are more precise and the
model mainly adds recall; ``health_span_cleanup`` finally trims articles, trailing
punctuation, titles and credentials.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.lexicons import load_patterns
from pipeline.name_patterns import (CREDENTIALS, TITLES, org_spans, person_spans, reference_author_spans,
                                    reference_journal_spans)
from pipeline.tokenizer import blank_english
from pipeline.types import Entity

_LEADING = {"the", "a", "an", "your", "my", "his", "her", "their", "our", "its", "this", "that"}
# a span's trailing credentials and name suffixes ("Lee, PT", "Reed Jr.") are trimmed
_CREDENTIAL = re.compile(rf"^(?:{CREDENTIALS}|OT|Jr\.?|Sr\.?)$")
_TITLE_WORDS = {title.lower() for title in TITLES} | {"doctor"}


# "back" is a body part in "your back", "a stiff back", "hips and back"; in "come back", "back
# to", "the back of the knee" (listed whole when meant) it is not. Across the corpus's span
# annotations, a lone "back" marked BODY_PART follows one of these words or another body part.
_BACK_OWNERS = {"your", "my", "his", "her", "their", "our", "its", "one's", "a", "upper", "lower", "mid", "middle",
                "whole", "rounded", "flat", "arched", "sore", "stiff", "bad", "aching", "painful", "straight"}


def _is_body_back(doc: Doc, i: int, body_ends: set[int]) -> bool:
    """Whether the token ``doc[i]`` ("back") names the body part."""
    prev = doc[i - 1].lower_ if i > 0 else ""
    following = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    if prev == "the":
        return following != "of"
    if prev in {"and", "or", ","}:
        return i - 1 in body_ends
    return prev in _BACK_OWNERS


def _ends_with_initial(span: Span, label: str) -> bool:
    """Whether ``span`` is a name with dotted initials ("Smith, A. B.", "Petrenko O. V.") whose
    last token is the full stop of an initial: that stop abbreviates the name, so it stays in
    the span. Vancouver names ("Lee C") end before the stop, as ANNOTATION.md's examples do."""
    if label != "PERSON" or len(span) < 3 or span[-1].text != "." or not (len(span[-2].text) == 1 and span[-2].is_upper):
        return False
    return span[-3].text == "." or any(token.text == "," for token in span)


def _trailing_extra(span: Span, label: str) -> bool:
    """Whether the span's last token is trailing punctuation or a credential ("Lee, PT") that
    ANNOTATION.md leaves out; an initial's full stop is part of the name."""
    last = span[-1]
    return (last.is_punct or bool(_CREDENTIAL.match(last.text))) and not _ends_with_initial(span, label)


@Language.component("health_span_cleanup")
def span_cleanup(doc: Doc) -> Doc:
    """Trim spans to ANNOTATION.md's rules: no leading articles, trailing punctuation, titles.

    Why a component: both the ruler and the NER can emit "the knee" or "Dr. Lee," now and
    then, and the annotation guidelines never include those tokens.
    """
    cleaned = []
    body_ends = {ent.end for ent in doc.ents if ent.label_ == "BODY_PART"}
    for ent in doc.ents:
        start, end = ent.start, ent.end
        if ent.label_ == "BODY_PART" and end - start == 1 and doc[start].lower_ == "back" \
                and not _is_body_back(doc, start, body_ends):
            continue
        while start < end - 1 and doc[start].lower_ in _LEADING:
            start += 1
        while end > start + 1 and _trailing_extra(doc[start:end], ent.label_):
            end -= 1
        if ent.label_ == "PERSON":
            while start < end - 1 and doc[start].text.rstrip(".").lower() in _TITLE_WORDS:
                start += 1
        if end > start and not all(t.is_punct or t.is_space for t in doc[start:end]):
            cleaned.append(Span(doc, start, end, label=ent.label_))
    doc.ents = filter_spans(cleaned)
    return doc


def _add_unclaimed(doc: Doc, char_spans: Iterable[tuple[int, int]], label: str) -> Doc:
    """Add each (start, end) character span as ``label`` unless it overlaps a span already
    on the doc (or one added before it) or does not fall on token boundaries."""
    spans = list(doc.ents)
    taken = {i for ent in spans for i in range(ent.start_char, ent.end_char)}
    for start, end in char_spans:
        if any(i in taken for i in range(start, end)):
            continue
        span = doc.char_span(start, end, label=label, alignment_mode="strict")
        if span is not None:
            spans.append(span)
            taken.update(range(start, end))
    doc.ents = filter_spans(spans)
    return doc


@Language.component("health_reference_authors")
def reference_authors(doc: Doc) -> Doc:
    """Mark author names in reference-like passages as PERSON.

    Why a rule: author lists ("Crossley KM, Stefanik JJ, Selfe J") are the commonest PERSON
    mentions on health pages, and their shape is regular; only passages with a year, "et al."
    or an identifier are searched, so ordinary capitalised phrases are left alone.
    """
    return _add_unclaimed(doc, reference_author_spans(doc.text), "PERSON")


@Language.component("health_person_names")
def person_names(doc: Doc) -> Doc:
    """Mark people named in prose as PERSON: "Maria Lopez, PT", "Dr. Shaw", "says Tom Okafor".

    Why a rule: experts quoted in articles, reviewers and bylines are named in a few fixed
    shapes (a credential after the name, a title before it, a speech verb or "by" before it),
    and no lexicon can list the names themselves. See ``pipeline.name_patterns``.
    """
    return _add_unclaimed(doc, person_spans(doc.text), "PERSON")


@Language.component("health_org_names")
def org_names(doc: Doc) -> Doc:
    """Mark organisations named by an organisation word ("... Association", "University of ...").

    Why a rule: the organisation lexicon can only list the best-known names; clinics,
    universities, societies and publishers are open-ended but end in a handful of words.
    Runs before the lexicon ruler, so "American College of Rheumatology" is one ORG rather
    than a specialty word inside it.
    """
    return _add_unclaimed(doc, org_spans(doc.text), "ORG")


@Language.component("health_reference_journals")
def reference_journals(doc: Doc) -> Doc:
    """Mark the journal of a reference ("Br J Sports Med. 2019;53:...") as ORG.

    Why a rule: journal names and abbreviations are open-ended (no lexicon lists them all),
    but their position is fixed, between the title and the year or volume. Runs before the
    lexicon ruler so that "Pain" in "J Pain. 2020;" is not taken for a symptom. On the
    corpus's citation passages the rule's ORG spans were 89% precise.
    """
    return _add_unclaimed(doc, reference_journal_spans(doc.text), "ORG")


# Word endings that name a condition or a treatment whatever the word: an unseen disease in
# "-itis" or "-osis", a drug in "-statin" or "-azol", a procedure in "-plasty". Common words
# with these endings are listed as exceptions.
_CONDITION_ENDINGS = ("itis", "osis", "algia", "opathy", "plegia", "paresis", "aemia", "emia", "penia", "megaly",
                      "ectasis")
_TREATMENT_ENDINGS = ("ectomy", "plasty", "otomy", "odesis", "ximab", "umab", "tinib", "pril", "sartan", "olol",
                      "statin", "azol", "azole", "cillin", "mycin", "floxacin", "prazole", "dronate", "parin", "xaban",
                      "gatran", "lukast", "coxib", "profen", "olone", "asone", "semide", "gliptin", "gliflozin",
                      "glutide", "formin", "tidine", "setron", "cycline", "dopa", "codone", "zepam", "zolam")
_CONDITION_ENDING = re.compile(rf"^[a-z][a-z-]{{3,}}(?:{'|'.join(_CONDITION_ENDINGS)})$")
_TREATMENT_ENDING = re.compile(rf"^[a-z][a-z-]{{2,}}(?:{'|'.join(_TREATMENT_ENDINGS)})$")
_ANY_ENDING = _CONDITION_ENDINGS + _TREATMENT_ENDINGS
_NOT_TERMS = {"diagnosis", "diagnoses", "prognosis", "osmosis", "symbiosis", "hypnosis", "metamorphosis", "apotheosis",
              "academia", "nostalgia"}
_THERAPIES_IN_PATHY = {"homeopathy", "homoeopathy", "osteopathy", "naturopathy"}   # treatments, not conditions


def _term_kind(word: str) -> str | None:
    """CONDITION or TREATMENT when the lower-cased ``word``'s ending names one, else None."""
    if not word.endswith(_ANY_ENDING) or word in _NOT_TERMS:     # the cheap test first: most words
        return None
    if word in _THERAPIES_IN_PATHY:
        return "TREATMENT"
    if _CONDITION_ENDING.match(word):
        return "CONDITION"
    return "TREATMENT" if _TREATMENT_ENDING.match(word) else None


@Language.component("health_term_endings")
def term_endings(doc: Doc) -> Doc:
    """Mark unlisted words whose ending names a condition or a treatment.

    Why a rule: no lexicon lists every disease and drug, and the held-out topics showed the
    misses ("hyperuricaemia", "cilostazol", "angioplasty"); medical word endings are regular
    enough to find them. Only words nothing else has claimed are marked.
    """
    found: dict[str, list[tuple[int, int]]] = {"CONDITION": [], "TREATMENT": []}
    for token in doc:
        if not token.ent_type_ and (kind := _term_kind(token.lower_)):
            found[kind].append((token.idx, token.idx + len(token)))
    for label, spans in found.items():
        doc = _add_unclaimed(doc, spans, label)
    return doc


_SYMPTOM_HEADS = {"pain", "pains", "ache", "aches", "aching", "tenderness", "swelling", "stiffness", "numbness",
                  "tingling", "weakness", "inflammation", "irritation", "discomfort", "soreness", "cramping",
                  "burning", "osteoarthritis", "arthritis", "dislocation", "fracture", "tear", "injury", "injuries"}
_SYMPTOM_ADJECTIVES = {"sharp", "dull", "throbbing", "burning", "stabbing", "severe", "mild", "moderate", "chronic",
                       "acute", "extreme", "constant", "diffuse", "intense", "nagging", "persistent", "shooting",
                       "deep", "anterior", "lateral", "medial", "posterior", "sudden", "recurrent", "generalised",
                       "generalized", "localised", "localized", "widespread", "intermittent", "significant"}
_PLACE_WORDS = {"in", "at", "on", "under", "around", "behind", "along", "over", "of", "across", "near", "below", "above"}
_DETERMINERS = {"the", "your", "my", "his", "her", "their", "a", "an", "one", "both", "this"}
_PLACE_TAIL = {"area", "region", "side", "joint"}


@Language.component("health_symptom_phrases")
def symptom_phrases(doc: Doc) -> Doc:
    """Grow symptom mentions to the longest span ANNOTATION.md asks for.

    "sharp pain in the heel", "dull, throbbing pain at the front of your knee",
    "osteoarthritis of the knee" and "leg ulcer" are one CONDITION each, not a CONDITION plus
    a BODY_PART: a body part just before any condition, adjectives before the symptom word
    and a place phrase ending in a body part after it are merged into the condition's span.
    """
    ents = sorted(doc.ents, key=lambda e: e.start)
    by_start = {e.start: e for e in ents}
    body_part_ending = {e.end: e for e in ents if e.label_ == "BODY_PART"}
    merged: list[Span] = []
    consumed: set[int] = set()
    for ent in ents:
        if id(ent) in consumed:
            continue
        start, end = ent.start, ent.end
        if ent.label_ == "CONDITION" and start in body_part_ending:
            # "leg ulcer", "calf muscle strain": the body part names where the condition is
            start = body_part_ending[start].start
            consumed.add(id(body_part_ending[ent.start]))
        if ent.label_ != "CONDITION" or doc[end - 1].lower_ not in _SYMPTOM_HEADS:
            merged.append(ent if start == ent.start else Span(doc, start, end, label=ent.label_))
            continue
        while start > 0 and (doc[start - 1].lower_ in _SYMPTOM_ADJECTIVES or
                             (doc[start - 1].text == "," and start > 1 and doc[start - 2].lower_ in _SYMPTOM_ADJECTIVES)):
            start -= 1
        if doc[start].text == ",":
            start += 1
        i = end
        if i < len(doc) and doc[i].lower_ in _PLACE_WORDS:
            j = i + 1
            while j < len(doc) and doc[j].lower_ in _DETERMINERS:
                j += 1
            # allow up to three plain words ("front and center of your") before the body part
            k = j
            while k < len(doc) and k - j <= 4 and k not in by_start and not doc[k].is_punct:
                k += 1
            target = by_start.get(k)
            if target is not None and target.label_ == "BODY_PART":
                end = target.end
                consumed.add(id(target))
                if end < len(doc) and doc[end].lower_ in _PLACE_TAIL:
                    end += 1
        merged.append(Span(doc, start, end, label="CONDITION"))
    doc.ents = filter_spans([e for e in merged if id(e) not in consumed])
    return doc


def build_entity_pipeline(lexicon_dir: Path, ner_nlp: Language | None = None) -> Language:
    """A blank English pipeline with the lexicon ruler (and a trained NER when given).

    Args:
        lexicon_dir: folder of ``<type>.txt`` lexicon files.
        ner_nlp: a pipeline whose trained ``ner`` (and its tok2vec) is copied in front.
    """
    nlp = blank_english()
    nlp.add_pipe("health_reference_authors")
    nlp.add_pipe("health_reference_journals")
    nlp.add_pipe("health_org_names")
    nlp.add_pipe("health_person_names")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": False})
    ruler.add_patterns(load_patterns(lexicon_dir))
    nlp.add_pipe("health_term_endings")
    nlp.add_pipe("health_symptom_phrases")
    if ner_nlp is not None:
        nlp.add_pipe("ner", source=ner_nlp)
    nlp.add_pipe("health_span_cleanup")
    return nlp


def doc_entities(doc: Doc) -> list[Entity]:
    """The entities of a processed doc as character spans of its text."""
    return [Entity(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]


def extract_entities(nlp: Language, texts: Iterable[str], batch_size: int = 256) -> list[list[Entity]]:
    """Entities for each text, in order. Batches of 256 keep spaCy's memory flat."""
    return [doc_entities(doc) for doc in nlp.pipe(texts, batch_size=batch_size)]
