#!/usr/bin/env python3
"""Write the notes of a bench/export_notes.py JSON file with genanki (Python).

    bench/.venv/bin/python bench/genanki_write.py NOTES.json OUT.apkg

One genanki.Model (same id, fields, template and CSS as deckc's note type),
one genanki.Deck per deck, one genanki.Note(model, fields, tags, guid, due)
per note in its deck, then Package.write_to_file with a fixed timestamp (the
note type's mod), so the note and card ids and mods do not depend on the
clock (the zip entries' dates still do: genanki takes them from its temporary
file). genanki's warnings (e.g. "Field contained the following invalid HTML
tags") are silenced; errors are not. genanki 0.13.1 zips with ZIP_STORED (no
compression) and leaves its temporary SQLite file behind in $TMPDIR:
compare.sh points TMPDIR at a scratch folder it empties.
"""
import json
import sys
import warnings

warnings.filterwarnings("ignore", module=r"genanki(\.|$)")

import genanki  # noqa: E402


def main(notes_path, out):
    with open(notes_path, encoding="utf-8") as f:
        data = json.load(f)
    m = data["model"]
    model = genanki.Model(
        model_id=m["id"],
        name=m["name"],
        fields=[{"name": name} for name in m["fields"]],
        templates=[dict(t) for t in m["templates"]],
        css=m["css"],
        sort_field_index=m["sortf"],
    )
    decks = {d["name"]: genanki.Deck(d["id"], d["name"]) for d in data["decks"]}
    for n in data["notes"]:
        decks[n["deck"]].add_note(
            genanki.Note(model=model, fields=n["fields"], tags=n["tags"], guid=n["guid"], due=n["due"])
        )
    genanki.Package(list(decks.values())).write_to_file(out, timestamp=float(data["mod"]))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: genanki_write.py NOTES.json OUT.apkg")
    main(sys.argv[1], sys.argv[2])
