"""Where people and organisations are named: character spans found by the shape of the text.

Pure functions from a passage's text to ``(start, end)`` spans; the spaCy components in
``entities.py`` turn them into entities. Why shapes rather than a lexicon: names are
open-ended (no list holds every author, clinic or journal), but the places they sit are
regular — author lists, bylines with credentials, "says Dr. ...", "University of ...",
"... Association" — and those places are the same on every site.
"""
from __future__ import annotations

import re

_PARTICLE = r"(?:(?:[Vv]an|[Vv]on|[Dd]e|der|den|[Dd]a|[Dd]i|[Dd]u|dos|[Dd]el|[Ll]a|[Ll]e|ten|ter)\s+)"
_SURNAME = r"(?:Mc|Mac|O['’]|Ó\s)?[A-ZÀ-ÞА-ЯЁ][a-zà-ÿа-яё'’]+(?:[-‐][A-ZÀ-ÞА-ЯЁ][a-zà-ÿа-яё'’]+)?"
_GIVEN = r"[A-ZÀ-Þ][a-zà-ÿ'’]+(?:-[A-ZÀ-Þ][a-zà-ÿ'’]+)?"
_MIDDLE = r"(?:\s[A-Z]\.?){0,3}"
_FULL_NAME = rf"{_GIVEN}{_MIDDLE}\s{_PARTICLE}*{_SURNAME}"
_LIST_START = (r"(?:(?<=^)|(?<=[,;])|(?<=[,;.:|]\s)|(?<=\sand\s)|(?<=\]\s)|(?<=\]\s\s)|(?<=\d\.\s)|(?<=\d\)\s)"
               r"|(?<=-\s)|(?<=\|\s)|(?<=&\s)|(?<=\d{4}\s)|(?<=[A-Z]{2}\s))")

# -- author lists in references ---------------------------------------------------------
# "Crossley KM", "van der Heijden RA", "McEwen PC", "Park S-Y" in Vancouver-style lists; the
# next author may follow after a comma or, on some journal pages, after a bare space.
_VANCOUVER_AUTHOR = re.compile(
    rf"{_LIST_START}({_PARTICLE}*{_SURNAME}\s[A-Z]{{1,3}}(?:-[A-Z])?)"
    rf"(?=\s*(?:,|\.|;|:|\(|\set\s+al|\sand\s|\s&|$)|\s{_SURNAME}\s[A-Z]{{1,3}}\b)")
# "Smith, A. B." in APA lists; the last initial keeps its full stop, which abbreviates the
# name rather than ending the sentence (the corpus and held-out spans are written this way)
_APA_AUTHOR = re.compile(rf"{_LIST_START}({_PARTICLE}*{_SURNAME},\s(?:[A-Z]\.\s?-?)*[A-Z]\.)")
# "Petrenko O. V.", "Ершов А.В." (dotted initials after the surname; a lone dotted initial only
# before a comma, since "Lee C. Title" ends the name before the stop)
_DOTTED_AUTHOR = re.compile(
    rf"{_LIST_START}({_PARTICLE}*{_SURNAME}\s(?:(?:[A-ZА-ЯЁ]\.\s?){{1,2}}[A-ZА-ЯЁ]\.|[A-ZА-ЯЁ]\.(?=,)))")
# "C. E. H. Scott", "R. Gajdosik" (initials first)
_INITIALS_FIRST = re.compile(
    rf"{_LIST_START}((?:[A-Z]\.\s?-?){{1,3}}\s?{_PARTICLE}*{_SURNAME})(?=\s*(?:,|\||;|\.|\set\s+al|\sand\s|\s&|\s\d|$))")
# "Steven M. Kurtz | Edmund Lau" cards and "Kay M Crossley 1, Joshua J Stefanik 2" bylines
_FULL_NAME_LISTED = re.compile(
    rf"{_LIST_START}({_FULL_NAME})(?=\s*(?:\||\s\d{{1,2}}\s*(?:,|$)|\s\d{{1,2}}$))")
