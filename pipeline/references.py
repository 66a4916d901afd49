"""Bibliographic fields from one reference as scraped: authors, title, journal, year,
volume, issue, pages, PubMed id and DOI.

References on the web come in Vancouver, APA, Harvard, AMA and footnote styles, numbered or
not, with back-links ("BACK TO TEXT", "↩") and crawler damage. Identifiers (PMID, DOI, the
"2019;49(2):101-9" block) are found by pattern anywhere; authors, title and journal come from
splitting the remaining text on sentence stops, in the order the styles share.
"""
from __future__ import annotations

import re
from typing import Any

from pipeline.name_patterns import ORGANISATION_WORDS

_I = re.IGNORECASE
FIELDS = ("authors", "title", "journal", "year", "volume", "issue", "pages", "pmid", "doi")

# A list heading glued on by the segmenter ("## References", "Sources:"), then footnote and list
# markers before a reference: [4] (4) 4. 4) ^ * • - ⁵ ¹² and a bare "12 "
# before a capital; then an optional "See" / "See also" of footnote prose, or a "Cite this:" /
# "Please cite this article as:" line's lead-in.
_LEAD = re.compile(r"^\s*(?:#{0,6}\s*(?:References|Sources|Bibliography)\s*:?\s*)?(?:\[\s*\d{1,4}\s*\]|\(\s*\d{1,4}\s*\)|\d{1,4}\s*[.)]|[\u00b9\u00b2\u00b3\u2070-\u2079]+|"
                   r"\d{1,3}\s+(?=[A-ZÀ-Þ])|\^|\*|•|-)?\s*(?:See(?:\s+also)?\s+(?=[A-ZÀ-Þ])|"
                   r"(?i:(?:please\s+)?cite\s+this(?:\s+article)?(?:\s+as)?\s*:\s*))?")
_BACKLINK = re.compile(r"\s*(?:↩\ufe0e?|\^|back to text|return to text|\[back\]|jump up|↑)\s*", _I)
_PMID = re.compile(r"\b(?:PMID|PubMed(?:\s+ID)?)\s*(?:#|:|No\.?)?\s*:?\s*(\d{5,9})\b", _I)
_PMCID = re.compile(r"\bPMCID\s*:?\s*PMC\d+|\bPMC\d{5,8}\b", _I)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", _I)
_URL = re.compile(r"(?:https?://|www\.)\S+", _I)
_VIP = re.compile(  # 2019;49(2):101-9  |  49(2):101-9  |  49(2), 101–109  |  2013;21:1025-34
    r"(?P<vol>\d{1,4}(?:-?[A-Z])?)\s*(?:\(\s*(?P<iss>[\w\s/–-]{1,12}?)\s*\))?\s*(?:[:,]\s*(?:pp?\.\s*)?|,\s*pp?\.?)\s*"
    r"(?P<pages>(?:[A-Za-z]|CD)?\d{1,8}[A-Za-z]?(?:\s*[-–—]\s*[eES]?\d{1,8}[A-Za-z]?)?)\b")
_VOL_WORD = re.compile(r"\bvol(?:ume)?\.?\s*(?P<vol>\d{1,4})(?:\s*,?\s*(?:no|issue|№)\.?\s*(?P<iss>\d{1,4}))?", _I)
_PAGES_WORD = re.compile(r"\bpp?\.?\s*(?P<pages>\d{1,6}(?:\s*[-–]\s*\d{1,6})?)|\bс\.\s*(?P<pages2>\d{1,6}(?:\s*[-–]\s*\d{1,6})?)", _I)
_ISSUE_NO = re.compile(r"№\s*(?P<iss>\d{1,4})")
# "Accessed 4 June 2022", "(accessed 14 September 2022)", "[cited 2023 Jan 18]", "Updated May 2022":
# dates of a web page's visit or revision, not of its publication
_WEB_DATES = re.compile(r"[(\[]?\b(?:accessed|retrieved|cited|updated|reviewed|last (?:updated|reviewed))\b"
                        r"(?:\s+(?:on\s+)?(?:\d{1,2}\s+)?[A-Z]?[a-z]{0,8}\.?\s*\d{0,2},?\s*(?:19|20)\d{2}(?:\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{1,2})?)?)[)\]]?\.?", _I)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_APA_YEAR = re.compile(r"\(\s*((?:19|20)\d{2})[a-z]?(?:,\s*[A-Za-z]+\.?(?:\s+\d{1,2})?)?\s*\)")
