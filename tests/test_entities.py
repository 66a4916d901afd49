"""The entity pipeline's rules: tokenizer, author names, longest symptom spans, cleanup."""
import pytest

from pipeline.entities import build_entity_pipeline
from pipeline.lexicons import load_patterns, variants
from pipeline.tokenizer import blank_english


@pytest.fixture(scope="module")
def nlp(fixtures):
    return build_entity_pipeline(fixtures / "lexicons")


def ents(nlp, text):
    return [(e.text, e.label_) for e in nlp(text).ents]


def test_tokenizer_splits_initials_and_journal_words():
    tokens = [t.text for t in blank_english()("Smith J, Lee C. Cochrane Database Syst Rev. 2015")]
    assert tokens[:6] == ["Smith", "J", ",", "Lee", "C", "."] and "Rev" in tokens


def test_reference_authors_are_people(nlp):
    found = ents(nlp, "Smith AB, van der Berg RA, McEwen PC, et al. Heel pain. Br J Sports Med. 2019;53(2):101-9.")
    assert ("Smith AB", "PERSON") in found and ("van der Berg RA", "PERSON") in found
    assert ("McEwen PC", "PERSON") in found and ("Br J Sports Med", "ORG") in found
    found = ents(nlp, "Abernathy, K. L., & Oduro, F. (2018). Title. Journal, 36(14), 1-7.")
    assert ("Abernathy, K. L.", "PERSON") in found and ("Oduro, F.", "PERSON") in found
    found = ents(nlp, "van der Berg, R. A., & Lee, C. (2020). Title. Journal, 4(1), 1-9.")
    assert ("van der Berg, R. A.", "PERSON") in found
    assert ("Lee C", "PERSON") in ents(nlp, "Smith J, Lee C. Heel pain. Br J Sports Med. 2019;53(2):101-9.")


def test_no_people_in_ordinary_prose(nlp):
    assert all(label != "PERSON" for _, label in ents(nlp, "Heel Pain Is Common In Runners And Walkers."))


def test_symptom_phrases_take_the_longest_span(nlp):
    found = ents(nlp, "You may feel a sharp pain in the heel and dull, throbbing pain at the front of your knee.")
    assert ("sharp pain in the heel", "CONDITION") in found
    assert ("dull, throbbing pain at the front of your knee", "CONDITION") in found
    assert not any(label == "BODY_PART" for _, label in found)


@pytest.mark.parametrize("text, condition", [
    ("Runners with calf pain should rest.", "calf pain"),
    ("Morning hip stiffness eases with walking.", "hip stiffness"),
    ("A sharp knee pain on the stairs.", "sharp knee pain"),
])
def test_a_body_part_just_before_a_condition_joins_its_span(nlp, text, condition):
    found = ents(nlp, text)
    assert (condition, "CONDITION") in found
    assert not any(label == "BODY_PART" for _, label in found)


@pytest.mark.parametrize("text, expected", [
    ("Years of hyperuricaemia came before the first attack.", ("hyperuricaemia", "CONDITION")),
    ("Her doctor added atorvastatin after the scan.", ("atorvastatin", "TREATMENT")),
    ("Cilostazol can lengthen the walking distance.", ("Cilostazol", "TREATMENT")),
    ("Recovery after angioplasty takes a week.", ("angioplasty", "TREATMENT")),
    ("Some runners try osteopathy before surgery.", ("osteopathy", "TREATMENT")),
])
def test_unlisted_words_are_read_by_their_medical_ending(nlp, text, expected):
    assert expected in ents(nlp, text)


def test_common_words_with_medical_endings_are_not_terms(nlp):
    assert ents(nlp, "The diagnosis and the prognosis were explained by the academia group.") == []
    assert ents(nlp, "A wave of nostalgia for the old gym.") == []


