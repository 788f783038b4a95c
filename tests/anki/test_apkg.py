"""The Anki package against real Anki: it imports into the right decks with
its tags and readable fields, re-imports as a no-op, and a rebuilt package
with one edited answer updates exactly that note and keeps its reviews."""

from __future__ import annotations

import html
import re

from conftest import DECK, domain_titles, guid_for, import_apkg, snapshot

MARKER = "Edited for the re-import test."


def note_by_guid(col, guid):
    nid = col.db.scalar("select id from notes where guid = ?", guid)
    assert nid, f"no note with guid {guid}"
    return col.get_note(nid)


def visible_text(rendered_html: str) -> str:
    text = re.sub(r"<style>.*?</style>", "", rendered_html, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def test_every_card_is_one_note_in_its_domain_subdeck_with_its_tags(built, collection):
    cards = built.cards()
    log = import_apkg(collection, built.apkg)
    assert len(log.new) == len(cards) > 0
    assert collection.note_count() == len(cards)
    assert collection.card_count() == len(cards)
    titles = domain_titles(built.content)
    for card in cards:
        note = note_by_guid(collection, guid_for(card["id"]))
        assert note.note_type()["name"] == "deckc Python Interview"
        assert sorted(note.tags) == sorted(card["tags"]), card["id"]
        (anki_card,) = note.cards()
        assert collection.decks.name(anki_card.did) == f"{DECK}::{titles[card['domain']]}", card["id"]
        assert note["Difficulty"] == card["difficulty"]
        assert html.unescape(note["Domain"]) == titles[card["domain"]]
        authored_mark = "class=\"authored\"" in note["Answer"]
        assert authored_mark == (card["answer_origin"] != "guide"), card["id"]


def test_fields_are_html_with_no_markdown_left_and_raw_text_shown_as_written(built, collection):
    cards = built.cards()
    import_apkg(collection, built.apkg)
    for card in cards:
        note = note_by_guid(collection, guid_for(card["id"]))
        for name in ("Question", "Answer", "Details", "Variants"):
            value = note[name]
            outside_code = re.sub(r"<pre>.*?</pre>|<code>.*?</code>", "", value, flags=re.S)
            # `**x**` bold pairs; a lone `**` is Python (`{**kwargs}`), not Markdown.
            assert not re.search(r"\*\*[^*\s][^*]*?\*\*", outside_code), (card["id"], name, value[:300])
            assert not re.search(r"`[^`\n]+`", outside_code), (card["id"], name, value[:300])
            assert not re.search(r"^- ", outside_code, re.M), (card["id"], name, value[:300])
            assert "[sound:" not in value and "{{" not in value, (card["id"], name)
    lambdas = [c for c in cards if "<lambda>" in c["question"] + c["answer"] + c["details"]]
    assert lambdas, "the content has a card mentioning <lambda>"
    for card in lambdas:
        note = note_by_guid(collection, guid_for(card["id"]))
        assert "&lt;lambda&gt;" in "".join(note.fields)
        (anki_card,) = note.cards()
        assert "<lambda>" in visible_text(anki_card.answer()), card["id"]


def test_reimporting_the_same_package_changes_nothing(built, collection):
    first = import_apkg(collection, built.apkg)
    before = snapshot(collection)
    second = import_apkg(collection, built.apkg)
    assert len(second.new) == 0
    assert len(second.updated) == 0
    assert len(second.duplicate) == len(first.new)
    assert snapshot(collection) == before


def edit_one_answer(content):
    """Appends MARKER to the first line of the first authored answer."""
    path = content / "authored" / "top-50.yaml"
    text = path.read_text()
    m = re.search(r"answer: \|\n( +)(.+)\n", text)
    assert m, "no block answer in top-50.yaml"
    path.write_text(text[: m.end(2)] + " " + MARKER + text[m.end(2) :])


def test_rebuilt_package_updates_one_note_and_keeps_review_history(fresh_build, collection):
    import_apkg(collection, fresh_build.apkg)
    before_cards = fresh_build.cards()

    edit_one_answer(fresh_build.content)
    fresh_build.build()
    after_cards = fresh_build.cards()
    assert [c["id"] for c in after_cards] == [c["id"] for c in before_cards]
    changed = [a for a, b in zip(after_cards, before_cards) if a != b]
    assert len(changed) == 1, [c["id"] for c in changed]
    edited = changed[0]
    unchanged = next(c for c in after_cards if c["id"] != edited["id"])

    reviewed = {}
    for card in (edited, unchanged):
        anki_card = note_by_guid(collection, guid_for(card["id"])).cards()[0]
        anki_card.start_timer()
        collection.sched.answerCard(anki_card, 3)
        anki_card.load()
        assert anki_card.reps == 1
        reviewed[card["id"]] = (anki_card.id, anki_card.ivl, anki_card.due, anki_card.reps, anki_card.queue, anki_card.type)
    notes_before = collection.note_count()
    other_notes = {
        row[0]: row for row in collection.db.all("select guid, mod, flds, tags from notes where guid != ?", guid_for(edited["id"]))
    }

    log = import_apkg(collection, fresh_build.apkg)
    assert len(log.new) == 0
    assert [n.id.nid for n in log.updated] == [note_by_guid(collection, guid_for(edited["id"])).id]
    assert collection.note_count() == notes_before
    note = note_by_guid(collection, guid_for(edited["id"]))
    assert MARKER in "".join(note.fields)
    for card_id, state in reviewed.items():
        anki_card = note_by_guid(collection, guid_for(card_id)).cards()[0]
        assert (anki_card.id, anki_card.ivl, anki_card.due, anki_card.reps, anki_card.queue, anki_card.type) == state, card_id
    assert {
        row[0]: row for row in collection.db.all("select guid, mod, flds, tags from notes where guid != ?", guid_for(edited["id"]))
    } == other_notes