_ET_AL = re.compile(r",?\s*(?:et\.? al\.?|and others|\.\.\.)\s*$", _I)
_AUTHOR_VANCOUVER = re.compile(r"^[A-ZÀ-Þ][\w'’\-]+(?:\s+(?:van|de|der|den|von|da|di|la|le|du|dos|del|[A-ZÀ-Þ][\w'’\-]+))*\s+[A-Z]{1,4}(?:-[A-Z])?$|^(?:van|de|von|da|di|la|le|du|del)\s.+\s[A-Z]{1,4}$")
_APA_AUTHOR = re.compile(r"[A-ZÀ-Þ][\w'’\-]+(?:[\s-][A-ZÀ-Þa-z][\w'’\-]+)*,\s*(?:[A-Z]\.\s?-?)+(?:[A-Z]\.)?")
_STOP_SPLIT = re.compile(r"(?<=[^\s.][a-z0-9\)\]?!])\.\s+|(?<=[?!])\s+|(?<=\.)\s+(?=[A-Z\[])(?<![A-Z]\.\s)")


def _clean(text: str) -> str:
    text = _BACKLINK.sub(" ", text)
    text = _LEAD.sub("", text, count=1)
    return re.sub(r"\s+", " ", text).strip()


# "[dissertation]", "[master's thesis]", "[Audio podcast episode]": the kind of work, not its title
_GENRE_TAG = re.compile(r"\s*\[(?:dissertation|(?:master['’]s |doctoral )?thesis|internet|audio podcast episode|video|"
                        r"podcast|online)\]", _I)
# Without a volume or pages, a "journal" naming an organisation, a website, a publisher's city
# ("London: Greenfield Press") or an edition is the page's site or the book's publisher.
_ORG_WORDS = rf"{ORGANISATION_WORDS}|Institute|Hospital|Collaborative|Press|Department|Excellence"
_NOT_A_JOURNAL = re.compile(rf"\b(?:{_ORG_WORDS}|website)\b|^[A-Z][\w.'’ -]{{1,40}}:\s|\b\d+(?:st|nd|rd|th) ed\b")
_CORPORATE_AUTHOR = re.compile(rf"^(?:[A-Z][\w'’&-]*\s(?:(?:for|of|and|the|on|&)\s)*)+?(?:{_ORG_WORDS})\b[^:]*$")

_QUOTES = {"'": "'", '"': '"', "“": "”", "‘": "’", "«": "»", "„": "“"}
_BOOK_CHAPTER = re.compile(r"^In\b[:\s]")


def _strip(value: str | None) -> str | None:
    """Trim punctuation, and quotes that enclose the whole value (APA and Harvard titles)."""
    if value is None:
        return None
    value = value.strip().strip(" .,;:")
    if len(value) > 2 and _QUOTES.get(value[0]) == value[-1]:
        inner = value[1:-1]
        if not re.search(rf"\s{re.escape(value[0])}|{re.escape(value[-1])}\s", inner):   # not 'a' and 'b'
            value = inner.strip().strip(" .,;:")
    return value or None


def parse_reference(text: str) -> dict[str, Any]:
    """Bibliographic fields of one reference; ``None`` (or ``[]`` for authors) when absent."""
    fields: dict[str, Any] = dict.fromkeys(FIELDS)
    fields["authors"] = []
    rest = _take_identifiers(_clean(text), fields)
    _read_by_style(rest, fields)
    if fields["year"] is None and (m := _YEAR.search(rest)):
        fields["year"] = int(m.group(1))
    _tidy(fields)
    return fields


