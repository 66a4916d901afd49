"""Exercise dosage from instruction text: sets, reps, holds, rest, sides and frequency.

No off-the-shelf tool reads "Do three to four sets of 8-12, holding each for 5 breaths,
twice a day"; these rules do, over the number forms in ``pipeline.numbers``. Each field takes
the first statement of it in the passage, because web instructions state the main dosage
first and progressions ("later, try 15") after.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pipeline.numbers import NUM, RANGE, WORDS, parse_range, word_value

_I = re.IGNORECASE
_SEC = r"(?:seconds?|secs?\b|s\b|”|\"|sec\.)"
_MIN = r"(?:minutes?|mins?\b|min\.)"
_UNIT = rf"(?:{_SEC}|{_MIN})"

_SETS_OF = re.compile(rf"(?P<sets>{RANGE})\s*(?:sets?|rounds?|circuits?|series)\s*(?:of|x|×|with)\s*(?P<reps>{RANGE})(?!\s*{_UNIT})", _I)
_TIMES_X = re.compile(rf"(?<![\w/])(?P<sets>\d+(?:\s*[-–]\s*\d+)?)\s*[x×]\s*(?P<reps>\d+(?:\s*[-–]\s*\d+)?)(?!\s*{_UNIT})(?![\w/])", _I)
_SETS = re.compile(rf"(?P<n>{RANGE})\s*(?:-\s*)?(?:sets?|rounds?|circuits?)\b", _I)
# Manner words written between a count and "reps" ("8-10 slow reps", "10 slow, controlled repetitions").
_REP_MANNER = r"(?:(?:slow|slower|controlled|quick|fast|gentle|small|smooth|full|good|easy|strict|clean|long|short)\b,?\s+){0,2}"
_REPS = re.compile(
    rf"(?P<n>{RANGE})\s*(?:-\s*)?(?:{_REP_MANNER}(?:reps?\b|repetitions?)|repeats|times(?!\s+(?:a|an|per|each|every)\s+(?:day|week|hour|month|session))(?!\s+(?:daily|weekly))|"
    rf"(?:each|per|on each|on the other|with each) (?:side|leg|arm|direction|way))", _I)
_REPEAT = re.compile(rf"\b(?:repeat|do|perform|complete)\b(?:\s+(?:this|it|the (?:exercise|stretch|movement)))?\s+(?P<n>{RANGE})\s*(?:times|x)\b(?!\s+(?:a|an|per|each)\s+(?:day|week))", _I)
_SETS_OF_N = re.compile(rf"\bsets? of (?P<n>{RANGE})\b(?!\s*(?:-\s*)?{_UNIT})", _I)
# "10 drops", "ten slow slides", "twenty of those": a count of movements, read as reps only
# when no other statement of reps is found
_MOVES = (r"(?:drops|slides|squeezes|raises|lifts|curls|rolls|pumps|circles|bounces|catches|hops|stomps|taps|steps|"
          r"presses|pulses|tilts|glides|bridges|squats|lunges|push-?ups|rotations|reaches|kicks|shrugs|tucks|"
          r"nods|swings|marches|clams|clamshells|crunches|dips|step-?ups|sit-to-stands)")
_MOVE_COUNT = re.compile(rf"(?<![\w.])(?P<n>{RANGE})\s+(?:of (?:those|these|them)\b|{_REP_MANNER}(?:[a-z-]+\s)?{_MOVES}\b)", _I)
# "Do 10, three times a day", "Start with 5 and add one each week", "Four walkouts per set",
# "twice on each leg": a bare count that the sentence makes a number of repetitions
_BARE_REPS = re.compile(rf"\b(?:do|start with|aim for)\s+(?P<n>{RANGE})(?=\s*[,.;]|\s+(?:and|then|rest)\b)|"
                        rf"(?<![\w.])(?P<n2>{RANGE})\s+(?:[a-z-]+\s){{0,2}}per set\b|"
                        rf"\b(?P<n3>once|twice|thrice)\s+(?:on\s+)?(?:each|per)\s+(?:side|leg|arm)\b", _I)
_X_REPS = re.compile(r"(?<![\w\d])[x×]\s?(?P<n>\d+(?:\s*[-–]\s*\d+)?)\b(?!\s*(?:sets?|seconds?|secs?))", _I)
_HOLD = re.compile(
    rf"\b(?:hold|holding|held|stay|staying|remain|pause|keep (?:it|this|the position)|sustain|maintain)\b[^.;!?]{{0,40}}?"
    rf"(?P<n>{RANGE})\s*(?:-\s*)?(?P<unit>{_UNIT}|breaths?|counts?\b|deep breaths)", _I)
# "hold for a slow count of five": counts are read as seconds, as "hold 5 counts" is
_HOLD_COUNT = re.compile(rf"\b(?:hold|holding|stay|pause)\b[^.;!?]{{0,20}}?\b(?P<unit>count) of (?P<n>{RANGE})", _I)
_HOLD_BEFORE = re.compile(rf"(?P<n>{RANGE})\s*(?:-\s*)?(?P<unit>{_UNIT}|breath)\s*(?:-\s*)?(?:holds?|static hold|isometric)", _I)
_REST = re.compile(
    rf"\b(?:rest(?:ing)?|recover|break|pause between|relax)\b[^.;!?]{{0,25}}?(?P<n>{RANGE})\s*(?:-\s*)?(?P<unit>{_UNIT})", _I)
# "rest a minute", "rest for a minute": the article stands for one ("half a minute" and "one
# minute" are number words that _REST reads)
_REST_A = re.compile(rf"\b(?:rest(?:ing)?|recover)\b(?:\s+for)?\s+(?P<n>an?)\s+(?P<unit>{_MIN}|{_SEC})", _I)
_REST_BEFORE = re.compile(rf"(?P<n>{RANGE})\s*(?:-\s*)?(?P<unit>{_UNIT})\s*(?:of\s+)?(?:rest|recovery|break)\b", _I)
_PER_SIDE = re.compile(
    r"\b(?:each|per|either|both) (?:side|leg|arm|foot|hand|knee|hip|shoulder|direction)s?\b|"
    r"\b(?:then|repeat|repeated|switch to|change to|on|to) the (?:other|opposite)(?: (?:side|leg|arm|foot|hand|knee|hip|shoulder))?\b|"
    r"\b(?:switch(?:ing)?|swap(?:ping)?|chang(?:e|ing)) (?:sides|legs|arms|feet|hands|over)\b|\bswap\b[.,;]|\bside to side\b|"
    r"\balternat(?:e|ing) (?:sides|legs|arms)\b|\beach way\b|\bper limb\b", _I)
_PERIOD = r"(?P<per>hour|day|week|month|morning|evening|night|session)"
_FREQ_TIMES = re.compile(
    rf"(?P<n>{RANGE}|once|twice|thrice)\s*(?:times?)?\s*(?:a|an|per|each|every|in a)\s+{_PERIOD}\b", _I)
_FREQ_DAYS = re.compile(rf"(?P<n>{RANGE})\s*(?:days?|sessions?|mornings?)\s*(?:a|per|each|every|in a)\s+week\b", _I)
_FREQ_TIMES_DAILY = re.compile(rf"(?P<n>{RANGE}|once|twice|thrice)\s*(?:times\s+)?(?P<per>daily|weekly)\b", _I)
_FREQ_EVERY_OTHER = re.compile(r"\bevery (?:other|second) day\b|\bon alternate days\b|\balternate days\b", _I)
_FREQ_DAILY = re.compile(r"\b(?:daily|every day|each day|every morning|each morning|every evening|every night|once a day|a day)\b", _I)
_FREQ_HOURLY = re.compile(r"\bevery (?:hour|waking hour)\b|\bhourly\b", _I)
_FREQ_WEEKLY = re.compile(r"\bweekly\b|\bevery week\b|\bonce a week\b", _I)

_ONCE = {"once": 1, "twice": 2, "thrice": 3}
_PERIOD_OF = {"hour": "hour", "day": "day", "morning": "day", "evening": "day", "night": "day",
              "session": None, "week": "week", "month": "month", "daily": "day", "weekly": "week"}
FIELDS = ("sets", "reps", "hold_s", "hold_breaths", "rest_s", "per_side", "frequency")


def _seconds(number_text: str, unit: str) -> Any:
    scale = 60 if re.match(_MIN, unit, _I) else 1
    if number_text.lower() in ("a", "an"):            # "a minute"
        return parse_range("1", scale=scale)
    return parse_range(number_text, scale=scale)


def _count(match: re.Match[str]) -> str:
    """The number a match captured: its ``n`` group, or the ``n2``/``n3`` of an alternative."""
    return next(value for name, value in match.groupdict().items() if name.startswith("n") and value)


def _times(text: str) -> Any:
    low = text.strip().lower()
    if low in _ONCE:
        return _ONCE[low]
    return parse_range(text)


# Words without which a pattern cannot match. The patterns start with a number (digits or
# number words), so the regex engine tries them at every position of the passage; checking
# for the keyword first skips most passages at a fraction of the cost, with the same result.
_GATES: dict[re.Pattern[str], tuple[str, ...]] = {
    _SETS_OF: ("set", "round", "circuit", "series"),
    _TIMES_X: ("x", "×"),
    _SETS: ("set", "round", "circuit"),
    _REPS: ("rep", "times", "side", "leg", "arm", "direction", "way"),
    _REPEAT: ("repeat", "do", "perform", "complete"),
    _X_REPS: ("x", "×"),
    _SETS_OF_N: ("set",),
    _HOLD: ("hold", "held", "stay", "remain", "pause", "keep", "sustain", "maintain"),
    _HOLD_BEFORE: ("hold", "static", "isometric"),
    _HOLD_COUNT: ("count of",),
    _REST_A: ("rest", "recover"),
    _REST: ("rest", "recover", "break", "pause", "relax"),
    _REST_BEFORE: ("rest", "recovery", "break"),
    _FREQ_TIMES: ("hour", "day", "week", "month", "morning", "evening", "night", "session"),
    _FREQ_DAYS: ("week",),
    _FREQ_TIMES_DAILY: ("daily", "weekly"),
}


def _may_match(pattern: re.Pattern[str], lowered: str) -> bool:
    return any(word in lowered for word in _GATES.get(pattern, ("",)))


# Patterns whose every match begins with a number (digits, a fraction or a number word).
# Searching them tries the long number-word alternation at every character of the passage;
# trying them only where a number can begin finds the same leftmost match several times faster.
_NUMBER_FIRST = {_SETS_OF, _TIMES_X, _SETS, _REPS, _MOVE_COUNT, _HOLD_BEFORE, _REST_BEFORE, _FREQ_TIMES, _FREQ_DAYS,
                 _FREQ_TIMES_DAILY}
_NUMBER_WORD_STARTS = frozenset(w.split()[0].split("-")[0] for w in WORDS) | {"once", "twice", "thrice"}
_DIGIT_OR_WORD = re.compile(r"[\d½¼¾]|\b[A-Za-z]+")


def number_starts(text: str) -> list[int]:
    """Every position where a number can begin: each digit or fraction, each number word."""
    return [m.start() for m in _DIGIT_OR_WORD.finditer(text)
            if not m.group().isalpha() or m.group().lower() in _NUMBER_WORD_STARTS]


def _first(pattern: re.Pattern[str], text: str, lowered: str, starts: list[int]) -> re.Match[str] | None:
    """``pattern.search(text)``, skipped when its keyword is absent, tried only at ``starts``
    for patterns that begin with a number."""
    if not _may_match(pattern, lowered):
        return None
    if pattern not in _NUMBER_FIRST:
        return pattern.search(text)
    return next(_matches_at(pattern, text, starts), None)


def parse_dosage(text: str) -> dict[str, Any]:
    """Dosage fields of one exercise passage (``None`` for what it does not state).

    Returns a dict with ``sets, reps, hold_s, hold_breaths, rest_s, per_side, frequency``;
    numbers are ints/floats or ``{"min", "max"}``; frequency is ``{"times", "per"}`` or None.
    """
    fields: dict[str, Any] = dict.fromkeys(FIELDS)
    text = text.replace("\u00a0", " ")
    low = text.lower()
    starts = number_starts(text)

    def search(pattern: re.Pattern[str]) -> re.Match[str] | None:
        return _first(pattern, text, low, starts)

    sets_of = search(_SETS_OF) or search(_TIMES_X)
    if sets_of:
        fields["sets"] = parse_range(sets_of.group("sets"))
        fields["reps"] = parse_range(sets_of.group("reps"))
    if fields["sets"] is None and (m := search(_SETS)):
        fields["sets"] = parse_range(m.group("n"))
    if fields["reps"] is None:
        candidates = [m for m in (search(_REPEAT), search(_REPS), search(_X_REPS), search(_SETS_OF_N)) if m]
        # weaker statements of reps count only when no stronger one is found
        first = min(candidates, key=lambda m: m.start()) if candidates else search(_BARE_REPS) or search(_MOVE_COUNT)
        if first:
            fields["reps"] = _times(_count(first))
    hold = [m for m in (search(_HOLD), search(_HOLD_BEFORE), search(_HOLD_COUNT)) if m]
    if hold:
        for m in sorted(hold, key=lambda m: m.start()):
            unit = m.group("unit").lower()
            if unit.startswith(("breath", "deep")):
                fields["hold_breaths"] = fields["hold_breaths"] or parse_range(m.group("n"))
            elif unit.startswith("count"):
                fields["hold_s"] = fields["hold_s"] or parse_range(m.group("n"))
            elif fields["hold_s"] is None:
                fields["hold_s"] = _seconds(m.group("n"), unit)
    rest = [m for m in (search(_REST), search(_REST_BEFORE), search(_REST_A)) if m]
    if rest:
        m = min(rest, key=lambda m: m.start())
        fields["rest_s"] = _seconds(m.group("n"), m.group("unit"))
    fields["per_side"] = bool(_PER_SIDE.search(text))
    fields["frequency"] = parse_frequency(text, low, starts)
    return fields


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that begins with a number, tried only at ``starts``."""
    resume = 0
    for start in starts:
        if start >= resume and (found := pattern.match(text, start)) is not None:
            yield found
            resume = found.end()


