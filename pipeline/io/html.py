"""Main-text extraction from saved HTML pages, with trafilatura (a maintained extractor).

Extraction keeps paragraphs on their own lines so that segmentation still sees them; without
it a page's navigation, cookie banner and footer would be classified as passages too. (The
classifier still labels what gets through as boilerplate when it is.)
"""
from __future__ import annotations


def extract_main_text(html: str) -> str | None:
    """The page's main text with one paragraph per line, or None when nothing is found."""
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=True, include_formatting=False,
        favor_recall=True, deduplicate=False,
    )
    return text if text and text.strip() else None