def test_cleanup_drops_titles_and_credentials(nlp):
    doc = nlp("Dr. Maria Lopez, PT, DPT, treats knee pain.")
    from spacy.tokens import Span

    doc.ents = [Span(doc, 0, 7, label="PERSON")]          # "Dr. Maria Lopez, PT, DPT"
    cleaned = nlp.get_pipe("health_span_cleanup")(doc)
    assert [(e.text, e.label_) for e in cleaned.ents] == [("Maria Lopez", "PERSON")]


def test_abbreviations_match_case_exactly(tmp_path):
    (tmp_path / "org.txt").write_text("WHO\nMayo Clinic\n", encoding="utf-8")
    nlp = build_entity_pipeline(tmp_path)
    assert ents(nlp, "Guidance from the WHO says who should exercise.") == [("WHO", "ORG")]
    assert {"physical therapist's", "physical therapist’s"} <= variants("physical therapist's")
    assert any(isinstance(p["pattern"], list) for p in load_patterns(tmp_path))


def test_long_abbreviations_and_one_word_organisations_match_case_exactly(tmp_path):
    (tmp_path / "treatment.txt").write_text("PRICE\nPOLICE\n", encoding="utf-8")
    (tmp_path / "org.txt").write_text("Mind\nCirculation\nMayo Clinic\n", encoding="utf-8")
    nlp = build_entity_pipeline(tmp_path)
    assert ents(nlp, "Early-bird price $49 until the police close the road.") == []
    assert ents(nlp, "Follow PRICE, then POLICE.") == [("PRICE", "TREATMENT"), ("POLICE", "TREATMENT")]
    assert ents(nlp, "Keep in mind that blood circulation improves.") == []
    assert ents(nlp, "The charity Mind and the journal Circulation agree, as does the mayo clinic.") == [
        ("Mind", "ORG"), ("Circulation", "ORG"), ("mayo clinic", "ORG")]


def test_reference_journals_are_orgs_whatever_the_lexicon(nlp):
    # Neither journal is in the fixture lexicons; "Pain" must not become a symptom inside one.
    found = ents(nlp, "Okafor CE, Lind T. Pacing in chronic fatigue. Scand J Pain Res. 2021;14(2):88-97.")
    assert ("Scand J Pain Res", "ORG") in found
    assert ("Pain", "CONDITION") not in found
    found = ents(nlp, "Marsh, D. (2017). Load and tendon. Journal of Tendon Science, 9(3), 12-19.")
    assert ("Journal of Tendon Science", "ORG") in found


def test_no_journal_in_prose_with_a_year(nlp):
    found = ents(nlp, "In 2019 the clinic opened. Most Patients In 2020 came back for a second visit.")
    assert all(label != "ORG" for _, label in found)


@pytest.mark.parametrize("text, person", [
    ("“Most calf cramps settle with rest,” says Tobias Wren, PT, DPT, who runs a clinic in Leeds.", "Tobias Wren"),
    ("Reviewed by Harriet O'Dowd, MSc, on 3 March.", "Harriet O'Dowd"),
    ("Our lead physio, Dr. Kwame Asante, sees runners on Mondays.", "Kwame Asante"),
    ("Ask Dr Lindqvist about a night splint.", "Lindqvist"),
    ("The stretches are safe in pregnancy, according to Imogen Treacy of the midwife team.", "Imogen Treacy"),
    ("Page editors: Rosa Delgado, Tom Varga, Ines Moreau and Sam Achebe", "Ines Moreau"),
    ("Pellegrini AB Osei K Lindgren T. Grip strength and falls. 2021", "Osei K"),
    ("[4]  T. Okonjo,et al.  A trial of night splints.", "T. Okonjo"),
    ("Priya K. Raman | Jonas Ek | Mei Lin Chow", "Priya K. Raman"),
    # scraped reference lists: glued commas, dotted initials after the surname, Cyrillic names
    ("Okafor TH,Lindgren P,Reyes-Soto R . Urate targets in gout. 2020;12:40-6.", "Lindgren P"),
    ("Okafor TH,Lindgren P,Reyes-Soto R . Urate targets in gout. 2020;12:40-6.", "Reyes-Soto R"),
    ("Bondarenko I. V., Sadykova L. M. Grip strength in older adults. 2019; 7(2): 14-19.", "Bondarenko I. V."),
    ("Смирнов А.В., Орлова Е.Н. Реабилитация после инсульта // 2018. № 14, с. 229.", "Орлова Е.Н."),
    ("Mensah, K., Ortiz, L. and Haugen, B. (2019) 'Balance after stroke', Age, 3(1), pp. 2-9.", "Haugen, B."),
    ("Photo: Leona Marsh, DDS, shows the jaw stretch.", "Leona Marsh"),
    ("The trial, led by Anneke Visser of a Dutch hospital, enrolled 300 adults.", "Anneke Visser"),
])
def test_people_are_found_by_the_shape_of_the_text(nlp, text, person):
    assert (person, "PERSON") in ents(nlp, text)


