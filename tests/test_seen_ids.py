"""The compact id set behind duplicate-id rejection: exact answers, bounded memory."""
from pipeline.seen_ids import SeenIds


def test_remembers_ids_and_where_they_were_first_seen_across_merges():
    seen = SeenIds(buffer=100)                      # small buffer: most ids live in the merged arrays
    for i in range(1, 1001):
        seen.add(f"article-{i}", f"dumps/crawl.jsonl:{i}")
    assert seen.add("article-7", "dumps/other.jsonl:3") == "dumps/crawl.jsonl:7"   # a repeat keeps its first place
    assert len(seen) == 1000
    assert seen.first_seen("article-7") == "dumps/crawl.jsonl:7"
    assert seen.first_seen("article-999") == "dumps/crawl.jsonl:999"
    assert seen.first_seen("article-1001") is None and seen.first_seen("") is None


def test_places_without_a_line_are_not_kept():
    seen = SeenIds()
    seen.add("pages/a.html", "pages/a.html")
    assert seen.first_seen("pages/a.html") == "an earlier record"
    assert seen._files == []


def test_memory_per_id_is_a_few_bytes_not_a_dict_entry():
    seen = SeenIds(buffer=1000)
    for i in range(20_000):
        seen.add(f"https://example.org/articles/{i:08d}", f"crawl.jsonl:{i + 1}")
    stored = seen._hashes.nbytes + seen._places.nbytes
    assert stored <= 16 * 20_000 and len(seen._recent) < 1000