REFERENCE_CUE = re.compile(r"\b(?:19|20)\d{2}\b|\bet al\b|\bdoi\b|\bpmid\b", re.IGNORECASE)

# -- people named in prose --------------------------------------------------------------
# credentials written after a name; the span ends before them ("Maria Lopez, PT, DPT")
CREDENTIALS = (r"(?:MD|M\.D\.|DO|PhD|Ph\.D\.|DPhil|Dphil|PT|DPT|MPT|OCS|SCS|CSCS|C\.S\.C\.S\.|ATC|MS|M\.S\.|MSc|"
               r"BSc|BA|MA|RN|NP|PA-C|DC|D\.C\.|FRCS\w*|MRCS\w*|MBBS|MBChB|MBA|MPH|RD|RDN|LAc|CPT|OTR/L|OTR|"
               r"CHT|DDS|DMD|BDS|FACS|FAAOS|FACSM|CNS|LMT|CMT|PsyD|LCSW|IBCLC|CPO|MCSP|HCPC|BPhty|DNP|APRN|FNP|PharmD)")
# titles written before a name; the span starts after them ("Dr. Shaw" -> "Shaw")
TITLES = ("Dr", "Prof", "Professor", "Mr", "Mrs", "Ms", "Miss")
_TITLE = "(?:" + "|".join(TITLES) + ")"
# "Maria Lopez, PT, DPT", "Elizabeth C. Ortiz, MD*", "James Reed, M.S., C.S.C.S."
_NAME_WITH_CREDENTIAL = re.compile(rf"\b({_FULL_NAME}),?\s{CREDENTIALS}\b")
# "Dr. Shaw", "Dr Priya Natarajan", "Professor Anne Kelly"
_TITLED_NAME = re.compile(
    rf"\b{_TITLE}\.?\s((?:{_GIVEN}{_MIDDLE}\s)?{_PARTICLE}*{_SURNAME})\b")
# "says Caitlin Shaw", "according to Tom Okafor", "Illustration by Jennifer Fairman"
_SPEAKER = re.compile(
    rf"(?:\b(?:says|said|explains|explained|adds|added|notes|noted|according to|recommends|"
    rf"[Ww]ritten by|[Rr]eviewed by:?|[Ll]ed by|[Ll]ead author|[Cc]orrespondence:|[Ii]llustrat\w+ by|"
    rf"[Pp]hoto\w* by|By|[Aa]uthor:|[Cc]ontributors?\s?[-:–—])\s)"
    rf"(?!{_TITLE}\b)({_FULL_NAME})\b")
# "Contributors - Ann Lee, Tom Kerr, Ravi Shah": three or more full names in a comma list
_NAME_IN_LIST = rf"{_GIVEN}(?:\s[A-Z]\.)?\s{_PARTICLE}*{_SURNAME}"
_NAME_LIST = re.compile(rf"(?:{_NAME_IN_LIST})(?:,\s(?:{_NAME_IN_LIST})){{2,}}(?:,?\sand\s{_NAME_IN_LIST})?")
_ONE_NAME = re.compile(_NAME_IN_LIST)

# -- organisations ----------------------------------------------------------------------
_CAP = r"(?:[A-Z][A-Za-z'’\-]*|[A-Z]\.(?:[A-Z]\.)+)"
_LINK = r"(?:of|and|for|on|&|in|against)"
_AND = r"(?:and|&)"
# Words that end an organisation's name, shared with the reference parser (corporate authors)
ORGANISATION_WORDS = (r"University|College|Association|Society|Foundation|Council|Organi[sz]ation|Agency|Alliance|"
                      r"Trust|Clinic|Centre|Center|Network|Service")