def _take_identifiers(body: str, fields: dict[str, Any]) -> str:
    """Set the PubMed id and DOI, and return the text without identifiers, links and visit dates."""
    if (m := _PMID.search(body)):
        fields["pmid"] = m.group(1)
    if (m := _DOI.search(body)):
        fields["doi"] = m.group(1).rstrip(".,;)]")
    rest = _PMID.sub(" ", body)
    rest = _PMCID.sub(" ", rest)
    rest = _DOI.sub(" ", rest)
    rest = _URL.sub(" ", rest)
    rest = _WEB_DATES.sub(" ", rest)
    return re.sub(r"\b(?:doi|https?|available (?:at|from)|accessed|retrieved)\b[:\s]*$", "", rest.strip(), flags=_I)


def _read_by_style(rest: str, fields: dict[str, Any]) -> None:
    """Authors, title, journal and numbers, by the first style whose shape ``rest`` has."""
    apa = _APA_YEAR.search(rest)
    if (card := _card(rest)) is not None:
        fields.update(card)
    elif (glued := _GLUED_SOURCE.match(rest)):
        _vancouver(glued.group("rest"), fields)
        fields.update(journal=glued.group("journal"), year=int(glued.group("year")), volume=glued.group("volume"),
                      issue=glued.group("issue"), pages=glued.group("pages"))
    elif (footnote := _QUOTED_FOOTNOTE.match(rest)):
        fields.update(authors=_vancouver_authors(footnote.group("authors")) or _apa_authors(footnote.group("authors")),
                      title=footnote.group("title"), journal=footnote.group("journal"), volume=footnote.group("volume"),
                      year=int(footnote.group("year")), pages=footnote.group("pages"))
    elif (harvard := _HARVARD.match(rest)):
        _harvard(harvard, fields)
    elif apa and apa.start() < len(rest) * 0.6:
        _apa(rest, apa, fields)
    else:
        _vancouver(rest, fields)


def _tidy(fields: dict[str, Any]) -> None:
    """Trim the text fields, and drop what a web page, a report or a book is not."""
    if fields["title"]:
        fields["title"] = _GENRE_TAG.sub("", fields["title"])
    for key in ("title", "journal", "volume", "issue", "pages"):
        fields[key] = _strip(fields[key])
    if fields["journal"] and not (fields["volume"] or fields["pages"]) and _NOT_A_JOURNAL.search(fields["journal"]):
        fields["journal"] = None        # a web page's site, a report's agency or a book's publisher
    if fields["volume"] and fields["year"] and fields["volume"] == str(fields["year"]):
        fields["volume"] = None         # "2019:233-251": a book's year and pages, not a volume
    if fields["journal"] and _BOOK_CHAPTER.match(fields["journal"]):
        fields["journal"] = None        # "In: Stein J, eds. Stroke Recovery ...": a book, not a journal


def _numbers(segment: str, fields: dict[str, Any]) -> None:
    m = _VIP.search(segment)
    if m:
        fields["volume"] = m.group("vol")
        fields["issue"] = m.group("iss")
        fields["pages"] = re.sub(r"\s+", "", m.group("pages"))
        return
    _worded_numbers(segment, fields)


def _worded_numbers(segment: str, fields: dict[str, Any]) -> None:
    """Volume, issue and pages written with words: "vol. 37, no. 6, pp. 402-407", "№ 3, с. 45"."""
    if (m := _VOL_WORD.search(segment)):
        fields["volume"] = m.group("vol")
        fields["issue"] = m.group("iss")
    if fields["issue"] is None and (m := _ISSUE_NO.search(segment)):
        fields["issue"] = m.group("iss")
    if (m := _PAGES_WORD.search(segment)):
        fields["pages"] = re.sub(r"\s+", "", m.group("pages") or m.group("pages2"))


# "BMC Geriatrics, 23, Article 418": online journals number articles instead of pages
_ARTICLE_NUMBER = re.compile(r",\s*(?P<vol>\d{1,4}),\s*(?P<pages>Article\s+\w+)")