@pytest.mark.parametrize("text", [
    "Media contact: Vice President of Communications",
    "Preprint. Posted April 15, 2021.",
    "Upper B: incline press 3 x 10. Lower B: trap bar deadlift.",
    "Strong Glutes Make Happy Knees, By Design",
])
def test_headings_and_datelines_are_not_people(nlp, text):
    assert all(label != "PERSON" for _, label in ents(nlp, text))


@pytest.mark.parametrize("text, org", [
    ("Guidance from the Northern Society for Hand Therapy (NSHT) was updated in 2022.", "Northern Society for Hand Therapy"),
    ("Guidance from the Northern Society for Hand Therapy (NSHT) was updated in 2022.", "NSHT"),
    ("She trained at the University of Tasmania before moving to Perth.", "University of Tasmania"),
    ("At Riverbend Spine Clinic we see back pain every day.", "Riverbend Spine Clinic"),
    ("Keller M, Ansah P. Night splints for plantar heel pain, Foot and Ankle Studies, № 12, с. 41", "Foot and Ankle Studies"),
    ("Ngata, R. Falls after stroke: a cohort , 2016, The Journal of Stroke Rehabilitation.", "Journal of Stroke Rehabilitation"),
    ("Henrik Berg of Oslo University Hospital led the trial.", "Oslo University Hospital"),   # no person through "of"
    ("Book a first visit at Harbour Lane Physio this week.", "Harbour Lane Physio"),
    ("Classes run at Saltmarsh Yoga Studio on Mondays.", "Saltmarsh Yoga Studio"),
])
def test_organisations_are_found_by_their_organisation_word(nlp, text, org):
    assert (org, "ORG") in ents(nlp, text)


@pytest.mark.parametrize("text", [
    "Call the Clinic or ask at the Hospital desk.",            # a lone organisation word
    "Physiotherapy helps most people with a frozen shoulder.",
    "Shoulder Clicks During Bench Press",                      # exercise headings
    "Stand On A Wobble Board For Balance",
])
def test_lone_organisation_words_and_exercise_headings_are_not_orgs(nlp, text):
    assert all(label != "ORG" for _, label in ents(nlp, text))



@pytest.mark.parametrize("text, is_body_part", [
    ("Lie on your back with knees bent.", True),
    ("A stiff back is common after long drives.", True),
    ("Stretch the hips and back gently.", True),
    ("Keep the back straight as you lower.", True),
    ("Come back to the start and repeat.", False),
    ("Step back with the right foot.", False),
    ("Roll the ball along the back of the thigh.", False),
])
def test_back_is_a_body_part_only_when_it_names_one(tmp_path, text, is_body_part):
    (tmp_path / "body_part.txt").write_text("back\nhips\nthigh\n", encoding="utf-8")
    assert (("back", "BODY_PART") in ents(build_entity_pipeline(tmp_path), text)) is is_body_part