_ORG_HEAD = (rf"(?:{ORGANISATION_WORDS}|Institutes?|Hospitals?|Infirmary|School|Academy|Task\sForce|Federation|"
             r"League|Collaboration|Consortium|Ministry|Inc\.|Ltd|LLC|Group|Journal|Initiative|Images|Publishing|"
             r"Services|Physio|Physiotherapy|Chiropractic|Dental|Pharmacy|Studios?|Lawyers|Solicitors)")
# "American College of Rheumatology", "Royal Infirmary of Edinburgh", "Keck School of Medicine",
# "Mayo Clinic", "Elsevier Inc.": capitalised words ending in an organisation word, with an
# optional "of ..." tail of capitalised words. Only "and"/"&" may join the words before the
# organisation word, so "Henrik Berg of Oslo University Hospital" yields the hospital alone.
# "Press" and "Board" are left out: "Bench Press" and "Wobble Board" are exercise words.
# "... Studio on Mondays": a day after "on" is when, not part of the name
_NOT_A_DAY = r"(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?\b)"
_ORG_NAME = re.compile(
    rf"(?<![A-Za-z])((?:{_CAP}\s(?:{_AND}\s)?){{0,5}}{_ORG_HEAD}"
    rf"(?:\s(?:of|for|on|against)\s(?:the\s)?{_NOT_A_DAY}{_CAP}(?:\s(?:{_LINK}\s)?{_CAP}){{0,4}})?)(?![A-Za-z])")
_SINGLE_WORD_HEADS = {"University", "College", "Institute", "Hospital", "School", "Association", "Academy",
                      "Society", "Foundation", "Council", "Organisation", "Organization", "Agency",
                      "Clinic", "Centre", "Center", "Group", "Journal", "Network", "Trust", "Service", "Services",
                      "Images", "Ministry", "League", "Federation", "Alliance", "Initiative", "Physio", "Physiotherapy",
                      "Chiropractic", "Dental", "Pharmacy", "Studio", "Studios", "Lawyers", "Solicitors"}
# capitalised words that open a sentence or a call to action rather than a name
_NOT_NAME_START = {"The", "A", "An", "At", "In", "On", "Of", "For", "From", "With", "By", "To", "And", "Our",
                   "Your", "Visit", "Contact", "Call", "See", "Welcome", "Join", "Ask", "Book", "About", "Why", "How"}
# "(NPTF)" right after an organisation's name
_ACRONYM_AFTER = re.compile(r"\s\(([A-Z][A-Z&]{1,7})\)")
# -- journals in references ------------------------------------------------------------
_JOURNAL_WORD = r"(?:[A-Z][A-Za-z'’\-]*\.?|of|and|the|in|for|&|de|la|y|und|für)"
# Vancouver: "... Title. Br J Sports Med. 2019;53(4):201-9" or "Spine 2018 Mar;43(5):..."
_VANCOUVER_JOURNAL = re.compile(
    rf"(?:(?<=\.\s)|(?<=\?\s)|(?<=\]\s))({_JOURNAL_WORD}(?:\s{_JOURNAL_WORD}){{0,9}}?)\.?\s"
    rf"(?:19|20)\d{{2}}\s?(?:[A-Z][a-z]{{2}}\s?\d{{0,2}})?\s?[;:.,(]")
# APA: "... title. Journal of Pain Research, 12(3), 45-67"
_APA_JOURNAL = re.compile(
    rf"(?:(?<=\.\s)|(?<=\?\s))({_JOURNAL_WORD}(?:\s{_JOURNAL_WORD}){{0,11}}?),\s*\d+\s*(?:\(\d+[^)]*\))?\s*,\s*[e\d]")
# the journal of a reference written "Title, Journal Name, № 7, с. 636" or ", 2008, Journal Name."
_JOURNAL_NUMERO = re.compile(r"(?:(?<=,\s)|(?<=\.\s))([A-Z][^,.;№]{1,80}?)\.?,\s№\s?\d")
_JOURNAL_AFTER_YEAR = re.compile(r",\s(?:19|20)\d{2},\s((?:The\s)?[A-Z][A-Za-z&:'’\-]*(?:\s[A-Za-z&:'’\-]+){0,10})\.(?:\s|$)")


