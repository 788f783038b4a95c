#!/usr/bin/env python3
"""Export the notes of an Anki package to JSON, for bench/compare.sh.

    python3 bench/export_notes.py DECK.apkg NOTES.json
    python3 bench/export_notes.py --check DECK.apkg NOTES.json

Opens `collection.anki2` inside the package (a zip) with sqlite3 and writes
what another writer needs to produce the same notes:

    {
      "mod": <the note type's mod, seconds; used as the fixed timestamp>,
      "model": {"id", "name", "fields": [names], "sortf",
                "templates": [{"name", "qfmt", "afmt"}], "css"},
      "decks": [{"id", "name"}],          # every deck but Anki's "Default" (id 1)
      "notes": [{"guid", "fields": [...], "tags": [...], "deck", "due"}]
    }

Notes are in note-id order; each note's deck and due are its card's (the
note type has one template, so one card per note). Stdlib only.

With --check, writes nothing: exits 1 unless DECK.apkg opens and holds as
many notes as NOTES.json, and the same ones (guid, fields, tags, deck, due,
in any order), with the same note type and decks.
"""
import json
import os
import sqlite3
import sys
import tempfile
import zipfile


def load(apkg):
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(apkg) as z:
            z.extract("collection.anki2", tmp)
        db = sqlite3.connect(os.path.join(tmp, "collection.anki2"))
        try:
            models_json, decks_json = db.execute("SELECT models, decks FROM col").fetchone()
            models = json.loads(models_json)
            if len(models) != 1:
                sys.exit(f"export_notes: expected one note type, found {len(models)}")
            (m,) = models.values()
            if len(m["tmpls"]) != 1:
                sys.exit(f"export_notes: expected one template, found {len(m['tmpls'])}")
            model = {
                "id": int(m["id"]),
                "name": m["name"],
                "fields": [f["name"] for f in sorted(m["flds"], key=lambda f: f["ord"])],
                "sortf": m.get("sortf", 0),
                "templates": [
                    {"name": t["name"], "qfmt": t["qfmt"], "afmt": t["afmt"]}
                    for t in sorted(m["tmpls"], key=lambda t: t["ord"])
                ],
                "css": m["css"],
            }
            deck_names = {int(k): d["name"] for k, d in json.loads(decks_json).items()}
            decks = [{"id": i, "name": n} for i, n in sorted(deck_names.items()) if i != 1]

            notes = []
            rows = db.execute(
                "SELECT n.id, n.guid, n.flds, n.tags, c.did, c.due"
                " FROM notes n JOIN cards c ON c.nid = n.id ORDER BY n.id, c.ord"
            )
            last = None
            for nid, guid, flds, tags, did, due in rows:
                if nid == last:
                    sys.exit(f"export_notes: note {nid} has more than one card")
                last = nid
                notes.append({
                    "guid": guid,
                    "fields": flds.split("\x1f"),
                    "tags": tags.split(),
                    "deck": deck_names[did],
                    "due": due,
                })
            (n_notes,) = db.execute("SELECT count(*) FROM notes").fetchone()
            if n_notes != len(notes):
                sys.exit(f"export_notes: {n_notes} notes but {len(notes)} with a card")
        finally:
            db.close()

    return {"mod": int(m["mod"]), "model": model, "decks": decks, "notes": notes}


def check(apkg, ref_path):
    with open(ref_path, encoding="utf-8") as f:
        ref = json.load(f)
    got = load(apkg)
    if len(got["notes"]) != len(ref["notes"]):
        sys.exit(f"{apkg}: {len(got['notes'])} notes, expected {len(ref['notes'])}")
    for key in ("model", "decks"):
        if got[key] != ref[key]:
            sys.exit(f"{apkg}: {key} differs from {ref_path}")
    canon = lambda notes: sorted(json.dumps(n, sort_keys=True) for n in notes)  # noqa: E731
    if canon(got["notes"]) != canon(ref["notes"]):
        sys.exit(f"{apkg}: same count but not the same notes as {ref_path}")


def main(argv):
    if len(argv) == 4 and argv[1] == "--check":
        check(argv[2], argv[3])
    elif len(argv) == 3:
        with open(argv[2], "w", encoding="utf-8") as f:
            json.dump(load(argv[1]), f, ensure_ascii=False)
    else:
        sys.exit("usage: export_notes.py [--check] DECK.apkg NOTES.json")


if __name__ == "__main__":
    main(sys.argv)
