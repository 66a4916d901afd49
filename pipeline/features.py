"""Text features for the passage classifier, as scikit-learn transformers.

Word and character n-grams carry most of the signal; ``TextSignals`` adds the cues a
reader uses on a scraped page and that n-grams see only weakly: the shape of a reference
("96(3):305-12", "PMID", "et al."), of an instruction ("Hold for 20 seconds", imperative
openings, "you"), of promotion ("©", URLs, "subscribe", "we"), and of layout (length,
digits, capitals, list markers). Each signal is a count or ratio, log-scaled where counts
grow with length, so one scaler keeps them comparable with TF-IDF weights.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

_I = re.IGNORECASE

_SIGNALS: dict[str, re.Pattern[str]] = {
    # references
    "et_al": re.compile(r"\bet\.? al\b", _I),
    "vol_issue_pages": re.compile(r"\b\d{1,4}\s*(?:\(\s*[\w\s-]{1,9}\))?\s*:\s*[eE]?\d{1,6}\b"),
    "year_semicolon": re.compile(r"\b(?:19|20)\d{2}[a-z]?\s*[;.,]\s*\d"),
    "year_paren": re.compile(r"\(\s*(?:19|20)\d{2}[a-z]?\s*\)"),
    "year": re.compile(r"\b(?:19|20)\d{2}\b"),
    "pmid_doi": re.compile(r"\bpmid\b|\bpubmed\b|\bpmc\s?\d|\bdoi\b|\b10\.\d{4,9}/|\bisbn\b", _I),
    "author_initials": re.compile(r"\b[A-Z][a-z'\-]+,?\s+[A-Z]{1,3}(?:[,.]|\s+et\b)"),
    "journal_abbrev": re.compile(r"\b(?:J|Am|Br|Int|Eur|Clin|Arch|Ann|Med|Sci|Phys|Ther|Rev|Res|Sports|Orthop|Rheum|Surg|Rehabil|Geriatr)\b\.?\s+[A-Z]"),
    "backlink": re.compile(r"back to text|↩|return to text|\[back\]|jump up|\^", _I),
    "accessed": re.compile(r"\b(?:accessed|retrieved|available (?:at|from))\b", _I),
    # instructions
    "imperative_open": re.compile(
        r"^(?:\W*\d*[.)]?\s*)(?:lie|lying|stand|standing|sit|sitting|place|put|hold|keep|bend|lift|raise|lower|"
        r"slowly|gently|start|begin|bring|pull|push|press|squeeze|tighten|relax|repeat|rest|roll|step|walk|"
        r"slide|reach|rotate|turn|tilt|breathe|inhale|exhale|extend|straighten|kneel|cross|clasp|draw|"
        r"engage|return|perform|do|try|aim|grab|grip|hinge|brace|drive|squat|lunge|march|swing|curl)\b", _I),
    "second_person": re.compile(r"\byou(?:r|rs|rself)?\b", _I),
    "dosage": re.compile(
        r"\b(?:\d+|one|two|three|four|five|six|eight|ten|twelve|fifteen|twenty|thirty)\s*[-–to ]*\s*\d*\s*"
        r"(?:x\s*\d+|reps?\b|repetitions?\b|sets?\b|times?\b|seconds?\b|secs?\b|breaths?\b|minutes?\b|mins?\b)", _I),
    "sides": re.compile(r"\b(?:each|other|opposite|both) (?:side|leg|arm|knee|foot|hand)s?\b|\bswitch sides\b", _I),
    "cue_words": re.compile(r"\b(?:slowly|gently|keep your|make sure|don'?t let|engage|squeeze|starting position)\b", _I),
    # promotion and page furniture
    "url": re.compile(r"https?://|www\.|\.com\b|\.org\b|\.co\.uk\b", _I),
    "copyright": re.compile(r"©|\(c\)\s*\d{4}|copyright|all rights reserved", _I),
    "call_to_action": re.compile(
        r"\b(?:click|subscribe|sign up|newsletter|book (?:now|an?|your)|call us|contact us|buy|order|shop|"
        r"download|free trial|discount|coupon|sponsored|advertisement|cookies?|privacy|terms of|share|follow us)\b", _I),
    "first_plural": re.compile(r"\b(?:we|our|us)\b", _I),
    "price": re.compile(r"[$£€]\s?\d|\b\d+\s?(?:usd|eur|gbp)\b|\b\d+% off\b", _I),
    "credentials": re.compile(r"\b(?:MD|PhD|DPT|PT|RN|MSc|CSCS|FACS|MBBS|DC)\b"),
    "reviewed_by": re.compile(r"\b(?:medically reviewed|reviewed by|written by|fact[- ]checked|last updated|updated on)\b", _I),
    "disclaimer": re.compile(r"\b(?:not (?:a )?substitute|not intended|consult (?:your|a)|informational purposes|medical advice)\b", _I),
    "email": re.compile(r"\b[\w.+-]+@[\w-]+\.\w+|\[email", _I),
}

SIGNAL_GROUPS: dict[str, tuple[str, ...]] = {
    "reference": ("et_al", "vol_issue_pages", "year_semicolon", "year_paren", "year", "pmid_doi", "author_initials",
                  "journal_abbrev", "backlink", "accessed"),
    "instruction": ("imperative_open", "second_person", "dosage", "sides", "cue_words"),
    "promotion": ("url", "copyright", "call_to_action", "first_plural", "price", "credentials", "reviewed_by",
                  "disclaimer", "email"),
}
ALL_GROUPS = ("reference", "instruction", "promotion", "layout")

_LIST_MARKER = re.compile(r"(?:^|\s)(?:[•·▪●►✓✔*–-]|\d{1,2}[.)])\s")
_WORD = re.compile(r"\w+")


def _layout(text: str) -> list[float]:
    words = _WORD.findall(text)
    n_chars = max(len(text), 1)
    n_words = max(len(words), 1)
    return [
        math.log1p(len(words)),
        sum(c.isdigit() for c in text) / n_chars,
        sum(c.isupper() for c in text) / n_chars,
        sum(w[0].isupper() for w in words) / n_words,
        sum(not c.isalnum() and not c.isspace() for c in text) / n_chars,
        math.log1p(len(_LIST_MARKER.findall(text))),
        float(text.rstrip().endswith(("...", "…"))),
        float(not text.rstrip().endswith((".", "!", "?", '"', "”", ")"))),
        math.log1p(text.count(".")) / math.log1p(n_words),
    ]


LAYOUT_NAMES = ("log_words", "digit_ratio", "upper_ratio", "capitalised_word_ratio", "symbol_ratio",
                "log_list_markers", "ends_with_ellipsis", "no_closing_punct", "stops_per_word")


def _selected(groups: tuple[str, ...]) -> list[str]:
    return [name for g in groups if g != "layout" for name in SIGNAL_GROUPS[g]]


def signal_vector(text: str, groups: tuple[str, ...] = ALL_GROUPS) -> list[float]:
    """The raw signal values of one text (before scaling), in ``signal_names(groups)`` order."""
    n_words = max(len(_WORD.findall(text)), 1)
    values = []
    for name in _selected(groups):
        count = len(_SIGNALS[name].findall(text))
        values.append(math.log1p(count))
        if name in {"second_person", "dosage", "first_plural"}:
            values.append(count / n_words)
    return values + (_layout(text) if "layout" in groups else [])


def _signal_names(groups: tuple[str, ...] = ALL_GROUPS) -> list[str]:
    names = []
    for name in _selected(groups):
        names.append(f"log_{name}")
        if name in {"second_person", "dosage", "first_plural"}:
            names.append(f"{name}_per_word")
    return names + (list(LAYOUT_NAMES) if "layout" in groups else [])


class TextSignals(TransformerMixin, BaseEstimator):
    """Reference, instruction, promotion and layout signals of each text, standardised.

    Args:
        scale: divide each signal by its training standard deviation (after centring), so
            that the linear model's regularisation treats signals and n-grams alike.
        weight: a multiplier on the standardised signals, to balance them against the
            n-gram blocks of a ``FeatureUnion``.
        groups: which signal groups to compute ("reference", "instruction", "promotion",
            "layout").
    """

    def __init__(self, scale: bool = True, weight: float = 1.0, groups: tuple[str, ...] = ALL_GROUPS) -> None:
        self.scale = scale
        self.weight = weight
        self.groups = groups

    def fit(self, X: Iterable[str], y=None) -> "TextSignals":  # noqa: N803 - sklearn naming
        unknown = set(self.groups) - set(ALL_GROUPS)
        if unknown:
            raise ValueError(f"unknown signal groups {sorted(unknown)}; expected some of {ALL_GROUPS}")
        values = self._values(X)
        self.n_features_out_ = values.shape[1]
        self.mean_ = values.mean(axis=0) if self.scale else np.zeros(values.shape[1])
        std = values.std(axis=0) if self.scale else np.ones(values.shape[1])
        self.scale_ = np.where(std > 1e-9, std, 1.0)
        return self

    def transform(self, X: Iterable[str]) -> sparse.csr_matrix:  # noqa: N803
        check_is_fitted(self, "scale_")
        values = (self._values(X) - self.mean_) / self.scale_ * self.weight
        return sparse.csr_matrix(values)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "scale_")
        return np.asarray(_signal_names(tuple(self.groups)), dtype=object)

    def _values(self, X: Iterable[str]) -> np.ndarray:  # noqa: N803
        if isinstance(X, str):
            raise ValueError("TextSignals expects an iterable of texts, not a single string.")
        groups = tuple(self.groups)
        rows = [signal_vector(str(text), groups) for text in X]
        if not rows:
            raise ValueError("TextSignals needs at least one text.")
        return np.asarray(rows, dtype=np.float64)


def signal_names(groups: tuple[str, ...] = ALL_GROUPS) -> list[str]:
    """Names of the signals ``TextSignals`` produces, in column order."""
    return _signal_names(groups)