def _apa(rest: str, year: re.Match[str], fields: dict[str, Any]) -> None:
    fields["year"] = int(year.group(1))
    fields["authors"] = _apa_authors(rest[: year.start()])
    after = rest[year.end():].lstrip(" .")
    parts = _sentences(after)
    if parts:
        fields["title"] = parts[0]
    if len(parts) > 1:
        journal_part = parts[1]
        cut = re.search(r",\s*\d|\s+\d{1,4}\s*\(", journal_part)
        fields["journal"] = journal_part[: cut.start()] if cut else journal_part
        _numbers(" ".join(parts[1:]), fields)
        if fields["volume"] is None and (m := _ARTICLE_NUMBER.search(journal_part)):
            fields["volume"], fields["pages"] = m.group("vol"), m.group("pages")


# A crawler that lost the spaces and moved the source first: "Cartilage2014;22:91727 Quaye E,
# Lindgren P. Water-based versus land-based exercise."
_GLUED_SOURCE = re.compile(r"^(?P<journal>[A-Z][A-Za-z .&]{1,60}?)(?P<year>(?:19|20)\d{2});(?P<volume>\d{1,4})"
                           r"(?:\((?P<issue>[^)]{1,12})\))?:(?P<pages>[A-Za-z]{0,3}\d[\w–-]*)\s+(?P<rest>.+)$")


# Footnotes in the humanities style: 'Ostrowska A et al., "Title", Man Ther 21 (2016) 104–111'
_QUOTED_FOOTNOTE = re.compile(r"^(?P<authors>[^'‘\"“]+?)(?:,?\s*et al\.?)?,\s*['‘\"“](?P<title>.+?)['’\"”],\s*"
                              r"(?P<journal>[^,\d]+?)\s(?P<volume>\d{1,4})\s\((?P<year>(?:19|20)\d{2})\):?\s*"
                              r"(?P<pages>\d{1,6}(?:\s*[-–]\s*\d{1,6})?)")


# Cards of scholarly search sites and journal pages, which list the parts without stops:
#   "Title Lena Okafor | Martin Schulz | Aiko Tanaka"
#   "Title J. Morrow, T. Adeyemi Published 2017 · Medicine · Sports Health"
#   "Clinical Rehabilitation Vol. 36, Issue 4 | Pages 512 - 524 12 Apr 2022 Varga P Osei K"
_CARD_NAME = r"[A-ZÀ-Þ][a-zà-ÿ'’\-]+(?:\s[A-Z]\.?)?\s[A-ZÀ-Þ][a-zà-ÿ'’\-]+"
_PIPE_CARD = re.compile(rf"^(?P<title>.+?)\s(?P<authors>{_CARD_NAME}(?:\s\|\s{_CARD_NAME})+)\s*$")
_INITIALS_NAME = r"(?:[A-Z]\.\s?)+[A-ZÀ-Þ][\w'’\-]+"
_PUBLISHED_CARD = re.compile(rf"^(?P<title>.+?)\s(?P<authors>{_INITIALS_NAME}(?:,\s{_INITIALS_NAME})*)\s+Published\s"
                             r"(?P<year>(?:19|20)\d{2})(?:\s·\s[^·]+)*\s·\s(?P<journal>[^·]+?)\s*$")
_ISSUE_CARD = re.compile(r"^(?P<journal>[A-Z][^|]+?)\sVol\.\s(?P<volume>\d{1,4}),\sIssue\s(?P<issue>\d{1,4})\s\|\s"
                         r"Pages\s(?P<pages>\d{1,6}\s?[-–]\s?\d{1,6})\s(?:\d{1,2}\s)?(?:[A-Z][a-z]{2,8}\s)?"
                         r"(?P<year>(?:19|20)\d{2})\s(?P<authors>.+)$")
_CARD_VANCOUVER = re.compile(r"[A-ZÀ-Þ][\w'’\-]+\s[A-Z]{1,3}\b")


