import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import clean_text
from pipeline.segment import _BACKLINK_ONLY, segment_text, whole_passage

LINE_CHARS = st.sampled_from(list("abc XYZ.,:;•-–×|*\t\u00a0\u200b0123456789") + ["\n", "\r\n", "\r", "â€™", "BACK TO TEXT", "↩", "3. ", "• "])


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE_CHARS, max_size=120).map("".join))
def test_offsets_are_exact_and_every_word_is_kept(text):
    seg = segment_text(text, "a")
    covered = [False] * len(text)
    for p in seg.passages:
        assert text[p.start:p.end] == p.text
        assert not p.text.startswith(("\n", "\r")) and not p.text.endswith(("\n", "\r"))
        for i in range(p.start, p.end):
            assert not covered[i], "passages overlap"
            covered[i] = True
    lost_lines = set()
    for match in re.finditer(r"\w", text):
        if not covered[match.start()]:
            line_start = max(text.rfind("\n", 0, match.start()), text.rfind("\r", 0, match.start())) + 1
            line = re.split(r"\r|\n", text[line_start:])[0]
            assert _BACKLINK_ONLY.match(line), f"word character at {match.start()} lost in line {line!r}"
            lost_lines.add(line_start)
    assert seg.dropped >= len(lost_lines), "an orphan back-link line was not counted as dropped"
    assert [p.index for p in seg.passages] == list(range(len(seg.passages)))


def test_headings_bullets_and_backlinks():
    text = ("Causes\nPain comes from:\n• overuse\n• poor shoes\n\n×\n|||\n\n"
            "1. Smith AB. Heel pain. Foot Ankle Int. 2016;37(3):245-52.\nBACK TO TEXT\n")
    seg = segment_text(text, "x")
    assert [p.heading for p in seg.passages] == ["Causes", None]
    assert seg.passages[0].text.endswith("poor shoes")
    assert seg.passages[1].text.endswith("BACK TO TEXT")
    assert seg.dropped == 2


def test_crlf_tabs_nbsp_and_mojibake():
    text = "Donâ€™t\tignore\u00a0knee pain.\r\n\r\nRest\u200b it."
    seg = segment_text(text, "x")
    assert [p.text for p in seg.passages] == ["Donâ€™t\tignore\u00a0knee pain.", "Rest\u200b it."]
    assert seg.passages[0].clean_text == "Don’t ignore knee pain."
    assert seg.passages[1].clean_text == "Rest it."


def test_reference_lines_are_separate_passages():
    text = "1. Smith AB. A. J Bone. 2019;4(2):1-9.\n2. Lee C. B. J Bone. 2018;3(1):5-6.\n"
    assert len(segment_text(text).passages) == 2


def test_whole_passage_keeps_record_unsegmented():
    seg = whole_passage("Line one.\n\nLine two.", "r1")
    assert len(seg.passages) == 1 and seg.passages[0].article_id == "r1"
    assert whole_passage("× |||").passages == []


def test_clean_text_unescapes_and_collapses():
    assert clean_text("Knee &amp; hip  \n pain") == "Knee & hip pain"