# words that take a name's shape in headings, datelines and addresses but are not names
_NOT_NAME_WORDS = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December", "Posted", "Published", "Updated", "Vice", "President",
                   "Upper", "Lower", "Day", "Week", "Phase", "Level", "Stage", "Part", "Section", "Table",
                   "Figure", "North", "South", "East", "West", "Street", "Road", "Avenue"}


def _name_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop spans holding a word that is never a name; trim a possessive "'s"."""
    kept = []
    for start, end in spans:
        if text.endswith(("'s", "’s"), start, end):
            end -= 2
        if not _NOT_NAME_WORDS.intersection(re.findall(r"[A-Za-z]+", text[start:end])):
            kept.append((start, end))
    return _longest_first(kept)


def reference_author_spans(text: str) -> list[tuple[int, int]]:
    """Author names in reference-like text (a year, "et al.", an identifier or a name card).

    Every pattern is tried and the longest match wins where two overlap, so "Jordana K.
    Schmier" is taken whole rather than as the Vancouver-shaped "Jordana K".
    """
    listed = "|" in text or re.search(r"[a-z] \d{1,2}, [A-Z]", text) is not None
    if not (REFERENCE_CUE.search(text) or listed):
        return []
    found = [m.span(1) for pattern in (_VANCOUVER_AUTHOR, _APA_AUTHOR, _DOTTED_AUTHOR, _INITIALS_FIRST, _FULL_NAME_LISTED)
             for m in pattern.finditer(text)]
    return _name_spans(text, found)


def person_spans(text: str) -> list[tuple[int, int]]:
    """People named in prose: with credentials, with a title, as a speaker or byline, in lists."""
    found = [m.span(1) for pattern in (_NAME_WITH_CREDENTIAL, _TITLED_NAME, _SPEAKER) for m in pattern.finditer(text)]
    for listing in _NAME_LIST.finditer(text):
        found.extend(m.span() for m in _ONE_NAME.finditer(text, listing.start(), listing.end()))
    return _name_spans(text, found)


def reference_journal_spans(text: str) -> list[tuple[int, int]]:
    """The journal between a reference's title and its year or volume ("Br J Sports Med")."""
    if not REFERENCE_CUE.search(text):
        return []
    matches = ((m.start(1), m.start(1) + len(m.group(1).rstrip(". ")))
               for pattern in (_VANCOUVER_JOURNAL, _APA_JOURNAL) for m in pattern.finditer(text))
    return [(start, end) for start, end in matches if end - start >= 3]


def org_spans(text: str) -> list[tuple[int, int]]:
    """Organisations named by an organisation word, their acronyms, and journals in references."""
    found: list[tuple[int, int]] = []
    for match in _ORG_NAME.finditer(text):
        start, end = match.span(1)
        name = text[start:end]
        first, _, rest = name.partition(" ")
        while rest and first in _NOT_NAME_START:
            start += len(first) + 1
            name = rest
            first, _, rest = name.partition(" ")
        if name.endswith(" Vol"):
            end -= 4
            name = name[:-4]
        if " " not in name and name in _SINGLE_WORD_HEADS:
            continue
        found.append((start, end))
        acronym = _ACRONYM_AFTER.match(text, end)
        if acronym:
            found.append(acronym.span(1))
    if REFERENCE_CUE.search(text) or "№" in text:
        for pattern in (_JOURNAL_NUMERO, _JOURNAL_AFTER_YEAR):
            for match in pattern.finditer(text):
                start, end = match.span(1)
                if text.startswith("The ", start):
                    start += 4
                found.append((start, end))
    return _longest_first(found)


def _longest_first(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest spans first, so that a caller adding them in order keeps the longer of two overlaps."""
    return sorted(set(spans), key=lambda span: (span[0] - span[1], span[0]))