def _card(rest: str) -> dict[str, Any] | None:
    """The fields of a search-site or journal-page card, or None when ``rest`` is not one."""
    if (m := _ISSUE_CARD.match(rest)):
        return {"journal": m.group("journal"), "volume": m.group("volume"), "issue": m.group("issue"),
                "pages": m.group("pages"), "year": int(m.group("year")),
                "authors": _CARD_VANCOUVER.findall(m.group("authors"))}
    if (m := _PUBLISHED_CARD.match(rest)):
        return {"title": m.group("title"), "authors": [a.strip() for a in m.group("authors").split(",")],
                "year": int(m.group("year")), "journal": m.group("journal")}
    if (m := _PIPE_CARD.match(rest)):
        return {"title": m.group("title"), "authors": [a.strip() for a in m.group("authors").split("|")]}
    return None


# Harvard: Kettunen, J. & Obeng, P. 2017, 'Title', Journal Name, vol. 37, no. 6, pp. 402-407.
_HARVARD = re.compile(r"^(?P<authors>[^'‘\"“(]+?)\s\(?(?P<year>(?:19|20)\d{2})[a-z]?\)?,?\s*['‘\"“](?P<title>.+?)['’\"”],\s*"
                      r"(?P<journal>[^,]+?),\s*(?P<numbers>(?:vol|no|pp?|\d).*)$", _I)


def _harvard(match: re.Match[str], fields: dict[str, Any]) -> None:
    fields["year"] = int(match.group("year"))
    fields["authors"] = _apa_authors(match.group("authors"))
    fields["title"] = match.group("title")
    fields["journal"] = match.group("journal")
    numbers = match.group("numbers")
    # "vol. 37, no. 6, pp. 402-407": read the words first, or "6, pp. 402" reads as volume 6
    (_worded_numbers if _VOL_WORD.search(numbers) else _numbers)(numbers, fields)


_NAME = r"(?:(?:van|de|der|den|von|da|di|la|le|du|dos|del)\s+)*[A-ZÀ-Þ][\w'’\-]+(?:\s+[A-ZÀ-Þ][a-z][\w'’\-]+)?\s+[A-Z]{1,4}(?:-[A-Z])?"
_AUTHOR_BLOCK = re.compile(rf"^(?P<block>{_NAME}(?:\s*(?:,|;|and|&)\s*{_NAME})*(?:,?\s*et\.? al)?)\s*[.,:]\s+")


def _vancouver(rest: str, fields: dict[str, Any]) -> None:
    idx = 0
    block = _AUTHOR_BLOCK.match(rest)
    if block:
        fields["authors"] = _vancouver_authors(block.group("block"))
        rest = rest[block.end():]
    parts = _sentences(rest)
    if not parts:
        return
    if not block:
        fields["authors"], idx, parts = _leading_authors(parts)
    if idx < len(parts):
        fields["title"] = parts[idx]
        idx += 1
        if "№" in fields["title"] and (numero := _COMMA_SOURCE.match(fields["title"])):
            # "Title, Journal, № 6, с. 512": the source follows the title after commas
            fields["title"], fields["journal"] = numero.group("title"), numero.group("journal")
            _worded_numbers(numero.group("numbers"), fields)
            if (year := _YEAR.search(numero.group("numbers"))):
                fields["year"] = int(year.group(1))
            return
        # "Does X work? A multicentre trial. Lancet. 2018;...": a subtitle after a question
        if (fields["title"].endswith("?") and idx + 1 < len(parts) and not re.search(r"\d", parts[idx])
                and parts[idx + 1][:1].isalpha()):
            fields["title"] = f"{fields['title']} {parts[idx]}"
            idx += 1
    numbers_at = None
    for j in range(idx, len(parts)):
        if _VIP.search(parts[j]) or _YEAR.search(parts[j]) or _VOL_WORD.search(parts[j]):
            numbers_at = j
            break
    if idx < len(parts):
        journal = parts[idx]
        m = re.search(r"[.,;]?\s*(?:(?:19|20)\d{2}\b|\d{1,4}\s*[(:]|vol\b)", journal, _I)
        if (after_year := _JOURNAL_AFTER_YEAR.match(journal)):
            journal = after_year.group("journal")       # ". , 2019, Diabetes care."
        elif m and m.start() > 0:
            journal = journal[: m.start()]
        elif m and m.start() == 0:
            journal = None
        fields["journal"] = journal
    segment = " ".join(parts[numbers_at:]) if numbers_at is not None else ""
    if segment:
        if (m := _YEAR.search(segment)):
            fields["year"] = int(m.group(1))
            segment_after_year = segment[m.end():]
            _numbers(segment_after_year if _VIP.search(segment_after_year) else segment, fields)
        else:
            _numbers(segment, fields)


