"""Lexicon terms suggested from span texts: which texts qualify, and what writing them changes."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.entities import build_entity_pipeline, doc_entities
from pipeline.io.corpus import Labelled
from pipeline.lexicon_induction import INDUCED_HEADER, append_terms, lexicon_coverage, suggest_terms, term_evidence
from pipeline.lexicons import read_lexicon


def _record(text: str, *spans: tuple[str, str], rid: str = "r") -> Labelled:
    """A record whose spans are given as (text, type); each is marked at its first occurrence."""
    entities = []
    for span, label in spans:
        start = text.index(span)
        entities.append({"start": start, "end": start + len(span), "label": label})
    return Labelled(id=rid, text=text, label="exercise", entities=entities, annotated=True)


def _lexicons(tmp_path: Path) -> Path:
    folder = tmp_path / "lexicons"
    folder.mkdir()
    (folder / "exercise.txt").write_text("# exercises\nglute bridge\n", encoding="utf-8")
    (folder / "body_part.txt").write_text("knee\n", encoding="utf-8")
    return folder


RECORDS = [
    _record("Try tai chi twice a week; tai chi classes are gentle.", ("tai chi", "EXERCISE"), rid="a"),
    _record("Tai chi helped her balance.", ("Tai chi", "EXERCISE"), rid="b"),
    _record("Walking is fine. Walking pace matters. Keep walking.", ("Walking", "EXERCISE"), rid="c"),
    _record("Do glute bridges on a mat.", ("glute bridges", "EXERCISE"), rid="d"),
    _record("Maria Lopez wrote this.", ("Maria Lopez", "PERSON"), rid="e"),
    _record("Rest the sore knee joint.", ("knee joint", "BODY_PART"), rid="f"),
    _record("The knee joint and the hip.", ("knee joint", "BODY_PART"), rid="g"),
]


def test_a_consistently_marked_text_is_suggested_and_an_inconsistent_one_is_not(tmp_path: Path) -> None:
    terms = {(t.label, t.term) for t in suggest_terms(RECORDS, _lexicons(tmp_path))}
    assert ("EXERCISE", "tai chi") in terms          # 2 gold of 3 free-standing occurrences (0.67)
    assert ("EXERCISE", "walking") not in terms      # 1 gold of 3 occurrences
    assert ("BODY_PART", "knee joint") in terms


def test_listed_terms_their_variants_and_names_are_not_suggested(tmp_path: Path) -> None:
    terms = {t.term for t in suggest_terms(RECORDS, _lexicons(tmp_path))}
    assert "glute bridges" not in terms              # the plural of a listed term
    assert "maria lopez" not in terms                # PERSON is found by shape rules, not lists


def test_occurrences_inside_a_longer_gold_span_do_not_count_against_a_term(tmp_path: Path) -> None:
    records = [_record("Hip pain and hip flexors.", ("hip flexors", "BODY_PART"), ("Hip pain", "CONDITION"))]
    evidence = {(e.label, e.term): e for e in term_evidence(records, _lexicons(tmp_path))}
    flexors = evidence[("BODY_PART", "hip flexors")]
    assert (flexors.spans, flexors.occurrences) == (1, 1)


def test_thresholds_are_respected(tmp_path: Path) -> None:
    lexicons = _lexicons(tmp_path)
    assert "tai chi" not in {t.term for t in suggest_terms(RECORDS, lexicons, min_spans=3)}
    assert "tai chi" not in {t.term for t in suggest_terms(RECORDS, lexicons, min_precision=0.7)}


def test_written_terms_are_read_back_found_by_the_ruler_and_not_suggested_again(tmp_path: Path) -> None:
    lexicons = _lexicons(tmp_path)
    before = lexicon_coverage(RECORDS, lexicons)["EXERCISE"]["listed"]
    written = append_terms(lexicons, suggest_terms(RECORDS, lexicons))
    assert written == {"BODY_PART": 1, "EXERCISE": 1}
    text = (lexicons / "exercise.txt").read_text(encoding="utf-8")
    assert text.count(INDUCED_HEADER) == 1 and text.startswith("# exercises\nglute bridge\n")
    assert read_lexicon(lexicons / "exercise.txt") == ["glute bridge", "tai chi"]
    assert suggest_terms(RECORDS, lexicons) == []
    assert lexicon_coverage(RECORDS, lexicons)["EXERCISE"]["listed"] > before
    doc = build_entity_pipeline(lexicons)("Tai chi suits stiff knee joints.")
    assert {(e.text, e.label) for e in doc_entities(doc)} >= {("Tai chi", "EXERCISE"), ("knee joints", "BODY_PART")}


def test_cli_lists_and_writes_suggestions_from_training_files_only(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "heldout").mkdir(parents=True)
    lexicons = _lexicons(corpus)

    def rows(records: list[Labelled]) -> str:
        return "".join(json.dumps({"id": r.id, "text": r.text, "label": r.label, "topic": "t", "source_style": "blog",
                                   "entities": r.entities}) + "\n" for r in records)

    (corpus / "train.jsonl").write_text(rows(RECORDS[:2]), encoding="utf-8")
    (corpus / "heldout" / "held.jsonl").write_text(rows(RECORDS[5:]), encoding="utf-8")
    runner = CliRunner()
    listed = runner.invoke(main, ["corpus", "suggest-terms", str(corpus)])
    assert listed.exit_code == 0, listed.output
    assert "tai chi" in listed.stdout and "knee joint" not in listed.stdout
    assert read_lexicon(lexicons / "exercise.txt") == ["glute bridge"]
    written = runner.invoke(main, ["corpus", "suggest-terms", str(corpus), "--write"])
    assert written.exit_code == 0, written.output
    assert "tai chi" in read_lexicon(lexicons / "exercise.txt")


def test_writing_creates_a_missing_lexicon_folder(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "lexicons"
    terms = suggest_terms(RECORDS, folder)
    assert ("EXERCISE", "glute bridges") in {(t.label, t.term) for t in terms}   # nothing is listed yet
    append_terms(folder, terms)
    assert "tai chi" in read_lexicon(folder / "exercise.txt")


def test_coverage_gives_a_form_listed_twice_the_type_the_ruler_gives_it(tmp_path: Path) -> None:
    # "physical therapy" is a treatment and also the name of a journal (org.txt): the ruler
    # marks it TREATMENT, the first of the two in ENTITY_TYPES order, and so must coverage.
    folder = tmp_path / "lexicons"
    folder.mkdir()
    (folder / "org.txt").write_text("Physical Therapy\n", encoding="utf-8")
    (folder / "treatment.txt").write_text("physical therapy\n", encoding="utf-8")
    record = _record("Start physical therapy early.", ("physical therapy", "TREATMENT"))
    ruler_label = [e.label for e in doc_entities(build_entity_pipeline(folder)(record.text))]
    assert ruler_label == ["TREATMENT"]
    assert lexicon_coverage([record], folder)["TREATMENT"]["listed"] == 1.0
