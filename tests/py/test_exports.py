"""The generic exports, read back the way their users read them.

cards.json is validated against the published JSON Schema; cards.csv is read
with Python's csv module (as a spreadsheet or pandas would) and compared field
by field with cards.json.
"""
import csv
import json
import pathlib

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "output"


def load_cards():
    return json.loads((OUT / "cards.json").read_text(encoding="utf-8"))


def test_cards_json_validates_against_its_schema():
    schema = json.loads((OUT / "cards.schema.json").read_text(encoding="utf-8"))
    doc = load_cards()
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(doc, schema, cls=jsonschema.Draft7Validator)
    assert doc["cards"], "no cards"


def test_schema_rejects_a_card_without_an_answer():
    schema = json.loads((OUT / "cards.schema.json").read_text(encoding="utf-8"))
    doc = load_cards()
    del doc["cards"][0]["answer"]
    try:
        jsonschema.validate(doc, schema, cls=jsonschema.Draft7Validator)
    except jsonschema.ValidationError as e:
        assert "answer" in e.message
    else:
        raise AssertionError("a card without an answer passed the schema")


def test_cards_csv_reads_back_equal_to_cards_json():
    cards = load_cards()["cards"]
    with open(OUT / "cards.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(cards)
    for row, card in zip(rows, cards):
        assert row["id"] == card["id"]
        assert row["question"] == card["question"]
        assert row["answer"] == card["answer"]
        assert row["details"] == card["details"]
        assert row["domain"] == card["domain"]
        assert row["difficulty"] == card["difficulty"]
        assert row["tags"].split(" ") == card["tags"]
        assert row["sources"].split(" ") == [s["ref"] for s in card["sources"]]
        assert (row["variants"].split("\n") if row["variants"] else []) == card["variants"]


def test_every_source_question_is_in_exactly_one_card():
    cards = load_cards()["cards"]
    refs = [s["ref"] for c in cards for s in c["sources"]]
    assert len(refs) == len(set(refs)) == 416