_INITIALS_FIRST = r"(?:[A-Z]\.\s?)+[A-ZÀ-Þ][\w'’\-]+"
_INITIALS_FIRST_LIST = re.compile(rf"^{_INITIALS_FIRST}(?:,\s*{_INITIALS_FIRST})*(?:,?\s*et al\.?)?$")
# "Rasmussen, Title ...", "Sokolova, I. V. Title ...": one author, then the title in the same part
_SURNAME_THEN_TITLE = re.compile(r"^(?P<author>[A-ZÀ-ÞА-ЯЁ][a-zà-ÿа-яё'’\-]+(?:,\s(?:[A-ZА-ЯЁ]\.\s?)+)?),?\s+"
                                 r"(?P<title>[A-ZÀ-ÞА-ЯЁ].+)$")
_COMMA_SOURCE = re.compile(r"^(?P<title>.+?),\s*(?P<journal>[^,]+?),\s*(?P<numbers>№.*)$")
_JOURNAL_AFTER_YEAR = re.compile(r"^[,\s]*(?:19|20)\d{2},\s*(?P<journal>[^\d,]+?)\s*$")


def _leading_authors(parts: list[str]) -> tuple[list[str], int, list[str]]:
    """The authors at the head of a reference's parts, the index of the part after them, and
    the parts (the first one split when it holds one author and the title)."""
    authors = _vancouver_authors(parts[0])
    if authors:
        return authors, 1, parts
    if _INITIALS_FIRST_LIST.match(parts[0]):          # "M. Oduya, et al"
        return [a.strip() for a in _ET_AL.sub("", parts[0]).split(",") if a.strip()], 1, parts
    if len(parts) > 1 and _CORPORATE_AUTHOR.match(parts[0]):
        return [], 1, parts                            # "World Health Organization. Title. ..."
    if (lone := _SURNAME_THEN_TITLE.match(parts[0])) and "," in parts[0][:lone.end("author") + 1]:
        return [lone.group("author").rstrip(",")], 1, [lone.group("author"), lone.group("title")] + parts[1:]
    return [], 0, parts


def _sentences(text: str) -> list[str]:
    """Split a reference on its field stops (". "), keeping initials ("A. B.") together."""
    pieces = re.split(r"(?<=[^\s.]{2})(?<!\bNo)(?<!\bVol)\.\s+|(?<=[?!])\s+|(?<=[a-z)\]])\.(?=[A-Z])", text)
    return [p.strip(" .") for p in pieces if p and p.strip(" .")]


def _vancouver_authors(segment: str) -> list[str]:
    segment = _ET_AL.sub("", segment.strip())
    names = [n.strip() for n in re.split(r",\s*|;\s*|\s+and\s+|\s*&\s*", segment) if n.strip()]
    if names and all(_AUTHOR_VANCOUVER.match(n) for n in names):
        return names
    return []


def _apa_authors(segment: str) -> list[str]:
    segment = _ET_AL.sub("", segment.strip().rstrip(","))
    found = [m.group(0).strip().rstrip(",") for m in _APA_AUTHOR.finditer(segment)]
    if found:
        return found
    names = [n.strip() for n in re.split(r",\s*|;\s*|\s+and\s+|\s*&\s*", segment) if n.strip()]
    return [n for n in names if n[:1].isupper()]


__all__ = ["parse_reference", "FIELDS"]