def parse_frequency(text: str, lowered: str | None = None, starts: list[int] | None = None) -> dict[str, Any] | None:
    """How often a routine is done: ``{"times": 2, "per": "day"}``, or None when not stated."""
    lowered = text.lower() if lowered is None else lowered
    starts = number_starts(text) if starts is None else starts
    found = []
    for pattern in (_FREQ_TIMES, _FREQ_DAYS, _FREQ_TIMES_DAILY):
        if not _may_match(pattern, lowered):
            continue
        for m in _matches_at(pattern, text, starts):
            per = "week" if pattern is _FREQ_DAYS else _PERIOD_OF.get(m.group("per").lower())
            if per is None:
                continue
            times = _times(m.group("n"))
            if times is not None:
                found.append((m.start(), {"times": times, "per": per}))
                break
    if (m := _FREQ_EVERY_OTHER.search(text)):
        found.append((m.start(), {"times": 1, "per": "2 days"}))
    if (m := _FREQ_HOURLY.search(text)):
        found.append((m.start(), {"times": 1, "per": "hour"}))
    if not found:
        if (m := _FREQ_DAILY.search(text)):
            found.append((m.start(), {"times": 1, "per": "day"}))
        elif (m := _FREQ_WEEKLY.search(text)):
            found.append((m.start(), {"times": 1, "per": "week"}))
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


__all__ = ["parse_dosage", "parse_frequency", "FIELDS", "NUM", "word_value"]
