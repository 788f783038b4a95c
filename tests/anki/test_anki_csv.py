"""`anki.csv` against Anki's own text import: with the note type present,
its header alone puts every note in its subdeck with its tags and the
package's GUIDs, and a second import updates instead of duplicating."""

from __future__ import annotations

from conftest import DECK, domain_titles, guid_for, import_apkg, import_csv, snapshot


def collection_with_note_type_only(col, apkg):
    """Imports the package for its note type, then removes its decks (and so
    every note), leaving the note type."""
    import_apkg(col, apkg)
    col.decks.remove([col.decks.id_for_name(DECK)])
    assert col.note_count() == 0
    assert col.models.by_name("deckc Python Interview")


def test_csv_import_makes_every_note_in_its_deck_with_tags_and_guids(built, collection):
    collection_with_note_type_only(collection, built.apkg)
    cards = built.cards()
    log = import_csv(collection, built.csv)
    assert len(log.new) == len(cards)
    assert collection.note_count() == len(cards)
    titles = domain_titles(built.content)
    for card in cards:
        nid = collection.db.scalar("select id from notes where guid = ?", guid_for(card["id"]))
        assert nid, card["id"]
        note = collection.get_note(nid)
        assert sorted(note.tags) == sorted(card["tags"])
        assert collection.decks.name(note.cards()[0].did) == f"{DECK}::{titles[card['domain']]}"


def test_csv_fields_equal_the_package_fields(built, tmp_path):
    from anki.collection import Collection

    by_apkg = Collection(str(tmp_path / "a.anki2"))
    by_csv = Collection(str(tmp_path / "b.anki2"))
    try:
        import_apkg(by_apkg, built.apkg)
        collection_with_note_type_only(by_csv, built.apkg)
        import_csv(by_csv, built.csv)
        query = "select guid, flds, tags from notes order by guid"
        assert by_csv.db.all(query) == by_apkg.db.all(query)
    finally:
        by_apkg.close()
        by_csv.close()


def test_second_csv_import_adds_nothing(built, collection):
    collection_with_note_type_only(collection, built.apkg)
    import_csv(collection, built.csv)
    count = collection.note_count()
    notes = snapshot(collection)["notes"]
    log = import_csv(collection, built.csv)
    assert len(log.new) == 0
    assert collection.note_count() == count
    assert [(n[1], n[4], n[5]) for n in snapshot(collection)["notes"]] == [(n[1], n[4], n[5]) for n in notes]
